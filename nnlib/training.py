"""Full-batch gradient descent.

Every epoch runs the forward pass on all samples, backpropagates, and moves
every parameter a step down its gradient:  p <- p - lr * dL/dp.
"""
import math
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional

import numpy as np

from .checks import check_data, check_learning_rate, check_positive_int
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
                return History(losses[:epoch + 1], mses[:epoch + 1])
    return History(losses, mses)
