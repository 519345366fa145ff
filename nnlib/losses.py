"""Loss functions L(a, y) and their gradients dL/da.

a holds the network's outputs and y the targets, both of shape
(n_samples, n_outputs); n = n_samples * n_outputs is the number of values.

    mse       L = sum((a - y)^2) / n                  dL/da = 2 (a - y) / n
    half_sse  L = 1/2 sum((a - y)^2)                  dL/da = a - y
    bce       L = -sum(y log a + (1-y) log(1-a)) / n   dL/da = (a - y) / (a (1 - a)) / n

half_sse is what the original library trained: its update used the gradient of
half the *sum* of squared errors, which on XOR's four samples is twice the
gradient of the MSE.

These are the only definitions: nnlib.train, FastTrainer and NetworkStack all
use them. Two things make that possible:

- Every function also takes a *stack* of networks' outputs, a of shape
  (n_samples, n_outputs, M) with y of shape (n_samples, n_outputs, 1): the
  sums run over one network's values (axes 0 and 1) and L comes back as M
  numbers, one per network. For one network it is a float.
- Every gradient takes an optional `out`, an array to write dL/da into, as
  numpy's own functions do; the fast engines pass arrays they made once.
"""
from typing import Callable, NamedTuple, Optional, Union

import numpy as np


class Loss(NamedTuple):
    """A loss by name: function(a, y) is L, gradient(a, y, out=None) is dL/da."""
    name: str
    function: Callable[..., Union[float, np.ndarray]]
    gradient: Callable[..., np.ndarray]


# bce clips a into [EPS, 1 - EPS] so that log(0) never happens.
EPS = 1e-12


def n_values(a: np.ndarray) -> int:
    """How many values one network outputs: n_samples * n_outputs."""
    return a.shape[0] * a.shape[1]


def per_network(total: np.ndarray) -> Union[float, np.ndarray]:
    """A sum over one network's values: a float for one network, an array for a stack."""
    return float(total) if total.ndim == 0 else total


def mse(a: np.ndarray, y: np.ndarray) -> Union[float, np.ndarray]:
    e = a - y
    return per_network((e * e).sum(axis=(0, 1)) / n_values(a))


def mse_gradient(a: np.ndarray, y: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    out = np.subtract(a, y, out=out)
    return np.multiply(out, 2.0 / n_values(a), out=out)


def half_sse(a: np.ndarray, y: np.ndarray) -> Union[float, np.ndarray]:
    e = a - y
    return per_network(0.5 * (e * e).sum(axis=(0, 1)))


def half_sse_gradient(a: np.ndarray, y: np.ndarray,
                      out: Optional[np.ndarray] = None) -> np.ndarray:
    return np.subtract(a, y, out=out)


def bce(a: np.ndarray, y: np.ndarray) -> Union[float, np.ndarray]:
    a = np.clip(a, EPS, 1.0 - EPS)
    return per_network(-(y * np.log(a) + (1.0 - y) * np.log(1.0 - a)).sum(axis=(0, 1))
                       / n_values(a))


def bce_gradient(a: np.ndarray, y: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    a = np.clip(a, EPS, 1.0 - EPS)
    return np.divide((a - y) / (a * (1.0 - a)), n_values(a), out=out)


LOSSES = {
    "mse": Loss("mse", mse, mse_gradient),
    "half_sse": Loss("half_sse", half_sse, half_sse_gradient),
    "bce": Loss("bce", bce, bce_gradient),
}


def get_loss(name: str) -> Loss:
    """Look up a loss by name; the error lists the accepted names."""
    if not isinstance(name, str) or name not in LOSSES:
        accepted = ", ".join(repr(n) for n in LOSSES)
        raise ValueError(f"loss must be one of {accepted}; got {name!r}")
    return LOSSES[name]
