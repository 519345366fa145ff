"""A plain re-implementation of the original library's training loop.

Written from the description in shared/origin/ABOUT.md, in the style of the
original: one hidden layer, sigmoid everywhere, weights (fan_in, fan_out) from
N(0, 1), biases (1, fan_out) from U[0, 1), drawn W1, b1, W2, b2 from numpy's
legacy global generator; full-batch gradient descent on
L = 1/2 * sum((y - y_hat)^2), recording the mean squared error every epoch.

It is the yardstick the benchmarks compare nnlib against, and the tests check
that nnlib reproduces its numbers.
"""
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_prime(s):
    return s * (1 - s)


class TwoLayerPerceptron:
    def __init__(self, input_size, hidden_size, output_size):
        self.W1 = np.random.randn(input_size, hidden_size)
        self.b1 = np.random.rand(1, hidden_size)
        self.W2 = np.random.randn(hidden_size, output_size)
        self.b2 = np.random.rand(1, output_size)

    def forward(self, X):
        self.h = sigmoid(X @ self.W1 + self.b1)
        self.out = sigmoid(self.h @ self.W2 + self.b2)
        return self.out

    def backward(self, X, y, lr):
        delta2 = (self.out - y) * sigmoid_prime(self.out)
        delta1 = (delta2 @ self.W2.T) * sigmoid_prime(self.h)
        self.W2 -= lr * (self.h.T @ delta2)
        self.b2 -= lr * np.sum(delta2, axis=0, keepdims=True)
        self.W1 -= lr * (X.T @ delta1)
        self.b1 -= lr * np.sum(delta1, axis=0, keepdims=True)

    def train(self, X, y, epochs, lr):
        losses = []
        for _ in range(epochs):
            out = self.forward(X)
            losses.append(np.mean((y - out) ** 2))
            self.backward(X, y, lr)
        return losses


XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_y = np.array([[0], [1], [1], [0]], dtype=float)


def original_sweep(hidden_sizes=(2, 4, 8, 16), lr=0.1, epochs=10000, seed=0):
    """The original experiments.py: one network per hidden size, from one seeded stream."""
    np.random.seed(seed)
    results = []
    for hidden in hidden_sizes:
        net = TwoLayerPerceptron(2, hidden, 1)
        losses = net.train(XOR_X, XOR_y, epochs, lr)
        predictions = net.forward(XOR_X)
        results.append((hidden, losses, predictions))
    return results
