#!/usr/bin/env bash
# The README's fusion table (seed 004): upscale-fusion-x4 (the paper's topology and losses,
# presets/training/upscale-fusion-x4.toml) against its two sources, upscale-fast-x4 (x_R) and
# upscale-gan-x4 (x_G), and the topology ablation with the extra x_R skip
# (presets/training/ablation/x4-fusion-skip.toml, trained here unless its model exists), on
# data/val at x4 (clean bicubic LR; PSNR-Y, SSIM-Y, LPIPS-Alex from `upscale eval --json`).
# Needs `make data` and `make models`. About 12 min on 2 cores with the ablation trained.
# Usage: bench/fusion.sh [UPSCALE_BIN]
set -euo pipefail
BIN=${1:-.build/release/upscale}
OUT=${OUT:-bench/out}
mkdir -p "$OUT" models
ablation=models/ablation-x4-fusion-skip.safetensors
if [ ! -f "$ablation" ]; then
  start=$(date +%s)
  "$BIN" train presets/training/ablation/x4-fusion-skip.toml --log-every 100 >&2
  echo "x4-fusion-skip: trained in $(( $(date +%s) - start )) s" >&2
fi
"$BIN" eval --hr data/val --scale 4 --model upscale-fast-x4 --model upscale-gan-x4 --model upscale-fusion-x4 \
  --model "$ablation" --threads 2 --json > "$OUT/eval-fusion.json"
python3 - "$OUT/eval-fusion.json" <<'PY'
import json, sys
rows = {r["method"]: r for r in json.load(open(sys.argv[1])) if r["file"] == "mean"}
bic, gan = rows["bicubic"], rows["upscale-gan-x4"]
names = {"upscale-fast-x4": "upscale-fast-x4 (x_R, fidelity source)", "upscale-gan-x4": "upscale-gan-x4 (x_G, perceptual source)",
         "upscale-fusion-x4": "upscale-fusion-x4 (paper topology, L1 + 10 LPIPS + L_fc)",
         "ablation-x4-fusion-skip": "ablation: the same with an extra x_R skip"}
print("| x4, data/val, clean bicubic LR | PSNR-Y dB | vs bicubic | vs x_G | SSIM-Y | LPIPS-Alex | vs bicubic |")
print("|---|---|---|---|---|---|---|")
for m in ("bicubic", "upscale-fast-x4", "upscale-gan-x4", "upscale-fusion-x4", "ablation-x4-fusion-skip"):
    r = rows[m]
    print(f"| {names.get(m, m)} | {r['psnrY']:.2f} | {r['psnrY'] - bic['psnrY']:+.2f} | {r['psnrY'] - gan['psnrY']:+.2f} "
          f"| {r['ssimY']:.4f} | {r['lpips']:.4f} | {r['lpips'] / bic['lpips']:.2f}x |")
PY
