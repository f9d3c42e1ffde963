#!/usr/bin/env python3
"""Reference PSNR and SSIM from scikit-image for `upscale compare` (issue: training/metrics).

Makes three distorted versions of fixtures/photo-96x64.png (bicubic down-up, noise, a shift),
writes them to fixtures/metrics/ and their metrics to fixtures/metrics/reference.json:
RGB (data range 1, SSIM averaged over channels) and Y (BT.601 limited range, data range 255,
the SR convention), each also with a 4-pixel border crop. SSIM as Wang et al.: 11x11
gaussian, sigma 1.5, K1 0.01, K2 0.03, population covariance.

    python3 -m pip install scikit-image pillow
    python3 bench/reference/metrics_reference.py
"""
import json
import os

import numpy as np
from PIL import Image
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

root = os.path.join(os.path.dirname(__file__), "..", "..")
ref = np.asarray(Image.open(os.path.join(root, "fixtures/photo-96x64.png")).convert("RGB"))
out = os.path.join(root, "fixtures/metrics")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(7)
img = Image.fromarray(ref)
dists = {
    "bicubic.png": np.asarray(img.resize((48, 32), Image.BICUBIC).resize((96, 64), Image.BICUBIC)),
    "noise.png": np.clip(ref.astype(np.int32) + rng.integers(-12, 13, ref.shape), 0, 255).astype(np.uint8),
    "shift.png": np.roll(ref, 1, axis=1),
}


def y_channel(rgb):
    x = rgb.astype(np.float64)
    return 16.0 + (65.481 * x[..., 0] + 128.553 * x[..., 1] + 24.966 * x[..., 2]) / 255.0


def metrics(a, b, crop):
    if crop:
        a, b = a[crop:-crop, crop:-crop], b[crop:-crop, crop:-crop]
    rgb_a, rgb_b = a.astype(np.float64) / 255, b.astype(np.float64) / 255
    ya, yb = y_channel(a), y_channel(b)
    kw = dict(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, K1=0.01, K2=0.03)
    return {
        "psnr": peak_signal_noise_ratio(rgb_a, rgb_b, data_range=1),
        "ssim": structural_similarity(rgb_a, rgb_b, data_range=1, channel_axis=2, **kw),
        "psnr_y": peak_signal_noise_ratio(ya, yb, data_range=255),
        "ssim_y": structural_similarity(ya, yb, data_range=255, **kw),
    }


result = {}
for name, d in dists.items():
    Image.fromarray(d).save(os.path.join(out, name))
    result[name] = {"crop0": metrics(ref, d, 0), "crop4": metrics(ref, d, 4)}
with open(os.path.join(out, "reference.json"), "w") as f:
    json.dump(result, f, indent=1, sort_keys=True)
print(json.dumps(result, indent=1, sort_keys=True))
