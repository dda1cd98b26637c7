"""The VolumeBinding plugin's PreFilter: a pod waits until the claims it mounts exist and are bound.

Created by `Scheduler`, which asks `pre_filter(pod)` once per scheduling cycle (after NodeAffinity's
PreFilter, as the default profile orders them). Worded as pkg/scheduler/framework/plugins/volumebinding
(volume_binding.go podHasPVCs and PreFilter) of kube-scheduler v1.33: `persistentvolumeclaim "x" not
found`, `pod has unbound immediate PersistentVolumeClaims`, both UnschedulableAndUnresolvable. Claims
and volumes changing move the pods waiting for them back to the active queue (the plugin's
EventsToRegister). Claims of a WaitForFirstConsumer class are left to the PersistentVolume controller
here (delayed binding by the scheduler is not modelled).
"""

from __future__ import annotations

from typing import Any

from ...api.registry import REGISTRY
from ..store import WatchEvent
from .filters import UNRESOLVABLE, Status
from .queue import SchedulingQueue

Obj = dict[str, Any]
PODS = REGISTRY.resolve("pods")
CLAIMS = REGISTRY.resolve("persistentvolumeclaims")
CLASSES = REGISTRY.resolve("storageclasses.storage.k8s.io")
PLUGIN = "VolumeBinding"
UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"
BIND_COMPLETED = "pv.kubernetes.io/bind-completed"


def claim_names(pod: Obj) -> list[str]:
    return [v["persistentVolumeClaim"].get("claimName", "") for v in (pod.get("spec") or {}).get("volumes") or ()
            if "persistentVolumeClaim" in v]


class VolumeBinding:
    """PreFilter of the VolumeBinding plugin, with the queueing hints for claim and volume changes."""

    def __init__(self, api: Any, queue: SchedulingQueue):
        self.api = api
        self.queue = queue
        api.store.subscribe(self._on_event, resources=("persistentvolumeclaims", "persistentvolumes"))

    def pre_filter(self, pod: Obj) -> Status | None:
        names = claim_names(pod)
        if not names:
            return None  # Skip: the pod references no claims
        namespace = pod["metadata"].get("namespace", "")
        unbound = False
        for name in names:
            claim = self.api.peek(CLAIMS, name, namespace)
            problem = self._problem(claim, name)
            if problem:
                return Status(UNRESOLVABLE, (problem,), PLUGIN)
            unbound = unbound or not self._fully_bound(claim) and not self._delayed(claim)
        return Status(UNRESOLVABLE, (UNBOUND_IMMEDIATE,), PLUGIN) if unbound else None

    @staticmethod
    def _problem(claim: Obj | None, name: str) -> str:
        """podHasPVCs: the claim must exist, not be Lost and not be terminating."""
        if claim is None:
            return f'persistentvolumeclaim "{name}" not found'
        if (claim.get("status") or {}).get("phase") == "Lost":
            volume = (claim.get("spec") or {}).get("volumeName", "")
            return f'persistentvolumeclaim "{name}" bound to non-existent persistentvolume "{volume}"'
        if claim["metadata"].get("deletionTimestamp"):
            return f'persistentvolumeclaim "{name}" is being deleted'
        return ""

    @staticmethod
    def _fully_bound(claim: Obj) -> bool:
        """isPVCFullyBound: a volume name and the bind-completed annotation."""
        annotations = claim["metadata"].get("annotations") or {}
        return bool((claim.get("spec") or {}).get("volumeName")) and BIND_COMPLETED in annotations

    def _delayed(self, claim: Obj) -> bool:
        klass = (claim.get("spec") or {}).get("storageClassName") or ""
        sc = self.api.peek(CLASSES, klass) if klass else None
        return (sc or {}).get("volumeBindingMode") == "WaitForFirstConsumer" and not claim["spec"].get("volumeName")

    def _on_event(self, event: WatchEvent) -> None:
        """A claim or volume changed: pods waiting in the unschedulable pool for claims may now fit."""
        if event.resource not in ("persistentvolumeclaims", "persistentvolumes") or not self.queue.unschedulable:
            return
        claim = event.object["metadata"] if event.resource == "persistentvolumeclaims" else None
        for key in sorted(self.queue.unschedulable):
            if claim is not None and key[0] != claim.get("namespace", ""):
                continue
            pod = self.api.peek(PODS, key[1], key[0])
            names = claim_names(pod) if pod is not None else []
            if names and (claim is None or claim["name"] in names):
                self.queue.move(key)
