"""ReplicaSet and ReplicationController controllers: pod creation, adoption and release, scale-down order, status.

Wording and behaviour after pkg/controller/controller_utils.go (SuccessfulCreate `Created pod: %v`,
SuccessfulDelete `Deleted pod: %v`, ActivePodsWithRanks.Less) and pkg/controller/replicaset/replica_set.go
(claimPods, slowStartBatch, calculateStatus). Pod status is written by the test, as a kubelet would.
"""

from __future__ import annotations

import re

from k8scourse.api.registry import REGISTRY
from k8scourse.sim.controllers import deploymentutil as du

PODS = REGISTRY.resolve("pods")


def make_ready(api, name, ns="default"):
    """Bind a pod the test holds back (its scheduler does not exist) and let the kubelet run it to Ready."""
    if not api.get(PODS, name, ns)["spec"].get("nodeName"):
        api.bind(name, ns, "minikube")
    for _ in range(200):
        conditions = api.get(PODS, name, ns)["status"].get("conditions", [])
        if any(c["type"] == "Ready" and c["status"] == "True" for c in conditions):
            return
        api.clock.advance(0.5)
    raise AssertionError(f"pod {name} never became ready")


def replica_set(name="web", replicas=3, labels=None):
    labels = labels or {"app": name}
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  # no scheduler picks these pods: each test decides which ones run
                                  "spec": {"schedulerName": "manual",
                                           "containers": [{"name": "nginx", "image": "nginx"}]}}}}


def owned_pods(api, owner_uid):
    return [p for p in api.store.dependents(owner_uid) if p["kind"] == "Pod"]


def events(api, reason):
    return sorted(e["message"] for e in api.store.list("events", "default") if e["reason"] == reason)


def test_creates_pods_with_generated_names_and_controller_references(cluster, api):
    rs = cluster.create(replica_set())[0]
    cluster.settle()
    pods = owned_pods(api, rs["metadata"]["uid"])
    assert len(pods) == 3
    for pod in pods:
        assert re.fullmatch(r"web-[bcdfghjklmnpqrstvwxz2456789]{5}", pod["metadata"]["name"])
        assert pod["metadata"]["ownerReferences"] == [{
            "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web", "uid": rs["metadata"]["uid"],
            "controller": True, "blockOwnerDeletion": True}]
        assert pod["metadata"]["labels"] == {"app": "web"}
    assert events(api, "SuccessfulCreate") == sorted(f"Created pod: {p['metadata']['name']}" for p in pods)
    status = cluster.get("rs", "web")["status"]
    assert status == {"replicas": 3, "fullyLabeledReplicas": 3, "observedGeneration": 1}


def test_ready_and_available_replicas_follow_pod_status(cluster, api):
    rs = replica_set(replicas=2)
    rs["spec"]["minReadySeconds"] = 10
    cluster.create(rs)
    cluster.settle()
    for pod in api.store.list("pods", "default"):
        make_ready(api, pod["metadata"]["name"])
    cluster.settle(timeout=1)
    status = cluster.get("rs", "web")["status"]
    assert status["readyReplicas"] == 2 and "availableReplicas" not in status
    cluster.advance(11)  # IsPodAvailable: ready for longer than minReadySeconds
    assert cluster.get("rs", "web")["status"]["availableReplicas"] == 2


def test_deleted_pod_is_replaced_by_a_new_name(cluster, api):
    cluster.create(replica_set(replicas=1))
    cluster.settle()
    first = api.store.list("pods", "default")[0]["metadata"]["name"]
    cluster.delete("pod", first)
    cluster.settle()
    names = [p["metadata"]["name"] for p in api.store.list("pods", "default")
             if not p["metadata"].get("deletionTimestamp")]  # a scheduled pod terminates gracefully
    assert len(names) == 1 and names[0] != first


def test_scale_down_keeps_the_ready_pod(cluster, api):
    rs = cluster.create(replica_set(replicas=3))[0]
    cluster.settle()
    names = sorted(p["metadata"]["name"] for p in owned_pods(api, rs["metadata"]["uid"]))
    make_ready(api, names[0])
    current = cluster.get("rs", "web")
    current["spec"]["replicas"] = 1
    cluster.backend.update(cluster.resource("rs"), current)
    cluster.settle()
    live = [p for p in owned_pods(api, rs["metadata"]["uid"]) if not p["metadata"].get("deletionTimestamp")]
    assert [p["metadata"]["name"] for p in live] == [names[0]]
    assert events(api, "SuccessfulDelete") == sorted([f"Deleted pod: {names[1]}", f"Deleted pod: {names[2]}"])


def test_orphan_pods_are_adopted_and_pods_that_stop_matching_are_released(cluster, api):
    cluster.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "stray", "labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}})
    rs = cluster.create(replica_set(replicas=2))[0]
    cluster.settle()
    stray = cluster.get("pod", "stray")
    assert stray["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"]
    assert len(owned_pods(api, rs["metadata"]["uid"])) == 2  # adopted the orphan, created only one
    stray["metadata"]["labels"] = {"app": "other"}
    cluster.backend.update(PODS, stray, "default")
    cluster.settle()
    assert "ownerReferences" not in cluster.get("pod", "stray")["metadata"]
    assert len(owned_pods(api, rs["metadata"]["uid"])) == 2  # a replacement was created


def test_replication_controller_uses_its_map_selector(cluster, api):
    rc = cluster.create({"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "legacy"},
                         "spec": {"replicas": 2, "selector": {"app": "legacy"},
                                  "template": {"metadata": {"labels": {"app": "legacy"}},
                                               "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})[0]
    cluster.settle()
    pods = owned_pods(api, rc["metadata"]["uid"])
    assert len(pods) == 2
    assert pods[0]["metadata"]["ownerReferences"][0]["kind"] == "ReplicationController"
    assert cluster.get("rc", "legacy")["status"]["replicas"] == 2
    source = {e["source"]["component"] for e in api.store.list("events", "default") if e["reason"] == "SuccessfulCreate"}
    assert source == {"replication-controller"}


def test_slow_start_batches_double():
    assert du.slow_start_batches(10) == [1, 2, 4, 3]
    assert du.slow_start_batches(0) == []


def test_deletion_order_prefers_unassigned_pending_not_ready_younger():
    def parse(stamp):
        return float(stamp)

    def pod(name, node="", phase="Pending", ready=False, created="0"):
        conds = [{"type": "Ready", "status": "True", "lastTransitionTime": "50"}] if ready else []
        return {"metadata": {"name": name, "uid": name, "creationTimestamp": created},
                "spec": {"nodeName": node} if node else {}, "status": {"phase": phase, "conditions": conds}}

    pods = [pod("running-ready", "n", "Running", True, "10"), pod("unassigned"),
            pod("pending", "n"), pod("running", "n", "Running", False, "10")]
    ordered = sorted(pods, key=lambda p: du.deletion_order_key(p, 0, 100.0, parse))
    assert [p["metadata"]["name"] for p in ordered] == ["unassigned", "pending", "running", "running-ready"]
