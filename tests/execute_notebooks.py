"""Re-execute notebooks in place, the way `make notebooks` commits them.

Each notebook runs top to bottom in a fresh kernel, in its own folder. Then
widget views are stripped from the saved outputs: without a live kernel
JupyterLab could not display them ("Error displaying widget"), and nbval does
not compare them anyway. A widget cell shows its widgets once it is run.

    python tests/execute_notebooks.py notebooks/*.ipynb
"""
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def strip_widget_views(notebook):
    """Drop the outputs of cells that show widgets, and the saved widget state.

    Such a cell is tagged nbval-ignore-output: nbval still runs it, but does
    not compare what it shows with the (empty) committed output.
    """
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if any(WIDGET_VIEW in out.get("data", {}) for out in cell.outputs):
            cell.outputs = []
            tags = cell.metadata.setdefault("tags", [])
            if "nbval-ignore-output" not in tags:
                tags.append("nbval-ignore-output")
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)   # timestamps: noise in every diff


def execute(path):
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    strip_widget_views(notebook)
    nbformat.write(notebook, path)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"executing {name}", flush=True)
        execute(name)
