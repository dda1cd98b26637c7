"""The event recorder every simulated component uses to write core/v1 Events, as client-go's recorder does.

Called by controllers, the scheduler and kubelets (`recorder.event(obj, "Normal", "Scheduled", msg)`).
Events are named `<object>.<hex time>`, land in the object's namespace (`default` for cluster-scoped
objects), repeat into `count`/`lastTimestamp` when the same thing happens again, and expire after one
hour like the apiserver's event TTL.
"""

from __future__ import annotations

from typing import Any

from ..api.registry import REGISTRY
from .apiserver import APIServer

Obj = dict[str, Any]
EVENTS = REGISTRY.resolve("events")
EVENT_TTL = 3600.0


class EventRecorder:
    """Writes Events for one cluster; `component`/`host` say who reported them (kubelet on node X, ...)."""

    def __init__(self, api: APIServer):
        self.api = api
        self._seen: dict[tuple[str, ...], str] = {}  # correlation key -> event name

    def event(self, obj: Obj, type_: str, reason: str, message: str, component: str, host: str = "",
              field_path: str = "") -> Obj:
        meta = obj["metadata"]
        namespace = meta.get("namespace") or "default"
        involved: Obj = {
            "apiVersion": obj.get("apiVersion", "v1"),
            "kind": obj.get("kind", ""),
            "name": meta["name"],
            "uid": meta.get("uid", ""),
            "resourceVersion": meta.get("resourceVersion", ""),
        }
        if meta.get("namespace"):
            involved["namespace"] = meta["namespace"]
        if field_path:
            involved["fieldPath"] = field_path
        key = (namespace, involved["kind"], involved["name"], involved["uid"], field_path, type_, reason, message,
               component, host)
        now = self.api.clock.timestamp()
        existing_name = self._seen.get(key)
        if existing_name is not None:
            current = self.api.peek(EVENTS, existing_name, namespace)
            if current is not None:
                updated = dict(current)
                updated["count"] = int(current.get("count", 1)) + 1
                updated["lastTimestamp"] = now
                return self.api.update(EVENTS, updated, namespace)
        name = f"{meta['name']}.{int((self.api.clock.datetime().timestamp()) * 1e9):x}"
        source: Obj = {"component": component}
        if host:
            source["host"] = host
        event: Obj = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": namespace},
            "involvedObject": involved,
            "reason": reason,
            "message": message,
            "source": source,
            "firstTimestamp": now,
            "lastTimestamp": now,
            "count": 1,
            "type": type_,
            "eventTime": None,
            "reportingComponent": component,
            "reportingInstance": host,
        }
        while self.api.peek(EVENTS, name, namespace) is not None:  # same nanosecond: keep names unique
            name = f"{name[:-1]}{(int(name[-1], 16) + 1) % 16:x}"
            event["metadata"]["name"] = name
        created = self.api.create(EVENTS, event, namespace)
        self._seen[key] = name
        self.api.clock.call_later(EVENT_TTL, lambda: self._expire(name, namespace, key), periodic=True,
                                  label="event TTL")
        return created

    def _expire(self, name: str, namespace: str, key: tuple[str, ...]) -> None:
        if self.api.peek(EVENTS, name, namespace) is not None:
            self.api.finish_deletion(EVENTS, name, namespace)
        if self._seen.get(key) == name:
            del self._seen[key]

    def for_object(self, obj: Obj) -> list[Obj]:
        """Events about `obj` (by uid), oldest first, as `kubectl describe` lists them."""
        uid = obj["metadata"].get("uid")
        namespace = obj["metadata"].get("namespace") or "default"
        found = [e for e in self.api.store.list(EVENTS.group_resource, namespace)
                 if e.get("involvedObject", {}).get("uid") == uid]
        return sorted(found, key=lambda e: (e.get("lastTimestamp") or "", e["metadata"]["name"]))
