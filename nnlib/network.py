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
import numpy as np

from .activations import get_activation
from .checks import check_array, check_data, check_layer_sizes
from .init import init_parameters
from .losses import get_loss, mse


class Network:
    """A network of fully connected layers, for example Network([2, 4, 1]).

    layer_sizes       units per layer, inputs first and outputs last
    activation        g for the hidden layers: 'sigmoid', 'tanh' or 'relu'
    output_activation g for the output layer (default: the same as activation)
    loss              'mse', 'half_sse' or 'bce'
    init              'original' (W ~ N(0, 1), b ~ U[0, 1)) or 'xavier'
    seed              an integer, a numpy Generator or a RandomState
    """

    def __init__(self, layer_sizes, activation="sigmoid", output_activation=None,
                 loss="mse", init="original", seed=None):
        self.layer_sizes = check_layer_sizes(layer_sizes)
        self.activation = get_activation(activation)
        self.output_activation = get_activation(
            activation if output_activation is None else output_activation,
            "output_activation")
        self.loss_function = get_loss(loss)
        if loss == "bce" and self.output_activation.name != "sigmoid":
            raise ValueError(
                "loss 'bce' needs outputs in (0, 1): use output_activation='sigmoid'")
        self.weights, self.biases = init_parameters(self.layer_sizes, init, seed)

    @classmethod
    def from_parameters(cls, weights, biases, activation="sigmoid", output_activation=None,
                        loss="mse"):
        """A network with the given W^1 .. W^L and b^1 .. b^L (copied), instead of random ones.

        The layer sizes follow from the shapes: W^l is (units in layer l-1, units in layer l).
        """
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
        net = cls(layer_sizes, activation, output_activation, loss, init="xavier", seed=0)
        net.weights, net.biases = weights, biases
        return net

    def __repr__(self):
        return (f"Network({self.layer_sizes}, activation={self.activation.name!r}, "
                f"output_activation={self.output_activation.name!r}, "
                f"loss={self.loss_function.name!r})")

    @property
    def n_layers(self):
        """L, the number of layers with weights (hidden layers + output layer)."""
        return len(self.weights)

    def parameters(self):
        """[W1, b1, W2, b2, ...]: the arrays themselves, so changing them changes the network."""
        return [p for W, b in zip(self.weights, self.biases) for p in (W, b)]

    def layer_activation(self, l):
        """g for layer l, counting from 1 as the notebooks do: layer L may have its own."""
        return self.output_activation if l == self.n_layers else self.activation

    def forward_trace(self, X):
        """Run the forward pass and keep every a^l: the list a = [a^0 = X, a^1, ..., a^L]."""
        a = [X]
        for l in range(1, self.n_layers + 1):
            W, b = self.weights[l - 1], self.biases[l - 1]      # W^l, b^l
            z = a[l - 1] @ W + b
            a.append(self.layer_activation(l).g(z))
        return a

    def backward(self, a, y):
        """Backpropagate from a forward trace a: [dL/dW1, dL/db1, ..., dL/dWL, dL/dbL]."""
        L = self.n_layers
        delta = self.loss_function.gradient(a[L], y) * self.output_activation.g_prime(a[L])
        gradients = []
        for l in range(L, 0, -1):
            dW = a[l - 1].T @ delta                    # dL/dW^l
            db = delta.sum(axis=0)                     # dL/db^l
            gradients[:0] = [dW, db]
            if l > 1:                                  # delta^(l-1) from delta^l
                W = self.weights[l - 1]                # W^l
                delta = (delta @ W.T) * self.activation.g_prime(a[l - 1])
        return gradients

    def forward(self, X):
        """The outputs a^L, shape (n_samples, n_outputs)."""
        X = check_array(X, "X", self.layer_sizes[0])
        return self.forward_trace(X)[-1]

    def predict(self, X):
        """The outputs rounded to 0 or 1 (threshold 0.5), for classification."""
        return (self.forward(X) >= 0.5).astype(int)

    def loss(self, X, y):
        """The loss being trained, as a float."""
        X, y = check_data(X, y, self.layer_sizes[0], self.layer_sizes[-1])
        return self.loss_function.function(self.forward_trace(X)[-1], y)

    def mse(self, X, y):
        """The mean squared error of the outputs, whatever loss is trained."""
        X, y = check_data(X, y, self.layer_sizes[0], self.layer_sizes[-1])
        return mse(self.forward_trace(X)[-1], y)

    def gradients(self, X, y):
        """dL/dp for every p in parameters(), in the same order and shapes."""
        X, y = check_data(X, y, self.layer_sizes[0], self.layer_sizes[-1])
        return self.backward(self.forward_trace(X), y)
