"""Activation functions g(z) and their derivatives.

Each derivative is written in terms of the activation a = g(z), because the
forward pass has already computed a:

    sigmoid:  g'(z) = a (1 - a)
    tanh:     g'(z) = 1 - a^2
    relu:     g'(z) = 1 if a > 0 else 0      (a > 0 exactly when z > 0)
    linear:   g'(z) = 1                      (g(z) = z: no squashing at all)
"""
from collections import namedtuple

import numpy as np

Activation = namedtuple("Activation", ["name", "function", "derivative"])


def sigmoid(z):
    """The logistic function 1 / (1 + e^-z), squashing z into (0, 1).

    For very negative z, e^-z would overflow; we cap z at -700, where the
    sigmoid is already below 1e-304, so no warning is raised for any z.
    """
    return 1.0 / (1.0 + np.exp(-np.maximum(z, -700.0)))


def sigmoid_derivative(a):
    return a * (1.0 - a)


def tanh(z):
    """The hyperbolic tangent, squashing z into (-1, 1)."""
    return np.tanh(z)


def tanh_derivative(a):
    return 1.0 - a * a


def relu(z):
    """The rectified linear unit max(0, z)."""
    return np.maximum(z, 0.0)


def relu_derivative(a):
    return (a > 0.0).astype(float)


def linear(z):
    """The identity z: an output layer for unbounded targets, as in regression."""
    return z


def linear_derivative(a):
    return np.ones_like(a)


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_derivative),
    "tanh": Activation("tanh", tanh, tanh_derivative),
    "relu": Activation("relu", relu, relu_derivative),
    "linear": Activation("linear", linear, linear_derivative),
}


def get_activation(name, parameter="activation"):
    """Look up an activation by name; the error lists the accepted names."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        accepted = ", ".join(repr(n) for n in ACTIVATIONS)
        raise ValueError(f"{parameter} must be one of {accepted}; got {name!r}")
    return ACTIVATIONS[name]
