"""The network's math: gradients against finite differences, learning, determinism."""
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import Network, datasets, numerical_gradients, train

ACTIVATIONS = sorted(nnlib.ACTIVATIONS)
LOSSES = sorted(nnlib.LOSSES)


@st.composite
def problems(draw):
    """A random architecture, activation, loss and data set."""
    sizes = draw(st.lists(st.integers(1, 5), min_size=2, max_size=5))
    activation = draw(st.sampled_from(ACTIVATIONS))
    loss = draw(st.sampled_from(LOSSES))
    output_activation = "sigmoid" if loss == "bce" else draw(st.sampled_from(ACTIVATIONS))
    init = draw(st.sampled_from(["original", "xavier"]))
    seed = draw(st.integers(0, 2**32 - 1))
    n_samples = draw(st.integers(1, 6))
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, sizes[0]))
    y = rng.uniform(size=(n_samples, sizes[-1]))
    net = Network(sizes, activation=activation, output_activation=output_activation,
                  loss=loss, init=init, seed=rng)
    return net, X, y


def near_a_relu_kink(net, X, margin=1e-4):
    """ReLU has no derivative at z = 0, so finite differences there disagree with any choice."""
    activations = net.forward_trace(X)
    for l, (a, W, b) in enumerate(zip(activations, net.weights, net.biases)):
        if net.layer_activation(l).name == "relu" and np.any(np.abs(a @ W + b) < margin):
            return True
    return False


@settings(max_examples=150, deadline=None)
@given(problems())
def test_gradients_agree_with_finite_differences(problem):
    net, X, y = problem
    assume(not near_a_relu_kink(net, X))
    if net.loss_function.name == "bce":
        # log(1 - a) for a within 1e-4 of 1 loses digits that finite differences need
        a = net.forward(X)
        assume(np.all(np.minimum(a, 1 - a) > 1e-4))
    exact = net.gradients(X, y)
    estimates = numerical_gradients(net, X, y, eps=1e-6)
    assert [g.shape for g in exact] == [p.shape for p in net.parameters()]
    for g, e in zip(exact, estimates):
        scale = max(np.abs(g).max(), np.abs(e).max(), 1e-3)
        np.testing.assert_allclose(g, e, rtol=0, atol=1e-6 * scale)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", LOSSES)
def test_every_activation_and_loss_passes_the_gradient_check(activation, loss):
    output_activation = "sigmoid" if loss == "bce" else activation
    net = Network([3, 4, 3, 2], activation=activation, output_activation=output_activation,
                  loss=loss, seed=7)
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    assert nnlib.check_gradients(net, X, y) < 1e-6


def test_forward_shapes_and_loss_is_a_float():
    net = Network([2, 4, 4, 1], seed=0)
    X, y = datasets.xor()
    assert net.forward(X).shape == (4, 1)
    assert isinstance(net.loss(X, y), float)
    assert [p.shape for p in net.parameters()] == [(2, 4), (4,), (4, 4), (4,), (4, 1), (1,)]


def test_parameters_are_the_network_itself():
    net = Network([2, 3, 1], seed=0)
    X, y = datasets.xor()
    before = net.loss(X, y)
    net.parameters()[0][0, 0] += 1.0
    assert net.loss(X, y) != before


def test_a_2_4_1_network_learns_xor():
    X, y = datasets.xor()
    net = Network([2, 4, 1], seed=0)
    history = train(net, X, y, lr=0.5, epochs=10000)
    assert not history.diverged
    assert np.array_equal(net.predict(X), y)
    assert history.loss[-1] < history.loss[0] / 10


@pytest.mark.parametrize("name", sorted(datasets.DATASETS))
def test_every_dataset_is_learnable(name):
    X, y = datasets.load(name)
    net = Network([X.shape[1], 8, 1], activation="tanh", output_activation="sigmoid",
                  loss="bce", init="xavier", seed=3)
    train(net, X, y, lr=1.0, epochs=3000)
    assert np.array_equal(net.predict(X), y)


def test_the_same_seed_gives_a_bit_identical_loss_curve():
    X, y = datasets.xor()
    curves = []
    for _ in range(2):
        net = Network([2, 4, 4, 1], activation="tanh", output_activation="sigmoid", seed=42)
        curves.append(train(net, X, y, lr=0.3, epochs=500).loss)
    assert curves[0].tobytes() == curves[1].tobytes()


def test_seed_generator_and_randomstate_choose_the_draws():
    a = Network([2, 3, 1], seed=5).parameters()
    b = Network([2, 3, 1], seed=np.random.RandomState(5)).parameters()
    c = Network([2, 3, 1], seed=np.random.default_rng(5)).parameters()
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert not np.array_equal(a[0], c[0])


def test_original_initialisation_matches_the_legacy_global_generator():
    np.random.seed(0)
    expected = [np.random.randn(2, 3), np.random.rand(1, 3), np.random.randn(3, 1),
                np.random.rand(1, 1)]
    got = Network([2, 3, 1], seed=0).parameters()
    for e, g in zip(expected, got):
        assert np.array_equal(e.reshape(g.shape), g)


def test_xavier_initialisation_has_the_glorot_range_and_zero_biases():
    net = Network([20, 30, 1], init="xavier", seed=0)
    limit = np.sqrt(6 / 50)
    assert np.all(np.abs(net.weights[0]) <= limit)
    assert np.all(net.biases[0] == 0)


def test_he_initialisation_has_the_he_range_twice_xaviers_variance_and_zero_biases():
    net = Network([20, 30, 30, 1], activation="relu", init="he", seed=0)
    limit = np.sqrt(6 / 20)
    assert np.all(np.abs(net.weights[0]) <= limit) and np.abs(net.weights[0]).max() > 0.9 * limit
    assert all(np.all(b == 0) for b in net.biases)
    # variance r^2 / 3 = 2 / fan_in: for the 30 x 30 layer 1/15, twice xavier's 1/30
    assert abs(net.weights[1].var() - 2 / 30) < 0.1 * 2 / 30
    # drawn from the same stream in the order W1, b1, W2, ...: W1 is U(-r, r) of seed 0
    expected = np.random.RandomState(0).uniform(-limit, limit, (20, 30))
    assert np.array_equal(net.weights[0], expected)


def test_sigmoid_is_stable_for_large_inputs():
    z = np.array([-1e4, -800.0, 0.0, 800.0, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = nnlib.activations.sigmoid(z)
    assert np.all(np.isfinite(a)) and a[0] < 1e-300 and a[-1] == 1.0 and a[2] == 0.5


def test_callback_sees_every_epoch_and_can_stop_training():
    X, y = datasets.xor()
    seen = []
    history = train(Network([2, 2, 1], seed=0), X, y, lr=0.1, epochs=100,
                    callback=lambda epoch, loss: seen.append(epoch) or epoch == 9)
    assert seen == list(range(10)) and len(history.loss) == 10


def test_divergence_stops_training_and_says_at_which_epoch():
    X, y = datasets.xor()
    net = Network([2, 4, 1], activation="tanh", output_activation="linear", loss="mse", seed=0)
    with pytest.warns(nnlib.DivergedWarning, match="diverged at epoch 163"):
        history = train(net, X, y, lr=1.0, epochs=1000)
    assert history.diverged and len(history.loss) == history.diverged_at
    assert np.all(np.isfinite(history.loss))
