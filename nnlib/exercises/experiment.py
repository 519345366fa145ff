"""Self-checks for notebook 04 (how many hidden units XOR needs, over many random starts).

    04.1  the upper end of the 95% Wilson interval for 0 of 50 starts
    04.2  the smallest MSE on 3-bit parity with one pair of inputs lumped together
    04.3  the fewest starts that make the interval around 70% no wider than +-2 points
    04.4  how many of 200 3-unit networks learn XOR (a sweep the student runs)
    04.5  how many times sigma' at a = 0.998 is smaller than its largest value, 1/4
"""
import math
from fractions import Fraction

from . import Wrong, exercise, number

NOTEBOOK = "04"

C = 1.96      # the notebook's c: a bell-shaped quantity lies within 1.96 sd 95% of the time


def whole(answer, name="the answer"):
    """answer as an int: 188, 188.0, np.int64(188) and '188' all count; 187.5 does not."""
    got = number(answer, name)
    if got != round(got):
        raise Wrong(f"{name} should be a whole number of starts; got {got:g}")
    return int(round(got))


# --- 04.1 ---------------------------------------------------------------------------------

UPPER_0_OF_50 = C**2 / (50 + C**2)     # 0.0713: "up to 7%"


@exercise("04.1", hint="with S = 0, r-hat = 0 and the square-root term is c / (2N); "
                       "work out the upper end of the formula (c = 1.96, N = 50).")
def upper_end_for_no_successes(answer):
    upper = number(answer, "the upper end")
    if 1 < upper <= 100 and abs(upper / 100 - UPPER_0_OF_50) <= 0.002:
        raise Wrong(f"{upper:g} looks like a percentage; give it as a share between 0 and 1 "
                    f"(or as the text '{upper:g}%')")
    if upper == 0:
        raise Wrong("0 is the Wald interval's answer, which collapses to one point at S = 0")
    if abs(upper - C**2 / 50) < 1e-3:
        raise Wrong("that is c^2 / N; the Wilson root is divided by 1 + c^2 / N as well")
    if abs(upper - 3 / 50) < 1e-3:
        raise Wrong("that is the 'rule of three', 3 / N, a different approximation; "
                    "use the Wilson formula")
    # 0.07 ("up to 7%") and 0.071 are right; c^2 / N = 0.077 and 3 / N = 0.06 are not.
    if abs(upper - UPPER_0_OF_50) > 0.002:
        raise Wrong(f"{upper:g} is not the upper end of the Wilson interval")


# --- 04.2 ---------------------------------------------------------------------------------

@exercise("04.2", hint="the best common output for the pair is the mean of their targets; "
                       "then average the squared errors over all 8 samples.")
def parity_plateau(answer):
    mse = number(answer, "the MSE")
    if abs(mse - 1 / 8) < 1e-6:
        raise Wrong("1/8 is XOR's value, averaged over 4 samples; parity-3 has 8")
    if abs(mse - 1 / 2) < 1e-6:
        raise Wrong("1/2 is the sum of the two squared errors; the MSE is their mean "
                    "over all 8 samples")
    if abs(mse - 1 / 4) < 1e-6:
        raise Wrong("1/4 is the mean over the two lumped samples only; the MSE averages "
                    "over all 8 samples")
    if abs(mse - 1 / 16) > 1e-6:
        raise Wrong(f"{mse:g} is not the smallest MSE")


# --- 04.3 ---------------------------------------------------------------------------------

EXACT_STARTS = C**2 * 0.7 * 0.3 / 0.02**2       # 2016.8: where c sqrt(r (1 - r) / N) = 0.02
FEWEST_STARTS = math.ceil(EXACT_STARTS)          # 2017: the fewest whole starts that do it
MOST_ACCEPTED = math.floor(1.1 * FEWEST_STARTS)  # 2218: up to 10% more still counts


def half_width(starts):
    return C * (0.7 * 0.3 / starts) ** 0.5


@exercise("04.3", hint="the half-width is c * sqrt(r (1 - r) / N); set it to 0.02, solve for "
                       "N, and take the smallest whole N that is not below the solution.")
def starts_for_a_tight_interval(answer):
    starts = number(answer, "the number of starts")
    if starts <= 0:
        raise Wrong("the number of starts should be positive")
    if FEWEST_STARTS - 1 < starts < FEWEST_STARTS:
        raise Wrong(f"{starts:g} solves the equation; but starts come in whole numbers, and "
                    f"rounding down leaves the half-width above 0.02: round up")
    if starts < FEWEST_STARTS:
        raise Wrong(f"With N = {starts:g} the half-width is about {half_width(starts):.6f}: "
                    f"still wider than 0.02, so more starts are needed")
    if starts != round(starts):
        raise Wrong(f"the number of starts should be a whole number; got {starts:g}")
    if starts <= MOST_ACCEPTED:
        return
    if abs(starts - 4 * EXACT_STARTS) <= 0.1 * 4 * EXACT_STARTS:
        raise Wrong(f"With N = {starts:g} the half-width is about {half_width(starts):.3f}: "
                    f"that is +-1 point, not +-2, so four times the starts needed")
    # narrow enough, but the question asks for the fewest starts that do it
    raise Wrong(f"With N = {starts:g} the half-width is about {half_width(starts):.4f}: narrow "
                f"enough, but more than 10% above the fewest starts that do it; find the "
                f"smallest N whose half-width is at most 0.02")


# --- 04.4 ---------------------------------------------------------------------------------

_count = {}


def learned_count():
    """How many of the exercise's 200 networks learn XOR (computed once: about a second)."""
    if "count" not in _count:
        from ..experiments import sweep
        runs = sweep([3], lrs=(1.0,), repeats=200, epochs=2000, seed=1, loss="mse",
                     keep_curves=False)
        _count["count"] = sum(run.learned for run in runs)
    return _count["count"]


# Counts from a slip in the settings, each with its own message (checked in the tests).
SLIPS = {
    183: "183 is the count at eta = 0.5; the exercise asks for eta = 1.0, lrs=(1.0,)",
    191: "191 is the count from seed 0; the exercise uses seed 1",
}


@exercise("04.4", hint="sweep([3], lrs=(1.0,), repeats=200, epochs=2000, seed=1, "
                       "loss='mse', keep_curves=False), then count the runs whose "
                       "run.learned is True.")
def measured_count(answer):
    got = number(answer, "the count")
    if 0 < got < 1:
        raise Wrong(f"{got:g} is a share; the exercise asks how many of the 200 learn")
    count = whole(answer, "the count")
    if not 0 <= count <= 200:
        raise Wrong(f"the count should be between 0 and 200; got {count}")
    if count != learned_count():
        if count in SLIPS:
            raise Wrong(SLIPS[count])
        raise Wrong(f"{count} is not the count; check the seed, the learning rate, the loss "
                    f"and the number of epochs")


# --- 04.5 ---------------------------------------------------------------------------------

A_SATURATED = 0.998
SHRINK = (1 / 4) / (A_SATURATED * (1 - A_SATURATED))     # 125.25: sigma' is 125 times smaller


@exercise("04.5", hint="sigma'(z) = a (1 - a); work it out at a = 0.998 and at a = 1/2 "
                       "(where it is largest), then divide the larger by the smaller.")
def how_much_smaller(answer):
    factor = number(answer, "the factor")
    sigma_prime = A_SATURATED * (1 - A_SATURATED)
    if abs(factor - sigma_prime) < 2e-4:
        raise Wrong(f"{factor:g} is sigma' at a = 0.998 itself; the question asks how many "
                    f"times smaller it is than 1/4")
    if abs(factor - sigma_prime / (1 / 4)) < 1e-3:
        raise Wrong(f"{factor:g} is the share of 1/4 that is left; how many times smaller "
                    f"is that?")
    if abs(factor - 1 / sigma_prime) <= 50:       # 1 / sigma' = 501, or 1 / (1 - a) = 500
        raise Wrong(f"{factor:g} compares sigma' with 1, but sigma' is never above 1/4 "
                    f"(its value at a = 1/2)")
    if abs(factor - SHRINK) > 0.1 * SHRINK:
        raise Wrong(f"{factor:g} is not how many times smaller sigma' is at a = 0.998")


SOLUTIONS = {
    "04.1": C**2 / (50 + C**2),
    "04.2": 2 * 0.5**2 / 8,
    "04.3": math.ceil(C**2 * 0.7 * 0.3 / 0.02**2),
    "04.4": 188,
    "04.5": (1 / 4) / (0.998 * (1 - 0.998)),
}

ALSO_RIGHT = {
    "04.1": [0.07, 0.071, "0.0713", "7%", "7.13%", 0.0713],
    "04.2": ["1 / 16", 1 / 16, 0.0625, "0.0625", "1/16", Fraction(1, 16), "6.25%"],
    # from the fewest, 2017, up to 10% more
    "04.3": [2017, 2017.0, "2017", 2020, 2100, 2200, 2218],
    "04.4": [188.0, "188", " 188 ", [188]],
    # 125.25 from a = 0.998; 114 from the table's more exact 0.9978; rounded forms
    "04.5": [125, 125.25, "125", 0.25 / 0.002, 0.25 / (0.9978 * 0.0022), 120, 130],
}

WRONG = {
    "04.1": [0, 0.0, 0.0768, 0.06, 0.05, 7.13, 0.95, "0.1", "1/10"],
    "04.2": [1 / 8, 0.5, 1 / 4, 1 / 32, 0, "1/8", -0.0625],
    # 2000, 2016 and the unrounded 2016.8 are still (just) wider than 0.02
    "04.3": [1000, 2000, 2016, 1816, 1900, EXACT_STARTS, 2219, 2300, 4034, 8068, 45, 0,
             -2017, 500],
    "04.4": [187, 189, 200, 0, 0.94, 188.5, "all of them", 94, 183, 191],
    "04.5": [0.002, 0.001996, 0.008, 500, 501, 0.998, 0.25, 4, 1 / 4, 62.6, 250, 0, -125],
}
