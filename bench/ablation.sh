#!/usr/bin/env bash
# The README's MSHF ablation (seed 000): trains presets/training/ablation/x4-l1.toml, x4-l1-lpips.toml,
# x4-l1-mshf.toml (the earlier error-map form) and x4-l1-mshf-paper.toml (the paper's) (same network,
# steps, batches and seed; only the loss differs) unless their
# models/ablation-*.safetensors exist, then prints PSNR-Y, SSIM-Y and LPIPS-Alex on data/val at x4
# (clean bicubic LR) from `upscale eval --json`. Needs `make data` and `make models`.
# Usage: bench/ablation.sh [UPSCALE_BIN]
set -euo pipefail
BIN=${1:-.build/release/upscale}
OUT=${OUT:-bench/out}
here=$(dirname "$0")
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
mkdir -p "$OUT"
runs=(x4-l1 x4-l1-lpips x4-l1-mshf x4-l1-mshf-paper)
train_missing "$BIN" "${runs[@]}"
# shellcheck disable=SC2046
"$BIN" eval --hr data/val --scale 4 $(for r in "${runs[@]}"; do printf -- '--model models/ablation-%s.safetensors ' "$r"; done) \
  --threads 2 --json > "$OUT/eval-ablation.json"
python3 "$here/table.py" "$OUT/eval-ablation.json" "x4, 1000 steps, batch 8 x 32" ablation-x4-l1=L1 \
  "ablation-x4-l1-lpips=L1 + 0.1 LPIPS" "ablation-x4-l1-mshf=L1 + 0.1 MSHF, earlier form (1 + E/max E)" \
  "ablation-x4-l1-mshf-paper=L1 + 0.1 MSHF, the paper's (E/max E, renormalised)"
