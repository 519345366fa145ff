"""A fully connected network: the forward pass and backpropagation.

For layers l = 1 .. L, with a^0 = X (one sample per row):

    z^l = a^(l-1) W^l + b^l          forward
    a^l = g(z^l)

    delta^L = dL/da^L * g'(z^L)                        backward
    delta^l = (delta^(l+1) W^(l+1)^T) * g'(z^l)
    dL/dW^l = a^(l-1)^T delta^l
    dL/db^l = sum of delta^l over the samples

Notebook 02 derives these formulas.
"""
from typing import List, Optional, Sequence

import numpy as np

from .activations import Activation
from .checks import check_array, check_data, check_layer_sizes, check_network_options
from .init import Seed, init_parameters
from .losses import mse


class Network:
    """A network of fully connected layers, for example Network([2, 4, 1]).

    layer_sizes       units per layer, inputs first and outputs last
    activation        g for the hidden layers: 'sigmoid', 'tanh', 'relu' or 'linear'
    output_activation g for the output layer (default: the same as activation)
    loss              'mse', 'half_sse' or 'bce' (bce needs a sigmoid output)
    init              'original' (W ~ N(0, 1), b ~ U[0, 1)) or 'xavier'
    seed              an integer, a numpy Generator or a RandomState

    weights = [W^1, ..., W^L] and biases = [b^1, ..., b^L]; W^l has shape
    (units in layer l-1, units in layer l). Network.from_parameters builds one
    from given W^l and b^l instead of random ones.
    """

    def __init__(self, layer_sizes: Sequence[int], activation: str = "sigmoid",
                 output_activation: Optional[str] = None, loss: str = "mse",
                 init: str = "original", seed: Seed = None):
        layer_sizes = check_layer_sizes(layer_sizes)
        options = check_network_options(activation, output_activation, loss, init)
        self._set_up(*init_parameters(layer_sizes, init, seed), options)

    @classmethod
    def from_parameters(cls, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray],
                        activation: str = "sigmoid", output_activation: Optional[str] = None,
                        loss: str = "mse") -> "Network":
        """A network with the given W^1 .. W^L and b^1 .. b^L (copied), instead of random ones.

        The layer sizes follow from the shapes: W^l is (units in layer l-1, units in layer l).
        """
        options = check_network_options(activation, output_activation, loss)
        weights = [np.array(W, dtype=float) for W in weights]
        biases = [np.array(b, dtype=float).reshape(-1) for b in biases]
        if not weights or len(weights) != len(biases) or any(W.ndim != 2 for W in weights):
            raise ValueError("weights must be a non-empty list of 2-D arrays W^l, with one "
                             "bias vector b^l for each")
        layer_sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
        for l, (W, b) in enumerate(zip(weights, biases), start=1):
            if W.shape[0] != layer_sizes[l - 1] or b.shape != (layer_sizes[l],):
                raise ValueError(
                    f"layer {l}: W^{l} has shape {W.shape} and b^{l} has shape {b.shape}; "
                    f"expected ({layer_sizes[l - 1]}, {layer_sizes[l]}) and ({layer_sizes[l]},)")
            if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
                raise ValueError(f"layer {l}: W^{l} and b^{l} must be finite")
        net = cls.__new__(cls)            # no random draws: the parameters are given
        net._set_up(weights, biases, options)
        return net

    def _set_up(self, weights, biases, options):
        self.weights: List[np.ndarray] = weights
        self.biases: List[np.ndarray] = biases
        self.layer_sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
        self.activation: Activation = options.activation
        self.output_activation: Activation = options.output_activation
        self.loss_function = options.loss

    def __repr__(self) -> str:
        return (f"Network({self.layer_sizes}, activation={self.activation.name!r}, "
                f"output_activation={self.output_activation.name!r}, "
                f"loss={self.loss_function.name!r})")

    @property
    def n_layers(self) -> int:
        """L, the number of layers with weights (hidden layers + output layer)."""
        return len(self.weights)

    def parameters(self) -> List[np.ndarray]:
        """[W1, b1, W2, b2, ...]: the arrays themselves, so changing them changes the network."""
        return [p for W, b in zip(self.weights, self.biases) for p in (W, b)]

    def layer_activation(self, l: int) -> Activation:
        """g for layer l, counting from 1 as the notebooks do: layer L may have its own."""
        return self.output_activation if l == self.n_layers else self.activation

    def forward_trace(self, X: np.ndarray) -> List[np.ndarray]:
        """Run the forward pass and keep every a^l: the list a = [a^0 = X, a^1, ..., a^L]."""
        a = [X]
        for l in range(1, self.n_layers + 1):
            W, b = self.weights[l - 1], self.biases[l - 1]      # W^l, b^l
            z = a[l - 1] @ W + b
            a.append(self.layer_activation(l).g(z))
        return a

    def backward(self, a: List[np.ndarray], y: np.ndarray) -> List[np.ndarray]:
        """Backpropagate from a forward trace a: [dL/dW1, dL/db1, ..., dL/dWL, dL/dbL]."""
        L = self.n_layers
        delta = self.loss_function.gradient(a[L], y) * self.layer_activation(L).g_prime(a[L])
        gradients = []
        for l in range(L, 0, -1):
            dW = a[l - 1].T @ delta                    # dL/dW^l
            db = delta.sum(axis=0)                     # dL/db^l
            gradients[:0] = [dW, db]
            if l > 1:                                  # delta^(l-1) from delta^l
                W = self.weights[l - 1]                # W^l
                delta = (delta @ W.T) * self.layer_activation(l - 1).g_prime(a[l - 1])
        return gradients

    def forward(self, X) -> np.ndarray:
        """The outputs a^L, shape (n_samples, n_outputs)."""
        X = check_array(X, "X", self.layer_sizes[0])
        return self.forward_trace(X)[-1]

    def predict(self, X) -> np.ndarray:
        """The outputs rounded to 0 or 1 (threshold 0.5), for classification."""
        return (self.forward(X) >= 0.5).astype(int)

    def loss(self, X, y) -> float:
        """The loss being trained, as a float."""
        X, y = check_data(X, y, self.layer_sizes[0], self.layer_sizes[-1])
        return self.loss_function.function(self.forward_trace(X)[-1], y)

    def mse(self, X, y) -> float:
        """The mean squared error of the outputs, whatever loss is trained."""
        X, y = check_data(X, y, self.layer_sizes[0], self.layer_sizes[-1])
        return mse(self.forward_trace(X)[-1], y)

    def gradients(self, X, y) -> List[np.ndarray]:
        """dL/dp for every p in parameters(), in the same order and shapes."""
        X, y = check_data(X, y, self.layer_sizes[0], self.layer_sizes[-1])
        return self.backward(self.forward_trace(X), y)
