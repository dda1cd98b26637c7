"""Garbage collection by ownerReferences: background, foreground and orphan propagation.

Behaviour after pkg/controller/garbagecollector (dependents of a deleted owner are deleted; the
`orphan` and `foregroundDeletion` finalizers) and the DeleteOptions propagationPolicy wording in
staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go.
"""

from __future__ import annotations

import pytest

from k8scourse import ApiError


def _owner(cluster, name="owner"):
    return cluster.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}})[0]


def _dependent(cluster, owner, name, block=False):
    ref = {"apiVersion": "v1", "kind": "ConfigMap", "name": owner["metadata"]["name"],
           "uid": owner["metadata"]["uid"]}
    if block:
        ref["blockOwnerDeletion"] = True
    return cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                           "metadata": {"name": name, "ownerReferences": [ref]}})[0]


def test_background_deletion_removes_dependents(cluster):
    owner = _owner(cluster)
    _dependent(cluster, owner, "child-1")
    _dependent(cluster, owner, "child-2")
    cluster.delete("cm", "owner")
    assert not cluster.exists("cm", "owner")
    assert not cluster.exists("cm", "child-1") and not cluster.exists("cm", "child-2")


def test_orphan_deletion_keeps_dependents_without_the_reference(cluster):
    owner = _owner(cluster)
    _dependent(cluster, owner, "child")
    cluster.delete("cm", "owner", propagation_policy="Orphan")
    assert not cluster.exists("cm", "owner")
    child = cluster.get("cm", "child")
    assert "ownerReferences" not in child["metadata"]


def test_foreground_deletion_waits_for_blocking_dependents(cluster):
    owner = _owner(cluster)
    _dependent(cluster, owner, "child", block=True)
    held = cluster.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
        "name": "held", "finalizers": ["example.com/hold"],
        "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "owner",
                             "uid": owner["metadata"]["uid"], "blockOwnerDeletion": True}]}})[0]
    deleted = cluster.delete("cm", "owner", propagation_policy="Foreground")[0]
    assert "foregroundDeletion" in deleted["metadata"]["finalizers"]
    cluster.settle()
    assert not cluster.exists("cm", "child")
    live_owner = cluster.get("cm", "owner")  # still waiting for `held`
    assert live_owner["metadata"]["deletionTimestamp"]
    held = cluster.get("cm", "held")
    held["metadata"]["finalizers"] = []
    cluster.backend.update(cluster.resource("cm"), held)
    cluster.settle()
    assert not cluster.exists("cm", "held") and not cluster.exists("cm", "owner")


def test_dangling_reference_is_dropped_when_another_owner_remains(cluster):
    a, b = _owner(cluster, "a"), _owner(cluster, "b")
    refs = [{"apiVersion": "v1", "kind": "ConfigMap", "name": o["metadata"]["name"], "uid": o["metadata"]["uid"]}
            for o in (a, b)]
    cluster.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "shared", "ownerReferences": refs}})
    cluster.delete("cm", "a")
    shared = cluster.get("cm", "shared")
    assert [r["name"] for r in shared["metadata"]["ownerReferences"]] == ["b"]


def test_object_whose_owner_never_existed_is_collected(cluster):
    cluster.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
        "name": "orphaned", "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "ghost",
                                                 "uid": "00000000-0000-4000-8000-000000000000"}]}})
    assert not cluster.exists("cm", "orphaned")


def test_unknown_propagation_policy_is_refused(cluster):
    _owner(cluster)
    with pytest.raises(ApiError) as err:
        cluster.delete("cm", "owner", propagation_policy="Sideways")
    assert err.value.code == 400
    assert cluster.exists("cm", "owner")
