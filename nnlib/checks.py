"""Input checks shared by the library and the command line.

Every check raises ValueError or TypeError with a message that names the
parameter and says what is accepted, so that a mistake is reported where it
was made and not from deep inside numpy.
"""
import math
import numbers
import sys
from typing import NamedTuple, Optional, Sequence

import numpy as np

from .activations import Activation, get_activation
from .init import INITS
from .losses import Loss, get_loss


def is_integer(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_layer_sizes(layer_sizes: Sequence[int]) -> list:
    """Return layer_sizes as a list of ints: at least an input and an output layer."""
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(
            f"layer_sizes must be a list of positive integers such as [2, 4, 1]; "
            f"got {layer_sizes!r}")
    if len(layer_sizes) < 2:
        raise ValueError(
            f"layer_sizes needs at least two entries (inputs and outputs), "
            f"such as [2, 4, 1]; got {list(layer_sizes)!r}")
    for size in layer_sizes:
        if not is_integer(size):
            raise TypeError(
                f"layer_sizes must hold integers; got {size!r} in {list(layer_sizes)!r}")
        if size < 1:
            raise ValueError(
                f"layer_sizes must hold positive integers; got {size!r} "
                f"in {list(layer_sizes)!r}")
    sizes = [int(size) for size in layer_sizes]
    check_memory(8 * 3 * n_parameters(sizes),
                 f"a network of layer_sizes {sizes} ({n_parameters(sizes):,} parameters)",
                 "use smaller layer_sizes")
    return sizes


def n_parameters(layer_sizes):
    """How many numbers one network has: W^l and b^l for every layer l."""
    return sum((fan_in + 1) * fan_out
               for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]))


def check_learning_rate(lr: float, name: str = "lr") -> float:
    if not isinstance(lr, numbers.Real) or isinstance(lr, bool):
        raise TypeError(f"{name} must be a positive number; got {lr!r}")
    if not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"{name} must be a positive, finite number; got {lr!r}")
    return float(lr)


def check_positive_int(value: int, name: str) -> int:
    if not is_integer(value):
        raise TypeError(f"{name} must be a positive integer; got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer (1 or more); got {value!r}")
    return int(value)


def check_array(values, name: str, n_columns: Optional[int] = None) -> np.ndarray:
    """Return values as a 2-D float array (n_samples, n_columns), finite everywhere."""
    try:
        raw = np.asarray(values)
    except (TypeError, ValueError):      # ragged lists, for example
        raise TypeError(f"{name} must be a 2-D array of numbers; got {values!r}") from None
    if raw.dtype.kind not in "biuf":     # booleans, integers and floats; not complex or text
        kind = {"c": "complex numbers", "U": "text", "S": "bytes"}.get(raw.dtype.kind,
                                                                      "other objects")
        raise TypeError(f"{name} must be a 2-D array of real numbers; got {kind} "
                        f"(dtype {raw.dtype})")
    array = raw.astype(float)
    if array.ndim != 2:
        hint = ""
        if array.ndim == 1 and n_columns not in (None, 1) and array.size == n_columns:
            hint = f" (for one sample use {name}.reshape(1, -1))"
        elif array.ndim == 1:
            hint = f" (for one column use {name}.reshape(-1, 1))"
        columns = {"X": "n_inputs", "y": "n_outputs"}.get(name, "n_columns")
        raise ValueError(
            f"{name} must be 2-D, of shape (n_samples, {columns}): one row per sample; "
            f"got shape {array.shape}{hint}")
    if n_columns is not None and array.shape[1] != n_columns:
        raise ValueError(
            f"{name} must have {n_columns} column(s) to match the network; "
            f"got shape {array.shape}")
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"{name} is empty (shape {array.shape}): it needs at least one "
                         f"sample (row) and one column")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def check_data(X, y, n_inputs: int, n_outputs: int) -> tuple:
    """Check a data set against a network with n_inputs inputs and n_outputs outputs."""
    X = check_array(X, "X", n_inputs)
    y = check_array(y, "y", n_outputs)
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have the same number of samples (rows); "
            f"got {X.shape[0]} and {y.shape[0]}")
    return X, y


def check_callback(callback, name="callback"):
    """None, or something that can be called; checked before any work starts."""
    if callback is not None and not callable(callback):
        raise TypeError(f"{name} must be a function (or None); got {callback!r}")
    return callback


# --- Memory: refuse work that would not fit, before it starts -----------------

FALLBACK_MEMORY = 4 * 2**30       # where the available memory cannot be read: 2 GB usable


def available_memory():
    """Bytes this process can still allocate: the least of MemAvailable (Linux),
    the container's (cgroup) memory limit left, and the address-space limit
    left (ulimit -v); FALLBACK_MEMORY where none can be read."""
    candidates = []
    meminfo = read_numbers("/proc/meminfo", "MemAvailable:")
    if meminfo is not None:
        candidates.append(meminfo * 1024)
    limit, used = read_int("/sys/fs/cgroup/memory.max"), read_int("/sys/fs/cgroup/memory.current")
    if limit is None:                                        # cgroup v1
        limit = read_int("/sys/fs/cgroup/memory/memory.limit_in_bytes")
        used = read_int("/sys/fs/cgroup/memory/memory.usage_in_bytes")
    if limit is not None and used is not None and limit < 2**60:
        candidates.append(max(0, limit - used))
    try:
        import resource
        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        size = read_numbers("/proc/self/status", "VmSize:")
        if soft != resource.RLIM_INFINITY and size is not None:
            candidates.append(max(0, soft - size * 1024))
    except (ImportError, OSError, ValueError):
        pass
    return min(candidates) if candidates else FALLBACK_MEMORY


def memory_limit():
    """The most memory one piece of work may ask for: half of what is available."""
    return available_memory() // 2


def read_int(path):
    try:
        with open(path) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def read_numbers(path, key):
    """The number after key in a file of 'key value' lines, such as /proc/meminfo."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def format_bytes(n):
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000


class MemoryLimitError(ValueError):
    """Work that would need more memory than it may use; nothing was started."""

    def __init__(self, message, needed, limit):
        super().__init__(message)
        self.needed, self.limit = needed, limit


def check_memory(needed, what, advice):
    """Raise MemoryLimitError if `what` needs more than memory_limit() bytes.

    needed  the bytes it would allocate (an estimate)
    what    what needs it, such as 'training for 10**11 epochs'
    advice  what to change, such as 'use fewer epochs'
    """
    if needed <= 2**26:                # 64 MB: always fine, and no file to read
        return
    limit = memory_limit()
    if needed > limit:
        raise MemoryLimitError(
            f"{what} needs about {format_bytes(needed)} of memory, more than the "
            f"{format_bytes(limit)} it may use (half of the memory available): {advice}",
            needed, limit)


class NetworkOptions(NamedTuple):
    """A network's checked options: g of the hidden layers, g of the output layer, the loss."""
    activation: Activation
    output_activation: Activation
    loss: Loss


def check_network_options(activation: str = "sigmoid", output_activation: Optional[str] = None,
                          loss: str = "mse", init: str = "original") -> NetworkOptions:
    """Check the options every engine takes (Network, NetworkStack, sweep) in one place.

    output_activation None means the same as activation. 'bce' takes the log
    of the outputs and of 1 minus them, so it needs outputs in (0, 1): a
    sigmoid output layer.
    """
    hidden = get_activation(activation)
    output = get_activation(activation if output_activation is None else output_activation,
                            "output_activation")
    loss_function = get_loss(loss)
    if loss_function.name == "bce" and output.name != "sigmoid":
        raise ValueError(
            f"loss 'bce' needs outputs in (0, 1): use output_activation='sigmoid' "
            f"(got {output.name!r})")
    if not isinstance(init, str) or init not in INITS:
        accepted = ", ".join(repr(s) for s in INITS)
        raise ValueError(f"init must be one of {accepted}; got {init!r}")
    return NetworkOptions(hidden, output, loss_function)
