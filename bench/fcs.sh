#!/usr/bin/env bash
# The seed 002 comparison: one backbone (FCSNet 32x8, upscale-fcs-x4's network) and one budget
# (1500 steps, batch 8 x 24 px, seed 1) trained three ways: an L1 regression baseline
# (presets/training/ablation/x4-fcs-baseline.toml), CS (cross-entropy over 256 levels,
# x4-cs.toml) and FCS (the built-in upscale-fcs-x4: L2 on the low band + cross-entropy on the high
# band). The two ablation models are trained here unless they exist (about 25 min on 2 cores).
# Prints PSNR-Y, SSIM-Y, LPIPS-Alex on data/val at x4 from `upscale eval --json`.
# Usage: bench/fcs.sh [UPSCALE_BIN]
set -euo pipefail
BIN=${1:-.build/release/upscale}
OUT=${OUT:-bench/out}
here=$(dirname "$0")
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
mkdir -p "$OUT"
train_missing "$BIN" x4-fcs-baseline x4-cs
"$BIN" eval --hr data/val --scale 4 --model models/ablation-x4-fcs-baseline.safetensors \
  --model models/ablation-x4-cs.safetensors --model upscale-fcs-x4 --threads 2 --json > "$OUT/eval-fcs.json"
python3 "$here/table.py" "$OUT/eval-fcs.json" "x4, FCSNet 32x8, 1500 steps" --ref ablation-x4-fcs-baseline \
  "ablation-x4-fcs-baseline=baseline: L1 regression" "ablation-x4-cs=CS: cross-entropy, class value" \
  "upscale-fcs-x4=FCS: L2 low band + cross-entropy high band (upscale-fcs-x4)"
