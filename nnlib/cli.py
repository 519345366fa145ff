"""The command line: `python -m nnlib train` and `python -m nnlib sweep`.

They replace the original library's scripts XOR_experiment.py and
experiments.py, and with their defaults reproduce them exactly.

Every command runs in three steps: parse (check every argument and the memory
the work needs; create nothing), run (train), render (write the files, then
print). Exit codes:

    0    done
    1    a failure, said in one line: a run diverged, a file could not be
         written, a worker process died, memory ran out. (A bug in nnlib
         shows its traceback, also with 1.)
    2    bad arguments, said in one line with what is accepted
    130  interrupted by Ctrl-C (SIGINT);  143  terminated by SIGTERM
"""
import argparse
import contextlib
import json
import math
import os
import signal
import sys
import threading
import warnings

import numpy as np

from . import datasets
from .activations import ACTIVATIONS
from .checks import (check_learning_rate, check_positive_int, format_bytes, memory_limit,
                     n_parameters)
from .files import check_output_path, write_atomically
from .init import INITS, make_rng
from .losses import LOSSES
from .network import Network
from .training import DivergedWarning, train, training_memory
from .experiments.pool import WorkerDied as WorkerDiedError

ORIGINAL = dict(lr=0.1, epochs=10000, seed=0, activation="sigmoid", loss="half_sse",
                init="original", dataset="xor")
RESULT_EXTENSIONS = (".csv", ".json")
PLOT_EXTENSIONS = (".png", ".svg", ".pdf")


class Failure(Exception):
    """A failure that is not a bug: said in one line, exit code 1."""


class Terminated(BaseException):
    """SIGTERM arrived: unwinds like KeyboardInterrupt, so that every cleanup runs."""


# ----- argument types: the library's own checks, with argparse naming the option

def library_check(check, parse):
    """An argparse type: parse the text, then check the value as the library does.

    The library's message starts with its parameter's name; argparse puts
    the option's name in front instead ("argument --epochs: must be ...").
    """
    def convert(text):
        try:
            value = parse(text)
        except ValueError:
            value = text                # the check says what is accepted
        try:
            return check(value)
        except (TypeError, ValueError) as error:
            message = str(error)
            raise argparse.ArgumentTypeError(message[message.find(" must") + 1:]
                                             if " must" in message else message) from None
    return convert


positive_int = library_check(lambda value: check_positive_int(value, "value"), int)
learning_rate = library_check(lambda value: check_learning_rate(value, "value"), float)


def check_seed(value):
    try:
        make_rng(value)         # raises for anything but an integer from 0 to 2**32 - 1
    except TypeError:
        raise ValueError(f"seed must be an integer from 0 to 2**32 - 1; got {value!r}") from None
    return value


seed_int = library_check(check_seed, int)


def hidden_layers(text):
    """'4' is one hidden layer of 4 units; '4,4' is two hidden layers of 4."""
    from .experiments.sweep import check_hidden_sizes
    try:
        widths = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a positive integer, or widths joined by commas such as 4,4; "
            f"got {text!r}") from None
    try:
        return check_hidden_sizes([widths])[0]
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"layer widths must be positive; got {text!r}") from None


def output_path(extensions, stdout_ok):
    """An argparse type for a file to write: checked now, written atomically later."""
    def convert(text):
        if text == "-" and stdout_ok:
            return text
        try:
            return check_output_path(text, extensions)
        except ValueError as error:
            message = str(error).replace("path must", "must")
            if stdout_ok and "must end in" in message:
                message += " (or - for standard output)"
            raise argparse.ArgumentTypeError(message) from None
    return convert


# ----- the parser

class Parser(argparse.ArgumentParser):
    """argparse, but a mistake gets one line (and a pointer to --help), not the whole usage.

    Options are never abbreviated: `train --out r.csv` would otherwise be read
    as --output-activation and complain about the activation.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, allow_abbrev=False, **kwargs)

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n"
                     f"(see {self.prog} --help)\n")


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
                        help="initial weights: original (N(0,1) weights, U[0,1) biases), xavier or he")
    parser.add_argument("--dataset", choices=sorted(datasets.DATASETS), default=ORIGINAL["dataset"],
                        help="what to learn (default: xor)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object on stdout and nothing else")


def build_parser():
    parser = Parser(
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
    train_parser.add_argument("--plot", type=output_path(PLOT_EXTENSIONS, False),
                              help="save the loss curve to this .png, .svg or .pdf file")
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
    sweep_parser.add_argument("--plot", type=output_path(PLOT_EXTENSIONS, False),
                              help="save a plot (.png, .svg or .pdf): the loss curves, or with "
                                   "--repeats the success rates")
    sweep_parser.add_argument("--out", type=output_path(RESULT_EXTENSIONS, True),
                              help="save every run to a .csv or .json file; - writes CSV to "
                                   "standard output")
    add_common_options(sweep_parser)
    return parser


# ----- limits: checked after parsing, before any work

def memory_problem(args, X, y):
    """What is wrong with the sizes, or None: the memory the work needs, against the limit."""
    if args.command == "train":
        sizes = [X.shape[1], *args.hidden, y.shape[1]]
        history, epoch = training_memory(sizes, len(X), args.epochs)
        needed = history + epoch + 8 * 3 * n_parameters(sizes)
        what = f"the loss history of {args.epochs:,} epochs" if history > epoch else \
               f"a network of {n_parameters(sizes):,} parameters"
        advice = "a smaller --epochs" if history > epoch else "a smaller --hidden"
    else:
        from .experiments.pool import sweep_memory
        sizes = [[X.shape[1], *hidden, y.shape[1]] for hidden in args.hidden]
        n_networks = len(args.lr) * args.repeats
        networks, curves = sweep_memory(sizes, n_networks, args.epochs, keeps_curves(args),
                                        len(X))
        needed = networks + curves
        what = f"{n_networks * len(sizes):,} networks" + (
            f" and their loss curves over {args.epochs:,} epochs" if curves else "")
        advice = ("a smaller --epochs, or no --plot" if curves > networks
                  else "a smaller --repeats" if args.repeats > 1
                  else "fewer or smaller --hidden sizes")
    limit = memory_limit()
    if needed > limit:
        return (f"{what} would need about {format_bytes(needed)} of memory, more than the "
                f"{format_bytes(limit)} this may use (half of the memory available): "
                f"use {advice}")
    return None


def keeps_curves(args):
    """A sweep keeps every run's loss curve only to plot them (one start per size)."""
    return bool(args.plot) and args.repeats == 1


# ----- train

def progress_bar(total, quiet):
    """A tqdm bar on stderr; silent when stderr is not a terminal."""
    from tqdm import tqdm
    return tqdm(total=total, file=sys.stderr, disable=True if quiet else None,
                unit="epoch", unit_scale=True, leave=False)


def run_train(args, X, y):
    """Train one network; return it and its History."""
    net = Network([X.shape[1], *args.hidden, y.shape[1]], activation=args.activation,
                  output_activation=args.output_activation, loss=args.loss,
                  init=args.init, seed=args.seed)
    with progress_bar(args.epochs, args.json) as bar, warnings.catch_warnings():
        # Divergence is said once, by render_train, from the History.
        warnings.simplefilter("ignore", DivergedWarning)

        def show_progress(epoch, loss):
            if (epoch + 1) % 500 == 0:
                bar.update(500)
        history = train(net, X, y, lr=args.lr, epochs=args.epochs, callback=show_progress)
    return net, history


def render_train(args, X, y, net, history):
    with np.errstate(over="ignore", invalid="ignore"):   # a diverged net's outputs: null below
        outputs = net.forward(X)
    rounded = (outputs >= 0.5).astype(int)
    final_mse = None if history.diverged else net.mse(X, y)
    learned = not history.diverged and bool(np.all(rounded == y))
    if args.plot:
        save_loss_plot(args.plot, [history.mse], [f"hidden {list(args.hidden)}"],
                       title=f"{args.dataset.upper()}, lr {args.lr}, seed {args.seed}")

    if args.json:
        print(strict_json({
            "hidden": list(args.hidden), "lr": args.lr, "epochs": args.epochs,
            "seed": args.seed, "activation": args.activation,
            "output_activation": args.output_activation, "loss": args.loss,
            "dataset": args.dataset, "final_mse": final_mse, "learned": learned,
            "predictions": outputs.ravel().tolist(),
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
        raise Failure(diverged_message(1, 1, args.lr, history.diverged_at))
    return 0


def diverged_message(diverged, runs, lr, epoch=None):
    """One line for train and sweep alike."""
    where = f" at epoch {epoch}" if epoch is not None else ""
    return (f"{diverged} of {runs} run(s) diverged{where} (the loss became NaN or infinite); "
            f"try a smaller --lr than {lr:g}")


def strict_json(value, **options):
    """JSON as RFC 8259 has it: NaN and infinities become null (never 'NaN' or 'Infinity')."""
    return json.dumps(finite_only(value), allow_nan=False, **options)


def finite_only(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: finite_only(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_only(item) for item in value]
    return value


def print_predictions(X, y, outputs, rounded):
    inputs = " ".join(f"x{i + 1}" for i in range(X.shape[1]))
    print(f"{inputs} | output  rounded  expected")
    for x, out, r, t in zip(X, outputs[:, 0], rounded[:, 0], y[:, 0]):
        bits = " ".join(f"{int(v):>2}" for v in x)
        print(f"{bits} | {out:6.4f}  {r:7d}  {int(t):8d}")


def save_figure(fig, path):
    """Write a figure atomically, in the format its extension names."""
    import matplotlib.pyplot as plt
    try:
        fig.tight_layout()
        write_atomically(path, lambda f: fig.savefig(f, format=path.rsplit(".", 1)[-1].lower(),
                                                     dpi=120), binary=True)
    except OSError as error:
        raise Failure(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        plt.close(fig)


def new_figure():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt.subplots(figsize=(7, 4.5))


def save_loss_plot(path, curves, labels, title):
    from .plotting import plot_loss_curves

    fig, ax = new_figure()
    plot_loss_curves(ax, curves, labels)
    ax.set_title(title)
    save_figure(fig, path)


# ----- sweep

def hidden_for_json(hidden):
    """An integer for one hidden layer, a list for deeper networks."""
    return hidden[0] if len(hidden) == 1 else list(hidden)


def run_sweep(args, X, y):
    from .experiments.sweep import sweep

    total = len(args.hidden) * len(args.lr) * args.repeats * args.epochs
    with progress_bar(total, args.json) as bar, warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergedWarning)   # said once, by render_sweep
        return sweep(args.hidden, lrs=args.lr, repeats=args.repeats, epochs=args.epochs,
                     seed=args.seed, activation=args.activation,
                     output_activation=args.output_activation, loss=args.loss,
                     init=args.init, dataset=args.dataset, keep_curves=keeps_curves(args),
                     progress=bar.update)


def render_sweep(args, X, y, runs):
    records = [{
        "hidden": hidden_for_json(run.hidden), "lr": run.lr, "repeat": run.repeat,
        "final_mse": None if run.diverged_at is not None else run.final_mse,
        "learned": run.learned, "label": run.label, "diverged_at": run.diverged_at,
    } for run in runs]
    summary = summarize(runs)

    if args.out and args.out != "-":
        save_records(args.out, records)
    if args.plot:
        if keeps_curves(args):
            save_loss_plot(args.plot, [run.mse for run in runs], [run.label for run in runs],
                           title=f"{args.dataset.upper()}: loss per hidden size (seed {args.seed})")
        else:
            save_success_plot(args.plot, summary, args.repeats)

    if args.json:
        print(strict_json({"epochs": args.epochs, "seed": args.seed,
                           "activation": args.activation,
                           "output_activation": args.output_activation, "loss": args.loss,
                           "dataset": args.dataset, "runs": records, "summary": summary}))
    else:
        if args.out == "-":
            write_records(sys.stdout, "x.csv", records)
        text = sys.stderr if args.out == "-" else sys.stdout   # stdout holds the CSV then
        if args.repeats == 1:
            for record in records:
                print(f"{record['label']:<28} final MSE {fmt(record['final_mse'])}", file=text)
        for row in summary:
            print(f"hidden {str(row['hidden']):<8} lr {row['lr']:<6g} learned "
                  f"{row['learned']}/{row['runs']} ({100 * row['success_rate']:.1f}%)"
                  + (f", {row['diverged']} diverged" if row["diverged"] else ""), file=text)
        for path, what in ((args.out, "runs"), (args.plot, "plot")):
            if path and path != "-":
                print(f"{what} saved to {path}", file=text)
    diverged = sum(row["diverged"] for row in summary)
    if diverged:
        raise Failure(diverged_message(diverged, len(runs), max(args.lr)))
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
    try:
        write_atomically(path, lambda f: write_records(f, path, records))
    except OSError as error:
        raise Failure(f"cannot write {path}: {error.strerror or error}") from None


def write_records(f, path, records):
    """The records as JSON (a list) or CSV (a header, then one row each), by path's extension."""
    if path.lower().endswith(".json"):
        f.write(strict_json(records, indent=1))
        f.write("\n")
        return
    import csv
    writer = csv.DictWriter(f, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({**record, "hidden": str(record["hidden"]).replace(" ", "")})


def save_success_plot(path, summary, repeats):
    fig, ax = new_figure()
    for lr in dict.fromkeys(row["lr"] for row in summary):
        rows = [row for row in summary if row["lr"] == lr]
        names = [str(row["hidden"]) for row in rows]
        ax.plot(names, [row["success_rate"] for row in rows], "o-", label=f"lr {lr:g}")
    ax.set_xlabel("hidden units")
    ax.set_ylabel(f"share of {repeats} random starts that learned")
    ax.set_ylim(0, 1.05)
    ax.legend()
    save_figure(fig, path)


# ----- main: parse, run, render

COMMANDS = {"train": (run_train, render_train), "sweep": (run_sweep, render_sweep)}


def main(argv=None):
    """Run the command line with argv (default: sys.argv[1:]); return the exit code.

    Bad arguments exit at once with code 2 (SystemExit, from argparse).
    """
    parser = build_parser()
    with signals_raise():
        try:
            args = parser.parse_args(argv)
            X, y = datasets.load(args.dataset)
            problem = conflicts(args) or memory_problem(args, X, y)
            if problem:
                parser.exit(2, f"{parser.prog} {args.command}: error: {problem}\n")
            run, render = COMMANDS[args.command]
            return render(args, X, y, *as_tuple(run(args, X, y)))
        except KeyboardInterrupt:
            return say(parser, argv, "interrupted", 130)
        except Terminated:
            return say(parser, argv, "interrupted (terminated by SIGTERM)", 143)
        except Failure as failure:
            return say(parser, argv, str(failure), 1)
        except MemoryError:
            return say(parser, argv, "ran out of memory; use smaller sizes, fewer repeats "
                                     "or fewer epochs", 1)
        except BrokenPipeError:         # stdout was closed early, as by `| head`
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 1
        except WorkerDiedError as error:
            return say(parser, argv, str(error), 1)


def as_tuple(result):
    return result if isinstance(result, tuple) else (result,)


def conflicts(args):
    """Options that cannot go together, or None."""
    if args.command == "sweep" and args.out == "-" and args.json:
        return "--out - and --json both write to standard output: choose one"
    outputs = [os.path.realpath(p) for p in (getattr(args, "out", None), args.plot)
               if p and p != "-"]
    if len(outputs) == 2 and outputs[0] == outputs[1]:
        return "--out and --plot name the same file"
    return None


def say(parser, argv, message, code):
    command = next((a for a in (sys.argv[1:] if argv is None else argv) if a in COMMANDS), "")
    print(f"{parser.prog} {command}: {message}".replace("  ", " "), file=sys.stderr)
    return code


@contextlib.contextmanager
def signals_raise():
    """While the command runs, SIGINT raises KeyboardInterrupt and SIGTERM
    Terminated, so that workers are stopped and temporary files removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum, frame):
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, terminate)
    # Ctrl-C stops the command even when it was started in the background by a
    # script (`nnlib sweep &`), where the shell has SIGINT ignored.
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)
