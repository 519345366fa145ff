"""Self-checks for notebook 05, deeper networks and vanishing gradients.

    from nnlib.exercises import check
    check("05.1", answer_1)
"""
from functools import lru_cache

import numpy as np

from . import Wrong, exercise, number

NOTEBOOK = "05"

DEEP = [2, 8, 8, 8, 8, 1]          # the deep, narrow network of section 3


def n_parameters(layer_sizes):
    """The sum over layers of n_(l-1) * n_l weights plus n_l biases."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]))


def whole_number(answer, name):
    value = number(answer, name)
    if value != int(value):
        raise Wrong(f"{name} should be a whole number; got {value:g}")
    return int(value)


# --- 05.1: the price of depth at a fixed budget -------------------------------

@exercise("05.1", hint="count each layer's n_(l-1) * n_l weights and n_l biases: for "
                       "[3, h, h, h, 1] the total is a quadratic in h. Compare it with [3, 16, 1].")
def check_width(answer):
    h = whole_number(answer, "the width h")
    budget = n_parameters([3, 16, 1])
    if h < 1:
        raise Wrong(f"a layer needs at least one unit; got h = {h}")
    if n_parameters([3, h, h, h, 1]) > budget:
        raise Wrong(f"[3, {h}, {h}, {h}, 1] has {n_parameters([3, h, h, h, 1])} parameters, "
                    f"more than the {budget} of [3, 16, 1]")
    if n_parameters([3, h + 1, h + 1, h + 1, 1]) <= budget:
        raise Wrong(f"a width of {h + 1} still fits the budget of {budget} parameters")


# --- 05.2: how fast can the error signal shrink? --------------------------------

@exercise("05.2", hint="from delta^(7) back to delta^(1) there are 6 steps back, each "
                       "multiplying the size by at most (largest g') x (largest gain).")
def check_factor(answer):
    factor = number(answer, "the factor")
    right = (0.25 * 2) ** 6                               # 1/64 = 0.015625
    if abs(factor - right) <= 5e-4:                       # also 0.016 and 0.0156, as rounded
        return
    if np.isclose(factor, 1 / right, rtol=1e-2):
        raise Wrong(f"{factor:g} is the inverse: the error signal shrinks, so the factor is below 1")
    for steps in (5, 7):
        if np.isclose(factor, (0.25 * 2) ** steps, rtol=1e-2):
            raise Wrong(f"{factor:g} is (1/4 x 2)^{steps}: count the steps from layer 7 "
                        "back to layer 1 again")
    if np.isclose(factor, 0.25 ** 6, rtol=1e-2):
        raise Wrong(f"{factor:g} leaves out the weights, whose gain may be 2 at every step")
    raise Wrong(f"{factor:g} is not the bound")


# --- 05.3 and 05.4: measuring the error signal ---------------------------------

def error_signal_norms(net, X, y):
    """[||delta^(1)||, ..., ||delta^(L)||]: the backward recursion for the MSE, as in section 3.2."""
    a = net.forward_trace(X)
    L = net.n_layers
    delta = 2 * (a[L] - y) / y.size * net.layer_activation(L).g_prime(a[L])
    norms = [np.linalg.norm(delta)]
    for l in range(L - 1, 0, -1):
        delta = (delta @ net.weights[l].T) * net.layer_activation(l).g_prime(a[l])
        norms.insert(0, np.linalg.norm(delta))
    return norms


def gradient_norms(net, X, y):
    """[||dL/dW1||, ..., ||dL/dWL||]: what a student measures by mistake instead of the deltas."""
    return [np.linalg.norm(dW) for dW in net.gradients(X, y)[0::2]]


@lru_cache(maxsize=None)
def first_over_last(layer_sizes=tuple(DEEP), scale=1.0, measure="delta"):
    """||delta^(1)|| / ||delta^(L)|| (or the same for dL/dW) on XOR for
    Network(layer_sizes, init="xavier", seed=0), every weight matrix times scale."""
    from ..datasets import xor
    from ..network import Network
    X, y = xor()
    net = Network(list(layer_sizes), init="xavier", seed=0)
    for W in net.weights:
        W *= scale
    norms = (error_signal_norms if measure == "delta" else gradient_norms)(net, X, y)
    return float(norms[0] / norms[-1])


def agrees(value, right, digits=2):
    """value matches right to `digits` significant digits, rounded or cut off:
    within one unit of the last digit kept (0.216 accepts 0.21, 0.22 and 0.216)."""
    unit = 10.0 ** (np.floor(np.log10(abs(right))) - digits + 1)
    return abs(value - right) <= unit * (1 + 1e-9)


SMALL = (2, 8, 8, 1)       # the network of exercise 3: two sigmoid hidden layers, L = 3


@exercise("05.3", hint="norms = error_signal_norms(net, X, y) for Network([2, 8, 8, 1], init=\"xavier\", "
                       "seed=0) on XOR; the answer is norms[0] / norms[-1], to 2 or 3 significant digits.")
def check_small_ratio(answer):
    ratio = number(answer, "the ratio")
    right = first_over_last(SMALL)
    if agrees(ratio, right):
        return
    if agrees(ratio, 1 / right):
        raise Wrong("that is the inverse: the ratio asked for is ||delta^(1)|| over ||delta^(3)||, "
                    "the first layer over the output layer")
    if agrees(ratio, first_over_last(SMALL, measure="gradient")):
        raise Wrong("that is the ratio of the gradients ||dLoss/dW^(l)||, which also carry the "
                    "activations a^(l-1); measure the error signals with error_signal_norms")
    if agrees(ratio, 0.25 ** 2) or agrees(ratio, 0.25):
        raise Wrong(f"{ratio:g} is a prediction from the factor 1/4 per layer; the exercise asks "
                    "you to measure the ratio for seed 0")
    raise Wrong(f"{ratio:.3g} is not the ratio for Network([2, 8, 8, 1], init=\"xavier\", seed=0)")


@exercise("05.4", hint="after scaling, norms = error_signal_norms(net, X, y); the answer is "
                       "norms[0] / norms[-1], to 2 or 3 significant digits.")
def check_ratio(answer):
    ratio = number(answer, "the ratio")
    right = first_over_last(scale=4.0)
    if agrees(ratio, right):
        return
    if agrees(ratio, 1 / right):
        raise Wrong("that is the inverse: the ratio asked for is first layer over last layer")
    if agrees(ratio, first_over_last()):
        raise Wrong("that is the ratio of the plain xavier network: multiply every W by 4 first")
    if agrees(ratio, first_over_last(scale=4.0, measure="gradient")) or \
            agrees(ratio, first_over_last(measure="gradient")):
        raise Wrong("that is a ratio of the gradients ||dLoss/dW^(l)||; measure the error "
                    "signals with error_signal_norms")
    raise Wrong(f"{ratio:.3g} is not the ratio for the scaled network of seed 0")


SOLUTIONS = {
    "05.1": 4,
    "05.2": (0.25 * 2) ** 6,
    "05.3": first_over_last(SMALL),
    "05.4": first_over_last(scale=4.0),
}

ALSO_RIGHT = {
    "05.1": [4.0, "4", np.int64(4)],
    "05.2": [1 / 64, "0.015625", 0.016, "0.016", 0.0156, 0.5 ** 6, np.float32(1 / 64), "1/64",
             "1 / 64"],
    "05.3": [0.051, "0.051", 0.0509, 0.05, np.float32(first_over_last(SMALL)),
             np.array([first_over_last(SMALL)])],
    "05.4": [0.22, 0.216, 0.21, "0.22", np.float32(first_over_last(scale=4.0)),
             str(first_over_last(scale=4.0)), np.array([first_over_last(scale=4.0)])],
}

WRONG = {
    "05.1": [5, 3, 16, 4.5, 0, "four"],
    "05.2": [0.5 ** 7, 0.5 ** 5, 0.25 ** 6, 64, 0.5, 1, 0.015, 0.02, "1/0", "1/4"],
    "05.3": [1 / first_over_last(SMALL), first_over_last(SMALL, measure="gradient"), 0.0625,
             0.027, 0.25, first_over_last(), 0.5, 0.0, "small"],
    "05.4": [1 / first_over_last(scale=4.0), first_over_last(), 6.1e-3,
             first_over_last(scale=4.0, measure="gradient"), 0.11, 2.8e-3, 0.68, 1.0, 0.0, "big"],
}
