"""Gradient descent with fewer numpy calls: the trainer behind the live playground.

On XOR every array is tiny (four samples, a few units), so nnlib.train spends
its time not on arithmetic but on starting numpy calls (about half a
microsecond each) and allocating their results. FastTrainer does the same
arithmetic with about a third of the time per epoch, by three changes:

1. Each bias is folded into its weight matrix as an extra last row, and each
   layer's input gets a column of ones:

       Theta^l = [ W^l ]        z^l = [a^(l-1), 1] Theta^l = a^(l-1) W^l + b^l
                 [ b^l ]

   One matrix product then does the work of a product and a sum. Backwards,
   dL/dTheta^l = [a^(l-1), 1]^T delta^l gives dL/dW^l and, from the ones
   column, dL/db^l = sum of delta^l over the samples, in one product too.

2. All the Theta^l live in one flat vector theta, and the steps in one vector
   of the same layout, so the update theta <- theta - step is a single call.
   The network's W^l and b^l become views into theta: net.forward and
   net.predict always see the current parameters.

3. Every intermediate array is allocated once and then overwritten (numpy's
   out= arguments). The learning rate multiplies delta^L once: the backward
   recursion is linear in delta, so every dL/dTheta^l comes out already
   multiplied by lr, and it *is* the step.

The numbers are nnlib.train's up to rounding in the last digits (the tests
check 1e-12): the same initial parameters, the same History.
"""
import math
import warnings

import numpy as np

from ..checks import check_data, check_learning_rate, check_positive_int
from ..training import DivergedWarning, History

# dL/da = LOSS_SCALE * (a - y) / n_values, for the losses that are squared errors:
#   mse       L = sum((a - y)^2) / n_values    dL/da = 2 (a - y) / n_values
#   half_sse  L = sum((a - y)^2) / 2           dL/da = (a - y)
SQUARED_ERROR_LOSSES = ("mse", "half_sse")


class FastTrainer:
    """Full-batch gradient descent on (X, y) for net, as nnlib.train does it.

        trainer = FastTrainer(net, X, y, lr=0.5)
        history = trainer.run(10000)       # the same History as train()
        history = trainer.run(100)         # 100 more epochs, carrying on

    The loss must be 'mse' or 'half_sse' (use nnlib.train for 'bce').
    """

    def __init__(self, net, X, y, lr=0.1):
        if net.loss_function.name not in SQUARED_ERROR_LOSSES:
            raise ValueError(
                f"FastTrainer trains the losses {SQUARED_ERROR_LOSSES}; got "
                f"{net.loss_function.name!r}: use nnlib.train for it")
        X, y = check_data(X, y, net.layer_sizes[0], net.layer_sizes[-1])
        self.net = net
        self.lr = check_learning_rate(lr)
        self.y = y
        self.epoch = 0                  # the number of updates made so far
        self.diverged_at = None
        self._fold_parameters(net)
        self._allocate_buffers(X)

    def _fold_parameters(self, net):
        """theta = [Theta^1, Theta^2, ...] flat; net's W^l, b^l become views into it."""
        shapes = [(n_in + 1, n_out)
                  for n_in, n_out in zip(net.layer_sizes[:-1], net.layer_sizes[1:])]
        sizes = [rows * cols for rows, cols in shapes]
        self.theta = np.empty(sum(sizes))
        self.step = np.empty(sum(sizes))
        ends = np.cumsum(sizes)
        self.Theta = [self.theta[end - size:end].reshape(shape)
                      for end, size, shape in zip(ends, sizes, shapes)]
        self.dTheta = [self.step[end - size:end].reshape(shape)
                       for end, size, shape in zip(ends, sizes, shapes)]
        for l, Theta in enumerate(self.Theta):
            Theta[:-1] = net.weights[l]
            Theta[-1] = net.biases[l]
            net.weights[l], net.biases[l] = Theta[:-1], Theta[-1]

    def _allocate_buffers(self, X):
        """Every array an epoch writes, made once.

        A[l] = [a^l, 1] for the inputs and hidden layers (a^l is a view of it
        without the ones column) and A[L] = a^L; z^l, delta^l and g'(z^l)
        have one array per layer each.
        """
        net, n = self.net, X.shape[0]
        widths = net.layer_sizes
        L = net.n_layers
        self.A = [np.ones((n, width + 1)) for width in widths[:-1]] + [np.empty((n, widths[-1]))]
        self.A[0][:, :-1] = X
        self.a = [A[:, :-1] for A in self.A[:-1]] + [self.A[-1]]
        self.z = [np.empty((n, width)) for width in widths[1:]]
        self.delta = [np.empty((n, width)) for width in widths[1:]]
        self.g_prime = [np.empty((n, width)) for width in widths[1:]]
        self.error = np.empty_like(self.y)       # a^L - y
        layers = [net.layer_activation(l) for l in range(1, L + 1)]
        self.g = [activation.g for activation in layers]
        self.g_prime_of = [activation.g_prime for activation in layers]

    def run(self, epochs):
        """Train `epochs` more epochs; return their History (loss before each update).

        Stops early if the loss becomes NaN or infinite: then History.diverged_at
        counts from the start of this run, trainer.diverged_at from the start
        of training, and later runs do nothing.
        """
        epochs = check_positive_int(epochs, "epochs")
        if self.diverged_at is not None:
            return History(np.empty(0), np.empty(0), diverged_at=0)
        n_values = self.y.size
        if self.net.loss_function.name == "mse":
            lr_times_scale = self.lr * 2.0 / n_values
        else:
            lr_times_scale = self.lr
        sse = np.empty(epochs)              # sum of squared errors, each epoch
        with np.errstate(over="ignore", invalid="ignore"):
            done = self._epochs(epochs, lr_times_scale, sse)
        self.epoch += done
        mse = sse[:done] / n_values
        loss = mse.copy() if self.net.loss_function.name == "mse" else 0.5 * sse[:done]
        if done < epochs:
            self.diverged_at = self.epoch
            return History(loss, mse, diverged_at=done)
        return History(loss, mse)

    def _epochs(self, epochs, lr_times_scale, sse):
        """The loop itself; returns how many epochs ran (fewer if the loss blew up).

        Each layer's arrays are gathered into a tuple first, and numpy's
        functions bound to local names: in a loop of many thousands of tiny
        steps, even list indexing and attribute look-ups show. (A.dot(B) is
        also a little quicker than np.dot(A, B), which first asks its
        arguments whether they want to handle the call themselves.)
        """
        L = len(self.Theta)
        A, a, z, delta, g_prime = self.A, self.a, self.z, self.delta, self.g_prime
        # forward, l = 1 .. L:  z^l = [a^(l-1), 1] Theta^l,  a^l = g(z^l)
        forward = list(zip(A[:-1], self.Theta, z, a[1:], self.g))
        # backward, l = L .. 2:  dL/dTheta^l = [a^(l-1), 1]^T delta^l,
        #                        delta^(l-1) = (delta^l W^l^T) * g'(z^(l-1))
        backward = [(A[l].T, delta[l], self.dTheta[l], self.Theta[l][:-1].T,
                     delta[l - 1], a[l], g_prime[l - 1], self.g_prime_of[l - 1])
                    for l in range(L - 1, 0, -1)]
        A0_T, delta1, dTheta1 = A[0].T, delta[0], self.dTheta[0]
        a_L, g_prime_L, delta_L = a[L], g_prime[L - 1], delta[L - 1]
        g_prime_of_L = self.g_prime_of[L - 1]
        theta, step, y, error = self.theta, self.step, self.y, self.error
        errors = error.reshape(-1)
        isfinite, subtract, multiply = math.isfinite, np.subtract, np.multiply

        for epoch in range(epochs):
            for A_prev, Theta_l, z_l, a_l, g_l in forward:
                A_prev.dot(Theta_l, out=z_l)
                g_l(z_l, out=a_l)
            # the loss, from the sum of squared errors (a^L - y) . (a^L - y)
            subtract(a_L, y, out=error)
            sse[epoch] = sum_of_squares = errors.dot(errors)
            if not isfinite(sum_of_squares):
                return epoch
            # delta^L = lr * dL/da^L * g'(z^L)
            g_prime_of_L(a_L, out=g_prime_L)
            multiply(error, g_prime_L, out=delta_L)
            delta_L *= lr_times_scale
            for (A_prev_T, delta_l, dTheta_l, W_l_T,
                 delta_prev, a_prev, g_prime_prev, g_prime_of_prev) in backward:
                A_prev_T.dot(delta_l, out=dTheta_l)
                delta_l.dot(W_l_T, out=delta_prev)
                g_prime_of_prev(a_prev, out=g_prime_prev)
                delta_prev *= g_prime_prev
            A0_T.dot(delta1, out=dTheta1)
            # theta <- theta - lr * dL/dtheta: every layer in one call
            subtract(theta, step, out=theta)
        return epochs


def train_fast(net, X, y, lr=0.1, epochs=1000):
    """nnlib.train(net, X, y, lr, epochs) with FastTrainer: the same History, faster.

    Like train, it warns DivergedWarning if the loss becomes NaN or infinite.
    """
    history = FastTrainer(net, X, y, lr).run(epochs)
    if history.diverged:
        warnings.warn(
            f"training diverged at epoch {history.diverged_at}: the loss became "
            f"NaN or infinite; try a smaller learning rate than {lr}",
            DivergedWarning, stacklevel=2)
    return history
