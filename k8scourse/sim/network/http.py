"""HTTP as the simulated cluster carries it: requests, responses, the hops a request took, and app handlers.

Used by the cluster network (`network.py`), which delivers a request to a container and asks the handler
registered for the container's image program to answer it; by the app answers (`apps.py`, the ingress
controller in `ingress.py`); by the pod tools (curl, wget); and by notebooks, which display a response
with the path it took (client → NodePort → Service → Pod).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from ..images.catalogue import ImageSpec
    from .network import ClusterNetwork

DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class HttpRequest:
    """One request: `url` as a client writes it (`http://web/`, `web:8080/x`, `http://10.96.3.4/`)."""

    url: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""

    @property
    def _parts(self) -> Any:
        return urlsplit(self.url if "://" in self.url else f"http://{self.url}")

    @property
    def scheme(self) -> str:
        return self._parts.scheme.lower()

    @property
    def host(self) -> str:
        return (self._parts.hostname or "").lower()

    @property
    def port(self) -> int:
        try:
            port = self._parts.port
        except ValueError:
            port = None
        return port if port is not None else DEFAULT_PORTS.get(self.scheme, 80)

    @property
    def path(self) -> str:
        parts = self._parts
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    @property
    def authority(self) -> str:
        """What the Host header says: the Host header given, else host[:port] of the URL."""
        given = self.header("Host")
        if given is not None:
            return given
        shown_port = self._parts.port
        return f"{self.host}:{shown_port}" if shown_port is not None else self.host


@dataclass(frozen=True)
class Hop:
    """One step of a request's path: DNS, Ingress, NodePort, LoadBalancer, Service, Pod or HostPort."""

    kind: str
    name: str
    address: str = ""
    detail: str = ""

    def __str__(self) -> str:
        text = f"{self.kind} {self.name}"
        if self.address:
            text += f" {self.address}"
        return text + (f" ({self.detail})" if self.detail else "")


@dataclass(frozen=True)
class HttpResponse:
    """The answer, or a connection-level failure (`status` 0 and `error`), with the hops it took."""

    status: int
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    hops: tuple[Hop, ...] = ()
    served_by: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400

    @property
    def reason(self) -> str:
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return ""

    @property
    def status_line(self) -> str:
        return f"HTTP/1.1 {self.status} {self.reason}".rstrip()

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    @property
    def path(self) -> str:
        """client → NodePort default/web 192.168.49.2:30000 → Service ... → Pod ..."""
        return " → ".join(["client", *(str(h) for h in self.hops)])

    def _summary(self) -> str:
        if self.status == 0:
            return f"failed: {self.error}"
        return f"{self.status_line}" + (f", served by {self.served_by}" if self.served_by else "")

    def __repr__(self) -> str:
        lines = [self._summary(), *(f"  {'→'} {hop}" for hop in self.hops)]
        body = self.body if len(self.body) <= 2000 else self.body[:2000] + "\n…"
        return "\n".join(lines) + ("\n\n" + body.rstrip("\n") if body else "")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def _repr_html_(self) -> str:
        steps = "".join(f"<li><b>{html.escape(h.kind)}</b> {html.escape(h.name)} <code>{html.escape(h.address)}"
                        f"</code>{' — ' + html.escape(h.detail) if h.detail else ''}</li>" for h in self.hops)
        colour = "#2e7d32" if self.ok else "#c62828"
        body = html.escape(self.body if len(self.body) <= 4000 else self.body[:4000] + "\n…")
        return (f"<div><div style='color:{colour}'><b>{html.escape(self._summary())}</b></div>"
                f"<ol style='margin:4px 0'><li>client</li>{steps}</ol>"
                + (f"<pre style='max-height:20em;overflow:auto'>{body}</pre>" if body else "") + "</div>")


def failure(error: str, hops: tuple[Hop, ...] = ()) -> HttpResponse:
    """A request that got no HTTP answer: `Connection refused`, `Connection timed out`, ..."""
    return HttpResponse(0, hops=hops, error=error)


@dataclass
class AppContext:
    """What an answering container sees: the network (to call other Services), its pod and container,
    its image, the port the request came in on, and the hops so far."""

    network: ClusterNetwork
    api: Any
    pod: dict
    container: dict
    spec: ImageSpec
    port: int
    hops: tuple[Hop, ...]
    env: dict | None = None
    tag: str = ""

    @property
    def pod_name(self) -> str:
        return f"{self.pod['metadata'].get('namespace', 'default')}/{self.pod['metadata']['name']}"

    @property
    def hostname(self) -> str:
        return (self.pod.get("spec") or {}).get("hostname") or self.pod["metadata"]["name"]

    @property
    def pod_ip(self) -> str:
        return (self.pod.get("status") or {}).get("podIP", "")

    def respond(self, status: int, body: str = "", headers: tuple[tuple[str, str], ...] = ()) -> HttpResponse:
        """An answer from this container: Content-Length filled in, the hops and `served_by` set."""
        length = ("Content-Length", str(len(body.encode())))
        at = next((i + 1 for i, (k, _) in enumerate(headers) if k == "Content-Type"), len(headers))
        headers = (*headers[:at], length, *headers[at:])
        return HttpResponse(status, body, headers, self.hops, self.pod_name)


HttpHandler = Callable[[AppContext, HttpRequest], HttpResponse]
HANDLERS: dict[str, HttpHandler] = {}


def http_handler(program: str) -> Callable[[HttpHandler], HttpHandler]:
    """Register how containers whose image program is `program` answer HTTP."""

    def register(fn: HttpHandler) -> HttpHandler:
        HANDLERS[program] = fn
        return fn

    return register


def stamped(response: HttpResponse, ctx: AppContext) -> HttpResponse:
    """A handler's answer with the path so far and the answering pod, when the handler left them out."""
    return replace(response, hops=response.hops or ctx.hops, served_by=response.served_by or ctx.pod_name)
