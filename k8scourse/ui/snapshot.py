"""What the cluster view draws: the objects of one namespace (and the nodes and volumes), read at one moment.

Taken by the cluster view and the event timeline through the `Cluster` facade only (`cluster.get`), so it
works on every backend; `Snapshot` is plain data, which is what the pure drawing functions take.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..api.errors import ApiError, K8sError

Obj = dict[str, Any]

NAMESPACED = ("pods", "deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "cronjobs",
              "replicationcontrollers", "services", "endpointslices", "endpoints", "ingresses",
              "persistentvolumeclaims", "configmaps", "secrets", "events")
CLUSTER_WIDE = ("nodes", "persistentvolumes")


@dataclass
class Snapshot:
    """Objects by resource name (`pods`, `services`, ...), each list sorted by name, and the cluster time."""

    namespace: str
    objects: dict[str, list[Obj]] = field(default_factory=dict)
    time: str = ""  # the cluster's clock, ISO 8601
    hidden_pods: dict[str, int] = field(default_factory=dict)  # pods of other namespaces, per node

    def of(self, resource: str) -> list[Obj]:
        return self.objects.get(resource, [])


def _listed(cluster: Any, resource: str, namespace: str | None, all_namespaces: bool = False) -> list[Obj]:
    try:
        items = cluster.get(resource, namespace=namespace, all_namespaces=all_namespaces)
    except (ApiError, K8sError):  # a resource type this cluster does not serve
        return []
    return sorted(items, key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))


def take_snapshot(cluster: Any, namespace: str | None = None) -> Snapshot:
    """Read what the views draw from `cluster` (a `k8scourse.Cluster`), for `namespace` (default: the cluster's)."""
    ns = namespace or cluster.namespace
    objects = {resource: _listed(cluster, resource, ns) for resource in NAMESPACED}
    objects.update({resource: _listed(cluster, resource, None) for resource in CLUSTER_WIDE})
    hidden: dict[str, int] = {}
    for pod in _listed(cluster, "pods", None, all_namespaces=True):
        node = pod.get("spec", {}).get("nodeName")
        if node and pod["metadata"].get("namespace") != ns:
            hidden[node] = hidden.get(node, 0) + 1
    return Snapshot(ns, objects, cluster_time(cluster), hidden)


def cluster_time(cluster: Any) -> str:
    """The cluster's current time as ISO 8601 (`2026-01-05T09:02:06Z`)."""
    now = cluster.backend.current_time()
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")
