"""`k8scourse grade` on a class: solutions, untouched exercises, handmade submissions, cheats, loops, crashes.

One graded run (two notebooks at a time) serves every test here: grading starts a kernel per notebook.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from k8scourse.cli import main
from k8scourse.grading import EXERCISES

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("grades")
    status = main(["grade", str(ROOT / "solutions"), str(ROOT / "exercises"), str(FIXTURES),
                   "--out", str(out / "grades.csv"), "--feedback", str(out / "feedback"),
                   "--jobs", "2", "--timeout", "8"])
    assert status == 0
    with open(out / "grades.csv", newline="") as handle:
        rows = {row["notebook"]: row for row in csv.DictReader(handle)}
    return {"dir": out, "rows": rows, "json": json.loads((out / "grades.json").read_text())}


def _row(graded, name):
    return graded["rows"][name]


def _details(graded, name):
    return next(s["details"] for s in graded["json"]["submissions"] if s["notebook"] == name)


def _check(graded, name, check):
    return next(c for c in _details(graded, name)["checks"] if c["name"] == check)


@pytest.mark.parametrize("exercise", sorted(EXERCISES))
def test_every_solution_gets_full_marks(graded, exercise):
    row = _row(graded, f"solutions/{exercise}.ipynb")
    assert row["status"] == "ok"
    assert float(row["score"]) == float(row["max"]) == EXERCISES[exercise].points
    assert row["cell_errors"] == "0"


@pytest.mark.parametrize("exercise", sorted(EXERCISES))
def test_every_untouched_exercise_gets_zero_without_crashing(graded, exercise):
    row = _row(graded, f"exercises/{exercise}.ipynb")
    assert (row["status"], float(row["score"]), row["cell_errors"]) == ("ok", 0.0, "0")


@pytest.mark.parametrize(("fixture", "scores"), [
    ("deployments-partial", {"deployment-exists": 1, "three-ready-replicas": 2, "runs-nginx": 0,
                             "pods-labelled": 0, "no-stray-pods": 0}),
    ("services-wrong", {"service-exists": 1, "selects-web-pods": 0, "target-port": 0, "port-8080": 1,
                        "survives-rollouts": 1}),
    ("config-partial", {"configmap-consumed": 2, "password-from-secret": 0, "no-clear-text-password": 0,
                        "two-ready-replicas": 1, "password-not-in-configmap": 1}),
    ("scaling-partial", {"four-ready-replicas": 2, "deployment-labelled": 0, "pods-labelled": 2,
                         "labels-in-template": 0}),
    ("storage-emptydir", {"claim-bound": 2, "claim-mounted": 0, "data-survives": 0, "one-writer": 1}),
])
def test_partial_submissions_get_the_right_partial_scores(graded, fixture, scores):
    name = f"tests/grading/fixtures/{fixture}.ipynb"
    assert {c["name"]: c["score"] for c in _details(graded, name)["checks"]} == scores
    assert float(_row(graded, name)["score"]) == sum(scores.values())


def test_partial_submissions_get_the_right_hints(graded):
    fixtures = "tests/grading/fixtures"
    plain = _check(graded, f"{fixtures}/config-partial.ipynb", "password-from-secret")
    assert "plain `value`" in plain["message"] and "secretKeyRef" in plain["hint"]
    extra = _check(graded, f"{fixtures}/services-wrong.ipynb", "selects-web-pods")
    assert "shop-admin-" in extra["message"] and "`app: shop` alone matches both" in extra["hint"]
    port = _check(graded, f"{fixtures}/services-wrong.ipynb", "target-port")
    assert ":8080" in port["message"] and "targetPort" in port["hint"]
    stray = _check(graded, f"{fixtures}/deployments-partial.ipynb", "no-stray-pods")
    assert stray["message"] == "Pods not managed by the Deployment `webapp` also match `app=webapp`: extra."
    hidden = _check(graded, f"{fixtures}/scaling-partial.ipynb", "labels-in-template")
    assert hidden["hidden"] and "pod template" in hidden["message"]
    passed = _check(graded, f"{fixtures}/config-partial.ipynb", "configmap-consumed")
    assert passed["hint"] == ""


def test_data_on_an_emptydir_loses_the_persistence_points_with_a_hint(graded):
    # The pod was replaced in the graded kernel, after the snapshot; the grader judged what that showed.
    lost = _check(graded, "tests/grading/fixtures/storage-emptydir.ipynb", "data-survives")
    assert lost["message"].endswith(", the pod that replaced it: /var/lib/postgresql/data is on the emptyDir "
                                    "volume `data`, which is deleted with its pod.")
    assert lost["hint"].startswith("Keep the data on the claim: an emptyDir lives and dies with its pod")
    assert _check(graded, "solutions/storage-1.ipynb", "data-survives")["message"].startswith(
        "A file written under /var/lib/postgresql/data in `db-")


def test_a_cheating_notebook_is_graded_on_what_its_cluster_holds(graded):
    name = "tests/grading/fixtures/malicious.ipynb"
    row = _row(graded, name)
    # It replaced checks, emptied the exercise's checks and installed a fake k8scourse module: none of it
    # runs in the grader, so it gets what its Deployment earns (no tier label), hidden check included.
    assert (row["status"], float(row["score"]), float(row["max"])) == ("ok", 5.0, 6.0)
    assert row["deployments-1:pods-labelled"] == "0.0"
    notes = " ".join(_details(graded, name)["notes"])
    assert "k8scourse.grading.checks.deployment_ready" in notes and "the exercise definitions" in notes
    assert "the module k8scourse" in notes


def test_a_notebook_that_rewires_the_simulator_is_not_trusted(graded):
    name = "tests/grading/fixtures/tampered.ipynb"
    row = _row(graded, name)
    assert (row["status"], float(row["score"])) == ("tampered", 0.0)
    assert "k8scourse.sim.cluster.SimulatedCluster.list" in " ".join(_details(graded, name)["notes"])


def test_an_infinite_loop_is_stopped_recorded_and_graded_on_the_state_it_reached(graded):
    row = _row(graded, "tests/grading/fixtures/infinite-loop.ipynb")
    assert row["status"] == "timeout"
    assert float(row["score"]) == 5.0  # the Deployment it created before looping, without the tier label
    assert float(row["seconds"]) < 60


def test_a_crashing_kernel_is_recorded(graded):
    row = _row(graded, "tests/grading/fixtures/crash.ipynb")
    assert (row["status"], float(row["score"]), float(row["max"])) == ("crashed", 0.0, 6.0)


def test_csv_columns_are_notebook_score_max_then_one_per_check(graded):
    header = list(next(iter(graded["rows"].values())))
    assert header[:3] == ["notebook", "score", "max"]
    checks = [f"{e.id}:{c.name}" for e in sorted(EXERCISES.values(), key=lambda e: e.id) for c in e.checks]
    assert sorted(header[3:3 + len(checks)]) == sorted(checks)
    assert header[3 + len(checks):] == ["status", "exercise", "seconds", "cell_errors"]
    assert len(graded["rows"]) == 2 * len(EXERCISES) + len(list(FIXTURES.glob("*.ipynb")))


def test_json_holds_the_same_rows_with_details(graded):
    data = graded["json"]
    assert data["columns"] == list(next(iter(graded["rows"].values())))
    for submission in data["submissions"]:
        row = graded["rows"][submission["notebook"]]
        assert float(row["score"]) == submission["score"] == submission["details"]["score"]
        assert {c["name"] for c in submission["details"]["checks"]} <= {k.split(":")[-1] for k in row}


def test_one_feedback_file_per_student_without_debug_details(graded):
    files = sorted(p.name for p in (graded["dir"] / "feedback").iterdir())
    assert len(files) == len(graded["rows"])
    text = (graded["dir"] / "feedback" / "tests__grading__fixtures__config-partial.md").read_text()
    assert "**4 / 7** points" in text and "Hint: Use an env entry with `valueFrom.secretKeyRef`" in text
    assert "env entries" not in text  # the debug detail of that check stays with the instructor
