"""Sweeps train every network as nnlib.train would alone, in the documented order.

(That seed 0 reproduces the original experiment is tested, once, in test_reproduction.py.)
"""
import math
import warnings

import numpy as np
import pytest

from nnlib import Network, datasets, train
from nnlib.experiments import Run, network_epochs, sweep
from nnlib.init import init_parameters, make_rng
from nnlib.training import DivergedWarning


X, Y = datasets.xor()


def solo_runs(hidden_sizes, lrs, repeats, epochs, seed, **options):
    """The same sweep, one nnlib.Network at a time, in the documented draw order."""
    rng = make_rng(seed)
    starts = [[init_parameters([2, *hidden, 1], "original", rng) for _ in range(repeats)]
              for hidden in hidden_sizes]
    results = []
    for hidden, hidden_starts in zip(hidden_sizes, starts):
        for lr in lrs:
            for weights, biases in hidden_starts:
                net = Network.from_parameters(weights, biases, **options)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    history = train(net, X, Y, lr=lr, epochs=epochs)
                results.append((hidden, lr, net, history))
    return results


def test_order_draws_and_shared_starts():
    hidden_sizes, lrs = [(2,), (3, 2)], (0.1, 0.7)
    runs = sweep(hidden_sizes, lrs=lrs, repeats=3, epochs=200, seed=7)
    expected = solo_runs(hidden_sizes, lrs, 3, 200, 7, loss="half_sse")
    assert len(runs) == len(expected) == 12
    for i, (run, (hidden, lr, net, history)) in enumerate(zip(runs, expected)):
        assert (run.hidden, run.lr, run.repeat) == (hidden, lr, i % 3)
        np.testing.assert_allclose(run.mse, history.mse, rtol=0, atol=1e-12)
        np.testing.assert_allclose(run.predictions, net.forward(X), rtol=0, atol=1e-12)
        assert run.learned == bool(np.all(net.predict(X) == Y))
    # every learning rate starts from the same draws: equal first-epoch errors
    assert runs[0].mse[0] == runs[3].mse[0] and runs[6].mse[0] == runs[9].mse[0]
    assert runs[0].mse[0] != runs[1].mse[0]


def test_runs_are_labelled_like_the_original():
    run = Run((4, 4), 0.25, 0, 0.01, True, np.zeros((4, 1)), None)
    assert run.label == "hn_4,4-lr_0.25-ok_True"
    assert Run((2,), 0.1, 0, 0.1, False, np.zeros((4, 1)), None).label == "hn_2-lr_0.1-ok_False"


def test_integers_are_one_hidden_layer_and_curves_can_be_dropped():
    with_curves = sweep([2, 3], repeats=2, epochs=50, seed=1)
    without = sweep([(2,), (3,)], repeats=2, epochs=50, seed=1, keep_curves=False)
    assert [run.hidden for run in without] == [(2,), (2,), (3,), (3,)]
    for a, b in zip(with_curves, without):
        assert b.mse is None and a.mse.shape == (50,)
        assert a.final_mse == b.final_mse and np.array_equal(a.predictions, b.predictions)


def test_workers_change_nothing_but_the_time():
    kwargs = dict(hidden_sizes=[(2,), (5,)], lrs=(0.1, 0.3), repeats=130, epochs=120, seed=3)
    counted = []
    one = sweep(**kwargs, workers=1)
    two = sweep(**kwargs, workers=2, progress=counted.append)
    assert sum(counted) == network_epochs([(2,), (5,)], (0.1, 0.3), 130, 120)
    for a, b in zip(one, two):
        assert (a.hidden, a.lr, a.repeat, a.learned) == (b.hidden, b.lr, b.repeat, b.learned)
        assert np.array_equal(a.mse, b.mse) and np.array_equal(a.predictions, b.predictions)


def test_progress_in_one_process_counts_every_network_epoch():
    counted = []
    sweep([2, 3], lrs=(0.1, 0.2), repeats=2, epochs=150, progress=counted.append, workers=1)
    assert sum(counted) == 2 * 2 * 2 * 150


def test_a_diverging_run_is_stopped_and_reported():
    # ReLU units with an absurd step: some outputs overflow within two epochs.
    options = dict(activation="relu", loss="half_sse")
    with pytest.warns(DivergedWarning, match=r"\d+ of 20 runs diverged"):
        runs = sweep([2], lrs=(0.1, 1e300), repeats=10, epochs=30, seed=0, **options)
    expected = solo_runs([(2,)], (0.1, 1e300), 10, 30, 0, **options)
    diverged = [run for run in runs if run.diverged]
    assert diverged and all(run.lr == 1e300 for run in diverged)
    for run, (_, _, _, history) in zip(runs, expected):
        assert run.diverged_at == history.diverged_at
        if run.diverged:
            assert math.isnan(run.final_mse) and not run.learned
            assert len(run.mse) == run.diverged_at and np.isfinite(run.mse).all()
        else:
            assert np.isfinite(run.final_mse)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"hidden_sizes": []}, ValueError, "hidden_sizes"),
    ({"hidden_sizes": [0]}, ValueError, "hidden_sizes"),
    ({"hidden_sizes": [(2, -1)]}, ValueError, "hidden_sizes"),
    ({"hidden_sizes": [()]}, TypeError, "hidden_sizes"),
    ({"hidden_sizes": ["4"]}, TypeError, "hidden_sizes"),
    ({"hidden_sizes": [2.5]}, TypeError, "hidden_sizes"),
    ({"hidden_sizes": "2,4"}, TypeError, "hidden_sizes"),
    ({"hidden_sizes": 4}, TypeError, "hidden_sizes"),
    ({"lrs": ()}, ValueError, "lrs"),
    ({"lrs": (0.1, -0.1)}, ValueError, "lrs"),
    ({"lrs": (float("nan"),)}, ValueError, "lrs"),
    ({"lrs": "0.1"}, TypeError, "lrs"),
    ({"repeats": 0}, ValueError, "repeats"),
    ({"repeats": 1.5}, TypeError, "repeats"),
    ({"epochs": 0}, ValueError, "epochs"),
    ({"epochs": "10"}, TypeError, "epochs"),
    ({"seed": -1}, TypeError, "seed"),
    ({"activation": "softmax"}, ValueError, "activation"),
    ({"loss": "hinge"}, ValueError, "loss"),
    ({"loss": "bce", "activation": "tanh"}, ValueError, "bce"),
    ({"init": "glorot"}, ValueError, "init"),
    ({"dataset": "xnor"}, ValueError, "dataset"),
    ({"progress": "tqdm"}, TypeError, "progress"),
    ({"workers": 0}, ValueError, "workers"),
])
def test_bad_arguments_are_named(kwargs, error, match):
    arguments = dict(hidden_sizes=[2], repeats=1, epochs=5) | kwargs
    with pytest.raises(error, match=match):
        sweep(**arguments)


def test_a_single_learning_rate_may_be_a_number():
    runs = sweep([2], lrs=0.5, repeats=2, epochs=5)
    assert [run.lr for run in runs] == [0.5, 0.5]


# ----------------------------------------------------------------------------- statistics

from nnlib.experiments.success import (PLATEAUS, plateau, plateau_counts, success_rate,  # noqa: E402
                              wilson_interval)
from nnlib.widgets.sweep_panel import sweep_panel  # noqa: E402

Z = 1.959963984540054


def test_wilson_interval_at_the_edges_and_inside():
    assert wilson_interval(0, 50) == (0.0, pytest.approx(Z**2 / (50 + Z**2)))
    assert wilson_interval(50, 50) == (pytest.approx(50 / (50 + Z**2)), 1.0)
    low, high = wilson_interval(706, 1000)
    assert (round(low, 4), round(high, 4)) == (0.6770, 0.7334)
    for k in range(0, 21):   # symmetric, and always holds k/n
        low, high = wilson_interval(k, 20)
        assert low <= k / 20 <= high
        assert (1 - high, 1 - low) == pytest.approx(wilson_interval(20 - k, 20))
    assert wilson_interval(7, 10, confidence=0.99)[0] < wilson_interval(7, 10)[0]


@pytest.mark.parametrize("args, match", [
    ((1, 0), "n must be"), ((11, 10), "successes"), ((-1, 10), "successes"),
    ((1.5, 10), "successes"), ((3, 10, 1.5), "confidence"),
])
def test_bad_wilson_arguments(args, match):
    with pytest.raises((ValueError, TypeError), match=match):
        wilson_interval(*args)


def fake_run(final_mse, learned=False, diverged_at=None):
    return Run((2,), 0.1, 0, final_mse, learned, np.zeros((4, 1)), None, diverged_at)


def test_failures_are_named_by_their_plateau():
    names = list(PLATEAUS)
    assert plateau(fake_run(0.1274)) == names[0]
    assert plateau(fake_run(0.169)) == names[1]
    assert plateau(fake_run(0.2454)) == names[2]
    assert plateau(fake_run(0.2)) == "in between"
    assert plateau(fake_run(float("nan"), diverged_at=3)) == "diverged"
    runs = [fake_run(0.001, learned=True), fake_run(0.126), fake_run(0.125), fake_run(0.2)]
    assert plateau_counts(runs) == {names[0]: 2, names[1]: 0, names[2]: 0, "in between": 1}
    assert str(success_rate(runs)) == "1 of 4 = 25.0% (95% interval 4.6% to 69.9%)"
    with pytest.raises(ValueError, match="runs"):
        success_rate([])


def test_the_sweep_panel_recomputes_when_a_slider_moves():
    panel = sweep_panel(hidden=2, lr=0.1, starts=20, epochs=500)
    assert panel.message.value == "" and len(panel.runs) == 20
    assert "of 20</b> starts learn XOR in 500 epochs" in panel.summary.value
    assert bytes(panel.picture.value).startswith(b"\x89PNG")
    for name, value in [("hidden", 4), ("lr", 1.0), ("starts", 40), ("epochs", 1000)]:
        before = panel.summary.value, bytes(panel.picture.value)
        panel.sliders[name].value = value
        assert panel.message.value == ""
        assert panel.summary.value != before[0] and bytes(panel.picture.value) != before[1]
    assert panel.settings() == {"hidden": 4, "lr": 1.0, "starts": 40, "epochs": 1000}
    assert {run.hidden for run in panel.runs} == {(4,)} and len(panel.runs) == 40
    assert "of 40</b> starts learn XOR in 1000 epochs" in panel.summary.value


def test_the_sweep_panel_takes_eta_on_the_mse():
    # For XOR's 4 samples, eta on the MSE takes the steps of lr = eta / 2 on the original's
    # loss: the same networks, labelled with eta.
    mse = sweep_panel(hidden=2, lr=2.0, starts=20, epochs=500, loss="mse")
    original = sweep_panel(hidden=2, lr=1.0, starts=20, epochs=500)
    assert mse.sliders["lr"].value == 2.0
    assert [run.learned for run in mse.runs] == [run.learned for run in original.runs]
    assert np.allclose([run.final_mse for run in mse.runs],
                       [run.final_mse for run in original.runs], rtol=0, atol=1e-9)
    assert "η = 2" in mse.title() and "lr 1" in original.title()
    assert "η" in mse.sliders["lr"].description and "loss mse" in mse.picture_text
    assert mse.png().startswith(b"\x89PNG")
    # the slider's 1-2-5 stops pass through every eta of notebook 04's grid, 0.02 to 20
    stops = [value for _, value in mse.sliders["lr"].options]
    assert {0.05, 0.2, 0.5, 2.0, 5.0} <= set(stops) and (stops[0], stops[-1]) == (0.02, 20.0)
    assert 0.1 in [value for _, value in original.sliders["lr"].options]   # the original's lr
    # a starting value between the stops becomes a stop of its own
    assert sweep_panel(lr=0.3, starts=20, epochs=500, loss="mse").sliders["lr"].value == 0.3
    with pytest.raises(ValueError, match="lr must be from 0.02 to 20"):
        sweep_panel(lr=0.01, loss="mse")


@pytest.mark.parametrize("kwargs, match", [
    ({"loss": "sse"}, "loss must be one of"),
    ({"hidden": 5}, "hidden must be one of"), ({"epochs": 300}, "epochs must be one of"),
    ({"starts": 10}, "starts"), ({"lr": 50.0}, "lr"), ({"lr": -1}, "lr"),
])
def test_bad_panel_settings(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        sweep_panel(**kwargs)


def test_learned_is_the_original_rule_and_solved_the_stricter_one():
    from nnlib.experiments import is_learned, is_solved
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    plateau = np.array([[0.05], [0.51], [0.95], [0.49]])     # right side of 0.5, MSE about 0.12
    close = np.array([[0.05], [0.93], [0.95], [0.08]])
    assert is_learned(plateau, y) and not is_solved(plateau, y)
    assert is_learned(close, y) and is_solved(close, y)
    assert not is_solved(close, y, tolerance=0.06)
    with pytest.raises(ValueError, match="shape"):
        is_solved(close.ravel(), y)
    with pytest.raises(ValueError, match="tolerance"):
        is_solved(close, y, tolerance=0.7)
