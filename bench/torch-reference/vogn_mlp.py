#!/usr/bin/python3
"""The PyTorch side of issue 2's reference check, run on this machine.

Trains the MLP 784-400-400-10 on Fashion-MNIST with VOGN exactly as dl-with-bayes'
classification/main.py drives torchsso's VIOptimizer (the update of fixtures/README.md,
"The update these files follow"), for many seeds, so our Java results can be compared with a
reference distribution instead of three numbers. torchsso itself is not packaged; this is an
independent transcription of its update in PyTorch, and `--replay` checks it against the VOGN
fixtures, which were produced by torchsso (agreement to ~1e-15 in float64).

What is reproduced from the reference's training loop:
- torch.manual_seed(seed) before the model is built (nn.Linear's default initialisation);
- torch.utils.data.DataLoader(shuffle=True, batch_size=128): a fresh permutation per epoch drawn
  from the global RNG, the last partial batch kept (469 steps per epoch);
- torchsso's RNG use: torch.manual_seed(seed + step) at the start of every step, then one
  torch.randn_like per parameter (module order, weight before bias) per MC sample;
- ExponentialLR stepped as scheduler.step(epoch - 1) at the start of each epoch (with --gamma);
- validation with torch.manual_seed(step) and val_num_mc_samples weight samples, softmax averaged.

Needs Debian's python3-torch (1.13.1, the version the fixtures were made with) and
python3-numpy: run with /usr/bin/python3. Not part of CI.

`--cross-check DIR` replays a run of the Java trainer instead: `bench/run --cross-check DIR` writes
the initial weights, every step's batch and the seed of a counter-based noise formula both sides
implement (bench's CounterNoise), trains in float64 and records its final weights; this script
trains from the same inputs and reports how far its weights and test metrics are from Java's.

  bench/torch-reference/vogn_mlp.py --replay model/src/test/fixtures/vogn_mlp.json
  bench/torch-reference/vogn_mlp.py --seeds 1-8 [--gamma 0.9] [--dtype float64]
  bench/torch-reference/vogn_mlp.py --cross-check DIR --seed S
"""
import argparse
import gzip
import json
import math
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Vogn:
    """torchsso's VIOptimizer/VOGN for Linear layers with diagonal ("Cov", "Diag") curvature.

    One group per Linear module, as torchsso's SecondOrderOptimizer builds them; per group a
    scalar l2_reg_ema (λ̄) starting at 0. Options: momentum (preconditioned), gradient EMA (raw).
    """

    def __init__(self, model, lr, dataset_size, num_mc_samples, kl_weighting, prior_variance,
                 init_precision, damping, ema_decay, grad_ema_decay, momentum, seed):
        self.model = model
        self.modules = [m for m in model.modules() if isinstance(m, nn.Linear)]
        self.lr = lr
        self.m = num_mc_samples
        self.l2 = kl_weighting / dataset_size / prior_variance
        self.std_scale = math.sqrt(kl_weighting / dataset_size)
        self.damping = damping
        self.rho = ema_decay
        self.gamma = grad_ema_decay
        self.beta = momentum
        self.seed_base = seed
        self.step_count = 0
        self.groups = []
        for mod in self.modules:
            params = [mod.weight] + ([mod.bias] if mod.bias is not None else [])
            self.groups.append({
                'module': mod, 'params': params,
                'mean': [p.detach().clone() for p in params],
                'curv': [torch.full_like(p, init_precision) for p in params],
                'grad_ema': [torch.zeros_like(p) for p in params],
                'momentum': [torch.zeros_like(p) for p in params],
                'l2_reg_ema': 0.0,
            })
            mod.register_forward_hook(self._save_input)
        for g in self.groups:
            g['std'] = [1 / torch.sqrt(c + self.damping + g['l2_reg_ema']) for c in g['curv']]

    @staticmethod
    def _save_input(mod, inputs, output):
        mod._ngvi_input = inputs[0].detach()
        if output.requires_grad:  # not under torch.no_grad() (prediction)
            output.register_hook(lambda go: setattr(mod, '_ngvi_grad_output', go.detach()))

    def sample_params(self, eps=None):
        for gi, g in enumerate(self.groups):
            for pi, (p, mu, std) in enumerate(zip(g['params'], g['mean'], g['std'])):
                noise = torch.randn_like(mu) if eps is None else eps[gi][pi]
                p.data.copy_(torch.addcmul(mu, noise, std, value=self.std_scale))

    def copy_mean(self):
        for g in self.groups:
            for p, mu in zip(g['params'], g['mean']):
                p.data.copy_(mu)

    def step(self, closure, eps=None):
        """One VOGN step; eps[k][group][param] replaces the draws (replay)."""
        if eps is None:
            torch.manual_seed(self.step_count + self.seed_base)
        grads = [[torch.zeros_like(mu) for mu in g['mean']] for g in self.groups]
        curvs = [[torch.zeros_like(mu) for mu in g['mean']] for g in self.groups]
        loss_sum = 0.0
        for k in range(self.m):
            self.sample_params(None if eps is None else eps[k])
            for p in self.model.parameters():
                p.grad = None
            loss = closure()
            loss.backward()
            loss_sum += loss.item() / self.m
            for gi, g in enumerate(self.groups):
                mod = g['module']
                a = mod._ngvi_input
                delta = mod._ngvi_grad_output * a.shape[0]  # per-example output gradients
                b = a.shape[0]
                grads[gi][0] += mod.weight.grad / self.m
                curvs[gi][0] += torch.einsum('ki,kj->ij', delta * delta, a * a) / b / self.m
                if mod.bias is not None:
                    grads[gi][1] += mod.bias.grad / self.m
                    curvs[gi][1] += (delta * delta).mean(dim=0) / self.m
        for gi, g in enumerate(self.groups):
            g['l2_reg_ema'] = self.rho * self.l2 + (1 - self.rho) * g['l2_reg_ema']
            for pi in range(len(g['mean'])):
                mu = g['mean'][pi]
                grad = grads[gi][pi] + self.l2 * mu
                if self.gamma != 1:
                    g['grad_ema'][pi].mul_(1 - self.gamma).add_(grad, alpha=self.gamma)
                    grad = g['grad_ema'][pi]
                g['curv'][pi] = self.rho * curvs[gi][pi] + (1 - self.rho) * g['curv'][pi]
                u = grad / (g['curv'][pi] + self.damping + g['l2_reg_ema'])
                if self.beta != 0:
                    g['momentum'][pi].mul_(self.beta).add_(u)
                    u = g['momentum'][pi]
                mu.sub_(u, alpha=self.lr)
                g['std'][pi] = 1 / torch.sqrt(g['curv'][pi] + self.damping + g['l2_reg_ema'])
        self.copy_mean()
        self.step_count += 1
        return loss_sum, grads, curvs

    @torch.no_grad()
    def predict(self, x, mc):
        torch.manual_seed(self.step_count)  # torchsso's prediction(): set_random_seed(step)
        probs = torch.zeros(x.shape[0], 10, dtype=x.dtype)
        for _ in range(mc):
            self.sample_params()
            probs += F.softmax(self.model(x), dim=1) / mc
        self.copy_mean()
        return probs


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    magic, n = struct.unpack('>II', data[:8])
    if magic == 2051:
        rows, cols = struct.unpack('>II', data[8:16])
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, rows * cols)
    if magic == 2049:
        return np.frombuffer(data, dtype=np.uint8, offset=8)
    raise ValueError(f'{path}: magic {magic} is not an IDX image (2051) or label (2049) file')


def metrics(probs, labels, bins=15):
    conf, pred = probs.max(dim=1)
    correct = (pred == labels).double()
    nll = -torch.log(probs[torch.arange(len(labels)), labels].double().clamp_min(1e-300)).mean().item()
    ece = 0.0
    edges = torch.linspace(0, 1, bins + 1, dtype=torch.float64)
    c = conf.double()
    for i in range(bins):
        in_bin = (c > edges[i]) & (c <= edges[i + 1]) if i > 0 else (c >= 0) & (c <= edges[1])
        if in_bin.any():
            ece += in_bin.double().mean().item() * abs(c[in_bin].mean().item() - correct[in_bin].mean().item())
    return correct.mean().item(), nll, ece


def train_one(seed, args, x_train, y_train, x_test, y_test):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(784, 400), nn.ReLU(), nn.Linear(400, 400), nn.ReLU(), nn.Linear(400, 10))
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x_train, y_train),
                                         batch_size=128, shuffle=True)
    opt = Vogn(model, lr=args.lr, dataset_size=len(x_train), num_mc_samples=1, kl_weighting=1,
               prior_variance=1, init_precision=8e-3, damping=0, ema_decay=1e-3, grad_ema_decay=0.1,
               momentum=0, seed=seed)
    t0 = time.time()
    for epoch in range(1, args.epochs + 1):
        if args.gamma is not None:
            opt.lr = args.lr * args.gamma ** (epoch - 1)  # ExponentialLR.step(epoch - 1), closed form
        for data, target in loader:
            opt.step(lambda: F.cross_entropy(model(data), target))
    acc, nll, ece = metrics(opt.predict(x_test, args.val_mc), y_test)
    return acc, nll, ece, opt.step_count, time.time() - t0


MASK = (1 << 64) - 1


def mix(z):
    """SplitMix64's finaliser on uint64 arrays (wrap-around arithmetic)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xbf58476d1ce4e5b9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94d049bb133111eb)
    return z ^ (z >> np.uint64(31))


def counter_noise(seed, step, sample, n):
    """bench's CounterNoise: ε for entries 0..n-1 of MC sample `sample` at step `step`."""
    with np.errstate(over='ignore'):
        seed_mix = mix(np.array([seed & MASK], dtype=np.uint64))[0]
        row = np.uint64((((step * 1024 + sample) << 32)) & MASK)
        key = (row + np.arange(n, dtype=np.uint64)) * np.uint64(2) + seed_mix
        u1 = ((mix(key) >> np.uint64(11)) + np.uint64(1)).astype(np.float64) * 2.0 ** -53
        u2 = (mix(key + np.uint64(1)) >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
    return np.sqrt(-2 * np.log(u1)) * np.cos(2 * np.pi * u2)


def split(flat, opt):
    """A flat vector in Java's layout (layer order, weight [out, in] then bias) as per-group tensors."""
    out, at = [], 0
    for g in opt.groups:
        per = []
        for mu in g['mean']:
            per.append(torch.from_numpy(flat[at:at + mu.numel()].copy()).reshape(mu.shape))
            at += mu.numel()
        out.append(per)
    if at != len(flat):
        raise ValueError(f'flat vector of {len(flat)} values, the model has {at}')
    return out


def cross_check(args):
    """Trains from the inputs `bench/run --cross-check DIR` wrote and compares with Java's results."""
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(args.threads)
    d = args.cross_check
    x_train = torch.tensor(read_idx(f'{args.data}/train-images-idx3-ubyte.gz'), dtype=torch.float64) / 255
    y_train = torch.tensor(read_idx(f'{args.data}/train-labels-idx1-ubyte.gz'), dtype=torch.long)
    x_test = torch.tensor(read_idx(f'{args.data}/t10k-images-idx3-ubyte.gz'), dtype=torch.float64) / 255
    y_test = torch.tensor(read_idx(f'{args.data}/t10k-labels-idx1-ubyte.gz'), dtype=torch.long)
    model = nn.Sequential(nn.Linear(784, 400), nn.ReLU(), nn.Linear(400, 400), nn.ReLU(), nn.Linear(400, 10))
    opt = Vogn(model, lr=args.lr, dataset_size=len(x_train), num_mc_samples=1, kl_weighting=1, prior_variance=1,
               init_precision=8e-3, damping=0, ema_decay=1e-3, grad_ema_decay=0.1, momentum=0, seed=args.seed)
    init = split(np.fromfile(f'{d}/init.f64', dtype='<f8'), opt)
    for g, per in zip(opt.groups, init):
        for p, mu, v in zip(g['params'], g['mean'], per):
            mu.copy_(v)
            p.data.copy_(v)
    batches = np.fromfile(f'{d}/batches.i32', dtype='<i4').reshape(-1, 128)
    n = sum(mu.numel() for g in opt.groups for mu in g['mean'])
    t0 = time.time()
    for t, idx in enumerate(batches):
        idx = torch.from_numpy(idx.astype(np.int64))
        data, target = x_train[idx], y_train[idx]
        eps = [split(counter_noise(args.seed, t, 0, n), opt)]
        opt.step(lambda: F.cross_entropy(model(data), target), eps)
        if (t + 1) % 200 == 0:
            print(f'  step {t + 1}/{len(batches)}', flush=True)
    flat_mean = np.concatenate([mu.reshape(-1).numpy() for g in opt.groups for mu in g['mean']])
    flat_curv = np.concatenate([c.reshape(-1).numpy() for g in opt.groups for c in g['curv']])
    java_mean = np.fromfile(f'{d}/mean.f64', dtype='<f8')
    java_curv = np.fromfile(f'{d}/curvature.f64', dtype='<f8')
    with torch.no_grad():
        opt.copy_mean()
        p_mean = F.softmax(model(x_test), dim=1)
        p_mc = torch.zeros_like(p_mean)
        for k in range(args.val_mc):
            opt.sample_params(split(counter_noise(args.seed, 1 << 40, k, n), opt))
            p_mc += F.softmax(model(x_test), dim=1) / args.val_mc
        opt.copy_mean()
    acc_mean, nll_mean, _ = metrics(p_mean, y_test)
    acc_mc, nll_mc, _ = metrics(p_mc, y_test)
    java = json.load(open(f'{d}/java.json'))
    rel = lambda a, b: float(np.max(np.abs(a - b)) / np.max(np.abs(b)))
    print(f'cross-check seed {args.seed}: {len(batches)} steps from the same weights, batches and noise, float64 '
          f'({time.time() - t0:.0f} s)')
    print(f'  final mean μ: max |PyTorch − Java| / max |Java| = {rel(flat_mean, java_mean):.2e}; '
          f'curvature s: {rel(flat_curv, java_curv):.2e}')
    print(f'  test accuracy, mean weights: PyTorch {acc_mean:.4f}, Java {java["mean_weights_accuracy"]:.4f}; '
          f'NLL {nll_mean:.6f} vs {java["mean_weights_nll"]:.6f}')
    print(f'  test accuracy, {args.val_mc} weight samples: PyTorch {acc_mc:.4f}, Java {java["mc_accuracy"]:.4f}; '
          f'NLL {nll_mc:.6f} vs {java["mc_nll"]:.6f}')


def tensor(d, dtype):
    return torch.tensor(np.array(d['data']), dtype=dtype).reshape(d['shape'])


def replay(path):
    """Runs this file's optimizer on a VOGN fixture with its ε; prints the worst relative error."""
    torch.set_default_dtype(torch.float64)
    fx = json.load(open(path))
    h = fx['hyper']
    layers = []
    for spec in fx['model']['layers']:
        if spec['type'] == 'linear':
            layers.append(nn.Linear(spec['in'], spec['out'], bias=spec['bias']))
        elif spec['type'] == 'relu':
            layers.append(nn.ReLU())
        elif spec['type'] == 'tanh':
            layers.append(nn.Tanh())
        else:
            raise ValueError(f'{path}: layer type {spec["type"]} is not handled by the replay')
    model = nn.Sequential(*layers)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(tensor(fx['init']['mean'][name], torch.float64))
    if h.get('momentum_type', 'preconditioned') != 'preconditioned' or h.get('grad_ema_type', 'raw') != 'raw':
        raise ValueError(f'{path}: only preconditioned momentum and raw gradient EMA are transcribed')
    opt = Vogn(model, lr=h['lr'], dataset_size=h['dataset_size'], num_mc_samples=h['num_mc_samples'],
               kl_weighting=h['kl_weighting'], prior_variance=h['prior_variance'],
               init_precision=h['init_precision'], damping=h['curv_kwargs']['damping'],
               ema_decay=h['curv_kwargs']['ema_decay'], grad_ema_decay=h['grad_ema_decay'],
               momentum=h['momentum'], seed=0)
    names = [n for n, _ in model.named_parameters()]
    index = {}
    for gi, g in enumerate(opt.groups):
        for pi, p in enumerate(g['params']):
            index[next(n for n, q in model.named_parameters() if q is p)] = (gi, pi)
    worst = 0.0
    for step in fx['steps']:
        x = tensor(step['input'], torch.float64)
        y = torch.tensor(step['labels'])
        eps = []
        for e in step['eps']:
            per = [[None] * len(g['params']) for g in opt.groups]
            for n in names:
                gi, pi = index[n]
                per[gi][pi] = tensor(e[n], torch.float64)
            eps.append(per)
        opt.step(lambda: F.cross_entropy(model(x), y), eps)
        after = step['after']
        for field, key in (('mean', 'mean'), ('curv', 'curv_ema'), ('std', 'std'), ('grad_ema', 'grad_ema'),
                           ('momentum', 'momentum')):
            for n in names:
                gi, pi = index[n]
                exp = tensor(after[key][n], torch.float64)
                got = opt.groups[gi][field][pi]
                scale = exp.abs().max().item() or 1.0
                worst = max(worst, (got - exp).abs().max().item() / scale)
    print(f'{path}: {len(fx["steps"])} steps replayed, worst error relative to each tensor\'s largest entry {worst:.2e}')
    return worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', default='/usr/share/datasets/fashion-mnist')
    ap.add_argument('--seeds', default='1-3', help='FROM-TO')
    ap.add_argument('--epochs', type=int, default=3)
    ap.add_argument('--lr', type=float, default=0.01)
    ap.add_argument('--gamma', type=float, default=None, help='ExponentialLR factor per epoch (none: constant)')
    ap.add_argument('--val-mc', type=int, default=10)
    ap.add_argument('--dtype', choices=['float32', 'float64'], default='float32')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--replay', nargs='*', help='fixture files to replay instead of training')
    ap.add_argument('--cross-check', help='folder written by bench/run --cross-check: replay that Java run')
    ap.add_argument('--seed', type=int, default=1, help='with --cross-check: the seed the Java run used')
    args = ap.parse_args()
    if args.cross_check:
        cross_check(args)
        return
    if args.replay:
        worst = max(replay(p) for p in args.replay)
        sys.exit(0 if worst < 1e-12 else 1)
    torch.set_num_threads(args.threads)
    dtype = torch.float64 if args.dtype == 'float64' else torch.float32
    torch.set_default_dtype(dtype)
    x_train = torch.tensor(read_idx(f'{args.data}/train-images-idx3-ubyte.gz'), dtype=dtype) / 255
    y_train = torch.tensor(read_idx(f'{args.data}/train-labels-idx1-ubyte.gz'), dtype=torch.long)
    x_test = torch.tensor(read_idx(f'{args.data}/t10k-images-idx3-ubyte.gz'), dtype=dtype) / 255
    y_test = torch.tensor(read_idx(f'{args.data}/t10k-labels-idx1-ubyte.gz'), dtype=torch.long)
    lo, hi = (int(s) for s in args.seeds.split('-'))
    print(f'PyTorch {torch.__version__} VOGN MLP 784-400-400-10, {args.dtype}, lr {args.lr}'
          f'{"" if args.gamma is None else f", ExponentialLR({args.gamma})"}, {args.epochs} epochs, '
          f'{args.val_mc} MC samples at test', flush=True)
    accs = []
    for seed in range(lo, hi + 1):
        acc, nll, ece, steps, secs = train_one(seed, args, x_train, y_train, x_test, y_test)
        accs.append(acc)
        print(f'  seed {seed}: accuracy {acc:.4f}  NLL {nll:.4f}  ECE {ece:.4f}  ({steps} steps, {secs:.1f} s)', flush=True)
    print(f'  median accuracy {float(np.median(accs)):.4f}, mean {float(np.mean(accs)):.4f} over {len(accs)} seeds')


if __name__ == '__main__':
    main()
