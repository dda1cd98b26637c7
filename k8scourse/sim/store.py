"""The simulated etcd: a versioned object store with indexes and a watch history.

Called only by the simulated apiserver (writes) and by controllers through the apiserver's read helpers.
Every write gets the next resourceVersion; each commit is appended to a bounded history that watches
replay, and listeners (controllers' informers) are told synchronously — they must only queue work.
Indexes by namespace, label pair, owner uid and node name keep controller look-ups proportional to
what they look at, never to the size of the store.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..api.registry import ResourceType

Obj = dict[str, Any]
Key = tuple[str, str, str]  # (group_resource, namespace, name)


@dataclass(frozen=True)
class WatchEvent:
    """One change, as a watch delivers it: ADDED, MODIFIED or DELETED with the object after the change."""

    type: str
    resource: str  # group_resource
    object: Obj
    resource_version: int


Listener = Callable[[WatchEvent], None]


class Store:
    """Objects by (resource, namespace, name), versioned with a single increasing resourceVersion."""

    HISTORY = 20000

    def __init__(self) -> None:
        self.revision = 1
        self._objects: dict[Key, Obj] = {}
        self._by_resource: dict[str, dict[Key, Obj]] = defaultdict(dict)
        self._by_namespace: dict[tuple[str, str], dict[Key, Obj]] = defaultdict(dict)
        self._by_label: dict[tuple[str, str, str], set[Key]] = defaultdict(set)  # (resource, k, v)
        self._by_owner: dict[str, set[Key]] = defaultdict(set)  # owner uid -> dependents
        self._by_node: dict[str, set[Key]] = defaultdict(set)  # node name -> pods
        self._history: deque[WatchEvent] = deque(maxlen=self.HISTORY)
        # listeners in subscription order: (order, listener), told of every change, of some resources only,
        # or of the pods bound to one node (a kubelet's informer), so a change costs what listens to it
        self._subscribed = 0
        self._listeners: list[tuple[int, Listener]] = []
        self._resource_listeners: dict[str, list[tuple[int, Listener]]] = defaultdict(list)
        self._node_listeners: dict[str, list[tuple[int, Listener]]] = defaultdict(list)
        # the listeners of each resource (and of each node's pods), merged in subscription order once
        self._merged: dict[str, list[Listener]] = {}
        self._merged_node: dict[str, list[Listener]] = {}

    # --- reads (return the stored dict: callers must not mutate; the apiserver copies for clients) ---
    def get(self, resource: str, namespace: str, name: str) -> Obj | None:
        return self._objects.get((resource, namespace, name))

    def list(self, resource: str, namespace: str | None = None) -> Iterable[Obj]:
        if namespace:
            return list(self._by_namespace.get((resource, namespace), {}).values())
        return list(self._by_resource.get(resource, {}).values())

    def __len__(self) -> int:
        return len(self._objects)

    def count(self, resource: str) -> int:
        return len(self._by_resource.get(resource, {}))

    def with_label(self, resource: str, key: str, value: str, namespace: str | None = None, *,
                   ordered: bool = True) -> list[Obj]:
        """Objects carrying the label `key=value`, in key order (namespace, name) unless `ordered` is False
        (for callers that only count or sort themselves)."""
        keys = self._by_label.get((resource, key, value), ())
        if namespace:
            keys = [k for k in keys if k[1] == namespace]
        if ordered:
            keys = sorted(keys)
        return [self._objects[k] for k in keys]

    def dependents(self, owner_uid: str) -> list[Obj]:
        return [self._objects[k] for k in sorted(self._by_owner.get(owner_uid, ()))]

    def pods_on_node(self, node: str) -> list[Obj]:
        return [self._objects[k] for k in sorted(self._by_node.get(node, ()))]

    def resources(self) -> list[str]:
        return [r for r, objs in self._by_resource.items() if objs]

    # --- writes ------------------------------------------------------------------------------------
    def next_revision(self) -> int:
        self.revision += 1
        return self.revision

    def put(self, rt: ResourceType, obj: Obj) -> Obj:
        """Insert or replace `obj` (its metadata already complete) and stamp a new resourceVersion."""
        meta = obj["metadata"]
        key = (rt.group_resource, meta.get("namespace", "") if rt.namespaced else "", meta["name"])
        old = self._objects.get(key)
        if old is not None:
            self._unindex(key, old)
        rv = self.next_revision()
        meta["resourceVersion"] = str(rv)
        self._objects[key] = obj
        self._by_resource[key[0]][key] = obj
        self._by_namespace[(key[0], key[1])][key] = obj
        self._index(key, obj)
        self._emit(WatchEvent("MODIFIED" if old is not None else "ADDED", key[0], obj, rv))
        return obj

    def remove(self, rt: ResourceType, namespace: str, name: str) -> Obj | None:
        key = (rt.group_resource, namespace if rt.namespaced else "", name)
        old = self._objects.pop(key, None)
        if old is None:
            return None
        self._unindex(key, old)
        del self._by_resource[key[0]][key]
        del self._by_namespace[(key[0], key[1])][key]
        rv = self.next_revision()
        # A deleted object is delivered with the resourceVersion of its deletion, as etcd3 watch does.
        gone = dict(old)
        gone["metadata"] = dict(old["metadata"], resourceVersion=str(rv))
        self._emit(WatchEvent("DELETED", key[0], gone, rv))
        return gone

    def _index(self, key: Key, obj: Obj) -> None:
        meta = obj["metadata"]
        for k, v in (meta.get("labels") or {}).items():
            self._by_label[(key[0], k, v)].add(key)
        for ref in meta.get("ownerReferences") or ():
            self._by_owner[ref.get("uid", "")].add(key)
        if key[0] == "pods":
            node = (obj.get("spec") or {}).get("nodeName")
            if node:
                self._by_node[node].add(key)

    def _unindex(self, key: Key, obj: Obj) -> None:
        meta = obj["metadata"]
        for k, v in (meta.get("labels") or {}).items():
            bucket = self._by_label.get((key[0], k, v))
            if bucket is not None:
                bucket.discard(key)
                if not bucket:
                    del self._by_label[(key[0], k, v)]
        for ref in meta.get("ownerReferences") or ():
            bucket = self._by_owner.get(ref.get("uid", ""))
            if bucket is not None:
                bucket.discard(key)
                if not bucket:
                    del self._by_owner[ref.get("uid", "")]
        if key[0] == "pods":
            node = (obj.get("spec") or {}).get("nodeName")
            if node and node in self._by_node:
                self._by_node[node].discard(key)

    # --- watch -------------------------------------------------------------------------------------
    def subscribe(self, listener: Listener, resources: Iterable[str] | None = None) -> None:
        """Tell `listener` of every change, or only of changes to `resources` (group_resources)."""
        self._subscribed += 1
        self._merged.clear()
        self._merged_node.clear()
        entry = (self._subscribed, listener)
        if resources is None:
            self._listeners.append(entry)
        for resource in resources or ():
            self._resource_listeners[resource].append(entry)

    def subscribe_node(self, node: str, listener: Listener) -> None:
        """Tell `listener` of changes to the pods bound to `node` (spec.nodeName), as a kubelet's
        field-selected pod informer sees them."""
        self._subscribed += 1
        self._merged_node.clear()
        self._node_listeners[node].append((self._subscribed, listener))

    def unsubscribe(self, listener: Listener) -> None:
        self._merged.clear()
        self._merged_node.clear()
        for entries in (self._listeners, *self._resource_listeners.values(), *self._node_listeners.values()):
            entries[:] = [e for e in entries if e[1] != listener]

    def _emit(self, event: WatchEvent) -> None:
        self._history.append(event)
        listeners = self._merged.get(event.resource)
        if listeners is None:
            listeners = self._merged[event.resource] = [
                listener for _, listener in sorted([*self._listeners, *self._resource_listeners.get(event.resource, ())],
                                                   key=lambda e: e[0])]  # subscription order
        if event.resource == "pods" and self._node_listeners:
            node = (event.object.get("spec") or {}).get("nodeName")
            if node and node in self._node_listeners:
                listeners = self._merged_node.get(node)
                if listeners is None:
                    entries = [*self._listeners, *self._resource_listeners.get("pods", ()), *self._node_listeners[node]]
                    listeners = self._merged_node[node] = [listener for _, listener in sorted(entries, key=lambda e: e[0])]
        for listener in listeners:
            listener(event)

    def oldest_revision(self) -> int:
        return self._history[0].resource_version if self._history else self.revision

    def events_since(self, revision: int, resource: str) -> Iterator[WatchEvent]:
        """Committed changes to `resource` after `revision`, oldest first."""
        for event in self._history:
            if event.resource_version > revision and event.resource == resource:
                yield event
