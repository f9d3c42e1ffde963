#!/usr/bin/env python3
"""Convert an ncnn model (.param + .bin) into an ONNX graph, so that other engines (OpenVINO,
onnxruntime) can run exactly the network that `upscale` runs.

    python3 bench/peers/ncnn_to_onnx.py model.param model.bin out.onnx

or, as a module: `ncnn_to_onnx.convert(param_path, bin_path)` returns an `onnx.ModelProto`.

The graph has one float32 input `data` of shape [1, 3, H, W] (H and W symbolic; the channel
count is the Input layer's 2= when given) and one output
`output`; opset 17. ncnn's blobs are CHW, ONNX's are NCHW with N = 1, so ncnn axis k is ONNX axis
k + 1.

Layers handled: Input, Split, Noop, Dropout, Convolution and ConvolutionDepthWise (fused
activations 0-6), Deconvolution, PReLU, ReLU, Sigmoid, TanH, Clip, PixelShuffle, Interp
(nearest, bilinear, bicubic), BinaryOp (add..rpow, with or without a scalar), Eltwise, Concat.
Also Softmax, and waifu2x-cunet's Crop (to a reference blob, by offsets and sizes, or
numpy-style), Pooling (global, or unpadded), InnerProduct (on pooled vectors) and Scale. Anything else raises NotImplementedError.

Format, as ncnn documents it ("param and model file structure", "operation param weight table"):
the .param file is the magic 7767517, then "layer_count blob_count", then one layer per line:
`Type Name bottom_count top_count bottom... top... k=v ...`; a key <= -23300 holds an array
(key -23300-k: "n,v1,...,vn"), a value with '.' or 'e' is a float. The .bin file holds the weights
in layer order; a weight blob starts with a 4-byte tag (0: fp32 follows, 0x01306B47: fp16,
0x0002C056: fp32, other non-zero: a 256-entry fp32 table then uint8 indices), biases and
PReLU slopes are raw fp32 without a tag.

A measuring instrument only (bench/peers): not part of the product.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MAGIC = 7767517
OPSET = 17


class Layer:
    def __init__(self, kind, name, bottoms, tops, params):
        self.kind, self.name, self.bottoms, self.tops, self.params = kind, name, bottoms, tops, params

    def get(self, key, default=None):
        return self.params.get(key, default)

    def __repr__(self):
        return f"{self.kind} {self.name} {self.bottoms} -> {self.tops} {self.params}"


def _number(text):
    try:
        return int(text)
    except ValueError:
        return float(text)


def parse_param(path):
    """The layers of a text .param file, as Layer objects (params: int key -> int, float or list)."""
    with open(path) as f:
        tokens_per_line = [ln.split() for ln in f.read().splitlines() if ln.strip()]
    if not tokens_per_line or int(tokens_per_line[0][0]) != MAGIC:
        raise ValueError(f"{path}: not an ncnn param file (magic {MAGIC} missing)")
    layer_count, _blob_count = int(tokens_per_line[1][0]), int(tokens_per_line[1][1])
    layers = []
    for toks in tokens_per_line[2:]:
        kind, name, nb, nt = toks[0], toks[1], int(toks[2]), int(toks[3])
        bottoms, tops = toks[4:4 + nb], toks[4 + nb:4 + nb + nt]
        params = {}
        for kv in toks[4 + nb + nt:]:
            k, v = kv.split("=", 1)
            k = int(k)
            if k <= -23300:
                vals = v.split(",")
                n = int(vals[0])
                params[-k - 23300] = [_number(x) for x in vals[1:1 + n]]
            else:
                params[k] = _number(v)
        layers.append(Layer(kind, name, bottoms, tops, params))
    if len(layers) != layer_count:
        raise ValueError(f"{path}: header says {layer_count} layers, found {len(layers)}")
    return layers


class ModelBin:
    """Sequential reader of an ncnn .bin file."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        self.pos = 0

    def _take(self, nbytes):
        if self.pos + nbytes > len(self.data):
            raise ValueError(f"weights file too short: need {nbytes} bytes at offset {self.pos}, "
                             f"have {len(self.data) - self.pos}")
        b = self.data[self.pos:self.pos + nbytes]
        self.pos += nbytes
        return b

    def raw(self, count):
        """`count` raw little-endian fp32 (ncnn ModelBin::load type 1)."""
        return np.frombuffer(self._take(4 * count), dtype="<f4").astype(np.float32)

    def tagged(self, count):
        """A weight blob with its leading 4-byte tag (ncnn ModelBin::load type 0)."""
        head = self._take(4)
        tag = int.from_bytes(head, "little")
        align4 = lambda n: (n + 3) & ~3  # noqa: E731
        if tag == 0x01306B47:  # fp16
            b = self._take(align4(2 * count))
            return np.frombuffer(b[:2 * count], dtype="<f2").astype(np.float32)
        if tag == 0x000D4B38:  # int8
            raise NotImplementedError("int8-quantized ncnn weights are not supported")
        if tag == 0x0002C056 or tag == 0:  # fp32 (the former with a trailing scale in some files)
            return self.raw(count)
        # Non-zero flag bytes: a 256-entry fp32 lookup table, then uint8 indices.
        table = self.raw(256)
        idx = np.frombuffer(self._take(align4(count))[:count], dtype=np.uint8)
        return table[idx]

    def remaining(self):
        return len(self.data) - self.pos


class _Graph:
    def __init__(self):
        self.nodes, self.inits, self.counter = [], [], 0

    def uniq(self, base):
        self.counter += 1
        return f"{base}__{self.counter}"

    def const(self, base, array):
        name = self.uniq(base)
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(self, op, inputs, outputs=None, name=None, **attrs):
        if outputs is None:
            outputs = [self.uniq(op.lower())]
        self.nodes.append(helper.make_node(op, inputs, outputs, name=name or self.uniq(op), **attrs))
        return outputs[0]


def _activation(g, x, kind, params, out, name):
    """ncnn's fused activation (Convolution 9= / 10=) applied to x, written to `out`."""
    params = params or []
    if kind == 0:
        return g.node("Identity", [x], [out], name)
    if kind == 1:
        return g.node("Relu", [x], [out], name)
    if kind == 2:
        return g.node("LeakyRelu", [x], [out], name, alpha=float(params[0] if params else 0.0))
    if kind == 3:
        lo = g.const("clip_min", np.array(params[0], np.float32))
        hi = g.const("clip_max", np.array(params[1], np.float32))
        return g.node("Clip", [x, lo, hi], [out], name)
    if kind == 4:
        return g.node("Sigmoid", [x], [out], name)
    if kind == 5:  # mish: x * tanh(softplus(x)) (ONNX Mish needs opset 18)
        t = g.node("Tanh", [g.node("Softplus", [x])])
        return g.node("Mul", [x, t], [out], name)
    if kind == 6:  # hardswish: x * clamp(alpha x + beta, 0, 1)
        alpha = float(params[0]) if len(params) > 0 else 0.2
        beta = float(params[1]) if len(params) > 1 else 0.5
        return g.node("Mul", [x, g.node("HardSigmoid", [x], alpha=alpha, beta=beta)], [out], name)
    raise NotImplementedError(f"ncnn activation type {kind}")


def _conv_geometry(ly):
    kw = ly.get(1, 0)
    kh = ly.get(11, kw)
    dw = ly.get(2, 1)
    dh = ly.get(12, dw)
    sw = ly.get(3, 1)
    sh = ly.get(13, sw)
    pl = ly.get(4, 0)
    pr = ly.get(15, pl)
    pt = ly.get(14, pl)
    pb = ly.get(16, pt)
    return kh, kw, dh, dw, sh, sw, pt, pl, pb, pr


def _convolution(g, mb, ly, x, out, depthwise=False):
    num_output = ly.get(0, 0)
    kh, kw, dh, dw, sh, sw, pt, pl, pb, pr = _conv_geometry(ly)
    bias_term, wsize = ly.get(5, 0), ly.get(6, 0)
    group = ly.get(7, 1) if depthwise else 1
    if ly.get(8, 0):
        raise NotImplementedError(f"{ly.name}: int8 convolution")
    if ly.get(19, 0):
        raise NotImplementedError(f"{ly.name}: dynamic-weight convolution")
    if float(ly.get(18, 0.0)) != 0.0:
        raise NotImplementedError(f"{ly.name}: convolution pad_value != 0")
    w = mb.tagged(wsize)
    b = mb.raw(num_output) if bias_term else None
    cin_per_group = wsize // (num_output * kh * kw)
    w = w.reshape(num_output, cin_per_group, kh, kw)
    attrs = dict(kernel_shape=[kh, kw], strides=[sh, sw], dilations=[dh, dw], group=group)
    if pl in (-233, -234) and sh == 1 and sw == 1:  # SAME at stride 1: fixed pads (any dilation)
        th, tw = dh * (kh - 1), dw * (kw - 1)
        first = (lambda t: t // 2) if pl == -233 else (lambda t: t - t // 2)  # noqa: E731
        attrs["pads"] = [first(th), first(tw), th - first(th), tw - first(tw)]
    elif pl == -233:
        attrs["auto_pad"] = "SAME_UPPER"
    elif pl == -234:
        attrs["auto_pad"] = "SAME_LOWER"
    elif min(pt, pl, pb, pr) < 0:
        raise NotImplementedError(f"{ly.name}: pad {pl}")
    else:
        attrs["pads"] = [pt, pl, pb, pr]
    inputs = [x, g.const(ly.name + "_W", w)]
    if b is not None:
        inputs.append(g.const(ly.name + "_B", b))
    act = ly.get(9, 0)
    y = g.node("Conv", inputs, [out] if act == 0 else None, ly.name, **attrs)
    if act:
        _activation(g, y, act, ly.get(10), out, ly.name + "_act")


def _deconvolution(g, mb, ly, x, out):
    num_output = ly.get(0, 0)
    kh, kw, dh, dw, sh, sw, pt, pl, pb, pr = _conv_geometry(ly)
    bias_term, wsize = ly.get(5, 0), ly.get(6, 0)
    if pl in (-233, -234) or min(pt, pl, pb, pr) < 0:
        raise NotImplementedError(f"{ly.name}: deconvolution pad {pl}")
    if ly.get(20, 0) or ly.get(21, 0):
        raise NotImplementedError(f"{ly.name}: deconvolution with a fixed output size")
    opr, opb = ly.get(18, 0), ly.get(19, 0)
    w = mb.tagged(wsize)
    b = mb.raw(num_output) if bias_term else None
    cin = wsize // (num_output * kh * kw)
    # ncnn stores [out][in][kh][kw]; ONNX ConvTranspose wants [in][out][kh][kw].
    w = np.ascontiguousarray(w.reshape(num_output, cin, kh, kw).transpose(1, 0, 2, 3))
    inputs = [x, g.const(ly.name + "_W", w)]
    if b is not None:
        inputs.append(g.const(ly.name + "_B", b))
    act = ly.get(9, 0)
    y = g.node("ConvTranspose", inputs, [out] if act == 0 else None, ly.name, kernel_shape=[kh, kw],
               strides=[sh, sw], dilations=[dh, dw], pads=[pt, pl, pb, pr], output_padding=[opb, opr])
    if act:
        _activation(g, y, act, ly.get(10), out, ly.name + "_act")


def _interp(g, ly, x, out):
    mode = ly.get(0, 0)
    hs, ws = float(ly.get(1, 1.0)), float(ly.get(2, 1.0))
    oh, ow = ly.get(3, 0), ly.get(4, 0)
    align = ly.get(6, 0)
    if ly.get(5, 0):
        raise NotImplementedError(f"{ly.name}: Interp with a dynamic target size")
    if mode == 1:
        attrs = dict(mode="nearest", coordinate_transformation_mode="asymmetric", nearest_mode="floor")
    elif mode == 2:
        attrs = dict(mode="linear", coordinate_transformation_mode="align_corners" if align else "half_pixel")
    elif mode == 3:
        attrs = dict(mode="cubic", coordinate_transformation_mode="align_corners" if align else "half_pixel",
                     cubic_coeff_a=-0.75, exclude_outside=0)
    else:
        raise NotImplementedError(f"{ly.name}: Interp resize_type {mode}")
    if oh and ow:
        shape = g.node("Shape", [x])
        nc = g.node("Slice", [shape, g.const("s0", np.array([0], np.int64)), g.const("s2", np.array([2], np.int64))])
        sizes = g.node("Concat", [nc, g.const("hw", np.array([oh, ow], np.int64))], axis=0)
        g.node("Resize", [x, "", "", sizes], [out], ly.name, **attrs)
    else:
        scales = g.const(ly.name + "_scales", np.array([1.0, 1.0, hs, ws], np.float32))
        g.node("Resize", [x, "", scales], [out], ly.name, **attrs)


def _inner_product(g, mb, ly, x, out):
    """InnerProduct on a vector blob (ncnn [C], here [1, C, 1, 1]) as a 1x1 Conv."""
    num_output, bias_term, wsize = ly.get(0, 0), ly.get(1, 0), ly.get(2, 0)
    if ly.get(8, 0):
        raise NotImplementedError(f"{ly.name}: int8 InnerProduct")
    w = mb.tagged(wsize).reshape(num_output, wsize // num_output, 1, 1)
    inputs = [x, g.const(ly.name + "_W", w)]
    if bias_term:
        inputs.append(g.const(ly.name + "_B", mb.raw(num_output)))
    act = ly.get(9, 0)
    y = g.node("Conv", inputs, [out] if act == 0 else None, ly.name, kernel_shape=[1, 1])
    if act:
        _activation(g, y, act, ly.get(10), out, ly.name + "_act")


def _crop(g, ly, ins, out):
    """ncnn Crop on a CHW blob: to a reference blob's shape (two bottoms), numpy-style
    (9=starts 10=ends 11=axes), or offsets 0/1/2 with sizes 3/4/5 (-233: to the end; 0: to the
    end less the tail offsets 6/7/8, as upscale's engine reads it: ncnn itself would make an
    empty blob)."""
    big = np.iinfo(np.int64).max
    i64 = lambda v: g.const("i", np.array(v, np.int64))  # noqa: E731
    if len(ins) == 2:  # to the reference blob's C, H and W, from offsets 2, 1, 0
        woff, hoff, coff = ly.get(0, 0), ly.get(1, 0), ly.get(2, 0)
        if woff == -233:
            raise NotImplementedError(f"{ly.name}: Crop with offsets from a blob")
        chw = g.node("Slice", [g.node("Shape", [ins[1]]), i64([1]), i64([4])])
        offs = i64([coff, hoff, woff])
        g.node("Slice", [ins[0], offs, g.node("Add", [chw, offs]), i64([1, 2, 3])], [out], ly.name)
        return
    if 9 in ly.params and 10 in ly.params:
        starts, ends = list(ly.get(9)), list(ly.get(10))
        axes = list(ly.get(11) or range(len(starts)))
        starts = [0 if v == -233 else int(v) for v in starts]
        ends = [big if v in (-233, 0) else int(v) for v in ends]  # ncnn: end <= 0 counts from the end
        axes = [int(a) + 1 if int(a) >= 0 else int(a) for a in axes]
    else:
        starts, ends, axes = [], [], []
        for axis, off_k, size_k, tail_k in ((1, 2, 5, 8), (2, 1, 4, 7), (3, 0, 3, 6)):
            off, size, tail = ly.get(off_k, 0), ly.get(size_k, 0), ly.get(tail_k, 0)
            if off == -233:
                raise NotImplementedError(f"{ly.name}: Crop form {ly.params}")
            if off == 0 and size in (0, -233) and tail == 0:
                continue
            starts.append(off)
            ends.append(big if size == -233 else off + size if size else (-tail if tail else big))
            axes.append(axis)
    if not axes:
        g.node("Identity", ins[:1], [out], ly.name)
        return
    g.node("Slice", [ins[0], i64(starts), i64(ends), i64(axes)], [out], ly.name)


def _pooling(g, ly, x, out):
    kind, global_pool = ly.get(0, 0), ly.get(4, 0)
    if kind not in (0, 1):
        raise NotImplementedError(f"{ly.name}: pooling type {kind}")
    if global_pool:
        return g.node("GlobalMaxPool" if kind == 0 else "GlobalAveragePool", [x], [out], ly.name)
    kw = ly.get(1, 0)
    kh = ly.get(11, kw)
    sw = ly.get(2, 1)
    sh = ly.get(12, sw)
    pl = ly.get(3, 0)
    pr, pt = ly.get(14, pl), ly.get(13, pl)
    pb = ly.get(15, pt)
    if ly.get(5, 0) != 1 and (pl or pr or pt or pb):
        raise NotImplementedError(f"{ly.name}: padded pooling (pad_mode {ly.get(5, 0)})")
    attrs = dict(kernel_shape=[kh, kw], strides=[sh, sw])
    if kind == 1:
        return g.node("AveragePool", [x], [out], ly.name, **attrs)
    return g.node("MaxPool", [x], [out], ly.name, **attrs)


_BINARY = {0: "Add", 1: "Sub", 2: "Mul", 3: "Div", 4: "Max", 5: "Min", 6: "Pow"}
_REVERSED = {7: "Sub", 8: "Div", 9: "Pow"}


def _binary(g, ly, ins, out):
    op, with_scalar = ly.get(0, 0), ly.get(1, 0)
    if with_scalar:
        a, b = ins[0], g.const(ly.name + "_b", np.array(float(ly.get(2, 0.0)), np.float32))
    else:
        a, b = ins[0], ins[1]
    if op in _BINARY:
        g.node(_BINARY[op], [a, b], [out], ly.name)
    elif op in _REVERSED:
        g.node(_REVERSED[op], [b, a], [out], ly.name)
    else:
        raise NotImplementedError(f"{ly.name}: BinaryOp op_type {op}")


def _eltwise(g, ly, ins, out):
    op, coeffs = ly.get(0, 1), ly.get(1) or []
    if op == 0:
        acc = ins[0]
        for i, x in enumerate(ins[1:]):
            acc = g.node("Mul", [acc, x], [out] if i == len(ins) - 2 else None)
    elif op == 1:
        if coeffs and any(float(c) != 1.0 for c in coeffs):
            ins = [g.node("Mul", [x, g.const(ly.name + "_c", np.array(float(c), np.float32))])
                   for x, c in zip(ins, coeffs)]
        g.node("Sum", ins, [out], ly.name)
    elif op == 2:
        g.node("Max", ins, [out], ly.name)
    else:
        raise NotImplementedError(f"{ly.name}: Eltwise op_type {op}")


def convert(param_path, bin_path, opset=OPSET):
    """The ncnn model as an onnx.ModelProto (input `data` [1,3,H,W] float32, output `output`)."""
    layers = parse_param(param_path)
    mb = ModelBin(bin_path)
    g = _Graph()
    alias = {}  # ncnn blob name -> ONNX tensor name
    consumed, produced, inputs = set(), [], []
    vectors = set()  # ONNX tensors that are ncnn 1-D blobs ([C]), kept as [1, C, 1, 1]

    def onnx_name(blob):
        return alias[blob]

    # The final blobs (produced, never consumed) become graph outputs.
    all_bottoms = {b for ly in layers for b in ly.bottoms}
    finals = [t for ly in layers if ly.kind not in ("Split",) for t in ly.tops if t not in all_bottoms]
    reserved = {"data", "output"}

    def new_name(blob):
        if blob in finals:
            return "output" if len(finals) == 1 else blob
        return blob if blob not in reserved else blob + "__ncnn"

    for ly in layers:
        consumed.update(ly.bottoms)
        ins = [onnx_name(b) for b in ly.bottoms]
        kind = ly.kind
        if kind == "Input":
            if inputs:
                raise NotImplementedError("more than one Input layer")
            alias[ly.tops[0]] = "data"
            inputs.append("data")
            in_channels = int(ly.get(2, 0)) or 3
            continue
        if kind in ("Split", "Noop", "Dropout") and (kind == "Split" or len(ly.tops) == 1):
            for t in ly.tops:
                alias[t] = ins[0]
            continue
        outs = [new_name(t) for t in ly.tops]
        for t, o in zip(ly.tops, outs):
            alias[t] = o
        out = outs[0]
        if kind == "Convolution":
            _convolution(g, mb, ly, ins[0], out)
        elif kind == "ConvolutionDepthWise":
            _convolution(g, mb, ly, ins[0], out, depthwise=True)
        elif kind == "Deconvolution":
            _deconvolution(g, mb, ly, ins[0], out)
        elif kind == "PReLU":
            n = ly.get(0, 0)
            slope = mb.raw(n)
            slope = slope.reshape(n, 1, 1) if n > 1 else slope.reshape(1)
            g.node("PRelu", [ins[0], g.const(ly.name + "_slope", slope)], [out], ly.name)
        elif kind == "ReLU":
            s = float(ly.get(0, 0.0))
            if s == 0.0:
                g.node("Relu", ins, [out], ly.name)
            else:
                g.node("LeakyRelu", ins, [out], ly.name, alpha=s)
        elif kind == "Sigmoid":
            g.node("Sigmoid", ins, [out], ly.name)
        elif kind == "TanH":
            g.node("Tanh", ins, [out], ly.name)
        elif kind == "Clip":
            _activation(g, ins[0], 3, [float(ly.get(0, -3.4e38)), float(ly.get(1, 3.4e38))], out, ly.name)
        elif kind == "PixelShuffle":
            mode = "CRD" if ly.get(1, 0) == 0 else "DCR"
            g.node("DepthToSpace", ins, [out], ly.name, blocksize=int(ly.get(0, 1)), mode=mode)
        elif kind == "Interp":
            _interp(g, ly, ins[0], out)
        elif kind == "BinaryOp":
            _binary(g, ly, ins, out)
        elif kind == "Eltwise":
            _eltwise(g, ly, ins, out)
        elif kind == "InnerProduct":
            if ins[0] not in vectors:
                raise NotImplementedError(f"{ly.name}: InnerProduct on a non-vector blob")
            _inner_product(g, mb, ly, ins[0], out)
            vectors.add(out)
        elif kind == "Pooling":
            _pooling(g, ly, ins[0], out)
            if ly.get(4, 0):
                vectors.add(out)
        elif kind == "Crop":
            _crop(g, ly, ins, out)
        elif kind == "Scale":
            size, bias_term = ly.get(0, 0), ly.get(1, 0)
            if size == -233:  # per-channel scale from the second bottom (a vector)
                g.node("Mul", ins[:2], [out], ly.name)
            else:
                sc = g.const(ly.name + "_s", mb.raw(size).reshape(size, 1, 1))
                y = g.node("Mul", [ins[0], sc], None if bias_term else [out])
                if bias_term:
                    g.node("Add", [y, g.const(ly.name + "_b", mb.raw(size).reshape(size, 1, 1))], [out], ly.name)
        elif kind == "Softmax":
            axis = int(ly.get(0, 0))
            g.node("Softmax", ins, [out], ly.name, axis=axis + 1 if axis >= 0 else axis)
        elif kind == "Concat":
            axis = int(ly.get(0, 0))
            g.node("Concat", ins, [out], ly.name, axis=axis + 1 if axis >= 0 else axis)
        else:
            raise NotImplementedError(f"ncnn layer type {kind} ({ly.name})")
        produced.extend(outs)
    if not inputs:
        raise ValueError(f"{param_path}: no Input layer")
    if mb.remaining() != 0:
        raise ValueError(f"{bin_path}: {mb.remaining()} bytes of weights left unread (wrong layer order?)")
    outputs = [alias[t] for t in finals]
    graph = helper.make_graph(
        g.nodes, "ncnn:" + param_path.rsplit("/", 1)[-1],
        [helper.make_tensor_value_info("data", TensorProto.FLOAT, [1, in_channels, "H", "W"])],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, [1, None, None, None]) for o in outputs],
        initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="upscale bench/peers/ncnn_to_onnx.py")
    model.ir_version = 8  # opset 17 era; accepted by onnxruntime and OpenVINO
    onnx.checker.check_model(model)
    return model


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        print("usage: ncnn_to_onnx.py model.param model.bin out.onnx", file=sys.stderr)
        return 1
    model = convert(argv[0], argv[1])
    onnx.save(model, argv[2])
    n = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
    print(f"{argv[2]}: {len(model.graph.node)} nodes, {n} weights, opset {OPSET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
