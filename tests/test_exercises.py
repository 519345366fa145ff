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
        lambda *args: "garbage", {"W1": 1}, True, float("inf"), 10**400]


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


def test_an_unknown_exercise_gets_a_verdict_naming_the_real_ones():
    verdict = judge("01.7", 3)
    assert verdict.status == "unknown" and "no exercise '01.7'" in verdict.message
    assert "01.1" in verdict.hint and "02.1" not in verdict.hint


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
    assert exercises.number("1/16") == exercises.number(" 1 / 16 ") == 0.0625
    assert exercises.number("0.5/2") == 0.25
    np.testing.assert_array_equal(exercises.array([1, 2], (2, 1)), [[1.0], [2.0]])
    for bad in ["x", True, [1, 2], float("nan"), "1/0", "1/2/3", 10**400]:
        with pytest.raises(exercises.Wrong):
            exercises.number(bad)
    with pytest.raises(exercises.Wrong, match="shape"):
        exercises.array(np.zeros((2, 2)), (2, 1))
    with pytest.raises(exercises.Wrong, match="raised RuntimeError: boom"):
        exercises.call(boom, 1)


def test_count_takes_whole_numbers_only():
    for right in [32, 32.0, "32", " 32 ", "32.0", np.int64(32), np.float64(32), [32]]:
        assert exercises.count(right) == 32
    for bad in ["3200%", "32%", "31%", 0.32, 32.5, -32, "thirty-two", True, float("inf"),
                [3, 2], None, "3 2"]:
        with pytest.raises(exercises.Wrong, match="whole number"):
            exercises.count(bad)
    assert exercises.number("7%") == pytest.approx(0.07)     # number() keeps its percentages


def test_shape_reads_a_string_as_one_shape_not_as_characters():
    for right in [(3, 5), [3, 5], np.array([3, 5]), (3.0, 5.0), ("3", "5"), "(3, 5)", "3, 5",
                  "(3,5,)", "[3, 5]", "3x5", "3 × 5", "3 by 5", "(3 * 5)"]:
        assert exercises.shape(right, "W1", ndim=2) == (3, 5)
    assert exercises.shape("(4,)") == (4,)
    for bad, reason in [("35", "2 entries"), ((3.9, 5.2), "whole number"), ("8 by", "shape"),
                        ("3x5x1", "2 entries"), ("3 x five", "shape"),
                        ("(3, 5", "shape"), ((3, 5, 1), "2 entries"), (3, "shape"),
                        (((3,), 5), "shape"), ({"rows": 3}, "shape")]:
        with pytest.raises(exercises.Wrong, match=reason):
            exercises.shape(bad, "W1", ndim=2)


def product_in_wrong_order(W1, W2):
    W = W2 @ W1
    return W


def sum_of_wrong_shapes(a, b):
    return (a.T + b) * 2


def test_call_puts_shape_errors_into_plain_words():
    W1, W2 = np.ones((2, 3)), np.ones((3, 1))
    with pytest.raises(exercises.Wrong) as caught:
        exercises.call(product_in_wrong_order, W1, W2, name="collapse")
    message = str(caught.value)
    assert message.startswith("collapse raised a shape error: `W2 @ W1` multiplies shape "
                              "(3, 1) by shape (2, 3): the shapes don't line up")
    assert "`W = W2 @ W1`" in message and "gufunc" not in message
    with pytest.raises(exercises.Wrong, match=r"`a.T \+ b` combines shapes \(1, 4\) and "
                                              r"\(3,\) entry by entry"):
        exercises.call(sum_of_wrong_shapes, np.ones((4, 1)), np.ones(3))
    # numpy's own message, reworded, when the line can't be re-read (here: numpy itself)
    with pytest.raises(exercises.Wrong, match="A has 1 column but B has 2 rows") as caught:
        exercises.call(np.matmul, np.ones((3, 1)), np.ones((2, 3)), name="f")
    assert "gufunc" not in str(caught.value)
    with pytest.raises(exercises.Wrong, match=r"shapes \(3,1\) and \(2,3\)"):
        exercises.call(np.dot, np.ones((3, 1)), np.ones((2, 3)), name="f")
    # any other error keeps its old message
    with pytest.raises(exercises.Wrong, match="^f raised ValueError: no$"):
        exercises.call(lambda: (_ for _ in ()).throw(ValueError("no")), name="f")
