#!/usr/bin/env python3
"""Export a trained torchvision DeepLabV3 model to the workbench's segmenter TorchScript
contract ("roadneg-segmenter/1").

The exported module's forward(x) takes a float32 N x 3 x H x W batch (already normalised
with the mean/std written to model.json) and returns a tuple (logits, features):

  features  N x C x h x w   output of the DeepLabHead without its final 1x1 conv
  logits    N x K x h x w   that final 1x1 conv ("classifier") applied to features

The auxiliary classifier, if any, is dropped. The output directory receives model.pt and
model.json (classifier parameter names as they appear in the exported state_dict).

Run with a Python that has torch and torchvision installed, e.g. Debian's /usr/bin/python3
(packages python3-torch, python3-torchvision):

    /usr/bin/python3 finetune/scripts/export_segmenter_torchscript.py \
        --arch deeplabv3_resnet50 --classes 19 --weights my_checkpoint.pth \
        --out exported/deeplab-r50 --check

--random-init builds an untrained model instead of loading --weights (for testing the
export only; the result is useless for segmentation).
"""

import argparse
import json
import os
import sys
from collections import OrderedDict
from typing import Dict, List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

CONTRACT = "roadneg-segmenter/1"
ARCHS = ("deeplabv3_resnet50", "deeplabv3_resnet101", "deeplabv3_mobilenet_v3_large")
PREFIXES = ("module.", "model.")


class ContractSegmenter(nn.Module):
    """backbone -> DeepLabHead body (features) -> 1x1 classifier (logits)."""

    def __init__(self, backbone: nn.Module, head: nn.Module, classifier: nn.Conv2d,
                 feature_stride: int):
        super().__init__()
        self.backbone = backbone
        self.head = head
        self.classifier = classifier
        # > 0: bilinearly resize the features to ceil(input / feature_stride) before the
        # classifier (used when the backbone's native stride is coarser than wanted)
        self.feature_stride = feature_stride

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        feats: Dict[str, torch.Tensor] = self.backbone(x)
        features = self.head(feats["out"])
        if self.feature_stride > 0:
            s = self.feature_stride
            h = (x.shape[-2] + s - 1) // s
            w = (x.shape[-1] + s - 1) // s
            features = F.interpolate(features, size=[h, w], mode="bilinear",
                                     align_corners=False)
        logits = self.classifier(features)
        return logits, features


def build_model(arch: str, classes: int) -> nn.Module:
    from torchvision.models import segmentation

    ctor = getattr(segmentation, arch)
    try:
        return ctor(weights=None, weights_backbone=None, num_classes=classes, aux_loss=False)
    except TypeError:  # torchvision < 0.13
        return ctor(pretrained=False, pretrained_backbone=False, num_classes=classes,
                    aux_loss=False)


def load_state_dict(path: str) -> "OrderedDict[str, torch.Tensor]":
    obj = torch.load(path, map_location="cpu")
    if isinstance(obj, nn.Module):
        obj = obj.state_dict()
    if isinstance(obj, dict):
        for key in ("state_dict", "model"):
            if key in obj and isinstance(obj[key], dict):
                obj = obj[key]
                break
    if not isinstance(obj, dict):
        raise SystemExit(f"{path}: not a state_dict or checkpoint dict")
    out = OrderedDict()
    for k, v in obj.items():
        if not isinstance(v, torch.Tensor):
            continue
        stripped = True
        while stripped:
            stripped = False
            for p in PREFIXES:
                if k.startswith(p):
                    k = k[len(p):]
                    stripped = True
        out[k] = v
    return out


def apply_weights(model: nn.Module, state: Dict[str, torch.Tensor]) -> None:
    dropped = [k for k in state if k.startswith("aux_classifier.")]
    state = {k: v for k, v in state.items() if not k.startswith("aux_classifier.")}
    try:
        result = model.load_state_dict(state, strict=False)
    except RuntimeError as e:  # shape mismatches are raised even with strict=False
        first = [l.strip() for l in str(e).splitlines() if "size mismatch" in l][:3]
        raise SystemExit("weights do not fit the model (wrong --arch or --classes?):\n  "
                         + "\n  ".join(first or [str(e)]))
    if dropped:
        print(f"dropped {len(dropped)} aux_classifier tensors")
    if result.unexpected_keys:
        print(f"warning: {len(result.unexpected_keys)} unexpected keys ignored, e.g. "
              f"{result.unexpected_keys[:5]}", file=sys.stderr)
    if result.missing_keys:
        raise SystemExit(f"weights do not fit {type(model).__name__}: "
                         f"{len(result.missing_keys)} missing keys, e.g. "
                         f"{result.missing_keys[:5]} (wrong --arch or --classes?)")


def native_stride(backbone: nn.Module, probe: int = 256) -> int:
    with torch.no_grad():
        h = backbone(torch.zeros(1, 3, probe, probe))["out"].shape[-2]
    return max(1, round(probe / h))


def wrap(model: nn.Module, feature_stride: int) -> Tuple[ContractSegmenter, int]:
    head = model.classifier
    if not isinstance(head, nn.Sequential) or not isinstance(head[-1], nn.Conv2d) \
            or head[-1].kernel_size != (1, 1):
        raise SystemExit("unexpected head: expected a DeepLabHead ending in a 1x1 Conv2d")
    body = nn.Sequential(*list(head.children())[:-1])
    stride = native_stride(model.backbone)
    resize = 0
    if feature_stride and feature_stride != stride:
        if feature_stride > stride:
            raise SystemExit(f"--feature-stride {feature_stride} is coarser than the "
                             f"backbone's native stride {stride}")
        resize = feature_stride
        stride = feature_stride
    return ContractSegmenter(model.backbone, body, head[-1], resize), stride


def param_name(module: nn.Module, tensor: torch.Tensor) -> str:
    for name, t in module.state_dict(keep_vars=True).items():
        if t is tensor:
            return name
    raise SystemExit("classifier parameter not found in the exported state_dict")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        description="Export torchvision DeepLabV3 to the roadneg-segmenter/1 TorchScript "
                    "contract (model.pt + model.json).")
    p.add_argument("--arch", choices=ARCHS, default="deeplabv3_resnet50")
    p.add_argument("--classes", type=int, default=19)
    p.add_argument("--weights", help="state_dict or checkpoint (.pth) of the trained model")
    p.add_argument("--random-init", action="store_true",
                   help="testing only: export an untrained model, no --weights needed")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--feature-stride", type=int, default=0,
                   help="resize features to this stride (default: the backbone's native "
                        "stride, 8 for the ResNets, 16 for MobileNetV3)")
    p.add_argument("--mean", type=float, nargs=3, default=[0.485, 0.456, 0.406])
    p.add_argument("--std", type=float, nargs=3, default=[0.229, 0.224, 0.225])
    p.add_argument("--trace", action="store_true",
                   help="use torch.jit.trace instead of torch.jit.script")
    p.add_argument("--check", action="store_true",
                   help="reload model.pt and compare with the eager model on a random input")
    p.add_argument("--check-size", type=int, nargs=2, default=[128, 256], metavar=("H", "W"))
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)

    if bool(a.weights) == bool(a.random_init):
        p.error("give exactly one of --weights FILE or --random-init")
    torch.manual_seed(a.seed)

    model = build_model(a.arch, a.classes)
    if a.weights:
        apply_weights(model, load_state_dict(a.weights))
    model.eval()

    wrapped, stride = wrap(model, a.feature_stride)
    wrapped.eval()
    if stride not in (4, 8):
        print(f"note: features/logits are at stride {stride}; use --feature-stride 8 for a "
              f"finer resolution", file=sys.stderr)

    if a.trace:
        example = torch.randn(1, 3, *a.check_size)
        exported = torch.jit.trace(wrapped, example, check_trace=False)
    else:
        exported = torch.jit.script(wrapped)

    weight_name = param_name(exported, exported.classifier.weight)
    bias_name = param_name(exported, exported.classifier.bias)
    meta = {
        "contract": CONTRACT,
        "numClasses": a.classes,
        "featureChannels": int(wrapped.classifier.in_channels),
        "outputStride": int(stride),
        "mean": list(a.mean),
        "std": list(a.std),
        "classifierWeight": weight_name,
        "classifierBias": bias_name,
    }
    os.makedirs(a.out, exist_ok=True)
    pt_path = os.path.join(a.out, "model.pt")
    torch.jit.save(exported, pt_path)
    with open(os.path.join(a.out, "model.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(f"wrote {pt_path} ({os.path.getsize(pt_path) / 1e6:.1f} MB) and model.json: "
          f"{json.dumps(meta)}")

    if a.check:
        return check(model, pt_path, meta, a.check_size)
    return 0


def check(model: nn.Module, pt_path: str, meta: dict, size: List[int]) -> int:
    """Reload the export and compare it with the eager torchvision model."""
    loaded = torch.jit.load(pt_path).eval()
    x = torch.randn(2, 3, *size)
    with torch.no_grad():
        out = loaded(x)
        ok = isinstance(out, tuple) and len(out) == 2
        if not ok:
            print("FAIL forward does not return (logits, features)")
            return 1
        logits, features = out
        # eager reference, computed with the original torchvision modules
        ref_features = model.backbone(x)["out"]
        for layer in list(model.classifier.children())[:-1]:
            ref_features = layer(ref_features)
        resized = ref_features.shape[-2:] != features.shape[-2:]
        if resized:
            ref_features = F.interpolate(ref_features, size=features.shape[-2:],
                                         mode="bilinear", align_corners=False)
        ref_logits = model.classifier[-1](ref_features)
        full = model(x)["out"]
        sd = loaded.state_dict()
        relogits = F.conv2d(features, sd[meta["classifierWeight"]], sd[meta["classifierBias"]])
    d_feat = (features - ref_features).abs().max().item()
    d_logit = (logits - ref_logits).abs().max().item()
    d_cls = (relogits - logits).abs().max().item()
    up = F.interpolate(logits, size=x.shape[-2:], mode="bilinear", align_corners=False)
    d_full = (up - full).abs().max().item()
    print(f"check: input {list(x.shape)} -> logits {list(logits.shape)}, "
          f"features {list(features.shape)}")
    print(f"  max |features - eager| = {d_feat:.3g}")
    print(f"  max |logits - eager|   = {d_logit:.3g}")
    print(f"  max |logits - classifier(features) via model.json names| = {d_cls:.3g}")
    print(f"  max |upsampled logits - torchvision output| = {d_full:.3g}"
          f"{' (informative only: features were resized)' if resized else ''}")
    shapes_ok = (logits.shape[1] == meta["numClasses"]
                 and features.shape[1] == meta["featureChannels"]
                 and logits.shape[-2:] == features.shape[-2:])
    tol = 1e-4 * max(1.0, ref_logits.abs().max().item())
    ok = shapes_ok and d_feat <= tol and d_logit <= tol and d_cls <= tol
    print("check passed" if ok else "check FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
