"""The live playground without a browser: its trainer, its controls and its views.

Each control is changed through its `.value`, as a browser would, and the
views are checked to show the new state. A kernel test at the end drives
notebook 03's playground through a real Jupyter kernel.
"""
import asyncio
import base64
import gc
import random
import re
import threading
import tracemalloc
import warnings
from pathlib import Path

import ipywidgets
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from nnlib import DivergedWarning, Network, datasets, train
from nnlib.fast.trainer import FastTrainer, train_fast
from nnlib.widgets.playground import (
    FIRST_EPOCHS,
    FRAME_INTERVAL_MS,
    TICK_FRAMES,
    Playground,
    playground,
)
from nnlib.widgets.views import LossCurve

NOTEBOOK_03 = Path(__file__).resolve().parents[1] / "notebooks" / "03_xor_training.ipynb"


def views(pg):
    """Everything the playground shows, as comparable values (without the retrain count)."""
    v = pg.views
    return dict(boundary=v.boundary, network=v.network, curve=v.curve,
                table=v.table, counter=re.sub(r' data-builds="\d+"', "", v.counter))


def same_state(pg, reference):
    """pg's network, loss curve and views are reference's, bit for bit."""
    assert pg.epoch == reference.epoch
    np.testing.assert_array_equal(pg.trainer.theta, reference.trainer.theta)
    np.testing.assert_array_equal(pg.curve.epochs, reference.curve.epochs)
    np.testing.assert_array_equal(pg.curve.losses, reference.curve.losses)
    assert views(pg) == views(reference)


async def train_on(pg, limit=1000):
    """Let the event loop run the playground's chunks until its training is done."""
    for _ in range(limit):
        if not pg.training:
            return
        await asyncio.sleep(0)
    raise AssertionError(f"still training at epoch {pg.epoch}")


# --- FastTrainer equals nnlib.train ------------------------------------------------

# Settings where gradient descent is well behaved. (With very large learning
# rates the trajectory is chaotic: any rounding difference, even the order of
# a sum, grows until the two runs part, as they would between two machines.)
CASES = [
    ("xor", [2, 4, 1], "sigmoid", "sigmoid", "mse", 1.0, 0),       # the playground's default
    ("xor", [2, 4, 1], "sigmoid", "sigmoid", "mse", 1.0, 8),       # a seed that gets stuck
    ("xor", [2, 3, 1], "sigmoid", None, "half_sse", 0.1, 0),       # the original's setting
    ("xor", [2, 2, 1], "sigmoid", None, "half_sse", 0.1, 0),       # stuck near MSE 0.127
    ("xor", [2, 4, 1], "tanh", "sigmoid", "mse", 0.5, 1),
    ("xor", [2, 4, 1], "relu", "sigmoid", "mse", 0.5, 2),
    ("xor", [2, 5, 3, 1], "sigmoid", "sigmoid", "mse", 2.0, 0),
    ("xor", [2, 4, 1], "tanh", "tanh", "mse", 0.1, 0),
    ("and", [2, 1], "sigmoid", None, "mse", 1.0, 0),
    ("parity3", [3, 6, 1], "sigmoid", None, "mse", 1.0, 3),
    ("parity3", [3, 8, 1], "relu", "sigmoid", "half_sse", 0.1, 0),
]


@pytest.mark.parametrize("dataset, sizes, activation, output, loss, lr, seed", CASES)
def test_fast_trainer_equals_train(dataset, sizes, activation, output, loss, lr, seed):
    X, y = datasets.load(dataset)
    nets = [Network(sizes, activation=activation, output_activation=output, loss=loss, seed=seed)
            for _ in range(2)]
    expected = train(nets[0], X, y, lr=lr, epochs=5000)
    got = train_fast(nets[1], X, y, lr=lr, epochs=5000)
    assert got.diverged_at is None and expected.diverged_at is None
    np.testing.assert_allclose(got.loss, expected.loss, rtol=0, atol=1e-12)
    np.testing.assert_allclose(got.mse, expected.mse, rtol=0, atol=1e-12)
    for p, q in zip(nets[1].parameters(), nets[0].parameters()):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-12)


def test_fast_trainer_divergence_is_reported_like_train():
    # tanh hidden units and a relu output: the loss grows ~10^4-fold per epoch
    X, y = datasets.xor()
    nets = [Network([2, 4, 4, 1], activation="tanh", output_activation="relu", seed=36)
            for _ in range(2)]
    with pytest.warns(DivergedWarning):
        expected = train(nets[0], X, y, lr=100.0, epochs=300)
    with pytest.warns(DivergedWarning, match="epoch 81"):
        got = train_fast(nets[1], X, y, lr=100.0, epochs=300)
    assert got.diverged_at == expected.diverged_at == 81
    np.testing.assert_allclose(got.loss, expected.loss, rtol=1e-9)


def test_fast_trainer_carries_on_where_it_stopped():
    X, y = datasets.xor()
    whole = FastTrainer(Network([2, 4, 1], seed=0), X, y, lr=1.0).run(3000)
    trainer = FastTrainer(Network([2, 4, 1], seed=0), X, y, lr=1.0)
    parts = [trainer.run(1000), trainer.run(1500), trainer.run(500)]
    assert trainer.epoch == 3000
    np.testing.assert_array_equal(np.concatenate([h.loss for h in parts]), whole.loss)


def test_fast_trainer_shares_parameters_with_the_network():
    X, y = datasets.xor()
    net = Network([2, 4, 1], seed=0)
    trainer = FastTrainer(net, X, y, lr=1.0)
    trainer.run(2000)
    # the network sees every update: its loss now is the trainer's loss after 2000 epochs
    assert net.mse(X, y) == pytest.approx(trainer.run(1).mse[0], abs=1e-15)


def test_fast_trainer_trains_cross_entropy_as_train_does():
    X, y = datasets.xor()
    nets = [Network([2, 4, 1], loss="bce", seed=0) for _ in range(2)]
    expected = train(nets[0], X, y, lr=0.5, epochs=2000)
    got = FastTrainer(nets[1], X, y, lr=0.5).run(2000)
    np.testing.assert_allclose(got.loss, expected.loss, rtol=0, atol=1e-12)
    np.testing.assert_allclose(nets[1].forward(X), nets[0].forward(X), rtol=0, atol=1e-12)


# --- Every control changes the views -------------------------------------------

NEW_VALUES = [("dataset", "and"), ("hidden_layers", 2), ("units", 6), ("activation", "tanh"),
              ("lr", 0.25), ("epochs", 1500), ("seed", 3)]


@pytest.mark.parametrize("name, value", NEW_VALUES)
def test_each_control_retrains_and_redraws(name, value):
    pg = playground(epochs=2000)
    before, builds = views(pg), pg.builds
    getattr(pg.controls, name).value = value
    after = views(pg)
    assert pg.builds == builds + 1
    for view in before:
        assert after[view] != before[view], f"{view} did not change when {name} changed"
    settings = pg.settings()
    assert settings[name] == value
    # the views show the network the controls describe
    n_inputs = datasets.load(settings["dataset"])[0].shape[1]
    assert pg.net.layer_sizes == [n_inputs] + [settings["units"]] * settings["hidden_layers"] + [1]
    assert pg.net.activation.name == settings["activation"]
    assert pg.epoch == settings["epochs"]
    assert f">{settings['epochs']:,}<" in after["counter"]
    expected = pg.net.forward(pg.boundary_view.grid).reshape(pg.boundary_view.values.shape)
    np.testing.assert_array_equal(pg.boundary_view.values, expected)
    for output in pg.net.forward(pg.X).ravel():
        assert f">{output:.3f}</td>" in after["table"]


def test_playground_trains_like_nnlib_train():
    pg = playground(units=3, lr=0.5, seed=4, epochs=3000)
    X, y = datasets.xor()
    net = Network([2, 3, 1], output_activation="sigmoid", seed=4)
    history = train(net, X, y, lr=0.5, epochs=3000)
    np.testing.assert_allclose(pg.curve.losses, history.mse[pg.curve.epochs], atol=1e-12)
    np.testing.assert_allclose(pg.net.forward(X), net.forward(X), atol=1e-12)


def test_no_hidden_layer_disables_units():
    pg = playground(epochs=500)
    pg.controls.hidden_layers.value = 0
    assert pg.net.layer_sizes == [2, 1]
    assert pg.controls.units.disabled
    pg.controls.hidden_layers.value = 1
    assert not pg.controls.units.disabled


def test_parity3_shows_a_slice_that_can_be_switched():
    pg = playground(dataset="parity3", epochs=1000)
    assert pg.controls.slice.layout.display != "none"
    assert pg.net.layer_sizes[0] == 3
    assert pg.views.table.count("<tr>") == 1 + 8       # header and 8 samples
    before, builds = views(pg), pg.builds
    pg.controls.slice.value = 1.0
    after = views(pg)
    assert pg.builds == builds                               # no retraining, only a redraw
    assert after["boundary"] != before["boundary"]
    grid = np.column_stack([pg.boundary_view.grid, np.ones(len(pg.boundary_view.grid))])
    np.testing.assert_array_equal(pg.boundary_view.values.ravel(), pg.net.forward(grid).ravel())
    pg.controls.dataset.value = "xor"
    assert pg.controls.slice.layout.display == "none"


# --- Rapid changes coalesce --------------------------------------------------

def random_changes(pg, count, seed=0):
    rng = random.Random(seed)
    c = pg.controls
    choices = [(c.units, lambda: rng.randint(1, 8)), (c.seed, lambda: rng.randint(0, 99)),
               (c.hidden_layers, lambda: rng.randint(0, 3)),
               (c.lr, lambda: 10 ** rng.uniform(-2, 0.5)),
               (c.activation, lambda: rng.choice(["sigmoid", "tanh", "relu"])),
               (c.dataset, lambda: rng.choice(["xor", "and", "or", "nand", "parity3"]))]
    for _ in range(count):
        control, draw = rng.choice(choices)
        control.value = draw()


def test_200_rapid_changes_end_with_the_last_values():
    pg = playground(epochs=200)
    random_changes(pg, 200)
    assert views(pg) == views(Playground(**pg.settings()))   # what a fresh playground shows
    assert np.all(np.diff(pg.curve.epochs) > 0)


def test_changes_from_two_threads_do_not_mix():
    """JupyterLab may run widget callbacks on a second kernel thread while a cell runs."""
    pg = playground(epochs=300)
    threads = [threading.Thread(target=random_changes, args=(pg, 40, seed)) for seed in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert views(pg) == views(Playground(**pg.settings()))
    assert np.all(np.diff(pg.curve.epochs) > 0)         # one run's losses, in order


# --- Progressive training, in an event loop as in a kernel -------------------------

def test_a_change_shows_a_first_picture_then_trains_on_to_the_same_end():
    async def scenario():
        pg = playground()                           # the first network trains in one go
        assert pg.epoch == 10000 and not pg.training
        before = views(pg)
        pg.controls.seed.value = 3
        # the first changed picture, after a few hundred epochs
        assert pg.epoch == FIRST_EPOCHS and pg.training
        first = views(pg)
        assert all(first[view] != before[view] for view in before)
        assert f">{FIRST_EPOCHS:,}<" in first["counter"]
        epochs = [pg.epoch]
        while pg.training:
            await asyncio.sleep(0)                  # the kernel is free: the next chunk
            epochs.append(pg.epoch)
        return pg, epochs

    pg, epochs = asyncio.run(scenario())
    assert len(set(epochs)) > 3                     # several chunks, not one
    assert epochs == sorted(epochs) and epochs[-1] == 10000
    assert ">10,000<" in pg.views.counter
    same_state(pg, Playground(seed=3))              # as if trained in one go


def test_a_newer_value_cancels_the_running_training():
    async def scenario():
        pg = playground()
        pg.controls.seed.value = 3
        for _ in range(2):
            await asyncio.sleep(0)
        assert pg.training and pg.epoch > FIRST_EPOCHS
        pg.controls.seed.value = 5                  # while seed 3 still trains
        assert pg.epoch == FIRST_EPOCHS and pg.builds == 3
        await train_on(pg)
        return pg

    pg = asyncio.run(scenario())
    assert np.all(np.diff(pg.curve.epochs) > 0)     # one run's losses, in order
    same_state(pg, Playground(seed=5))


def test_many_quick_changes_in_an_event_loop_end_with_the_last_values():
    async def scenario():
        pg = playground(epochs=5000)
        for seed in range(20):
            pg.controls.seed.value = seed
            if seed % 3 == 0:
                await asyncio.sleep(0)
        random_changes(pg, 30)
        await train_on(pg)
        return pg

    pg = asyncio.run(scenario())
    same_state(pg, Playground(**pg.settings()))


def test_step_and_reset_take_over_from_a_running_training():
    async def scenario():
        pg = playground(epochs_per_frame=20)
        pg.controls.seed.value = 3
        pg.controls.step.click()                    # Step trains on from where it is
        assert pg.epoch == FIRST_EPOCHS + 20 and not pg.training
        for _ in range(5):
            await asyncio.sleep(0)
        assert pg.epoch == FIRST_EPOCHS + 20        # and the training after the change stopped
        pg.controls.seed.value = 4
        pg.controls.reset.click()
        for _ in range(5):
            await asyncio.sleep(0)
        assert pg.epoch == 0
        return pg

    asyncio.run(scenario())


def test_a_change_while_playing_trains_to_the_chosen_epochs_first():
    async def scenario():
        pg = playground(epochs=3000, epochs_per_frame=20)
        pg.controls.play.value = True
        pg.controls.seed.value = 3
        while pg.training:
            pg.clock.value += 1                     # ticks meanwhile wait for the training
            await asyncio.sleep(0)
        assert pg.epoch == 3000
        pg.clock.value += 1
        await asyncio.sleep(0)
        return pg

    assert asyncio.run(scenario()).epoch == 3000 + 20


def test_closing_stops_the_training():
    async def scenario():
        pg = playground()
        pg.controls.seed.value = 3
        pg.close()
        for _ in range(5):
            await asyncio.sleep(0)
        return pg

    assert asyncio.run(scenario()).epoch == FIRST_EPOCHS


# --- Step, Play and Reset ------------------------------------------------------

def test_step_trains_one_frame():
    pg = playground(epochs=1000, epochs_per_frame=50)
    before = views(pg)
    pg.controls.step.click()
    assert pg.epoch == 1050
    assert ">1,050<" in pg.views.counter
    after = views(pg)
    assert all(after[view] != before[view] for view in before)
    pg.controls.epochs_per_frame.value = 200
    pg.controls.step.click()
    assert pg.epoch == 1250
    # every view is on the one board: a frame is one message to the browser
    for view in views(pg):
        assert getattr(pg.views, view) in pg.views.board.value


def test_play_trains_on_every_tick_until_paused():
    pg = playground(epochs=1000, epochs_per_frame=20)
    pg.controls.play.value = True
    assert pg.clock.playing and pg.controls.play.description == "Pause"
    for _ in range(5):
        pg.clock.value += 1                         # what the browser's Play widget does
    assert pg.epoch == 1000 + 5 * TICK_FRAMES * 20  # without an event loop, all at once
    pg.controls.play.value = False
    assert not pg.clock.playing and pg.controls.play.description == "Play"
    pg.clock.value += 1
    assert pg.epoch == 1000 + 5 * TICK_FRAMES * 20  # a late tick after Pause trains nothing


def test_ticks_that_pile_up_make_one_larger_frame():
    async def ticks():
        # inside a running event loop, as in a kernel: a tick's first frame is drawn just
        # after it, its others FRAME_INTERVAL_MS apart; ticks meanwhile join the first
        pg = playground(epochs=1000, epochs_per_frame=20)
        pg.controls.play.value = True
        renders = pg.renders
        for _ in range(5):
            pg.clock.value += 1
        assert pg.epoch == 1000                     # nothing drawn yet
        await asyncio.sleep(0)                      # the kernel is free: the frame is drawn
        seen = [(pg.epoch, pg.renders - renders)]
        await asyncio.sleep(TICK_FRAMES * FRAME_INTERVAL_MS / 1000)
        seen.append((pg.epoch, pg.renders - renders))
        return seen

    all_frames = 5 * TICK_FRAMES
    assert asyncio.run(ticks()) == [(1000 + (all_frames - TICK_FRAMES + 1) * 20, 1),
                                    (1000 + all_frames * 20, TICK_FRAMES)]


def test_reset_goes_back_to_the_untrained_network():
    pg = playground(epochs=2000, seed=5)
    pg.controls.play.value = True
    pg.controls.reset.click()
    assert pg.epoch == 0 and not pg.controls.play.value
    fresh = Network([2, 4, 1], output_activation="sigmoid", seed=5)
    for p, q in zip(pg.net.parameters(), fresh.parameters()):
        np.testing.assert_array_equal(p, q)
    assert ">0<" in pg.views.counter
    pg.controls.step.click()
    assert pg.epoch == pg.controls.epochs_per_frame.value


def test_playing_for_long_keeps_memory_bounded():
    curve = LossCurve(capacity=1000)
    for first in range(0, 1_000_000, 20_000):
        curve.extend(first, np.linspace(1, 0, 20_000))
    assert len(curve.epochs) <= 1000
    assert curve.epochs[0] == 0 and curve.epochs[-1] >= 999_000 - curve.stride
    assert np.all(curve.epochs % curve.stride == 0)

    figures = plt.get_fignums()
    pg = playground(epochs=100, epochs_per_frame=1000)
    for _ in range(30):
        pg.controls.step.click()
    assert plt.get_fignums() == figures             # no pyplot figures: one reused Figure
    assert len(pg.curve.epochs) <= pg.curve.capacity


def test_memory_stays_flat_while_playing():
    pg = playground(epochs=100, epochs_per_frame=100)
    for _ in range(100):                            # fill matplotlib's caches first
        pg.controls.step.click()
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(300):
            pg.controls.step.click()
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert growth < 1_000_000       # a leaked 20 kB PNG per frame would be 6 MB


def test_close_releases_every_widget():
    open_widgets = len(ipywidgets.widgets.widget._instances)
    pg = playground(epochs=100)
    assert len(ipywidgets.widgets.widget._instances) > open_widgets
    pg.close()
    assert len(ipywidgets.widgets.widget._instances) == open_widgets


# --- Errors and divergence show in the playground --------------------------------

def test_an_error_in_a_callback_is_shown_in_the_playground():
    pg = playground(epochs=500)

    def broken(values):
        raise RuntimeError("the heatmap broke")

    working, pg.boundary_view.render = pg.boundary_view.render, broken
    pg.controls.play.value = True
    pg.controls.seed.value = 1                      # no exception escapes the callback
    assert "RuntimeError" in pg.views.message.value
    assert "the heatmap broke" in pg.views.message.value
    assert not pg.controls.play.value               # Play stops
    pg.boundary_view.render = working
    pg.controls.seed.value = 2
    assert pg.views.message.value == ""


def test_divergence_is_shown_and_stops_play():
    pg = playground(epochs=500)
    pg.controls.play.value = True
    pg.trainer.theta[:] = np.inf                    # as if a step had overflowed
    with warnings.catch_warnings():
        warnings.simplefilter("error")              # and no warning escapes either
        pg.controls.step.click()
    assert "diverged at epoch 500" in pg.views.message.value
    assert not pg.controls.play.value
    pg.controls.step.click()                        # stepping on does nothing more
    assert pg.trainer.diverged_at == 500


def test_unknown_settings_are_refused():
    with pytest.raises(TypeError, match="hidden_units"):
        playground(hidden_units=3)


@pytest.mark.parametrize("name, value, error, accepted", [
    ("dataset", "parity4", ValueError, "'xor', 'and', 'or', 'nand', 'parity3'"),
    ("dataset", None, ValueError, "'xor', 'and', 'or', 'nand', 'parity3'"),
    ("hidden_layers", 5, ValueError, "an integer from 0 to 4"),
    ("hidden_layers", 1.0, TypeError, "an integer from 0 to 4"),
    ("units", 0, ValueError, "an integer from 1 to 8"),
    ("units", True, TypeError, "an integer from 1 to 8"),
    ("activation", "softmax", ValueError, "'sigmoid', 'tanh', 'relu'"),
    ("lr", 100, ValueError, "a number from 0.001 to 10"),
    ("lr", 0.0001, ValueError, "a number from 0.001 to 10"),
    ("lr", float("nan"), ValueError, "a number from 0.001 to 10"),
    ("lr", "fast", TypeError, "a number from 0.001 to 10"),
    ("epochs", 20001, ValueError, "an integer from 0 to 20000"),
    ("epochs", -1, ValueError, "an integer from 0 to 20000"),
    ("seed", 100, ValueError, "an integer from 0 to 99"),
    ("epochs_per_frame", 3, ValueError, "1, 2, 5, 10"),
    ("epochs_per_frame", np.array([1, 2]), ValueError, "1, 2, 5, 10"),
])
def test_each_setting_out_of_range_is_refused_by_name(name, value, error, accepted):
    """Never silently clamped by the slider: a clear error naming the setting."""
    with pytest.raises(error, match=re.escape(f"{name} must be") + ".*" + re.escape(accepted)):
        playground(**{name: value})


def test_settings_at_their_limits_are_accepted():
    pg = playground(hidden_layers=4, units=8, lr=10, epochs=0, seed=99, epochs_per_frame=1000)
    assert pg.settings()["lr"] == 10.0 and pg.epoch == 0
    pg = playground(hidden_layers=0, units=1, lr=0.001, epochs=20, seed=0, dataset="parity3")
    assert pg.net.layer_sizes == [3, 1]


# --- The static picture and the tables ------------------------------------------

def test_the_display_carries_the_widget_and_a_picture_of_it():
    from io import BytesIO

    from PIL import Image

    pg = playground(epochs=3000)
    bundle = pg._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == pg.widget.model_id
    image = Image.open(BytesIO(base64.b64decode(bundle["image/png"])))
    assert image.size == (1000, 330)
    pixels = np.asarray(image.convert("RGB"))
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 100      # a picture, not a blank
    pg.controls.seed.value = 4
    assert pg.png() != base64.b64decode(bundle["image/png"])    # it shows the state now


def test_truth_table_header_cells_are_apart():
    pg = playground(epochs=100)
    headers = re.findall(r"<th style=\"([^\"]*)\">([^<]*)</th>", pg.views.table)
    assert [text for _, text in headers] == ["x₁", "x₂", "target y", "output ŷ", ""]
    assert all("padding" in style for style, _ in headers)


# --- Through a real kernel -----------------------------------------------------

def test_notebook_03_playground_reacts_in_a_kernel():
    """Run notebook 03 in a kernel, then move its slider with the message a browser sends."""
    notebook = nbformat.read(NOTEBOOK_03, as_version=4)
    for cell in notebook.cells:                  # keep a name for the notebook's playground
        if cell.cell_type == "code" and cell.source.rstrip().endswith("\nplayground()"):
            cell.source = cell.source.rstrip()[:-len("playground()")] + "pg = playground()\npg"
    cells = notebook.cells + [nbformat.v4.new_code_cell(source) for source in [
        "before, builds = pg.views.boundary, pg.builds\n"
        "print(pg.controls.units.model_id)",
        "assert pg.net.layer_sizes == [2, 7, 1], pg.net.layer_sizes\n"
        "assert pg.views.boundary != before\n"
        "assert pg.builds == builds + 1\n"
        "assert pg.views.network.count('<circle') == 2 + 7 + 1\n"
        "import asyncio\n"
        "for _ in range(3000):                 # the kernel's loop trains on, chunk by chunk\n"
        "    if not pg.training:\n"
        "        break\n"
        "    await asyncio.sleep(0.01)\n"
        "assert pg.epoch == 10000, pg.epoch\n"
        "print('ok')"]]
    notebook.cells = cells[:-1]
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK_03.parent)}})
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        model_id = notebook.cells[-1].outputs[0]["text"].strip()
        # what the browser sends when the 'units per layer' slider moves to 7
        update = {"comm_id": model_id,
                  "data": {"method": "update", "state": {"value": 7}, "buffer_paths": []}}
        client.kc.shell_channel.send(client.kc.session.msg("comm_msg", update))
        notebook.cells.append(cells[-1])
        client.execute_cell(cells[-1], len(notebook.cells) - 1)
    assert cells[-1].outputs[0]["text"] == "ok\n"
