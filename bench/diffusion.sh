#!/usr/bin/env bash
# The README's diffusion table (seeds 001 and 000): the built-in upscale-sr3-x4 (2 DDIM steps) and
# its stage 1 (upscale-sr3-x4-base.toml, trained here unless models/ has it) sampled with 2, 4 and 8
# steps against bicubic and the other built-in x4 models on data/val (clean bicubic LR; PSNR-Y,
# SSIM-Y, LPIPS-Alex from `upscale eval --json`), ms per 320x180 -> 1280x720 frame
# (`upscale bench`, 2 threads; also at 16 steps), and the MSHF ablation: the same training
# without MSHF (presets/training/ablation/x4-sr3-no-mshf.toml), and the base ablation: over
# upscale-real-x4 instead of upscale-fast-x4 (x4-sr3-real-base.toml, 2 steps), and the LPIPS
# ablations: an LPIPS term on the x0 estimate added to the built-in and to the real-x4 run
# (x4-sr3-lpips.toml, x4-sr3-real-base-lpips.toml: 600-step fine-tunes), and the sampler-loss
# ablation: the built-in fine-tuned with its terms on the 2-step sample (x4-sr3-sample.toml, 400
# steps); all trained here
# unless their models exist (about 50 min each on 2 cores, 7 min each for the fine-tunes). KEEP=1 reuses result files already in $OUT. Needs `make data` and `make models`
# (LPIPS). About 40 min on 2 cores once the ablation models exist.
# Usage: bench/diffusion.sh [UPSCALE_BIN]
set -euo pipefail
BIN=${1:-.build/release/upscale}
OUT=${OUT:-bench/out}
here=$(dirname "$0")
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
mkdir -p "$OUT"
train_missing "$BIN" presets/training/upscale-sr3-x4-base.toml x4-sr3-no-mshf x4-sr3-real-base x4-sr3-lpips x4-sr3-real-base-lpips x4-sr3-sample
ablation=models/ablation-x4-sr3-no-mshf.safetensors
run() {  # run FILE COMMAND...: COMMAND's stdout into $OUT/FILE (kept with KEEP=1)
  local f="$OUT/$1"; shift
  if [ "${KEEP:-0}" = 1 ] && [ -s "$f" ]; then return; fi
  "$@" > "$f"
}
run eval-x4-regression.json "$BIN" eval --hr data/val --scale 4 --model upscale-real-x4 --model upscale-fast-x4 \
  --model upscale-gan-x4 --threads 2 --json
for s in 2 4 8; do
  run "eval-sr3-ablation-$s.json" "$BIN" eval --hr data/val --scale 4 --model "$ablation" --steps "$s" --threads 2 --json
  run "eval-sr3-base-$s.json" "$BIN" eval --hr data/val --scale 4 --model models/upscale-sr3-x4-base.safetensors --steps "$s" \
    --threads 2 --json
done
run eval-sr3-2.json "$BIN" eval --hr data/val --scale 4 --model upscale-sr3-x4 --steps 2 --threads 2 --json
for a in real-base lpips real-base-lpips sample; do
  run "eval-sr3-$a-2.json" "$BIN" eval --hr data/val --scale 4 --model "models/ablation-x4-sr3-$a.safetensors" \
    --steps 2 --threads 2 --json
done
for s in 2 4 8 16; do
  run "bench-sr3-$s.json" "$BIN" bench --model upscale-sr3-x4 --size 320x180 --threads 2 --runs 1 --warmup 0 --steps "$s" --json
done
for m in upscale-real-x4 upscale-fast-x4 upscale-gan-x4; do
  run "bench-$m.json" "$BIN" bench --model "$m" --size 320x180 --threads 2 --runs 3 --json
done
python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
def mean(f): return {r["method"]: r for r in json.load(open(f"{out}/{f}")) if r["file"] == "mean"}
def ms(f):
    b = json.load(open(f"{out}/{f}")); b = b[0] if isinstance(b, list) else b
    return f"{b.get('median_ms', b.get('medianMs', 0)):.0f}"
reg = mean("eval-x4-regression.json"); bic = reg["bicubic"]
table = [("bicubic", bic, "-", "-")]
for m in ("upscale-real-x4", "upscale-fast-x4", "upscale-gan-x4"): table.append((m, reg[m], "-", ms(f"bench-{m}.json")))
table.append(("upscale-sr3-x4 (built-in, 3 stages)", mean("eval-sr3-2.json")["upscale-sr3-x4"], "2", ms("bench-sr3-2.json")))
for s in (2, 4, 8):  # ms: the same U-Net as the built-in
    table.append((f"stage 1: upscale-sr3-x4-base (MSHF on x0), {s} steps", mean(f"eval-sr3-base-{s}.json")["upscale-sr3-x4-base"], str(s),
                  ms(f"bench-sr3-{s}.json")))
for s in (2, 4, 8):
    table.append((f"ablation: trained without MSHF, {s} steps", mean(f"eval-sr3-ablation-{s}.json")["ablation-x4-sr3-no-mshf"], str(s), "-"))
for a, name in (("real-base", "over upscale-real-x4"), ("lpips", "stage 1 + LPIPS 30 on x0, 600 steps"),
                ("real-base-lpips", "over upscale-real-x4 + LPIPS 100 on x0, 600 steps"),
                ("sample", "stage 2: stage 1 + L1 20, LPIPS 5 on the 2-step sample, 400 steps")):
    table.append((f"ablation: {name}, 2 steps", mean(f"eval-sr3-{a}-2.json")[f"ablation-x4-sr3-{a}"], "2", "-"))
print("| x4, data/val, clean bicubic LR | PSNR-Y dB | vs bicubic | SSIM-Y | LPIPS-Alex | vs bicubic | steps | ms per 320x180 frame |")
print("|---|---|---|---|---|---|---|---|")
for name, r, steps, t in table:
    print(f"| {name} | {r['psnrY']:.2f} | {r['psnrY'] - bic['psnrY']:+.2f} | {r['ssimY']:.4f} | {r['lpips']:.4f} "
          f"| {r['lpips'] / bic['lpips']:.2f}x | {steps} | {t} |")
print(f"\nupscale-sr3-x4 with 16 steps: {ms('bench-sr3-16.json')} ms per 320x180 frame")
PY
