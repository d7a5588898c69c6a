#!/usr/bin/env python3
"""Reference values for NFlowJS's JSD term and the jsd score (FlowNegativesTest reads the JSON this writes).

The per-pixel divergence is computed the way the authors' public code does it
(github.com/matejgrcic/Open-set-M2F, mask2former/modeling/criterion.py, loss_jsd), with torch's kl_div:
JSD(U, P) = 0.5 * KL(P || M) + 0.5 * KL(U || M), M = (P + U) / 2, summed over the K classes, natural logarithms;
the loss is its mean over the negative pixels. Deterministic: fixed generator seed, values written with repr().

Usage: /usr/bin/python3 finetune/scripts/jsd_reference.py finetune/src/test/resources/fixtures/jsd_reference.json
"""
import json
import sys

import torch
import torch.nn.functional as F


def jsd_to_uniform(logits):
    """N x K x H x W logits -> N x H x W divergence between the uniform distribution and the softmax."""
    k = logits.shape[1]
    log_p = F.log_softmax(logits, dim=1)
    uniform = torch.full_like(log_p, 1.0 / k)
    m = (log_p.exp() + uniform) / 2.0
    kl_p_m = F.kl_div(m.log(), log_p, log_target=True, reduction="none").sum(1)
    kl_u_m = F.kl_div(m.log(), uniform, reduction="none").sum(1)
    return 0.5 * kl_p_m + 0.5 * kl_u_m


def main(out):
    g = torch.Generator().manual_seed(13)
    n, k, h, w = 2, 19, 3, 4
    logits = torch.randn(n, k, h, w, generator=g, dtype=torch.float64) * 3.0
    # one confident pixel and one uniform pixel make the range's ends part of the check
    logits[0, :, 0, 0] = 0.0
    logits[0, 5, 0, 1] = 40.0
    negative = (torch.rand(n, h, w, generator=g) < 0.4).to(torch.float64)
    negative[0, 0, 0] = 1.0
    per_pixel = jsd_to_uniform(logits)
    loss = (per_pixel * negative).sum() / negative.sum()
    json.dump({
        "shape": [n, k, h, w],
        "logits": [float(v) for v in logits.flatten().tolist()],
        "negative": [float(v) for v in negative.flatten().tolist()],
        "jsd": [float(v) for v in per_pixel.flatten().tolist()],
        "loss": float(loss),
    }, open(out, "w"), indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
