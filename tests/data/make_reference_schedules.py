"""Dumps the reference's diffusion schedules for the C++ tests to compare against.

usage: /usr/bin/python3 make_reference_schedules.py PATH_TO_SDM_CHECKOUT > reference-schedules.json
Runs the SDM reference's own gaussian_diffusion / respace code (not part of this repository).
"""
import json
import sys

sys.path.insert(0, sys.argv[1])
from guided_diffusion import gaussian_diffusion as gd  # noqa: E402
from guided_diffusion.respace import SpacedDiffusion, space_timesteps  # noqa: E402

cases = []
for schedule in ["linear", "cosine"]:
    for spec in ["", "50", "ddim25", "10,10,30", "250", "7"]:
        betas = gd.get_named_beta_schedule(schedule, 1000)
        kept = space_timesteps(1000, spec) if spec else set(range(1000))
        d = SpacedDiffusion(
            use_timesteps=kept, betas=betas, model_mean_type=gd.ModelMeanType.EPSILON,
            model_var_type=gd.ModelVarType.LEARNED_RANGE, loss_type=gd.LossType.MSE)
        cases.append({
            "schedule": schedule, "spec": spec, "timestep_map": d.timestep_map,
            "betas": d.betas.tolist(), "alphas_cumprod": d.alphas_cumprod.tolist(),
            "posterior_variance": d.posterior_variance.tolist(),
            "posterior_log_variance_clipped": d.posterior_log_variance_clipped.tolist(),
            "posterior_mean_coef1": d.posterior_mean_coef1.tolist(),
            "posterior_mean_coef2": d.posterior_mean_coef2.tolist(),
        })
json.dump(cases, sys.stdout)
