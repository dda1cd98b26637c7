"""The StatefulSet controller: ordinals, ordered start and reverse scale-down, claims, rolling updates.

Behaviour and wording after pkg/controller/statefulset of Kubernetes v1.33: stateful_pod_control.go
(recordPodEvent `create Pod web-0 in StatefulSet web successful`, recordClaimEvent
`create Claim www-web-0 Pod web-0 in StatefulSet web success`), stateful_set_utils.go (identity labels,
hostname/subdomain, claim names) and stateful_set_control.go (OrderedReady, Parallel, status,
completeRollingUpdate). Pod progress is written through the status subresource, as a kubelet would.
"""

from __future__ import annotations

import pytest

from k8scourse.api.backend import STRATEGIC_MERGE_PATCH
from k8scourse.api.registry import REGISTRY

PODS = REGISTRY.resolve("pods")
STATEFULSETS = REGISTRY.resolve("statefulsets.apps")


@pytest.fixture
def cluster(kubeletless):
    """The test writes pod status as a kubelet would (see conftest's `kubeletless`)."""
    return kubeletless


def _patch(cluster, body):
    cluster.backend.patch(STATEFULSETS, "web", body, STRATEGIC_MERGE_PATCH, "default")


def _sts(replicas=3, policy=None, claims=True, **spec):
    body = {"serviceName": "nginx", "replicas": replicas, "selector": {"matchLabels": {"app": "nginx"}},
            "template": {"metadata": {"labels": {"app": "nginx"}},
                         "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}, **spec}
    if policy:
        body["podManagementPolicy"] = policy
    if claims:
        body["volumeClaimTemplates"] = [{"metadata": {"name": "www"}, "spec": {
            "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"}, "spec": body}


def _settle(cluster):
    """Settle, finishing graceful pod deletions as a node's kubelet would (none may be running here)."""
    api = cluster.backend.api
    for _ in range(20):
        cluster.settle()
        gone = [p for p in api.select(PODS, "default") if p["metadata"].get("deletionTimestamp")]
        if not gone:
            return
        for pod in gone:
            api.delete(PODS, pod["metadata"]["name"], "default", grace_period_seconds=0)
        cluster.backend.clock.run_due()


def _names(cluster, resource="pods"):
    return sorted(o["metadata"]["name"] for o in cluster.get(resource))


def _make_ready(cluster, name):
    api = cluster.backend.api
    pod = api.get(PODS, name, "default")
    now = api.clock.timestamp()
    pod["status"].update({"phase": "Running", "conditions": [
        {"type": "Ready", "status": "True", "lastProbeTime": None, "lastTransitionTime": now}]})
    api.update(PODS, pod, "default", subresource="status")
    _settle(cluster)


def _ready_all(cluster, expected):
    """Make pods ready one by one, as OrderedReady creates them."""
    for name in expected:
        assert name in _names(cluster), f"{name} was not created"
        _make_ready(cluster, name)


def _messages(cluster, reason=None):
    sts = cluster.get("statefulset", "web")
    return [e["message"] for e in cluster.backend.recorder.for_object(sts) if reason in (None, e["reason"])]


def test_ordered_ready_creates_one_pod_at_a_time(cluster):
    cluster.create(_sts())
    _settle(cluster)
    assert _names(cluster) == ["web-0"]  # web-1 waits for web-0 to be Running and Ready
    _make_ready(cluster, "web-0")
    assert _names(cluster) == ["web-0", "web-1"]
    _make_ready(cluster, "web-1")
    _make_ready(cluster, "web-2")
    status = cluster.get("statefulset", "web")["status"]
    assert status["replicas"] == 3 and status["readyReplicas"] == 3 and status["availableReplicas"] == 3
    assert status["currentReplicas"] == 3 and status["updatedReplicas"] == 3
    assert status["currentRevision"] == status["updateRevision"]
    assert status["updateRevision"].startswith("web-")
    assert status["observedGeneration"] == 1
    assert "collisionCount" not in status  # omitempty, as the real status is encoded


def test_pod_identity_labels_hostname_and_claims(cluster):
    cluster.create(_sts(replicas=1))
    _settle(cluster)
    pod = cluster.get("pod", "web-0")
    labels = pod["metadata"]["labels"]
    revision = cluster.get("statefulset", "web")["status"]["updateRevision"]
    assert labels == {"app": "nginx", "statefulset.kubernetes.io/pod-name": "web-0",
                      "apps.kubernetes.io/pod-index": "0", "controller-revision-hash": revision}
    assert pod["metadata"]["generateName"] == "web-"
    assert pod["spec"]["hostname"] == "web-0" and pod["spec"]["subdomain"] == "nginx"
    assert {"name": "www", "persistentVolumeClaim": {"claimName": "www-web-0"}} in pod["spec"]["volumes"]
    claim = cluster.get("pvc", "www-web-0")
    assert claim["metadata"]["labels"] == {"app": "nginx"}
    assert "ownerReferences" not in claim["metadata"]  # Retain: the claim outlives the set
    rev = cluster.get("controllerrevisions", revision)
    assert rev["revision"] == 1 and rev["metadata"]["labels"]["controller-revision-hash"] == revision[4:]
    assert _messages(cluster) == ["create Claim www-web-0 Pod web-0 in StatefulSet web success",
                                  "create Pod web-0 in StatefulSet web successful"]


def test_scale_down_in_reverse_order_keeps_claims(cluster):
    cluster.create(_sts())
    _settle(cluster)
    _ready_all(cluster, ["web-0", "web-1", "web-2"])
    _patch(cluster, {"spec": {"replicas": 1}})
    _settle(cluster)
    assert _names(cluster) == ["web-0"]
    assert _messages(cluster, "SuccessfulDelete") == ["delete Pod web-2 in StatefulSet web successful",
                                                      "delete Pod web-1 in StatefulSet web successful"]
    assert _names(cluster, "pvc") == ["www-web-0", "www-web-1", "www-web-2"]


def test_ordered_scale_down_waits_for_unhealthy_pods(cluster):
    cluster.create(_sts(claims=False))
    _settle(cluster)
    _ready_all(cluster, ["web-0", "web-1", "web-2"])
    api = cluster.backend.api
    pod = api.get(PODS, "web-0", "default")
    pod["status"]["conditions"][0]["status"] = "False"
    api.update(PODS, pod, "default", subresource="status")
    _patch(cluster, {"spec": {"replicas": 1}})
    _settle(cluster)
    assert _names(cluster) == ["web-0", "web-1", "web-2"]


def test_parallel_creates_and_deletes_at_once(cluster):
    cluster.create(_sts(policy="Parallel", claims=False))
    _settle(cluster)
    assert _names(cluster) == ["web-0", "web-1", "web-2"]
    _patch(cluster, {"spec": {"replicas": 0}})
    _settle(cluster)
    assert _names(cluster) == []


def test_deleted_pod_comes_back_with_the_same_name(cluster):
    cluster.create(_sts(replicas=2, claims=False))
    _settle(cluster)
    _ready_all(cluster, ["web-0", "web-1"])
    uid = cluster.get("pod", "web-1")["metadata"]["uid"]
    cluster.delete("pod", "web-1")
    _settle(cluster)
    again = cluster.get("pod", "web-1")
    assert again["metadata"]["uid"] != uid and again["spec"]["hostname"] == "web-1"


def test_rolling_update_from_the_highest_ordinal_with_partition(cluster):
    cluster.create(_sts(claims=False, updateStrategy={"type": "RollingUpdate",
                                                       "rollingUpdate": {"partition": 1}}))
    _settle(cluster)
    _ready_all(cluster, ["web-0", "web-1", "web-2"])
    old = cluster.get("statefulset", "web")["status"]["currentRevision"]
    _patch(cluster, {"spec": {"template": {"spec": {"containers": [
        {"name": "nginx", "image": "nginx:1.28"}]}}}})
    _settle(cluster)

    def images():
        return {p["metadata"]["name"]: p["spec"]["containers"][0]["image"] for p in cluster.get("pods")}

    # web-2 is replaced first (deleted, then recreated at once from the new revision); web-1 waits for it
    assert images() == {"web-0": "nginx:1.27", "web-1": "nginx:1.27", "web-2": "nginx:1.28"}
    _make_ready(cluster, "web-2")
    _make_ready(cluster, "web-1")
    assert images() == {"web-0": "nginx:1.27", "web-1": "nginx:1.28", "web-2": "nginx:1.28"}
    status = cluster.get("statefulset", "web")["status"]
    assert status["currentRevision"] == old and status["updateRevision"] != old
    assert status["currentReplicas"] == 1 and status["updatedReplicas"] == 2
    _patch(cluster, {"spec": {"updateStrategy": {"rollingUpdate": {"partition": 0}}}})
    _settle(cluster)
    _make_ready(cluster, "web-0")
    status = cluster.get("statefulset", "web")["status"]
    assert status["currentRevision"] == status["updateRevision"] and status["currentReplicas"] == 3
    revisions = sorted(r["revision"] for r in cluster.get("controllerrevisions"))
    assert revisions == [1, 2]


@pytest.mark.parametrize("when", ["whenScaled", "whenDeleted"])
def test_claim_retention_delete(cluster, when):
    policy = {"whenScaled": "Retain", "whenDeleted": "Retain", when: "Delete"}
    cluster.create(_sts(replicas=2, policy="Parallel", persistentVolumeClaimRetentionPolicy=policy))
    _settle(cluster)
    if when == "whenScaled":
        _patch(cluster, {"spec": {"replicas": 1}})
    else:
        cluster.delete("statefulset", "web")
    _settle(cluster)
    assert _names(cluster, "pvc") == (["www-web-0"] if when == "whenScaled" else [])


def test_with_running_kubelets_pods_start_in_order_and_leave_in_reverse():
    import k8scourse

    live = k8scourse.connect()
    live.create(_sts(claims=False))
    live.settle()
    pods = sorted(live.get("pods"), key=lambda p: p["metadata"]["name"])
    assert [p["status"]["phase"] for p in pods] == ["Running"] * 3
    created = [p["metadata"]["creationTimestamp"] for p in pods]
    assert created == sorted(created) and len(set(created)) == 3  # each waited for the one before
    assert live.get("statefulset", "web")["status"]["readyReplicas"] == 3
    _patch(live, {"spec": {"replicas": 1}})
    live.settle()
    assert _names(live) == ["web-0"]
    sts = live.get("statefulset", "web")
    deleted = [e["message"] for e in live.backend.recorder.for_object(sts) if e["reason"] == "SuccessfulDelete"]
    assert deleted == ["delete Pod web-2 in StatefulSet web successful", "delete Pod web-1 in StatefulSet web successful"]
