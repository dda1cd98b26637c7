"""Pod, PodSpec and pod-template validation, worded as kube-apiserver v1.33 words it.

Called by `k8scourse.api.validation` for Pod and PodTemplate objects (through `VALIDATORS`) and by the
workload validators (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, ...) through
`validate_pod_template_spec`. Objects arrive defaulted, as the apiserver validates them. Rules and
messages follow k8s.io/kubernetes pkg/apis/core/validation/validation.go (ValidatePodCreate,
ValidatePodUpdate, ValidatePodSpec, ValidatePodTemplateSpec and the helpers they call); field paths are
rendered as Go's field.Path renders them, including Go's own quirks (some errors sit on the list's path
rather than on the item's).

Not modelled (accepted unchecked): container securityContext, volumeDevices, resourceClaims,
topologySpreadConstraints, ephemeral container contents, seccomp/AppArmor annotations, OS-specific rules,
and the storage drivers the simulator does not run (only counted for "more than 1 volume type").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import (
    FieldError,
    GoString,
    duplicate,
    forbidden,
    invalid,
    not_found,
    not_supported,
    required,
)
from ..names import (
    inclusive_range_error,
    invalid_each,
    is_config_map_key,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_dns1123_subdomain_with_underscore,
    is_env_var_name,
    is_http_header_name,
    is_qualified_name,
    is_valid_ip,
    is_valid_label_value,
    is_valid_port_name,
    is_valid_port_num,
    name_is_dns_label,
    name_is_dns_subdomain,
    validate_annotations,
    validate_label_name,
    validate_label_selector,
    validate_labels,
)
from ..objects import deep_copy
from . import KindValidator

Obj = dict[str, Any]
Spec = Mapping[str, Any]

IS_NEGATIVE = "must be greater than or equal to 0"
FILE_MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive"
MAX_INT32 = 2**31 - 1
POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"


# --- small helpers -----------------------------------------------------------------------------------------


def _items(spec: Mapping[str, Any], key: str) -> list[Any]:
    return spec.get(key) or []


def _nonnegative(value: int | None, path: str) -> list[FieldError]:
    """ValidateNonnegativeField."""
    return [invalid(path, value, IS_NEGATIVE)] if (value or 0) < 0 else []


def _dns_label(value: str, path: str) -> list[FieldError]:
    return invalid_each(path, value, is_dns1123_label(value))


def _subdomain(value: str, path: str) -> list[FieldError]:
    return invalid_each(path, value, is_dns1123_subdomain(value))


def _file_mode(mode: int | None, path: str) -> list[FieldError]:
    if mode is not None and (mode > 0o777 or mode < 0):
        return [invalid(path, mode, FILE_MODE_ERROR)]
    return []


def _choice(value: str | None, path: str, supported: tuple[str, ...], allow_empty: bool = False) -> list[FieldError]:
    """The `switch` Go uses for enums: Required when empty, NotSupported when unknown."""
    if not value:
        return [] if allow_empty else [required(path)]
    return [] if value in supported else [not_supported(path, value, supported)]


def _quantity(text: Any) -> Any:
    """Parse a resource quantity with k8scourse.api.quantity (Go's resource.ParseQuantity)."""
    from ..quantity import parse_quantity

    return parse_quantity(text)


def _quantity_or_error(text: Any, path: str) -> tuple[Any, list[FieldError]]:
    try:
        return _quantity(text), []
    except ValueError as err:
        return None, [invalid(path, str(text), str(err))]


# --- paths (validateLocalDescendingPath, ValidateLocalNonReservedPath) ---------------------------------------


def _no_backsteps(target: str, path: str) -> list[FieldError]:
    if ".." in target.split("/"):
        return [invalid(path, target, "must not contain '..'")]
    return []


def _local_descending_path(target: str, path: str) -> list[FieldError]:
    errors = [invalid(path, target, "must be a relative path")] if target.startswith("/") else []
    return errors + _no_backsteps(target, path)


def _local_non_reserved_path(target: str, path: str) -> list[FieldError]:
    errors = _local_descending_path(target, path)
    if target.startswith("..") and not target.startswith("../"):
        errors.append(invalid(path, target, "must not start with '..'"))
    return errors


# --- volumes ----------------------------------------------------------------------------------------------


def _key_to_path(item: Spec, path: str) -> list[FieldError]:
    """validateKeyToPath (configMap/secret items)."""
    errors: list[FieldError] = []
    if not item.get("key"):
        errors.append(required(f"{path}.key"))
    target = item.get("path") or ""
    if not target:
        errors.append(required(f"{path}.path"))
    errors += _local_non_reserved_path(target, f"{path}.path")
    return errors + _file_mode(item.get("mode"), f"{path}.mode")


def _keyed_source(name_key: str) -> Callable[[Spec, str], list[FieldError]]:
    """validateSecretVolumeSource / validateConfigMapVolumeSource: a name, a default mode, items."""

    def validate(source: Spec, path: str) -> list[FieldError]:
        errors = [] if source.get(name_key) else [required(f"{path}.{name_key}")]
        errors += _file_mode(source.get("defaultMode"), f"{path}.defaultMode")
        for i, item in enumerate(_items(source, "items")):
            errors += _key_to_path(item, f"{path}.items[{i}]")
        return errors

    return validate


_HOST_PATH_TYPES = ("", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate",
                    "Socket")


def _host_path(source: Spec, path: str) -> list[FieldError]:
    target = source.get("path") or ""
    if not target:
        return [required(f"{path}.path")]
    errors = _no_backsteps(target, f"{path}.path")
    host_type = source.get("type")
    if host_type is not None and host_type not in _HOST_PATH_TYPES:
        errors.append(not_supported(f"{path}.type", host_type, _HOST_PATH_TYPES))
    return errors


def _empty_dir(source: Spec, path: str) -> list[FieldError]:
    limit = source.get("sizeLimit")
    if limit is None:
        return []
    quantity, errors = _quantity_or_error(limit, f"{path}.sizeLimit")
    if quantity is not None and quantity.sign < 0:
        errors.append(forbidden(f"{path}.sizeLimit", "SizeLimit field must be a valid resource quantity"))
    return errors


def _nfs(source: Spec, path: str) -> list[FieldError]:
    errors = [] if source.get("server") else [required(f"{path}.server")]
    target = source.get("path") or ""
    if not target:
        errors.append(required(f"{path}.path"))
    if not target.startswith("/"):
        errors.append(invalid(f"{path}.path", target, "must be an absolute path"))
    return errors


def _pvc(source: Spec, path: str) -> list[FieldError]:
    return [] if source.get("claimName") else [required(f"{path}.claimName")]


_VOLUME_FIELD_PATHS = ("metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace",
                       "metadata.uid")


def _downward_api_file(item: Spec, path: str) -> list[FieldError]:
    """validateDownwardAPIVolumeFile; Go reports at the volume's path, not the item's."""
    target = item.get("path") or ""
    errors = [] if target else [required(f"{path}.path")]
    errors += _local_non_reserved_path(target, f"{path}.path")
    if item.get("fieldRef") is not None:
        errors += _object_field_selector(item["fieldRef"], _VOLUME_FIELD_PATHS, f"{path}.fieldRef")
        if item.get("resourceFieldRef") is not None:
            errors.append(invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"))
    elif item.get("resourceFieldRef") is not None:
        errors += _resource_field_selector(item["resourceFieldRef"], f"{path}.resourceFieldRef", volume=True)
    else:
        errors.append(required(path, "one of fieldRef and resourceFieldRef is required"))
    return errors + _file_mode(item.get("mode"), f"{path}.mode")


def _downward_api(source: Spec, path: str) -> list[FieldError]:
    errors = _file_mode(source.get("defaultMode"), f"{path}.defaultMode")
    for item in _items(source, "items"):
        errors += _downward_api_file(item, path)
    return errors


_PROJECTION_KINDS = ("secret", "configMap", "downwardAPI", "serviceAccountToken", "clusterTrustBundle")


def _projected(source: Spec, path: str) -> list[FieldError]:
    """validateProjectedVolumeSource and validateProjectionSources."""
    errors = _file_mode(source.get("defaultMode"), f"{path}.defaultMode")
    seen_paths: set[str] = set()

    def claim_path(target: str, value: str) -> None:
        if target in seen_paths:
            errors.append(invalid(path, value, "conflicting duplicate paths"))
        seen_paths.add(target)

    for i, projection in enumerate(_items(source, "sources")):
        src_path = f"{path}.sources[{i}]"
        for kind in ("secret", "configMap"):
            if projection.get(kind) is not None:
                ref = projection[kind]
                if not ref.get("name"):
                    errors.append(required(f"{src_path}.{kind}.name"))
                for j, item in enumerate(_items(ref, "items")):
                    errors += _key_to_path(item, f"{src_path}.{kind}.items[{j}]")
                    if item.get("path"):
                        claim_path(item["path"], ref.get("name", ""))
        if projection.get("downwardAPI") is not None:
            for item in _items(projection["downwardAPI"], "items"):
                errors += _downward_api_file(item, f"{src_path}.downwardAPI")
                if item.get("path"):
                    claim_path(item["path"], item["path"])
        if projection.get("serviceAccountToken") is not None:
            errors += _service_account_token(projection["serviceAccountToken"], src_path, path)
        if sum(1 for kind in _PROJECTION_KINDS if projection.get(kind) is not None) > 1:
            errors.append(forbidden(src_path, "may not specify more than 1 volume type per source"))
    return errors


def _service_account_token(token: Spec, src_path: str, volume_path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    seconds = token.get("expirationSeconds") or 0
    if seconds < 600:
        errors.append(invalid(f"{src_path}.serviceAccountToken.expirationSeconds", seconds,
                              "may not specify a duration less than 10 minutes"))
    if seconds > 1 << 32:
        errors.append(invalid(f"{src_path}.serviceAccountToken.expirationSeconds", seconds,
                              "may not specify a duration larger than 2^32 seconds"))
    if not token.get("path"):
        errors.append(required(f"{volume_path}.path"))
    else:
        errors += _local_non_reserved_path(token["path"], f"{volume_path}.path")
    return errors


def _unchecked(_source: Spec, _path: str) -> list[FieldError]:
    return []


# Every volume source in Go's order: (JSON key, path Go names in "more than 1 volume type", validator).
_VOLUME_SOURCES: tuple[tuple[str, str, Callable[[Spec, str], list[FieldError]]], ...] = (
    ("emptyDir", "emptyDir", _empty_dir),
    ("hostPath", "hostPath", _host_path),
    ("gitRepo", "gitRepo", _unchecked),
    ("gcePersistentDisk", "gcePersistentDisk", _unchecked),
    ("awsElasticBlockStore", "awsElasticBlockStore", _unchecked),
    ("secret", "secret", _keyed_source("secretName")),
    ("nfs", "nfs", _nfs),
    ("iscsi", "iscsi", _unchecked),
    ("glusterfs", "glusterfs", _unchecked),
    ("flocker", "flocker", _unchecked),
    ("persistentVolumeClaim", "persistentVolumeClaim", _pvc),
    ("rbd", "rbd", _unchecked),
    ("cinder", "cinder", _unchecked),
    ("cephfs", "cephFS", _unchecked),
    ("quobyte", "quobyte", _unchecked),
    ("downwardAPI", "downwarAPI", _downward_api),  # sic: Go's path has this typo
    ("fc", "fc", _unchecked),
    ("flexVolume", "flexVolume", _unchecked),
    ("configMap", "configMap", _keyed_source("name")),
    ("azureFile", "azureFile", _unchecked),
    ("vsphereVolume", "vsphereVolume", _unchecked),
    ("photonPersistentDisk", "photonPersistentDisk", _unchecked),
    ("portworxVolume", "portworxVolume", _unchecked),
    ("azureDisk", "azureDisk", _unchecked),
    ("storageos", "storageos", _unchecked),
    ("projected", "projected", _projected),
    ("scaleIO", "scaleIO", _unchecked),
    ("csi", "csi", _unchecked),
    ("ephemeral", "ephemeral", _unchecked),
    ("image", "image", _unchecked),
)


def _volume_source(volume: Spec, path: str) -> list[FieldError]:
    """validateVolumeSource: exactly one source, each checked by its own rules."""
    errors: list[FieldError] = []
    count = 0
    for key, go_name, validate in _VOLUME_SOURCES:
        if volume.get(key) is None:
            continue
        if count:
            errors.append(forbidden(f"{path}.{go_name}", "may not specify more than 1 volume type"))
        else:
            count += 1
            errors += validate(volume[key], f"{path}.{key}")
    if not count:
        errors.append(required(path, "must specify a volume type"))
    return errors


def validate_volumes(volumes: list[Spec], path: str) -> tuple[dict[str, Spec], list[FieldError]]:
    """ValidateVolumes: returns the valid volumes by name (mounts may only refer to those) and the errors."""
    valid: dict[str, Spec] = {}
    errors: list[FieldError] = []
    for i, volume in enumerate(volumes):
        name = volume.get("name") or ""
        volume_errors = _volume_source(volume, f"{path}[{i}]")
        volume_errors += _dns_label(name, f"{path}[{i}].name") if name else [required(f"{path}[{i}].name")]
        if name in valid:
            volume_errors.append(duplicate(f"{path}[{i}].name", name))
        if volume_errors:
            errors += volume_errors
        else:
            valid[name] = volume
    return valid, errors


# --- env -------------------------------------------------------------------------------------------------

_ENV_FIELD_PATHS = ("metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
                    "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs")
# pkg/apis/core/pods ConvertDownwardAPIFieldLabel: what a v1 fieldRef may name at all.
_CONVERTIBLE_FIELD_PATHS = ("metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace",
                            "metadata.uid", "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName",
                            "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs",
                            "status.podIP", "status.podIPs", "spec.host")
_SUBSCRIPT_RE = re.compile(r"(.+)\['(.*)'\]")


def _object_field_selector(ref: Spec, expressions: tuple[str, ...], path: str) -> list[FieldError]:
    """validateObjectFieldSelector (fieldRef)."""
    if not ref.get("apiVersion"):
        return [required(f"{path}.apiVersion")]
    field_path = ref.get("fieldPath") or ""
    if not field_path:
        return [required(f"{path}.fieldPath")]
    if ref["apiVersion"] != "v1":
        return [invalid(f"{path}.fieldPath", field_path,
                        f"error converting fieldPath: unsupported pod version: {ref['apiVersion']}")]
    subscripted = _SUBSCRIPT_RE.fullmatch(field_path)
    if subscripted:
        base, key = subscripted.groups()
        if base == "metadata.annotations":
            return invalid_each(path, key.lower(), is_qualified_name(key.lower()))
        if base == "metadata.labels":
            return invalid_each(path, key, is_qualified_name(key))
        return [invalid(f"{path}.fieldPath", field_path,
                        f"error converting fieldPath: field label does not support subscript: {field_path}")]
    if field_path not in _CONVERTIBLE_FIELD_PATHS:
        return [invalid(f"{path}.fieldPath", field_path,
                        f"error converting fieldPath: field label not supported: {field_path}")]
    internal = "spec.nodeName" if field_path == "spec.host" else field_path
    if internal not in expressions:
        return [not_supported(f"{path}.fieldPath", internal, expressions)]
    return []


_RESOURCE_FIELD_PATHS = ("limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu",
                         "requests.ephemeral-storage", "requests.memory")
_DIVISORS_CPU = ("1m", "1")
_DIVISORS_BYTES = ("1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei")
_DIVISOR_MESSAGES = {
    "cpu": "only divisor's values 1m and 1 are supported with the cpu resource",
    "memory": "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported "
              "with the memory resource",
    "ephemeral-storage": "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are "
                         "supported with the local ephemeral storage resource",
}


def _resource_field_selector(ref: Spec, path: str, volume: bool) -> list[FieldError]:
    """validateContainerResourceFieldSelector (resourceFieldRef)."""
    errors: list[FieldError] = []
    resource = ref.get("resource") or ""
    if volume and not ref.get("containerName"):
        errors.append(required(f"{path}.containerName"))
    elif not resource:
        errors.append(required(f"{path}.resource"))
    elif resource not in _RESOURCE_FIELD_PATHS and not resource.startswith(("requests.hugepages-",
                                                                            "limits.hugepages-")):
        errors.append(not_supported(f"{path}.resource", resource, _RESOURCE_FIELD_PATHS))
    return errors + _divisor(resource, ref.get("divisor"), path)


def _divisor(resource: str, divisor: Any, path: str) -> list[FieldError]:
    if divisor is None:
        return []
    quantity, errors = _quantity_or_error(divisor, f"{path}.divisor")
    if quantity is None or quantity.is_zero:
        return errors
    kind = resource.partition(".")[2]
    allowed = _DIVISORS_CPU if kind == "cpu" else _DIVISORS_BYTES
    if kind in _DIVISOR_MESSAGES and str(quantity) not in allowed:
        return [invalid(f"{path}.divisor", resource, _DIVISOR_MESSAGES[kind])]
    return []


def _key_selector(ref: Spec, path: str) -> list[FieldError]:
    """validateConfigMapKeySelector / validateSecretKeySelector."""
    name = ref.get("name") or ""
    errors = invalid_each(f"{path}.name", name, name_is_dns_subdomain(name, False))
    key = ref.get("key") or ""
    if not key:
        return errors + [required(f"{path}.key")]
    return errors + invalid_each(f"{path}.key", key, is_config_map_key(key))


def _env_value_from(var: Spec, path: str) -> list[FieldError]:
    """validateEnvVarValueFrom: exactly one source, and no `value` beside it."""
    source = var.get("valueFrom")
    if source is None:
        return []
    errors: list[FieldError] = []
    checks = (
        ("fieldRef", lambda ref, p: _object_field_selector(ref, _ENV_FIELD_PATHS, p)),
        ("resourceFieldRef", lambda ref, p: _resource_field_selector(ref, p, volume=False)),
        ("configMapKeyRef", _key_selector),
        ("secretKeyRef", _key_selector),
    )
    count = 0
    for key, check in checks:
        if source.get(key) is not None:
            count += 1
            errors += check(source[key], f"{path}.{key}")
    if count == 0:
        errors.append(invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` "
                                        "or `secretKeyRef`"))
    elif var.get("value"):
        errors.append(invalid(path, "", "may not be specified when `value` is not empty"))
    elif count > 1:
        errors.append(invalid(path, "", "may not have more than one field specified at a time"))
    return errors


def validate_env(env: list[Spec], path: str) -> list[FieldError]:
    """ValidateEnv (relaxed env var names, as v1.33 enables RelaxedEnvironmentVariableValidation)."""
    errors: list[FieldError] = []
    for i, var in enumerate(env):
        name = var.get("name") or ""
        if not name:
            errors.append(required(f"{path}[{i}].name"))
        else:
            errors += invalid_each(f"{path}[{i}].name", name, is_env_var_name(name))
        errors += _env_value_from(var, f"{path}[{i}].valueFrom")
    return errors


def validate_env_from(sources: list[Spec], path: str) -> list[FieldError]:
    """ValidateEnvFrom; the "must specify one of" error sits on the list's path, as in Go."""
    errors: list[FieldError] = []
    for i, source in enumerate(sources):
        prefix = source.get("prefix") or ""
        if prefix:
            errors += invalid_each(f"{path}[{i}].prefix", prefix, is_env_var_name(prefix))
        count = 0
        for key in ("configMapRef", "secretRef"):
            if source.get(key) is not None:
                count += 1
                name = source[key].get("name") or ""
                if not name:
                    errors.append(required(f"{path}[{i}].{key}.name"))
                else:
                    errors += invalid_each(f"{path}[{i}].{key}.name", name, name_is_dns_subdomain(name, True))
        if count == 0:
            errors.append(invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"))
        elif count > 1:
            errors.append(invalid(path, "", "may not have more than one field specified at a time"))
    return errors


# --- ports, mounts -------------------------------------------------------------------------------------------

_PROTOCOLS = ("SCTP", "TCP", "UDP")


def validate_container_ports(ports: list[Spec], path: str) -> list[FieldError]:
    """validateContainerPorts: names IANA_SVC_NAME and unique, containerPort 1-65535, hostPort, protocol."""
    errors: list[FieldError] = []
    names: set[str] = set()
    for i, port in enumerate(ports):
        item = f"{path}[{i}]"
        name = port.get("name") or ""
        if name:
            messages = is_valid_port_name(name)
            if messages:
                errors += invalid_each(f"{item}.name", name, messages)
            elif name in names:
                errors.append(duplicate(f"{item}.name", name))
            else:
                names.add(name)
        container_port = port.get("containerPort") or 0
        if container_port == 0:
            errors.append(required(f"{item}.containerPort"))
        else:
            errors += invalid_each(f"{item}.containerPort", container_port, is_valid_port_num(container_port))
        host_port = port.get("hostPort") or 0
        if host_port:
            errors += invalid_each(f"{item}.hostPort", host_port, is_valid_port_num(host_port))
        errors += _choice(port.get("protocol"), f"{item}.protocol", _PROTOCOLS)
    return errors


_PROPAGATIONS = ("Bidirectional", "HostToContainer", "None")
_RECURSIVE_READ_ONLY = ("Disabled", "Enabled", "IfPossible")


def validate_volume_mounts(mounts: list[Spec], volumes: Mapping[str, Spec], container: Spec,
                           path: str) -> list[FieldError]:
    """ValidateVolumeMounts: names refer to valid volumes, mount paths required and unique, sub-paths."""
    errors: list[FieldError] = []
    mount_points: set[str] = set()
    for i, mount in enumerate(mounts):
        item = f"{path}[{i}]"
        name = mount.get("name") or ""
        mount_path = mount.get("mountPath") or ""
        if not name:
            errors.append(required(f"{item}.name"))
        if name not in volumes:
            errors.append(not_found(f"{item}.name", name))
        if not mount_path:
            errors.append(required(f"{item}.mountPath"))
        if mount_path in mount_points:
            errors.append(invalid(f"{item}.mountPath", mount_path, "must be unique"))
        mount_points.add(mount_path)
        errors += _sub_paths(mount, item, path)
        errors += _mount_propagation(mount, container, path)
        errors += _recursive_read_only(mount, f"{path}.recursiveReadOnly")
    return errors


def _sub_paths(mount: Spec, item: str, path: str) -> list[FieldError]:
    # Go checks the sub-paths against the list's path (fldPath.Child("subPath")), not the item's.
    errors: list[FieldError] = []
    sub_path = mount.get("subPath") or ""
    sub_path_expr = mount.get("subPathExpr") or ""
    if sub_path:
        errors += _local_descending_path(sub_path, f"{path}.subPath")
    if sub_path_expr:
        if sub_path:
            errors.append(invalid(f"{item}.subPathExpr", sub_path_expr, "subPathExpr and subPath are mutually exclusive"))
        errors += _local_descending_path(sub_path_expr, f"{path}.subPathExpr")
    return errors


def _mount_propagation(mount: Spec, container: Spec, path: str) -> list[FieldError]:
    propagation = mount.get("mountPropagation")
    if propagation is None:
        return []
    errors: list[FieldError] = []
    if propagation not in _PROPAGATIONS:
        errors.append(not_supported(f"{path}.mountPropagation", propagation, _PROPAGATIONS))
    privileged = bool((container.get("securityContext") or {}).get("privileged"))
    if propagation == "Bidirectional" and not privileged:
        errors.append(forbidden(f"{path}.mountPropagation",
                                "Bidirectional mount propagation is available only to privileged containers"))
    return errors


def _recursive_read_only(mount: Spec, path: str) -> list[FieldError]:
    value = mount.get("recursiveReadOnly")
    if value is None or value == "Disabled":
        return []
    if value not in _RECURSIVE_READ_ONLY:
        return [not_supported(path, value, _RECURSIVE_READ_ONLY)]
    errors: list[FieldError] = []
    if not mount.get("readOnly"):
        errors.append(forbidden(path, "may only be specified when readOnly is true"))
    if mount.get("mountPropagation") not in (None, "None"):
        errors.append(forbidden(path, "may only be specified when mountPropagation is None or not specified"))
    return errors


# --- probes and lifecycle handlers --------------------------------------------------------------------------------


def validate_port_num_or_name(port: Any, path: str) -> list[FieldError]:
    """ValidatePortNumOrName (an IntOrString port; an absent one is the integer 0, as in Go)."""
    if port is None:
        port = 0
    if isinstance(port, int):
        return invalid_each(path, port, is_valid_port_num(port))
    return invalid_each(path, port or "", is_valid_port_name(port or ""))


def _http_get(action: Spec, path: str) -> list[FieldError]:
    errors = [] if action.get("path") else [required(f"{path}.path")]
    errors += validate_port_num_or_name(action.get("port"), f"{path}.port")
    scheme = action.get("scheme") or ""
    if scheme not in ("HTTP", "HTTPS"):
        errors.append(not_supported(f"{path}.scheme", scheme, ("HTTP", "HTTPS")))
    for header in _items(action, "httpHeaders"):
        name = header.get("name") or ""
        errors += invalid_each(f"{path}.httpHeaders", name, is_http_header_name(name))
    return errors


def _sleep(action: Spec, path: str, grace_period: int | None) -> list[FieldError]:
    seconds = action.get("seconds") or 0
    # PodLifecycleSleepActionAllowZero is beta and on in v1.33.
    if grace_period is not None and (seconds < 0 or seconds > grace_period):
        return [invalid(path, seconds,
                        f"must be non-negative and less than terminationGracePeriodSeconds ({grace_period})")]
    return []


def _handler(handler: Spec, path: str, grace_period: int | None, kinds: tuple[str, ...]) -> list[FieldError]:
    """validateHandler: exactly one of the handler types allowed here."""
    validators: dict[str, Callable[[Spec, str], list[FieldError]]] = {
        "exec": lambda a, p: [] if a.get("command") else [required(f"{p}.command")],
        "httpGet": _http_get,
        "tcpSocket": lambda a, p: validate_port_num_or_name(a.get("port"), f"{p}.port"),
        "grpc": lambda a, p: validate_port_num_or_name(a.get("port") or 0, f"{p}.port"),
        "sleep": lambda a, p: _sleep(a, p, grace_period),
    }
    errors: list[FieldError] = []
    count = 0
    for kind in kinds:
        if handler.get(kind) is None:
            continue
        if count:
            errors.append(forbidden(f"{path}.{kind}", "may not specify more than 1 handler type"))
        else:
            count += 1
            errors += validators[kind](handler[kind], f"{path}.{kind}")
    if not count:
        errors.append(required(path, "must specify a handler type"))
    return errors


_PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
_LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")


def _probe(probe: Spec | None, path: str, grace_period: int | None, kind: str) -> list[FieldError]:
    """validateLivenessProbe / validateReadinessProbe / validateStartupProbe."""
    if probe is None:
        return []
    errors = _handler(probe, path, grace_period, _PROBE_HANDLERS)
    for key in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
        errors += _nonnegative(probe.get(key), f"{path}.{key}")
    probe_grace = probe.get("terminationGracePeriodSeconds")
    if probe_grace is not None and probe_grace <= 0:
        errors.append(invalid(f"{path}.terminationGracePeriodSeconds", probe_grace, "must be greater than 0"))
    if kind == "readiness":
        if probe_grace is not None:
            errors.append(invalid(f"{path}.terminationGracePeriodSeconds", probe_grace,
                                  "must not be set for readinessProbes"))
    elif probe.get("successThreshold") != 1:
        errors.append(invalid(f"{path}.successThreshold", probe.get("successThreshold") or 0, "must be 1"))
    return errors


def _lifecycle(lifecycle: Spec, path: str, grace_period: int | None) -> list[FieldError]:
    errors: list[FieldError] = []
    for hook in ("postStart", "preStop"):
        if lifecycle.get(hook) is not None:
            errors += _handler(lifecycle[hook], f"{path}.{hook}", grace_period, _LIFECYCLE_HANDLERS)
    return errors


def _probes_and_lifecycle(container: Spec, path: str, grace_period: int | None) -> list[FieldError]:
    errors: list[FieldError] = []
    if container.get("lifecycle") is not None:
        errors += _lifecycle(container["lifecycle"], f"{path}.lifecycle", grace_period)
    errors += _probe(container.get("livenessProbe"), f"{path}.livenessProbe", grace_period, "liveness")
    errors += _probe(container.get("readinessProbe"), f"{path}.readinessProbe", grace_period, "readiness")
    errors += _probe(container.get("startupProbe"), f"{path}.startupProbe", grace_period, "startup")
    return errors


# --- resources ------------------------------------------------------------------------------------------

_STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
_STANDARD_RESOURCES = _STANDARD_CONTAINER_RESOURCES + (
    "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
    "limits.ephemeral-storage", "pods", "resourcequotas", "replicationcontrollers", "services",
    "services.loadbalancers", "services.nodeports", "secrets", "configmaps", "persistentvolumeclaims", "storage",
    "requests.storage")


def _is_hugepages(name: str) -> bool:
    return name.startswith("hugepages-")


def _is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def _is_extended(name: str) -> bool:
    return not _is_native(name) and not name.startswith("requests.") and not is_qualified_name("requests." + name)


def _overcommit_allowed(name: str) -> bool:
    return _is_native(name) and not _is_hugepages(name)


def _container_resource_name(name: str, path: str) -> list[FieldError]:
    """validateResourceName + validateContainerResourceName."""
    errors = invalid_each(path, name, is_qualified_name(name))
    unprefixed = "/" not in name
    if not errors and unprefixed and name not in _STANDARD_RESOURCES and not _is_hugepages(name):
        errors.append(invalid(path, name, "must be a standard resource type or fully qualified"))
    if unprefixed:
        if name not in _STANDARD_CONTAINER_RESOURCES and not _is_hugepages(name):
            errors.append(invalid(path, name, "must be a standard resource for containers"))
    elif not _is_native(name) and not _is_extended(name):
        errors.append(invalid(path, name, "doesn't follow extended resource name standard"))
    return errors


def _quantity_value(name: str, text: Any, path: str) -> tuple[Any, list[FieldError]]:
    """ValidateResourceQuantityValue: not negative, and whole for extended resources."""
    quantity, errors = _quantity_or_error(text, path)
    if quantity is None:
        return None, errors
    if quantity.sign < 0:
        errors.append(invalid(path, str(quantity), IS_NEGATIVE))
    if _is_extended(name) and quantity.milli_value() % 1000 != 0:
        errors.append(invalid(path, GoString(str(quantity)), "must be an integer"))
    return quantity, errors


def validate_resource_requirements(resources: Spec, path: str) -> list[FieldError]:
    """ValidateContainerResourceRequirements: valid names and quantities, requests <= limits."""
    errors: list[FieldError] = []
    limits_path, requests_path = f"{path}.limits", f"{path}.requests"
    limits: dict[str, Any] = {}
    compute_seen = hugepages_seen = False
    for name in sorted(resources.get("limits") or {}):
        errors += _container_resource_name(name, f"{limits_path}[{name}]")
        quantity, quantity_errors = _quantity_value(name, resources["limits"][name], f"{limits_path}[{name}]")
        errors += quantity_errors
        if quantity is not None:
            limits[name] = quantity
        hugepages_seen |= _is_hugepages(name)
        compute_seen |= name in ("cpu", "memory")
    for name in sorted(resources.get("requests") or {}):
        errors += _container_resource_name(name, f"{requests_path}[{name}]")
        quantity, quantity_errors = _quantity_value(name, resources["requests"][name], f"{requests_path}[{name}]")
        errors += quantity_errors
        errors += _request_within_limit(name, quantity, limits, resources.get("limits") or {}, path)
        hugepages_seen |= _is_hugepages(name)
        compute_seen |= name in ("cpu", "memory")
    if hugepages_seen and not compute_seen:
        errors.append(forbidden(path, "HugePages require cpu or memory"))
    return errors


def _request_within_limit(name: str, request: Any, limits: Mapping[str, Any], raw_limits: Mapping[str, Any],
                          path: str) -> list[FieldError]:
    limit = limits.get(name)
    if request is None or (name in raw_limits and limit is None):
        return []
    if limit is not None:
        if request.cmp(limit) != 0 and not _overcommit_allowed(name):
            return [invalid(f"{path}.requests", str(request), f"must be equal to {name} limit of {limit}")]
        if request.cmp(limit) > 0:
            return [invalid(f"{path}.requests", str(request), f"must be less than or equal to {name} limit of {limit}")]
        return []
    if not _overcommit_allowed(name):
        return [required(f"{path}.limits", "Limit must be set for non overcommitable resources")]
    return []


_RESIZE_RESOURCES = ("cpu", "memory")
_RESIZE_POLICIES = ("NotRequired", "RestartContainer")


def _resize_policy(policies: list[Spec], path: str, restart_policy: str) -> list[FieldError]:
    """validateResizePolicy (errors on the list's path, as in Go, except duplicates)."""
    errors: list[FieldError] = []
    seen: set[str] = set()
    for i, policy in enumerate(policies):
        resource = policy.get("resourceName") or ""
        if resource in seen:
            errors.append(duplicate(f"{path}[{i}]", resource))
        seen.add(resource)
        errors += _choice(resource, path, _RESIZE_RESOURCES)
        errors += _choice(policy.get("restartPolicy"), path, _RESIZE_POLICIES)
        if restart_policy == "Never" and policy.get("restartPolicy") != "NotRequired":
            errors.append(invalid(path, policy.get("restartPolicy") or "",
                                  "must be 'NotRequired' when `restartPolicy` is 'Never'"))
    return errors


# --- containers ----------------------------------------------------------------------------------------------

_PULL_POLICIES = ("Always", "IfNotPresent", "Never")
_TERMINATION_MESSAGE_POLICIES = ("File", "FallbackToLogsOnError")


def _container_common(container: Spec, volumes: Mapping[str, Spec], path: str,
                      restart_policy: str) -> list[FieldError]:
    """validateContainerCommon: the rules every container kind shares."""
    name = container.get("name") or ""
    errors = _dns_label(name, f"{path}.name") if name else [required(f"{path}.name")]
    if not container.get("image"):
        errors.append(required(f"{path}.image"))
    errors += _choice(container.get("terminationMessagePolicy"), f"{path}.terminationMessagePolicy",
                      _TERMINATION_MESSAGE_POLICIES)
    errors += validate_container_ports(_items(container, "ports"), f"{path}.ports")
    errors += validate_env(_items(container, "env"), f"{path}.env")
    errors += validate_env_from(_items(container, "envFrom"), f"{path}.envFrom")
    errors += validate_volume_mounts(_items(container, "volumeMounts"), volumes, container, f"{path}.volumeMounts")
    errors += _choice(container.get("imagePullPolicy"), f"{path}.imagePullPolicy", _PULL_POLICIES)
    errors += validate_resource_requirements(container.get("resources") or {}, f"{path}.resources")
    errors += _resize_policy(_items(container, "resizePolicy"), f"{path}.resizePolicy", restart_policy)
    return errors


def _host_port_conflicts(containers: list[Spec], path: str) -> list[FieldError]:
    """checkHostPortConflicts: `<protocol>/<hostIP>/<hostPort>` may appear once."""
    errors: list[FieldError] = []
    seen: set[str] = set()
    for ci, container in enumerate(containers):
        for pi, port in enumerate(_items(container, "ports")):
            if not port.get("hostPort"):
                continue
            key = f"{port.get('protocol') or ''}/{port.get('hostIP') or ''}/{port['hostPort']}"
            if key in seen:
                errors.append(duplicate(f"{path}[{ci}].ports[{pi}].hostPort", key))
            seen.add(key)
    return errors


def _validate_containers(spec: Spec, volumes: Mapping[str, Spec], path: str,
                         grace_period: int | None) -> list[FieldError]:
    """validateContainers: at least one, unique names, probes and hooks."""
    containers = _items(spec, "containers")
    if not containers:
        return [required(path)]
    errors: list[FieldError] = []
    names: set[str] = set()
    for i, container in enumerate(containers):
        item = f"{path}[{i}]"
        errors += _container_common(container, volumes, item, spec.get("restartPolicy") or "")
        name = container.get("name") or ""
        if name in names:
            errors.append(duplicate(f"{item}.name", name))
        names.add(name)
        errors += _probes_and_lifecycle(container, item, grace_period)
        if container.get("restartPolicy") is not None:
            errors.append(forbidden(f"{item}.restartPolicy", "may not be set for non-init containers"))
    return errors + _host_port_conflicts(containers, path)


_INIT_ONLY = "may not be set for init containers without restartPolicy=Always"


def _validate_init_containers(spec: Spec, volumes: Mapping[str, Spec], path: str,
                              grace_period: int | None) -> list[FieldError]:
    """validateInitContainers: names unique across regular and init containers; sidecars may probe."""
    errors: list[FieldError] = []
    names = {c.get("name") or "" for c in _items(spec, "containers")}
    for i, container in enumerate(_items(spec, "initContainers")):
        item = f"{path}[{i}]"
        errors += _container_common(container, volumes, item, spec.get("restartPolicy") or "")
        restart = container.get("restartPolicy")
        if restart is not None and restart != "Always":
            errors.append(not_supported(f"{item}.restartPolicy", restart, ("Always",)))
        name = container.get("name") or ""
        if name in names:
            errors.append(duplicate(f"{item}.name", name))
        elif name:
            names.add(name)
        errors += _host_port_conflicts([container], path)
        if restart == "Always":
            errors += _probes_and_lifecycle(container, item, grace_period)
        else:
            for key in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if container.get(key) is not None:
                    errors.append(forbidden(f"{item}.{key}", _INIT_ONLY))
    return errors


# --- scheduling: affinity, tolerations ----------------------------------------------------------------------


def _node_selector_requirement(req: Spec, path: str, allow_invalid_values: bool) -> list[FieldError]:
    """ValidateNodeSelectorRequirement."""
    errors: list[FieldError] = []
    op = req.get("operator") or ""
    values = req.get("values") or []
    if op in ("In", "NotIn"):
        if not values:
            errors.append(required(f"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errors.append(forbidden(f"{path}.values",
                                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
    elif op in ("Gt", "Lt"):
        if len(values) != 1:
            errors.append(required(f"{path}.values", "must be specified single value when `operator` is 'Lt' or 'Gt'"))
    else:
        errors.append(invalid(f"{path}.operator", op, "not a valid selector operator"))
    errors += validate_label_name(req.get("key") or "", f"{path}.key")
    if not allow_invalid_values:
        for i, value in enumerate(values):
            errors += invalid_each(f"{path}.values[{i}]", value, is_valid_label_value(value))
    return errors


def _node_field_requirement(req: Spec, path: str) -> list[FieldError]:
    """ValidateNodeFieldSelectorRequirement (matchFields: only metadata.name)."""
    errors: list[FieldError] = []
    if req.get("operator") in ("In", "NotIn"):
        if len(req.get("values") or []) != 1:
            errors.append(required(f"{path}.values",
                                   "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"))
    else:
        errors.append(invalid(f"{path}.operator", req.get("operator") or "", "not a valid selector operator"))
    if req.get("key") != "metadata.name":
        errors.append(invalid(f"{path}.key", req.get("key") or "", "not a valid field selector key"))
    else:
        for i, value in enumerate(req.get("values") or []):
            errors += invalid_each(f"{path}.values[{i}]", value, name_is_dns_subdomain(value, False))
    return errors


def _node_selector_term(term: Spec, path: str, allow_invalid_values: bool) -> list[FieldError]:
    errors: list[FieldError] = []
    for j, req in enumerate(_items(term, "matchExpressions")):
        errors += _node_selector_requirement(req, f"{path}.matchExpressions[{j}]", allow_invalid_values)
    for j, req in enumerate(_items(term, "matchFields")):
        errors += _node_field_requirement(req, f"{path}.matchFields[{j}]")
    return errors


def _node_affinity(affinity: Spec, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    required_selector = affinity.get("requiredDuringSchedulingIgnoredDuringExecution")
    if required_selector is not None:
        terms_path = f"{path}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"
        terms = _items(required_selector, "nodeSelectorTerms")
        if not terms:
            errors.append(required(terms_path, "must have at least one node selector term"))
        for i, term in enumerate(terms):
            errors += _node_selector_term(term, f"{terms_path}[{i}]", False)
    for i, term in enumerate(_items(affinity, "preferredDuringSchedulingIgnoredDuringExecution")):
        item = f"{path}.preferredDuringSchedulingIgnoredDuringExecution[{i}]"
        errors += _weight(term.get("weight") or 0, f"{item}.weight")
        errors += _node_selector_term(term.get("preference") or {}, f"{item}.preference", True)
    return errors


def _weight(weight: int, path: str) -> list[FieldError]:
    return [] if 0 < weight <= 100 else [invalid(path, weight, "must be in the range 1-100")]


def _pod_affinity_term(term: Spec, path: str) -> list[FieldError]:
    """validatePodAffinityTerm (namespace errors sit at `.namespace`, as Go names them)."""
    errors = validate_label_selector(term.get("labelSelector"), f"{path}.labelSelector")
    errors += validate_label_selector(term.get("namespaceSelector"), f"{path}.namespaceSelector")
    for namespace in _items(term, "namespaces"):
        errors += invalid_each(f"{path}.namespace", namespace, name_is_dns_label(namespace, False))
    topology_key = term.get("topologyKey") or ""
    if not topology_key:
        errors.append(required(f"{path}.topologyKey", "can not be empty"))
    return errors + validate_label_name(topology_key, f"{path}.topologyKey")


def _pod_affinity(affinity: Spec, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for i, term in enumerate(_items(affinity, "requiredDuringSchedulingIgnoredDuringExecution")):
        errors += _pod_affinity_term(term, f"{path}.requiredDuringSchedulingIgnoredDuringExecution[{i}]")
    for i, term in enumerate(_items(affinity, "preferredDuringSchedulingIgnoredDuringExecution")):
        item = f"{path}.preferredDuringSchedulingIgnoredDuringExecution[{i}]"
        errors += _weight(term.get("weight") or 0, f"{item}.weight")
        errors += _pod_affinity_term(term.get("podAffinityTerm") or {}, f"{item}.podAffinityTerm")
    return errors


def _affinity(affinity: Spec | None, path: str) -> list[FieldError]:
    if affinity is None:
        return []
    errors: list[FieldError] = []
    if affinity.get("nodeAffinity") is not None:
        errors += _node_affinity(affinity["nodeAffinity"], f"{path}.nodeAffinity")
    for key in ("podAffinity", "podAntiAffinity"):
        if affinity.get(key) is not None:
            errors += _pod_affinity(affinity[key], f"{path}.{key}")
    return errors


_TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def validate_tolerations(tolerations: list[Spec], path: str) -> list[FieldError]:
    """ValidateTolerations."""
    errors: list[FieldError] = []
    for i, toleration in enumerate(tolerations):
        item = f"{path}[{i}]"
        key = toleration.get("key") or ""
        op = toleration.get("operator") or ""
        effect = toleration.get("effect") or ""
        value = toleration.get("value") or ""
        if key:
            errors += validate_label_name(key, f"{item}.key")
        if not key and op != "Exists":
            errors.append(invalid(f"{item}.operator", op,
                                  'operator must be Exists when `key` is empty, which means "match all values and all keys"'))
        if toleration.get("tolerationSeconds") is not None and effect != "NoExecute":
            errors.append(invalid(f"{item}.effect", effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
        if op in ("Equal", ""):
            messages = is_valid_label_value(value)
            if messages:
                errors.append(invalid(f"{item}.operator", value, ";".join(messages)))
        elif op == "Exists":
            if value:
                errors.append(invalid(f"{item}.operator", value, "value must be empty when `operator` is 'Exists'"))
        else:
            errors.append(not_supported(f"{item}.operator", op, ("Equal", "Exists")))
        if effect and effect not in _TAINT_EFFECTS:
            errors.append(not_supported(f"{item}.effect", effect, _TAINT_EFFECTS))
    return errors


# --- pod-level fields --------------------------------------------------------------------------------------

_RESTART_POLICIES = ("Always", "OnFailure", "Never")
_DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
_PREEMPTION_POLICIES = ("PreemptLowerPriority", "Never")


def _dns_config(spec: Spec, path: str) -> list[FieldError]:
    """validatePodDNSConfig (relaxed search validation, beta and on in v1.33)."""
    config = spec.get("dnsConfig")
    if spec.get("dnsPolicy") == "None":
        if config is None:
            return [required(path, "must provide `dnsConfig` when `dnsPolicy` is None")]
        if not config.get("nameservers"):
            return [required(f"{path}.nameservers", "must provide at least one DNS nameserver when `dnsPolicy` is None")]
    if config is None:
        return []
    errors: list[FieldError] = []
    nameservers = _items(config, "nameservers")
    if len(nameservers) > 3:
        errors.append(invalid(f"{path}.nameservers", nameservers, "must not have more than 3 nameservers"))
    for i, server in enumerate(nameservers):
        errors += invalid_each(f"{path}.nameservers[{i}]", server, is_valid_ip(server))
    searches = _items(config, "searches")
    if len(searches) > 32:
        errors.append(invalid(f"{path}.searches", searches, "must not have more than 32 search paths"))
    if len(" ".join(searches)) > 2048:
        errors.append(invalid(f"{path}.searches", searches,
                              "must not have more than 2048 characters (including spaces) in the search list"))
    for i, search in enumerate(searches):
        if search != ".":
            search = search.removesuffix(".")
            errors += invalid_each(f"{path}.searches[{i}]", search, is_dns1123_subdomain_with_underscore(search))
    for i, option in enumerate(_items(config, "options")):
        if not option.get("name"):
            errors.append(required(f"{path}.options[{i}]", "must not be empty"))
    return errors


def _security_context(spec: Spec, path: str) -> list[FieldError]:
    """validatePodSpecSecurityContext: the id ranges and shareProcessNamespace (the rest is not modelled)."""
    context = spec.get("securityContext") or {}
    errors: list[FieldError] = []
    id_range = inclusive_range_error(0, MAX_INT32)
    for key in ("fsGroup", "runAsUser", "runAsGroup"):
        value = context.get(key)
        if value is not None and not 0 <= value <= MAX_INT32:
            errors.append(invalid(f"{path}.{key}", value, id_range))
    for g, gid in enumerate(context.get("supplementalGroups") or []):
        if not 0 <= gid <= MAX_INT32:
            errors.append(invalid(f"{path}.supplementalGroups[{g}]", gid, id_range))
    if spec.get("shareProcessNamespace") and spec.get("hostPID"):
        errors.append(invalid(f"{path}.shareProcessNamespace", True,
                              "ShareProcessNamespace and HostPID cannot both be enabled"))
    return errors


def _host_network_ports(spec: Spec, path: str, resource_is_pod: bool) -> list[FieldError]:
    """validatePodHostNetworkDeps: with hostNetwork, hostPort must equal containerPort."""
    if not spec.get("hostNetwork"):
        return []
    errors: list[FieldError] = []
    for i, container in enumerate(_items(spec, "containers")):
        for j, port in enumerate(_items(container, "ports")):
            host_port = port.get("hostPort") or 0
            if (resource_is_pod or host_port != 0) and host_port != (port.get("containerPort") or 0):
                errors.append(invalid(f"{path}.containers[{i}].ports[{j}].hostPort", host_port,
                                      "must match `containerPort` when `hostNetwork` is true"))
    return errors


def _gates(spec: Spec, path: str) -> list[FieldError]:
    """validateReadinessGates and validateSchedulingGates."""
    errors: list[FieldError] = []
    for i, gate in enumerate(_items(spec, "readinessGates")):
        condition = gate.get("conditionType") or ""
        errors += invalid_each(f"{path}.readinessGates[{i}].conditionType", condition, is_qualified_name(condition))
    seen: set[str] = set()
    for i, gate in enumerate(_items(spec, "schedulingGates")):
        name = gate.get("name") or ""
        errors += invalid_each(f"{path}.schedulingGates[{i}]", name, is_qualified_name(name))
        if name in seen:
            errors.append(duplicate(f"{path}.schedulingGates[{i}]", name))
        seen.add(name)
    return errors


def _named_references(spec: Spec, path: str) -> list[FieldError]:
    """serviceAccountName, nodeName, activeDeadlineSeconds, hostname, subdomain (in ValidatePodSpec's order)."""
    errors: list[FieldError] = []
    for key in ("serviceAccountName", "nodeName"):
        if spec.get(key):
            errors += _subdomain(spec[key], f"{path}.{key}")
    deadline = spec.get("activeDeadlineSeconds")
    if deadline is not None and not 1 <= deadline <= MAX_INT32:
        errors.append(invalid(f"{path}.activeDeadlineSeconds", deadline, inclusive_range_error(1, MAX_INT32)))
    for key in ("hostname", "subdomain"):
        if spec.get(key):
            errors += _dns_label(spec[key], f"{path}.{key}")
    return errors


def _host_aliases(aliases: list[Spec], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for i, alias in enumerate(aliases):
        ip = alias.get("ip") or ""
        errors += invalid_each(f"{path}[{i}].ip", ip, is_valid_ip(ip))
        for j, hostname in enumerate(alias.get("hostnames") or []):
            errors += _subdomain(hostname, f"{path}[{i}].hostnames[{j}]")
    return errors


def _class_and_policy(spec: Spec, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    if spec.get("priorityClassName"):
        errors += _subdomain(spec["priorityClassName"], f"{path}.priorityClassName")
    if spec.get("runtimeClassName") is not None:
        errors += _subdomain(spec["runtimeClassName"], f"{path}.runtimeClassName")
    if spec.get("preemptionPolicy") is not None:
        errors += _choice(spec["preemptionPolicy"], f"{path}.preemptionPolicy", _PREEMPTION_POLICIES)
    return errors


def validate_pod_spec(spec: Spec, path: str, resource_is_pod: bool = False) -> list[FieldError]:
    """ValidatePodSpec: every rule of a PodSpec, in Go's order. `resource_is_pod` is Go's
    opts.ResourceIsPod (true for a Pod, false for a PodSpec inside a template)."""
    errors: list[FieldError] = []
    grace_period = spec.get("terminationGracePeriodSeconds")
    if grace_period is None:
        errors.append(required(f"{path}.terminationGracePeriodSeconds"))
    volumes, volume_errors = validate_volumes(_items(spec, "volumes"), f"{path}.volumes")
    errors += volume_errors
    errors += _validate_containers(spec, volumes, f"{path}.containers", grace_period)
    errors += _validate_init_containers(spec, volumes, f"{path}.initContainers", grace_period)
    errors += _host_network_ports(spec, path, resource_is_pod)
    errors += _choice(spec.get("restartPolicy"), f"{path}.restartPolicy", _RESTART_POLICIES)
    errors += _choice(spec.get("dnsPolicy"), f"{path}.dnsPolicy", _DNS_POLICIES)
    errors += validate_labels(spec.get("nodeSelector"), f"{path}.nodeSelector")
    errors += _security_context(spec, f"{path}.securityContext")
    errors += _affinity(spec.get("affinity"), f"{path}.affinity")
    errors += _dns_config(spec, f"{path}.dnsConfig")
    errors += _gates(spec, path)
    errors += _named_references(spec, path)
    errors += validate_tolerations(_items(spec, "tolerations"), f"{path}.tolerations")
    errors += _host_aliases(_items(spec, "hostAliases"), f"{path}.hostAliases")
    return errors + _class_and_policy(spec, path)


# --- pod-specific annotations, templates, pods ----------------------------------------------------------------

_DELETION_COST_RE = re.compile(r"-[0-9]+|0|[1-9][0-9]*")


def validate_pod_specific_annotations(annotations: Mapping[str, str] | None, path: str) -> list[FieldError]:
    """ValidatePodSpecificAnnotations: the pod-deletion-cost annotation must be a 32-bit integer."""
    value = (annotations or {}).get(POD_DELETION_COST)
    if value is None:
        return []
    if _DELETION_COST_RE.fullmatch(value) and -(2**31) <= int(value) <= MAX_INT32:
        return []
    return [invalid(f"{path}[{POD_DELETION_COST}]", value, "must be a 32bit integer")]


def validate_pod_template_spec(template: Spec, path: str) -> list[FieldError]:
    """ValidatePodTemplateSpec (used by every workload: `spec.template`). Labels and annotations are
    reported at `<path>.labels` / `<path>.annotations`, without `metadata`, exactly as Go does."""
    meta = template.get("metadata") or {}
    spec = template.get("spec") or {}
    errors = validate_labels(meta.get("labels"), f"{path}.labels")
    errors += validate_annotations(meta.get("annotations"), f"{path}.annotations")
    errors += validate_pod_specific_annotations(meta.get("annotations"), f"{path}.annotations")
    errors += validate_pod_spec(spec, f"{path}.spec")
    if spec.get("ephemeralContainers"):
        errors.append(forbidden(f"{path}.spec.ephemeralContainers", "ephemeral containers not allowed in pod template"))
    return errors


def _pod_metadata_and_spec(pod: Obj) -> list[FieldError]:
    """validatePodMetadataAndSpec without ObjectMeta (which `validate_create` runs for every kind)."""
    meta = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    errors = validate_pod_specific_annotations(meta.get("annotations"), "metadata.annotations")
    errors += validate_pod_spec(spec, "spec", resource_is_pod=True)
    if not spec.get("serviceAccountName"):
        for vi, volume in enumerate(_items(spec, "volumes")):
            for si, source in enumerate(_items(volume.get("projected") or {}, "sources")):
                if source.get("serviceAccountToken") is not None:
                    errors.append(forbidden(f"spec.volumes[{vi}].projected.sources[{si}].serviceAccountToken",
                                            "must not be specified when serviceAccountName is not set"))
    for key in ("containers", "initContainers"):
        for i, container in enumerate(_items(spec, key)):
            image = container.get("image") or ""
            if image != image.strip():
                errors.append(invalid(f"spec.{key}[{i}].image", image, "must not have leading or trailing whitespace"))
    return errors


def validate_pod_create(pod: Obj) -> list[FieldError]:
    """ValidatePodCreate."""
    spec = pod.get("spec") or {}
    errors = _pod_metadata_and_spec(pod)
    if spec.get("ephemeralContainers"):
        errors.append(forbidden("spec.ephemeralContainers", "cannot be set on create"))
    if spec.get("nodeName") and spec.get("schedulingGates"):
        errors.append(forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"))
    return errors


UPDATABLE_POD_SPEC_FIELDS = (
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
)


def _container_updates(new: list[Spec], old: list[Spec], path: str) -> tuple[list[FieldError], bool]:
    """ValidateContainerUpdates: same number of containers, images present and trimmed."""
    if len(new) != len(old):
        return [forbidden(path, "pod updates may not add or remove containers")], True
    errors: list[FieldError] = []
    for i, container in enumerate(new):
        image = container.get("image") or ""
        if not image:
            errors.append(required(f"{path}[{i}].image"))
        if image != image.strip():
            errors.append(invalid(f"{path}[{i}].image", image, "must not have leading or trailing whitespace"))
    return errors, False


def _active_deadline_update(new: Spec, old: Spec) -> tuple[list[FieldError], bool]:
    new_value, old_value = new.get("activeDeadlineSeconds"), old.get("activeDeadlineSeconds")
    path = "spec.activeDeadlineSeconds"
    if new_value is not None:
        if not 0 <= new_value <= MAX_INT32:
            return [invalid(path, new_value, inclusive_range_error(0, MAX_INT32))], True
        if old_value is not None and old_value < new_value:
            return [invalid(path, new_value, "must be less than or equal to previous value")], True
        return [], False
    if old_value is not None:
        return [invalid(path, None, "must not update from a positive integer to nil value")], False
    return [], False


def _tolerations_update(new: list[Spec], old: list[Spec]) -> list[FieldError]:
    """validateOnlyAddedTolerations: existing tolerations stay (only tolerationSeconds may change)."""
    def without_seconds(t: Spec) -> Spec:
        return {k: v for k, v in t.items() if k != "tolerationSeconds"}

    remaining = [without_seconds(t) for t in new]
    for toleration in old:
        if without_seconds(toleration) not in remaining:
            return [forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds")]
    return validate_tolerations(new, "spec.tolerations")


def _scheduling_gates_update(new: list[Spec], old: list[Spec]) -> list[FieldError]:
    old_names = {g.get("name") for g in old}
    return [forbidden(f"spec.schedulingGates[{i}].name", f"only deletion is allowed, but found new scheduling gate "
                                                         f"'{g.get('name')}'")
            for i, g in enumerate(new) if g.get("name") not in old_names]


def _munged_spec(new: Spec, old: Spec) -> Obj:
    """The new spec with every updatable field put back to its old value (ValidatePodUpdate's munging)."""
    munged = deep_copy(dict(new))
    for key in ("containers", "initContainers"):
        for container, old_container in zip(munged.get(key) or [], old.get(key) or [], strict=False):
            container["image"] = old_container.get("image")
    for key in ("activeDeadlineSeconds", "schedulingGates", "tolerations"):
        munged.pop(key, None)
        if key in old:
            munged[key] = deep_copy(old[key])
    old_grace = old.get("terminationGracePeriodSeconds")
    if old_grace is not None and old_grace < 0 and munged.get("terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    return munged


def spec_diff(old: Spec, new: Spec) -> str:
    """A diff of two pod specs in the shape of go-cmp's output (`-` old, `+` new, one line per changed
    top-level field). Go prints its internal structs; this prints the API's JSON values."""
    lines = ["  core.PodSpec{"]
    for key in sorted(set(old) | set(new), key=lambda k: list(old).index(k) if k in old else len(old)):
        if old.get(key) == new.get(key):
            continue
        go_name = key[0].upper() + key[1:]
        if key in old:
            lines.append(f"- \t{go_name}: {json.dumps(old[key], sort_keys=True)},")
        if key in new:
            lines.append(f"+ \t{go_name}: {json.dumps(new[key], sort_keys=True)},")
    lines.append("  }")
    return "\n".join(lines) + "\n"


def validate_pod_update(new: Obj, old: Obj) -> list[FieldError]:
    """ValidatePodUpdate: the new pod is valid, and only images, activeDeadlineSeconds, added tolerations
    and removed scheduling gates changed (`Forbidden: pod updates may not change fields other than ...`)."""
    new_spec: Spec = new.get("spec") or {}
    old_spec: Spec = old.get("spec") or {}
    errors = _pod_metadata_and_spec(new)
    for key in ("containers", "initContainers"):
        update_errors, stop = _container_updates(_items(new_spec, key), _items(old_spec, key), f"spec.{key}")
        errors += update_errors
        if stop:
            return errors
    deadline_errors, stop = _active_deadline_update(new_spec, old_spec)
    errors += deadline_errors
    if stop:
        return errors
    errors += _tolerations_update(_items(new_spec, "tolerations"), _items(old_spec, "tolerations"))
    errors += _scheduling_gates_update(_items(new_spec, "schedulingGates"), _items(old_spec, "schedulingGates"))
    if new_spec == old_spec:
        return errors
    munged = _munged_spec(new_spec, old_spec)
    if munged != dict(old_spec):
        message = ("pod updates may not change fields other than " + ",".join(UPDATABLE_POD_SPEC_FIELDS) + "\n"
                   + spec_diff(old_spec, munged))
        errors.append(forbidden("spec", message))
    return errors


def _validate_pod_template(obj: Obj) -> list[FieldError]:
    """ValidatePodTemplate's own rules: the template at path `template`."""
    return validate_pod_template_spec(obj.get("template") or {}, "template")


def _validate_pod_template_update(new: Obj, _old: Obj) -> list[FieldError]:
    return _validate_pod_template(new)


VALIDATORS: dict[str, KindValidator] = {
    "Pod": KindValidator(create=validate_pod_create, update=validate_pod_update),
    "PodTemplate": KindValidator(create=_validate_pod_template, update=_validate_pod_template_update),
}
