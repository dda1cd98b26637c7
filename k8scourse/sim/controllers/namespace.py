"""The namespace controller: empties a terminating namespace, then lets the apiserver remove it.

Created by `SimulatedCluster`. As kube-controller-manager's namespace controller does, it deletes every
namespaced object in a namespace whose deletion has started, reports what remains in the namespace's
status conditions, and clears the `kubernetes` finalizer once nothing is left.
"""

from __future__ import annotations

from collections.abc import Hashable

from ...api.errors import ApiError
from ...api.objects import deep_copy
from ...api.registry import REGISTRY
from ..store import WatchEvent
from .base import Controller

NAMESPACES = REGISTRY.resolve("namespaces")
RETRY = 5.0


class NamespaceController(Controller):
    name = "namespace-controller"

    def _on_event(self, event: WatchEvent) -> None:
        if event.resource == "namespaces":
            if event.type != "DELETED" and event.object["metadata"].get("deletionTimestamp"):
                self.enqueue(event.object["metadata"]["name"])
        elif event.type == "DELETED":
            ns = event.object["metadata"].get("namespace")
            current = self.api.store.get("namespaces", "", ns) if ns else None
            if current is not None and current["metadata"].get("deletionTimestamp"):
                self.enqueue(ns)

    def sync(self, key: Hashable) -> None:
        name = str(key)
        ns = self.api.store.get("namespaces", "", name)
        if ns is None or not ns["metadata"].get("deletionTimestamp"):
            return
        remaining: dict[str, int] = {}
        for rt in self.api.registry.resources:
            if not rt.namespaced or "delete" not in rt.verbs:
                continue
            for obj in list(self.api.store.list(rt.group_resource, name)):
                remaining[rt.group_resource] = remaining.get(rt.group_resource, 0) + 1
                if obj["metadata"].get("deletionTimestamp"):
                    continue
                try:
                    self.api.delete(rt, obj["metadata"]["name"], name, propagation_policy="Background")
                except ApiError as exc:
                    if exc.code != 404:
                        raise
        left = {r: self._count(r, name) for r in remaining}
        left = {r: n for r, n in left.items() if n}
        self._report(name, left)
        if left:
            self.enqueue(name, after=RETRY)
            return
        current = self.api.store.get("namespaces", "", name)
        if current is not None:
            finalized = deep_copy(current)
            finalized.setdefault("spec", {})["finalizers"] = []
            self.api.update(NAMESPACES, finalized, subresource="finalize")

    def _count(self, resource: str, namespace: str) -> int:
        return len(list(self.api.store.list(resource, namespace)))

    def _report(self, name: str, left: dict[str, int]) -> None:
        current = self.api.store.get("namespaces", "", name)
        if current is None:
            return
        now = self.api.clock.timestamp()
        content = ", ".join(f"{r.split('.')[0]}.{r.partition('.')[2]} has {n} resource instances"
                            for r, n in sorted(left.items()))
        conditions = [
            ("NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered", "All resources successfully discovered"),
            ("NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions",
             "All legacy kube types successfully parsed"),
            ("NamespaceDeletionContentFailure", "False", "ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
            ("NamespaceContentRemaining", "True" if left else "False",
             "SomeResourcesRemain" if left else "ContentRemoved",
             f"Some resources are remaining: {content}" if left else "All content successfully removed"),
            ("NamespaceFinalizersRemaining", "False", "ContentHasNoFinalizers", "All content-preserving finalizers finished"),
        ]
        old = {c["type"]: c for c in (current.get("status") or {}).get("conditions", [])}
        new_conditions = []
        for type_, status, reason, message in conditions:
            prev = old.get(type_)
            stamp = prev["lastTransitionTime"] if prev and prev.get("status") == status else now
            new_conditions.append({"type": type_, "status": status, "lastTransitionTime": stamp,
                                   "reason": reason, "message": message})
        updated = deep_copy(current)
        updated.setdefault("status", {})["conditions"] = new_conditions
        self.api.update(NAMESPACES, updated, subresource="status")
