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
# The ablations, each once: run name (presets/training/ablation/RUN.toml) = table label.
ablations=(
  "x4-fusion-paper=the paper's topology and loss"
  "x4-fusion-residual-paper-loss=mix + residual, the paper's loss"
  "x4-fusion-residual-cx=mix + residual, MSE + LPIPS + contextual"
  "x4-fusion-skip=+ x_R skip"
  "x4-fusion-skip-g=+ x_G skip"
  "x4-fusion-skip-g-lpips1=+ x_G skip, LPIPS weight 1"
  "x4-fusion-gate=gated mix"
  "x4-fusion-gate-linear=linear mix, MSE + LPIPS"
)
runs=() models=() labels=()
for a in "${ablations[@]}"; do
  r=${a%%=*}
  runs+=("$r"); models+=(--model "models/ablation-$r.safetensors"); labels+=("ablation-$r=ablation: ${a#*=}")
done
train_missing "$BIN" "${runs[@]}"
"$BIN" eval --hr data/val --scale 4 --model upscale-fast-x4 --model upscale-gan-x4 --model upscale-fusion-x4 \
  "${models[@]}" --threads 2 --json > "$OUT/eval-fusion.json"
python3 "$here/table.py" "$OUT/eval-fusion.json" "x4, data/val, clean bicubic LR" --ref upscale-gan-x4 \
  "upscale-fast-x4=upscale-fast-x4 (x_R, fidelity source)" "upscale-gan-x4=upscale-gan-x4 (x_G, perceptual source)" \
  "upscale-fusion-x4=upscale-fusion-x4 (fusion: mix + residual, MSE + LPIPS)" "${labels[@]}"
