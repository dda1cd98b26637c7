"""The PersistentVolume controller: binds claims to volumes, asks for dynamic provisioning, reclaims.

Created by `SimulatedCluster`. Follows pkg/controller/volume/persistentvolume (pv_controller.go, index.go)
of kube-controller-manager v1.33: a Pending claim binds to the smallest Available volume of its class
whose access modes include the claim's (and whose labels match its selector), or to the volume it
names; binding writes `claimRef` and `pv.kubernetes.io/bound-by-controller` on the volume,
`volumeName`, `pv.kubernetes.io/bind-completed` and `pv.kubernetes.io/bound-by-controller` on the
claim, then both phases Bound. A claim with no match and a StorageClass is handed to that class's
external provisioner (the `volume[.beta].kubernetes.io/storage-provisioner` annotations and the
`ExternalProvisioning` event); without a class it gets `FailedBinding`. A volume whose claim is
deleted is Released, then kept (Retain) or deleted (Delete: external provisioners delete their own
volumes; the in-tree hostPath deleter only handles paths under /tmp/). Pending claims and Released
volumes are resynced every 15 seconds, as the controller's periodic resync does.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Hashable
from typing import Any

from ...api.errors import ApiError
from ...api.objects import deep_copy
from ...api.quantity import parse_quantity
from ...api.registry import REGISTRY
from ...api.selectors import SelectorError, selector_from_dict
from ..store import WatchEvent
from .base import Controller

Obj = dict[str, Any]
CLAIMS = REGISTRY.resolve("persistentvolumeclaims")
VOLUMES = REGISTRY.resolve("persistentvolumes")
CLASSES = REGISTRY.resolve("storageclasses.storage.k8s.io")
COMPONENT = "persistentvolume-controller"
RESYNC_SECONDS = 15.0  # --pv-recycler / volume controller resync period (15 s)

# pkg/volume/util and storagehelpers annotation names
BIND_COMPLETED = "pv.kubernetes.io/bind-completed"
BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller"
PROVISIONED_BY = "pv.kubernetes.io/provisioned-by"
BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner"
STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner"
BETA_CLASS = "volume.beta.kubernetes.io/storage-class"

# events (pkg/controller/volume/events) and their messages in pv_controller.go
NO_CLASS_MESSAGE = "no persistent volumes available for this claim and no storage class is set"
EXTERNAL_MESSAGE = ("Waiting for a volume to be created either by the external provisioner '{}' or manually by the "
                    "system administrator. If volume creation is delayed, please verify that the provisioner is "
                    "running and correctly registered.")
HOSTPATH_DELETE = "host_path deleter only supports /tmp/.+ but received provided {}"  # pkg/volume/hostpath
NO_DELETER = 'error getting deleter volume plugin for volume "{}": no deletable volume plugin matched'
WAIT_FOR_CONSUMER = "waiting for first consumer to be created before binding"
_ACCESS_ORDER = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")


def claim_class(claim: Obj) -> str:
    """GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName, else ''."""
    annotations = claim["metadata"].get("annotations") or {}
    if BETA_CLASS in annotations:
        return annotations[BETA_CLASS]
    return (claim.get("spec") or {}).get("storageClassName") or ""


volume_class = claim_class  # GetPersistentVolumeClass reads the same two places


def claim_ref(claim: Obj) -> Obj:
    """reference.GetReference for a claim."""
    meta = claim["metadata"]
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": meta["name"],
            "namespace": meta.get("namespace", "default"), "resourceVersion": meta.get("resourceVersion", ""),
            "uid": meta.get("uid", "")}


def is_bound_to(volume: Obj, claim: Obj) -> bool:
    """IsVolumeBoundToClaim: claimRef names the claim (and its uid, when the ref has one)."""
    ref = (volume.get("spec") or {}).get("claimRef")
    meta = claim["metadata"]
    if not ref or ref.get("name") != meta["name"] or ref.get("namespace") != meta.get("namespace"):
        return False
    return not ref.get("uid") or ref.get("uid") == meta.get("uid")


def _storage(obj: Obj, *path: str) -> int:
    value: Any = obj
    for key in path:
        value = (value or {}).get(key)
    return parse_quantity(str(value)).int_value() if value is not None else 0


def find_best_match(claim: Obj, volumes: list[Obj], delay_binding: bool = False) -> Obj | None:
    """findBestMatchForClaim: for each set of access modes that includes the claim's (fewest modes first),
    the volume already bound to the claim, else the smallest Available one that fits."""
    spec = claim.get("spec") or {}
    wanted = set(spec.get("accessModes") or [])
    requested = _storage(spec, "resources", "requests", "storage")
    try:
        selector = selector_from_dict(spec["selector"]) if spec.get("selector") else None
    except SelectorError:
        return None
    groups: dict[tuple[str, ...], list[Obj]] = {}
    for volume in volumes:
        modes = tuple(m for m in _ACCESS_ORDER if m in set((volume.get("spec") or {}).get("accessModes") or []))
        if wanted <= set(modes):
            groups.setdefault(modes, []).append(volume)
    for modes in sorted(groups, key=lambda m: (len(m), m)):
        best = _find_matching(claim, groups[modes], requested, selector, delay_binding)
        if best is not None:
            return best
    return None


def _find_matching(claim: Obj, volumes: list[Obj], requested: int, selector: Any, delay_binding: bool) -> Obj | None:
    """FindMatchingVolume over one access-mode group."""
    smallest: Obj | None = None
    claim_mode = (claim.get("spec") or {}).get("volumeMode", "Filesystem")
    for volume in sorted(volumes, key=lambda v: v["metadata"]["name"]):
        spec = volume.get("spec") or {}
        if spec.get("volumeMode", "Filesystem") != claim_mode or volume["metadata"].get("deletionTimestamp"):
            continue
        if is_bound_to(volume, claim):
            return volume
        if delay_binding:
            continue
        if (volume.get("status") or {}).get("phase") != "Available" or spec.get("claimRef") is not None:
            continue
        if selector is not None and not selector.matches(volume["metadata"].get("labels") or {}):
            continue
        if volume_class(volume) != claim_class(claim):
            continue
        size = _storage(spec, "capacity", "storage")
        if size >= requested and (smallest is None or _storage(smallest["spec"], "capacity", "storage") > size):
            smallest = volume
    return smallest


class PersistentVolumeController(Controller):
    name = COMPONENT
    resources = ("persistentvolumeclaims", "persistentvolumes")

    def __init__(self, api: Any, recorder: Any):
        super().__init__(api, recorder)
        self.pending_claims: set[tuple[str, str]] = set()
        self.waiting_volumes: set[str] = set()
        self.last_resync = api.clock.now
        api.clock.every(RESYNC_SECONDS, self._resync, label=f"{COMPONENT} resync")

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        obj = event.object
        meta = obj["metadata"]
        if event.resource == "persistentvolumeclaims":
            key = (meta.get("namespace", ""), meta["name"])
            if event.type == "DELETED":
                self.pending_claims.discard(key)
                name = (obj.get("spec") or {}).get("volumeName")
                return [("volume", name)] if name else []
            return [("claim", *key)]
        if event.type == "DELETED":
            self.waiting_volumes.discard(meta["name"])
            ref = (obj.get("spec") or {}).get("claimRef")
            return [("claim", ref.get("namespace", ""), ref.get("name", ""))] if ref else []
        return [("volume", meta["name"])]

    def _resync(self) -> None:
        self.last_resync = self.api.clock.now
        for namespace, name in sorted(self.pending_claims):
            self.enqueue(("claim", namespace, name))
        for name in sorted(self.waiting_volumes):
            self.enqueue(("volume", name))

    def sync(self, key: Hashable) -> None:
        kind, *rest = key  # type: ignore[misc]
        if kind == "claim":
            claim = self.api.peek(CLAIMS, rest[1], rest[0])
            if claim is not None and not claim["metadata"].get("deletionTimestamp"):
                self.sync_claim(claim)
        else:
            volume = self.api.peek(VOLUMES, rest[0])
            if volume is not None:
                self.sync_volume(volume)

    # --- claims (syncClaim) ---------------------------------------------------------------------------
    def sync_claim(self, claim: Obj) -> None:
        key = (claim["metadata"].get("namespace", ""), claim["metadata"]["name"])
        annotations = claim["metadata"].get("annotations") or {}
        if BIND_COMPLETED in annotations:
            self.pending_claims.discard(key)
            self._sync_bound_claim(claim)
        else:
            self._sync_unbound_claim(claim)
            stored = self.api.peek(CLAIMS, key[1], key[0])
            if stored is not None and (stored.get("status") or {}).get("phase") != "Bound":
                self.pending_claims.add(key)
            else:
                self.pending_claims.discard(key)

    def _sync_unbound_claim(self, claim: Obj) -> None:
        volume_name = (claim.get("spec") or {}).get("volumeName")
        if volume_name:
            self._sync_prebound_claim(claim, volume_name)
            return
        delay = self._delay_binding(claim)
        volume = find_best_match(claim, self._volumes(), delay)
        if volume is not None:
            self._bind(volume, claim)
            return
        klass = claim_class(claim)
        if delay:
            self.recorder.event(claim, "Normal", "WaitForFirstConsumer", WAIT_FOR_CONSUMER, COMPONENT)
        elif klass:
            self._provision(claim, klass)
        else:
            self.recorder.event(claim, "Normal", "FailedBinding", NO_CLASS_MESSAGE, COMPONENT)
        self._claim_status(claim, "Pending", None)

    def _sync_prebound_claim(self, claim: Obj, volume_name: str) -> None:
        volume = self.api.peek(VOLUMES, volume_name)
        if volume is None:
            self._claim_status(claim, "Pending", None)  # the named volume does not exist (yet)
            return
        ref = (volume.get("spec") or {}).get("claimRef")
        if ref is None or is_bound_to(volume, claim):
            problem = self._mismatch(volume, claim)
            if problem:
                self.recorder.event(claim, "Warning", "VolumeMismatch",
                                    f'Cannot bind to requested volume "{volume_name}": {problem}', COMPONENT)
                self._claim_status(claim, "Pending", None)
                return
            self._bind(volume, claim)
            return
        self.recorder.event(claim, "Warning", "FailedBinding",
                            f'volume "{volume_name}" already bound to a different claim.', COMPONENT)
        self._claim_status(claim, "Pending", None)

    @staticmethod
    def _mismatch(volume: Obj, claim: Obj) -> str:
        """checkVolumeSatisfyClaim."""
        spec, cspec = volume.get("spec") or {}, claim.get("spec") or {}
        if _storage(cspec, "resources", "requests", "storage") > _storage(spec, "capacity", "storage"):
            return "requested PV is too small"
        if volume_class(volume) != claim_class(claim):
            return "storageClassName does not match"
        if spec.get("volumeMode", "Filesystem") != cspec.get("volumeMode", "Filesystem"):
            return "incompatible volumeMode"
        if not set(cspec.get("accessModes") or []) <= set(spec.get("accessModes") or []):
            return "incompatible accessMode"
        return ""

    def _sync_bound_claim(self, claim: Obj) -> None:
        name = (claim.get("spec") or {}).get("volumeName", "")
        volume = self.api.peek(VOLUMES, name) if name else None
        if volume is None:
            if (claim.get("status") or {}).get("phase") != "Lost":
                self._claim_status(claim, "Lost", None)
                self.recorder.event(claim, "Warning", "ClaimLost",
                                    "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!",
                                    COMPONENT)
            return
        ref = (volume.get("spec") or {}).get("claimRef")
        if ref is None or is_bound_to(volume, claim):
            self._bind(volume, claim)
            return
        if (claim.get("status") or {}).get("phase") != "Lost":
            self._claim_status(claim, "Lost", None)
            self.recorder.event(claim, "Warning", "ClaimMisbound",
                                "Two claims are bound to the same volume, this one is bound incorrectly", COMPONENT)

    def _delay_binding(self, claim: Obj) -> bool:
        klass = claim_class(claim)
        sc = self.api.peek(CLASSES, klass) if klass else None
        return (sc or {}).get("volumeBindingMode") == "WaitForFirstConsumer"

    def _volumes(self) -> list[Obj]:
        return list(self.api.store.list("persistentvolumes"))

    def _provision(self, claim: Obj, klass: str) -> None:
        """provisionClaim for an external provisioner: annotate the claim and say who is expected to act."""
        sc = self.api.peek(CLASSES, klass)
        if sc is None:
            self.recorder.event(claim, "Warning", "ProvisioningFailed",
                                f'storageclass.storage.k8s.io "{klass}" not found', COMPONENT)
            return
        provisioner = sc.get("provisioner", "")
        annotations = claim["metadata"].get("annotations") or {}
        if annotations.get(STORAGE_PROVISIONER) != provisioner or annotations.get(BETA_STORAGE_PROVISIONER) \
                != provisioner:
            updated = deep_copy(claim)
            updated["metadata"].setdefault("annotations", {}).update(
                {BETA_STORAGE_PROVISIONER: provisioner, STORAGE_PROVISIONER: provisioner})
            try:
                self.api.update(CLAIMS, updated, claim["metadata"].get("namespace"))
            except ApiError:
                return
        self.recorder.event(claim, "Normal", "ExternalProvisioning", EXTERNAL_MESSAGE.format(provisioner), COMPONENT)

    # --- binding (bind) ---------------------------------------------------------------------------------
    def _bind(self, volume: Obj, claim: Obj) -> None:
        volume = self._bind_volume(volume, claim)
        if volume is None:
            return
        volume = self._volume_status(volume, "Bound") or volume
        claim = self._bind_claim(claim, volume)
        if claim is not None:
            self._claim_status(claim, "Bound", volume)

    def _bind_volume(self, volume: Obj, claim: Obj) -> Obj | None:
        """bindVolumeToClaim: claimRef, and bound-by-controller unless the volume was bound already."""
        updated = deep_copy(volume)
        ref = (volume.get("spec") or {}).get("claimRef")
        dirty = False
        if not is_bound_to(volume, claim):
            updated["metadata"].setdefault("annotations", {})[BOUND_BY_CONTROLLER] = "yes"
            dirty = True
        if ref is None or ref.get("uid") != claim["metadata"].get("uid"):
            updated["spec"]["claimRef"] = claim_ref(claim)
            dirty = True
        if not dirty:
            return volume
        try:
            return self.api.update(VOLUMES, updated)
        except ApiError:
            return None

    def _bind_claim(self, claim: Obj, volume: Obj) -> Obj | None:
        """bindClaimToVolume: volumeName, bind-completed, and bound-by-controller unless pre-bound."""
        updated = deep_copy(claim)
        annotations = updated["metadata"].setdefault("annotations", {})
        spec = updated.setdefault("spec", {})
        dirty = False
        if spec.get("volumeName") != volume["metadata"]["name"]:
            spec["volumeName"] = volume["metadata"]["name"]
            annotations[BOUND_BY_CONTROLLER] = "yes"
            dirty = True
        if annotations.get(BIND_COMPLETED) != "yes":
            annotations[BIND_COMPLETED] = "yes"
            dirty = True
        if not dirty:
            return claim
        try:
            return self.api.update(CLAIMS, updated, claim["metadata"].get("namespace"))
        except ApiError:
            return None

    def _claim_status(self, claim: Obj, phase: str, volume: Obj | None) -> None:
        """updateClaimStatus: phase, and the volume's access modes and capacity once Bound."""
        status: Obj = {"phase": phase}
        if volume is not None:
            spec = volume.get("spec") or {}
            status["accessModes"] = list(spec.get("accessModes") or [])
            status["capacity"] = dict(spec.get("capacity") or {})
        elif phase == "Lost":
            status = {**(claim.get("status") or {}), "phase": phase}
        current = claim.get("status") or {}
        if all(current.get(k) == v for k, v in status.items()):
            return
        updated = deep_copy(claim)
        updated["status"] = {**current, **status}
        with contextlib.suppress(ApiError):
            self.api.update(CLAIMS, updated, claim["metadata"].get("namespace"), subresource="status")

    def _volume_status(self, volume: Obj, phase: str, message: str | None = None) -> Obj | None:
        """updateVolumePhase (lastPhaseTransitionTime on a change of phase)."""
        current = volume.get("status") or {}
        if current.get("phase") == phase and (message is None or current.get("message") == message):
            return None
        updated = deep_copy(volume)
        status = {k: v for k, v in current.items() if k != "message"}
        if current.get("phase") != phase:
            status["lastPhaseTransitionTime"] = self.api.clock.timestamp()
        status["phase"] = phase
        if message:
            status["message"] = message
        updated["status"] = status
        try:
            return self.api.update(VOLUMES, updated, subresource="status")
        except ApiError:
            return None

    # --- volumes (syncVolume) ---------------------------------------------------------------------------
    def sync_volume(self, volume: Obj) -> None:
        name = volume["metadata"]["name"]
        ref = (volume.get("spec") or {}).get("claimRef")
        if ref is None or not ref.get("uid"):
            self.waiting_volumes.discard(name)
            if self._volume_status(volume, "Available") is not None:
                self._claims_at_next_resync()
            if ref is not None:  # pre-bound to a claim by name: that claim may bind now
                self.enqueue(("claim", ref.get("namespace", ""), ref.get("name", "")))
            return
        claim = self.api.peek(CLAIMS, ref.get("name", ""), ref.get("namespace", ""))
        if claim is not None and claim["metadata"].get("uid") == ref.get("uid"):
            self.waiting_volumes.discard(name)
            if (claim.get("spec") or {}).get("volumeName") != name:
                self.enqueue(("claim", ref.get("namespace", ""), ref.get("name", "")))
            else:
                self._volume_status(volume, "Bound")
            return
        # the claim is gone: Released, then the reclaim policy
        phase = (volume.get("status") or {}).get("phase")
        if phase not in ("Released", "Failed"):
            volume = self._volume_status(volume, "Released") or volume
        self._reclaim(volume)

    def _claims_at_next_resync(self) -> None:
        """A volume became Available: the Pending claims try it at the next periodic resync (work worth
        waiting for, so `settle()` waits for it)."""
        wait = RESYNC_SECONDS - (self.api.clock.now - self.last_resync) % RESYNC_SECONDS
        for namespace, name in sorted(self.pending_claims):
            self.enqueue(("claim", namespace, name), after=wait)

    def _reclaim(self, volume: Obj) -> None:
        """reclaimVolume."""
        spec = volume.get("spec") or {}
        name = volume["metadata"]["name"]
        policy = spec.get("persistentVolumeReclaimPolicy", "Retain")
        if policy != "Delete" or (volume.get("status") or {}).get("phase") == "Failed":
            self.waiting_volumes.discard(name)
            return
        if (volume["metadata"].get("annotations") or {}).get(PROVISIONED_BY):
            self.waiting_volumes.add(name)  # its external provisioner deletes it
            return
        self.waiting_volumes.discard(name)
        path = (spec.get("hostPath") or {}).get("path")
        if path is None:
            message = NO_DELETER.format(name)
        elif not re.search("/tmp/.+", path):
            message = HOSTPATH_DELETE.format(path)
        else:  # the deleter ran inside kube-controller-manager's own container: the node keeps the files
            self._delete_volume(name)
            return
        self._volume_status(volume, "Failed", message)
        self.recorder.event(volume, "Warning", "VolumeFailedDelete", message, COMPONENT)

    def _delete_volume(self, name: str) -> None:
        with contextlib.suppress(ApiError):
            self.api.delete(VOLUMES, name)
