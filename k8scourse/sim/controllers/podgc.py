"""The pod garbage collector: force-deletes pods nobody else will finish, every 20 seconds.

Created by `SimulatedCluster`. Follows pkg/controller/podgc/gc_controller.go of kube-controller-manager
v1.33. Each pass (gcCheckPeriod, background work) runs, in Go's order:

- gcTerminated: when more finished pods (phase neither Pending, Running nor Unknown) exist than the
  threshold (--terminated-pod-gc-threshold, 12500), the surplus goes, evicted pods first, then the
  oldest by creationTimestamp, then by name;
- gcTerminating: terminating pods on nodes that are not Ready and carry the
  `node.kubernetes.io/out-of-service` taint;
- gcOrphaned: pods bound to a node that does not exist, once the node has stayed missing for the
  40-second quarantine; they get the DisruptionTarget condition (DeletionByPodGC, `PodGC: node no longer
  exists`);
- gcUnscheduledTerminating: terminating pods that were never scheduled.

A pod that is not finished is first marked Failed (markFailedAndDeletePod), then deleted with a grace
period of 0. The controller records no events; it logs what kube-controller-manager logs, through the
`logging` module. Instead of listing every pod each pass it keeps what it needs from watch events: the
finished pods, the never-scheduled terminating ones, the node names pods were seen bound to that had no
Node, and the out-of-service nodes, so a pass costs what it looks at.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from typing import Any

from ...api.errors import ApiError
from ...api.objects import deep_copy
from ...api.registry import REGISTRY
from ..apiserver import APIServer
from ..events import EventRecorder
from ..store import WatchEvent
from .base import Controller

Obj = dict[str, Any]
PODS = REGISTRY.resolve("pods")
NODES = REGISTRY.resolve("nodes")
GC_CHECK_PERIOD = 20.0  # gcCheckPeriod
QUARANTINE_TIME = 40.0  # quarantineTime
TERMINATED_POD_THRESHOLD = 12500  # --terminated-pod-gc-threshold
OUT_OF_SERVICE = "node.kubernetes.io/out-of-service"  # v1.TaintNodeOutOfService
ORPHANED_CONDITION = {"type": "DisruptionTarget", "status": "True", "reason": "DeletionByPodGC",
                      "message": "PodGC: node no longer exists"}
log = logging.getLogger(__name__)
PodKey = tuple[str, str]


def is_pod_terminated(pod: Obj) -> bool:
    """isPodTerminated: any phase but Pending, Running and Unknown (an empty phase included)."""
    return (pod.get("status") or {}).get("phase") not in ("Pending", "Running", "Unknown")


def is_evicted(pod: Obj) -> bool:
    """eviction.PodIsEvicted."""
    status = pod.get("status") or {}
    return status.get("phase") == "Failed" and status.get("reason") == "Evicted"


def is_node_ready(node: Obj) -> bool:
    """nodeutil.IsNodeReady."""
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (node.get("status") or {}).get("conditions") or ())


def _key(pod: Obj) -> PodKey:
    return pod["metadata"].get("namespace", ""), pod["metadata"]["name"]


def _kobj(key: PodKey) -> str:
    return f"{key[0]}/{key[1]}"


class PodGCController(Controller):
    """gcTerminated, gcTerminating, gcOrphaned and gcUnscheduledTerminating, every `GC_CHECK_PERIOD` seconds."""

    name = "pod-garbage-collector"
    resources = (PODS.group_resource, NODES.group_resource)

    def __init__(self, api: APIServer, recorder: EventRecorder, terminated_pod_threshold: int = TERMINATED_POD_THRESHOLD):
        super().__init__(api, recorder)
        self.terminated_pod_threshold = terminated_pod_threshold
        # (evicted first, creationTimestamp, name) of each finished pod: byEvictionAndCreationTimestamp
        self.terminated: dict[PodKey, tuple[bool, float, str]] = {}
        self.unscheduled_terminating: set[PodKey] = set()
        self.suspect_nodes: set[str] = set()  # node names pods were bound to while no such Node existed
        self.quarantine: dict[str, float] = {}  # nodeQueue: node name -> when it is ready to be checked
        self.out_of_service: set[str] = set()
        api.clock.every(GC_CHECK_PERIOD, self.gc, label="pod garbage collector")

    # --- what the informers tell (bookkeeping only; the passes do the writes) ---------------------------
    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        if event.resource == NODES.group_resource:
            self._observe_node(event)
        else:
            self._observe_pod(event)
        return []

    def sync(self, key: Hashable) -> None:  # pragma: no cover - keys_for queues nothing
        return None

    def _observe_node(self, event: WatchEvent) -> None:
        name = event.object["metadata"]["name"]
        taints = (event.object.get("spec") or {}).get("taints") or ()
        if event.type != "DELETED" and any(t.get("key") == OUT_OF_SERVICE for t in taints):
            self.out_of_service.add(name)
        else:
            self.out_of_service.discard(name)
        if event.type == "DELETED":
            self.suspect_nodes.add(name)

    def _observe_pod(self, event: WatchEvent) -> None:
        pod = event.object
        key = _key(pod)
        gone = event.type == "DELETED"
        if not gone and is_pod_terminated(pod):
            stamp = pod["metadata"].get("creationTimestamp")
            self.terminated[key] = (not is_evicted(pod), self.api.clock.parse(stamp) if stamp else 0.0, key[1])
        else:
            self.terminated.pop(key, None)
        node = (pod.get("spec") or {}).get("nodeName")
        if not gone and pod["metadata"].get("deletionTimestamp") and not node:
            self.unscheduled_terminating.add(key)
        else:
            self.unscheduled_terminating.discard(key)
        if not gone and node and self.api.peek(NODES, node) is None:
            self.suspect_nodes.add(node)

    # --- the pass --------------------------------------------------------------------------------------
    def gc(self) -> None:
        if self.terminated_pod_threshold > 0:
            self.gc_terminated()
        self.gc_terminating()
        self.gc_orphaned()
        self.gc_unscheduled_terminating()

    def gc_terminated(self) -> None:
        """Delete the finished pods beyond the threshold, evicted ones first, then the oldest."""
        delete_count = len(self.terminated) - self.terminated_pod_threshold
        if delete_count <= 0:
            return
        log.info('"Garbage collecting pods" numPods=%d', delete_count)
        victims = sorted(self.terminated, key=self.terminated.__getitem__)[:delete_count]
        for key in victims:
            self._mark_failed_and_delete(key)

    def gc_terminating(self) -> None:
        """Terminating pods on not-Ready nodes tainted node.kubernetes.io/out-of-service."""
        found = []
        for name in sorted(self.out_of_service):
            node = self.api.peek(NODES, name)
            if node is None or is_node_ready(node):
                continue
            found += [p for p in self.api.store.pods_on_node(name) if p["metadata"].get("deletionTimestamp")]
        if not found:
            return
        found.sort(key=lambda p: (not is_evicted(p), self.api.clock.parse(p["metadata"]["creationTimestamp"]),
                                  p["metadata"]["name"]))
        for pod in found:
            self._mark_failed_and_delete(_key(pod))

    def gc_orphaned(self) -> None:
        """Pods bound to nodes that are still missing after the quarantine."""
        now = self.api.clock.now
        for name in sorted(self.suspect_nodes):
            if self.api.peek(NODES, name) is not None or not self.api.store.pods_on_node(name):
                self.suspect_nodes.discard(name)
                continue
            self.quarantine.setdefault(name, now + QUARANTINE_TIME)  # AddAfter keeps the earlier time
        deleted = []
        for name, ready_at in sorted(self.quarantine.items()):
            if ready_at > now:
                continue
            del self.quarantine[name]
            if self.api.peek(NODES, name) is None:  # checkIfNodeExists
                deleted.append(name)
        for name in deleted:
            for pod in self.api.store.pods_on_node(name):
                key = _key(pod)
                log.info('"Found orphaned Pod assigned to the Node, deleting" pod="%s" node="%s"', _kobj(key), name)
                if self._mark_failed_and_delete(key, ORPHANED_CONDITION):
                    log.info('"Forced deletion of orphaned Pod succeeded" pod="%s"', _kobj(key))

    def gc_unscheduled_terminating(self) -> None:
        """Terminating pods that were never bound to a node."""
        for key in sorted(self.unscheduled_terminating):
            log.info('"Found unscheduled terminating Pod not assigned to any Node, deleting" pod="%s"', _kobj(key))
            if self._mark_failed_and_delete(key):
                log.info('"Forced deletion of unscheduled terminating Pod succeeded" pod="%s"', _kobj(key))

    # --- markFailedAndDeletePodWithCondition ----------------------------------------------------------
    def _mark_failed_and_delete(self, key: PodKey, condition: Obj | None = None) -> bool:
        """Mark an unfinished pod Failed (with `condition`), then delete it with a grace period of 0."""
        namespace, name = key
        pod = self.api.peek(PODS, name, namespace)
        if pod is None:
            return False
        log.info('"PodGC is force deleting Pod" pod="%s"', _kobj(key))
        try:
            if (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed"):
                self._mark_failed(pod, condition)
            self.api.delete(PODS, name, namespace, grace_period_seconds=0)
        except ApiError as exc:
            log.error("%s", exc.message)  # utilruntime.HandleError
            return False
        return True

    def _mark_failed(self, pod: Obj, condition: Obj | None) -> None:
        """PatchPodStatus with phase Failed and, through UpdatePodCondition, the condition."""
        updated = deep_copy(pod)
        status = updated.setdefault("status", {})
        status["phase"] = "Failed"
        if condition is not None:
            conditions = status.setdefault("conditions", [])
            existing = next((c for c in conditions if c.get("type") == condition["type"]), None)
            stamp = self.api.clock.timestamp()
            if existing is None:
                conditions.append(dict(condition, lastProbeTime=None, lastTransitionTime=stamp))
            else:
                if existing.get("status") != condition["status"]:
                    existing["lastTransitionTime"] = stamp
                existing.update(condition)
        self.api.update(PODS, updated, pod["metadata"].get("namespace"), subresource="status")
