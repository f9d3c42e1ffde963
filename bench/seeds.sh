#!/usr/bin/env bash
# Every table of docs/seeds.md, one script: the MSHF ablation on a regression network (seed 000,
# bench/ablation.sh), the diffusion model and its MSHF ablation (seeds 001 and 000,
# bench/diffusion.sh) and the fusion model with its topology ablation (seed 004,
# bench/fusion.sh), each from `upscale eval --json` on data/val at x4. Ablation models that are
# not in models/ are trained first (about 1.5 h on 2 cores for all of them).
# Usage: bench/seeds.sh [UPSCALE_BIN]
set -euo pipefail
BIN=${1:-.build/release/upscale}
here=$(dirname "$0")
echo "## 000: MSHF on a regression network"; bash "$here/ablation.sh" "$BIN"
echo; echo "## 001 + 000: SR3 diffusion, with and without MSHF"; bash "$here/diffusion.sh" "$BIN"
echo; echo "## 004: fusion"; bash "$here/fusion.sh" "$BIN"
