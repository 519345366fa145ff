"""Serve the playground with Voilà for a classroom: kernels are shut down when
their page has gone, and at most a set number run at once.

    python app/serve.py [--cull-after SECONDS] [--max-kernels N] [voila options]

Every page load starts a kernel (about 100 MB). Voilà asks for it to be shut
down when the page closes, but a closed laptop or a lost connection never
asks. So a kernel that has no page connected and has been idle for
--cull-after seconds (default 60) is shut down, checked every few seconds.
A kernel whose page is still open is never shut down.

Past --max-kernels kernels (default: as many as half of the available memory
holds, from 1 to 40), a new visitor gets a short "busy, try again in a
minute" page (HTTP 503 with Retry-After) instead of a kernel.

`make app` runs this; `make app CULL_AFTER=300 MAX_KERNELS=10` changes the settings.
Any other option goes to Voilà, such as --port=8866 or --no-browser.
"""
import argparse
import sys

import tornado.web
from jupyter_server.services.kernels.kernelmanager import MappingKernelManager
from traitlets import Int
from traitlets.config import Config
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

KERNEL_BYTES = 150 * 10**6       # one kernel running the playground, with room to spare

BUSY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="60">
<title>The playground is busy</title>
<style>body {{ font-family: sans-serif; max-width: 36em; margin: 4em auto; line-height: 1.5; }}</style>
</head><body>
<h1>The playground is busy</h1>
<p>All {limit} places are taken right now. Please try again in a minute:
this page reloads itself in 60 seconds.</p>
</body></html>
"""


class Busy(tornado.web.HTTPError):
    def __init__(self, limit):
        super().__init__(503, reason="Busy")
        self.limit = limit


class ClassroomKernelManager(MappingKernelManager):
    """Starts a kernel only while fewer than max_kernels run (or are starting)."""

    max_kernels = Int(20, config=True, help="The most kernels that may run at once.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.starting = 0           # kernels asked for and not started yet
        self.started = set()        # the ids of the kernels started

    def running(self):
        """Kernels started or starting. (A starting kernel may already be listed.)"""
        self.started &= set(self.list_kernel_ids())     # forget those shut down or culled
        return len(self.started) + self.starting

    async def start_kernel(self, *args, **kwargs):
        # No await before the count: requests that arrive together are counted one by one.
        if self.running() >= self.max_kernels:
            self.log.warning("Busy: %d kernels running or starting; a visitor was asked to "
                             "come back", self.running())
            raise Busy(self.max_kernels)
        self.starting += 1
        try:
            kernel_id = await super().start_kernel(*args, **kwargs)
            self.started.add(kernel_id)
            return kernel_id
        finally:
            self.starting -= 1


class ClassroomVoilaHandler(TornadoVoilaHandler):
    """Voilà's page handler, with a friendly page when the kernels are all taken."""

    def write_error(self, status_code, **kwargs):
        error = kwargs.get("exc_info", (None, None))[1]
        if isinstance(error, Busy):
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Retry-After", "60")
            self.finish(BUSY_PAGE.format(limit=error.limit))
            return
        super().write_error(status_code, **kwargs)


class ClassroomVoila(Voila):
    def init_handlers(self):
        return [(handler[0], ClassroomVoilaHandler, *handler[2:])
                if handler[1] is TornadoVoilaHandler else handler
                for handler in super().init_handlers()]


def default_max_kernels():
    from nnlib.checks import available_memory
    return max(1, min(40, available_memory() // 2 // KERNEL_BYTES))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], add_help=False)
    parser.add_argument("--cull-after", type=int, default=60, metavar="SECONDS")
    parser.add_argument("--max-kernels", type=int, default=None, metavar="N")
    ours, voila_args = parser.parse_known_args(argv)
    if ours.cull_after < 1 or (ours.max_kernels is not None and ours.max_kernels < 1):
        parser.error("--cull-after and --max-kernels must be positive")
    config = Config()
    config.VoilaConfiguration.multi_kernel_manager_class = ClassroomKernelManager
    config.MappingKernelManager.cull_idle_timeout = ours.cull_after
    config.MappingKernelManager.cull_interval = max(1, min(10, ours.cull_after // 3))
    config.MappingKernelManager.cull_connected = False     # an open page keeps its kernel
    config.ClassroomKernelManager.max_kernels = ours.max_kernels or default_max_kernels()
    ClassroomVoila.launch_instance(voila_args, config=config)


if __name__ == "__main__":
    sys.exit(main())
