"""Preemption: a higher-priority pod that fits nowhere evicts lower-priority pods and is nominated to their node.

Wording and behaviour of pkg/scheduler/framework/preemption/preemption.go (Evaluator.PreemptPod: the
DisruptionTarget condition `<scheduler>: preempting to accommodate a higher priority pod`, reason
PreemptionByScheduler, and the event `Preempted by pod <uid> on node <node>`; pickOneNodeForPreemption)
and plugins/defaultpreemption/default_preemption.go (SelectVictimsOnNode, PodEligibleToPreemptOthers:
`not eligible due to preemptionPolicy=Never.`, `not eligible due to a terminating pod on the nominated
node.`). A successful PostFilter adds nothing to the FailedScheduling message (framework.go
RunPostFilterPlugins returns a Success status without a message); schedule_one.go updatePod writes
status.nominatedNodeName.
"""

from __future__ import annotations

from k8scourse.api.registry import REGISTRY
from k8scourse.sim.scheduler.preemption import Candidate, pick_one_node

from .helpers import events, pod

PODS = REGISTRY.resolve("pods")
HIGH = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"}, "value": 1000000}
MID = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "mid"}, "value": 1000}
CONDITION_MESSAGE = "default-scheduler: preempting to accommodate a higher priority pod"


def _fill(cluster, *pods: dict) -> None:
    """Run each pod in turn (so they start one after the other): with the system pods' 750m, 2 CPUs."""
    for p in pods:
        cluster.apply(p)
        cluster.settle()


def _disruption(cluster, name: str) -> dict | None:
    status = cluster.backend.api.peek(PODS, name, "default").get("status") or {}
    return next((c for c in status.get("conditions") or [] if c["type"] == "DisruptionTarget"), None)


def _stored(cluster, name: str, namespace: str = "default") -> dict | None:
    return cluster.backend.api.peek(PODS, name, namespace)


def test_a_high_priority_pod_preempts_a_low_priority_pod_then_runs(cluster):
    cluster.apply(HIGH)
    _fill(cluster, pod("low-a", cpu="500m"), pod("low-b", cpu="500m"))
    cluster.apply(pod("vip", cpu="600m", priorityClassName="high"))
    vip = _stored(cluster, "vip")
    # both low pods have priority 0: the one that started first is more important and is reprieved
    assert _stored(cluster, "low-b")["metadata"].get("deletionTimestamp")
    assert not _stored(cluster, "low-a")["metadata"].get("deletionTimestamp")
    condition = _disruption(cluster, "low-b")
    assert (condition["status"], condition["reason"], condition["message"]) == ("True", "PreemptionByScheduler",
                                                                                CONDITION_MESSAGE)
    (preempted,) = events(cluster, "low-b", "Preempted")
    assert (preempted["type"], preempted["message"]) == ("Normal", f"Preempted by pod {vip['metadata']['uid']} on node minikube")
    (failed,) = events(cluster, "vip", "FailedScheduling")
    assert failed["message"] == "0/1 nodes are available: 1 Insufficient cpu."
    assert vip["status"]["nominatedNodeName"] == "minikube"
    wide = cluster.kubectl("get pod vip -o wide").stdout.splitlines()
    assert wide[0].split()[7:9] == ["NOMINATED", "NODE"] and wide[1].split()[6:8] == ["<none>", "minikube"]

    cluster.settle()
    assert _stored(cluster, "low-b") is None
    vip = _stored(cluster, "vip")
    assert (vip["spec"]["nodeName"], vip["status"]["phase"]) == ("minikube", "Running")
    assert vip["status"]["nominatedNodeName"] == "minikube"  # v1.33 keeps the nomination after binding
    assert [e["reason"] for e in events(cluster, "vip")] == ["FailedScheduling", "Scheduled"]
    assert _stored(cluster, "low-a")["status"]["phase"] == "Running"


def test_the_lowest_priority_victims_that_make_room_are_chosen(cluster):
    cluster.apply([HIGH, MID])
    _fill(cluster, pod("mid", cpu="500m", priorityClassName="mid"), pod("low", cpu="500m"))
    cluster.apply(pod("vip", cpu="600m", priorityClassName="high"))
    assert _disruption(cluster, "low") is not None and _disruption(cluster, "mid") is None
    cluster.settle()
    assert _stored(cluster, "mid")["status"]["phase"] == "Running"
    assert _stored(cluster, "vip")["spec"]["nodeName"] == "minikube"


def test_as_many_victims_as_needed(cluster):
    cluster.apply([HIGH, MID])
    _fill(cluster, pod("mid", cpu="500m", priorityClassName="mid"), pod("low", cpu="500m"))
    cluster.apply(pod("vip", cpu="1100m", priorityClassName="high"))
    assert _disruption(cluster, "low") is not None and _disruption(cluster, "mid") is not None
    cluster.settle()
    assert _stored(cluster, "vip")["status"]["phase"] == "Running"


def test_preemption_policy_never_does_not_preempt(cluster):
    cluster.apply(dict(HIGH, preemptionPolicy="Never"))
    _fill(cluster, pod("low", cpu="1000m"))
    cluster.apply(pod("polite", cpu="600m", priorityClassName="high"))
    cluster.settle()
    assert _disruption(cluster, "low") is None and _stored(cluster, "low")["status"]["phase"] == "Running"
    polite = _stored(cluster, "polite")
    assert not polite["spec"].get("nodeName") and "nominatedNodeName" not in polite["status"]
    assert events(cluster, "polite", "FailedScheduling")[0]["message"] == (
        "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.")


def test_equal_priority_does_not_preempt(cluster):
    cluster.apply(HIGH)
    _fill(cluster, pod("first", cpu="1000m", priorityClassName="high"))
    cluster.apply(pod("second", cpu="600m", priorityClassName="high"))
    cluster.settle()
    assert _disruption(cluster, "first") is None
    assert "nominatedNodeName" not in _stored(cluster, "second")["status"]
    # minikube's storage-provisioner (priority 0, no requests) is the only lower-priority pod: removing
    # it does not make room, so the dry run's verdict for the node is the filter's own
    assert events(cluster, "second", "FailedScheduling")[0]["message"] == (
        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.")
    assert _stored(cluster, "storage-provisioner", "kube-system")["status"]["phase"] == "Running"


def test_a_retry_while_the_victims_terminate_does_not_preempt_again(cluster):
    cluster.apply(HIGH)
    slow = pod("slow", cpu="1000m", terminationGracePeriodSeconds=600)
    slow["spec"]["containers"][0].update(image="busybox", command=["sh", "-c", "sleep 3600"])  # ignores SIGTERM
    _fill(cluster, slow)
    cluster.apply(pod("vip", cpu="600m", priorityClassName="high"))
    cluster.advance(330)  # the 5-minute flush retries the pod while `slow` is still terminating
    messages = [e["message"] for e in events(cluster, "vip", "FailedScheduling")]
    assert messages == ["0/1 nodes are available: 1 Insufficient cpu.",
                        "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to a "
                        "terminating pod on the nominated node."]
    assert _stored(cluster, "vip")["status"]["nominatedNodeName"] == "minikube"
    assert len(events(cluster, "slow", "Preempted")) == 1
    cluster.settle()
    assert _stored(cluster, "vip")["spec"]["nodeName"] == "minikube"


def _victim(name: str, priority: int, started: str) -> dict:
    return {"metadata": {"name": name}, "spec": {"priority": priority}, "status": {"startTime": started}}


def test_pick_one_node_criteria_in_order():
    early, late = "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z"
    lower_top = Candidate("a", [_victim("a1", 5, late), _victim("a2", 5, late)])
    higher_top = Candidate("b", [_victim("b1", 10, late)])
    assert pick_one_node([higher_top, lower_top]).node == "a"  # minimum highest victim priority
    smaller_sum = Candidate("c", [_victim("c1", 10, late), _victim("c2", 1, late)])
    bigger_sum = Candidate("d", [_victim("d1", 10, late), _victim("d2", 5, late)])
    assert pick_one_node([bigger_sum, smaller_sum]).node == "c"  # then minimum sum of priorities
    fewer = Candidate("e", [_victim("e1", 10, late)])
    # each priority counts with MaxInt32+1 added, so a victim at the lowest int32 priority adds nothing
    more = Candidate("f", [_victim("f1", 10, late), _victim("f2", -(2**31), late)])
    assert pick_one_node([more, fewer]).node == "e"  # then the fewest victims
    started_early = Candidate("g", [_victim("g1", 10, early)])
    started_late = Candidate("h", [_victim("h1", 10, late)])
    assert pick_one_node([started_early, started_late]).node == "h"  # then the latest start of the top victims
    assert pick_one_node([Candidate("i", [_victim("i1", 1, late)]), Candidate("j", [_victim("j1", 1, late)])]).node == "i"
