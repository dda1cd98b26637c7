"""Runs an exercise's checks on a cluster: `check()` and `start()` in a learner's notebook, and the grader.

`check(exercise_id)` is what a learner calls (also as `k8scourse.check`); it judges the current cluster
with the visible checks and returns a result that renders as a table. Class grading (`classroom`) calls
`run_checks` with the hidden checks too, on a snapshot of the kernel's cluster, in its own process.
"""

from __future__ import annotations

import glob
import os
import traceback
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..api.errors import ApiError
from ..api.manifests import load_manifests
from ..cluster import Cluster, connect, current
from .exercises import get_exercise
from .model import Check, CheckContext, CheckResult, Exercise, ExerciseResult, Obj


def _run_one(check: Check, ctx: CheckContext) -> CheckResult:
    try:
        verdict = check.predicate(ctx)
    except ApiError as exc:
        return CheckResult(check.name, check.description, check.points, 0.0, False,
                           f"The cluster refused a request this check made: {exc.kubectl_message()}",
                           check.hint, traceback.format_exc(), check.hidden)
    except Exception as exc:  # noqa: BLE001 - a broken check must not stop the others
        return CheckResult(check.name, check.description, check.points, 0.0, False,
                           "This check could not run; your instructor has the details.", check.hint,
                           f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}", check.hidden)
    score = round(check.points * verdict.share, 4)
    return CheckResult(check.name, check.description, check.points, score, verdict.share >= 1.0,
                       verdict.message, "" if verdict.share >= 1.0 else check.hint, verdict.debug, check.hidden)


def run_checks(exercise: Exercise, cluster: Cluster, *, include_hidden: bool = False,
               manifests: Iterable[Obj] = (), status: str = "ok", notes: Iterable[str] = (),
               observations: Mapping[str, Obj] | None = None) -> ExerciseResult:
    """Judge `cluster` with the exercise's checks (the hidden ones too when `include_hidden`).

    `observations` are what the exercise's probes saw when they ran elsewhere (in a graded kernel); a probe
    with no observation runs on `cluster` when its check asks for it.
    """
    ctx = CheckContext(cluster, tuple(manifests), dict(observations or {}))
    checks = exercise.checks if include_hidden else exercise.visible_checks
    results = tuple(_run_one(c, ctx) for c in checks)
    return ExerciseResult(exercise.id, exercise.title, results, status, tuple(notes),
                          len(exercise.checks) - len(checks))


def learner_manifests(exercise: Exercise, folder: str | Path = ".") -> list[Obj]:
    """The objects in the learner's manifest files the exercise names (unreadable files are skipped)."""
    found: list[Obj] = []
    for pattern in exercise.manifests:
        for path in sorted(glob.glob(os.path.join(str(folder), pattern))):
            try:
                found += [doc.object for doc in load_manifests(Path(path))]
            except Exception:  # noqa: BLE001 - a broken file is the learner's to fix; checks say what is missing
                continue
    return found


def check(exercise_id: str, cluster: Cluster | None = None, *, settle: bool = True) -> ExerciseResult:
    """Check your work on exercise `exercise_id` against the current cluster (after letting it settle).

    Shows each check with its points and a hint for what failed. Hidden checks run only when your
    instructor grades the class with `k8scourse grade`, which is where official grades come from. A few
    checks act on the cluster to see how it behaves (storage-1's replaces the database's pod).
    """
    exercise = get_exercise(exercise_id)
    cluster = cluster or current()
    if settle:
        cluster.settle()
    return run_checks(exercise, cluster, manifests=learner_manifests(exercise))


def start(exercise_id: str, *, seed: int = 0, folder: str | Path = ".") -> Cluster:
    """A fresh cluster with the exercise's starting state: its objects applied and settled, its files written."""
    exercise = get_exercise(exercise_id)
    cluster = connect(nodes=exercise.nodes, seed=seed)
    for name, text in exercise.files.items():
        Path(folder, name).write_text(text)
    if exercise.setup:
        cluster.apply(list(exercise.setup))
        cluster.settle()
    return cluster
