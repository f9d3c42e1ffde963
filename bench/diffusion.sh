#!/usr/bin/env bash
# The README's diffusion table (seeds 001 and 000): upscale-sr3-x4 sampled with 4 and 8 (default)
# DDIM steps (time per frame also at 16) against bicubic and the other built-in x4 models on
# data/val (clean bicubic LR; PSNR-Y, SSIM-Y, LPIPS-Alex from `upscale eval --json`), seconds per 320x180 -> 1280x720
# frame (`upscale bench`, 2 threads), and the MSHF ablation: the same training without MSHF
# (presets/training/ablation/x4-sr3-no-mshf.toml, trained here unless its model exists).
# Needs `make data` and `make models` (LPIPS). About 40 min on 2 cores with the ablation trained.
# Usage: bench/diffusion.sh [UPSCALE_BIN]
set -euo pipefail
BIN=${1:-.build/release/upscale}
OUT=${OUT:-bench/out}
mkdir -p "$OUT" models
ablation=models/ablation-x4-sr3-no-mshf.safetensors
if [ ! -f "$ablation" ]; then
  start=$(date +%s)
  "$BIN" train presets/training/ablation/x4-sr3-no-mshf.toml --log-every 250 >&2
  echo "x4-sr3-no-mshf: trained in $(( $(date +%s) - start )) s" >&2
fi
"$BIN" eval --hr data/val --scale 4 --model upscale-real-x4 --model upscale-fast-x4 --model upscale-gan-x4 \
  --model upscale-sr3-x4 --model "$ablation" --threads 2 --json > "$OUT/eval-sr3-8.json"
for s in 4; do
  "$BIN" eval --hr data/val --scale 4 --model upscale-sr3-x4 --steps "$s" --threads 2 --json > "$OUT/eval-sr3-$s.json"
done
for s in 4 8 16; do
  "$BIN" bench --model upscale-sr3-x4 --size 320x180 --threads 2 --runs 1 --warmup 0 --steps "$s" --json > "$OUT/bench-sr3-$s.json"
done
for m in upscale-real-x4 upscale-fast-x4 upscale-gan-x4; do
  "$BIN" bench --model "$m" --size 320x180 --threads 2 --runs 3 --json > "$OUT/bench-$m.json"
done
python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
def mean(f): return {r["method"]: r for r in json.load(open(f"{out}/{f}")) if r["file"] == "mean"}
def ms(f):
    p = f"{out}/{f}"
    if not os.path.exists(p): return "-"
    b = json.load(open(p)); b = b[0] if isinstance(b, list) else b
    return f"{b.get('median_ms', b.get('medianMs', 0)):.0f}"
rows8 = mean("eval-sr3-8.json"); bic = rows8["bicubic"]
table = [("bicubic", bic, "-", "-")]
for m in ("upscale-real-x4", "upscale-fast-x4", "upscale-gan-x4"): table.append((m, rows8[m], "-", ms(f"bench-{m}.json")))
for s in (4, 8):
    r = rows8["upscale-sr3-x4"] if s == 8 else mean(f"eval-sr3-{s}.json")["upscale-sr3-x4"]
    table.append((f"upscale-sr3-x4, {s} steps" + (" (default)" if s == 8 else ""), r, str(s), ms(f"bench-sr3-{s}.json")))
table.append(("SR3 without MSHF (ablation), 8 steps", rows8["ablation-x4-sr3-no-mshf"], "8", "-"))
print("| x4, data/val, clean bicubic LR | PSNR-Y dB | vs bicubic | SSIM-Y | LPIPS-Alex | vs bicubic | steps | ms per 320x180 frame |")
print("|---|---|---|---|---|---|---|---|")
for name, r, steps, t in table:
    print(f"| {name} | {r['psnrY']:.2f} | {r['psnrY'] - bic['psnrY']:+.2f} | {r['ssimY']:.4f} | {r['lpips']:.4f} "
          f"| {r['lpips'] / bic['lpips']:.2f}x | {steps} | {t} |")
print(f"\nupscale-sr3-x4 with 16 steps: {ms('bench-sr3-16.json')} ms per 320x180 frame")
PY
