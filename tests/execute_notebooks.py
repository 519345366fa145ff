"""Re-execute notebooks in place, the way `make notebooks` commits them.

Each notebook runs top to bottom in a fresh kernel, in its own folder. Then
widget views are stripped from the saved outputs: without a live kernel
JupyterLab could not display them ("Error displaying widget"), and nbval does
not compare them anyway. Each widget's static picture stays. A widget cell
shows its live widgets once it is run.

    python tests/execute_notebooks.py notebooks/*.ipynb
"""
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def strip_widget_views(notebook):
    """Keep each widget's static picture, drop its live view and the saved widget state.

    A panel shown through nnlib.widgets.picture carries a PNG beside its widget
    view: the PNG stays, so GitHub, nbviewer and an HTML export show the panel.
    A bare widget (no picture) loses its output, and its cell is tagged
    nbval-ignore-output: nbval still runs it, but does not compare what it
    shows with the (empty) committed output.
    """
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept, dropped = [], False
        for out in cell.outputs:
            data = out.get("data", {})
            if WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                if "image/png" not in data:
                    dropped = True
                    continue
            kept.append(out)
        cell.outputs = kept
        if dropped:
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
