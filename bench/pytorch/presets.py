#!/usr/bin/python3
"""digitrain's presets in PyTorch, timed: the native reference the benchmark compares against.

Each model is the digitrain preset of the same name layer for layer (src/recipe/presets.cpp),
trained with the preset's optimiser, learning rate, schedule, loss and augmentation on the
same MNIST idx files. Two modes; each prints one JSON object per line and, last,
{"event": "done", "torch": VERSION, "blas": ...}. Errors go to stderr with exit status 1.

  speed    for each preset, batch and thread count: `--warmup` steps, then `--samples` timed
           samples: {"preset", "batch", "threads", "steps", "samples_per_second"}
  time-to  for each seed: the preset's whole run and then its test evaluation, timed from the
           built model to the evaluated one, as digitrain's CLI reports it (its `start` line
           to its `done` line): {"preset", "seed", "threads", "epochs", "wall_seconds",
           "test_accuracy"}

Run it with Debian's interpreter (/usr/bin/python3), which is the one python3-torch installs into.
"""
import argparse
import json
import math
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


# The recipes. PyTorch is NCHW where digitrain is NHWC: the layer lists are the same, the
# flattened order differs, which changes nothing about speed or accuracy.
# Batch norm is Keras' (eps 1e-3, running averages kept at 0.99, PyTorch's momentum 0.01);
# Adam's eps is Keras' 1e-7, as digitrain's.
PRESETS = {
    "keras-cnn": dict(batch=32, epochs=5, optimizer="adam", lr=1e-3, schedule="constant"),
    "keras-cnn-dropout": dict(batch=128, epochs=10, optimizer="adam", lr=1e-3, schedule="constant"),
    "torch-lenet": dict(batch=64, epochs=10, optimizer="momentum", lr=1e-3, schedule="constant"),
    "mlp": dict(batch=32, epochs=10, optimizer="adam", lr=1e-3, schedule="constant"),
    "fast": dict(batch=32, epochs=1, optimizer="adam", lr=5e-3, schedule="one-cycle", init="he_uniform"),
    "best": dict(batch=64, epochs=20, optimizer="adam", lr=5e-3, schedule="one-cycle", init="he_uniform",
                 label_smoothing=0.1, augment=(10.0, 0.1, 2.0)),
}


def build_model(torch, name):
    nn = torch.nn

    def bn2d(c):
        return nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)

    class Standardize(nn.Module):  # (x - mean) / std, as digitrain's standardize layer
        def forward(self, x):
            return (x - 0.1307) / 0.3081

    if name == "keras-cnn":
        return nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 64, 3), nn.ReLU(),
            nn.Flatten(), nn.Linear(64 * 3 * 3, 64), nn.ReLU(), nn.Linear(64, 10))
    if name == "keras-cnn-dropout":
        return nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(64 * 5 * 5, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 10))
    if name == "torch-lenet":
        return nn.Sequential(
            Standardize(), nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(64 * 7 * 7, 1024), nn.ReLU(), nn.Linear(1024, 10))
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 100), nn.ReLU(),
                             nn.Linear(100, 10))
    if name == "fast":
        return nn.Sequential(
            nn.Conv2d(1, 32, 3), bn2d(32), nn.MaxPool2d(2), nn.ReLU(),
            nn.Conv2d(32, 32, 3), bn2d(32), nn.MaxPool2d(2), nn.ReLU(),
            nn.Flatten(), nn.Linear(32 * 5 * 5, 128), nn.BatchNorm1d(128, eps=1e-3, momentum=0.01), nn.ReLU(),
            nn.Linear(128, 10))
    if name == "best":
        return nn.Sequential(
            nn.Conv2d(1, 32, 5), bn2d(32), nn.MaxPool2d(2), nn.ReLU(), nn.Dropout(0.25),
            nn.Conv2d(32, 64, 5), bn2d(64), nn.MaxPool2d(2), nn.ReLU(), nn.Dropout(0.25),
            nn.Flatten(), nn.Linear(64 * 4 * 4, 256), nn.BatchNorm1d(256, eps=1e-3, momentum=0.01), nn.ReLU(),
            nn.Dropout(0.3), nn.Linear(256, 10))
    raise ValueError(f"unknown preset '{name}' (known: {', '.join(PRESETS)})")


def initialize(torch, model, init):
    """digitrain's he_uniform: weights U(-l, l) with l = sqrt(6 / fan_in), zero biases (the other
    presets keep PyTorch's default initialisation, which only changes where training starts)."""
    if init != "he_uniform":
        return
    for m in model.modules():
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
            torch.nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
            torch.nn.init.zeros_(m.bias)


def one_cycle(progress, warmup=0.25, div=25.0, final_div=1e4):
    """digitrain's one-cycle factor of the peak rate (src/train/schedule.cpp): a linear warm-up
    from 1/div to 1 over the first quarter, then cosine annealing to 1/final_div."""
    progress = min(max(progress, 0.0), 1.0)
    start, end = 1.0 / div, 1.0 / final_div
    if progress < warmup:
        return start + (1.0 - start) * progress / warmup
    p = (progress - warmup) / max(1e-6, 1.0 - warmup)
    return end + (1.0 - end) * 0.5 * (1.0 + math.cos(math.pi * p))


def augment(torch, x, amounts, gen):
    """digitrain's affine augmentation (src/data/augment.cpp) for a batch: a random rotation,
    zoom and shift per image, bilinear, background outside."""
    rotate, scale, shift = amounts
    n, _, h, w = x.shape
    u = lambda lo, hi: lo + (hi - lo) * torch.rand(n, generator=gen)
    angle = u(-rotate, rotate) * math.pi / 180.0
    zoom = u(1.0 - scale, 1.0 + scale)
    tx, ty = u(-shift, shift) * 2.0 / (w - 1), u(-shift, shift) * 2.0 / (h - 1)
    cs, sn = torch.cos(angle) / zoom, torch.sin(angle) / zoom
    # source = A (output - t), in align_corners coordinates where the centre is 0
    theta = torch.stack([torch.stack([cs, sn, -(cs * tx + sn * ty)], 1),
                         torch.stack([-sn, cs, -(-sn * tx + cs * ty)], 1)], 1)
    grid = torch.nn.functional.affine_grid(theta, list(x.shape), align_corners=True)
    return torch.nn.functional.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=True)


class Run:
    """One preset's training state: model, optimiser, schedule, loss."""

    def __init__(self, torch, name, batch, seed, steps_total):
        r = PRESETS[name]
        self.torch, self.recipe, self.batch = torch, r, batch
        torch.manual_seed(seed)
        self.model = build_model(torch, name)
        initialize(torch, self.model, r.get("init"))
        params = self.model.parameters()
        if r["optimizer"] == "adam":
            self.opt = torch.optim.Adam(params, lr=r["lr"], eps=1e-7)
        else:
            self.opt = torch.optim.SGD(params, lr=r["lr"], momentum=0.9)
        self.loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=r.get("label_smoothing", 0.0))
        self.steps_total = max(1, steps_total)
        self.step_count = 0
        self.gen = torch.Generator().manual_seed(seed)

    def step(self, x, y):
        torch, r = self.torch, self.recipe
        if r["schedule"] == "one-cycle":
            for g in self.opt.param_groups:
                g["lr"] = r["lr"] * one_cycle(self.step_count / self.steps_total)
        if "augment" in r:
            x = augment(torch, x, r["augment"], self.gen)
        self.opt.zero_grad(set_to_none=True)
        loss = self.loss_fn(self.model(x), y)
        loss.backward()
        self.opt.step()
        self.step_count += 1


def samples_per_second(torch, images, labels, name, batch, threads, warmup, steps, seed):
    torch.set_num_threads(threads)
    run = Run(torch, name, batch, seed, steps_total=warmup + steps)
    run.model.train()
    n = images.shape[0]
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))

    def step(i):
        idx = order[(i * batch) % (n - batch):][:batch]
        run.step(images[idx], labels[idx])

    for i in range(warmup):
        step(i)
    t0 = time.perf_counter()
    for i in range(warmup, warmup + steps):
        step(i)
    return steps * batch / (time.perf_counter() - t0)


def time_to_accuracy(torch, train, test, name, threads, seed):
    """The preset's whole run, then the test set: wall seconds from the built model to the test
    accuracy, as digitrain's CLI times its run (data loaded before the clock starts)."""
    torch.set_num_threads(threads)
    (images, labels), (test_images, test_labels) = train, test
    r = PRESETS[name]
    n, batch, epochs = images.shape[0], r["batch"], r["epochs"]
    per_epoch = (n + batch - 1) // batch
    run = Run(torch, name, batch, seed, steps_total=per_epoch * epochs)
    t0 = time.perf_counter()
    for _ in range(epochs):
        run.model.train()
        order = torch.randperm(n, generator=run.gen)
        for s in range(0, n, batch):
            idx = order[s:s + batch]
            run.step(images[idx], labels[idx])
    run.model.eval()
    correct = 0
    with torch.no_grad():
        for s in range(0, test_images.shape[0], 1000):
            correct += int((run.model(test_images[s:s + 1000]).argmax(1) == test_labels[s:s + 1000]).sum())
    wall = time.perf_counter() - t0
    return {"preset": name, "seed": seed, "threads": threads, "epochs": epochs, "wall_seconds": wall,
            "test_accuracy": correct / test_images.shape[0]}


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


def load(torch, folder, prefix):
    dims, img = read_idx(os.path.join(folder, f"{prefix}-images-idx3-ubyte"))
    _, lab = read_idx(os.path.join(folder, f"{prefix}-labels-idx1-ubyte"))
    images = torch.frombuffer(bytearray(img), dtype=torch.uint8).reshape(dims[0], 1, dims[1], dims[2]).float() / 255.0
    return images, torch.frombuffer(bytearray(lab), dtype=torch.uint8).long()


def int_list(text):
    return [int(v) for v in text.split(",") if v]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["speed", "time-to"])
    ap.add_argument("--data", required=True, help="folder with MNIST's idx files (train-*, and t10k-* for time-to)")
    ap.add_argument("--presets", default="keras-cnn", help=f"comma-separated, of: {', '.join(PRESETS)}")
    ap.add_argument("--batches", default="", help="speed: batch sizes (default: each preset's own)")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--samples", type=int, default=6400, help="speed: timed samples per measurement")
    ap.add_argument("--seeds", default="1", help="time-to: comma-separated seeds; speed: the first is used")
    args = ap.parse_args()
    names = [p for p in args.presets.split(",") if p]
    unknown = [p for p in names if p not in PRESETS]
    if unknown:
        print(f"presets.py: unknown preset {', '.join(unknown)} (known: {', '.join(PRESETS)})", file=sys.stderr)
        return 1
    try:
        import torch
    except ImportError as e:
        print(f"presets.py: PyTorch is not importable by {sys.executable}: {e}", file=sys.stderr)
        return 1
    try:
        train = load(torch, args.data, "train")
        test = load(torch, args.data, "t10k") if args.mode == "time-to" else None
    except (OSError, ValueError) as e:
        print(f"presets.py: {e}", file=sys.stderr)
        return 1
    seeds, threads = int_list(args.seeds), int_list(args.threads)
    for name in names:
        if args.mode == "speed":
            for batch in int_list(args.batches) or [PRESETS[name]["batch"]]:
                steps = max(1, args.samples // batch)
                for t in threads:
                    sps = samples_per_second(torch, *train, name, batch, t, args.warmup, steps, seeds[0])
                    print(json.dumps({"preset": name, "batch": batch, "threads": t, "steps": steps,
                                      "samples_per_second": sps}), flush=True)
        else:
            for seed in seeds:
                for t in threads:
                    print(json.dumps(time_to_accuracy(torch, train, test, name, t, seed)), flush=True)
    print(json.dumps({"event": "done", "torch": torch.__version__, "blas": loaded_blas()}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
