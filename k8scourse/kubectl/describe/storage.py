"""kubectl describe for storage: PersistentVolumes, PersistentVolumeClaims and StorageClasses.

Registered in `k8scourse.kubectl.describe.DESCRIBERS`. Translated from describe.go
(describePersistentVolume, printPersistentVolumeClaim, describePersistentVolumeClaim,
describeStorageClass) and kubectl's util/storage (classes, access modes, default-class text).
"""

from __future__ import annotations

from typing import Any

from ...api.selectors import format_labels
from .context import Context
from .pods import VOLUME_SOURCE_PRINTERS
from .writer import (
    PrefixWriter,
    age,
    annotations_multiline,
    items_multiline,
    labels_multiline,
    rfc1123z,
    string_list,
    title_bool,
)

Obj = dict[str, Any]
_BETA_CLASS = "volume.beta.kubernetes.io/storage-class"
_DEFAULT_CLASS = ("storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class")
_MODES = {"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"}


def volume_class(pv: Obj) -> str:
    """GetPersistentVolumeClass: the beta annotation, else spec.storageClassName."""
    annotations = (pv.get("metadata") or {}).get("annotations") or {}
    return annotations.get(_BETA_CLASS) or (pv.get("spec") or {}).get("storageClassName") or ""


def claim_class(pvc: Obj) -> str:
    """GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName."""
    return volume_class(pvc)


def access_modes(modes: list[str] | None) -> str:
    """GetAccessModesAsString: `RWO,ROX`, each mode once, in kubectl's fixed order."""
    present = set(modes or [])
    return ",".join(short for mode, short in _MODES.items() if mode in present)


def describe_persistent_volume(pv: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describePersistentVolume."""
    meta, spec, status = pv.get("metadata") or {}, pv.get("spec") or {}, pv.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Finalizers:\t{string_list(meta.get('finalizers'))}\n")
    w.write(0, f"StorageClass:\t{volume_class(pv)}\n")
    if meta.get("deletionTimestamp"):
        w.write(0, f"Status:\tTerminating (lasts {age(meta['deletionTimestamp'], ctx.now)})\n")
    else:
        w.write(0, f"Status:\t{status.get('phase', '')}\n")
    ref = spec.get("claimRef")
    w.write(0, f"Claim:\t{ref.get('namespace', '')}/{ref.get('name', '')}\n" if ref else "Claim:\t\n")
    w.write(0, f"Reclaim Policy:\t{spec.get('persistentVolumeReclaimPolicy', '')}\n")
    w.write(0, f"Access Modes:\t{access_modes(spec.get('accessModes'))}\n")
    if spec.get("volumeMode") is not None:
        w.write(0, f"VolumeMode:\t{spec['volumeMode']}\n")
    w.write(0, f"Capacity:\t{(spec.get('capacity') or {}).get('storage', '0')}\n")
    _node_affinity(w, spec.get("nodeAffinity"))
    w.write(0, f"Message:\t{status.get('message', '')}\n")
    w.write(0, "Source:\n")
    for key, printer in VOLUME_SOURCE_PRINTERS.items():
        if spec.get(key) is not None:
            printer(spec[key], w)
            break
    else:
        if spec.get("local") is not None:
            w.write(2, f"Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n"
                       f"    Path:\t{spec['local'].get('path', '')}\n")
        else:
            w.write(1, "<unknown>\n")


def _node_affinity(w: PrefixWriter, affinity: Obj | None) -> None:
    w.write(0, "Node Affinity:\t")
    required = (affinity or {}).get("required")
    if required is None:
        w.line("<none>")
        return
    w.line("")
    w.write(1, "Required Terms:\t")
    terms = required.get("nodeSelectorTerms") or []
    if not terms:
        w.line("<none>")
        return
    w.line("")
    for i, term in enumerate(terms):
        w.write(2, f"Term {i}:\t")
        expressions = term.get("matchExpressions") or []
        if not expressions:
            w.line("<none>")
            continue
        for j, req in enumerate(expressions):
            if j:
                w.write(2, "\t")
            text = f"{req.get('key', '')} {str(req.get('operator', '')).lower()}"
            if req.get("values"):
                text += f" [{', '.join(req['values'])}]"
            w.write(0, text + "\n")


def describe_persistent_volume_claim(pvc: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describePersistentVolumeClaim: the claim, the pods using it, its conditions."""
    meta, spec, status = pvc.get("metadata") or {}, pvc.get("spec") or {}, pvc.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"StorageClass:\t{claim_class(pvc)}\n")
    if meta.get("deletionTimestamp"):
        w.write(0, f"Status:\tTerminating (lasts {age(meta['deletionTimestamp'], ctx.now)})\n")
    else:
        w.write(0, f"Status:\t{status.get('phase', '')}\n")
    w.write(0, f"Volume:\t{spec.get('volumeName', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Finalizers:\t{string_list(meta.get('finalizers'))}\n")
    capacity, modes = "", ""
    if spec.get("volumeName"):
        modes = access_modes(status.get("accessModes"))
        capacity = str((status.get("capacity") or {}).get("storage", "0"))
    w.write(0, f"Capacity:\t{capacity}\n")
    w.write(0, f"Access Modes:\t{modes}\n")
    if spec.get("volumeMode") is not None:
        w.write(0, f"VolumeMode:\t{spec['volumeMode']}\n")
    if spec.get("dataSource") is not None:
        source = spec["dataSource"]
        w.write(0, "DataSource:\n")
        if source.get("apiGroup") is not None:
            w.write(1, f"APIGroup:\t{source['apiGroup']}\n")
        w.write(1, f"Kind:\t{source.get('kind', '')}\n")
        w.write(1, f"Name:\t{source.get('name', '')}\n")
    users = sorted(p["metadata"]["name"] for p in ctx.list("pods", meta.get("namespace"))
                    for v in (p.get("spec") or {}).get("volumes") or []
                    if (v.get("persistentVolumeClaim") or {}).get("claimName") == meta.get("name"))
    items_multiline(w, "Used By", users)
    if status.get("conditions"):
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in status["conditions"]:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')} \t{rfc1123z(c.get('lastProbeTime'))} \t"
                       f"{rfc1123z(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t{c.get('message', '')}\n")


def describe_storage_class(sc: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeStorageClass."""
    meta = sc.get("metadata") or {}
    annotations = meta.get("annotations") or {}
    default = next((annotations[k] for k in _DEFAULT_CLASS if k in annotations), None)
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"IsDefaultClass:\t{'Yes' if default == 'true' else 'No'}\n")
    w.write(0, f"Annotations:\t{format_labels(annotations)}\n")
    w.write(0, f"Provisioner:\t{sc.get('provisioner', '')}\n")
    w.write(0, f"Parameters:\t{format_labels(sc.get('parameters'))}\n")
    expansion = sc.get("allowVolumeExpansion")
    w.write(0, f"AllowVolumeExpansion:\t{'<unset>' if expansion is None else title_bool(expansion)}\n")
    options = sc.get("mountOptions") or []
    if not options:
        w.write(0, "MountOptions:\t<none>\n")
    else:
        w.write(0, "MountOptions:\n")
        for option in options:
            w.write(1, f"{option}\n")
    if sc.get("reclaimPolicy") is not None:
        w.write(0, f"ReclaimPolicy:\t{sc['reclaimPolicy']}\n")
    if sc.get("volumeBindingMode") is not None:
        w.write(0, f"VolumeBindingMode:\t{sc['volumeBindingMode']}\n")
    if sc.get("allowedTopologies") is not None:
        w.write(0, "AllowedTopologies:\t")
        if not sc["allowedTopologies"]:
            w.line("<none>")
        else:
            w.line("")
            for i, term in enumerate(sc["allowedTopologies"]):
                w.write(1, f"Term {i}:\t")
                reqs = term.get("matchLabelExpressions") or []
                if not reqs:
                    w.line("<none>")
                for j, req in enumerate(reqs):
                    if j:
                        w.write(1, "\t")
                    w.write(0, f"{req.get('key', '')} in [{', '.join(req.get('values') or [])}]\n")

