"""Every widget cell leaves a static picture, seen wherever a notebook is only read.

GitHub, nbviewer and `jupyter nbconvert --to html` have no kernel, so they show a
widget cell's committed outputs only. Each widget cell is exported to HTML as
nbconvert does it, and its pictures (<img> tags) are counted.

Add a notebook's widget cells to PICTURES: notebook -> {text that finds the cell: pictures}.
"""
import re
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

PICTURES = {
    "01_forward_pass.ipynb": {"neuron_explorer()": 1, "weights_panel()": 1},
    "02_gradient_derivation.ipynb": {"nudge_panel(": 1, "backward_walk()": 1},
}

CASES = [(notebook, marker, count) for notebook, cells in PICTURES.items()
         for marker, count in cells.items()]


def widget_cell(notebook, marker):
    """The one code cell whose source contains marker."""
    found = [cell for cell in notebook.cells
             if cell.cell_type == "code" and marker in cell.source]
    assert len(found) == 1, f"{len(found)} code cells contain {marker!r}"
    return found[0]


def html_of(notebook, cells):
    """The HTML that `jupyter nbconvert --to html` makes of these cells of the notebook."""
    part = nbformat.v4.new_notebook(cells=cells, metadata=notebook.metadata)
    body, _ = HTMLExporter().from_notebook_node(part)
    return body


@pytest.mark.parametrize("name, marker, count", CASES)
def test_widget_cell_exports_its_picture(name, marker, count):
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    cell = widget_cell(notebook, marker)
    outputs = [out.get("data", {}) for out in cell.outputs]
    assert not any(WIDGET_VIEW in data for data in outputs), "a stale widget view is committed"
    assert sum("image/png" in data for data in outputs) == count
    body = html_of(notebook, [cell])
    pictures = re.findall(r"<img [^>]*src=\"data:image/png;base64,", body)
    assert len(pictures) == count


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_whole_export_has_every_widget_picture(name):
    """The whole notebook's export holds at least its figures and every widget's picture."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    pngs = sum("image/png" in out.get("data", {}) for cell in notebook.cells
               if cell.cell_type == "code" for out in cell.outputs)
    body = html_of(notebook, notebook.cells)
    assert len(re.findall(r"<img [^>]*src=\"data:image/png", body)) == pngs
    assert "Error displaying widget" not in body
