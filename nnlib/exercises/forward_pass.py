"""The self-checks of notebook 01, the forward pass.

    check("01.1", answer_1)                      # parameters of a [3, 5, 2] network
    check("01.2", answer_2)                      # shapes of W1, z1, a2
    check("01.3", (w_nor, b_nor))                # a NOR neuron
    check("01.4", (W1_xnor, b1_xnor, W2_xnor, b2_xnor))
    check("01.5", collapse)                      # two linear layers as one
    check("01.6", (W1_parity, b1_parity, W2_parity, b2_parity))
"""
import re

import numpy as np

from .. import datasets
from ..activations import sigmoid
from . import Unanswered, Wrong, array, call, count, exercise, number, shape, shown

NOTEBOOK = "01"
TOLERANCE = 0.1      # every output within 0.1 of its target


def outputs_close(X, outputs, targets):
    """Raise Wrong naming (up to 3 of) the inputs whose output is off by more than TOLERANCE."""
    wrong = [f"input {tuple(int(v) for v in x)} gives {o:.3f}, target {t:.0f}"
             for x, o, t in zip(X, np.ravel(outputs), np.ravel(targets))
             if not abs(o - t) <= TOLERANCE]
    if wrong:
        more = f"; and {len(wrong) - 3} more" if len(wrong) > 3 else ""
        raise Wrong(f"off by more than {TOLERANCE}: " + "; ".join(wrong[:3]) + more)


def numbers_of(answer, name, expected):
    """answer as a finite float array, or Wrong saying what was expected instead."""
    try:
        value = np.array(answer, dtype=float)
    except (TypeError, ValueError):
        raise Wrong(f"{name} should be {expected}; got {shown(answer)}") from None
    if not np.all(np.isfinite(value)):
        raise Wrong(f"{name} contains NaN or infinite values")
    return value


def weight_column(answer, size, name):
    """One neuron's weights: a column (size, 1) as in the notebook, or a flat list of size
    numbers. A row (1, size) is refused: the notebook's neuron(X, w, b) computes X @ w,
    which needs as many rows in w as X has columns."""
    value = numbers_of(answer, name, f"{size} numbers, a column of shape ({size}, 1)")
    if value.shape == (1, size) and size > 1:
        raise Wrong(f"{name} is a row of shape (1, {size}); a neuron's weights are a column "
                    f"of shape ({size}, 1) (or a flat list of {size} numbers), so that X @ "
                    f"{name} multiplies X, of shape (4, {size}), by ({size}, 1)")
    if value.shape not in ((size,), (size, 1)):
        raise Wrong(f"{name} should be a column of shape ({size}, 1), one weight per input; "
                    f"yours has shape {value.shape}")
    return value.reshape(size)


def bias(answer, size, name, product):
    """A layer's biases: one number per unit, flat (size,) as in the notebook (a row
    (1, size), a list, or for one unit a plain number, do too). A column (size, 1) is
    refused when size > 1: product + b would not line up, as the notebook's dense() shows."""
    value = numbers_of(answer, name, f"{size} number(s), one per unit, of shape ({size},)")
    if value.shape == (size, 1) and size > 1:
        raise Wrong(f"{name} is a column of shape ({size}, 1); a layer's biases are a flat "
                    f"array of shape ({size},), one per unit: numpy adds it to every row of "
                    f"{product}, which has {size} columns, and a column ({size}, 1) doesn't "
                    f"line up with those rows")
    if value.size != size or value.ndim > 2 or (value.ndim == 2 and value.shape[0] != 1):
        raise Wrong(f"{name} should hold {size} number(s), one per unit, shape ({size},); "
                    f"yours has shape {value.shape}")
    return value.reshape(size)


def two_layers(answer, sizes):
    """(W1, b1, W2, b2) from an answer tuple, checked against the layer sizes [n0, n1, n2]."""
    if not isinstance(answer, (tuple, list)) or len(answer) != 4:
        raise Wrong(f"the answer should be the four arrays (W1, b1, W2, b2); got {shown(answer)}")
    n0, n1, n2 = sizes
    W1 = array(answer[0], (n0, n1), "W1")
    b1 = bias(answer[1], n1, "b1", "X @ W1")
    W2 = array(answer[2], (n1, n2), "W2")
    b2 = bias(answer[3], n2, "b2", "a1 @ W2")
    return W1, b1, W2, b2


def forward(X, W1, b1, W2, b2):
    return sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2)


# ----------------------------------------------------------------------------- the checks

@exercise("01.1", hint="count each layer's weight matrix (inputs x units) and bias vector "
                       "(units) separately.")
def parameters_of_3_5_2(answer):
    if isinstance(answer, str) and re.fullmatch(r"\s*\d+(\.\d*)?[eE][+-]?\d+\s*", answer):
        answer = float(answer)                 # "3.2e1" is 32, written as Python would print it
    value = count(answer, "the number of parameters")
    if value != 32:
        raise Wrong(f"{value} is not the number of parameters of a [3, 5, 2] network")


@exercise("01.2", hint="W has shape (units in, units out); z and a have one row per sample.")
def shapes(answer):
    if not isinstance(answer, dict):
        raise Wrong(f"the answer should be a dict with the keys 'W1', 'z1', 'a2'; "
                    f"got {shown(answer)}")
    expected = {"W1": (3, 5), "z1": (8, 5), "a2": (8, 2)}
    missing = [key for key in expected if key not in answer]
    if missing:
        raise Wrong(f"the answer has no entry {', '.join(repr(k) for k in missing)}")
    wrong = [key for key, right in expected.items()
             if shape(answer[key], key, ndim=2) != right]
    if wrong:
        raise Wrong(f"check the shape of {', '.join(wrong)}")


@exercise("01.3", hint="z must be clearly positive for (0, 0), where z = b, and clearly "
                       "negative as soon as one input is 1.")
def nor_neuron(answer):
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Wrong(f"the answer should be the pair (w_nor, b_nor); got {shown(answer)}")
    w = weight_column(answer[0], 2, "w_nor")
    b = number(answer[1], "b_nor")
    X, _ = datasets.xor()
    outputs_close(X, sigmoid(X @ w + b), [1.0, 0.0, 0.0, 0.0])


@exercise("01.4", hint="XNOR(x1, x2) = OR(AND(x1, x2), NOR(x1, x2)); you have neurons for "
                       "all three.")
def xnor_network(answer):
    W1, b1, W2, b2 = two_layers(answer, (2, 2, 1))
    X, y = datasets.xor()
    outputs_close(X, forward(X, W1, b1, W2, b2), 1.0 - y)


# Test cases for 01.5: random, so that no product of weights happens to be zero.
COLLAPSE_CASES = [(2, 3, 1, 0), (3, 4, 2, 1)]


@exercise("01.5", hint="expand (X W1 + b1) W2 + b2 and collect the terms that multiply X; "
                       "mind the order of a matrix product: W1 @ W2 is not W2 @ W1.")
def collapse_linear_layers(collapse):
    for n0, n1, n2, seed in COLLAPSE_CASES:
        rng = np.random.default_rng(seed)
        W1, b1 = rng.standard_normal((n0, n1)), rng.standard_normal(n1)
        W2, b2 = rng.standard_normal((n1, n2)), rng.standard_normal(n2)
        result = call(collapse, W1.copy(), b1.copy(), W2.copy(), b2.copy(), name="collapse")
        if result is None:
            raise Wrong("collapse returned None: did you forget `return W_single, b_single`?")
        if isinstance(result, (tuple, list)) and all(part is None for part in result):
            raise Unanswered()                 # the template, not filled in yet
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise Wrong(f"collapse should return the pair (W_single, b_single); "
                        f"got {shown(result)}")
        # The single layer is unique (X W + b = X W' + b' for every X forces W = W', b = b'),
        # so each part can be judged on its own, even while the other is still None.
        sizes = f"(tried layer sizes [{n0}, {n1}, {n2}])"
        verdicts = []
        for part, right, name in ((result[0], W1 @ W2, "W_single"),
                                  (result[1], b1 @ W2 + b2, "b_single")):
            if part is None:
                verdicts.append(f"{name} is still None")
                continue
            value = array(part, (n0, n2), name) if name == "W_single" else bias(part, n2, name, "X @ W_single")
            if not np.allclose(value, right):
                verdicts.append(f"{name} is not right {sizes}")
        if verdicts:
            good = [name for name in ("W_single", "b_single")
                    if not any(v.startswith(name) for v in verdicts)]
            raise Wrong((f"{good[0]} is right; " if good else "") + "; ".join(verdicts))


@exercise("01.6", hint="let hidden neuron j say 1 when at least j of the 3 bits are on "
                       "(j = 1, 2, 3); then the count is odd when h1 - h2 + h3 is 1.")
def parity_network(answer):
    W1, b1, W2, b2 = two_layers(answer, (3, 3, 1))
    X, y = datasets.parity(3)
    outputs_close(X, forward(X, W1, b1, W2, b2), y)


# ----------------------------------------------------------------------------- the tables

_W_AND, _B_AND = np.array([10.0, 10.0]), -15.0
_W_OR, _B_OR = np.array([10.0, 10.0]), -5.0
_W_NAND, _B_NAND = np.array([-10.0, -10.0]), 15.0
_W1 = np.column_stack([_W_OR, _W_NAND])          # the notebook's XOR network
_B1 = np.array([_B_OR, _B_NAND])
_W2 = _W_AND.reshape(2, 1)
_B2 = np.array([_B_AND])

SOLUTIONS = {
    "01.1": 32,
    "01.2": {"W1": (3, 5), "z1": (8, 5), "a2": (8, 2)},
    "01.3": (np.array([-10.0, -10.0]), 5.0),
    "01.4": (np.column_stack([_W_AND, [-10.0, -10.0]]), np.array([_B_AND, 5.0]),
             _W_OR.reshape(2, 1), np.array([_B_OR])),
    "01.5": lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2 + b2),
    "01.6": (np.full((3, 3), 20.0), np.array([-10.0, -30.0, -50.0]),
             np.array([[20.0], [-20.0], [20.0]]), np.array([-10.0])),
}

ALSO_RIGHT = {
    "01.1": ["32", 32.0, np.int64(32), " 32 ", "32.0", "3.2e1"],
    "01.2": [{"W1": [3, 5], "z1": (8, 5), "a2": np.array([8, 2])},
             {"W1": "(3, 5)", "z1": "8, 5", "a2": (8.0, 2.0)},
             {"a2": (8, 2), "z1": (8, 5), "W1": (3, 5), "note": "extra keys are fine"},
             {"W1": "[3, 5]", "z1": "(8, 5)", "a2": " [8, 2] "},                # shapes as text
             {"W1": "3x5", "z1": "8 × 5", "a2": "8 by 2"},                    # as the notebook writes
             {"W1": "3 X 5", "z1": "(8x5)", "a2": "8*2"}],
    "01.3": [([-10, -10], 5), (np.array([[-10.0], [-10.0]]), np.array([5.0])),
             ((-20, -20), "10"), ([[-10.0], [-10.0]], 5.0)],
    "01.4": [(_W1, _B1, -_W2, -_B2),                                  # XOR, output flipped
             (_W1.tolist(), _B1.tolist(), (-_W2).ravel().tolist(), float(-_B2[0])),
             (_W1, _B1.reshape(1, 2), -_W2, -_B2.reshape(1, 1))],               # bias rows
    "01.5": [lambda W1, b1, W2, b2: [np.dot(W1, W2), np.dot(b1, W2) + b2],
             lambda W1, b1, W2, b2: (W1 @ W2, (b1 @ W2 + b2).reshape(1, -1))],
    "01.6": [(np.full((3, 3), 20.0).tolist(), [-10, -30, -50], [20, -20, 20], -10),
             (np.full((3, 3), 20.0), np.array([[-10.0, -30.0, -50.0]]),
              np.array([[20.0], [-20.0], [20.0]]), np.array([[-10.0]]))],
}


def _raises(*args):
    raise ValueError("shapes (2,3) and (1,2) not aligned")


WRONG = {
    "01.1": [31, 30, "25", 25, 10, 32.5, "thirty-two", "3200%", "32%", "31%", 0.32, -32],
    "01.2": [{"W1": (5, 3), "z1": (8, 5), "a2": (8, 2)},
             {"W1": (3, 5), "z1": (5, 8), "a2": (8, 2)},
             {"W1": (3, 5), "z1": (8, 5)},
             {"W1": "5x3", "z1": (8, 5), "a2": (8, 2)},                # the transpose, as text
             {"W1": (3, 5), "z1": "8 × 2", "a2": (8, 2)},
             {"W1": "3x5x1", "z1": (8, 5), "a2": (8, 2)},
             {"W1": "35", "z1": "85", "a2": "82"},                    # not read digit by digit
             {"W1": (3.9, 5.2), "z1": (8, 5), "a2": (8, 2)},          # not truncated to (3, 5)
             {"W1": (3, 5, 1), "z1": (8, 5), "a2": (8, 2)},
             ((3, 5), (8, 5), (8, 2))],
    "01.3": [(_W_OR, _B_OR), (_W_NAND, _B_NAND), (np.array([-1.0, -1.0]), 0.5),
             (np.array([-10.0, -10.0]), -5.0), (np.array([-10.0, -10.0, 0.0]), 5.0),
             np.array([-10.0, -10.0]),
             (np.array([[-10.0, -10.0]]), 5.0)],           # a row (1, 2): X @ w would fail
    "01.4": [(_W1, _B1, _W2, _B2),                                     # XOR, not XNOR
             (_W1.T, _B1, _W2, _B2),
             (np.zeros((2, 2)), np.zeros(2), np.zeros((2, 1)), np.zeros(1)),
             (_W1, _B1, _W2.T, _B2), (_W1, _B1),
             (_W1, _B1.reshape(2, 1), -_W2, -_B2)],       # b1 a column (2, 1): X @ W1 + b1 fails
    "01.5": [lambda W1, b1, W2, b2: (np.zeros((W1.shape[0], W2.shape[1])), b2),
             lambda W1, b1, W2, b2: (W1 @ W2, b2),
             lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2),
             lambda W1, b1, W2, b2: (W2.T @ W1.T, b1 @ W2 + b2),
             lambda W1, b1, W2, b2: W1 @ W2,
             lambda W1, b1, W2, b2: (W2 @ W1, b1 @ W2 + b2),          # numpy raises
             lambda W1, b1, W2, b2: (W1 @ W2, None),                  # b not done yet
             lambda W1, b1, W2, b2: (None, b1 @ W2 + b2),
             _raises,
             np.zeros((2, 1)),
             lambda W1, b1, W2, b2: None,                            # forgot `return`
             lambda W1, b1, W2, b2: (W1 @ W2, (b1 @ W2 + b2).reshape(-1, 1))],  # b a column
    "01.6": [(np.full((3, 3), 20.0), np.array([-10.0, -30.0, -50.0]),
              np.array([[20.0], [20.0], [20.0]]), np.array([-10.0])),
             (np.full((3, 3), 2.0), np.array([-1.0, -3.0, -5.0]),
              np.array([[2.0], [-2.0], [2.0]]), np.array([-1.0])),
             (np.zeros((3, 3)), np.zeros(3), np.zeros((3, 1)), np.zeros(1)),
             (np.full((3, 3), 20.0), np.array([[-10.0], [-30.0], [-50.0]]),  # b1 a column
              np.array([[20.0], [-20.0], [20.0]]), np.array([-10.0]))],
}
