#!/usr/bin/env bash
# Issue 18: upscale on a real (one-node) Slurm cluster. Starts it (scripts/slurm-cluster.sh up),
# then checks, each against the same run on one machine:
#   1. a video with audio in 3 shards (upscale slurm --wait): the same file, byte for byte
#   2. a 3-file batch (two videos, one image) in 3 shards: the same outputs
#   3. requeue-and-resume: a task requeued (scontrol requeue) after its first segment finished
#      runs again, resumes at its second segment, and the merged file is still the same
#   4. a task that fails with a processing error (exit 2, a simulated full disk) is requeued by
#      its script and resumes; the merged file is still the same
#   5. a failing shard (a damaged file): --wait exits 2 and `upscale slurm status` shows it failed
# and stops the daemons it started. Prints a pass/fail table; exit 1 when a check failed.
# Needs root (the daemons). Usage: tests/slurm-test.sh [path/to/upscale]
set -uo pipefail
bin=$(realpath "${1:-.build/release/upscale}")
root=$(cd "$(dirname "$0")/.." && pwd)
clip=$root/fixtures/clips/gop10.mp4 clip2=$root/fixtures/clips/h264-aac.mp4 photo=$root/fixtures/photo-96x64.png
"$root"/scripts/slurm-cluster.sh up || exit 1
eval "$("$root"/scripts/slurm-cluster.sh env)"
work=$(mktemp -d /tmp/upscale-slurm.XXXXXX)
trap '"$root"/scripts/slurm-cluster.sh down; rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0 fail=0 rows=()
check() {  # check NAME OK(0/1) DETAIL
  if [ "$2" = 0 ]; then rows+=("| $1 | pass | $3 |"); pass=$((pass + 1)); else rows+=("| $1 | FAIL | $3 |"); fail=$((fail + 1)); fi
}
same() { cmp -s "$1" "$2"; }
# unfinished JOB: true while JOB is pending, running or completing, and while scontrol gives no
# answer at all (a busy controller), so that one failed query does not end a wait early.
unfinished() {
  local info
  info=$(scontrol show job "$1" -o 2>/dev/null) || return 0
  [ -z "$info" ] || grep -qE 'JobState=(PENDING|RUNNING|COMPLETING)' <<< "$info"
}
flags=(--model lanczos --segment-seconds 0.4)

# 1. A video with audio in 3 shards.
"$bin" "$clip" -o ref.mp4 "${flags[@]}" -q
start=$(date +%s.%N)
"$bin" slurm "$clip" -o s.mp4 "${flags[@]}" --shards 3 --cpus-per-task 1 --wait > ids.txt 2> err.txt; status=$?
secs=$(python3 -c "import time; print(f'{time.time() - $start:.1f}')")
same s.mp4 ref.mp4; check "video, 3 shards, --wait" $(( status + $? )) "exit $status, ${secs} s, $(ffprobe -v error -show_entries stream=codec_type -of csv=p=0 s.mp4 | tr '\n' ' ')identical to one machine"
[ ! -e .s.mp4.upscale-shards ]; check "work folder removed after the merge" $? ""

# 2. A 3-file batch.
mkdir -p in && cp "$clip" in/a.mp4 && cp "$clip2" in/b.mp4 && cp "$photo" in/c.png
"$bin" batch in/a.mp4 in/b.mp4 in/c.png -o ref-batch/ "${flags[@]}" -q
"$bin" slurm in/a.mp4 in/b.mp4 in/c.png -o batch/ "${flags[@]}" --cpus-per-task 1 --wait > /dev/null 2> err.txt; status=$?
ok=$status; for f in a_x2.mp4 b_x2.mp4 c_x2.png; do same "batch/$f" "ref-batch/$f" || ok=1; done
check "batch of 3 files, 3 shards" "$ok" "exit $status, outputs identical to one machine"

# 3. Requeue and resume. Shard 1 holds segments 1 and 2; its task waits (a test hook) once
# segment 1 is recorded, and is requeued there, as a preempted task would be.
"$bin" "$clip" -o ref-r.mp4 "${flags[@]}" -q
read -r array merge < <(UPSCALE_TEST_FAULT=pause:done:1 "$bin" slurm "$clip" -o r.mp4 "${flags[@]}" --shards 3 --cpus-per-task 1 2> err.txt)
folder=$work/.r.mp4.upscale-shards
for _ in $(seq 600); do [ -e "$folder/records/seg-00001.json" ] && break; sleep 0.05; done
scontrol requeue "${array}_1" 2>> err.txt; requeued=$?
# Slurm keeps a requeued job pending for two minutes (BeginTime); let it run as soon as it is pending.
for _ in $(seq 100); do
  scontrol show job "${array}_1" -o 2>/dev/null | grep -q 'JobState=PENDING' && { scontrol update JobId="${array}_1" StartTime=now; break; }
  sleep 0.1
done
resumed=1 t0=$(date +%s)
for _ in $(seq 1200); do
  grep -q "resuming shard 1: 1 of 2 segments already done" "$folder/logs/shard-1.log" 2>/dev/null && resumed=0
  unfinished "$merge" || break
  sleep 0.25
done
restarts=$(scontrol show job "${array}_1" -o 2>/dev/null | grep -o 'Restarts=[0-9]*')
same r.mp4 ref-r.mp4; identical=$?
check "requeued task resumes, output identical" $(( requeued + identical + resumed )) \
  "scontrol requeue ${array}_1: $restarts, resumed at segment 2, $(( $(date +%s) - t0 )) s after the requeue"

# 4. A processing failure (exit 2: here a full disk, simulated, right after segment 1 is recorded)
# is requeued by the task's script and the rerun resumes past it.
"$bin" "$clip" -o ref-f.mp4 "${flags[@]}" -q
read -r array merge < <(UPSCALE_TEST_FAULT=enospc:done:1 "$bin" slurm "$clip" -o f.mp4 "${flags[@]}" --shards 3 --cpus-per-task 1 2> err.txt)
t0=$(date +%s)
for _ in $(seq 1200); do
  scontrol show job "${array}_1" -o 2>/dev/null | grep -q 'JobState=PENDING.*Restarts=1\|Restarts=1.*JobState=PENDING' \
    && scontrol update JobId="${array}_1" StartTime=now 2>/dev/null
  unfinished "$merge" || break
  sleep 0.25
done
restarts=$(scontrol show job "${array}_1" -o 2>/dev/null | grep -o 'Restarts=[0-9]*')
same f.mp4 ref-f.mp4; check "exit 2 is requeued by the script, output identical" $? "$restarts, $(( $(date +%s) - t0 )) s"

# 5. A shard that fails (a damaged file in a batch): the merge is cancelled, --wait exits 2.
head -c 5000 /dev/urandom > bad.mp4
"$bin" slurm in/c.png bad.mp4 -o failed/ "${flags[@]}" --cpus-per-task 1 --wait > /dev/null 2> err.txt; status=$?
"$bin" slurm status failed/.upscale-shards > status.txt 2>&1
[ "$status" = 2 ] && grep -q "without a complete output" err.txt && grep -q "1 done, 0 running, 1 failed" status.txt
check "a failing shard: --wait exits 2, status shows it" $? "exit $status; $(tail -1 status.txt)"

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; Slurm $(sinfo -V 2>/dev/null | cut -d' ' -f2)"
echo "| check | result | detail |"
echo "|---|---|---|"
printf '%s\n' "${rows[@]}"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
