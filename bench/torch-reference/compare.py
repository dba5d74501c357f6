#!/usr/bin/env python3
"""Compares the test accuracies of two sets of seeds, as printed by `bench/run --reference` (Java)
and `vogn_mlp.py` (PyTorch): every line "seed N: accuracy X" of each file counts.

Prints each set's median, mean and spread, the difference of the means with its 95% interval
(Welch), and the two-sided p-value of the Mann-Whitney U test (normal approximation with tie
correction): "no detectable difference" is a p-value well above 0.05.

  bench/torch-reference/compare.py java.txt torch.txt
"""
import math
import re
import statistics
import sys


def accuracies(path):
    found = [float(m.group(1)) for m in re.finditer(r'seed \d+: accuracy ([0-9.]+)', open(path).read())]
    if not found:
        sys.exit(f'{path}: no "seed N: accuracy X" lines')
    return found


def mann_whitney_p(a, b):
    pooled = sorted([(x, 0) for x in a] + [(x, 1) for x in b])
    ranks = [0.0] * len(pooled)
    i = 0
    ties = 0.0
    while i < len(pooled):
        j = i
        while j + 1 < len(pooled) and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        t = j - i + 1
        ties += t ** 3 - t
        i = j + 1
    n1, n2 = len(a), len(b)
    r1 = sum(r for r, (_, g) in zip(ranks, pooled) if g == 0)
    u = r1 - n1 * (n1 + 1) / 2
    n = n1 + n2
    var = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    z = (abs(u - n1 * n2 / 2) - 0.5) / math.sqrt(var)
    return math.erfc(z / math.sqrt(2))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = accuracies(sys.argv[1]), accuracies(sys.argv[2])
    for name, x in ((sys.argv[1], a), (sys.argv[2], b)):
        print(f'{name}: {len(x)} seeds, median {statistics.median(x):.4f}, mean {statistics.mean(x):.4f}, '
              f'sd {statistics.stdev(x):.4f}, range {min(x):.4f}-{max(x):.4f}')
    d = statistics.mean(a) - statistics.mean(b)
    se = math.sqrt(statistics.variance(a) / len(a) + statistics.variance(b) / len(b))
    print(f'difference of means {d:+.4f} (95% interval {d - 1.96 * se:+.4f} to {d + 1.96 * se:+.4f}); '
          f'Mann-Whitney two-sided p = {mann_whitney_p(a, b):.2f}')


if __name__ == '__main__':
    main()
