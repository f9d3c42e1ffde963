#!/usr/bin/env bash
# The README's "Models" tables: PSNR-Y, SSIM-Y and LPIPS-Alex on the validation photos (upscale
# eval; LR by MATLAB-style bicubic, clean and then degraded with each of $DEGRADE, the bicubic row
# on the same LR) and ms per frame with 2 threads (upscale bench, median of 3) at the size whose
# output is 1280x720: 640x360 for x2, 320x180 for x4. Needs `make data` and `make models`.
# Usage: bench/models.sh [UPSCALE_BIN]
#   DEGRADE="h264:crf=26 mpeg2:q=8"   degraded tables (one per spec; "" for clean only)
#   X2="..." X4="..."                  the models of each scale (names as for --model)
set -euo pipefail
BIN=${1:-.build/release/upscale}
OUT=${OUT:-bench/out}
DEGRADE=${DEGRADE-h264:crf=26}
mkdir -p "$OUT"
read -r -a x2 <<<"${X2:-lanczos upscale-fast-x2 upscale-real-x2 realesr-animevideov3-x2 waifu2x-upconv7-photo-noise1-x2 waifu2x-upconv7-photo-noise2-x2 waifu2x-upconv7-photo-noise3-x2 waifu2x-cunet-noise2-x2}"
# realesrgan-x4plus (RRDBNet, 16.7 M parameters, about 45 s per 320x180 frame on 2 cores) is left
# out by default: 12 images x 2 tables would take over 40 minutes. X4="... realesrgan-x4plus" adds it.
read -r -a x4 <<<"${X4:-lanczos upscale-fast-x4 upscale-real-x4 upscale-gan-x4 upscale-fcs-x4 realesr-animevideov3-x4}"
args() { for m in "$@"; do printf -- '--model %s ' "$m"; done; }
tag() { [ -z "$1" ] && echo clean || echo "$1" | tr ':=,' '___'; }
for d in "" $DEGRADE; do
  extra=(); [ -n "$d" ] && extra=(--degrade "$d")
  # shellcheck disable=SC2046
  "$BIN" eval --hr data/val --scale 2 $(args "${x2[@]}") "${extra[@]}" --threads 2 --json > "$OUT/eval-x2-$(tag "$d").json"
  # shellcheck disable=SC2046
  "$BIN" eval --hr data/val --scale 4 $(args "${x4[@]}") "${extra[@]}" --threads 2 --json > "$OUT/eval-x4-$(tag "$d").json"
done
for m in "${x2[@]}"; do
  [ "$m" = lanczos ] || "$BIN" bench --model "$m" --size 640x360 --threads 2 --runs 3 --json > "$OUT/bench-$m.json"
done
for m in "${x4[@]}"; do
  [ "$m" = lanczos ] || "$BIN" bench --model "$m" --size 320x180 --threads 2 --runs 3 --json > "$OUT/bench-$m.json"
done
python3 - "$OUT" "" $DEGRADE <<'PY'
import json, sys, os
out, specs = sys.argv[1], sys.argv[2:]
def tag(s): return "clean" if not s else s.replace(":", "_").replace("=", "_").replace(",", "_")
for spec in specs:
    print(f"\n{'clean LR (bicubic downscale)' if not spec else 'LR degraded with ' + spec}\n")
    print("| scale | method | PSNR-Y dB | vs bicubic | SSIM-Y | LPIPS-Alex | vs bicubic | ms per frame to 720p (2 threads) |")
    print("|---|---|---|---|---|---|---|---|")
    for scale in (2, 4):
        rows = [r for r in json.load(open(f"{out}/eval-x{scale}-{tag(spec)}.json")) if r["file"] == "mean"]
        bic = next(r for r in rows if r["method"] == "bicubic")
        for r in rows:
            ms = "-"
            p = f"{out}/bench-{r['method']}.json"
            if os.path.exists(p):
                b = json.load(open(p))
                b = b[0] if isinstance(b, list) else b
                ms = f"{b.get('median_ms', b.get('medianMs', 0)):.0f}"
            print(f"| x{scale} | {r['method']} | {r['psnrY']:.2f} | {r['psnrY'] - bic['psnrY']:+.2f} | {r['ssimY']:.4f} "
                  f"| {r['lpips']:.4f} | {r['lpips'] / bic['lpips']:.2f}x | {ms} |")
PY
