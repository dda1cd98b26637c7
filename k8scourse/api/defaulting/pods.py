"""Defaults of Pods, pod templates and containers, after pkg/apis/core/v1/defaults.go and the generated
SetObjectDefaults_Pod / SetObjectDefaults_PodTemplate of pkg/apis/core/v1/zz_generated.defaults.go.

Called by the core, apps and batch defaulters for every PodSpec they hold. Functions mutate the dict
they are given (the public entry point copies the object first).
"""

from __future__ import annotations

import re
from typing import Any

Obj = dict[str, Any]

TERMINATION_MESSAGE_PATH = "/dev/termination-log"  # v1.TerminationMessagePathDefault
DEFAULT_MODE = 420  # 0644: Secret/ConfigMap/DownwardAPI/Projected VolumeSourceDefaultMode
TOKEN_EXPIRATION_SECONDS = 3600  # SetDefaults_ServiceAccountTokenProjection: one hour

# Declarative `+default` markers of the legacy in-tree volume sources (staging/src/k8s.io/api/core/v1/types.go).
_LEGACY_SOURCE_DEFAULTS: dict[str, dict[str, Any]] = {
    "iscsi": {"iscsiInterface": "default"},
    "rbd": {"pool": "rbd", "user": "admin", "keyring": "/etc/ceph/keyring"},
    "azureDisk": {"cachingMode": "ReadWrite", "fsType": "ext4", "readOnly": False, "kind": "Shared"},
    "scaleIO": {"storageMode": "ThinProvisioned", "fsType": "xfs"},
}

# A docker reference as k8s.io/kubernetes/pkg/util/parsers.ParseImageName accepts it (lower-case
# repository path, optional tag, optional digest).
_IMAGE = re.compile(
    r"^(?:(?P<domain>[a-zA-Z0-9.-]+(?::[0-9]+)?)/)?"
    r"(?P<path>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?"
    r"(?:@(?P<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$"
)


def image_tag(image: str) -> str:
    """The tag ParseImageName returns: the explicit tag, `latest` when neither tag nor digest is given,
    and "" for a digest-only reference or a reference that does not parse."""
    m = _IMAGE.match(image or "")
    if m is None:
        return ""
    if m.group("tag"):
        return m.group("tag")
    return "" if m.group("digest") else "latest"


def default_pull_policy(image: str) -> str:
    """SetDefaults_Container: `Always` for the `latest` tag (explicit or implied), else `IfNotPresent`."""
    return "Always" if image_tag(image) == "latest" else "IfNotPresent"


def _default_http_get(action: Obj | None) -> None:
    """SetDefaults_HTTPGetAction."""
    if action is None:
        return
    if not action.get("path"):
        action["path"] = "/"
    if not action.get("scheme"):
        action["scheme"] = "HTTP"


def _default_probe(probe: Obj | None) -> None:
    """SetDefaults_Probe plus the handler defaults the generated code applies inside a probe."""
    if probe is None:
        return
    for key, value in (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1), ("failureThreshold", 3)):
        if not probe.get(key):
            probe[key] = value
    _default_http_get(probe.get("httpGet"))
    grpc = probe.get("grpc")
    if grpc is not None and grpc.get("service") is None:
        grpc["service"] = ""  # GRPCAction.Service: +default=""


def default_field_ref(ref: Obj | None) -> None:
    """SetDefaults_ObjectFieldSelector."""
    if ref is not None and not ref.get("apiVersion"):
        ref["apiVersion"] = "v1"


def default_container(container: Obj) -> None:
    """SetDefaults_Container and the nested defaults of one container (ports, env, probes, hooks)."""
    if not container.get("imagePullPolicy"):
        container["imagePullPolicy"] = default_pull_policy(container.get("image", ""))
    if not container.get("terminationMessagePath"):
        container["terminationMessagePath"] = TERMINATION_MESSAGE_PATH
    if not container.get("terminationMessagePolicy"):
        container["terminationMessagePolicy"] = "File"
    for port in container.get("ports") or []:
        if not port.get("protocol"):
            port["protocol"] = "TCP"
    for env in container.get("env") or []:
        default_field_ref((env.get("valueFrom") or {}).get("fieldRef"))
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        _default_probe(container.get(probe))
    for hook in ("postStart", "preStop"):
        _default_http_get(((container.get("lifecycle") or {}).get(hook) or {}).get("httpGet"))
    # Container.Resources is a struct: Go's encoder always writes it, as `resources: {}` when empty.
    container.setdefault("resources", {})


def default_claim_spec(spec: Obj) -> None:
    """SetDefaults_PersistentVolumeClaimSpec (also used by ephemeral volumes and StatefulSet templates)."""
    if spec.get("volumeMode") is None:
        spec["volumeMode"] = "Filesystem"
    spec.setdefault("resources", {})  # VolumeResourceRequirements is a struct, always written


def default_volume_source(volume: Obj) -> None:
    """The source defaults shared by pod volumes and PersistentVolumes (hostPath and legacy sources)."""
    host_path = volume.get("hostPath")
    if host_path is not None and host_path.get("type") is None:
        host_path["type"] = ""  # v1.HostPathUnset
    for source, defaults in _LEGACY_SOURCE_DEFAULTS.items():
        if volume.get(source) is not None:
            for key, value in defaults.items():
                if volume[source].get(key) is None:
                    volume[source][key] = value


def _default_mode(source: Obj | None) -> None:
    if source is not None and source.get("defaultMode") is None:
        source["defaultMode"] = DEFAULT_MODE


def default_volume(volume: Obj) -> None:
    """SetDefaults_Volume and the defaults of the source it holds."""
    if not any(key != "name" and value is not None for key, value in volume.items()):
        volume["emptyDir"] = {}
    default_volume_source(volume)
    for source in ("secret", "configMap", "downwardAPI", "projected"):
        _default_mode(volume.get(source))
    for item in (volume.get("downwardAPI") or {}).get("items") or []:
        default_field_ref(item.get("fieldRef"))
    for projection in (volume.get("projected") or {}).get("sources") or []:
        for item in (projection.get("downwardAPI") or {}).get("items") or []:
            default_field_ref(item.get("fieldRef"))
        token = projection.get("serviceAccountToken")
        if token is not None and token.get("expirationSeconds") is None:
            token["expirationSeconds"] = TOKEN_EXPIRATION_SECONDS
    template = (volume.get("ephemeral") or {}).get("volumeClaimTemplate")
    if template is not None:
        default_claim_spec(template.setdefault("spec", {}))
        template.setdefault("metadata", {}).setdefault("creationTimestamp", None)


def all_containers(spec: Obj) -> list[Obj]:
    """Init, regular and ephemeral containers, in the order the generated defaulter visits them."""
    return [*(spec.get("initContainers") or []), *(spec.get("containers") or []),
            *(spec.get("ephemeralContainers") or [])]


def default_pod_spec(spec: Obj) -> None:
    """SetDefaults_PodSpec, then the volume and container defaults of the generated code."""
    if not spec.get("dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if not spec.get("restartPolicy"):
        spec["restartPolicy"] = "Always"
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = 30
    if not spec.get("schedulerName"):
        spec["schedulerName"] = "default-scheduler"
    for volume in spec.get("volumes") or []:
        default_volume(volume)
    for container in all_containers(spec):
        default_container(container)
    _sync_service_account(spec)


def _sync_service_account(spec: Obj) -> None:
    """The v1 conversion (pkg/apis/core/v1/conversion.go): `serviceAccount` is a deprecated alias read
    only when `serviceAccountName` is empty, and written back equal to `serviceAccountName`."""
    if not spec.get("serviceAccountName") and spec.get("serviceAccount"):
        spec["serviceAccountName"] = spec["serviceAccount"]
    if spec.get("serviceAccountName"):
        spec["serviceAccount"] = spec["serviceAccountName"]
    else:
        spec.pop("serviceAccount", None)
        spec.pop("serviceAccountName", None)


def _requests_from_limits(container: Obj) -> None:
    resources = container.get("resources") or {}
    limits = resources.get("limits")
    if limits is None:
        return
    requests = resources.setdefault("requests", {})
    for name, value in limits.items():
        requests.setdefault(name, value)
    container["resources"] = resources


def _host_network_ports(container: Obj) -> None:
    for port in container.get("ports") or []:
        if not port.get("hostPort"):
            port["hostPort"] = port.get("containerPort")


def default_pod(pod: Obj) -> None:
    """SetObjectDefaults_Pod: SetDefaults_Pod (requests from limits, enableServiceLinks, host-network
    ports), then everything a PodSpec gets."""
    spec = pod.setdefault("spec", {})
    regular = [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]
    for container in regular:
        _requests_from_limits(container)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    if spec.get("hostNetwork"):
        for container in regular:
            _host_network_ports(container)
    default_pod_spec(spec)


def default_pod_template(template: Obj | None) -> None:
    """A PodTemplateSpec embedded in a workload: PodSpec defaults only (SetDefaults_Pod is for Pods).
    The template's ObjectMeta has a zero creationTimestamp, which the v1.33 encoder writes as null."""
    if template is None:
        return
    template.setdefault("metadata", {}).setdefault("creationTimestamp", None)
    default_pod_spec(template.setdefault("spec", {}))
