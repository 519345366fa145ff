"""Loss functions L(a, y) and their gradients dL/da.

a holds the network's outputs and y the targets, both of shape
(n_samples, n_outputs).

    mse       L = mean((a - y)^2)                  dL/da = 2 (a - y) / a.size
    half_sse  L = 1/2 sum((a - y)^2)               dL/da = a - y
    bce       L = -mean(y log a + (1-y) log(1-a))   dL/da = (a - y) / (a (1 - a)) / a.size

half_sse is what the original library trained: its update used the gradient of
half the *sum* of squared errors, which on XOR's four samples is twice the
gradient of the MSE.
"""
from collections import namedtuple

import numpy as np

Loss = namedtuple("Loss", ["name", "function", "gradient"])

# bce clips a into [EPS, 1 - EPS] so that log(0) never happens.
EPS = 1e-12


def mse(a, y):
    e = a - y
    return float((e * e).sum() / e.size)


def mse_gradient(a, y):
    return 2.0 * (a - y) / a.size


def half_sse(a, y):
    e = a - y
    return float(0.5 * (e * e).sum())


def half_sse_gradient(a, y):
    return a - y


def bce(a, y):
    a = np.clip(a, EPS, 1.0 - EPS)
    return float(-(y * np.log(a) + (1.0 - y) * np.log(1.0 - a)).sum() / a.size)


def bce_gradient(a, y):
    a = np.clip(a, EPS, 1.0 - EPS)
    return (a - y) / (a * (1.0 - a)) / a.size


LOSSES = {
    "mse": Loss("mse", mse, mse_gradient),
    "half_sse": Loss("half_sse", half_sse, half_sse_gradient),
    "bce": Loss("bce", bce, bce_gradient),
}


def get_loss(name):
    """Look up a loss by name; the error lists the accepted names."""
    if not isinstance(name, str) or name not in LOSSES:
        accepted = ", ".join(repr(n) for n in LOSSES)
        raise ValueError(f"loss must be one of {accepted}; got {name!r}")
    return LOSSES[name]
