"""The logic gates and parity: every pattern of n bits, with its label.

Each function returns (X, y) with X of shape (2**n, n) and y of shape (2**n, 1).
The rows run through the bit patterns in counting order: 00, 01, 10, 11.
"""
import itertools
from typing import Tuple

import numpy as np

from .checks import check_positive_int

Dataset = Tuple[np.ndarray, np.ndarray]      # (X, y)


def all_bit_patterns(n_bits: int) -> np.ndarray:
    return np.array(list(itertools.product([0.0, 1.0], repeat=n_bits)))


def _gate(rule):
    X = all_bit_patterns(2)
    y = np.array([[float(rule(int(a), int(b)))] for a, b in X])
    return X, y


def xor() -> Dataset:
    """1 when exactly one input is 1: the gate no single layer can compute."""
    return _gate(lambda a, b: a ^ b)


def and_gate() -> Dataset:
    return _gate(lambda a, b: a & b)


def or_gate() -> Dataset:
    return _gate(lambda a, b: a | b)


def nand() -> Dataset:
    return _gate(lambda a, b: 1 - (a & b))


def parity(n_bits: int = 3) -> Dataset:
    """1 when an odd number of the n bits are 1; parity(2) is XOR."""
    n_bits = check_positive_int(n_bits, "n_bits")
    X = all_bit_patterns(n_bits)
    y = X.sum(axis=1, keepdims=True) % 2
    return X, y


DATASETS = {
    "xor": xor,
    "and": and_gate,
    "or": or_gate,
    "nand": nand,
    "parity3": lambda: parity(3),
    "parity4": lambda: parity(4),
}


def load(name: str) -> Dataset:
    """(X, y) for a data set named in DATASETS."""
    if not isinstance(name, str) or name not in DATASETS:
        accepted = ", ".join(repr(n) for n in DATASETS)
        raise ValueError(f"dataset must be one of {accepted}; got {name!r}")
    return DATASETS[name]()
