"""The node side: Lease renewal every 10 s, and stop()/start() as `minikube node stop/start` needs them."""

from __future__ import annotations

import k8scourse
from k8scourse.api.registry import REGISTRY

LEASES = REGISTRY.resolve("leases")


def test_the_lease_is_renewed_every_ten_seconds(pods):
    before = pods.api.peek(LEASES, "minikube", "kube-node-lease")["spec"]["renewTime"]
    pods.cluster.advance(10)
    after = pods.api.peek(LEASES, "minikube", "kube-node-lease")["spec"]["renewTime"]
    assert pods.api.clock.parse(after) - pods.api.clock.parse(before) == 10


def test_a_stopped_kubelet_does_nothing_until_started(pods):
    kubelet = pods.backend.kubelets["minikube"]
    pods.create("web", [{"name": "nginx", "image": "nginx:1.27"}])
    pods.cluster.settle()
    kubelet.stop()
    renewed = pods.api.peek(LEASES, "minikube", "kube-node-lease")["spec"]["renewTime"]
    pods.create("late", [{"name": "nginx", "image": "nginx:1.27"}], nodeName="minikube")
    pods.backend.api.delete(REGISTRY.resolve("pods"), "web", "default")
    pods.cluster.advance(30)
    assert pods.api.peek(LEASES, "minikube", "kube-node-lease")["spec"]["renewTime"] == renewed
    assert "status" not in pods.get("late") or not pods.get("late")["status"].get("containerStatuses")
    assert pods.cluster.exists("pod", "web")  # Terminating: nobody finishes it
    kubelet.start()
    pods.cluster.settle()
    assert not pods.cluster.exists("pod", "web")
    assert pods.get("late")["status"]["phase"] == "Running"


# --- the events a node records when it starts --------------------------------------------------------------
# Wording: pkg/kubelet/kubelet.go (StartingKubelet "Starting kubelet."), pkg/kubelet/kubelet_node_status.go
# recordNodeStatusEvent ("Node %s status is now: %s") with the reasons of pkg/kubelet/nodestatus/setters.go,
# pkg/kubelet/cm/node_container_manager_linux.go ("Updated Node Allocatable limit across pods"),
# pkg/controller/util/node/controller_utils.go (RegisteredNode, NodeNotReady) and cmd/kube-proxy/app/server.go
# birthCry (reason Starting, action StartKubeProxy, no note).
STARTUP = [("Starting", "Starting kubelet.", "kubelet"),
           ("NodeHasSufficientMemory", "Node minikube-m02 status is now: NodeHasSufficientMemory", "kubelet"),
           ("NodeHasNoDiskPressure", "Node minikube-m02 status is now: NodeHasNoDiskPressure", "kubelet"),
           ("NodeHasSufficientPID", "Node minikube-m02 status is now: NodeHasSufficientPID", "kubelet"),
           ("NodeAllocatableEnforced", "Updated Node Allocatable limit across pods", "kubelet"),
           ("NodeReady", "Node minikube-m02 status is now: NodeReady", "kubelet"),
           ("Starting", "", "kube-proxy"),
           ("RegisteredNode", "Node minikube-m02 event: Registered Node minikube-m02 in Controller",
            "node-controller")]


def node_events(cluster, node: str) -> list[tuple[str, str, str]]:
    events = [e for e in cluster.get("events", namespace="default") if e["involvedObject"]["name"] == node]
    # by the second, then by name (`<node>.<hex nanoseconds>`): the order they were recorded in
    events.sort(key=lambda e: ((e.get("lastTimestamp") or e["eventTime"])[:19], e["metadata"]["name"]))
    return [(e["reason"], e["message"], e["source"].get("component") or e["reportingComponent"]) for e in events]


def test_a_joining_node_records_the_kubelet_kube_proxy_and_node_controller_events():
    cluster = k8scourse.connect(nodes=2)
    assert node_events(cluster, "minikube-m02") == STARTUP
    kubelet = next(e for e in cluster.get("events") if e["reason"] == "NodeReady"
                   and e["involvedObject"]["name"] == "minikube-m02")
    assert kubelet["involvedObject"]["uid"] == "minikube-m02"  # kubelet.go nodeRef: the name as uid
    assert kubelet["source"] == {"component": "kubelet", "host": "minikube-m02"}
    proxy = next(e for e in cluster.get("events") if e["reportingComponent"] == "kube-proxy"
                 and e["involvedObject"]["name"] == "minikube-m02")
    assert (proxy["action"], proxy["reportingInstance"], proxy["firstTimestamp"]) == (
        "StartKubeProxy", "kube-proxy-minikube-m02", None)
    described = cluster.kubectl("describe node minikube-m02").stdout.split("Events:\n")[1].splitlines()
    assert described[2].split() == ["Normal", "Starting", "2m", "kubelet", "Starting", "kubelet."]
    assert described[8].split() == ["Normal", "Starting", "118s", "kube-proxy"]
    assert described[9].split()[:4] == ["Normal", "RegisteredNode", "115s", "node-controller"]


def test_a_node_stopped_and_started_again_records_not_ready_then_a_new_start():
    cluster = k8scourse.connect(nodes=2)
    before = len(node_events(cluster, "minikube-m02"))
    cluster.backend.stop_node("minikube-m02")
    cluster.settle()
    cluster.backend.start_node("minikube-m02")
    cluster.settle()
    node = "minikube-m02"
    assert node_events(cluster, node)[before:] == [
        ("NodeNotReady", f"Node {node} status is now: NodeNotReady", "node-controller"),
        ("Starting", "Starting kubelet.", "kubelet"),
        ("NodeAllocatableEnforced", "Updated Node Allocatable limit across pods", "kubelet"),
        ("NodeHasSufficientMemory", f"Node {node} status is now: NodeHasSufficientMemory", "kubelet"),
        ("NodeHasNoDiskPressure", f"Node {node} status is now: NodeHasNoDiskPressure", "kubelet"),
        ("NodeHasSufficientPID", f"Node {node} status is now: NodeHasSufficientPID", "kubelet"),
        ("NodeReady", f"Node {node} status is now: NodeReady", "kubelet"),
        ("Starting", "", "kube-proxy")]
