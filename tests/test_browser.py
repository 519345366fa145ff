"""The notebooks and the playground in a real browser: JupyterLab and Voilà, driven by Chromium.

Each server runs on a free localhost port with its own temporary Jupyter
config, data, runtime and settings folders, so that nothing from the user's
own Jupyter leaks in, and is stopped (with its kernels) when the tests end,
pass or fail. Every wait is for something to appear on the page or for the
kernel to go idle, with generous timeouts for a busy machine; none is a fixed sleep.

The playground's tests also measure how live it is, in the browser: the time
from a key press on a slider to the first changed picture and to the final
picture, and Play's frames per second. They print these (and write them to
test-artifacts/playground-timings.json) but assert no time: machines are
shared and noisy.

Needs Chromium at /usr/bin/chromium (Debian's package; .ci/run installs it).
Screenshots go to test-artifacts/.
"""
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest

sync_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "test-artifacts"
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# As `make lab` and `make app` run them: widget updates sent without Nagle's delay
NODELAY = "kernel_websocket_connection_class=nnlib.widgets.nodelay.NoDelayConnection"
SERVER_START = 120          # seconds: a server, a kernel, a first render on a busy machine
ACTION = 60_000             # milliseconds: one retrain and redraw, seen in the page
KERNEL_START = 120_000

# Settings a fresh JupyterLab reads from its user-settings folder: show every
# cell (no windowing, which would leave off-screen cells out of the page),
# never save (the notebooks are the repository's own), no news or update
# checks (their toast can cover the page; there is no network anyway).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
    "@jupyterlab/extensionmanager-extension/plugin": {"enabled": False},
}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="needs Chromium at /usr/bin/chromium")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A Jupyter server process in its own process group, isolated in a temporary folder."""

    def __init__(self, command, port, home, cwd):
        env = {**os.environ,
               "JUPYTER_CONFIG_DIR": str(home / "config"),
               "JUPYTER_DATA_DIR": str(home / "data"),
               "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
               "IPYTHONDIR": str(home / "ipython")}
        env.pop("MPLBACKEND", None)
        self.port = port
        self.log = open(home / "server.log", "w")
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def wait_until_up(self, path):
        """Poll the server until path answers 200, or fail with its log."""
        deadline = time.monotonic() + SERVER_START
        url = f"http://127.0.0.1:{self.port}{path}"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.25)        # polling a server that is still starting
        self.stop()
        pytest.fail(f"server did not start: {Path(self.log.name).read_text()[-3000:]}")

    def stop(self):
        """Stop the server and its kernels: its whole process group."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        try:                            # kernels started by the server are in its group too
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(ACTION)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:      # see conftest.py
        page.screenshot(path=ARTIFACTS / f"failed-{request.node.name}.png", full_page=True)
    context.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving notebooks/, with test settings; yields its base URL and token."""
    home = tmp_path_factory.mktemp("jupyterlab")
    settings = home / "settings"
    for plugin, values in LAB_SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    token, port = uuid.uuid4().hex, free_port()
    server = Server([str(BIN / "jupyter"), "lab", "--no-browser", f"--port={port}",
                     "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
                     "--allow-root", f"--ServerApp.{NODELAY}",
                     f"--ServerApp.root_dir={NOTEBOOKS}", f"--LabApp.user_settings_dir={settings}",
                     f"--LabApp.workspaces_dir={home / 'workspaces'}",
                     # checkpoints (made when a notebook opens) go to the temporary folder
                     f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}"],
                    port, home, cwd=NOTEBOOKS)
    try:
        server.wait_until_up(f"/api/status?token={token}")
        yield f"http://127.0.0.1:{port}", token
    finally:
        server.stop()


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """Voilà serving app/playground.ipynb, as `make app` does; yields its URL."""
    home = tmp_path_factory.mktemp("voila")
    port = free_port()
    server = Server([str(BIN / "voila"), "--no-browser", f"--port={port}",
                     "--Voila.ip=127.0.0.1", f"--Voila.{NODELAY}", "app/playground.ipynb"],
                    port, home, cwd=ROOT)
    try:
        server.wait_until_up("/")
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.stop()


# --- Helpers that read and drive a page ------------------------------------------

def open_notebook(page, lab, name):
    """Open a notebook in a fresh JupyterLab workspace and wait until its kernel is ready."""
    base, token = lab
    page.goto(f"{base}/lab/tree/{name}?reset&token={token}", timeout=KERNEL_START)
    page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for(timeout=KERNEL_START)
    wait_for_idle_kernel(page, lab, name)


def run_all_cells(page, lab, name, drawn):
    """Open a notebook, run every cell, and wait until the CSS selector `drawn` shows, no
    prompt says [*] and the kernel is idle."""
    open_notebook(page, lab, name)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.locator(drawn).wait_for(timeout=KERNEL_START)
    page.wait_for_function(                         # every cell has run: no prompt shows [*]
        "() => ![...document.querySelectorAll('.jp-InputPrompt')]"
        ".some(p => p.textContent.includes('*'))", timeout=KERNEL_START)
    wait_for_idle_kernel(page, lab, name)


def wait_for_idle_kernel(page, lab, name):
    """The notebook's kernel is connected to the page and idle.

    The toolbar's indicator alone is not enough: it can say idle before the
    kernel has started. So ask the server too: the notebook's session has a
    kernel that is idle and has a connection (the page's websocket).
    """
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) "
                 ".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
        timeout=KERNEL_START)
    deadline = time.monotonic() + KERNEL_START / 1000
    while time.monotonic() < deadline:
        kernels = [session["kernel"] for session in sessions(lab)
                   if session["path"].endswith(name)]
        if any(k["execution_state"] == "idle" and k["connections"] > 0 for k in kernels):
            return
        page.wait_for_timeout(250)      # polling the server; the page keeps running
    pytest.fail(f"the kernel of {name} did not become ready")


def sessions(lab):
    base, token = lab
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=30) as response:
        return json.load(response)


def shut_down_kernels(lab):
    """Shut down every kernel the server runs: one notebook's kernel at a time is enough."""
    base, token = lab
    for session in sessions(lab):
        delete = urllib.request.Request(f"{base}/api/sessions/{session['id']}?token={token}",
                                        method="DELETE")
        urllib.request.urlopen(delete, timeout=60).close()


def slider_handle(page, description):
    """The handle of the ipywidgets slider with this description (it takes arrow keys)."""
    slider = page.locator(".widget-slider", has=page.locator("label", has_text=description))
    return slider.locator(".noUi-handle").first


def count_units(page):
    return page.locator("svg.nnlib-network circle").count()


def epoch(page):
    return int(page.inner_text("b.nnlib-epoch").replace(",", ""))


def wait_for_epoch(page, condition_js):
    """Wait until the epoch counter n satisfies a JavaScript condition on n."""
    page.wait_for_function(
        "() => { const e = document.querySelector('b.nnlib-epoch');"
        " if (!e) return false; const n = parseInt(e.textContent.replace(/,/g, ''));"
        f" return {condition_js}; }}")


def builds(page):
    return int(page.get_attribute("span.nnlib-counter", "data-builds"))


def assert_one_loss_curve(page):
    """The loss curve is one run's losses, drawn left to right."""
    points = page.get_attribute("svg.nnlib-loss-curve polyline", "points").split()
    xs = [float(point.split(",")[0]) for point in points]
    assert all(a < b for a, b in zip(xs, xs[1:]))


def heatmap(page):
    """The heatmap's PNG, as the data URL of the image in its SVG."""
    return page.locator("svg.nnlib-heatmap image").first.get_attribute("href")


def move_units_slider(page, presses):
    """Press the right arrow on 'units per layer' quickly, `presses` times; wait for
    the last value's network to be drawn; return how many retrains that took."""
    units_before, builds_before = count_units(page), builds(page)
    heatmap_before = heatmap(page)
    handle = slider_handle(page, "units per layer")
    handle.focus()
    for _ in range(presses):
        handle.press("ArrowRight")
    page.wait_for_function(
        "n => document.querySelectorAll('svg.nnlib-network circle').length == n",
        arg=units_before + presses)
    page.wait_for_function(
        "href => { const img = document.querySelector('svg.nnlib-heatmap image');"
        " return img && img.getAttribute('href') != href; }", arg=heatmap_before)
    wait_for_training_done(page)
    return builds(page) - builds_before


def wait_for_training_done(page):
    page.wait_for_function(
        "() => { const c = document.querySelector('span.nnlib-counter');"
        " return c && c.getAttribute('data-training') == '0'; }")


# In the page: note the time of every key press, and of every change the views
# show (the heatmap's picture, the epoch, whether training after a change runs on).
WATCH_VIEWS = """() => {
  const watch = window.nnlibWatch = {keys: [], changes: [], last: {}};
  document.addEventListener('keydown', () => watch.keys.push(performance.now()), true);
  new MutationObserver(() => {
    const image = document.querySelector('svg.nnlib-heatmap image');
    const counter = document.querySelector('span.nnlib-counter');
    if (!image || !counter) return;
    const now = {href: image.getAttribute('href'),
                 epoch: counter.querySelector('b.nnlib-epoch').textContent,
                 training: counter.getAttribute('data-training')};
    if (now.href != watch.last.href)
      watch.changes.push({t: performance.now(), epoch: now.epoch, training: now.training});
    watch.last = now;
  }).observe(document.body, {subtree: true, childList: true, characterData: true,
                             attributes: true});
}"""


def measure_liveness(page, where, changes=7, play_seconds=3.0):
    """Time slider changes (first and final picture) and Play's frames per second.

    Returns the medians in ms and the frames per second; asserts only that
    every change shows a new picture, and that Play draws frames.
    """
    page.evaluate(WATCH_VIEWS)
    handle = slider_handle(page, "seed")
    first, final = [], []
    for k in range(changes):
        count = page.evaluate("() => window.nnlibWatch.changes.length")
        builds_before = builds(page)
        handle.focus()
        handle.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
        page.wait_for_function(f"() => document.querySelector('span.nnlib-counter')"
                               f".getAttribute('data-builds') > {builds_before}")
        wait_for_training_done(page)
        page.wait_for_function(            # the final picture is drawn
            f"() => window.nnlibWatch.changes.slice({count})"
            f".some(c => c.training == '0')")
        watch = page.evaluate("() => window.nnlibWatch")
        pressed, seen = watch["keys"][-1], watch["changes"][count:]
        assert seen, "the picture did not change"
        first.append(seen[0]["t"] - pressed)
        final.append(next(c for c in seen if c["training"] == "0")["t"] - pressed)

    page.get_by_role("button", name="Reset").click()
    wait_for_epoch(page, "n == 0")
    page.get_by_role("button", name="Play").click()
    wait_for_epoch(page, "n >= 200")               # frames keep coming
    count = page.evaluate("() => window.nnlibWatch.changes.length")
    page.wait_for_timeout(play_seconds * 1000)     # a measuring window, not a wait for a state
    frames = page.evaluate(f"() => window.nnlibWatch.changes.slice({count})")
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
    assert len(frames) > 1, "Play drew no frames"
    fps = (len(frames) - 1) / ((frames[-1]["t"] - frames[0]["t"]) / 1000)
    timings = {"first picture ms": round(statistics.median(first), 1),
               "final picture ms": round(statistics.median(final), 1),
               "Play frames per second": round(fps, 1)}
    report_timings(where, timings)
    return timings


def report_timings(where, timings):
    """Print the measurements and keep them in test-artifacts/playground-timings.json."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "playground-timings.json"
    everything = json.loads(path.read_text()) if path.exists() else {}
    everything[where] = timings
    path.write_text(json.dumps(everything, indent=2))
    sys.__stdout__.write(f"\nplayground in {where} (medians; not asserted): "
                         + ", ".join(f"{k} {v}" for k, v in timings.items()) + "\n")


# --- The tests -----------------------------------------------------------------

def test_notebook_03_runs_and_its_playground_reacts(page, lab):
    path = NOTEBOOKS / "03_xor_training.ipynb"
    saved = path.read_bytes()
    run_all_cells(page, lab, path.name, "svg.nnlib-network")
    assert page.get_by_text("Error displaying widget").count() == 0
    units = count_units(page)                       # 2 inputs + 4 hidden + 1 output
    assert units == 7
    retrains = move_units_slider(page, presses=3)
    assert count_units(page) == units + 3
    assert retrains <= 3            # at most one retrain per press, and the last value wins:
    assert epoch(page) == 10000     # its training ran to the end, the older ones were cancelled
    assert_one_loss_curve(page)
    page.get_by_role("button", name="Play").click()
    wait_for_epoch(page, "n >= 10200")              # frames keep coming
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
    measure_liveness(page, "JupyterLab")
    assert page.locator(".nnlib-error").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("svg.nnlib-heatmap").first.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "jupyterlab-notebook03-playground.png")
    shut_down_kernels(lab)
    assert path.read_bytes() == saved               # the repository's notebook is untouched


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_notebook_opens_without_widget_errors(page, lab, name):
    """A freshly opened notebook (not run) shows no 'Error displaying widget'."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    open_notebook(page, lab, name)
    page.wait_for_function(f"() => document.querySelectorAll('.jp-Notebook .jp-Cell').length"
                           f" == {len(notebook.cells)}")
    widget_outputs = page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.widget-view+json']")
    assert widget_outputs.count() == 0
    assert page.get_by_text("Error displaying widget").count() == 0
    shut_down_kernels(lab)


def test_voila_app_renders_and_reacts(page, voila):
    page.goto(voila, timeout=KERNEL_START)
    page.locator("svg.nnlib-network").wait_for(timeout=KERNEL_START)
    assert epoch(page) == 10000
    assert count_units(page) == 7
    move_units_slider(page, presses=1)
    assert count_units(page) == 8
    assert_one_loss_curve(page)

    page.get_by_role("button", name="Step").click()
    wait_for_epoch(page, "n == 10020")

    page.get_by_role("button", name="Reset").click()
    wait_for_epoch(page, "n == 0")
    page.get_by_role("button", name="Play").click()
    wait_for_epoch(page, "n >= 200")                # frames keep coming
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
    measure_liveness(page, "Voila")
    assert page.locator(".nnlib-error").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "voila-playground.png", full_page=True)
