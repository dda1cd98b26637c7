"""`kubectl get --watch | --watch-only [--output-watch-events]` in a notebook: the first table, then one row
(no header) per change, as the watch delivers them.

Called by `kubectl get`. Follows staging/src/k8s.io/kubectl/pkg/cmd/get/get.go (watch): one resource type; a list
starts the watch at its resourceVersion, a named object at "0" whose synthetic ADDED event is not printed;
each event is flushed through its own tabwriter, so a row is aligned on its own, as in a terminal. A terminal
watch runs until Ctrl-C. Here, on the simulated cluster, virtual time runs until the cluster settles (or for
--request-timeout), and the rows appear with their AGE as of each change; on a real cluster the watch stops
after --request-timeout (60 s when not given).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from ..api.errors import K8sError
from ..api.registry import ResourceType
from .command import Invocation
from .render import HumanPrinter, ObjectPrinter, PrintOptions
from .tabwriter import tabwrite

Obj = dict[str, Any]
REAL_WATCH_SECONDS = 60.0  # how long a watch on a real cluster runs without --request-timeout (wall time)
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def request_timeout(text: str | None) -> float | None:
    """client-go's ParseTimeout for --request-timeout: seconds, or None for none (`0`, or not given)."""
    if not text:
        return None
    if text.isdigit():
        return float(text) or None
    pos, total = 0, 0.0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if pos != len(text):
        raise K8sError("invalid timeout value. Timeout must be a single integer in seconds, or an integer followed "
                       "by a corresponding time unit (e.g. 1s | 2m | 3h)")
    return total or None


def watch(inv: Invocation, rt: ResourceType, names: list[str], options: PrintOptions,
          printer: ObjectPrinter | None) -> None:
    """Print what `kubectl get … --watch` prints for one resource type (`printer` None: tables)."""
    if len(names) > 1:
        raise K8sError(f"watch is only supported on individual resources and resource collections, but {len(names)} "
                       "resources were found")
    timeout = request_timeout(inv.line["request-timeout"])
    name = names[0] if names else None
    namespace = (None if inv.line["all-namespaces"] else inv.namespace) if rt.namespaced else None
    labels = inv.line["selector"] or ""
    fields = f"metadata.name={name}" if name else (inv.line["field-selector"] or "")
    with_events = inv.line["output-watch-events"]
    human = HumanPrinter(options) if printer is None else None
    version = _print_current(inv, rt, name, namespace, labels, human, printer, "ADDED" if with_events else "")
    if name:
        version = "0"
    opener: Callable[..., Iterator[dict[str, Any]]] = inv.backend.watch_table if human else inv.backend.watch
    virtual = inv.backend.kind_name == "simulated"
    events = opener(rt, namespace, labels, fields, version, None if virtual else (timeout or REAL_WATCH_SECONDS))
    skip = [bool(name)]  # a watch on one object starts with a synthetic ADDED event kubectl does not print

    def drain() -> None:
        for event in events:
            if skip[0]:
                skip[0] = False
                continue
            obj = event["object"]
            shown_type = event["type"] if with_events else ""
            if human is not None:
                inv.out.write(tabwrite(human.lines(obj, shown_type)))
            else:
                inv.out.write(printer.print(_typed(rt, obj), shown_type))  # type: ignore[union-attr]

    try:
        drain()
        if virtual:
            _run_virtual_time(inv, timeout, drain)
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            close()


def _print_current(inv: Invocation, rt: ResourceType, name: str | None, namespace: str | None, labels: str,
                   human: HumanPrinter | None, printer: ObjectPrinter | None, event_type: str) -> str:
    """Get the current state as kubectl does before watching (a Table for human output, else the object or the
    List), print it unless --watch-only, and return the list's resourceVersion to watch from."""
    fields = inv.line["field-selector"] or ""
    show = not inv.line["watch-only"]
    if human is not None:
        table = inv.backend.table(rt, namespace, labels, fields, name=name)
        if show:
            inv.out.write(tabwrite(human.lines(table, event_type)))
        return str((table.get("metadata") or {}).get("resourceVersion") or "0")
    if name:
        objects, version = [inv.backend.get(rt, name, namespace)], "0"
    else:
        listed = inv.backend.list(rt, namespace, labels, fields)
        objects, version = listed["items"], str((listed.get("metadata") or {}).get("resourceVersion") or "0")
    for obj in objects if show else []:
        inv.out.write(printer.print(_typed(rt, obj), event_type))  # type: ignore[union-attr]
    return version


def _typed(rt: ResourceType, obj: Obj) -> Obj:
    return {"apiVersion": rt.api_version, "kind": rt.kind, **{k: v for k, v in obj.items()
                                                               if k not in ("apiVersion", "kind")}}


def _run_virtual_time(inv: Invocation, timeout: float | None, drain: Callable[[], None]) -> None:
    """Let simulated time run (until the cluster settles, or for --request-timeout) and print what changed."""
    if timeout is not None:
        inv.backend.advance(timeout)
        drain()
        return
    report = inv.backend.settle()
    drain()
    seconds = f"{getattr(report, 'seconds', 0):g}"
    if getattr(report, "hit_ceiling", False):
        inv.err.write(f"(watched for {seconds}s of simulated time; in a terminal kubectl keeps watching until Ctrl-C. "
                      "Run it again, or cluster.advance(seconds), to see more.)\n")
    else:
        inv.err.write(f"(the cluster settled after {seconds}s of simulated time, so the watch stops here; in a "
                      "terminal kubectl keeps watching until Ctrl-C)\n")
