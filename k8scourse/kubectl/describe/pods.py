"""kubectl describe for pods and pod templates: containers with their state, probes, environment and
mounts, volumes, conditions, QoS class, node selectors and tolerations.

Used by `k8scourse.kubectl.describe` (pods) and by the workload describers (DescribePodTemplate).
Translated from describe.go: describePod, describeContainers and its helpers, DescribeProbe,
describeVolumes and the print*VolumeSource functions, DescribePodTemplate; and
staging/src/k8s.io/kubectl/pkg/util/qos (GetPodQOS).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ...api.quantity import QuantityError, parse_quantity
from .writer import (
    MAX_ANNOTATION_LEN,
    PrefixWriter,
    age,
    annotations_multiline,
    controlled_by,
    go_bool,
    labels_multiline,
    rfc1123z,
    title_bool,
    tolerations_multiline,
)

Obj = dict[str, Any]
Resolver = Callable[[Obj], str]


def describe_pod(pod: Obj, w: PrefixWriter, now: datetime) -> None:
    """describePod, up to (not including) the Events section."""
    meta, spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    if spec.get("priority") is not None:
        w.write(0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("runtimeClassName"):
        w.write(0, f"Runtime Class Name:\t{spec['runtimeClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(0, f"Service Account:\t{spec['serviceAccountName']}\n")
    node = spec.get("nodeName")
    w.write(0, f"Node:\t{node}/{status.get('hostIP', '')}\n" if node else "Node:\t<none>\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{rfc1123z(status['startTime'])}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    phase = status.get("phase", "")
    if meta.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        w.write(0, f"Status:\tTerminating (lasts {age(meta['deletionTimestamp'], now)})\n")
        w.write(0, f"Termination Grace Period:\t{meta.get('deletionGracePeriodSeconds', 0)}s\n")
    else:
        w.write(0, f"Status:\t{phase}\n")
    if status.get("reason"):
        w.write(0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(0, f"Message:\t{status['message']}\n")
    seccomp = (spec.get("securityContext") or {}).get("seccompProfile")
    if seccomp:
        w.write(0, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
        if seccomp.get("type") == "Localhost":
            w.write(0, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")
    w.write(0, f"IP:\t{status.get('podIP', '')}\n")
    _pod_ips(pod, w)
    if owner := controlled_by(pod):
        w.write(0, f"Controlled By:\t{owner}\n")
    if status.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("resources") is not None:
        w.write(0, "Resources:\n")
        describe_resources(spec["resources"], w, 1)
    resolver = env_value_resolver(pod)
    if spec.get("initContainers"):
        describe_containers("Init Containers", spec["initContainers"], status.get("initContainerStatuses"),
                            resolver, w, "")
    describe_containers("Containers", spec.get("containers") or [], status.get("containerStatuses"), resolver, w, "")
    if spec.get("ephemeralContainers"):
        describe_containers("Ephemeral Containers", spec["ephemeralContainers"],
                            status.get("ephemeralContainerStatuses"), resolver, w, "")
    conditions = status.get("conditions") or []
    if spec.get("readinessGates"):
        w.write(0, "Readiness Gates:\n  Type\tStatus\n")
        for gate in spec["readinessGates"]:
            found = next((c.get("status") for c in conditions if c.get("type") == gate.get("conditionType")), None)
            w.write(1, f"{gate.get('conditionType', '')} \t{found or '<none>'} \n")
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')} \n")
    describe_volumes(spec.get("volumes"), w, "")
    w.write(0, f"QoS Class:\t{pod_qos(pod)}\n")
    labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
    tolerations_multiline(w, "Tolerations", spec.get("tolerations"))
    _topology_spread(spec.get("topologySpreadConstraints"), w, "")


def _pod_ips(pod: Obj, w: PrefixWriter) -> None:
    ips = (pod.get("status") or {}).get("podIPs") or []
    if not ips:
        w.write(0, "IPs:\t<none>\n")
        return
    w.write(0, "IPs:\n")
    for ip in ips:
        w.write(1, f"IP:\t{ip.get('ip', '')}\n")


def _topology_spread(constraints: list[Obj] | None, w: PrefixWriter, space: str) -> None:
    if not constraints:
        return
    from ...api.printing.columns import format_label_selector
    w.write(0, f"{space}Topology Spread Constraints:\t")
    for i, tsc in enumerate(sorted(constraints, key=lambda t: t.get("topologyKey", ""))):
        if i:
            w.write(0, space + "\t")
        text = (f"{tsc.get('topologyKey', '')}:{tsc.get('whenUnsatisfiable', '')} when max skew "
                f"{tsc.get('maxSkew', 0)} is exceeded")
        if tsc.get("labelSelector") is not None:
            text += f" for selector {format_label_selector(tsc['labelSelector'])}"
        w.write(0, text + "\n")


def pod_qos(pod: Obj) -> str:
    """qos.GetPodQOS: the status' class when set, else computed from the containers' requests and limits."""
    status_class = (pod.get("status") or {}).get("qosClass")
    if status_class:
        return status_class
    spec = pod.get("spec") or {}
    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    guaranteed = True
    for c in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        res = c.get("resources") or {}
        for name, value in (res.get("requests") or {}).items():
            if name in ("cpu", "memory") and not _is_zero(value):
                requests[name] = value
        container_limits = {n: v for n, v in (res.get("limits") or {}).items()
                            if n in ("cpu", "memory") and not _is_zero(v)}
        limits.update(container_limits)
        if set(container_limits) != {"cpu", "memory"}:
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and set(limits) == {"cpu", "memory"}:
        for c in (spec.get("initContainers") or []) + (spec.get("containers") or []):
            res = c.get("resources") or {}
            for name in ("cpu", "memory"):
                req = (res.get("requests") or {}).get(name)
                if req is not None and _quantity(req) != _quantity((res.get("limits") or {}).get(name)):
                    return "Burstable"
        return "Guaranteed"
    return "Burstable"


def _quantity(value: Any) -> Any:
    try:
        return parse_quantity(value)
    except QuantityError:
        return value


def _is_zero(value: Any) -> bool:
    q = _quantity(value)
    return bool(getattr(q, "is_zero", lambda: False)())


# --- containers ----------------------------------------------------------------------------------------


def describe_containers(label: str, containers: list[Obj], statuses: list[Obj] | None, resolver: Resolver | None,
                        w: PrefixWriter, space: str) -> None:
    """describeContainers: each container with its status (when `statuses` is given), resources, probes,
    environment and mounts."""
    by_name = {s.get("name"): s for s in statuses or []}
    w.write(0, f"{space}{label}:{'' if containers else ' <none>'}\n")
    for container in containers:
        status = by_name.get(container.get("name"))
        _basic_info(container, status, space, w)
        _command(container, w)
        if status is not None:
            _state(status, w)
        describe_resources(container.get("resources"), w, 2)
        _probes(container, w)
        if container.get("envFrom"):
            _env_from(container, w)
        _env(container, resolver, w)
        _mounts(container, w)


def _ports(ports: list[Obj], key: str) -> str:
    out = []
    for p in ports:
        text = f"{p.get(key, 0)}/{p.get('protocol', '')}"
        if p.get("name"):
            text += f" ({p['name']})"
        out.append(text)
    return ", ".join(out)


def _basic_info(container: Obj, status: Obj | None, space: str, w: PrefixWriter) -> None:
    w.write(1, f"{' ' if space else ''}{container.get('name', '')}:\n")
    if status is not None:
        w.write(2, f"Container ID:\t{status.get('containerID', '')}\n")
    w.write(2, f"Image:\t{container.get('image', '')}\n")
    if status is not None:
        w.write(2, f"Image ID:\t{status.get('imageID', '')}\n")
    ports = container.get("ports") or []
    for key, many, one in (("containerPort", "Ports", "Port"), ("hostPort", "Host Ports", "Host Port")):
        text = _ports(ports, key)
        if "," in text:
            w.write(2, f"{many}:\t{text}\n")
        else:
            w.write(2, f"{one}:\t{text or '<none>'}\n")
    seccomp = (container.get("securityContext") or {}).get("seccompProfile")
    if seccomp:
        w.write(2, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
        if seccomp.get("type") == "Localhost":
            w.write(3, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")


def _command(container: Obj, w: PrefixWriter) -> None:
    for key, title in (("command", "Command"), ("args", "Args")):
        if container.get(key):
            w.write(2, f"{title}:\n")
            for word in container[key]:
                for part in word.split("\n"):
                    w.write(3, f"{part}\n")


def describe_resources(resources: Obj | None, w: PrefixWriter, level: int) -> None:
    """describeResources: Limits then Requests, one sorted resource per line."""
    if resources is None:
        return
    for key, title in (("limits", "Limits"), ("requests", "Requests")):
        values = resources.get(key) or {}
        if values:
            w.write(level, f"{title}:\n")
        for name in sorted(values):
            w.write(level + 1, f"{name}:\t{_quantity(values[name])}\n")


def _state(status: Obj, w: PrefixWriter) -> None:
    describe_state("State", status.get("state") or {}, w)
    last = status.get("lastState") or {}
    if last.get("terminated"):
        describe_state("Last State", last, w)
    w.write(2, f"Ready:\t{title_bool(status.get('ready'))}\n")
    w.write(2, f"Restart Count:\t{status.get('restartCount', 0)}\n")


def describe_state(title: str, state: Obj, w: PrefixWriter) -> None:
    """describeStatus: Running with its start, Waiting with its reason, Terminated with code and times."""
    if state.get("running") is not None:
        w.write(2, f"{title}:\tRunning\n")
        w.write(3, f"Started:\t{rfc1123z(state['running'].get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(2, f"{title}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        done = state["terminated"]
        w.write(2, f"{title}:\tTerminated\n")
        if done.get("reason"):
            w.write(3, f"Reason:\t{done['reason']}\n")
        if done.get("message"):
            w.write(3, f"Message:\t{done['message']}\n")
        w.write(3, f"Exit Code:\t{done.get('exitCode', 0)}\n")
        if (done.get("signal") or 0) > 0:
            w.write(3, f"Signal:\t{done['signal']}\n")
        w.write(3, f"Started:\t{rfc1123z(done.get('startedAt'))}\n")
        w.write(3, f"Finished:\t{rfc1123z(done.get('finishedAt'))}\n")
    else:
        w.write(2, f"{title}:\tWaiting\n")


def _probes(container: Obj, w: PrefixWriter) -> None:
    for key, title in (("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"), ("startupProbe", "Startup")):
        if container.get(key) is not None:
            w.write(2, f"{title}:\t{describe_probe(container[key])}\n")


def describe_probe(probe: Obj) -> str:
    """DescribeProbe: `http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3`."""
    attrs = (f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 0)}s "
             f"period={probe.get('periodSeconds', 0)}s #success={probe.get('successThreshold', 0)} "
             f"#failure={probe.get('failureThreshold', 0)}")
    if probe.get("exec") is not None:
        return f"exec [{' '.join(probe['exec'].get('command') or [])}] {attrs}"
    if probe.get("httpGet") is not None:
        get = probe["httpGet"]
        port, host = str(get.get("port", "")), get.get("host", "")
        if port:
            host = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        return f"http-get {str(get.get('scheme', '')).lower()}://{host}{get.get('path', '')} {attrs}"
    if probe.get("tcpSocket") is not None:
        sock = probe["tcpSocket"]
        return f"tcp-socket {sock.get('host', '')}:{sock.get('port', '')} {attrs}"
    if probe.get("grpc") is not None:
        return f"grpc <pod>:{probe['grpc'].get('port', 0)} {probe['grpc'].get('service', '')} {attrs}"
    return f"unknown {attrs}"


def _env_from(container: Obj, w: PrefixWriter) -> None:
    w.write(2, "Environment Variables from:\n")
    for source in container["envFrom"]:
        ref, kind = ((source["configMapRef"], "ConfigMap") if source.get("configMapRef") is not None
                     else (source.get("secretRef") or {}, "Secret" if source.get("secretRef") is not None else ""))
        optional = go_bool(ref.get("optional"))
        if source.get("prefix"):
            w.write(3, f"{ref.get('name', '')}\t{kind} with prefix '{source['prefix']}'\tOptional: {optional}\n")
        else:
            w.write(3, f"{ref.get('name', '')}\t{kind}\tOptional: {optional}\n")


def _env(container: Obj, resolver: Resolver | None, w: PrefixWriter) -> None:
    env = container.get("env") or []
    w.write(2, f"Environment:{'' if env else chr(9) + '<none>'}\n")
    for e in env:
        source = e.get("valueFrom")
        name = e.get("name", "")
        if source is None:
            for i, part in enumerate(str(e.get("value", "")).split("\n")):
                w.write(3, f"{name}:\t{part}\n" if i == 0 else f"\t{part}\n")
        elif source.get("fieldRef") is not None:
            ref = source["fieldRef"]
            value = resolver(ref) if resolver else ""
            w.write(3, f"{name}:\t{value} ({ref.get('apiVersion', '')}:{ref.get('fieldPath', '')})\n")
        elif source.get("resourceFieldRef") is not None:
            ref = source["resourceFieldRef"]
            value = _resource_value(ref, container)
            if value == "0" and ref.get("resource") in ("limits.cpu", "limits.memory"):
                value = "node allocatable"
            w.write(3, f"{name}:\t{value} ({ref.get('resource', '')})\n")
        elif source.get("secretKeyRef") is not None:
            ref = source["secretKeyRef"]
            w.write(3, f"{name}:\t<set to the key '{ref.get('key', '')}' in secret '{ref.get('name', '')}'>\t"
                       f"Optional: {go_bool(ref.get('optional'))}\n")
        elif source.get("configMapKeyRef") is not None:
            ref = source["configMapKeyRef"]
            w.write(3, f"{name}:\t<set to the key '{ref.get('key', '')}' of config map '{ref.get('name', '')}'>\t"
                       f"Optional: {go_bool(ref.get('optional'))}\n")


def _resource_value(ref: Obj, container: Obj) -> str:
    """ExtractContainerResourceValue: the container's request or limit divided by the divisor, rounded up."""
    kind, _, name = str(ref.get("resource", "")).partition(".")
    raw = ((container.get("resources") or {}).get(kind) or {}).get(name)
    try:
        divisor = parse_quantity(ref.get("divisor") or "1")
        value = parse_quantity(raw) if raw is not None else parse_quantity("0")
    except QuantityError:
        return ""
    if name == "cpu":
        return str(math.ceil(value.milli_value() / max(divisor.milli_value(), 1)))
    return str(math.ceil(value.as_fraction() / max(divisor.as_fraction(), 1)))


def _mounts(container: Obj, w: PrefixWriter) -> None:
    mounts = container.get("volumeMounts") or []
    none = "" if mounts else "\t<none>"
    w.write(2, f"Mounts:{none}\n")
    for mount in sorted(mounts, key=lambda m: m.get("mountPath", "")):
        flags = ["ro" if mount.get("readOnly") else "rw"]
        if mount.get("subPath"):
            flags.append("path=" + json.dumps(mount["subPath"]))
        w.write(3, f"{mount.get('mountPath', '')} from {mount.get('name', '')} ({','.join(flags)})\n")
    devices = container.get("volumeDevices") or []
    if devices:
        w.write(2, f"Devices:{none}\n")
        for device in sorted(devices, key=lambda d: d.get("devicePath", "")):
            w.write(3, f"{device.get('devicePath', '')} from {device.get('name', '')}\n")


def env_value_resolver(pod: Obj) -> Resolver:
    """EnvValueRetriever: the value a fieldRef takes in this pod (metadata, spec and status fields)."""
    meta, spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}

    def resolve(ref: Obj) -> str:
        path = str(ref.get("fieldPath", ""))
        for prefix, source in (("metadata.labels", meta.get("labels")), ("metadata.annotations", meta.get("annotations"))):
            if path == prefix:
                return "\n".join(f'{k}="{v}"' for k, v in sorted((source or {}).items()))
            if path.startswith(prefix + "['") and path.endswith("']"):
                return (source or {}).get(path[len(prefix) + 2:-2], "")
        simple = {"metadata.name": meta.get("name"), "metadata.namespace": meta.get("namespace"),
                  "metadata.uid": meta.get("uid"), "spec.nodeName": spec.get("nodeName"),
                  "spec.serviceAccountName": spec.get("serviceAccountName"), "status.hostIP": status.get("hostIP"),
                  "status.podIP": status.get("podIP"),
                  "status.podIPs": ",".join(i.get("ip", "") for i in status.get("podIPs") or []),
                  "status.hostIPs": ",".join(i.get("ip", "") for i in status.get("hostIPs") or [])}
        return str(simple.get(path) or "")

    return resolve


# --- volumes ---------------------------------------------------------------------------------------------


def describe_volumes(volumes: list[Obj] | None, w: PrefixWriter, space: str) -> None:
    """describeVolumes: each volume's name and what its source is."""
    if not volumes:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    for volume in volumes:
        w.write(1, f"{' ' if space else ''}{volume.get('name', '')}:\n")
        for key, printer in _VOLUME_PRINTERS.items():
            if volume.get(key) is not None:
                printer(volume[key], w)
                break
        else:
            w.write(1, "<unknown>\n")


def _host_path(src: Obj, w: PrefixWriter) -> None:
    w.write(2, f"Type:\tHostPath (bare host directory volume)\n    Path:\t{src.get('path', '')}\n"
               f"    HostPathType:\t{src.get('type') if src.get('type') is not None else '<none>'}\n")


def _empty_dir(src: Obj, w: PrefixWriter) -> None:
    limit = src.get("sizeLimit")
    shown = str(_quantity(limit)) if limit is not None and not _is_zero(limit) else "<unset>"
    w.write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
               f"    Medium:\t{src.get('medium', '')}\n    SizeLimit:\t{shown}\n")


def _secret(src: Obj, w: PrefixWriter) -> None:
    w.write(2, f"Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{src.get('secretName', '')}\n"
               f"    Optional:\t{go_bool(src.get('optional'))}\n")


def _config_map(src: Obj, w: PrefixWriter) -> None:
    w.write(2, f"Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{src.get('name', '')}\n"
               f"    Optional:\t{go_bool(src.get('optional'))}\n")


def _projected(src: Obj, w: PrefixWriter) -> None:
    w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
    for source in src.get("sources") or []:
        if source.get("secret") is not None:
            w.write(2, f"SecretName:\t{source['secret'].get('name', '')}\n"
                       f"    Optional:\t{go_bool(source['secret'].get('optional'))}\n")
        elif source.get("downwardAPI") is not None:
            w.write(2, "DownwardAPI:\ttrue\n")
        elif source.get("configMap") is not None:
            w.write(2, f"ConfigMapName:\t{source['configMap'].get('name', '')}\n"
                       f"    Optional:\t{go_bool(source['configMap'].get('optional'))}\n")
        elif source.get("serviceAccountToken") is not None:
            w.write(2, f"TokenExpirationSeconds:\t{source['serviceAccountToken'].get('expirationSeconds', 0)}\n")


def _claim(src: Obj, w: PrefixWriter) -> None:
    w.write(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"
               f"    ClaimName:\t{src.get('claimName', '')}\n    ReadOnly:\t{go_bool(src.get('readOnly'))}\n")


def _downward_api(src: Obj, w: PrefixWriter) -> None:
    w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
    for item in src.get("items") or []:
        if item.get("fieldRef") is not None:
            w.write(3, f"{item['fieldRef'].get('fieldPath', '')} -> {item.get('path', '')}\n")
        if item.get("resourceFieldRef") is not None:
            w.write(3, f"{item['resourceFieldRef'].get('resource', '')} -> {item.get('path', '')}\n")


def _nfs(src: Obj, w: PrefixWriter) -> None:
    w.write(2, f"Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{src.get('server', '')}\n"
               f"    Path:\t{src.get('path', '')}\n    ReadOnly:\t{go_bool(src.get('readOnly'))}\n")


def _csi(src: Obj, w: PrefixWriter) -> None:
    w.write(2, f"Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{src.get('driver', '')}\n"
               f"    FSType:\t{src.get('fsType', '')}\n    ReadOnly:\t{go_bool(src.get('readOnly'))}\n")
    csi_attributes(w, src.get("volumeAttributes"))


def csi_attributes(w: PrefixWriter, attributes: dict[str, str] | None) -> None:
    """printCSIPersistentVolumeAttributesMultiline (each further line carries the level prefix twice)."""
    w.write(2, "VolumeAttributes:\t")
    if not attributes:
        w.line("<none>")
        return
    for i, key in enumerate(sorted(attributes)):
        if i:
            w.write(2, "")
            w.write(2, "\t")
        text = f"{key}={attributes[key]}"
        w.write(2, f"{text[:MAX_ANNOTATION_LEN]}...\n" if len(text) > MAX_ANNOTATION_LEN else f"{text}\n")


def _ephemeral(src: Obj, w: PrefixWriter) -> None:
    w.write(2, "Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with "
               "the pod)\n")


def _image(src: Obj, w: PrefixWriter) -> None:
    w.write(2, f"Type:\tImage (a container image or OCI artifact)\n    Reference:\t{src.get('reference', '')}\n"
               f"    PullPolicy:\t{src.get('pullPolicy', '')}\n")


_VOLUME_PRINTERS: dict[str, Callable[[Obj, PrefixWriter], None]] = {
    "hostPath": _host_path, "emptyDir": _empty_dir, "secret": _secret, "configMap": _config_map, "nfs": _nfs,
    "persistentVolumeClaim": _claim, "ephemeral": _ephemeral, "downwardAPI": _downward_api,
    "projected": _projected, "csi": _csi, "image": _image,
}
VOLUME_SOURCE_PRINTERS = _VOLUME_PRINTERS


# --- DescribePodTemplate ----------------------------------------------------------------------------------


def describe_pod_template(template: Obj | None, w: PrefixWriter) -> None:
    """DescribePodTemplate: the template's labels, containers, volumes, node selectors and tolerations."""
    w.write(0, "Pod Template:\n")
    if template is None:
        w.write(1, "<unset>")
        return
    meta, spec = template.get("metadata") or {}, template.get("spec") or {}
    labels_multiline(w, "  Labels", meta.get("labels"))
    if meta.get("annotations"):
        annotations_multiline(w, "  Annotations", meta["annotations"])
    if spec.get("serviceAccountName"):
        w.write(1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        describe_containers("Init Containers", spec["initContainers"], None, None, w, "  ")
    describe_containers("Containers", spec.get("containers") or [], None, None, w, "  ")
    describe_volumes(spec.get("volumes"), w, "  ")
    _topology_spread(spec.get("topologySpreadConstraints"), w, "  ")
    if spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    tolerations_multiline(w, "  Tolerations", spec.get("tolerations"))
