"""Writes the foreign and broken checkpoints in bad/ that the loader must refuse cleanly.

Run with Debian's python3-torch (1.13): /usr/bin/python3 make_bad_checkpoints.py
(The truncated and byte-corrupted variants of tiny.pt are made by the tests themselves.)
"""
import io
import zipfile

import torch

torch.manual_seed(0)
small = {"weight": torch.randn(4, 4), "bias": torch.randn(4)}

# torch.save before 1.6: a bare pickle stream, no zip.
torch.save(small, "bad/legacy.pt", _use_new_zipfile_serialization=False)

# A valid state dict of another network (a two-layer MLP).
mlp = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))
torch.save(mlp.state_dict(), "bad/foreign-mlp.pt")

# A TorchScript module rather than a state dict.
torch.jit.save(torch.jit.script(torch.nn.Linear(4, 4)), "bad/torchscript.pt")

# A training checkpoint: the weights nested under a key, plus a step counter.
torch.save({"model": small, "step": 5}, "bad/training-state.pt")

# A well-formed zip whose data.pkl is garbage.
buffer = io.BytesIO()
torch.save(small, buffer)
with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile("bad/garbage-pickle.pt", "w", zipfile.ZIP_STORED) as target:
    for info in source.infolist():
        data = source.read(info.filename)
        if info.filename.endswith("data.pkl"):
            data = bytes((b * 37 + 11) % 256 for b in data)
        target.writestr(info, data)

# Not a checkpoint at all: text and a zip of something else.
with open("bad/notes.pt", "w") as f:
    f.write("these are not weights\n")
with zipfile.ZipFile("bad/other-zip.pt", "w") as z:
    z.writestr("readme.txt", "hello")
