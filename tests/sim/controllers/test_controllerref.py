"""ControllerRef adoption and release by the StatefulSet, DaemonSet and Job controllers.

Behaviour after pkg/controller/controller_ref_manager.go of Kubernetes v1.33 (ClaimObject: adopt matching
orphans that are not being deleted, release owned pods that stop matching; AdoptPod's reference has
controller=true and blockOwnerDeletion=true; the Job's manager adds and removes the
batch.kubernetes.io/job-tracking finalizer), pkg/controller/statefulset/stateful_set.go
(getPodsForStatefulSet claims only pods named `<set>-<ordinal>`, isMemberOf),
pkg/controller/daemon/daemon_controller.go (getDaemonPods) and pkg/controller/job/job_controller.go
(getPodsForJob).
"""

from __future__ import annotations

import k8scourse
from k8scourse.api.registry import REGISTRY

PODS = REGISTRY.resolve("pods")


def _pod(name, labels, **spec):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels},
            "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}], **spec}}


def _controller(cluster, name):
    refs = cluster.get("pod", name)["metadata"].get("ownerReferences")
    return refs[0] if refs else None


def _relabel(cluster, name, labels):
    pod = cluster.backend.api.get(PODS, name, "default")
    pod["metadata"]["labels"] = labels
    cluster.backend.update(PODS, pod, "default")
    cluster.settle()


def _live_pods(cluster):
    return sorted(p["metadata"]["name"] for p in cluster.get("pods") if not p["metadata"].get("deletionTimestamp"))


def test_statefulset_adopts_only_matching_pods_named_after_it_and_releases_them():
    cluster = k8scourse.connect()
    cluster.create(_pod("web-0", {"app": "web"}))
    cluster.create(_pod("stray", {"app": "web"}))
    cluster.create(_pod("db-1", {"app": "web"}))
    sts = cluster.create({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"}, "spec": {
        "serviceName": "web", "replicas": 2, "selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}},
                     "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}}})
    cluster.settle()
    uid = cluster.get("statefulset", "web")["metadata"]["uid"]
    assert sts is not None
    assert _controller(cluster, "web-0") == {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web",
                                             "uid": uid, "controller": True, "blockOwnerDeletion": True}
    assert _controller(cluster, "stray") is None and _controller(cluster, "db-1") is None  # not members
    assert _controller(cluster, "web-1")["uid"] == uid  # created, since web-0 was adopted
    _relabel(cluster, "web-0", {"app": "other"})
    assert _controller(cluster, "web-0") is None
    assert "ownerReferences" not in cluster.get("pod", "web-0")["metadata"]


def test_daemonset_adopts_a_matching_orphan_instead_of_creating_a_pod():
    """OnDelete: a RollingUpdate would replace the adopted pod, which has no controller-revision-hash."""
    cluster = k8scourse.connect()
    cluster.create(_pod("agent-manual", {"app": "agent"}))
    cluster.create(_pod("unrelated", {"app": "web"}))
    cluster.settle()
    cluster.create({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"}, "spec": {
        "selector": {"matchLabels": {"app": "agent"}}, "updateStrategy": {"type": "OnDelete"},
        "template": {"metadata": {"labels": {"app": "agent"}},
                     "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}}})
    cluster.settle()
    ds = cluster.get("daemonset", "agent")
    assert _controller(cluster, "agent-manual")["uid"] == ds["metadata"]["uid"]
    assert _controller(cluster, "unrelated") is None
    assert _live_pods(cluster) == ["agent-manual", "unrelated"]
    assert ds["status"]["currentNumberScheduled"] == 1
    _relabel(cluster, "agent-manual", {"app": "gone"})
    assert _controller(cluster, "agent-manual") is None
    names = _live_pods(cluster)
    assert len(names) == 3 and "agent-manual" in names  # released; the DaemonSet made its own pod


def _manual_job(parallelism=1):
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "batch"}, "spec": {
        "manualSelector": True, "selector": {"matchLabels": {"app": "batch"}}, "parallelism": parallelism,
        "template": {"metadata": {"labels": {"app": "batch"}},
                     "spec": {"restartPolicy": "Never",
                              "containers": [{"name": "c", "image": "busybox", "command": ["sleep", "3600"]}]}}}}


def test_job_adopts_a_matching_orphan_with_the_tracking_finalizer_and_releases_it_without():
    cluster = k8scourse.connect()
    cluster.create(_pod("worker", {"app": "batch"}, restartPolicy="Never"))
    cluster.settle()
    cluster.create(_manual_job())
    cluster.settle()
    job = cluster.get("job", "batch")
    worker = cluster.get("pod", "worker")
    assert worker["metadata"]["ownerReferences"] == [{"apiVersion": "batch/v1", "kind": "Job", "name": "batch",
                                                      "uid": job["metadata"]["uid"], "controller": True,
                                                      "blockOwnerDeletion": True}]
    assert worker["metadata"]["finalizers"] == ["batch.kubernetes.io/job-tracking"]
    assert _live_pods(cluster) == ["worker"] and job["status"]["active"] == 1
    _relabel(cluster, "worker", {"app": "solo"})
    worker = cluster.get("pod", "worker")
    assert "ownerReferences" not in worker["metadata"] and "finalizers" not in worker["metadata"]
    assert len(_live_pods(cluster)) == 2


def test_a_pod_being_deleted_or_owned_by_another_controller_is_not_adopted():
    cluster = k8scourse.connect()
    held = _pod("held", {"app": "batch"}, restartPolicy="Never")
    held["metadata"]["finalizers"] = ["example.com/hold"]
    cluster.create(held)
    cluster.settle()
    cluster.delete("pod", "held")
    cluster.create(_manual_job())
    cluster.settle()
    assert _controller(cluster, "held") is None
    assert len(_live_pods(cluster)) == 1  # the Job made its own pod
