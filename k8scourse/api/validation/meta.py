"""ObjectMeta validation for every kind, and the kinds whose validation is metadata plus a few rules.

Called by `k8scourse.api.validation.validate_create` / `validate_update` (for every object, before the
kind's own rules) and through `VALIDATORS` for Namespace and Event. Wording follows
k8s.io/apimachinery/pkg/api/validation/objectmeta.go (ValidateObjectMetaAccessor,
ValidateObjectMetaAccessorUpdate), pkg/apis/core/validation/validation.go (ValidateObjectMeta,
validateKubeFinalizerName, ValidateNamespace) and pkg/apis/core/validation/events.go.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..errors import FieldError, GoString, forbidden, invalid, required
from ..names import (
    NameFunc,
    invalid_each,
    is_dns1123_subdomain,
    is_qualified_name,
    name_is_dns1035_label,
    name_is_dns_label,
    name_is_dns_subdomain,
    validate_annotations,
    validate_labels,
)
from ..registry import REGISTRY
from . import KindValidator

Obj = dict[str, Any]

FIELD_IMMUTABLE = "field is immutable"
IS_NEGATIVE = "must be greater than or equal to 0"


# --- name rules per kind ------------------------------------------------------------------------------


def path_segment_name(name: str, prefix: bool) -> list[str]:
    """ValidatePathSegmentName (pkg/api/validation/path/name.go): the only rule some kinds' names follow."""
    if not prefix:
        for banned in (".", ".."):
            if name == banned:
                return [f"may not be '{banned}'"]
    return [f"may not contain '{bad}'" for bad in ("/", "%") if bad in name]


# (group, kind) → the ValidateNameFunc its validation passes to ValidateObjectMeta.
# Kinds not listed use NameIsDNSSubdomain, as ValidatePodName, ValidateDeploymentName, ... do.
NAME_RULES: dict[tuple[str, str], NameFunc] = {
    ("", "Namespace"): name_is_dns_label,  # ValidateNamespaceName
    ("", "Service"): name_is_dns1035_label,  # ValidateServiceName
    ("apps", "StatefulSet"): name_is_dns_label,  # ValidateStatefulSetName
    # Validation that never calls ValidateObjectMeta: only rest.BeforeCreate's path-segment rule applies.
    ("", "Event"): path_segment_name,  # ValidateEventCreate for core/v1 (legacy validation only)
    ("", "Binding"): path_segment_name,
    ("policy", "PodDisruptionBudget"): path_segment_name,
    # ValidateRBACName
    ("rbac.authorization.k8s.io", "Role"): path_segment_name,
    ("rbac.authorization.k8s.io", "ClusterRole"): path_segment_name,
    ("rbac.authorization.k8s.io", "RoleBinding"): path_segment_name,
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): path_segment_name,
}


def _group(obj: Mapping[str, Any]) -> str:
    api_version = obj.get("apiVersion") or ""
    return api_version.rpartition("/")[0]


def name_rule_for(obj: Mapping[str, Any]) -> NameFunc:
    """The name rule the apiserver applies to this object's metadata.name and generateName."""
    return NAME_RULES.get((_group(obj), obj.get("kind", "")), name_is_dns_subdomain)


def _is_namespaced(obj: Mapping[str, Any]) -> bool:
    try:
        return REGISTRY.for_kind(obj.get("apiVersion", ""), obj.get("kind", "")).namespaced
    except Exception:  # an unknown kind never reaches validation; assume the common case
        return True


# --- ValidateObjectMeta ---------------------------------------------------------------------------------


def validate_object_meta_for(obj: Obj) -> list[FieldError]:
    """ValidateObjectMeta for `obj` with its kind's name rule and scope (path `metadata`)."""
    return validate_object_meta(obj.get("metadata") or {}, _is_namespaced(obj), name_rule_for(obj), "metadata")


def validate_object_meta(meta: Mapping[str, Any], requires_namespace: bool, name_fn: NameFunc,
                         path: str) -> list[FieldError]:
    """ValidateObjectMeta (core), in Go's order: generateName, name, namespace, generation, labels,
    annotations, ownerReferences, finalizers."""
    errors: list[FieldError] = []
    generate_name = meta.get("generateName") or ""
    if generate_name:
        errors += invalid_each(f"{path}.generateName", generate_name, name_fn(generate_name, True))
    name = meta.get("name") or ""
    if not name:
        errors.append(required(f"{path}.name", "name or generateName is required"))
    else:
        errors += invalid_each(f"{path}.name", name, name_fn(name, False))
    errors += _validate_namespace_field(meta.get("namespace") or "", requires_namespace, f"{path}.namespace")
    generation = meta.get("generation") or 0
    if generation < 0:
        errors.append(invalid(f"{path}.generation", generation, IS_NEGATIVE))
    errors += validate_labels(meta.get("labels"), f"{path}.labels")
    errors += validate_annotations(meta.get("annotations"), f"{path}.annotations")
    errors += validate_owner_references(meta.get("ownerReferences") or [], f"{path}.ownerReferences")
    errors += validate_finalizers(meta.get("finalizers") or [], f"{path}.finalizers")
    return errors


def _validate_namespace_field(namespace: str, requires_namespace: bool, path: str) -> list[FieldError]:
    if not requires_namespace:
        return [forbidden(path, "not allowed on this type")] if namespace else []
    if not namespace:
        return [required(path)]
    return invalid_each(path, namespace, name_is_dns_label(namespace, False))


def _gvk_string(api_version: str, kind: str) -> str:
    """schema.GroupVersionKind.String(): `apps/v1, Kind=Deployment`, `/v1, Kind=Event`."""
    group, _, version = api_version.rpartition("/")
    return f"{group}/{version}, Kind={kind}"


def validate_owner_references(refs: list[Mapping[str, Any]], path: str) -> list[FieldError]:
    """ValidateOwnerReferences: each reference's basics (errors at `metadata.ownerReferences.<field>`,
    without an index, as Go words them) and at most one controller."""
    errors: list[FieldError] = []
    first_controller = ""
    for ref in refs:
        errors += _validate_owner_reference(ref, path)
        if ref.get("controller"):
            current = f"{ref.get('kind', '')}/{ref.get('name', '')}"
            if first_controller:
                errors.append(invalid(path, refs, "Only one reference can have Controller set to true. "
                                      f'Found "true" in references for {first_controller} and {current}'))
            else:
                first_controller = current
    return errors


def _validate_owner_reference(ref: Mapping[str, Any], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    api_version = ref.get("apiVersion") or ""
    kind = ref.get("kind") or ""
    if not api_version.rpartition("/")[2]:
        errors.append(invalid(f"{path}.apiVersion", api_version, "version must not be empty"))
    if not kind:
        errors.append(invalid(f"{path}.kind", kind, "kind must not be empty"))
    if not ref.get("name"):
        errors.append(invalid(f"{path}.name", ref.get("name") or "", "name must not be empty"))
    if not ref.get("uid"):
        errors.append(invalid(f"{path}.uid", ref.get("uid") or "", "uid must not be empty"))
    if api_version == "v1" and kind == "Event":  # BannedOwners
        errors.append(invalid(path, dict(ref), f"{_gvk_string(api_version, kind)} is disallowed from being an owner"))
    return errors


_STANDARD_FINALIZERS = ("kubernetes", "orphan", "foregroundDeletion")


def validate_finalizers(finalizers: list[str], path: str) -> list[FieldError]:
    """ValidateFinalizers (apimachinery) plus core's validateKubeFinalizerName per entry."""
    errors: list[FieldError] = []
    for finalizer in finalizers:
        errors += invalid_each(path, finalizer, is_qualified_name(finalizer))
    if "orphan" in finalizers and "foregroundDeletion" in finalizers:
        errors.append(invalid(path, list(finalizers), "finalizer orphan and foregroundDeletion cannot be both set"))
    for i, finalizer in enumerate(finalizers):
        errors += _kube_finalizer_name(finalizer, f"{path}[{i}]")
    return errors


def _kube_finalizer_name(finalizer: str, path: str) -> list[FieldError]:
    if "/" not in finalizer and finalizer not in _STANDARD_FINALIZERS:
        return [invalid(path, finalizer, "name is neither a standard finalizer name nor is it fully qualified")]
    return []


def validate_finalizer_name(finalizer: str, path: str) -> list[FieldError]:
    """validateFinalizerName (core): a qualified name that is standard or domain-prefixed."""
    return invalid_each(path, finalizer, is_qualified_name(finalizer)) + _kube_finalizer_name(finalizer, path)


# --- ValidateObjectMetaUpdate ----------------------------------------------------------------------------


def go_time(value: str | None) -> GoString | None:
    """A metav1.Time as Go's field errors print it (time.Time.String(): `2025-01-02 03:04:05 +0000 UTC`)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return GoString(value)
    return GoString(parsed.strftime("%Y-%m-%d %H:%M:%S +0000 UTC"))


_IMMUTABLE_META = ("name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds")
_TIME_FIELDS = ("creationTimestamp", "deletionTimestamp")


def _immutable_meta_value(meta: Mapping[str, Any], key: str) -> Any:
    value = meta.get(key)
    if key in _TIME_FIELDS:
        return go_time(value)
    if key in ("name", "namespace", "uid"):
        return value or ""
    return value


def validate_object_meta_update(new: Obj, old: Obj) -> list[FieldError]:
    """ValidateObjectMetaUpdate (path `metadata`): no new finalizers once deleting, resourceVersion set,
    generation not decremented, immutable name/namespace/uid/creationTimestamp/deletion fields, and the
    kube finalizer-name check. Labels, annotations and ownerReferences of the new object are checked by
    `validate_object_meta_for`, which `validate_update` runs too.

    The store fills resourceVersion and copies creationTimestamp/uid from the stored object before
    validating an unconditional update, as kube-apiserver's registry does.
    """
    new_meta: Mapping[str, Any] = new.get("metadata") or {}
    old_meta: Mapping[str, Any] = old.get("metadata") or {}
    errors: list[FieldError] = []
    if old_meta.get("deletionTimestamp"):
        extra = sorted(set(new_meta.get("finalizers") or []) - set(old_meta.get("finalizers") or []))
        if extra:
            errors.append(forbidden("metadata.finalizers", "no new finalizers can be added if the object is being "
                                    f"deleted, found new finalizers {_go_string_slice(extra)}"))
    if not new_meta.get("resourceVersion"):
        errors.append(invalid("metadata.resourceVersion", "", "must be specified for an update"))
    new_generation = new_meta.get("generation") or 0
    if new_generation < (old_meta.get("generation") or 0):
        errors.append(invalid("metadata.generation", new_generation, "must not be decremented"))
    for key in _IMMUTABLE_META:
        new_value = _immutable_meta_value(new_meta, key)
        if new_value != _immutable_meta_value(old_meta, key):
            errors.append(invalid(f"metadata.{key}", new_value, FIELD_IMMUTABLE))
    return errors


def _go_string_slice(values: list[str]) -> str:
    return "[]string{" + ", ".join(f'"{v}"' for v in values) + "}"


def validate_immutable_field(new_value: Any, old_value: Any, path: str) -> list[FieldError]:
    """ValidateImmutableField: `<path>: Invalid value: <new>: field is immutable`."""
    return [] if new_value == old_value else [invalid(path, new_value, FIELD_IMMUTABLE)]


# --- Namespace -------------------------------------------------------------------------------------------


def _validate_namespace(ns: Obj) -> list[FieldError]:
    """ValidateNamespace's own rule: spec.finalizers names (path without index, as Go has it)."""
    errors: list[FieldError] = []
    for finalizer in (ns.get("spec") or {}).get("finalizers") or []:
        errors += validate_finalizer_name(finalizer, "spec.finalizers")
    return errors


def _no_extra_rules(_new: Obj, _old: Obj) -> list[FieldError]:
    """ValidateNamespaceUpdate / ValidateServiceAccountUpdate: metadata rules only."""
    return []


# --- Event (core/v1 and events.k8s.io/v1) -------------------------------------------------------------------

_EVENT_LIMITS = (("reportingInstance", 128), ("action", 128), ("reason", 128), ("message", 1024))


def _internal_event(event: Obj) -> Obj:
    """An events.k8s.io/v1 Event under its internal (core) field names, which Go's error paths use."""
    if _group(event) != "events.k8s.io":
        internal = dict(event)
        internal["reportingController"] = event.get("reportingComponent", "")
        return internal
    return {
        "metadata": event.get("metadata") or {},
        "involvedObject": event.get("regarding") or {},
        "message": event.get("note", ""),
        "reason": event.get("reason", ""),
        "type": event.get("type", ""),
        "eventTime": event.get("eventTime"),
        "series": event.get("series"),
        "action": event.get("action", ""),
        "reportingController": event.get("reportingController", ""),
        "reportingInstance": event.get("reportingInstance", ""),
        "source": event.get("deprecatedSource") or {},
        "firstTimestamp": event.get("deprecatedFirstTimestamp"),
        "lastTimestamp": event.get("deprecatedLastTimestamp"),
        "count": event.get("deprecatedCount") or 0,
    }


def _legacy_validate_event(event: Obj) -> list[FieldError]:
    """legacyValidateEvent (events.go): namespace agreement, and for new-style events the reporting fields."""
    errors: list[FieldError] = []
    namespace = (event.get("metadata") or {}).get("namespace") or ""
    involved_ns = (event.get("involvedObject") or {}).get("namespace") or ""
    mismatch = invalid("involvedObject.namespace", involved_ns, "does not match event.namespace")
    if not event.get("eventTime"):
        if (not involved_ns and namespace not in ("", "default")) or (involved_ns and namespace != involved_ns):
            errors.append(mismatch)
    else:
        if not involved_ns and namespace not in ("default", "kube-system"):
            errors.append(mismatch)
        errors += _reporting_fields(event)
    errors += invalid_each("namespace", namespace, is_dns1123_subdomain(namespace))
    return errors


def _reporting_fields(event: Obj) -> list[FieldError]:
    errors: list[FieldError] = []
    controller = event.get("reportingController") or ""
    if not controller:
        errors.append(required("reportingController"))
    errors += invalid_each("reportingController", controller, is_qualified_name(controller))
    for key, limit in _EVENT_LIMITS:
        value = event.get(key) or ""
        if not value and key != "message":
            errors.append(required(key))
        if len(value.encode("utf-8")) > limit:
            errors.append(invalid(key, "", f"can have at most {limit} characters"))
    return errors


def _strict_event_rules(event: Obj) -> list[FieldError]:
    """ValidateEventCreate's rules for events.k8s.io/v1 (after ObjectMeta, which runs for every kind here)."""
    errors: list[FieldError] = []
    series = event.get("series")
    if series is not None:
        if (series.get("count") or 0) < 2:
            errors.append(invalid("series.count", "", "should be at least 2"))
        if not series.get("lastObservedTime"):
            errors.append(required("series.lastObservedTime"))
    if not event.get("eventTime"):
        errors.append(required("eventTime"))
    event_type = event.get("type") or ""
    if event_type not in ("Normal", "Warning"):
        errors.append(invalid("type", "", f"has invalid value: {event_type}"))
    for key in ("firstTimestamp", "lastTimestamp", "count"):
        if event.get(key):
            errors.append(invalid(key, "", "needs to be unset"))
    source = event.get("source") or {}
    if source.get("component") or source.get("host"):
        errors.append(invalid("source", "", "needs to be unset"))
    return errors


def _validate_event(event: Obj) -> list[FieldError]:
    internal = _internal_event(event)
    errors = _legacy_validate_event(internal)
    if _group(event) == "events.k8s.io":
        errors += _strict_event_rules(internal)
    return errors


def _validate_event_update(new: Obj, _old: Obj) -> list[FieldError]:
    # core/v1 updates get legacy validation only; events.k8s.io immutability is not modelled here.
    return _legacy_validate_event(_internal_event(new))


VALIDATORS: dict[str, KindValidator] = {
    "Namespace": KindValidator(create=_validate_namespace, update=_no_extra_rules),
    "Event": KindValidator(create=_validate_event, update=_validate_event_update),
}
