"""Rows of the networking kinds: Services, Endpoints, EndpointSlices, Ingresses and IngressClasses, as
the apiserver's printers.go prints them (`PORT(S)` as `80:30080/TCP`, `EXTERNAL-IP` `<pending>`, …).

Registered in the printer registry on import; called through `table.py`.
"""

from __future__ import annotations

from datetime import datetime

from .columns import (
    AGE,
    NAME,
    Cell,
    Column,
    Doc,
    Obj,
    age,
    field,
    integer,
    labels_string,
    list_with_more,
    name,
    register,
)

_LOAD_BALANCER_WIDTH = 16
_SPEC = "core.v1.ServiceSpec"

SERVICE_COLUMNS = (
    NAME,
    Column("Type", description=Doc(_SPEC, "type")),
    Column("Cluster-IP", description=Doc(_SPEC, "clusterIP")),
    Column("External-IP", description=Doc(_SPEC, "externalIPs")),
    Column("Port(s)", description=Doc(_SPEC, "ports")),
    AGE,
    Column("Selector", priority=1, description=Doc(_SPEC, "selector")),
)


def load_balancer_ips(status: Obj | None, wide: bool = True) -> str:
    """loadBalancerStatusStringer: sorted unique ingress IPs/hostnames, clipped to 16 bytes unless wide."""
    found = set()
    for ingress in (status or {}).get("ingress") or []:
        if ingress.get("ip"):
            found.add(ingress["ip"])
        elif ingress.get("hostname"):
            found.add(ingress["hostname"])
    text = ",".join(sorted(found))
    if not wide and len(text) > _LOAD_BALANCER_WIDTH:
        text = text[:_LOAD_BALANCER_WIDTH - 3] + "..."
    return text


def service_external_ip(obj: Obj, wide: bool = True) -> str:
    """getServiceExternalIP: externalIPs, the load balancer's addresses, `<pending>`, or `<none>`."""
    spec = obj.get("spec") or {}
    external = list(spec.get("externalIPs") or [])
    kind = spec.get("type")
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) or "<none>"
    if kind == "LoadBalancer":
        lb = load_balancer_ips(field(obj, "status", "loadBalancer"), wide)
        if external:
            return ",".join((lb.split(",") if lb else []) + external)
        return lb or "<pending>"
    if kind == "ExternalName":
        return str(spec.get("externalName", ""))
    return "<unknown>"


def service_ports(ports: list[Obj] | None) -> str:
    """makePortString: `80/TCP`, `80:30080/TCP`, comma-joined."""
    pieces = []
    for port in ports or []:
        protocol = port.get("protocol", "")
        node_port = integer(port.get("nodePort"))
        number = integer(port.get("port"))
        pieces.append(f"{number}:{node_port}/{protocol}" if node_port > 0 else f"{number}/{protocol}")
    return ",".join(pieces)


@register("", "Service", SERVICE_COLUMNS)
def service_row(obj: Obj, now: datetime) -> list[Cell]:
    cluster_ips = field(obj, "spec", "clusterIPs", default=[])
    return [name(obj), str(field(obj, "spec", "type", default="")), cluster_ips[0] if cluster_ips else "<none>",
            service_external_ip(obj), service_ports(field(obj, "spec", "ports")) or "<none>", age(obj, now),
            labels_string(field(obj, "spec", "selector"))]


ENDPOINTS_COLUMNS = (NAME, Column("Endpoints", description=Doc("core.v1.Endpoints", "subsets")), AGE)


def _join_host_port(ip: str, port: int) -> str:
    """net.JoinHostPort: IPv6 addresses in brackets."""
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def format_endpoints(obj: Obj, limit: int = 3) -> str:
    """formatEndpoints: `10.244.0.5:80,10.244.0.6:80 + 2 more...`, `<none>` without subsets."""
    subsets = obj.get("subsets") or []
    if not subsets:
        return "<none>"
    shown: list[str] = []
    count = 0
    for subset in subsets:
        addresses = subset.get("addresses") or []
        ports = subset.get("ports") or []
        if not ports:
            count += len(addresses)
            shown.extend(str(a.get("ip", "")) for a in addresses)
            continue
        for port in ports:
            count += len(addresses)
            shown.extend(_join_host_port(str(a.get("ip", "")), integer(port.get("port"))) for a in addresses)
    text = ",".join(shown[:limit])
    return f"{text} + {count - limit} more..." if len(shown) > limit else text


@register("", "Endpoints", ENDPOINTS_COLUMNS)
def endpoints_row(obj: Obj, now: datetime) -> list[Cell]:
    return [name(obj), format_endpoints(obj), age(obj, now)]


_SLICE = "discovery.v1.EndpointSlice"
ENDPOINT_SLICE_COLUMNS = (
    NAME,
    Column("AddressType", description=Doc(_SLICE, "addressType")),
    Column("Ports", description=Doc(_SLICE, "ports")),
    Column("Endpoints", description=Doc(_SLICE, "endpoints")),
    AGE,
)


def _slice_ports(ports: list[Obj] | None) -> str:
    shown = []
    for port in ports or []:
        if port.get("port") is not None:
            shown.append(str(port["port"]))
        elif port.get("name") is not None:
            shown.append(str(port["name"]))
        else:
            shown.append("*")
    return list_with_more(shown, len(shown), 3)


def _slice_endpoints(endpoints: list[Obj] | None) -> str:
    shown = [str(a) for e in endpoints or [] for a in e.get("addresses") or []]
    return list_with_more(shown, len(shown), 3)


@register("discovery.k8s.io", "EndpointSlice", ENDPOINT_SLICE_COLUMNS)
def endpoint_slice_row(obj: Obj, now: datetime) -> list[Cell]:
    return [name(obj), str(obj.get("addressType", "")), _slice_ports(obj.get("ports")),
            _slice_endpoints(obj.get("endpoints")), age(obj, now)]


INGRESS_COLUMNS = (
    NAME,
    Column("Class", description="The name of the IngressClass resource that should be used for additional configuration"),
    Column("Hosts", description="Hosts that incoming requests are matched against before the ingress rule"),
    Column("Address", description="Address is a list containing ingress points for the load-balancer"),
    Column("Ports", description="Ports of TLS configurations that open"),
    AGE,
)


def ingress_hosts(rules: list[Obj] | None, limit: int = 3) -> str:
    """formatHosts: up to three hosts, `*` when no rule names one."""
    rules = rules or []
    shown: list[str] = []
    more = False
    for rule in rules:
        if len(shown) == limit:
            more = True
        if not more and rule.get("host"):
            shown.append(rule["host"])
    if not shown:
        return "*"
    text = ",".join(shown)
    return f"{text} + {len(rules) - limit} more..." if more else text


@register("networking.k8s.io", "Ingress", INGRESS_COLUMNS)
def ingress_row(obj: Obj, now: datetime) -> list[Cell]:
    spec = obj.get("spec") or {}
    class_name = spec.get("ingressClassName")
    return [name(obj), "<none>" if class_name is None else class_name, ingress_hosts(spec.get("rules")),
            load_balancer_ips(field(obj, "status", "loadBalancer")), "80, 443" if spec.get("tls") else "80",
            age(obj, now)]


INGRESS_CLASS_COLUMNS = (
    NAME,
    Column("Controller", description="Controller that is responsible for handling this class"),
    Column("Parameters", description="A reference to a resource with additional parameters"),
    AGE,
)


@register("networking.k8s.io", "IngressClass", INGRESS_CLASS_COLUMNS)
def ingress_class_row(obj: Obj, now: datetime) -> list[Cell]:
    params = field(obj, "spec", "parameters")
    shown = "<none>"
    if params is not None:
        shown = str(params.get("kind", ""))
        if params.get("apiGroup") is not None:
            shown += "." + params["apiGroup"]
        shown += "/" + str(params.get("name", ""))
    return [name(obj), str(field(obj, "spec", "controller", default="")), shown, age(obj, now)]
