#!/usr/bin/env python3
"""Reference outputs of every fetched model, computed by the real ncnn engine (PyPI `ncnn`).

Regenerate (after `make models`):
    python3 -m pip install ncnn && \
    python3 bench/reference/ncnn_reference.py --models ~/.cache/upscale/models --out fixtures/ncnn-reference
(`make reference` does exactly this.)

For each model the fixture image (RGB, 0..1) is turned into the network input by the model's
input convention (see fixtures/README.md), run through ncnn with fp16, packing and Winograd
off, cropped to scale x input, clamped to 0..1 and written as a 16-bit RGB PNG. A manifest
records shapes, padding and the raw output range.
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))
from model_names import mapping  # noqa: E402


def convention(name):
    """(scale, prepadding, alignment) of a model: the same table as the Swift ModelCatalog."""
    scale = 4 if name.startswith("realesrgan-x4plus") else int(name.rsplit("-x", 1)[1])
    if name.startswith("waifu2x-upconv7"):
        return scale, 7, 1
    if name.startswith("waifu2x-cunet"):
        return scale, (28 if scale == 1 else 18), 4
    return scale, 0, 1


def read_png_rgb(path):
    """Decodes an image to float32 CHW RGB in 0..1 with the ffmpeg CLI (exact for 8/16-bit)."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                            "stream=width,height", "-of", "csv=p=0", path], check=True,
                           capture_output=True, text=True).stdout.strip().split(",")
    w, h = int(probe[0]), int(probe[1])
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb48le", "-"],
                         check=True, capture_output=True).stdout
    a = np.frombuffer(raw, dtype="<u2").reshape(h, w, 3).astype(np.float32) / 65535.0
    return np.ascontiguousarray(a.transpose(2, 0, 1))


def write_png16(path, chw):
    """Writes CHW float 0..1 as a 16-bit RGB PNG (no dependencies beyond zlib)."""
    c, h, w = chw.shape
    v = np.clip(np.rint(chw.transpose(1, 2, 0) * 65535.0), 0, 65535).astype(">u2")
    rows = b"".join(b"\x00" + v[y].tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def blob_names(param_path):
    """The Input layer's top blob and the last layer's top blob."""
    lines = [ln.split() for ln in open(param_path).read().splitlines()[2:] if ln.strip()]
    first = next(ln for ln in lines if ln[0] == "Input")
    last = lines[-1]
    n_in, n_out = int(last[2]), int(last[3])
    return first[4], last[4 + n_in + n_out - 1]


def run(models, name, image):
    import ncnn
    scale, pad, align = convention(name)
    c, h, w = image.shape
    ph, pw = h + 2 * pad, w + 2 * pad
    ex_h, ex_w = (-ph) % align, (-pw) % align
    x = np.pad(image, ((0, 0), (pad, pad + ex_h), (pad, pad + ex_w)), mode="edge")
    net = ncnn.Net()
    for opt in ("use_vulkan_compute", "use_fp16_packed", "use_fp16_storage", "use_fp16_arithmetic",
                "use_bf16_storage", "use_packing_layout", "use_winograd_convolution"):
        setattr(net.opt, opt, False)
    net.opt.num_threads = 2
    net.load_param(os.path.join(models, name + ".param"))
    net.load_model(os.path.join(models, name + ".bin"))
    in_blob, out_blob = blob_names(os.path.join(models, name + ".param"))
    ex = net.create_extractor()
    ex.input(in_blob, ncnn.Mat(np.ascontiguousarray(x)))
    ret, out = ex.extract(out_blob)
    assert ret == 0, f"{name}: extract failed ({ret})"
    y = np.array(out)
    raw_shape = list(y.shape)
    assert y.shape[1] >= scale * h and y.shape[2] >= scale * w, f"{name}: output {y.shape} too small"
    info = {"scale": scale, "prepadding": pad, "alignment": align, "input_shape": list(x.shape),
            "raw_output_shape": raw_shape, "cropped_rows": raw_shape[1] - scale * h,
            "cropped_cols": raw_shape[2] - scale * w, "raw_min": float(y.min()), "raw_max": float(y.max())}
    return y[:, : scale * h, : scale * w], info


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default=os.environ.get("UPSCALE_MODELS", os.path.expanduser("~/.cache/upscale/models")))
    ap.add_argument("--out", default="fixtures/ncnn-reference")
    ap.add_argument("--image", default="fixtures/photo-96x64.png")
    args = ap.parse_args()
    import ncnn
    os.makedirs(args.out, exist_ok=True)
    image = read_png_rgb(args.image)
    manifest = {"ncnn_version": ncnn.__version__, "image": args.image, "models": {}}
    for name in sorted(mapping()):
        y, info = run(args.models, name, image)
        write_png16(os.path.join(args.out, name + ".png"), y)
        manifest["models"][name] = info
        print(f"{name}: in {info['input_shape']} raw out {info['raw_output_shape']} "
              f"range [{info['raw_min']:.3f}, {info['raw_max']:.3f}]", flush=True)
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
