"""How the repository sets itself up: the Python `make` picks, and `make links`."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
MAKE = shutil.which("make")


def pyenv_python(version):
    """pyenv's python{version} (the real binary, not a shim), or None."""
    found = sorted(PYENV.glob(f"{version}.*/bin/python{version}"))
    return found[-1] if found else None


def which_python(tmp_path, links):
    """`make which-python` with a path that holds only these interpreters (name -> version)."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    os.symlink(shutil.which("id"), bin_ / "id")         # the Makefile asks who runs it
    for name, version in links.items():
        python = pyenv_python(version)
        if python is None:
            pytest.skip(f"needs pyenv's Python {version}")
        os.symlink(python, bin_ / name)
    env = {**os.environ, "PATH": str(bin_)}
    env.pop("PYTHON", None)
    return subprocess.run([MAKE, "-s", "--no-print-directory", "which-python"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(MAKE is None, reason="needs make")
@pytest.mark.parametrize("links, chosen", [
    ({"python3": "3.12", "python3.13": "3.13"}, "python3: Python 3.12"),
    ({"python3": "3.10", "python3.11": "3.11", "python3.12": "3.12"}, "python3.12: Python 3.12"),
    ({"python3.11": "3.11"}, "python3.11: Python 3.11"),
    ({"python3": "3.10", "python3.13": "3.13", "python3.11": "3.11"}, "python3.13: Python 3.13"),
])
def test_make_uses_python3_when_new_enough_else_the_newest(tmp_path, links, chosen):
    result = which_python(tmp_path, links)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(chosen)


@pytest.mark.skipif(MAKE is None, reason="needs make")
def test_make_says_what_to_do_without_a_python_3_11(tmp_path):
    result = which_python(tmp_path, {"python3": "3.10"})
    assert result.returncode != 0
    assert "needs Python 3.11 or newer" in result.stderr
    assert "make PYTHON=" in result.stderr


# --- make links ------------------------------------------------------------------

@pytest.fixture
def copy(tmp_path):
    """The files `make links` rewrites, and the script, in a temporary folder."""
    for name in ("README.md", "pyproject.toml", "notebooks", "tests/repository_links.py"):
        source, target = ROOT / name, tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    return tmp_path


def links(copy, *args):
    return subprocess.run([sys.executable, "tests/repository_links.py", *args], cwd=copy,
                          capture_output=True, text=True, timeout=120, check=True).stdout


def snapshot(folder):
    return {path.relative_to(folder): path.read_bytes() for path in folder.rglob("*")
            if path.is_file()}


def test_links_write_the_path_everywhere_once(copy):
    links(copy, "--repo", "a-teacher/xor.course")
    first = snapshot(copy)
    links(copy)
    assert snapshot(copy) == first                  # idempotent
    assert 'Repository = "https://github.com/a-teacher/xor.course"' in (
        copy / "pyproject.toml").read_text()
    readme = (copy / "README.md").read_text()
    assert "OWNER/REPO" not in readme
    assert "mybinder.org/v2/gh/a-teacher/xor.course/HEAD?urlpath=voila/render/app/playground.ipynb" in readme
    for path in sorted((copy / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        assert notebook.cells[0].source.startswith("# ")             # the title stays first
        badges = notebook.cells[1]
        assert "nnlib-badges" in badges.metadata.tags
        assert f"colab.research.google.com/github/a-teacher/xor.course/blob/main/notebooks/{path.name}" in badges.source
        assert f"urlpath=lab/tree/notebooks/{path.name}" in badges.source
        install = next(cell for cell in notebook.cells if cell.cell_type == "code")
        assert "nnlib-colab-install" in install.metadata.tags
        assert "git+https://github.com/a-teacher/xor.course" in install.source
        assert "OWNER/REPO" not in path.read_text()


def test_the_committed_notebooks_have_their_links(copy):
    """`make links` was run after the last change of the notebooks: it changes nothing."""
    before = snapshot(copy)
    links(copy)
    changed = [str(name) for name, data in snapshot(copy).items() if before.get(name) != data]
    assert not changed, f"run `make links` (then `make notebooks`): it rewrites {changed}"


def test_the_install_cell_does_nothing_outside_colab(tmp_path):
    notebook = nbformat.read(ROOT / "notebooks" / "01_forward_pass.ipynb", as_version=4)
    install = next(cell for cell in notebook.cells if "nnlib-colab-install" in
                   cell.metadata.get("tags", []))
    assert 'if "google.colab" in sys.modules:' in install.source
    result = subprocess.run([sys.executable, "-c", install.source], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
