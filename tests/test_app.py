"""The Voilà app as a classroom uses it (app/serve.py, what `make app` runs).

A page load starts a kernel; the kernel goes once its page has gone (here
after 3 idle seconds instead of 60); past --max-kernels a visitor gets the
"busy" page. Ten sessions at once must all work, and the server's memory
(its process and its kernels) must come back to where it started.
Each session loads the page over HTTP (the kernel runs the notebook) and
connects to its kernel over the websocket, as the page's script does.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psutil
import pytest

websocket = pytest.importorskip("websocket")

pytestmark = pytest.mark.server     # real app servers under load: make test, not make test-fast

ROOT = Path(__file__).resolve().parents[1]
SESSIONS = 10


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    """app/serve.py in its own process group and temporary Jupyter folders."""

    def __init__(self, home, *options):
        home.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"),
               "JUPYTER_DATA_DIR": str(home / "data"),
               "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "IPYTHONDIR": str(home / "ipython")}
        self.log = open(home / "server.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "app/serve.py", *options, "--no-browser", f"--port={self.port}",
             "--Voila.ip=127.0.0.1", "app/playground.ipynb"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}/"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (home / "server.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        pytest.fail("the app did not start")

    def kernels(self):
        return psutil.Process(self.process.pid).children()

    def memory(self):
        """Resident memory of the server and every process under it, in bytes."""
        server = psutil.Process(self.process.pid)
        return sum(p.memory_info().rss for p in [server, *server.children(recursive=True)])

    def wait_for_no_kernels(self, timeout=120):
        deadline = time.monotonic() + timeout
        while self.kernels() and time.monotonic() < deadline:
            time.sleep(0.25)
        return not self.kernels()

    def get(self, timeout=300):
        """(status, headers, page) of one page load."""
        try:
            with urllib.request.urlopen(self.url, timeout=timeout) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.log.close()


@pytest.fixture
def app(tmp_path, request):
    apps = []

    def start(*options):
        apps.append(App(tmp_path / f"app{len(apps)}", *options))
        return apps[-1]
    yield start
    for started in apps:
        started.stop()


def session(app, results, i):
    """One visitor: load the page, talk to its kernel over the websocket, leave."""
    try:
        visit(app, results, i)
    except Exception as error:          # recorded, and shown by the test's assertion
        results[i] = f"{type(error).__name__}: {error}"[:300]


def visit(app, results, i):
    status, _, page = app.get()
    kernel_id = re.search(r'"kernelId": "([0-9a-f-]{36})"', page)
    if status != 200 or kernel_id is None:
        results[i] = f"status {status}"
        return
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{app.port}/api/kernels/{kernel_id.group(1)}/channels", timeout=120)
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({"header": {"msg_id": msg_id, "msg_type": "kernel_info_request",
                                   "username": "", "session": uuid.uuid4().hex,
                                   "version": "5.3", "date": ""},
                        "parent_header": {}, "metadata": {}, "content": {},
                        "channel": "shell", "buffers": []}))
    while True:
        message = ws.recv()
        if isinstance(message, str):
            message = json.loads(message)
            if message.get("parent_header", {}).get("msg_id") == msg_id:
                break
    ws.close()
    widgets = "application/vnd.jupyter.widget-view+json" in page
    results[i] = "ok" if widgets and "Traceback" not in page else "no widgets"


def test_a_classroom_of_sessions_works_and_its_memory_comes_back(app):
    # 20 s, not 3: under this load a page may take seconds to connect after its kernel went idle
    server = app("--cull-after=20", f"--max-kernels={SESSIONS + 2}")
    server.get()                        # warm up: first imports, templates, caches
    assert server.wait_for_no_kernels()
    baseline = server.memory()
    results = [None] * SESSIONS
    threads = [threading.Thread(target=session, args=(server, results, i))
               for i in range(SESSIONS)]
    for thread in threads:
        thread.start()
    peak = 0
    while any(thread.is_alive() for thread in threads):
        peak = max(peak, server.memory())
        time.sleep(0.5)
    assert results == ["ok"] * SESSIONS
    t0 = time.monotonic()
    assert server.wait_for_no_kernels(), "kernels were not culled"
    culled = time.monotonic() - t0
    after = server.memory()
    print(f"\n{SESSIONS} sessions: baseline {baseline / 1e6:.0f} MB, peak {peak / 1e6:.0f} MB, "
          f"after {after / 1e6:.0f} MB; kernels gone {culled:.1f} s after the pages closed")
    assert after <= baseline + max(0.10 * baseline, 50e6)


def test_past_the_limit_a_visitor_is_asked_to_come_back(app):
    server = app("--cull-after=3", "--max-kernels=1")
    status, _, page = server.get()
    assert status == 200 and len(server.kernels()) == 1
    status, headers, page = server.get()
    assert status == 503 and headers["Retry-After"] == "60"
    assert "The playground is busy" in page and "try again in a minute" in page
    assert server.wait_for_no_kernels(), "the idle kernel was not culled"
    status, _, page = server.get()      # a place is free again
    assert status == 200
