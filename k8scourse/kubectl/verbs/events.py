"""`kubectl events`: the events of a namespace (or all), oldest first, as kubectl v1.33's events command prints
them (staging/src/k8s.io/kubectl/pkg/cmd/events: events.go and event_printer.go).

Registered in `k8scourse.kubectl.command.VERBS`.
"""

from __future__ import annotations

from typing import Any

from ...api.errors import K8sError
from ...api.printing.duration import since
from ..command import Invocation, verb
from ..flags import Flag
from ..tabwriter import tabwrite

Obj = dict[str, Any]
TYPES = ("Normal", "Warning")


def _event_time(event: Obj) -> str:
    """eventTime(): the series' last observation, else lastTimestamp, else eventTime."""
    series = event.get("series") or {}
    return series.get("lastObservedTime") or event.get("lastTimestamp") or event.get("eventTime") or ""


def _interval(event: Obj, now: Any) -> str:
    """getInterval: `2m`, or `10s (x3 over 2m)` for repeated events."""
    first = since(event.get("eventTime") or event.get("firstTimestamp"), now)
    series = event.get("series")
    if series:
        return f"{since(series.get('lastObservedTime'), now)} (x{series.get('count')} over {first})"
    if int(event.get("count") or 0) > 1:
        return f"{since(event.get('lastTimestamp'), now)} (x{event['count']} over {first})"
    return first


@verb("events", Flag("all-namespaces", "A", takes_value=False), Flag("for"), Flag("types", many=True),
      Flag("no-headers", takes_value=False), Flag("watch", "w", takes_value=False), Flag("output", "o", default=""),
      summary="List events")
def events(inv: Invocation) -> None:
    if inv.line["watch"]:
        raise K8sError("kubectl events --watch waits for new events on a terminal; in a notebook, run "
                       "cluster.advance(seconds) and list the events again.")
    if inv.line["output"]:
        raise K8sError("kubectl events -o is not available in the course's kubectl; use kubectl get events -o yaml")
    types = [t for spec in inv.line["types"] for t in spec.split(",") if t]
    for wanted in types:
        if wanted not in TYPES:
            raise K8sError(f"valid --types are {', '.join(TYPES)}")
    all_namespaces = inv.line["all-namespaces"]
    field_selector = ""
    if inv.line["for"]:
        kind, _, name = inv.line["for"].partition("/")
        if not name:
            raise K8sError("--for must be in resource/name form")
        rt = inv.backend.registry.resolve(kind)
        field_selector = f"involvedObject.kind={rt.kind},involvedObject.name={name}"
    rt = inv.backend.registry.resolve("events")
    items = inv.backend.list(rt, None if all_namespaces else inv.namespace, "", field_selector)["items"]
    if types:
        items = [e for e in items if e.get("type") in types]
    if not items:
        inv.err.write("No events found.\n" if all_namespaces else f"No events found in {inv.namespace} namespace.\n")
        return
    items.sort(key=lambda e: (_event_time(e), e["metadata"].get("namespace", ""), e["metadata"]["name"]))
    now = inv.backend.current_time()
    rows: list[list[str]] = []
    if not inv.line["no-headers"]:
        rows.append((["NAMESPACE"] if all_namespaces else []) + ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"])
    for e in items:
        involved = e.get("involvedObject") or {}
        row = [e["metadata"].get("namespace", "")] if all_namespaces else []
        row += [_interval(e, now), e.get("type", ""), e.get("reason", ""),
                f"{involved.get('kind', '')}/{involved.get('name', '')}", str(e.get("message", "")).strip()]
        rows.append(row)
    inv.out.write(tabwrite(rows))
