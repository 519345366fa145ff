"""Sweeps: train many networks from many random starts, and collect the results.

    runs = sweep(hidden_sizes=[(2,), (4,)], lrs=(0.1,), repeats=100, epochs=10000, seed=0)

The random starts come from ONE stream, make_rng(seed), drawn in this order:
for each hidden size, for each repeat, one network's W1, b1, W2, b2, ...
That is the order in which the original library created its networks, so
seed 0 with hidden sizes 2, 4, 8, 16 reproduces its experiment exactly.
Every learning rate starts from the same draws, so learning rates are
compared on the same starts.

The networks of one hidden size train together as stacks (nnlib.fast.stack), in
chunks of a size that suits the processor's cache; a big sweep shares the
chunks out between processes, one per core. Neither changes a single number.
"""
import math
import numbers
import warnings
from dataclasses import dataclass
from typing import Callable, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np

from .. import datasets
from ..checks import (check_callback, check_learning_rate, check_memory,
                      check_network_options, check_positive_int, format_bytes, is_integer)
from ..init import Seed, init_parameters, make_rng
from ..training import DivergedWarning
from .pool import Chunk, run_chunks, split, sweep_memory


@dataclass
class Run:
    """One trained network of a sweep.

    hidden       the hidden layer widths, e.g. (2,) or (4, 4)
    lr           the learning rate
    repeat       which random start (0-based)
    final_mse    the mean squared error after the last update (NaN if it diverged)
    learned      every output, rounded at 0.5, equals its target
    predictions  the trained network's outputs, shape (n_samples, n_outputs)
    mse          the mean squared error at every epoch, before that epoch's
                 update (None when the sweep did not keep curves)
    diverged_at  the epoch whose loss became NaN or infinite, or None;
                 training stopped there
    parameters   the trained parameters as one vector, W1 row by row, b1,
                 W2, b2, ... (a column of NetworkStack.theta: training can
                 go on from there); None if it diverged
    """
    hidden: Tuple[int, ...]
    lr: float
    repeat: int
    final_mse: float
    learned: bool
    predictions: np.ndarray
    mse: Optional[np.ndarray]
    diverged_at: Optional[int] = None
    parameters: Optional[np.ndarray] = None

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def label(self) -> str:
        """The original's legend label, such as 'hn_2-lr_0.1-ok_False'."""
        hidden = ",".join(str(h) for h in self.hidden)
        return f"hn_{hidden}-lr_{self.lr}-ok_{self.learned}"


HiddenSizes = Iterable[Union[int, Sequence[int]]]     # e.g. [2, 4] or [(2,), (4, 4)]


def check_hidden_sizes(hidden_sizes: HiddenSizes) -> List[Tuple[int, ...]]:
    """Return hidden_sizes as a list of tuples of positive ints; an int w means (w,)."""
    if isinstance(hidden_sizes, (str, bytes)) or not hasattr(hidden_sizes, "__iter__"):
        raise TypeError(f"hidden_sizes must be a list such as [(2,), (4,)] or [2, 4]; "
                        f"got {hidden_sizes!r}")
    checked = []
    for hidden in hidden_sizes:
        widths = (hidden,) if is_integer(hidden) else hidden
        if isinstance(widths, (str, bytes)) or not hasattr(widths, "__iter__"):
            raise TypeError(f"hidden_sizes must hold integers or tuples of integers; "
                            f"got {hidden!r}")
        widths = tuple(widths)
        if not widths or not all(is_integer(w) for w in widths):
            raise TypeError(f"hidden_sizes must hold integers or non-empty tuples of "
                            f"integers; got {hidden!r}")
        if min(widths) < 1:
            raise ValueError(f"hidden_sizes must hold positive widths; got {hidden!r}")
        checked.append(tuple(int(w) for w in widths))
    if not checked:
        raise ValueError("hidden_sizes must hold at least one hidden size")
    return checked


def check_learning_rates(lrs: Union[float, Iterable[float]]) -> Tuple[float, ...]:
    """Return lrs as a tuple of positive floats; a single number means (lr,)."""
    if isinstance(lrs, numbers.Real) and not isinstance(lrs, bool):
        lrs = (lrs,)
    if isinstance(lrs, (str, bytes)) or not hasattr(lrs, "__iter__"):
        raise TypeError(f"lrs must be a list of positive numbers; got {lrs!r}")
    lrs = tuple(check_learning_rate(lr, "lrs") for lr in lrs)
    if not lrs:
        raise ValueError("lrs must hold at least one learning rate")
    return lrs


def draw_starts(hidden_sizes, repeats, n_inputs, n_outputs, init, rng):
    """The initial (weights, biases) for every hidden size and repeat, in draw order."""
    return [[init_parameters([n_inputs, *hidden, n_outputs], init, rng)
             for _ in range(repeats)]
            for hidden in hidden_sizes]


def is_learned(predictions: np.ndarray, y: np.ndarray) -> bool:
    """Every output, rounded at 0.5, equals its target: the original's rule ("learned").

    An output of 0.51 for a target of 1 counts, so a run can be "learned"
    while its MSE is still high (up to 0.25); see is_solved for the stricter rule.
    """
    return bool(np.all((predictions >= 0.5) == (y >= 0.5)))


def is_solved(outputs: np.ndarray, y: np.ndarray, tolerance: float = 0.1) -> bool:
    """Every output within tolerance of its target: the stricter rule ("solved").

    With the default 0.1 a solved run is also learned, and its MSE is below
    tolerance**2 = 0.01; a run stuck on a plateau (outputs near 0.5, MSE 1/8
    or more) never is. The notebooks say "solved" only in this sense.
    """
    outputs, y = np.asarray(outputs, dtype=float), np.asarray(y, dtype=float)
    if outputs.shape != y.shape:
        raise ValueError(f"outputs has shape {outputs.shape}, but y has shape {y.shape}; "
                         "pass net.forward(X) and the targets y")
    if not 0 < tolerance < 0.5:
        raise ValueError(f"tolerance must be between 0 and 0.5, got {tolerance!r}")
    return bool(np.all(np.abs(outputs - y) < tolerance))


def network_epochs(hidden_sizes: Sequence, lrs: Sequence[float] = (0.1,), repeats: int = 1,
                   epochs: int = 10000) -> int:
    """How many network-epochs a sweep trains: the total for a progress bar."""
    return len(hidden_sizes) * len(lrs) * repeats * epochs


def sweep(hidden_sizes: HiddenSizes, lrs: Union[float, Iterable[float]] = (0.1,),
          repeats: int = 1, epochs: int = 10000, seed: Seed = 0, activation: str = "sigmoid",
          output_activation: Optional[str] = None, loss: str = "half_sse",
          init: str = "original", dataset: str = "xor", keep_curves: bool = True,
          progress: Optional[Callable[[int], object]] = None,
          workers: Optional[int] = None) -> List[Run]:
    """Train one network per (hidden size, learning rate, repeat); return the Runs.

    The order is: for each hidden size, for each learning rate, for each repeat.
    The networks of each hidden size train together, as stacks (nnlib.fast.stack).
    activation, output_activation (default: the same as activation) and loss
    are as for Network.

    keep_curves  False drops the per-epoch MSE curves (Run.mse is None): a
                 sweep of 1,000 starts x 10,000 epochs would keep 80 MB of
                 curves per hidden size
    progress     called as progress(n) after every n network-epochs, so that
                 progress=tqdm(total=network_epochs(...)).update works
    workers      how many processes share the work; None uses every core
                 when the sweep is big enough to pay for starting them. The
                 results do not depend on it.
    """
    hidden_sizes = check_hidden_sizes(hidden_sizes)
    lrs = check_learning_rates(lrs)
    repeats = check_positive_int(repeats, "repeats")
    epochs = check_positive_int(epochs, "epochs")
    if output_activation is None:
        output_activation = activation
    check_network_options(activation, output_activation, loss, init)
    X, y = datasets.load(dataset)
    check_callback(progress, "progress")
    if workers is not None:
        workers = check_positive_int(workers, "workers")
    check_sweep_memory(hidden_sizes, len(lrs) * repeats, epochs, keep_curves, X, y)
    starts = draw_starts(hidden_sizes, repeats, X.shape[1], y.shape[1], init,
                         make_rng(seed))
    options = dict(activation=activation, output_activation=output_activation, loss=loss)
    chunks = []
    n_networks = len(lrs) * repeats
    for hidden, hidden_starts, parts in zip(hidden_sizes, starts,
                                            split(n_networks, hidden_sizes, X.shape[0])):
        # lr-major, so that network i of the stack is (lr i // repeats, repeat i % repeats)
        stack_starts = [start for lr in lrs for start in hidden_starts]
        stack_lrs = np.repeat(lrs, repeats)
        for part in parts:
            chunks.append(Chunk(stack_starts[part], stack_lrs[part], X, y, epochs,
                                keep_curves, options))
    histories = run_chunks(chunks, workers, progress)

    runs, histories = [], iter(histories)
    for hidden in hidden_sizes:
        history, m = next(histories), 0
        for lr in lrs:
            for repeat in range(repeats):
                if m == history.final_mse.size:
                    history, m = next(histories), 0
                runs.append(make_run(hidden, lr, repeat, history, m, y, epochs))
                m += 1
    warn_if_diverged(runs)
    return runs


def check_sweep_memory(hidden_sizes, n_networks, epochs, keep_curves, X, y):
    layer_sizes = [[X.shape[1], *hidden, y.shape[1]] for hidden in hidden_sizes]
    networks, curves = sweep_memory(layer_sizes, n_networks, epochs, keep_curves, len(X))
    advice = ("use fewer epochs, or keep_curves=False" if curves > networks
              else "use fewer repeats, learning rates or hidden sizes")
    check_memory(networks + curves, f"a sweep of {n_networks * len(hidden_sizes):,} networks"
                 + (f" (curves {format_bytes(curves)})" if curves else ""), advice)


def make_run(hidden, lr, repeat, history, m, y, epochs):
    """Run for network m of a trained stack."""
    predictions = history.outputs[:, :, m].copy()
    diverged_at = history.diverged_at[m]
    if diverged_at is None and not np.isfinite(history.final_mse[m]):
        diverged_at = epochs        # the last update blew it up: the loss after it is not finite
    final_mse = float(history.final_mse[m]) if diverged_at is None else math.nan
    return Run(hidden, float(lr), repeat, final_mse,
               diverged_at is None and is_learned(predictions, y), predictions,
               history.curve(m), diverged_at,
               history.theta[:, m].copy() if diverged_at is None else None)


def warn_if_diverged(runs):
    diverged = sum(run.diverged for run in runs)
    if diverged:
        warnings.warn(f"{diverged} of {len(runs)} runs diverged (their loss became NaN "
                      f"or infinite); see Run.diverged_at", DivergedWarning, stacklevel=3)
