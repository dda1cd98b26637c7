"""The Events section of kubectl describe: the events whose involvedObject is the described object, as
searchEvents finds them, laid out by DescribeEvents (`Events:  <none>` or the Type/Reason/Age/From/Message
table with ages such as `10s` and `2m (x3 over 5m)`).

Used by the describers in `k8scourse.kubectl.describe`. Translated from describe.go (searchEvents,
DescribeEvents) and staging/src/k8s.io/kubectl/pkg/util/event (SortableEvents).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...api.backend import Backend
from ...api.errors import ApiError
from .writer import PrefixWriter, age

Obj = dict[str, Any]


def search_events(backend: Backend, obj: Obj, kind: str | None) -> list[Obj]:
    """Events about `obj`: the field selector client-go's GetFieldSelector builds (name, namespace, kind
    when the reference has one, uid). Pods and nodes are looked up without their kind, as kubectl does."""
    meta = obj.get("metadata") or {}
    namespace = meta.get("namespace") or ""
    terms = [f"involvedObject.name={meta.get('name', '')}", f"involvedObject.namespace={namespace}"]
    if kind:
        terms.append(f"involvedObject.kind={kind}")
    if meta.get("uid"):
        terms.append(f"involvedObject.uid={meta['uid']}")
    events_rt = backend.registry.resolve("events")
    try:
        listed = backend.list(events_rt, namespace or None, field_selector=",".join(terms))
    except ApiError:
        return []
    return list(listed.get("items") or [])


def _sort_time(event: Obj) -> str:
    """event.SortableEvents: the series' last observation, else lastTimestamp, else eventTime."""
    series = event.get("series")
    if series:
        return _normal(series.get("lastObservedTime"))
    return _normal(event.get("lastTimestamp")) or _normal(event.get("eventTime"))


def _normal(stamp: str | None) -> str:
    """A timestamp comparable as text: MicroTime and Time to one precision."""
    if not stamp:
        return ""
    text = stamp.rstrip("Z")
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(9, '0')}"


def event_age(event: Obj, now: datetime) -> str:
    """The Age cell: `10s`, or `2m (x3 over 5m)` for a repeated event."""
    first = age(event.get("eventTime"), now) if event.get("eventTime") else age(event.get("firstTimestamp"), now)
    series = event.get("series")
    if series:
        return f"{age(series.get('lastObservedTime'), now)} (x{series.get('count', 0)} over {first})"
    if (event.get("count") or 0) > 1:
        return f"{age(event.get('lastTimestamp'), now)} (x{event['count']} over {first})"
    return first


def describe_events(events: list[Obj], w: PrefixWriter, now: datetime) -> None:
    """DescribeEvents: `Events:  <none>`, or the events oldest first in their own aligned table."""
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    w.flush()
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for event in sorted(events, key=_sort_time):
        source = (event.get("source") or {}).get("component") or event.get("reportingComponent") or ""
        message = (event.get("message") or "").strip()  # v1.33 does not prefix the involvedObject.fieldPath
        w.write(1, f"{event.get('type', '')}\t{event.get('reason', '')}\t{event_age(event, now)}\t{source}\t"
                   f"{message}\n")
