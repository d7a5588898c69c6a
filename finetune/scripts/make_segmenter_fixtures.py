#!/usr/bin/env python3
"""Build the tiny TorchScript segmenter fixtures used by the finetune module's tests.

Writes, under OUT_DIR (normally finetune/src/test/resources/fixtures):

  tiny-segmenter/      valid "roadneg-segmenter/1" model (K=19, C=16, stride 4)
                       model.pt + model.json + golden.json
  bad-single-output/   forward returns only logits (breaks the contract)
  bad-class-count/     forward returns 5-class logits while model.json says 19

Run with a Python that has torch installed, e.g. Debian's /usr/bin/python3:

    /usr/bin/python3 finetune/scripts/make_segmenter_fixtures.py \
        finetune/src/test/resources/fixtures

The script reloads every saved model.pt and checks it against the eager module
and against golden.json before it exits (non-zero exit status on mismatch).
"""

import argparse
import io
import json
import os
import sys
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from torchscript_archive import strip_debug_records  # noqa: E402

CONTRACT = "roadneg-segmenter/1"
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
NUM_CLASSES = 19
FEATURE_CHANNELS = 16
OUTPUT_STRIDE = 4
GOLDEN_SHAPE = (1, 3, 32, 64)


class TinyBackbone(nn.Module):
    """conv-BN-ReLU x3: stride 2, stride 2, stride 1 -> C feature channels at stride 4."""

    def __init__(self, channels: int = FEATURE_CHANNELS):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, channels, 3, stride=2, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.conv3 = nn.Conv2d(channels, channels, 3, stride=1, padding=1, bias=False)
        self.bn3 = nn.BatchNorm2d(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        return F.relu(self.bn3(self.conv3(x)))


class TinySegmenter(nn.Module):
    """Contract-conforming: forward(x) -> (logits, features), logits = classifier(features)."""

    def __init__(self, classes: int = NUM_CLASSES, channels: int = FEATURE_CHANNELS):
        super().__init__()
        self.backbone = TinyBackbone(channels)
        self.classifier = nn.Conv2d(channels, classes, 1, bias=True)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        features = self.backbone(x)
        logits = self.classifier(features)
        return logits, features


class SingleOutputSegmenter(nn.Module):
    """Broken: forward returns only the logits tensor."""

    def __init__(self, classes: int = NUM_CLASSES, channels: int = FEATURE_CHANNELS):
        super().__init__()
        self.backbone = TinyBackbone(channels)
        self.classifier = nn.Conv2d(channels, classes, 1, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.backbone(x))


def init_deterministic(model: nn.Module, seed: int = 0) -> nn.Module:
    """Seeded init; BN affine params and running stats are made non-trivial so that
    eval-mode BatchNorm is really exercised by the golden values."""
    torch.manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            if m.bias is not None:
                nn.init.uniform_(m.bias, -0.1, 0.1)
        elif isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 2.0)
                m.num_batches_tracked.fill_(1)
    return model


def model_json(num_classes: int) -> dict:
    return {
        "contract": CONTRACT,
        "numClasses": num_classes,
        "featureChannels": FEATURE_CHANNELS,
        "outputStride": OUTPUT_STRIDE,
        "mean": MEAN,
        "std": STD,
        "classifierWeight": "classifier.weight",
        "classifierBias": "classifier.bias",
    }


def golden_input() -> torch.Tensor:
    n = GOLDEN_SHAPE[0] * GOLDEN_SHAPE[1] * GOLDEN_SHAPE[2] * GOLDEN_SHAPE[3]
    return torch.linspace(-1.0, 1.0, n).reshape(*GOLDEN_SHAPE)


def write_json(path: str, obj: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def save_scripted(model: nn.Module, directory: str, meta: dict) -> torch.jit.ScriptModule:
    os.makedirs(directory, exist_ok=True)
    model.eval()
    scripted = torch.jit.script(model)
    buf = io.BytesIO()
    torch.jit.save(scripted, buf)
    with open(os.path.join(directory, "model.pt"), "wb") as f:
        f.write(strip_debug_records(buf.getvalue()))
    write_json(os.path.join(directory, "model.json"), meta)
    return scripted


def golden_values(model) -> dict:
    model.eval()
    with torch.no_grad():
        logits, features = model(golden_input())
    return {
        "input": "torch.linspace(-1, 1, 1*3*32*64).reshape(1, 3, 32, 64), float32, "
                 "fed to forward() as is (no mean/std normalisation), eval mode",
        "inputShape": list(GOLDEN_SHAPE),
        "logitsShape": list(logits.shape),
        "featuresShape": list(features.shape),
        "logitsSum": float(logits.double().sum()),
        "featuresSum": float(features.double().sum()),
        "logits_0_c_0_0": [float(v) for v in logits[0, :, 0, 0]],
        "features_0_c_0_0": [float(v) for v in features[0, :, 0, 0]],
        "suggestedAbsTolerance": 1e-4,
        "suggestedSumRelTolerance": 1e-4,
    }


def check(cond: bool, msg: str, errors: list) -> None:
    print(("ok   " if cond else "FAIL ") + msg)
    if not cond:
        errors.append(msg)


def verify(out_dir: str, eager: dict) -> list:
    errors = []
    x = golden_input()

    # a) tiny-segmenter
    d = os.path.join(out_dir, "tiny-segmenter")
    m = torch.jit.load(os.path.join(d, "model.pt"))
    with open(os.path.join(d, "golden.json"), encoding="utf-8") as f:
        g = json.load(f)
    with open(os.path.join(d, "model.json"), encoding="utf-8") as f:
        meta = json.load(f)
    m.eval()
    with torch.no_grad():
        out = m(x)
        ref_logits, ref_features = eager["tiny-segmenter"](x)
    check(isinstance(out, tuple) and len(out) == 2, "tiny-segmenter returns a 2-tuple", errors)
    logits, features = out
    check(list(logits.shape) == g["logitsShape"], f"logits shape {list(logits.shape)}", errors)
    check(list(features.shape) == g["featuresShape"], f"features shape {list(features.shape)}",
          errors)
    check(logits.shape[1] == meta["numClasses"] and features.shape[1] == meta["featureChannels"],
          "channel counts match model.json", errors)
    check(logits.shape[-2:] == features.shape[-2:], "logits and features share resolution",
          errors)
    check(x.shape[-1] // logits.shape[-1] == meta["outputStride"], "output stride matches",
          errors)
    check(torch.allclose(logits, ref_logits, atol=1e-6) and
          torch.allclose(features, ref_features, atol=1e-6), "reloaded == eager", errors)
    check(abs(float(logits.double().sum()) - g["logitsSum"]) <= 1e-6 * max(1, abs(g["logitsSum"])),
          "logits sum == golden", errors)
    check(abs(float(features.double().sum()) - g["featuresSum"])
          <= 1e-6 * max(1, abs(g["featuresSum"])), "features sum == golden", errors)
    check(torch.allclose(logits[0, :, 0, 0], torch.tensor(g["logits_0_c_0_0"]), atol=1e-6),
          "logits[0,:,0,0] == golden", errors)
    sd = m.state_dict()
    w, b = sd[meta["classifierWeight"]], sd[meta["classifierBias"]]
    with torch.no_grad():
        recomputed = F.conv2d(features, w, b)
    check(torch.allclose(recomputed, logits, atol=1e-5),
          "logits == conv1x1(features, classifier params named in model.json)", errors)
    check(any(k.endswith("running_mean") for k in sd), "has BatchNorm buffers", errors)

    # trainable after loading: gradients reach every parameter, BN stats update in train mode
    m.train()
    before = sd["backbone.bn1.running_mean"].clone()
    lg, _ = m(torch.randn(2, 3, 32, 32))
    loss = F.cross_entropy(lg, torch.randint(0, NUM_CLASSES, (2, 8, 8)))
    loss.backward()
    params = dict(m.named_parameters())
    check(len(params) > 0 and all(p.grad is not None and torch.isfinite(p.grad).all()
                                  for p in params.values()),
          f"all {len(params)} parameters get gradients", errors)
    check(not torch.equal(before, m.state_dict()["backbone.bn1.running_mean"]),
          "BN running stats update in train mode", errors)

    # b) bad-single-output
    m = torch.jit.load(os.path.join(out_dir, "bad-single-output", "model.pt")).eval()
    with torch.no_grad():
        out = m(x)
    check(isinstance(out, torch.Tensor), "bad-single-output returns a single tensor", errors)

    # c) bad-class-count
    m = torch.jit.load(os.path.join(out_dir, "bad-class-count", "model.pt")).eval()
    with open(os.path.join(out_dir, "bad-class-count", "model.json"), encoding="utf-8") as f:
        meta = json.load(f)
    with torch.no_grad():
        out = m(x)
    check(isinstance(out, tuple) and out[0].shape[1] == 5 and meta["numClasses"] == 19,
          "bad-class-count returns 5 classes, model.json says 19", errors)

    for name in ("tiny-segmenter", "bad-single-output", "bad-class-count"):
        size = os.path.getsize(os.path.join(out_dir, name, "model.pt"))
        check(size < 200 * 1024, f"{name}/model.pt is {size} bytes", errors)
    return errors


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Build tiny TorchScript segmenter test fixtures.")
    p.add_argument("out_dir", help="fixtures directory, e.g. finetune/src/test/resources/fixtures")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    torch.set_num_threads(1)

    eager = {}
    tiny = init_deterministic(TinySegmenter(), a.seed).eval()
    d = os.path.join(a.out_dir, "tiny-segmenter")
    save_scripted(tiny, d, model_json(NUM_CLASSES))
    write_json(os.path.join(d, "golden.json"), golden_values(tiny))
    eager["tiny-segmenter"] = tiny

    single = init_deterministic(SingleOutputSegmenter(), a.seed)
    save_scripted(single, os.path.join(a.out_dir, "bad-single-output"), model_json(NUM_CLASSES))

    five = init_deterministic(TinySegmenter(classes=5), a.seed)
    # model.json deliberately claims 19 classes
    save_scripted(five, os.path.join(a.out_dir, "bad-class-count"), model_json(NUM_CLASSES))

    errors = verify(a.out_dir, eager)
    if errors:
        print(f"{len(errors)} check(s) failed", file=sys.stderr)
        return 1
    print("all fixture checks passed")
    return 0


if __name__ == "__main__":
    # TorchScript writes module constants in set-iteration order, which depends on the
    # string hash seed; pin it so that re-running the script gives byte-identical files.
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0")
        os.execve(sys.executable, [sys.executable] + sys.argv, env)
    sys.exit(main())
