"""Tests for notebook 01's two panels: nnlib/widgets/weights_panel.py and neuron_explorer.py.

Headless tests build the panel in this process and set slider values as a browser would.
The kernel test runs notebook 01 up to the panel in a real Jupyter kernel, then moves
sliders twice: from code in a later cell, and with the comm message a browser sends.
"""
import json
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

matplotlib.use("Agg")   # only in this process; the kernel keeps the notebook's backend

import matplotlib.pyplot as plt  # noqa: E402

from nnlib import Network  # noqa: E402
from nnlib.widgets import weights_panel as panels  # noqa: E402
from nnlib.widgets import neuron_explorer as explorers  # noqa: E402
from nnlib.widgets.neuron_explorer import neuron_explorer  # noqa: E402
from nnlib.widgets.weights_panel import PRESETS, hand_picked_xor, weights_panel  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "01_forward_pass.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def views(panel):
    """What the student sees: the picture's PNG bytes and the truth table's HTML."""
    return bytes(panel.boundary.value), panel.truth_table.value


def assert_parameters(panel, expected):
    for got, want in zip(panel.parameters(), expected):
        np.testing.assert_allclose(got, want)


# ----------------------------------------------------------------------------- headless

def test_starts_from_the_hand_picked_xor_weights():
    panel = weights_panel()
    assert_parameters(panel, hand_picked_xor())
    assert bytes(panel.boundary.value).startswith(b"\x89PNG")
    assert "4 of 4 right" in panel.truth_table.value
    assert "squared error" not in panel.truth_table.value   # notebook 01 has no loss yet
    assert panel.truth_table.value.count("✓") == 4
    assert panel.message.value == ""
    np.testing.assert_allclose(panel.network.predict(panel.X), panel.y)


def test_sliders_are_labelled_like_the_notebook():
    panel = weights_panel()
    assert len(panel.sliders) == 9
    assert panel.sliders["W1[0, 1]"].description == "$W^{(1)}_{12}$"
    assert panel.sliders["b1[1]"].description == "$b^{(1)}_{2}$"
    assert panel.sliders["W2[1, 0]"].description == "$W^{(2)}_{21}$"
    assert panel.sliders["b2[0]"].description == "$b^{(2)}_{1}$"


@pytest.mark.parametrize("name", ["W1[0, 0]", "W1[1, 0]", "b1[0]", "W1[0, 1]", "W1[1, 1]",
                                  "b1[1]", "W2[0, 0]", "W2[1, 0]", "b2[0]"])
def test_every_slider_moves_both_views_and_the_network(name):
    panel = weights_panel()
    image, table = views(panel)
    panel.sliders[name].value = 0.0   # every hand-picked weight is nonzero
    new_image, new_table = views(panel)
    assert new_image != image
    assert new_table != table
    array, index = name.split("[")
    index = tuple(int(i) for i in index.rstrip("]").split(","))
    layer = int(array[1]) - 1
    arrays = panel.network.weights if array[0] == "W" else panel.network.biases
    assert arrays[layer][index] == 0.0
    assert panel.message.value == ""


def test_flipping_the_output_neuron_shows_in_the_truth_table():
    panel = weights_panel()
    panel.sliders["W2[0, 0]"].value = -10.0
    panel.sliders["W2[1, 0]"].value = -10.0
    assert "2 of 4 right" in panel.truth_table.value       # answers 0 everywhere
    panel.sliders["b2[0]"].value = 15.0
    assert "0 of 4 right" in panel.truth_table.value       # XNOR: every answer flipped
    assert panel.truth_table.value.count("✗") == 4


def test_presets_set_every_slider():
    panel = weights_panel()
    first_view = views(panel)
    panel.buttons["random start (seed 0)"].click()
    net = Network([2, 2, 1], seed=0)
    assert_parameters(panel, [net.weights[0], net.biases[0], net.weights[1], net.biases[1]])
    np.testing.assert_allclose(panel.network.forward(panel.X), net.forward(panel.X))
    assert "2 of 4 right" in panel.truth_table.value
    assert views(panel) != first_view
    panel.buttons["hand-picked XOR weights"].click()
    assert_parameters(panel, hand_picked_xor())
    assert views(panel) == first_view   # the views depend on the weights only


def test_an_error_in_a_slider_callback_shows_in_the_panel(monkeypatch):
    panel = weights_panel()

    def broken(*args, **kwargs):
        raise RuntimeError("the picture broke")

    monkeypatch.setattr(panels, "plot_decision_boundary", broken)
    panel.sliders["b2[0]"].value = -5.0        # must not raise: ipywidgets would only log it
    assert "RuntimeError: the picture broke" in panel.message.value
    assert "traceback" in panel.message.value
    monkeypatch.undo()
    panel.sliders["b2[0]"].value = -15.0       # fixed: the error line goes away
    assert panel.message.value == ""


def test_an_error_in_a_button_callback_shows_in_the_panel(monkeypatch):
    panel = weights_panel()
    monkeypatch.setitem(PRESETS, "random start (seed 0)", lambda: (np.zeros(3),) * 4)
    panel.buttons["random start (seed 0)"].click()
    assert "ValueError: W1 must have shape (2, 2); got (3,)" in panel.message.value
    assert_parameters(panel, hand_picked_xor())   # nothing was half loaded


def test_bad_starting_weights_are_refused():
    with pytest.raises(ValueError, match=r"b1 must have shape \(2,\); got \(3,\)"):
        weights_panel(b1=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="W2 must stay within the sliders' range"):
        weights_panel(W2=[[50.0], [0.0]])


def test_given_weights_are_used():
    W1 = np.array([[1.0, 2.0], [3.0, 4.0]])
    panel = weights_panel(W1=W1)
    _, b1, W2, b2 = hand_picked_xor()
    assert_parameters(panel, [W1, b1, W2, b2])


def test_redraws_reuse_one_figure():
    """Memory does not grow: no pyplot figures, and the same number of artists each time."""
    open_figures = plt.get_fignums()
    panel = weights_panel()

    def artists():
        return [len(ax.get_children()) for ax in panel.figure.axes]

    before = artists()
    for value in np.arange(-10.0, 10.0, 0.5):
        panel.sliders["W1[0, 0]"].value = value
    panel.sliders["W1[0, 0]"].value = 10.0
    assert artists() == before
    assert len(panel.figure.axes) == 2          # the plane and the colour bar
    assert plt.get_fignums() == open_figures


# ----------------------------------------------------------------------------- neuron explorer

def test_explorer_starts_on_xor_with_three_of_four_right():
    explorer = neuron_explorer()
    assert (explorer.gate.value, explorer.w1.value, explorer.w2.value, explorer.b.value) == \
        ("XOR", 10.0, 10.0, -5.0)
    assert explorer.correct == 3 and explorer.message.value == ""
    assert bytes(explorer.image.value).startswith(b"\x89PNG")


def test_explorer_sliders_and_gate_redraw():
    explorer = neuron_explorer()
    before = bytes(explorer.image.value)
    explorer.gate.value = "AND"                  # OR's weights on AND: 2 of 4
    assert explorer.correct == 2 and bytes(explorer.image.value) != before
    explorer.b.value = -15.0                     # now AND's weights: all 4
    assert explorer.correct == 4
    explorer.gate.value = "NAND"
    explorer.w1.value, explorer.w2.value, explorer.b.value = -10.0, -10.0, 15.0
    assert explorer.correct == 4 and explorer.message.value == ""


def test_no_slider_setting_gets_all_of_xor():
    values = np.arange(-20.0, 20.5, 2.5)
    best = max(explorers.correct_count("XOR", w1, w2, b)
               for w1 in values for w2 in values for b in values)
    assert best == 3


def test_explorer_picture_shows_the_values_and_leaves_the_view_alone():
    explorer = neuron_explorer(gate="OR", w1=10.0, w2=10.0, b=-5.0)
    shown = bytes(explorer.image.value)
    picture = explorer.png()
    assert picture.startswith(b"\x89PNG") and picture != shown
    assert bytes(explorer.image.value) == shown


def test_explorer_errors_show_in_the_panel(monkeypatch):
    explorer = neuron_explorer()
    monkeypatch.setattr(explorers, "draw_neuron", lambda *args: 1 / 0)
    explorer.w1.value = 0.0
    assert "ZeroDivisionError" in explorer.message.value


def test_explorer_refuses_an_unknown_gate():
    with pytest.raises(ValueError, match="gate must be one of"):
        neuron_explorer(gate="XNOR")


# ----------------------------------------------------------------------------- real kernel

FIND_SLIDER = '''
import json


def find(widget, description):
    """The widget with this description, searched through the panel's boxes."""
    if getattr(widget, "description", None) == description:
        return widget
    for child in getattr(widget, "children", ()):
        found = find(child, description)
        if found is not None:
            return found
    return None


def report(**extra):
    print(json.dumps(dict(table=panel.truth_table.value, image=len(panel.boundary.value),
                          message=panel.message.value, **extra)))
'''

MOVE_FROM_CODE = '''
before = panel.truth_table.value, panel.boundary.value
find(panel, "$W^{(2)}_{11}$").value = -10.0
report(image_changed=panel.boundary.value != before[1],
       ids={d: find(panel, d).model_id for d in ["$W^{(2)}_{21}$", "$b^{(2)}_{1}$"]},
       explorer_b=explorer.b.model_id, explorer_correct=explorer.correct)
'''

READ_BACK = '''
report(image_changed=panel.boundary.value != before[1],
       W2=panel.network.weights[1].tolist(), b2=panel.network.biases[1].tolist(),
       explorer_correct=explorer.correct, explorer_message=explorer.message.value)
'''


def printed_json(cell):
    text = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
    return json.loads(text)


def browser_moves_slider(client, model_id, value):
    """Send the comm message a browser sends when the student drops a slider."""
    content = {"comm_id": model_id,
               "data": {"method": "update", "state": {"value": value}, "buffer_paths": []}}
    client.kc.shell_channel.send(client.kc.session.msg("comm_msg", content))


def test_panel_reacts_in_a_real_kernel():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    panel_cell = next(i for i, cell in enumerate(notebook.cells)
                      if cell.cell_type == "code" and "weights_panel()" in cell.source)
    probes = [nbformat.v4.new_code_cell(source)
              for source in (FIND_SLIDER, MOVE_FROM_CODE, READ_BACK)]
    notebook.cells = notebook.cells[:panel_cell + 1] + probes
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells[:-1]):
            client.execute_cell(cell, index)
        moved = printed_json(notebook.cells[-2])
        browser_moves_slider(client, moved["ids"]["$W^{(2)}_{21}$"], -10.0)
        browser_moves_slider(client, moved["ids"]["$b^{(2)}_{1}$"], 15.0)
        browser_moves_slider(client, moved["explorer_b"], 5.0)      # XOR, w = (10, 10)
        client.execute_cell(notebook.cells[-1], len(notebook.cells) - 1)
    read_back = printed_json(notebook.cells[-1])

    shown = notebook.cells[panel_cell].outputs
    assert any(WIDGET_VIEW in out.get("data", {}) for out in shown), "the cell shows no panel"
    assert not any(out.output_type == "error" or out.get("name") == "stderr" for out in shown)

    assert moved["image_changed"] and moved["message"] == ""
    assert "2 of 4 right" in moved["table"]           # W2_11 = -10 from code
    assert read_back["W2"] == [[-10.0], [-10.0]] and read_back["b2"] == [15.0]
    assert "0 of 4 right" in read_back["table"]       # and the rest from the "browser"
    assert read_back["message"] == ""
    assert moved["explorer_correct"] == 3                # the explorer starts on XOR ...
    assert read_back["explorer_correct"] == 2            # ... b = 5: every sample says 1
    assert read_back["explorer_message"] == ""
