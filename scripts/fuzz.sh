#!/usr/bin/env bash
# Runs every libFuzzer target of upscale-fuzz (built by `make fuzz-build`) and prints a table:
# target, executions, seconds, result. FUZZ_RUNS=N runs N executions per target (`make fuzz`:
# 1000000); FUZZ_SECONDS=S runs S seconds per target instead (`make fuzz-smoke`, part of `make
# test`); FUZZ_TARGETS="toml image" runs only those. Seeds come from the repository (presets, training configs, the built-in safetensors,
# images) and the fetched ncnn models; the corpora grow in .build/fuzz/corpus/. Regression
# inputs in fixtures/fuzz/TARGET/ are replayed first. A crash leaves its input in
# .build/fuzz/artifacts/ (copy it to fixtures/fuzz/TARGET/ once fixed) and fails the run.
# Usage: scripts/fuzz.sh path/to/upscale-fuzz
set -uo pipefail
bin=${1:?usage: scripts/fuzz.sh path/to/upscale-fuzz}
root=$(cd "$(dirname "$0")/.." && pwd)
models=${UPSCALE_MODELS:-$HOME/.cache/upscale/models}
work=$root/.build/fuzz
mkdir -p "$work/artifacts"
limit=(-runs="${FUZZ_RUNS:-1000000}")
[ -n "${FUZZ_SECONDS:-}" ] && limit=(-max_total_time="$FUZZ_SECONDS")
seed() {  # seed TARGET FILES...: copy seeds into the target's corpus once
  local t=$1; shift
  mkdir -p "$work/corpus/$t"
  for f in "$@"; do [ -f "$f" ] && cp -n "$f" "$work/corpus/$t/" 2>/dev/null; done
}
seed toml "$root"/presets/*.toml
seed training-config "$root"/presets/training/*.toml
seed safetensors "$root"/Sources/CBuiltinModels/models/upscale-fast-x2.safetensors
seed ncnn-param "$models"/realesr-animevideov3-x2.param "$models"/waifu2x-upconv7-anime-noise0-x2.param
seed image "$root"/fixtures/photo-96x64.png "$root"/fixtures/metrics/*.png
# ncnn-model: the .param text on one line (';' for newlines), then the .bin bytes.
if [ ! -f "$work/corpus/ncnn-model/seed" ] && [ -f "$models/realesr-animevideov3-x2.param" ]; then
  mkdir -p "$work/corpus/ncnn-model"
  { tr '\n' ';' < "$models/realesr-animevideov3-x2.param"; echo; head -c 4096 "$models/realesr-animevideov3-x2.bin"; } \
    > "$work/corpus/ncnn-model/seed"
fi
mkdir -p "$work/corpus/ncnn-model"
rows=() failed=0
export SWIFT_BACKTRACE=enable=no  # let libFuzzer, not Swift's backtracer, handle a crash and save its input
for t in ${FUZZ_TARGETS:-toml training-config safetensors ncnn-param ncnn-model image}; do
  regress=("$root"/fixtures/fuzz/"$t"/*)
  if [ -e "${regress[0]}" ] && ! "$bin" "$t" "${regress[@]}" > "$work/$t.log" 2>&1; then
    rows+=("| $t | regression inputs | - | CRASH (fixtures/fuzz/$t) |"); failed=1; continue
  fi
  start=$(date +%s.%N)
  "$bin" "$t" "${limit[@]}" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$t-" "$work/corpus/$t" > "$work/$t.log" 2>&1
  status=$?
  secs=$(python3 -c "import time; print(f'{time.time() - $start:.0f}')")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -1)
  if [ "$status" = 0 ]; then rows+=("| $t | ${runs:-?} | $secs | no crash |")
  else rows+=("| $t | ${runs:-?} | $secs | CRASH: $(grep -m1 -E 'ERROR|Fatal|Crash' "$work/$t.log" | head -c 120) |"); failed=1; fi
done
if [ -n "${FUZZ_SECONDS:-}" ]; then per="$FUZZ_SECONDS s"; else per="${FUZZ_RUNS:-1000000} executions"; fi
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $per per target"
echo "| target | executions | seconds | result |"
echo "|---|---|---|---|"
printf '%s\n' "${rows[@]}"
exit "$failed"
