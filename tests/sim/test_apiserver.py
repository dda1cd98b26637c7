"""The simulated apiserver's request pipeline: CRUD, optimistic concurrency, namespaces, dry-run, watch.

Messages are cited from k8s.io/apimachinery/pkg/api/errors/errors.go (NewNotFound, NewAlreadyExists,
NewConflict), staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go (the stale-object
conflict), and plugin/pkg/admission/namespace/lifecycle/admission.go.
"""

from __future__ import annotations

import pytest

from k8scourse import ApiError

CM = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": {"color": "blue"}}


def _rt(cluster, name):
    return cluster.resource(name)


def test_create_sets_server_metadata(cluster):
    obj = cluster.create(CM)[0]
    meta = obj["metadata"]
    assert meta["namespace"] == "default"
    assert len(meta["uid"]) == 36 and meta["resourceVersion"].isdigit()
    assert meta["creationTimestamp"].endswith("Z")
    assert "generation" not in meta  # ConfigMaps have no generation


def test_not_found_and_already_exists_are_worded_as_the_apiserver(cluster):
    with pytest.raises(ApiError) as err:
        cluster.get("deploy", "nginx-depl")
    assert err.value.code == 404
    assert err.value.message == 'deployments.apps "nginx-depl" not found'
    assert str(err.value) == 'Error from server (NotFound): deployments.apps "nginx-depl" not found'
    cluster.create(CM)
    with pytest.raises(ApiError) as err:
        cluster.create(CM)
    assert (err.value.code, err.value.reason) == (409, "AlreadyExists")
    assert err.value.message == 'configmaps "settings" already exists'


def test_stale_update_is_a_conflict_and_changes_nothing(cluster):
    backend = cluster.backend
    rt = _rt(cluster, "cm")
    stored = cluster.create(CM)[0]
    fresh = dict(stored, data={"color": "green"})
    backend.update(rt, fresh)
    stale = dict(stored, data={"color": "red"})
    with pytest.raises(ApiError) as err:
        backend.update(rt, stale)
    assert err.value.code == 409 and err.value.reason == "Conflict"
    assert err.value.message == (
        'Operation cannot be fulfilled on configmaps "settings": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )
    assert cluster.get("cm", "settings")["data"] == {"color": "green"}


def test_update_that_changes_nothing_keeps_the_resource_version(cluster):
    rt = _rt(cluster, "cm")
    stored = cluster.create(CM)[0]
    again = cluster.backend.update(rt, stored)
    assert again["metadata"]["resourceVersion"] == stored["metadata"]["resourceVersion"]


def test_generation_counts_spec_changes_only(cluster, deployment):
    created = cluster.create(deployment)[0]
    assert created["metadata"]["generation"] == 1
    rt = _rt(cluster, "deploy")
    labelled = cluster.backend.patch(rt, "web", {"metadata": {"labels": {"team": "a"}}},
                                     "application/merge-patch+json")
    assert labelled["metadata"]["generation"] == 1
    scaled = cluster.backend.patch(rt, "web", {"spec": {"replicas": 5}}, "application/merge-patch+json")
    assert scaled["metadata"]["generation"] == 2


def test_rejected_request_changes_nothing(cluster, api):
    before = api.store.revision
    bad = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "Bad_Name"}}
    with pytest.raises(ApiError):
        cluster.create(bad)
    assert api.store.revision == before
    assert not cluster.exists("cm", "Bad_Name")


def test_missing_namespace_is_refused(cluster):
    with pytest.raises(ApiError) as err:
        cluster.create(dict(CM, metadata={"name": "x", "namespace": "nope"}))
    assert err.value.message == 'namespaces "nope" not found'
    assert err.value.code == 404


def test_namespace_deletion_removes_its_content_then_itself(cluster):
    cluster.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "test"}})
    assert cluster.exists("sa", "default", "test")
    assert cluster.exists("cm", "kube-root-ca.crt", "test")
    cluster.create(dict(CM, metadata={"name": "settings", "namespace": "test"}))
    cluster.delete("ns", "test")
    assert not cluster.exists("ns", "test")
    assert cluster.get("cm", namespace="test") == []


def test_terminating_namespace_refuses_new_content(cluster, api):
    cluster.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "test"}})
    cluster.create(dict(CM, metadata={"name": "keep", "namespace": "test", "finalizers": ["example.com/hold"]}))
    cluster.delete("ns", "test")
    ns = cluster.get("ns", "test")
    assert ns["status"]["phase"] == "Terminating"
    remaining = {c["type"]: c for c in ns["status"]["conditions"]}["NamespaceContentRemaining"]
    assert remaining["message"] == "Some resources are remaining: configmaps. has 1 resource instances"
    with pytest.raises(ApiError) as err:
        cluster.create(dict(CM, metadata={"name": "late", "namespace": "test"}))
    assert err.value.code == 403
    assert err.value.message == (
        'configmaps "late" is forbidden: unable to create new content in namespace test because it is being terminated'
    )
    held = cluster.get("cm", "keep", namespace="test")
    held["metadata"]["finalizers"] = []
    cluster.backend.update(cluster.resource("cm"), held)
    cluster.settle()
    assert not cluster.exists("ns", "test")


def test_system_namespaces_cannot_be_deleted(cluster):
    with pytest.raises(ApiError) as err:
        cluster.delete("ns", "kube-system")
    assert err.value.message == 'namespaces "kube-system" is forbidden: this namespace may not be deleted'


def test_generate_name_uses_kubernetes_alphabet(cluster):
    obj = cluster.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "job-"}})[0]
    name = obj["metadata"]["name"]
    assert name.startswith("job-") and len(name) == 9
    assert set(name[4:]) <= set("bcdfghjklmnpqrstvwxz2456789")


def test_dry_run_stores_nothing(cluster, api):
    before = api.store.revision
    result = cluster.apply(CM, dry_run=True)
    assert result.actions == ["configmap/settings created (server dry run)"]
    assert api.store.revision == before and not cluster.exists("cm", "settings")


def test_list_selectors_and_paging(cluster):
    for i in range(5):
        cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                        "metadata": {"name": f"cm-{i}", "labels": {"app": "web" if i % 2 else "db"}}})
    assert [c["metadata"]["name"] for c in cluster.get("cm", label_selector="app=web")] == ["cm-1", "cm-3"]
    assert [c["metadata"]["name"] for c in cluster.get("cm", label_selector="app!=web")][:3] == ["cm-0", "cm-2", "cm-4"]
    assert [c["metadata"]["name"] for c in cluster.get("cm", field_selector="metadata.name=cm-4")] == ["cm-4"]
    rt = cluster.resource("cm")
    page = cluster.backend.list(rt, "default", limit=2)
    assert [i["metadata"]["name"] for i in page["items"]] == ["cm-0", "cm-1"]
    assert page["metadata"]["remainingItemCount"] == 4  # cm-2..cm-4 and kube-root-ca.crt
    nxt = cluster.backend.list(rt, "default", limit=2, continue_token=page["metadata"]["continue"])
    assert [i["metadata"]["name"] for i in nxt["items"]] == ["cm-2", "cm-3"]


def test_unsupported_field_selector_is_a_bad_request(cluster):
    with pytest.raises(ApiError) as err:
        cluster.get("cm", field_selector="data.color=blue")
    assert err.value.code == 400
    assert err.value.message == '"data.color" is not a known field selector: only "metadata.name", "metadata.namespace"'


def test_watch_replays_changes_after_a_resource_version(cluster):
    rt = cluster.resource("cm")
    start = cluster.backend.list(rt, "default")["metadata"]["resourceVersion"]
    cluster.create(CM)
    cluster.delete("cm", "settings")
    events = list(cluster.backend.watch(rt, "default", resource_version=start))
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [
        ("ADDED", "settings"), ("DELETED", "settings")]


def test_reads_are_copies(cluster):
    cluster.create(CM)
    obj = cluster.get("cm", "settings")
    obj["data"]["color"] = "tampered"
    assert cluster.get("cm", "settings")["data"]["color"] == "blue"


# A pod no scheduler picks up (its scheduler does not exist), so the tests bind it themselves.
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
       "spec": {"schedulerName": "manual", "containers": [{"name": "nginx", "image": "nginx:1.27"}]}}


def test_unscheduled_pod_is_deleted_at_once_bound_pod_gracefully(cluster, api):
    cluster.create(POD)
    cluster.delete("pod", "web")
    assert not cluster.exists("pod", "web")
    cluster.create(POD)
    bound = api.bind("web", "default", "minikube")
    assert bound["spec"]["nodeName"] == "minikube"
    assert bound["status"]["conditions"][0]["type"] == "PodScheduled"
    deleted = cluster.delete("pod", "web")[0]
    assert deleted["metadata"]["deletionGracePeriodSeconds"] == 30
    assert cluster.exists("pod", "web")  # Terminating until its kubelet confirms
    cluster.delete("pod", "web", grace_period=0)
    assert not cluster.exists("pod", "web")


def test_binding_twice_is_a_conflict(cluster, api):
    cluster.create(POD)
    api.bind("web", "default", "minikube")
    with pytest.raises(ApiError) as err:
        api.bind("web", "default", "minikube-m02")
    assert err.value.message == ('Operation cannot be fulfilled on pods/binding "web": pod web is already assigned '
                                 'to node "minikube"')
