"""kubectl describe for cluster and configuration objects: Nodes (with their non-terminated pods and
allocated resources), Namespaces, ConfigMaps, Secrets and ServiceAccounts.

Registered in `k8scourse.kubectl.describe.DESCRIBERS`. Translated from describe.go (describeNode,
describeNodeLease, describeNodeResource, describeNamespace, DescribeResourceQuotas, DescribeLimitRanges,
ConfigMapDescriber, describeSecret, describeServiceAccount as of v1.33).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from ...api.printing.core import node_roles
from ...api.quantity import Quantity, QuantityError, parse_quantity
from .context import Context
from .writer import (
    PrefixWriter,
    age,
    annotations_multiline,
    go_bool,
    labels_multiline,
    rfc1123z,
    taints_multiline,
)

Obj = dict[str, Any]
_HUGE_PAGES = "hugepages-"
_STANDARD = {"cpu", "memory", "ephemeral-storage", "storage", "pods"}


def _name_meta(obj: Obj, w: PrefixWriter, namespaced: bool = True) -> None:
    meta = obj.get("metadata") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    if namespaced:
        w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))


# --- nodes ------------------------------------------------------------------------------------------------


def describe_node(node: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeNode (v1.33): conditions, addresses, capacity, system info, pods and allocated resources."""
    meta, spec, status = node.get("metadata") or {}, node.get("spec") or {}, node.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Roles:\t{node_roles(node)}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    taints_multiline(w, "Taints", spec.get("taints"))
    w.write(0, f"Unschedulable:\t{go_bool(spec.get('unschedulable'))}\n")
    _lease(ctx, meta.get("name", ""), w)
    if status.get("conditions"):
        w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in status["conditions"]:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')} \t{rfc1123z(c.get('lastHeartbeatTime'))} \t"
                       f"{rfc1123z(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t{c.get('message', '')}\n")
    w.write(0, "Addresses:\n")
    for address in status.get("addresses") or []:
        w.write(1, f"{address.get('type', '')}:\t{address.get('address', '')}\n")
    for key, title in (("capacity", "Capacity"), ("allocatable", "Allocatable")):
        if status.get(key):
            w.write(0, f"{title}:\n")
            for resource in sorted(status[key]):
                w.write(0, f"  {resource}:\t{_q(status[key][resource])}\n")
    info = status.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for title, key in (("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"),
                       ("Kernel Version", "kernelVersion"), ("OS Image", "osImage"),
                       ("Operating System", "operatingSystem"), ("Architecture", "architecture"),
                       ("Container Runtime Version", "containerRuntimeVersion"),
                       ("Kubelet Version", "kubeletVersion"), ("Kube-Proxy Version", "kubeProxyVersion")):
        w.write(0, f"  {title}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{spec['providerID']}\n")
    selector = f"spec.nodeName={meta.get('name', '')},status.phase!=Succeeded,status.phase!=Failed"
    _node_resources(ctx.list("pods", None, field_selector=selector), node, ctx, w)


def _lease(ctx: Context, name: str, w: PrefixWriter) -> None:
    lease = ctx.get("leases", name, "kube-node-lease")
    if lease is None:
        w.write(0, f'Lease:\tFailed to get lease: leases.coordination.k8s.io "{name}" not found\n')
        return
    spec = lease.get("spec") or {}
    w.write(0, "Lease:\n")
    w.write(1, f"HolderIdentity:\t{spec.get('holderIdentity') or '<unset>'}\n")
    w.write(1, f"AcquireTime:\t{rfc1123z(spec['acquireTime']) if spec.get('acquireTime') else '<unset>'}\n")
    w.write(1, f"RenewTime:\t{rfc1123z(spec['renewTime']) if spec.get('renewTime') else '<unset>'}\n")


def _q(value: Any) -> Quantity | str:
    try:
        return parse_quantity(value)
    except QuantityError:
        return str(value)


def pod_totals(pod: Obj) -> tuple[dict[str, Quantity], dict[str, Quantity]]:
    """resourcehelper.PodRequests/PodLimits: containers summed, init containers as a floor, plus overhead."""
    spec = pod.get("spec") or {}
    totals: list[dict[str, Quantity]] = []
    for kind in ("requests", "limits"):
        summed: dict[str, Quantity] = {}
        for c in spec.get("containers") or []:
            _add(summed, ((c.get("resources") or {}).get(kind) or {}))
        for c in spec.get("initContainers") or []:
            values = (c.get("resources") or {}).get(kind) or {}
            if c.get("restartPolicy") == "Always":
                _add(summed, values)
                continue
            for name, raw in values.items():
                q = parse_quantity(raw)
                if name not in summed or summed[name] < q:
                    summed[name] = q
        _add(summed, spec.get("overhead") or {})
        totals.append(summed)
    return totals[0], totals[1]


def _add(into: dict[str, Quantity], values: dict[str, Any]) -> None:
    for name, raw in values.items():
        q = parse_quantity(raw)
        into[name] = into[name] + q if name in into else q


def _percent(part: Quantity | None, whole: Any, milli: bool) -> int:
    """int64(float64(part) / float64(whole) * 100), 0 when the whole is zero."""
    total = parse_quantity(whole if whole is not None else "0")
    denominator = total.milli_value() if milli else total.int_value()
    if not denominator:
        return 0
    numerator = (part.milli_value() if milli else part.int_value()) if part is not None else 0
    return int(numerator / denominator * 100)


def _node_resources(pods: list[Obj], node: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeNodeResource: each non-terminated pod's share, then the node's allocated totals."""
    status = node.get("status") or {}
    allocatable = status.get("allocatable") or status.get("capacity") or {}
    zero = parse_quantity("0")
    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    totals_req: dict[str, Quantity] = {}
    totals_lim: dict[str, Quantity] = {}
    for pod in pods:
        req, lim = pod_totals(pod)
        _add(totals_req, {k: str(v) for k, v in req.items()})
        _add(totals_lim, {k: str(v) for k, v in lim.items()})
        cells = []
        for values, resource, milli in ((req, "cpu", True), (lim, "cpu", True), (req, "memory", False),
                                        (lim, "memory", False)):
            q = values.get(resource, zero)
            cells.append(f"{q} ({_percent(q, allocatable.get(resource), milli)}%)")
        meta = pod.get("metadata") or {}
        w.write(1, f"{meta.get('namespace', '')}\t{meta.get('name', '')}\t\t{cells[0]}\t{cells[1]}\t{cells[2]}\t"
                   f"{cells[3]}\t{age(meta.get('creationTimestamp'), ctx.now)}\n")
    w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    for resource, milli in (("cpu", True), ("memory", False), ("ephemeral-storage", False)):
        req, lim = totals_req.get(resource, zero), totals_lim.get(resource, zero)
        w.write(1, f"{resource}\t{req} ({_percent(req, allocatable.get(resource), milli)}%)\t"
                   f"{lim} ({_percent(lim, allocatable.get(resource), milli)}%)\n")
    for resource in sorted(r for r in allocatable if r.startswith(_HUGE_PAGES)):
        req, lim = totals_req.get(resource, zero), totals_lim.get(resource, zero)
        w.write(1, f"{resource}\t{req} ({_percent(req, allocatable[resource], False)}%)\t"
                   f"{lim} ({_percent(lim, allocatable[resource], False)}%)\n")
    for resource in sorted(r for r in allocatable if not r.startswith(_HUGE_PAGES) and not _standard(r)):
        w.write(1, f"{resource}\t{totals_req.get(resource, zero)}\t{totals_lim.get(resource, zero)}\n")


def _standard(resource: str) -> bool:
    """IsStandardContainerResourceName (plus pods, which describe leaves out as well)."""
    return resource in _STANDARD or resource.startswith("requests.") or resource.startswith("limits.")


# --- namespaces ---------------------------------------------------------------------------------------------


def describe_namespace(ns: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeNamespace: status, conditions, then the resource quotas and limit ranges in it."""
    name = (ns.get("metadata") or {}).get("name", "")
    _name_meta(ns, w, namespaced=False)
    status = ns.get("status") or {}
    w.write(0, f"Status:\t{status.get('phase', '')}\n")
    if status.get("conditions"):
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t------------------\t------\t-------\n")
        for c in status["conditions"]:
            w.write(1, f"{c.get('type', '')}\t{c.get('status', '')}\t{rfc1123z(c.get('lastTransitionTime'))}\t"
                       f"{c.get('reason', '')}\t{c.get('message', '')}\n")
    w.write(0, "\n")
    _quotas(ctx.list("resourcequotas", name), w)
    w.write(0, "\n")
    _limit_ranges(ctx.list("limitranges", name), w)


def _quotas(quotas: list[Obj], w: PrefixWriter) -> None:
    """DescribeResourceQuotas."""
    if not quotas:
        w.write(0, "No resource quota.\n")
        return
    w.write(0, "Resource Quotas\n")
    for q in sorted(quotas, key=lambda q: q["metadata"]["name"]):
        w.write(1, f"Name:\t{q['metadata']['name']}\n")
        scopes = sorted((q.get("spec") or {}).get("scopes") or [])
        if scopes:
            w.write(1, f"Scopes:\t{', '.join(scopes)}\n")
        w.write(1, "Resource\tUsed\tHard\n")
        w.write(1, "--------\t---\t---\n")
        hard = (q.get("status") or {}).get("hard") or {}
        used = (q.get("status") or {}).get("used") or {}
        for resource in sorted(hard):
            w.write(1, f"{resource}\t{_q(used.get(resource, '0'))}\t{_q(hard[resource])}\n")


def _limit_ranges(ranges: list[Obj], w: PrefixWriter) -> None:
    """DescribeLimitRanges."""
    if not ranges:
        w.write(0, "No LimitRange resource.\n")
        return
    w.write(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
    w.write(0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
    for limit_range in ranges:
        for item in (limit_range.get("spec") or {}).get("limits") or []:
            keys = ("min", "max", "defaultRequest", "default", "maxLimitRequestRatio")
            names = sorted({name for key in keys for name in (item.get(key) or {})})
            for name in names:
                values = [str(_q((item.get(key) or {})[name])) if name in (item.get(key) or {}) else "-"
                          for key in keys]
                w.write(0, f" {item.get('type', '')}\t{name}\t" + "\t".join(values) + "\n")


# --- configuration ---------------------------------------------------------------------------------------------


def describe_config_map(cm: Obj, ctx: Context, w: PrefixWriter) -> None:
    """ConfigMapDescriber: every key with its value, then the binary keys with their sizes."""
    _name_meta(cm, w)
    w.write(0, "\nData\n====\n")
    data = cm.get("data") or {}
    for key in sorted(data):
        w.write(0, f"{key}:\n----\n")
        w.write(0, f"{data[key]}\n")
        w.write(0, "\n")
    w.write(0, "\nBinaryData\n====\n")
    binary = cm.get("binaryData") or {}
    for key in sorted(binary):
        w.write(0, f"{key}: {len(_decoded(binary[key]))} bytes\n")
    w.write(0, "\n")


def _decoded(value: str) -> bytes:
    try:
        return base64.b64decode(value or "", validate=False)
    except (binascii.Error, ValueError):
        return (value or "").encode()


def describe_secret(secret: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeSecret: the keys and their sizes in bytes, never the values (a token excepted)."""
    _name_meta(secret, w)
    kind = secret.get("type", "")
    w.write(0, f"\nType:\t{kind}\n")
    w.write(0, "\nData\n====\n")
    data = secret.get("data") or {}
    for key in sorted(data):
        raw = _decoded(data[key])
        if key == "token" and kind == "kubernetes.io/service-account-token":
            w.write(0, f"{key}:\t{raw.decode(errors='replace')}\n")
        else:
            w.write(0, f"{key}:\t{len(raw)} bytes\n")


def describe_service_account(sa: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeServiceAccount (v1.33): image pull secrets, mountable secrets and token secrets."""
    meta = sa.get("metadata") or {}
    _name_meta(sa, w)
    secrets = ctx.list("secrets", meta.get("namespace"))
    existing = {(s.get("metadata") or {}).get("name") for s in secrets}
    tokens = [s["metadata"]["name"] for s in secrets
              if s.get("type") == "kubernetes.io/service-account-token"
              and ((s["metadata"].get("annotations") or {}).get("kubernetes.io/service-account.name")
                   == meta.get("name"))]
    sections = (("Image pull secrets:", [s.get("name", "") for s in sa.get("imagePullSecrets") or []]),
                ("Mountable secrets: ", [s.get("name", "") for s in sa.get("secrets") or []]),
                ("Tokens:            ", tokens))
    for header, names in sections:
        if not names:
            w.write(0, f"{header}\t<none>\n")
            continue
        prefix = header
        for name in names:
            missing = " (not found)" if header.startswith("Mountable") and name not in existing else ""
            w.write(0, f"{prefix}\t{name}{missing}\n")
            prefix = " " * 19
