"""The pv-protection controller: a deleted PersistentVolume goes once it is no longer Bound.

Created by `SimulatedCluster`. Follows pkg/controller/volume/pvprotection (pv_protection_controller.go)
and pkg/controller/volume/protectionutil of kube-controller-manager v1.33: the admission plugin gives
every new volume the `kubernetes.io/pv-protection` finalizer; once the volume is being deleted and its
phase is not Bound the controller removes it, and the apiserver then removes the volume. A volume that
lacks the finalizer (and is not being deleted) gets it. The helpers here are shared with the
pvc-protection controller.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable
from typing import Any

from ...api.errors import ApiError
from ...api.registry import REGISTRY, ResourceType
from ..admission import PV_PROTECTION_FINALIZER
from ..store import WatchEvent
from .base import Controller

Obj = dict[str, Any]
VOLUMES = REGISTRY.resolve("persistentvolumes")


def is_deletion_candidate(obj: Obj, finalizer: str) -> bool:
    """protectionutil.IsDeletionCandidate: being deleted and still carrying `finalizer`."""
    meta = obj["metadata"]
    return bool(meta.get("deletionTimestamp")) and finalizer in (meta.get("finalizers") or ())


def need_to_add_finalizer(obj: Obj, finalizer: str) -> bool:
    """protectionutil.NeedToAddFinalizer: not being deleted and lacking `finalizer`."""
    meta = obj["metadata"]
    return not meta.get("deletionTimestamp") and finalizer not in (meta.get("finalizers") or ())


def needs_work(obj: Obj, finalizer: str) -> bool:
    """What the controllers' informer handlers queue: objects to add the finalizer to or to release."""
    return need_to_add_finalizer(obj, finalizer) or is_deletion_candidate(obj, finalizer)


def set_finalizer(api: Any, rt: ResourceType, obj: Obj, finalizer: str, present: bool) -> None:
    """addFinalizer / removeFinalizer: an update of the object with `finalizer` appended or removed (a
    conflict is retried when the next change of the object queues it again)."""
    meta = obj["metadata"]
    finalizers = [f for f in meta.get("finalizers") or () if f != finalizer]
    if present:
        finalizers.append(finalizer)
    updated = {**obj, "metadata": {**meta, "finalizers": finalizers}}
    if not finalizers:
        del updated["metadata"]["finalizers"]
    with contextlib.suppress(ApiError):
        api.update(rt, updated, meta.get("namespace"))


def reconcile_protection(api: Any, rt: ResourceType, obj: Obj, finalizer: str,
                         in_use: Callable[[Obj], bool]) -> None:
    """processPV / processPVC: release a deletion candidate nothing uses any more, or add the missing
    finalizer to an object that is not being deleted."""
    if is_deletion_candidate(obj, finalizer):
        if not in_use(obj):
            set_finalizer(api, rt, obj, finalizer, present=False)
        return
    if need_to_add_finalizer(obj, finalizer):
        set_finalizer(api, rt, obj, finalizer, present=True)


class PVProtectionController(Controller):
    name = "pv-protection-controller"
    resources = ("persistentvolumes",)

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        if event.type == "DELETED" or not needs_work(event.object, PV_PROTECTION_FINALIZER):
            return []
        return [event.object["metadata"]["name"]]

    def sync(self, key: Hashable) -> None:
        volume = self.api.peek(VOLUMES, str(key))
        if volume is None:
            return
        reconcile_protection(self.api, VOLUMES, volume, PV_PROTECTION_FINALIZER, self.is_being_used)

    @staticmethod
    def is_being_used(volume: Obj) -> bool:
        """isBeingUsed: the PV controller reports the volume Bound."""
        return (volume.get("status") or {}).get("phase") == "Bound"
