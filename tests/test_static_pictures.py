"""A picture under every widget: what GitHub, nbviewer and an HTML export show.

Each notebook's widget cells are listed below, found by a piece of their source,
with the number of pictures each must leave in its committed output. The test
exports the committed notebook to HTML with nbconvert (what nbviewer does) and
counts the <img> in each widget cell. Add one entry per widget cell.
"""
import re
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

# notebook -> {a piece of the widget cell's source: pictures it must show}
WIDGET_CELLS = {
    "03_xor_training.ipynb": {"playground()": 1},
}


def html_cells(notebook):
    """The exported HTML of each cell, in the notebook's order."""
    body, _ = HTMLExporter().from_notebook_node(notebook)
    pieces = re.split(r'<div class="jp-Cell ', body)[1:]
    assert len(pieces) == len(notebook.cells), "could not split the export into cells"
    return pieces


CASES = [(name, marker, count) for name, cells in WIDGET_CELLS.items()
         for marker, count in cells.items()]


@pytest.mark.parametrize("name, marker, count", CASES, ids=[f"{n}:{m}" for n, m, _ in CASES])
def test_every_widget_cell_leaves_a_picture(name, marker, count):
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    index = [i for i, cell in enumerate(notebook.cells)
             if cell.cell_type == "code" and marker in cell.source]
    assert len(index) == 1, f"{name}: {len(index)} code cells contain {marker!r}, expected 1"
    exported = html_cells(notebook)[index[0]]
    assert exported.count("<img") == count, (
        f"{name}, cell {index[0]} ({marker!r}): {exported.count('<img')} pictures in the HTML "
        f"export, expected {count}; re-execute the notebook with tests/execute_notebooks.py")
