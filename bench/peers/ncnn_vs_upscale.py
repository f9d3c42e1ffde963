#!/usr/bin/env python3
"""Side-by-side speed: PyPI's ncnn (CPU, its default fast paths incl. Winograd) and `upscale bench`,
same model, same input size, same thread count, interleaved in one run so both see the same
machine state. Both sides are timed warm (ncnn after one warm-up extraction in the same net,
upscale after one warm-up frame in the same process), as frames after the first of a video are,
each after a one-second pause so that neither side's idle threads are still spinning. Prints one table with the ratio ncnn_ms / upscale_ms (>= 1 means upscale is faster).

    python3 -m pip install ncnn
    python3 bench/peers/ncnn_vs_upscale.py [--bin .build/release/upscale] [--threads 2] [--rounds 3]

A measuring instrument only: ncnn is not a dependency of the product.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "reference"))
from ncnn_reference import blob_names, convention  # noqa: E402

MODELS = ["realesr-animevideov3-x2", "waifu2x-upconv7-anime-x2"]
SIZES = [(640, 360), (320, 180)]


def ncnn_ms(models, name, w, h, threads):
    import ncnn
    scale, pad, align = convention(name)
    rng = np.random.default_rng(0)
    ph, pw = h + 2 * pad, w + 2 * pad
    x = np.ascontiguousarray(rng.random((3, ph + (-ph) % align, pw + (-pw) % align), dtype=np.float32))
    net = ncnn.Net()
    net.opt.use_vulkan_compute = False
    net.opt.num_threads = threads
    net.load_param(os.path.join(models, name + ".param"))
    net.load_model(os.path.join(models, name + ".bin"))
    in_blob, out_blob = blob_names(os.path.join(models, name + ".param"))
    mat = ncnn.Mat(x)
    t0 = time.perf_counter()
    ex = net.create_extractor()
    ex.input(in_blob, mat)
    ret, out = ex.extract(out_blob)
    ms = (time.perf_counter() - t0) * 1e3
    assert ret == 0
    del out, ex
    return ms


def upscale_ms(binary, name, w, h, threads):
    out = subprocess.run([binary, "bench", "--model", name, "--size", f"{w}x{h}", "--threads", str(threads),
                          "--runs", "1", "--warmup", "1", "--json"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)["median_ms"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=".build/release/upscale")
    ap.add_argument("--models", default=os.environ.get("UPSCALE_MODELS", os.path.expanduser("~/.cache/upscale/models")))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    print("| model | size | threads | ncnn ms | upscale ms | ratio ncnn/upscale |")
    print("|---|---|---|---|---|---|")
    for name in MODELS:
        for w, h in SIZES:
            a, b = [], []
            ncnn_ms(args.models, name, w, h, args.threads)  # warm-up
            for _ in range(args.rounds):
                # A pause before each measurement: ncnn's OpenMP threads spin for a while after
                # an extraction and would otherwise take cores from whatever runs next.
                time.sleep(1.0)
                a.append(ncnn_ms(args.models, name, w, h, args.threads))
                time.sleep(1.0)
                b.append(upscale_ms(args.bin, name, w, h, args.threads))
            na, nb = statistics.median(a), statistics.median(b)
            print(f"| {name} | {w}x{h} | {args.threads} | {na:.0f} | {nb:.0f} | {na / nb:.2f} |", flush=True)


if __name__ == "__main__":
    main()
