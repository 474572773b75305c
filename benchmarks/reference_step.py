"""Times the SDM reference's own guided sampling step on CPU, and writes the same model (random
weights, N(0, 0.05²)) as a checkpoint + sidecar for `sdm bench` to time on identical weights.

usage: /usr/bin/python3 reference_step.py PATH_TO_SDM_CHECKOUT OUT_DIR [threads]
(Debian's python3-torch; the reference checkout is not part of this repository.)
"""
import json
import os
import sys
import time

import torch

sys.path.insert(0, sys.argv[1])
from guided_diffusion.script_util import create_model_and_diffusion, model_and_diffusion_defaults  # noqa: E402

out_dir = sys.argv[2]
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count())
flags = model_and_diffusion_defaults()
flags.update(image_size=64, num_channels=64, num_res_blocks=2, attention_resolutions="32,16,8",
             num_head_channels=32, learn_sigma=True, resblock_updown=True, use_scale_shift_norm=True,
             class_cond=True, num_classes=151, no_instance=True, timestep_respacing="ddim20")
model, diffusion = create_model_and_diffusion(**flags)
torch.manual_seed(0)
with torch.no_grad():
    for p in model.parameters():
        p.normal_(0, 0.05)
model.eval()
os.makedirs(out_dir, exist_ok=True)
torch.save(model.state_dict(), os.path.join(out_dir, "bench64.pt"))
with open(os.path.join(out_dir, "bench64.json"), "w") as f:
    json.dump({"flags": flags}, f, indent=1)

y = torch.zeros(1, 151, 64, 64)
y[:, 3] = 1
x = torch.randn(1, 3, 64, 64)
kwargs = {"y": y, "s": 1.5}
times = []
with torch.no_grad():
    for i in range(6):
        start = time.perf_counter()
        diffusion.ddim_sample(model, x, torch.tensor([10 - i]), model_kwargs=kwargs)
        times.append(time.perf_counter() - start)
times = sorted(times[1:])
print(json.dumps({"reference_step_ms": 1000 * times[len(times) // 2], "threads": torch.get_num_threads(),
                  "parameters": sum(p.numel() for p in model.parameters())}))
