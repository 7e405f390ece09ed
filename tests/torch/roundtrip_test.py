#!/usr/bin/python3
"""digitrain model files in PyTorch and back (scripts/digitrain_torch.py), checked on every MNIST
test image: a model trained by the CLI, loaded into torch.nn, predicts the same class for all
10,000 images with probabilities within 1e-4 of `digitrain eval --predictions`; written back,
digitrain reads it bit for bit; a model trained in PyTorch, written as a digitrain file,
answers the same in digitrain as in PyTorch; and the ONNX export, run in ONNX Runtime, answers
as digitrain does.

usage: roundtrip_test.py DIGITRAIN MNIST_DIR
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts")
sys.path.insert(0, SCRIPTS)
import digitrain_torch as dtt  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

DIGITRAIN, DATA = sys.argv[1], sys.argv[2]
TOLERANCE = 1e-4

# Every layer kind the loader maps, in the places where layouts differ: an asymmetric 'same'
# pad (3x3 at stride 2 on 28 pixels), a symmetric one, batch norm on channels and, after the
# flatten, on features in (h, w, c) order.
EVERY_LAYER = {"input": [28, 28, 1], "layers": [
    {"type": "standardize", "mean": 0.1307, "std": 0.3081},
    {"type": "conv2d", "filters": 8, "kernel": 3, "stride": 2, "padding": "same"},
    {"type": "leaky_relu", "alpha": 0.1},
    {"type": "conv2d", "filters": 12, "kernel": 5, "padding": "same"},
    {"type": "batchnorm"},
    {"type": "tanh"},
    {"type": "avgpool", "size": 2},
    {"type": "conv2d", "filters": 6, "kernel": 3},
    {"type": "maxpool", "size": 2, "stride": 1},
    {"type": "flatten"},
    {"type": "batchnorm"},
    {"type": "sigmoid"},
    {"type": "dropout", "rate": 0.2},
    {"type": "dense", "units": 10}]}


def run(*args):
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


class RoundTrip(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.images = dtt.read_idx(os.path.join(DATA, "t10k-images-idx3-ubyte"))
        cls.labels = dtt.read_idx(os.path.join(DATA, "t10k-labels-idx1-ubyte"))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def digitrain_predictions(self, model):
        out = self.path(os.path.basename(model) + ".digitrain.csv")
        run(DIGITRAIN, "eval", "--model", model, "--data", DATA, "--predictions", out)
        return dtt.read_csv(out)

    def torch_predictions(self, model):
        return [int(p.argmax()) for p in dtt.predictions(model, self.images)], \
            dtt.predictions(model, self.images).double()

    def assert_agree(self, ours, theirs, tolerance=TOLERANCE):
        (pa, qa), (pb, qb) = ours, theirs
        self.assertEqual(len(pa), 10000)
        differ = [i for i in range(len(pa)) if pa[i] != pb[i]]
        self.assertEqual(len(differ), 0, f"predicted classes differ on {len(differ)} test images, e.g. {differ[:5]}")
        worst = (qa - qb).abs().max().item()
        self.assertLessEqual(worst, tolerance, f"probabilities differ by up to {worst}")
        return worst

    def trained_by_cli(self, name, *flags):
        model = self.path(name)
        run(DIGITRAIN, "train", "--data", DATA, "--seed", "1", "--threads", "2", "--save", model, *flags)
        return model

    def check_cli_model(self, model):
        ours = self.digitrain_predictions(model)
        torch_model = dtt.load(model)
        worst = self.assert_agree(ours, self.torch_predictions(torch_model))
        # Written back from PyTorch, digitrain reads the very same floats.
        back = self.path("back-" + os.path.basename(model))
        dtt.save(torch_model, back)
        self.assert_agree(ours, self.digitrain_predictions(back), tolerance=0.0)
        # Exported as ONNX and run in ONNX Runtime, it answers as digitrain does too.
        onnx_path = self.path(os.path.basename(model) + ".onnx")
        run(sys.executable, os.path.join(SCRIPTS, "digitrain_torch.py"), "onnx", "--model", model, "--out", onnx_path)
        run("node", os.path.join(SCRIPTS, "onnx_predict.mjs"), onnx_path, DATA, onnx_path + ".csv")
        worst_onnx = self.assert_agree(ours, dtt.read_csv(onnx_path + ".csv"))
        accuracy = sum(int(p == y) for p, y in zip(ours[0], self.labels.tolist())) / 10000
        print(f"{os.path.basename(model)}: test accuracy {accuracy:.4f}; on all 10000 images PyTorch agrees "
              f"(largest probability difference {worst:.2g}), so does its ONNX export in ONNX Runtime ({worst_onnx:.2g})")
        return accuracy

    def test_fast_preset(self):
        model = self.trained_by_cli("fast.safetensors", "--preset", "fast", "--limit", "10000")
        self.assertGreater(self.check_cli_model(model), 0.9)

    def test_every_layer_kind(self):
        arch = self.path("every_layer.json")
        with open(arch, "w") as f:
            json.dump(EVERY_LAYER, f)
        model = self.trained_by_cli("every_layer.safetensors", "--preset", "fast", "--arch", arch, "--limit", "6000")
        torch_model = dtt.load(model)
        kinds = {type(m).__name__ for m in torch_model}
        self.assertTrue({"ZeroPad2d", "BatchNorm1d", "BatchNorm2d", "AvgPool2d", "LeakyReLU"} <= kinds, kinds)
        self.assertGreater(self.check_cli_model(model), 0.5)

    def test_model_trained_in_pytorch(self):
        # A PyTorch user's own model: a conv without bias before batch norm, 'same' by an int
        # padding, PyTorch's momentum convention; a few hundred steps so its statistics are real.
        torch.manual_seed(1)
        model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
                              nn.MaxPool2d(2), nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Flatten(), nn.Linear(16 * 5 * 5, 32), nn.BatchNorm1d(32), nn.ReLU(),
                              nn.Dropout(0.25), nn.Linear(32, 10))
        x = dtt.read_idx(os.path.join(DATA, "train-images-idx3-ubyte")).float().div(255.0).unsqueeze(1)
        y = dtt.read_idx(os.path.join(DATA, "train-labels-idx1-ubyte")).long()
        opt = torch.optim.Adam(model.parameters(), lr=3e-3)
        model.train()
        for step in range(300):
            idx = torch.randint(0, len(x), (64,))
            opt.zero_grad()
            nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
        model.eval()
        path = self.path("from_pytorch.safetensors")
        dtt.save(model, path)
        theirs = self.torch_predictions(model)
        worst = self.assert_agree(self.digitrain_predictions(path), theirs)
        accuracy = sum(int(p == t) for p, t in zip(theirs[0], self.labels.tolist())) / 10000
        self.assertGreater(accuracy, 0.9)
        print(f"from_pytorch.safetensors: accuracy {accuracy:.4f}; digitrain agrees on 10000 images, "
              f"largest probability difference {worst:.2g}")

    def test_refuses_what_digitrain_cannot_represent(self):
        cases = [
            (nn.Sequential(nn.Conv2d(1, 4, 3, dilation=2)), "dilation"),
            (nn.Sequential(nn.Conv2d(1, 4, 3, padding=3)), "neither none"),
            (nn.Sequential(nn.Conv2d(1, 4, 3), nn.Linear(26, 10)), "put nn.Flatten() before it"),
            (nn.Sequential(nn.Flatten(), nn.GELU()), "not a layer type digitrain has"),
            (nn.Sequential(nn.Flatten(), nn.BatchNorm2d(784)), "BatchNorm1d belongs after a flatten"),
            (nn.Sequential(nn.ZeroPad2d(1), nn.ReLU()), "only understood right before a Conv2d"),
        ]
        for model, words in cases:
            with self.assertRaises(ValueError, msg=str(model)) as caught:
                dtt.from_torch(model)
            self.assertIn(words, str(caught.exception))

    def test_foreign_file_is_refused(self):
        path = self.path("foreign.safetensors")
        dtt.write_safetensors(path, {"format": "pt"}, {"weight": torch.zeros(3)})
        with self.assertRaises(ValueError) as caught:
            dtt.load(path)
        self.assertIn("no architecture", str(caught.exception))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
