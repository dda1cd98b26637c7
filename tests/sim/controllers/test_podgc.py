"""The pod garbage collector: finished pods over the threshold, orphaned, unscheduled and out-of-service pods.

Behaviour and wording after pkg/controller/podgc/gc_controller.go of Kubernetes v1.33: gcCheckPeriod 20 s,
quarantineTime 40 s, byEvictionAndCreationTimestamp, the DisruptionTarget condition with reason
DeletionByPodGC and message `PodGC: node no longer exists`, markFailedAndDeletePod (phase Failed, then a
delete with grace period 0), and its log lines.
"""

from __future__ import annotations

import logging

import k8scourse
from k8scourse.api.registry import REGISTRY
from k8scourse.sim.controllers.podgc import PodGCController

PODS = REGISTRY.resolve("pods")
NODES = REGISTRY.resolve("nodes")


def _pod(name, **spec):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}], **spec}}


def _exists(cluster, name):
    return cluster.backend.api.peek(PODS, name, "default") is not None


def _set_phase(api, name, phase, reason=None):
    pod = api.get(PODS, name, "default")
    pod["status"]["phase"] = phase
    if reason:
        pod["status"]["reason"] = reason
    api.update(PODS, pod, "default", subresource="status")


def test_orphaned_pods_go_after_the_quarantine_marked_failed_with_the_disruption_condition(caplog):
    cluster = k8scourse.connect(nodes=2)
    api = cluster.backend.api
    cluster.create(_pod("pinned", nodeName="minikube-m02"))
    cluster.settle()
    cluster.backend.stop_node("minikube-m02")
    seen = []
    api.store.subscribe(lambda e: seen.append(e.object) if e.resource == "pods" and e.type == "MODIFIED" else None)
    api.delete(NODES, "minikube-m02")
    cluster.advance(40)
    assert _exists(cluster, "pinned")  # still in quarantine
    with caplog.at_level(logging.INFO, logger="k8scourse.sim.controllers.podgc"):
        cluster.advance(20)
    assert not _exists(cluster, "pinned")
    failed = next(p for p in seen if p["metadata"]["name"] == "pinned" and p["status"]["phase"] == "Failed")
    condition = next(c for c in failed["status"]["conditions"] if c["type"] == "DisruptionTarget")
    assert (condition["status"], condition["reason"], condition["message"]) == (
        "True", "DeletionByPodGC", "PodGC: node no longer exists")
    assert '"Found orphaned Pod assigned to the Node, deleting" pod="default/pinned" node="minikube-m02"' in caplog.text
    assert '"Forced deletion of orphaned Pod succeeded" pod="default/pinned"' in caplog.text


def test_finished_pods_beyond_the_threshold_go_evicted_first_then_oldest(cluster):
    api = cluster.backend.api
    PodGCController(api, cluster.backend.recorder, terminated_pod_threshold=2)
    for name in ("a", "b", "c", "d"):
        cluster.create(_pod(name, restartPolicy="Never"))
        cluster.advance(1)
    cluster.create(_pod("running"))
    cluster.settle()
    for name in ("a", "b", "c"):
        _set_phase(api, name, "Succeeded")
    _set_phase(api, "d", "Failed", reason="Evicted")
    cluster.advance(20)
    assert [n for n in ("a", "b", "c", "d", "running") if _exists(cluster, n)] == ["b", "c", "running"]


def test_a_terminating_pod_that_was_never_scheduled_is_marked_failed_and_force_deleted(cluster):
    pod = _pod("nowhere", nodeSelector={"disk": "none"})
    pod["metadata"]["finalizers"] = ["example.com/hold"]
    cluster.create(pod)
    cluster.settle()
    cluster.delete("pod", "nowhere")
    cluster.advance(20)
    stored = cluster.get("pod", "nowhere")
    assert stored["status"]["phase"] == "Failed"  # kept by its finalizer, but no longer Pending
    assert stored["metadata"]["deletionGracePeriodSeconds"] == 0


def test_terminating_pods_on_an_out_of_service_node_are_force_deleted():
    cluster = k8scourse.connect(nodes=2)
    api = cluster.backend.api
    cluster.create(_pod("stuck", nodeName="minikube-m02"))
    cluster.settle()
    cluster.backend.stop_node("minikube-m02")
    cluster.advance(60)
    cluster.delete("pod", "stuck")
    cluster.advance(60)
    assert cluster.get("pod", "stuck")["metadata"]["deletionTimestamp"]  # no kubelet to finish it
    node = api.get(NODES, "minikube-m02")
    node["spec"]["taints"] = [*node["spec"].get("taints", []),
                              {"key": "node.kubernetes.io/out-of-service", "value": "nodeshutdown",
                               "effect": "NoExecute"}]
    api.update(NODES, node)
    cluster.advance(20)
    assert not _exists(cluster, "stuck")
