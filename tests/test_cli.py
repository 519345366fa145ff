"""The command line end to end, as a user runs it: python -m nnlib ..."""
import csv
import json
import os
import subprocess
import sys

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
    assert result.returncode == 1            # as train: a diverged run is a failure
    report = json.loads(result.stdout)
    assert report["output_activation"] == "linear"
    assert report["runs"][0]["diverged_at"] > 0 and report["runs"][0]["final_mse"] is None
    assert result.stderr.strip() == ("python -m nnlib sweep: 1 of 1 run(s) diverged (the loss "
                                     "became NaN or infinite); try a smaller --lr than 1")


def strict_loads(text):
    """json.loads that refuses NaN and Infinity, as RFC 8259 does."""
    def refuse(name):
        raise ValueError(f"not JSON: {name}")
    return json.loads(text, parse_constant=refuse)


def test_json_is_strict_and_a_blow_up_on_the_last_update_is_caught():
    result = nnlib("train", "--activation", "linear", "--output-activation", "linear",
                   "--lr", "0.5", "--epochs", "5", "--json")
    assert result.returncode == 1
    report = strict_loads(result.stdout)
    assert report["final_mse"] is None and report["diverged_at"] == 5
    assert result.stderr.strip() == ("python -m nnlib train: 1 of 1 run(s) diverged at epoch 5 "
                                     "(the loss became NaN or infinite); try a smaller --lr than 0.5")
    assert "RuntimeWarning" not in result.stderr

    result = nnlib("sweep", "--hidden", "2", "4", "--activation", "linear", "--output-activation",
                   "linear", "--lr", "0.5", "--epochs", "40", "--json")
    assert result.returncode == 1
    runs = strict_loads(result.stdout)["runs"]
    assert all(run["final_mse"] is None and run["diverged_at"] is not None for run in runs)
    assert "Warning" not in result.stderr and len(result.stderr.splitlines()) == 1


# --- In-process: argument errors and outputs, as fast as a function call ----------

def run_main(args, capsys):
    """nnlib.cli.main(args) in this process: (exit code, stdout, stderr)."""
    from nnlib.cli import main
    try:
        code = main(list(args))
    except SystemExit as exit:
        code = exit.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


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
    (["train", "--seed", "-1"], "--seed: must be an integer from 0 to 2**32 - 1"),
    (["train", "--activation", "softmax"], "--activation: invalid choice"),
    (["train", "--loss", "hinge"], "--loss: invalid choice"),
    (["train", "--plot", "/no/such/folder/loss.png"], "--plot: cannot write"),
    (["train", "--plot", "/tmp"], "--plot: must end in .png, .svg or .pdf"),
    (["train", "--plot", "/tmp/x"], "--plot: must end in .png, .svg or .pdf; got '/tmp/x'"),
    (["train", "--plot", "/dev/full"], "--plot: must end in .png"),
    (["sweep", "--out", "/dev/full"], "--out: must end in .csv or .json"),
    (["sweep", "--out", "r.xyz"], "--out: must end in .csv or .json"),
    (["sweep", "--out", "r.png"], "--out: must end in .csv or .json"),
    (["sweep", "--out", "o.csv", "--plot", "p.xyz"], "--plot: must end in .png"),
    (["sweep", "--out", "-", "--json"], "--out - and --json both write to standard output"),
    (["sweep", "--repeats", "0"], "--repeats: must be a positive integer"),
    (["sweep", "--hidden", "4,0"], "--hidden: layer widths must be positive"),
    (["sweep", "--hidden", "4,,4"], "--hidden: must be a positive integer"),
    (["sweep", "--lr", "0.1", "-0.5"], "--lr: must be a positive, finite number"),
    (["sweep", "--out", "/no/such/folder/x.csv"], "--out: cannot write"),
    (["fly"], "invalid choice"),
    (["train", "--out", "r.csv"], "unrecognized arguments: --out r.csv"),   # not --output-...
    # sizes beyond the memory available: refused before any work, saying what to reduce
    (["sweep", "--repeats", "99999999999", "--epochs", "10"], "use a smaller --repeats"),
    (["train", "--hidden", "100000000"], "use a smaller --hidden"),
    (["train", "--epochs", "100000000000"], "use a smaller --epochs"),
])
def test_bad_input_exits_2_with_a_short_message(args, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(args, capsys)
    assert code == 2
    assert message in err
    assert "Traceback" not in err and len(err.splitlines()) <= 2
    assert out == ""
    assert list(tmp_path.iterdir()) == []          # parsing creates no files


def test_fifos_and_devices_are_refused_without_opening_them(capsys, tmp_path):
    fifo = tmp_path / "results.csv"
    os.mkfifo(fifo)                     # opening it for writing would block forever
    code, _, err = run_main(["sweep", "--out", str(fifo)], capsys)
    assert code == 2 and "is not a regular file (a FIFO)" in err
    link = tmp_path / "null.json"
    link.symlink_to("/dev/null")
    code, _, err = run_main(["sweep", "--out", str(link)], capsys)
    assert code == 2 and "is not a regular file (a character device)" in err


def test_out_dash_writes_csv_to_stdout(capsys):
    code, out, err = run_main(["sweep", "--hidden", "2", "--repeats", "3", "--epochs", "5",
                               "--out", "-"], capsys)
    assert code == 0
    rows = list(csv.DictReader(out.splitlines()))
    assert len(rows) == 3 and rows[0]["hidden"] == "2"
    assert "learned" in err             # the summary goes to stderr then


def test_the_reported_path_is_the_written_path_and_files_are_replaced_whole(capsys, tmp_path):
    out, plot = tmp_path / "runs.json", tmp_path / "rates.svg"
    out.write_text("old")
    code, stdout, _ = run_main(["sweep", "--hidden", "2", "--repeats", "2", "--epochs", "5",
                                "--out", str(out), "--plot", str(plot)], capsys)
    assert code == 0
    assert f"runs saved to {out}" in stdout and f"plot saved to {plot}" in stdout
    assert len(strict_loads(out.read_text())) == 2
    assert plot.read_text().lstrip().startswith("<?xml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rates.svg", "runs.json"]
