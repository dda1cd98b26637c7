"""Semantic validation of PersistentVolumes, PersistentVolumeClaims and StorageClasses, worded as kube-apiserver.

Called through `k8scourse.api.validation.validate_create` / `validate_update` (the `VALIDATORS` table
below). Rules and wording follow ValidatePersistentVolume(Spec|Update) and
ValidatePersistentVolumeClaim(Spec|Update) in pkg/apis/core/validation/validation.go, and
ValidateStorageClass(Update) in pkg/apis/storage/validation/validation.go, with v1.33's default feature
gates (RecoverVolumeExpansionFailure on, VolumeAttributesClass off).

Go appends a go-cmp diff to the "immutable" messages of PV sources and PVC specs; go-cmp deliberately
randomises its layout, so the diff here is a plain rendering of the changed fields in the same style.
"""

from __future__ import annotations

import json
import math
import posixpath
from typing import Any

from .. import names
from ..errors import FieldError, GoString, forbidden, invalid, not_supported, required, too_long
from ..objects import deep_copy
from . import KindValidator, Obj

ACCESS_MODES = ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod")
PV_RECLAIM_POLICIES = ("Delete", "Recycle", "Retain")
SC_RECLAIM_POLICIES = ("Delete", "Retain")
VOLUME_MODES = ("Block", "Filesystem")
VOLUME_BINDING_MODES = ("Immediate", "WaitForFirstConsumer")
HOST_PATH_TYPES = ("", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket")
BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
MAX_PARAMETERS, MAX_PARAMETERS_SIZE = 512, 256 * (1 << 10)
# PersistentVolumeSource fields in the order Go checks them, with the name its "more than 1" error uses.
PV_SOURCES = (
    ("hostPath", "hostPath"), ("gcePersistentDisk", "gcePersistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"), ("glusterfs", "glusterfs"), ("flocker", "flocker"),
    ("nfs", "nfs"), ("rbd", "rbd"), ("quobyte", "quobyte"), ("cephfs", "cephFS"), ("iscsi", "iscsi"),
    ("cinder", "cinder"), ("fc", "fc"), ("flexVolume", None), ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"), ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"), ("azureDisk", "azureDisk"), ("scaleIO", "scaleIO"),
    ("local", "local"), ("storageos", "storageos"), ("csi", "csi"),
)
_SOURCE_KEYS = tuple(key for key, _ in PV_SOURCES)


def _quantity(value: Any) -> Any:
    from ..quantity import parse_quantity

    return parse_quantity(value)


def validate_positive_quantity(value: Any, path: str) -> list[FieldError]:
    """ValidatePositiveQuantityValue: Go shows the bad value as its (quoted) String()."""
    q = _quantity(value)
    return [] if q.value > 0 else [invalid(path, str(q), "must be greater than zero")]


def _validate_basic_resource(value: Any, path: str) -> list[FieldError]:
    """validateBasicResource: Go shows Quantity.Value(), the integer rounded up."""
    whole = math.ceil(_quantity(value).value)
    return [invalid(path, whole, "must be a valid resource quantity")] if whole < 0 else []


def _validate_access_modes(modes: list[str], path: str) -> list[FieldError]:
    errs = [not_supported(path, mode, ACCESS_MODES) for mode in modes if mode not in ACCESS_MODES]
    if "ReadWriteOncePod" in modes and any(m != "ReadWriteOncePod" and m in ACCESS_MODES for m in modes):
        errs.append(forbidden(path, "may not use ReadWriteOncePod with other access modes"))
    return errs


def _validate_class_name(value: str, path: str) -> list[FieldError]:
    return [invalid(path, value, m) for m in names.name_is_dns_subdomain(value, False)]


def _validate_no_backsteps(value: str, path: str) -> list[FieldError]:
    """validatePathNoBacksteps."""
    return [invalid(path, value, "must not contain '..'")] if ".." in value.replace("\\", "/").split("/") else []


def _go_value(value: Any) -> str:
    return "nil" if value is None else json.dumps(value, sort_keys=True)


def cmp_style_diff(type_name: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """The changed fields of `old` → `new`, laid out as go-cmp's Diff lays out a struct."""
    lines = [f"  {type_name}{{"]
    same = 0
    for key in sorted(set(old) | set(new)):
        if old.get(key) == new.get(key):
            same += 1
            continue
        field_name = key[:1].upper() + key[1:]
        lines.append(f"- \t{field_name}: {_go_value(old.get(key))},")
        lines.append(f"+ \t{field_name}: {_go_value(new.get(key))},")
    if same:
        lines.append(f"  \t... // {same} identical fields")
    lines.append("  }")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- PersistentVolume


def _validate_host_path(src: dict[str, Any], path: str) -> list[FieldError]:
    if not src.get("path"):
        return [required(f"{path}.path")]
    errs = _validate_no_backsteps(src["path"], f"{path}.path")
    host_type = src.get("type")
    if host_type is not None and host_type not in HOST_PATH_TYPES:
        errs.append(not_supported(f"{path}.type", host_type, HOST_PATH_TYPES))
    return errs


def _validate_nfs(src: dict[str, Any], path: str) -> list[FieldError]:
    errs = [required(f"{path}.{k}") for k in ("server", "path") if not src.get(k)]
    if not posixpath.isabs(src.get("path") or ""):
        errs.append(invalid(f"{path}.path", src.get("path") or "", "must be an absolute path"))
    return errs


def _validate_local(src: dict[str, Any], path: str) -> list[FieldError]:
    if not src.get("path"):
        return [required(f"{path}.path")]
    return _validate_no_backsteps(src["path"], f"{path}.path")


def _validate_csi(src: dict[str, Any], path: str) -> list[FieldError]:
    return [required(f"{path}.{k}") for k in ("driver", "volumeHandle") if not src.get(k)]


_SOURCE_CHECKS = {"hostPath": _validate_host_path, "nfs": _validate_nfs, "local": _validate_local, "csi": _validate_csi}


def _validate_pv_sources(spec: dict[str, Any]) -> list[FieldError]:
    """Exactly one volume source; a local volume needs node affinity."""
    errs: list[FieldError] = []
    count = 0
    for key, forbidden_name in PV_SOURCES:
        if spec.get(key) is None:
            continue
        if count and forbidden_name is not None:
            errs.append(forbidden(f"spec.{forbidden_name}", "may not specify more than 1 volume type"))
            continue
        count += 1
        check = _SOURCE_CHECKS.get(key)
        if check is not None:
            errs += check(spec[key], f"spec.{key}")
        if key == "local" and spec.get("nodeAffinity") is None:
            errs.append(required("spec.nodeAffinity", "Local volume requires node affinity"))
    if count == 0:
        errs.append(required("spec", "must specify a volume type"))
    return errs


def _go_resource_list(capacity: dict[str, Any] | None) -> GoString:
    """core.ResourceList as Go's %#v starts it (quantities shown by their string form)."""
    if capacity is None:
        return GoString("core.ResourceList(nil)")
    inner = ", ".join(f'"{k}":"{v}"' for k, v in sorted(capacity.items()))
    return GoString("core.ResourceList{" + inner + "}")


def _validate_capacity(spec: dict[str, Any]) -> list[FieldError]:
    capacity = spec.get("capacity")
    errs: list[FieldError] = []
    if not capacity:
        errs.append(required("spec.capacity"))
    if "storage" not in (capacity or {}) or len(capacity or {}) > 1:
        errs.append(not_supported("spec.capacity", _go_resource_list(capacity), ["storage"]))
    for name, value in (capacity or {}).items():
        errs += _validate_basic_resource(value, f"spec.capacity[{name}]")
        errs += validate_positive_quantity(value, f"spec.capacity[{name}]")
    return errs


def validate_persistent_volume(obj: Obj) -> list[FieldError]:
    """ValidatePersistentVolumeSpec for a standalone PV."""
    spec = obj.get("spec") or {}
    modes = list(spec.get("accessModes") or [])
    errs = [required("spec.accessModes")] if not modes else []
    errs += _validate_access_modes(modes, "spec.accessModes")
    errs += _validate_capacity(spec)
    policy = spec.get("persistentVolumeReclaimPolicy") or ""
    if policy and policy not in PV_RECLAIM_POLICIES:
        errs.append(not_supported("spec.persistentVolumeReclaimPolicy", policy, PV_RECLAIM_POLICIES))
    affinity = spec.get("nodeAffinity")
    if affinity is not None and affinity.get("required") is None:
        errs.append(required("spec.nodeAffinity.required", "must specify required node constraints"))
    errs += _validate_pv_sources(spec)
    host = spec.get("hostPath")
    if host and posixpath.normpath(host.get("path") or ".") == "/" and policy == "Recycle":
        errs.append(forbidden("spec.persistentVolumeReclaimPolicy", "may not be 'recycle' for a hostPath mount of '/'"))
    if spec.get("storageClassName"):
        errs += _validate_class_name(spec["storageClassName"], "spec.storageClassName")
    mode = spec.get("volumeMode")
    if mode is not None and mode not in VOLUME_MODES:
        errs.append(not_supported("spec.volumeMode", mode, VOLUME_MODES))
    return errs


def _pv_source(spec: dict[str, Any]) -> dict[str, Any]:
    return {k: spec[k] for k in _SOURCE_KEYS if spec.get(k) is not None}


def validate_persistent_volume_update(new: Obj, old: Obj) -> list[FieldError]:
    """ValidatePersistentVolumeUpdate: the create rules, an immutable source, volumeMode and node affinity."""
    errs = validate_persistent_volume(new)
    spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    new_source, old_source = _pv_source(spec), _pv_source(old_spec)
    csi, old_csi = new_source.get("csi"), old_source.get("csi")
    if csi and old_csi and "controllerExpandSecretRef" not in old_csi:
        new_source["csi"] = {k: v for k, v in csi.items() if k != "controllerExpandSecretRef"}
    if new_source != old_source:
        diff = cmp_style_diff("core.PersistentVolumeSource", old_source, new_source)
        errs.append(forbidden("spec.persistentvolumesource", f"spec.persistentvolumesource is immutable after creation\n{diff}"))
    if spec.get("volumeMode") != old_spec.get("volumeMode"):
        errs.append(invalid("volumeMode", spec.get("volumeMode"), "field is immutable"))
    if old_spec.get("nodeAffinity") is not None and spec.get("nodeAffinity") != old_spec["nodeAffinity"]:
        detail = "field is immutable, except for updating from beta label to GA"
        errs.append(invalid("nodeAffinity", spec.get("nodeAffinity"), detail))
    return errs


# ---------------------------------------------------------------- PersistentVolumeClaim


def _validate_data_source(ref: dict[str, Any], path: str) -> list[FieldError]:
    errs = [required(f"{path}.{k}") for k in ("name", "kind") if not ref.get(k)]
    group = ref.get("apiGroup") or ""
    if not group and ref.get("kind") != "PersistentVolumeClaim":
        errs.append(invalid(path, ref.get("kind") or "", "must be 'PersistentVolumeClaim' when referencing the default apiGroup"))
    if group:
        errs += [invalid(f"{path}.apiGroup", group, m) for m in names.is_dns1123_subdomain(group)]
    return errs


def _validate_claim_storage(spec: dict[str, Any]) -> list[FieldError]:
    requests = (spec.get("resources") or {}).get("requests") or {}
    if "storage" not in requests:
        return [required("spec.resources[storage]")]
    return validate_positive_quantity(requests["storage"], "spec.resources[storage]")


def validate_persistent_volume_claim(obj: Obj) -> list[FieldError]:
    """ValidatePersistentVolumeClaimSpec."""
    spec = obj.get("spec") or {}
    modes = list(spec.get("accessModes") or [])
    errs = [required("spec.accessModes", "at least 1 access mode is required")] if not modes else []
    if spec.get("selector") is not None:
        errs += names.validate_label_selector(spec["selector"], "spec.selector")
    errs += _validate_access_modes(modes, "spec.accessModes")
    errs += _validate_claim_storage(spec)
    if spec.get("storageClassName"):
        errs += _validate_class_name(spec["storageClassName"], "spec.storageClassName")
    mode = spec.get("volumeMode")
    if mode is not None and mode not in VOLUME_MODES:
        errs.append(not_supported("spec.volumeMode", mode, VOLUME_MODES))
    for key in ("dataSource", "dataSourceRef"):
        if spec.get(key) is not None:
            errs += _validate_data_source(spec[key], f"spec.{key}")
    return errs


def _storage_request(spec: dict[str, Any]) -> Any:
    value = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
    return _quantity(value if value is not None else 0)


def _comparable_claim_specs(new: Obj, old: Obj) -> tuple[dict[str, Any], dict[str, Any]]:
    """The specs ValidatePersistentVolumeClaimUpdate compares, after allowing what may change."""
    new_spec, old_spec = deep_copy(new.get("spec") or {}), deep_copy(old.get("spec") or {})
    if not old_spec.get("volumeName"):
        old_spec["volumeName"] = new_spec.get("volumeName")
        if old_spec["volumeName"] is None:
            old_spec.pop("volumeName")
    old_annotation = ((old.get("metadata") or {}).get("annotations") or {}).get(BETA_STORAGE_CLASS_ANNOTATION)
    if old_spec.get("storageClassName") is None and new_spec.get("storageClassName") is not None:
        if old_annotation is None or old_annotation == new_spec["storageClassName"]:
            new_spec.pop("storageClassName")
    phase = (new.get("status") or old.get("status") or {}).get("phase")
    if phase == "Bound":
        requests = (new_spec.get("resources") or {}).get("requests")
        if requests is not None:
            old_storage = ((old_spec.get("resources") or {}).get("requests") or {}).get("storage")
            requests["storage"] = old_storage
        if new_spec.get("volumeAttributesClassName") is not None:
            new_spec["volumeAttributesClassName"] = old_spec.get("volumeAttributesClassName")
    return new_spec, old_spec


def validate_persistent_volume_claim_update(new: Obj, old: Obj) -> list[FieldError]:
    """ValidatePersistentVolumeClaimUpdate: only a bound claim's storage request may change, and never shrink
    below what the volume already has."""
    errs = validate_persistent_volume_claim(new)
    new_spec, old_spec = _comparable_claim_specs(new, old)
    if new_spec != old_spec:
        diff = cmp_style_diff("core.PersistentVolumeClaimSpec", old_spec, new_spec)
        detail = "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"
        errs.append(forbidden("spec", f"{detail}\n{diff}"))
    new_size, old_size = _storage_request(new.get("spec") or {}), _storage_request(old.get("spec") or {})
    capacity = ((old.get("status") or {}).get("capacity") or {}).get("storage")
    if new_size.value < old_size.value and new_size.value <= _quantity(capacity or 0).value:
        errs.append(forbidden("spec.resources.requests.storage", "field can not be less than status.capacity"))
    if (new.get("spec") or {}).get("volumeMode") != (old.get("spec") or {}).get("volumeMode"):
        errs.append(invalid("volumeMode", (new.get("spec") or {}).get("volumeMode"), "field is immutable"))
    return errs


# ---------------------------------------------------------------- StorageClass


def _validate_parameters(params: dict[str, str]) -> list[FieldError]:
    if len(params) > MAX_PARAMETERS:
        return [too_long("parameters", MAX_PARAMETERS)]
    errs = [invalid("parameters", k, "field can not be empty.") for k in params if not k]
    if sum(len(k.encode()) + len(v.encode()) for k, v in params.items()) > MAX_PARAMETERS_SIZE:
        errs.append(too_long("parameters", MAX_PARAMETERS_SIZE))
    return errs


def validate_storage_class(obj: Obj) -> list[FieldError]:
    """ValidateStorageClass: provisioner, parameters, reclaim policy and binding mode."""
    provisioner = obj.get("provisioner") or ""
    errs: list[FieldError] = []
    if not provisioner:
        errs.append(required("provisioner"))
    else:
        errs += [invalid("provisioner", provisioner, m) for m in names.is_qualified_name(provisioner.lower())]
    errs += _validate_parameters(obj.get("parameters") or {})
    policy = obj.get("reclaimPolicy") or ""
    if policy and policy not in SC_RECLAIM_POLICIES:
        errs.append(not_supported("reclaimPolicy", policy, SC_RECLAIM_POLICIES))
    mode = obj.get("volumeBindingMode")
    if mode is None:
        errs.append(required("volumeBindingMode"))
    elif mode not in VOLUME_BINDING_MODES:
        errs.append(not_supported("volumeBindingMode", mode, VOLUME_BINDING_MODES))
    return errs


def validate_storage_class_update(new: Obj, old: Obj) -> list[FieldError]:
    """The storage class strategy's update check: the create rules, then ValidateStorageClassUpdate
    (parameters, provisioner, reclaim policy and binding mode never change)."""
    errs = validate_storage_class(new)
    for key in ("parameters", "provisioner", "reclaimPolicy"):
        if (new.get(key) or None) != (old.get(key) or None):
            errs.append(forbidden(key, f"updates to {key} are forbidden."))
    if new.get("volumeBindingMode") != old.get("volumeBindingMode"):
        errs.append(invalid("volumeBindingMode", new.get("volumeBindingMode"), "field is immutable"))
    return errs


VALIDATORS: dict[str, KindValidator] = {
    "PersistentVolume": KindValidator(validate_persistent_volume, validate_persistent_volume_update),
    "PersistentVolumeClaim": KindValidator(validate_persistent_volume_claim, validate_persistent_volume_claim_update),
    "StorageClass": KindValidator(validate_storage_class, validate_storage_class_update),
}
