"""Node lifecycle and taint-based eviction: a node whose kubelet stops renewing its Lease goes Unknown,
is tainted unreachable, and loses its pods after their tolerationSeconds; a kubelet that comes back
clears it all.

Wording after pkg/controller/nodelifecycle/node_lifecycle_controller.go (`NodeStatusUnknown`, `Kubelet
stopped posting node status.`, zone states, the rate-limited NoExecute tainting),
pkg/controller/util/node/controller_utils.go (`Node %s status is now: %s`, `Node %s event: %s`,
MarkPodsNotReady's `Node is not ready`) and pkg/controller/tainteviction/taint_eviction.go
(`Marking for deletion Pod %s`, `Cancelling deletion of Pod %s`, the DisruptionTarget condition).
The simulated kubelets renew the Leases; `stop_node` silences one.
"""

from __future__ import annotations

import pytest

from k8scourse.api.registry import REGISTRY
from k8scourse.sim.cluster import SimulatedCluster
from k8scourse.sim.controllers.nodelifecycle import NodeLifecycleController, TaintEvictionController

NODES = REGISTRY.resolve("nodes")
PODS = REGISTRY.resolve("pods")
LEASES = REGISTRY.resolve("leases")
EVENTS = REGISTRY.resolve("events")


def running_pod(sim: SimulatedCluster, name: str, node: str, **spec: object) -> None:
    """A pod bound to `node` that its kubelet starts (nginx: pulled, started, Ready)."""
    sim.create(PODS, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                      "spec": {"nodeName": node, "containers": [{"name": "web", "image": "nginx"}], **spec}},
               "default")
    sim.advance(30)
    assert sim.get(PODS, name, "default")["status"]["phase"] == "Running"


def condition(sim: SimulatedCluster, node: str, type_: str = "Ready") -> dict:
    return next(c for c in sim.get(NODES, node)["status"]["conditions"] if c["type"] == type_)


def taints(sim: SimulatedCluster, node: str) -> list[tuple[str, str]]:
    return [(t["key"], t["effect"]) for t in sim.get(NODES, node)["spec"].get("taints", [])]


def events(sim: SimulatedCluster, reason: str) -> list[tuple[str, str, str]]:
    found = [e for e in sim.api.store.list(EVENTS.group_resource, "default") if e["reason"] == reason]
    found.sort(key=lambda e: (e["firstTimestamp"], e["involvedObject"]["name"]))
    return [(e["involvedObject"]["name"], e["message"], e["source"]["component"]) for e in found]


@pytest.fixture
def sim() -> SimulatedCluster:
    return SimulatedCluster(nodes=2)


def test_unknown_nodes_cannot_be_stopped(sim):
    with pytest.raises(ValueError, match="There is no node 'nope'"):
        sim.stop_node("nope")


def test_nodes_are_registered_and_stay_ready_while_their_leases_are_renewed(sim):
    assert isinstance(sim.node_lifecycle, NodeLifecycleController)
    assert any(isinstance(c, TaintEvictionController) for c in sim.controllers)
    sim.advance(300)
    assert condition(sim, "minikube-m02")["status"] == "True"
    assert events(sim, "RegisteredNode") == [
        ("minikube", "Node minikube event: Registered Node minikube in Controller", "node-controller"),
        ("minikube-m02", "Node minikube-m02 event: Registered Node minikube-m02 in Controller", "node-controller"),
    ]


def test_a_silent_node_goes_unknown_after_the_grace_period_and_is_tainted(sim):
    running_pod(sim, "web-1", "minikube-m02")
    sim.stop_node("minikube-m02")
    sim.advance(40)
    assert condition(sim, "minikube-m02")["status"] == "True"
    sim.advance(15)  # 50 s node-monitor-grace-period after the last renewal the controller saw, on a 5 s pass
    ready = condition(sim, "minikube-m02")
    assert (ready["status"], ready["reason"], ready["message"]) == (
        "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
    assert condition(sim, "minikube-m02", "MemoryPressure")["status"] == "Unknown"
    assert taints(sim, "minikube-m02") == [("node.kubernetes.io/unreachable", "NoSchedule")]
    assert events(sim, "NodeNotReady") == [
        ("minikube-m02", "Node minikube-m02 status is now: NodeNotReady", "node-controller"),
        ("web-1", "Node is not ready", "node-controller"),
    ]
    pod_ready = next(c for c in sim.get(PODS, "web-1", "default")["status"]["conditions"] if c["type"] == "Ready")
    assert pod_ready["status"] == "False"
    sim.advance(5)  # the next pass queues the node for the NoExecute taint
    assert taints(sim, "minikube-m02") == [("node.kubernetes.io/unreachable", "NoSchedule"),
                                           ("node.kubernetes.io/unreachable", "NoExecute")]
    assert all("timeAdded" in t for t in sim.get(NODES, "minikube-m02")["spec"]["taints"])
    assert condition(sim, "minikube")["status"] == "True"


def test_pods_are_evicted_after_their_toleration_seconds_and_stay_terminating(sim):
    running_pod(sim, "web-1", "minikube-m02")
    running_pod(sim, "forever", "minikube-m02",
                tolerations=[{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"}])
    sim.stop_node("minikube-m02")
    report = sim.settle()  # settle() follows the story to the eviction
    assert not report.hit_ceiling
    pod = sim.get(PODS, "web-1", "default")
    assert pod["metadata"]["deletionTimestamp"]
    target = next(c for c in pod["status"]["conditions"] if c["type"] == "DisruptionTarget")
    assert (target["status"], target["reason"], target["message"]) == (
        "True", "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint")
    assert events(sim, "TaintManagerEviction") == [
        ("web-1", "Marking for deletion Pod default/web-1", "taint-eviction-controller")]
    tainted_at = sim.clock.parse(sim.get(NODES, "minikube-m02")["spec"]["taints"][1]["timeAdded"])
    evicted_at = sim.clock.parse(pod["metadata"]["deletionTimestamp"]) - 30  # the pod's 30 s grace period
    assert evicted_at - tainted_at == 300  # DefaultTolerationSeconds
    assert "deletionTimestamp" not in sim.get(PODS, "forever", "default")["metadata"]
    sim.start_node("minikube-m02")
    sim.advance(5)
    assert taints(sim, "minikube-m02") == []
    assert condition(sim, "minikube-m02")["status"] == "True"
    assert [p["metadata"]["name"] for p in sim.api.store.pods_on_node("minikube-m02")
            if p["metadata"]["namespace"] == "default"] == ["forever"]


def test_a_node_back_before_the_eviction_cancels_it(sim):
    running_pod(sim, "web-1", "minikube-m02")
    sim.stop_node("minikube-m02")
    sim.advance(120)
    sim.start_node("minikube-m02")
    sim.advance(5)
    assert taints(sim, "minikube-m02") == []
    assert events(sim, "TaintManagerEviction") == [
        ("web-1", "Cancelling deletion of Pod default/web-1", "taint-eviction-controller")]
    sim.advance(600)
    assert "deletionTimestamp" not in sim.get(PODS, "web-1", "default")["metadata"]


def test_noexecute_taints_are_rate_limited_per_zone():
    sim = SimulatedCluster(nodes=4)
    sim.stop_node("minikube-m03")
    sim.stop_node("minikube-m04")
    sim.advance(80)
    added = {n: sim.clock.parse(t["timeAdded"]) for n in ("minikube-m03", "minikube-m04")
             for t in sim.get(NODES, n)["spec"]["taints"] if t["effect"] == "NoExecute"}
    assert added["minikube-m04"] - added["minikube-m03"] == 10  # --node-eviction-rate 0.1 per second


def test_when_every_node_is_down_nothing_is_evicted():
    sim = SimulatedCluster(nodes=1)
    running_pod(sim, "web-1", "minikube")
    sim.stop_node("minikube")
    sim.advance(600)
    assert condition(sim, "minikube")["status"] == "Unknown"
    assert taints(sim, "minikube") == [("node.kubernetes.io/unreachable", "NoSchedule")]
    assert "deletionTimestamp" not in sim.get(PODS, "web-1", "default")["metadata"]
