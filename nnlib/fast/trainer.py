"""Gradient descent with fewer numpy calls: the trainer behind the live playground.

On XOR every array is tiny (four samples, a few units), so nnlib.train spends
its time not on arithmetic but on starting numpy calls (a quarter to half a
microsecond each) and allocating their results. FastTrainer does the same
arithmetic in about 40% of the time per epoch (for 2-4-1 on XOR, 9 µs
against 22 µs: benchmarks/bench_playground.py), by four changes:

1. Each bias is folded into its weight matrix as an extra column, and each
   layer's input gets a row of ones. Every array is kept *transposed*: one
   row per unit, one column per sample.

       Theta^l = [ W^l^T  b^l ]      z^l^T = Theta^l [ a^(l-1)^T ]  = (a^(l-1) W^l + b^l)^T
                                                     [    1...1  ]

   One matrix product then does the work of a product and a sum. Backwards,
   dL/dTheta^l = delta^l^T [a^(l-1), 1] gives dL/dW^l^T and, from the ones,
   dL/db^l = sum of delta^l over the samples, in one product too. Transposed,
   a^l is the first rows of [a^l^T; 1...1], one block of memory; a slice of
   columns would not be, and numpy's functions take about twice as long
   on it.

2. All the Theta^l live in one flat vector theta, and the steps in one vector
   of the same layout, so the update theta <- theta - step is a single call.
   The network's W^l and b^l become views into theta: net.forward and
   net.predict always see the current parameters.

3. Every intermediate array is allocated once and then overwritten (numpy's
   out= arguments). The learning rate multiplies delta^L once: the backward
   recursion is linear in delta, so every dL/dTheta^l comes out already
   multiplied by lr, and it *is* the step.

4. The loss is not computed epoch by epoch. Each epoch keeps its outputs a^L,
   and after a chunk of epochs the chunk's loss and MSE come from the core's
   definitions in two calls, with the epochs standing in for the model axis
   of a stack (see nnlib.losses). If some epoch's loss was NaN or infinite,
   the chunk is replayed from its start up to that epoch, so that training
   stops exactly where nnlib.train stops.

The math is the core's: g and g' come from nnlib.activations, L and dL/da
from nnlib.losses, the same functions nnlib.train calls. The numbers are
nnlib.train's up to rounding in the last digits (the tests check 1e-12): the
same initial parameters, the same History.
"""
import warnings
from typing import Optional

import numpy as np

from ..checks import check_data, check_learning_rate, check_positive_int
from ..losses import mse
from ..network import Network
from ..training import DivergedWarning, History

# Epochs between two looks at the loss; the outputs of that many epochs are kept.
CHUNK = 256


class FastTrainer:
    """Full-batch gradient descent on (X, y) for net, as nnlib.train does it.

        trainer = FastTrainer(net, X, y, lr=0.5)
        history = trainer.run(10000)       # the same History as train()
        history = trainer.run(100)         # 100 more epochs, carrying on

    Every activation and loss of the core works, 'bce' included. net's W^l and
    b^l become views into the trainer's parameters: they change as it trains.
    """

    def __init__(self, net: Network, X, y, lr: float = 0.1):
        X, y = check_data(X, y, net.layer_sizes[0], net.layer_sizes[-1])
        self.net = net
        self.lr = check_learning_rate(lr)
        self.y = y
        self.loss = net.loss_function
        self.epoch = 0                  # the number of updates made so far
        self.diverged_at: Optional[int] = None
        self._fold_parameters(net)
        self._allocate_buffers(X)

    def _fold_parameters(self, net):
        """theta = [Theta^1, Theta^2, ...] flat; net's W^l, b^l become views into it."""
        shapes = [(n_out, n_in + 1)
                  for n_in, n_out in zip(net.layer_sizes[:-1], net.layer_sizes[1:])]
        sizes = [rows * cols for rows, cols in shapes]
        self.theta = np.empty(sum(sizes))
        self.step = np.empty(sum(sizes))
        ends = np.cumsum(sizes)
        # Theta[l - 1] is Theta^l, for l = 1 .. L (Python lists count from 0)
        self.Theta = [self.theta[end - size:end].reshape(shape)
                      for end, size, shape in zip(ends, sizes, shapes)]
        self.dTheta = [self.step[end - size:end].reshape(shape)
                       for end, size, shape in zip(ends, sizes, shapes)]
        for l, Theta in enumerate(self.Theta, start=1):
            Theta[:, :-1] = net.weights[l - 1].T
            Theta[:, -1] = net.biases[l - 1]
            net.weights[l - 1], net.biases[l - 1] = Theta[:, :-1].T, Theta[:, -1]

    def _allocate_buffers(self, X):
        """Every array an epoch writes, made once, transposed; lists indexed by l as in the notebooks.

        A[l] = [a^l^T; 1...1] for l = 0 .. L-1 (a[l], that is a^l^T, is a view
        of it without the ones); z[l], delta[l] and g_prime_z[l] = g'(z^l),
        transposed too, for l = 1 .. L (index 0 unused). The outputs a^L^T of
        each epoch of a chunk go to outputs[epoch], and dL/da^L^T to dL_da.
        """
        net, n = self.net, X.shape[0]
        widths = net.layer_sizes
        L = net.n_layers
        self.A = [np.ones((width + 1, n)) for width in widths[:-1]]
        self.A[0][:-1] = X.T
        self.a = [A[:-1] for A in self.A]
        self.z = [None] + [np.empty((width, n)) for width in widths[1:]]
        self.delta = [None] + [np.empty((width, n)) for width in widths[1:]]
        self.g_prime_z = [None] + [np.empty((width, n)) for width in widths[1:]]
        self.outputs = np.empty((CHUNK, widths[-1], n))
        self.dL_da = np.empty((widths[-1], n))
        self.y_T = np.ascontiguousarray(self.y.T)
        layers = [None] + [net.layer_activation(l) for l in range(1, L + 1)]
        self.g = [None] + [layer.g for layer in layers[1:]]
        self.g_prime = [None] + [layer.g_prime for layer in layers[1:]]

    def run(self, epochs: int) -> History:
        """Train `epochs` more epochs; return their History (loss before each update).

        Stops early if the loss becomes NaN or infinite: then History.diverged_at
        counts from the start of this run, trainer.diverged_at from the start
        of training, and later runs do nothing.
        """
        epochs = check_positive_int(epochs, "epochs")
        if self.diverged_at is not None:
            return History(np.empty(0), np.empty(0), diverged_at=0)
        losses, mses = np.empty(epochs), np.empty(epochs)
        y = self.y[:, :, None]             # the targets of a stack of one network
        done = 0
        with np.errstate(over="ignore", invalid="ignore"):
            while done < epochs:
                n = min(CHUNK, epochs - done)
                theta_before = self.theta.copy()
                self._epochs(n)
                # a^L of the chunk's epochs side by side, like a stack's models: (n, k, epochs)
                a_L = self.outputs[:n].T
                losses[done:done + n] = self.loss.function(a_L, y)
                mses[done:done + n] = mse(a_L, y)
                not_finite = np.flatnonzero(~np.isfinite(losses[done:done + n]))
                if not_finite.size:
                    # replay the chunk up to the epoch that diverged, and stop there
                    self.theta[...] = theta_before
                    if not_finite[0] > 0:
                        self._epochs(not_finite[0])
                    done += not_finite[0]
                    self.epoch += not_finite[0]
                    self.diverged_at = self.epoch
                    return History(losses[:done], mses[:done], diverged_at=done)
                done += n
                self.epoch += n
        return History(losses, mses)

    def _epochs(self, epochs):
        """The loop itself: `epochs` updates (at most CHUNK), keeping each epoch's a^L.

        Each layer's arrays are gathered into a tuple first, and numpy's
        functions bound to local names: in a loop of many thousands of tiny
        steps, even list indexing and attribute look-ups show. (A.dot(B) is
        also a little quicker than np.dot(A, B), which first asks its
        arguments whether they want to handle the call themselves.)
        """
        L = len(self.Theta)
        A, a, z, delta, g_prime_z = self.A, self.a, self.z, self.delta, self.g_prime_z
        Theta, dTheta = self.Theta, self.dTheta
        # forward, l = 1 .. L-1:  z^l^T = Theta^l [a^(l-1)^T; 1],  a^l^T = g(z^l^T)
        hidden = [(Theta[l - 1], A[l - 1], z[l], a[l], self.g[l]) for l in range(1, L)]
        Theta_L, A_before_L, z_L, g_L = Theta[L - 1], A[L - 1], z[L], self.g[L]
        # backward, l = L .. 2:  dL/dTheta^l = delta^l^T [a^(l-1), 1],
        #                        delta^(l-1)^T = (W^l delta^l^T) * g'(z^(l-1))^T
        backward = [(delta[l], A[l - 1].T, dTheta[l - 1], Theta[l - 1][:, :-1].T,
                     delta[l - 1], a[l - 1], g_prime_z[l - 1], self.g_prime[l - 1])
                    for l in range(L, 1, -1)]
        delta_1, A0_T, dTheta_1 = delta[1], A[0].T, dTheta[0]
        delta_L, g_prime_z_L, g_prime_L = delta[L], g_prime_z[L], self.g_prime[L]
        loss_gradient, dL_da, lr = self.loss.gradient, self.dL_da, self.lr
        theta, step, y_T = self.theta, self.step, self.y_T
        subtract, multiply = np.subtract, np.multiply

        for a_L in self.outputs[:epochs]:     # this epoch's a^L^T, kept for its loss
            for Theta_l, A_prev, z_l, a_l, g_l in hidden:
                Theta_l.dot(A_prev, out=z_l)
                g_l(z_l, out=a_l)
            Theta_L.dot(A_before_L, out=z_L)
            g_L(z_L, out=a_L)
            # delta^L = lr * dL/da^L * g'(z^L)
            loss_gradient(a_L, y_T, out=dL_da)
            g_prime_L(a_L, out=g_prime_z_L)
            multiply(dL_da, g_prime_z_L, out=delta_L)
            delta_L *= lr
            for (delta_l, A_prev_T, dTheta_l, W_l,
                 delta_prev, a_prev, g_prime_z_prev, g_prime_prev) in backward:
                delta_l.dot(A_prev_T, out=dTheta_l)
                W_l.dot(delta_l, out=delta_prev)
                g_prime_prev(a_prev, out=g_prime_z_prev)
                delta_prev *= g_prime_z_prev
            delta_1.dot(A0_T, out=dTheta_1)
            # theta <- theta - lr * dL/dtheta: every layer in one call
            subtract(theta, step, out=theta)


def train_fast(net: Network, X, y, lr: float = 0.1, epochs: int = 1000) -> History:
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
