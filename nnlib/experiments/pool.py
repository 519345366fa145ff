"""Training a sweep's networks in chunks, in several processes when that pays.

A sweep hands run_chunks a list of Chunks (networks of one shape, to train as
one stack); run_chunks shares them out between processes, one per core, and
returns their histories in order. Neither the chunking nor the sharing
changes a single number.
"""
import ctypes
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
import traceback
import warnings
from dataclasses import dataclass

import numpy as np

from ..checks import n_parameters
from ..fast.stack import NetworkStack, train_stack
from ..training import DivergedWarning


# --- Splitting the work -----------------------------------------------------
# A stack is fastest when its arrays fit in the processor's cache: about
# 32,768 numbers per a^l. Bigger stacks are split into chunks, by a rule that
# depends only on the sweep, never on the number of workers, so that the
# results are the same however the chunks are shared out.

CHUNK_NUMBERS = 32768
MAX_CHUNK = 4096


def split(n_networks, hidden_sizes, n_samples):
    """For each hidden size, slices that split its n_networks into chunks."""
    splits = []
    for hidden in hidden_sizes:
        size = min(MAX_CHUNK, max(64, CHUNK_NUMBERS // (n_samples * max(hidden))))
        splits.append(-(-n_networks // size))
    if splits == [1] and n_networks >= 256:
        splits = [2]            # so that two cores can share even a single stack
    return [even_slices(n_networks, n_chunks) for n_chunks in splits]


def even_slices(n, n_chunks):
    bounds = np.linspace(0, n, n_chunks + 1).round().astype(int)
    return [slice(lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:])]


@dataclass
class Chunk:
    """Some networks of one shape, to train as one stack."""
    starts: list
    lrs: np.ndarray
    X: np.ndarray
    y: np.ndarray
    epochs: int
    keep_curves: bool
    options: dict

    @property
    def network_epochs(self):
        return len(self.starts) * self.epochs

    @property
    def seconds(self):
        """A rough guess of the time it takes on one core: each epoch costs about 40 us
        to start its numpy calls, plus about 6 ns per parameter of every network."""
        weights, biases = self.starts[0]
        size = sum(np.size(W) + np.size(b) for W, b in zip(weights, biases))
        return self.epochs * (40e-6 + 6e-9 * size * len(self.starts))

    def train(self, progress=None):
        stack = NetworkStack.from_starts(self.starts, **self.options)
        # A network that diverges is reported by its Run (diverged_at); numpy's
        # warnings about the overflow, and the stack's own, would only repeat it.
        with warnings.catch_warnings(), np.errstate(over="ignore", invalid="ignore"):
            warnings.simplefilter("ignore", DivergedWarning)
            return train_stack(stack, self.X, self.y, self.lrs, self.epochs,
                               self.keep_curves, progress)


# --- Memory ---------------------------------------------------------------------

def sweep_memory(layer_sizes, n_networks, epochs, keep_curves, n_samples):
    """Bytes a sweep needs (an estimate, on the safe side), as (networks, curves).

    layer_sizes  one list per hidden size, such as [[2, 4, 1], [2, 8, 1]]
    n_networks   networks of each hidden size (learning rates x repeats)
    networks     for every network: its start, its trained parameters (several
                 copies on the way: 32 bytes a parameter), its outputs, and its
                 Run and result records (about 2 KB of Python objects, measured)
    curves       the MSE at every epoch, kept twice on the way (16 bytes an epoch)
    """
    networks = n_networks * sum(2000 + 32 * n_parameters(sizes) + 16 * n_samples * sizes[-1]
                                for sizes in layer_sizes)
    curves = 16 * epochs * n_networks * len(layer_sizes) if keep_curves else 0
    return networks, curves


# Below this many seconds of work, starting processes costs more than it saves.
PARALLEL_THRESHOLD = 0.5


class WorkerDied(RuntimeError):
    """A worker process ended (was killed, or ran out of memory) before sending its result."""


def run_chunks(chunks, workers=None, progress=None):
    """Train every chunk; in several processes when that pays. Returns their histories."""
    if workers is None:
        seconds = sum(chunk.seconds for chunk in chunks)
        workers = available_cores() if seconds >= PARALLEL_THRESHOLD else 1
    workers = min(workers, len(chunks))
    if workers == 1 or not sys.platform.startswith("linux"):
        return [chunk.train(progress) for chunk in chunks]
    # Forked workers start at once and inherit everything; elsewhere than on
    # Linux, forking a process that has loaded numpy's BLAS is not safe.
    return run_in_workers(chunks, workers, progress)


def run_in_workers(chunks, workers, progress):
    """Share the chunks out between `workers` forked processes, biggest first.

    Every worker is stopped when this returns, and also when it raises: on
    Ctrl-C (KeyboardInterrupt), on an error in progress, on a worker's error
    or death. The workers never wait for the parent: each has its own pipe
    and its own progress counter (no lock that a killed process could keep),
    and dies with its parent, even when the parent is killed (see
    die_with_parent).
    """
    context = multiprocessing.get_context("fork")
    done = context.RawArray("q", workers)     # network-epochs finished, one slot per worker
    todo = sorted(range(len(chunks)), key=lambda i: -chunks[i].seconds)
    results = [None] * len(chunks)
    processes, busy = {}, {}                  # connection -> process, connection -> chunk
    try:
        for slot in range(workers):
            ours, theirs = context.Pipe()
            process = context.Process(target=work, args=(chunks, theirs, done, slot, os.getpid()),
                                      daemon=True, name=f"nnlib-worker-{slot}")
            # The worker starts with Ctrl-C and SIGTERM held back until it has set
            # its own handlers; here they are held only while it forks.
            held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
            try:
                process.start()
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
            theirs.close()
            processes[ours] = process
        for connection in processes:
            give_work(connection, todo, busy)
        reported = 0
        while busy:
            ready = multiprocessing.connection.wait(list(busy), timeout=0.1)
            reported = report(progress, sum(done), reported)
            for connection in ready:
                results[busy.pop(connection)] = receive(connection, processes[connection])
                give_work(connection, todo, busy)
        report(progress, sum(done), reported)
        return results
    finally:
        stop(processes)


def give_work(connection, todo, busy):
    if todo:
        busy[connection] = todo.pop(0)
        connection.send(busy[connection])


def receive(connection, process):
    """A chunk's history from a worker; the worker's error, or WorkerDied if it died."""
    try:
        status, value = connection.recv()
    except (EOFError, OSError):
        process.join(timeout=1)
        code = process.exitcode
        how = (f"was killed by signal {-code}" if code is not None and code < 0
               else f"exited with code {code}")
        raise WorkerDied(f"a worker process {how} before it finished (out of memory, "
                         f"or killed from outside); the sweep was stopped") from None
    if status == "error":
        raise value
    return value


def stop(processes):
    """Stop every worker at once (SIGKILL: they hold nothing to clean up) and reap it."""
    for connection, process in processes.items():
        connection.close()
        if process.is_alive():
            process.kill()
    for process in processes.values():
        process.join(timeout=5)


def available_cores():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def report(progress, done, reported):
    if progress is not None and done > reported:
        progress(done - reported)
    return done


# --- In a worker process ------------------------------------------------------

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def work(chunks, connection, done, slot, parent):
    """A worker's loop: receive a chunk's index, train it, send back its history."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    die_with_parent(parent)

    def count(n):
        done[slot] += n          # this worker is the only writer of its slot

    while True:
        try:
            i = connection.recv()
        except (EOFError, OSError):                 # the parent is gone or done
            return
        try:
            result = ("ok", chunks[i].train(count))
        except Exception as error:                  # sent to the parent, raised there
            result = ("error", error)
        try:
            connection.send(result)
        except (EOFError, OSError):
            return
        except Exception:                           # an error that cannot be pickled
            connection.send(("error", RuntimeError(traceback.format_exc())))


PR_SET_PDEATHSIG = 1


def die_with_parent(parent):
    """Make this process end when its parent does, however the parent ends.

    On Linux the kernel sends SIGKILL when the parent dies (prctl
    PR_SET_PDEATHSIG), even when the parent itself was killed with SIGKILL.
    A thread that checks the parent every half second backs it up.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:                      # it died before prctl took effect
        os._exit(1)

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
