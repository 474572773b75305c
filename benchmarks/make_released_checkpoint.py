#!/usr/bin/python3
"""A random-weight checkpoint of a released configuration, for `sdm bench` and `sdm info` timings.

    /usr/bin/python3 benchmarks/make_released_checkpoint.py ../shared/reference/presets/ade20k.json /tmp/ade20k.pt

Reads the preset's state-dict keys and shapes (as the reference builds them) and saves N(0, 0.05²)
weights with torch.save in the released checkpoints' container (a zip of an OrderedDict) and a
sidecar with the flags. ~2.6 GB for the 660 M-parameter configurations: not committed.
"""
import collections
import json
import sys

import torch

preset_path, out = sys.argv[1], sys.argv[2]
preset = json.load(open(preset_path))
generator = torch.Generator().manual_seed(0)
state = collections.OrderedDict()
for key, shape in preset["keys"].items():
    state[key] = torch.empty(shape).normal_(0, 0.05, generator=generator) if shape else torch.zeros(())
torch.save(state, out)
json.dump({"flags": preset["flags"]}, open(out[:-3] + ".json", "w"), indent=1)
print(out, sum(t.numel() for t in state.values()), "parameters")
