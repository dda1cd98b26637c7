"""Builds the exercise notebooks (`exercises/`) and their solved twins (`solutions/`) from the catalogue.

Run `python -m k8scourse.grading.notebooks [ROOT]` after changing an exercise; a test checks that the
committed notebooks are what this builds. Cells carry nbgrader metadata (schema 3): the instructions and
the setup and check cells are locked, answer cells are solution cells, and the check cell is an
autograded cell worth the exercise's visible points (its output is the score, nbgrader's partial credit).
Solutions mark their answers with nbgrader's BEGIN/END SOLUTION comments, so they serve as nbgrader's
source notebooks.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat

from .exercises import EXERCISES
from .model import Exercise

CHECK_TEXT = """\
## Check your work

Run the cell below whenever you like: it lets the cluster settle, then shows each check with its points and
a hint for what is still wrong. Your instructor grades the notebook by running it from the top in a fresh
kernel on a fresh cluster, with a few more checks: make sure it works from a clean start
(*Kernel → Restart and Run All*)."""


def _grading(grade_id: str, *, locked: bool = True, solution: bool = False, points: float | None = None) -> dict:
    meta: dict[str, Any] = {"grade": points is not None, "grade_id": grade_id, "locked": locked,
                            "schema_version": 3, "solution": solution}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def build_notebook(exercise: Exercise, *, solved: bool) -> nbformat.NotebookNode:
    """The exercise's notebook, with the learner's starting cells or (solved) the solutions."""
    v4 = nbformat.v4
    eid = exercise.id
    cells = [
        v4.new_markdown_cell(f"# Exercise: {exercise.title}\n\n{exercise.instructions}\n\n"
                             "Run the next cell first: it starts a fresh cluster with the exercise's starting state.",
                             metadata=_grading(f"{eid}-intro")),
        v4.new_code_cell(f'import k8scourse\nfrom k8scourse.grading import start\n\n%load_ext k8scourse\n'
                         f'cluster = start("{eid}")', metadata=_grading(f"{eid}-setup")),
    ]
    answers = 0
    for cell in exercise.cells:
        if cell.kind == "markdown":
            cells.append(v4.new_markdown_cell(cell.source, metadata=_grading(f"{eid}-text-{len(cells)}")))
        elif cell.kind == "code":
            cells.append(v4.new_code_cell(cell.source, metadata=_grading(f"{eid}-code-{len(cells)}")))
        else:
            answers += 1
            source = cell.solution if solved else cell.source
            cells.append(v4.new_code_cell(source, metadata=_grading(f"{eid}-answer-{answers}", locked=False,
                                                                   solution=True)))
    cells.append(v4.new_markdown_cell(CHECK_TEXT, metadata=_grading(f"{eid}-check-text")))
    cells.append(v4.new_code_cell(f'k8scourse.check("{eid}")',
                                  metadata=_grading(f"{eid}-check", points=exercise.visible_points)))
    for index, cell in enumerate(cells):
        cell["id"] = f"{eid}-{index}"
    return v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "k8scourse": {"exercise": eid},
    })


def notebook_paths(root: str | Path) -> dict[Path, nbformat.NotebookNode]:
    """Every exercise and solution notebook, by where it belongs under `root`."""
    out = {}
    for exercise in EXERCISES.values():
        out[Path(root, "exercises", f"{exercise.id}.ipynb")] = build_notebook(exercise, solved=False)
        out[Path(root, "solutions", f"{exercise.id}.ipynb")] = build_notebook(exercise, solved=True)
    return out


def execute(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run a solution notebook on a fresh simulated cluster (in an empty folder), so it is saved with the
    outputs a learner sees; the simulator is seeded, so the outputs are the same on every run."""
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory() as folder, _simulated():
        NotebookClient(notebook, timeout=600, kernel_name="python3", record_timing=False,
                       resources={"metadata": {"path": folder}}).execute()
    return notebook


@contextlib.contextmanager
def _simulated() -> Iterator[None]:
    saved = os.environ.get("K8SCOURSE_CLUSTER")
    os.environ["K8SCOURSE_CLUSTER"] = "simulated"
    try:
        yield
    finally:
        if saved is None:
            del os.environ["K8SCOURSE_CLUSTER"]
        else:
            os.environ["K8SCOURSE_CLUSTER"] = saved


def sources(notebook: nbformat.NotebookNode) -> list[dict]:
    """What the catalogue decides of a notebook: each cell's id, type, source and metadata (not its outputs)."""
    return [{key: cell.get(key) for key in ("id", "cell_type", "source", "metadata")} for cell in notebook.cells]


def write_all(root: str | Path) -> list[Path]:
    """Write every exercise notebook (without outputs) and every solution notebook (executed, with outputs)."""
    written = []
    for path, notebook in notebook_paths(root).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.parent.name == "solutions":
            notebook = execute(notebook)
        nbformat.write(notebook, str(path))
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    for written in write_all(sys.argv[1] if len(sys.argv) > 1 else "."):
        print(written)
