"""The command line: `python -m nnlib train` and `python -m nnlib sweep`.

They replace the original library's scripts XOR_experiment.py and
experiments.py, and with their defaults reproduce them exactly.
"""
import argparse
import json
import math
import os
import sys
import warnings

import numpy as np

from . import datasets
from .activations import ACTIVATIONS
from .init import INITS
from .losses import LOSSES
from .network import Network
from .training import train

ORIGINAL = dict(lr=0.1, epochs=10000, seed=0, activation="sigmoid", loss="half_sse",
                init="original", dataset="xor")


# ----- argument types: each rejects bad input with a message that names what is accepted

def integer_in(text, low, high, accepted):
    """text as an int from low to high; otherwise an error saying what is accepted."""
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise argparse.ArgumentTypeError(f"must be {accepted}; got {text!r}")
    return value


def positive_int(text):
    return integer_in(text, 1, math.inf, "a positive integer")


def seed_int(text):
    return integer_in(text, 0, 2**32 - 1, "an integer from 0 to 2**32 - 1")


def learning_rate(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive number; got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive, finite number; got {text!r}")
    return value


def hidden_layers(text):
    """'4' is one hidden layer of 4 units; '4,4' is two hidden layers of 4."""
    try:
        widths = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a positive integer, or widths joined by commas such as 4,4; got {text!r}") from None
    if any(width < 1 for width in widths):
        raise argparse.ArgumentTypeError(f"layer widths must be positive; got {text!r}")
    return widths


def writable_path(text):
    """A file path whose folder exists and that can be written."""
    folder = os.path.dirname(os.path.abspath(text))
    if os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"{text!r} is a folder, not a file")
    if not os.path.isdir(folder):
        raise argparse.ArgumentTypeError(f"cannot write {text!r}: folder {folder!r} does not exist")
    existed = os.path.exists(text)
    try:
        with open(text, "ab"):
            pass
    except OSError as error:
        raise argparse.ArgumentTypeError(f"cannot write {text!r}: {error.strerror}") from None
    if not existed:
        os.remove(text)
    return text


# ----- the parser

def add_common_options(parser):
    parser.add_argument("--epochs", type=positive_int, default=ORIGINAL["epochs"],
                        help="epochs of full-batch gradient descent (default: 10000)")
    parser.add_argument("--seed", type=seed_int, default=ORIGINAL["seed"],
                        help="seed of the random stream the weights are drawn from (default: 0)")
    parser.add_argument("--activation", choices=sorted(ACTIVATIONS), default=ORIGINAL["activation"],
                        help="hidden-layer activation (default: sigmoid)")
    parser.add_argument("--output-activation", choices=sorted(ACTIVATIONS), default="sigmoid",
                        help="output-layer activation (default: sigmoid)")
    parser.add_argument("--loss", choices=sorted(LOSSES), default=ORIGINAL["loss"],
                        help="loss to train: half_sse is the original's 1/2 * sum of squared "
                             "errors (default); mse and bce are averages")
    parser.add_argument("--init", choices=INITS, default=ORIGINAL["init"],
                        help="initial weights: original (N(0,1) weights, U[0,1) biases) or xavier")
    parser.add_argument("--dataset", choices=sorted(datasets.DATASETS), default=ORIGINAL["dataset"],
                        help="what to learn (default: xor)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object on stdout and nothing else")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m nnlib",
        description="Train small networks on XOR and other logic gates.")
    commands = parser.add_subparsers(dest="command", required=True)

    train_parser = commands.add_parser(
        "train", help="train one network and show its predictions",
        description="Train one network. `--hidden 4 4` means two hidden layers of 4 units.")
    train_parser.add_argument("--hidden", type=positive_int, nargs="+", default=[3],
                              help="units in each hidden layer (default: 3)")
    train_parser.add_argument("--lr", type=learning_rate, default=ORIGINAL["lr"],
                              help="learning rate (default: 0.1)")
    train_parser.add_argument("--plot", type=writable_path,
                              help="save the loss curve to this image file")
    add_common_options(train_parser)

    sweep_parser = commands.add_parser(
        "sweep", help="train networks of several hidden sizes and compare them",
        description="Train one network per hidden size, or --repeats random starts of each. "
                    "A size such as 4,4 means two hidden layers of 4 units.")
    sweep_parser.add_argument("--hidden", type=hidden_layers, nargs="+",
                              default=[(2,), (4,), (8,), (16,)],
                              help="hidden sizes to compare (default: 2 4 8 16)")
    sweep_parser.add_argument("--lr", type=learning_rate, nargs="+", default=[ORIGINAL["lr"]],
                              help="learning rate(s) (default: 0.1)")
    sweep_parser.add_argument("--repeats", type=positive_int, default=1,
                              help="random starts of each hidden size (default: 1)")
    sweep_parser.add_argument("--plot", type=writable_path,
                              help="save a plot: the loss curves, or with --repeats the success rates")
    sweep_parser.add_argument("--out", type=writable_path,
                              help="save every run to a .csv or .json file")
    add_common_options(sweep_parser)
    return parser


# ----- train

def progress_bar(total, quiet):
    """A tqdm bar on stderr; silent when stderr is not a terminal."""
    from tqdm import tqdm
    return tqdm(total=total, file=sys.stderr, disable=True if quiet else None,
                unit="epoch", unit_scale=True, leave=False)


def run_train(args):
    X, y = datasets.load(args.dataset)
    net = Network([X.shape[1], *args.hidden, y.shape[1]], activation=args.activation,
                  output_activation=args.output_activation, loss=args.loss,
                  init=args.init, seed=args.seed)
    with progress_bar(args.epochs, args.json) as bar:
        def show_progress(epoch, loss):
            if (epoch + 1) % 500 == 0:
                bar.update(500)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            history = train(net, X, y, lr=args.lr, epochs=args.epochs, callback=show_progress)

    outputs = net.forward(X)
    rounded = (outputs >= 0.5).astype(int)
    final_mse = None if history.diverged else net.mse(X, y)
    learned = not history.diverged and bool(np.all(rounded == y))
    if args.plot:
        save_loss_plot(args.plot, [history.mse], [f"hidden {list(args.hidden)}"],
                       title=f"{args.dataset.upper()}, lr {args.lr}, seed {args.seed}")

    if args.json:
        print(json.dumps({
            "hidden": list(args.hidden), "lr": args.lr, "epochs": args.epochs,
            "seed": args.seed, "activation": args.activation, "loss": args.loss,
            "dataset": args.dataset, "final_mse": final_mse, "learned": learned,
            "predictions": [finite_or_none(v) for v in outputs.ravel()],
            "rounded": rounded.ravel().tolist(), "expected": y.astype(int).ravel().tolist(),
            "diverged_at": history.diverged_at, "plot": args.plot}))
    else:
        print_predictions(X, y, outputs, rounded)
        if final_mse is not None:
            print(f"final MSE: {final_mse:.6f}   learned {args.dataset.upper()}: "
                  f"{'yes' if learned else 'no'}")
        if args.plot:
            print(f"loss plot saved to {args.plot}")
    if history.diverged:
        print(f"training diverged at epoch {history.diverged_at}: the loss became NaN or "
              f"infinite; try a smaller --lr than {args.lr}", file=sys.stderr)
        return 1
    return 0


def finite_or_none(value):
    return float(value) if math.isfinite(value) else None


def print_predictions(X, y, outputs, rounded):
    inputs = " ".join(f"x{i + 1}" for i in range(X.shape[1]))
    print(f"{inputs} | output  rounded  expected")
    for x, out, r, t in zip(X, outputs[:, 0], rounded[:, 0], y[:, 0]):
        bits = " ".join(f"{int(v):>2}" for v in x)
        print(f"{bits} | {out:6.4f}  {r:7d}  {int(t):8d}")


def save_loss_plot(path, curves, labels, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from .plotting import plot_loss_curves

    fig, ax = plt.subplots(figsize=(7, 4.5))
    plot_loss_curves(ax, curves, labels)
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


# ----- sweep

def hidden_for_json(hidden):
    """An integer for one hidden layer, a list for deeper networks."""
    return hidden[0] if len(hidden) == 1 else list(hidden)


def run_sweep(args):
    from .experiments.sweep import sweep

    total = len(args.hidden) * len(args.lr) * args.repeats * args.epochs
    keep_curves = bool(args.plot) and args.repeats == 1
    with progress_bar(total, args.json) as bar, warnings.catch_warnings():
        warnings.simplefilter("ignore")   # diverged runs are reported below, once
        runs = sweep(args.hidden, lrs=args.lr, repeats=args.repeats, epochs=args.epochs,
                     seed=args.seed, activation=args.activation,
                     output_activation=args.output_activation, loss=args.loss,
                     init=args.init, dataset=args.dataset, keep_curves=keep_curves,
                     progress=bar.update)
    records = [{
        "hidden": hidden_for_json(run.hidden), "lr": run.lr, "repeat": run.repeat,
        "final_mse": None if run.diverged_at is not None else run.final_mse,
        "learned": run.learned, "label": run.label, "diverged_at": run.diverged_at,
    } for run in runs]
    summary = summarize(runs)

    if args.out:
        save_records(args.out, records)
    if args.plot:
        if keep_curves:
            save_loss_plot(args.plot, [run.mse for run in runs], [run.label for run in runs],
                           title=f"{args.dataset.upper()}: loss per hidden size (seed {args.seed})")
        else:
            save_success_plot(args.plot, summary, args.repeats)

    if args.json:
        print(json.dumps({"epochs": args.epochs, "seed": args.seed,
                          "activation": args.activation,
                          "output_activation": args.output_activation, "loss": args.loss,
                          "dataset": args.dataset, "runs": records, "summary": summary}))
    else:
        if args.repeats == 1:
            for record in records:
                print(f"{record['label']:<28} final MSE {fmt(record['final_mse'])}")
        for row in summary:
            print(f"hidden {str(row['hidden']):<8} lr {row['lr']:<6g} learned "
                  f"{row['learned']}/{row['runs']} ({100 * row['success_rate']:.1f}%)"
                  + (f", {row['diverged']} diverged" if row["diverged"] else ""))
        for path, what in ((args.out, "runs"), (args.plot, "plot")):
            if path:
                print(f"{what} saved to {path}")
    diverged = sum(row["diverged"] for row in summary)
    if diverged:
        print(f"{diverged} run(s) diverged (loss became NaN or infinite); "
              f"try a smaller --lr", file=sys.stderr)
    return 0


def fmt(value):
    return "diverged" if value is None else f"{value:.6f}"


def summarize(runs):
    """Success counts per (hidden, lr), in the order the runs came."""
    groups = {}
    for run in runs:
        group = groups.setdefault((run.hidden, run.lr), {"learned": 0, "runs": 0, "diverged": 0})
        group["runs"] += 1
        group["learned"] += int(run.learned)
        group["diverged"] += int(run.diverged_at is not None)
    return [{"hidden": hidden_for_json(hidden), "lr": lr, **counts,
             "success_rate": counts["learned"] / counts["runs"]}
            for (hidden, lr), counts in groups.items()]


def save_records(path, records):
    if path.endswith(".json"):
        with open(path, "w") as f:
            json.dump(records, f, indent=1)
        return
    import csv
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(records[0]))
        writer.writeheader()
        for record in records:
            writer.writerow({**record, "hidden": str(record["hidden"]).replace(" ", "")})


def save_success_plot(path, summary, repeats):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for lr in dict.fromkeys(row["lr"] for row in summary):
        rows = [row for row in summary if row["lr"] == lr]
        names = [str(row["hidden"]) for row in rows]
        ax.plot(names, [row["success_rate"] for row in rows], "o-", label=f"lr {lr:g}")
    ax.set_xlabel("hidden units")
    ax.set_ylabel(f"share of {repeats} random starts that learned")
    ax.set_ylim(0, 1.05)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return run_train(args) if args.command == "train" else run_sweep(args)
    except (ValueError, TypeError) as error:
        parser.exit(2, f"{parser.prog} {args.command}: error: {error}\n")
