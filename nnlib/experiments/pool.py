"""Training a sweep's networks in chunks, in several processes when that pays.

A sweep hands run_chunks a list of Chunks (networks of one shape, to train as
one stack); run_chunks shares them out between processes, one per core, and
returns their histories in order. Neither the chunking nor the sharing
changes a single number.
"""
import concurrent.futures
import multiprocessing
import os
import sys
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

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
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DivergedWarning)
            return train_stack(stack, self.X, self.y, self.lrs, self.epochs,
                               self.keep_curves, progress)


# Below this many seconds of work, starting processes costs more than it saves.
PARALLEL_THRESHOLD = 0.5


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
    context = multiprocessing.get_context("fork")
    done = context.Value("q", 0)      # network-epochs finished, counted by the workers
    with ProcessPoolExecutor(workers, mp_context=context, initializer=share_counter,
                             initargs=(done,)) as pool:
        # The biggest chunks first, so that the workers finish together.
        order = sorted(range(len(chunks)), key=lambda i: -chunks[i].seconds)
        futures = {i: pool.submit(train_chunk, chunks[i]) for i in order}
        pending, reported = set(futures.values()), 0
        while pending:
            finished, pending = concurrent.futures.wait(
                pending, timeout=0.2, return_when=concurrent.futures.FIRST_EXCEPTION)
            reported = report(progress, done.value, reported)
            for future in finished:
                if future.exception() is not None:
                    pool.shutdown(cancel_futures=True)
                    raise future.exception()
        return [futures[i].result() for i in range(len(chunks))]


def available_cores():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def report(progress, done, reported):
    if progress is not None and done > reported:
        progress(done - reported)
    return done


counter = None   # in a worker process: the shared count of finished network-epochs


def share_counter(shared):
    global counter
    counter = shared


def count(n):
    with counter.get_lock():
        counter.value += n


def train_chunk(chunk):
    """Train one chunk in a worker process, counting its progress."""
    return chunk.train(count)
