#!/usr/bin/env python3
"""Export a DenseFlow trained with the public code (github.com/matejgrcic/DenseFlow,
experiments/image/model/) to the workbench's flow TorchScript contract "roadneg-flow/1".

The output folder holds flow.pt (TorchScript) and flow.json. flow.pt's forward decodes Gaussian
noise into images:

    forward(noise, size, temperature) -> y
      noise        float32 N x D, standard normal; D and the order of its values are given by
                   flow.json "latents" for the requested size (see flows/scripts/README.md)
      size         int64 tensor [H, W]; H and W multiples of flow.json "sizeDivisor", and at every
                   stride s = 2, 4, ..., sizeDivisor (H/s)(W/s) a multiple of "attentionLandmarks"
      temperature  float32 tensor with one element, > 0: scales the standard deviation of every
                   Gaussian (the prior's and every factored part's)
      y            float32 N x 3 x H x W, the flow's continuous data space (about [0, 1]); the image is
                   floor(256 y) clamped to 0..255, as the public code's VariationalDequantization.inverse

The module mirrors the sampling (inverse) path of the public code's DenseFlow, parameter for
parameter, under the public state_dict names: base distribution, the dense blocks' units (ActNorm,
1x1 convolution, affine coupling with the multi-head dense net, channel switch) and the transitions.
The variational dequantisation flow and the cross-unit coupling nets are only used in the
likelihood direction; their weights are checked for presence but not exported.

Run with a Python that has torch (Debian's /usr/bin/python3 with python3-torch, torch 1.13, works):

    /usr/bin/python3 flows/scripts/export_denseflow_torchscript.py \\
        --checkpoint LOG/check/checkpoint.pt --args-pickle LOG/args.pickle --out my-flow --check

or with the model-building arguments given explicitly (the published DF-74-10 configuration):

    /usr/bin/python3 flows/scripts/export_denseflow_torchscript.py --checkpoint checkpoint.pt \\
        --block_conf 6 4 1 --layers_conf 5 6 20 --layer_mid_chnls 48 48 48 --growth_rate 10 --out my-flow

Bad input (a checkpoint of another configuration, a missing file, a bad argument) is reported in one
line on stderr with exit status 2, before anything is written.
"""

import argparse
import hashlib
import io
import json
import math
import os
import pickle
import re
import sys
from collections import OrderedDict
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from torchscript_archive import strip_debug_records  # noqa: E402

CONTRACT = "roadneg-flow/1"
SOURCE_CODE = "github.com/matejgrcic/DenseFlow experiments/image/model"
# DNMH in the public code's affine_coupling.py builds its DenseNetMultihead with depth 7 and growth
# 64, and MultiHeadDenseBlock builds NystromAttention with 4 landmarks; these are not arguments of
# the public train.py, so they are options here only for tiny test models
PUBLIC_COUPLING_DEPTH = 7
PUBLIC_COUPLING_GROWTH = 64
PUBLIC_LANDMARKS = 4


class InputError(Exception):
    """Bad input: reported as one line, exit status 2."""


# ---------------------------------------------------------------------------------------------
# The sampling path of the public DenseFlow, TorchScript-compatible, with the public module names
# (so the public state_dict loads by name). Each part has inverse(z, factored, temperature).
# ---------------------------------------------------------------------------------------------


class Dequantization(nn.Module):
    """transforms.0: the public code's inverse quantises; here y stays continuous (the loader
    quantises), so this is the identity. Its encoder weights are not needed to sample."""

    @torch.jit.export
    def inverse(self, z: torch.Tensor, factored: List[torch.Tensor], t: torch.Tensor) -> torch.Tensor:
        return z


class ScalarShift(nn.Module):
    """transforms.1: the public ScalarAffineBijection(shift=-0.5); inverse (z - shift) / scale."""

    def __init__(self):
        super().__init__()
        self.register_buffer("_shift", torch.tensor(-0.5))
        self.register_buffer("_scale", torch.tensor(1.0))

    @torch.jit.export
    def inverse(self, z: torch.Tensor, factored: List[torch.Tensor], t: torch.Tensor) -> torch.Tensor:
        return (z - self._shift) / self._scale


def unsqueeze2x2(z: torch.Tensor) -> torch.Tensor:
    """Inverse of the public Squeeze2d (factor 2, not ordered)."""
    n, c, h, w = z.shape
    x = z.reshape(n, c // 4, 2, 2, h, w).permute(0, 1, 4, 2, 5, 3)
    return x.reshape(n, c // 4, 2 * h, 2 * w)


class Squeeze(nn.Module):
    """transforms.2: the initial squeeze."""

    @torch.jit.export
    def inverse(self, z: torch.Tensor, factored: List[torch.Tensor], t: torch.Tensor) -> torch.Tensor:
        return unsqueeze2x2(z)


class ActNorm(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self.shift = nn.Parameter(torch.zeros(1, c, 1, 1))
        self.log_scale = nn.Parameter(torch.zeros(1, c, 1, 1))
        self.register_buffer("initialized", torch.ones(1))

    @torch.jit.export
    def inverse(self, z: torch.Tensor) -> torch.Tensor:
        return self.shift + z * torch.exp(self.log_scale)


class Conv1x1(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self.weight = nn.Parameter(torch.eye(c))

    @torch.jit.export
    def inverse(self, z: torch.Tensor) -> torch.Tensor:
        c = self.weight.shape[0]
        return F.conv2d(z, torch.inverse(self.weight).reshape(c, c, 1, 1))


class DenseLayer(nn.Module):
    def __init__(self, c: int, growth: int):
        super().__init__()
        self.nn = nn.Sequential(nn.Conv2d(c, c, 1), nn.ReLU(), nn.Conv2d(c, growth, 3, padding=1),
                                nn.ReLU())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([x, self.nn(x)], dim=1)


class GatedConv(nn.Module):
    def __init__(self, c_in: int, c_out: int):
        super().__init__()
        self.conv = nn.Conv2d(c_in, 3 * c_out, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, b, g = torch.chunk(self.conv(x), 3, dim=1)
        return a + b * torch.sigmoid(g)


def dense_block(c: int, c_out: int, depth: int, growth: int) -> nn.Sequential:
    layers: List[nn.Module] = [DenseLayer(c + i * growth, growth) for i in range(depth)]
    layers.append(GatedConv(c + depth * growth, c_out))
    return nn.Sequential(*layers)


class NystromAttention(nn.Module):
    """The public NystromAttention, including its N x C x H x W -> N x HW x 3E reshape without a
    permute and its softmax over axis -2."""

    def __init__(self, c: int, embed: int, landmarks: int):
        super().__init__()
        self.qkv = nn.Conv2d(c, 3 * embed, 1)
        self.out_transform = nn.Conv2d(embed, c, 1)
        self.embed = embed
        self.landmarks = landmarks

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, _, h, w = x.shape
        hw = h * w
        if hw % self.landmarks != 0:
            raise RuntimeError("roadneg-flow: the attention needs a pixel count divisible by its landmarks")
        q, k, v = self.qkv(x).reshape(n, hw, 3 * self.embed).chunk(3, dim=-1)
        norm = math.sqrt(float(hw))
        q_l = q.reshape(n, self.landmarks, hw // self.landmarks, self.embed).mean(dim=-2) / norm
        k_l = k.reshape(n, self.landmarks, hw // self.landmarks, self.embed).mean(dim=-2) / norm
        k1 = torch.softmax(torch.matmul(q, k_l.transpose(-1, -2)), dim=-2)
        k2 = torch.softmax(torch.matmul(q_l, k_l.transpose(-1, -2)), dim=-2)
        k3 = torch.softmax(torch.matmul(q_l, k.transpose(-1, -2)), dim=-2)
        out = torch.matmul(torch.matmul(k1, self.pseudo_inverse(k2)), torch.matmul(k3, v)) + v
        return self.out_transform(out.reshape(n, -1, h, w))

    def pseudo_inverse(self, m: torch.Tensor) -> torch.Tensor:
        # six iterations of the cubic Newton-Schulz scheme the public code uses
        eye = torch.eye(m.shape[-1], device=m.device, dtype=m.dtype)
        a = m.abs()
        v0 = a.sum(dim=-2, keepdim=True).amax(dim=-1, keepdim=True)
        vi = a.sum(dim=-1, keepdim=True).amax(dim=-2, keepdim=True)
        v = m.transpose(-1, -2) / (v0 * vi)
        for _ in range(6):
            kv = torch.matmul(m, v)
            v = torch.matmul(0.25 * v, 13 * eye - torch.matmul(kv, 15 * eye - torch.matmul(kv, 7 * eye - kv)))
        return v


class FrozenBatchNorm(nn.Module):
    """BatchNorm2d with its running statistics, always (the sampler runs in eval mode)."""

    def __init__(self, c: int):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(c))
        self.bias = nn.Parameter(torch.zeros(c))
        self.register_buffer("running_mean", torch.zeros(c))
        self.register_buffer("running_var", torch.ones(c))
        self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, False, 0.0, 1e-5)


class MultiHeadDenseBlock(nn.Module):
    def __init__(self, c: int, depth: int, growth: int, landmarks: int):
        super().__init__()
        self.dense = dense_block(c, c, depth, growth)
        self.mha = NystromAttention(c, c // 2, landmarks)
        self.mix_conv = nn.Sequential(FrozenBatchNorm(2 * c), nn.ReLU(), nn.Conv2d(2 * c, c, 1, bias=False))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.mix_conv(torch.cat([self.mha(x), self.dense(x)], dim=1))


class DenseNetMultihead(nn.Module):
    def __init__(self, c_in: int, mid: int, c_out: int, depth: int, growth: int, landmarks: int):
        super().__init__()
        self.transform = nn.Sequential(nn.Conv2d(c_in, mid, 1),
                                       MultiHeadDenseBlock(mid, depth, growth, landmarks),
                                       nn.Conv2d(mid, c_out, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.transform(x)


class DNMH(nn.Module):
    def __init__(self, c_in: int, mid: int, c_out: int, depth: int, growth: int, landmarks: int):
        super().__init__()
        self.dn = DenseNetMultihead(c_in, mid, c_out, depth, growth, landmarks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dn(x)


class SingleAffineCoupling(nn.Module):
    """The public SingleAffineCoupling: the first ceil(C/2) channels condition the rest through
    scale 2 tanh(s / 2) and shift, s and shift interleaved in the net's output channels."""

    def __init__(self, c: int, mid: int, depth: int, growth: int, landmarks: int):
        super().__init__()
        out_c = c // 2
        self.coupling_net = nn.ModuleList([DNMH(c - out_c, mid, 2 * out_c, depth, growth, landmarks)])

    @torch.jit.export
    def inverse(self, z: torch.Tensor) -> torch.Tensor:
        z1, z2 = torch.chunk(z, 2, dim=1)
        p = self.coupling_net[0](z1)
        n, c2, h, w = p.shape
        p = p.reshape(n, c2 // 2, 2, h, w)
        log_scale = 2.0 * torch.tanh(p[:, :, 0] / 2.0)
        x2 = (z2 - p[:, :, 1]) * torch.exp(-log_scale)
        return torch.cat([z1, x2], dim=1)


class SwitchChannels(nn.Module):
    @torch.jit.export
    def inverse(self, z: torch.Tensor) -> torch.Tensor:
        x2, x1 = torch.chunk(z, 2, dim=1)
        return torch.cat([x1, x2], dim=1)


class Step(nn.Module):
    """One layer of a unit: the public SequentialTransform [ActNorm, Conv1x1, coupling, switch]."""

    def __init__(self, c: int, mid: int, depth: int, growth: int, landmarks: int):
        super().__init__()
        self.transforms = nn.ModuleList([ActNorm(c), Conv1x1(c), SingleAffineCoupling(c, mid, depth, growth, landmarks),
                                         SwitchChannels()])

    @torch.jit.export
    def inverse(self, z: torch.Tensor) -> torch.Tensor:
        for t in self.transforms[::-1]:
            z = t.inverse(z)
        return z


class Unit(nn.Module):
    def __init__(self, c: int, layers: int, mid: int, depth: int, growth: int, landmarks: int):
        super().__init__()
        self.transforms = nn.ModuleList([Step(c, mid, depth, growth, landmarks) for _ in range(layers)])

    @torch.jit.export
    def inverse(self, z: torch.Tensor) -> torch.Tensor:
        for t in self.transforms[::-1]:
            z = t.inverse(z)
        return z


class InvertibleDenseBlock(nn.Module):
    """Units in reverse; after each unit but the first, the cross-unit noise channels (the last
    growth_rate channels) are dropped, as the public code does."""

    def __init__(self, c: int, units: int, layers: int, mid: int, growth_rate: int, depth: int,
                 growth: int, landmarks: int):
        super().__init__()
        # a ModuleList where the public code has a Sequential: same state_dict names, and the
        # units are only ever run backwards here
        self.blocks = nn.ModuleList([Unit(c + u * growth_rate, layers, mid, depth, growth, landmarks)
                                     for u in range(units)])
        self.growth_rate = growth_rate

    @torch.jit.export
    def inverse(self, z: torch.Tensor, factored: List[torch.Tensor], t: torch.Tensor) -> torch.Tensor:
        first = True
        for unit in self.blocks[::-1]:
            if not first:
                z = z[:, :z.shape[1] - self.growth_rate]
            z = unit.inverse(z)
            first = False
        return z


class StandardNormalBuffer(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("buffer", torch.zeros(1))


class InvertibleTransition(nn.Module):
    """Squeeze and factor half the channels out to N(0, 1); inverse: append T eps, unsqueeze."""

    def __init__(self, part: int):
        super().__init__()
        self.dist = StandardNormalBuffer()
        self.part = part

    @torch.jit.export
    def inverse(self, z: torch.Tensor, factored: List[torch.Tensor], t: torch.Tensor) -> torch.Tensor:
        return unsqueeze2x2(torch.cat([z, factored[self.part] * t], dim=1))


class ConvNormal2d(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self.loc = nn.Parameter(torch.zeros(1, c, 1, 1))
        self.log_scale = nn.Parameter(torch.zeros(1, c, 1, 1))


class DenseFlowSampler(nn.Module):
    """forward(noise N x D, size [H, W] int64, temperature [1]) -> y N x 3 x H x W (contract
    roadneg-flow/1). latents: (channels, stride) of each noise part in the order they are read."""

    def __init__(self, cfg: "FlowConfig"):
        super().__init__()
        chans = cfg.block_channels()
        nb = len(cfg.block_conf)
        parts: List[nn.Module] = [Dequantization(), ScalarShift(), Squeeze()]
        for b in range(nb):
            parts.append(InvertibleDenseBlock(chans[b][0], cfg.block_conf[b], cfg.layers_conf[b],
                                              cfg.layer_mid_chnls[b], cfg.growth_rate, cfg.coupling_depth,
                                              cfg.coupling_growth, cfg.landmarks))
            if b < nb - 1:
                # noise part 0 is the prior; the transition before the last block reads part 1, ...
                parts.append(InvertibleTransition(nb - 1 - b))
        self.transforms = nn.ModuleList(parts)
        self.base_dist = ConvNormal2d(chans[-1][1])
        self.latent_channels: List[int] = [c for c, _ in cfg.latents()]
        self.latent_strides: List[int] = [s for _, s in cfg.latents()]
        self.size_divisor = cfg.size_divisor()
        self.landmarks = cfg.landmarks

    def forward(self, noise: torch.Tensor, size: torch.Tensor, temperature: torch.Tensor) -> torch.Tensor:
        h = int(size[0])
        w = int(size[1])
        if h <= 0 or w <= 0 or h % self.size_divisor != 0 or w % self.size_divisor != 0:
            raise RuntimeError("roadneg-flow: size must be positive multiples of sizeDivisor")
        if temperature.numel() != 1:
            raise RuntimeError("roadneg-flow: temperature must hold one value")
        if noise.dim() != 2:
            raise RuntimeError("roadneg-flow: noise must be N x D")
        n = noise.shape[0]
        parts: List[torch.Tensor] = []
        offset = 0
        for i in range(len(self.latent_channels)):
            c = self.latent_channels[i]
            s = self.latent_strides[i]
            count = c * (h // s) * (w // s)
            if offset + count > noise.shape[1]:
                raise RuntimeError("roadneg-flow: noise has fewer values than the latents need")
            parts.append(noise[:, offset:offset + count].reshape(n, c, h // s, w // s))
            offset += count
        if offset != noise.shape[1]:
            raise RuntimeError("roadneg-flow: noise has more values than the latents need")
        t = temperature.reshape(1, 1, 1, 1).to(noise.dtype)
        z = self.base_dist.loc + torch.exp(self.base_dist.log_scale) * (parts[0] * t)
        for m in self.transforms[::-1]:
            z = m.inverse(z, parts, t)
        return z


# ---------------------------------------------------------------------------------------------
# configuration, checkpoint reading, export
# ---------------------------------------------------------------------------------------------


class FlowConfig:
    """The public train.py's model arguments (block_conf, layers_conf, layer_mid_chnls,
    growth_rate) plus the constants the public code fixes (coupling depth/growth, landmarks)."""

    def __init__(self, block_conf, layers_conf, layer_mid_chnls, growth_rate, coupling_depth=PUBLIC_COUPLING_DEPTH,
                 coupling_growth=PUBLIC_COUPLING_GROWTH, landmarks=PUBLIC_LANDMARKS, channels=3):
        self.block_conf = [int(v) for v in block_conf]
        self.layers_conf = [int(v) for v in layers_conf]
        self.layer_mid_chnls = [int(v) for v in layer_mid_chnls]
        self.growth_rate = int(growth_rate)
        self.coupling_depth = int(coupling_depth)
        self.coupling_growth = int(coupling_growth)
        self.landmarks = int(landmarks)
        self.channels = int(channels)
        nb = len(self.block_conf)
        if nb == 0:
            raise InputError("--block_conf: must list at least one block")
        for name, vals in (("--layers_conf", self.layers_conf), ("--layer_mid_chnls", self.layer_mid_chnls)):
            if len(vals) != nb:
                raise InputError(f"{name} = {' '.join(map(str, vals))}: must have {nb} values, one per "
                                 f"block of --block_conf")
        for name, vals in (("--block_conf", self.block_conf), ("--layers_conf", self.layers_conf),
                           ("--layer_mid_chnls", self.layer_mid_chnls)):
            if any(v <= 0 for v in vals):
                raise InputError(f"{name} = {' '.join(map(str, vals))}: values must be positive")
        if self.growth_rate <= 0:
            raise InputError(f"--growth_rate = {self.growth_rate}: must be positive")
        for name, v in (("--coupling-depth", self.coupling_depth), ("--coupling-growth", self.coupling_growth),
                        ("--landmarks", self.landmarks)):
            if v <= 0:
                raise InputError(f"{name} = {v}: must be positive")
        if any(m < 2 for m in self.layer_mid_chnls):
            raise InputError(f"--layer_mid_chnls = {' '.join(map(str, self.layer_mid_chnls))}: the attention "
                             f"embeds half of them, so each must be at least 2")

    def block_channels(self) -> List[Tuple[int, int]]:
        """(input channels, output channels) of each dense block."""
        out = []
        c = 4 * self.channels
        for b, units in enumerate(self.block_conf):
            c_out = c + self.growth_rate * (units - 1)
            out.append((c, c_out))
            c = 2 * c_out
        return out

    def size_divisor(self) -> int:
        return 2 ** len(self.block_conf)

    def latents(self) -> List[Tuple[int, int]]:
        """(channels, stride) of each noise part in the order the sampler reads them: the prior
        on the last block's output, then the factored halves from the coarsest transition."""
        chans = self.block_channels()
        nb = len(self.block_conf)
        parts = [(chans[-1][1], 2 ** nb)]
        for b in range(nb - 2, -1, -1):
            parts.append((2 * chans[b][1], 2 ** (b + 2)))
        return parts

    def noise_dims(self, h: int, w: int) -> int:
        return sum(c * (h // s) * (w // s) for c, s in self.latents())

    def accepts(self, h: int, w: int) -> bool:
        d = self.size_divisor()
        if h <= 0 or w <= 0 or h % d or w % d:
            return False
        s = 2
        while s <= d:
            if ((h // s) * (w // s)) % self.landmarks:
                return False
            s *= 2
        return True

    def smallest_side(self) -> int:
        side = self.size_divisor()
        while not self.accepts(side, side):
            side += self.size_divisor()
        return side

    def as_json(self) -> Dict:
        return OrderedDict([("blockConf", self.block_conf), ("layersConf", self.layers_conf),
                            ("layerMidChnls", self.layer_mid_chnls), ("growthRate", self.growth_rate),
                            ("couplingDepth", self.coupling_depth), ("couplingGrowth", self.coupling_growth),
                            ("attentionLandmarks", self.landmarks), ("numBits", 8)])


def cross_unit_shapes(cfg: FlowConfig) -> Dict[str, Tuple[int, ...]]:
    """Shapes of the public code's cross-unit coupling nets (_BNReLUConv), keyed by name: not
    exported, but their presence and shapes confirm the configuration."""
    out = OrderedDict()
    for b, (c_in, _) in enumerate(cfg.block_channels()):
        t = 3 + 2 * b
        inputs, total = [], []
        c = c_in
        for i in range(cfg.block_conf[b]):
            inputs.append(c)
            if i != 0:
                c += cfg.growth_rate
            total.append(sum(inputs))
        for i in range(cfg.block_conf[b] - 1):
            cin = total[i]
            p = f"transforms.{t}.noise_params.{i}.transformation."
            out[p + "0.weight"] = (4 * cin, cin, 3, 3)
            out[p + "0.bias"] = (4 * cin,)
            out[p + "2.weight"] = (2 * cfg.growth_rate, 4 * cin, 1, 1)
            out[p + "2.bias"] = (2 * cfg.growth_rate,)
    return out


def read_checkpoint(path: str) -> "OrderedDict[str, torch.Tensor]":
    """The flow's state_dict from a public-code checkpoint ({'model': state_dict, ...}), a plain
    state_dict, or a state_dict whose keys carry a prefix (DataParallel's 'module.', or the two
    leading components DenseHybrid strips): the prefix is the text before the flow's own
    'base_dist.loc'."""
    if not os.path.isfile(path):
        raise InputError(f"{path}: no such file (--checkpoint)")
    try:
        obj = torch.load(path, map_location="cpu")
    except Exception as e:  # a truncated file, not a torch file, ...
        raise InputError(f"{path}: not a readable torch checkpoint ({type(e).__name__}: "
                         f"{str(e).splitlines()[0] if str(e) else ''})")
    if isinstance(obj, nn.Module):
        obj = obj.state_dict()
    if isinstance(obj, dict):
        for key in ("model", "state_dict", "flow"):
            if key in obj and isinstance(obj[key], dict):
                obj = obj[key]
                break
    if not isinstance(obj, dict):
        raise InputError(f"{path}: holds a {type(obj).__name__}, not a state_dict or a checkpoint dict")
    tensors = OrderedDict((k, v) for k, v in obj.items() if isinstance(v, torch.Tensor))
    # the shortest: the dequantisation flow has a base_dist of its own, deeper down
    locs = sorted((k for k in tensors if k.endswith("base_dist.loc")), key=len)
    if not locs:
        raise InputError(f"{path}: base_dist.loc: missing (is this a DenseFlow checkpoint?)")
    prefix = locs[0][:-len("base_dist.loc")]
    out = OrderedDict((k[len(prefix):], v) for k, v in tensors.items() if k.startswith(prefix))
    skipped = len(tensors) - len(out)
    if skipped:
        print(f"note: {skipped} tensors outside the prefix '{prefix}' ignored", file=sys.stderr)
    return out


def args_from_pickle(path: str) -> Dict:
    """block_conf, layers_conf, layer_mid_chnls, growth_rate, num_bits from the public code's
    args.pickle (an argparse.Namespace; unpickle only files you trust)."""
    if not os.path.isfile(path):
        raise InputError(f"{path}: no such file (--args-pickle)")
    with open(path, "rb") as f:
        ns = pickle.load(f)
    d = vars(ns) if hasattr(ns, "__dict__") else dict(ns)
    out = {}
    for k in ("block_conf", "layers_conf", "layer_mid_chnls", "growth_rate", "num_bits", "dataset"):
        if k in d:
            out[k] = d[k]
    for k in ("block_conf", "layers_conf", "layer_mid_chnls", "growth_rate"):
        if out.get(k) is None:
            raise InputError(f"{path}: {k}: missing (not the args.pickle of a DenseFlow run?)")
    return out


def fit(sampler: DenseFlowSampler, state: Dict[str, torch.Tensor], cfg: FlowConfig, source: str) -> None:
    """Loads the sampling weights into the sampler; any missing key or shape mismatch means a
    checkpoint of another configuration (one line)."""
    conf = (f"--block_conf {' '.join(map(str, cfg.block_conf))} --layers_conf {' '.join(map(str, cfg.layers_conf))} "
            f"--layer_mid_chnls {' '.join(map(str, cfg.layer_mid_chnls))} --growth_rate {cfg.growth_rate}")
    own = sampler.state_dict()
    expected = OrderedDict((k, tuple(v.shape)) for k, v in own.items())
    expected.update(cross_unit_shapes(cfg))
    for k, shape in expected.items():
        if k not in state:
            raise InputError(f"{source}: {k}: missing; the checkpoint does not fit {conf} (another configuration?)")
        if tuple(state[k].shape) != shape:
            raise InputError(f"{source}: {k} = shape {tuple(state[k].shape)}: {conf} needs {shape} "
                             f"(a checkpoint of another configuration?)")
    for k in state:
        if k in expected or k.startswith("transforms.0."):
            continue  # transforms.0 is the variational dequantisation: only the likelihood uses it
        raise InputError(f"{source}: {k}: not part of a DenseFlow with {conf} (a checkpoint of another "
                         f"configuration?)")
    sampler.load_state_dict(OrderedDict((k, state[k]) for k in own), strict=True)
    uninitialised = [k for k in own if k.endswith(".initialized") and float(state[k].reshape(-1)[0]) == 0.0]
    if uninitialised:
        print(f"warning: {len(uninitialised)} ActNorm layers were never initialised (an untrained checkpoint?), "
              f"e.g. {uninitialised[0]}", file=sys.stderr)
    if abs(float(state["transforms.1._shift"]) + 0.5) > 0 or abs(float(state["transforms.1._scale"]) - 1) > 0:
        raise InputError(f"{source}: transforms.1._shift/_scale = {float(state['transforms.1._shift'])}/"
                         f"{float(state['transforms.1._scale'])}: DenseFlow shifts by -0.5 with scale 1")


def random_state(cfg: FlowConfig, seed: int) -> "OrderedDict[str, torch.Tensor]":
    """Testing only: a checkpoint in the public layout with random, non-trivial weights (the
    zero-initialised output convolutions and ActNorm made non-zero, BatchNorm statistics set,
    the 1x1 convolutions well conditioned). The dequantisation encoder is represented by one
    tensor, as the sampler does not read it."""
    g = torch.Generator().manual_seed(seed)
    sampler = DenseFlowSampler(cfg)
    state = OrderedDict()
    for k, v in sampler.state_dict().items():
        if k.endswith("num_batches_tracked"):
            t = torch.tensor(7, dtype=torch.long)
        elif k.endswith(".initialized"):
            t = torch.ones(1)
        elif k.endswith("running_var"):
            t = 0.5 + torch.rand(v.shape, generator=g)
        elif k.endswith(("_shift", "_scale", "dist.buffer")):
            t = v.clone()
        elif k.endswith("transforms.1.weight") and v.dim() == 2:  # the 1x1 convolutions
            q, _ = torch.linalg.qr(torch.randn(v.shape, generator=g))
            t = q + 0.1 * torch.randn(v.shape, generator=g)
        elif k.endswith(("log_scale",)):
            t = 0.1 * torch.randn(v.shape, generator=g)
        elif v.dim() == 4:
            fan_in = v.shape[1] * v.shape[2] * v.shape[3]
            t = torch.randn(v.shape, generator=g) / math.sqrt(fan_in)
        else:
            t = 0.1 * torch.randn(v.shape, generator=g)
        state[k] = t.to(v.dtype)
    for k, shape in cross_unit_shapes(cfg).items():
        state[k] = 0.1 * torch.randn(shape, generator=g)
    state["transforms.0.ldj_per_dim"] = -torch.log(torch.tensor(256.0))
    return state


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_atomic(path: str, data: bytes) -> None:
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def flow_json(cfg: FlowConfig, model_sha: str, source: Dict) -> Dict:
    return OrderedDict([
        ("contract", CONTRACT),
        ("channels", cfg.channels),
        ("sizeDivisor", cfg.size_divisor()),
        ("attentionLandmarks", cfg.landmarks),
        ("latents", [OrderedDict([("channels", c), ("stride", s)]) for c, s in cfg.latents()]),
        ("modelSha256", model_sha),
        ("architecture", "DenseFlow"),
        ("configuration", cfg.as_json()),
        ("source", source),
    ])


def export(cfg: FlowConfig, state: Dict[str, torch.Tensor], out_dir: str, source: Dict, source_name: str,
           strip_debug: bool = True) -> Tuple[DenseFlowSampler, str]:
    """Builds the sampler, loads the weights, scripts it and writes flow.pt + flow.json (each
    atomically). Returns the eager sampler and the flow.pt path."""
    sampler = DenseFlowSampler(cfg)
    fit(sampler, state, cfg, source_name)
    sampler.eval()
    scripted = torch.jit.script(sampler)
    buf = io.BytesIO()
    torch.jit.save(scripted, buf)
    data = strip_debug_records(buf.getvalue()) if strip_debug else buf.getvalue()
    os.makedirs(out_dir, exist_ok=True)
    pt = os.path.join(out_dir, "flow.pt")
    write_atomic(pt, data)
    meta = flow_json(cfg, hashlib.sha256(data).hexdigest(), source)
    write_atomic(os.path.join(out_dir, "flow.json"), (json.dumps(meta, indent=2) + "\n").encode("utf-8"))
    return sampler, pt


def scaled_diff(a: torch.Tensor, b: torch.Tensor) -> float:
    """max |a - b| / max(1, max |b|); infinite when either side has a non-finite value (a NaN
    would compare as smaller than any tolerance and hide a broken export)."""
    if not (torch.isfinite(a).all() and torch.isfinite(b).all()):
        return float("inf")
    return (a - b).abs().max().item() / max(1.0, b.abs().max().item())


def check_export(sampler: DenseFlowSampler, pt: str, cfg: FlowConfig, seed: int) -> float:
    """Reloads flow.pt and compares it with the eager sampler on random noise (scaled_diff)."""
    loaded = torch.jit.load(pt).eval()
    side = cfg.smallest_side()
    g = torch.Generator().manual_seed(seed)
    worst = 0.0
    for h, w in ((side, side), (side, 2 * side)):
        noise = torch.randn(2, cfg.noise_dims(h, w), generator=g)
        size = torch.tensor([h, w], dtype=torch.long)
        t = torch.tensor([0.8])
        with torch.no_grad():
            a = loaded(noise, size, t)
            b = sampler(noise, size, t)
        if tuple(a.shape) != (2, cfg.channels, h, w) or a.dtype != torch.float32:
            raise SystemExit(f"check FAILED: output {tuple(a.shape)} {a.dtype}")
        worst = max(worst, scaled_diff(a, b))
    return worst


def public_decode(public_flow, noise: torch.Tensor, h: int, w: int, cfg: FlowConfig,
                  temperature: float) -> torch.Tensor:
    """The public code's own modules decoding the same noise: prior, then every transform's
    inverse from the last one down to the shift (the dequantisation's inverse, a quantisation, is
    left out); each transition gets its factored part instead of a fresh torch.randn draw."""
    n = noise.shape[0]
    parts, offset = [], 0
    for c, s in cfg.latents():
        count = c * (h // s) * (w // s)
        parts.append(noise[:, offset:offset + count].reshape(n, c, h // s, w // s))
        offset += count
    base = public_flow.base_dist
    z = base.loc + torch.exp(base.log_scale) * (temperature * parts[0])
    transforms = list(public_flow.transforms)
    nb = len(cfg.block_conf)
    transition = 0
    for t in reversed(transforms[1:]):
        if type(t).__name__ == "InvertibleTransition":
            part = parts[1 + transition]
            transition += 1
            z = t.squeeze.inverse(torch.cat([z, temperature * part], dim=1))
        else:
            z = t.inverse(z)
    assert transition == nb - 1
    return z


def verify_public(code_dir: str, state: Dict[str, torch.Tensor], cfg: FlowConfig, sampler: DenseFlowSampler,
                  seed: int) -> float:
    """Builds the public code's DenseFlow from a clone of matejgrcic/DenseFlow, loads the same
    checkpoint (strictly) and compares its decoding with the export's (scaled_diff)."""
    if (cfg.coupling_depth, cfg.coupling_growth, cfg.landmarks) != (PUBLIC_COUPLING_DEPTH, PUBLIC_COUPLING_GROWTH,
                                                                    PUBLIC_LANDMARKS):
        raise InputError("--verify-public-code: the public code fixes coupling depth 7, growth 64 and 4 landmarks; "
                         "drop --coupling-depth/--coupling-growth/--landmarks")
    image_dir = os.path.join(code_dir, "experiments", "image")
    if not os.path.isfile(os.path.join(image_dir, "model", "dense_flow.py")):
        raise InputError(f"{code_dir}: experiments/image/model/dense_flow.py: missing (--verify-public-code must be "
                         f"a clone of {SOURCE_CODE.split()[0]})")
    sys.path.insert(0, code_dir)
    sys.path.insert(0, image_dir)
    from model.dense_flow import DenseFlow  # noqa: E402  (the user's clone of the public code)
    side = cfg.smallest_side()
    public = DenseFlow(data_shape=(cfg.channels, side, side), block_config=cfg.block_conf,
                       layers_config=cfg.layers_conf, layer_mid_chnls=cfg.layer_mid_chnls,
                       growth_rate=cfg.growth_rate, checkpointing=False)
    public_keys = set(public.state_dict().keys())
    missing = [k for k in public_keys if k not in state]
    if missing:
        raise InputError(f"--verify-public-code: {missing[0]}: the public model has it, the checkpoint does not")
    public.load_state_dict(OrderedDict((k, state[k]) for k in public.state_dict()), strict=True)
    public.eval()
    g = torch.Generator().manual_seed(seed)
    worst = 0.0
    for h, w in ((side, side), (side, 2 * side)):
        noise = torch.randn(2, cfg.noise_dims(h, w), generator=g)
        with torch.no_grad():
            ref = public_decode(public, noise, h, w, cfg, 0.8)
            got = sampler(noise, torch.tensor([h, w]), torch.tensor([0.8]))
        worst = max(worst, scaled_diff(ref, got))
    return worst


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Export a DenseFlow checkpoint of the public code "
                                            f"({SOURCE_CODE}) to the {CONTRACT} TorchScript contract.")
    p.add_argument("--checkpoint", help="the public code's check/checkpoint.pt, or a state_dict file")
    p.add_argument("--args-pickle", help="the run's args.pickle: takes the model arguments from it")
    p.add_argument("--block_conf", nargs="+", type=int, help="units per dense block, e.g. 6 4 1")
    p.add_argument("--layers_conf", nargs="+", type=int, help="layers per unit of each block, e.g. 5 6 20")
    p.add_argument("--layer_mid_chnls", nargs="+", type=int, help="coupling net width per block, e.g. 48 48 48")
    p.add_argument("--growth_rate", type=int, help="cross-unit noise channels, e.g. 10")
    p.add_argument("--coupling-depth", type=int, default=PUBLIC_COUPLING_DEPTH, help=argparse.SUPPRESS)
    p.add_argument("--coupling-growth", type=int, default=PUBLIC_COUPLING_GROWTH, help=argparse.SUPPRESS)
    p.add_argument("--landmarks", type=int, default=PUBLIC_LANDMARKS, help=argparse.SUPPRESS)
    p.add_argument("--out", required=True, help="output folder (flow.pt, flow.json)")
    p.add_argument("--check", action="store_true", help="reload flow.pt and compare it with the eager module")
    p.add_argument("--verify-public-code", metavar="DIR",
                   help="a clone of matejgrcic/DenseFlow: decode the same noise with the public code and compare")
    p.add_argument("--random-init", action="store_true",
                   help="testing only: random weights of the given configuration instead of --checkpoint")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    try:
        return run(a)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


def run(a) -> int:
    if bool(a.checkpoint) == bool(a.random_init):
        raise InputError("give exactly one of --checkpoint FILE or --random-init")
    model_args = {}
    if a.args_pickle:
        model_args = args_from_pickle(a.args_pickle)
    for k in ("block_conf", "layers_conf", "layer_mid_chnls", "growth_rate"):
        if getattr(a, k) is not None:
            model_args[k] = getattr(a, k)
        if model_args.get(k) is None:
            raise InputError(f"--{k}: missing (give the run's model arguments or --args-pickle)")
    if int(model_args.get("num_bits", 8)) != 8:
        raise InputError(f"num_bits = {model_args['num_bits']}: the contract's images are 8-bit")
    cfg = FlowConfig(model_args["block_conf"], model_args["layers_conf"], model_args["layer_mid_chnls"],
                     model_args["growth_rate"], a.coupling_depth, a.coupling_growth, a.landmarks)
    if a.random_init:
        state = random_state(cfg, a.seed)
        source = OrderedDict([("code", SOURCE_CODE), ("checkpoint", None), ("sha256", None),
                              ("note", f"random weights (--random-init, seed {a.seed}): for tests only")])
        name = "random-init"
    else:
        state = read_checkpoint(a.checkpoint)
        source = OrderedDict([("code", SOURCE_CODE), ("checkpoint", os.path.basename(a.checkpoint)),
                              ("sha256", sha256_file(a.checkpoint))])
        if model_args.get("dataset"):
            source["dataset"] = model_args["dataset"]
        name = a.checkpoint
    source["exporter"] = "flows/scripts/export_denseflow_torchscript.py"
    source["torch"] = torch.__version__.split("+")[0]
    sampler, pt = export(cfg, state, a.out, source, name)
    print(f"wrote {pt} ({os.path.getsize(pt) / 1e6:.2f} MB) and flow.json: sizes multiple of "
          f"{cfg.size_divisor()}, smallest square {cfg.smallest_side()}, latents {cfg.latents()}")
    status = 0
    if a.check:
        d = check_export(sampler, pt, cfg, a.seed)
        print(f"check: max |flow.pt - eager| / max(1, max |eager|) = {d:.3g}"
              + (" (non-finite outputs)" if math.isinf(d) else ""))
        status = 0 if d <= 1e-5 else 1
    if a.verify_public_code:
        d = verify_public(a.verify_public_code, state, cfg, sampler, a.seed)
        print(f"verify: max |export - public code| / max(1, max |public code|) = {d:.3g} (same weights, same "
              f"noise, temperature 0.8)"
              + (" (non-finite outputs)" if math.isinf(d) else ""))
        status = status if d <= 1e-4 else 1
    return status


if __name__ == "__main__":
    sys.exit(main())
