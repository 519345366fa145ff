"""The self-checks of notebook 02, deriving the gradients.

    check("02.1", (delta_shape, dW_shape))       # shapes in a 2-5-3-1 network
    check("02.2", dloss_dX)                      # the gradient with respect to the inputs
    check("02.3", delta1_tanh)                   # delta^(1) for tanh hidden units
    check("02.4", delta_out_bce)                 # delta^(L) for the cross-entropy
    check("02.5", factor)                        # appendix A: the original's loss vs the MSE

The functions of 02.2, 02.3 and 02.4 are called on random, seeded test cases (never a
degenerate one, such as all-zero weights), of sizes other than XOR's, and compared with
the right formula, which notebook 02 checks against finite differences. (02.2 judges values
only, so a finite-difference answer, or one that changes the arrays it is given, passes too:
the check hands out copies.) A wrong answer is compared with the mistakes students make
most (sigma' given z, a local derivative left out, the sigmoid's derivative kept for tanh,
the wrong constant, ...) and the verdict names the one it matches.
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


def off_by(name, factor, tried, fix, sign="a - y, not y - a"):
    """What is wrong with values that are off, saying so when they are off by a constant."""
    if factor is None:
        return f"{name} gives wrong values ({tried})"
    if np.isclose(factor, -1.0):
        return f"{name} gives the right values with the wrong sign ({tried}): {sign}"
    return f"{name} gives {factor:.3g} times the right values ({tried}); {fix}"


def column(result, rows, name):
    """result as an array of shape (rows, 1), refusing a flat vector with a reason."""
    if np.ndim(result) == 1 and np.size(result) == rows:
        raise Wrong(f"{name} is a flat vector of shape ({rows},); it must be a column of shape "
                    f"({rows}, 1), like a and y, so that the backward pass can go on with "
                    f"delta @ W.T")
    return array(result, (rows, 1), name)


# The network of exercise 1: 2-5-3-1 on XOR's 4 samples; layer 2 is the second hidden layer.
# The answer, (4, 3) and (5, 3), is not square, so a transposed answer cannot pass.
SHAPES_RIGHT = {"delta_shape": (4, 3), "dW_shape": (5, 3)}


def delta_shape_mistake(value):
    """Why value is not the shape of delta^(2) in the 2-5-3-1 network on 4 samples."""
    if value == (3, 4):
        return ("delta_shape (3, 4) is transposed: delta^(l), like z^(l), has one row per "
                "sample and one column per unit of layer l")
    if value == (4, 5):
        return ("delta_shape (4, 5) has a column for each of the 5 units of layer 1; "
                "delta^(2) belongs to layer 2, the second hidden layer, with 3 units")
    if value == (4, 1):
        return ("delta_shape (4, 1) belongs to the output layer, layer 3 of this network; "
                "layer 2 is the second hidden layer, with 3 units")
    if value == (5, 3):
        return ("delta_shape (5, 3) is the shape of W^(2); delta^(2) has the shape of z^(2), "
                "one row per sample")
    return ("delta_shape should be the shape of z^(2): one row per sample (4) and one column "
            "per unit of layer 2")


def dW_shape_mistake(value):
    """Why value is not the shape of dL/dW^(2) in the 2-5-3-1 network."""
    if value == (3, 5):
        return ("dW_shape (3, 5) is transposed: W^(2) has shape (units in layer 1, units in "
                "layer 2), one row per unit that feeds layer 2")
    if value == (4, 3):
        return ("dW_shape (4, 3) is the shape of delta^(2), with one row per sample; a "
                "gradient has the shape of its parameter, W^(2)")
    if value == (2, 5):
        return "dW_shape (2, 5) is the shape of W^(1); the question asks about W^(2)"
    if value == (3, 1):
        return "dW_shape (3, 1) is the shape of W^(3), the output layer's weights"
    return ("dW_shape should be the shape of W^(2): (units in layer 1, units in layer 2); a "
            "gradient has the shape of its parameter")


@exercise("02.1", hint="delta^(l) has the shape of z^(l): one row per sample and one column "
                       "per unit of layer l; a gradient has the shape of its parameter.")
def shapes_2_5_3_1(answer):
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Wrong(f"the answer should be the pair (delta_shape, dW_shape); "
                    f"got {shown(answer)}")
    delta_shape, dW_shape = (shape(value, name, ndim=2)
                             for value, name in zip(answer, SHAPES_RIGHT))
    mistakes = []
    if delta_shape != SHAPES_RIGHT["delta_shape"]:
        mistakes.append(delta_shape_mistake(delta_shape))
    if dW_shape != SHAPES_RIGHT["dW_shape"]:
        mistakes.append(dW_shape_mistake(dW_shape))
    if mistakes:
        raise Wrong("; ".join(mistakes))


# (n samples, inputs, hidden units, output units, seed): random cases, none degenerate
INPUT_CASES = [(4, 2, 3, 1, 0), (6, 3, 2, 2, 1)]


def input_case(n, inputs, hidden, outputs, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, inputs))
    y = rng.integers(0, 2, (n, outputs)).astype(float)
    W1, b1 = rng.standard_normal((inputs, hidden)), rng.standard_normal(hidden)
    W2, b2 = rng.standard_normal((hidden, outputs)), rng.standard_normal(outputs)
    return X, y, W1, b1, W2, b2


def input_gradient(X, y, W1, b1, W2, b2, prime_of="a", hidden_prime=True,
                   output_prime=True):
    """d𝓛/dX of the MSE for two sigmoid layers: step (e) once more, into the inputs.

    The keyword arguments make the common mistakes, to recognise them: prime_of="z" gives
    sigma' the pre-activation z instead of a (sigmoid_prime(z1)); hidden_prime=False or
    output_prime=False leaves a layer's local derivative a (1 - a) out.
    """
    z1 = X @ W1 + b1
    a1 = sigmoid(z1)
    z2 = a1 @ W2 + b2
    a2 = sigmoid(z2)
    prime1, prime2 = (a1 * (1 - a1), a2 * (1 - a2)) if prime_of == "a" else \
        (z1 * (1 - z1), z2 * (1 - z2))
    delta2 = 2 / y.size * (a2 - y) * (prime2 if output_prime else 1)
    delta1 = (delta2 @ W2.T) * (prime1 if hidden_prime else 1)
    return delta1 @ W1.T


# The mistakes 02.2 recognises: the keyword arguments of input_gradient, and what to say
INPUT_MISTAKES = [
    (dict(prime_of="z"), "sigmoid_prime was given z (z1, z2) instead of a: it computes "
                         "sigma'(z) from the activation, sigmoid_prime(a) = a (1 - a)"),
    (dict(hidden_prime=False), "the hidden layer's local derivative is missing: step (f) "
                               "multiplies delta^(2) W^(2)T by sigma'(z^(1)) = a1 (1 - a1)"),
    (dict(output_prime=False), "the output's local derivative is missing: step (b) "
                               "multiplies 2 / (n * n_out) (a2 - y) by sigma'(z^(2)) = "
                               "a2 (1 - a2)"),
    (dict(hidden_prime=False, output_prime=False),
     "both local derivatives sigma'(z) = a (1 - a) are missing, steps (b) and (f)"),
]


def sizes(n, inputs=None, hidden=None, outputs=None):
    """'tried 6 samples, 3 inputs, 2 hidden units, 2 output units', each count its noun."""
    parts = [(n, "sample"), (inputs, "input"), (hidden, "hidden unit"), (outputs, "output unit")]
    return "tried " + ", ".join(f"{count} {noun}{'s' * (count != 1)}"
                                for count, noun in parts if count is not None)


def divided_by(factor, size, n, loss="the MSE"):
    """What the student's constant divided by, when values are factor times the right ones
    whose constant divides by size = n * n_out: words for the likely mistake, or ""."""
    if factor is None or factor <= 0:
        return ""
    used = size / factor
    if np.isclose(used, n) and n != size:
        return (f"you divided by n = {n}, the number of samples; {loss} averages over all "
                f"n * n_out = y.size = {size} entries of y")
    if np.isclose(used, 4) and size != 4:
        return (f"you divided by 4, XOR's number of samples; take the size from the arrays "
                f"you are given: y.size, here {size}")
    if np.isclose(used, 1):
        return f"you did not divide at all; {loss} divides by n * n_out = y.size"
    return ""


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


@exercise("02.2", hint="Run the backward pass of section 5 down to delta^(1), then take step "
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
        if np.allclose(got, right):
            continue
        tried = sizes(*case[:4])
        if uses_the_notebooks_arrays(dloss_dX, got):
            raise Wrong("dloss_dX computes with the notebook's X, y, W1, b1, W2, b2 instead of "
                        "its arguments: the check passes its own random arrays, different "
                        f"from XOR's ({tried}); use the names of the function's arguments")
        if not np.any(got):
            raise Wrong(f"dloss_dX returns all zeros ({tried}); the inputs do change the loss")
        for mistake, words in INPUT_MISTAKES:
            if np.allclose(got, input_gradient(X, y, W1, b1, W2, b2, **mistake)):
                raise Wrong(f"dloss_dX gives wrong values ({tried}): {words}")
        factor = scaled_by(got, right)
        if factor is not None and np.isclose(factor, 0.5):
            raise Wrong(f"dloss_dX gives half the right values ({tried}): the derivative of "
                        f"(a - y)^2 is 2 (a - y); keep the factor 2 in 2 / (n * n_out)")
        reason = divided_by(factor, y.size, X.shape[0])
        if reason:
            raise Wrong(f"dloss_dX gives {factor:.3g} times the right values ({tried}): "
                        f"{reason}")
        raise Wrong(off_by("dloss_dX", factor, tried,
                           "check the constant 2 / (n * n_out), with n * n_out = y.size")
                    + ("" if factor is not None else
                       "; compare each line with steps (a), (b), (e), (f) of sections 4 and "
                       "5, then (e) once more: delta^(1) W^(1)T"))


# (n samples, hidden units, output units, seed): random cases, none of them degenerate
CASES = [(4, 3, 1, 0), (5, 2, 3, 1)]


def tanh_case(n, hidden, outputs, seed):
    rng = np.random.default_rng(seed)
    a1 = np.tanh(rng.standard_normal((n, hidden)))
    delta2 = rng.standard_normal((n, outputs))
    W2 = rng.standard_normal((hidden, outputs))
    return delta2, W2, a1


# The mistakes 02.3 recognises: delta1_tanh(delta2, W2, a1) -> what is wrong
TANH_MISTAKES = [
    (lambda delta2, W2, a1: (delta2 @ W2.T) * a1 * (1 - a1),
     "a1 (1 - a1) is the sigmoid's derivative; with tanh the local derivative is tanh'(z), "
     "written with a = tanh(z) as derived above the exercise"),
    (lambda delta2, W2, a1: (delta2 @ W2.T) * (1 - np.tanh(a1) ** 2),
     "a1 already is tanh(z1): applying np.tanh to it again computes tanh(tanh(z1)); write "
     "tanh'(z1) with a1 itself"),
    (lambda delta2, W2, a1: (delta2 @ W2.T) * (1 - a1),
     "1 - a1 is not tanh'(z1): look again at the last step of the derivation above the "
     "exercise"),
    (lambda delta2, W2, a1: (delta2 @ W2.T) * (1 - a1) ** 2,
     "(1 - a1)^2 is not 1 - a1^2: square a1 first, then subtract"),
    (lambda delta2, W2, a1: delta2 @ W2.T,
     "delta2 @ W2.T is only d𝓛/da^(1), step (e); delta^(1) = d𝓛/dz^(1) still needs the "
     "local derivative of the hidden activation"),
    (lambda delta2, W2, a1: (delta2 @ W2.T) * (1 - np.tanh(a1)),
     "a1 already is tanh(z1), and 1 - tanh is not tanh'"),
]


@exercise("02.3", hint="Go through steps (a)-(g) and find the one where the hidden layer's "
                       "activation function enters; there, use tanh'(z), written with "
                       "a = tanh(z) as the exercise shows.")
def tanh_hidden_layer(delta1_tanh):
    for case in CASES:
        delta2, W2, a1 = tanh_case(*case)
        result = call(delta1_tanh, delta2.copy(), W2.copy(), a1.copy(), name="delta1_tanh")
        if unanswered(result):
            raise Unanswered()
        got = array(result, a1.shape, "delta1 (what delta1_tanh returns)")
        right = (delta2 @ W2.T) * (1 - a1 ** 2)
        if np.allclose(got, right):
            continue
        tried = sizes(case[0], hidden=case[1], outputs=case[2])
        for mistake, words in TANH_MISTAKES:
            if np.allclose(got, mistake(delta2, W2, a1)):
                raise Wrong(f"delta1_tanh gives wrong values ({tried}): {words}")
        raise Wrong(off_by("delta1_tanh", scaled_by(got, right), tried,
                           "no constant changes in this step",
                           sign="tanh'(z) = 1 - a^2 is positive, like the sigmoid's; check "
                                "the sign of each factor"))


def bce_case(n, seed):
    rng = np.random.default_rng(seed)
    a = sigmoid(rng.standard_normal((n, 1)))
    y = rng.integers(0, 2, (n, 1)).astype(float)
    y[0], y[1] = 0.0, 1.0       # both labels occur
    return a, y


# The mistakes 02.4 recognises: delta_out_bce(a, y) -> what is wrong
BCE_MISTAKES = [
    (lambda a, y: (a - y) / (a * (1 - a)) / y.size,
     "that is d𝓛/da, the first step; delta = d𝓛/dz still needs the sigmoid's local "
     "derivative sigma'(z) = a (1 - a), and then much cancels"),
    (lambda a, y: 2 / y.size * (a - y) * a * (1 - a),
     "that is the MSE's delta, 2/n (a - y) a (1 - a); the cross-entropy has its own d𝓛/da"),
    (lambda a, y: (a - y) * a * (1 - a) / y.size,
     "the factor a (1 - a) should cancel: d𝓛/da of the cross-entropy has a (1 - a) in its "
     "denominator"),
    (lambda a, y: (a - y) / (a * (1 - a)) / y.size * a * (1 - a) * a * (1 - a),
     "sigma'(z) = a (1 - a) is multiplied in twice"),
]


@exercise("02.4", hint="Compute d𝓛/da for the cross-entropy, then multiply by a (1 - a); "
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
        if np.allclose(got, right):
            continue
        tried = sizes(n)
        for mistake, words in BCE_MISTAKES:
            if np.allclose(got, mistake(a, y)):
                raise Wrong(f"delta_out_bce gives wrong values ({tried}): {words}")
        factor = scaled_by(got, right)
        reason = divided_by(factor, y.size, n, loss="the cross-entropy")
        if reason:
            raise Wrong(f"delta_out_bce gives {factor:.3g} times the right values ({tried}): "
                        f"{reason}")
        raise Wrong(off_by("delta_out_bce", factor, tried,
                           "check the constant: divide by y.size (= n here, with one "
                           "output unit), from the arrays you are given"))


# The answers to 02.5 a student is likely to give instead of the factor, and why not
FACTOR_MISTAKES = {
    0.4: "0.4 answers the second question, the learning rate on the MSE; the check asks for "
         "the first, the factor between the gradients",
    8.0: "8 is n * n_out, the number of squared errors the original sums; its loss also "
         "halves that sum",
    16.0: "the original's loss halves the sum: the factor is n * n_out / 2, not 2 n * n_out",
    2.0: "2 is the factor for XOR's 4 samples; parity(3) has more",
    0.25: "that is the inverse, the MSE's gradients over the original's",
}


@exercise("02.5", hint="The original's loss is (n * n_out / 2) times the MSE; how many "
                       "samples does datasets.parity(3) have, and how many outputs?")
def original_loss_factor(answer):
    value = number(answer, "the factor")
    if np.isclose(value, 4.0):
        return
    for mistake, words in FACTOR_MISTAKES.items():
        if np.isclose(value, mistake):
            raise Wrong(words)
    raise Wrong(f"the gradients of the original's loss are not {value:g} times the MSE's")


SOLUTIONS = {
    "02.1": ((4, 3), (5, 3)),
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
    "02.1": [[[4, 3], [5, 3]], (np.array([4, 3]), (5.0, 3.0)), ("(4, 3)", "5, 3"), ("4x3", "5 × 3"),
             [(4, 3), [5, 3]]],
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


def _input_gradient_over_samples(X, y, W1, b1, W2, b2):
    return input_gradient(X, y, W1, b1, W2, b2) * y.size / X.shape[0]   # n, not n * n_out


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
    "02.1": [((3, 4), (5, 3)),            # delta transposed: (units, samples)
             ((4, 3), (3, 5)),            # dW transposed
             ((4, 5), (5, 3)),            # layer 1's 5 units
             ((4, 1), (3, 1)),            # the output layer's shapes
             ((4, 3), (4, 3)),            # dW given delta's shape
             ((4, 3), (2, 5)),            # W^(1)'s shape
             ((5, 3), (4, 3)),            # the two swapped
             ((4, 4), (5, 4)),            # the old 2-5-4-1 answer
             "(4, 3), (5, 3)", ((4, 3),), ("43", "53")],
    "02.2": [_input_gradient_over_4, _ignores_its_arguments,
             lambda X, y, W1, b1, W2, b2: input_gradient(X, y, W1, b1, W2, b2).T,
             lambda X, y, W1, b1, W2, b2: input_gradient(X, y, W1, b1, W2, b2) / 2,
             lambda X, y, W1, b1, W2, b2: (input_gradient(X, y, W1, b1, W2, b2) @ W1) @ W1.T,
             lambda X, y, W1, b1, W2, b2: X @ W1 @ W2,                   # the wrong shape
             lambda X, y, W1, b1, W2, b2: np.zeros_like(X),
             lambda X, y, W1, b1, W2, b2: input_gradient(X, y, W1, b1, W2, b2, prime_of="z"),
             lambda X, y, W1, b1, W2, b2: input_gradient(X, y, W1, b1, W2, b2,
                                                         hidden_prime=False),
             lambda X, y, W1, b1, W2, b2: input_gradient(X, y, W1, b1, W2, b2,
                                                         output_prime=False),
             _input_gradient_over_samples],
    "02.3": [lambda delta2, W2, a1: (delta2 @ W2.T) * a1 * (1 - a1),    # the sigmoid's
             lambda delta2, W2, a1: (delta2 @ W2.T) * (1 - a1),
             lambda delta2, W2, a1: delta2 @ W2.T,
             lambda delta2, W2, a1: (delta2 @ W2.T) * (1 - np.tanh(a1) ** 2),
             lambda delta2, W2, a1: (delta2 @ W2.T) * (1 - a1) ** 2,
             lambda delta2, W2, a1: -(delta2 @ W2.T) * (1 - a1 ** 2),
             _shape_mistake],
    "02.4": [lambda a, y: a - y,
             lambda a, y: (y - a) / y.size,
             lambda a, y: 2 / y.size * (a - y) * a * (1 - a),             # the MSE's
             lambda a, y: (a - y) / (a * (1 - a)) / y.size,               # d𝓛/da only
             lambda a, y: ((a - y) / y.size).ravel()[:2],
             lambda a, y: ((a - y) / y.size).ravel(),                     # flat, not (n, 1)
             lambda a, y: (a - y) / 4,                                    # XOR's n, not y's
             lambda a, y: (a - y) * a * (1 - a) / y.size],                # kept sigma'

    "02.5": [2, 8, 0.25, "2", 16, 0.4, "0.4", 3],
}
