"""Rows of the storage kinds: PersistentVolumes, PersistentVolumeClaims and StorageClasses, as the
apiserver's printers.go prints them (`RWO,RWX`, `standard (default)`, `Terminating`).

Registered in the printer registry on import; called through `table.py`.
"""

from __future__ import annotations

from datetime import datetime

from .columns import AGE, NAME, Cell, Column, Doc, Obj, age, field, name, quantity_string, register

_PV, _PVC = "core.v1.PersistentVolume", "core.v1.PersistentVolumeClaim"
_BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"

PV_COLUMNS = (
    NAME,
    Column("Capacity", description=Doc(_PV + "Spec", "capacity")),
    Column("Access Modes", description=Doc(_PV + "Spec", "accessModes")),
    Column("Reclaim Policy", description=Doc(_PV + "Spec", "persistentVolumeReclaimPolicy")),
    Column("Status", description=Doc(_PV + "Status", "phase")),
    Column("Claim", description=Doc(_PV + "Spec", "claimRef")),
    Column("StorageClass", description="StorageClass of the pv"),
    Column("VolumeAttributesClass", description="VolumeAttributesClass of the pv"),
    Column("Reason", description=Doc(_PV + "Status", "reason")),
    AGE,
    Column("VolumeMode", priority=1, description=Doc(_PV + "Spec", "volumeMode")),
)

PVC_COLUMNS = (
    NAME,
    Column("Status", description=Doc(_PVC + "Status", "phase")),
    Column("Volume", description=Doc(_PVC + "Spec", "volumeName")),
    Column("Capacity", description=Doc(_PVC + "Status", "capacity")),
    Column("Access Modes", description=Doc(_PVC + "Status", "accessModes")),
    Column("StorageClass", description="StorageClass of the pvc"),
    Column("VolumeAttributesClass", description="VolumeAttributesClass of the pvc"),
    AGE,
    Column("VolumeMode", priority=1, description=Doc(_PVC + "Spec", "volumeMode")),
)

_MODES = (("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP"))


def access_modes(modes: list[str] | None) -> str:
    """helper.GetAccessModesAsString: `RWO,ROX,RWX,RWOP` in that fixed order, duplicates once."""
    present = set(modes or [])
    return ",".join(short for mode, short in _MODES if mode in present)


def _class_of(obj: Obj) -> str:
    """GetPersistentVolume(Claim)Class: the beta annotation wins over spec.storageClassName."""
    annotations = field(obj, "metadata", "annotations", default={})
    if _BETA_CLASS_ANNOTATION in annotations:
        return str(annotations[_BETA_CLASS_ANNOTATION])
    return str(field(obj, "spec", "storageClassName", default=""))


def _phase(obj: Obj) -> str:
    if field(obj, "metadata", "deletionTimestamp") is not None:
        return "Terminating"
    return str(field(obj, "status", "phase", default=""))


@register("", "PersistentVolume", PV_COLUMNS)
def persistent_volume_row(obj: Obj, now: datetime) -> list[Cell]:
    spec = obj.get("spec") or {}
    claim = spec.get("claimRef")
    claim_text = "" if claim is None else f"{claim.get('namespace', '')}/{claim.get('name', '')}"
    return [name(obj), quantity_string(field(spec, "capacity", "storage")), access_modes(spec.get("accessModes")),
            str(spec.get("persistentVolumeReclaimPolicy", "")), _phase(obj), claim_text, _class_of(obj),
            spec.get("volumeAttributesClassName", "<unset>"), str(field(obj, "status", "reason", default="")),
            age(obj, now), spec.get("volumeMode", "<unset>")]


@register("", "PersistentVolumeClaim", PVC_COLUMNS)
def persistent_volume_claim_row(obj: Obj, now: datetime) -> list[Cell]:
    spec = obj.get("spec") or {}
    capacity, modes = "", ""
    if spec.get("volumeName"):
        modes = access_modes(field(obj, "status", "accessModes"))
        capacity = quantity_string(field(obj, "status", "capacity", "storage"))
    return [name(obj), _phase(obj), str(spec.get("volumeName", "")), capacity, modes, _class_of(obj),
            spec.get("volumeAttributesClassName", "<unset>"), age(obj, now), spec.get("volumeMode", "<unset>")]


_SC = "storage.v1.StorageClass"
STORAGE_CLASS_COLUMNS = (
    NAME,
    Column("Provisioner", description=Doc(_SC, "provisioner")),
    Column("ReclaimPolicy", description=Doc(_SC, "reclaimPolicy")),
    Column("VolumeBindingMode", description=Doc(_SC, "volumeBindingMode")),
    Column("AllowVolumeExpansion", description=Doc(_SC, "allowVolumeExpansion")),
    AGE,
)

_DEFAULT_CLASS_ANNOTATIONS = ("storageclass.kubernetes.io/is-default-class",
                              "storageclass.beta.kubernetes.io/is-default-class")


def is_default_class(obj: Obj) -> bool:
    """storageutil.IsDefaultAnnotation: either annotation set to `true`."""
    annotations = field(obj, "metadata", "annotations", default={})
    return any(annotations.get(key) == "true" for key in _DEFAULT_CLASS_ANNOTATIONS)


@register("storage.k8s.io", "StorageClass", STORAGE_CLASS_COLUMNS)
def storage_class_row(obj: Obj, now: datetime) -> list[Cell]:
    shown = name(obj) + (" (default)" if is_default_class(obj) else "")
    return [shown, str(obj.get("provisioner", "")), obj.get("reclaimPolicy") or "Delete",
            obj.get("volumeBindingMode") or "Immediate", bool(obj.get("allowVolumeExpansion")), age(obj, now)]
