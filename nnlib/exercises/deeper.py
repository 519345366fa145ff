"""Self-checks for notebook 05, deeper networks and vanishing gradients.

    from nnlib.exercises import check
    check("05.1", answer_1)
"""
from fractions import Fraction
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


# --- 05.2: how fast can the error term shrink? ----------------------------------

@exercise("05.2", hint="from delta^(7) back to delta^(1) there are 6 steps back, each "
                       "multiplying the size by at most (largest g') x (largest stretch).")
def check_factor(answer):
    if isinstance(answer, str) and "/" in answer:       # "1/64", as the solution writes it
        try:
            answer = float(Fraction(answer.strip()))
        except (ValueError, ZeroDivisionError):
            pass
    factor = number(answer, "the factor")
    right = (0.25 * 2) ** 6                               # 1/64 = 0.015625
    if abs(factor - right) <= 5e-4:                       # also 0.016 and 0.0156, as rounded
        return
    if np.isclose(factor, 1 / right, rtol=1e-2):
        raise Wrong(f"{factor:g} is the inverse: the error term shrinks, so the factor is below 1")
    for steps in (5, 7):
        if np.isclose(factor, (0.25 * 2) ** steps, rtol=1e-2):
            raise Wrong(f"{factor:g} is (1/4 x 2)^{steps}: count the steps from layer 7 "
                        "back to layer 1 again")
    if np.isclose(factor, 0.25 ** 6, rtol=1e-2):
        raise Wrong(f"{factor:g} leaves out the weights, which may stretch by 2 at every step")
    raise Wrong(f"{factor:g} is not the bound")


# --- 05.3: a callback that stops at a target loss ---------------------------------

@lru_cache(maxsize=1)
def epochs_to_loss_below(threshold=0.01):
    """len(history.loss) when training stops at the first loss below threshold."""
    from ..datasets import xor
    from ..network import Network
    from ..training import train
    X, y = xor()
    net = Network([2, 4, 4, 1], activation="tanh", output_activation="sigmoid",
                  init="xavier", seed=0)
    losses = train(net, X, y, lr=1.0, epochs=2000).loss
    return int(np.argmax(losses < threshold)) + 1


@exercise("05.3", hint="the callback receives (epoch, loss) and stops training by returning "
                       "True; len(history.loss) counts the epochs that ran.")
def check_stop_epochs(answer):
    n_epochs = whole_number(answer, "the number of epochs")
    expected = epochs_to_loss_below()
    if n_epochs == expected - 1:
        raise Wrong(f"{n_epochs} is one short: the callback of epoch e runs after epochs "
                    "0..e, that is e + 1 epochs, and len(history.loss) counts them")
    if n_epochs == 2000:
        raise Wrong("2000 is the whole budget: the callback should have stopped training earlier")
    if n_epochs != expected:
        raise Wrong(f"training does not stop after {n_epochs} epochs with that rule")


# --- 05.4: rescuing the sigmoid with larger weights --------------------------------

def gradient_norms(net, X, y):
    """[||dL/dW1||, ..., ||dL/dWL||] at the network's current parameters."""
    return [np.linalg.norm(dW) for dW in net.gradients(X, y)[0::2]]


@lru_cache(maxsize=None)
def first_over_last(scale):
    """||dL/dW1|| / ||dL/dW5|| for Network(DEEP, init="xavier", seed=0), weights times scale."""
    from ..datasets import xor
    from ..network import Network
    X, y = xor()
    net = Network(DEEP, init="xavier", seed=0)
    for W in net.weights:
        W *= scale
    norms = gradient_norms(net, X, y)
    return float(norms[0] / norms[-1])


@exercise("05.4", hint="after scaling, norms = gradient_norms(net, X, y); the answer is "
                       "norms[0] / norms[-1].")
def check_ratio(answer):
    ratio = number(answer, "the ratio")
    right = first_over_last(4.0)
    if np.isclose(ratio, right, rtol=1e-4):
        return
    if np.isclose(ratio, 1 / right, rtol=1e-4):
        raise Wrong("that is the inverse: the ratio asked for is first layer over last layer")
    if np.isclose(ratio, first_over_last(1.0), rtol=1e-4):
        raise Wrong("that is the ratio of the plain xavier network: multiply every W by 4 first")
    raise Wrong(f"{ratio:.3g} is not the ratio for the scaled network of seed 0")


SOLUTIONS = {
    "05.1": 4,
    "05.2": (0.25 * 2) ** 6,
    "05.3": 135,
    "05.4": first_over_last(4.0),
}

ALSO_RIGHT = {
    "05.1": [4.0, "4", np.int64(4)],
    "05.2": [1 / 64, "0.015625", 0.016, "0.016", 0.0156, 0.5 ** 6, np.float32(1 / 64), "1/64"],
    "05.3": [135.0, "135", np.int64(135)],
    "05.4": [np.float32(first_over_last(4.0)), str(first_over_last(4.0)),
             np.array([first_over_last(4.0)])],
}

WRONG = {
    "05.1": [5, 3, 16, 4.5, 0, "four"],
    "05.2": [0.5 ** 7, 0.5 ** 5, 0.25 ** 6, 64, 0.5, 1, 0.015, 0.02, "1/0", "1/4"],
    "05.3": [134, 136, 2000, 135.5, 0],
    "05.4": [1 / first_over_last(4.0), first_over_last(1.0), 1.0, 0.0, "big"],
}
