#!/usr/bin/python3
"""keras-cnn in PyTorch, timed: the native reference the benchmark compares digitrain against.

The model is digitrain's `keras-cnn` preset layer for layer (conv 32 3x3 relu, maxpool 2,
conv 64 3x3 relu, maxpool 2, conv 64 3x3 relu, flatten, dense 64 relu, dense 10), trained with
Adam 1e-3 on the same MNIST idx files. For each (batch, threads) it runs `--warmup` steps, then
times `--steps` steps, and prints one JSON object per line:
  {"batch": 32, "threads": 1, "steps": 200, "samples_per_second": ...}
The last line is {"event": "done", "torch": VERSION}. Errors go to stderr with exit status 1.

Run it with Debian's interpreter (/usr/bin/python3), which is the one python3-torch installs into.
"""
import argparse
import json
import os
import struct
import sys
import time


def read_idx(path):
    """An idx file as (dims, bytes); MNIST images are (N, 28, 28) uint8, labels (N,) uint8."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte idx file")
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    body = data[4 + 4 * ndim:]
    count = 1
    for d in dims:
        count *= d
    if len(body) != count:
        raise ValueError(f"{path}: header says {count} values, file has {len(body)}")
    return dims, body


def keras_cnn(nn):
    # PyTorch is NCHW; the layer list is the same as digitrain's NHWC keras-cnn.
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3), nn.ReLU(),
        nn.Flatten(), nn.Linear(64 * 3 * 3, 64), nn.ReLU(), nn.Linear(64, 10))


def samples_per_second(torch, images, labels, batch, threads, warmup, steps, seed):
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    model = keras_cnn(torch.nn)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = images.shape[0]
    gen = torch.Generator().manual_seed(seed)
    order = torch.randperm(n, generator=gen)

    def step(i):
        idx = order[(i * batch) % (n - batch):][:batch]
        x, y = images[idx], labels[idx]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    for i in range(warmup):
        step(i)
    t0 = time.perf_counter()
    for i in range(warmup, warmup + steps):
        step(i)
    return steps * batch / (time.perf_counter() - t0)


def loaded_blas():
    """Which BLAS answers PyTorch's libblas.so.3 calls, from this process's memory maps:
    "openblas", "reference" (Debian's netlib libblas, many times slower for dense layers; it
    wins even when OpenBLAS's liblapack is also loaded), or the mapped BLAS files."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.split()[-1].lower()}
    except OSError:
        return "unknown (no /proc/self/maps)"
    libblas = [p for p in paths if os.path.basename(p).startswith("libblas.so.3")]
    if any("/blas/" in p for p in libblas):
        return "reference"
    if any("openblas" in p for p in libblas) or (not libblas and any("libopenblas" in p for p in paths)):
        return "openblas"
    return "unknown (" + (", ".join(sorted(paths)) or "no BLAS mapped") + ")"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="folder with train-images-idx3-ubyte and train-labels-idx1-ubyte")
    ap.add_argument("--batches", default="32,128")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--steps", type=int, default=200, help="timed steps per batch size (samples = steps * batch)")
    ap.add_argument("--samples", type=int, default=0, help="timed samples instead of steps (steps = samples / batch)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    try:
        import torch
    except ImportError as e:
        print(f"keras_cnn.py: PyTorch is not importable by {sys.executable}: {e}", file=sys.stderr)
        return 1
    try:
        dims, img = read_idx(os.path.join(args.data, "train-images-idx3-ubyte"))
        _, lab = read_idx(os.path.join(args.data, "train-labels-idx1-ubyte"))
    except (OSError, ValueError) as e:
        print(f"keras_cnn.py: {e}", file=sys.stderr)
        return 1
    images = torch.frombuffer(bytearray(img), dtype=torch.uint8).reshape(dims[0], 1, dims[1], dims[2]).float() / 255.0
    labels = torch.frombuffer(bytearray(lab), dtype=torch.uint8).long()
    for batch in (int(b) for b in args.batches.split(",")):
        steps = max(1, args.samples // batch) if args.samples else args.steps
        for threads in (int(t) for t in args.threads.split(",")):
            sps = samples_per_second(torch, images, labels, batch, threads, args.warmup, steps, args.seed)
            print(json.dumps({"batch": batch, "threads": threads, "steps": steps, "samples_per_second": sps}), flush=True)
    print(json.dumps({"event": "done", "torch": torch.__version__, "blas": loaded_blas()}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
