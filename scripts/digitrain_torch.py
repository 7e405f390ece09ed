#!/usr/bin/python3
"""digitrain models in PyTorch, and PyTorch models as digitrain model files.

A digitrain `.safetensors` file carries its architecture as JSON in `__metadata__` and its
tensors in digitrain's layout: NHWC activations, conv2d weights (KH, KW, C, OC), dense weights
(IN, OUT), and a flatten that reads (h, w, c) in that order. PyTorch is NCHW: conv weights
(OC, C, KH, KW), linear weights (OUT, IN), and `nn.Flatten` reads (c, h, w). So:

    load(path)          -> torch.nn.Sequential taking (N, 1, 28, 28) floats in [0, 1]
    save(model, path)   <- a torch.nn.Sequential of the layers digitrain has

`load` transposes the conv and dense weights, reorders the rows of the first dense layer after
a flatten (and of any batch norm between them) from (h, w, c) to (c, h, w), and maps batch
norm's running statistics and momentum (digitrain keeps Keras's convention: the running value
is `momentum * running + (1 - momentum) * batch`; PyTorch's momentum is the other weight).
`save` does the reverse and refuses, naming the module, anything digitrain cannot represent.
Like digitrain, the model's output is its last layer's values; probabilities are their softmax.

As a command (Debian's /usr/bin/python3, where python3-torch installs):

    digitrain_torch.py predict --model M.safetensors --data DIR --out P.csv
        every MNIST test image's label, predicted class and probabilities, in the CSV form of
        `digitrain eval --predictions`
    digitrain_torch.py convert --model M.safetensors --out M2.safetensors
        load into PyTorch and write back (what a round trip through PyTorch gives)
    digitrain_torch.py onnx --model M.safetensors --out M.onnx
        the model as ONNX (opset 13, PyTorch's exporter): input "image" (N, 1, 28, 28) floats in
        [0, 1], output "logits" (N, 10), the last layer's values; scripts/onnx_predict.mjs runs
        it in ONNX Runtime
    digitrain_torch.py compare A.csv B.csv [--tolerance 1e-4]
        exit 0 when both files predict the same class for every image and no probability
        differs by more than the tolerance; otherwise say where they differ and exit 1
"""
import argparse
import json
import os
import struct
import sys

import torch
from torch import nn

LAYOUT = "NHWC activations; conv2d weight (KH,KW,C,OC); dense weight (IN,OUT)"


# --- the file format --------------------------------------------------------------------------

def read_safetensors(path):
    """(metadata dict, {name: float32 tensor}) of a .safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: {len(data)} bytes is too short for a .safetensors file")
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise ValueError(f"{path}: the header claims {n} bytes but the file has {len(data) - 8} after its length")
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    meta = header.pop("__metadata__", {}) or {}
    tensors = {}
    for name, e in header.items():
        if e.get("dtype") != "F32":
            raise ValueError(f"{path}: tensor {name} has dtype {e.get('dtype')}; digitrain files hold F32 only")
        b, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(body[b:end]), dtype=torch.float32) if end > b else torch.zeros(0)
        tensors[name] = t.reshape(e["shape"])
    return meta, tensors


def write_safetensors(path, metadata, tensors):
    """Writes F32 tensors (name order) after a header holding `metadata` (strings only)."""
    header, blobs, at = {"__metadata__": metadata}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().to(torch.float32).contiguous().cpu()
        raw = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [at, at + len(raw)]}
        blobs.append(raw)
        at += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-(8 + len(text)) % 8)  # align the data section, as digitrain does
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


# --- layers digitrain has that torch.nn spells differently ----------------------------------------

class Standardize(nn.Module):
    """y = (x - mean) / std with fixed constants (digitrain's `standardize` layer)."""

    def __init__(self, mean, std):
        super().__init__()
        self.mean, self.std = float(mean), float(std)

    def forward(self, x):
        return (x - self.mean) / self.std

    def extra_repr(self):
        return f"mean={self.mean}, std={self.std}"


class SampleSoftmax(nn.Module):
    """Softmax over all of one sample's values, whatever its shape (digitrain's `softmax`)."""

    def forward(self, x):
        return torch.softmax(x.flatten(1), dim=1).reshape(x.shape)


def same_padding(size, kernel, stride):
    """TensorFlow's 'same' (digitrain's): output ceil(size / stride), the odd pixel at the end."""
    out = (size + stride - 1) // stride
    total = max(0, (out - 1) * stride + kernel - size)
    return total // 2, total - total // 2


def nhwc_order(h, w, c):
    """For each (c, h, w) feature PyTorch's flatten gives, its index in digitrain's (h, w, c)."""
    return torch.arange(h * w * c).reshape(h, w, c).permute(2, 0, 1).flatten()


# --- digitrain -> PyTorch -------------------------------------------------------------------------

def to_torch(arch, tensors):
    """nn.Sequential equivalent to a digitrain architecture (dict) with its tensors."""
    h, w, c = arch["input"]
    flat = False  # (N, features) rather than (N, C, H, W)
    feature_order = None  # after a flatten: digitrain's index of each PyTorch feature
    mods = []

    def take(i, key):
        name = f"layers.{i}.{key}"
        if name not in tensors:
            raise ValueError(f"tensor {name} is missing")
        return tensors[name]

    def flatten():
        nonlocal flat, feature_order, h, w, c
        if not flat:  # flattening twice keeps the first flatten's order
            flat, feature_order = True, nhwc_order(h, w, c)
        mods.append(nn.Flatten())
        h, w, c = 1, 1, h * w * c

    for i, layer in enumerate(arch["layers"]):
        kind = layer["type"]
        if flat and kind in ("conv2d", "maxpool", "avgpool"):
            raise ValueError(f"layer {i}: a {kind} after a flatten or dense layer has no PyTorch equivalent here")
        if kind == "conv2d":
            k, s, oc = layer["kernel"], layer.get("stride", 1), layer["filters"]
            conv = nn.Conv2d(c, oc, k, stride=s)
            if layer.get("padding", "valid") == "same":
                (top, bottom), (left, right) = same_padding(h, k, s), same_padding(w, k, s)
                if (top, left) == (bottom, right):
                    conv.padding = (top, left)
                else:
                    mods.append(nn.ZeroPad2d((left, right, top, bottom)))
                h, w = (h + s - 1) // s, (w + s - 1) // s
            else:
                h, w = (h - k) // s + 1, (w - k) // s + 1
            conv.weight.data = take(i, "weight").permute(3, 2, 0, 1).contiguous()
            conv.bias.data = take(i, "bias").clone()
            mods.append(conv)
            c = oc
        elif kind == "dense":
            if not flat:
                flatten()  # digitrain's dense reads a spatial input as its (h, w, c) flattening
            weight = take(i, "weight")  # (IN, OUT)
            if feature_order is not None:
                weight = weight[feature_order]
            lin = nn.Linear(weight.shape[0], weight.shape[1])
            lin.weight.data = weight.t().contiguous()
            lin.bias.data = take(i, "bias").clone()
            mods.append(lin)
            feature_order, c = None, weight.shape[1]
        elif kind == "batchnorm":
            bn = (nn.BatchNorm1d if flat else nn.BatchNorm2d)(c, eps=layer.get("eps", 1e-3),
                                                               momentum=1.0 - layer.get("momentum", 0.99))
            order = feature_order if feature_order is not None else slice(None)
            bn.weight.data = take(i, "gamma")[order].clone()
            bn.bias.data = take(i, "beta")[order].clone()
            bn.running_mean.data = take(i, "running_mean")[order].clone()
            bn.running_var.data = take(i, "running_var")[order].clone()
            mods.append(bn)
        elif kind in ("maxpool", "avgpool"):
            size, s = layer["size"], layer.get("stride", layer["size"])
            mods.append((nn.MaxPool2d if kind == "maxpool" else nn.AvgPool2d)(size, stride=s))
            h, w = (h - size) // s + 1, (w - size) // s + 1
        elif kind == "flatten":
            flatten()
        elif kind == "relu":
            mods.append(nn.ReLU())
        elif kind == "leaky_relu":
            mods.append(nn.LeakyReLU(layer.get("alpha", 0.01)))
        elif kind == "sigmoid":
            mods.append(nn.Sigmoid())
        elif kind == "tanh":
            mods.append(nn.Tanh())
        elif kind == "softmax":
            mods.append(SampleSoftmax())
        elif kind == "dropout":
            mods.append(nn.Dropout(layer["rate"]))
        elif kind == "standardize":
            mods.append(Standardize(layer["mean"], layer["std"]))
        else:
            raise ValueError(f"layer {i}: no PyTorch equivalent here for digitrain layer type '{kind}'")
    return nn.Sequential(*mods).eval()


def load(path):
    """The digitrain model file at `path` as a PyTorch model in eval mode."""
    meta, tensors = read_safetensors(path)
    if "architecture" not in meta:
        raise ValueError(f"{path}: no architecture in __metadata__; it was not written by digitrain")
    return to_torch(json.loads(meta["architecture"]), tensors)


# --- PyTorch -> digitrain -------------------------------------------------------------------------

def from_torch(model, input_shape=(28, 28, 1)):
    """(architecture dict, tensors) of a torch nn.Sequential in digitrain's form."""
    h, w, c = input_shape
    layers, tensors = [], {}
    flat = False
    feature_order = None
    pending_pad = None  # a ZeroPad2d waiting for the conv it pads

    def refuse(m, why):
        raise ValueError(f"{type(m).__name__} ({m}): {why}; digitrain cannot represent it")

    def add(spec, **params):
        i = len(layers)
        layers.append(spec)
        for key, t in params.items():
            tensors[f"layers.{i}.{key}"] = t.detach().clone().float()

    def flatten():
        nonlocal flat, feature_order, h, w, c
        if not flat:
            flat, feature_order = True, nhwc_order(h, w, c)
        add({"type": "flatten"})
        h, w, c = 1, 1, h * w * c

    for m in model:
        if pending_pad is not None and not isinstance(m, nn.Conv2d):
            refuse(pending_pad, "a ZeroPad2d is only understood right before a Conv2d")
        if isinstance(m, nn.ZeroPad2d):
            pending_pad = m
        elif isinstance(m, nn.Conv2d):
            if flat:
                refuse(m, "a Conv2d after the features were flattened")
            k, s = m.kernel_size, m.stride
            if k[0] != k[1] or s[0] != s[1]:
                refuse(m, "only square kernels and strides")
            if m.groups != 1 or tuple(m.dilation) != (1, 1) or m.padding_mode != "zeros":
                refuse(m, "only groups=1, dilation 1 and zero padding")
            k, s = k[0], s[0]
            if m.padding == "same":
                pads = (*same_padding(h, k, s), *same_padding(w, k, s))
            elif m.padding == "valid":
                pads = (0, 0, 0, 0)
            else:
                pads = (m.padding[0], m.padding[0], m.padding[1], m.padding[1])
            if pending_pad is not None:
                left, right, top, bottom = pending_pad.padding
                pads = (pads[0] + top, pads[1] + bottom, pads[2] + left, pads[3] + right)
                pending_pad = None
            if pads == (0, 0, 0, 0):
                same = False
                oh, ow = (h - k) // s + 1, (w - k) // s + 1
            elif pads == (*same_padding(h, k, s), *same_padding(w, k, s)):
                same = True
                oh, ow = (h + s - 1) // s, (w + s - 1) // s
            else:
                refuse(m, f"padding (top, bottom, left, right) {pads} on a {h}x{w} input is neither "
                          f"none ('valid') nor TensorFlow's 'same'")
            bias = m.bias if m.bias is not None else torch.zeros(m.out_channels)
            add({"type": "conv2d", "filters": m.out_channels, "kernel": k, "stride": s,
                 "padding": "same" if same else "valid"},
                weight=m.weight.permute(2, 3, 1, 0), bias=bias)
            h, w, c = oh, ow, m.out_channels
        elif isinstance(m, nn.Flatten):
            if m.start_dim != 1 or m.end_dim != -1:
                refuse(m, "only Flatten(start_dim=1, end_dim=-1)")
            flatten()
        elif isinstance(m, nn.Linear):
            if not flat:
                refuse(m, "a Linear on an (N, C, H, W) tensor acts on W alone; put nn.Flatten() before it")
            weight = m.weight.t()  # (IN, OUT) with PyTorch's feature order
            if feature_order is not None:
                reordered = torch.empty_like(weight)
                reordered[feature_order] = weight
                weight = reordered
            bias = m.bias if m.bias is not None else torch.zeros(m.out_features)
            add({"type": "dense", "units": m.out_features}, weight=weight, bias=bias)
            feature_order, c = None, m.out_features
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            if isinstance(m, nn.BatchNorm1d) != flat:
                refuse(m, "BatchNorm1d belongs after a flatten, BatchNorm2d before it")
            if not m.affine or not m.track_running_stats or m.momentum is None:
                refuse(m, "only affine batch norm with running statistics and a momentum")
            params = [m.weight, m.bias, m.running_mean, m.running_var]
            if feature_order is not None:
                params = [_scatter(p, feature_order) for p in params]
            add({"type": "batchnorm", "eps": m.eps, "momentum": 1.0 - m.momentum},
                gamma=params[0], beta=params[1], running_mean=params[2], running_var=params[3])
        elif isinstance(m, (nn.MaxPool2d, nn.AvgPool2d)):
            if flat:
                refuse(m, "a pool after the features were flattened")
            size, s = _square(m, m.kernel_size), _square(m, m.stride if m.stride is not None else m.kernel_size)
            if _square(m, m.padding) != 0 or m.ceil_mode or (isinstance(m, nn.MaxPool2d) and _square(m, m.dilation) != 1):
                refuse(m, "only pools without padding, dilation or ceil_mode")
            add({"type": "maxpool" if isinstance(m, nn.MaxPool2d) else "avgpool", "size": size, "stride": s})
            h, w = (h - size) // s + 1, (w - size) // s + 1
        elif isinstance(m, nn.ReLU):
            add({"type": "relu"})
        elif isinstance(m, nn.LeakyReLU):
            add({"type": "leaky_relu", "alpha": m.negative_slope})
        elif isinstance(m, nn.Sigmoid):
            add({"type": "sigmoid"})
        elif isinstance(m, nn.Tanh):
            add({"type": "tanh"})
        elif isinstance(m, SampleSoftmax) or (isinstance(m, nn.Softmax) and m.dim in (1, -1) and flat):
            add({"type": "softmax"})
        elif isinstance(m, nn.Dropout):
            add({"type": "dropout", "rate": m.p})
        elif isinstance(m, Standardize):
            add({"type": "standardize", "mean": m.mean, "std": m.std})
        else:
            refuse(m, "not a layer type digitrain has")
    if pending_pad is not None:
        refuse(pending_pad, "a ZeroPad2d is only understood right before a Conv2d")
    arch = {"input": list(input_shape), "init": "he_uniform", "layout": LAYOUT, "layers": layers}
    return arch, tensors


def _scatter(values, order):
    out = torch.empty_like(values)
    out[order] = values
    return out


def _square(m, v):
    if isinstance(v, (tuple, list)):
        if len(set(v)) != 1:
            raise ValueError(f"{type(m).__name__} ({m}): only square windows; digitrain cannot represent it")
        return v[0]
    return v


def export_onnx(model, path, input_shape=(28, 28, 1)):
    """Writes the PyTorch model as ONNX with a dynamic batch size."""
    h, w, c = input_shape
    torch.onnx.export(model.eval(), torch.zeros(1, c, h, w), path, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)


def save(model, path, input_shape=(28, 28, 1), metadata=None):
    """Writes a torch nn.Sequential as a digitrain model file."""
    arch, tensors = from_torch(model, input_shape)
    meta = {"format": "digitrain", "architecture": json.dumps(arch), **(metadata or {})}
    write_safetensors(path, meta, tensors)


# --- the command --------------------------------------------------------------------------------

def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[:3] != b"\0\0\x08":
        raise ValueError(f"{path}: not an unsigned-byte idx file")
    dims = struct.unpack(">" + "I" * data[3], data[4:4 + 4 * data[3]])
    return torch.frombuffer(bytearray(data[4 + 4 * len(dims):]), dtype=torch.uint8).reshape(dims)


def predictions(model, images):
    """Softmax of the model's outputs for (N, 28, 28) uint8 images, in batches."""
    x = images.float().div(255.0).unsqueeze(1)
    with torch.no_grad():
        return torch.cat([torch.softmax(model(x[i:i + 500]).flatten(1), dim=1) for i in range(0, len(x), 500)])


def write_csv(path, labels, probs):
    with open(path, "w") as f:
        f.write("index,label,predicted," + ",".join(f"p{k}" for k in range(probs.shape[1])) + "\n")
        for i, (label, p) in enumerate(zip(labels.tolist(), probs.tolist())):
            f.write(f"{i},{label},{max(range(len(p)), key=p.__getitem__)}," + ",".join(f"{v:.9g}" for v in p) + "\n")


def read_csv(path):
    with open(path) as f:
        rows = [line.rstrip("\n").split(",") for line in f][1:]
    return [int(r[2]) for r in rows], torch.tensor([[float(v) for v in r[3:]] for r in rows], dtype=torch.float64)


def compare(a, b, tolerance):
    pa, qa = read_csv(a)
    pb, qb = read_csv(b)
    if len(pa) != len(pb):
        print(f"{a} has {len(pa)} rows, {b} has {len(pb)}", file=sys.stderr)
        return 1
    differ = [i for i in range(len(pa)) if pa[i] != pb[i]]
    worst = (qa - qb).abs().max().item() if len(pa) else 0.0
    print(json.dumps({"images": len(pa), "predictions_differ": len(differ), "max_probability_difference": worst}))
    if differ:
        print(f"predicted classes differ on {len(differ)} images, first image {differ[0]}: {pa[differ[0]]} vs {pb[differ[0]]}",
              file=sys.stderr)
    if worst > tolerance:
        print(f"probabilities differ by up to {worst:.3g}, more than {tolerance:g}", file=sys.stderr)
    return 0 if not differ and worst <= tolerance else 1


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("predict", help="each MNIST test image's probabilities as CSV")
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True, help="folder with t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte")
    p.add_argument("--out", required=True)
    c = sub.add_parser("convert", help="load into PyTorch and write back as a digitrain file")
    c.add_argument("--model", required=True)
    c.add_argument("--out", required=True)
    o = sub.add_parser("onnx", help="the model as ONNX")
    o.add_argument("--model", required=True)
    o.add_argument("--out", required=True)
    k = sub.add_parser("compare", help="two prediction CSVs agree")
    k.add_argument("a")
    k.add_argument("b")
    k.add_argument("--tolerance", type=float, default=1e-4)
    args = ap.parse_args(argv)
    try:
        if args.command == "predict":
            model = load(args.model)
            images = read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte"))
            labels = read_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte"))
            write_csv(args.out, labels, predictions(model, images))
            return 0
        if args.command == "convert":
            meta, _ = read_safetensors(args.model)
            arch = json.loads(meta["architecture"])
            keep = {key: v for key, v in meta.items() if key not in ("architecture", "format")}
            save(load(args.model), args.out, tuple(arch["input"]), keep)
            return 0
        if args.command == "onnx":
            meta, _ = read_safetensors(args.model)
            export_onnx(load(args.model), args.out, tuple(json.loads(meta["architecture"])["input"]))
            return 0
        return compare(args.a, args.b, args.tolerance)
    except (OSError, ValueError, KeyError) as e:
        print(f"digitrain_torch.py: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
