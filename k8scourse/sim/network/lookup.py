"""Reading Services and their EndpointSlices as CoreDNS and kube-proxy watch them.

Used by `dns.py` (A records of headless Services, StatefulSet pod records) and `proxy.py` (ready endpoints
of a Service port). Read-only: stored objects are never changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...api.registry import REGISTRY

Obj = dict[str, Any]
SERVICES = REGISTRY.resolve("services")
SLICES = REGISTRY.resolve("endpointslices")
SERVICE_NAME_LABEL = "kubernetes.io/service-name"


@dataclass(frozen=True)
class Endpoint:
    """One address of a Service port: where kube-proxy sends a connection (DNAT target)."""

    ip: str
    port: int
    pod: tuple[str, str] | None  # (namespace, name) of the targetRef, when it is a Pod
    node: str = ""
    hostname: str = ""


def service(api: Any, namespace: str, name: str) -> Obj | None:
    return api.peek(SERVICES, name, namespace)


def slices(api: Any, namespace: str, name: str) -> list[Obj]:
    return api.store.with_label(SLICES.group_resource, SERVICE_NAME_LABEL, name, namespace)


def _pod_of(endpoint: Obj) -> tuple[str, str] | None:
    ref = endpoint.get("targetRef") or {}
    if ref.get("kind") != "Pod":
        return None
    return ref.get("namespace", ""), ref.get("name", "")


def ready_endpoints(api: Any, svc: Obj, port_name: str | None) -> list[Endpoint]:
    """The ready addresses of the Service's port `port_name` (None: any port; the port is then 0), in
    slice order, as kube-proxy programs them (serving-but-terminating endpoints are left out)."""
    meta = svc["metadata"]
    found: list[Endpoint] = []
    for slice_ in slices(api, meta.get("namespace", ""), meta["name"]):
        if slice_.get("addressType", "IPv4") != "IPv4":
            continue
        port = 0
        if port_name is not None:
            match = next((p for p in slice_.get("ports") or () if (p.get("name") or "") == port_name), None)
            if match is None:
                continue
            port = int(match.get("port") or 0)
        for endpoint in slice_.get("endpoints") or ():
            if (endpoint.get("conditions") or {}).get("ready") is False:
                continue
            for address in endpoint.get("addresses") or ():
                found.append(Endpoint(address, port, _pod_of(endpoint), endpoint.get("nodeName", ""),
                                      endpoint.get("hostname", "")))
    return found
