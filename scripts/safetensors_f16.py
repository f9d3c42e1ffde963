#!/usr/bin/env python3
"""Rewrites a safetensors file with every F32 tensor stored as F16 (metadata kept), halving it.

Used by `make train-builtin` for the large built-in diffusion model; upscale reads F16, F32 and
BF16 alike. Usage: scripts/safetensors_f16.py IN OUT
"""
import json
import struct
import sys


def main(src: str, dst: str) -> None:
    data = open(src, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    out_header, chunks, offset = {}, [], 0
    for name, info in header.items():
        if name == "__metadata__":
            out_header[name] = info
            continue
        begin, end = info["data_offsets"]
        raw = body[begin:end]
        if info["dtype"] == "F32":
            values = struct.unpack(f"<{len(raw) // 4}f", raw)
            raw = struct.pack(f"<{len(values)}e", *values)
            info = dict(info, dtype="F16")
        out_header[name] = dict(info, data_offsets=[offset, offset + len(raw)])
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(out_header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(dst, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: safetensors_f16.py IN OUT")
    main(sys.argv[1], sys.argv[2])
