#!/usr/bin/python3
"""The PyTorch side of issue 13's conv-net speed comparison, run by hand on this machine.

Times one training step (forward, backward, optimizer update) of the two convolutional
workloads `bench/run --conv` times on the Java side, same shapes, float32, one thread:
- LeNet-5 with BatchNorm (dl-with-bayes' LeNet5BatchNorm: conv 1->6 k5 p2 . bn . relu . maxpool 2,
  conv 6->16 k5 . bn . relu . maxpool 2, fc 400->120 . bn . relu, 120->84 . bn . relu, 84->10),
  batch 128, 28x28x1 inputs;
- ResNet-18, CIFAR form (3x3 stem, no max pool, torchvision's BasicBlock), batch 32, 32x32x3.
Each with torch.optim.Adam (lr 1e-3) and with the reference's own VOGN, torchsso.optim.VOGN
from a checkout of https://github.com/cybertronai/pytorch-sso (1 MC sample per step, the
settings bench's ConvStepBenchmark uses), driven through its closure as its examples do.
Inputs are standard-normal with uniform labels, cycling through 8 distinct batches (timing does
not depend on the values; one repeated batch would drive the loss to 0). Adam and VOGN steps
are interleaved in blocks so machine noise hits both alike; medians and p10/p90 are printed,
and the single-thread sgemm rate (torch.mm 1024^3) for the FLOP floor. Beside wall-clock time
each step's CPU time of the calling thread is reported (with one thread torch runs its ops there),
which other processes on a loaded machine disturb less.

torchsso's optimizer modules import chainer (for its distributed communicators) at import time;
this script registers an empty stand-in `chainer` module in sys.modules before importing
torchsso, which is enough to load it without chainer (likewise `scipy`, which only its
Kronecker-factor inverse calls, when python3-scipy is not installed). Nothing of torchsso is copied here.

Needs Debian's python3-torch (1.13) and, for a fair BLAS, libopenblas0-openmp (Debian's torch
otherwise runs on the reference BLAS):
  apt-get install -y python3-torch libopenblas0-openmp
  git clone https://github.com/cybertronai/pytorch-sso /tmp/pytorch-sso
  OMP_NUM_THREADS=1 /usr/bin/python3 bench/torch-reference/conv_step.py --sso /tmp/pytorch-sso
      [--steps 60] [--resnet-steps 6] [--only lenet|resnet]
The checkout may also be given as PYTORCH_SSO=/path. Not part of the build or the tests.
"""
import argparse
import os
import sys
import time
import types

import torch
import torch.nn as nn
import torch.nn.functional as F


def import_torchsso(path):
    """torchsso from the checkout at `path`, with an empty `chainer` standing in for the real one."""
    if not path or not os.path.isdir(os.path.join(path, 'torchsso')):
        sys.exit(f'conv_step.py: --sso (or PYTORCH_SSO) must name a pytorch-sso checkout with a torchsso/ '
                 f'folder, got {path!r}')
    try:
        import chainer  # noqa: F401  (the real one, if installed)
    except ImportError:
        chainer = types.ModuleType('chainer')
        backends = types.ModuleType('chainer.backends')
        backends.cuda = types.ModuleType('chainer.backends.cuda')
        chainer.backends = backends
        sys.modules.update({'chainer': chainer, 'chainer.backends': backends,
                            'chainer.backends.cuda': backends.cuda})
    try:
        import scipy  # noqa: F401  (only torchsso's Kronecker-factor inverse uses it, never diagonal VOGN)
    except ImportError:
        sys.modules['scipy'] = types.ModuleType('scipy')
    sys.path.insert(0, path)
    import torchsso
    return torchsso


class LeNet5BatchNorm(nn.Module):
    def __init__(self, channels=1, classes=10, padding=2):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 6, 5, padding=padding)
        self.bn1 = nn.BatchNorm2d(6)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.bn2 = nn.BatchNorm2d(16)
        self.fc1 = nn.Linear(400, 120)
        self.bn3 = nn.BatchNorm1d(120)
        self.fc2 = nn.Linear(120, 84)
        self.bn4 = nn.BatchNorm1d(84)
        self.fc3 = nn.Linear(84, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.bn3(self.fc1(x)))
        x = F.relu(self.bn4(self.fc2(x)))
        return self.fc3(x)


class BasicBlock(nn.Module):
    def __init__(self, a, b, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(a, b, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(b)
        self.conv2 = nn.Conv2d(b, b, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(b)
        self.shortcut = nn.Sequential()
        if stride != 1 or a != b:
            self.shortcut = nn.Sequential(nn.Conv2d(a, b, 1, stride, bias=False), nn.BatchNorm2d(b))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(y)) + self.shortcut(x))


class ResNet18Cifar(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        blocks, a = [], 64
        for b, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
            blocks += [BasicBlock(a, b, stride), BasicBlock(b, b, 1)]
            a = b
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(512, classes)

    def forward(self, x):
        x = self.blocks(F.relu(self.bn1(self.conv1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def batches(batch, shape, classes, count=8, seed=7):
    g = torch.Generator().manual_seed(seed)
    return [(torch.randn(batch, *shape, generator=g), torch.randint(classes, (batch,), generator=g))
            for _ in range(count)]


def vogn(torchsso, model, name):
    """torchsso's VOGN with the settings of ConvStepBenchmark (the reference's configs, 1 MC sample)."""
    if name == 'lenet':
        return torchsso.optim.VOGN(model, dataset_size=60000, lr=0.01, num_mc_samples=1, init_precision=8e-3,
                                   prior_variance=1, kl_weighting=1, grad_ema_decay=0.1, grad_ema_type='raw',
                                   curv_kwargs={'damping': 0, 'ema_decay': 1e-3})
    return torchsso.optim.VOGN(model, dataset_size=50000, lr=1e-4, num_mc_samples=1, prior_variance=0.02,
                               kl_weighting=1, momentum=0.9, momentum_type='raw', non_reg_for_bn=True,
                               curv_kwargs={'damping': 1e-3, 'ema_decay': 0.999})


def adam_step(model, opt, x, y):
    opt.zero_grad()
    F.cross_entropy(model(x), y).backward()
    opt.step()


def vogn_step(model, opt, x, y):
    def closure():
        opt.zero_grad()
        out = model(x)
        loss = F.cross_entropy(out, y)
        loss.backward()
        return loss, out
    opt.step(closure=closure)


def stats(ms):
    s = sorted(ms)
    q = lambda f: s[min(len(s) - 1, int(f * (len(s) - 1) + 0.5))]  # noqa: E731
    return f'median {q(0.5):.2f} ms (p10 {q(0.1):.2f}, p90 {q(0.9):.2f}, n={len(s)})', q(0.5)


def time_model(torchsso, name, make, shape, batch, warmup, measured):
    data = batches(batch, shape, 10)
    torch.manual_seed(1)
    adam_model, vogn_model = make(), make()
    adam_model.train()
    vogn_model.train()
    adam = torch.optim.Adam(adam_model.parameters(), lr=1e-3)
    vo = vogn(torchsso, vogn_model, name)
    for i in range(warmup):
        x, y = data[i % len(data)]
        adam_step(adam_model, adam, x, y)
        vogn_step(vogn_model, vo, x, y)
    ta, tv, ca, cv = [], [], [], []
    block = max(1, min(10, measured // 4))
    for i in range(0, measured, block):
        for j in range(i, min(i + block, measured)):
            x, y = data[j % len(data)]
            c0, t0 = time.thread_time(), time.perf_counter()
            adam_step(adam_model, adam, x, y)
            ta.append((time.perf_counter() - t0) * 1e3)
            ca.append((time.thread_time() - c0) * 1e3)
        for j in range(i, min(i + block, measured)):
            x, y = data[j % len(data)]
            c0, t0 = time.thread_time(), time.perf_counter()
            vogn_step(vogn_model, vo, x, y)
            tv.append((time.perf_counter() - t0) * 1e3)
            cv.append((time.thread_time() - c0) * 1e3)
    sa, ma = stats(ta)
    sv, mv = stats(tv)
    cpu = f'CPU time of the stepping thread: Adam {stats(ca)[0]}, VOGN {stats(cv)[0]}'
    return sa, sv, mv / ma, cpu


def sgemm_gflops(n=1024, reps=10):
    a, b = torch.randn(n, n), torch.randn(n, n)
    c = torch.empty(n, n)
    torch.mm(a, b, out=c)
    best = float('inf')
    for _ in range(reps):
        t0 = time.perf_counter()
        torch.mm(a, b, out=c)
        best = min(best, time.perf_counter() - t0)
    return 2 * n ** 3 / best / 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--sso', default=os.environ.get('PYTORCH_SSO'), help='pytorch-sso checkout (or PYTORCH_SSO)')
    ap.add_argument('--steps', type=int, default=60, help='measured LeNet steps per optimizer')
    ap.add_argument('--resnet-steps', type=int, default=6, help='measured ResNet-18 steps per optimizer (0: skip)')
    ap.add_argument('--only', choices=['lenet', 'resnet'])
    ap.add_argument('--threads', type=int, default=1)
    args = ap.parse_args()
    torchsso = import_torchsso(args.sso)
    torch.set_num_threads(args.threads)
    print(f'torch {torch.__version__}, {torch.get_num_threads()} thread(s), sgemm 1024^3: '
          f'{sgemm_gflops():.1f} GFLOP/s (best of 10)')
    if args.only in (None, 'lenet'):
        sa, sv, r, cpu = time_model(torchsso, 'lenet', LeNet5BatchNorm, (1, 28, 28), 128, 20, args.steps)
        print(f'LeNet-5 + BatchNorm, float32, batch 128, 28x28x1, {args.steps} interleaved steps each\n'
              f'  Adam step: {sa}\n  VOGN step: {sv}   (torchsso, 1 MC sample)\n  VOGN / Adam step time: {r:.2f}x\n'
              f'  {cpu}')
    if args.only in (None, 'resnet') and args.resnet_steps > 0:
        sa, sv, r, cpu = time_model(torchsso, 'resnet', ResNet18Cifar, (3, 32, 32), 32, 2, args.resnet_steps)
        print(f'ResNet-18 (CIFAR form), float32, batch 32, 32x32x3, {args.resnet_steps} interleaved steps each\n'
              f'  Adam step: {sa}\n  VOGN step: {sv}   (torchsso, 1 MC sample)\n  VOGN / Adam step time: {r:.2f}x\n'
              f'  {cpu}')


if __name__ == '__main__':
    main()
