"""The ingress-nginx controller's answer: route a request by host and path over the Ingresses of its class.

Registered as the HTTP handler of the image program "ingress-nginx" (the minikube ingress addon's controller
image), so the cluster network calls it for requests reaching the controller pod (the node IP on hostPorts
80/443, or its Service). Routing follows ingress-nginx v1.12 (internal/ingress/controller/controller.go and
the nginx locations it renders): one server per host, merged over every Ingress it handles (older Ingresses
win a clash); requests whose host matches no server go to the catch-all server `_` (rules without a host,
or an Ingress with only a defaultBackend); within a server an Exact path, or a Prefix path equal to the
request path, wins, otherwise the longest matching prefix; Prefix matches whole path elements, while
ImplementationSpecific is nginx's plain string prefix. A path no location matches gets the defaultBackend of
the Ingress that defined the host, else the controller's own 404. A backend whose Service is missing or has
no ready endpoint answers 503; an endpoint that refuses the connection, 502. TLS is recorded, not
enforced: an https request for a host no TLS section covers is served with the controller's fake
certificate, and plain http to a host with TLS is redirected (308), as ingress-nginx's ssl-redirect does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...api.registry import REGISTRY
from .http import AppContext, Hop, HttpRequest, HttpResponse, http_handler

Obj = dict[str, Any]
INGRESSES = REGISTRY.resolve("ingresses")
INGRESS_CLASSES = REGISTRY.resolve("ingressclasses")
SERVICES = REGISTRY.resolve("services")
ENDPOINTS = REGISTRY.resolve("endpoints")

CONTROLLER_CLASS = "k8s.io/ingress-nginx"  # --controller-class of the minikube addon
ANNOTATION_CLASS = "nginx"  # ingressclass.IngressKey's expected value (--ingress-class default)
CLASS_ANNOTATION = "kubernetes.io/ingress.class"
CATCH_ALL = "_"
FAKE_CERTIFICATE = "Kubernetes Ingress Controller Fake Certificate"
# nginx's ngx_http_special_response.c pages; ingress-nginx runs with server_tokens off (no version)
_REASONS = {308: "Permanent Redirect", 404: "Not Found", 502: "Bad Gateway", 503: "Service Temporarily Unavailable"}


def error_page(status: int) -> str:
    """nginx's built-in error page for `status`, CRLF line ends as nginx writes them."""
    text = f"{status} {_REASONS[status]}"
    return (f"<html>\r\n<head><title>{text}</title></head>\r\n<body>\r\n<center><h1>{text}</h1></center>\r\n"
            "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")


def handles(api: Any, ingress: Obj) -> bool:
    """store.GetIngressClass with the addon's flags: `ingressClassName` must name an IngressClass of
    controller k8s.io/ingress-nginx, else the class annotation must say `nginx`, else (no class at all) the
    Ingress is taken, since the addon runs with --watch-ingress-without-class=true."""
    class_name = (ingress.get("spec") or {}).get("ingressClassName")
    if class_name is not None:
        found = api.peek(INGRESS_CLASSES, class_name)
        return found is not None and (found.get("spec") or {}).get("controller") == CONTROLLER_CLASS
    annotation = (ingress["metadata"].get("annotations") or {}).get(CLASS_ANNOTATION)
    if annotation is not None:
        return annotation == ANNOTATION_CLASS
    return True


def handled_ingresses(api: Any) -> list[Obj]:
    """The Ingresses the controller serves, oldest first (sortIngressSlice: same age, name order reversed)."""
    mine = [ing for ing in api.select(INGRESSES, None) if handles(api, ing)]
    mine.sort(key=lambda i: f"{i['metadata']['namespace']}/{i['metadata']['name']}", reverse=True)
    mine.sort(key=lambda i: i["metadata"].get("creationTimestamp", ""))
    return mine


@dataclass(frozen=True)
class Location:
    """One nginx location: an Ingress path and the backend it sends to."""

    path: str
    path_type: str
    ingress: Obj
    backend: Obj

    def matches(self, path: str) -> int:
        """How strongly the location matches `path`: 0 none, larger is better (exact beats any prefix)."""
        exact = 1 << 20
        if self.path_type == "Exact":
            return exact if path == self.path else 0
        if self.path_type == "Prefix":
            prefix = self.path.rstrip("/") or "/"
            if prefix == "/":
                return 1
            if path == prefix:
                return exact - 1
            return len(prefix) + 1 if path.startswith(prefix + "/") else 0
        return len(self.path) if path.startswith(self.path) else 0  # ImplementationSpecific: nginx prefix


@dataclass
class Server:
    """One nginx server block: a host, its locations, its default backend and its TLS secret."""

    host: str
    locations: list[Location] = field(default_factory=list)
    default: tuple[Obj, Obj] | None = None  # (ingress, defaultBackend)
    tls: tuple[Obj, str] | None = None  # (ingress, secretName)

    def add(self, location: Location) -> None:
        if not any(loc.path == location.path and loc.path_type == location.path_type for loc in self.locations):
            self.locations.append(location)

    def route(self, path: str) -> Location | None:
        scored = [(loc.matches(path), -index, loc) for index, loc in enumerate(self.locations)]
        best = max(scored, default=(0, 0, None), key=lambda s: (s[0], s[1]))
        return best[2] if best[0] > 0 else None


def build_servers(ingresses: list[Obj]) -> dict[str, Server]:
    """getBackendServers/createServers: servers by host over the handled Ingresses, oldest first."""
    servers: dict[str, Server] = {CATCH_ALL: Server(CATCH_ALL)}
    for ing in ingresses:
        spec = ing.get("spec") or {}
        default = spec.get("defaultBackend")
        rules = spec.get("rules") or []
        if default and not rules and servers[CATCH_ALL].default is None:
            servers[CATCH_ALL].default = (ing, default)
        for rule in rules:
            host = rule.get("host") or CATCH_ALL
            server = servers.setdefault(host, Server(host))
            if default and host != CATCH_ALL and server.default is None:
                server.default = (ing, default)
            for http_path in (rule.get("http") or {}).get("paths") or []:
                server.add(Location(http_path.get("path") or "/", http_path.get("pathType", "ImplementationSpecific"),
                                    ing, http_path.get("backend") or {}))
        for tls in spec.get("tls") or []:
            for host in tls.get("hosts") or []:
                server = servers.get(host)
                if server is not None and server.tls is None:
                    server.tls = (ing, tls.get("secretName", ""))
    return servers


def server_for(servers: dict[str, Server], host: str) -> Server:
    """nginx server_name matching: the exact host, then a `*.domain` wildcard, then the catch-all."""
    if host in servers:
        return servers[host]
    if "." in host:
        wildcard = "*." + host.split(".", 1)[1]
        if wildcard in servers:
            return servers[wildcard]
    return servers[CATCH_ALL]


@dataclass(frozen=True)
class Route:
    """Where a request goes: the Ingress and backend chosen (None: the controller's 404), and why."""

    ingress: Obj | None
    backend: Obj | None
    detail: str
    server: Server


def route(ingresses: list[Obj], host: str, path: str) -> Route:
    """The routing decision for `host` and `path` (query string ignored) over the handled Ingresses."""
    servers = build_servers(ingresses)
    server = server_for(servers, host.split(":", 1)[0].lower())
    bare = path.split("?", 1)[0] or "/"
    location = server.route(bare)
    shown = server.host if server.host != CATCH_ALL else "*"
    if location is not None:
        return Route(location.ingress, location.backend, f"rule {shown} {location.path} ({location.path_type})",
                     server)
    if server.default is not None:
        return Route(server.default[0], server.default[1], f"defaultBackend for {shown}", server)
    return Route(None, None, f"no rule for {shown} {bare}: default backend 404", server)


def _ingress_name(ing: Obj | None) -> str:
    return f"{ing['metadata']['namespace']}/{ing['metadata']['name']}" if ing else "ingress-nginx/default-backend"


def _tls_detail(api: Any, server: Server) -> str:
    if server.tls is None:
        return f"TLS: {FAKE_CERTIFICATE}"
    ing, secret = server.tls
    namespace = ing["metadata"]["namespace"]
    if api.peek(REGISTRY.resolve("secrets"), secret, namespace) is None:
        return f"TLS: {FAKE_CERTIFICATE} (secret {namespace}/{secret} not found)"
    return f"TLS: secret {namespace}/{secret}"


def _page(ctx: AppContext, status: int, hops: tuple[Hop, ...], extra: tuple[tuple[str, str], ...] = ()
          ) -> HttpResponse:
    body = error_page(status)
    headers = (("Content-Type", "text/html"), ("Content-Length", str(len(body.encode()))), *extra)
    return HttpResponse(status, body, headers, hops, ctx.pod_name)


def _has_ready_endpoint(api: Any, namespace: str, name: str) -> bool:
    endpoints = api.peek(ENDPOINTS, name, namespace)
    return any(subset.get("addresses") for subset in (endpoints or {}).get("subsets") or [])


@http_handler("ingress-nginx")
def answer(ctx: AppContext, request: HttpRequest) -> HttpResponse:
    """What the controller pod answers on its http/https ports."""
    host = (request.header("Host") or request.host).split(":", 1)[0].lower()
    decision = route(handled_ingresses(ctx.api), host, request.path)
    detail = decision.detail
    if request.scheme == "https":
        detail += f"; {_tls_detail(ctx.api, decision.server)}"
    hops = (*ctx.hops, Hop("Ingress", _ingress_name(decision.ingress), "", detail))
    if request.scheme != "https" and decision.server.tls is not None and decision.ingress is not None:
        return _page(ctx, 308, hops, (("Location", f"https://{host}{request.path}"),))
    service = (decision.backend or {}).get("service")
    if not service:
        return _page(ctx, 404 if decision.backend is None else 503, hops)
    namespace = decision.ingress["metadata"]["namespace"] if decision.ingress else "default"
    name = service.get("name", "")
    if ctx.api.peek(SERVICES, name, namespace) is None or not _has_ready_endpoint(ctx.api, namespace, name):
        return _page(ctx, 503, hops)
    port = service.get("port") or {}
    answer_ = ctx.network.forward_to_service(namespace, name, port.get("number") or port.get("name", ""), request, hops)
    return answer_ if answer_.status else _page(ctx, 502, answer_.hops or hops)
