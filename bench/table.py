#!/usr/bin/env python3
"""Prints a markdown table of `upscale eval --json` means: PSNR-Y, SSIM-Y and LPIPS-Alex, each
against the bicubic row (and, with --ref METHOD, PSNR against that row too).

Usage: table.py EVAL.json TITLE [--ref METHOD] METHOD=LABEL ...   (rows in the order given;
a METHOD missing from the file is an error)."""
import json
import sys

args = sys.argv[1:]
path, title = args[0], args[1]
args = args[2:]
ref = None
if args and args[0] == "--ref":
    ref, args = args[1], args[2:]
rows = {r["method"]: r for r in json.load(open(path)) if r["file"] == "mean"}
bic = rows["bicubic"]
head = f"| {title} | PSNR-Y dB | vs bicubic |" + (f" vs {ref} |" if ref else "") + " SSIM-Y | LPIPS-Alex | vs bicubic |"
print(head)
print("|" + "---|" * (head.count("|") - 1))
for pair in ["bicubic=bicubic"] + args:
    method, label = pair.split("=", 1)
    if method not in rows:
        sys.exit(f"table.py: no row '{method}' in {path} (has: {', '.join(sorted(rows))})")
    r = rows[method]
    line = f"| {label} | {r['psnrY']:.2f} | {r['psnrY'] - bic['psnrY']:+.2f} |"
    if ref:
        line += f" {r['psnrY'] - rows[ref]['psnrY']:+.2f} |"
    print(line + f" {r['ssimY']:.4f} | {r['lpips']:.4f} | {r['lpips'] / bic['lpips']:.2f}x |")
