"""Tests for notebooks/01_forward_pass.ipynb beyond what nbval checks.

nbval re-runs the committed notebook and compares its outputs. These tests check
what nbval cannot: that the notebook has the parts every notebook must have, and
that its exercises work both ways: each folded solution passes its self-check,
and a wrong answer gets feedback instead of an exception.
"""
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "01_forward_pass.ipynb"

# A wrong answer per exercise, in order. Some are wrong in value, some in shape,
# so that both kinds of feedback are exercised.
WRONG_ANSWERS = [
    "answer_1 = 31",
    'answer_2 = {"W1": (5, 3), "z1": (8, 5), "a2": (8, 2)}',
    "w_nor = [1.0, 2.0, 3.0]\nb_nor = 0.0",                      # wrong shape
    "W1_xnor = [1.0, 1.0]\nb1_xnor = [0.0, 0.0]\n"                # wrong shape
    "W2_xnor = [[1.0], [1.0]]\nb2_xnor = [0.0]",
    "def collapse(W1, b1, W2, b2):\n    return W1, b1",
    "W1_parity = np.zeros((3, 3))\nb1_parity = np.zeros(3)\n"
    "W2_parity = np.zeros((3, 1))\nb2_parity = np.zeros(1)",
]


@pytest.fixture(scope="module")
def notebook():
    return nbformat.read(NOTEBOOK, as_version=4)


def tagged(notebook, tag):
    return [i for i, cell in enumerate(notebook.cells) if tag in cell.metadata.get("tags", [])]


def solution_code(cell):
    """The first ```python block of a solution cell."""
    match = re.search(r"```python\n(.*?)```", cell.source, re.DOTALL)
    assert match, f"no python block in solution cell:\n{cell.source}"
    return match.group(1)


def printed(cell):
    return "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")


def test_opens_with_title_goals_and_prerequisites(notebook):
    first = notebook.cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith("# 01")
    assert "**What you will learn**" in first.source
    assert "**What to read first**" in first.source


def test_ends_with_summary_and_exercises(notebook):
    headings = [line for cell in notebook.cells if cell.cell_type == "markdown"
                for line in cell.source.splitlines() if line.startswith("## ")]
    assert headings[-2:] == ["## Summary", "## Exercises"]


def test_committed_with_clean_outputs_in_order(notebook):
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code_cells] == list(range(1, len(code_cells) + 1))
    for cell in code_cells:
        for out in cell.outputs:
            assert out.output_type != "error", cell.source
            assert out.get("name") != "stderr", cell.source
            text = out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
            assert not re.search(r"0x[0-9a-fA-F]{6,}", text), "memory address in an output"


def test_every_network_is_seeded(notebook):
    for cell in notebook.cells:
        if cell.cell_type == "code":
            for call in re.findall(r"Network\(\[[^\]]*\][^)]*\)", cell.source):
                assert "seed=" in call, call
            assert "default_rng()" not in cell.source


def test_each_exercise_has_answer_check_and_solution(notebook):
    answers, solutions = tagged(notebook, "answer"), tagged(notebook, "solution")
    assert len(answers) == len(solutions) == len(WRONG_ANSWERS)
    for number, (answer, solution) in enumerate(zip(answers, solutions), start=1):
        check = notebook.cells[answer + 1]
        assert f'check("01.{number}"' in check.source
        assert answer + 1 < solution, "the solution must come after the check"
        # committed unanswered: the check prints a hint, never the verdict
        assert printed(check).startswith(f"Exercise 01.{number}: not answered yet. Hint:")


def test_solutions_pass_and_wrong_answers_get_feedback(notebook):
    """Run the notebook once with, for every exercise, a wrong answer and then its solution."""
    answers, solutions = tagged(notebook, "answer"), tagged(notebook, "solution")
    cells, probes = [], []
    for i, cell in enumerate(notebook.cells):
        if i in answers:
            k = answers.index(i)
            check = notebook.cells[i + 1]
            for source, verdict in [(WRONG_ANSWERS[k], "not yet."),
                                    (solution_code(notebook.cells[solutions[k]]), "correct!")]:
                cells.append(nbformat.v4.new_code_cell(source))
                cells.append(nbformat.v4.new_code_cell(check.source))
                probes.append((len(cells) - 1, f"Exercise 01.{k + 1}: {verdict}"))
        elif i - 1 not in answers:   # skip the original check cells: probed above
            cells.append(cell)
    trial = nbformat.v4.new_notebook(cells=cells, metadata=notebook.metadata)
    NotebookClient(trial, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    for index, expected in probes:
        assert printed(trial.cells[index]).startswith(expected), printed(trial.cells[index])
