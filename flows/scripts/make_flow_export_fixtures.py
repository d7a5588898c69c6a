#!/usr/bin/env python3
"""Builds the exported-flow fixtures of the flows module's TorchScriptFlow tests.

Usage (repository root):

    /usr/bin/python3 flows/scripts/make_flow_export_fixtures.py flows/src/test/resources/flows/export

Writes under OUT_DIR:

  tiny/               a roadneg-flow/1 export made by export_denseflow_torchscript.py from a
                      checkpoint in the public code's layout (random weights, a tiny configuration:
                      block_conf 2 2, layers_conf 1 1, layer_mid_chnls 8 8, growth_rate 4, coupling
                      depth 2 and growth 8 instead of the public code's fixed 7 and 64), saved the way
                      the public code saves it ({'model': state_dict} with DataParallel's 'module.'
                      prefix): flow.pt, flow.json, and golden.npz with, for 2 samples of 8 x 8
                      ("square/") and 2 of 8 x 16 ("wide/"), the noise fed in ("noise", N x D), the
                      size, the temperature 0.7 and the output PyTorch computed ("y")
  bad-output-shape/   forward returns N x 3 x H/2 x W/2
  bad-output-dtype/   forward returns float64
  bad-signature/      forward takes one tensor, not (noise, size, temperature)

The bad ones have a valid flow.json (their own modelSha256), so only their behaviour breaks the
contract. The script reloads every flow.pt and checks it before it exits (non-zero on mismatch).
Deterministic: fixed seeds, one thread, PYTHONHASHSEED=0 (it re-executes itself to set it).
"""

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_denseflow_torchscript as ex  # noqa: E402

TINY = dict(block_conf=[2, 2], layers_conf=[1, 1], layer_mid_chnls=[8, 8], growth_rate=4)
TINY_CONSTANTS = dict(coupling_depth=2, coupling_growth=8, landmarks=4)
TEMPERATURE = 0.7
CASES = (("square", 8, 8), ("wide", 8, 16))


def build_tiny(out_dir: str) -> None:
    cfg = ex.FlowConfig(TINY["block_conf"], TINY["layers_conf"], TINY["layer_mid_chnls"], TINY["growth_rate"],
                        **TINY_CONSTANTS)
    state = ex.random_state(cfg, seed=13)
    with tempfile.TemporaryDirectory() as tmp:
        ckpt = os.path.join(tmp, "checkpoint.pt")
        torch.save({"model": OrderedDict(("module." + k, v) for k, v in state.items()), "current_epoch": 0}, ckpt)
        args = ["--checkpoint", ckpt, "--out", out_dir, "--check"]
        for k, v in TINY.items():
            args += [f"--{k}"] + [str(x) for x in (v if isinstance(v, list) else [v])]
        args += ["--coupling-depth", str(TINY_CONSTANTS["coupling_depth"]),
                 "--coupling-growth", str(TINY_CONSTANTS["coupling_growth"]),
                 "--landmarks", str(TINY_CONSTANTS["landmarks"])]
        status = ex.main(args)
        if status != 0:
            raise SystemExit(f"export failed with status {status}")
    # the temporary checkpoint's name and hash are not reproducible provenance: say what it was
    meta_path = os.path.join(out_dir, "flow.json")
    with open(meta_path, encoding="utf-8") as f:
        meta = json.load(f, object_pairs_hook=OrderedDict)
    meta["source"]["checkpoint"] = "random weights in the public layout (make_flow_export_fixtures.py, seed 13)"
    meta["source"]["sha256"] = None
    meta["source"].pop("torch", None)
    ex.write_atomic(meta_path, (json.dumps(meta, indent=2) + "\n").encode("utf-8"))

    loaded = torch.jit.load(os.path.join(out_dir, "flow.pt")).eval()
    eager = ex.DenseFlowSampler(cfg)
    ex.fit(eager, state, cfg, "fixture")
    eager.eval()
    gen = torch.Generator().manual_seed(7)
    golden = {}
    for name, h, w in CASES:
        noise = torch.randn(2, cfg.noise_dims(h, w), generator=gen)
        size = torch.tensor([h, w], dtype=torch.long)
        t = torch.tensor([TEMPERATURE])
        with torch.no_grad():
            y = loaded(noise, size, t)
            y_eager = eager(noise, size, t)
        if (y - y_eager).abs().max().item() > 1e-6:
            raise SystemExit(f"{name}: reloaded flow.pt differs from the eager module")
        golden[f"{name}/noise"] = noise.numpy()
        golden[f"{name}/y"] = y.numpy()
        golden[f"{name}/size"] = np.array([h, w], dtype=np.float32)
        golden[f"{name}/temperature"] = np.array([TEMPERATURE], dtype=np.float32)
    np.savez_compressed(os.path.join(out_dir, "golden.npz"),
                        **{k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sorted(golden.items())})
    print(f"tiny: {cfg.latents()}, y in [{min(float(v.min()) for k, v in golden.items() if k.endswith('/y')):.3f}, "
          f"{max(float(v.max()) for k, v in golden.items() if k.endswith('/y')):.3f}]")


class WrongShape(nn.Module):
    def forward(self, noise: torch.Tensor, size: torch.Tensor, temperature: torch.Tensor) -> torch.Tensor:
        h = int(size[0])
        w = int(size[1])
        return torch.full([noise.shape[0], 3, h // 2, w // 2], 0.5)


class WrongDtype(nn.Module):
    def forward(self, noise: torch.Tensor, size: torch.Tensor, temperature: torch.Tensor) -> torch.Tensor:
        h = int(size[0])
        w = int(size[1])
        return torch.full([noise.shape[0], 3, h, w], 0.5, dtype=torch.float64)


class WrongSignature(nn.Module):
    def forward(self, noise: torch.Tensor) -> torch.Tensor:
        return noise


def build_bad(out_dir: str, module: nn.Module, tiny_dir: str) -> None:
    os.makedirs(out_dir, exist_ok=True)
    buf = io.BytesIO()
    torch.jit.save(torch.jit.script(module), buf)
    data = ex.strip_debug_records(buf.getvalue())
    ex.write_atomic(os.path.join(out_dir, "flow.pt"), data)
    with open(os.path.join(tiny_dir, "flow.json"), encoding="utf-8") as f:
        meta = json.load(f, object_pairs_hook=OrderedDict)
    meta["modelSha256"] = ex.hashlib.sha256(data).hexdigest()
    meta["source"] = OrderedDict([("note", f"breaks the contract on purpose: {type(module).__name__}")])
    ex.write_atomic(os.path.join(out_dir, "flow.json"), (json.dumps(meta, indent=2) + "\n").encode("utf-8"))
    torch.jit.load(os.path.join(out_dir, "flow.pt"))


def main(out_root: str) -> int:
    torch.set_num_threads(1)
    torch.manual_seed(0)
    tiny = os.path.join(out_root, "tiny")
    build_tiny(tiny)
    build_bad(os.path.join(out_root, "bad-output-shape"), WrongShape(), tiny)
    build_bad(os.path.join(out_root, "bad-output-dtype"), WrongDtype(), tiny)
    build_bad(os.path.join(out_root, "bad-signature"), WrongSignature(), tiny)
    for d in sorted(os.listdir(out_root)):
        for f in sorted(os.listdir(os.path.join(out_root, d))):
            print(f"{d}/{f}: {os.path.getsize(os.path.join(out_root, d, f))} bytes")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0")
        sys.exit(subprocess.call([sys.executable] + sys.argv, env=env))
    sys.exit(main(sys.argv[1]))
