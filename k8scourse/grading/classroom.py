"""Grading a class: run each submitted notebook in a fresh kernel, judge its cluster, write grades and feedback.

Called by `k8scourse grade` (`k8scourse.cli.grade`). Each notebook runs in its own kernel process
(nbclient), in an empty working folder, on a fresh simulated cluster (K8SCOURSE_CLUSTER=simulated), with a
time limit for the whole notebook. A cell the grader adds before the learner's cells installs the
`snapshot.Guard`; one added after them writes the cluster's state to a file outside the notebook's folder,
then runs the exercise's probes (experiments that act on the cluster, see `probes`) and records what they saw.
The checks (hidden ones included) then run here, in the grader's process, on that snapshot and those
observations: no check code and no check data ever runs in the learner's kernel, so redefining or editing
them there changes nothing. Probes only gather facts there, as the guard captured them before the learner's
first cell, and a notebook that replaced the parts of k8scourse the snapshot and the probes are taken with
is marked `tampered`.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from ..cluster import Cluster
from .exercises import EXERCISES, get_exercise
from .model import CheckResult, Exercise, ExerciseResult
from .render import result_markdown
from .runner import learner_manifests, run_checks
from .snapshot import SnapshotBackend, epilogue_source, load_snapshot, prologue_source

PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)
EPILOGUE_TIMEOUT = 30  # seconds to settle and read the cluster after the learner's cells


@dataclass(frozen=True)
class GradedNotebook:
    """One submission's grade: the exercise result, how long it ran, and how many of its cells raised."""

    notebook: str
    result: ExerciseResult
    seconds: float
    cell_errors: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"notebook": self.notebook, "score": self.result.score, "max": self.result.max_points,
                "checks": {c.name: c.score for c in self.result.checks}, "status": self.result.status,
                "exercise": self.result.exercise, "seconds": round(self.seconds, 2), "cell_errors": self.cell_errors,
                "details": self.result.to_dict()}


# --- which exercise ------------------------------------------------------------------------------------
def exercise_of(notebook: Any) -> str | None:
    """The exercise a notebook answers: its `k8scourse.exercise` metadata, else the grade id of its check cell."""
    named = notebook.metadata.get("k8scourse", {}).get("exercise")
    if named in EXERCISES:
        return named
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        match = re.fullmatch(r"(.+)-check", grade_id)
        if match and match.group(1) in EXERCISES:
            return match.group(1)
    return None


# --- running one notebook ------------------------------------------------------------------------------
@dataclass
class _Run:
    status: str = "ok"
    cell_errors: int = 0
    notes: tuple[str, ...] = ()


def _execute(notebook: Any, workdir: str, snapshot_path: str, timeout: float, exercise: str) -> _Run:
    """Run prologue, the learner's code cells and the epilogue (which also runs the exercise's probes) in one
    fresh kernel."""
    import nbformat
    from jupyter_core.utils import run_sync
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    logging.getLogger("asyncio").setLevel(logging.CRITICAL)  # tasks nbclient leaves behind a stopped cell

    guard = f"_k8scourse_guard_{secrets.token_hex(8)}"
    cells = [nbformat.v4.new_code_cell(prologue_source(PACKAGE_DIR, guard))]
    cells += [cell for cell in notebook.cells if cell.cell_type == "code"]
    cells.append(nbformat.v4.new_code_cell(epilogue_source(guard, snapshot_path, exercise)))
    notebook.cells = cells
    deadline = time.monotonic() + timeout
    client = NotebookClient(notebook, kernel_name="python3", allow_errors=True, record_timing=False,
                            resources={"metadata": {"path": workdir}}, startup_timeout=120)
    client.timeout_func = lambda cell: max(1, int(deadline - time.monotonic()))
    env = dict(os.environ, K8SCOURSE_CLUSTER="simulated")
    run = _Run()
    with client.setup_kernel(env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
        try:
            for index, cell in enumerate(cells[:-1]):
                client.execute_cell(cell, index)
        except CellTimeoutError:
            run.status = "timeout"
            run_sync(client.km.interrupt_kernel)()
        except DeadKernelError:
            return _Run("crashed", _errors(cells[1:-1]))
        client.timeout_func = lambda cell: EPILOGUE_TIMEOUT
        try:
            client.execute_cell(cells[-1], len(cells) - 1)
        except (CellTimeoutError, DeadKernelError):
            run.notes = ("The notebook could not be stopped to read its cluster.",)
    if any(o.get("output_type") == "error" for o in cells[0].outputs):
        raise RuntimeError(f"the grading guard did not start: {cells[0].outputs[-1].get('evalue')}")
    run.cell_errors = _errors(cells[1:-1])
    return run


def _errors(cells: Iterable[Any]) -> int:
    return sum(any(o.get("output_type") == "error" for o in c.get("outputs", [])) for c in cells)


def _ungraded(exercise: Exercise, status: str, message: str, notes: Sequence[str]) -> ExerciseResult:
    checks = tuple(CheckResult(c.name, c.description, c.points, 0.0, False, message, "", "", c.hidden)
                   for c in exercise.checks)
    return ExerciseResult(exercise.id, exercise.title, checks, status, tuple(notes))


def _judge(exercise: Exercise, run: _Run, snapshot_path: str, workdir: str) -> ExerciseResult:
    if not os.path.exists(snapshot_path):
        status = run.status if run.status != "ok" else "crashed"
        return _ungraded(exercise, status, "Not graded: the cluster could not be read.", run.notes)
    snapshot = load_snapshot(snapshot_path)
    notes = list(run.notes)
    if run.cell_errors:
        notes.append(f"{run.cell_errors} cell(s) raised an error while the notebook ran.")
    if snapshot.get("tampered"):
        return _ungraded(exercise, "tampered", "Not graded: the notebook replaced parts of k8scourse.",
                         notes + [f"Replaced: {', '.join(snapshot['tampered'])}."])
    if snapshot.get("replaced"):
        notes.append(f"The notebook replaced {', '.join(snapshot['replaced'])}; grading does not use its copy.")
    if not snapshot.get("connected"):
        notes.append("The notebook never connected to a cluster (run the exercise's first cell).")
    cluster = Cluster(SnapshotBackend(snapshot), namespace=snapshot.get("namespace", "default"))
    return run_checks(exercise, cluster, include_hidden=True, manifests=learner_manifests(exercise, workdir),
                      status=run.status, notes=notes, observations=snapshot.get("probes"))


def grade_notebook(path: str | Path, *, timeout: float = 120, exercise: str | None = None,
                   name: str | None = None) -> GradedNotebook:
    """Run one submitted notebook and grade it; never raises for what the notebook does."""
    import nbformat

    started = time.monotonic()
    notebook = nbformat.read(str(path), as_version=4)
    exercise_id = exercise or exercise_of(notebook)
    if exercise_id is None:
        raise ValueError(f"{path}: cannot tell which exercise this notebook answers; pass --exercise")
    ex = get_exercise(exercise_id)
    private = tempfile.mkdtemp(prefix="k8scourse-grade-")
    workdir = os.path.join(private, "work")
    os.mkdir(workdir)
    snapshot_path = os.path.join(private, f"snapshot-{secrets.token_hex(8)}.json")
    try:
        run = _execute(notebook, workdir, snapshot_path, timeout, ex.id)
        result = _judge(ex, run, snapshot_path, workdir)
    finally:
        shutil.rmtree(private, ignore_errors=True)
    return GradedNotebook(name or str(path), result, time.monotonic() - started, run.cell_errors)


# --- a class -------------------------------------------------------------------------------------------
def submission_names(paths: Sequence[Path]) -> list[str]:
    """How each submission is named in the grades: its path relative to the folder all of them share."""
    resolved = [p.resolve() for p in paths]
    if len(resolved) == 1:
        return [resolved[0].name]
    common = Path(os.path.commonpath([str(p.parent) for p in resolved]))
    return [str(p.relative_to(common)) for p in resolved]


def _exercise_in(path: str) -> str | None:
    import nbformat

    try:
        return exercise_of(nbformat.read(path, as_version=4))
    except Exception:  # noqa: BLE001 - an unreadable notebook names no exercise
        return None


def _grade_one(args: tuple[str, str, float, str | None]) -> GradedNotebook:
    """Grade one notebook; a failure of the grading itself is recorded as status `error`, not raised."""
    path, name, timeout, exercise = args
    try:
        return grade_notebook(path, timeout=timeout, exercise=exercise, name=name)
    except Exception as exc:  # noqa: BLE001 - one broken submission must not stop the class
        known = EXERCISES.get(exercise or _exercise_in(path) or "")
        result = (_ungraded(known, "error", "Not graded.", [f"Grading failed: {exc}"]) if known else
                  ExerciseResult(exercise or "", "", (), "error", (f"Grading failed: {exc}",)))
        return GradedNotebook(name, result, 0.0)


def grade_all(paths: Sequence[str | Path], *, timeout: float = 120, jobs: int = 1, exercise: str | None = None,
              progress: Callable[[int, int, GradedNotebook], None] | None = None) -> list[GradedNotebook]:
    """Grade every notebook (`jobs` at a time, each in its own process and kernel), in the order given."""
    files = [Path(p) for p in paths]
    work = [(str(p), n, timeout, exercise) for p, n in zip(files, submission_names(files), strict=True)]
    graded: dict[str, GradedNotebook] = {}
    if jobs <= 1:
        for item in work:
            graded[item[1]] = _grade_one(item)
            if progress:
                progress(len(graded), len(work), graded[item[1]])
    else:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
            for future in as_completed([pool.submit(_grade_one, item) for item in work]):
                one = future.result()
                graded[one.notebook] = one
                if progress:
                    progress(len(graded), len(work), one)
    return [graded[item[1]] for item in work]


def check_columns(graded: Sequence[GradedNotebook]) -> list[tuple[str, str, str]]:
    """(exercise, check, column title) for every check seen, in order; titles carry the exercise when
    the submissions answer more than one."""
    seen: dict[tuple[str, str], None] = {}
    for one in graded:
        for check in one.result.checks:
            seen.setdefault((one.result.exercise, check.name), None)
    several = len({ex for ex, _ in seen}) > 1
    return [(ex, name, f"{ex}:{name}" if several else name) for ex, name in seen]


def rows(graded: Sequence[GradedNotebook]) -> list[dict[str, Any]]:
    """The grade table: notebook, score, max, one column per check, then status, exercise and timings."""
    columns = check_columns(graded)
    table = []
    for one in graded:
        row: dict[str, Any] = {"notebook": one.notebook, "score": one.result.score, "max": one.result.max_points}
        scores = {c.name: c.score for c in one.result.checks}
        for ex, name, title in columns:
            row[title] = scores.get(name, "") if ex == one.result.exercise else ""
        row.update(status=one.result.status, exercise=one.result.exercise, seconds=round(one.seconds, 2),
                   cell_errors=one.cell_errors)
        table.append(row)
    return table


def write_csv(graded: Sequence[GradedNotebook], path: str | Path) -> None:
    table = rows(graded)
    fields = list(table[0]) if table else ["notebook", "score", "max"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(table)


def write_json(graded: Sequence[GradedNotebook], path: str | Path) -> None:
    table = rows(graded)
    columns = list(table[0]) if table else []
    for row, one in zip(table, graded, strict=True):
        row["details"] = one.result.to_dict()
    Path(path).write_text(json.dumps({"columns": columns, "submissions": table},
                                     indent=2) + "\n", encoding="utf-8")


def feedback_name(notebook: str) -> str:
    stem = notebook[:-len(".ipynb")] if notebook.endswith(".ipynb") else notebook
    return re.sub(r"[^A-Za-z0-9_.-]+", "__", stem) + ".md"


def write_feedback(graded: Sequence[GradedNotebook], folder: str | Path) -> list[Path]:
    """One Markdown file per submission, with what the learner may read (no debug details)."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    written = []
    for one in graded:
        target = Path(folder) / feedback_name(one.notebook)
        target.write_text(result_markdown(one.result, one.notebook), encoding="utf-8")
        written.append(target)
    return written
