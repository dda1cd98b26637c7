"""Volumes as far as starting containers needs them: can they be set up, and which files do they show?

Called by the pod worker before the sandbox's containers are created. A ConfigMap or Secret volume whose
object is missing fails with the kubelet's FailedMount message and the pod stays in ContainerCreating;
present ones become files under each container's mountPath (for `cat`/`ls` in exec and in shells).
The storage model (PVCs, PVs, emptyDir sharing) comes with the storage layer.
"""

from __future__ import annotations

from typing import Any

from .env import CONFIGMAPS, SECRETS, source_data

Obj = dict[str, Any]


class MountError(Exception):
    """A volume that cannot be set up: the message of the FailedMount event."""


def _projected_files(api: Any, volume: Obj, namespace: str) -> dict[str, str]:
    kind = "ConfigMap" if "configMap" in volume else "Secret"
    source = volume.get("configMap") or volume.get("secret") or {}
    name = source.get("name") or source.get("secretName") or ""
    obj = api.peek(CONFIGMAPS if kind == "ConfigMap" else SECRETS, name, namespace)
    if obj is None:
        if source.get("optional"):
            return {}
        what = "configmap" if kind == "ConfigMap" else "secret"
        raise MountError(f'MountVolume.SetUp failed for volume "{volume["name"]}" : {what} "{name}" not found')
    data = source_data(obj, kind)
    items = source.get("items")
    if not items:
        return data
    files = {}
    for item in items:
        if item["key"] not in data:
            if source.get("optional"):
                continue
            raise MountError(f'MountVolume.SetUp failed for volume "{volume["name"]}" : configmap references '
                             f'non-existent config key: {item["key"]}' if kind == "ConfigMap" else
                             f'MountVolume.SetUp failed for volume "{volume["name"]}" : references non-existent '
                             f'secret key: {item["key"]}')
        files[item["path"]] = data[item["key"]]
    return files


def volume_files(api: Any, pod: Obj) -> dict[str, dict[str, str]]:
    """Volume name -> files (relative path -> content); MountError for the first one that cannot be set up."""
    namespace = pod["metadata"].get("namespace", "default")
    out: dict[str, dict[str, str]] = {}
    for volume in (pod.get("spec") or {}).get("volumes") or ():
        if "configMap" in volume or "secret" in volume:
            out[volume["name"]] = _projected_files(api, volume, namespace)
        elif "projected" in volume:
            files: dict[str, str] = {}
            for source in volume["projected"].get("sources") or ():
                if "serviceAccountToken" in source:
                    files[source["serviceAccountToken"].get("path", "token")] = "eyJhbGciOiJSUzI1NiIsImtpZCI6IiJ9"
                elif "configMap" in source or "secret" in source:
                    files.update(_projected_files(api, {"name": volume["name"], **source}, namespace))
            out[volume["name"]] = files
        else:
            out[volume["name"]] = {}
    return out


def container_files(container: Obj, volumes: dict[str, dict[str, str]], hostname: str) -> dict[str, str]:
    """The files a container sees: its mounts plus /etc/hostname."""
    files = {"/etc/hostname": hostname + "\n"}
    for mount in container.get("volumeMounts") or ():
        content = volumes.get(mount["name"], {})
        base = mount["mountPath"].rstrip("/")
        sub = mount.get("subPath")
        if sub:
            if sub in content:
                files[base] = content[sub]
            continue
        for rel, text in content.items():
            files[f"{base}/{rel}"] = text
    return files
