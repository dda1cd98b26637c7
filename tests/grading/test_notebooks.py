"""The exercise and solution notebooks: built from the catalogue, nbgrader-compatible, and passing nbgrader's
own validation when solved."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.preprocessors import ClearSolutions, LockCells

from k8scourse.grading import EXERCISES
from k8scourse.grading.notebooks import notebook_paths, sources

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", sorted(notebook_paths(ROOT)), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_committed_notebooks_are_what_the_catalogue_builds(path):
    built = notebook_paths(ROOT)[path]
    committed = nbformat.read(path, as_version=4)
    rebuild = "run `python -m k8scourse.grading.notebooks` to rebuild the exercise notebooks"
    assert sources(committed) == sources(built), rebuild
    assert {k: committed.metadata.get(k) for k in ("kernelspec", "k8scourse")} == \
        {k: built.metadata.get(k) for k in ("kernelspec", "k8scourse")}, rebuild
    code = [cell for cell in committed.cells if cell.cell_type == "code"]
    if path.parent.name == "solutions":  # saved with what the course shows when they run
        assert all(cell.execution_count for cell in code) and code[-1].outputs, rebuild  # the check's result
    else:  # handed out clean
        assert path.read_text() in (nbformat.writes(built), nbformat.writes(built) + "\n"), rebuild


@pytest.mark.parametrize("exercise", sorted(EXERCISES))
def test_cells_carry_nbgrader_metadata(exercise):
    notebook = nbformat.read(ROOT / "exercises" / f"{exercise}.ipynb", as_version=4)
    meta = [cell.metadata["nbgrader"] for cell in notebook.cells]
    grade_ids = [m["grade_id"] for m in meta]
    assert len(set(grade_ids)) == len(grade_ids)
    graded = [m for m in meta if m["grade"]]
    assert graded == [{"grade": True, "grade_id": f"{exercise}-check", "locked": True, "points": EXERCISES[exercise]
                       .visible_points, "schema_version": 3, "solution": False}]
    assert all(m["locked"] != m["solution"] for m in meta)
    assert notebook.metadata["k8scourse"] == {"exercise": exercise}


def test_nbgrader_turns_a_solution_into_the_exercise():
    solution = nbformat.read(ROOT / "solutions" / "config-1.ipynb", as_version=4)
    exercise = nbformat.read(ROOT / "exercises" / "config-1.ipynb", as_version=4)
    released, _ = ClearSolutions().preprocess(solution, {})
    released, _ = LockCells().preprocess(released, {})
    for mine, theirs in zip(exercise.cells, released.cells, strict=True):
        if mine.metadata["nbgrader"]["solution"]:
            assert theirs.source == "%%apply\n# YOUR CODE HERE\nraise NotImplementedError()"
        else:
            assert (theirs.source, theirs.metadata["editable"]) == (mine.source, False)


def test_nbgrader_validate_passes_a_solution(tmp_path):
    shutil.copy(ROOT / "solutions" / "services-1.ipynb", tmp_path)
    nbgrader = Path(sys.executable).with_name("nbgrader")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([str(nbgrader), "validate", "services-1.ipynb"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert "Success! Your notebook passes all the tests." in done.stdout, done.stdout + done.stderr
