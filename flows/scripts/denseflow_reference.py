"""PyTorch reference of the flows module's DenseFlow, parameter for parameter.

The architecture follows the public DenseFlow code (github.com/matejgrcic/DenseFlow,
experiments/image/model/): variational dequantisation by a small conditional flow, shift to
[-0.5, 0.5], an initial squeeze, blocks of units (ActNorm, invertible 1x1 convolution, affine
coupling with a densely connected coupling network with Nystrom attention, channel switch) with
cross-unit coupling (noise channels whose mean and log-scale a small conv net predicts), and
transitions (squeeze, half the channels factored out to N(0, 1)). Two deliberate differences,
both shared with the Java code: the 1x1 convolutions are in LU form (log-det = sum log|s|, as
in Glow) instead of slogdet of a full matrix, and every Gaussian draw comes from a `noise`
callable so the Java tests can replay the same draws.

Parameter names (state_dict keys) are exactly the names the Java ParamStore uses, so a fixture
written from here loads there one to one.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

LOG_2PI = math.log(2 * math.pi)


def torch_noise(shape):
    return torch.randn(shape)


class DenseLayer(nn.Module):
    def __init__(self, cin, growth):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cin, 1)
        self.conv3 = nn.Conv2d(cin, growth, 3, padding=1)

    def forward(self, x):
        return torch.cat([x, F.relu(self.conv3(F.relu(self.conv1(x))))], 1)


class DenseBlock(nn.Module):
    """depth dense layers, then a gated 1x1 convolution (a + b * sigmoid(c))."""

    def __init__(self, cin, cout, depth, growth):
        super().__init__()
        self.layers = nn.ModuleList([DenseLayer(cin + i * growth, growth) for i in range(depth)])
        self.gate = nn.Conv2d(cin + depth * growth, 3 * cout, 1)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        a, b, c = self.gate(x).chunk(3, 1)
        return a + b * torch.sigmoid(c)


class ResidualDenseNet(nn.Module):
    """Coupling network of the dequantisation flow: 1x1 in, x + dense(x), zero-initialised 1x1 out."""

    def __init__(self, cin, cout, mid, depth, growth):
        super().__init__()
        self.conv_in = nn.Conv2d(cin, mid, 1)
        self.dense = DenseBlock(mid, mid, depth, growth)
        self.conv_out = nn.Conv2d(mid, cout, 1)
        nn.init.zeros_(self.conv_out.weight)
        nn.init.zeros_(self.conv_out.bias)

    def forward(self, x):
        h = self.conv_in(x)
        return self.conv_out(h + self.dense(h))


def iterative_inverse(k, iters=6):
    eye = torch.eye(k.shape[-1], dtype=k.dtype)
    a = k.abs()
    col = a.sum(-2, keepdim=True).amax(-1, keepdim=True)
    row = a.sum(-1, keepdim=True).amax(-2, keepdim=True)
    v = k.transpose(-1, -2) / (col * row)
    for _ in range(iters):
        kv = k @ v
        v = (0.25 * v) @ (13 * eye - kv @ (15 * eye - kv @ (7 * eye - kv)))
    return v


class NystromAttention(nn.Module):
    """Nystrom attention as the published coupling network computes it, including its reshape of
    the N x C x H x W tensor to N x HW x C without a permute and the softmax over axis -2."""

    def __init__(self, channels, embed, landmarks):
        super().__init__()
        self.qkv = nn.Conv2d(channels, 3 * embed, 1)
        self.out = nn.Conv2d(embed, channels, 1)
        self.embed = embed
        self.landmarks = landmarks

    def forward(self, x):
        n, _, h, w = x.shape
        hw = h * w
        q, k, v = self.qkv(x).reshape(n, hw, 3 * self.embed).chunk(3, -1)
        ql = q.reshape(n, self.landmarks, hw // self.landmarks, self.embed).mean(-2) / math.sqrt(hw)
        kl = k.reshape(n, self.landmarks, hw // self.landmarks, self.embed).mean(-2) / math.sqrt(hw)
        k1 = torch.softmax(q @ kl.transpose(-1, -2), -2)
        k2 = torch.softmax(ql @ kl.transpose(-1, -2), -2)
        k3 = torch.softmax(ql @ k.transpose(-1, -2), -2)
        out = (k1 @ iterative_inverse(k2)) @ (k3 @ v) + v
        return self.out(out.reshape(n, self.embed, h, w))


class AttentionDenseNet(nn.Module):
    """Intra-unit coupling network: 1x1 in; [attention, dense block] mixed by BN-ReLU-1x1; 1x1 out (zero init)."""

    def __init__(self, cin, cout, mid, depth, growth, landmarks):
        super().__init__()
        self.conv_in = nn.Conv2d(cin, mid, 1)
        self.dense = DenseBlock(mid, mid, depth, growth)
        self.attention = NystromAttention(mid, mid // 2, landmarks)
        self.mix_bn = nn.BatchNorm2d(2 * mid)
        self.mix_conv = nn.Conv2d(2 * mid, mid, 1, bias=False)
        self.conv_out = nn.Conv2d(mid, cout, 1)
        nn.init.zeros_(self.conv_out.weight)
        nn.init.zeros_(self.conv_out.bias)

    def forward(self, x):
        h = self.conv_in(x)
        m = torch.cat([self.attention(h), self.dense(h)], 1)
        return self.conv_out(self.mix_conv(F.relu(self.mix_bn(m))))


# ---- bijections: forward(x[, ctx]) -> (z, logdet per sample), inverse(z[, ctx]) -> x ----

def squeeze(x):
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).permute(0, 1, 3, 5, 2, 4).reshape(n, 4 * c, h // 2, w // 2)


def unsqueeze(z):
    n, c, h, w = z.shape
    return z.reshape(n, c // 4, 2, 2, h, w).permute(0, 1, 4, 2, 5, 3).reshape(n, c // 4, 2 * h, 2 * w)


class ActNorm(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.shift = nn.Parameter(torch.zeros(1, c, 1, 1))
        self.log_scale = nn.Parameter(torch.zeros(1, c, 1, 1))
        self.register_buffer('initialized', torch.zeros(1))

    def forward(self, x):
        if self.training and self.initialized.item() == 0:
            with torch.no_grad():
                self.shift.data = x.mean(dim=[0, 2, 3], keepdim=True)
                self.log_scale.data = torch.log(x.std(dim=[0, 2, 3], keepdim=True) + 1e-6)
                self.initialized.fill_(1)
        z = (x - self.shift) * torch.exp(-self.log_scale)
        return z, (-self.log_scale.sum() * x.shape[2] * x.shape[3]).expand(x.shape[0])

    def inverse(self, z):
        return self.shift + z * torch.exp(self.log_scale)


class InvConv1x1LU(nn.Module):
    """W = P L (U + diag(sign * exp(log_s))), L unit lower, U strictly upper (Glow's LU form)."""

    def __init__(self, c):
        super().__init__()
        w = torch.linalg.qr(torch.randn(c, c))[0]
        p, l, u = torch.linalg.lu(w)
        s = torch.diagonal(u)
        self.lower = nn.Parameter(torch.tril(l, -1))
        self.upper = nn.Parameter(torch.triu(u, 1))
        self.log_s = nn.Parameter(s.abs().log())
        self.register_buffer('perm', p)
        self.register_buffer('sign', s.sign())

    def weight(self):
        c = self.log_s.shape[0]
        eye = torch.eye(c)
        l = torch.tril(self.lower, -1) + eye
        u = torch.triu(self.upper, 1) + torch.diag(self.sign * self.log_s.exp())
        return self.perm @ l @ u

    def forward(self, x):
        w = self.weight()
        z = F.conv2d(x, w.reshape(*w.shape, 1, 1))
        return z, (self.log_s.sum() * x.shape[2] * x.shape[3]).expand(x.shape[0])

    def inverse(self, z):
        w = torch.inverse(self.weight())
        return F.conv2d(z, w.reshape(*w.shape, 1, 1))


class AffineCoupling(nn.Module):
    """The first ceil(C/2) channels (with an optional context) condition an affine map of the rest;
    log-scale = 2 tanh(s / 2); the net's channels alternate (s, t) per transformed channel."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def params(self, x1, ctx):
        h = self.net(x1 if ctx is None else torch.cat([x1, ctx], 1))
        n, c2, hh, ww = h.shape
        h = h.reshape(n, c2 // 2, 2, hh, ww)
        return 2 * torch.tanh(h[:, :, 0] / 2), h[:, :, 1]

    def forward(self, x, ctx=None):
        k = (x.shape[1] + 1) // 2
        x1, x2 = x[:, :k], x[:, k:]
        ls, t = self.params(x1, ctx)
        return torch.cat([x1, t + ls.exp() * x2], 1), ls.flatten(1).sum(1)

    def inverse(self, z, ctx=None):
        k = (z.shape[1] + 1) // 2
        z1, z2 = z[:, :k], z[:, k:]
        ls, t = self.params(z1, ctx)
        return torch.cat([z1, (z2 - t) * torch.exp(-ls)], 1)


class ChannelSwitch(nn.Module):
    def forward(self, x):
        k = (x.shape[1] + 1) // 2
        return torch.cat([x[:, k:], x[:, :k]], 1), torch.zeros(x.shape[0])

    def inverse(self, z):
        k = z.shape[1] // 2
        return torch.cat([z[:, k:], z[:, :k]], 1)


class Step(nn.Module):
    def __init__(self, c, mid, depth, growth, landmarks):
        super().__init__()
        self.actnorm = ActNorm(c)
        self.conv = InvConv1x1LU(c)
        self.coupling = AffineCoupling(AttentionDenseNet((c + 1) // 2, 2 * (c // 2), mid, depth, growth, landmarks))
        self.switch = ChannelSwitch()

    def forward(self, x):
        total = 0
        for t in (self.actnorm, self.conv, self.coupling, self.switch):
            x, ld = t(x)
            total = total + ld
        return x, total

    def inverse(self, z):
        for t in (self.switch, self.coupling, self.conv, self.actnorm):
            z = t.inverse(z)
        return z


class NoiseNet(nn.Module):
    """Cross-unit coupling net: 3x3 conv to 4x the channels, ReLU, zero-initialised 1x1 to (mean, log-scale)."""

    def __init__(self, cin, growth):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, 4 * cin, 3, padding=1)
        self.conv2 = nn.Conv2d(4 * cin, 2 * growth, 1)
        nn.init.zeros_(self.conv2.weight)
        nn.init.zeros_(self.conv2.bias)

    def forward(self, x):
        mu, s = self.conv2(F.relu(self.conv1(x))).chunk(2, 1)
        return mu, 2 * torch.tanh(s / 2)


class DenseFlowBlock(nn.Module):
    def __init__(self, c, units, steps, mid, growth_rate, depth, growth, landmarks):
        super().__init__()
        self.growth_rate = growth_rate
        self.units = nn.ModuleList()
        self.noise = nn.ModuleList()
        for i in range(units):
            if i > 0:
                # the noise net of unit i sees the block input and the outputs of units 0 .. i-2
                seen = c + sum(c + j * growth_rate for j in range(i - 1))
                self.noise.append(NoiseNet(seen, growth_rate))
            self.units.append(nn.ModuleList([Step(c + i * growth_rate, mid, depth, growth, landmarks)
                                             for _ in range(steps)]))

    def forward(self, x, noise):
        total = torch.zeros(x.shape[0])
        history = [x]
        for i, unit in enumerate(self.units):
            if i > 0:
                g = torch.cat(history, 1)
                eta = noise((x.shape[0], self.growth_rate, x.shape[2], x.shape[3]))
                mu, ls = self.noise[i - 1](g)
                total = total + (0.5 * eta ** 2 + 0.5 * LOG_2PI).flatten(1).sum(1) + ls.flatten(1).sum(1)
                history.append(x)
                x = torch.cat([x, mu + ls.exp() * eta], 1)
            for step in unit:
                x, ld = step(x)
                total = total + ld
        return x, total

    def inverse(self, z):
        for i in reversed(range(len(self.units))):
            for step in reversed(self.units[i]):
                z = step.inverse(z)
            if i > 0:
                z = z[:, :-self.growth_rate]
        return z


class Dequantizer(nn.Module):
    def __init__(self, c, bits, steps, context, mid, depth, growth, cdepth, cgrowth):
        super().__init__()
        self.bits = bits
        self.ctx_dense0 = DenseBlock(c, mid, cdepth, cgrowth)
        self.ctx_down = nn.Conv2d(mid, mid, 2, stride=2)
        self.ctx_dense1 = DenseBlock(mid, context, cdepth, cgrowth)
        self.base_loc = nn.Parameter(torch.zeros(1, 4 * c, 1, 1))
        self.base_log_scale = nn.Parameter(torch.zeros(1, 4 * c, 1, 1))
        self.convs = nn.ModuleList([InvConv1x1LU(4 * c) for _ in range(steps + 1)])
        self.couplings = nn.ModuleList([AffineCoupling(ResidualDenseNet(2 * c + context, 4 * c, mid, depth, growth))
                                        for _ in range(steps)])

    def forward(self, x, noise):
        """x: integers 0 .. 2^bits - 1 as floats; returns (y = (x + u) / 2^bits, log-det - log q(u | x))."""
        ctx = self.ctx_dense1(self.ctx_down(self.ctx_dense0(2 * x / (2 ** self.bits - 1) - 1)))
        n, c, h, w = x.shape
        eps = noise((n, 4 * c, h // 2, w // 2))
        u = self.base_loc + self.base_log_scale.exp() * eps
        logq = (-0.5 * eps ** 2 - 0.5 * LOG_2PI - self.base_log_scale).flatten(1).sum(1)
        for k, coupling in enumerate(self.couplings):
            u, ld = self.convs[k](u)
            logq = logq - ld
            u, ld = coupling(u, ctx)
            logq = logq - ld
        u, ld = self.convs[-1](u)
        logq = logq - ld
        u = unsqueeze(u)
        # log sigmoid'(u) = -|u| - 2 log(1 + exp(-|u|))
        logq = logq - (-u.abs() - 2 * torch.log(torch.exp(-u.abs()) + 1)).flatten(1).sum(1)
        u = torch.sigmoid(u)
        y = (x + u) / 2 ** self.bits
        return y, -x[0].numel() * self.bits * math.log(2) - logq


class DenseFlow(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c = cfg['channels']
        d = cfg['dequantization']
        self.dequant = Dequantizer(c, cfg['numBits'], d['steps'], d['contextChannels'], d['midChannels'],
                                   d['depth'], d['growth'], d['contextDepth'], d['contextGrowth'])
        cp = cfg['coupling']
        c *= 4
        self.blocks = nn.ModuleList()
        self.factored_channels = []
        for b, units in enumerate(cfg['blocks']):
            self.blocks.append(DenseFlowBlock(c, units, cfg['layers'][b], cfg['midChannels'][b], cfg['growthRate'],
                                              cp['depth'], cp['growth'], cp['landmarks']))
            c += cfg['growthRate'] * (units - 1)
            if b < len(cfg['blocks']) - 1:
                c *= 2
                self.factored_channels.append(c)
        self.prior_loc = nn.Parameter(torch.zeros(1, c, 1, 1))
        self.prior_log_scale = nn.Parameter(torch.zeros(1, c, 1, 1))

    def encode(self, y, noise):
        """Continuous image y (in [0, 1]) -> (z, factored parts, log-det incl. the factored parts' log N(0,1))."""
        x = squeeze(y - 0.5)
        total = torch.zeros(y.shape[0])
        factored = []
        for b, block in enumerate(self.blocks):
            x, ld = block(x, noise)
            total = total + ld
            if b < len(self.blocks) - 1:
                x1, x2 = squeeze(x).chunk(2, 1)
                total = total + (-0.5 * x2 ** 2 - 0.5 * LOG_2PI).flatten(1).sum(1)
                factored.append(x2)
                x = x1
        return x, factored, total

    def prior_log_prob(self, z):
        return (-0.5 * ((z - self.prior_loc) * torch.exp(-self.prior_log_scale)) ** 2 - self.prior_log_scale
                - 0.5 * LOG_2PI).flatten(1).sum(1)

    def log_prob(self, x, noise=torch_noise):
        y, ld0 = self.dequant(x, noise)
        z, _, ld = self.encode(y, noise)
        return ld0 + ld + self.prior_log_prob(z)

    def decode(self, z, factored):
        for b in reversed(range(len(self.blocks))):
            if b < len(self.blocks) - 1:
                z = unsqueeze(torch.cat([z, factored[b]], 1))
            z = self.blocks[b].inverse(z)
        return unsqueeze(z) + 0.5

    def sample(self, n, h, w, temperature=1.0, noise=torch_noise):
        """Continuous samples (N x C x H x W, ~[0, 1]); noise order: prior, then factored parts coarse to fine."""
        scale = 2 ** (len(self.blocks))
        c = self.prior_loc.shape[1]
        z = self.prior_loc + self.prior_log_scale.exp() * temperature * noise((n, c, h // scale, w // scale))
        factored = [None] * (len(self.blocks) - 1)
        for b in reversed(range(len(self.blocks) - 1)):
            s = 2 ** (b + 2)
            factored[b] = temperature * noise((n, self.factored_channels[b], h // s, w // s))
        return self.decode(z, factored)


def bits_per_dim(log_prob, x):
    return -log_prob.sum() / (math.log(2) * x.numel())
