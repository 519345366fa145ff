"""Check backpropagation against finite differences.

For each parameter entry p, the central difference

    dL/dp ~ (L(p + eps) - L(p - eps)) / (2 eps)

has an error of order eps^2, so with eps = 1e-6 it agrees with an exact
gradient to about 1e-9 relative: a much larger gap means a bug.
"""
from typing import TYPE_CHECKING, List

import numpy as np

if TYPE_CHECKING:
    from .network import Network


def numerical_gradients(net: "Network", X, y, eps: float = 1e-6) -> List[np.ndarray]:
    """Finite-difference estimates of net.gradients(X, y), in the same order and shapes."""
    estimates = []
    for p in net.parameters():
        estimate = np.zeros_like(p)
        for index in np.ndindex(p.shape):
            original = p[index]
            p[index] = original + eps
            loss_plus = net.loss(X, y)
            p[index] = original - eps
            loss_minus = net.loss(X, y)
            p[index] = original
            estimate[index] = (loss_plus - loss_minus) / (2 * eps)
        estimates.append(estimate)
    return estimates


def relative_error(exact: np.ndarray, estimate: np.ndarray) -> float:
    """|exact - estimate| / (|exact| + |estimate|), as one number for a whole array."""
    scale = np.linalg.norm(exact) + np.linalg.norm(estimate)
    return 0.0 if scale == 0 else float(np.linalg.norm(exact - estimate) / scale)


def check_gradients(net: "Network", X, y, eps: float = 1e-6) -> float:
    """The largest relative error between backprop and finite differences, over all parameters."""
    exact = net.gradients(X, y)
    estimates = numerical_gradients(net, X, y, eps)
    return max(relative_error(g, e) for g, e in zip(exact, estimates))
