"""The course's clean-up on a real cluster: delete only what the course created.

Called by `RealCluster.cleanup()` (k8scourse.real.cluster) and `Cluster.reset()` (k8scourse.cluster).
The course marks what it creates on a real cluster with the label `app.kubernetes.io/managed-by=k8scourse`
(`Cluster.apply`/`create` add it). Clean-up deletes labelled objects only, only in `default` and in the
namespaces the course created (labelled ones), never in kube-system or the other system namespaces; a
labelled namespace is deleted only once nothing unlabelled is left in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..api.errors import ApiError
from ..api.registry import ResourceType

Obj = dict[str, Any]

COURSE_LABEL_KEY = "app.kubernetes.io/managed-by"
COURSE_LABEL_VALUE = "k8scourse"
COURSE_SELECTOR = f"{COURSE_LABEL_KEY}={COURSE_LABEL_VALUE}"
SYSTEM_NAMESPACES = frozenset({"kube-system", "kube-public", "kube-node-lease"})
# What the cluster itself makes in every namespace or for every object: never the course's to delete.
GENERATED = frozenset({"events", "events.events.k8s.io", "endpoints", "endpointslices.discovery.k8s.io",
                       "controllerrevisions.apps", "leases.coordination.k8s.io", "bindings"})
AUTOMATIC_OBJECTS = frozenset({("serviceaccounts", "default"), ("configmaps", "kube-root-ca.crt")})
CLUSTER_KINDS = frozenset({"persistentvolumes", "storageclasses.storage.k8s.io",
                           "ingressclasses.networking.k8s.io", "priorityclasses.scheduling.k8s.io"})


@dataclass
class CleanupReport:
    """What clean-up deleted (`kind/name` or `namespace/kind/name`) and which namespaces it left standing."""

    deleted: list[str] = field(default_factory=list)
    kept_namespaces: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        text = f"deleted {len(self.deleted)} object(s) the course created"
        if self.kept_namespaces:
            text += "; kept namespace(s) holding objects the course did not create: " + ", ".join(self.kept_namespaces)
        return text


def label(obj: Obj) -> Obj:
    """A copy of `obj` carrying the course's label (an existing managed-by label is left as it is)."""
    labelled = dict(obj)
    meta = dict(labelled.get("metadata") or {})
    labels = dict(meta.get("labels") or {})
    labels.setdefault(COURSE_LABEL_KEY, COURSE_LABEL_VALUE)
    meta["labels"] = labels
    labelled["metadata"] = meta
    return labelled


def course_namespaces(backend: Any) -> list[str]:
    """`default` and the namespaces the course created, never a system namespace."""
    namespaces = backend.registry.resolve("namespaces")
    created = [n["metadata"]["name"] for n in backend.list(namespaces, None, COURSE_SELECTOR)["items"]]
    return ["default", *sorted(n for n in created if n not in SYSTEM_NAMESPACES and n != "default")]


def _namespaced_types(backend: Any) -> list[ResourceType]:
    return [rt for rt in backend.registry.resources
            if rt.namespaced and rt.group_resource not in GENERATED and {"list", "delete"} <= set(rt.verbs)]


def _delete(backend: Any, rt: ResourceType, obj: Obj, report: CleanupReport) -> None:
    meta = obj["metadata"]
    try:
        backend.delete(rt, meta["name"], meta.get("namespace"), propagation_policy="Background")
    except ApiError as exc:
        if exc.code != 404:
            raise
        return
    where = f"{meta['namespace']}/" if meta.get("namespace") else ""
    report.deleted.append(f"{where}{rt.kubectl_kind}/{meta['name']}")


def _leftovers(backend: Any, namespace: str) -> bool:
    """Whether `namespace` still holds something the course did not create (and nothing the course made owns)."""
    for rt in _namespaced_types(backend):
        for obj in backend.list(rt, namespace)["items"]:
            meta = obj["metadata"]
            if meta.get("deletionTimestamp") or meta.get("ownerReferences"):
                continue
            if (rt.group_resource, meta["name"]) in AUTOMATIC_OBJECTS:
                continue
            if (meta.get("labels") or {}).get(COURSE_LABEL_KEY) != COURSE_LABEL_VALUE:
                return True
    return False


def cleanup(backend: Any) -> CleanupReport:
    """Delete the course's labelled objects in its namespaces, then its namespaces left empty of others'."""
    report = CleanupReport()
    namespaces = course_namespaces(backend)
    for rt in _namespaced_types(backend):
        for namespace in namespaces:
            for obj in backend.list(rt, namespace, COURSE_SELECTOR)["items"]:
                _delete(backend, rt, obj, report)
    for group_resource in sorted(CLUSTER_KINDS):
        rt = backend.registry.for_group_resource(group_resource)
        for obj in backend.list(rt, None, COURSE_SELECTOR)["items"]:
            _delete(backend, rt, obj, report)
    ns_rt = backend.registry.resolve("namespaces")
    for namespace in namespaces[1:]:
        if _leftovers(backend, namespace):
            report.kept_namespaces.append(namespace)
        else:
            _delete(backend, ns_rt, {"metadata": {"name": namespace}}, report)
    return report
