"""Who points at whom among the objects of a snapshot: owners, Service endpoints, Ingress backends, volumes.

Read by the cluster view's drawing (`topology`). Pure functions of Kubernetes-shaped dicts: owners come
from `metadata.ownerReferences`, Service → Pod from EndpointSlices (and Endpoints), Ingress → Service from
its rules, Pod → ConfigMap/Secret/PVC from its volumes and env, PVC → PV from `spec.volumeName`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Obj = dict[str, Any]
Key = tuple[str, str]  # (Kind, name)

# the volume every pod gets for its service-account token: not something a learner wrote
SERVICE_ACCOUNT_VOLUME = "kube-api-access-"


@dataclass(frozen=True)
class Link:
    """An arrow from `source` to `target`; `ok` False draws it dashed (not-ready endpoint, missing object)."""

    source: Key
    target: Key
    kind: str  # owns | serves | routes | mounts | binds
    ok: bool = True
    label: str = ""


def key(obj: Obj, kind: str | None = None) -> Key:
    return (kind or obj.get("kind", ""), obj["metadata"]["name"])


def controller_of(obj: Obj) -> Key | None:
    """The (Kind, name) of the object's controlling owner, if it has one."""
    for ref in obj["metadata"].get("ownerReferences") or []:
        if ref.get("controller"):
            return (ref.get("kind", ""), ref.get("name", ""))
    return None


def ownership(objects: list[Obj]) -> list[Link]:
    return [Link(owner, key(obj), "owns") for obj in objects if (owner := controller_of(obj))]


def _slice_targets(slice_: Obj) -> Iterator[tuple[str, bool]]:
    for endpoint in slice_.get("endpoints") or []:
        ref = endpoint.get("targetRef") or {}
        if ref.get("kind") == "Pod":
            yield ref.get("name", ""), (endpoint.get("conditions") or {}).get("ready") is not False


def _endpoints_targets(endpoints: Obj) -> Iterator[tuple[str, bool]]:
    for subset in endpoints.get("subsets") or []:
        for field_name, ready in (("addresses", True), ("notReadyAddresses", False)):
            for address in subset.get(field_name) or []:
                ref = address.get("targetRef") or {}
                if ref.get("kind") == "Pod":
                    yield ref.get("name", ""), ready


def service_backends(services: list[Obj], slices: list[Obj], endpoints: list[Obj]) -> list[Link]:
    """Service → Pod for every endpoint: from the Service's EndpointSlices, else its Endpoints object."""
    links: dict[tuple[str, str], bool] = {}
    by_service: dict[str, list[tuple[str, bool]]] = {}
    for slice_ in slices:
        service = (slice_["metadata"].get("labels") or {}).get("kubernetes.io/service-name")
        if service:
            by_service.setdefault(service, []).extend(_slice_targets(slice_))
    for ep in endpoints:
        by_service.setdefault(ep["metadata"]["name"], [])
        if not by_service[ep["metadata"]["name"]]:
            by_service[ep["metadata"]["name"]].extend(_endpoints_targets(ep))
    names = {s["metadata"]["name"] for s in services}
    for service, targets in by_service.items():
        if service not in names:
            continue
        for pod, ready in targets:
            links[(service, pod)] = links.get((service, pod), False) or ready
    return [Link(("Service", s), ("Pod", p), "serves", ok) for (s, p), ok in sorted(links.items())]


def ingress_backends(ingresses: list[Obj]) -> list[Link]:
    """Ingress → Service for its default backend and each rule's paths (labelled `host/path`)."""
    links: list[Link] = []
    for ing in ingresses:
        spec = ing.get("spec") or {}
        default = ((spec.get("defaultBackend") or {}).get("service") or {}).get("name")
        if default:
            links.append(Link(key(ing, "Ingress"), ("Service", default), "routes", label="default"))
        for rule in spec.get("rules") or []:
            for path in (rule.get("http") or {}).get("paths") or []:
                service = ((path.get("backend") or {}).get("service") or {}).get("name")
                if service:
                    label = f"{rule.get('host', '*')}{path.get('path', '/')}"
                    links.append(Link(key(ing, "Ingress"), ("Service", service), "routes", label=label))
    return links


def _env_refs(container: Obj) -> Iterator[Key]:
    for env in container.get("env") or []:
        source = env.get("valueFrom") or {}
        if "configMapKeyRef" in source:
            yield ("ConfigMap", source["configMapKeyRef"].get("name", ""))
        if "secretKeyRef" in source:
            yield ("Secret", source["secretKeyRef"].get("name", ""))
    for env_from in container.get("envFrom") or []:
        if "configMapRef" in env_from:
            yield ("ConfigMap", env_from["configMapRef"].get("name", ""))
        if "secretRef" in env_from:
            yield ("Secret", env_from["secretRef"].get("name", ""))


def _volume_refs(volume: Obj) -> Iterator[Key]:
    if volume.get("name", "").startswith(SERVICE_ACCOUNT_VOLUME):
        return
    if "configMap" in volume:
        yield ("ConfigMap", volume["configMap"].get("name", ""))
    if "secret" in volume:
        yield ("Secret", volume["secret"].get("secretName", ""))
    if "persistentVolumeClaim" in volume:
        yield ("PersistentVolumeClaim", volume["persistentVolumeClaim"].get("claimName", ""))
    for source in (volume.get("projected") or {}).get("sources") or []:
        if "configMap" in source:
            yield ("ConfigMap", source["configMap"].get("name", ""))
        if "secret" in source:
            yield ("Secret", source["secret"].get("name", ""))


def pod_references(pod: Obj) -> list[Key]:
    """The ConfigMaps, Secrets and PersistentVolumeClaims a pod uses, in a stable order, once each."""
    spec = pod.get("spec") or {}
    refs: list[Key] = []
    for volume in spec.get("volumes") or []:
        refs.extend(_volume_refs(volume))
    for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        refs.extend(_env_refs(container))
    return sorted(set(refs))


def consumers(pods: list[Obj]) -> list[Link]:
    """ConfigMap/Secret/PVC → Pod for every reference a pod makes."""
    return [Link(ref, key(pod, "Pod"), "mounts") for pod in pods for ref in pod_references(pod)]


def claims(pvcs: list[Obj]) -> list[Link]:
    """PV → PVC for every bound claim."""
    return [Link(("PersistentVolume", pvc["spec"]["volumeName"]), key(pvc, "PersistentVolumeClaim"), "binds")
            for pvc in pvcs if (pvc.get("spec") or {}).get("volumeName")]
