"""Train many networks of the same shape at once.

A sweep trains thousands of small networks. One at a time, numpy spends most
of its time starting each tiny operation, not computing. So we stack M
networks with the same layer sizes and let every numpy call work on all of
them. Each array gets a last axis, the model axis m:

    W^l  shape (fan_in, fan_out, M)        b^l  shape (fan_out, M)
    a^l  shape (n_samples, width, M)       W^l[:, :, m] is network m's W^l

and the formulas of network.py hold for every m separately:

    z^l[s, j, m] = sum_k a^(l-1)[s, k, m] W^l[k, j, m] + b^l[j, m]
    a^l = g(z^l)
    delta^L = dL/da^L * g'(z^L)
    delta^(l-1)[s, k, m] = sum_j delta^l[s, j, m] W^l[k, j, m] * g'(z^(l-1))
    dL/dW^l[k, j, m] = sum_s a^(l-1)[s, k, m] delta^l[s, j, m]
    dL/db^l[j, m] = sum_s delta^l[s, j, m]

np.einsum writes these sums just as they read. The first layer is cheaper
still: every network sees the same X, so [X 1] (n, n_in + 1) times [W^1; b^1]
viewed as (n_in + 1, fan_out * M) is one ordinary matrix product.

Why the model axis comes last: numpy is fastest when its innermost loop is
long and contiguous, and M (hundreds or thousands) is much longer than a
layer (2 to 16 units) or the four samples of XOR. The arrays an epoch needs
are allocated once and overwritten (numpy's out= arguments).

The math is the core's: g and g' come from nnlib.activations and L and dL/da
from nnlib.losses, whose functions take a model axis last and sum over one
network's values. The networks never mix: each follows the steps nnlib.train
would take for it alone. Only the last digits can differ, because sums may be added in another
order; the tests check every loss curve to 1e-12. (Near the edge of
stability, where a step is too big for the curvature, gradient descent
magnifies any last-digit difference every epoch: there no two programs that
add in different orders agree for long, this one and nnlib.train included.)
"""
import math
import warnings
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence, Union

import numpy as np

from ..activations import Activation
from ..checks import (check_array, check_callback, check_data, check_layer_sizes,
                      check_learning_rate, check_network_options, check_positive_int,
                      n_parameters)
from ..init import Parameters
from ..losses import mse
from ..network import Network
from ..training import DivergedWarning


# --- The stack ------------------------------------------------------------

def flatten(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> np.ndarray:
    """One network's parameters as one vector: W1 (row by row), b1, W2, b2, ..."""
    return np.concatenate([np.concatenate([np.ravel(W), np.ravel(b)])
                           for W, b in zip(weights, biases)])


class NetworkStack:
    """M networks with the same layer sizes, trained together.

    All the parameters of network m are column m of one matrix theta, shape
    (n_parameters, M): W1 row by row, then b1, W2, b2, ... weights[l] and
    biases[l] are views into theta with shapes (fan_in, fan_out, M) and
    (fan_out, M), so a gradient step on theta moves every W and b at once.

    Build one with NetworkStack.from_starts(starts), where starts lists
    (weights, biases) pairs as init.init_parameters returns them.
    activation, output_activation and loss are as for Network.
    """

    def __init__(self, layer_sizes: Sequence[int], theta: np.ndarray, activation: str = "sigmoid",
                 output_activation: Optional[str] = None, loss: str = "mse"):
        self.layer_sizes = check_layer_sizes(layer_sizes)
        options = check_network_options(activation, output_activation, loss)
        self.theta = np.array(theta, dtype=float)
        if self.theta.ndim != 2 or len(self.theta) != n_parameters(self.layer_sizes):
            raise ValueError(
                f"theta must have shape (n_parameters, M) = "
                f"({n_parameters(self.layer_sizes)}, M) for layer_sizes "
                f"{self.layer_sizes}; got shape {self.theta.shape}")
        self.n_models = self.theta.shape[1]
        self.activation, self.output_activation, self.loss = options
        self.grad = np.zeros_like(self.theta)       # dL/dtheta, laid out like theta
        self.weights, self.biases = self.layer_views(self.theta)
        self.dW, self.db = self.layer_views(self.grad)
        self.first, self.d_first = self.first_layer(self.theta), self.first_layer(self.grad)
        self.n_samples = None

    @classmethod
    def from_starts(cls, starts: Sequence[Parameters], **options) -> "NetworkStack":
        """A stack from a list of (weights, biases) pairs, one per network."""
        starts = list(starts)
        if not starts:
            raise ValueError("starts must hold at least one network's (weights, biases)")
        shapes = [[np.shape(W) for W in weights] for weights, _ in starts]
        if any(shape != shapes[0] for shape in shapes):
            raise ValueError("starts must all have the same layer sizes: a stack holds "
                             "networks of one shape")
        layer_sizes = [shapes[0][0][0]] + [shape[1] for shape in shapes[0]]
        theta = np.stack([flatten(*start) for start in starts], axis=1)
        return cls(layer_sizes, theta, **options)

    def layer_views(self, flat):
        """weights[l] (fan_in, fan_out, M) and biases[l] (fan_out, M): views into flat."""
        weights, biases, start = [], [], 0
        for fan_in, fan_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:]):
            weights.append(flat[start:start + fan_in * fan_out].reshape(fan_in, fan_out, -1))
            start += fan_in * fan_out
            biases.append(flat[start:start + fan_out])
            start += fan_out
        return weights, biases

    def first_layer(self, flat):
        """[W^1; b^1] as one matrix of shape (n_in + 1, h * M).

        b^1 is stored right after W^1, so it is simply one more row.
        """
        n_in, width = self.layer_sizes[:2]
        return flat[:(n_in + 1) * width].reshape(n_in + 1, width * self.n_models)

    def __repr__(self):
        return (f"NetworkStack({self.n_models} networks of {self.layer_sizes}, "
                f"activation={self.activation.name!r}, "
                f"output_activation={self.output_activation.name!r}, "
                f"loss={self.loss.name!r})")

    @property
    def n_layers(self) -> int:
        """L, the number of layers with weights."""
        return len(self.weights)

    def layer_activation(self, l: int) -> Activation:
        """g for layer l = 1 .. L, as Network.layer_activation."""
        return self.output_activation if l == self.n_layers else self.activation

    def network(self, m: int) -> Network:
        """Network m of the stack, as an ordinary Network (a copy)."""
        return Network.from_parameters([W[:, :, m] for W in self.weights],
                                       [b[:, m] for b in self.biases], self.activation.name,
                                       self.output_activation.name, self.loss.name)

    def allocate(self, n_samples: int):
        """The arrays an epoch writes into, made once, indexed by l as in the notebooks.

        [X 1] (the inputs with a column of ones), and for l = 1 .. L: a[l] = a^l
        (z^l before g overwrites it), delta[l] and g_prime_z[l] = g'(z^l); dL_da
        for dL/da^L. Index 0 of a is [X 1]; of delta and g_prime_z, unused.
        """
        self.inputs = np.ones((n_samples, self.layer_sizes[0] + 1))   # X goes left of the 1s
        shapes = [(n_samples, width, self.n_models) for width in self.layer_sizes[1:]]
        self.a = [self.inputs] + [np.empty(shape) for shape in shapes]
        self.delta = [None] + [np.empty(shape) for shape in shapes]
        self.g_prime_z = [None] + [np.empty(shape) for shape in shapes]
        self.dL_da = np.empty(shapes[-1])
        self.n_samples = n_samples

    def forward_trace(self, X: np.ndarray) -> List[np.ndarray]:
        """The forward pass: a = [a^0, a^1, ..., a^L], each a^l of shape (n, width, M).

        Here a^0 = [X 1], the inputs with a column of ones: every network sees
        the same X, so one matrix product does the first layer of all of them,
        [X 1] [W^1; b^1] = X W^1 + b^1.
        """
        n = len(X)
        if self.n_samples != n:
            self.allocate(n)
        self.inputs[:, :-1] = X
        a = self.a
        for l in range(1, self.n_layers + 1):
            z = a[l]                                  # z^l, then a^l written over it
            if l == 1:
                np.matmul(a[0], self.first, out=z.reshape(n, -1))
            else:
                np.einsum("nkm,kjm->njm", a[l - 1], self.weights[l - 1], out=z)
                z += self.biases[l - 1]
            self.layer_activation(l).g(z, out=z)     # a^l = g(z^l)
        return list(a)

    def backward(self, a: List[np.ndarray], y: np.ndarray,
                 lr: Optional[np.ndarray] = None) -> np.ndarray:
        """Backpropagate from a forward trace a: dL/dtheta for every network, laid out like theta.

        y has shape (n, n_outputs, 1). With lr (one number per network),
        return lr * dL/dtheta instead: the gradient step. Backpropagation is
        linear in delta, so multiplying delta^L by lr once multiplies every
        gradient by lr, and saves a pass over all the parameters.
        """
        L = self.n_layers
        delta = self.delta[L]                         # delta^L = dL/da^L * g'(z^L)
        self.loss.gradient(a[L], y, out=self.dL_da)
        np.multiply(self.dL_da, self.layer_activation(L).g_prime(a[L], out=self.g_prime_z[L]),
                    out=delta)
        if lr is not None:
            delta *= lr
        for l in range(L, 1, -1):
            np.einsum("nkm,njm->kjm", a[l - 1], delta, out=self.dW[l - 1])    # dL/dW^l
            np.sum(delta, axis=0, out=self.db[l - 1])                          # dL/db^l
            previous = self.delta[l - 1]              # delta^(l-1) from delta^l
            np.einsum("njm,kjm->nkm", delta, self.weights[l - 1], out=previous)
            previous *= self.layer_activation(l - 1).g_prime(a[l - 1],
                                                             out=self.g_prime_z[l - 1])
            delta = previous
        # [X 1]^T delta^1 = [dL/dW^1; dL/db^1]: one matrix product again.
        np.matmul(a[0].T, delta.reshape(len(delta), -1), out=self.d_first)
        return self.grad

    def forward(self, X) -> np.ndarray:
        """The outputs of every network, shape (n_samples, n_outputs, M)."""
        X = check_array(X, "X", self.layer_sizes[0])
        return self.forward_trace(X)[-1].copy()

    def mse(self, X, y) -> np.ndarray:
        """The mean squared error of every network, shape (M,)."""
        X, y = check_data(X, y, self.layer_sizes[0], self.layer_sizes[-1])
        return mse(self.forward_trace(X)[-1], y[:, :, None])


@dataclass
class StackHistory:
    """What train_stack recorded, one column per network.

    mse          shape (epochs, M): network m's mean squared error at each
                 epoch, before that epoch's update (None if not kept); NaN
                 from the epoch where it diverged
    diverged_at  for each network, the epoch whose loss became NaN or
                 infinite, or None; that network stopped there
    final_mse    shape (M,): each network's mean squared error after training
                 (NaN for a network that diverged)
    outputs      shape (n_samples, n_outputs, M): each network's outputs after
                 training (for a diverged network, those that diverged)
    theta        shape (n_parameters, M): the trained parameters, laid out as
                 NetworkStack.theta (zeros for a network that diverged)
    """
    mse: Optional[np.ndarray]
    diverged_at: List[Optional[int]]
    final_mse: np.ndarray
    outputs: np.ndarray
    theta: np.ndarray

    def curve(self, m: int) -> Optional[np.ndarray]:
        """Network m's MSE curve, ending before the epoch it diverged (like History.mse)."""
        if self.mse is None:
            return None
        end = self.diverged_at[m]
        return self.mse[:end, m].copy() if end is not None else self.mse[:, m].copy()


def check_stack_learning_rate(lr, n_models: int) -> np.ndarray:
    """lr as an array of shape (M,): one number for all networks, or one per network."""
    if np.ndim(lr) == 0:
        return np.full(n_models, check_learning_rate(lr))
    lrs = [check_learning_rate(value) for value in np.asarray(lr).tolist()]
    if np.ndim(lr) != 1 or len(lrs) != n_models:
        raise ValueError(f"lr must be a number or one number per network ({n_models}); "
                         f"got shape {np.shape(lr)}")
    return np.array(lrs)


def train_stack(stack: NetworkStack, X, y, lr: Union[float, Sequence[float]] = 0.1,
                epochs: int = 1000, keep_curves: bool = True,
                progress: Optional[Callable[[int], object]] = None,
                progress_every: int = 100) -> StackHistory:
    """Train every network of the stack on (X, y) by full-batch gradient descent.

    Like nnlib.train, for M networks at once: each takes the steps it would
    take alone. lr is one learning rate for all, or one per network. A network
    whose loss becomes NaN or infinite stops there (the others go on), and a
    DivergedWarning says how many did. progress, if given, is called as
    progress(k) after every k network-epochs (every progress_every epochs).
    Returns a StackHistory.
    """
    X, y = check_data(X, y, stack.layer_sizes[0], stack.layer_sizes[-1])
    X, y = np.ascontiguousarray(X), y[:, :, None]
    epochs = check_positive_int(epochs, "epochs")
    lr = check_stack_learning_rate(lr, stack.n_models)
    check_callback(progress, "progress")
    mse_curves = np.full((epochs, stack.n_models), np.nan) if keep_curves else None
    diverged_at = [None] * stack.n_models
    diverged_outputs = {}
    with np.errstate(over="ignore", invalid="ignore"):   # as in train: divergence is reported
        for epoch in range(epochs):
            a = stack.forward_trace(X)
            errors = mse(a[-1], y)
            # The MSE is finite exactly when the trained loss is (bce clips its outputs,
            # and a sigmoid's outputs are in [0, 1] unless NaN): no need to compute both.
            if not math.isfinite(errors.sum()):
                stop_diverged(stack, errors, epoch, lr, diverged_at, diverged_outputs, a)
            if keep_curves:
                mse_curves[epoch] = errors
            # p <- p - lr * dL/dp, for every parameter of every network (lr[m] for network m)
            stack.theta -= stack.backward(a, y, lr)
            if progress is not None and ((epoch + 1) % progress_every == 0
                                         or epoch + 1 == epochs):
                progress((epoch % progress_every + 1) * stack.n_models)
    outputs = stack.forward_trace(X)[-1].copy()
    final_mse = mse(outputs, y)
    for m, out in diverged_outputs.items():
        outputs[:, :, m] = out
        final_mse[m] = np.nan
        if keep_curves:
            mse_curves[diverged_at[m]:, m] = np.nan
    if diverged_outputs:
        warnings.warn(
            f"{len(diverged_outputs)} of {stack.n_models} networks diverged (their loss "
            f"became NaN or infinite) and stopped; see StackHistory.diverged_at",
            DivergedWarning, stacklevel=2)
    return StackHistory(mse_curves, diverged_at, final_mse, outputs, stack.theta.copy())


def stop_diverged(stack, errors, epoch, lr, diverged_at, diverged_outputs, a):
    """Stop the networks whose loss just became NaN or infinite.

    Their learning rate becomes 0 and their parameters 0, so that they stay
    finite and raise no further warnings; the others are not touched.
    """
    for m in np.flatnonzero(~np.isfinite(errors)):
        if diverged_at[m] is None:
            diverged_at[m] = epoch
            diverged_outputs[m] = a[-1][:, :, m].copy()
            lr[m] = 0.0
            stack.theta[:, m] = 0.0
