#!/usr/bin/env bash
# The seed 003 tables: bicubic / SRResNet (64 features, 8 blocks, MSE) / SRGAN (the SRResNet
# fine-tuned with MSE + VGG16 content + 1e-3 adversarial + TV) at x2 and x4, and the TV ablation
# (x4 SRGAN without TV), from presets/training/ablation/x{2,4}-srresnet.toml, x{2,4}-srgan.toml
# and x4-srgan-no-tv.toml (trained here unless their models exist; each SRGAN starts from its
# SRResNet). Prints PSNR-Y, SSIM-Y, LPIPS-Alex on data/val from `upscale eval --json`.
# Needs `make data` and `make models`.
# Usage: bench/srgan.sh [UPSCALE_BIN]
set -euo pipefail
BIN=${1:-.build/release/upscale}
OUT=${OUT:-bench/out}
here=$(dirname "$0")
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
mkdir -p "$OUT"
train_missing "$BIN" x4-srresnet x2-srresnet x4-srgan x2-srgan x4-srgan-no-tv
for s in 2 4; do
  extra=()
  [ "$s" = 4 ] && extra=(--model models/ablation-x4-srgan-no-tv.safetensors)
  "$BIN" eval --hr data/val --scale "$s" --model "models/ablation-x$s-srresnet.safetensors" \
    --model "models/ablation-x$s-srgan.safetensors" "${extra[@]}" --threads 2 --json > "$OUT/eval-srgan-x$s.json"
  rows=("ablation-x$s-srresnet=SRResNet (MSE)" "ablation-x$s-srgan=SRGAN (MSE + VGG + 1e-3 adversarial + TV)")
  [ "$s" = 4 ] && rows+=("ablation-x4-srgan-no-tv=SRGAN without TV")
  python3 "$here/table.py" "$OUT/eval-srgan-x$s.json" "x$s, data/val, clean bicubic LR" "${rows[@]}"
  echo
done
