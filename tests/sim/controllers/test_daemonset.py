"""The DaemonSet controller: a pod per eligible node, node churn, taints, rolling updates and status.

Behaviour after pkg/controller/daemon of Kubernetes v1.33: daemon_controller.go (podsShouldBeOnNode,
NodeShouldRunDaemonPod, updateDaemonSetStatus), util/daemonset_util.go (the tolerations the controller
adds and ReplaceDaemonSetPodNodeNameNodeAffinity) and update.go (rollingUpdate with maxUnavailable);
events `Created pod: <name>` from pkg/controller/controller_utils.go. These run on real kubelets.
"""

from __future__ import annotations

import k8scourse
from k8scourse.api.backend import STRATEGIC_MERGE_PATCH
from k8scourse.api.registry import REGISTRY
from k8scourse.sim.bootstrap import node_object

DAEMONSETS = REGISTRY.resolve("daemonsets.apps")
NODES = REGISTRY.resolve("nodes")


def _ds(**spec):
    return {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"}, "spec": {
        "selector": {"matchLabels": {"app": "agent"}},
        "template": {"metadata": {"labels": {"app": "agent"}},
                     "spec": {"containers": [{"name": "agent", "image": "nginx:1.27"}], **spec}}}}


def _pods_by_node(cluster):
    return {p["spec"].get("nodeName"): p for p in cluster.get("pods") if not p["metadata"].get("deletionTimestamp")}


def test_one_pod_per_node_pinned_by_node_affinity():
    cluster = k8scourse.connect(nodes=3)
    cluster.create(_ds())
    cluster.settle()
    pods = _pods_by_node(cluster)
    assert sorted(pods) == ["minikube", "minikube-m02", "minikube-m03"]
    pod = pods["minikube-m02"]
    assert pod["metadata"]["name"].startswith("agent-")
    assert pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] == {
        "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["minikube-m02"]}]}]}
    assert [(t["key"], t["effect"]) for t in pod["spec"]["tolerations"]] == [
        ("node.kubernetes.io/not-ready", "NoExecute"), ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"), ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"), ("node.kubernetes.io/unschedulable", "NoSchedule")]
    assert pod["metadata"]["labels"]["pod-template-generation"] == "1"
    assert pod["metadata"]["labels"]["controller-revision-hash"]
    status = cluster.get("daemonset", "agent")["status"]
    assert status == {"currentNumberScheduled": 3, "numberMisscheduled": 0, "desiredNumberScheduled": 3,
                      "numberReady": 3, "numberAvailable": 3, "updatedNumberScheduled": 3, "observedGeneration": 1}
    ds = cluster.get("daemonset", "agent")
    events = [e["message"] for e in cluster.backend.recorder.for_object(ds)]
    assert sorted(events) == sorted(f"Created pod: {p['metadata']['name']}" for p in pods.values())


def test_node_selector_and_taints_decide_eligibility():
    cluster = k8scourse.connect(nodes=2)
    api = cluster.backend.api
    node = api.get(NODES, "minikube-m02")
    node["spec"]["taints"] = [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]
    api.update(NODES, node)
    cluster.create(_ds())
    cluster.settle()
    assert sorted(_pods_by_node(cluster)) == ["minikube"]
    cluster.delete("daemonset", "agent")
    cluster.settle()
    cluster.create(_ds(nodeSelector={"kubernetes.io/hostname": "minikube-m02"},
                       tolerations=[{"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"}]))
    cluster.settle()
    assert sorted(_pods_by_node(cluster)) == ["minikube-m02"]


def test_follows_nodes_joining_and_leaving():
    cluster = k8scourse.connect(nodes=2)
    api = cluster.backend.api
    cluster.create(_ds())
    cluster.settle()
    joined = node_object(2, api, api.clock.timestamp())
    api.create(NODES, joined)
    cluster.settle()
    names = {p["metadata"]["name"]: p for p in cluster.get("pods")}
    assert any(pod_for == "minikube-m03" for pod_for in (
        p["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]
        ["matchFields"][0]["values"][0] for p in names.values()))
    assert cluster.get("daemonset", "agent")["status"]["desiredNumberScheduled"] == 3
    api.delete(NODES, "minikube-m03")
    cluster.settle()
    assert cluster.get("daemonset", "agent")["status"]["desiredNumberScheduled"] == 2


def test_rolling_update_replaces_pods_one_node_at_a_time():
    cluster = k8scourse.connect(nodes=3)
    cluster.create(_ds())
    cluster.settle()
    old_hash = next(iter(_pods_by_node(cluster).values()))["metadata"]["labels"]["controller-revision-hash"]
    cluster.backend.patch(DAEMONSETS, "agent", {"spec": {"template": {"spec": {"containers": [
        {"name": "agent", "image": "nginx:1.28"}]}}}}, STRATEGIC_MERGE_PATCH, "default")
    cluster.advance(1)
    hashes = [p["metadata"]["labels"]["controller-revision-hash"] for p in cluster.get("pods")
              if not p["metadata"].get("deletionTimestamp")]
    assert hashes.count(old_hash) >= 2  # maxUnavailable 1: one node at a time
    cluster.settle()
    pods = _pods_by_node(cluster)
    assert len(pods) == 3 and {p["spec"]["containers"][0]["image"] for p in pods.values()} == {"nginx:1.28"}
    status = cluster.get("daemonset", "agent")["status"]
    assert status["updatedNumberScheduled"] == 3 and status["observedGeneration"] == 2
    assert sorted(r["revision"] for r in cluster.get("controllerrevisions")) == [1, 2]
