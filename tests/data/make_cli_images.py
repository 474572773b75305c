"""Writes the small PNGs the CLI tests use (cli/). Plain Python, no imaging library.

usage: python3 make_cli_images.py
"""
import struct
import zlib


def png(path, width, height, channels, pixel):
    colour_type = {1: 0, 3: 2}[channels]
    rows = b"".join(b"\0" + bytes(v for x in range(width) for v in pixel(x, y)) for y in range(height))
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


# A 64x64 photo (twice the tiny model's size) and a mask over its middle.
png("cli/photo.png", 64, 64, 3, lambda x, y: (4 * x, 4 * y, 128))
png("cli/mask.png", 64, 64, 1, lambda x, y: (255 if 16 <= x < 48 and 20 <= y < 44 else 0,))
png("cli/mask-48.png", 48, 40, 1, lambda x, y: (255,))
# Label maps the tiny (19-class, 32x32) model must refuse: another aspect ratio, unknown ids.
png("cli/labels-wide.png", 64, 32, 1, lambda x, y: (1,))
png("cli/labels-unknown-ids.png", 32, 32, 1, lambda x, y: (40 if x < 4 else 2,))
