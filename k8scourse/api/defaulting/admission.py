"""The mutating admission plugins whose changes show in `kubectl get -o yaml`: ServiceAccount,
Priority and DefaultTolerationSeconds for Pods (plugin/pkg/admission/{serviceaccount,priority,
defaulttolerationseconds}), DefaultStorageClass for PersistentVolumeClaims
(plugin/pkg/admission/storage/persistentvolume/defaultstorageclass).

Called by the simulated apiserver on create, after decoding and defaulting and before the strategy's
PrepareForCreate, as kube-apiserver orders them. The caller looks up the objects a plugin reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import forbidden_error
from ..objects import deep_copy

Obj = dict[str, Any]

TOKEN_VOLUME_PREFIX = "kube-api-access-"  # serviceaccount.ServiceAccountVolumeName + "-"
TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"  # DefaultAPITokenMountPath
BOUND_TOKEN_EXPIRATION_SECONDS = 3607  # serviceaccount.WarnOnlyBoundTokenExpirationSeconds
DEFAULT_TOLERATION_SECONDS = 300
STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"
# The PriorityClasses every cluster has (pkg/apis/scheduling: SystemPriorityClasses).
SYSTEM_PRIORITY_CLASSES = {"system-node-critical": 2000001000, "system-cluster-critical": 2000000000}


def token_volume(name: str) -> Obj:
    """The projected volume TokenVolumeSource describes (defaultMode set explicitly, see #104464)."""
    return {"name": name, "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": BOUND_TOKEN_EXPIRATION_SECONDS, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {"downwardAPI": {"items": [{"path": "namespace",
                                    "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
    ]}}


def _should_automount(service_account: Obj, spec: Obj) -> bool:
    """shouldAutomount: the pod's preference wins, then the service account's, else true."""
    for source in (spec, service_account):
        if source.get("automountServiceAccountToken") is not None:
            return bool(source["automountServiceAccountToken"])
    return True


def _mount_token(spec: Obj, random_suffix: Callable[[], str]) -> None:
    """mountServiceAccountToken: every container without a mount at the token path gets one; the
    volume is added (named with a random 5-character suffix) unless one already exists."""
    existing = next((v["name"] for v in spec.get("volumes") or [] if v.get("name", "").startswith(TOKEN_VOLUME_PREFIX)), None)
    name = existing or TOKEN_VOLUME_PREFIX + random_suffix()
    needed = False
    for container in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]:
        mounts = container.setdefault("volumeMounts", [])
        if not any(m.get("mountPath") == TOKEN_MOUNT_PATH for m in mounts):
            mounts.append({"mountPath": TOKEN_MOUNT_PATH, "name": name, "readOnly": True})
            needed = True
    if existing is None and needed:
        spec.setdefault("volumes", []).append(token_volume(name))


def _admit_service_account(pod: Obj, service_account: Obj | None, random_suffix: Callable[[], str]) -> None:
    meta, spec = pod.get("metadata") or {}, pod["spec"]
    if MIRROR_POD_ANNOTATION in (meta.get("annotations") or {}):
        return
    if not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = "default"
    spec["serviceAccount"] = spec["serviceAccountName"]  # the v1 alias, kept equal by conversion
    if service_account is None:
        name = spec["serviceAccountName"]
        raise forbidden_error("pods", "", meta.get("name", ""),
                              f"error looking up service account {meta.get('namespace', '')}/{name}: "
                              f'serviceaccount "{name}" not found')
    if _should_automount(service_account, spec):
        _mount_token(spec, random_suffix)
    if not spec.get("imagePullSecrets") and service_account.get("imagePullSecrets"):
        spec["imagePullSecrets"] = [{"name": s.get("name", "")} for s in service_account["imagePullSecrets"]]


def _default_priority_class(classes: Mapping[str, Obj]) -> Obj | None:
    """getDefaultPriorityClass: the global default with the lowest value, if any."""
    defaults = [pc for pc in classes.values() if pc.get("globalDefault")]
    return min(defaults, key=lambda pc: pc.get("value", 0)) if defaults else None


def _admit_priority(pod: Obj, classes: Mapping[str, Obj]) -> None:
    meta, spec = pod.get("metadata") or {}, pod["spec"]
    name = spec.get("priorityClassName")
    if not name:
        default = _default_priority_class(classes)
        if default is None:
            priority, policy = 0, "PreemptLowerPriority"
        else:
            spec["priorityClassName"] = default["metadata"]["name"]
            priority, policy = default.get("value", 0), default.get("preemptionPolicy", "PreemptLowerPriority")
    elif name in classes:
        priority = classes[name].get("value", 0)
        policy = classes[name].get("preemptionPolicy", "PreemptLowerPriority")
    elif name in SYSTEM_PRIORITY_CLASSES:
        priority, policy = SYSTEM_PRIORITY_CLASSES[name], "PreemptLowerPriority"
    else:
        raise forbidden_error("pods", "", meta.get("name", ""), f"no PriorityClass with name {name} was found")
    if spec.get("priority") is not None and spec["priority"] != priority:
        raise forbidden_error("pods", "", meta.get("name", ""),
                              f"the integer value of priority ({spec['priority']}) must not be provided in pod spec; "
                              f"priority admission controller computed {priority} from the given PriorityClass name")
    spec["priority"] = priority
    if spec.get("preemptionPolicy") is not None and spec["preemptionPolicy"] != policy:
        raise forbidden_error("pods", "", meta.get("name", ""),
                              f"the string value of PreemptionPolicy ({spec['preemptionPolicy']}) must not be provided "
                              f"in pod spec; priority admission controller computed {policy} from the given PriorityClass name")
    spec["preemptionPolicy"] = policy


def _tolerates(tolerations: list[Obj], key: str) -> bool:
    return any(t.get("key", "") in (key, "") and t.get("effect", "") in ("NoExecute", "") for t in tolerations)


def _admit_toleration_seconds(spec: Obj) -> None:
    """DefaultTolerationSeconds: not-ready and unreachable NoExecute taints tolerated for 300 s."""
    tolerations = spec.get("tolerations") or []
    for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
        if not _tolerates(tolerations, key):
            tolerations.append({"key": key, "operator": "Exists", "effect": "NoExecute",
                                "tolerationSeconds": DEFAULT_TOLERATION_SECONDS})
    if tolerations:
        spec["tolerations"] = tolerations


def admit_pod(pod: Obj, *, random_suffix: Callable[[], str], service_account: Obj | None,
              priority_classes: Mapping[str, Obj] | None = None) -> Obj:
    """A copy of `pod` after the ServiceAccount, Priority and DefaultTolerationSeconds plugins (in
    kube-apiserver's plugin order). `service_account` is the ServiceAccount the pod names (`default`
    when it names none), or None when it does not exist; `priority_classes` maps user PriorityClass
    names to objects; `random_suffix()` gives the 5 characters of the token volume's name.
    Raises the plugins' 403 `ApiError` for a missing service account or priority class."""
    pod = deep_copy(pod)
    pod.setdefault("spec", {})
    _admit_service_account(pod, service_account, random_suffix)
    _admit_priority(pod, priority_classes or {})
    _admit_toleration_seconds(pod["spec"])
    return pod


def default_storage_class(pvc: Obj, default_class_name: str | None) -> Obj:
    """A copy of `pvc` after DefaultStorageClass: a claim that asks for no class (neither
    `spec.storageClassName`, even "", nor the beta annotation) gets the cluster's default class."""
    pvc = deep_copy(pvc)
    spec = pvc.setdefault("spec", {})
    annotations = (pvc.get("metadata") or {}).get("annotations") or {}
    if default_class_name and spec.get("storageClassName") is None and STORAGE_CLASS_ANNOTATION not in annotations:
        spec["storageClassName"] = default_class_name
    return pvc
