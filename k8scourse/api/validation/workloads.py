"""Semantic validation of the workload kinds: Deployment, ReplicaSet, ReplicationController,
StatefulSet, DaemonSet, Job and CronJob, worded as kube-apiserver v1.33 words it.

Called by `k8scourse.api.validation` (validate_create / validate_update) on defaulted objects, through
`VALIDATORS`. Only the kind-specific rules live here: metadata is validated by the meta module and the
pod template's own spec by `pods.validate_pod_template_spec`. Sources, translated from Go:
pkg/apis/apps/validation/validation.go, pkg/apis/batch/validation/validation.go,
pkg/apis/core/validation/validation.go (ReplicationController), the registry strategies in
pkg/registry/{apps,batch,core}/*/strategy.go (which rules run on update, selector immutability) and
github.com/robfig/cron/v3 parser.go (CronJob schedule messages).

Bad values are rendered as field.Error renders them in v1.33: Go's `%#v` for structs and nil maps
(`v1.LabelSelector{MatchLabels:map[string]string(nil), ...}`, `intstr.IntOrString{Type:0, ...}`).
"""

from __future__ import annotations

import json
import re
import zoneinfo
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import (
    OMIT,
    FieldError,
    GoString,
    duplicate,
    forbidden,
    go_value,
    invalid,
    not_supported,
    required,
    too_long,
    too_many,
)
from ..names import (
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
    is_valid_percent,
    max_len_error,
    regex_error,
    validate_annotations,
    validate_label_selector,
    validate_labels,
)
from ..selectors import LabelSelector, SelectorError, selector_from_dict, selector_from_map
from . import KindValidator
from .pods import validate_pod_specific_annotations, validate_pod_template_spec

Obj = dict[str, Any]

NEGATIVE = "must be greater than or equal to 0"
IMMUTABLE = "field is immutable"
NO_MATCH = "`selector` does not match template `labels`"
# A stand-in for the heap address Go prints for a non-nil pointer inside a %#v struct.
GO_POINTER = "0xc000a1e2d0"


# --- Go %#v rendering of bad values ---------------------------------------------------------------


def go_string_map(labels: Mapping[str, str] | None) -> Any:
    """A map[string]string as %#v prints it; a missing map is Go's nil map."""
    return GoString("map[string]string(nil)") if labels is None else dict(labels)


def _go_map_text(labels: Mapping[str, str] | None) -> str:
    value = go_string_map(labels)
    return str(value) if isinstance(value, GoString) else go_value(value)


def _go_strings(values: list[str] | None) -> str:
    return "[]string(nil)" if values is None else "[]string{" + ", ".join(json.dumps(v) for v in values) + "}"


def go_label_selector(selector: Mapping[str, Any] | None) -> Any:
    """A *metav1.LabelSelector as field.Error prints it (dereferenced, then %#v)."""
    if selector is None:
        return None
    exprs = selector.get("matchExpressions")
    if exprs is None:
        exprs_text = "[]v1.LabelSelectorRequirement(nil)"
    else:
        items = [
            f"v1.LabelSelectorRequirement{{Key:{json.dumps(e.get('key', ''))}, "
            f"Operator:{json.dumps(e.get('operator', ''))}, Values:{_go_strings(e.get('values'))}}}"
            for e in exprs
        ]
        exprs_text = "[]v1.LabelSelectorRequirement{" + ", ".join(items) + "}"
    labels_text = _go_map_text(selector.get("matchLabels"))
    return GoString(f"v1.LabelSelector{{MatchLabels:{labels_text}, MatchExpressions:{exprs_text}}}")


def go_int_or_string(value: Any) -> GoString:
    """An intstr.IntOrString value as %#v prints it."""
    if isinstance(value, str):
        return GoString(f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{json.dumps(value)}}}")
    return GoString(f"intstr.IntOrString{{Type:0, IntVal:{int(value or 0)}, StrVal:\"\"}}")


def _go_pointer(type_name: str, value: Any) -> str:
    return f"(*{type_name})(nil)" if value is None else f"(*{type_name})({GO_POINTER})"


def go_strategy(type_name: str, rolling_type: str, strategy: Mapping[str, Any]) -> GoString:
    """A strategy struct (Type plus RollingUpdate pointer) as %#v prints it."""
    rolling = _go_pointer(rolling_type, strategy.get("rollingUpdate"))
    return GoString(f"{type_name}{{Type:{json.dumps(strategy.get('type', ''))}, RollingUpdate:{rolling}}}")


def go_generic(type_name: str, value: Any) -> Any:
    """An approximate %#v for a nested struct the simulator keeps as a dict (exact Go output lists every
    zero-valued field of the internal type); scalars are rendered exactly."""
    if not isinstance(value, dict):
        return value
    parts = [f"{k[:1].upper()}{k[1:]}:{_go_generic_field(v)}" for k, v in value.items()]
    return GoString(f"{type_name}{{" + ", ".join(parts) + "}")


def _go_generic_field(value: Any) -> str:
    if isinstance(value, dict):
        return str(go_generic("", value)) if not all(isinstance(v, str) for v in value.values()) else go_value(value)
    if isinstance(value, list):
        return "[" + " ".join(_go_generic_field(v) for v in value) + "]"
    return go_value(value)


# --- shared rules ------------------------------------------------------------------------------------


def nonnegative(value: Any, path: str) -> list[FieldError]:
    """ValidateNonnegativeField."""
    return [invalid(path, value, NEGATIVE)] if isinstance(value, int) and value < 0 else []


def _optional_nonnegative(spec: Mapping[str, Any], name: str, path: str) -> list[FieldError]:
    value = spec.get(name)
    return nonnegative(value, f"{path}.{name}") if value is not None else []


def _semantic(value: Any) -> Any:
    """Drop empty maps, lists and nulls, as apimachinery's Semantic.DeepEqual equates nil and empty."""
    if isinstance(value, dict):
        cleaned = {k: _semantic(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, {}, [])}
    if isinstance(value, list):
        return [_semantic(v) for v in value]
    return value


def semantic_equal(a: Any, b: Any) -> bool:
    return _semantic(a) == _semantic(b)


def immutable(new: Any, old: Any, path: str, shown: Any = None) -> list[FieldError]:
    """ValidateImmutableField: the error shows the new value (`shown` renders it the Go way)."""
    if semantic_equal(new, old):
        return []
    return [invalid(path, new if shown is None else shown, IMMUTABLE)]


def label_selector_as_selector(selector: Mapping[str, Any] | None) -> LabelSelector | None:
    """metav1.LabelSelectorAsSelector, None when Go's conversion fails (a nil selector selects nothing)."""
    try:
        return selector_from_dict(selector)
    except SelectorError:
        return None


def _template_labels(template: Mapping[str, Any] | None) -> dict[str, str] | None:
    return ((template or {}).get("metadata") or {}).get("labels")


def template_match(selector: LabelSelector | None, template: Mapping[str, Any] | None,
                   path: str) -> list[FieldError]:
    """The `selector` does not match template `labels` rule (skipped for an empty selector)."""
    if selector is None or selector.empty:
        return []
    labels = _template_labels(template)
    if selector.matches(labels or {}):
        return []
    return [invalid(f"{path}.metadata.labels", go_string_map(labels), NO_MATCH)]


def _restart_policy(template: Mapping[str, Any]) -> str:
    return ((template.get("spec") or {}).get("restartPolicy")) or ""


def always_restart(template: Mapping[str, Any], kind: str, path: str) -> list[FieldError]:
    """restartPolicy must be Always and activeDeadlineSeconds unset, for long-running workloads."""
    errors: list[FieldError] = []
    policy = _restart_policy(template)
    if policy != "Always":
        errors.append(not_supported(f"{path}.spec.restartPolicy", policy, ["Always"]))
    if (template.get("spec") or {}).get("activeDeadlineSeconds") is not None:
        errors.append(forbidden(f"{path}.spec.activeDeadlineSeconds", f"activeDeadlineSeconds in {kind} is not Supported"))
    return errors


def _selector_field(spec: Mapping[str, Any], empty_kind: str, path: str) -> list[FieldError]:
    """selector required, strictly valid, and not empty ("empty selector is invalid for <kind>")."""
    selector = spec.get("selector")
    if selector is None:
        return [required(f"{path}.selector")]
    errors = validate_label_selector(selector, f"{path}.selector")
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        errors.append(invalid(f"{path}.selector", go_label_selector(selector), f"empty selector is invalid for {empty_kind}"))
    return errors


def _template_for_replicas(spec: Mapping[str, Any], kind: str, path: str) -> list[FieldError]:
    """ValidatePodTemplateSpecForReplicaSet, after LabelSelectorAsSelector (Deployment, ReplicaSet)."""
    selector = label_selector_as_selector(spec.get("selector"))
    if selector is None:
        return [invalid(f"{path}.selector", go_label_selector(spec.get("selector")), "invalid label selector")]
    template = spec.get("template") or {}  # a struct, not a pointer, in Go: never "Required"
    tpath = f"{path}.template"
    errors = template_match(selector, template, tpath)
    errors += validate_pod_template_spec(template, tpath)
    return errors + always_restart(template, kind, tpath)


def _selector_update(new: Obj, old: Obj) -> list[FieldError]:
    """apps/v1 strategies: spec.selector may not change after creation."""
    new_sel, old_sel = new.get("spec", {}).get("selector"), old.get("spec", {}).get("selector")
    return immutable(new_sel, old_sel, "spec.selector", go_label_selector(new_sel))


# --- int-or-percent (rolling updates) -------------------------------------------------------------


def _percent_value(value: Any) -> int | None:
    if isinstance(value, str) and not is_valid_percent(value):
        return int(value[:-1])
    return None


def int_or_percent_value(value: Any) -> int:
    """getIntOrPercentValue: a percent's number, an int, or a numeric string (else 0)."""
    percent = _percent_value(value)
    if percent is not None:
        return percent
    if isinstance(value, str):
        return int(value) if re.fullmatch(r"[+-]?[0-9]+", value) else 0
    return int(value or 0)


def positive_int_or_percent(value: Any, path: str) -> list[FieldError]:
    """ValidatePositiveIntOrPercent."""
    if isinstance(value, str):
        return [invalid(path, go_int_or_string(value), m) for m in is_valid_percent(value)]
    if isinstance(value, int) and value < 0:
        return [invalid(path, go_int_or_string(value), NEGATIVE)]
    return []


def not_more_than_100_percent(value: Any, path: str) -> list[FieldError]:
    percent = _percent_value(value)
    if percent is None or percent <= 100:
        return []
    return [invalid(path, go_int_or_string(value), "must not be greater than 100%")]


# --- Deployment and ReplicaSet ---------------------------------------------------------------------


def _rolling_update_deployment(rolling: Mapping[str, Any], path: str) -> list[FieldError]:
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    errors = positive_int_or_percent(unavailable, f"{path}.maxUnavailable")
    errors += positive_int_or_percent(surge, f"{path}.maxSurge")
    if int_or_percent_value(unavailable) == 0 and int_or_percent_value(surge) == 0:
        errors.append(invalid(f"{path}.maxUnavailable", go_int_or_string(unavailable), "may not be 0 when `maxSurge` is 0"))
    return errors + not_more_than_100_percent(unavailable, f"{path}.maxUnavailable")


def _deployment_strategy(strategy: Mapping[str, Any], path: str) -> list[FieldError]:
    kind, rolling = strategy.get("type", ""), strategy.get("rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            return [forbidden(f"{path}.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'")]
        return []
    if kind == "RollingUpdate":
        if rolling is None:
            return [required(f"{path}.rollingUpdate", "this should be defaulted and never be nil")]
        return _rolling_update_deployment(rolling, f"{path}.rollingUpdate")
    shown = go_strategy("apps.DeploymentStrategy", "apps.RollingUpdateDeployment", strategy)
    return [not_supported(path, shown, ["Recreate", "RollingUpdate"])]


def validate_deployment_spec(spec: Mapping[str, Any], path: str = "spec") -> list[FieldError]:
    """ValidateDeploymentSpec."""
    errors = nonnegative(spec.get("replicas", 0), f"{path}.replicas")
    errors += _selector_field(spec, "deployment", path)
    errors += _template_for_replicas(spec, "ReplicaSet", path)
    errors += _deployment_strategy(spec.get("strategy") or {}, f"{path}.strategy")
    min_ready = spec.get("minReadySeconds", 0)
    errors += nonnegative(min_ready, f"{path}.minReadySeconds")
    errors += _optional_nonnegative(spec, "revisionHistoryLimit", path)
    deadline = spec.get("progressDeadlineSeconds")
    if deadline is not None:
        errors += nonnegative(deadline, f"{path}.progressDeadlineSeconds")
        if deadline <= min_ready:
            errors.append(invalid(f"{path}.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"))
    return errors


def validate_replica_set_spec(spec: Mapping[str, Any], path: str = "spec") -> list[FieldError]:
    """ValidateReplicaSetSpec (its empty-selector message says "deployment", as Go's does)."""
    errors = nonnegative(spec.get("replicas", 0), f"{path}.replicas")
    errors += nonnegative(spec.get("minReadySeconds", 0), f"{path}.minReadySeconds")
    errors += _selector_field(spec, "deployment", path)
    return errors + _template_for_replicas(spec, "ReplicaSet", path)


def _deployment_update(new: Obj, old: Obj) -> list[FieldError]:
    return validate_deployment_spec(new.get("spec", {})) + _selector_update(new, old)


def _replica_set_update(new: Obj, old: Obj) -> list[FieldError]:
    spec = new.get("spec", {})
    return validate_replica_set_spec(spec) + validate_replica_set_spec(spec) + _selector_update(new, old)


# --- ReplicationController -----------------------------------------------------------------------


def validate_replication_controller_spec(spec: Mapping[str, Any], path: str = "spec") -> list[FieldError]:
    """ValidateReplicationControllerSpec and ValidatePodTemplateSpecForRC."""
    selector = spec.get("selector") or {}
    errors = nonnegative(spec.get("minReadySeconds", 0), f"{path}.minReadySeconds")
    if not selector:
        errors.append(required(f"{path}.selector"))
    errors += nonnegative(spec.get("replicas", 0), f"{path}.replicas")
    template, tpath = spec.get("template"), f"{path}.template"
    if template is None:
        return errors + [required(tpath)]
    errors += template_match(selector_from_map(selector, empty_matches_nothing=False), template, tpath)
    errors += validate_pod_template_spec(template, tpath)
    return errors + always_restart(template, "ReplicationController", tpath)


def _rc_update(new: Obj, old: Obj) -> list[FieldError]:
    spec = new.get("spec", {})
    return validate_replication_controller_spec(spec) + validate_replication_controller_spec(spec)


# --- StatefulSet -----------------------------------------------------------------------------------

_STS_MUTABLE = ("replicas", "template", "updateStrategy", "minReadySeconds", "ordinals",
                "persistentVolumeClaimRetentionPolicy")
_STS_FORBIDDEN = ("updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                  "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")


def _sts_update_strategy(strategy: Mapping[str, Any], path: str) -> list[FieldError]:
    kind, rolling = strategy.get("type", ""), strategy.get("rollingUpdate")
    if kind == "":
        return [required(path)]
    if kind == "OnDelete":
        if rolling is None:
            return []
        shown = GoString(f"apps.RollingUpdateStatefulSetStrategy{{Partition:{int(rolling.get('partition') or 0)}, "
                         f"MaxUnavailable:{_go_pointer('intstr.IntOrString', rolling.get('maxUnavailable'))}}}")
        return [invalid(f"{path}.rollingUpdate", shown, "only allowed for updateStrategy 'RollingUpdate'")]
    if kind == "RollingUpdate":
        return nonnegative((rolling or {}).get("partition", 0), f"{path}.rollingUpdate.partition")
    shown = go_strategy("apps.StatefulSetUpdateStrategy", "apps.RollingUpdateStatefulSetStrategy", strategy)
    return [invalid(path, shown, "must be 'RollingUpdate' or 'OnDelete'")]


def _pvc_retention_policy(policy: Mapping[str, Any] | None, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for name in ("whenDeleted", "whenScaled"):
        if policy is not None and policy.get(name, "") not in ("Retain", "Delete"):
            errors.append(not_supported(f"{path}.{name}", policy.get(name, ""), ["Retain", "Delete"]))
    return errors


def _sts_template(spec: Mapping[str, Any], path: str) -> list[FieldError]:
    """ValidatePodTemplateSpecForStatefulSet: selector match, labels and annotations only (v1.33 does not
    validate a StatefulSet's pod spec until the controller creates the pods)."""
    selector = label_selector_as_selector(spec.get("selector"))
    if selector is None:
        return [invalid(f"{path}.selector", go_label_selector(spec.get("selector")), "")]
    template = spec.get("template") or {}
    tpath = f"{path}.template"
    meta = template.get("metadata") or {}
    errors = template_match(selector, template, tpath)
    errors += validate_labels(meta.get("labels"), f"{tpath}.labels")
    errors += validate_annotations(meta.get("annotations"), f"{tpath}.annotations")
    return errors + validate_pod_specific_annotations(meta.get("annotations"), f"{tpath}.annotations")


def validate_stateful_set_spec(spec: Mapping[str, Any], path: str = "spec") -> list[FieldError]:
    """ValidateStatefulSetSpec."""
    errors: list[FieldError] = []
    policy = spec.get("podManagementPolicy", "")
    if policy == "":
        errors.append(required(f"{path}.podManagementPolicy"))
    elif policy not in ("OrderedReady", "Parallel"):
        errors.append(invalid(f"{path}.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'"))
    errors += _sts_update_strategy(spec.get("updateStrategy") or {}, f"{path}.updateStrategy")
    errors += _pvc_retention_policy(spec.get("persistentVolumeClaimRetentionPolicy"),
                                    f"{path}.persistentVolumeClaimRetentionPolicy")
    errors += nonnegative(spec.get("replicas", 0), f"{path}.replicas")
    errors += nonnegative(spec.get("minReadySeconds", 0), f"{path}.minReadySeconds")
    if spec.get("ordinals") is not None:
        errors += nonnegative(spec["ordinals"].get("start", 0), f"{path}.ordinals.start")
    errors += _selector_field(spec, "statefulset", path)
    errors += _sts_template(spec, path)
    return errors + always_restart(spec.get("template") or {}, "StatefulSet", f"{path}.template")


def _sts_update(new: Obj, old: Obj) -> list[FieldError]:
    new_spec, old_spec = new.get("spec", {}), old.get("spec", {})
    errors = validate_stateful_set_spec(new_spec)
    strip = lambda s: {k: v for k, v in s.items() if k not in _STS_MUTABLE}  # noqa: E731
    if not semantic_equal(strip(new_spec), strip(old_spec)):
        errors.append(forbidden("spec", _STS_FORBIDDEN))
    return errors


# --- DaemonSet -------------------------------------------------------------------------------------


def _rolling_update_daemon_set(rolling: Mapping[str, Any], path: str) -> list[FieldError]:
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    errors = positive_int_or_percent(unavailable, f"{path}.maxUnavailable")
    errors += positive_int_or_percent(surge, f"{path}.maxSurge")
    errors += not_more_than_100_percent(unavailable, f"{path}.maxUnavailable")
    errors += not_more_than_100_percent(surge, f"{path}.maxSurge")
    has_unavailable, has_surge = int_or_percent_value(unavailable) != 0, int_or_percent_value(surge) != 0
    if has_unavailable and has_surge:
        errors.append(invalid(f"{path}.maxSurge", go_int_or_string(surge), "may not be set when maxUnavailable is non-zero"))
    elif not has_unavailable and not has_surge:
        errors.append(required(f"{path}.maxUnavailable", "cannot be 0 when maxSurge is 0"))
    return errors


def _daemon_set_strategy(strategy: Mapping[str, Any], path: str) -> list[FieldError]:
    kind = strategy.get("type", "")
    if kind == "OnDelete":
        return []
    if kind == "RollingUpdate":
        if strategy.get("rollingUpdate") is None:
            return [required(f"{path}.rollingUpdate")]
        return _rolling_update_daemon_set(strategy["rollingUpdate"], f"{path}.rollingUpdate")
    shown = go_strategy("apps.DaemonSetUpdateStrategy", "apps.RollingUpdateDaemonSet", strategy)
    return [not_supported(path, shown, ["RollingUpdate", "OnDelete"])]


def validate_daemon_set_spec(spec: Mapping[str, Any], path: str = "spec") -> list[FieldError]:
    """ValidateDaemonSetSpec (a missing selector only shows as a template mismatch, as in Go)."""
    sel = spec.get("selector")
    errors = validate_label_selector(sel, f"{path}.selector")
    selector = label_selector_as_selector(sel)
    template = spec.get("template") or {}
    if selector is not None:
        errors += template_match(selector, template, f"{path}.template")
    if sel is not None and not sel.get("matchLabels") and not sel.get("matchExpressions"):
        errors.append(invalid(f"{path}.selector", go_label_selector(sel), "empty selector is invalid for daemonset"))
    errors += validate_pod_template_spec(template, f"{path}.template")
    errors += always_restart(template, "DaemonSet", f"{path}.template")
    errors += nonnegative(spec.get("minReadySeconds", 0), f"{path}.minReadySeconds")
    errors += _daemon_set_strategy(spec.get("updateStrategy") or {}, f"{path}.updateStrategy")
    return errors + _optional_nonnegative(spec, "revisionHistoryLimit", path)


def _daemon_set_update(new: Obj, old: Obj) -> list[FieldError]:
    spec = new.get("spec", {})
    return validate_daemon_set_spec(spec) + validate_daemon_set_spec(spec) + _selector_update(new, old)


# --- Job -------------------------------------------------------------------------------------------

LEGACY_UID_LABEL, LEGACY_NAME_LABEL = "controller-uid", "job-name"
UID_LABEL, NAME_LABEL = "batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-name"
MAX_PARALLELISM_INDEXED = 100000
MAX_FAILED_INDEXES = 100_000
COMPLETIONS_SOFT_LIMIT = 100_000
PARALLELISM_LIMIT_HIGH_COMPLETIONS = 10_000
MAX_FAILED_INDEXES_HIGH_COMPLETIONS = 10_000
MAX_MANAGED_BY_LENGTH = 63
_HTTP_PATH_FMT = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+"


def _has_label(labels: Mapping[str, str], key: str, expected: str) -> list[FieldError]:
    """ValidateHasLabel on spec.template.metadata."""
    path = f"spec.template.metadata.labels[{key}]"
    if key not in labels:
        return [required(path, f"must be '{expected}'")]
    if labels[key] != expected:
        return [invalid(path, dict(labels), f"must be '{expected}'")]
    return []


def _generated_selector(job: Obj, require_prefixed: bool) -> list[FieldError]:
    """validateGeneratedSelector: what the apiserver generated (selector and labels, see the Job strategy's
    generateSelector) must still be there. Skipped for manualSelector: true."""
    spec, meta = job.get("spec", {}), job.get("metadata", {})
    if spec.get("manualSelector") or spec.get("selector") is None:
        return []
    uid, name = meta.get("uid", ""), meta.get("name", "")
    errors = [] if uid else [required("metadata.uid")]
    labels = _template_labels(spec.get("template")) or {}
    expected = {LEGACY_UID_LABEL: uid, LEGACY_NAME_LABEL: name}
    if require_prefixed:
        expected = {UID_LABEL: uid, NAME_LABEL: name, **expected}
    for key in (LEGACY_UID_LABEL, LEGACY_NAME_LABEL, UID_LABEL, NAME_LABEL):
        if key in expected:
            errors += _has_label(labels, key, expected[key])
    selector = label_selector_as_selector(spec["selector"])
    if selector is not None and not selector.empty and not selector.matches(expected):
        errors.append(invalid("spec.selector", go_label_selector(spec["selector"]), "`selector` not auto-generated"))
    return errors


def _is_domain_prefixed_path(value: str, path: str) -> list[FieldError]:
    """apimachinery IsDomainPrefixedPath (Job spec.managedBy)."""
    if not value:
        return [required(path)]
    host, sep, rest = value.partition("/")
    if not sep or not host or not rest:
        return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')]
    errors = [invalid(path, host, m) for m in is_dns1123_subdomain(host)]
    if not re.fullmatch(_HTTP_PATH_FMT, rest):
        errors.append(invalid(path, rest, regex_error("must be a valid path", _HTTP_PATH_FMT)))
    return errors


def _job_counts(spec: Mapping[str, Any], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for name in ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
                 "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes"):
        errors += _optional_nonnegative(spec, name, path)
        if name == "maxFailedIndexes" and spec.get(name) is not None and spec.get("backoffLimitPerIndex") is None:
            errors.append(required(f"{path}.backoffLimitPerIndex", "when maxFailedIndexes is specified"))
    managed_by = spec.get("managedBy")
    if managed_by is not None:
        errors += _is_domain_prefixed_path(managed_by, f"{path}.managedBy")
        if len(managed_by.encode()) > MAX_MANAGED_BY_LENGTH:
            errors.append(too_long(f"{path}.managedBy", MAX_MANAGED_BY_LENGTH))
    return errors


def _indexed_limits(spec: Mapping[str, Any], path: str) -> list[FieldError]:
    completions, parallelism = spec.get("completions"), spec.get("parallelism")
    max_failed, per_index = spec.get("maxFailedIndexes"), spec.get("backoffLimitPerIndex")
    errors: list[FieldError] = []
    if completions is None:
        errors.append(required(f"{path}.completions", "when completion mode is Indexed"))
    if parallelism is not None and parallelism > MAX_PARALLELISM_INDEXED:
        errors.append(invalid(f"{path}.parallelism", parallelism,
                              f"must be less than or equal to {MAX_PARALLELISM_INDEXED} when completion mode is Indexed"))
    if completions is not None and max_failed is not None and max_failed > completions:
        errors.append(invalid(f"{path}.maxFailedIndexes", max_failed, "must be less than or equal to completions"))
    if max_failed is not None and max_failed > MAX_FAILED_INDEXES:
        errors.append(invalid(f"{path}.maxFailedIndexes", max_failed, f"must be less than or equal to {MAX_FAILED_INDEXES}"))
    if completions is not None and completions > COMPLETIONS_SOFT_LIMIT and per_index is not None:
        errors += _high_completions(spec, path)
    return errors


def _high_completions(spec: Mapping[str, Any], path: str) -> list[FieldError]:
    tail = f"when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"
    parallelism, max_failed = spec.get("parallelism"), spec.get("maxFailedIndexes")
    errors: list[FieldError] = []
    if max_failed is None:
        errors.append(required(f"{path}.maxFailedIndexes", f"must be specified when completions is above {COMPLETIONS_SOFT_LIMIT}"))
    if parallelism is not None and parallelism > PARALLELISM_LIMIT_HIGH_COMPLETIONS:
        errors.append(invalid(f"{path}.parallelism", parallelism,
                              f"must be less than or equal to {PARALLELISM_LIMIT_HIGH_COMPLETIONS} {tail}"))
    if max_failed is not None and max_failed > MAX_FAILED_INDEXES_HIGH_COMPLETIONS:
        errors.append(invalid(f"{path}.maxFailedIndexes", max_failed,
                              f"must be less than or equal to {MAX_FAILED_INDEXES_HIGH_COMPLETIONS} {tail}"))
    return errors


def _completion_mode(spec: Mapping[str, Any], path: str) -> list[FieldError]:
    mode = spec.get("completionMode")
    errors: list[FieldError] = []
    if mode is not None and mode not in ("NonIndexed", "Indexed"):
        errors.append(not_supported(f"{path}.completionMode", mode, ["NonIndexed", "Indexed"]))
    if mode == "Indexed":
        errors += _indexed_limits(spec, path)
    if mode in (None, "NonIndexed"):
        for name in ("backoffLimitPerIndex", "maxFailedIndexes"):
            if spec.get(name) is not None:
                errors.append(invalid(f"{path}.{name}", spec[name], "requires indexed completion mode"))
    return errors


def _pod_replacement_policy(spec: Mapping[str, Any], path: str) -> list[FieldError]:
    policy = spec.get("podReplacementPolicy")
    if policy is None:
        return []
    allowed = ["Failed"] if spec.get("podFailurePolicy") is not None else ["Failed", "TerminatingOrFailed"]
    return [] if policy in allowed else [not_supported(f"{path}.podReplacementPolicy", policy, allowed)]


MAX_POD_FAILURE_POLICY_RULES = 20  # maxPodFailurePolicyRules
MAX_ON_EXIT_CODES_VALUES = 255  # maxPodFailurePolicyOnExitCodesValues
MAX_ON_POD_CONDITIONS_PATTERNS = 20  # maxPodFailurePolicyOnPodConditionsPatterns
_POLICY_ACTIONS = ["Count", "FailIndex", "FailJob", "Ignore"]  # supportedPodFailurePolicyActions, sorted
_EXIT_CODE_OPERATORS = ["In", "NotIn"]
_CONDITION_STATUSES = ["False", "True", "Unknown"]


def _go_quoted_list(values: list[str]) -> str:
    """%q of a []string: `["In" "NotIn"]`."""
    return "[" + " ".join(json.dumps(v) for v in values) + "]"


def _go_int32s(values: Any) -> GoString:
    """%#v of a []int32."""
    if values is None:
        return GoString("[]int32(nil)")
    return GoString("[]int32{" + ", ".join(str(v) for v in values) + "}")


def _pod_failure_policy(spec: Mapping[str, Any], path: str) -> list[FieldError]:
    """validatePodFailurePolicy."""
    rules = (spec.get("podFailurePolicy") or {}).get("rules") or []
    rules_path = f"{path}.rules"
    errors: list[FieldError] = []
    if len(rules) > MAX_POD_FAILURE_POLICY_RULES:
        errors.append(too_many(rules_path, len(rules), MAX_POD_FAILURE_POLICY_RULES))
    pod_spec = (spec.get("template") or {}).get("spec") or {}
    names = {c.get("name") for key in ("containers", "initContainers") for c in pod_spec.get(key) or ()}
    for i, rule in enumerate(rules):
        errors += _pod_failure_policy_rule(spec, rule, f"{rules_path}[{i}]", names)
    return errors


def _pod_failure_policy_rule(spec: Mapping[str, Any], rule: Mapping[str, Any], path: str,
                             names: set[str]) -> list[FieldError]:
    """validatePodFailurePolicyRule."""
    errors: list[FieldError] = []
    action = rule.get("action") or ""
    if action == "":
        errors.append(required(f"{path}.action", f"valid values: {_go_quoted_list(_POLICY_ACTIONS)}"))
    elif action == "FailIndex":
        if spec.get("backoffLimitPerIndex") is None:
            errors.append(invalid(f"{path}.action", action, "requires the backoffLimitPerIndex to be set"))
    elif action not in _POLICY_ACTIONS:
        errors.append(not_supported(f"{path}.action", action, _POLICY_ACTIONS))
    on_exit_codes, on_conditions = rule.get("onExitCodes"), rule.get("onPodConditions") or []
    if on_exit_codes is not None:
        errors += _on_exit_codes(on_exit_codes, f"{path}.onExitCodes", names)
    if on_conditions:
        errors += _on_pod_conditions(on_conditions, f"{path}.onPodConditions")
    if on_exit_codes is not None and on_conditions:
        errors.append(invalid(path, OMIT, "specifying both OnExitCodes and OnPodConditions is not supported"))
    if on_exit_codes is None and not on_conditions:
        errors.append(invalid(path, OMIT, "specifying one of OnExitCodes and OnPodConditions is required"))
    return errors


def _on_pod_conditions(patterns: list[Mapping[str, Any]], path: str) -> list[FieldError]:
    """validatePodFailurePolicyRuleOnPodConditions."""
    errors: list[FieldError] = []
    if len(patterns) > MAX_ON_POD_CONDITIONS_PATTERNS:
        errors.append(too_many(path, len(patterns), MAX_ON_POD_CONDITIONS_PATTERNS))
    for j, pattern in enumerate(patterns):
        type_ = pattern.get("type") or ""
        errors += [invalid(f"{path}[{j}].type", type_, msg) for msg in is_qualified_name(type_)]
        status = pattern.get("status") or ""
        if status == "":
            errors.append(required(f"{path}[{j}].status", f"valid values: {_go_quoted_list(_CONDITION_STATUSES)}"))
        elif status not in _CONDITION_STATUSES:
            errors.append(not_supported(f"{path}[{j}].status", status, _CONDITION_STATUSES))
    return errors


def _on_exit_codes(requirement: Mapping[str, Any], path: str, names: set[str]) -> list[FieldError]:
    """validatePodFailurePolicyRuleOnExitCodes."""
    errors: list[FieldError] = []
    operator = requirement.get("operator") or ""
    if operator == "":
        errors.append(required(f"{path}.operator", f"valid values: {_go_quoted_list(_EXIT_CODE_OPERATORS)}"))
    elif operator not in _EXIT_CODE_OPERATORS:
        errors.append(not_supported(f"{path}.operator", operator, _EXIT_CODE_OPERATORS))
    container = requirement.get("containerName")
    if container is not None and container not in names:
        errors.append(invalid(f"{path}.containerName", container,
                              "must be one of the container or initContainer names in the pod template"))
    values = requirement.get("values")
    if not values:
        errors.append(invalid(f"{path}.values", _go_int32s(values), "at least one value is required"))
    elif len(values) > MAX_ON_EXIT_CODES_VALUES:
        errors.append(too_many(f"{path}.values", len(values), MAX_ON_EXIT_CODES_VALUES))
    seen: set[int] = set()
    for j, value in enumerate(values or ()):
        if operator == "In" and value == 0:
            errors.append(invalid(f"{path}.values[{j}]", value, "must not be 0 for the In operator"))
        if value in seen:
            errors.append(duplicate(f"{path}.values[{j}]", value))
        seen.add(value)
    if any(a > b for a, b in zip(values or (), (values or ())[1:], strict=False)):
        errors.append(invalid(f"{path}.values", _go_int32s(values), "must be ordered"))
    return errors


def _job_restart_policy(spec: Mapping[str, Any], path: str) -> list[FieldError]:
    policy = _restart_policy(spec.get("template") or {})
    rpath = f"{path}.template.spec.restartPolicy"
    if policy in ("Always", ""):
        return [required(rpath, 'valid values: "OnFailure", "Never"')]
    if policy not in ("OnFailure", "Never"):
        return [not_supported(rpath, policy, ["OnFailure", "Never"])]
    if spec.get("podFailurePolicy") is not None and policy != "Never":
        return [invalid(rpath, policy, 'only "Never" is supported when podFailurePolicy is specified')]
    return []


def _job_spec_body(spec: Mapping[str, Any], path: str) -> list[FieldError]:
    """validateJobSpec: the rules a Job and a CronJob's jobTemplate share."""
    errors = _job_counts(spec, path) + _completion_mode(spec, path)
    if spec.get("podFailurePolicy") is not None:
        errors += _pod_failure_policy(spec, f"{path}.podFailurePolicy")
    success = spec.get("successPolicy")
    if success is not None and spec.get("completionMode") != "Indexed":
        errors.append(invalid(f"{path}.successPolicy", go_generic("batch.SuccessPolicy", success),
                              "requires indexed completion mode"))
    errors += _pod_replacement_policy(spec, path)
    errors += validate_pod_template_spec(spec.get("template") or {}, f"{path}.template")
    return errors + _job_restart_policy(spec, path)


def validate_job_spec(spec: Mapping[str, Any], path: str = "spec") -> list[FieldError]:
    """ValidateJobSpec: shared rules, then the selector and the template labels it must match."""
    errors = _job_spec_body(spec, path)
    selector = spec.get("selector")
    if selector is None:
        errors.append(required(f"{path}.selector"))
    else:
        errors += validate_label_selector(selector, f"{path}.selector")
    converted = label_selector_as_selector(selector)
    if converted is not None:
        errors += template_match(converted, spec.get("template"), f"{path}.template")
    return errors


def _indexed_hostname(job: Obj) -> list[FieldError]:
    """An Indexed Job's last pod hostname (`<name>-<completions-1>`) must be a DNS label."""
    spec, name = job.get("spec", {}), job.get("metadata", {}).get("name", "")
    completions = spec.get("completions")
    if spec.get("completionMode") != "Indexed" or not completions or completions <= 0:
        return []
    hostname = f"{name}-{completions - 1}"
    if not is_dns1123_label(hostname):
        return []
    return [invalid("metadata.name", name, f"will not able to create pod with invalid DNS label: {hostname}")]


def validate_job(job: Obj, require_prefixed: bool = True) -> list[FieldError]:
    """ValidateJob without its metadata part."""
    errors = _generated_selector(job, require_prefixed)
    errors += validate_job_spec(job.get("spec", {}))
    return errors + _indexed_hostname(job)


_SCHEDULING_FIELDS = ("nodeSelector", "tolerations", "schedulingGates")


def _template_for_immutability(template: Obj, old_template: Obj, allow_scheduling: bool) -> Obj:
    """The old template with what a suspended, never-started Job may change copied from the new one."""
    if not allow_scheduling:
        return old_template
    merged = json.loads(json.dumps(old_template))
    new_meta, new_spec = template.get("metadata") or {}, template.get("spec") or {}
    meta = merged.setdefault("metadata", {})
    for key in ("labels", "annotations"):
        meta[key] = new_meta.get(key)
    spec = merged.setdefault("spec", {})
    for key in _SCHEDULING_FIELDS:
        spec[key] = new_spec.get(key)
    affinity = dict(spec.get("affinity") or {})
    affinity["nodeAffinity"] = (new_spec.get("affinity") or {}).get("nodeAffinity")
    spec["affinity"] = affinity
    return merged


def _job_spec_update(new: Obj, old: Obj) -> list[FieldError]:
    """ValidateJobSpecUpdate: the spec again, then what may not change."""
    spec, old_spec = new.get("spec", {}), old.get("spec", {})
    errors = validate_job_spec(spec)
    if spec.get("completionMode") != "Indexed":
        errors += immutable(spec.get("completions"), old_spec.get("completions"), "spec.completions")
    elif not semantic_equal(spec.get("completions"), old_spec.get("completions")) and spec.get("completions") is not None:
        if spec.get("completions") != spec.get("parallelism"):
            errors.append(invalid("spec.completions", spec["completions"],
                                  "can only be modified in tandem with spec.parallelism"))
    errors += immutable(spec.get("selector"), old_spec.get("selector"), "spec.selector",
                        go_label_selector(spec.get("selector")))
    allow = bool(old_spec.get("suspend")) and not (old.get("status") or {}).get("startTime")
    template, old_template = spec.get("template") or {}, old_spec.get("template") or {}
    errors += immutable(template, _template_for_immutability(template, old_template, allow), "spec.template",
                        go_generic("core.PodTemplateSpec", template))
    for name, type_name in (("completionMode", ""), ("podFailurePolicy", "batch.PodFailurePolicy"),
                            ("backoffLimitPerIndex", ""), ("managedBy", ""), ("successPolicy", "batch.SuccessPolicy")):
        errors += immutable(spec.get(name), old_spec.get(name), f"spec.{name}", go_generic(type_name, spec.get(name)))
    return errors


def _job_update(new: Obj, old: Obj) -> list[FieldError]:
    old_labels = _template_labels(old.get("spec", {}).get("template")) or {}
    prefixed = UID_LABEL in old_labels and NAME_LABEL in old_labels
    return validate_job(new, prefixed) + _job_spec_update(new, old)


# --- CronJob ---------------------------------------------------------------------------------------

CRONJOB_NAME_MAX = 63 - 11  # the controller appends `-<11-digit timestamp>` to job names
_TZ_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")


def _load_location(name: str) -> str | None:
    """Go's time.LoadLocation: None when the zone exists, else its error text."""
    if name in ("", "UTC"):
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, IsADirectoryError, OSError):
        return f"unknown time zone {name}"
    return None


def _time_zone(time_zone: str | None, path: str) -> list[FieldError]:
    """validateTimeZone."""
    if time_zone is None:
        return []
    if time_zone == "":
        return [invalid(path, time_zone, "timeZone must be nil or non-empty string")]
    for part in time_zone.split("/"):
        if part in (".", "..") or part.startswith("-") or not _TZ_PART.fullmatch(part):
            return [invalid(path, time_zone, f"unknown time zone {time_zone}")]
    errors: list[FieldError] = []
    if time_zone.lower() == "local":
        errors.append(invalid(path, time_zone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"))
    problem = _load_location(time_zone)
    if problem:
        errors.append(invalid(path, time_zone, problem))
    return errors


# --- cron schedules (github.com/robfig/cron/v3 parser.go, as ParseStandard words its errors) -----------

_DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
_MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                            "oct", "nov", "dec"))}
_DAYS = {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
# (min, max, names) for minute, hour, day of month, month, day of week
_CRON_FIELDS = ((0, 59, None), (0, 23, None), (1, 31, None), (1, 12, _MONTHS), (0, 6, _DAYS))
_DURATION_UNITS = ("ns", "us", "\u00b5s", "\u03bcs", "ms", "s", "m", "h")
_INT64_MAX = (1 << 63) - 1


class _CronError(Exception):
    pass


def _go_atoi(expr: str) -> int:
    """strconv.Atoi with its error text."""
    if not re.fullmatch(r"[+-]?[0-9]+", expr):
        raise _CronError(f"strconv.Atoi: parsing {json.dumps(expr)}: invalid syntax")
    value = int(expr)
    if not -_INT64_MAX - 1 <= value <= _INT64_MAX:
        raise _CronError(f"strconv.Atoi: parsing {json.dumps(expr)}: value out of range")
    return value


def _must_parse_int(expr: str) -> int:
    try:
        number = _go_atoi(expr)
    except _CronError as e:
        raise _CronError(f"failed to parse int from {expr}: {e}") from None
    if number < 0:
        raise _CronError(f"negative number ({number}) not allowed: {expr}")
    return number


def _int_or_name(expr: str, names: Mapping[str, int] | None) -> int:
    if names and expr.lower() in names:
        return names[expr.lower()]
    return _must_parse_int(expr)


def _cron_range(expr: str, lo: int, hi: int, names: Mapping[str, int] | None) -> None:
    """getRange: one `a-b/step` element of a field."""
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    if low_and_high[0] in ("*", "?"):
        start, end = lo, hi
    else:
        start = _int_or_name(low_and_high[0], names)
        if len(low_and_high) > 2:
            raise _CronError(f"too many hyphens: {expr}")
        end = _int_or_name(low_and_high[1], names) if len(low_and_high) == 2 else start
    step = 1
    if len(range_and_step) == 2:
        step = _must_parse_int(range_and_step[1])
        if len(low_and_high) == 1:
            end = hi
    elif len(range_and_step) > 2:
        raise _CronError(f"too many slashes: {expr}")
    if start < lo:
        raise _CronError(f"beginning of range ({start}) below minimum ({lo}): {expr}")
    if end > hi:
        raise _CronError(f"end of range ({end}) above maximum ({hi}): {expr}")
    if start > end:
        raise _CronError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise _CronError(f"step of range should be a positive number: {expr}")


def _go_quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _parse_duration(text: str) -> str | None:
    """time.ParseDuration's error text, or None when `text` is a duration."""
    body = text[1:] if text[:1] in ("+", "-") else text
    if body == "0":
        return None
    bad = f"time: invalid duration {_go_quote(text)}"
    if not body:
        return bad
    for number, unit in re.findall(r"([0-9]*(?:\.[0-9]*)?)([^0-9.]*)", body)[:-1] or [("", "")]:
        if number in ("", "."):
            return bad
        if not unit:
            return f"time: missing unit in duration {_go_quote(text)}"
        if unit not in _DURATION_UNITS:
            return f"time: unknown unit {_go_quote(unit)} in duration {_go_quote(text)}"
    return None


def _descriptor(spec: str) -> None:
    if spec in _DESCRIPTORS:
        return
    if spec.startswith("@every "):
        problem = _parse_duration(spec[len("@every "):])
        if problem:
            raise _CronError(f"failed to parse duration {spec}: {problem}")
        return
    raise _CronError(f"unrecognized descriptor: {spec}")


def _strip_time_zone(spec: str, load_location: Callable[[str], str | None]) -> str:
    """A leading TZ=/CRON_TZ= prefix; Go panics (recovered by the apiserver) when no space follows."""
    space, eq = spec.find(" "), spec.find("=")
    if space < 0:
        raise _CronError(f"invalid schedule format: runtime error: slice bounds out of range [:{space}]")
    name = spec[eq + 1:space]
    problem = load_location(name)
    if problem:
        raise _CronError(f"provided bad location {name}: {problem}")
    return spec[space:].strip()


def parse_cron_schedule(spec: str, load_location: Callable[[str], str | None]) -> str | None:
    """cron.ParseStandard as the apiserver calls it: None when valid, else the error text."""
    try:
        if not spec:
            raise _CronError("empty spec string")
        if spec.startswith(("TZ=", "CRON_TZ=")):
            spec = _strip_time_zone(spec, load_location)
        if spec.startswith("@"):
            _descriptor(spec)
            return None
        fields = spec.split()
        if len(fields) != 5:
            raise _CronError(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]")
        for value, (lo, hi, names) in zip(fields, _CRON_FIELDS, strict=True):
            for expr in (e for e in value.split(",") if e):
                _cron_range(expr, lo, hi, names)
    except _CronError as e:
        return str(e)
    return None


def _schedule(schedule: str, path: str, tz_allowed: bool, time_zone: str | None) -> list[FieldError]:
    errors: list[FieldError] = []
    problem = parse_cron_schedule(schedule, _load_location)
    if problem:
        errors.append(invalid(path, schedule, problem))
    if tz_allowed and "TZ" in schedule and time_zone is not None:
        errors.append(invalid(path, schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"))
    elif not tz_allowed and "TZ" in schedule:
        errors.append(invalid(path, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
    return errors


def validate_job_template_spec(template: Mapping[str, Any], path: str) -> list[FieldError]:
    """ValidateJobTemplateSpec: the Job rules, with the selector left to the controller."""
    spec = template.get("spec") or {}
    errors = _job_spec_body(spec, f"{path}.spec")
    if spec.get("selector") is not None:
        errors.append(invalid(f"{path}.spec.selector", go_label_selector(spec["selector"]), "`selector` will be auto-generated"))
    if spec.get("manualSelector"):
        errors.append(not_supported(f"{path}.spec.manualSelector", True, ["nil", "false"]))
    return errors


def validate_cron_job_spec(spec: Mapping[str, Any], old_spec: Mapping[str, Any] | None = None,
                           path: str = "spec") -> list[FieldError]:
    """validateCronJobSpec (old_spec given on update)."""
    errors: list[FieldError] = []
    schedule = spec.get("schedule", "")
    if not schedule:
        errors.append(required(f"{path}.schedule"))
    else:
        tz_allowed = old_spec is not None and "TZ" in old_spec.get("schedule", "")
        errors += _schedule(schedule, f"{path}.schedule", tz_allowed, spec.get("timeZone"))
    errors += _optional_nonnegative(spec, "startingDeadlineSeconds", path)
    if old_spec is None or old_spec.get("timeZone") != spec.get("timeZone"):
        errors += _time_zone(spec.get("timeZone"), f"{path}.timeZone")
    errors += _concurrency_policy(spec.get("concurrencyPolicy", ""), f"{path}.concurrencyPolicy")
    errors += validate_job_template_spec(spec.get("jobTemplate") or {}, f"{path}.jobTemplate")
    errors += _optional_nonnegative(spec, "successfulJobsHistoryLimit", path)
    return errors + _optional_nonnegative(spec, "failedJobsHistoryLimit", path)


def _concurrency_policy(policy: str, path: str) -> list[FieldError]:
    if policy in ("Allow", "Forbid", "Replace"):
        return []
    if policy == "":
        return [required(path)]
    return [not_supported(path, policy, ["Allow", "Forbid", "Replace"])]


def _cron_job_create(obj: Obj) -> list[FieldError]:
    errors = validate_cron_job_spec(obj.get("spec", {}))
    name = obj.get("metadata", {}).get("name", "")
    if len(name.encode()) > CRONJOB_NAME_MAX:
        errors.append(invalid("metadata.name", name, max_len_error(CRONJOB_NAME_MAX)))
    return errors


def _cron_job_update(new: Obj, old: Obj) -> list[FieldError]:
    return validate_cron_job_spec(new.get("spec", {}), old.get("spec", {}))


def _spec_rule(rule: Callable[[Mapping[str, Any]], list[FieldError]]) -> Callable[[Obj], list[FieldError]]:
    return lambda obj: rule(obj.get("spec", {}))


VALIDATORS: dict[str, KindValidator] = {
    "Deployment": KindValidator(_spec_rule(validate_deployment_spec), _deployment_update),
    "ReplicaSet": KindValidator(_spec_rule(validate_replica_set_spec), _replica_set_update),
    "ReplicationController": KindValidator(_spec_rule(validate_replication_controller_spec), _rc_update),
    "StatefulSet": KindValidator(_spec_rule(validate_stateful_set_spec), _sts_update),
    "DaemonSet": KindValidator(_spec_rule(validate_daemon_set_spec), _daemon_set_update),
    "Job": KindValidator(validate_job, _job_update),
    "CronJob": KindValidator(_cron_job_create, _cron_job_update),
}
