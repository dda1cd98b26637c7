"""The event recorder every simulated component uses to write core/v1 Events, as client-go's recorder does.

Called by controllers, the scheduler and kubelets (`recorder.event(obj, "Normal", "Scheduled", msg)`).
Events are named `<object>.<hex time>`, land in the object's namespace (`default` for cluster-scoped
objects), repeat into `count`/`lastTimestamp` when the same thing happens again, are combined
(`(combined from similar events): ...`) from the tenth similar event with another message within ten
minutes as client-go's EventCorrelator does, and expire one hour after their last write like the
apiserver's event TTL. Like client-go's correlator, the recorder remembers the last 4,096 distinct events
and aggregate keys (least recently used first out).
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from typing import Any

from ..api.registry import REGISTRY
from .apiserver import APIServer

Obj = dict[str, Any]
EVENTS = REGISTRY.resolve("events")
EVENT_TTL = 3600.0
AGGREGATE_MAX = 10  # client-go defaultAggregateMaxEvents
AGGREGATE_INTERVAL = 600.0  # defaultAggregateIntervalInSeconds
LRU_ENTRIES = 4096  # client-go events_cache.go maxLruCacheEntries


class EventRecorder:
    """Writes Events for one cluster; `component`/`host` say who reported them (kubelet on node X, ...)."""

    def __init__(self, api: APIServer):
        self.api = api
        self._seen: OrderedDict[tuple[str, ...], str] = OrderedDict()  # dedup key -> event name (LRU)
        # aggregate key -> (last, messages) (LRU)
        self._similar: OrderedDict[tuple[str, ...], tuple[float, set[str]]] = OrderedDict()
        self._last_nanos = 0
        # events by the time their TTL runs out: (expiry, sequence, namespace, name); one timer for the earliest
        self._expiring: list[tuple[float, int, str, str]] = []
        self._written: dict[tuple[str, str], float] = {}  # (namespace, name) -> last write
        self._sequence = 0
        self._expiry_timer: Any = None

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
        for key in ("apiVersion", "uid", "resourceVersion"):  # ObjectReference's fields are omitempty
            if not involved[key]:
                del involved[key]
        if meta.get("namespace"):
            involved["namespace"] = meta["namespace"]
        if field_path:
            involved["fieldPath"] = field_path
        aggregate = (namespace, involved["kind"], involved["name"], involved.get("uid", ""), field_path, type_, reason,
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
                self._seen.move_to_end(key)
                self._written[(namespace, existing_name)] = self.api.clock.now
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
        self._remember(self._seen, key, name)
        self._written[(namespace, name)] = self.api.clock.now
        self._expire_at(self.api.clock.now + EVENT_TTL, namespace, name)
        return created

    @staticmethod
    def _remember(cache: OrderedDict, key: tuple[str, ...], value: Any) -> None:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > LRU_ENTRIES:
            cache.popitem(last=False)

    def _expire_at(self, when: float, namespace: str, name: str) -> None:
        self._sequence += 1
        heapq.heappush(self._expiring, (when, self._sequence, namespace, name))
        if self._expiry_timer is not None and self._expiry_timer.when > when:
            self._expiry_timer.cancel()
            self._expiry_timer = None
        self._arm_expiry()

    def _arm_expiry(self) -> None:
        """One timer, for the earliest expiry queued (none when one is set already or nothing is queued)."""
        if self._expiring and self._expiry_timer is None:
            self._expiry_timer = self.api.clock.call_at(self._expiring[0][0], self._expire_due, periodic=True,
                                                        label="event TTL")

    def _expire_due(self) -> None:
        """Delete the events whose TTL ran out (a write since renews it: those wait for their new expiry)."""
        self._expiry_timer = None
        now = self.api.clock.now
        while self._expiring and self._expiring[0][0] <= now:
            _, _, namespace, name = heapq.heappop(self._expiring)
            written = self._written.get((namespace, name))
            if written is None:
                continue
            if written + EVENT_TTL > now:
                self._expire_at(written + EVENT_TTL, namespace, name)
                continue
            del self._written[(namespace, name)]
            if self.api.peek(EVENTS, name, namespace) is not None:
                self.api.finish_deletion(EVENTS, name, namespace)
        self._arm_expiry()

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
        self._remember(self._similar, aggregate, (now, messages))
        return combined

    def for_object(self, obj: Obj) -> list[Obj]:
        """Events about `obj` (by uid), oldest first, as `kubectl describe` lists them."""
        uid = obj["metadata"].get("uid")
        namespace = obj["metadata"].get("namespace") or "default"
        found = [e for e in self.api.store.list(EVENTS.group_resource, namespace)
                 if e.get("involvedObject", {}).get("uid") == uid]
        return sorted(found, key=lambda e: (e.get("lastTimestamp") or "", e["metadata"]["name"]))
