"""What the registry strategies set on create and update (pkg/registry/<group>/<kind>/strategy.go
PrepareForCreate / PrepareForUpdate, and the Service REST's IP-family initialisation).

Called by the simulated apiserver after defaulting and mutating admission, before validation.
Status fields a strategy resets are written as the v1.33 encoder writes the zero status (fields
without `omitempty` appear as 0).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..objects import deep_copy
from .qos import pod_qos_class

Obj = dict[str, Any]

# Kinds whose strategy sets metadata.generation to 1 on create and bumps it on spec changes.
GENERATION_KINDS = frozenset({
    "Pod", "PodTemplate", "ReplicationController", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet",
    "Job", "CronJob", "Ingress", "IngressClass", "NetworkPolicy", "PodDisruptionBudget",
})

_ZERO_STATUS: dict[str, Obj] = {
    "Deployment": {},
    "ReplicaSet": {"replicas": 0},
    "ReplicationController": {"replicas": 0},
    "StatefulSet": {"replicas": 0, "availableReplicas": 0},
    "DaemonSet": {"currentNumberScheduled": 0, "numberMisscheduled": 0, "desiredNumberScheduled": 0, "numberReady": 0},
    "Job": {},
    "CronJob": {},
    "Service": {"loadBalancer": {}},
    "Ingress": {"loadBalancer": {}},
    "PersistentVolumeClaim": {"phase": "Pending"},
}
_HPA_ZERO_STATUS = {"autoscaling/v1": {"currentReplicas": 0, "desiredReplicas": 0}, "autoscaling/v2": {"desiredReplicas": 0}}

SCHEDULING_GATED_MESSAGE = "Scheduling is blocked due to non-empty scheduling gates"
DEFAULT_SERVICE_IP_FAMILY = "IPv4"  # minikube's single-stack service CIDR


def _prepare_pod(pod: Obj, now: str | None) -> None:
    status: Obj = {"phase": "Pending", "qosClass": pod_qos_class(pod)}
    if (pod.get("spec") or {}).get("schedulingGates"):
        # applySchedulingGatedCondition
        status["conditions"] = [{
            "type": "PodScheduled", "status": "False", "reason": "SchedulingGated",
            "message": SCHEDULING_GATED_MESSAGE, "lastProbeTime": None, "lastTransitionTime": None,
        }]
    pod["status"] = status


def _prepare_namespace(ns: Obj, now: str | None) -> None:
    """namespaceStrategy.PrepareForCreate: status Active and the `kubernetes` finalizer."""
    ns["status"] = {"phase": "Active"}
    finalizers = ns.setdefault("spec", {}).setdefault("finalizers", [])
    if "kubernetes" not in finalizers:
        finalizers.append("kubernetes")


def _prepare_persistent_volume(pv: Obj, now: str | None) -> None:
    """persistentvolumeStrategy.PrepareForCreate: a fresh Pending status stamped with the transition time."""
    pv["status"] = {"phase": "Pending"}
    if now is not None:
        pv["status"]["lastPhaseTransitionTime"] = now


def _prepare_hpa(hpa: Obj, now: str | None) -> None:
    hpa["status"] = deep_copy(_HPA_ZERO_STATUS.get(hpa.get("apiVersion", ""), {}))


def _prepare_service(svc: Obj, now: str | None) -> None:
    """serviceStrategy.PrepareForCreate (status cleared), NormalizeClusterIPs, and initIPFamilyFields
    (pkg/registry/core/service/storage/alloc.go) for a single-stack IPv4 cluster. The ClusterIP itself
    is allocated by the simulator (see `assign_cluster_ip`)."""
    svc["status"] = {"loadBalancer": {}}
    spec = svc.setdefault("spec", {})
    if spec.get("clusterIP") and not spec.get("clusterIPs"):
        spec["clusterIPs"] = [spec["clusterIP"]]
    elif spec.get("clusterIPs") and not spec.get("clusterIP"):
        spec["clusterIP"] = spec["clusterIPs"][0]
    if spec.get("type") == "ExternalName":
        return
    headless_selectorless = spec.get("clusterIP") == "None" and not spec.get("selector")
    if spec.get("ipFamilyPolicy") is None:
        if len(spec.get("ipFamilies") or []) == 2 or len(spec.get("clusterIPs") or []) == 2:
            spec["ipFamilyPolicy"] = "RequireDualStack"
        else:
            spec["ipFamilyPolicy"] = "RequireDualStack" if headless_selectorless else "SingleStack"
    families = spec.setdefault("ipFamilies", [])
    for i, ip in enumerate(spec.get("clusterIPs") or []):
        if ip == "None":
            break
        if i >= len(families):
            families.append("IPv6" if ":" in ip else "IPv4")
    if not families:
        families.append(DEFAULT_SERVICE_IP_FAMILY)
    if headless_selectorless and len(families) < 2 and spec["ipFamilyPolicy"] != "SingleStack":
        families.append("IPv6" if families[0] == "IPv4" else "IPv4")


def assign_cluster_ip(svc: Obj, ip: str) -> Obj:
    """A copy of `svc` with its allocated ClusterIP in both `clusterIP` and `clusterIPs[0]`, as the
    allocator writes it."""
    svc = deep_copy(svc)
    spec = svc.setdefault("spec", {})
    spec["clusterIP"] = ip
    spec["clusterIPs"] = [ip, *(spec.get("clusterIPs") or [])[1:]]
    return svc


_PREPARERS: dict[str, Callable[[Obj, str | None], None]] = {
    "Pod": _prepare_pod,
    "Namespace": _prepare_namespace,
    "PersistentVolume": _prepare_persistent_volume,
    "HorizontalPodAutoscaler": _prepare_hpa,
    "Service": _prepare_service,
}


def prepare_for_create(obj: Obj, *, now: str | None = None) -> Obj:
    """`obj` (already defaulted and admitted, and owned by the request pipeline: it is changed in place and
    returned) with what the kind's strategy sets on create: `metadata.generation: 1`, the status reset to its
    zero value or initial phase, a Pod's QoS class, a Namespace's finalizer, a Service's IP family fields.
    `now` stamps PersistentVolume phase changes."""
    kind = obj.get("kind", "")
    if kind in GENERATION_KINDS:
        obj.setdefault("metadata", {})["generation"] = 1
    if kind in _ZERO_STATUS:
        obj["status"] = deep_copy(_ZERO_STATUS[kind])
    preparer = _PREPARERS.get(kind)
    if preparer is not None:
        preparer(obj, now)
    return obj


def _generation_changed(new: Obj, old: Obj) -> bool:
    if new.get("spec") != old.get("spec"):
        return True
    # Deployment annotations are copied to ReplicaSets, so their changes bump the generation too.
    annotations = [(o.get("metadata") or {}).get("annotations") or {} for o in (new, old)]
    return new.get("kind") == "Deployment" and annotations[0] != annotations[1]


def prepare_for_update(new: Obj, old: Obj) -> Obj:
    """`new` (owned by the request pipeline: changed in place and returned) with what the strategy keeps or
    sets on update: the old status (status is changed through the status subresource only), a Namespace's
    old finalizers, and the generation bumped when the spec changed."""
    kind = new.get("kind", "")
    if "status" in old:
        new["status"] = deep_copy(old["status"])
    if kind == "Namespace":
        new.setdefault("spec", {})["finalizers"] = deep_copy((old.get("spec") or {}).get("finalizers", []))
    if kind in GENERATION_KINDS:
        generation = (old.get("metadata") or {}).get("generation", 0)
        new.setdefault("metadata", {})["generation"] = generation + (1 if _generation_changed(new, old) else 0)
    return new
