"""The pvc-protection controller: a deleted PersistentVolumeClaim goes once no scheduled pod uses it.

Created by `SimulatedCluster`. Follows pkg/controller/volume/pvcprotection (pvc_protection_controller.go)
of kube-controller-manager v1.33: the admission plugin gives every new claim the
`kubernetes.io/pvc-protection` finalizer; once the claim is being deleted the controller removes it
unless a pod bound to a node names the claim in `spec.volumes` (`persistentVolumeClaim.claimName`, or
the `<pod>-<volume>` claim of a generic ephemeral volume that the pod owns, unless the pod has shut
down). So `kubectl delete pvc` of a claim a running pod mounts leaves it Terminating until the pod is
gone. A claim that lacks the finalizer (and is not being deleted) gets it.

Like the controller's pod informer index (common.PodPVCIndexFunc), the controller keeps the pods that
name each claim, so a claim's check looks only at those pods. Pod changes queue the claims of pods that
can release one: deleted, terminated or unscheduled pods.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from typing import Any

from ...api.registry import REGISTRY
from ..admission import PVC_PROTECTION_FINALIZER
from ..store import WatchEvent
from .base import Controller
from .pvprotection import needs_work, reconcile_protection

Obj = dict[str, Any]
CLAIMS = REGISTRY.resolve("persistentvolumeclaims")
PODS = REGISTRY.resolve("pods")


def pod_claim_names(pod: Obj) -> list[str]:
    """The claims a pod's volumes name: PodPVCIndexFunc (ephemeral.VolumeClaimName for ephemeral ones)."""
    names = []
    for volume in (pod.get("spec") or {}).get("volumes") or ():
        if volume.get("persistentVolumeClaim") is not None:
            names.append(volume["persistentVolumeClaim"].get("claimName", ""))
        elif volume.get("ephemeral") is not None:
            names.append(f"{pod['metadata']['name']}-{volume.get('name', '')}")
    return names


def pod_is_shut_down(pod: Obj) -> bool:
    """podIsShutDown: the kubelet finished with the pod (or it was force-deleted)."""
    meta = pod["metadata"]
    return bool(meta.get("deletionTimestamp")) and meta.get("deletionGracePeriodSeconds") == 0


def pod_is_terminated(pod: Obj) -> bool:
    """volumeutil.IsPodTerminated: Failed or Succeeded, or being deleted with no container running."""
    status = pod.get("status") or {}
    if status.get("phase") in ("Failed", "Succeeded"):
        return True
    if not pod["metadata"].get("deletionTimestamp"):
        return False
    statuses = [s for key in ("initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses")
                for s in status.get(key) or ()]
    # notRunning: every container is terminated or waiting
    return all({"terminated", "waiting"} & set(s.get("state") or {}) for s in statuses)


def pod_uses_claim(pod: Obj, claim: Obj) -> bool:
    """podUsesPVC: only pods bound to a node count (the kubelet refuses to start a pod whose claim is
    being deleted); an ephemeral volume's claim counts while the pod owns it and has not shut down."""
    if not (pod.get("spec") or {}).get("nodeName"):
        return False
    name = claim["metadata"]["name"]
    for volume in pod["spec"].get("volumes") or ():
        source = volume.get("persistentVolumeClaim")
        if source is not None and source.get("claimName") == name:
            return True
        if volume.get("ephemeral") is not None and not pod_is_shut_down(pod) \
                and f"{pod['metadata']['name']}-{volume.get('name', '')}" == name and _owned_by(claim, pod):
            return True
    return False


def _owned_by(claim: Obj, pod: Obj) -> bool:
    """ephemeral.VolumeIsForPod: the claim's controller owner is the pod."""
    uid = pod["metadata"].get("uid")
    return any(ref.get("uid") == uid and ref.get("controller") for ref in claim["metadata"].get("ownerReferences") or ())


class PVCProtectionController(Controller):
    name = "pvc-protection-controller"
    resources = ("persistentvolumeclaims", "pods")

    def __init__(self, api: Any, recorder: Any):
        super().__init__(api, recorder)
        self.users: dict[tuple[str, str], set[str]] = defaultdict(set)  # (namespace, claim) -> pod names

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        obj = event.object
        namespace = obj["metadata"].get("namespace", "")
        if event.resource == "persistentvolumeclaims":
            if event.type == "DELETED" or not needs_work(obj, PVC_PROTECTION_FINALIZER):
                return []
            return [(namespace, obj["metadata"]["name"])]
        claims = pod_claim_names(obj)
        if not claims:
            return []
        deleted = event.type == "DELETED"
        self._index(namespace, obj["metadata"]["name"], claims, deleted)
        if not deleted and not pod_is_terminated(obj) and (obj.get("spec") or {}).get("nodeName"):
            return []  # enqueuePVCs: this pod cannot release a claim
        return [(namespace, claim) for claim in claims]

    def _index(self, namespace: str, pod: str, claims: list[str], deleted: bool) -> None:
        for claim in claims:
            key = (namespace, claim)
            if not deleted:
                self.users[key].add(pod)
            elif key in self.users:
                self.users[key].discard(pod)
                if not self.users[key]:
                    del self.users[key]

    def sync(self, key: Hashable) -> None:
        namespace, name = key  # type: ignore[misc]
        claim = self.api.peek(CLAIMS, name, namespace)
        if claim is None:
            return
        reconcile_protection(self.api, CLAIMS, claim, PVC_PROTECTION_FINALIZER, self.is_being_used)

    def is_being_used(self, claim: Obj) -> bool:
        """isBeingUsed (askInformer): a pod that names the claim uses it."""
        namespace, name = claim["metadata"].get("namespace", ""), claim["metadata"]["name"]
        for pod_name in sorted(self.users.get((namespace, name), ())):
            pod = self.api.peek(PODS, pod_name, namespace)
            if pod is not None and pod_uses_claim(pod, claim):
                return True
        return False
