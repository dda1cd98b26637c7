"""Snapshots: the checks judge a snapshot as they judge the live cluster; the guard sees what a notebook replaced."""

from __future__ import annotations

import json
import sys
import types

import pytest

import k8scourse.grading.checks as checks
from k8scourse.api.errors import ApiError
from k8scourse.cluster import Cluster
from k8scourse.grading import EXERCISES, run_checks, start
from k8scourse.grading.classroom import PACKAGE_DIR
from k8scourse.grading.probes import PersistenceProbe
from k8scourse.grading.snapshot import Guard, SnapshotBackend, take_snapshot
from k8scourse.sim.cluster import SimulatedCluster


def _solve(exercise_id):
    cluster = start(exercise_id)
    cluster.apply(EXERCISES[exercise_id].cells[0].solution.split("\n", 1)[1])
    cluster.settle()
    return cluster


def _frozen(cluster):
    snapshot = json.loads(json.dumps(take_snapshot(cluster)))
    return Cluster(SnapshotBackend(snapshot), namespace=snapshot["namespace"])


@pytest.mark.parametrize("exercise_id", ["config-1", "services-1"])
def test_checks_on_a_snapshot_agree_with_checks_on_the_live_cluster(exercise_id):
    live = _solve(exercise_id)
    exercise = EXERCISES[exercise_id]
    on_live = run_checks(exercise, live, include_hidden=True)
    assert on_live.score == exercise.points
    assert run_checks(exercise, _frozen(live), include_hidden=True) == on_live


def test_a_snapshot_answers_selectors_and_refuses_writes():
    frozen = _frozen(_solve("services-1"))
    assert len(frozen.get("pods", label_selector="app=shop,tier!=admin")) == 2
    assert [p["metadata"]["name"] for p in frozen.get("pods", field_selector="metadata.name=nope")] == []
    assert frozen.get("svc", "shop")["spec"]["ports"][0]["port"] == 8080
    with pytest.raises(ApiError, match='services "gone" not found'):
        frozen.get("svc", "gone")
    with pytest.raises(ApiError) as refused:
        frozen.delete("svc", "shop")
    assert refused.value.code == 405


@pytest.fixture
def guard():
    return Guard(PACKAGE_DIR)


def test_the_guard_sees_nothing_replaced_in_an_honest_run(guard):
    _solve("deployments-1")
    assert guard._replaced() == ([], [])


def test_replaced_checks_and_a_fake_package_are_harmless(guard, monkeypatch):
    monkeypatch.setattr(checks, "deployment_ready", lambda *a: None)
    monkeypatch.setitem(sys.modules, "k8scourse", types.ModuleType("k8scourse"))
    monkeypatch.setitem(EXERCISES, "deployments-1", None)
    critical, harmless = guard._replaced()
    assert critical == []
    assert harmless == ["the module k8scourse", "k8scourse.grading.checks.deployment_ready", "the exercise definitions"]


def test_a_rewired_simulator_is_critical(guard, monkeypatch):
    monkeypatch.setattr(SimulatedCluster, "list", lambda *a, **k: {"items": []})
    assert guard._replaced()[0] == ["k8scourse.sim.cluster.SimulatedCluster.list"]


def test_finish_writes_a_snapshot_of_the_current_cluster(guard, tmp_path):
    _solve("config-1")
    guard.finish(str(tmp_path / "snap.json"))
    snapshot = json.loads((tmp_path / "snap.json").read_text())
    assert (snapshot["connected"], snapshot["tampered"], snapshot["replaced"]) == (True, [], [])
    env = next(iter(snapshot["env"].values()))["nginx"]
    assert "DB_PASSWORD=k8s-r0cks!" in env.splitlines()


def test_a_rewired_probe_is_critical(guard, monkeypatch):
    monkeypatch.setattr(PersistenceProbe, "run", lambda self, cluster: {"read": "faked"})
    assert guard._replaced()[0] == ["k8scourse.grading.probes.PersistenceProbe.run"]


def test_probes_run_in_the_kernel_after_the_snapshot_and_the_grader_judges_what_they_saw(guard, tmp_path):
    live = _solve("storage-1")
    before = live.get("pods", label_selector="app=db")[0]["metadata"]["name"]
    guard.finish(str(tmp_path / "snap.json"), "storage-1")
    snapshot = json.loads((tmp_path / "snap.json").read_text())
    # The objects are the learner's state; the probe replaced the pod only after they were taken.
    assert [p["metadata"]["name"] for p in snapshot["objects"]["pods"] if p["metadata"]["namespace"] == "default"] \
        == [before]
    (seen,) = snapshot["probes"].values()
    assert seen["pod"] == before and seen["replacement"] != before
    frozen = Cluster(SnapshotBackend(snapshot), namespace="default")
    exercise = EXERCISES["storage-1"]
    graded = run_checks(exercise, frozen, include_hidden=True, observations=snapshot["probes"])
    assert graded.score == exercise.points
    # The snapshot is read-only: without the recorded observation the check cannot act, and says so.
    blind = run_checks(exercise, frozen, include_hidden=True).check("data-survives")
    assert blind.score == 0 and blind.message.startswith("The cluster refused a request this check made")


def test_only_the_graded_exercises_probes_run(guard, tmp_path):
    _solve("storage-1")
    guard.finish(str(tmp_path / "snap.json"))
    assert json.loads((tmp_path / "snap.json").read_text())["probes"] == {}
