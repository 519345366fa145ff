"""What a sweep says: success rates with confidence intervals, and where failures get stuck.

    from nnlib.experiments import sweep
    from nnlib.experiments.success import success_rate, plateau_counts
    runs = sweep([3], repeats=1000, epochs=10000)
    print(success_rate(runs))            # 957 of 1000 = 95.7% (95% interval 94.3% to 96.8%)

The Wilson interval (Wilson, 1927). Out of n independent starts, k succeed;
k/n estimates the true success probability p. If p were known, k/n would
be roughly normal with mean p and variance p (1 - p) / n, so with z = 1.96

    |k/n - p| <= z sqrt(p (1 - p) / n)                 (95% of the time)

The Wilson interval is every p that passes this test: squaring gives a
quadratic in p, whose two roots are

    (k/n + z^2 / 2n  -+  z sqrt(k/n (1 - k/n) / n + z^2 / 4n^2)) / (1 + z^2 / n)

Unlike the textbook k/n -+ z sqrt(k/n (1 - k/n) / n), it never leaves
[0, 1] and does not shrink to a single point when k = 0 or k = n.

Plateaus. A network that cannot tell some of the four XOR inputs apart gives
them one output; the best single output for a group is the mean of its
targets, and the error left is what a failure gets stuck at:

    two inputs with targets 0 and 1 lumped together, output 1/2    MSE 1/8
    three inputs lumped, output 1/3 or 2/3                          MSE 1/6
    all four (or two such pairs), output 1/2 everywhere             MSE 1/4

nnlib.widgets.sweep_panel explores all of this live, with sliders.
"""
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING, Callable, Dict, Hashable, Iterable, List, Tuple

import numpy as np

from ..checks import check_positive_int, is_integer

if TYPE_CHECKING:     # for the hints only: nothing here needs the sweep itself
    from .sweep import Run

PLATEAUS = {
    "two inputs stuck at 1/2": 1 / 8,
    "three inputs lumped together": 1 / 6,
    "every input at 1/2": 1 / 4,
}


def z_value(confidence: float) -> float:
    """z with P(-z < Z < z) = confidence for a standard normal Z (1.96 for 0.95)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1; got {confidence!r}")
    return NormalDist().inv_cdf((1 + confidence) / 2)


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> Tuple[float, float]:
    """The Wilson score interval (low, high) for a success probability, from k of n."""
    n = check_positive_int(n, "n")
    if not is_integer(successes) or not 0 <= successes <= n:
        raise ValueError(f"successes must be an integer from 0 to n = {n}; got {successes!r}")
    z = z_value(confidence)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half_width = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # The interval always holds k/n; min and max only absorb rounding (k = 0 or n).
    low = max(0.0, min(p, centre - half_width))
    high = min(1.0, max(p, centre + half_width))
    return float(low), float(high)


@dataclass
class SuccessRate:
    """k of n starts succeeded: the rate k/n and its Wilson interval."""
    successes: int
    n: int
    confidence: float = 0.95

    @property
    def rate(self) -> float:
        return self.successes / self.n

    @property
    def interval(self) -> Tuple[float, float]:
        return wilson_interval(self.successes, self.n, self.confidence)

    def __str__(self) -> str:
        low, high = self.interval
        return (f"{self.successes} of {self.n} = {self.rate:.1%} "
                f"({self.confidence:.0%} interval {low:.1%} to {high:.1%})")


def success_rate(runs: Iterable["Run"], confidence: float = 0.95) -> SuccessRate:
    """How many runs learned their data set, as a SuccessRate."""
    runs = list(runs)
    if not runs:
        raise ValueError("runs must hold at least one Run")
    return SuccessRate(sum(run.learned for run in runs), len(runs), confidence)


def group_by(runs: Iterable["Run"],
             key: Callable[["Run"], Hashable]) -> Dict[Hashable, List["Run"]]:
    """{key(run): [runs]} in the order the keys first appear, e.g. key=lambda r: r.hidden."""
    groups = {}
    for run in runs:
        groups.setdefault(key(run), []).append(run)
    return groups


def plateau(run: "Run", tolerance: float = 0.01) -> str:
    """Which plateau a run that failed sits on, or 'in between' if none is within tolerance."""
    if run.diverged:
        return "diverged"
    name, value = min(PLATEAUS.items(), key=lambda item: abs(item[1] - run.final_mse))
    return name if abs(value - run.final_mse) <= tolerance else "in between"


def plateau_counts(runs: Iterable["Run"], tolerance: float = 0.01) -> Dict[str, int]:
    """{plateau name: number of failed runs there}, over the runs that did not learn."""
    counts = dict.fromkeys(list(PLATEAUS) + ["in between"], 0)
    for run in runs:
        if not run.learned:
            name = plateau(run, tolerance)
            counts[name] = counts.get(name, 0) + 1
    return counts
