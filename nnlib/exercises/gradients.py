"""The self-checks of notebook 02, deriving the gradients.

    check("02.1", (delta2_shape, dW2_shape))     # shapes in a 2-5-4-1 network
    check("02.2", factor)                        # the original's loss against the MSE
    check("02.3", delta1_tanh)                   # delta^(1) for tanh hidden units
    check("02.4", delta_out_bce)                 # delta^(L) for the cross-entropy

The functions of 02.3 and 02.4 are called on random, seeded test cases (never a
degenerate one, such as all-zero weights) and compared with the right formula,
which notebook 02 checks against finite differences.
"""
import numpy as np

from ..activations import sigmoid
from . import Unanswered, Wrong, array, call, exercise, number, shown, unanswered

NOTEBOOK = "02"


def shape_of(answer, name):
    """answer as a tuple of ints, such as (4, 4); a list or an array of ints also works."""
    try:
        values = list(answer)
        shape = tuple(int(n) for n in values)
    except (TypeError, ValueError):
        raise Wrong(f"{name} should be a shape such as (2, 5); got {shown(answer)}") from None
    if any(float(n) != s for n, s in zip(values, shape)):
        raise Wrong(f"{name} should hold whole numbers; got {shown(answer)}")
    return shape


@exercise("02.1", hint="delta^(l) has the shape of z^(l): one row per sample and one column "
                       "per unit of layer l; a gradient has the shape of its parameter.")
def shapes_2_5_4_1(answer):
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Wrong(f"the answer should be the pair (delta2_shape, dW2_shape); "
                    f"got {shown(answer)}")
    wrong = [name for name, given, right in zip(("delta2_shape", "dW2_shape"), answer,
                                                [(4, 4), (5, 4)])
             if shape_of(given, name) != right]
    if wrong:
        raise Wrong(f"check {', '.join(wrong)}")


@exercise("02.2", hint="the original's loss is (n * n_out / 2) times the MSE; how many "
                       "samples does datasets.parity(3) have, and how many outputs?")
def original_loss_factor(answer):
    value = number(answer, "the factor")
    if not np.isclose(value, 4.0):
        raise Wrong(f"the gradients of the original's loss are not {value:g} times the MSE's")


# (n samples, hidden units, output units, seed): random cases, none of them degenerate
CASES = [(4, 3, 1, 0), (5, 2, 3, 1)]


def tanh_case(n, hidden, outputs, seed):
    rng = np.random.default_rng(seed)
    a1 = np.tanh(rng.standard_normal((n, hidden)))
    delta2 = rng.standard_normal((n, outputs))
    W2 = rng.standard_normal((hidden, outputs))
    return delta2, W2, a1


@exercise("02.3", hint="only step (f) changes: what is tanh'(z) in terms of a = tanh(z)? "
                       "(See nnlib/activations.py if you are stuck.)")
def tanh_hidden_layer(delta1_tanh):
    for case in CASES:
        delta2, W2, a1 = tanh_case(*case)
        result = call(delta1_tanh, delta2.copy(), W2.copy(), a1.copy(), name="delta1_tanh")
        if unanswered(result):
            raise Unanswered()
        got = array(result, a1.shape, "delta1 (what delta1_tanh returns)")
        if not np.allclose(got, (delta2 @ W2.T) * (1 - a1 ** 2)):
            raise Wrong(f"delta1_tanh gives wrong values (tried {case[0]} samples, "
                        f"{case[1]} hidden units, {case[2]} output unit(s))")


def bce_case(n, seed):
    rng = np.random.default_rng(seed)
    a = sigmoid(rng.standard_normal((n, 1)))
    y = rng.integers(0, 2, (n, 1)).astype(float)
    y[0], y[1] = 0.0, 1.0       # both labels occur
    return a, y


@exercise("02.4", hint="compute d𝓛/da for the cross-entropy, then multiply by a (1 - a). "
                       "Much cancels.")
def cross_entropy_delta(delta_out_bce):
    for n, seed in [(4, 0), (6, 1)]:
        a, y = bce_case(n, seed)
        result = call(delta_out_bce, a.copy(), y.copy(), name="delta_out_bce")
        if unanswered(result):
            raise Unanswered()
        got = array(result, a.shape, "delta (what delta_out_bce returns)")
        if not np.allclose(got, (a - y) / y.size):
            raise Wrong(f"delta_out_bce gives wrong values (tried {n} samples)")


SOLUTIONS = {
    "02.1": ((4, 4), (5, 4)),
    "02.2": 4,
    "02.3": lambda delta2, W2, a1: (delta2 @ W2.T) * (1 - a1 ** 2),
    "02.4": lambda a, y: (a - y) / y.size,
}

ALSO_RIGHT = {
    "02.1": [[[4, 4], [5, 4]], (np.array([4, 4]), (5.0, 4.0))],
    "02.2": ["4", 4.0, np.float64(4.0), "4.0"],
    "02.3": [lambda delta2, W2, a1: np.dot(delta2, W2.T) * (1 - np.square(a1)),
             lambda delta2, W2, a1: (delta2 @ W2.T) * (1 - a1) * (1 + a1)],
    "02.4": [lambda a, y: (a - y) / len(y), lambda a, y: (a - y) / a.shape[0],
             lambda a, y: np.subtract(a, y) / np.size(y)],
}


def _shape_mistake(delta2, W2, a1):
    return (delta2 @ W2) * (1 - a1 ** 2)     # W2 without the transpose: numpy raises


WRONG = {
    "02.1": [((4, 5), (5, 4)), ((4, 4), (4, 5)), ((4, 4), (4, 4)), ((5, 4), (4, 4)),
             "(4, 4), (5, 4)", ((4, 4),)],
    "02.2": [2, 8, 0.25, "2", 16],
    "02.3": [lambda delta2, W2, a1: (delta2 @ W2.T) * a1 * (1 - a1),    # the sigmoid's
             lambda delta2, W2, a1: (delta2 @ W2.T) * (1 - a1),
             lambda delta2, W2, a1: delta2 @ W2.T,
             lambda delta2, W2, a1: (delta2 @ W2.T) * (1 - np.tanh(a1) ** 2),
             _shape_mistake],
    "02.4": [lambda a, y: a - y,
             lambda a, y: (y - a) / y.size,
             lambda a, y: 2 / y.size * (a - y) * a * (1 - a),             # the MSE's
             lambda a, y: (a - y) / (a * (1 - a)) / y.size,               # d𝓛/da only
             lambda a, y: ((a - y) / y.size).ravel()[:2]],
}
