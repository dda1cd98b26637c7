"""Defaults of the smaller API groups: autoscaling (v2 and v1 HPA), networking/v1, storage/v1 and
discovery/v1, after pkg/apis/<group>/<version>/defaults.go.

Called by `k8scourse.api.defaulting.apply_defaults` through `DEFAULTERS`, keyed by (group, version, kind)
where the version matters (HPA v1 and v2 differ) and by (group, kind) otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..objects import deep_copy

Obj = dict[str, Any]

# pkg/apis/autoscaling/v2/defaults.go: the rules an HPA followed before `behavior` existed.
DEFAULT_SCALE_UP: Obj = {
    "stabilizationWindowSeconds": 0,
    "selectPolicy": "Max",
    "policies": [
        {"type": "Pods", "value": 4, "periodSeconds": 15},
        {"type": "Percent", "value": 100, "periodSeconds": 15},
    ],
}
# StabilizationWindowSeconds stays unset for scale-down: the controller's command-line flag decides it.
DEFAULT_SCALE_DOWN: Obj = {
    "selectPolicy": "Max",
    "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
}
DEFAULT_CPU_UTILIZATION = 80  # autoscaling.DefaultCPUUtilization


def _scaling_rules(given: Obj | None, defaults: Obj) -> Obj:
    """copyHPAScalingRules over a copy of the defaults: every field the user set wins."""
    rules = deep_copy(defaults)
    for key, value in (given or {}).items():
        if value is not None:
            rules[key] = value
    return rules


def _hpa_v2(hpa: Obj) -> None:
    """SetDefaults_HorizontalPodAutoscaler (v2): minReplicas 1, CPU at 80% when no metric is given, and
    a given `behavior` completed for both directions."""
    spec = hpa.setdefault("spec", {})
    if spec.get("minReplicas") is None:
        spec["minReplicas"] = 1
    if not spec.get("metrics"):
        spec["metrics"] = [{
            "type": "Resource",
            "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": DEFAULT_CPU_UTILIZATION}},
        }]
    behavior = spec.get("behavior")
    if behavior is not None:
        behavior["scaleUp"] = _scaling_rules(behavior.get("scaleUp"), DEFAULT_SCALE_UP)
        behavior["scaleDown"] = _scaling_rules(behavior.get("scaleDown"), DEFAULT_SCALE_DOWN)


def _hpa_v1(hpa: Obj) -> None:
    """SetDefaults_HorizontalPodAutoscaler (v1): minReplicas 1 only; the 80% target is the controller's."""
    spec = hpa.setdefault("spec", {})
    if spec.get("minReplicas") is None:
        spec["minReplicas"] = 1


def _network_policy(policy: Obj) -> None:
    """SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort."""
    spec = policy.setdefault("spec", {})
    for direction in ("ingress", "egress"):
        for rule in spec.get(direction) or []:
            for port in rule.get("ports") or []:
                if port.get("protocol") is None:
                    port["protocol"] = "TCP"
    if not spec.get("policyTypes"):
        spec["policyTypes"] = ["Ingress", "Egress"] if spec.get("egress") else ["Ingress"]


def _ingress_class(ic: Obj) -> None:
    parameters = (ic.get("spec") or {}).get("parameters")
    if parameters is not None and parameters.get("scope") is None:
        parameters["scope"] = "Cluster"


def _storage_class(sc: Obj) -> None:
    if sc.get("reclaimPolicy") is None:
        sc["reclaimPolicy"] = "Delete"
    if sc.get("volumeBindingMode") is None:
        sc["volumeBindingMode"] = "Immediate"


def _csi_driver(driver: Obj) -> None:
    """SetDefaults_CSIDriver with the v1.33 feature gates (CSIVolumeFSGroupPolicy, CSIInlineVolume and
    SELinuxMountReadWriteOncePod enabled)."""
    spec = driver.setdefault("spec", {})
    for key, value in (("attachRequired", True), ("podInfoOnMount", False), ("storageCapacity", False),
                       ("fsGroupPolicy", "ReadWriteOnceWithFSType"), ("requiresRepublish", False),
                       ("seLinuxMount", False)):
        if spec.get(key) is None:
            spec[key] = value
    if not spec.get("volumeLifecycleModes"):
        spec["volumeLifecycleModes"] = ["Persistent"]


def _endpoint_slice(slice_: Obj) -> None:
    """SetDefaults_EndpointPort; Endpoint.Conditions is a struct the encoder always writes."""
    for port in slice_.get("ports") or []:
        if port.get("name") is None:
            port["name"] = ""
        if port.get("protocol") is None:
            port["protocol"] = "TCP"
    for endpoint in slice_.get("endpoints") or []:
        endpoint.setdefault("conditions", {})


DEFAULTERS: dict[tuple[str, str], Callable[[Obj], None]] = {
    ("autoscaling/v2", "HorizontalPodAutoscaler"): _hpa_v2,
    ("autoscaling/v1", "HorizontalPodAutoscaler"): _hpa_v1,
    ("networking.k8s.io/v1", "NetworkPolicy"): _network_policy,
    ("networking.k8s.io/v1", "IngressClass"): _ingress_class,
    ("storage.k8s.io/v1", "StorageClass"): _storage_class,
    ("storage.k8s.io/v1", "CSIDriver"): _csi_driver,
    ("discovery.k8s.io/v1", "EndpointSlice"): _endpoint_slice,
}
