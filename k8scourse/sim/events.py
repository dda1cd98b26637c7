"""The event recorder every simulated component uses to write core/v1 Events, as client-go's recorder does.

Called by controllers, the scheduler and kubelets (`recorder.event(obj, "Normal", "Scheduled", msg)`).
Events are named `<object>.<hex time>`, land in the object's namespace (`default` for cluster-scoped
objects), repeat into `count`/`lastTimestamp` when the same thing happens again, are combined
(`(combined from similar events): ...`) from the tenth similar event with another message within ten
minutes as client-go's EventCorrelator does, and expire after one hour like the apiserver's event TTL.
"""

from __future__ import annotations

from typing import Any

from ..api.registry import REGISTRY
from .apiserver import APIServer

Obj = dict[str, Any]
EVENTS = REGISTRY.resolve("events")
EVENT_TTL = 3600.0
AGGREGATE_MAX = 10  # client-go defaultAggregateMaxEvents
AGGREGATE_INTERVAL = 600.0  # defaultAggregateIntervalInSeconds


class EventRecorder:
    """Writes Events for one cluster; `component`/`host` say who reported them (kubelet on node X, ...)."""

    def __init__(self, api: APIServer):
        self.api = api
        self._seen: dict[tuple[str, ...], str] = {}  # dedup key -> event name
        self._similar: dict[tuple[str, ...], tuple[float, set[str]]] = {}  # aggregate key -> (last, messages)
        self._last_nanos = 0

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
        aggregate = (namespace, involved["kind"], involved["name"], involved["uid"], field_path, type_, reason,
                     component, host)
        key = (*aggregate, message)
        if self._combine(aggregate, message):
            key, message = aggregate, f"(combined from similar events): {message}"
        now = self.api.clock.timestamp()
        existing_name = self._seen.get(key)
        if existing_name is not None:
            current = self.api.peek(EVENTS, existing_name, namespace)
            if current is not None:
                updated = dict(current)
                updated["count"] = int(current.get("count", 1)) + 1
                updated["lastTimestamp"] = now
                updated["message"] = message
                return self.api.update(EVENTS, updated, namespace, copy_result=False)
        name = f"{meta['name']}.{self._nanos():x}"
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
        created = self.api.create(EVENTS, event, namespace, copy_result=False, owned=True)
        self._seen[key] = name
        self.api.clock.call_later(EVENT_TTL, lambda: self._expire(name, namespace, key), periodic=True,
                                  label="event TTL")
        return created

    def _nanos(self) -> int:
        """The virtual time in nanoseconds, kept strictly increasing so event names never collide."""
        nanos = int(self.api.clock.datetime().timestamp()) * 1_000_000_000 + int(
            round((self.api.clock.now % 1) * 1e9))
        self._last_nanos = max(nanos, self._last_nanos + 1)
        return self._last_nanos

    def _combine(self, aggregate: tuple[str, ...], message: str) -> bool:
        """client-go's EventAggregator: from the 10th distinct message of a similar event within 10 minutes,
        events are combined into one `(combined from similar events): ...` event."""
        now = self.api.clock.now
        last, messages = self._similar.get(aggregate, (now, set()))
        if now - last > AGGREGATE_INTERVAL:
            messages = set()
        messages.add(message)
        combined = len(messages) >= AGGREGATE_MAX
        if combined:
            messages.discard(message)
        self._similar[aggregate] = (now, messages)
        return combined

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
