#!/usr/bin/env bash
# The README's "Models" table: PSNR-Y, SSIM-Y and LPIPS-Alex on the validation photos (upscale
# eval, LR by MATLAB-style bicubic) and ms per 320x180 frame on 2 threads (upscale bench, median
# of 3), for x2 and x4. Needs `make data` and `make models`. Usage: bench/models.sh [UPSCALE_BIN]
set -euo pipefail
BIN=${1:-.build/release/upscale}
OUT=${OUT:-bench/out}
mkdir -p "$OUT"
x2=(lanczos upscale-fast-x2 realesr-animevideov3-x2)
x4=(lanczos upscale-fast-x4 upscale-gan-x4 upscale-fcs-x4 realesr-animevideov3-x4 realesrgan-x4plus)
args() { for m in "$@"; do printf -- '--model %s ' "$m"; done; }
# shellcheck disable=SC2046
"$BIN" eval --hr data/val --scale 2 $(args "${x2[@]}") --threads 2 --json > "$OUT/eval-x2.json"
# shellcheck disable=SC2046
"$BIN" eval --hr data/val --scale 4 $(args "${x4[@]}") --threads 2 --json > "$OUT/eval-x4.json"
for m in "${x2[@]}" "${x4[@]}"; do
  [ "$m" = lanczos ] && continue
  "$BIN" bench --model "$m" --size 320x180 --threads 2 --runs 3 --json > "$OUT/bench-$m.json"
done
python3 - "$OUT" <<'PY'
import json, sys, os
out = sys.argv[1]
print("| scale | method | PSNR-Y dB | SSIM-Y | LPIPS-Alex | ms per 320x180 frame (2 threads) |")
print("|---|---|---|---|---|---|")
for scale in (2, 4):
    rows = [r for r in json.load(open(f"{out}/eval-x{scale}.json")) if r["file"] == "mean"]
    for r in rows:
        ms = "-"
        p = f"{out}/bench-{r['method']}.json"
        if os.path.exists(p):
            b = json.load(open(p))
            b = b[0] if isinstance(b, list) else b
            ms = f"{b.get('median_ms', b.get('medianMs', 0)):.0f}"
        print(f"| x{scale} | {r['method']} | {r['psnrY']:.2f} | {r['ssimY']:.4f} | {r['lpips']:.4f} | {ms} |")
PY
