"""How much faster is training many networks as a stack than one at a time?

Side by side, in this one process:

  plain    the original library's loop (original.py), one network at a time
  stack    nnlib.fast.train_stack: M networks of the same shape at once, one core
  sweep    nnlib.experiments.sweep, the command line's engine: stacks, and the
           machine's cores shared out between processes

Speed is counted in network-epochs per second (one epoch of one network).
Every measurement is repeated and the best taken, since other programs on the
machine slow some repeats down; the ratios are what to compare between machines.

    python benchmarks/bench_batched.py            # and the full sweep: 5 x 1,000 x 10,000
    python benchmarks/bench_batched.py --quick    # a shorter sweep (1,000 epochs)
"""
import argparse
import time

import numpy as np

from nnlib import datasets, original
from nnlib.experiments import network_epochs, sweep
from nnlib.fast import NetworkStack, train_stack
from nnlib.init import init_parameters, make_rng

HIDDEN = (2, 3, 4, 8, 16)


def best_of(repeats, measure):
    return min(measure() for _ in range(repeats))


def plain_seconds_per_epoch(hidden, epochs):
    """One network, trained by the original loop: seconds per epoch."""
    np.random.seed(0)
    net = original.TwoLayerPerceptron(2, hidden, 1)
    start = time.perf_counter()
    net.train(original.XOR_X, original.XOR_y, epochs, 0.1)
    return (time.perf_counter() - start) / epochs


def stack_seconds_per_network_epoch(hidden, n_networks, epochs):
    """n_networks trained as one stack, in this process: seconds per network-epoch."""
    X, y = datasets.xor()
    rng = make_rng(0)
    starts = [init_parameters([2, hidden, 1], "original", rng) for _ in range(n_networks)]
    stack = NetworkStack.from_starts(starts, loss="half_sse")
    start = time.perf_counter()
    train_stack(stack, X, y, lr=0.1, epochs=epochs, keep_curves=False)
    return (time.perf_counter() - start) / (epochs * n_networks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="time a sweep of 1,000 epochs instead of 10,000")
    parser.add_argument("--repeats", type=int, default=5, help="take the best of this many")
    args = parser.parse_args()

    print("network-epochs per second, one core (best of "
          f"{args.repeats}; stacks of 1,000 networks)")
    print(f"{'hidden':>6} {'plain':>10} {'stack':>12} {'ratio':>7}")
    plain_times, stack_times = [], []
    for hidden in HIDDEN:
        plain = best_of(args.repeats, lambda: plain_seconds_per_epoch(hidden, 2000))
        stack = best_of(args.repeats,
                        lambda: stack_seconds_per_network_epoch(hidden, 1000, 200))
        plain_times.append(plain)
        stack_times.append(stack)
        print(f"{hidden:>6} {1 / plain:>10,.0f} {1 / stack:>12,.0f} {plain / stack:>6.0f}x")
    plain_mean, stack_mean = np.mean(plain_times), np.mean(stack_times)
    print(f"{'all':>6} {1 / plain_mean:>10,.0f} {1 / stack_mean:>12,.0f} "
          f"{plain_mean / stack_mean:>6.0f}x   (the sweep's mix: one network of each size)")

    epochs = 1000 if args.quick else 10000
    total = network_epochs(HIDDEN, (0.1,), 1000, epochs)
    print(f"\nsweep: hidden {' '.join(map(str, HIDDEN))}, 1,000 starts each, "
          f"{epochs:,} epochs = {total:,} network-epochs")
    start = time.perf_counter()
    runs = sweep([(h,) for h in HIDDEN], repeats=1000, epochs=epochs, seed=0,
                 keep_curves=False)
    seconds = time.perf_counter() - start
    print(f"  {seconds:.1f} s, {total / seconds:,.0f} network-epochs/s, "
          f"{plain_mean * total / seconds:.0f}x the plain loop "
          f"(which would take {plain_mean * total:,.0f} s)")
    for hidden in HIDDEN:
        learned = np.mean([run.learned for run in runs if run.hidden == (hidden,)])
        print(f"  {hidden:>2} hidden units: {learned:6.1%} of starts learn XOR")


if __name__ == "__main__":
    main()
