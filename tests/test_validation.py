"""Bad input gets a clear error that names the parameter."""
import numpy as np
import pytest

from nnlib import Network, datasets, train

X, Y = datasets.xor()


@pytest.mark.parametrize("sizes, error", [
    ([], ValueError), ([2], ValueError), ([2, 0, 1], ValueError), ([2, -3, 1], ValueError),
    ([2, 2.5, 1], TypeError), ([2, "4", 1], TypeError), ([2, True, 1], TypeError),
    (5, TypeError), ("241", TypeError), (None, TypeError),
])
def test_bad_layer_sizes(sizes, error):
    with pytest.raises(error, match="layer_sizes"):
        Network(sizes)


@pytest.mark.parametrize("kwargs, match", [
    ({"activation": "softmax"}, "activation must be one of 'sigmoid', 'tanh', 'relu'"),
    ({"output_activation": "step"}, "output_activation must be one of"),
    ({"loss": "hinge"}, "loss must be one of 'mse', 'half_sse', 'bce'"),
    ({"init": "glorot"}, "init must be one of 'original', 'xavier', 'he'"),
    ({"seed": -1}, "seed must be"), ({"seed": 1.5}, "seed must be"),
    ({"loss": "bce", "output_activation": "tanh"}, "bce"),
])
def test_bad_network_options(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        Network([2, 2, 1], **kwargs)


@pytest.mark.parametrize("X, y, match", [
    (X[0], Y, r"X must be 2-D, of shape \(n_samples, n_inputs\).*"
              r"for one sample use X.reshape\(1, -1\)"),
    (X[None], Y, "X must be 2-D"),
    (X, Y[:, 0], r"y must be 2-D, of shape \(n_samples, n_outputs\).*reshape\(-1, 1\)"),
    (X[:, :1], Y, "X must have 2 column"), (X, np.hstack([Y, Y]), "y must have 1 column"),
    (X[:3], Y, "same number of samples"),
    (np.where(X == 1, np.nan, X), Y, "X contains NaN or infinite"),
    (X, np.where(Y == 1, np.inf, Y), "y contains NaN or infinite"),
    ([["a", "b"]] * 4, Y, "X must be a 2-D array of real numbers"),
])
def test_bad_data(X, y, match):
    net = Network([2, 2, 1], seed=0)
    for call in (net.loss, net.gradients, lambda X, y: train(net, X, y, epochs=1)):
        with pytest.raises((ValueError, TypeError), match=match):
            call(X, y)


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_bad_learning_rate(lr):
    with pytest.raises(ValueError, match="lr must be a positive, finite number"):
        train(Network([2, 2, 1]), X, Y, lr=lr)


@pytest.mark.parametrize("lr", ["0.1", None, True])
def test_learning_rate_of_the_wrong_type(lr):
    with pytest.raises(TypeError, match="lr must be a positive number"):
        train(Network([2, 2, 1]), X, Y, lr=lr)


@pytest.mark.parametrize("epochs, error", [(0, ValueError), (-5, ValueError),
                                           (10.0, TypeError), ("10", TypeError)])
def test_bad_epochs(epochs, error):
    with pytest.raises(error, match="epochs must be a positive integer"):
        train(Network([2, 2, 1]), X, Y, epochs=epochs)


def test_unknown_dataset_lists_the_names():
    with pytest.raises(ValueError, match="dataset must be one of 'xor'"):
        datasets.load("xnor")


@pytest.mark.parametrize("X, y, error, match", [
    (X[:0], Y[:0], ValueError, "X is empty"),
    (X.astype(complex), Y, TypeError, "X must be a 2-D array of real numbers; got complex"),
    (X.astype(str), Y, TypeError, "X must be a 2-D array of real numbers; got text"),
    (X, Y.astype(str), TypeError, "y must be a 2-D array of real numbers; got text"),
])
def test_empty_complex_and_text_data_are_refused_up_front(X, y, error, match):
    with pytest.raises(error, match=match):
        train(Network([2, 2, 1]), X, y, epochs=1)


def test_a_callback_that_cannot_be_called_is_refused_before_the_first_epoch():
    with pytest.raises(TypeError, match="callback must be a function"):
        train(Network([2, 2, 1]), X, Y, epochs=1, callback=5)


@pytest.mark.parametrize("make, match", [
    (lambda: Network([2, 10**9, 1]), "use smaller layer_sizes"),
    (lambda: train(Network([2, 2, 1]), X, Y, epochs=10**11), "use fewer epochs"),
])
def test_sizes_beyond_the_memory_available_are_a_clear_value_error(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_a_blow_up_on_the_last_update_is_reported_without_numpy_warnings():
    import warnings
    from nnlib.training import DivergedWarning
    net = Network([2, 3, 1], activation="linear", output_activation="linear", seed=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = train(net, X, Y, lr=0.5, epochs=5)
    assert history.diverged_at == 5
    assert [w.category for w in caught] == [DivergedWarning]
