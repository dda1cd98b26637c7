"""Streamed responses: watches (`?watch=true`) and followed pod logs (`pods/<name>/log?follow=true`).

Called by `k8scourse.serve.handler`, which hands over a `ChunkedWriter` on the client's connection. Each
stream waits on the server's change condition (notified on every store write) and takes the server's
lock only to read; it ends at `timeoutSeconds`, when the client goes away, or when the server stops.
Watch events are the `{"type", "object"}` lines kube-apiserver streams; a resourceVersion too old for
the store's history is answered, as the apiserver's watch cache answers it, by one ERROR event carrying
a 410 Expired Status.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any, Protocol

from ..api.errors import ApiError
from .request import METADATA, TABLE, Request
from .resources import _partial, watch_table
from .routes import Route

if TYPE_CHECKING:
    from .server import Server

Obj = dict[str, Any]
POLL_SECONDS = 0.25


class ChunkedWriter(Protocol):
    def start(self, content_type: str) -> None: ...

    def write(self, data: bytes) -> None: ...  # raises OSError when the client has gone

    def closed(self) -> bool: ...

    def end(self) -> None: ...


class Deadline:
    def __init__(self, seconds: float | None):
        self.at = None if not seconds else time.monotonic() + seconds

    def passed(self) -> bool:
        return self.at is not None and time.monotonic() >= self.at

    def wait_time(self) -> float:
        if self.at is None:
            return POLL_SECONDS
        return max(0.0, min(POLL_SECONDS, self.at - time.monotonic()))


def _line(event: Obj) -> bytes:
    return json.dumps(event, separators=(",", ":")).encode() + b"\n"


def watch(srv: Server, route: Route, req: Request, out: ChunkedWriter) -> None:
    """Stream the watch events of a collection until timeoutSeconds, disconnect or server stop."""
    rt = route.rt
    ns = route.namespace if rt.namespaced else None
    wants = req.wants()
    include = req.param("includeObject") or "Metadata"
    deadline = Deadline(req.int_param("timeoutSeconds"))
    try:
        with srv.lock:
            events = srv.backend.watch(rt, ns, req.param("labelSelector") or "", req.param("fieldSelector") or "",
                                       req.param("resourceVersion") or None)
    except ApiError as exc:
        if exc.code != 410:
            raise
        out.start("application/json")
        out.write(_line({"type": "ERROR", "object": exc.status}))
        out.end()
        return
    out.start("application/json")
    first = True
    while not srv.stopping and not out.closed():
        with srv.changed:
            batch = list(events)
            if not batch and not deadline.passed():
                srv.changed.wait(deadline.wait_time())
                batch = list(events)
            now = srv.backend.current_time() if wants == TABLE and batch else None
        for event in batch:
            obj = event["object"]
            if wants == TABLE:
                obj = watch_table(rt, obj, now, first, include)
                first = False
            elif wants == METADATA:
                obj = _partial(obj)
            out.write(_line({"type": event["type"], "object": obj}))
        if deadline.passed():
            break
    out.end()


def _container_done(pod: Obj, container: str | None) -> bool:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    if container is None and len(statuses) == 1:
        container = statuses[0].get("name")
    for status in statuses:
        if status.get("name") == container:
            return "running" not in (status.get("state") or {})  # exited, or waiting to be restarted
    return False


def log_options(req: Request) -> dict[str, Any]:
    since = req.int_param("sinceSeconds")
    return {"container": req.param("container") or None, "previous": req.flag("previous"),
            "timestamps": req.flag("timestamps"), "since_seconds": since}


def follow_logs(srv: Server, route: Route, req: Request, out: ChunkedWriter) -> None:
    """Stream a container's log as it grows, until the container ends or the client goes away."""
    ns, name = route.namespace or "default", route.name or ""
    options = log_options(req)
    pods = route.rt
    with srv.lock:
        first = srv.backend.logs(ns, name, tail=req.int_param("tailLines"), **options)
        sent = len(srv.backend.logs(ns, name, **options))
    out.start("text/plain")
    if first:
        out.write(first.encode())
    while not srv.stopping and not out.closed():
        with srv.changed:
            srv.changed.wait(POLL_SECONDS)
            try:
                full = srv.backend.logs(ns, name, **options)
                done = _container_done(srv.backend.get(pods, name, ns), options["container"])
            except ApiError:
                break
        if len(full) > sent:
            out.write(full[sent:].encode())
            sent = len(full)
        if done:
            break
    out.end()
