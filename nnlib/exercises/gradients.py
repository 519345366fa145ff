"""The self-checks of notebook 02, deriving the gradients.

    check("02.1", (delta_shape, dW_shape))       # shapes in a 2-5-4-1 network
    check("02.2", dloss_dX)                      # the gradient with respect to the inputs
    check("02.3", delta1_tanh)                   # delta^(1) for tanh hidden units
    check("02.4", delta_out_bce)                 # delta^(L) for the cross-entropy
    check("02.5", factor)                        # appendix A: the original's loss vs the MSE

The functions of 02.2, 02.3 and 02.4 are called on random, seeded test cases (never a
degenerate one, such as all-zero weights), of sizes other than XOR's, and compared with
the right formula, which notebook 02 checks against finite differences. (02.2 judges values
only, so a finite-difference answer, or one that changes the arrays it is given, passes too:
the check hands out copies.)
"""
import numpy as np

from ..activations import sigmoid
from . import Unanswered, Wrong, array, call, exercise, number, shape, shown, unanswered

NOTEBOOK = "02"


def scaled_by(got, right):
    """The factor r when got = r * right for one constant r other than 1, else None."""
    scale = float(np.sum(right * right))
    if scale == 0:
        return None
    r = float(np.sum(got * right)) / scale
    if np.isclose(r, 1.0) or np.isclose(r, 0.0) or not np.allclose(got, r * right):
        return None
    return r


def off_by(name, factor, tried, fix):
    """What is wrong with values that are off, saying so when they are off by a constant."""
    if factor is None:
        return f"{name} gives wrong values ({tried})"
    if np.isclose(factor, -1.0):
        return f"{name} gives the right values with the wrong sign ({tried}): a - y, not y - a"
    return f"{name} gives {factor:.3g} times the right values ({tried}); {fix}"


def column(result, rows, name):
    """result as an array of shape (rows, 1), refusing a flat vector with a reason."""
    if np.ndim(result) == 1 and np.size(result) == rows:
        raise Wrong(f"{name} is a flat vector of shape ({rows},); it must be a column of shape "
                    f"({rows}, 1), like a and y, so that the backward pass can go on with "
                    f"delta @ W.T")
    return array(result, (rows, 1), name)


@exercise("02.1", hint="delta^(l) has the shape of z^(l): one row per sample and one column "
                       "per unit of layer l; a gradient has the shape of its parameter.")
def shapes_2_5_4_1(answer):
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Wrong(f"the answer should be the pair (delta_shape, dW_shape); "
                    f"got {shown(answer)}")
    given = [shape(value, name, ndim=2) for value, name in zip(answer, ("delta_shape",
                                                                     "dW_shape"))]
    wrong = [name for name, value, right in zip(("delta_shape", "dW_shape"), given,
                                                [(4, 4), (5, 4)]) if value != right]
    if wrong and (4, 1) in given:
        raise Wrong(f"check {', '.join(wrong)}: (4, 1) belongs to the output layer, layer 3 "
                    f"of this network (delta^(3) and W^(3) have 1 column); layer 2 is the "
                    f"second hidden layer, with 4 units, fed by the 5 units of layer 1")
    if wrong:
        raise Wrong(f"check {', '.join(wrong)}")


# (n samples, inputs, hidden units, output units, seed): random cases, none degenerate
INPUT_CASES = [(4, 2, 3, 1, 0), (6, 3, 2, 2, 1)]


def input_case(n, inputs, hidden, outputs, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, inputs))
    y = rng.integers(0, 2, (n, outputs)).astype(float)
    W1, b1 = rng.standard_normal((inputs, hidden)), rng.standard_normal(hidden)
    W2, b2 = rng.standard_normal((hidden, outputs)), rng.standard_normal(outputs)
    return X, y, W1, b1, W2, b2


def input_gradient(X, y, W1, b1, W2, b2):
    """d𝓛/dX of the MSE for two sigmoid layers: step (e) once more, into the inputs."""
    a1 = sigmoid(X @ W1 + b1)
    a2 = sigmoid(a1 @ W2 + b2)
    delta2 = 2 / y.size * (a2 - y) * a2 * (1 - a2)
    delta1 = (delta2 @ W2.T) * a1 * (1 - a1)
    return delta1 @ W1.T


def uses_the_notebooks_arrays(function, got):
    """True when got is d𝓛/dX of the arrays X, y, W1, ... that the student's function sees as
    globals (the notebook's), instead of the arrays the check passed in."""
    names = getattr(function, "__globals__", {})
    try:
        arrays = [np.asarray(names[name], dtype=float)
                  for name in ("X", "y", "W1", "b1", "W2", "b2")]
        theirs = input_gradient(*arrays)
    except Exception:       # no such globals, or of shapes that do not fit: not this mistake
        return False
    return theirs.shape == got.shape and np.allclose(got, theirs)


@exercise("02.2", hint="run the backward pass of section 5 down to delta^(1), then take step "
                       "(e) once more, through W^(1) into the inputs; the MSE divides by "
                       "n * n_out = y.size.")
def input_gradients(dloss_dX):
    for case in INPUT_CASES:
        X, y, W1, b1, W2, b2 = input_case(*case)
        result = call(dloss_dX, X.copy(), y.copy(), W1.copy(), b1.copy(), W2.copy(), b2.copy(),
                      name="dloss_dX")
        if unanswered(result):
            raise Unanswered()
        got = array(result, X.shape, "d𝓛/dX (what dloss_dX returns)")
        right = input_gradient(X, y, W1, b1, W2, b2)
        tried = (f"tried {case[0]} samples, {case[1]} inputs, {case[2]} hidden units, "
                 f"{case[3]} output unit(s)")
        if np.allclose(got, right):
            continue
        if uses_the_notebooks_arrays(dloss_dX, got):
            raise Wrong("dloss_dX computes with the notebook's X, y, W1, b1, W2, b2 instead of "
                        "its arguments: the check passes its own random arrays, different "
                        f"from XOR's ({tried}); use the names of the function's arguments")
        factor = scaled_by(got, right)
        if factor is not None and np.isclose(factor, 0.5):
            raise Wrong(f"dloss_dX gives half the right values ({tried}): the derivative of "
                        f"(a - y)^2 is 2 (a - y); keep the factor 2 in 2 / (n * n_out)")
        raise Wrong(off_by("dloss_dX", factor, tried,
                           "check the constant 2 / (n * n_out): take n * n_out from the "
                           "arrays you are given (y.size), not from XOR's 4 samples")
                    + ("" if factor is not None else
                       "; the check gives dloss_dX its own random arrays, so compute only "
                       "from the arguments"))


# (n samples, hidden units, output units, seed): random cases, none of them degenerate
CASES = [(4, 3, 1, 0), (5, 2, 3, 1)]


def tanh_case(n, hidden, outputs, seed):
    rng = np.random.default_rng(seed)
    a1 = np.tanh(rng.standard_normal((n, hidden)))
    delta2 = rng.standard_normal((n, outputs))
    W2 = rng.standard_normal((hidden, outputs))
    return delta2, W2, a1


@exercise("02.3", hint="only step (f) changes: the sigmoid's a (1 - a) becomes tanh'(z), "
                       "written with a = tanh(z) as the exercise shows.")
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


@exercise("02.4", hint="compute d𝓛/da for the cross-entropy, then multiply by a (1 - a); "
                       "much cancels. Divide by n * n_out = y.size, taken from the arrays: the "
                       "check uses other sizes than XOR's 4 samples.")
def cross_entropy_delta(delta_out_bce):
    for n, seed in [(4, 0), (6, 1)]:
        a, y = bce_case(n, seed)
        result = call(delta_out_bce, a.copy(), y.copy(), name="delta_out_bce")
        if unanswered(result):
            raise Unanswered()
        got = column(result, n, "delta (what delta_out_bce returns)")
        right = (a - y) / y.size
        if not np.allclose(got, right):
            raise Wrong(off_by("delta_out_bce", scaled_by(got, right), f"tried {n} samples",
                               "check the constant: divide by y.size (= n here, with one "
                               "output unit), from the arrays you are given"))


@exercise("02.5", hint="the original's loss is (n * n_out / 2) times the MSE; how many "
                       "samples does datasets.parity(3) have, and how many outputs?")
def original_loss_factor(answer):
    value = number(answer, "the factor")
    if not np.isclose(value, 4.0):
        raise Wrong(f"the gradients of the original's loss are not {value:g} times the MSE's")


SOLUTIONS = {
    "02.1": ((4, 4), (5, 4)),
    "02.2": input_gradient,
    "02.3": lambda delta2, W2, a1: (delta2 @ W2.T) * (1 - a1 ** 2),
    "02.4": lambda a, y: (a - y) / y.size,
    "02.5": 4,
}


def _input_gradient_in_steps(X, y, W1, b1, W2, b2):
    z1 = X @ W1 + b1
    a1 = 1 / (1 + np.exp(-z1))
    a2 = 1 / (1 + np.exp(-(a1 @ W2 + b2)))
    n, n_out = y.shape
    delta2 = 2 / (n * n_out) * (a2 - y) * a2 * (1 - a2)
    dloss_da1 = delta2 @ W2.T
    delta1 = dloss_da1 * a1 * (1 - a1)
    return np.dot(delta1, W1.T)


ALSO_RIGHT = {
    "02.1": [[[4, 4], [5, 4]], (np.array([4, 4]), (5.0, 4.0)), ("(4, 4)", "5, 4")],
    "02.2": [_input_gradient_in_steps],
    "02.3": [lambda delta2, W2, a1: np.dot(delta2, W2.T) * (1 - np.square(a1)),
             lambda delta2, W2, a1: (delta2 @ W2.T) * (1 - a1) * (1 + a1)],
    "02.4": [lambda a, y: (a - y) / len(y), lambda a, y: (a - y) / a.shape[0],
             lambda a, y: np.subtract(a, y) / np.size(y)],
    "02.5": ["4", 4.0, np.float64(4.0), "4.0"],
}


def _shape_mistake(delta2, W2, a1):
    return (delta2 @ W2) * (1 - a1 ** 2)     # W2 without the transpose: numpy raises


def _input_gradient_over_4(X, y, W1, b1, W2, b2):
    return input_gradient(X, y, W1, b1, W2, b2) * y.size / 4      # n * n_out taken as 4


def _xor_globals():
    """The notebook's arrays, as a student's function would see them."""
    rng = np.random.RandomState(0)
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    W1, b1 = rng.standard_normal((2, 3)), rng.random_sample(3)
    W2, b2 = rng.standard_normal((3, 1)), rng.random_sample(1)
    return {"X": X, "y": y, "W1": W1, "b1": b1, "W2": W2, "b2": b2,
            "input_gradient": input_gradient}


# dloss_dX(X, y, W1, b1, W2, b2) that reads the notebook's globals instead of its arguments
_ignores_its_arguments = eval("lambda X_, y_, W1_, b1_, W2_, b2_: "
                              "input_gradient(X, y, W1, b1, W2, b2)", _xor_globals())


WRONG = {
    "02.1": [((4, 5), (5, 4)), ((4, 4), (4, 5)), ((4, 4), (4, 4)), ((5, 4), (4, 4)),
             "(4, 4), (5, 4)", ((4, 4),), ((4, 1), (5, 4)), ("44", "54")],
    "02.2": [_input_gradient_over_4, _ignores_its_arguments,
             lambda X, y, W1, b1, W2, b2: input_gradient(X, y, W1, b1, W2, b2).T,
             lambda X, y, W1, b1, W2, b2: input_gradient(X, y, W1, b1, W2, b2) / 2,
             lambda X, y, W1, b1, W2, b2: (input_gradient(X, y, W1, b1, W2, b2) @ W1) @ W1.T,
             lambda X, y, W1, b1, W2, b2: X @ W1 @ W2,                   # the wrong shape
             lambda X, y, W1, b1, W2, b2: np.zeros_like(X)],
    "02.3": [lambda delta2, W2, a1: (delta2 @ W2.T) * a1 * (1 - a1),    # the sigmoid's
             lambda delta2, W2, a1: (delta2 @ W2.T) * (1 - a1),
             lambda delta2, W2, a1: delta2 @ W2.T,
             lambda delta2, W2, a1: (delta2 @ W2.T) * (1 - np.tanh(a1) ** 2),
             _shape_mistake],
    "02.4": [lambda a, y: a - y,
             lambda a, y: (y - a) / y.size,
             lambda a, y: 2 / y.size * (a - y) * a * (1 - a),             # the MSE's
             lambda a, y: (a - y) / (a * (1 - a)) / y.size,               # d𝓛/da only
             lambda a, y: ((a - y) / y.size).ravel()[:2],
             lambda a, y: ((a - y) / y.size).ravel(),                     # flat, not (n, 1)
             lambda a, y: (a - y) / 4],                                   # XOR's n, not y's
    "02.5": [2, 8, 0.25, "2", 16],
}
