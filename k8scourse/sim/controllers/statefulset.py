"""The StatefulSet controller: pods with stable ordinal names, their claims, ordered rollout and scale-down.

Created by `SimulatedCluster`. Follows pkg/controller/statefulset (stateful_set_control.go,
stateful_set_utils.go, stateful_pod_control.go) of kube-controller-manager v1.33: pods `<set>-<ordinal>`
with the `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index` and
`controller-revision-hash` labels, hostname and subdomain set once at creation; claims
`<template>-<set>-<ordinal>` created before their pod and kept after scale-down unless the
persistentVolumeClaimRetentionPolicy says Delete; OrderedReady (one pod at a time, each Running and
Ready before the next, removal from the highest ordinal) and Parallel; rolling updates from the highest
ordinal down to the partition; OnDelete. Orphan pods that match the selector and are named
`<set>-<ordinal>` are adopted, owned pods that no longer are released (getPodsForStatefulSet, through
`controllerref`).
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

from ...api.errors import ApiError
from ...api.objects import deep_copy
from ...api.registry import REGISTRY
from ...api.selectors import LabelSelector, SelectorError, selector_from_dict
from ..store import WatchEvent
from .base import Controller
from .controllerref import (
    PodControllerRefManager,
    candidate_pods,
    owner_keys_for_pod,
)
from .history import (
    CONTROLLER_REVISIONS,
    PODS,
    REVISION_HASH_LABEL,
    History,
    available_in,
    delete_quietly,
    is_running_and_ready,
    is_terminating,
    new_controller_ref,
    omit_empty,
    owned,
    pod_from_template,
    pod_phase,
    revision_template,
    template_patch,
)

Obj = dict[str, Any]

STATEFULSETS = REGISTRY.resolve("statefulsets.apps")
CLAIMS = REGISTRY.resolve("persistentvolumeclaims")
COMPONENT = "statefulset-controller"
POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"  # apps.StatefulSetPodNameLabel
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"  # apps.PodIndexLabel (PodIndexLabel feature, on)
# StatefulSetStatus fields encoded without omitempty
_STATUS_KEEP = ("replicas", "availableReplicas")
_STATEFUL_POD_NAME = re.compile(r"(.*)-([0-9]+)")  # statefulPodRegex


def claim_name(template_name: str, set_name: str, ordinal: int) -> str:
    """getPersistentVolumeClaimName."""
    return f"{template_name}-{set_name}-{ordinal}"


def selector_of(sts: Obj) -> LabelSelector:
    return selector_from_dict(sts["spec"].get("selector"))


def is_member_of(sts: Obj, pod: Obj) -> bool:
    """isMemberOf: the pod's name is `<set>-<ordinal>` (getParentName)."""
    match = _STATEFUL_POD_NAME.fullmatch(pod["metadata"]["name"])
    return match is not None and match.group(1) == sts["metadata"]["name"]


def ordinal_of(pod: Obj) -> int:
    """getOrdinal: the number after the last dash, -1 when there is none."""
    _, _, tail = pod["metadata"]["name"].rpartition("-")
    return int(tail) if tail.isdigit() else -1


class StatefulSetController(Controller):
    name = "statefulset-controller"
    resources = ("statefulsets.apps", "pods")

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        meta = event.object["metadata"]
        if event.resource == "statefulsets.apps":
            return [] if event.type == "DELETED" else [(meta.get("namespace", ""), meta["name"])]
        return owner_keys_for_pod(self.api, event, "StatefulSet", STATEFULSETS.group_resource, selector_of)

    def sync(self, key: Hashable) -> None:
        namespace, name = key  # type: ignore[misc]
        sts = self.api.peek(STATEFULSETS, name, namespace)
        if sts is None or is_terminating(sts):
            return
        try:
            selector = selector_of(sts)
        except SelectorError:
            return
        _SetSync(self, deep_copy(sts), selector).run()

    # --- pod and claim control (stateful_pod_control.go) ------------------------------------------
    def pod_event(self, sts: Obj, verb: str, pod_name: str, error: str | None = None) -> None:
        """recordPodEvent."""
        set_name = sts["metadata"]["name"]
        if error is None:
            self.recorder.event(sts, "Normal", f"Successful{verb.title()}",
                                f"{verb} Pod {pod_name} in StatefulSet {set_name} successful", COMPONENT)
        else:
            self.recorder.event(sts, "Warning", f"Failed{verb.title()}",
                                f"{verb} Pod {pod_name} in StatefulSet {set_name} failed error: {error}",
                                COMPONENT)

    def claim_event(self, sts: Obj, claim: str, pod_name: str, error: ApiError | None = None) -> None:
        """recordClaimEvent."""
        set_name = sts["metadata"]["name"]
        if error is None:
            self.recorder.event(sts, "Normal", "SuccessfulCreate",
                                f"create Claim {claim} Pod {pod_name} in StatefulSet {set_name} success", COMPONENT)
        else:
            self.recorder.event(sts, "Warning", "FailedCreate",
                                f"create Claim {claim} for Pod {pod_name} in StatefulSet {set_name} failed error: "
                                f"{error.message}", COMPONENT)


class _SetSync:
    """One pass of updateStatefulSet over one set: revisions, pods, claims and status."""

    def __init__(self, controller: StatefulSetController, sts: Obj, selector: LabelSelector):
        self.c = controller
        self.selector = selector
        self.api = controller.api
        self.sts = sts
        self.spec = sts["spec"]
        self.namespace = sts["metadata"].get("namespace", "default")
        self.set_name = sts["metadata"]["name"]
        self.monotonic = self.spec.get("podManagementPolicy", "OrderedReady") != "Parallel"
        self.min_ready = int(self.spec.get("minReadySeconds") or 0)
        self.history = History(self.api, sts)

    # --- revisions ----------------------------------------------------------------------------------
    def _revisions(self) -> None:
        labels = dict(((self.spec.get("template") or {}).get("metadata") or {}).get("labels") or {})
        self.update_revision, self.collision = self.history.ensure(template_patch(self.sts), labels)
        current_name = (self.sts.get("status") or {}).get("currentRevision")
        current = self.api.peek(CONTROLLER_REVISIONS, current_name, self.namespace) if current_name else None
        self.current_revision = current if current is not None else self.update_revision

    # --- the pass -----------------------------------------------------------------------------------
    def run(self) -> None:
        self._revisions()
        pods = [p for p in self._claim_pods() if ordinal_of(p) >= 0]
        start = int((self.spec.get("ordinals") or {}).get("start") or 0)
        replicas = int(self.spec.get("replicas", 1))
        slots: dict[int, Obj | None] = {i: None for i in range(start, start + replicas)}
        condemned = []
        for pod in pods:
            if ordinal_of(pod) in slots:
                slots[ordinal_of(pod)] = pod
            else:
                condemned.append(pod)
        condemned.sort(key=ordinal_of, reverse=True)
        self._process(slots, condemned, start)
        self._write_status()

    def _claim_pods(self) -> list[Obj]:
        """getPodsForStatefulSet: adopt orphans that match the selector and are named `<set>-<ordinal>`,
        release owned pods that no longer are."""
        manager = PodControllerRefManager(self.api, self.sts, self.selector)
        return manager.claim_pods(candidate_pods(self.api, self.sts, self.selector),
                                  lambda pod: is_member_of(self.sts, pod))

    def _process(self, slots: dict[int, Obj | None], condemned: list[Obj], start: int) -> None:
        for ordinal in sorted(slots):
            if not self._replica(ordinal, slots[ordinal], start):
                return
        for pod in condemned:
            if not self._condemn(pod, slots, condemned):
                return
        self._rolling_update(slots, start)

    def _replica(self, ordinal: int, pod: Obj | None, start: int) -> bool:
        """processReplica; False when an OrderedReady set must wait for this ordinal."""
        if pod is not None and pod_phase(pod) in ("Failed", "Succeeded") and not is_terminating(pod):
            self._delete_pod(pod)
            return not self.monotonic
        if pod is None:
            self._create_pod(ordinal, start)
            return not self.monotonic
        if is_terminating(pod) or not pod_phase(pod):
            return not self.monotonic
        if not is_running_and_ready(pod):
            return not self.monotonic
        wait = available_in(self.api, pod, self.min_ready)
        if wait:
            self.c.enqueue((self.namespace, self.set_name), after=wait)
            return not self.monotonic
        return True

    def _condemn(self, pod: Obj, slots: dict[int, Obj | None], condemned: list[Obj]) -> bool:
        """processCondemned; OrderedReady removes one pod at a time, highest ordinal first, while every
        other pod is healthy."""
        if is_terminating(pod):
            return not self.monotonic
        if self.monotonic:
            others = [p for p in list(slots.values()) + condemned if p is not None and p is not pod]
            if any(is_terminating(p) or not is_running_and_ready(p) for p in others):
                return False
        self._retain_claims_of(pod)
        self._delete_pod(pod)
        return not self.monotonic

    def _rolling_update(self, slots: dict[int, Obj | None], start: int) -> None:
        """From the highest ordinal down to the partition, replace one pod of an old revision at a time."""
        strategy = self.spec.get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") != "RollingUpdate":
            return
        pods = [p for p in slots.values() if p is not None]
        if len(pods) < len(slots) or any(is_terminating(p) or not is_running_and_ready(p) for p in pods):
            return
        partition = int((strategy.get("rollingUpdate") or {}).get("partition") or 0)
        update_name = self.update_revision["metadata"]["name"]
        for ordinal in sorted(slots, reverse=True):
            if ordinal < partition:
                return
            pod = slots[ordinal]
            if pod is not None and pod["metadata"].get("labels", {}).get(REVISION_HASH_LABEL) != update_name:
                self._delete_pod(pod)
                return

    # --- pods and claims ------------------------------------------------------------------------------
    def _new_pod(self, ordinal: int) -> Obj:
        """newVersionedStatefulSetPod: the current revision's template below the partition, else the update's."""
        strategy = self.spec.get("updateStrategy") or {}
        rolling = strategy.get("rollingUpdate")
        partition = int((rolling or {}).get("partition") or 0)
        use_current = strategy.get("type", "RollingUpdate") == "RollingUpdate" and (
            (rolling is None and ordinal < int((self.sts.get("status") or {}).get("currentReplicas") or 0))
            or (rolling is not None and ordinal < partition))
        revision = self.current_revision if use_current else self.update_revision
        pod = pod_from_template(revision_template(revision), self.sts)
        name = f"{self.set_name}-{ordinal}"
        meta = pod["metadata"]
        meta["name"] = name
        meta["labels"].update({POD_NAME_LABEL: name, POD_INDEX_LABEL: str(ordinal),
                               REVISION_HASH_LABEL: revision["metadata"]["name"]})
        pod["spec"]["hostname"] = name  # initIdentity
        if self.spec.get("serviceName"):
            pod["spec"]["subdomain"] = self.spec["serviceName"]
        self._attach_claims(pod, ordinal)
        return pod

    def _claims(self, ordinal: int) -> list[Obj]:
        """getPersistentVolumeClaims: one claim per template, labelled with the set's selector labels."""
        selector_labels = (self.spec.get("selector") or {}).get("matchLabels") or {}
        claims = []
        for template in self.spec.get("volumeClaimTemplates") or ():
            claim = deep_copy(template)
            claim.pop("status", None)
            meta = claim.setdefault("metadata", {})
            meta.pop("creationTimestamp", None)
            meta["name"] = claim_name(template["metadata"]["name"], self.set_name, ordinal)
            meta["namespace"] = self.namespace
            meta["labels"] = {**(meta.get("labels") or {}), **selector_labels}
            claims.append(claim)
        return claims

    def _attach_claims(self, pod: Obj, ordinal: int) -> None:
        """updateStorage: a volume per claim template, replacing a template volume of the same name."""
        templates = [t["metadata"]["name"] for t in self.spec.get("volumeClaimTemplates") or ()]
        if not templates:
            return
        volumes = [v for v in pod["spec"].get("volumes") or [] if v.get("name") not in templates]
        for template in templates:
            volumes.append({"name": template, "persistentVolumeClaim": {
                "claimName": claim_name(template, self.set_name, ordinal)}})
        pod["spec"]["volumes"] = volumes

    def _create_claims(self, pod_name: str, ordinal: int) -> str | None:
        """createPersistentVolumeClaims (None, or the aggregated error); the set owns the claims when
        whenDeleted is Delete."""
        policy = self.spec.get("persistentVolumeClaimRetentionPolicy") or {}
        errors = []
        for claim in self._claims(ordinal):
            if self.api.peek(CLAIMS, claim["metadata"]["name"], self.namespace) is not None:
                continue
            if policy.get("whenDeleted") == "Delete":
                ref = new_controller_ref(self.sts)
                ref.pop("controller")
                claim["metadata"]["ownerReferences"] = [ref]
            try:
                self.api.create(CLAIMS, claim, self.namespace)
            except ApiError as exc:
                self.c.claim_event(self.sts, claim["metadata"]["name"], pod_name, exc)
                errors.append(f"Failed to create PVC {claim['metadata']['name']}: {exc.message}")
                continue
            self.c.claim_event(self.sts, claim["metadata"]["name"], pod_name)
        if not errors:
            return None
        return errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"

    def _retain_claims_of(self, pod: Obj) -> None:
        """With whenScaled=Delete, a condemned pod's claims get the pod as owner, so they go with it."""
        policy = self.spec.get("persistentVolumeClaimRetentionPolicy") or {}
        if policy.get("whenScaled") != "Delete":
            return
        for claim in self._claims(ordinal_of(pod)):
            stored = self.api.peek(CLAIMS, claim["metadata"]["name"], self.namespace)
            if stored is None:
                continue
            updated = deep_copy(stored)
            ref = new_controller_ref(pod)
            ref.pop("controller")
            updated["metadata"]["ownerReferences"] = [
                r for r in updated["metadata"].get("ownerReferences") or [] if r.get("uid") != ref["uid"]] + [ref]
            self.api.update(CLAIMS, updated, self.namespace)

    def _create_pod(self, ordinal: int, start: int) -> None:
        pod = self._new_pod(ordinal)
        name = pod["metadata"]["name"]
        problem = self._create_claims(name, ordinal)
        if problem is not None:
            self.c.pod_event(self.sts, "create", name, problem)
            return
        try:
            self.api.create(PODS, pod, self.namespace)
        except ApiError as exc:
            if exc.code != 409:
                self.c.pod_event(self.sts, "create", name, exc.message)
            return
        self.c.pod_event(self.sts, "create", name)

    def _delete_pod(self, pod: Obj) -> None:
        name = pod["metadata"]["name"]
        if delete_quietly(self.api, PODS, name, self.namespace):
            self.c.pod_event(self.sts, "delete", name)

    # --- status ---------------------------------------------------------------------------------------
    def _write_status(self) -> None:
        """updateStatus and completeRollingUpdate, then the status subresource when something changed."""
        sts = self.api.peek(STATEFULSETS, self.set_name, self.namespace)
        if sts is None:
            return
        pods = [p for p in owned(self.api, sts, "Pod") if ordinal_of(p) >= 0]
        current_name = self.current_revision["metadata"]["name"]
        update_name = self.update_revision["metadata"]["name"]
        counts = {"replicas": 0, "readyReplicas": 0, "availableReplicas": 0, "currentReplicas": 0,
                  "updatedReplicas": 0}
        for pod in pods:
            self._count(pod, counts, current_name, update_name)
        status: Obj = {"observedGeneration": sts["metadata"].get("generation", 1), **counts,
                       "currentRevision": current_name, "updateRevision": update_name,
                       "collisionCount": self.collision}
        strategy = (self.spec.get("updateStrategy") or {}).get("type", "RollingUpdate")
        if (strategy == "RollingUpdate" and status["updatedReplicas"] == status["replicas"]
                and status["readyReplicas"] == status["replicas"]):
            status["currentReplicas"] = status["updatedReplicas"]
            status["currentRevision"] = update_name
        old = sts.get("status") or {}
        if old.get("conditions"):
            status["conditions"] = old["conditions"]
        status = omit_empty(status, _STATUS_KEEP)
        if status != old:
            updated = deep_copy(sts)
            updated["status"] = status
            self.api.update(STATEFULSETS, updated, self.namespace, subresource="status")
        self._prune(status, pods)

    def _count(self, pod: Obj, counts: dict[str, int], current_name: str, update_name: str) -> None:
        """computeReplicaStatus for one pod."""
        if pod_phase(pod):
            counts["replicas"] += 1
        if is_running_and_ready(pod):
            counts["readyReplicas"] += 1
            if available_in(self.api, pod, self.min_ready) == 0:
                counts["availableReplicas"] += 1
        if pod_phase(pod) and not is_terminating(pod):
            revision = pod["metadata"].get("labels", {}).get(REVISION_HASH_LABEL)
            counts["currentReplicas"] += revision == current_name
            counts["updatedReplicas"] += revision == update_name

    def _prune(self, status: Obj, pods: list[Obj]) -> None:
        in_use = {status.get("currentRevision", ""), status.get("updateRevision", "")}
        in_use |= {p["metadata"].get("labels", {}).get(REVISION_HASH_LABEL, "") for p in pods}
        self.history.prune(int(self.spec.get("revisionHistoryLimit", 10)), in_use)
