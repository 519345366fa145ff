"""Input checks shared by the library and the command line.

Every check raises ValueError or TypeError with a message that names the
parameter and says what is accepted, so that a mistake is reported where it
was made and not from deep inside numpy.
"""
import math
import numbers
from typing import NamedTuple, Optional, Sequence

import numpy as np

from .activations import Activation, get_activation
from .init import INITS
from .losses import Loss, get_loss


def is_integer(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_layer_sizes(layer_sizes: Sequence[int]) -> list:
    """Return layer_sizes as a list of ints: at least an input and an output layer."""
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(
            f"layer_sizes must be a list of positive integers such as [2, 4, 1]; "
            f"got {layer_sizes!r}")
    if len(layer_sizes) < 2:
        raise ValueError(
            f"layer_sizes needs at least two entries (inputs and outputs), "
            f"such as [2, 4, 1]; got {list(layer_sizes)!r}")
    for size in layer_sizes:
        if not is_integer(size):
            raise TypeError(
                f"layer_sizes must hold integers; got {size!r} in {list(layer_sizes)!r}")
        if size < 1:
            raise ValueError(
                f"layer_sizes must hold positive integers; got {size!r} "
                f"in {list(layer_sizes)!r}")
    return [int(size) for size in layer_sizes]


def check_learning_rate(lr: float, name: str = "lr") -> float:
    if not isinstance(lr, numbers.Real) or isinstance(lr, bool):
        raise TypeError(f"{name} must be a positive number; got {lr!r}")
    if not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"{name} must be a positive, finite number; got {lr!r}")
    return float(lr)


def check_positive_int(value: int, name: str) -> int:
    if not is_integer(value):
        raise TypeError(f"{name} must be a positive integer; got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer (1 or more); got {value!r}")
    return int(value)


def check_array(values, name: str, n_columns: Optional[int] = None) -> np.ndarray:
    """Return values as a 2-D float array (n_samples, n_columns), finite everywhere."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a 2-D array of numbers; got {values!r}") from None
    if array.ndim != 2:
        hint = ""
        if array.ndim == 1 and n_columns not in (None, 1) and array.size == n_columns:
            hint = f" (for one sample use {name}.reshape(1, -1))"
        elif array.ndim == 1:
            hint = f" (for one column use {name}.reshape(-1, 1))"
        raise ValueError(
            f"{name} must be 2-D, of shape (n_samples, n_features); "
            f"got shape {array.shape}{hint}")
    if n_columns is not None and array.shape[1] != n_columns:
        raise ValueError(
            f"{name} must have {n_columns} column(s) to match the network; "
            f"got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def check_data(X, y, n_inputs: int, n_outputs: int) -> tuple:
    """Check a data set against a network with n_inputs inputs and n_outputs outputs."""
    X = check_array(X, "X", n_inputs)
    y = check_array(y, "y", n_outputs)
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have the same number of samples (rows); "
            f"got {X.shape[0]} and {y.shape[0]}")
    return X, y


class NetworkOptions(NamedTuple):
    """A network's checked options: g of the hidden layers, g of the output layer, the loss."""
    activation: Activation
    output_activation: Activation
    loss: Loss


def check_network_options(activation: str = "sigmoid", output_activation: Optional[str] = None,
                          loss: str = "mse", init: str = "original") -> NetworkOptions:
    """Check the options every engine takes (Network, NetworkStack, sweep) in one place.

    output_activation None means the same as activation. 'bce' takes the log
    of the outputs and of 1 minus them, so it needs outputs in (0, 1): a
    sigmoid output layer.
    """
    hidden = get_activation(activation)
    output = get_activation(activation if output_activation is None else output_activation,
                            "output_activation")
    loss_function = get_loss(loss)
    if loss_function.name == "bce" and output.name != "sigmoid":
        raise ValueError(
            f"loss 'bce' needs outputs in (0, 1): use output_activation='sigmoid' "
            f"(got {output.name!r})")
    if not isinstance(init, str) or init not in INITS:
        accepted = ", ".join(repr(s) for s in INITS)
        raise ValueError(f"init must be one of {accepted}; got {init!r}")
    return NetworkOptions(hidden, output, loss_function)
