"""Every exercise's self-check: it accepts every correct form and answers anything else
with a verdict, never a traceback.

Each notebook's module in nnlib/exercises defines, beside its checks:
    SOLUTIONS  {key: the solution given in the notebook}
    ALSO_RIGHT {key: [other correct forms: in place, int for float, a numeric string, ...]}
    WRONG      {key: [wrong answers a student might give, each must be judged wrong]}
"""
import importlib

import numpy as np
import pytest

from nnlib import exercises
from nnlib.exercises import CHECKS, MODULES, Verdict, judge


def notebook_modules():
    return [importlib.import_module(f"nnlib.exercises.{name}") for name in MODULES.values()]


def cases(table_name):
    return [(key, answer) for module in notebook_modules()
            for key, answers in getattr(module, table_name).items()
            for answer in (answers if table_name != "SOLUTIONS" else [answers])]


def boom(*args, **kwargs):
    raise RuntimeError("boom")


JUNK = ["a string", "", 3 + 4j, [], np.zeros((7, 7)), np.array([np.nan]), object(), boom,
        lambda *args: "garbage", {"W1": 1}, True, float("inf")]


def test_every_check_has_a_solution_and_wrong_answers():
    notebook_modules()
    assert len(CHECKS) >= 20, sorted(CHECKS)
    for module in notebook_modules():
        for key in (k for k in CHECKS if k.startswith(module.NOTEBOOK + ".")):
            assert key in module.SOLUTIONS, f"{key} has no solution to test"
            assert module.WRONG.get(key), f"{key} has no wrong answers to test"


@pytest.mark.parametrize("key, answer", cases("SOLUTIONS"))
def test_the_solution_is_correct(key, answer):
    verdict = judge(key, answer)
    assert verdict.correct, str(verdict)


@pytest.mark.parametrize("key, answer", cases("ALSO_RIGHT"))
def test_every_correct_form_is_accepted(key, answer):
    verdict = judge(key, answer)
    assert verdict.correct, str(verdict)


@pytest.mark.parametrize("key, answer", cases("WRONG"))
def test_wrong_answers_are_judged_wrong(key, answer):
    verdict = judge(key, answer)
    assert verdict.status == "wrong", str(verdict)
    assert verdict.message and verdict.hint
    assert "Traceback" not in str(verdict)


@pytest.mark.parametrize("junk", JUNK, ids=lambda junk: type(junk).__name__)
def test_any_input_gets_a_verdict_not_a_traceback(junk):
    notebook_modules()
    assert len(CHECKS) >= 20
    for key in CHECKS:
        verdict = judge(key, junk)
        assert isinstance(verdict, Verdict)
        assert not verdict.correct, f"{key} accepted {junk!r}"
        assert len(str(verdict).splitlines()) == 2       # the verdict line and the hint


def test_unanswered_gives_the_hint():
    notebook_modules()
    for key in CHECKS:
        verdict = judge(key, None)
        assert verdict.status == "unanswered" and verdict.hint


def test_the_helpers_accept_every_correct_form():
    assert exercises.number("32") == 32.0
    assert exercises.number(" 7% ") == pytest.approx(0.07)
    assert exercises.number(np.float32(2.5)) == 2.5
    assert exercises.number([4]) == 4.0
    np.testing.assert_array_equal(exercises.array([1, 2], (2, 1)), [[1.0], [2.0]])
    for bad in ["x", True, [1, 2], float("nan")]:
        with pytest.raises(exercises.Wrong):
            exercises.number(bad)
    with pytest.raises(exercises.Wrong, match="shape"):
        exercises.array(np.zeros((2, 2)), (2, 1))
    with pytest.raises(exercises.Wrong, match="raised RuntimeError: boom"):
        exercises.call(boom, 1)
