"""Runs the SDM reference's training_losses on the tiny checkpoint, for the C++ loss to match.

usage: /usr/bin/python3 make_reference_losses.py PATH_TO_SDM_CHECKOUT
Writes tiny-losses.pt: a plain dict (x_start, t, noise, y, loss, mse, vb), readable with torch::pickle_load.
"""
import json
import sys

import torch

sys.path.insert(0, sys.argv[1])
from guided_diffusion.script_util import create_model_and_diffusion, model_and_diffusion_defaults  # noqa: E402

flags = model_and_diffusion_defaults()
flags.update(json.load(open("tiny.json"))["flags"])
model, diffusion = create_model_and_diffusion(**{k: flags[k] for k in model_and_diffusion_defaults()})
model.load_state_dict(torch.load("tiny.pt", map_location="cpu"))
model.eval()
y = torch.load("tiny-forward.pt")["y"][:1].repeat(4, 1, 1, 1)
torch.manual_seed(3)
x_start = torch.rand(4, 3, 32, 32) * 2 - 1
t = torch.tensor([0, 10, 500, 999])
noise = torch.randn(4, 3, 32, 32)
with torch.no_grad():
    terms = diffusion.training_losses(model, x_start, t, model_kwargs={"y": y}, noise=noise)
torch.save({"x_start": x_start, "t": t, "noise": noise, "y": y,
            "loss": terms["loss"], "mse": terms["mse"], "vb": terms["vb"]}, "tiny-losses.pt")
print({k: v.tolist() for k, v in terms.items()})
