"""Notebook 02's two widgets: the nudge panel and the backward-pass walk-through.

Set a widget's .value the way a student's slider or click does, and check what the panel
shows; then the same through a real kernel running the notebook (nbclient), with the
comm message a browser sends. tests/test_browser_notebook02.py drives them in Chromium.
"""
import json
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from nnlib import Network, datasets
from nnlib.widgets import backward_walk as walk_module
from nnlib.widgets.backward_walk import LAST, backward_walk, backward_values
from nnlib.widgets.nudge import SPAN, label, nudge_panel, parameter_names
from nnlib.widgets.picture import WIDGET_VIEW

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "02_gradient_derivation.ipynb"


@pytest.fixture
def data():
    return datasets.xor()


@pytest.fixture
def net():
    return Network([2, 3, 1], seed=0)


# ----------------------------------------------------------------------------- nudge panel

def test_nudge_starts_at_the_given_parameters_with_backprops_slope(net, data):
    X, y = data
    panel = nudge_panel(net.weights, net.biases, X, y)
    assert panel.parameter.value == ("W2", (0, 0))
    assert panel.slider.value == net.weights[1][0, 0]
    assert panel.slope == pytest.approx(net.gradients(X, y)[2][0, 0], rel=1e-12)
    assert panel.loss == pytest.approx(net.loss(X, y), rel=1e-12)
    assert panel.slider.min < panel.slider.value < panel.slider.max
    assert f"{panel.slope:.5f}" in panel.readout.value and panel.message.value == ""


def test_nudge_offers_every_parameter_entry(net, data):
    panel = nudge_panel(net.weights, net.biases, *data)
    values = [value for _, value in panel.parameter.options]
    assert values == parameter_names(net) and len(values) == 13
    assert label("W1", (0, 1)).startswith("W⁽¹⁾₁₂") and "W1[0, 1]" in label("W1", (0, 1))


@pytest.mark.parametrize("name", [("W1", (1, 2)), ("b1", (0,)), ("W2", (2, 0)), ("b2", (0,))])
def test_sliding_a_parameter_moves_the_point_along_its_curve(net, data, name):
    X, y = data
    panel = nudge_panel(net.weights, net.biases, X, y)
    panel.parameter.value = name
    before = panel.image.value
    panel.slider.value = panel.slider.value + 1.0
    moved = Network.from_parameters(net.weights, net.biases)
    arrays = moved.weights if name[0][0] == "W" else moved.biases
    arrays[int(name[0][1]) - 1][name[1]] = panel.slider.value
    order = ["W1", "b1", "W2", "b2"]
    assert panel.loss == pytest.approx(moved.loss(X, y), rel=1e-12)
    assert panel.slope == pytest.approx(moved.gradients(X, y)[order.index(name[0])][name[1]],
                                        rel=1e-9, abs=1e-15)
    assert panel.image.value != before and panel.message.value == ""


def test_the_tangent_slope_matches_a_nudge_of_the_loss(net, data):
    X, y = data
    panel = nudge_panel(net.weights, net.biases, X, y)
    panel.slider.value = -1.0
    eps, W2 = 1e-6, net.weights[1]
    W2[0, 0] = -1.0 + eps
    up = net.loss(X, y)
    W2[0, 0] = -1.0 - eps
    down = net.loss(X, y)
    assert panel.slope == pytest.approx((up - down) / (2 * eps), rel=1e-6)


def test_picking_another_parameter_starts_again_from_the_start(net, data):
    X, y = data
    panel = nudge_panel(net.weights, net.biases, X, y)
    panel.slider.value = 3.0
    panel.parameter.value = ("b1", (2,))
    start = net.biases[0][2]
    assert panel.slider.value == start
    assert (panel.slider.min, panel.slider.max) == (round(start - SPAN, 2), round(start + SPAN, 2))
    assert panel.loss == pytest.approx(net.loss(X, y), rel=1e-12)   # W2[0, 0] is back too


def test_the_panel_never_changes_the_callers_arrays(net, data):
    saved = [p.copy() for p in net.parameters()]
    panel = nudge_panel(net.weights, net.biases, *data)
    for name in [("W1", (0, 0)), ("b2", (0,))]:
        panel.parameter.value = name
        panel.slider.value = panel.slider.max
    assert all(np.array_equal(p, q) for p, q in zip(net.parameters(), saved))


def test_nudge_errors_show_in_the_panel(net, data, monkeypatch):
    panel = nudge_panel(net.weights, net.biases, *data)
    monkeypatch.setattr(panel, "redraw", lambda: 1 / 0)
    panel.slider.value = 0.0
    assert "ZeroDivisionError" in panel.message.value


def test_nudge_refuses_an_unknown_start(net, data):
    with pytest.raises(ValueError, match="start"):
        nudge_panel(net.weights, net.biases, *data, start=("W3", (0, 0)))


def test_nudge_draws_without_pyplot(net, data):
    open_figures = plt.get_fignums()
    panel = nudge_panel(net.weights, net.biases, *data)
    panel.slider.value = 0.5
    assert plt.get_fignums() == open_figures and panel.png() == panel.image.value


# ----------------------------------------------------------------------------- backward walk

def test_walk_starts_with_the_forward_pass_only():
    walk = backward_walk()
    assert walk.step.value == 0 and walk.sample.value == 3
    assert "data-step='0'" in walk.explanation.value
    assert f"{walk.values['loss']:.3g}" in walk.explanation.value


def test_each_step_button_shows_one_more_step():
    walk = backward_walk()
    images = {walk.image.value}
    for step in range(1, LAST + 1):
        walk.step_button.click()
        assert walk.step.value == step
        assert f"data-step='{step}'" in walk.explanation.value
        images.add(walk.image.value)
    walk.step_button.click()                       # past the last step: stays there
    assert walk.step.value == LAST
    assert len(images) == LAST + 1                 # every step drew something new
    walk.reset_button.click()
    assert walk.step.value == 0 and walk.message.value == ""


def test_each_step_completes_one_layer():
    """Step 1 is the whole output layer, (a) to (d); step 2 the whole hidden layer, (e) to (g)."""
    walk = backward_walk()
    assert LAST == 2
    walk.step_button.click()
    text = walk.explanation.value
    assert all(f"({letter})" in text for letter in "abcd") and "(e)" not in text
    assert "output layer" in text and f"{walk.values['dW2'][0, 0]:.3g}" in text
    walk.step_button.click()
    text = walk.explanation.value
    assert all(f"({letter})" in text for letter in "efg") and "(a)" not in text
    assert "hidden layer" in text and f"{walk.values['dW1'][0, 0]:.3g}" in text


def test_walk_values_are_backprop_and_the_derivation():
    net = Network([2, 2, 1], seed=0)
    X, y = datasets.xor()
    for i in range(4):
        x, target = X[i:i + 1], y[i:i + 1]
        v = backward_values(net, x, target)
        a0, a1, a2 = net.forward_trace(x)
        assert v["loss"] == pytest.approx(((a2 - target) ** 2).item())
        W1, W2 = net.weights
        np.testing.assert_allclose(v["dW2"], a1.T @ v["delta2"], rtol=1e-12)
        np.testing.assert_allclose(v["dW1"], x.T @ v["delta1"], rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(v["db1"], v["delta1"].sum(axis=0), rtol=1e-12)
        np.testing.assert_allclose(v["dloss_da1"], v["delta2"] @ W2.T, rtol=1e-12)


def test_choosing_another_sample_redraws():
    walk = backward_walk()
    walk.step.value = LAST
    before = walk.image.value, walk.values["loss"]
    walk.sample.value = 1                          # x = (0, 1), y = 1
    assert walk.image.value != before[0] and walk.values["loss"] != before[1]
    assert walk.values["dW1"][0].tolist() == [0.0, 0.0]   # x1 = 0: no gradient through it
    assert "x = (0, 1), y = 1" in dict((v, k) for k, v in walk.sample.options)[1]


def test_walk_picture_of_any_step_leaves_the_live_view_alone():
    walk = backward_walk()
    shown = walk.image.value
    picture = walk.png(step=LAST)
    assert picture != shown and walk.image.value == shown and walk.step.value == 0


def test_walk_errors_show_in_the_panel(monkeypatch):
    walk = backward_walk()
    monkeypatch.setattr(walk_module, "draw_walk", lambda *args: 1 / 0)
    walk.step_button.click()
    assert "ZeroDivisionError" in walk.message.value


def test_walk_refuses_other_networks_and_samples():
    with pytest.raises(ValueError, match="layer sizes"):
        backward_walk(Network([2, 3, 1], seed=0))
    with pytest.raises(ValueError, match="sample"):
        backward_walk(sample=4)


# ----------------------------------------------------------------------------- real kernel

PROBE = '''
import json
print(json.dumps(dict(nudge=nudge.readout.value, slider=nudge.slider.model_id,
                      walk=walk.explanation.value, step=walk.step.model_id,
                      button=walk.step_button.model_id)))
'''
READ_BACK = '''
print(json.dumps(dict(nudge=nudge.readout.value, slider=nudge.slider.value,
                      walk=walk.explanation.value, step=walk.step.value,
                      messages=[nudge.message.value, walk.message.value])))
'''


def printed_json(cell):
    text = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
    return json.loads(text.strip().splitlines()[-1])


def send(client, content):
    client.kc.shell_channel.send(client.kc.session.msg("comm_msg", content))


def test_widgets_react_in_a_real_kernel():
    """Run notebook 02 up to its widgets, then act as the browser: move the nudge slider
    and press Step twice, with the comm messages a browser sends."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    last = max(i for i, cell in enumerate(notebook.cells)
               if cell.cell_type == "code" and "backward_walk()" in cell.source)
    notebook.cells = notebook.cells[:last + 1] + [nbformat.v4.new_code_cell(PROBE),
                                                  nbformat.v4.new_code_cell(READ_BACK)]
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells[:-1]):
            client.execute_cell(cell, index)
        ids = printed_json(notebook.cells[-2])
        send(client, {"comm_id": ids["slider"], "data": {
            "method": "update", "state": {"value": -1.0}, "buffer_paths": []}})
        for _ in range(2):
            send(client, {"comm_id": ids["button"], "data": {
                "method": "custom", "content": {"event": "click"}}})
        client.execute_cell(notebook.cells[-1], len(notebook.cells) - 1)
    after = printed_json(notebook.cells[-1])

    for marker in ("nudge_panel(", "backward_walk()"):
        cell = next(c for c in notebook.cells if c.cell_type == "code" and marker in c.source)
        data = [out.get("data", {}) for out in cell.outputs]
        assert any(WIDGET_VIEW in d and "image/png" in d for d in data), marker
        assert not any(out.output_type == "error" or out.get("name") == "stderr"
                       for out in cell.outputs)
    assert "= 1.27:" in ids["nudge"] and "data-step='0'" in ids["walk"]
    assert after["slider"] == -1.0 and "= -1.00:" in after["nudge"]
    assert after["step"] == 2 and "data-step='2'" in after["walk"]
    assert after["messages"] == ["", ""]
