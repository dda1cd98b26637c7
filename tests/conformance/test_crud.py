"""Conformance: create, get, list (selectors, paging), update, the four patch types, delete with
propagation, watch — the same calls and the same answers on every backend."""

from __future__ import annotations

import pytest

from k8scourse.api.backend import APPLY_PATCH, JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH

from .harness import on_backends


def config_map(name: str, labels: dict[str, str] | None = None, **data: str) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": labels or {}},
            "data": data}


@on_backends()
def test_create_get_update(backend):
    cm = backend.rt("configmaps")
    api = backend.cluster.backend
    created = api.create(cm, config_map("settings", {"tier": "web"}, color="blue"), backend.namespace)
    meta = created["metadata"]
    assert (meta["name"], meta["namespace"], created["data"]) == ("settings", backend.namespace, {"color": "blue"})
    assert meta["uid"] and meta["resourceVersion"] and meta["creationTimestamp"]
    fetched = api.get(cm, "settings", backend.namespace)
    assert fetched["metadata"]["uid"] == meta["uid"]
    fetched["data"]["color"] = "green"
    updated = api.update(cm, fetched, backend.namespace)
    assert updated["data"] == {"color": "green"}
    assert int(updated["metadata"]["resourceVersion"]) > int(meta["resourceVersion"])


@on_backends()
def test_server_side_dry_run_stores_nothing(backend):
    cm = backend.rt("configmaps")
    api = backend.cluster.backend
    answer = api.create(cm, config_map("draft", color="red"), backend.namespace, dry_run=True)
    assert answer["data"] == {"color": "red"}
    assert not backend.cluster.exists("configmaps", "draft")


@on_backends()
def test_list_with_label_and_field_selectors(backend):
    cm = backend.rt("configmaps")
    api = backend.cluster.backend
    for name, tier in (("a", "web"), ("b", "db"), ("c", "web")):
        api.create(cm, config_map(name, {"tier": tier}), backend.namespace)

    def names(**selectors: str) -> list[str]:
        return [o["metadata"]["name"] for o in api.list(cm, backend.namespace, **selectors)["items"]]

    assert names(label_selector="tier=web") == ["a", "c"]
    assert names(label_selector="tier!=web,tier") == ["b"]
    assert names(label_selector="tier in (db)") == ["b"]
    assert names(field_selector="metadata.name=c") == ["c"]
    assert names(label_selector="tier=web", field_selector="metadata.name!=a") == ["c"]


@on_backends()
def test_list_pages_with_limit_and_continue(backend):
    cm = backend.rt("configmaps")
    api = backend.cluster.backend
    for name in ("p1", "p2", "p3"):
        api.create(cm, config_map(name, {"paged": "yes"}), backend.namespace)
    first = api.list(cm, backend.namespace, label_selector="paged=yes", limit=2)
    assert [o["metadata"]["name"] for o in first["items"]] == ["p1", "p2"]
    assert first["metadata"]["remainingItemCount"] == 1
    rest = api.list(cm, backend.namespace, label_selector="paged=yes", limit=2,
                    continue_token=first["metadata"]["continue"])
    assert [o["metadata"]["name"] for o in rest["items"]] == ["p3"]
    assert not rest["metadata"].get("continue")


@on_backends()
@pytest.mark.parametrize(("patch_type", "patch", "expected"), [
    (MERGE_PATCH, {"data": {"b": "2", "a": None}}, {"b": "2"}),
    (STRATEGIC_MERGE_PATCH, {"data": {"b": "2"}}, {"a": "1", "b": "2"}),
    (JSON_PATCH, [{"op": "replace", "path": "/data/a", "value": "9"}], {"a": "9"}),
    (APPLY_PATCH, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "patched"}, "data": {"c": "3"}},
     {"a": "1", "c": "3"}),
], ids=["merge", "strategic", "json", "apply"])
def test_the_four_patch_types(backend, patch_type, patch, expected):
    cm = backend.rt("configmaps")
    api = backend.cluster.backend
    api.create(cm, config_map("patched", a="1"), backend.namespace)
    answer = api.patch(cm, "patched", patch, patch_type, backend.namespace, field_manager="conformance", force=True)
    assert answer["data"] == expected
    assert api.get(cm, "patched", backend.namespace)["data"] == expected


NO_MANAGED_FIELDS = "the simulated cluster does not record metadata.managedFields yet"


@on_backends(sim=NO_MANAGED_FIELDS, serve=NO_MANAGED_FIELDS)
def test_server_side_apply_records_the_field_manager(backend):
    cm = backend.rt("configmaps")
    api = backend.cluster.backend
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "applied"}, "data": {"k": "v"}}
    answer = api.patch(cm, "applied", body, APPLY_PATCH, backend.namespace, field_manager="course-test")
    managers = [(m["manager"], m["operation"]) for m in answer["metadata"]["managedFields"]]
    assert ("course-test", "Apply") in managers


@on_backends(sim="the simulator's Backend.patch does not serve the scale subresource yet (k8scourse serve does)")
def test_scale_subresource_and_status(backend, deployment):
    backend.cluster.apply(deployment)
    backend.settle()
    deploy = backend.rt("deployments")
    api = backend.cluster.backend
    scale = api.patch(deploy, "web", {"spec": {"replicas": 3}}, MERGE_PATCH, backend.namespace, subresource="scale")
    assert (scale["kind"], scale["spec"]["replicas"]) == ("Scale", 3)
    backend.settle()
    status = api.get(deploy, "web", backend.namespace)["status"]
    assert (status["replicas"], status["readyReplicas"], status["availableReplicas"]) == (3, 3, 3)


@on_backends()
@pytest.mark.parametrize(("policy", "replica_sets_left"), [("Orphan", 1), ("Background", 0), ("Foreground", 0)])
def test_delete_propagation(backend, deployment, policy, replica_sets_left):
    backend.cluster.apply(deployment)
    backend.settle()
    api = backend.cluster.backend
    api.delete(backend.rt("deployments"), "web", backend.namespace, propagation_policy=policy)
    backend.settle()
    assert not backend.cluster.exists("deployments", "web")
    replica_sets = api.list(backend.rt("replicasets"), backend.namespace)["items"]
    assert len(replica_sets) == replica_sets_left
    if replica_sets:
        assert not replica_sets[0]["metadata"].get("ownerReferences")


@on_backends()
def test_watch_from_a_resource_version(backend):
    cm = backend.rt("configmaps")
    api = backend.cluster.backend
    start = api.create(cm, config_map("watched", a="1"), backend.namespace)["metadata"]["resourceVersion"]
    api.patch(cm, "watched", {"data": {"a": "2"}}, MERGE_PATCH, backend.namespace)
    api.delete(cm, "watched", backend.namespace)
    events = list(api.watch(cm, backend.namespace, resource_version=start, timeout_seconds=1))
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [("MODIFIED", "watched"),
                                                                             ("DELETED", "watched")]
    assert events[0]["object"]["data"] == {"a": "2"}


@on_backends()
def test_watch_without_a_version_starts_with_the_current_state(backend):
    cm = backend.rt("configmaps")
    api = backend.cluster.backend
    api.create(cm, config_map("here", {"w": "1"}), backend.namespace)
    events = list(api.watch(cm, backend.namespace, label_selector="w=1", timeout_seconds=1))
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [("ADDED", "here")]
