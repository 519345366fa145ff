"""The collection where students open it: Binder, Google Colab's versions, Python 3.11-3.13.

Each test builds a venv of its own, once, under .venv/envs/: named after what it is for and
a hash of the interpreter and the requirements, so that the next `make test` reuses it (and
a change of requirements builds a new one). Installs go through pip's cache.

- Binder, without Docker: the venv of binder/runtime.txt's Python installs
  binder/requirements.txt; binder/postBuild runs from the repository's root (a copy, as
  repo2docker copies it); JupyterLab starts under a base URL as on mybinder.org; Chromium
  opens notebook 01's Binder URL and runs it, and the Voilà app's URL and moves its slider.
- Google Colab's kernel side: a venv with Colab's versions installs nnlib from a wheel built
  from the repository, and runs every notebook, copied alone into an empty folder, headless.
- Python 3.11, 3.12 and 3.13: the unit tests, the exact reproduction among them.

All are marked `environments` (make test-fast leaves them out). A missing interpreter fails
its test, saying how to install it.
"""
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import nbformat
import pytest

from test_browser import (ARTIFACTS, CHROMIUM, KERNEL_START, LAB_SETTINGS, Server,  # noqa: F401
                          browser, count_units, free_port, move_units_slider, page,
                          shut_down_kernels, wait_for_idle_kernel)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ENVS = ROOT / ".venv" / "envs"
INSTALL_TIMEOUT = 1200          # seconds: a cold pip cache on a busy machine
VERSIONS = ("3.11", "3.12", "3.13")
# Google Colab's versions (googlecolab/backend-info, August 2026).
COLAB_PYTHON = "3.13"
COLAB_PINS = ("ipywidgets==7.7.1", "numpy==2.1.3", "matplotlib==3.10.0", "ipykernel==6.17.1",
              "ipython==7.34.0")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

pytestmark = pytest.mark.environments


# --- Interpreters and venvs ---------------------------------------------------------

def run(command, timeout=INSTALL_TIMEOUT, **kwargs):
    """Run a command; fail the test with its output if it fails."""
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                            timeout=timeout, **kwargs)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, command))} exited {result.returncode}:\n"
                    f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def interpreter(version):
    """The newest python{version}: pyenv's, or else one on the path. Fails if there is none."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    releases = [p for p in pyenv.glob(f"{version}.*")
                if re.fullmatch(rf"{re.escape(version)}\.\d+", p.name)]
    releases.sort(key=lambda p: int(p.name.rsplit(".", 1)[1]), reverse=True)
    candidates = [p / "bin" / f"python{version}" for p in releases]
    candidates.append(shutil.which(f"python{version}"))
    for candidate in filter(None, candidates):
        check = subprocess.run([str(candidate), "-c", "import sys; print(sys.version)"],
                               capture_output=True, text=True)
        if check.returncode == 0 and check.stdout.startswith(f"{version}."):
            return str(candidate)
    pytest.fail(f"Python {version} is missing: neither pyenv ({pyenv}) nor the path has "
                f"python{version}. Install it, e.g. `pyenv install {version}`.")


def cached_venv(name, python, *installs, key_files=()):
    """A venv under .venv/envs/, built once per interpreter and requirements; its bin/ folder.

    installs: one list of pip install arguments per pip call, in order.
    """
    version = run([python, "-c", "import sys; print(sys.version)"]).stdout
    digest = hashlib.sha256(f"{python}\n{version}\n{installs}".encode())
    for path in key_files:
        digest.update(path.read_bytes())
    venv = ENVS / f"{name}-{digest.hexdigest()[:12]}"
    if not (venv / ".complete").exists():
        for old in ENVS.glob(f"{name}-*"):          # another interpreter or requirements
            shutil.rmtree(old)
        run([python, "-m", "venv", venv])
        for arguments in installs:
            run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", *arguments],
                cwd=ROOT)
        (venv / ".complete").write_text(version)
    return venv / "bin"


def copy_repository(destination):
    """The repository's files, without local venvs, builds and caches."""
    shutil.copytree(ROOT, destination, ignore=shutil.ignore_patterns(
        ".venv", ".git", "__pycache__", "*.egg-info", ".pytest_cache", ".hypothesis", "build",
        "dist", "results", "test-artifacts", ".ipynb_checkpoints"))
    return destination


def dev_pins(*names):
    """The exact pins of these packages in requirements-dev.txt (one place for pins)."""
    pins = {}
    for line in (ROOT / "requirements-dev.txt").read_text().splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==\S+", line.split("#")[0].strip())
        if match:
            pins[match.group(1).lower()] = match.group(0)
    return [pins[name] for name in names]


# --- Python 3.11, 3.12, 3.13: the unit tests and the exact reproduction ---------------

def unit_tests_on(version, workdir):
    """Build version's venv, run the unit tests in it; (returncode, output, junit xml path)."""
    python = interpreter(version)
    bin_ = cached_venv(f"python{version}", python,
                       ["-r", ROOT / "requirements.txt", *dev_pins("pytest", "hypothesis",
                                                                    "nbclient")],
                       ["--no-deps", "-e", ROOT],
                       key_files=[ROOT / "requirements.txt", ROOT / "requirements-dev.txt",
                                  ROOT / "pyproject.toml"])
    junit = workdir / f"junit-{version}.xml"
    result = subprocess.run(
        [bin_ / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
         "-m", "not browser and not server and not environments", "--ignore=tests/test_binder.py",
         f"--junitxml={junit}", "tests"],
        cwd=ROOT, capture_output=True, text=True, timeout=1800)
    return result.returncode, result.stdout + result.stderr, junit


@pytest.fixture(scope="module")
def unit_test_runs(tmp_path_factory):
    """Start the runs for the versions other than this one, two at a time (two cores)."""
    workdir = tmp_path_factory.mktemp("versions")
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
    runs = {version: pool.submit(unit_tests_on, version, workdir) for version in VERSIONS
            if version != "%d.%d" % sys.version_info[:2]}
    yield runs
    pool.shutdown(wait=True)


@pytest.mark.parametrize("version", VERSIONS)
def test_unit_tests_and_exact_reproduction_pass_on(version, unit_test_runs):
    if version not in unit_test_runs:
        interpreter(version)
        pytest.skip(f"Python {version} runs this very suite: its unit tests and the "
                    f"reproduction run in this same `make test`")
    returncode, output, junit = unit_test_runs[version].result()
    assert returncode == 0, output[-5000:]
    cases = ElementTree.parse(junit).getroot().iter("testcase")
    reproduction = [case for case in cases if "test_reproduction" in case.get("classname", "")]
    assert reproduction, "tests/test_reproduction.py did not run"
    for case in reproduction:
        assert not list(case), f"{case.get('name')}: {[child.tag for child in case]}"


# --- Google Colab's versions: every notebook, headless ----------------------------------

@pytest.fixture(scope="module")
def colab_kernel(tmp_path_factory):
    """A kernel spec for a venv with Colab's versions, with nnlib installed from a wheel."""
    work = tmp_path_factory.mktemp("colab")
    bin_ = cached_venv("colab", interpreter(COLAB_PYTHON), list(COLAB_PINS))
    source = copy_repository(work / "repository")
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", work / "wheels",
         source])
    wheel, = (work / "wheels").glob("nnlib-*.whl")
    python = bin_ / "python"
    subprocess.run([python, "-m", "pip", "uninstall", "--quiet", "-y", "nnlib"],
                   capture_output=True)
    run([python, "-m", "pip", "install", "--quiet", wheel])       # with its dependencies
    found = json.loads(run([python, "-c", "import json, IPython, ipykernel, ipywidgets, "
                            "matplotlib, numpy, nnlib; print(json.dumps({m.__name__: "
                            "getattr(m, '__version__', m.__file__) for m in (IPython, "
                            "ipykernel, ipywidgets, matplotlib, numpy)} | "
                            "{'nnlib': nnlib.__file__}))"], cwd=work).stdout)
    for pin in COLAB_PINS:                          # installing nnlib upgraded nothing
        name, version = pin.split("==")
        assert found[{"ipython": "IPython"}.get(name, name)] == version, found
    assert Path(found["nnlib"]).is_relative_to(bin_.parent), found   # the wheel's, not ROOT's
    kernels = work / "kernels"
    (kernels / "colab").mkdir(parents=True)
    (kernels / "colab" / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (Colab's versions)", "language": "python",
        # a keyword argument that ipywidgets 7.7 lacks fails, instead of being ignored
        "env": {"PYTHONWARNINGS": "error:Passing unrecognized arguments",
                "PYDEVD_DISABLE_FILE_VALIDATION": "1"}}))
    return kernels


def widget_notebook(notebook):
    return any("nnlib.widgets" in cell.source for cell in notebook.cells)


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_notebook_runs_with_colabs_versions(name, colab_kernel, tmp_path):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    folder = tmp_path / "content"               # as in Colab: the notebook alone
    folder.mkdir()
    shutil.copy(NOTEBOOKS / name, folder / name)
    notebook = nbformat.read(folder / name, as_version=4)
    manager = KernelManager(kernel_name="colab",
                            kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(colab_kernel)]))
    client = NotebookClient(notebook, km=manager, timeout=600, record_timing=False,
                            resources={"metadata": {"path": str(folder)}})
    try:
        client.execute()                        # raises CellExecutionError on a failing cell
    finally:
        if manager.has_kernel:                  # nbclient leaves a kernel it was given running
            manager.shutdown_kernel(now=True)

    views = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"{cell.source}\n{output}"
            if output.output_type == "stream" and output.name == "stderr":
                assert "Traceback" not in output.text, f"{cell.source}\n{output.text}"
            data = output.get("data", {})
            views += WIDGET_VIEW in data
            assert WIDGET_VIEW not in data or "image/png" in data, (
                f"a panel showed without its static picture:\n{cell.source}")
            assert "nnlib.widgets" not in data.get("text/plain", "") or WIDGET_VIEW in data, (
                f"a panel showed as text, not as a widget:\n{cell.source}\n{data}")
    if widget_notebook(notebook):
        assert views > 0, "no widget was displayed"


# --- Binder, without Docker -----------------------------------------------------------

@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium at /usr/bin/chromium")
def test_binder_environment_opens_notebook_01_and_the_app(page, tmp_path, monkeypatch):  # noqa: F811
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    version = re.fullmatch(r"python-(\d+\.\d+)", runtime).group(1)
    bin_ = cached_venv("binder", interpreter(version),
                       ["-r", ROOT / "binder" / "requirements.txt"],
                       key_files=[ROOT / "binder" / "runtime.txt",
                                  ROOT / "binder" / "requirements.txt",
                                  ROOT / "requirements.txt"])

    # As repo2docker: the repository copied into the home folder, postBuild run from its root
    # by the environment's pip, then the server started there.
    home = tmp_path / "home"
    repo = copy_repository(home / "repo")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("PATH", f"{bin_}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    jupyter_dirs = {"JUPYTER_CONFIG_DIR": "config", "JUPYTER_DATA_DIR": "data",
                    "JUPYTER_RUNTIME_DIR": "runtime", "IPYTHONDIR": "ipython"}   # as Server's
    postbuild_env = {**os.environ, **{key: str(home / value) for key, value in jupyter_dirs.items()}}
    run(["./binder/postBuild"], cwd=repo, env=postbuild_env, timeout=600)

    settings = home / "lab-settings"
    for plugin, values in LAB_SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    token, port, base_url = uuid.uuid4().hex, free_port(), "/user/student/"
    server = Server([bin_ / "jupyter", "lab", "--no-browser", f"--port={port}",
                     "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
                     "--allow-root", f"--ServerApp.base_url={base_url}",
                     f"--ServerApp.root_dir={repo}", f"--LabApp.user_settings_dir={settings}"],
                    port, home, cwd=repo)
    try:
        server.wait_until_up(f"{base_url}api/status?token={token}")
        base = f"http://127.0.0.1:{port}{base_url.rstrip('/')}"
        lab = (base, token)

        # urlpath=lab/tree/notebooks/01_forward_pass.ipynb: open it, run every cell
        name = "01_forward_pass.ipynb"
        notebook = nbformat.read(repo / "notebooks" / name, as_version=4)
        shown = sum(cell.cell_type == "code" and not cell.metadata.get("jupyter", {}).get(
            "source_hidden") for cell in notebook.cells)     # code cells whose prompt shows
        page.goto(f"{base}/lab/tree/notebooks/{name}?token={token}", timeout=KERNEL_START)
        page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for(timeout=KERNEL_START)
        wait_for_idle_kernel(page, lab, name)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        page.wait_for_function(                     # every code cell has its number
            "n => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
            ".filter(p => /\\[\\d+\\]/.test(p.textContent)).length >= n",
            arg=shown, timeout=4 * KERNEL_START)
        wait_for_idle_kernel(page, lab, name)
        stderr = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        for text in stderr.all_inner_texts():
            assert "Traceback" not in text, text
        assert page.get_by_text("Error displaying widget").count() == 0
        if widget_notebook(notebook):
            assert page.locator(".jupyter-widgets.widget-slider").count() > 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "binder-notebook01.png")
        shut_down_kernels(lab)

        # urlpath=voila/render/app/playground.ipynb: the app, and one slider moved
        page.goto(f"{base}/voila/render/app/playground.ipynb?token={token}",
                  timeout=KERNEL_START)
        page.locator("svg.nnlib-network").wait_for(timeout=KERNEL_START)
        units = count_units(page)
        move_units_slider(page, presses=1)
        assert count_units(page) == units + 1
        assert page.locator(".nnlib-error").count() == 0
        page.screenshot(path=ARTIFACTS / "binder-voila-playground.png", full_page=True)
    finally:
        server.stop()
