"""A container's environment, as the kubelet builds it (makeEnvironmentVariables in kubelet_pods.go).

Called by the pod worker before creating a container. Service links (`NGINX_SERVICE_HOST`, ...),
`envFrom`, `env` (value / configMapKeyRef / secretKeyRef / fieldRef / resourceFieldRef) and `$(VAR)`
expansion; a missing ConfigMap, Secret or key raises `ConfigError` with the kubelet's message, which
becomes CreateContainerConfigError.
"""

from __future__ import annotations

import base64
import math
import re
from typing import Any

from ...api.quantity import parse_quantity
from ...api.registry import REGISTRY

Obj = dict[str, Any]
CONFIGMAPS = REGISTRY.resolve("configmaps")
SECRETS = REGISTRY.resolve("secrets")
SERVICES = REGISTRY.resolve("services")


class ConfigError(Exception):
    """A container cannot be configured (CreateContainerConfigError); the message is the kubelet's."""


def _source(api: Any, kind: str, name: str, namespace: str) -> Obj | None:
    return api.peek(CONFIGMAPS if kind == "ConfigMap" else SECRETS, name, namespace)


def source_data(obj: Obj, kind: str) -> dict[str, str]:
    """A ConfigMap's data (and binaryData) or a Secret's decoded data."""
    if kind == "ConfigMap":
        data = dict(obj.get("data") or {})
        for key, value in (obj.get("binaryData") or {}).items():
            data[key] = base64.b64decode(value).decode("utf-8", "replace")
        return data
    return {k: base64.b64decode(v).decode("utf-8", "replace") for k, v in (obj.get("data") or {}).items()}


def _missing(kind: str, name: str) -> ConfigError:
    return ConfigError(f'{"configmap" if kind == "ConfigMap" else "secret"} "{name}" not found')


def expand(text: str, env: dict[str, str]) -> str:
    """third_party/forked/golang/expansion: `$(VAR)` from env (kept as is when undefined), `$$` is `$`."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "$" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "$":
                out.append("$")
                i += 2
                continue
            if nxt == "(":
                end = text.find(")", i + 2)
                if end > 0:
                    name = text[i + 2:end]
                    out.append(env[name] if name in env else text[i:end + 1])
                    i = end + 1
                    continue
        out.append(text[i])
        i += 1
    return "".join(out)


def service_env(api: Any, namespace: str, service_links: bool) -> dict[str, str]:
    """Docker-links-style variables for the Services visible to the pod (getServiceEnvVarMap)."""
    services = [s for s in api.select(SERVICES, "default") if s["metadata"]["name"] == "kubernetes"]
    if service_links:
        services = [s for s in api.select(SERVICES, namespace)
                    if not (namespace == "default" and s["metadata"]["name"] == "kubernetes")] + services
    env: dict[str, str] = {}
    for svc in services:
        spec = svc.get("spec") or {}
        ip = spec.get("clusterIP")
        if not ip or ip == "None" or not spec.get("ports"):
            continue
        prefix = svc["metadata"]["name"].upper().replace("-", "_")
        ports = spec["ports"]
        env[f"{prefix}_SERVICE_HOST"] = ip
        env[f"{prefix}_SERVICE_PORT"] = str(ports[0]["port"])
        for port in ports:
            if port.get("name"):
                env[f"{prefix}_SERVICE_PORT_{port['name'].upper().replace('-', '_')}"] = str(port["port"])
        first = ports[0]
        env[f"{prefix}_PORT"] = f"{first.get('protocol', 'TCP').lower()}://{ip}:{first['port']}"
        for port in ports:
            proto = port.get("protocol", "TCP")
            base = f"{prefix}_PORT_{port['port']}_{proto}"
            env[base] = f"{proto.lower()}://{ip}:{port['port']}"
            env[f"{base}_PROTO"] = proto.lower()
            env[f"{base}_PORT"] = str(port["port"])
            env[f"{base}_ADDR"] = ip
    return env


def field_value(pod: Obj, path: str) -> str:
    meta, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
    m = re.fullmatch(r"metadata\.(labels|annotations)\['(.+)'\]", path)
    if m:
        return (meta.get(m.group(1)) or {}).get(m.group(2), "")
    simple = {
        "metadata.name": meta.get("name", ""), "metadata.namespace": meta.get("namespace", ""),
        "metadata.uid": meta.get("uid", ""), "spec.nodeName": spec.get("nodeName", ""),
        "spec.serviceAccountName": spec.get("serviceAccountName", ""), "status.hostIP": status.get("hostIP", ""),
        "status.podIP": status.get("podIP", ""),
        "status.hostIPs": ",".join(a["ip"] for a in status.get("hostIPs") or []),
        "status.podIPs": ",".join(a["ip"] for a in status.get("podIPs") or []),
        "metadata.labels": "\n".join(f'{k}="{v}"' for k, v in sorted((meta.get("labels") or {}).items())),
        "metadata.annotations": "\n".join(f'{k}="{v}"'
                                          for k, v in sorted((meta.get("annotations") or {}).items())),
    }
    return simple.get(path, "")


def resource_value(container: Obj, ref: Obj, allocatable: Obj) -> str:
    """ExtractContainerResourceValue: limits fall back to node allocatable; cpu rounds up to the divisor."""
    resource = ref.get("resource", "")
    kind, _, name = resource.partition(".")
    resources = container.get("resources") or {}
    value = (resources.get(kind) or {}).get(name)
    if value is None:
        value = allocatable.get(name, "0") if kind == "limits" else "0"
    divisor = parse_quantity(str(ref.get("divisor") or "1")).as_fraction() or 1
    number = parse_quantity(str(value)).as_fraction() / divisor
    return str(math.ceil(number)) if name == "cpu" else str(int(math.ceil(number)))


def container_env(api: Any, pod: Obj, container: Obj, allocatable: Obj, image_env: dict[str, str]) -> dict[str, str]:
    """The full environment of `container`, or ConfigError."""
    namespace = pod["metadata"].get("namespace", "default")
    spec = pod.get("spec") or {}
    env: dict[str, str] = {}
    for source in container.get("envFrom") or ():
        kind = "ConfigMap" if "configMapRef" in source else "Secret"
        ref = source.get("configMapRef") or source.get("secretRef") or {}
        obj = _source(api, kind, ref.get("name", ""), namespace)
        if obj is None:
            if ref.get("optional"):
                continue
            raise _missing(kind, ref.get("name", ""))
        prefix = source.get("prefix", "")
        for key, value in source_data(obj, kind).items():
            env[prefix + key] = value
    for var in container.get("env") or ():
        name = var["name"]
        if "value" in var or "valueFrom" not in var:
            env[name] = expand(var.get("value", ""), env)
            continue
        source = var["valueFrom"]
        if "fieldRef" in source:
            env[name] = field_value(pod, source["fieldRef"].get("fieldPath", ""))
        elif "resourceFieldRef" in source:
            env[name] = resource_value(container, source["resourceFieldRef"], allocatable)
        else:
            kind = "ConfigMap" if "configMapKeyRef" in source else "Secret"
            ref = source.get("configMapKeyRef") or source.get("secretKeyRef") or {}
            obj = _source(api, kind, ref.get("name", ""), namespace)
            if obj is None:
                if ref.get("optional"):
                    continue
                raise _missing(kind, ref.get("name", ""))
            data = source_data(obj, kind)
            if ref.get("key") not in data:
                if ref.get("optional"):
                    continue
                raise ConfigError(f"couldn't find key {ref.get('key')} in {kind} {namespace}/{ref.get('name')}")
            env[name] = data[ref["key"]]
    services = service_env(api, namespace, spec.get("enableServiceLinks", True) is not False)
    merged = {**image_env, **services, **env}
    return merged
