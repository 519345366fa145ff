"""Activation functions g(z) and their derivatives g'(z).

Each g' is written in terms of the activation a = g(z), because the forward
pass has already computed a:

    sigmoid:  g(z) = 1 / (1 + e^-z)     g'(z) = a (1 - a)
    tanh:     g(z) = tanh z             g'(z) = 1 - a^2
    relu:     g(z) = max(0, z)          g'(z) = 1 if a > 0 else 0   (a > 0 exactly when z > 0)
    linear:   g(z) = z                  g'(z) = 1                   (no squashing at all)

Every function takes an optional `out`, an array to write the result into,
as numpy's own functions do. The core calls them without it; the fast
engines (nnlib.fast) pass arrays they made once, so that an epoch allocates
nothing. Both use these same definitions.
"""
from typing import Callable, NamedTuple, Optional

import numpy as np


class Activation(NamedTuple):
    """An activation by name: g(z, out=None) and g_prime(a, out=None), g' from a = g(z)."""
    name: str
    g: Callable[..., np.ndarray]
    g_prime: Callable[..., np.ndarray]


# Below z = -709, e^-z overflows; at z = -700 the sigmoid is already below 1e-304.
SIGMOID_FLOOR = -700.0


def sigmoid(z: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """The logistic function 1 / (1 + e^-z), squashing z into (0, 1).

    z is capped at -700 first, so that e^-z never overflows and no warning
    is raised for any z.
    """
    if out is None:
        return 1.0 / (1.0 + np.exp(-np.maximum(z, SIGMOID_FLOOR)))
    np.maximum(z, SIGMOID_FLOOR, out=out)       # the same steps, in place
    np.negative(out, out=out)
    np.exp(out, out=out)
    out += 1.0
    return np.reciprocal(out, out=out)


def sigmoid_prime(a: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """g'(z) = a (1 - a), from a = sigmoid(z)."""
    if out is None:
        return a * (1.0 - a)
    np.subtract(1.0, a, out=out)
    return np.multiply(a, out, out=out)


def tanh(z: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """The hyperbolic tangent, squashing z into (-1, 1)."""
    return np.tanh(z, out=out)


def tanh_prime(a: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """g'(z) = 1 - a^2, from a = tanh(z)."""
    if out is None:
        return 1.0 - a * a
    np.multiply(a, a, out=out)
    return np.subtract(1.0, out, out=out)


def relu(z: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """The rectified linear unit max(0, z)."""
    return np.maximum(z, 0.0, out=out)


def relu_prime(a: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """g'(z) = 1 where a > 0, else 0 (at z = 0 we take 0)."""
    if out is None:
        return (a > 0.0).astype(float)
    return np.greater(a, 0.0, out=out)


def linear(z: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """The identity z: an output layer for unbounded targets, as in regression."""
    if out is None:
        return z
    out[...] = z
    return out


def linear_prime(a: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
    """g'(z) = 1."""
    if out is None:
        return np.ones_like(a)
    out.fill(1.0)
    return out


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime),
    "tanh": Activation("tanh", tanh, tanh_prime),
    "relu": Activation("relu", relu, relu_prime),
    "linear": Activation("linear", linear, linear_prime),
}


def get_activation(name: str, parameter: str = "activation") -> Activation:
    """Look up an activation by name; the error lists the accepted names."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        accepted = ", ".join(repr(n) for n in ACTIVATIONS)
        raise ValueError(f"{parameter} must be one of {accepted}; got {name!r}")
    return ACTIVATIONS[name]
