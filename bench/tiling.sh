#!/usr/bin/env bash
# Tiling benchmarks (issue: tiled inference). Prints one table; run on an idle machine.
#   1. Strategy: parallel tiles with 1 BLAS thread each vs one tile at a time with all threads
#      (Winograd convolutions spread over them) vs the whole frame, on realesr-animevideov3-x2
#      at 640x360; and the same with --winograd off (im2col + GEMM only).
#   2. Memory: peak RSS (VmHWM) upscaling a 3840x2160 frame x2 with --tile 256, and a 1920x1080
#      frame, to show memory does not grow with frame size beyond the frames themselves.
# Usage: bench/tiling.sh [path/to/upscale]   (default .build/release/upscale)
set -euo pipefail
bin=${1:-.build/release/upscale}
model=${MODEL:-realesr-animevideov3-x2}
threads=${THREADS:-$(nproc)}
row() { python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("| %s | %dx%d | %d | %d | %d | %d | %.0f | %.1f | %.0f |" % (sys.argv[2], r["width"], r["height"], r["tile"], r["workers"], r["threads_per_tile"], r["blas_threads"], r["median_ms"], r["gflops"], r["peak_rss_mb"]))' "$1" "$2"; }
echo "| run | size | tile | workers | threads per tile | BLAS threads | median ms | GFLOP/s | peak RSS MiB |"
echo "|---|---|---|---|---|---|---|---|---|"
row "$($bin bench --model "$model" --size 640x360 --tile 128 --threads "$threads" --workers "$threads" --runs 3 --json)" "parallel tiles"
row "$($bin bench --model "$model" --size 640x360 --tile 128 --threads "$threads" --workers 1 --runs 3 --json)" "one tile at a time, all threads"
row "$($bin bench --model "$model" --size 640x360 --tile 0 --threads "$threads" --workers 1 --runs 3 --json)" "whole frame"
row "$($bin bench --model "$model" --size 640x360 --threads "$threads" --runs 3 --json)" "default"
row "$($bin bench --model "$model" --size 640x360 --tile 0 --threads "$threads" --workers 1 --runs 3 --winograd off --json)" "whole frame, no Winograd"
row "$($bin bench --model "$model" --size 640x360 --tile 360 --threads "$threads" --workers "$threads" --runs 3 --winograd off --json)" "parallel strips, no Winograd"
row "$($bin bench --model "$model" --size 1920x1080 --tile 256 --threads "$threads" --warmup 0 --runs 1 --json)" "memory 1080p"
row "$($bin bench --model "$model" --size 3840x2160 --tile 256 --threads "$threads" --warmup 0 --runs 1 --json)" "memory 4K"
