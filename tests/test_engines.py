"""The three engines agree: nnlib.train, FastTrainer and a NetworkStack.

All three compute the same math from the same definitions (nnlib.activations,
nnlib.losses); only the order of some sums differs. So wherever gradient
descent is well behaved they must agree to 1e-12: the loss curves, the MSE
curves and the final outputs, for every activation, output activation, loss
and depth.

Well behaved means: a rounding-sized change does not grow. Near the edge of
stability (a step too big for the curvature), or where a deep tanh network
leaves a saddle, gradient descent magnifies any last-digit difference every
epoch, and no two programs that add in a different order agree for long,
nnlib.train and itself included. The grid below stays small (lr 0.02 and 0.2,
2,000 epochs); a case that still disagrees must be one where nnlib.train
disagrees with itself when lr moves by 1e-15. Those are counted, and must stay
few.
"""
import itertools
import warnings

import numpy as np
import pytest

from nnlib import ACTIVATIONS, LOSSES, Network, datasets, train
from nnlib.fast import FastTrainer, NetworkStack, train_stack
from nnlib.init import init_parameters, make_rng

X, Y = datasets.xor()
EPOCHS = 2000
LRS = (0.02, 0.2)
HIDDEN = {1: [3], 2: [3, 3], 3: [3, 3, 3]}   # depth (hidden layers) -> widths


def output_activations(activation, loss):
    """The output layer: a sigmoid, and also the hidden layers' g (bce needs a sigmoid)."""
    if loss == "bce" or activation == "sigmoid":
        return ["sigmoid"]
    return ["sigmoid", activation]


# every activation as hidden and as output layer, with every loss, at every depth
OPTIONS = [(activation, output, loss, depth)
           for activation, loss, depth in itertools.product(ACTIVATIONS, LOSSES, HIDDEN)
           for output in output_activations(activation, loss)]
CHECKED = []    # (options, lr) of every case compared, for test_enough_cases_were_checked


def quietly(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def train_alone(start, lr, options):
    net = Network.from_parameters(*start, **options)
    return net, quietly(train, net, X, Y, lr=lr, epochs=EPOCHS)


def agree(first, second, tolerance=1e-12):
    """Two (loss or MSE curve, outputs) pairs agree, relative to size for unbounded outputs."""
    (curve_1, outputs_1), (curve_2, outputs_2) = first, second
    return (len(curve_1) == len(curve_2)
            and np.allclose(curve_1, curve_2, rtol=tolerance, atol=tolerance)
            and np.allclose(outputs_1, outputs_2, rtol=tolerance, atol=tolerance))


def amplifies_rounding(start, lr, options):
    """Does nnlib.train itself move beyond 1e-14 when lr moves by a rounding error (1e-15)?"""
    net, plain = train_alone(start, lr, options)
    nudged_net, nudged = train_alone(start, lr * (1 + 1e-15), options)
    return not agree((plain.loss, net.forward(X)), (nudged.loss, nudged_net.forward(X)), 1e-14)


@pytest.mark.parametrize("activation, output_activation, loss, depth", OPTIONS)
def test_the_three_engines_agree(activation, output_activation, loss, depth):
    options = dict(activation=activation, output_activation=output_activation, loss=loss)
    start = init_parameters([2, *HIDDEN[depth], 1], "xavier", make_rng(depth))
    stack = NetworkStack.from_starts([start] * len(LRS), **options)
    stacked = quietly(train_stack, stack, X, Y, lr=list(LRS), epochs=EPOCHS)
    for m, lr in enumerate(LRS):
        net, plain = train_alone(start, lr, options)
        fast_net = Network.from_parameters(*start, **options)
        fast = quietly(FastTrainer(fast_net, X, Y, lr=lr).run, EPOCHS)
        outputs = net.forward(X)
        same = (plain.diverged_at == fast.diverged_at == stacked.diverged_at[m]
                and agree((fast.loss, fast_net.forward(X)), (plain.loss, outputs))
                and agree((fast.mse, fast_net.forward(X)), (plain.mse, outputs))
                and agree((stacked.curve(m), stacked.outputs[:, :, m]), (plain.mse, outputs)))
        if not same:
            assert amplifies_rounding(start, lr, options), (
                f"the engines disagree at lr {lr}, although nnlib.train is well behaved there")
            continue
        if plain.diverged_at is None:
            assert agree((plain.mse, stack.network(m).forward(X)), (plain.mse, outputs))
        CHECKED.append((activation, output_activation, loss, depth, lr))


def test_enough_cases_were_checked():
    """Every option combination was compared at least once, and most cases were."""
    if not CHECKED:
        pytest.fail("run test_the_three_engines_agree first (in the same session)")
    assert len(OPTIONS) == 54      # (7 + 7 + 4 activation pairs for mse, half_sse, bce) x 3 depths
    assert {case[:4] for case in CHECKED} == set(OPTIONS)
    assert len(CHECKED) >= 0.9 * len(OPTIONS) * len(LRS)


@pytest.mark.parametrize("loss", list(LOSSES))
def test_fast_trainer_history_does_not_depend_on_how_runs_are_split(loss):
    # FastTrainer computes the loss in chunks afterwards: the chunks must not show.
    X5, y5 = datasets.parity(5)
    whole = FastTrainer(Network([5, 6, 1], loss=loss, seed=3), X5, y5, lr=0.5).run(600)
    trainer = FastTrainer(Network([5, 6, 1], loss=loss, seed=3), X5, y5, lr=0.5)
    parts = [trainer.run(epochs) for epochs in [1] * 40 + [7, 1, 300, 252]]
    assert trainer.epoch == 600
    assert np.concatenate([h.loss for h in parts]).tobytes() == whole.loss.tobytes()
    assert np.concatenate([h.mse for h in parts]).tobytes() == whole.mse.tobytes()
