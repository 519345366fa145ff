"""nnlib reproduces the original library's experiments exactly.

nnlib/original.py re-implements the original's loop from its description
(shared/origin/ABOUT.md); nnlib must give the same numbers. The full
experiment (hidden sizes 2, 4, 8, 16, 10,000 epochs each) is tested here and
only here; the other tests compare against shorter runs.
"""
import numpy as np
import pytest

from nnlib import Network, datasets, train
from nnlib import original as original_library
from nnlib.experiments import sweep

X, Y = datasets.xor()


def test_single_network_matches_the_original_loop_epoch_by_epoch():
    np.random.seed(0)
    original = original_library.TwoLayerPerceptron(2, 3, 1)
    original_mse = original.train(original_library.XOR_X, original_library.XOR_y, 2000, 0.1)

    net = Network([2, 3, 1], loss="half_sse", seed=0)
    history = train(net, X, Y, lr=0.1, epochs=2000)
    np.testing.assert_allclose(history.mse, original_mse, rtol=0, atol=1e-12)
    np.testing.assert_allclose(net.forward(X), original.forward(X), rtol=0, atol=1e-12)


def test_seed_0_reproduces_the_original_experiment_in_full():
    runs = sweep([(2,), (4,), (8,), (16,)], lrs=(0.1,), epochs=10000, seed=0)
    original = original_library.original_sweep((2, 4, 8, 16), lr=0.1, epochs=10000, seed=0)
    assert [run.label for run in runs] == ["hn_2-lr_0.1-ok_False", "hn_4-lr_0.1-ok_True",
                                           "hn_8-lr_0.1-ok_True", "hn_16-lr_0.1-ok_True"]
    assert len(runs) == len(original) == 4
    for run, (hidden, losses, predictions) in zip(runs, original):
        assert run.hidden == (hidden,) and run.lr == 0.1 and run.repeat == 0
        np.testing.assert_allclose(run.mse, losses, rtol=0, atol=1e-12)
        np.testing.assert_allclose(run.predictions, predictions, rtol=0, atol=1e-12)
        assert run.final_mse == pytest.approx(np.mean((predictions - Y) ** 2), abs=1e-12)
        assert run.diverged_at is None
    # the original README: the 2-unit network fails, near MSE 0.15
    assert runs[0].final_mse == pytest.approx(0.1274, abs=1e-4)
