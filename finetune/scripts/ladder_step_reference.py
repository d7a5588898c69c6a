#!/usr/bin/env python3
"""PyTorch reference of the workbench's built-in "LadderNet" segmenter.

Times one full training step (zero grads, forward in train mode, cross-entropy
with ignore_index=255, backward, Adam step) so it can be compared with the
Java/DJL implementation.

Run with a Python that has torch installed, e.g. Debian's /usr/bin/python3:

    /usr/bin/python3 finetune/scripts/ladder_step_reference.py --batch 4 \
        --height 256 --width 256 --threads 2 --json
"""

import argparse
import json
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

IGNORE_INDEX = 255


def conv_bn_relu(cin, cout, stride=1):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        if stride == 1 and cin == cout:
            self.shortcut = nn.Identity()
        else:
            self.shortcut = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride=stride, bias=False),
                nn.BatchNorm2d(cout),
            )

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + self.shortcut(x))


class LadderNet(nn.Module):
    def __init__(self, width=32, depth=4, blocks=1, decoder=64, classes=19):
        super().__init__()
        if depth < 1 or blocks < 1:
            raise ValueError("depth and blocks must be >= 1")
        self.stem = conv_bn_relu(3, width, stride=2)
        stages = []
        channels = []
        for i in range(depth):
            c_in = width if i == 0 else width * 2 ** (i - 1)
            c_i = width * 2 ** i
            layers = [BasicBlock(c_in, c_i, 2)]
            layers += [BasicBlock(c_i, c_i, 1) for _ in range(blocks - 1)]
            stages.append(nn.Sequential(*layers))
            channels.append(c_i)
        self.stages = nn.ModuleList(stages)
        self.top = nn.Conv2d(channels[-1], decoder, 1, bias=True)
        # lateral[i] / blend[i] belong to stage i, for i in 0..depth-2
        self.lateral = nn.ModuleList(
            [nn.Conv2d(channels[i], decoder, 1, bias=True) for i in range(depth - 1)])
        self.blend = nn.ModuleList(
            [conv_bn_relu(decoder, decoder) for _ in range(depth - 1)])
        self.classifier = nn.Conv2d(decoder, classes, 1, bias=True)

    def forward(self, img):
        x = self.stem(img)
        outs = []
        for stage in self.stages:
            x = stage(x)
            outs.append(x)
        x = self.top(outs[-1])
        for i in range(len(outs) - 2, -1, -1):
            skip = outs[i]
            x = F.interpolate(x, size=skip.shape[-2:], mode="bilinear",
                              align_corners=False)
            x = x + self.lateral[i](skip)
            x = self.blend[i](x)
        features = x  # stride 4
        logits = self.classifier(features)
        return F.interpolate(logits, size=img.shape[-2:], mode="bilinear",
                             align_corners=False)


def max_rss_mb():
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # ru_maxrss is KiB on Linux, bytes on macOS
    return rss / (1024.0 * 1024.0) if sys.platform == "darwin" else rss / 1024.0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--height", type=int, default=256)
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--width-ch", type=int, default=32, help="LadderNet base width w")
    p.add_argument("--depth", type=int, default=4)
    p.add_argument("--blocks", type=int, default=1)
    p.add_argument("--decoder", type=int, default=64)
    p.add_argument("--classes", type=int, default=19)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print one JSON result line")
    a = p.parse_args(argv)

    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set (e.g. when called twice in one process)
    torch.manual_seed(a.seed)

    model = LadderNet(a.width_ch, a.depth, a.blocks, a.decoder, a.classes)
    model.train()
    params = sum(t.numel() for t in model.parameters())
    print(f"LadderNet(width={a.width_ch}, depth={a.depth}, blocks={a.blocks}, "
          f"decoder={a.decoder}, classes={a.classes}) parameters: {params}",
          file=sys.stderr if a.json else sys.stdout)

    gen = torch.Generator().manual_seed(a.seed)
    images = torch.randn(a.batch, 3, a.height, a.width, generator=gen)
    labels = torch.randint(0, a.classes, (a.batch, a.height, a.width), generator=gen)
    ignore = torch.rand(a.batch, a.height, a.width, generator=gen) < 0.05
    labels[ignore] = IGNORE_INDEX

    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999),
                           eps=1e-8, weight_decay=0.0)
    loss_fn = nn.CrossEntropyLoss(ignore_index=IGNORE_INDEX, reduction="mean")

    def step():
        opt.zero_grad(set_to_none=False)
        loss = loss_fn(model(images), labels)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    times = []
    loss = float("nan")
    for _ in range(a.steps):
        t0 = time.perf_counter()
        loss = step()
        times.append((time.perf_counter() - t0) * 1000.0)

    result = {
        "framework": "pytorch",
        "torch_version": torch.__version__,
        "threads": a.threads,
        "batch": a.batch,
        "height": a.height,
        "width": a.width,
        "params": params,
        "warmup": a.warmup,
        "steps": a.steps,
        "mean_ms": round(statistics.mean(times), 3) if times else None,
        "median_ms": round(statistics.median(times), 3) if times else None,
        "min_ms": round(min(times), 3) if times else None,
        "max_rss_mb": round(max_rss_mb(), 1),
    }
    if a.json:
        print(json.dumps(result))
    else:
        print(f"torch {torch.__version__}, threads={a.threads}, batch={a.batch}, "
              f"{a.height}x{a.width}, warmup={a.warmup}, steps={a.steps}")
        if times:
            print(f"step ms: mean {result['mean_ms']}, median {result['median_ms']}, "
                  f"min {result['min_ms']}; last loss {loss:.4f}; "
                  f"max RSS {result['max_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
