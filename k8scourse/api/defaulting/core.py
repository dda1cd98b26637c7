"""Defaults of the core/v1 kinds other than pod internals, after pkg/apis/core/v1/defaults.go and the
call order of pkg/apis/core/v1/zz_generated.defaults.go.

Called by `k8scourse.api.defaulting.apply_defaults` through `DEFAULTERS`. Each function mutates the
(already copied) object it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .pods import default_claim_spec, default_pod, default_pod_template, default_volume_source

Obj = dict[str, Any]

CLIENT_IP_TIMEOUT_SECONDS = 10800  # v1.DefaultClientIPServiceAffinitySeconds (three hours)
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"  # v1.LabelMetadataName


def _replication_controller(rc: Obj) -> None:
    """SetDefaults_ReplicationController: selector and labels from the template's labels, replicas 1."""
    spec = rc.setdefault("spec", {})
    template = spec.get("template")
    labels = (template or {}).get("metadata", {}).get("labels")
    if labels is not None:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        meta = rc.setdefault("metadata", {})
        if not meta.get("labels"):
            meta["labels"] = dict(labels)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    default_pod_template(template)


def _pod_template(obj: Obj) -> None:
    default_pod_template(obj.setdefault("template", {}))


def externally_accessible(spec: Obj) -> bool:
    """pkg/api/v1/service.ExternallyAccessible."""
    kind = spec.get("type")
    return kind in ("LoadBalancer", "NodePort") or (kind == "ClusterIP" and bool(spec.get("externalIPs")))


def _service(svc: Obj) -> None:
    """SetDefaults_Service."""
    spec = svc.setdefault("spec", {})
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    if spec["sessionAffinity"] == "ClientIP":
        client_ip = (spec.get("sessionAffinityConfig") or {}).get("clientIP") or {}
        if client_ip.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": CLIENT_IP_TIMEOUT_SECONDS}}
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    for port in spec.get("ports") or []:
        if not port.get("protocol"):
            port["protocol"] = "TCP"
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port")
    if externally_accessible(spec) and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec.get("internalTrafficPolicy") is None and spec["type"] in ("NodePort", "LoadBalancer", "ClusterIP"):
        spec["internalTrafficPolicy"] = "Cluster"
    if spec["type"] == "LoadBalancer":
        if spec.get("allocateLoadBalancerNodePorts") is None:
            spec["allocateLoadBalancerNodePorts"] = True
        for ingress in ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []:
            if ingress.get("ip") and ingress.get("ipMode") is None:
                ingress["ipMode"] = "VIP"


def _secret(secret: Obj) -> None:
    if not secret.get("type"):
        secret["type"] = "Opaque"


def _namespace(ns: Obj) -> None:
    """SetDefaults_Namespace (the name label) and SetDefaults_NamespaceStatus."""
    meta = ns.setdefault("metadata", {})
    if meta.get("name"):
        meta["labels"] = {**(meta.get("labels") or {}), NAMESPACE_NAME_LABEL: meta["name"]}
    status = ns.setdefault("status", {})
    if not status.get("phase"):
        status["phase"] = "Active"


def _node(node: Obj) -> None:
    """SetDefaults_NodeStatus: allocatable defaults to capacity."""
    status = node.get("status")
    if status and status.get("allocatable") is None and status.get("capacity") is not None:
        status["allocatable"] = dict(status["capacity"])


def _persistent_volume(pv: Obj) -> None:
    spec = pv.setdefault("spec", {})
    status = pv.setdefault("status", {})
    if not status.get("phase"):
        status["phase"] = "Pending"
    if not spec.get("persistentVolumeReclaimPolicy"):
        spec["persistentVolumeReclaimPolicy"] = "Retain"
    if spec.get("volumeMode") is None:
        spec["volumeMode"] = "Filesystem"
    default_volume_source(spec)


def default_claim(pvc: Obj) -> None:
    """SetDefaults_PersistentVolumeClaim (status phase) and SetDefaults_PersistentVolumeClaimSpec."""
    status = pvc.setdefault("status", {})
    if not status.get("phase"):
        status["phase"] = "Pending"
    default_claim_spec(pvc.setdefault("spec", {}))


def _endpoints(ep: Obj) -> None:
    for subset in ep.get("subsets") or []:
        for port in subset.get("ports") or []:
            if not port.get("protocol"):
                port["protocol"] = "TCP"


def _limit_range(lr: Obj) -> None:
    """SetDefaults_LimitRangeItem: for Container items, default ← max, defaultRequest ← default ← min."""
    for item in (lr.get("spec") or {}).get("limits") or []:
        if item.get("type") != "Container":
            continue
        default = item.setdefault("default", {})
        default_request = item.setdefault("defaultRequest", {})
        for key, value in (item.get("max") or {}).items():
            default.setdefault(key, value)
        for key, value in default.items():
            default_request.setdefault(key, value)
        for key, value in (item.get("min") or {}).items():
            default_request.setdefault(key, value)
        for key in ("default", "defaultRequest"):
            if not item[key]:
                del item[key]  # an empty ResourceList is omitted by the encoder


def _event(event: Obj) -> None:
    """No defaulting, but fields without `omitempty` that the encoder always writes (core/v1 Event)."""
    for key in ("firstTimestamp", "lastTimestamp", "eventTime"):
        event.setdefault(key, None)
    event.setdefault("source", {})
    event.setdefault("reportingComponent", "")
    event.setdefault("reportingInstance", "")
    event.setdefault("involvedObject", {})


DEFAULTERS: dict[str, Callable[[Obj], None]] = {
    "Pod": default_pod,
    "PodTemplate": _pod_template,
    "ReplicationController": _replication_controller,
    "Service": _service,
    "Secret": _secret,
    "Namespace": _namespace,
    "Node": _node,
    "PersistentVolume": _persistent_volume,
    "PersistentVolumeClaim": default_claim,
    "Endpoints": _endpoints,
    "LimitRange": _limit_range,
    "Event": _event,
}
