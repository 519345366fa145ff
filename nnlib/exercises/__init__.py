"""The self-checks of every notebook's exercises: one checker, one rule.

In a notebook:

    from nnlib.exercises import check
    check("01.5", W2_answer)          # notebook 01, exercise 5

prints one line: "Exercise 01.5: correct!", or "not yet." with what is wrong
(a capitalised sentence, see sentence()) and a hint, or "not answered yet" with the hint. The rule for every check:

- any answer gets a verdict and a hint, never a traceback: a wrong number, a
  wrong type or shape, a string, a function that raises or returns garbage;
- every correct form is accepted: int or float, a numeric string where a
  number is asked, a list where an array is asked, in place or not, within
  the stated tolerance;
- the test cases are not degenerate, so a wrong answer cannot pass by accident.

Each notebook's checks live in a module of this package (forward_pass for 01,
gradients for 02, training for 03, experiment for 04, deeper for 05). A check
is a function of the answer that returns None when it is right and raises
Wrong("what is wrong") when it is not; the helpers below (number, count, shape,
array, close, call) turn any input into either a clean value or such a verdict.
"""
import ast
import importlib
import linecache
import math
import numbers
import os
import re
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

# notebook number -> the module of this package that holds its checks
MODULES = {"01": "forward_pass", "02": "gradients", "03": "training", "04": "experiment",
           "05": "deeper"}

CHECKS: dict = {}     # "01.5" -> Exercise, filled as each notebook's module is imported


class Wrong(Exception):
    """Raised by a check: the answer is not right, and the message says why."""


class Unanswered(Exception):
    """Raised by a check when the answer is still the placeholder, e.g. a function that
    returns None: the student gets the hint, as for an answer left None."""


@dataclass
class Exercise:
    key: str                       # "01.5"
    test: Callable[[Any], None]    # raises Wrong when the answer is not right
    hint: str


@dataclass
class Verdict:
    key: str
    status: str                    # "correct", "wrong", "unanswered" or "unknown" (no such key)
    message: str
    hint: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __str__(self) -> str:
        if self.status == "correct":
            return f"Exercise {self.key}: correct!"
        if self.status == "unanswered":
            return f"Exercise {self.key}: not answered yet. Hint: {self.hint}"
        if self.status == "unknown":
            return f"Exercise {self.key}? {self.message}\nHint: {self.hint}"
        return f"Exercise {self.key}: not yet. {self.message}\nHint: {self.hint}"


def exercise(key: str, hint: str):
    """Register the decorated function as the check of exercise key, such as "01.5"."""
    def register(test):
        CHECKS[key] = Exercise(key, test, hint)
        return test
    return register


def find(key: str) -> Exercise:
    """The Exercise for key, importing its notebook's module the first time."""
    notebook = str(key).split(".")[0]
    if notebook in MODULES:
        importlib.import_module(f"{__name__}.{MODULES[notebook]}")
    if key not in CHECKS:
        known = ", ".join(sorted(CHECKS)) or "none yet"
        raise KeyError(f"no exercise {key!r}; known: {known}")
    return CHECKS[key]


def judge(key: str, answer: Any) -> Verdict:
    """The verdict on an answer, without printing: for tests and for check()."""
    try:
        ex = find(key)
    except KeyError:
        notebook = str(key).split(".")[0]
        same = sorted(k for k in CHECKS if k.startswith(f"{notebook}.")) or sorted(CHECKS)
        return Verdict(str(key), "unknown", f"There is no exercise {key!r}.",
                       f"the exercises here are {', '.join(same)}; copy the key from the "
                       "exercise's own check cell.")
    if unanswered(answer):
        return Verdict(key, "unanswered", "", ex.hint)
    try:
        ex.test(answer)
    except Unanswered:
        return Verdict(key, "unanswered", "", ex.hint)
    except Wrong as wrong:
        return Verdict(key, "wrong", sentence(str(wrong)), ex.hint)
    except Exception as error:     # a bug in the answer that the check did not foresee
        return Verdict(key, "wrong", f"Checking your answer raised {describe(error)}.", ex.hint)
    return Verdict(key, "correct", "", ex.hint)


def check(key: str, answer: Any) -> None:
    """Print the verdict on an answer to exercise key, such as check("01.5", W2)."""
    print(judge(key, answer))


# --- Turning any answer into a clean value, or a verdict ---------------------

def unanswered(answer: Any) -> bool:
    """True while any part of an answer (a value, a tuple, list or dict of values) is None."""
    if answer is None:
        return True
    if isinstance(answer, dict):
        return any(unanswered(part) for part in answer.values())
    if isinstance(answer, (list, tuple)):
        return any(unanswered(part) for part in answer)
    return False


def describe(error: BaseException) -> str:
    """'ValueError: the message', on one line."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


# Words that may open a check's message as a name from the code or the math, never to be
# capitalised: "eta should be a number", "collapse should return ...".
CODE_WORDS = {"b", "n", "x", "y", "z", "w", "lr", "eps", "eta", "delta", "sigma", "epsilon",
              "collapse", "net", "params"}


def sentence(text: str) -> str:
    """text as a sentence: its first letter capitalised, a full stop at the end.

    A check writes its message in lower case, "check dW_shape"; the verdict prints "Check
    dW_shape." The first word keeps its case when it is a name from code: one holding a
    digit, an underscore, a dot or a bracket ("dloss_dX", "a2", "net.forward"), a name in
    backquotes, or one of CODE_WORDS ("eta", "delta", "collapse"). An opening "a" is the
    article ("A single unit ..."); a message that opens with the variable a writes it `a`.
    """
    text = text.strip()
    first = re.match(r"[a-z]+(?=[\s,:;]|$)", text)
    if first and first.group() not in CODE_WORDS:
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def shown(value: Any, limit: int = 60) -> str:
    """A short, safe repr of what the student gave, for a message, on one line."""
    try:
        text = " ".join(repr(value).split())      # an array's repr spans several lines
    except Exception:
        text = f"a {type(value).__name__}"
    text = " ".join(text.split())          # an array's repr spans lines; a verdict is one line
    return text if len(text) <= limit else text[:limit - 1] + "…"


def number(answer: Any, name: str = "the answer") -> float:
    """answer as a finite float: an int, a float, a numpy number or a numeric string.

    A string may be a percentage ("6.25%") or a fraction ("1/16", "1 / 16"). A
    one-element array or list counts too (np.float64(3) and [3] both mean 3).
    """
    value = answer
    if isinstance(value, str):
        value = number_in_text(value, name)
    elif isinstance(value, (list, tuple, np.ndarray)):
        flat = np.ravel(np.asarray(value, dtype=object))
        if flat.size != 1:
            raise Wrong(f"{name} should be one number; got {flat.size} values")
        return number(flat[0], name)
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.number)):
        raise Wrong(f"{name} should be a number; got {shown(answer)} "
                    f"(a {type(answer).__name__})")
    try:
        value = float(value)
    except OverflowError:                  # an int too large for a float, such as 10**400
        raise Wrong(f"{name} should be a finite number; got one with "
                    f"{len(str(abs(value)))} digits") from None
    if not math.isfinite(value):
        raise Wrong(f"{name} should be a finite number; got {value}")
    return value


def number_in_text(text: str, name: str) -> float:
    """The number a student wrote as text: "0.3", "30%" or a fraction such as "3 / 10"."""
    written = text.strip()
    try:
        if written.endswith("%"):
            return float(written[:-1]) / 100
        if "/" in written:
            top, bottom = (float(part) for part in written.split("/"))
            if bottom == 0:
                raise Wrong(f"{name} should be a number; {text!r} divides by 0")
            return top / bottom
        return float(written)
    except ValueError:
        raise Wrong(f"{name} should be a number or a fraction such as 1/3; "
                    f"got the text {shown(text)}") from None


def count(answer: Any, name: str = "the answer") -> int:
    """answer as a whole number, for a count or a size: an int, a float such as 32.0, a numpy
    integer, or a string of digits such as "32".

    Unlike number(), a percentage ("32%") or a fraction (3.5) is refused: a count is neither.
    """
    value = answer
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"\+?\d+(\.0*)?", text):
            raise Wrong(f"{name} should be a whole number, such as 32; got the text "
                        f"{shown(answer)}")
        value = float(text)
    elif isinstance(value, (list, tuple, np.ndarray)):
        flat = np.ravel(np.asarray(value, dtype=object))
        if flat.size != 1:
            raise Wrong(f"{name} should be one whole number; got {flat.size} values")
        return count(flat[0], name)
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.number)):
        raise Wrong(f"{name} should be a whole number; got {shown(answer)} "
                    f"(a {type(answer).__name__})")
    try:
        value = float(value)
    except OverflowError:                  # an int too large for a float, such as 10**400
        raise Wrong(f"{name} should be a whole number of a sensible size; got one with "
                    f"{len(str(abs(value)))} digits") from None
    if not math.isfinite(value) or value != round(value) or value < 0:
        raise Wrong(f"{name} should be a whole number (0, 1, 2, ...); got {value:g}")
    return int(value)


def shape(answer: Any, name: str = "the shape", ndim: int = None) -> tuple:
    """answer as a shape, a tuple of whole numbers: a tuple, a list or an array of them, or
    a string such as "(3, 5)", "[3, 5]" or "3 x 5". With ndim, it must have that many entries.

    A string is read as one shape, never as a list of characters: "35" is the shape (35,).
    """
    value = answer
    if isinstance(value, str):
        value = sizes_in_text(value, name)
    elif isinstance(value, np.ndarray) and value.ndim == 1:
        value = value.tolist()
    if not isinstance(value, (tuple, list)) or any(
            isinstance(entry, (list, tuple, dict, np.ndarray)) for entry in value):
        raise Wrong(f"{name} should be a shape, a tuple of whole numbers such as (4, 1); "
                    f"got {shown(answer)}")
    sizes = tuple(count(entry, f"each entry of {name}") for entry in value)
    if ndim is not None and len(sizes) != ndim:
        raise Wrong(f"{name} should have {ndim} entries, such as (4, 1); yours, {sizes}, "
                    f"has {len(sizes)}")
    return sizes


def sizes_in_text(text: str, name: str) -> list:
    """The sizes in a shape written as text, the ways people write one: "(8, 2)", "8, 2",
    "[8, 2]", or with a times sign, "8x2", "8 × 2", "8 by 2", "8*2" (the notebooks write
    "3 × 5" themselves)."""
    inside = text.strip()
    if inside[:1] + inside[-1:] in ("()", "[]"):
        inside = inside[1:-1]
    parts = re.split(r"\s*(?:,|[xX×*]|\bby\b)\s*", inside.strip())
    if parts and parts[-1] == "" and "," in inside:       # "(8,)": a one-entry tuple
        parts = parts[:-1]
    if not parts or not all(re.fullmatch(r"\d+", part) for part in parts):
        raise Wrong(f"{name} should be a shape such as (4, 1); got the text {shown(text)}")
    return [int(part) for part in parts]


def array(answer: Any, shape: tuple, name: str = "the answer") -> np.ndarray:
    """answer as a finite float array of the given shape (a list or nested list is fine).

    A vector of the right length is accepted for a column (n, 1) or a row
    (1, n) and reshaped, since both hold the same numbers.
    """
    try:
        value = np.array(answer, dtype=float)
    except (TypeError, ValueError):
        raise Wrong(f"{name} should be an array of numbers of shape {shape}; "
                    f"got {shown(answer)}") from None
    if value.shape != tuple(shape):
        if value.ndim == 1 and value.shape == tuple(n for n in shape if n != 1):
            value = value.reshape(shape)       # a plain vector for a column or a row
        else:
            raise Wrong(f"{name} should have shape {tuple(shape)}; yours has shape {value.shape}")
    if not np.all(np.isfinite(value)):
        raise Wrong(f"{name} contains NaN or infinite values")
    return value


def close(value: Any, expected: Any, name: str = "the answer", rtol: float = 1e-6,
          atol: float = 1e-9) -> None:
    """Raise Wrong unless value (a number or array, in any correct form) is close to expected."""
    if np.ndim(expected) == 0:
        got = number(value, name)
        if not math.isclose(got, float(expected), rel_tol=rtol, abs_tol=atol):
            raise Wrong(f"{name} is {got:.6g}, which is not right")
        return
    got = array(value, np.shape(expected), name)
    if not np.allclose(got, expected, rtol=rtol, atol=atol):
        worst = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
        raise Wrong(f"{name} differs from the right values, most at index "
                    f"{tuple(int(i) for i in worst)}")


def call(function: Any, *args: Any, name: str = "your function") -> Any:
    """function(*args), with anything it raises turned into a verdict.

    A numpy shape mismatch is put into plain words: which product or sum, on which line,
    with which shapes (see shape_mismatch).
    """
    if not callable(function):
        raise Wrong(f"{name} should be a function; got {shown(function)}")
    try:
        return function(*args)
    except Exception as error:
        words = shape_mismatch(error)
        if words:
            raise Wrong(f"{name} raised a shape error: {words}") from None
        raise Wrong(f"{name} raised {describe(error)}") from None


# --- numpy's shape errors in plain words --------------------------------------

SHAPE_ERROR = re.compile(r"matmul|not aligned|could not be broadcast")
NUMPY = os.sep + "numpy" + os.sep


def shape_mismatch(error: BaseException) -> str:
    """Plain words for a numpy shape error raised in a student's code, or "" for any other.

    "`W2 @ W1` multiplies shape (3, 1) by shape (2, 3): the shapes don't line up ...", found
    by re-reading the line that raised (the innermost frame outside numpy and this module)
    and evaluating the operands of its products and sums there, when they are plain names,
    transposes or indexing (nothing is called). Failing that, numpy's message is reworded.
    """
    if not isinstance(error, ValueError) or not SHAPE_ERROR.search(str(error)):
        return ""
    try:
        frame, line = raising_line(error)
        words = mismatch_on_line(line, frame) if frame is not None else ""
        words = words or reworded(str(error))
        return f"{words}, on the line `{line}`" if line else words
    except Exception:                       # never let the explanation itself fail
        return ""


def raising_line(error: BaseException):
    """(frame, source line) of the innermost frame outside numpy and this module."""
    found, line = None, ""
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if NUMPY not in filename and os.path.abspath(filename) != os.path.abspath(__file__):
            found, line = tb.tb_frame, linecache.getline(filename, tb.tb_lineno).strip()
        tb = tb.tb_next
    return found, line


def plain(node: ast.AST) -> bool:
    """True for an expression made of names, constants, .T, indexing and arithmetic only."""
    if isinstance(node, (ast.Name, ast.Constant)):
        return True
    if isinstance(node, ast.Attribute):
        return node.attr == "T" and plain(node.value)
    if isinstance(node, ast.Subscript):
        return plain(node.value) and plain(node.slice)
    if isinstance(node, ast.Slice):
        return all(plain(part) for part in (node.lower, node.upper, node.step)
                   if part is not None)
    if isinstance(node, ast.Tuple):
        return all(plain(part) for part in node.elts)
    if isinstance(node, ast.UnaryOp):
        return plain(node.operand)
    if isinstance(node, ast.BinOp):
        return plain(node.left) and plain(node.right)
    return False


def mismatch_on_line(line: str, frame) -> str:
    """Words for the first product or sum on line whose operands' shapes don't fit, or ""."""
    try:
        tree = ast.parse(line.rstrip(":"))
    except SyntaxError:
        return ""
    names = dict(frame.f_globals, **frame.f_locals)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.BinOp) and plain(node.left) and plain(node.right)):
            continue
        try:
            left, right = (np.shape(eval(compile(ast.Expression(side), "<check>", "eval"),
                                         {"__builtins__": {}}, names))
                           for side in (node.left, node.right))
        except Exception:
            continue
        left, right = tuple(int(n) for n in left), tuple(int(n) for n in right)
        text = f"{ast.unparse(node.left)} {OPERATORS.get(type(node.op), '?')} " \
               f"{ast.unparse(node.right)}"
        if isinstance(node.op, ast.MatMult):
            if not left or not right:
                continue
            columns, rows = left[-1], right[-2] if len(right) > 1 else right[0]
            if columns != rows:
                return (f"`{text}` multiplies shape {left} by shape {right}: the shapes don't "
                        f"line up (a product A @ B needs as many columns in A as rows in B; "
                        f"here {columns} and {rows})")
        else:
            try:
                np.broadcast_shapes(left, right)
            except ValueError:
                return (f"`{text}` combines shapes {left} and {right} entry by entry: the "
                        f"shapes don't line up (numpy only repeats a size of 1 to fit)")
    return ""


OPERATORS = {ast.MatMult: "@", ast.Mult: "*", ast.Add: "+", ast.Sub: "-", ast.Div: "/",
             ast.Pow: "**"}


def reworded(message: str) -> str:
    """numpy's own shape message in plain words."""
    found = re.search(r"with shapes (.+?)\s*$", message)
    if found:
        shapes = " and ".join(found.group(1).split())
        return f"arrays of shapes {shapes} can't be combined entry by entry (the shapes don't line up)"
    found = re.search(r"shapes (\(.*?\)) and (\(.*?\)) not aligned", message)
    if found:
        return (f"a matrix product of shapes {found.group(1)} and {found.group(2)}: the shapes "
                f"don't line up")
    found = re.search(r"size (\d+) is different from (\d+)", message)
    if found:
        columns, rows = int(found.group(2)), int(found.group(1))
        return (f"a matrix product A @ B whose sizes don't line up: A has {columns} "
                f"column{'s' * (columns != 1)} but B has {rows} row{'s' * (rows != 1)}")
    return "the shapes of some arrays don't line up"
