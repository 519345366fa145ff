"""Per-epoch training time: nnlib.train against a plain re-implementation of the original.

Both train the original's single experiment (2-3-1, sigmoid, lr 0.1, half the
sum of squared errors) in the same process, alternating, best of several
rounds, so that a busy machine slows both alike.

    python benchmarks/bench_training.py [--epochs 10000] [--rounds 5]
"""
import argparse
import time

import numpy as np

import nnlib
from nnlib.original import XOR_X, XOR_y, TwoLayerPerceptron


def time_original(epochs):
    np.random.seed(0)
    net = TwoLayerPerceptron(2, 3, 1)
    start = time.perf_counter()
    net.train(XOR_X, XOR_y, epochs, 0.1)
    return time.perf_counter() - start


def time_nnlib(epochs):
    X, y = nnlib.datasets.xor()
    net = nnlib.Network([2, 3, 1], loss="half_sse", seed=0)
    start = time.perf_counter()
    nnlib.train(net, X, y, lr=0.1, epochs=epochs)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    best = {"original": float("inf"), "nnlib": float("inf")}
    for _ in range(args.rounds):
        best["original"] = min(best["original"], time_original(args.epochs))
        best["nnlib"] = min(best["nnlib"], time_nnlib(args.epochs))
    for name, seconds in best.items():
        print(f"{name:>8}: {1e6 * seconds / args.epochs:6.1f} µs per epoch "
              f"({seconds:.3f} s per {args.epochs}-epoch network)")
    print(f"   ratio: nnlib runs {best['original'] / best['nnlib']:.2f}x the original's speed")


if __name__ == "__main__":
    main()
