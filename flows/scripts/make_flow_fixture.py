"""Builds the tiny DenseFlow fixture the Java tests compare against (flows/src/test/resources/flows/).

Usage (repository root): /usr/bin/python3 flows/scripts/make_flow_fixture.py flows/src/test/resources/flows

Reads tiny.yaml there, builds the reference model of denseflow_reference.py with random weights
(zero-initialised layers and ActNorm made non-trivial too, BatchNorm running statistics set), and
writes tiny-denseflow.npz holding:
  param/<name>        every parameter and buffer, under the Java ParamStore's names
  x                   a batch of 2 images, integers 0..255 as float32, 3 x 16 x 16
  eval/noise/NNN      the Gaussian draws of log_prob in eval mode, in order of use
  eval/log_prob       the per-image log-likelihood bound (nats) in eval mode
  sample/noise/NNN    the draws of a temperature-0.7 sample of 2 images at 16 x 16 (eval mode)
  sample/y            the continuous sample
  train/noise/NNN     the draws of log_prob in train mode (BatchNorm on batch statistics)
  train/log_prob, train/bpd
  train/grad/<name>   d bpd / d parameter for every trainable parameter (train mode)
  train/running/<name> BatchNorm running statistics after the train-mode pass
Deterministic: a fixed seed, single-threaded.
"""
import os
import sys

import numpy as np
import torch
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import denseflow_reference as ref  # noqa: E402


class Recorder:
    def __init__(self, gen):
        self.gen = gen
        self.draws = []

    def __call__(self, shape):
        t = torch.randn(shape, generator=self.gen)
        self.draws.append(t.clone())
        return t


def main(out_dir):
    torch.set_num_threads(1)
    torch.manual_seed(13)
    with open(os.path.join(out_dir, 'tiny.yaml')) as f:
        cfg = yaml.safe_load(f)
    model = ref.DenseFlow(cfg)
    gen = torch.Generator().manual_seed(7)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.add_(0.1 * torch.randn(p.shape, generator=gen))
        for name, b in model.named_buffers():
            if name.endswith('running_mean'):
                b.copy_(0.2 * torch.randn(b.shape, generator=gen))
            elif name.endswith('running_var'):
                b.copy_(0.5 + torch.rand(b.shape, generator=gen))
            elif name.endswith('initialized'):
                b.fill_(1)
    x = torch.randint(0, 256, (2, cfg['channels'], 16, 16), generator=gen).float()
    out = {}
    for name, t in model.state_dict().items():
        if name.endswith('num_batches_tracked'):
            continue
        out['param/' + name] = t.detach().numpy().astype(np.float32)
    out['x'] = x.numpy()

    model.eval()
    rec = Recorder(torch.Generator().manual_seed(21))
    with torch.no_grad():
        lp = model.log_prob(x, rec)
    out['eval/log_prob'] = lp.numpy()
    for i, t in enumerate(rec.draws):
        out['eval/noise/%03d' % i] = t.numpy()

    # before the train-mode pass, which moves the BatchNorm running statistics
    rec = Recorder(torch.Generator().manual_seed(23))
    with torch.no_grad():
        y = model.sample(2, 16, 16, temperature=0.7, noise=rec)
    out['sample/y'] = y.numpy()
    for i, t in enumerate(rec.draws):
        out['sample/noise/%03d' % i] = t.numpy()

    model.train()
    rec = Recorder(torch.Generator().manual_seed(22))
    lp = model.log_prob(x, rec)
    bpd = ref.bits_per_dim(lp, x)
    bpd.backward()
    out['train/log_prob'] = lp.detach().numpy()
    out['train/bpd'] = bpd.detach().numpy().reshape(1)
    for i, t in enumerate(rec.draws):
        out['train/noise/%03d' % i] = t.numpy()
    for name, p in model.named_parameters():
        out['train/grad/' + name] = p.grad.numpy()
    for name, b in model.named_buffers():
        if name.endswith('running_mean') or name.endswith('running_var'):
            out['train/running/' + name] = b.numpy().copy()

    path = os.path.join(out_dir, 'tiny-denseflow.npz')
    np.savez_compressed(path, **{k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sorted(out.items())})
    print('wrote %s: %d arrays, eval log_prob %s, train bpd %.6f' % (path, len(out), out['eval/log_prob'],
                                                                     bpd.item()))


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'flows/src/test/resources/flows')
