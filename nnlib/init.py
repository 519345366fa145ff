"""Initial weights and biases.

Weights have shape (fan_in, fan_out) so that a layer computes z = a @ W + b for
a batch a of shape (n_samples, fan_in). Three schemes:

    original  W ~ N(0, 1),  b ~ U[0, 1)        the original library's draws
    xavier    W ~ U(-r, r) with r = sqrt(6 / (fan_in + fan_out)),  b = 0
              (Glorot and Bengio, 2010: keeps the variance of z about the
              same from layer to layer)
    he        W ~ U(-r, r) with r = sqrt(6 / fan_in),  b = 0
              (He et al., 2015: twice xavier's variance for equal widths, for
              ReLU layers, which zero about half of their z)

The draws are made layer by layer in the order W1, b1, W2, b2, ..., from the
random stream that `make_rng` returns.
"""
import numbers
from typing import List, Sequence, Tuple, Union

import numpy as np

INITS = ("original", "xavier", "he")

# What a seed may be: see make_rng.
Seed = Union[int, np.random.Generator, np.random.RandomState, None]
Parameters = Tuple[List[np.ndarray], List[np.ndarray]]     # (weights, biases)


def make_rng(seed: Seed = None) -> Union[np.random.Generator, np.random.RandomState]:
    """A random stream from a seed, a numpy Generator or a legacy RandomState.

    An integer seed gives np.random.RandomState(seed): the legacy stream that
    np.random.seed(seed) starts, so that seed 0 reproduces the original library.
    """
    if isinstance(seed, (np.random.Generator, np.random.RandomState)):
        return seed
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)
                        and 0 <= seed < 2**32):
        return np.random.RandomState(seed)
    raise TypeError(
        f"seed must be an integer from 0 to 2**32 - 1, a numpy Generator, "
        f"a RandomState or None; got {seed!r}")


def _uniform01(rng, size):
    if isinstance(rng, np.random.Generator):
        return rng.random(size)
    return rng.random_sample(size)


def init_layer(fan_in: int, fan_out: int, scheme: str, rng) -> Tuple[np.ndarray, np.ndarray]:
    """Draw one layer's (W, b)."""
    if scheme == "original":
        W = rng.standard_normal((fan_in, fan_out))
        b = _uniform01(rng, fan_out)
    elif scheme == "xavier":
        r = np.sqrt(6.0 / (fan_in + fan_out))
        W = rng.uniform(-r, r, (fan_in, fan_out))
        b = np.zeros(fan_out)
    elif scheme == "he":
        r = np.sqrt(6.0 / fan_in)
        W = rng.uniform(-r, r, (fan_in, fan_out))
        b = np.zeros(fan_out)
    else:
        accepted = ", ".join(repr(s) for s in INITS)
        raise ValueError(f"init must be one of {accepted}; got {scheme!r}")
    return W, b


def init_parameters(layer_sizes: Sequence[int], scheme: str = "original",
                    seed: Seed = None) -> Parameters:
    """Draw (weights, biases) for every layer, in the order W1, b1, W2, b2, ..."""
    rng = make_rng(seed)
    weights, biases = [], []
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        W, b = init_layer(fan_in, fan_out, scheme, rng)
        weights.append(W)
        biases.append(b)
    return weights, biases
