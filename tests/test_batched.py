"""A stack of networks trains each one exactly as nnlib.train trains it alone."""
import os
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nnlib import Network, datasets, train
from nnlib.activations import ACTIVATIONS, Activation
from nnlib.fast import FastTrainer
from nnlib.fast.stack import NetworkStack, train_stack
from nnlib.init import init_parameters, make_rng
from nnlib.losses import LOSSES, Loss, mse, per_network
from nnlib.training import DivergedWarning

X, Y = datasets.xor()
# More random architectures: NNLIB_EXAMPLES=2000 pytest tests/test_batched.py
EXAMPLES = int(os.environ.get("NNLIB_EXAMPLES", 40))


def solo(start, X, y, lr, epochs, activation="sigmoid", output_activation=None,
         loss="mse"):
    """Train one network alone from start = (weights, biases); return it and its History."""
    net = Network.from_parameters(*start, activation, output_activation, loss)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        history = train(net, X, y, lr=lr, epochs=epochs)
    return net, history


def draw(layer_sizes, n, seed=0, init="original"):
    rng = make_rng(seed)
    return [init_parameters(layer_sizes, init, rng) for _ in range(n)]


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_in_place_activations_equal_the_library_ones_bit_for_bit(name):
    z = np.random.default_rng(0).normal(0, 30, (4, 3, 50))
    z[0, 0, :3] = [-800.0, 800.0, 0.0]
    g, g_prime = ACTIVATIONS[name].g, ACTIVATIONS[name].g_prime
    a = g(z.copy(), out=z.copy())
    assert np.array_equal(a, g(z))
    assert np.array_equal(g_prime(a, out=np.empty_like(a)), g_prime(a))


@pytest.mark.parametrize("loss", list(LOSSES))
def test_losses_are_taken_per_network(loss):
    rng = np.random.default_rng(1)
    a, y = rng.uniform(0.01, 0.99, (4, 2, 6)), rng.integers(0, 2, (4, 2, 1)).astype(float)
    values, gradient = LOSSES[loss].function(a, y), LOSSES[loss].gradient(a, y)
    written = LOSSES[loss].gradient(a, y, out=np.empty_like(a))
    assert values.shape == (6,) and np.array_equal(written, gradient)
    for m in range(6):
        alone = a[:, :, m], y[:, :, 0]
        assert isinstance(LOSSES[loss].function(*alone), float)
        np.testing.assert_allclose(gradient[:, :, m], LOSSES[loss].gradient(*alone),
                                   rtol=1e-15, atol=0)
        assert values[m] == pytest.approx(LOSSES[loss].function(*alone), rel=1e-15)
        assert mse(a, y)[m] == pytest.approx(mse(*alone), rel=1e-15)


def test_stack_holds_each_network_unchanged():
    starts = draw([2, 3, 4, 1], 5)
    stack = NetworkStack.from_starts(starts, activation="tanh", loss="half_sse")
    assert stack.n_models == 5 and stack.layer_sizes == [2, 3, 4, 1]
    for m, (weights, biases) in enumerate(starts):
        net = stack.network(m)
        for mine, theirs in zip(net.parameters(), [p for W, b in zip(weights, biases)
                                                   for p in (W, b)]):
            assert np.array_equal(mine, theirs)
        np.testing.assert_allclose(stack.forward(X)[:, :, m], net.forward(X), rtol=0,
                                   atol=1e-15)
        assert stack.mse(X, Y)[m] == pytest.approx(net.mse(X, Y), abs=1e-15)


def test_the_original_experiment_trains_the_same_in_a_stack():
    starts = draw([2, 2, 1], 6)
    stack = NetworkStack.from_starts(starts, loss="half_sse")
    history = train_stack(stack, X, Y, lr=0.1, epochs=3000)
    for m, start in enumerate(starts):
        net, alone = solo(start, X, Y, 0.1, 3000, loss="half_sse")
        np.testing.assert_allclose(history.curve(m), alone.mse, rtol=0, atol=1e-12)
        np.testing.assert_allclose(history.outputs[:, :, m], net.forward(X), rtol=0, atol=1e-12)
        assert history.final_mse[m] == pytest.approx(net.mse(X, Y), abs=1e-12)


def amplifies_rounding(start, X, y, lr, epochs, **options):
    """Does this run blow up differences in the last digit?

    Near the edge of stability (a step too big for the curvature), gradient
    descent multiplies any difference every epoch: two correct programs that
    add the same numbers in another order then drift apart. We detect such a
    run by nudging lr by 1e-15 (a rounding-sized change) and comparing.
    """
    net, plain = solo(start, X, y, lr, epochs, **options)
    nudged_net, nudged = solo(start, X, y, lr * (1 + 1e-15), epochs, **options)
    return (plain.diverged_at != nudged.diverged_at
            or not np.allclose(plain.mse, nudged.mse, rtol=1e-14, atol=1e-14)
            or not np.allclose(net.forward(X), nudged_net.forward(X), rtol=1e-14, atol=1e-14))


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True)
@given(hidden=st.lists(st.integers(1, 5), min_size=1, max_size=3),
       activation=st.sampled_from(list(ACTIVATIONS)),
       output_activation=st.sampled_from(list(ACTIVATIONS)),
       loss=st.sampled_from(list(LOSSES)),
       dataset=st.sampled_from(["xor", "or", "parity3"]),
       init=st.sampled_from(["original", "xavier"]),
       lr=st.floats(0.01, 0.5), n_networks=st.integers(1, 6), epochs=st.integers(1, 60),
       seed=st.integers(0, 2**32 - 1))
def test_every_network_of_a_stack_trains_as_it_would_alone(
        hidden, activation, output_activation, loss, dataset, init, lr, n_networks, epochs,
        seed):
    if loss == "bce":
        output_activation = "sigmoid"
    X, y = datasets.load(dataset)
    starts = draw([X.shape[1], *hidden, y.shape[1]], n_networks, seed, init)
    options = dict(activation=activation, output_activation=output_activation, loss=loss)
    stack = NetworkStack.from_starts(starts, **options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergedWarning)
        history = train_stack(stack, X, y, lr=lr, epochs=epochs)
    checked = 0
    for m, start in enumerate(starts):
        if amplifies_rounding(start, X, y, lr, epochs, **options):
            continue     # no two programs could agree to 1e-12 here
        net, alone = solo(start, X, y, lr, epochs, **options)
        assert history.diverged_at[m] == alone.diverged_at
        # 1e-12, and relative to the size for a linear output's unbounded values
        np.testing.assert_allclose(history.curve(m), alone.mse, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(history.outputs[:, :, m], net.forward(X), rtol=1e-12,
                                   atol=1e-12)
        checked += 1
    # An example with nothing checked counts as filtered out: Hypothesis fails the
    # test (Unsatisfiable) rather than pass it if too many examples are.
    assume(checked > 0)


def test_a_new_activation_and_loss_work_in_every_engine(monkeypatch):
    # One definition of g, g', L and dL/da, added to the core's tables, is all it takes.
    def softsign(z, out=None):
        return np.divide(z, 1 + np.abs(z), out=out)

    def softsign_prime(a, out=None):
        return np.power(1 - np.abs(a), 2, out=out)

    def quartic(a, y):
        return per_network(((a - y) ** 4).sum(axis=(0, 1)))

    def quartic_gradient(a, y, out=None):
        return np.multiply(4.0, (a - y) ** 3, out=out)

    monkeypatch.setitem(ACTIVATIONS, "softsign", Activation("softsign", softsign, softsign_prime))
    monkeypatch.setitem(LOSSES, "quartic", Loss("quartic", quartic, quartic_gradient))
    starts = draw([2, 3, 1], 4, seed=11)
    options = dict(activation="softsign", output_activation="sigmoid", loss="quartic")
    history = train_stack(NetworkStack.from_starts(starts, **options), X, Y, lr=0.3, epochs=200)
    for m, start in enumerate(starts):
        _, alone = solo(start, X, Y, 0.3, 200, **options)
        fast = FastTrainer(Network.from_parameters(*start, **options), X, Y, lr=0.3).run(200)
        np.testing.assert_allclose(history.curve(m), alone.mse, rtol=0, atol=1e-12)
        np.testing.assert_allclose(fast.loss, alone.loss, rtol=0, atol=1e-12)


def test_each_network_can_have_its_own_learning_rate():
    starts = draw([2, 4, 1], 3, seed=3)
    lrs = [0.05, 0.5, 2.0]
    history = train_stack(NetworkStack.from_starts(starts, loss="half_sse"), X, Y,
                          lr=lrs, epochs=400)
    for m, (start, lr) in enumerate(zip(starts, lrs)):
        _, alone = solo(start, X, Y, lr, 400, loss="half_sse")
        np.testing.assert_allclose(history.curve(m), alone.mse, rtol=0, atol=1e-12)


def exploding_start():
    """A ReLU network whose first step sends its output to about 1e199: its loss
    overflows at epoch 1 (on the OR data set, whose targets pull the output up)."""
    return ([np.zeros((2, 1)), np.full((1, 1), 1e-100)], [np.array([1e100]), np.array([-0.5])])


def test_a_diverging_network_stops_and_leaves_the_others_alone():
    X, y = datasets.load("or")
    starts = draw([2, 1, 1], 2, seed=5)
    starts.insert(1, exploding_start())
    options = dict(activation="relu", loss="half_sse")
    with pytest.warns(DivergedWarning, match="1 of 3 networks diverged"):
        history = train_stack(NetworkStack.from_starts(starts, **options), X, y, lr=0.1,
                              epochs=50)
    _, alone = solo(starts[1], X, y, 0.1, 50, **options)
    assert alone.diverged_at == 1 and history.diverged_at == [None, 1, None]
    assert np.array_equal(history.curve(1), alone.mse)
    assert np.isnan(history.final_mse[1]) and np.isnan(history.mse[1:, 1]).all()
    for m in (0, 2):
        _, alone = solo(starts[m], X, y, 0.1, 50, **options)
        np.testing.assert_allclose(history.curve(m), alone.mse, rtol=0, atol=1e-12)
        assert np.isfinite(history.final_mse[m])


def test_progress_counts_every_network_epoch():
    counted = []
    train_stack(NetworkStack.from_starts(draw([2, 2, 1], 3)), X, Y, epochs=250,
                progress=counted.append, progress_every=100)
    assert counted == [300, 300, 150]


def test_curves_can_be_left_out():
    stack = NetworkStack.from_starts(draw([2, 2, 1], 3))
    history = train_stack(stack, X, Y, epochs=20, keep_curves=False)
    assert history.mse is None and history.curve(0) is None
    assert history.final_mse.shape == (3,) and history.outputs.shape == (4, 1, 3)


@pytest.mark.parametrize("make, match", [
    (lambda: NetworkStack([2, 2, 1], np.zeros((8, 3))), r"theta must have shape .*\(9, M\)"),
    (lambda: NetworkStack([2, 0, 1], np.zeros((9, 3))), "layer_sizes"),
    (lambda: NetworkStack.from_starts([]), "starts"),
    (lambda: NetworkStack.from_starts(draw([2, 2, 1], 1) + draw([2, 3, 1], 1)),
     "same layer sizes"),
    (lambda: NetworkStack.from_starts(draw([2, 2, 1], 2)).forward(X[:, :1]),
     "X must have 2 column"),
    (lambda: NetworkStack.from_starts(draw([2, 2, 1], 2)).mse(X, Y[:2]),
     "same number of samples"),
    (lambda: NetworkStack.from_starts(draw([2, 2, 1], 2), activation="step"), "activation"),
    (lambda: NetworkStack.from_starts(draw([2, 2, 1], 2), loss="hinge"), "loss"),
    (lambda: NetworkStack.from_starts(draw([2, 2, 1], 2), loss="bce",
                                      output_activation="relu"), "bce"),
])
def test_bad_stacks(make, match):
    with pytest.raises((ValueError, TypeError), match=match):
        make()


@pytest.mark.parametrize("kwargs, match", [
    ({"lr": -1}, "lr"), ({"lr": [0.1, float("nan")]}, "lr"), ({"lr": [0.1, 0.2, 0.3]}, "lr"),
    ({"lr": "fast"}, "lr"), ({"epochs": 0}, "epochs"), ({"epochs": 2.5}, "epochs"),
    ({"X": X[:, :1]}, "X must have 2 column"), ({"y": Y[:3]}, "same number of samples"),
    ({"progress": 5}, "progress"),
])
def test_bad_training_arguments(kwargs, match):
    stack = NetworkStack.from_starts(draw([2, 2, 1], 2))
    arguments = dict(X=X, y=Y, lr=0.1, epochs=5) | kwargs
    with pytest.raises((ValueError, TypeError), match=match):
        train_stack(stack, **arguments)
