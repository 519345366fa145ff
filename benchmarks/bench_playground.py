"""How live is the playground? First and final picture after a change, against the original's way.

After a slider change the playground builds a network, trains FIRST_EPOCHS
epochs and redraws (the first changed picture), then trains on in chunks on
the event loop up to 10,000 epochs and redraws (the final picture). This
script times both for the default setting (XOR, one hidden layer of 4
sigmoid units) inside an asyncio event loop, as in a kernel, and, in the same
process and alternating with it, the same job done the original's way: its
training loop (nnlib/original.py) and a fresh matplotlib figure of the
10,000-point loss curve and a 200 x 200 heatmap, saved as PNG.

It also times one Play frame (epochs_per_frame epochs and a redraw), the
heatmap alone, and the training loops alone per epoch: FastTrainer,
nnlib.train and the original's.

    python benchmarks/bench_playground.py [--rounds 15]

Medians, because the machine may be busy; the ratios matter more than the
milliseconds, since a busy machine slows both sides alike.
"""
import argparse
import asyncio
import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import nnlib  # noqa: E402
from nnlib.fast import FastTrainer  # noqa: E402
from nnlib.widgets.playground import FIRST_EPOCHS, FRAME_INTERVAL_MS, Playground  # noqa: E402
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


async def change_and_wait(playground, control, value):
    """Set a control as the browser would; return the seconds to the first and the final picture."""
    start = time.perf_counter()
    control.value = value                   # trains FIRST_EPOCHS epochs and redraws
    first = time.perf_counter() - start
    while playground.training:              # the rest, chunk by chunk, on the event loop
        await asyncio.sleep(0)
    return first, playground._last_render - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    asyncio.run(measure(args.rounds))


async def measure(rounds):
    playground = Playground()           # the default setting
    seed = playground.controls.seed
    times = {"first": [], "final": [], "original": []}
    for round_ in range(rounds):
        value = 1 + round_ % 50         # a new seed every round: a real retrain
        first, final = await change_and_wait(playground, seed, value)
        assert playground.epoch == EPOCHS
        times["first"].append(first)
        times["final"].append(final)
        times["original"].append(time_call(original_retrain_and_redraw, value))
    first, final, theirs = (statistics.median(times[k]) for k in ("first", "final", "original"))
    print(f"a slider change, 10,000 epochs of 2-4-1 (median of {rounds}):")
    print(f"  first changed picture ({FIRST_EPOCHS} epochs) {1e3 * first:7.1f} ms  "
          f"{theirs / first:6.1f}x faster than the original style")
    print(f"  final picture (10,000 epochs)     {1e3 * final:7.1f} ms  "
          f"{theirs / final:6.1f}x faster than the original style")
    print(f"  original style (train, then draw) {1e3 * theirs:7.1f} ms")

    frame_times = []
    for _ in range(rounds):
        frame_times.append(time_call(playground.controls.step.click))
    frame = statistics.median(frame_times)
    speed = playground.controls.epochs_per_frame.value
    print(f"one Play frame ({speed} epochs + redraw): {1e3 * frame:.1f} ms, so up to "
          f"{1 / frame:.0f} frames per second (Play asks for {1000 / FRAME_INTERVAL_MS:.0f})")
    heatmap = statistics.median(time_call(lambda: playground._heatmap_drawing().svg())
                                for _ in range(rounds))
    print(f"the heatmap alone (outputs on the grid, coloured, PNG, SVG): {1e3 * heatmap:.2f} ms")

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
        print(f"  {name:12s} {per_epoch(train_one, rounds):5.1f} µs per epoch")


if __name__ == "__main__":
    main()
