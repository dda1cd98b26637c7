"""Conversion of objects sent in an older served version to the version the simulator stores.

Called by the simulated apiserver after decoding. `autoscaling/v1` HorizontalPodAutoscalers are stored
and served as `autoscaling/v2`, with `targetCPUUtilizationPercentage` turned into a CPU Resource metric
as kube-apiserver's conversion does; a Secret's write-only `stringData` is merged into `data`.
"""

from __future__ import annotations

import base64
from typing import Any

from .registry import ResourceType

Obj = dict[str, Any]


def convert_to_storage_version(rt: ResourceType, obj: Obj) -> Obj:
    """Return `obj` in `rt`'s version (a new dict when something changed)."""
    if rt.kind == "Secret" and "stringData" in obj:
        obj = _merge_string_data(obj)
    if obj.get("apiVersion") == rt.api_version:
        return obj
    if rt.kind == "HorizontalPodAutoscaler" and obj.get("apiVersion") == "autoscaling/v1":
        return _hpa_v1_to_v2(obj, rt)
    return dict(obj, apiVersion=rt.api_version)


def _merge_string_data(obj: Obj) -> Obj:
    """Convert_v1_Secret_To_core_Secret: `stringData` values overwrite `data` (base64-encoded) and vanish."""
    out = dict(obj)
    string_data = out.pop("stringData") or {}
    data = dict(out.get("data") or {})
    for key, value in string_data.items():
        data[key] = base64.b64encode(str(value).encode("utf-8")).decode("ascii")
    out["data"] = data
    return out


def _hpa_v1_to_v2(obj: Obj, rt: ResourceType) -> Obj:
    out = dict(obj, apiVersion=rt.api_version)
    spec = dict(obj.get("spec") or {})
    target = spec.pop("targetCPUUtilizationPercentage", None)
    if target is not None:
        spec["metrics"] = [{
            "type": "Resource",
            "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": target}},
        }]
    out["spec"] = spec
    status = obj.get("status")
    if isinstance(status, dict):
        status = dict(status)
        current = status.pop("currentCPUUtilizationPercentage", None)
        if current is not None:
            status["currentMetrics"] = [{
                "type": "Resource",
                "resource": {"name": "cpu", "current": {"averageUtilization": current}},
            }]
        out["status"] = status
    return out
