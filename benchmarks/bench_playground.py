"""How live is the playground? Retrain + redraw, against code written like the original.

After a slider change the playground builds a network, trains it for 10,000
epochs and redraws every view. This script times that for the default
setting (XOR, one hidden layer of 4 sigmoid units) and, in the same process
and alternating with it, the same job done the original's way: its training
loop (nnlib/original.py) and a fresh matplotlib figure of the
10,000-point loss curve and a 200 x 200 heatmap, saved as PNG.

It also times one Play frame (epochs_per_frame epochs and a redraw), and the
training loops alone per epoch: FastTrainer, nnlib.train and the original's.

    python benchmarks/bench_playground.py [--rounds 15]

Medians, because the machine may be busy; the ratios matter more than the
milliseconds, since a busy machine slows both sides alike.
"""
import argparse
import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import nnlib  # noqa: E402
from nnlib.fast import FastTrainer  # noqa: E402
from nnlib.widgets.playground import FRAME_INTERVAL_MS, Playground  # noqa: E402
from nnlib.original import XOR_X, XOR_y, TwoLayerPerceptron  # noqa: E402

EPOCHS = 10000


def original_retrain_and_redraw(seed):
    """The original's way: train 10,000 epochs, then draw the curve and heatmap afresh."""
    np.random.seed(seed)
    net = TwoLayerPerceptron(2, 4, 1)
    losses = net.train(XOR_X, XOR_y, EPOCHS, 0.1)
    xs = np.linspace(-0.5, 1.5, 200)
    grid = np.array(np.meshgrid(xs, xs)).reshape(2, -1).T
    values = net.forward(grid).reshape(200, 200)
    figure, (left, right) = plt.subplots(1, 2, figsize=(8, 3.5))
    left.plot(losses)
    left.set_yscale("log")
    right.imshow(values, origin="lower", extent=(-0.5, 1.5, -0.5, 1.5), cmap="RdBu_r")
    right.scatter(XOR_X[:, 0], XOR_X[:, 1], c=XOR_y.ravel(), edgecolors="black")
    figure.savefig(io.BytesIO(), format="png")
    plt.close(figure)


def time_call(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def per_epoch(train_one, rounds, epochs=2000):
    """Best time per epoch of train_one(epochs) over some rounds, in µs."""
    return 1e6 * min(time_call(train_one, epochs) for _ in range(rounds)) / epochs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    playground = Playground()           # the default setting; no event loop, so it updates at once
    seed = playground.controls.seed
    times = {"playground": [], "original": []}
    for round_ in range(args.rounds):
        value = 1 + round_ % 50         # a new seed every round: a real retrain
        times["playground"].append(time_call(setattr, seed, "value", value))
        times["original"].append(time_call(original_retrain_and_redraw, value))
    ours, theirs = (statistics.median(times[k]) for k in ("playground", "original"))
    print(f"retrain + redraw, 10,000 epochs of 2-4-1 (median of {args.rounds}):")
    print(f"  playground      {1e3 * ours:7.1f} ms")
    print(f"  original style  {1e3 * theirs:7.1f} ms")
    print(f"  ratio           {theirs / ours:7.2f}x faster")

    frame_times = []
    for _ in range(args.rounds):
        frame_times.append(time_call(playground.controls.step.click))
    frame = statistics.median(frame_times)
    speed = playground.controls.epochs_per_frame.value
    print(f"one Play frame ({speed} epochs + redraw): {1e3 * frame:.1f} ms, so up to "
          f"{1 / frame:.0f} frames per second (Play asks for {1000 / FRAME_INTERVAL_MS:.0f})")

    X, y = nnlib.datasets.xor()

    def fast(epochs):
        FastTrainer(nnlib.Network([2, 4, 1], seed=0), X, y, lr=0.2).run(epochs)

    def library(epochs):
        nnlib.train(nnlib.Network([2, 4, 1], seed=0), X, y, lr=0.2, epochs=epochs)

    def original(epochs):
        np.random.seed(0)
        TwoLayerPerceptron(2, 4, 1).train(XOR_X, XOR_y, epochs, 0.1)

    print("training alone, 2-4-1 (best of rounds):")
    loops = (("FastTrainer", fast), ("nnlib.train", library), ("original", original))
    for name, train_one in loops:
        print(f"  {name:12s} {per_epoch(train_one, args.rounds):5.1f} µs per epoch")


if __name__ == "__main__":
    main()
