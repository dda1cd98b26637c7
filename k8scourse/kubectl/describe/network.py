"""kubectl describe for networking: Services (with their endpoints), Endpoints and Ingresses.

Registered in `k8scourse.kubectl.describe.DESCRIBERS`. Translated from describe.go (describeService,
formatEndpointSlices, describeEndpoints, describeIngressV1, describeBackendV1, buildIngressString).
"""

from __future__ import annotations

from typing import Any

from ...api.printing.network import load_balancer_ips
from ...api.selectors import format_labels
from .context import Context
from .writer import PrefixWriter, annotations_multiline, labels_multiline, object_header

Obj = dict[str, Any]
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MAX_ENDPOINTS = 3


def _join_host_port(host: str, port: Any) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def format_endpoint_slices(slices: list[Obj], port_names: set[str] | None) -> str:
    """formatEndpointSlices: up to three ready `ip:port` pairs for the named ports, then `+ N more...`."""
    if not slices:
        return "<none>"
    shown: list[str] = []
    more, count = False, 0
    for eps in slices:
        ports = eps.get("ports") or []
        targets = [None] if not ports else [p for p in ports if port_names is None or (p.get("name") or "") in port_names]
        for port in targets:
            for endpoint in eps.get("endpoints") or []:
                if len(shown) == MAX_ENDPOINTS:
                    more = True
                if (endpoint.get("conditions") or {}).get("ready") is False:
                    continue
                address = (endpoint.get("addresses") or [""])[0]
                if not more:
                    shown.append(address if port is None else _join_host_port(address, port.get("port", 0)))
                count += 1
    text = ",".join(shown)
    return f"{text} + {count - MAX_ENDPOINTS} more..." if more else text


def _format_endpoints(endpoints: Obj | None, port_name: str) -> str:
    """The same list from a core Endpoints object, for clusters that publish no EndpointSlices."""
    if not endpoints or not endpoints.get("subsets"):
        return "<none>"
    shown: list[str] = []
    count = 0
    for subset in endpoints["subsets"]:
        for port in subset.get("ports") or []:
            if (port.get("name") or "") != port_name:
                continue
            for address in subset.get("addresses") or []:
                if len(shown) < MAX_ENDPOINTS:
                    shown.append(_join_host_port(address.get("ip", ""), port.get("port", 0)))
                count += 1
    text = ",".join(shown)
    if count > MAX_ENDPOINTS:
        return f"{text} + {count - MAX_ENDPOINTS} more..."
    return text or "<none>"


def _service_endpoints(ctx: Context, namespace: str, name: str) -> tuple[list[Obj], Obj | None]:
    slices = ctx.list("endpointslices", namespace, f"{SERVICE_NAME_LABEL}={name}")
    return slices, (None if slices else ctx.get("endpoints", name, namespace))


def describe_service(svc: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeService: type, IPs, each port with its target, node port and endpoints, affinity, policies."""
    meta, spec = svc.get("metadata") or {}, svc.get("spec") or {}
    slices, endpoints = _service_endpoints(ctx, meta.get("namespace", ""), meta.get("name", ""))
    object_header(w, meta)
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{spec.get('type', '')}\n")
    if spec.get("ipFamilyPolicy") is not None:
        w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    w.write(0, f"IP Families:\t{','.join(spec.get('ipFamilies') or []) or '<none>'}\n")
    w.write(0, f"IP:\t{spec.get('clusterIP', '')}\n")
    w.write(0, f"IPs:\t{','.join(spec.get('clusterIPs') or []) or '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(0, f"External Name:\t{spec['externalName']}\n")
    ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        w.write(0, f"LoadBalancer Ingress:\t{_ingress_string(ingress)}\n")
    for port in spec.get("ports") or []:
        name = port.get("name") or "<unset>"
        protocol = port.get("protocol", "")
        w.write(0, f"Port:\t{name}\t{port.get('port', 0)}/{protocol}\n")
        w.write(0, f"TargetPort:\t{port.get('targetPort', 0)}/{protocol}\n")
        if port.get("appProtocol") is not None:
            w.write(0, f"AppProtocol:\t{port['appProtocol']}\n")
        if port.get("nodePort"):
            w.write(0, f"NodePort:\t{name}\t{port['nodePort']}/{protocol}\n")
        shown = (format_endpoint_slices(slices, {port.get("name") or ""}) if slices
                 else _format_endpoints(endpoints, port.get("name") or ""))
        w.write(0, f"Endpoints:\t{shown}\n")
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity', '')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy") is not None:
        w.write(0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n")
    if spec.get("trafficDistribution") is not None:
        w.write(0, f"Traffic Distribution:\t{spec['trafficDistribution']}\n")


def _ingress_string(ingress: list[Obj]) -> str:
    """buildIngressString: IPs (with their IP mode) or hostnames, comma-separated."""
    parts = []
    for item in ingress:
        if item.get("ip"):
            parts.append(item["ip"] + (f" ({item['ipMode']})" if item.get("ipMode") else ""))
        else:
            parts.append(item.get("hostname", ""))
    return ", ".join(parts)


def describe_endpoints(ep: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeEndpoints: each subset's ready and not-ready addresses and its ports."""
    meta = ep.get("metadata") or {}
    object_header(w, meta)
    w.write(0, "Subsets:\n")
    for subset in ep.get("subsets") or []:
        ready = ",".join(a.get("ip", "") for a in subset.get("addresses") or []) or "<none>"
        not_ready = ",".join(a.get("ip", "") for a in subset.get("notReadyAddresses") or []) or "<none>"
        w.write(1, f"Addresses:\t{ready}\n")
        w.write(1, f"NotReadyAddresses:\t{not_ready}\n")
        if subset.get("ports"):
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for port in subset["ports"]:
                w.write(2, f"{port.get('name') or '<unset>'}\t{port.get('port', 0)}\t{port.get('protocol', '')}\n")
        w.write(0, "\n")


def describe_endpoint_slice(eps: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeEndpointSliceV1: address type, ports, and each endpoint's addresses, readiness and target."""
    meta = eps.get("metadata") or {}
    object_header(w, meta)
    w.write(0, f"AddressType:\t{eps.get('addressType', '')}\n")
    ports = eps.get("ports") or []
    if not ports:
        w.write(0, "Ports: <unset>\n")
    else:
        w.write(0, "Ports:\n")
        w.write(1, "Name\tPort\tProtocol\n")
        w.write(1, "----\t----\t--------\n")
        for port in ports:
            number = port.get("port")
            w.write(1, f"{port.get('name') or '<unset>'}\t{'<unset>' if number is None else number}\t"
                       f"{port.get('protocol', '')}\n")
    endpoints = eps.get("endpoints") or []
    if not endpoints:
        w.write(0, "Endpoints: <none>\n")
        return
    w.write(0, "Endpoints:\n")
    for endpoint in endpoints:
        w.write(1, f"- Addresses:\t{', '.join(endpoint.get('addresses') or []) or '<none>'}\n")
        w.write(2, "Conditions:\n")
        ready = (endpoint.get("conditions") or {}).get("ready")
        w.write(3, f"Ready:\t{'<unset>' if ready is None else str(ready).lower()}\n")
        w.write(2, f"Hostname:\t{endpoint.get('hostname', '<unset>')}\n")
        target = endpoint.get("targetRef")
        if target is not None:
            w.write(2, f"TargetRef:\t{target.get('kind', '')}/{target.get('name', '')}\n")
        w.write(2, f"NodeName:\t{endpoint.get('nodeName', '<unset>')}\n")
        w.write(2, f"Zone:\t{endpoint.get('zone', '<unset>')}\n")


def _backend(ctx: Context, namespace: str, backend: Obj) -> str:
    """describeBackendV1: `service:port (endpoints)`, or the resource a backend names."""
    service = backend.get("service")
    if service is not None:
        port = service.get("port") or {}
        shown = f"{service.get('name', '')}:{port.get('number') or port.get('name', '')}"
        found = ctx.get("services", service.get("name", ""), namespace)
        if found is None:
            return f'{shown} (<error: services "{service.get("name", "")}" not found>)'
        port_name = ""
        for sp in (found.get("spec") or {}).get("ports") or []:
            if port.get("number") and port["number"] == sp.get("port") or port.get("name") and port["name"] == sp.get("name"):
                port_name = sp.get("name") or ""
        slices = ctx.list("endpointslices", namespace, f"{SERVICE_NAME_LABEL}={service.get('name', '')}")
        return f"{shown} ({format_endpoint_slices(slices, {port_name})})"
    resource = backend.get("resource")
    if resource is not None:
        return (f"APIGroup: {resource.get('apiGroup') or '<none>'}, Kind: {resource.get('kind', '')}, "
                f"Name: {resource.get('name', '')}")
    return ""


def describe_ingress(ing: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeIngressV1: address, class, default backend, TLS, rules with their backends."""
    meta, spec = ing.get("metadata") or {}, ing.get("spec") or {}
    namespace = meta.get("namespace", "")
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    w.write(0, f"Namespace:\t{namespace}\n")
    w.write(0, f"Address:\t{load_balancer_ips((ing.get('status') or {}).get('loadBalancer'))}\n")
    w.write(0, f"Ingress Class:\t{spec.get('ingressClassName') or '<none>'}\n")
    default = _backend(ctx, namespace, spec["defaultBackend"]) if spec.get("defaultBackend") else "<default>"
    w.write(0, f"Default backend:\t{default}\n")
    if spec.get("tls"):
        w.write(0, "TLS:\n")
        for tls in spec["tls"]:
            hosts = ",".join(tls.get("hosts") or [])
            w.write(1, f"{tls['secretName']} terminates {hosts}\n" if tls.get("secretName") else f"SNI routes {hosts}\n")
    w.write(0, "Rules:\n  Host\tPath\tBackends\n")
    w.write(1, "----\t----\t--------\n")
    count = 0
    for rule in spec.get("rules") or []:
        if rule.get("http") is None:
            continue
        count += 1
        w.write(1, f"{rule.get('host') or '*'}\t\n")
        for path in rule["http"].get("paths") or []:
            w.write(2, f"\t{path.get('path', '')} \t{_backend(ctx, namespace, path.get('backend') or {})}\n")
    if count == 0:
        w.write(1, f"*\t*\t{default}\n")
    annotations_multiline(w, "Annotations", meta.get("annotations"))
