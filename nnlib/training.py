"""Full-batch gradient descent.

Every epoch runs the forward pass on all samples, backpropagates, and moves
every parameter a step down its gradient:  p <- p - lr * dL/dp.
"""
import math
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional

import numpy as np

from .checks import (check_callback, check_data, check_learning_rate, check_memory,
                     check_positive_int, format_bytes, n_parameters)
from .losses import mse

if TYPE_CHECKING:
    from .network import Network


@dataclass
class History:
    """What one training run recorded.

    loss         the trained loss at each epoch, before that epoch's update
    mse          the mean squared error at each epoch, likewise
    diverged_at  the epoch (0-based) whose loss was NaN or infinite, or None;
                 training stopped there, so loss and mse end before it
    """
    loss: np.ndarray
    mse: np.ndarray
    diverged_at: Optional[int] = None

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None


class DivergedWarning(RuntimeWarning):
    """Training stopped because the loss became NaN or infinite."""


def train(net: "Network", X, y, lr: float = 0.1, epochs: int = 1000,
          callback: Optional[Callable[[int, float], Optional[bool]]] = None) -> History:
    """Train net on (X, y) by full-batch gradient descent; return its History.

    callback, if given, is called as callback(epoch, loss) after every epoch,
    with that epoch's loss before its update; if it returns True, training
    stops early. If the loss becomes NaN or
    infinite, training stops, warns with DivergedWarning, and the History
    says at which epoch (numpy's own overflow warnings are silenced, since
    this one says what happened and what to try).
    """
    X, y = check_data(X, y, net.layer_sizes[0], net.layer_sizes[-1])
    lr = check_learning_rate(lr)
    epochs = check_positive_int(epochs, "epochs")
    check_callback(callback)
    check_training_memory(net, X, epochs)
    parameters = net.parameters()
    losses, mses = np.empty(epochs), np.empty(epochs)
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            a = net.forward_trace(X)                   # [a^0 = X, a^1, ..., a^L]
            loss = net.loss_function.function(a[-1], y)
            if not math.isfinite(loss):
                warnings.warn(
                    f"training diverged at epoch {epoch}: the loss became {loss}; "
                    f"try a smaller learning rate than {lr}", DivergedWarning, stacklevel=2)
                return History(losses[:epoch], mses[:epoch], diverged_at=epoch)
            losses[epoch] = loss
            mses[epoch] = mse(a[-1], y)
            for p, grad in zip(parameters, net.backward(a, y)):
                p -= lr * grad
            if callback is not None and callback(epoch, loss):
                return finish(net, X, y, lr, losses[:epoch + 1], mses[:epoch + 1])
        return finish(net, X, y, lr, losses, mses)


def finish(net, X, y, lr, losses, mses):
    """The History, after checking that the last update did not blow up too.

    The loss is checked before every update, so a step that makes it NaN or
    infinite at the very end would otherwise go unseen."""
    loss = net.loss_function.function(net.forward_trace(X)[-1], y)
    if not math.isfinite(loss):
        epoch = len(losses)
        warnings.warn(
            f"training diverged at epoch {epoch} (after the last update): the loss became "
            f"{loss}; try a smaller learning rate than {lr}", DivergedWarning, stacklevel=3)
        return History(losses, mses, diverged_at=epoch)
    return History(losses, mses)


def training_memory(layer_sizes, n_samples, epochs):
    """Bytes that training needs: the loss history (2 numbers an epoch), and for
    each epoch the gradients and the forward and backward pass's arrays."""
    return 16 * epochs, 8 * (2 * n_parameters(layer_sizes) + 4 * n_samples * sum(layer_sizes))


def check_training_memory(net, X, epochs):
    history, epoch = training_memory(net.layer_sizes, len(X), epochs)
    advice = ("use fewer epochs" if history >= epoch
              else "use smaller layers or fewer samples")
    check_memory(history + epoch, f"training {net.layer_sizes} for {epochs:,} epochs "
                 f"(loss history {format_bytes(history)})", advice)
