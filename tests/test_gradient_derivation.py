"""Tests for notebooks/02_gradient_derivation.ipynb beyond what nbval checks.

nbval re-runs the committed notebook and compares its outputs. These tests check the
notebook's parts (opening, summary, exercises, appendices) and its exercises in the
notebook's own kernel: each folded solution passes its self-check, and a wrong answer,
including a shape mistake inside a student's function, gets a verdict in plain words.
"""
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "02_gradient_derivation.ipynb"

# A wrong answer per exercise, in order, with a piece of the verdict it must get.
WRONG_ANSWERS = [
    ("delta_shape = (3, 4)\ndW_shape = (5, 3)", "delta_shape (3, 4) is transposed"),
    ("def dloss_dX(X, y, W1, b1, W2, b2):\n"
     "    z1, a1, z2, a2 = forward(X, W1, b1, W2, b2)\n"
     "    delta2 = 2 / y.size * (a2 - y) * sigmoid_prime(a2)\n"
     "    delta1 = (delta2 @ W2.T) * sigmoid_prime(a1)\n"
     "    return delta1 @ W1",                                  # W1 without the transpose
     "`delta1 @ W1` multiplies shape"),
    ("def delta1_tanh(delta2, W2, a1):\n    return (delta2 @ W2.T) * a1 * (1 - a1)",
     "the sigmoid's derivative"),
    ("def delta_out_bce(a, y):\n    return (a - y) / 4", "1.5 times the right values"),
    ("factor = 0.4", "0.4 answers the second question"),
]


@pytest.fixture(scope="module")
def notebook():
    return nbformat.read(NOTEBOOK, as_version=4)


def tagged(notebook, tag):
    return [i for i, cell in enumerate(notebook.cells) if tag in cell.metadata.get("tags", [])]


def printed(cell):
    return "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")


def test_opens_with_goals_and_keeps_the_appendices_last(notebook):
    first = notebook.cells[0].source
    assert first.startswith("# 02") and "**What you will learn**" in first
    assert "**What to read first**" in first
    headings = [line for cell in notebook.cells if cell.cell_type == "markdown"
                for line in cell.source.splitlines() if line.startswith("## ")]
    assert headings[-4:-2] == ["## Summary", "## Exercises"]
    assert headings[-2].startswith("## Appendix A") and headings[-1].startswith("## Appendix B")


def test_each_exercise_has_answer_check_and_solution(notebook):
    answers, solutions = tagged(notebook, "answer"), tagged(notebook, "solution")
    assert len(answers) == len(solutions) == len(WRONG_ANSWERS) >= 5
    for number, (answer, solution) in enumerate(zip(answers, solutions), start=1):
        check = notebook.cells[answer + 1]
        assert f'check("02.{number}"' in check.source
        assert answer + 1 < solution
        assert printed(check).startswith(f"Exercise 02.{number}: not answered yet. Hint:")


def test_solutions_pass_and_wrong_answers_get_feedback(notebook):
    """Run the notebook once with, for every exercise, a wrong answer and then its solution."""
    answers, solutions = tagged(notebook, "answer"), tagged(notebook, "solution")
    cells, probes = [], []
    for i, cell in enumerate(notebook.cells):
        if i in answers:
            k = answers.index(i)
            check = notebook.cells[i + 1]
            solution = re.search(r"```python\n(.*?)```", notebook.cells[solutions[k]].source,
                                 re.DOTALL).group(1)
            wrong, words = WRONG_ANSWERS[k]
            for source, verdict in [(wrong, f"Exercise 02.{k + 1}: not yet."),
                                    (solution, f"Exercise 02.{k + 1}: correct!")]:
                cells.append(nbformat.v4.new_code_cell(source))
                cells.append(nbformat.v4.new_code_cell(check.source))
                probes.append((len(cells) - 1, verdict, words if source is wrong else ""))
        elif i - 1 not in answers:
            cells.append(cell)
    trial = nbformat.v4.new_notebook(cells=cells, metadata=notebook.metadata)
    NotebookClient(trial, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    for index, verdict, words in probes:
        text = printed(trial.cells[index])
        assert text.startswith(verdict) and words in text, text
        assert "Traceback" not in text and "gufunc" not in text
