#!/usr/bin/env bash
# The README's fusion table (seed 004): upscale-fusion-x4 (presets/training/upscale-fusion-x4.toml:
# a mix of the sources plus a residual, MSE + LPIPS) against its two sources, upscale-fast-x4 (x_R)
# and upscale-gan-x4 (x_G), and the ablations in presets/training/ablation (trained here unless
# their models exist, about 10 min each on 2 cores): the paper's topology and loss
# (x4-fusion-paper), the paper's loss on the built-in's topology (x4-fusion-residual-paper-loss), the
# built-in plus the contextual terms (x4-fusion-residual-cx), extra skips (x4-fusion-skip: + x_R; x4-fusion-skip-g: + x_G) and the LPIPS weight
# (x4-fusion-skip-g-lpips1: 1 instead of 10), and the gated mix (x4-fusion-gate: x_G + sigmoid(out)
# (x_R - x_G), starting at the mean; x4-fusion-gate-linear: the mix unbounded, MSE + LPIPS), on data/val at x4 (clean bicubic LR; PSNR-Y, SSIM-Y,
# LPIPS-Alex from `upscale eval --json`). Needs `make data` and `make models`.
# Usage: bench/fusion.sh [UPSCALE_BIN]
set -euo pipefail
BIN=${1:-.build/release/upscale}
OUT=${OUT:-bench/out}
here=$(dirname "$0")
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
mkdir -p "$OUT"
train_missing "$BIN" x4-fusion-paper x4-fusion-residual-paper-loss x4-fusion-residual-cx x4-fusion-skip-g x4-fusion-skip-g-lpips1 x4-fusion-skip x4-fusion-gate x4-fusion-gate-linear
"$BIN" eval --hr data/val --scale 4 --model upscale-fast-x4 --model upscale-gan-x4 --model upscale-fusion-x4 --model models/ablation-x4-fusion-paper.safetensors \
  --model models/ablation-x4-fusion-residual-paper-loss.safetensors --model models/ablation-x4-fusion-residual-cx.safetensors \
  --model models/ablation-x4-fusion-skip.safetensors --model models/ablation-x4-fusion-skip-g.safetensors \
  --model models/ablation-x4-fusion-skip-g-lpips1.safetensors --model models/ablation-x4-fusion-gate.safetensors \
  --model models/ablation-x4-fusion-gate-linear.safetensors --threads 2 --json > "$OUT/eval-fusion.json"
python3 "$here/table.py" "$OUT/eval-fusion.json" "x4, data/val, clean bicubic LR" --ref upscale-gan-x4 \
  "upscale-fast-x4=upscale-fast-x4 (x_R, fidelity source)" "upscale-gan-x4=upscale-gan-x4 (x_G, perceptual source)" \
  "upscale-fusion-x4=upscale-fusion-x4 (fusion: mix + residual, MSE + LPIPS)" "ablation-x4-fusion-paper=ablation: the paper's topology and loss" \
  "ablation-x4-fusion-residual-paper-loss=ablation: mix + residual, the paper's loss" "ablation-x4-fusion-residual-cx=ablation: mix + residual, MSE + LPIPS + contextual" "ablation-x4-fusion-skip=ablation: + x_R skip" \
  "ablation-x4-fusion-skip-g=ablation: + x_G skip" "ablation-x4-fusion-skip-g-lpips1=ablation: + x_G skip, LPIPS weight 1" \
  "ablation-x4-fusion-gate=ablation: gated mix" "ablation-x4-fusion-gate-linear=ablation: linear mix, MSE + LPIPS"
