"""The ReplicaSet and ReplicationController controllers: keep `spec.replicas` pods alive for a selector.

Created by `SimulatedCluster` (one instance per kind). Follows kube-controller-manager v1.33
(pkg/controller/replicaset/replica_set.go, replica_set_utils.go, pkg/controller/controller_utils.go and the
ControllerRefManager): a controller owns the pods that carry its controller reference; it adopts orphan
pods its selector matches and releases owned pods that stop matching; pods that finished or are being
deleted do not count. Missing pods are created from the template in slow-start batches (1, 2, 4, ...; a
refused creation stops the rest and is reported in a ReplicaFailure condition); surplus pods are deleted
in the real preference order. Pod readiness is read from pod status only (phase, the Ready condition).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from ...api.errors import ApiError
from ...api.objects import deep_copy
from ...api.registry import REGISTRY, ResourceType
from ...api.selectors import LabelSelector, SelectorError, selector_from_dict, selector_from_map
from ..apiserver import APIServer
from ..events import EventRecorder
from ..store import WatchEvent
from . import deploymentutil as du
from .base import Controller
from .controllerref import PodControllerRefManager, candidate_pods, owners_matching

Obj = dict[str, Any]
PODS = REGISTRY.resolve("pods")
BURST_REPLICAS = 500  # kube-controller-manager's burstReplicas
MAX_BACKOFF = 1000.0  # workqueue.DefaultControllerRateLimiter: 5 ms doubling up to 1000 s


class ReplicaSetController(Controller):
    """One pod-replicating controller; `for_replication_controllers()` builds the ReplicationController one."""

    name = "replicaset-controller"
    resources = ("pods", "replicasets.apps")
    owner_resource = "replicasets.apps"
    owner_kind = "ReplicaSet"

    def __init__(self, api: APIServer, recorder: EventRecorder):
        super().__init__(api, recorder)
        self.rt: ResourceType = api._rt_by_resource(self.owner_resource)
        self._failures: dict[Hashable, int] = {}

    # --- what to sync ------------------------------------------------------------------------------
    def selector(self, owner: Obj) -> LabelSelector:
        return selector_from_dict(owner["spec"].get("selector"))

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        obj = event.object
        meta = obj["metadata"]
        ns = meta.get("namespace", "")
        if event.resource == self.owner_resource:
            return [(ns, meta["name"])]
        ref = du.controller_ref(obj)
        if ref is not None:
            return [(ns, ref["name"])] if ref.get("kind") == self.owner_kind else []
        if event.type == "DELETED" or not du.is_pod_active(obj):
            return []
        return [(ns, owner["metadata"]["name"])
                for owner in owners_matching(self.api, self.owner_resource, obj, self.selector)]

    # --- sync --------------------------------------------------------------------------------------
    def sync(self, key: Hashable) -> None:
        ns, name = key  # type: ignore[misc]
        owner = self.api.store.get(self.owner_resource, ns, name)
        if owner is None:
            self._failures.pop(key, None)
            return
        try:
            selector = self.selector(owner)
        except SelectorError:
            return
        manager = PodControllerRefManager(self.api, owner, selector)
        pods = manager.claim_pods(p for p in candidate_pods(self.api, owner, selector) if du.is_pod_active(p))
        error: ApiError | None = None
        if not owner["metadata"].get("deletionTimestamp"):
            error = self._manage_replicas(owner, pods)
        self._update_status(key, pods, error)
        if error is not None:
            self._retry_later(key)
        else:
            self._failures.pop(key, None)

    # --- create and delete -------------------------------------------------------------------------
    def _manage_replicas(self, owner: Obj, pods: list[Obj]) -> ApiError | None:
        diff = len(pods) - du.replicas_of(owner)
        if diff < 0:
            return self._create_pods(owner, min(-diff, BURST_REPLICAS))
        if diff > 0:
            return self._delete_pods(owner, pods, min(diff, BURST_REPLICAS))
        return None

    def _create_pods(self, owner: Obj, count: int) -> ApiError | None:
        """slowStartBatch over podControl.CreatePods: stop at the first batch with a refusal."""
        for size in du.slow_start_batches(count):
            errors = [err for err in (self._create_pod(owner) for _ in range(size)) if err is not None]
            if errors:
                return errors[0]
        return None

    def _create_pod(self, owner: Obj) -> ApiError | None:
        pod = self.pod_from_template(owner)
        ns = owner["metadata"].get("namespace")
        try:
            created = self.api.create(PODS, pod, ns, owned=True, copy_result=False)
        except ApiError as exc:
            if not _namespace_terminating(exc):
                self.recorder.event(owner, "Warning", "FailedCreate", f"Error creating: {exc.message}", self.name)
            return exc
        self.recorder.event(owner, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}",
                            self.name)
        return None

    def pod_from_template(self, owner: Obj) -> Obj:
        """controller.GetPodFromTemplate: template labels, annotations and finalizers, `<owner>-` generateName."""
        template = owner["spec"].get("template") or {}
        tmeta = template.get("metadata") or {}
        meta: Obj = {"generateName": f"{owner['metadata']['name']}-"}
        for key in ("labels", "annotations", "finalizers"):
            if tmeta.get(key):
                meta[key] = deep_copy(tmeta[key])
        meta["ownerReferences"] = [du.new_controller_ref(owner)]
        return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": deep_copy(template.get("spec") or {})}

    def _delete_pods(self, owner: Obj, pods: list[Obj], count: int) -> ApiError | None:
        now = self.api.clock.now
        victims = pods
        if count < len(pods):
            ranks = self._colocation_ranks(owner, pods)
            victims = sorted(pods, key=lambda p: du.deletion_order_key(
                p, ranks.get((p.get("spec") or {}).get("nodeName", ""), 0), now, self.api.clock.parse))
        first_error: ApiError | None = None
        for pod in victims[:count]:
            name = pod["metadata"]["name"]
            try:
                self.api.delete(PODS, name, pod["metadata"].get("namespace"))
            except ApiError as exc:
                if exc.code == 404:
                    continue
                self.recorder.event(owner, "Warning", "FailedDelete", f"Error deleting: {exc.message}", self.name)
                first_error = first_error or exc
                continue
            self.recorder.event(owner, "Normal", "SuccessfulDelete", f"Deleted pod: {name}", self.name)
        return first_error

    def _colocation_ranks(self, owner: Obj, pods: list[Obj]) -> dict[str, int]:
        """getPodsRankedByRelatedPodsOnSameNode: active pods per node among the owner's siblings' pods."""
        related = {p["metadata"]["uid"]: p for p in pods}
        parent = du.controller_ref(owner)
        if parent is not None:
            for sibling in self.api.store.dependents(parent.get("uid", "")):
                if sibling.get("kind") == self.owner_kind and sibling["metadata"]["uid"] != owner["metadata"]["uid"]:
                    for pod in self.api.store.dependents(sibling["metadata"]["uid"]):
                        related.setdefault(pod["metadata"]["uid"], pod)
        counts: dict[str, int] = {}
        for pod in related.values():
            if du.is_pod_active(pod):
                node = (pod.get("spec") or {}).get("nodeName", "")
                counts[node] = counts.get(node, 0) + 1
        return counts

    # --- status ------------------------------------------------------------------------------------
    def calculate_status(self, owner: Obj, pods: list[Obj], error: ApiError | None) -> Obj:
        """calculateStatus: counts of pods, fully labelled, ready and available; the ReplicaFailure condition."""
        now = self.api.clock.now
        min_ready = int(owner["spec"].get("minReadySeconds") or 0)
        template_labels = selector_from_map(((owner["spec"].get("template") or {}).get("metadata") or {})
                                            .get("labels"), empty_matches_nothing=False)
        status = deep_copy(owner.get("status") or {})
        counts = {
            "fullyLabeledReplicas": sum(1 for p in pods if template_labels.matches(p["metadata"].get("labels"))),
            "readyReplicas": sum(1 for p in pods if du.is_pod_ready(p)),
            "availableReplicas": sum(1 for p in pods if du.is_pod_available(p, min_ready, now, self.api.clock.parse)),
        }
        failure = du.get_condition(status, "ReplicaFailure")
        if error is not None and failure is None:
            diff = len(pods) - du.replicas_of(owner)
            reason = "FailedCreate" if diff < 0 else "FailedDelete" if diff > 0 else ""
            status.setdefault("conditions", []).append({
                "type": "ReplicaFailure", "status": "True", "lastTransitionTime": self.api.clock.timestamp(),
                "reason": reason, "message": error.message})
        elif error is None and failure is not None:
            du.remove_condition(status, "ReplicaFailure")
        status["replicas"] = len(pods)
        for key, value in counts.items():  # omitempty
            if value:
                status[key] = value
            else:
                status.pop(key, None)
        return status

    def _update_status(self, key: Hashable, pods: list[Obj], error: ApiError | None) -> None:
        owner = self.api.store.get(self.owner_resource, *key)  # type: ignore[misc]
        if owner is None:
            return
        status = self.calculate_status(owner, pods, error)
        generation = owner["metadata"].get("generation")
        if generation:
            status["observedGeneration"] = generation
        if status != (owner.get("status") or {}):
            updated = deep_copy(owner)
            updated["status"] = status
            try:
                self.api.update(self.rt, updated, owner["metadata"].get("namespace"), subresource="status")
            except ApiError as exc:
                if exc.code not in (404, 409):
                    raise
        self._recheck_availability(key, owner, pods)

    def _recheck_availability(self, key: Hashable, owner: Obj, pods: list[Obj]) -> None:
        """Sync again when the next ready pod has been ready for minReadySeconds (the AddAfter resync)."""
        min_ready = int(owner["spec"].get("minReadySeconds") or 0)
        if not min_ready:
            return
        now = self.api.clock.now
        pending = [t for p in pods if (t := du.available_at(p, min_ready, self.api.clock.parse)) is not None
                   and t >= now]
        if pending:
            self.enqueue(key, after=min(pending) - now + 0.001)

    def _retry_later(self, key: Hashable) -> None:
        """A failed sync is retried with the workqueue's exponential back-off, as background work."""
        failures = self._failures.get(key, 0)
        self._failures[key] = failures + 1
        delay = min(0.005 * 2**failures, MAX_BACKOFF)
        self.api.clock.call_later(delay, lambda: self.enqueue(key), periodic=True, label=f"{self.name} retry {key}")


class ReplicationControllerController(ReplicaSetController):
    """The ReplicationController flavour (pkg/controller/replication wraps the ReplicaSet controller)."""

    name = "replication-controller"
    resources = ("pods", "replicationcontrollers")
    owner_resource = "replicationcontrollers"
    owner_kind = "ReplicationController"

    def selector(self, owner: Obj) -> LabelSelector:
        return selector_from_map(owner["spec"].get("selector"))


def _namespace_terminating(exc: ApiError) -> bool:
    causes = exc.details.get("causes") or ()
    return any(c.get("reason") == "NamespaceTerminating" for c in causes)
