#!/usr/bin/env bash
# Issue 22: replays the adversarial cases (a hostile or careless user) against the built binary and
# prints a pass/fail table. Each case checks the exit status, that stderr is one line naming the
# problem, and that nothing was lost (inputs unchanged, no partial files, no other output replaced).
# Cases that need root-only mounts (disk full on a 2 MB tmpfs) run only as root and are skipped
# otherwise. Usage: tests/adversarial.sh [path/to/upscale]   (default .build/release/upscale)
set -uo pipefail
bin=$(realpath "${1:-.build/release/upscale}")
root=$(cd "$(dirname "$0")/.." && pwd)
clips=$root/fixtures/clips photo=$root/fixtures/photo-96x64.png
work=$(mktemp -d)
trap 'umount "$work/full" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0 fail=0 rows=()
# check NAME STATUS WANT_STATUS NEEDLE [EXTRA_OK [MAX_LINES]]: one row of the table. A failure must
# be one line (signals: the notice that the run stops, then the result: two).
check() {
  local name=$1 status=$2 want=$3 needle=$4 ok=${5:-0} most=${6:-1} lines
  lines=$(grep -c . err.txt 2>/dev/null || true)
  if [ "$status" = "$want" ] && { [ -z "$needle" ] || grep -qF -- "$needle" err.txt; } && [ "$ok" = 0 ] \
     && { [ "$want" = 0 ] || [ "$lines" -le "$most" ]; }; then
    rows+=("| $name | pass | exit $status |"); pass=$((pass + 1))
  else
    rows+=("| $name | FAIL | exit $status (want $want), $lines lines: $(head -c 160 err.txt | tr '\n' ' ') |"); fail=$((fail + 1))
  fi
}
up() { "$bin" "$@" 2> err.txt > out.txt; }
partials() { find "$work" -name '*.partial-*' | grep -c . || true; }

# 1. Malformed TOML: one line, no abort.
printf '[.]\n' > bad.toml
up presets show bad.toml; check "1 malformed TOML [.] (presets show)" $? 1 "bad.toml"
printf '[[[\n' > bad2.toml
up "$clips/h264-aac.mp4" -o o1.mp4 --preset bad2.toml; check "1 malformed TOML [[[ (--preset)" $? 1 "bad2.toml"
# 2. An output appearing mid-run is kept without -y.
"$bin" "$clips/h264-aac.mp4" -o o2.mp4 --model bicubic --scale 4 --threads 1 --encoder-preset veryslow --no-resume \
  --progress none 2> err.txt & pid=$!
for _ in $(seq 500); do ls -a | grep -q partial && break; sleep 0.01; done
echo "someone else's" > o2.mp4; wait $pid; status=$?
[ "$(cat o2.mp4)" = "someone else's" ] && ls | grep -q '^o2.upscale-' ; bad=$?
check "2 output appearing mid-run kept" $status 1 "appeared while upscaling" $bad
# 3. Batch never upscales its own outputs.
mkdir -p b && cp "$photo" b/p.png
up batch b --model bicubic -q; up batch b --model bicubic -q; status=$?
[ "$(ls b | wc -l)" = 2 ]; check "3 batch re-run skips its own outputs" $status 0 "" $?
# 4. Two frames with one output name are refused.
mkdir -p f4 && cp "$photo" f4/x.png && cp "$photo" f4/x.jpg 2>/dev/null
"$bin" image "$photo" -o f4/x.jpg -y -q
up frames f4 -o f4-out --format png --model bicubic; check "4 frames x.png + x.jpg -> one name refused" $? 1 "would both be written"
# 5. A damaged mp4 (its AAC priming packet) to mkv passes the audit, as it does to mp4.
up "$clips/damaged-audio.mp4" -o o5.mkv --model lanczos -q; status=$?
[ -s o5.mkv ]; check "5 damaged mp4 -> mkv kept (audit)" $status 0 "" $?
# 6. A frame folder never mixes two videos.
up "$clips/h264-aac.mp4" -o d6/ --model lanczos -q; up "$clips/vfr.mkv" -o d6/ --model lanczos
status=$?; [ "$(ls d6 | wc -l)" = 50 ]; check "6 frame folder refuses a second video" $status 1 "holds the frames of" $?
# 7. kill -9 leaves a partial that the next run removes; SIGHUP cleans up.
"$bin" "$clips/h264-aac.mp4" -o o7.mp4 --model bicubic --scale 4 --threads 1 --encoder-preset veryslow --no-resume \
  --progress none 2>/dev/null & pid=$!
for _ in $(seq 500); do ls -a | grep -q partial && break; sleep 0.01; done
kill -9 $pid; wait $pid 2>/dev/null
up "$clips/h264-aac.mp4" -o o7.mp4 --model lanczos --no-resume -q; status=$?
check "7 stale partial of a killed run removed" $status 0 "" "$(partials)"
"$bin" "$clips/h264-aac.mp4" -o o7b.mp4 --model bicubic --scale 4 --threads 1 --encoder-preset veryslow --no-resume \
  --progress none 2> err.txt & pid=$!
for _ in $(seq 500); do ls -a | grep -q partial && break; sleep 0.01; done
kill -HUP $pid; wait $pid; status=$?
[ ! -e o7b.mp4 ]; check "7 SIGHUP mid-run: exit 130, nothing left" $status 130 "interrupted" "$(( $? + $(partials) ))" 2
# 8. Messages.
up "$clips/h264-aac.mp4" -o o8.mp4 --crf -5; check "8 --crf -5 is one line" $? 1 "--crf"
up "$clips/h264-aac.mp4" -o o8.webm --codec libx264 --model lanczos; check "8 .webm with x264 names a webm encoder" $? 1 "webm"
mkdir -p d8; up image "$photo" -o d8 -y; check "8 image -o EXISTING_DIR -y" $? 1 "d8"
up image "$photo" -o o8.png --model "$(head -c 120000 /dev/zero | tr '\0' a)"; status=$?
[ "$(wc -c < err.txt)" -lt 1000 ]; check "8 120 kB model name (the argument limit): a short line" $status 1 "" $?
printf 'model = "%s"\n' "$(head -c 10000000 /dev/zero | tr '\0' a)" > long.toml
up image "$photo" -o o8.png --preset long.toml; status=$?
[ "$(wc -c < err.txt)" -lt 1000 ]; check "8 10 MB model name in a preset: a short line" $status 1 "" $?
printf '\x00\x00\x00\x00\x00\x00\x00\x80{}' > big.safetensors
up image "$photo" -o o8b.png --model big.safetensors; check "8 2^63 safetensors header length" $? 1 "9223372036854775808"
head -c $(( $(stat -c %s "$photo") - 12 )) "$photo" > noiend.png
up image noiend.png -o o8c.png; check "8 PNG without IEND refused (one rule)" $? 1 "IEND"
head -c $(( $(stat -c %s "$photo") - 1 )) "$photo" > onebyte.png
up image onebyte.png -o o8d.png; check "8 PNG one byte short refused (one rule)" $? 1 "IEND"
# Cases that already passed when the issue was filed.
up "$clips/truncated.mkv" -o t.mkv --model lanczos -q; check "truncated mkv processed as far as it decodes" $? 0 ""
up "$clips/corrupt.ts" -o c.mkv --model lanczos -q; check "corrupt ts concealed" $? 0 ""
: > empty.mp4; up empty.mp4 -o e.mp4; check "empty video file" $? 1 "empty.mp4"
up missing.mp4 -o m.mp4; check "missing input" $? 1 "missing.mp4"
python3 - <<'PY'
import struct, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
open("huge.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
PY
up image huge.png -o h.png; check "PNG header claiming 100000x100000" $? 1 "huge.png"
mkdir -p ro && chmod 555 ro
if [ "$(id -u)" != 0 ]; then up image "$photo" -o ro/x.png; check "read-only output folder" $? 1 "ro/x.png"
else rows+=("| read-only output folder | skipped | root ignores permissions |"); fi
for sig in INT TERM; do
  "$bin" "$clips/h264-aac.mp4" -o s$sig.mp4 --model bicubic --scale 4 --threads 1 --encoder-preset veryslow --no-resume \
    --progress none 2> err.txt & pid=$!
  for _ in $(seq 500); do ls -a | grep -q partial && break; sleep 0.01; done
  kill -$sig $pid; wait $pid; status=$?
  [ ! -e s$sig.mp4 ]; check "SIG$sig mid-run: exit 130, nothing left" $status 130 "interrupted" "$(( $? + $(partials) ))" 2
done
if [ "$(id -u)" = 0 ] && mkdir -p full && mount -t tmpfs -o size=2m tmpfs full 2>/dev/null; then
  up "$clips/h264-aac.mp4" -o full/x.mkv --model bicubic --scale 4 --crf 0 --no-resume --progress none
  status=$?; [ ! -e full/x.mkv ] && [ "$(partials)" = 0 ]; check "disk full on a 2 MB tmpfs" $status 2 "full/x.mkv" $?
else rows+=("| disk full on a 2 MB tmpfs | skipped | needs root and tmpfs mounts |"); fi
echo "| case | result | detail |"
echo "|---|---|---|"
printf '%s\n' "${rows[@]}"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
