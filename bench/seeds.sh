#!/usr/bin/env bash
# Every table of docs/seeds.md, one script: the MSHF ablation on a regression network (seed 000,
# bench/ablation.sh), the diffusion model and its MSHF ablation (seeds 001 and 000,
# bench/diffusion.sh), CS / FCS against an L1 baseline on one backbone (seed 002, bench/fcs.sh),
# bicubic / SRResNet / SRGAN at x2 and x4 with the TV ablation (seed 003, bench/srgan.sh) and the
# fusion model with its ablations (seed 004, bench/fusion.sh), each from `upscale eval --json` on
# data/val. Ablation models that are not in models/ are trained first (about 4 h on 2 cores for
# all of them; a cut run continues from its checkpoint).
# Usage: bench/seeds.sh [UPSCALE_BIN]
set -euo pipefail
BIN=${1:-.build/release/upscale}
here=$(dirname "$0")
echo "## 000: MSHF on a regression network"; bash "$here/ablation.sh" "$BIN"
echo; echo "## 001 + 000: SR3 diffusion, with and without MSHF"; bash "$here/diffusion.sh" "$BIN"
echo; echo "## 002: CS and FCS against an L1 baseline"; bash "$here/fcs.sh" "$BIN"
echo; echo "## 003: SRGAN"; bash "$here/srgan.sh" "$BIN"
echo; echo "## 004: fusion"; bash "$here/fusion.sh" "$BIN"
