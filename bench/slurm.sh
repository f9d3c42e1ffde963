#!/usr/bin/env bash
# Issue 18: wall time of the same clip on the local one-node Slurm cluster with 1, 2 and 3 shards
# running at once (3 shards, --max-parallel M, cores per task = cores / M, at least 1), next to
# one plain run on this machine. On a 2-core machine expect about 1x: the point of the local
# cluster is correctness and the contract; a real cluster gives each task its own node.
# Usage: bench/slurm.sh [path/to/upscale]   (as root: it starts and stops the cluster)
set -uo pipefail
bin=$(realpath "${1:-.build/release/upscale}")
root=$(cd "$(dirname "$0")/.." && pwd)
# Default clip: fixtures/clips/gop10.mp4 (160x90, 2 s, closed GOPs of 10 frames, AAC) looped LOOPS times.
loops=${LOOPS:-10}
flags=(--segment-seconds 2 -q ${FLAGS:---model realesr-animevideov3 --scale 4})
"$root"/scripts/slurm-cluster.sh up > /dev/null || exit 1
eval "$("$root"/scripts/slurm-cluster.sh env)"
work=$(mktemp -d /tmp/upscale-bench-slurm.XXXXXX)
trap '"$root"/scripts/slurm-cluster.sh down > /dev/null; rm -rf "$work"' EXIT
cd "$work" || exit 1
clip=${CLIP:-}
if [ -z "$clip" ]; then
  clip=$work/clip.mp4
  ffmpeg -v error -stream_loop $((loops - 1)) -i "$root/fixtures/clips/gop10.mp4" -c copy "$clip" || exit 1
fi
now() { date +%s.%N; }
cores=$(nproc)
t0=$(now); "$bin" "$clip" -o one.mp4 "${flags[@]}"; t1=$(now)
single=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $cores cores; $(basename "$clip") ($(ffprobe -v error -count_packets -select_streams v -show_entries stream=nb_read_packets -of csv=p=0 "$clip") frames), ${flags[*]}, 3 shards; $(sinfo -V)"
echo "| run | at once | cores/task | wall s | vs one machine | same file |"
echo "|---|---|---|---|---|---|"
echo "| one machine, no Slurm | - | $cores | $single | 1.00x | - |"
for m in 1 2 3; do
  c=$(( cores / m )); [ "$c" -lt 1 ] && c=1
  t0=$(now)
  "$bin" slurm "$clip" -o "s$m.mp4" "${flags[@]}" --shards 3 --max-parallel "$m" --cpus-per-task "$c" --wait > /dev/null 2> err.txt
  status=$?; t1=$(now)
  wall=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
  ratio=$(python3 -c "print(f'{$single / ($t1 - $t0):.2f}x')")
  same=$(cmp -s "s$m.mp4" one.mp4 && echo yes || echo "no (exit $status)")
  echo "| Slurm, 3 shards | $m | $c | $wall | $ratio | $same |"
done
