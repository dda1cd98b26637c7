"""Discovery documents: /version, /api, /apis, the resource list of each group version, and the
aggregated discovery (apidiscovery.k8s.io/v2) kubectl asks for first.

Called by `k8scourse.serve.handler`. Built from the resource registry, so `kubectl api-resources` on the
served cluster lists what the in-process `kubectl api-resources` lists. Shapes follow
k8s.io/apimachinery/pkg/apis/meta/v1/types.go (APIVersions, APIGroupList, APIResourceList) and
k8s.io/api/apidiscovery/v2/types.go.
"""

from __future__ import annotations

from typing import Any

from ..api.registry import GROUP_ORDER, Registry, ResourceType
from ..api.version import KUBERNETES_VERSION
from .routes import resources_in, served_versions

Obj = dict[str, Any]

AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

# subresource → (group, version, kind) it answers with ("" group/version: the parent's), and its verbs;
# as `kubectl get --raw /api/v1` lists them on Kubernetes 1.33.
SUBRESOURCES: dict[str, tuple[str | None, str | None, str | None, tuple[str, ...]]] = {
    "attach": ("", "v1", "PodAttachOptions", ("create", "get")),
    "binding": ("", "v1", "Binding", ("create",)),
    "ephemeralcontainers": (None, None, None, ("get", "patch", "update")),
    "eviction": ("policy", "v1", "Eviction", ("create",)),
    "exec": ("", "v1", "PodExecOptions", ("create", "get")),
    "log": (None, None, None, ("get",)),
    "portforward": ("", "v1", "PodPortForwardOptions", ("create", "get")),
    "proxy": ("", "v1", None, ("create", "delete", "get", "patch", "update")),
    "resize": (None, None, None, ("get", "patch", "update")),
    "status": (None, None, None, ("get", "patch", "update")),
    "scale": ("autoscaling", "v1", "Scale", ("get", "patch", "update")),
    "finalize": (None, None, None, ("update",)),
    "token": ("authentication.k8s.io", "v1", "TokenRequest", ("create",)),
}
_PROXY_KINDS = {"Pod": "PodProxyOptions", "Node": "NodeProxyOptions", "Service": "ServiceProxyOptions"}


def version_info() -> Obj:
    """What GET /version answers (k8s.io/apimachinery/pkg/version.Info)."""
    major, minor = KUBERNETES_VERSION.lstrip("v").split(".")[:2]
    return {
        "major": major, "minor": minor, "emulationMajor": major, "emulationMinor": minor,
        "minCompatibilityMajor": major, "minCompatibilityMinor": str(int(minor) - 1),
        "gitVersion": KUBERNETES_VERSION, "gitCommit": "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828",
        "gitTreeState": "clean", "buildDate": "2025-05-15T08:19:08Z", "goVersion": "go1.24.2",
        "compiler": "gc", "platform": "linux/amd64",
    }


def _group_key(group: str) -> int:
    return GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)


def _groups(registry: Registry) -> list[tuple[str, list[str]]]:
    """Named groups in discovery order with their versions, preferred first."""
    versions = served_versions(registry)
    return [(g, versions[g]) for g in sorted(versions, key=_group_key) if g]


def api_versions(server_address: str) -> Obj:
    """GET /api (legacy discovery)."""
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}]}


def _group_doc(group: str, versions: list[str]) -> Obj:
    gvs = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
    return {"name": group, "versions": gvs, "preferredVersion": gvs[0]}


def api_group_list(registry: Registry) -> Obj:
    """GET /apis (legacy discovery)."""
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": [_group_doc(g, v) for g, v in _groups(registry)]}


def api_group(registry: Registry, group: str) -> Obj | None:
    """GET /apis/<group>, or None when the group is not served."""
    versions = served_versions(registry).get(group)
    if not group or not versions:
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group_doc(group, versions)}


def _subresource_entries(rt: ResourceType) -> list[Obj]:
    entries = []
    for sub in rt.subresources:
        group, version, kind, verbs = SUBRESOURCES[sub]
        kind = _PROXY_KINDS.get(rt.kind) if sub == "proxy" else kind
        entry: Obj = {"name": f"{rt.plural}/{sub}", "singularName": "", "namespaced": rt.namespaced,
                      "kind": kind or rt.kind, "verbs": list(verbs)}
        if group is not None and (group, version) != ("", "v1"):
            entry["group"], entry["version"] = group, version
        entries.append(entry)
    return entries


def resource_list(registry: Registry, group: str, version: str) -> Obj:
    """GET /api/v1 or /apis/<group>/<version>: an APIResourceList with subresources as `pods/log`."""
    resources: list[Obj] = []
    for rt in sorted(resources_in(registry, group, version), key=lambda r: r.plural):
        entry: Obj = {"name": rt.plural, "singularName": rt.singular, "namespaced": rt.namespaced,
                      "kind": rt.kind, "verbs": list(rt.verbs)}
        if rt.short_names:
            entry["shortNames"] = list(rt.short_names)
        if rt.categories:
            entry["categories"] = list(rt.categories)
        resources.append(entry)
        resources += _subresource_entries(rt)
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": f"{group}/{version}" if group else version,
            "resources": resources}


def _aggregated_resource(rt: ResourceType, group: str, version: str) -> Obj:
    entry: Obj = {"resource": rt.plural, "responseKind": {"group": group, "version": version, "kind": rt.kind},
                  "scope": "Namespaced" if rt.namespaced else "Cluster", "singularResource": rt.singular,
                  "verbs": list(rt.verbs)}
    if rt.short_names:
        entry["shortNames"] = list(rt.short_names)
    if rt.categories:
        entry["categories"] = list(rt.categories)
    subs = []
    for sub in rt.subresources:
        sub_group, sub_version, kind, verbs = SUBRESOURCES[sub]
        kind = _PROXY_KINDS.get(rt.kind) if sub == "proxy" else kind
        response = {"group": group if sub_group is None else sub_group,
                    "version": version if sub_version is None else sub_version, "kind": kind or rt.kind}
        subs.append({"subresource": sub, "responseKind": response, "verbs": list(verbs)})
    if subs:
        entry["subresources"] = subs
    return entry


def aggregated(registry: Registry, legacy: bool) -> Obj:
    """GET /api or /apis with the aggregated Accept type: every group version's resources at once."""
    groups = [("", ["v1"])] if legacy else _groups(registry)
    items = []
    for group, versions in groups:
        docs = []
        for v in versions:
            resources = [_aggregated_resource(rt, group, v)
                         for rt in sorted(resources_in(registry, group, v), key=lambda r: r.plural)]
            docs.append({"version": v, "resources": resources, "freshness": "Current"})
        items.append({"metadata": {"name": group, "creationTimestamp": None}, "versions": docs})
    return {"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {}, "items": items}
