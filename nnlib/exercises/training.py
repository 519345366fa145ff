"""Self-checks for notebook 03, training by gradient descent.

    from nnlib.exercises import check
    check("03.1", gd_step)
"""
import re
from fractions import Fraction
from functools import lru_cache

import numpy as np

from . import Wrong, array, call, exercise, number, shown

NOTEBOOK = "03"


# --- 03.1: one gradient-descent step, as a function ---------------------------

def step_case():
    """Parameters (a (2, 3) matrix and a (3,) vector), their gradients, and lr = 0.5.

    lr is not 1, and every entry of every gradient is nonzero, so an answer that
    forgets lr, adds the step, or leaves a parameter out cannot pass.
    """
    rng = np.random.RandomState(3)
    params = [rng.uniform(-2, 2, (2, 3)), rng.uniform(-2, 2, 3)]
    grads = [rng.uniform(0.5, 1.5, (2, 3)) * rng.choice([-1, 1], (2, 3)),
             rng.uniform(0.5, 1.5, 3) * rng.choice([-1, 1], 3)]
    return params, grads, 0.5


@exercise("03.1", hint="every parameter array param moves to param - lr * grad, with grad its "
                       "gradient; zip(params, grads) pairs them up, and the function returns "
                       "the list.")
def check_gd_step(gd_step):
    params, grads, lr = step_case()
    expected = [p - lr * g for p, g in zip(params, grads)]
    mine = [p.copy() for p in params]                 # the student may update in place
    result = call(gd_step, mine, [g.copy() for g in grads], lr, name="gd_step")
    if result is None:
        if all(np.allclose(p, e) for p, e in zip(mine, expected)):
            raise Wrong("gd_step updated the parameters in place but returned None; "
                        "end it with `return params`")
        raise Wrong("gd_step returns None; replace the placeholder `return None` with code that "
                    "returns the list of new parameters")
    if isinstance(result, (str, bytes, dict)) or not hasattr(result, "__iter__"):
        raise Wrong(f"gd_step should return a list of arrays; it returned {shown(result)}")
    result = list(result)
    if len(result) != len(expected):
        raise Wrong(f"gd_step should return one array per parameter, {len(expected)}; "
                    f"it returned {len(result)}")
    for k, (new, e, p) in enumerate(zip(result, expected, params)):
        new = array(new, e.shape, name=f"new parameter {k}")
        if np.allclose(new, p):
            raise Wrong(f"new parameter {k} is unchanged: `param = param - lr * grad` inside the "
                        f"loop only rebinds the name param; build a new list, or update with "
                        f"`param -= lr * grad`")
        if np.allclose(new, p + lr * grads[k]):
            raise Wrong(f"new parameter {k} moved along its gradient, uphill; step against it")
        if np.allclose(new, p - grads[k]):
            raise Wrong(f"new parameter {k} moved by the whole gradient; scale the step by lr")
        if not np.allclose(new, e):
            raise Wrong(f"new parameter {k} is not params[{k}] - lr * grads[{k}]")


def gd_step_solution(params, grads, lr):
    return [p - lr * g for p, g in zip(params, grads)]


def gd_step_in_place(params, grads, lr):
    for p, g in zip(params, grads):
        p -= lr * g
    return params


def gd_step_tuple(params, grads, lr):
    return tuple(np.subtract(p, np.multiply(lr, g)) for p, g in zip(params, grads))


def gd_step_rebinds(params, grads, lr):
    for p, g in zip(params, grads):
        p = p - lr * g          # noqa: F841 - the mistake: only the name p changes
    return params


def gd_step_in_place_no_return(params, grads, lr):
    for p, g in zip(params, grads):
        p -= lr * g


def gd_step_uphill(params, grads, lr):
    return [p + lr * g for p, g in zip(params, grads)]


def gd_step_without_lr(params, grads, lr):
    return [p - g for p, g in zip(params, grads)]


def gd_step_first_only(params, grads, lr):
    return [params[0] - lr * grads[0]]


def gd_step_raises(params, grads, lr):
    return [p - lr * g.T for p, g in zip(params, grads)][0] @ params[1].reshape(1, 3)


# --- 03.2: reading a loss curve -----------------------------------------------

@lru_cache(maxsize=1)
def first_epoch_below(threshold=0.01):
    """The first epoch (counted from 0) whose MSE is below threshold: 2-4-1, seed 0, lr 1."""
    from ..datasets import xor
    from ..network import Network
    from ..training import train
    X, y = xor()
    losses = train(Network([2, 4, 1], seed=0), X, y, lr=1.0, epochs=2000).mse
    return int(np.argmax(losses < threshold))


@exercise("03.2", hint="look for the first entry of history.mse below 0.01; "
                       "np.argmax(condition) gives the index of the first True.")
def check_first_epoch(answer):
    epoch = number(answer, "the epoch")
    if epoch != int(epoch):
        raise Wrong(f"the epoch should be a whole number; got {epoch:g}")
    right = first_epoch_below()
    if epoch == right + 1:
        raise Wrong(f"{int(epoch)} is one past it: that counts epochs from 1, "
                    "but history.mse[0] is epoch 0")
    if epoch != right:
        if epoch < right:
            raise Wrong(f"at epoch {int(epoch)} the MSE is still at or above 0.01")
        raise Wrong(f"the MSE went below 0.01 before epoch {int(epoch)}")


# --- 03.3: overshooting that still converges ------------------------------------

@exercise("03.3", hint="here c = 4; which range of eta * c makes 1 - eta * c negative, "
                       "but larger than -1?")
def check_eta(answer):
    eta = number(answer, "eta")
    factor = 1 - eta * 4.0                       # each step multiplies w by this
    if factor == 0:
        raise Wrong(f"with eta = {eta:g} one step lands exactly on 0: no sign change; "
                    "try a larger eta")
    if factor > 0:
        raise Wrong(f"with eta = {eta:g}, w is multiplied by {factor:.2f} every step and "
                    "never changes sign; try a larger eta")
    if factor <= -1:
        raise Wrong(f"with eta = {eta:g}, w is multiplied by {factor:.2f}: |w| does not shrink; "
                    "try a smaller eta")


# --- 03.4: what one unit can learn ---------------------------------------------

GATES = {"xor", "and", "or", "nand"}


@exercise("03.4", hint="one sigmoid unit answers 1 on one side of a straight line "
                       "(notebook 01); which of the four data sets can one line separate?")
def check_learnable(answer):
    if isinstance(answer, str):
        names = [part for part in re.split(r"[^A-Za-z]+", answer) if part]
    elif isinstance(answer, (set, frozenset, list, tuple)):
        names = list(answer)
    else:
        raise Wrong(f"answer with a set of names, such as {{'and', 'or'}}; got {shown(answer)}")
    if not all(isinstance(name, str) for name in names):
        raise Wrong(f"answer with names (strings) such as 'and'; got {shown(answer)}")
    names = {name.strip().lower() for name in names}
    unknown = sorted(names - GATES)
    if unknown:
        raise Wrong(f"not one of the data sets 'xor', 'and', 'or', 'nand': "
                    f"{', '.join(repr(n) for n in unknown)}")
    if "xor" in names:
        raise Wrong("a single unit cannot learn XOR: no straight line separates its 1s from its 0s")
    missing = sorted({"and", "or", "nand"} - names)
    if missing:
        raise Wrong(f"one line also separates the 1s from the 0s of: {', '.join(missing)}")


# --- 03.5: the steepest way down --------------------------------------------------

@exercise("03.5", hint="section 1.2: among all steps of one length, which direction makes "
                       "∇𝓛 · Δ smallest? Take that direction and make the step 1 long.")
def check_steepest(answer):
    try:
        delta = np.ravel(np.array(answer, dtype=float))
    except (TypeError, ValueError):
        raise Wrong(f"Δ should be two numbers, [Δ1, Δ2]; got {shown(answer)}") from None
    delta = array(delta, (2,), name="Δ")
    g = np.array([3.0, -4.0])
    length = float(np.linalg.norm(delta))
    if not np.isclose(length, 1, atol=1e-3):
        raise Wrong(f"Δ has length {length:.3g}; the question asks for a step of length 1")
    if np.allclose(delta, g / 5, atol=1e-3):
        raise Wrong("that Δ points along the gradient: ∇𝓛 · Δ = +5, the steepest way *up*")
    if not np.allclose(delta, -g / 5, atol=1e-3):
        best = -float(np.linalg.norm(g))           # -|∇𝓛|, reached by one direction only
        angle = np.degrees(np.arccos(np.clip(-g @ delta / (length * -best), -1, 1)))
        raise Wrong(f"with your Δ, ∇𝓛 · Δ = {g @ delta:.4f}, but a step of length 1 can reach "
                    f"{best:g}, the smallest value section 1.2 allows, in exactly one "
                    f"direction; yours is {angle:.1f}° away from it")


SOLUTIONS = {
    "03.1": gd_step_solution,
    "03.2": 939,
    "03.3": 0.4,
    "03.4": {"and", "or", "nand"},
    "03.5": [-0.6, 0.8],
}

ALSO_RIGHT = {
    "03.1": [gd_step_in_place, gd_step_tuple, lambda params, grads, lr: list(map(
             lambda p, g: p - lr * g, params, grads))],
    "03.2": [939.0, "939", np.int64(939), np.array([939])],
    "03.3": [0.3, "0.4", 2 / 5, 0.49, np.float32(0.3), "1/3", " 3 / 10 ", Fraction(1, 3)],
    "03.4": [["and", "or", "nand"], {"AND", "Or", " nand "}, ("nand", "or", "and"),
             "and, or, nand", "AND OR NAND", frozenset({"and", "or", "nand"})],
    "03.5": [(-0.6, 0.8), np.array([[-0.6, 0.8]]), np.array([-3, 4]) / 5, ["-0.6", "0.8"]],
}

WRONG = {
    "03.1": [gd_step_rebinds, gd_step_in_place_no_return, gd_step_uphill, gd_step_without_lr,
             gd_step_first_only, gd_step_raises, lambda params, grads, lr: None],
    "03.2": [940, 938, 0, 1000, 939.5, "nine hundred"],
    "03.3": [0.25, 0.5, 0.1, 0.6, -0.4, 1, "fast", "1/4", "1/2", "1/0", "a/b", "1/3/2"],
    "03.4": [{"xor"}, {"and", "or"}, {"and", "or", "nand", "xor"}, "xor", {"and", "or", "nor"},
             {1, 2}, "and or", set()],
    "03.5": [[0.6, -0.8], [-3, 4], [0.8, 0.6], [-1, 0], [-0.6, 0.8, 0.0], "down",
             [-0.59, 0.807]],
}
