"""The command line end to end, as a user runs it: python -m nnlib ..."""
import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnlib import original as original_library



def nnlib(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "nnlib", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_train_reproduces_the_original_single_experiment(tmp_path):
    plot = tmp_path / "loss.png"
    result = nnlib("train", "--hidden", "3", "--lr", "0.1", "--epochs", "10000", "--seed", "0",
                   "--plot", str(plot), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)

    np.random.seed(0)
    original = original_library.TwoLayerPerceptron(2, 3, 1)
    original.train(original_library.XOR_X, original_library.XOR_y, 10000, 0.1)
    outputs = original.forward(original_library.XOR_X)
    np.testing.assert_allclose(report["predictions"], outputs.ravel(), rtol=0, atol=1e-12)
    assert report["final_mse"] == pytest.approx(np.mean((outputs - original_library.XOR_y) ** 2),
                                                rel=0, abs=1e-12)
    assert report["learned"] is True
    assert report["rounded"] == report["expected"] == [0, 1, 1, 0]
    assert plot.stat().st_size > 10_000


def test_train_prints_predictions_for_people():
    result = nnlib("train", "--epochs", "2000")
    assert result.returncode == 0, result.stderr
    assert "output  rounded  expected" in result.stdout
    assert "final MSE" in result.stdout


def test_sweep_gives_the_original_numbers(tmp_path):
    # 2,000 epochs: the full 10,000-epoch experiment is tested once, in test_reproduction.py
    plot = tmp_path / "losses.png"
    result = nnlib("sweep", "--hidden", "2", "4", "8", "16", "--lr", "0.1", "--epochs", "2000",
                   "--seed", "0", "--plot", str(plot), "--json")
    assert result.returncode == 0, result.stderr
    runs = json.loads(result.stdout)["runs"]   # stdout holds the JSON and nothing else

    original = original_library.original_sweep(epochs=2000)
    assert [run["hidden"] for run in runs] == [2, 4, 8, 16]
    for run, (hidden, _, outputs) in zip(runs, original):
        expected = np.mean((outputs - original_library.XOR_y) ** 2)
        assert run["final_mse"] == pytest.approx(expected, rel=0, abs=1e-12)
        assert run["learned"] == bool(np.all((outputs >= 0.5) == original_library.XOR_y))
        assert run["label"] == f"hn_{hidden}-lr_0.1-ok_{run['learned']}"
        assert run["lr"] == 0.1 and run["repeat"] == 0
    assert plot.stat().st_size > 10_000


def test_sweep_repeats_learning_rates_depth_and_saved_results(tmp_path):
    out_csv, out_json = tmp_path / "sweep.csv", tmp_path / "sweep.json"
    result = nnlib("sweep", "--hidden", "2", "4,4", "--lr", "0.1", "0.5", "--repeats", "3",
                   "--epochs", "300", "--out", str(out_csv), "--plot", str(tmp_path / "p.png"),
                   "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    runs = report["runs"]
    assert len(runs) == 2 * 2 * 3
    assert {json.dumps(run["hidden"]) for run in runs} == {"2", "[4, 4]"}
    assert [run["repeat"] for run in runs[:3]] == [0, 1, 2]
    assert len(report["summary"]) == 4
    with open(out_csv) as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 12 and rows[-1]["hidden"] == "[4,4]"

    result = nnlib("sweep", "--hidden", "2", "--repeats", "2", "--epochs", "10",
                   "--out", str(out_json))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(out_json.read_text())) == 2
    assert "learned" in result.stdout


def test_a_diverging_run_says_so():
    result = nnlib("train", "--hidden", "4", "--activation", "tanh", "--output-activation",
                   "linear", "--loss", "mse", "--lr", "1.0", "--epochs", "1000", "--json")
    assert result.returncode == 1
    assert "diverged at epoch" in result.stderr
    report = json.loads(result.stdout)
    assert report["diverged_at"] > 0 and report["final_mse"] is None


def test_sweep_uses_the_output_activation_and_reports_divergence():
    result = nnlib("sweep", "--hidden", "4", "--activation", "tanh", "--output-activation",
                   "linear", "--loss", "mse", "--lr", "1.0", "--epochs", "300", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["output_activation"] == "linear"
    assert report["runs"][0]["diverged_at"] > 0 and report["runs"][0]["final_mse"] is None
    assert "1 run(s) diverged" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["train", "--hidden", "0"], "--hidden: must be a positive integer"),
    (["train", "--hidden", "-2"], "--hidden: must be a positive integer"),
    (["train", "--hidden", "two"], "--hidden: must be a positive integer"),
    (["train", "--lr", "0"], "--lr: must be a positive, finite number"),
    (["train", "--lr", "-1"], "--lr: must be a positive, finite number"),
    (["train", "--lr", "nan"], "--lr: must be a positive, finite number"),
    (["train", "--lr", "inf"], "--lr: must be a positive, finite number"),
    (["train", "--epochs", "0"], "--epochs: must be a positive integer"),
    (["train", "--epochs", "-3"], "--epochs: must be a positive integer"),
    (["train", "--epochs", "1.5"], "--epochs: must be a positive integer"),
    (["train", "--seed", "-1"], "--seed: must be an integer"),
    (["train", "--activation", "softmax"], "--activation: invalid choice"),
    (["train", "--loss", "hinge"], "--loss: invalid choice"),
    (["train", "--plot", "/no/such/folder/loss.png"], "--plot: cannot write"),
    (["train", "--plot", "/tmp"], "--plot: '/tmp' is a folder"),
    (["sweep", "--repeats", "0"], "--repeats: must be a positive integer"),
    (["sweep", "--hidden", "4,0"], "--hidden: layer widths must be positive"),
    (["sweep", "--hidden", "4,,4"], "--hidden: must be a positive integer"),
    (["sweep", "--lr", "0.1", "-0.5"], "--lr: must be a positive, finite number"),
    (["sweep", "--out", "/no/such/folder/x.csv"], "--out: cannot write"),
    (["fly"], "invalid choice"),
])
def test_bad_input_exits_2_with_a_short_message(args, message):
    result = nnlib(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
