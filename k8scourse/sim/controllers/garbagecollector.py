"""The garbage collector: deletes dependents whose owners are gone, and runs foreground and orphan deletion.

Created by `SimulatedCluster`. Follows kube-controller-manager's garbagecollector: a dependent whose
owners (by uid) all no longer exist is deleted in the background; dangling references are dropped when
another owner remains; an owner with the `orphan` finalizer has its dependents released; an owner with
`foregroundDeletion` waits until its blocking dependents are gone.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from ...api.errors import ApiError
from ...api.objects import deep_copy
from ..store import WatchEvent
from .base import Controller

Obj = dict[str, Any]


class GarbageCollector(Controller):
    name = "garbage-collector"

    def _on_event(self, event: WatchEvent) -> None:  # watches every resource
        for key in self.keys_for(event):
            self.enqueue(key)

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        meta = event.object["metadata"]
        keys: list[Hashable] = []
        uid = meta.get("uid", "")
        if event.type == "DELETED":
            keys += [("dependent", d["metadata"]["uid"]) for d in self.api.store.dependents(uid)]
        elif meta.get("deletionTimestamp") and {"orphan", "foregroundDeletion"} & set(meta.get("finalizers") or ()):
            keys.append(("owner", uid))
        if event.type == "ADDED" and meta.get("ownerReferences"):
            keys.append(("dependent", uid))
        for ref in meta.get("ownerReferences") or ():  # a dependent changed: its foreground owner may be done
            owner = self.api.by_uid(ref.get("uid", ""))
            if owner is not None and owner["metadata"].get("deletionTimestamp"):
                keys.append(("owner", ref["uid"]))
        return keys

    def sync(self, key: Hashable) -> None:
        role, uid = key  # type: ignore[misc]
        if role == "dependent":
            self._sync_dependent(uid)
        else:
            self._sync_owner(uid)

    def _sync_dependent(self, uid: str) -> None:
        obj = self.api.by_uid(uid)
        if obj is None:
            return
        refs = obj["metadata"].get("ownerReferences") or []
        alive = [r for r in refs if self.api.exists_uid(r.get("uid", ""))]
        if not refs or len(alive) == len(refs):
            return
        rt = self.api._rt_by_resource(self._resource_of(obj))
        meta = obj["metadata"]
        if not alive:
            self._delete(rt, meta["name"], meta.get("namespace"), "Background")
            return
        updated = deep_copy(obj)
        updated["metadata"]["ownerReferences"] = alive
        self.api.update(rt, updated, meta.get("namespace"))

    def _sync_owner(self, uid: str) -> None:
        owner = self.api.by_uid(uid)
        if owner is None or not owner["metadata"].get("deletionTimestamp"):
            return
        finalizers = list(owner["metadata"].get("finalizers") or [])
        dependents = self.api.store.dependents(uid)
        if "orphan" in finalizers:
            for dep in dependents:
                updated = deep_copy(dep)
                updated["metadata"]["ownerReferences"] = [
                    r for r in dep["metadata"].get("ownerReferences", []) if r.get("uid") != uid
                ]
                if not updated["metadata"]["ownerReferences"]:
                    del updated["metadata"]["ownerReferences"]
                self.api.update(self.api._rt_by_resource(self._resource_of(dep)), updated,
                                dep["metadata"].get("namespace"))
            self._remove_finalizer(owner, "orphan")
            return
        if "foregroundDeletion" in finalizers:
            blocking = []
            for dep in dependents:
                ref = next(r for r in dep["metadata"]["ownerReferences"] if r.get("uid") == uid)
                if not dep["metadata"].get("deletionTimestamp"):
                    rt = self.api._rt_by_resource(self._resource_of(dep))
                    self._delete(rt, dep["metadata"]["name"], dep["metadata"].get("namespace"), "Foreground")
                if ref.get("blockOwnerDeletion") and self.api.exists_uid(dep["metadata"]["uid"]):
                    blocking.append(dep)
            if not blocking:
                owner = self.api.by_uid(uid)
                if owner is not None:
                    self._remove_finalizer(owner, "foregroundDeletion")

    def _remove_finalizer(self, obj: Obj, finalizer: str) -> None:
        updated = deep_copy(obj)
        rest = [f for f in updated["metadata"].get("finalizers", []) if f != finalizer]
        if rest:
            updated["metadata"]["finalizers"] = rest
        else:
            updated["metadata"].pop("finalizers", None)
        rt = self.api._rt_by_resource(self._resource_of(obj))
        self.api.update(rt, updated, obj["metadata"].get("namespace"))

    def _resource_of(self, obj: Obj) -> str:
        rt = self.api.registry.for_kind(obj["apiVersion"], obj["kind"])
        return rt.group_resource

    def _delete(self, rt: Any, name: str, namespace: str | None, policy: str) -> None:
        try:
            self.api.delete(rt, name, namespace, propagation_policy=policy)
        except ApiError as exc:
            if exc.code != 404:
                raise
