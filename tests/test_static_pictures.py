"""Every widget cell leaves a static picture wherever a notebook is only read.

GitHub, nbviewer and an HTML export have no kernel, so they cannot show a live
widget; each widget cell's committed output must carry a picture of its panel
instead (nnlib.widgets.picture). The test exports each committed notebook with
`jupyter nbconvert --to html`, finds each widget cell, and counts the pictures
(<img>) in its output.

To add a widget cell: one entry in WIDGET_CELLS, (notebook, a piece of text found
in that cell's source and in no other cell, the number of pictures it must show).
"""
import functools
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from nnlib import Network, datasets

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

WIDGET_CELLS = [
    ("01_forward_pass.ipynb", "neuron_explorer()", 1),
    ("01_forward_pass.ipynb", "weights_panel()", 1),
    ("02_gradient_derivation.ipynb", "nudge_panel(", 1),
    ("02_gradient_derivation.ipynb", "backward_walk()", 1),
    ("03_xor_training.ipynb", "playground()", 1),
    ("04_hidden_size_experiment.ipynb", "sweep_panel(hidden=", 1),
]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@functools.lru_cache(maxsize=None)
def html_export(name):
    """The notebook as `jupyter nbconvert --to html` exports it."""
    result = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--stdout",
         str(NOTEBOOKS / name)],
        capture_output=True, text=True, timeout=300, check=True)
    return result.stdout


def widget_cell(name, marker):
    """The one cell of notebook name whose source contains marker."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    cells = [cell for cell in notebook.cells if marker in cell.source]
    assert len(cells) == 1, f"{name}: {len(cells)} cells contain {marker!r}, expected 1"
    return cells[0]


def exported_cell(html, cell_id):
    """The HTML of one cell of an export, from its <div> to the next cell's."""
    start = html.index(f'id="cell-id={cell_id}"')
    following = html.find('<div class="jp-Cell ', start)
    return html[start:following if following != -1 else len(html)]


@pytest.mark.parametrize("name, marker, pictures", WIDGET_CELLS,
                         ids=[f"{name[:2]}:{marker}" for name, marker, _ in WIDGET_CELLS])
def test_every_widget_cell_shows_its_picture_in_an_html_export(name, marker, pictures):
    cell = widget_cell(name, marker)
    for output in cell.outputs:
        # committed as a plain picture: no live view, which would need a kernel
        assert WIDGET_VIEW not in output.get("data", {}), f"{name}: a widget view was committed"
    exported = exported_cell(html_export(name), cell.id)
    images = re.findall(r"<img\b[^>]*>", exported)
    assert len(images) == pictures, f"{name}: {len(images)} pictures in the {marker!r} cell"
    assert all("data:image/png;base64," in image for image in images)


# Each panel, displayed, carries its live view AND a PNG drawn by its own code:
# (module, factory, small settings that keep the test quick)
NET_221, XOR = Network([2, 2, 1], seed=0), datasets.xor()
PANELS = [
    ("nnlib.widgets.sweep_panel", "sweep_panel", {"starts": 20, "epochs": 500}),
    ("nnlib.widgets.playground", "playground", {"epochs": 500}),
    ("nnlib.widgets.weights_panel", "weights_panel", {}),
    ("nnlib.widgets.neuron_explorer", "neuron_explorer", {}),
    ("nnlib.widgets.backward_walk", "backward_walk", {}),
    ("nnlib.widgets.nudge", "nudge_panel", {"weights": NET_221.weights, "biases": NET_221.biases,
                                            "X": XOR[0], "y": XOR[1]}),
]


@pytest.mark.parametrize("module, factory, settings", PANELS, ids=[p[1] for p in PANELS])
def test_every_panel_displays_its_widget_and_a_picture(module, factory, settings):
    import base64
    import importlib

    panel = getattr(importlib.import_module(module), factory)(**settings)
    bundle = panel._repr_mimebundle_()
    assert WIDGET_VIEW in bundle and bundle["text/plain"]
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
