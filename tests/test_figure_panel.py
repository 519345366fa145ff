"""figure_panel: controls beside a matplotlib figure, without an Output widget.

It replaces ipywidgets.interactive + plt.show() where a notebook runs under
nbclient: an Output widget makes nbclient write to the kernel's shell channel
while it waits there for the cell's reply, and about one cell in twenty then
waits for its whole timeout (see nnlib/widgets/figure_panel.py).
"""
import base64

import ipywidgets as widgets
import nbformat
import pytest
from nbclient import NotebookClient

from nnlib.widgets.figure_panel import figure_panel


def draw_line(ax, slope, colour):
    ax.plot([0, 1], [0, slope], color=colour)


def make_panel():
    return figure_panel(draw_line, slope=widgets.FloatSlider(value=1.0, min=-2, max=2),
                        colour=widgets.Dropdown(options=["red", "blue"], value="red"))


def test_each_control_redraws_the_figure():
    panel = make_panel()
    pictures = [bytes(panel.image.value)]
    panel.controls["slope"].value = -1.0
    pictures.append(bytes(panel.image.value))
    panel.controls["colour"].value = "blue"
    pictures.append(bytes(panel.image.value))
    assert len(set(pictures)) == 3 and panel.message.value == ""
    assert panel.values() == {"slope": -1.0, "colour": "blue"}


def test_an_error_in_draw_is_shown_in_the_panel():
    def draw(ax, slope):
        if slope < 0:
            raise ValueError("negative slopes are not drawn")
        ax.plot([0, 1], [0, slope])

    panel = figure_panel(draw, slope=widgets.FloatSlider(value=1.0, min=-2, max=2))
    panel.controls["slope"].value = -1.0
    assert "ValueError: negative slopes are not drawn" in panel.message.value
    panel.controls["slope"].value = 0.5
    assert panel.message.value == ""


def test_the_display_carries_the_widget_and_the_figure():
    panel = make_panel()
    bundle = panel._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]) == bytes(panel.image.value)
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == panel.widget.model_id


def test_controls_must_be_value_widgets():
    with pytest.raises(TypeError, match="slope"):
        figure_panel(draw_line, slope=3)
    with pytest.raises(TypeError, match="at least one control"):
        figure_panel(draw_line)


def test_under_nbclient_no_output_widget_is_made():
    """nbclient writes to the shell channel only for Output widgets: none here."""
    source = ("import ipywidgets as widgets\n"
              "from nnlib.widgets.figure_panel import figure_panel\n"
              "def draw(ax, w):\n    ax.plot([0, 1], [0, w])\n"
              "figure_panel(draw, w=widgets.FloatSlider(value=1.0))")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    client = NotebookClient(notebook, timeout=120, kernel_name="python3")
    client.execute()
    models = [state.get("_model_name") for state in client.widget_state.values()]
    assert "ImageModel" in models and "OutputModel" not in models
    assert "image/png" in notebook.cells[0].outputs[0]["data"]
