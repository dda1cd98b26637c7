"""Semantic validation of HorizontalPodAutoscalers (autoscaling/v2 and v1), worded as kube-apiserver words it.

Called through `k8scourse.api.validation.validate_create` / `validate_update` (the `VALIDATORS` table
below). Rules and wording follow pkg/apis/autoscaling/validation/validation.go. The apiserver validates
the internal (v2-shaped) object, so an autoscaling/v1 `targetCPUUtilizationPercentage` is checked as the
Resource metric it converts to, with that metric's field path.
"""

from __future__ import annotations

from typing import Any

from .. import names
from ..errors import FieldError, GoString, forbidden, invalid, not_supported, required
from . import KindValidator, Obj
from .networking import is_valid_path_segment_name

MAX_PERIOD_SECONDS = 1800
MAX_STABILIZATION_WINDOW_SECONDS = 3600
METRIC_SOURCE_TYPES = ("ContainerResource", "External", "Object", "Pods", "Resource")
SELECT_POLICIES = ("Disabled", "Max", "Min")
POLICY_TYPES = ("Percent", "Pods")
TARGET_TYPES = ("Utilization", "Value", "AverageValue")
_SOURCE_FIELD = {
    "Object": "object",
    "Pods": "pods",
    "Resource": "resource",
    "External": "external",
    "ContainerResource": "containerResource",
}
_STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")


def _positive_quantity(value: Any) -> tuple[bool, Any]:
    """Whether a quantity is > 0, and how Go prints it (its canonical String())."""
    from ..quantity import parse_quantity

    try:
        q = parse_quantity(value)
    except ValueError:
        return False, value
    return q.value > 0, GoString(str(q))


def validate_cross_version_object_reference(ref: dict[str, Any], path: str) -> list[FieldError]:
    """ValidateCrossVersionObjectReference: `kind` and `name` set and usable in a URL path."""
    errs: list[FieldError] = []
    for key in ("kind", "name"):
        value = ref.get(key) or ""
        if not value:
            errs.append(required(f"{path}.{key}"))
        else:
            errs += [invalid(f"{path}.{key}", value, m) for m in is_valid_path_segment_name(value)]
    return errs


# ---------------------------------------------------------------- metrics


def _validate_target(target: dict[str, Any], path: str) -> list[FieldError]:
    """validateMetricTarget."""
    errs: list[FieldError] = []
    target_type = target.get("type") or ""
    if not target_type:
        errs.append(required(f"{path}.type", "must specify a metric target type"))
    if target_type not in TARGET_TYPES:
        errs.append(invalid(f"{path}.type", target_type, "must be either Utilization, Value, or AverageValue"))
    for key in ("value", "averageValue"):
        if target.get(key) is not None:
            positive, shown = _positive_quantity(target[key])
            if not positive:
                errs.append(invalid(f"{path}.{key}", shown, "must be positive"))
    utilization = target.get("averageUtilization")
    if utilization is not None and utilization < 1:
        errs.append(invalid(f"{path}.averageUtilization", utilization, "must be greater than 0"))
    return errs


def _validate_metric_identifier(metric: dict[str, Any], path: str) -> list[FieldError]:
    name = metric.get("name") or ""
    if not name:
        return [required(f"{path}.name", "must specify a metric name")]
    return [invalid(f"{path}.name", name, m) for m in is_valid_path_segment_name(name)]


def _validate_object_source(src: dict[str, Any], path: str) -> list[FieldError]:
    target = src.get("target") or {}
    errs = validate_cross_version_object_reference(src.get("describedObject") or {}, f"{path}.describedObject")
    errs += _validate_metric_identifier(src.get("metric") or {}, f"{path}.metric")
    errs += _validate_target(target, f"{path}.target")
    if target.get("value") is None and target.get("averageValue") is None:
        errs.append(required(f"{path}.target.averageValue", "must set either a target value or averageValue"))
    return errs


def _validate_external_source(src: dict[str, Any], path: str) -> list[FieldError]:
    target = src.get("target") or {}
    errs = _validate_metric_identifier(src.get("metric") or {}, f"{path}.metric")
    errs += _validate_target(target, f"{path}.target")
    has_value, has_average = target.get("value") is not None, target.get("averageValue") is not None
    if not has_value and not has_average:
        errs.append(required(f"{path}.target.averageValue", "must set either a target value for metric or a per-pod target"))
    if has_value and has_average:
        errs.append(forbidden(f"{path}.target.value", "may not set both a target value for metric and a per-pod target"))
    return errs


def _validate_pods_source(src: dict[str, Any], path: str) -> list[FieldError]:
    target = src.get("target") or {}
    errs = _validate_metric_identifier(src.get("metric") or {}, f"{path}.metric")
    errs += _validate_target(target, f"{path}.target")
    if target.get("averageValue") is None:
        errs.append(required(f"{path}.target.averageValue", "must specify a positive target averageValue"))
    return errs


def _validate_utilization_or_value(target: dict[str, Any], path: str) -> list[FieldError]:
    """Resource and ContainerResource targets: a raw average value or a utilization, not both."""
    errs = _validate_target(target, f"{path}.target")
    has_utilization = target.get("averageUtilization") is not None
    has_average = target.get("averageValue") is not None
    if not has_utilization and not has_average:
        errs.append(required(f"{path}.target.averageUtilization", "must set either a target raw value or a target utilization"))
    if has_utilization and has_average:
        errs.append(forbidden(f"{path}.target.averageValue", "may not set both a target raw value and a target utilization"))
    return errs


def _validate_container_resource_name(name: str, path: str) -> list[FieldError]:
    """ValidateContainerResourceName (core/v1 validation), for the resources a container can request."""
    errs = [invalid(path, name, m) for m in names.is_qualified_name(name)]
    if errs or "/" in name:
        return errs
    if name not in _STANDARD_CONTAINER_RESOURCES and not name.startswith("hugepages-"):
        errs.append(invalid(path, name, "must be a standard resource for containers"))
    return errs


def _validate_resource_source(src: dict[str, Any], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if not src.get("name"):
        errs.append(required(f"{path}.name", "must specify a resource name"))
    return errs + _validate_utilization_or_value(src.get("target") or {}, path)


def _validate_container_resource_source(src: dict[str, Any], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name, container = src.get("name") or "", src.get("container") or ""
    if not name:
        errs.append(required(f"{path}.name", "must specify a resource name"))
    else:
        errs += _validate_container_resource_name(name, f"{path}.name")
    if not container:
        errs.append(required(f"{path}.container", "must specify a container"))
    else:
        errs += [invalid(f"{path}.container", container, m) for m in names.is_dns1123_label(container)]
    return errs + _validate_utilization_or_value(src.get("target") or {}, path)


_SOURCE_VALIDATORS = {
    "object": _validate_object_source,
    "external": _validate_external_source,
    "pods": _validate_pods_source,
    "resource": _validate_resource_source,
    "containerResource": _validate_container_resource_source,
}


def _validate_metric(metric: dict[str, Any], path: str) -> list[FieldError]:
    """validateMetricSpec: a known type, and exactly the source that type names."""
    errs: list[FieldError] = []
    metric_type = metric.get("type") or ""
    if not metric_type:
        errs.append(required(f"{path}.type", "must specify a metric source type"))
    if metric_type not in METRIC_SOURCE_TYPES:
        errs.append(not_supported(f"{path}.type", metric_type, METRIC_SOURCE_TYPES))
    present = [f for f in _SOURCE_VALIDATORS if metric.get(f) is not None]
    if present:
        first = present[0]
        errs += _SOURCE_VALIDATORS[first](metric[first], f"{path}.{first}")
    expected = _SOURCE_FIELD.get(metric_type)
    if expected is None:
        errs.append(not_supported(f"{path}.type", metric_type, METRIC_SOURCE_TYPES))
    elif metric.get(expected) is None:
        errs.append(required(f"{path}.{expected}", "must populate information for the given metric source"))
    if len(present) != 1:
        errs += [forbidden(f"{path}.{f}", "must populate the given metric source only") for f in present if f != expected]
    return errs


def _validate_metrics(metrics: list[dict[str, Any]], min_replicas: int | None) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, metric in enumerate(metrics):
        errs += _validate_metric(metric, f"spec.metrics[{i}]")
    if min_replicas == 0 and not any(m.get("type") in ("Object", "External") for m in metrics):
        detail = "must specify at least one Object or External metric to support scaling to zero replicas"
        errs.append(forbidden("spec.metrics", detail))
    return errs


# ---------------------------------------------------------------- behavior


def _validate_policy(policy: dict[str, Any], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    policy_type = policy.get("type") or ""
    if policy_type not in POLICY_TYPES:
        errs.append(not_supported(f"{path}.type", policy_type, POLICY_TYPES))
    value, period = policy.get("value") or 0, policy.get("periodSeconds") or 0
    if value <= 0:
        errs.append(invalid(f"{path}.value", value, "must be greater than zero"))
    if period <= 0:
        errs.append(invalid(f"{path}.periodSeconds", period, "must be greater than zero"))
    if period > MAX_PERIOD_SECONDS:
        errs.append(invalid(f"{path}.periodSeconds", period, f"must be less than or equal to {MAX_PERIOD_SECONDS}"))
    return errs


def _validate_scaling_rules(rules: dict[str, Any] | None, path: str) -> list[FieldError]:
    if rules is None:
        return []
    errs: list[FieldError] = []
    window = rules.get("stabilizationWindowSeconds")
    if window is not None and window < 0:
        errs.append(invalid(f"{path}.stabilizationWindowSeconds", window, "must be greater than or equal to zero"))
    if window is not None and window > MAX_STABILIZATION_WINDOW_SECONDS:
        detail = f"must be less than or equal to {MAX_STABILIZATION_WINDOW_SECONDS}"
        errs.append(invalid(f"{path}.stabilizationWindowSeconds", window, detail))
    select = rules.get("selectPolicy")
    if select is not None and select not in SELECT_POLICIES:
        errs.append(not_supported(f"{path}.selectPolicy", select, SELECT_POLICIES))
    policies = rules.get("policies") or []
    if not policies:
        errs.append(required(f"{path}.policies", "must specify at least one Policy"))
    for i, policy in enumerate(policies):
        errs += _validate_policy(policy, f"{path}.policies[{i}]")
    return errs


# ---------------------------------------------------------------- HorizontalPodAutoscaler


def internal_metrics(obj: Obj) -> list[dict[str, Any]]:
    """The metrics the apiserver validates: v2 `metrics`, or the one a v1 CPU target converts to."""
    spec = obj.get("spec") or {}
    if "targetCPUUtilizationPercentage" in spec and spec["targetCPUUtilizationPercentage"] is not None:
        target = {"type": "Utilization", "averageUtilization": spec["targetCPUUtilizationPercentage"]}
        return [{"type": "Resource", "resource": {"name": "cpu", "target": target}}]
    return list(spec.get("metrics") or [])


def _validate_hpa_spec(obj: Obj, min_lower_bound: int) -> list[FieldError]:
    """validateHorizontalPodAutoscalerSpec."""
    spec = obj.get("spec") or {}
    errs: list[FieldError] = []
    min_replicas, max_replicas = spec.get("minReplicas"), spec.get("maxReplicas") or 0
    if min_replicas is not None and min_replicas < min_lower_bound:
        errs.append(invalid("spec.minReplicas", min_replicas, f"must be greater than or equal to {min_lower_bound}"))
    if max_replicas < 1:
        errs.append(invalid("spec.maxReplicas", max_replicas, "must be greater than 0"))
    if min_replicas is not None and max_replicas < min_replicas:
        errs.append(invalid("spec.maxReplicas", max_replicas, "must be greater than or equal to `minReplicas`"))
    errs += validate_cross_version_object_reference(spec.get("scaleTargetRef") or {}, "spec.scaleTargetRef")
    errs += _validate_metrics(internal_metrics(obj), min_replicas)
    behavior = spec.get("behavior")
    if behavior is not None:
        errs += _validate_scaling_rules(behavior.get("scaleUp"), "spec.behavior.scaleUp")
        errs += _validate_scaling_rules(behavior.get("scaleDown"), "spec.behavior.scaleDown")
    return errs


def validate_hpa(obj: Obj) -> list[FieldError]:
    """ValidateHorizontalPodAutoscaler (HPAScaleToZero is alpha and off: minReplicas is at least 1)."""
    return _validate_hpa_spec(obj, 1)


def validate_hpa_update(new: Obj, old: Obj) -> list[FieldError]:
    """ValidateHorizontalPodAutoscalerUpdate: an HPA already at minReplicas 0 may stay there."""
    lower_bound = 0 if (old.get("spec") or {}).get("minReplicas") == 0 else 1
    return _validate_hpa_spec(new, lower_bound)


VALIDATORS: dict[str, KindValidator] = {
    "HorizontalPodAutoscaler": KindValidator(validate_hpa, validate_hpa_update),
}
