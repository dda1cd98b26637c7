"""ControllerRef adoption and release: which pods a workload controller owns (ClaimPods).

Called by the ReplicaSet, ReplicationController, StatefulSet, DaemonSet and Job controllers at the start
of each sync. Follows pkg/controller/controller_ref_manager.go of kube-controller-manager v1.33: a pod
whose controller reference names the owner stays claimed while the selector (and any extra filter)
matches, and is released otherwise unless the owner is being deleted; an orphan (no controller
reference) that matches, is not being deleted and lives in the owner's namespace is adopted, after one
fresh look that the owner is not being deleted (RecheckDeletionTimestamp). Adoption and release are
strategic merge patches carrying the pod's uid as a precondition, exactly as Go sends them; a Job's
patches also add and remove its `batch.kubernetes.io/job-tracking` finalizer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ...api.backend import STRATEGIC_MERGE_PATCH
from ...api.errors import ApiError
from ...api.registry import REGISTRY
from ...api.selectors import LabelSelector, SelectorError
from ..apiserver import APIServer
from .deploymentutil import controller_ref as controller_of
from .deploymentutil import new_controller_ref

Obj = dict[str, Any]
PODS = REGISTRY.resolve("pods")
PodFilter = Callable[[Obj], bool]
# Not found, a uid precondition that failed (the pod was re-created) or a patch the apiserver refused (another
# controller got there first): the claim is left alone and the next sync, queued by that very change, decides.
_IGNORED = (404, 409, 422)


def owner_keys_for_pod(api: APIServer, event: Any, kind: str, resource: str,
                       selector_of: Callable[[Obj], LabelSelector | None]) -> list[tuple[str, str]]:
    """The owners a pod event concerns, as (namespace, name) keys: its controller of `kind`, or for an orphan
    that may be adopted, every owner of `resource` whose selector matches it."""
    pod = event.object
    namespace = pod["metadata"].get("namespace", "")
    ref = controller_of(pod)
    if ref is None:
        if not orphan_wants_owner(event.type, pod):
            return []
        return [(namespace, o["metadata"]["name"]) for o in owners_matching(api, resource, pod, selector_of)]
    return [(namespace, ref.get("name", ""))] if ref.get("kind") == kind else []


def candidate_pods(api: APIServer, owner: Obj, selector: LabelSelector) -> list[Obj]:
    """The pods an owner might claim, in name order: its dependents and the pods of its namespace that its
    selector could match (through the label index when the selector has an equality)."""
    meta = owner["metadata"]
    namespace = meta.get("namespace", "")
    found = {p["metadata"]["uid"]: p for p in api.store.dependents(meta["uid"])
             if p.get("kind") == "Pod" and p["metadata"].get("namespace") == namespace}
    if selector.nothing:
        matching: Iterable[Obj] = ()
    elif selector.equalities:
        key, value = selector.equalities[0]
        matching = api.store.with_label("pods", key, value, namespace, ordered=False)
    else:
        matching = api.store.list("pods", namespace)
    for pod in matching:
        found.setdefault(pod["metadata"]["uid"], pod)
    return sorted(found.values(), key=lambda p: p["metadata"]["name"])


def owners_matching(api: APIServer, resource: str, pod: Obj,
                    selector_of: Callable[[Obj], LabelSelector]) -> list[Obj]:
    """The owners of `resource` in an orphan pod's namespace whose selector matches its labels, by name
    (getPodReplicaSets, getStatefulSetsForPod, getDaemonSetsForPod, getPodJobs): each is synced to see
    whether it wants to adopt the pod."""
    labels = pod["metadata"].get("labels")
    found = []
    for owner in api.store.list(resource, pod["metadata"].get("namespace", "")):
        try:
            if selector_of(owner).matches(labels):
                found.append(owner)
        except SelectorError:
            continue
    return sorted(found, key=lambda o: o["metadata"]["name"])


def orphan_wants_owner(event_type: str, pod: Obj) -> bool:
    """An orphan pod event that may lead to an adoption: the pod still exists and is not being deleted."""
    return event_type != "DELETED" and controller_of(pod) is None and not pod["metadata"].get("deletionTimestamp")


class PodControllerRefManager:
    """NewPodControllerRefManager for one sync pass of one owner: claim, adopt and release its pods."""

    def __init__(self, api: APIServer, owner: Obj, selector: LabelSelector, finalizers: tuple[str, ...] = ()):
        self.api = api
        self.owner = owner
        self.selector = selector
        self.finalizers = finalizers
        self._can_adopt: bool | None = None

    def claim_pods(self, pods: Iterable[Obj], *filters: PodFilter) -> list[Obj]:
        """ClaimPods: the pods the owner now owns; adopted pods are returned as patched."""
        claimed = []
        for pod in pods:
            got = self._claim(pod, filters)
            if got is not None:
                claimed.append(got)
        return claimed

    def _matches(self, pod: Obj, filters: tuple[PodFilter, ...]) -> bool:
        """The selector first, so the filters only run on pods that may match."""
        return self.selector.matches(pod["metadata"].get("labels")) and all(f(pod) for f in filters)

    def _claim(self, pod: Obj, filters: tuple[PodFilter, ...]) -> Obj | None:
        """ClaimObject for one pod: the pod when claimed, else None."""
        owner_meta = self.owner["metadata"]
        deleting = bool(owner_meta.get("deletionTimestamp"))
        ref = controller_of(pod)
        if ref is not None:
            if ref.get("uid") != owner_meta["uid"]:
                return None  # owned by someone else
            if self._matches(pod, filters):
                return pod
            if not deleting:
                self.release(pod)
            return None
        if deleting or not self._matches(pod, filters) or pod["metadata"].get("deletionTimestamp"):
            return None
        if owner_meta.get("namespace") and owner_meta["namespace"] != pod["metadata"].get("namespace"):
            return None
        return self.adopt(pod)

    def can_adopt(self) -> bool:
        """RecheckDeletionTimestamp, once per pass: the owner, read afresh, still exists and is not being deleted."""
        if self._can_adopt is None:
            fresh = self.api.by_uid(self.owner["metadata"]["uid"])
            self._can_adopt = fresh is not None and not fresh["metadata"].get("deletionTimestamp")
        return self._can_adopt

    def adopt(self, pod: Obj) -> Obj | None:
        """AdoptPod: the patch ownerRefControllerPatch builds; the pod as patched, or None."""
        if not self.can_adopt():
            return None
        meta: Obj = {"ownerReferences": [new_controller_ref(self.owner)], "uid": pod["metadata"]["uid"]}
        if self.finalizers:
            meta["finalizers"] = list(self.finalizers)
        return self._patch(pod, {"metadata": meta})

    def release(self, pod: Obj) -> None:
        """ReleasePod: the patch GenerateDeleteOwnerRefStrategicMergeBytes builds. A list the patch would
        leave empty is sent as null under a resourceVersion precondition instead, so the field goes as Go's
        `omitempty` encoding drops it, and nothing added meanwhile is lost."""
        pod_meta = pod["metadata"]
        uid = self.owner["metadata"]["uid"]
        meta: Obj = {"ownerReferences": [{"$patch": "delete", "uid": uid}], "uid": pod_meta["uid"]}
        if not [r for r in pod_meta.get("ownerReferences") or () if r.get("uid") != uid]:
            meta.update(ownerReferences=None, resourceVersion=pod_meta.get("resourceVersion"))
        if self.finalizers:
            meta["$deleteFromPrimitiveList/finalizers"] = list(self.finalizers)
            if not [f for f in pod_meta.get("finalizers") or () if f not in self.finalizers]:
                del meta["$deleteFromPrimitiveList/finalizers"]
                meta.update(finalizers=None, resourceVersion=pod_meta.get("resourceVersion"))
        self._patch(pod, {"metadata": meta})

    def _patch(self, pod: Obj, body: Obj) -> Obj | None:
        meta = pod["metadata"]
        try:
            return self.api.patch(PODS, meta["name"], body, STRATEGIC_MERGE_PATCH, meta.get("namespace"))
        except ApiError as exc:
            if exc.code in _IGNORED:
                return None
            raise
