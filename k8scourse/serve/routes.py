"""URL paths of the Kubernetes REST API, parsed into what a request is about.

Called by `k8scourse.serve.handler` for every request. Knows the path layout kube-apiserver serves
(k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): `/api/v1/...` for the core group,
`/apis/<group>/<version>/...` for the others, `namespaces/<ns>/` before namespaced resources, then
`<resource>[/<name>[/<subresource>]]`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..api.registry import ALTERNATE_VERSIONS, Registry, ResourceType

# Subresources of the namespaces resource itself (`/api/v1/namespaces/<name>/status`).
NAMESPACE_SUBRESOURCES = ("status", "finalize")


@dataclass(frozen=True)
class Route:
    """A resource request: which resource type, namespace, object and subresource."""

    rt: ResourceType
    group: str
    version: str
    namespace: str | None = None
    name: str | None = None
    subresource: str | None = None

    @property
    def collection(self) -> bool:
        return self.name is None


@dataclass(frozen=True)
class Discovery:
    """A discovery path: `/api`, `/apis`, `/apis/<group>` or a group version's resource list."""

    group: str | None = None  # None: the root (/api or /apis)
    version: str | None = None
    legacy: bool = False  # under /api


class UnknownPath(LookupError):
    """No resource serves this path (the apiserver answers 404 NotFound)."""


def served_versions(registry: Registry) -> dict[str, list[str]]:
    """group → versions served, preferred first (autoscaling serves v2 and v1)."""
    out: dict[str, list[str]] = {}
    for rt in registry.resources:
        versions = out.setdefault(rt.group, [])
        if rt.version not in versions:
            versions.append(rt.version)
    for (group, _kind), versions in ALTERNATE_VERSIONS.items():
        for v in versions:
            if v not in out.setdefault(group, []):
                out[group].append(v)
    return out


def resources_in(registry: Registry, group: str, version: str) -> list[ResourceType]:
    """The resource types served under one group version (alternate versions serve the same storage)."""
    found = [rt for rt in registry.resources if rt.group == group and rt.version == version]
    for (alt_group, kind), versions in ALTERNATE_VERSIONS.items():
        if alt_group == group and version in versions:
            found += [rt for rt in registry.resources if rt.group == group and rt.kind == kind]
    return found


def parse(registry: Registry, path: str) -> Route | Discovery:
    """Parse an URL path (without query); raises UnknownPath for anything the API does not serve."""
    parts = [p for p in path.split("/") if p]
    if not parts or parts[0] not in ("api", "apis"):
        raise UnknownPath(path)
    if parts[0] == "api":
        if len(parts) == 1:
            return Discovery(legacy=True)
        group, version, rest = "", parts[1], parts[2:]
    else:
        if len(parts) <= 2:
            return Discovery(group=parts[1] if len(parts) == 2 else None)
        group, version, rest = parts[1], parts[2], parts[3:]
    versions = served_versions(registry)
    if version not in versions.get(group, ()):
        raise UnknownPath(path)
    if not rest:
        return Discovery(group=group, version=version, legacy=group == "")
    return _resource_route(registry, group, version, rest, path)


def _resource_route(registry: Registry, group: str, version: str, rest: list[str], path: str) -> Route:
    by_plural = {rt.plural: rt for rt in resources_in(registry, group, version)}
    namespace = None
    if rest[0] == "namespaces" and len(rest) >= 3 and rest[2] not in NAMESPACE_SUBRESOURCES:
        namespace, rest = rest[1], rest[2:]
    rt = by_plural.get(rest[0])
    if rt is None or len(rest) > 3:
        raise UnknownPath(path)
    name = rest[1] if len(rest) >= 2 else None
    subresource = rest[2] if len(rest) == 3 else None
    if subresource is not None and subresource not in rt.subresources:
        raise UnknownPath(path)
    if namespace is not None and not rt.namespaced:
        raise UnknownPath(path)
    return Route(rt, group, version, namespace, name, subresource)
