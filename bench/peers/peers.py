#!/usr/bin/env python3
"""Side-by-side speed of `upscale` and peer CPU engines on the same networks: OpenVINO (f32, and
its default precision: bf16 on CPUs with AMX / AVX512_BF16, f32 elsewhere), onnxruntime, and
PyPI's ncnn when it is importable. Each ncnn model (for built-in models: `upscale models export`)
is converted to ONNX by ncnn_to_onnx.py, so every peer runs exactly our network.

Correctness first: every peer gets the same input as `upscale image` (a deterministic
natural-looking 16-bit PNG), and the PSNR (peak 1.0) of its output against ours is printed; a peer
under 40 dB is marked WRONG and left out of the ratios.

Timing: everything warm (peers compiled once and run once before timing; upscale after one
warm-up frame in the same process, `upscale bench --runs 1 --warmup 1`), interleaved round by
round (each peer once, then upscale once), each measurement after a one-second pause so that
no engine's idle threads are still spinning. Medians over --rounds; ratio = peer_ms / upscale_ms
(>= 1 means upscale is faster).

Set-up: `make peers-venv` creates .venv-peers with
    openvino==2026.4.1 onnxruntime==1.31.1 onnx==1.23.2 numpy
(optionally `.venv-peers/bin/pip install ncnn` for the ncnn column), then

    .venv-peers/bin/python bench/peers/peers.py [--threads 2] [--rounds 5] [--json out.json]
        [--cases realesr-animevideov3-x4@320x180,upscale-fast-x2@640x360] [--no-ncnn]

--rounds 0 checks correctness only. --models names the models folder (default $UPSCALE_MODELS or
~/.cache/upscale/models); the ONNX graphs live in a temporary folder for the run. A peer whose
graph or first inference fails shows ERR. Expect OpenVINO's bf16 default to score well under
f32's PSNR (and possibly WRONG): it is the same network at lower precision.

The peers are measuring instruments, not product dependencies.
"""
import argparse
import json
import os
import platform
import re
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ncnn_to_onnx  # noqa: E402

DEFAULT_CASES = ("realesr-animevideov3-x4@320x180,realesr-animevideov3-x4@640x360,"
                 "upscale-fast-x2@640x360,upscale-fast-x2@1280x720")
WRONG_DB = 40.0


# ---------------------------------------------------------------------------------------------
# 16-bit PNG in and out (zlib only)

def write_png16(path, hwc):
    """HWC float RGB in 0..1 -> 16-bit RGB PNG."""
    h, w, _ = hwc.shape
    v = np.clip(np.rint(hwc * 65535.0), 0, 65535).astype(">u2").reshape(h, w * 6 // 2)
    rows = np.concatenate([np.zeros((h, 1), np.uint8), v.view(np.uint8).reshape(h, w * 6)], axis=1)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows.tobytes(), 6)) + chunk(b"IEND", b""))


def read_png(path):
    """A non-interlaced 8/16-bit gray/RGB(A) PNG -> HWC float32 RGB in 0..1 (alpha dropped)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    w, h, depth, ctype, _, _, interlace = ihdr
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(ctype)
    if channels is None or depth not in (8, 16) or interlace:
        raise ValueError(f"{path}: unsupported PNG (colour type {ctype}, depth {depth}, interlace {interlace})")
    bpp = channels * depth // 8
    stride = w * bpp
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), np.uint8).reshape(h, stride + 1)
    out = np.zeros((h, stride), np.uint8)
    prev = np.zeros(stride, np.uint8)
    for y in range(h):
        ftype, line = raw[y, 0], raw[y, 1:]
        if ftype == 0:
            cur = line.copy()
        elif ftype == 1:  # Sub: running sum per byte lane, mod 256
            cur = np.cumsum(line.reshape(w, bpp), axis=0, dtype=np.uint8).reshape(stride)
        elif ftype == 2:  # Up
            cur = line + prev
        elif ftype in (3, 4):  # Average, Paeth: sequential along the row
            cur = _unfilter_slow(ftype, line, prev, bpp)
        else:
            raise ValueError(f"{path}: bad PNG filter {ftype}")
        out[y] = cur
        prev = cur
    if depth == 16:
        px = out.view(">u2").reshape(h, w, channels).astype(np.float32) / 65535.0
    else:
        px = out.reshape(h, w, channels).astype(np.float32) / 255.0
    if channels <= 2:
        px = np.repeat(px[:, :, :1], 3, axis=2)
    return px[:, :, :3]


def _unfilter_slow(ftype, line, prev, bpp):
    cur = bytearray(line.tobytes())
    up = prev.tobytes()
    for i in range(len(cur)):
        a = cur[i - bpp] if i >= bpp else 0
        b = up[i]
        if ftype == 3:
            cur[i] = (cur[i] + ((a + b) >> 1)) & 0xFF
        else:
            c = up[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 0xFF
    return np.frombuffer(bytes(cur), np.uint8)


def synthetic_image(w, h, seed=0):
    """A deterministic, natural-looking HWC RGB image in 0..1: smooth shading, soft and hard
    edged shapes, fine texture and a little noise (not white noise, which no SR model sees)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    xx /= max(w, h)
    yy /= max(w, h)
    img = np.zeros((h, w, 3), np.float32)
    for c in range(3):  # low-frequency shading
        for _ in range(4):
            fx, fy, ph = rng.uniform(0.5, 4), rng.uniform(0.5, 4), rng.uniform(0, 2 * np.pi)
            img[:, :, c] += 0.08 * np.sin(2 * np.pi * (fx * xx + fy * yy) + ph)
    img += 0.45
    for _ in range(24):  # discs and rectangles, hard or soft edges
        col = rng.uniform(0.05, 0.95, 3).astype(np.float32)
        cx, cy, r = rng.uniform(0, w / max(w, h)), rng.uniform(0, h / max(w, h)), rng.uniform(0.02, 0.15)
        soft = rng.uniform(0.001, 0.02)
        if rng.random() < 0.5:
            d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) - r
        else:
            d = np.maximum(np.abs(xx - cx), np.abs(yy - cy) * rng.uniform(0.5, 2)) - r
        a = np.clip(0.5 - d / soft, 0, 1)[:, :, None]
        img = img * (1 - a) + col * a
    stripes = 0.05 * np.sin(2 * np.pi * (xx * 60 + yy * 25))  # fine texture
    img += stripes[:, :, None] * (yy[:, :, None] < 0.3)
    img += rng.normal(0, 0.01, img.shape).astype(np.float32)
    return np.clip(img, 0, 1).astype(np.float32)


def psnr(a, b):
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else float(10 * np.log10(1.0 / mse))


# ---------------------------------------------------------------------------------------------
# upscale side

def run_upscale(binary, *args, check=True):
    """Runs the binary; waits (up to 20 min) while it cannot be started, e.g. being rebuilt."""
    for _ in range(20):
        try:
            return subprocess.run([binary, *args], check=check, capture_output=True, text=True)
        except OSError as e:  # missing, or "text file busy" while the linker writes it
            print(f"# {binary}: {e.strerror} (being rebuilt?); waiting 60 s", file=sys.stderr, flush=True)
            time.sleep(60)
    sys.exit(f"{binary}: not found")


def wait_for_binary(binary, tries=20):
    for _ in range(tries):
        if os.path.isfile(binary) and os.access(binary, os.X_OK):
            return
        print(f"# {binary} missing (being rebuilt?); waiting 60 s", file=sys.stderr, flush=True)
        time.sleep(60)
    sys.exit(f"{binary}: not found")


def model_info(binary, name):
    """`upscale models info NAME` as a dict of its `key   value` lines."""
    out = run_upscale(binary, "models", "info", name).stdout
    info = {}
    for line in out.splitlines():
        m = re.match(r"(\S.*?)\s{2,}(.*)$", line)
        if m:
            info[m.group(1).strip()] = m.group(2).strip()
    return info


def convention(info):
    """(scale, prepadding, alignment) from the `input` and `scale` lines of models info."""
    scale = int(re.search(r"\d+", info.get("scale", "x1")).group())
    text = info.get("input", "")
    pad = re.search(r"edge-replicated by (\d+)", text)
    align = re.search(r"multiple of (\d+)", text)
    return scale, int(pad.group(1)) if pad else 0, int(align.group(1)) if align else 1


def ncnn_files(binary, name, info, models_dir, workdir):
    """The .param/.bin pair of a model: exported for built-in models, else from the models folder."""
    if "param file" in info and "bin file" in info:
        return info["param file"], info["bin file"]
    p, b = os.path.join(models_dir, name + ".param"), os.path.join(models_dir, name + ".bin")
    if os.path.isfile(p) and os.path.isfile(b):
        return p, b
    out = os.path.join(workdir, "export")
    os.makedirs(out, exist_ok=True)
    r = run_upscale(binary, "models", "export", name, out, check=False)
    p, b = os.path.join(out, name + ".param"), os.path.join(out, name + ".bin")
    if r.returncode != 0 or not (os.path.isfile(p) and os.path.isfile(b)):
        raise RuntimeError(f"{name}: no ncnn files (`upscale models export {name} DIR` failed: "
                           f"{(r.stderr or r.stdout).strip()[:300]})")
    return p, b


def upscale_image(binary, name, in_png, out_png, threads):
    run_upscale(binary, "image", in_png, "-o", out_png, "--model", name, "--threads", str(threads), "-y", "-q")
    return read_png(out_png)


def upscale_bench_ms(binary, name, w, h, threads):
    out = run_upscale(binary, "bench", "--model", name, "--size", f"{w}x{h}", "--threads", str(threads),
                      "--runs", "1", "--warmup", "1", "--json").stdout
    return float(json.loads(out)["median_ms"])


# ---------------------------------------------------------------------------------------------
# peers: each maker returns (infer(nchw, keep=True) -> CHW output or None, precision)

def peer_openvino(onnx_path, shape, threads, f32):
    import openvino as ov
    core = ov.Core()
    model = core.read_model(onnx_path)
    model.reshape({"data": list(shape)})
    cfg = {"INFERENCE_NUM_THREADS": threads, "PERFORMANCE_HINT": "LATENCY"}
    if f32:
        cfg["INFERENCE_PRECISION_HINT"] = "f32"
    compiled = core.compile_model(model, "CPU", cfg)
    prec = compiled.get_property("INFERENCE_PRECISION_HINT")
    prec = prec.get_type_name() if hasattr(prec, "get_type_name") else str(prec)
    req = compiled.create_infer_request()
    out = compiled.output(0)

    def infer(x, keep=True):
        req.infer({"data": x})
        return np.array(req.get_tensor(out).data[0], copy=True) if keep else None
    return infer, prec


def peer_onnxruntime(onnx_path, shape, threads):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.add_free_dimension_override_by_name("H", int(shape[2]))  # static shapes, as OpenVINO gets
    so.add_free_dimension_override_by_name("W", int(shape[3]))
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])

    def infer(x, keep=True):
        return sess.run(None, {"data": x})[0][0]
    return infer, "f32"


def peer_ncnn(param, binf, threads):
    import ncnn
    net = ncnn.Net()
    net.opt.use_vulkan_compute = False
    net.opt.num_threads = threads
    net.load_param(param)
    net.load_model(binf)
    layers = ncnn_to_onnx.parse_param(param)
    in_blob = next(ly.tops[0] for ly in layers if ly.kind == "Input")
    out_blob = layers[-1].tops[-1]

    def infer(x, keep=True):
        ex = net.create_extractor()
        arr = np.ascontiguousarray(x[0])
        ex.input(in_blob, ncnn.Mat(arr).clone())  # a copy: ncnn may work in place on its input
        ret, out = ex.extract(out_blob)
        if ret != 0:
            raise RuntimeError(f"ncnn extract failed ({ret})")
        return np.array(out, copy=True) if keep else None
    return infer, "default"


def network_input(img_hwc, pad, align):
    """HWC 0..1 image -> NCHW network input by the model's convention (edge pad, alignment)."""
    x = img_hwc.transpose(2, 0, 1)
    h, w = x.shape[1:]
    ph, pw = h + 2 * pad, w + 2 * pad
    x = np.pad(x, ((0, 0), (pad, pad + (-ph) % align), (pad, pad + (-pw) % align)), mode="edge")
    return np.ascontiguousarray(x[None], dtype=np.float32)


def network_output(y, scale, h, w):
    """CHW raw output -> HWC 0..1, cropped to scale x input."""
    return np.clip(y[:, :scale * h, :scale * w], 0, 1).transpose(1, 2, 0)


# ---------------------------------------------------------------------------------------------

def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpu_flags():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("flags"):
                f = set(line.split(":", 1)[1].split())
                return " ".join(x for x in ("avx2", "avx512f", "avx512_bf16", "avx512_fp16", "amx_bf16") if x in f)
    except OSError:
        pass
    return ""


def versions(use_ncnn):
    v = {"python": platform.python_version(), "numpy": np.__version__}
    for mod in ("openvino", "onnxruntime", "onnx") + (("ncnn",) if use_ncnn else ()):
        try:
            m = __import__(mod)
            v[mod] = getattr(m, "__version__", "?")
        except Exception:  # noqa: BLE001
            v[mod] = None
    return v


def finite(v):
    """JSON-safe: non-finite floats (an exact match's infinite PSNR) become null."""
    if isinstance(v, float) and not np.isfinite(v):
        return None
    if isinstance(v, dict):
        return {k: finite(x) for k, x in v.items()}
    if isinstance(v, list):
        return [finite(x) for x in v]
    return v


def fmt(ms):
    return "-" if ms is None else f"{ms:.0f}" if ms >= 10 else f"{ms:.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=".build/release/upscale")
    ap.add_argument("--models", default=os.environ.get("UPSCALE_MODELS", os.path.expanduser("~/.cache/upscale/models")))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=5, help="timed rounds (0: correctness only)")
    ap.add_argument("--cases", default=DEFAULT_CASES, help="comma-separated name@WxH")
    ap.add_argument("--no-ncnn", action="store_true", help="leave PyPI ncnn out even when importable")
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    wait_for_binary(binary)
    os.environ["UPSCALE_MODELS"] = args.models

    use_ncnn = False
    if not args.no_ncnn:
        try:
            import ncnn  # noqa: F401
            use_ncnn = True
        except ImportError:
            pass
    vers = versions(use_ncnn)
    up_version = run_upscale(binary, "--version", check=False).stdout.strip()
    print(f"# CPU: {cpu_model()} ({os.cpu_count()} logical CPUs; {cpu_flags()})")
    print("# peers: " + ", ".join(f"{k} {v}" for k, v in vers.items() if v) + f"; upscale {up_version}")
    doctor = None
    if re.search(r"^\s+doctor\b", run_upscale(binary, "--help", check=False).stdout, re.M):
        r = run_upscale(binary, "doctor", check=False)
        doctor = (r.stdout + r.stderr).strip()
        for line in doctor.splitlines():
            print(f"# doctor: {line}")
    print(flush=True)

    cases = []
    for item in args.cases.split(","):
        name, size = item.strip().rsplit("@", 1)
        w, h = (int(v) for v in size.lower().split("x"))
        cases.append((name, w, h))

    cols = ["upscale", "OV-f32", "OV-default", "ORT"] + (["ncnn"] if use_ncnn else [])
    header = ["model", "size", "threads", "upscale ms", "OV-f32 ms", "OV-default ms (precision)", "ORT ms"]
    if use_ncnn:
        header.append("ncnn ms")
    header += [f"ratio {c}/upscale" for c in cols[1:]] + [f"PSNR {c} dB" for c in cols[1:]]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header), flush=True)

    results = []
    with tempfile.TemporaryDirectory(prefix="upscale-peers-") as tmp:
        onnx_cache = {}
        for name, w, h in cases:
            try:
                info = model_info(binary, name)
                scale, pad, align = convention(info)
                param, binf = ncnn_files(binary, name, info, args.models, os.path.join(tmp, name))
                if name not in onnx_cache:
                    path = os.path.join(tmp, name + ".onnx")
                    ncnn_to_onnx.onnx.save(ncnn_to_onnx.convert(param, binf), path)
                    onnx_cache[name] = path
                # The same quantized input for everyone; upscale's own output of it.
                in_png, out_png = os.path.join(tmp, "in.png"), os.path.join(tmp, "out.png")
                write_png16(in_png, synthetic_image(w, h))
                img = read_png(in_png)
                ours = upscale_image(binary, name, in_png, out_png, args.threads)
            except (RuntimeError, NotImplementedError, ValueError, subprocess.CalledProcessError) as e:
                msg = getattr(e, "stderr", None) or str(e)
                print(f"| {name} | {w}x{h} | {args.threads} | skipped: {' '.join(str(msg).split())[:200]} |", flush=True)
                results.append({"model": name, "width": w, "height": h, "threads": args.threads,
                                "skipped": str(msg).strip()})
                continue
            onnx_path = onnx_cache[name]
            x = network_input(img, pad, align)

            makers = {"OV-f32": lambda: peer_openvino(onnx_path, x.shape, args.threads, f32=True),
                      "OV-default": lambda: peer_openvino(onnx_path, x.shape, args.threads, f32=False),
                      "ORT": lambda: peer_onnxruntime(onnx_path, x.shape, args.threads)}
            if use_ncnn:
                makers["ncnn"] = lambda: peer_ncnn(param, binf, args.threads)
            peers, quality, precision, errors = {}, {}, {}, {}
            for label, make in makers.items():
                try:
                    infer, prec = make()
                    y = network_output(infer(x), scale, h, w)  # also the warm-up
                except Exception as e:  # noqa: BLE001 - a failing peer is a result, not a crash
                    errors[label] = f"{type(e).__name__}: {e}"
                    print(f"# {name} {w}x{h}: {label} failed: {errors[label][:300]}", file=sys.stderr, flush=True)
                    quality[label], precision[label] = float("-inf"), "error"
                    continue
                peers[label] = (infer, prec)
                precision[label] = prec
                if y.shape != ours.shape:
                    errors[label] = f"output {y.shape} vs upscale's {ours.shape}"
                quality[label] = psnr(y, ours) if y.shape == ours.shape else float("-inf")

            times = {c: [] for c in cols}
            for _ in range(args.rounds):
                for label, (infer, _) in peers.items():
                    time.sleep(1.0)
                    t0 = time.perf_counter()
                    infer(x, keep=False)  # OpenVINO: no copy of the output out of its tensor
                    times[label].append((time.perf_counter() - t0) * 1e3)
                time.sleep(1.0)
                times["upscale"].append(upscale_bench_ms(binary, name, w, h, args.threads))
            med = {c: (statistics.median(v) if v else None) for c, v in times.items()}
            ratio = {c: (med[c] / med["upscale"] if med[c] and med["upscale"] and quality[c] >= WRONG_DB else None)
                     for c in cols[1:]}
            row = [name, f"{w}x{h}", str(args.threads), fmt(med["upscale"]), fmt(med["OV-f32"]),
                   f"{fmt(med['OV-default'])} ({precision['OV-default']})", fmt(med["ORT"])]
            if use_ncnn:
                row.append(fmt(med["ncnn"]))
            row += ["ERR" if c in errors else "WRONG" if quality[c] < WRONG_DB else ("-" if ratio[c] is None else f"{ratio[c]:.2f}")
                    for c in cols[1:]]
            row += ["ERR" if c in errors else f"{quality[c]:.1f}" + (" WRONG" if quality[c] < WRONG_DB else "")
                    for c in cols[1:]]
            print("| " + " | ".join(row) + " |", flush=True)
            results.append({"model": name, "width": w, "height": h, "threads": args.threads,
                            "rounds": args.rounds, "median_ms": med, "times_ms": times,
                            "ratio_vs_upscale": ratio, "psnr_db_vs_upscale": quality,
                            "wrong": {c: quality[c] < WRONG_DB for c in cols[1:]},
                            "precision": precision, "errors": errors, "input_convention": {"scale": scale, "prepadding": pad,
                                                                         "alignment": align}})
            del peers
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"cpu": cpu_model(), "cpu_flags": cpu_flags(), "logical_cpus": os.cpu_count(),
                       "versions": vers, "upscale_version": up_version, "doctor": doctor,
                       "results": finite(results)}, f, indent=1)
        print(f"\n# wrote {args.json}")


if __name__ == "__main__":
    main()
