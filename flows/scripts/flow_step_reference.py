"""Times the PyTorch reference DenseFlow's training step and sampling, for the Java FlowStepBenchmark.

The step: zero the gradients, log-likelihood bound in train mode (fresh Gaussian draws), bits/dim, backward,
Adamax at lr 1e-3 (betas 0.9 / 0.999). Sampling: a batch at temperature 1 in eval mode, without gradients.
The input is a fixed batch of random integer images, made before timing; the first (warm-up) step also runs
ActNorm's data-dependent initialisation, as the Java benchmark's explicit initialisation does.

  /usr/bin/python3 flows/scripts/flow_step_reference.py --config configs/flows/denseflow-cpu.yaml \
      --batch 16 --size 64 --threads 2 --warmup 2 --steps 10 --sample-reps 3
Prints one JSON line with the same keys as the Java benchmark.
"""
import argparse
import json
import os
import resource
import sys
import time

import torch
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import denseflow_reference as ref  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--config', default='configs/flows/denseflow-cpu.yaml')
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--size', type=int, default=64)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--warmup', type=int, default=2)
    ap.add_argument('--steps', type=int, default=10)
    ap.add_argument('--sample-reps', type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    with open(a.config) as f:
        cfg = yaml.safe_load(f)
    model = ref.DenseFlow(cfg)
    x = torch.randint(0, 2 ** cfg['numBits'], (a.batch, cfg['channels'], a.size, a.size)).float()
    opt = torch.optim.Adamax(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    model.train()
    times = []
    phases = {'forward': [], 'backward': [], 'optimizer': []}
    bpd = None
    for s in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        opt.zero_grad()
        bpd = ref.bits_per_dim(model.log_prob(x), x)
        bpd.item()
        t1 = time.perf_counter()
        bpd.backward()
        t2 = time.perf_counter()
        opt.step()
        t3 = time.perf_counter()
        if s >= a.warmup:
            times.append((time.perf_counter() - t0) * 1000)
            phases['forward'].append((t1 - t0) * 1000)
            phases['backward'].append((t2 - t1) * 1000)
            phases['optimizer'].append((t3 - t2) * 1000)
    model.eval()
    stimes = []
    with torch.no_grad():
        for r in range(a.sample_reps + 1):
            t0 = time.perf_counter()
            model.sample(a.batch, a.size, a.size, 1.0)
            if r > 0:
                stimes.append((time.perf_counter() - t0) * 1000)
    st = sorted(times)
    ss = sorted(stimes)
    print(json.dumps({'framework': 'torch ' + torch.__version__, 'config': cfg['name'], 'threads': a.threads,
                      'batch': a.batch, 'size': a.size,
                      'params': sum(p.numel() for p in model.parameters()), 'warmup': a.warmup,
                      'steps': a.steps, 'mean_ms': round(sum(times) / len(times), 1),
                      'median_ms': round(st[len(st) // 2], 1), 'min_ms': round(st[0], 1),
                      'last_bpd': round(bpd.item(), 4), 'sample_median_ms': round(ss[len(ss) // 2], 1),
                      'samples_per_s': round(a.batch / (ss[len(ss) // 2] / 1000), 2),
                      'max_rss_mb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      **{k + '_median_ms': round(sorted(v)[len(v) // 2], 1) for k, v in phases.items()}}))


if __name__ == '__main__':
    main()
