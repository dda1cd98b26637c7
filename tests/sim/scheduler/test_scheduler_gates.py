"""Scheduling gates: a gated pod stays out of the scheduling queue until its gates are removed.

Behaviour of the SchedulingGates PreEnqueue plugin (pkg/scheduler/framework/plugins/schedulinggates) and
of the pod strategy's applySchedulingGatedCondition (pkg/registry/core/pod/strategy.go: PodScheduled=False,
reason SchedulingGated, "Scheduling is blocked due to non-empty scheduling gates"); kubectl's printPod
shows the reason SchedulingGated as STATUS (pkg/printers/internalversion/printers.go).
"""

from __future__ import annotations

from .helpers import events, pod, scheduled_condition

GATED_MESSAGE = "Scheduling is blocked due to non-empty scheduling gates"


def _gated(name: str, cpu: str | None = None) -> dict:
    return pod(name, cpu=cpu, schedulingGates=[{"name": "example.com/quota"}, {"name": "example.com/review"}])


def _ungate(cluster, name: str, gates: str = "[]") -> None:
    result = cluster.kubectl(["patch", "pod", name, "--type=merge", "-p", f'{{"spec":{{"schedulingGates":{gates}}}}}'])
    assert result.returncode == 0, result.stderr


def test_a_gated_pod_waits_without_failing_and_runs_once_ungated(cluster):
    cluster.apply(_gated("held"))
    cluster.settle()
    assert not cluster.get("pod", "held")["spec"].get("nodeName")
    condition = scheduled_condition(cluster, "held")
    assert (condition["status"], condition["reason"], condition["message"]) == ("False", "SchedulingGated", GATED_MESSAGE)
    assert events(cluster, "held") == []  # no FailedScheduling while gated
    assert cluster.kubectl("get pod held").stdout.splitlines()[1].split()[2] == "SchedulingGated"

    _ungate(cluster, "held", '[{"name":"example.com/review"}]')  # one gate left: still held
    cluster.settle()
    assert not cluster.get("pod", "held")["spec"].get("nodeName")
    assert scheduled_condition(cluster, "held")["reason"] == "SchedulingGated"

    _ungate(cluster, "held")
    cluster.settle()
    held = cluster.get("pod", "held")
    assert (held["spec"]["nodeName"], held["status"]["phase"]) == ("minikube", "Running")
    assert scheduled_condition(cluster, "held")["status"] == "True"
    assert [e["reason"] for e in events(cluster, "held")] == ["Scheduled"]
    assert cluster.kubectl("get pod held").stdout.splitlines()[1].split()[2] == "Running"


def test_an_ungated_pod_that_does_not_fit_fails_as_usual(cluster):
    cluster.apply(_gated("big", cpu="3"))
    cluster.settle()
    assert events(cluster, "big") == []
    _ungate(cluster, "big")
    cluster.settle()
    assert scheduled_condition(cluster, "big")["reason"] == "Unschedulable"
    assert [e["reason"] for e in events(cluster, "big")] == ["FailedScheduling"]


def test_adding_a_gate_is_refused(cluster):
    cluster.apply(_gated("held"))
    result = cluster.kubectl(["patch", "pod", "held", "--type=json", "-p",
                              '[{"op":"add","path":"/spec/schedulingGates/-","value":{"name":"example.com/new"}}]'])
    # pkg/apis/core/validation/validation.go validatePodSchedulingGates on update
    assert result.returncode == 1 and "only deletion is allowed, but found new scheduling gate" in result.stderr
