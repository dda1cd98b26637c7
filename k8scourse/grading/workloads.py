"""Finding objects and a workload's pods through the `Cluster` facade.

Shared by the checks (`checks`, which run in the grader's process) and the probes (`probes`, which class
grading runs inside the graded kernel, so this module is fingerprinted by the snapshot guard there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..api.errors import ApiError

if TYPE_CHECKING:
    from ..cluster import Cluster

Obj = dict[str, Any]
WORKLOAD_RESOURCES = {"deployment": "deployments", "statefulset": "statefulsets", "replicaset": "replicasets",
                      "daemonset": "daemonsets"}


def find_object(cluster: Cluster, resource: str, name: str) -> Obj | None:
    """The object, or None when it does not exist."""
    try:
        found = cluster.get(resource, name)
    except ApiError as exc:
        if exc.code == 404:
            return None
        raise
    return found if isinstance(found, dict) else None


def alive(obj: Obj) -> bool:
    """Not being deleted."""
    return not obj.get("metadata", {}).get("deletionTimestamp")


def owned_by(obj: Obj, uids: set[str]) -> bool:
    return any(ref.get("uid") in uids for ref in obj.get("metadata", {}).get("ownerReferences") or [])


def workload_pods(cluster: Cluster, kind: str, name: str) -> list[Obj]:
    """The live pods a workload owns (a Deployment through its ReplicaSets), sorted by name."""
    workload = find_object(cluster, WORKLOAD_RESOURCES[kind], name)
    if workload is None:
        return []
    owners = {workload["metadata"]["uid"]}
    if kind == "deployment":
        owners = {rs["metadata"]["uid"] for rs in cluster.get("replicasets") if owned_by(rs, owners)}
    pods = [p for p in cluster.get("pods") if owned_by(p, owners) and alive(p)]
    return sorted(pods, key=lambda p: p["metadata"]["name"])


def is_ready(pod: Obj) -> bool:
    conditions = pod.get("status", {}).get("conditions") or []
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
