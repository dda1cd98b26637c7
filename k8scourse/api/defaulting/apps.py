"""Defaults of apps/v1 workloads, after pkg/apis/apps/v1/defaults.go and its generated call order
(the kind's SetDefaults_* first, then the pod template's PodSpec defaults).

Called by `k8scourse.api.defaulting.apply_defaults` through `DEFAULTERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .core import default_claim
from .pods import default_pod_template

Obj = dict[str, Any]


def _rolling_update(strategy: Obj, defaults: dict[str, Any]) -> None:
    rolling = strategy.get("rollingUpdate")
    if rolling is None:
        rolling = strategy["rollingUpdate"] = {}
    for key, value in defaults.items():
        if rolling.get(key) is None:
            rolling[key] = value


def _defaults(spec: Obj, **values: Any) -> None:
    for key, value in values.items():
        if spec.get(key) is None:
            spec[key] = value


def _deployment(deploy: Obj) -> None:
    """SetDefaults_Deployment."""
    spec = deploy.setdefault("spec", {})
    _defaults(spec, replicas=1)
    strategy = spec.setdefault("strategy", {})
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        _rolling_update(strategy, {"maxUnavailable": "25%", "maxSurge": "25%"})
    _defaults(spec, revisionHistoryLimit=10, progressDeadlineSeconds=600)
    default_pod_template(spec.setdefault("template", {}))


def _daemon_set(ds: Obj) -> None:
    """SetDefaults_DaemonSet."""
    spec = ds.setdefault("spec", {})
    strategy = spec.setdefault("updateStrategy", {})
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        _rolling_update(strategy, {"maxUnavailable": 1, "maxSurge": 0})
    _defaults(spec, revisionHistoryLimit=10)
    default_pod_template(spec.setdefault("template", {}))


def _stateful_set(sts: Obj) -> None:
    """SetDefaults_StatefulSet, then the template and every volumeClaimTemplate (PVC defaults)."""
    spec = sts.setdefault("spec", {})
    if not spec.get("podManagementPolicy"):
        spec["podManagementPolicy"] = "OrderedReady"
    strategy = spec.setdefault("updateStrategy", {})
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
        if strategy.get("rollingUpdate") is None:
            strategy["rollingUpdate"] = {}
    if strategy["type"] == "RollingUpdate" and strategy.get("rollingUpdate") is not None:
        _defaults(strategy["rollingUpdate"], partition=0)
    retention = spec.get("persistentVolumeClaimRetentionPolicy")
    if retention is None:
        retention = spec["persistentVolumeClaimRetentionPolicy"] = {}
    for key in ("whenDeleted", "whenScaled"):
        if not retention.get(key):
            retention[key] = "Retain"
    _defaults(spec, replicas=1, revisionHistoryLimit=10)
    default_pod_template(spec.setdefault("template", {}))
    for claim in spec.get("volumeClaimTemplates") or []:
        # The stored templates carry their type and a zero creationTimestamp, as the apiserver writes them.
        claim.setdefault("apiVersion", "v1")
        claim.setdefault("kind", "PersistentVolumeClaim")
        claim.setdefault("metadata", {}).setdefault("creationTimestamp", None)
        default_claim(claim)


def _replica_set(rs: Obj) -> None:
    spec = rs.setdefault("spec", {})
    _defaults(spec, replicas=1)
    default_pod_template(spec.setdefault("template", {}))


DEFAULTERS: dict[str, Callable[[Obj], None]] = {
    "Deployment": _deployment,
    "DaemonSet": _daemon_set,
    "StatefulSet": _stateful_set,
    "ReplicaSet": _replica_set,
}
