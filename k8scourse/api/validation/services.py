"""Semantic validation of Services, Endpoints and EndpointSlices, worded as kube-apiserver words it.

Called through `k8scourse.api.validation.validate_create` / `validate_update` (the `VALIDATORS` table
below), and by the simulated service registry: `prepare_service_update` mirrors the strategy that runs
before validation, and `nodeport_range_error` / `nodeport_clash_error` word the NodePort allocator's
refusals. Rules and wording follow pkg/apis/core/validation/validation.go (ValidateService,
ValidateEndpoints), pkg/apis/discovery/validation/validation.go (EndpointSlice) and
pkg/registry/core/service (normalizeClusterIPs, dropTypeDependentFields, portallocator).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from .. import names
from ..errors import FieldError, GoString, duplicate, forbidden, invalid, not_supported, required, too_many
from ..objects import deep_copy
from . import KindValidator, Obj

PROTOCOLS = ("SCTP", "TCP", "UDP")
SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")
SESSION_AFFINITIES = ("ClientIP", "None")
TRAFFIC_POLICIES = ("Cluster", "Local")
IP_FAMILIES = ("IPv4", "IPv6")
IP_FAMILY_POLICIES = ("PreferDualStack", "RequireDualStack", "SingleStack")
MAX_CLIENT_IP_AFFINITY_SECONDS = 86400
NODEPORT_RANGE = "30000-32767"


# ---------------------------------------------------------------- shared helpers (also used by peers)


def validate_port_num(path: str, port: Any) -> list[FieldError]:
    """validation.IsValidPortNum as a field error list."""
    return [invalid(path, port, msg) for msg in names.is_valid_port_num(port)]


def validate_port_num_or_name(path: str, port: Any) -> list[FieldError]:
    """ValidatePortNumOrName: an IntOrString that is a port number or an IANA port name."""
    if isinstance(port, str):
        return [invalid(path, port, msg) for msg in names.is_valid_port_name(port)]
    return validate_port_num(path, port)


def validate_dns1123_label(path: str, value: str) -> list[FieldError]:
    return [invalid(path, value, msg) for msg in names.is_dns1123_label(value)]


def validate_qualified_name(path: str, value: str) -> list[FieldError]:
    return [invalid(path, value, msg) for msg in names.is_qualified_name(value)]


def validate_ip(path: str, value: str) -> list[FieldError]:
    """IsValidIPForLegacyField: the (sloppy) IP rule of clusterIPs, externalIPs and Endpoints addresses."""
    return [invalid(path, value, msg) for msg in names.is_valid_ip_for_legacy_field(value)]


def parse_ip_sloppy(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """netutils.ParseIPSloppy: like net.ParseIP, but IPv4 octets may carry leading zeros."""
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        parts = value.split(".")
        if len(parts) == 4 and all(p.isdigit() and len(p) <= 3 for p in parts):
            try:
                return ipaddress.ip_address(".".join(str(int(p)) for p in parts))
            except ValueError:
                return None
        return None


def validate_non_special_ip(path: str, value: str) -> list[FieldError]:
    """ValidateNonSpecialIP: no unspecified, loopback or link-local addresses (Endpoints, external IPs)."""
    ip = parse_ip_sloppy(value)
    if ip is None:
        return [invalid(path, value, "must be a valid IP address")]
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    errs: list[FieldError] = []
    if ip.is_unspecified:
        errs.append(invalid(path, value, f"may not be unspecified ({value})"))
    if ip.is_loopback:
        errs.append(invalid(path, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
    if ip.is_link_local and not ip.is_multicast:
        errs.append(invalid(path, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
    if _is_link_local_multicast(ip):
        errs.append(
            invalid(path, value, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)")
        )
    return errs


def _is_link_local_multicast(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Go's net.IP.IsLinkLocalMulticast."""
    if isinstance(ip, ipaddress.IPv4Address):
        return ip in ipaddress.ip_network("224.0.0.0/24")
    return ip.packed[0] == 0xFF and ip.packed[1] & 0x0F == 0x02


def nodeport_range_error(path: str, value: int, port_range: str = NODEPORT_RANGE) -> FieldError:
    """The NodePort allocator's refusal of a port outside the range (portallocator.ErrNotInRange)."""
    detail = f"provided port is not in the valid range. The range of valid ports is {port_range}"
    return invalid(path, value, detail)


def nodeport_clash_error(path: str, value: int) -> FieldError:
    """The NodePort allocator's refusal of a port another Service holds (portallocator.ErrAllocated)."""
    return invalid(path, value, "provided port is already allocated")


# ---------------------------------------------------------------- Service


def _spec(obj: Obj) -> dict[str, Any]:
    return obj.get("spec") or {}


def _cluster_ips(spec: dict[str, Any]) -> list[str]:
    return list(spec.get("clusterIPs") or [])


def is_headless(spec: dict[str, Any]) -> bool:
    ips = _cluster_ips(spec)
    return len(ips) == 1 and ips[0] == "None"


def externally_accessible(spec: dict[str, Any]) -> bool:
    """apiservice.ExternallyAccessible."""
    t = spec.get("type")
    return t in ("LoadBalancer", "NodePort") or (t == "ClusterIP" and bool(spec.get("externalIPs")))


def _needs_health_check(spec: dict[str, Any]) -> bool:
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"


def _normalize_cluster_ips(new: dict[str, Any], old: dict[str, Any] | None) -> None:
    """normalizeClusterIPs (service strategy): keep `clusterIP` and `clusterIPs` in step."""
    ip, ips = new.get("clusterIP") or "", _cluster_ips(new)
    if old is None:
        if ip and not ips:
            new["clusterIPs"] = [ip]
        return
    old_ip, old_ips = old.get("clusterIP") or "", _cluster_ips(old)
    if old_ips and not ips and old_ip == ip:
        new["clusterIPs"] = ips = old_ips
    if old_ip != ip:
        if old_ip and not ip:
            if ips == old_ips:
                new.pop("clusterIPs", None)
        elif ips == old_ips:
            new["clusterIPs"] = [ip]


def _drop_type_dependent_fields(new: dict[str, Any], old: dict[str, Any]) -> None:
    """dropTypeDependentFields: a type change wipes what the old type needed and the user left alone."""
    if old.get("type") != "ExternalName" and new.get("type") == "ExternalName":
        if _cluster_ips(new) == _cluster_ips(old) and new.get("clusterIP") == old.get("clusterIP"):
            new.pop("clusterIP", None)
            new.pop("clusterIPs", None)
        for key in ("ipFamilies", "ipFamilyPolicy"):
            if new.get(key) == old.get(key):
                new.pop(key, None)
    node_port_types = ("NodePort", "LoadBalancer")
    if old.get("type") in node_port_types and new.get("type") not in node_port_types:
        if [p.get("nodePort") for p in new.get("ports") or []] == [p.get("nodePort") for p in old.get("ports") or []]:
            for port in new.get("ports") or []:
                port.pop("nodePort", None)
        if new.get("healthCheckNodePort") == old.get("healthCheckNodePort"):
            new.pop("healthCheckNodePort", None)
    if old.get("type") == "LoadBalancer" and new.get("type") != "LoadBalancer":
        for key in ("allocateLoadBalancerNodePorts", "loadBalancerClass"):
            if key in new and new.get(key) == old.get(key):
                new.pop(key)
    if externally_accessible(old) and not externally_accessible(new):
        if new.get("externalTrafficPolicy") == old.get("externalTrafficPolicy"):
            new.pop("externalTrafficPolicy", None)


def prepare_service_update(new: Obj, old: Obj | None) -> Obj:
    """What the service strategy does to a Service before validating it (in place; returns `new`).

    Syncs `clusterIP` with `clusterIPs` and, on update, wipes the fields a type change leaves behind
    (cluster IPs when turning into ExternalName, node ports when leaving NodePort/LoadBalancer).
    """
    spec = new.setdefault("spec", {})
    old_spec = _spec(old) if old is not None else None
    if old_spec is not None:
        _drop_type_dependent_fields(spec, old_spec)
    _normalize_cluster_ips(spec, old_spec)
    return new


def _validate_type_specific(spec: dict[str, Any]) -> list[FieldError]:
    t = spec.get("type")
    if t in ("LoadBalancer", "NodePort") and is_headless(spec):
        return [invalid("spec.clusterIPs[0]", "None", f"may not be set to 'None' for {t} services")]
    if t != "ExternalName":
        return []
    errs: list[FieldError] = []
    for key in ("clusterIPs", "ipFamilies"):
        if spec.get(key):
            errs.append(forbidden(f"spec.{key}", "may not be set for ExternalName services"))
    if spec.get("ipFamilyPolicy") is not None:
        errs.append(forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"))
    cname = (spec.get("externalName") or "").removesuffix(".")
    if cname:
        errs += [invalid("spec.externalName", cname, m) for m in names.is_dns1123_subdomain(cname)]
    else:
        errs.append(required("spec.externalName"))
    return errs


def _validate_service_port(port: dict[str, Any], require_name: bool, seen: set[str], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = port.get("name") or ""
    if require_name and not name:
        errs.append(required(f"{path}.name"))
    elif name:
        errs += validate_dns1123_label(f"{path}.name", name)
        if name in seen:
            errs.append(duplicate(f"{path}.name", name))
        seen.add(name)
    errs += validate_port_num(f"{path}.port", port.get("port", 0))
    protocol = port.get("protocol") or ""
    if not protocol:
        errs.append(required(f"{path}.protocol"))
    elif protocol not in PROTOCOLS:
        errs.append(not_supported(f"{path}.protocol", protocol, PROTOCOLS))
    if "targetPort" in port:
        errs += validate_port_num_or_name(f"{path}.targetPort", port["targetPort"])
    if port.get("appProtocol") is not None:
        errs += validate_qualified_name(f"{path}.appProtocol", port["appProtocol"])
    return errs


def _validate_session_affinity(spec: dict[str, Any]) -> list[FieldError]:
    affinity = spec.get("sessionAffinity") or ""
    if not affinity:
        return [required("spec.sessionAffinity")]
    if affinity not in SESSION_AFFINITIES:
        return [not_supported("spec.sessionAffinity", affinity, SESSION_AFFINITIES)]
    config = spec.get("sessionAffinityConfig")
    if affinity == "None":
        if config is not None:
            return [forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None")]
        return []
    why = "when session affinity type is ClientIP"
    if config is None:
        return [required("spec.sessionAffinityConfig", why)]
    if config.get("clientIP") is None:
        return [required("spec.sessionAffinityConfig.clientIP", why)]
    timeout = config["clientIP"].get("timeoutSeconds")
    path = "spec.sessionAffinityConfig.clientIP.timeoutSeconds"
    if timeout is None:
        return [required(path, why)]
    if timeout <= 0 or timeout > MAX_CLIENT_IP_AFFINITY_SECONDS:
        return [invalid(path, timeout, f"must be greater than 0 and less than {MAX_CLIENT_IP_AFFINITY_SECONDS}")]
    return []


def _validate_cluster_ips(spec: dict[str, Any]) -> list[FieldError]:
    """ValidateServiceClusterIPsRelatedFields."""
    if spec.get("type") == "ExternalName":
        return []
    errs: list[FieldError] = []
    ip, ips = spec.get("clusterIP") or "", _cluster_ips(spec)
    if ip:
        if not ips:
            errs.append(required("spec.clusterIPs"))
        elif ips[0] != ip:
            errs.append(invalid("spec.clusterIPs", ips, "first value must match `clusterIP`"))
    elif ips:
        errs.append(invalid("spec.clusterIPs", ips, "must be empty when `clusterIP` is not specified"))
    families = list(spec.get("ipFamilies") or [])
    for i, family in enumerate(families):
        if family not in IP_FAMILIES:
            errs.append(not_supported(f"spec.ipFamilies[{i}]", family, IP_FAMILIES))
        if family in families[:i]:
            errs.append(duplicate(f"spec.ipFamilies[{i}]", family))
    policy = spec.get("ipFamilyPolicy")
    if policy is not None and policy not in IP_FAMILY_POLICIES:
        errs.append(not_supported("spec.ipFamilyPolicy", policy, IP_FAMILY_POLICIES))
    bad_ips = False
    for i, value in enumerate(ips):
        if i == 0 and value == "None":
            if len(ips) > 1:
                bad_ips = True
                errs.append(invalid("spec.clusterIPs", ips, "'None' must be the first and only value"))
            continue
        ip_errs = validate_ip(f"spec.clusterIPs[{i}]", value)
        bad_ips = bad_ips or bool(ip_errs)
        errs += ip_errs
    if len(ips) > 2:
        errs.append(invalid("spec.clusterIPs", ips, "may only hold up to 2 values"))
    if bad_ips:
        return errs
    if len(ips) > 1 and len({parse_ip_sloppy(v).version for v in ips}) != len(ips):  # type: ignore[union-attr]
        errs.append(invalid("spec.clusterIPs", ips, "may specify no more than one IP for each IP family"))
    if not is_headless(spec):
        for i, (value, family) in enumerate(zip(ips, families, strict=False)):
            v6 = parse_ip_sloppy(value).version == 6  # type: ignore[union-attr]
            if family == "IPv4" and v6:
                errs.append(invalid(f"spec.clusterIPs[{i}]", value, f"expected an IPv4 value as indicated by `ipFamilies[{i}]`"))
            if family == "IPv6" and not v6:
                errs.append(invalid(f"spec.clusterIPs[{i}]", value, f"expected an IPv6 value as indicated by `ipFamilies[{i}]`"))
    return errs


def _validate_external_ips(spec: dict[str, Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, value in enumerate(spec.get("externalIPs") or []):
        path = f"spec.externalIPs[{i}]"
        errs += validate_ip(path, value) or validate_non_special_ip(path, value)
    return errs


def _validate_duplicate_ports(ports: list[dict[str, Any]]) -> list[FieldError]:
    errs: list[FieldError] = []
    node_ports: set[tuple[str, int]] = set()
    for i, port in enumerate(ports):
        node_port = port.get("nodePort") or 0
        if node_port:
            key = (port.get("protocol") or "", node_port)
            if key in node_ports:
                errs.append(duplicate(f"spec.ports[{i}].nodePort", node_port))
            node_ports.add(key)
    seen: set[tuple[str, int]] = set()
    for i, port in enumerate(ports):
        key = (port.get("protocol") or "", port.get("port") or 0)
        if key in seen:
            errs.append(duplicate(f"spec.ports[{i}]", _go_service_port(*key)))
        seen.add(key)
    return errs


def _go_service_port(protocol: str, port: int) -> GoString:
    """How Go's %#v prints the core.ServicePort key of a duplicate port."""
    return GoString(
        f'core.ServicePort{{Name:"", Protocol:"{protocol}", AppProtocol:(*string)(nil), Port:{port}, '
        "TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"
    )


def validate_cidr(path: str, value: str) -> list[FieldError]:
    """IsValidCIDRForLegacyField with the StrictIPCIDRValidation gate off (v1.33's default)."""
    address, _, bits = value.partition("/")
    if parse_ip_sloppy(address) is not None and bits.isdigit():
        try:
            ipaddress.ip_network(f"{parse_ip_sloppy(address)}/{int(bits)}", strict=False)
            return []
        except ValueError:
            pass
    return [invalid(path, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")]


def _validate_load_balancer_fields(spec: dict[str, Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    is_lb = spec.get("type") == "LoadBalancer"
    lb_only = "may only be used when `type` is 'LoadBalancer'"
    ranges = spec.get("loadBalancerSourceRanges") or []
    if ranges and not is_lb:
        errs.append(forbidden("spec.LoadBalancerSourceRanges", lb_only))
    for i, value in enumerate(ranges):
        errs += validate_cidr(f"spec.LoadBalancerSourceRanges[{i}]", value.strip())
    if spec.get("allocateLoadBalancerNodePorts") is not None and not is_lb:
        errs.append(forbidden("spec.allocateLoadBalancerNodePorts", lb_only))
    if is_lb and spec.get("allocateLoadBalancerNodePorts") is None:
        errs.append(required("allocateLoadBalancerNodePorts"))
    lb_class = spec.get("loadBalancerClass")
    if lb_class is not None:
        errs += validate_qualified_name("spec.loadBalancerClass", lb_class) if is_lb else [
            forbidden("spec.loadBalancerClass", lb_only)
        ]
    return errs


def _validate_traffic_policies(spec: dict[str, Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    etp = spec.get("externalTrafficPolicy") or ""
    if not externally_accessible(spec):
        if etp:
            errs.append(invalid("spec.externalTrafficPolicy", etp, "may only be set for externally-accessible services"))
    elif not etp:
        errs.append(required("spec.externalTrafficPolicy"))
    elif etp not in TRAFFIC_POLICIES:
        errs.append(not_supported("spec.externalTrafficPolicy", etp, TRAFFIC_POLICIES))
    hc = spec.get("healthCheckNodePort") or 0
    if not _needs_health_check(spec):
        if hc:
            detail = "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"
            errs.append(invalid("spec.healthCheckNodePort", hc, detail))
    elif not hc:
        errs.append(required("spec.healthCheckNodePort"))
    else:
        errs += validate_port_num("spec.healthCheckNodePort", hc)
    itp = spec.get("internalTrafficPolicy")
    if itp is None and spec.get("type") in ("NodePort", "LoadBalancer", "ClusterIP"):
        errs.append(required("spec.internalTrafficPolicy"))
    if itp is not None and itp not in TRAFFIC_POLICIES:
        errs.append(not_supported("spec.internalTrafficPolicy", itp, TRAFFIC_POLICIES))
    distribution = spec.get("trafficDistribution")
    if distribution is not None and distribution != "PreferClose":
        errs.append(not_supported("spec.trafficDistribution", distribution, ["PreferClose"]))
    return errs


def _validate_service(obj: Obj) -> list[FieldError]:
    """ValidateService, minus the metadata rules validated elsewhere."""
    spec = _spec(obj)
    ports = list(spec.get("ports") or [])
    errs: list[FieldError] = []
    if not ports and not is_headless(spec) and spec.get("type") != "ExternalName":
        errs.append(required("spec.ports"))
    errs += _validate_type_specific(spec)
    seen: set[str] = set()
    for i, port in enumerate(ports):
        errs += _validate_service_port(port, len(ports) > 1, seen, f"spec.ports[{i}]")
    if spec.get("selector") is not None:
        errs += names.validate_labels(spec["selector"], "spec.selector")
    errs += _validate_session_affinity(spec)
    errs += _validate_cluster_ips(spec)
    errs += _validate_external_ips(spec)
    service_type = spec.get("type") or ""
    if not service_type:
        errs.append(required("spec.type"))
    elif service_type not in SERVICE_TYPES:
        errs.append(not_supported("spec.type", service_type, SERVICE_TYPES))
    if service_type == "ClusterIP":
        for i, port in enumerate(ports):
            if port.get("nodePort"):
                errs.append(forbidden(f"spec.ports[{i}].nodePort", "may not be used when `type` is 'ClusterIP'"))
    errs += _validate_duplicate_ports(ports)
    errs += _validate_load_balancer_fields(spec)
    errs += _validate_traffic_policies(spec)
    return errs


def _validate_cluster_ip_change(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """validateUpgradeDowngradeClusterIPs: the primary cluster IP never changes once set."""
    if "ExternalName" in (new.get("type"), old.get("type")):
        return []
    if is_headless(new) and is_headless(old):
        return []
    new_ips, old_ips = _cluster_ips(new), _cluster_ips(old)
    changed = "may not change once set"
    errs: list[FieldError] = []
    if len(old_ips) == len(new_ips):
        errs += [invalid(f"spec.clusterIPs[{i}]", new_ips, changed) for i, ip in enumerate(old_ips) if ip != new_ips[i]]
    elif len(old_ips) > len(new_ips):
        if not new_ips:
            errs.append(invalid("spec.clusterIPs[0]", _go_string_slice(new.get("clusterIPs")), "primary clusterIP can not be unset"))
        elif new_ips[0] != old_ips[0]:
            errs.append(invalid("spec.clusterIPs[0]", new_ips, changed))
        if len(new_ips) == 1 and new.get("ipFamilyPolicy") != "SingleStack":
            detail = "must be set to 'SingleStack' when releasing the secondary clusterIP"
            errs.append(invalid("spec.ipFamilyPolicy", new.get("ipFamilyPolicy"), detail))
    elif old_ips and new_ips[0] != old_ips[0]:
        errs.append(invalid("spec.clusterIPs[0]", new_ips, changed))
    return errs


def _go_string_slice(value: list[str] | None) -> Any:
    """A []string as Go's %#v prints it, `[]string(nil)` included."""
    return GoString("[]string(nil)") if value is None else value


def _validate_load_balancer_class_change(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    both_lb = new.get("type") == old.get("type") == "LoadBalancer"
    if both_lb and new.get("loadBalancerClass") != old.get("loadBalancerClass"):
        return [invalid("spec.loadBalancerClass", new.get("loadBalancerClass"), "may not change once set")]
    return []


def _validate_health_check_change(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    if _needs_health_check(new) and _needs_health_check(old):
        if new.get("healthCheckNodePort") != old.get("healthCheckNodePort"):
            return [forbidden("spec.healthCheckNodePort", "field is immutable")]
    return []


def validate_service_create(obj: Obj) -> list[FieldError]:
    """ValidateServiceCreate (after the strategy's clusterIP normalisation)."""
    return _validate_service(prepare_service_update(deep_copy(obj), None))


def validate_service_update(new: Obj, old: Obj) -> list[FieldError]:
    """ValidateServiceUpdate: immutable cluster IPs, loadBalancerClass and health-check port, then ValidateService."""
    new = prepare_service_update(deep_copy(new), old)
    spec, old_spec = _spec(new), _spec(old)
    errs = _validate_cluster_ip_change(spec, old_spec)
    errs += _validate_load_balancer_class_change(spec, old_spec)
    errs += _validate_health_check_change(spec, old_spec)
    return errs + _validate_service(new)


# ---------------------------------------------------------------- Endpoints


def _validate_endpoint_address(address: dict[str, Any], path: str) -> list[FieldError]:
    ip = address.get("ip") or ""
    errs = validate_ip(f"{path}.ip", ip)
    if address.get("hostname"):
        errs += validate_dns1123_label(f"{path}.hostname", address["hostname"])
    node_name = address.get("nodeName")
    if node_name is not None:
        errs += [invalid(f"{path}.nodeName", node_name, m) for m in names.is_dns1123_subdomain(node_name)]
    return errs + validate_non_special_ip(f"{path}.ip", ip)


def _validate_endpoint_port(port: dict[str, Any], require_name: bool, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = port.get("name") or ""
    if require_name and not name:
        errs.append(required(f"{path}.name"))
    elif name:
        errs += validate_dns1123_label(f"{path}.name", name)
    errs += validate_port_num(f"{path}.port", port.get("port", 0))
    protocol = port.get("protocol") or ""
    if not protocol:
        errs.append(required(f"{path}.protocol"))
    elif protocol not in PROTOCOLS:
        errs.append(not_supported(f"{path}.protocol", protocol, PROTOCOLS))
    if port.get("appProtocol") is not None:
        errs += validate_qualified_name(f"{path}.appProtocol", port["appProtocol"])
    return errs


def validate_endpoints(obj: Obj) -> list[FieldError]:
    """ValidateEndpoints: every subset has addresses; addresses are usable IPs; ports are valid."""
    errs: list[FieldError] = []
    for i, subset in enumerate(obj.get("subsets") or []):
        path = f"subsets[{i}]"
        if not subset.get("addresses") and not subset.get("notReadyAddresses"):
            errs.append(required(path, "must specify `addresses` or `notReadyAddresses`"))
        for key in ("addresses", "notReadyAddresses"):
            for j, address in enumerate(subset.get(key) or []):
                errs += _validate_endpoint_address(address, f"{path}.{key}[{j}]")
        ports = subset.get("ports") or []
        for j, port in enumerate(ports):
            errs += _validate_endpoint_port(port, len(ports) > 1, f"{path}.ports[{j}]")
    return errs


# ---------------------------------------------------------------- EndpointSlice

ADDRESS_TYPES = ("FQDN", "IPv4", "IPv6")
MAX_SLICE_ENDPOINTS, MAX_SLICE_ADDRESSES, MAX_SLICE_PORTS = 1000, 100, 100


def _validate_slice_address(address_type: str, address: str, path: str) -> list[FieldError]:
    if address_type in ("IPv4", "IPv6"):
        ip = parse_ip_sloppy(address)
        want = 4 if address_type == "IPv4" else 6
        if ip is None or ip.version != want:
            return [invalid(path, address, f"must be a valid {address_type} address")]
        return validate_non_special_ip(path, address)
    if address_type == "FQDN":
        return [invalid(path, address, m) for m in names.is_dns1123_subdomain(address)]
    return []


def _validate_slice_endpoints(obj: Obj) -> list[FieldError]:
    endpoints = obj.get("endpoints") or []
    if len(endpoints) > MAX_SLICE_ENDPOINTS:
        return [too_many("endpoints", len(endpoints), MAX_SLICE_ENDPOINTS)]
    errs: list[FieldError] = []
    for i, endpoint in enumerate(endpoints):
        addresses = endpoint.get("addresses") or []
        path = f"endpoints[{i}].addresses"
        if not addresses:
            errs.append(required(path, "must contain at least 1 address"))
        elif len(addresses) > MAX_SLICE_ADDRESSES:
            errs.append(too_many(path, len(addresses), MAX_SLICE_ADDRESSES))
        for j, address in enumerate(addresses):
            errs += _validate_slice_address(obj.get("addressType") or "", address, f"{path}[{j}]")
        if endpoint.get("hostname") is not None:
            errs += validate_dns1123_label(f"endpoints[{i}].hostname", endpoint["hostname"])
    return errs


def _validate_slice_ports(obj: Obj) -> list[FieldError]:
    ports = obj.get("ports") or []
    if len(ports) > MAX_SLICE_PORTS:
        return [too_many("ports", len(ports), MAX_SLICE_PORTS)]
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, port in enumerate(ports):
        name = port.get("name") or ""
        if name:
            errs += validate_dns1123_label(f"ports[{i}].name", name)
        if name in seen:
            errs.append(duplicate(f"ports[{i}].name", name))
        seen.add(name)
        protocol = port.get("protocol")
        if protocol is None:
            errs.append(required(f"ports[{i}].protocol"))
        elif protocol not in PROTOCOLS:
            errs.append(not_supported(f"ports[{i}].protocol", protocol, PROTOCOLS))
        if port.get("appProtocol") is not None:
            errs += validate_qualified_name(f"ports[{i}].appProtocol", port["appProtocol"])
    return errs


def validate_endpoint_slice(obj: Obj) -> list[FieldError]:
    """ValidateEndpointSliceCreate: address type, endpoints (addresses of that type) and ports."""
    errs: list[FieldError] = []
    address_type = obj.get("addressType") or ""
    if not address_type:
        errs.append(required("addressType"))
    elif address_type not in ADDRESS_TYPES:
        errs.append(not_supported("addressType", address_type, ADDRESS_TYPES))
    return errs + _validate_slice_endpoints(obj) + _validate_slice_ports(obj)


def validate_endpoint_slice_update(new: Obj, old: Obj) -> list[FieldError]:
    """ValidateEndpointSliceUpdate: the create rules, and `addressType` is immutable."""
    errs = validate_endpoint_slice(new)
    if new.get("addressType") != old.get("addressType"):
        errs.append(invalid("addressType", new.get("addressType"), "field is immutable"))
    return errs


VALIDATORS: dict[str, KindValidator] = {
    "Service": KindValidator(validate_service_create, validate_service_update),
    "Endpoints": KindValidator(validate_endpoints),
    "EndpointSlice": KindValidator(validate_endpoint_slice, validate_endpoint_slice_update),
}
