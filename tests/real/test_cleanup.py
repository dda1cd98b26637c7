"""Clean-up on a real cluster (driven against `k8scourse serve`): only objects carrying the course's label,
only in `default` and the namespaces the course created; unlabelled objects and other namespaces stay."""

from __future__ import annotations

import pytest

from k8scourse.cluster import Cluster
from k8scourse.real import COURSE_LABEL_KEY, RealCluster


def cm(name: str, namespace: str | None = None) -> dict:
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}


@pytest.fixture(scope="module")
def course(server) -> Cluster:
    return Cluster(RealCluster(server.kubeconfig))


def elsewhere(server, course: Cluster, resource: str, obj: dict, namespace: str | None = None) -> None:
    """Create `obj` as another client would (a terminal's kubectl): straight on the served cluster, unlabelled."""
    server.locked_backend.create(course.resource(resource), obj, namespace)


def names(cluster: Cluster, resource: str, namespace: str) -> set[str]:
    return {o["metadata"]["name"] for o in cluster.get(resource, namespace=namespace)}


def test_apply_create_and_kubectl_label_what_they_make_on_a_real_cluster(course):
    course.apply(cm("labelled-by-apply"))
    course.create(cm("labelled-by-create"))
    course.kubectl("create configmap labelled-by-kubectl --from-literal=a=b")
    assert course.get("cm", "labelled-by-kubectl")["metadata"]["labels"] == {COURSE_LABEL_KEY: "k8scourse"}
    for name in ("labelled-by-apply", "labelled-by-create"):
        assert course.get("cm", name)["metadata"]["labels"] == {COURSE_LABEL_KEY: "k8scourse"}


def test_cleanup_leaves_unlabelled_objects_and_other_namespaces_alone(course, server, deployment):
    # made by another client: no label
    elsewhere(server, course, "cm", cm("someone-elses"), "default")
    elsewhere(server, course, "ns", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    elsewhere(server, course, "cm", cm("team-config", "team"), "team")
    # made by the course: labelled, in default and in a namespace of its own
    course.apply(deployment)
    course.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "course-ns"}})
    course.apply(cm("course-config", "course-ns"))
    server.settle()

    report = course.reset()
    server.settle()

    assert "default/deployment.apps/web" in report.deleted
    assert "course-ns/configmap/course-config" in report.deleted and "namespace/course-ns" in report.deleted
    assert not course.exists("deployments", "web")
    assert course.get("rs") == [] and course.get("pods") == []
    assert "someone-elses" in names(course, "cm", "default")
    assert "team-config" in names(course, "cm", "team")
    assert {n["metadata"]["name"] for n in course.get("ns")} >= {"team", "kube-system", "default"}
    assert not course.exists("ns", "course-ns")
    assert len(course.get("pods", namespace="kube-system")) == 7


def test_a_course_namespace_holding_others_objects_is_kept(course, server):
    course.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shared"}})
    course.apply(cm("mine", "shared"))
    elsewhere(server, course, "cm", cm("theirs", "shared"), "shared")
    report = course.reset()
    server.settle()
    assert report.kept_namespaces == ["shared"]
    assert names(course, "cm", "shared") >= {"theirs"} and "mine" not in names(course, "cm", "shared")


def test_cleanup_never_looks_into_system_namespaces(course, server):
    labelled = cm("system-looking", "kube-system")
    labelled["metadata"]["labels"] = {COURSE_LABEL_KEY: "k8scourse"}
    course.backend.create(course.resource("cm"), labelled, "kube-system")
    course.backend.patch(course.resource("ns"), "kube-system", {"metadata": {"labels": {COURSE_LABEL_KEY: "k8scourse"}}},
                         "application/merge-patch+json")
    assert "kube-system" not in course.backend.course_namespaces()
    course.reset()
    assert course.exists("cm", "system-looking", namespace="kube-system")
