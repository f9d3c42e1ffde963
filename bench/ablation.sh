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
mkdir -p "$OUT" models
runs=(x4-l1 x4-l1-lpips x4-l1-mshf x4-l1-mshf-paper)
for r in "${runs[@]}"; do
  m=models/ablation-$r.safetensors
  if [ ! -f "$m" ]; then
    start=$(date +%s)
    "$BIN" train "presets/training/ablation/$r.toml" --log-every 250 >&2
    echo "$r: trained in $(( $(date +%s) - start )) s" >&2
  fi
done
# shellcheck disable=SC2046
"$BIN" eval --hr data/val --scale 4 $(for r in "${runs[@]}"; do printf -- '--model models/ablation-%s.safetensors ' "$r"; done) \
  --threads 2 --json > "$OUT/eval-ablation.json"
python3 - "$OUT/eval-ablation.json" <<'PY'
import json, sys
rows = [r for r in json.load(open(sys.argv[1])) if r["file"] == "mean"]
bic = next(r for r in rows if r["method"] == "bicubic")
print("| x4, 1000 steps, batch 8 x 32 | PSNR-Y dB | vs bicubic | SSIM-Y | LPIPS-Alex | vs bicubic |")
print("|---|---|---|---|---|---|")
for r in rows:
    name = {"ablation-x4-l1": "L1", "ablation-x4-l1-lpips": "L1 + 0.1 LPIPS",
            "ablation-x4-l1-mshf": "L1 + 0.1 MSHF, earlier form (1 + E/max E)",
            "ablation-x4-l1-mshf-paper": "L1 + 0.1 MSHF, the paper's (E/max E, renormalised)"}.get(r["method"], r["method"])
    print(f"| {name} | {r['psnrY']:.2f} | {r['psnrY'] - bic['psnrY']:+.2f} | {r['ssimY']:.4f} | {r['lpips']:.4f} | {r['lpips'] / bic['lpips']:.2f}x |")
PY
