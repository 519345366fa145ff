"""nnlib's layout: a thin core, and imports that run one way only.

    core (nnlib/*.py)  <-  nnlib/fast  <-  nnlib/experiments  <-  nnlib/widgets, nnlib/cli
"""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

NNLIB = Path(__file__).resolve().parents[1] / "nnlib"
LAYERS = {"core": 0, "fast": 1, "experiments": 2, "widgets": 3, "exercises": 3, "cli": 3,
          "__main__": 4}
HEAVY = ("matplotlib", "ipywidgets", "multiprocessing", "concurrent", "PIL", "tqdm", "IPython")


def layer_of(module):
    """The layer of a module name relative to nnlib, such as 'fast.trainer' or 'network'."""
    first = module.split(".")[0]
    return first if first in LAYERS else "core"


def imports_of(path):
    """The nnlib modules a file imports, as names relative to nnlib ('fast.stack', 'network')."""
    package = path.relative_to(NNLIB).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[:len(package) - node.level + 1])
                target = ".".join(base + ([node.module] if node.module else []))
                names = [target] if node.module else [f"{target}.{a.name}".strip(".")
                                                       for a in node.names]
                found += names
            elif node.module and node.module.startswith("nnlib."):
                found.append(node.module[len("nnlib."):])
        elif isinstance(node, ast.Import):
            found += [a.name[len("nnlib."):] for a in node.names if a.name.startswith("nnlib.")]
    return [name for name in found if name]


FILES = sorted(NNLIB.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(NNLIB)))
def test_imports_run_one_way(path):
    here = layer_of(".".join(path.relative_to(NNLIB).with_suffix("").parts))
    for target in imports_of(path):
        there = layer_of(target)
        assert LAYERS[there] <= LAYERS[here], (
            f"{path.relative_to(NNLIB)} ({here}) imports {target} ({there}): "
            f"imports must run core <- fast <- experiments <- widgets/cli")
        if here == there == "widgets" or LAYERS[here] == 3:
            assert there == here or LAYERS[there] < 3, f"{path} imports the sibling {target}"


def test_the_layout_has_every_layer():
    assert len(FILES) >= 15
    assert {layer_of(".".join(p.relative_to(NNLIB).with_suffix("").parts)) for p in FILES} >= {
        "core", "fast", "experiments", "widgets", "cli"}


def test_import_nnlib_loads_numpy_and_nothing_heavy():
    code = ("import sys, nnlib; "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]", f"import nnlib loaded {out}"
