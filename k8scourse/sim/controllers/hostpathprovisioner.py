"""minikube's storage provisioner (`k8s.io/minikube-hostpath`): dynamic hostPath volumes for claims.

Created by `SimulatedCluster`; it acts only while the kube-system/storage-provisioner pod runs, as the
real one is that pod. Follows minikube's pkg/storage/storage_provisioner.go on top of
sig-storage-lib-external-provisioner v6 (controller.go, volume_store.go): a claim annotated for this
provisioner by the PersistentVolume controller gets the `Provisioning` event, a directory
/tmp/hostpath-provisioner/<namespace>/<claim> (mode 0777) on the provisioner's node, and a volume
`pvc-<claim uid>` with the claim's access modes and request, the class's reclaim policy, a `claimRef`,
the `hostPathProvisionerIdentity` and `pv.kubernetes.io/provisioned-by` annotations; then
`ProvisioningSucceeded`. A Released volume it provisioned with reclaim policy Delete is removed with
its directory. Events come from `k8s.io/minikube-hostpath_<node>_<identity>`.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Hashable
from typing import Any

from ...api.errors import ApiError
from ...api.registry import REGISTRY
from ..storage import FSError, storage_for
from ..store import WatchEvent
from .base import Controller
from .persistentvolume import (
    BETA_STORAGE_PROVISIONER,
    CLAIMS,
    CLASSES,
    PROVISIONED_BY,
    VOLUMES,
    claim_class,
    claim_ref,
)

Obj = dict[str, Any]
PODS = REGISTRY.resolve("pods")
PROVISIONER = "k8s.io/minikube-hostpath"
PV_DIR = "/tmp/hostpath-provisioner"  # cmd/storage-provisioner/main.go pvDir
IDENTITY = "hostPathProvisionerIdentity"
POD = ("kube-system", "storage-provisioner")
PROVISION_SECONDS = 0.5


class HostPathProvisioner(Controller):
    name = "hostpath-provisioner"
    resources = ("persistentvolumeclaims", "persistentvolumes", "pods")

    def __init__(self, api: Any, recorder: Any):
        super().__init__(api, recorder)
        self._identity = ""

    @property
    def identity(self) -> str:
        """The provisioner's uuid (drawn once, when it first acts)."""
        if not self._identity:
            self._identity = str(uuid.UUID(int=self.api.rng.getrandbits(128), version=4))
        return self._identity

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        meta = event.object["metadata"]
        if event.resource == "pods":
            if (meta.get("namespace"), meta["name"]) == POD and self.running():
                return [("claim", c["metadata"].get("namespace", ""), c["metadata"]["name"])
                        for c in self.api.store.list("persistentvolumeclaims")
                        if not (c.get("spec") or {}).get("volumeName")]
            return []
        if event.type == "DELETED":
            return []
        if event.resource == "persistentvolumeclaims":
            return [("claim", meta.get("namespace", ""), meta["name"])]
        return [("volume", meta["name"])]

    def enqueue(self, key: Hashable, after: float | None = None) -> None:
        super().enqueue(key, PROVISION_SECONDS if after is None else after)

    def running(self) -> tuple[str, str] | None:
        """(node, host IP) of the storage-provisioner pod while its container runs, else None."""
        pod = self.api.peek(PODS, POD[1], POD[0])
        if pod is None or pod["metadata"].get("deletionTimestamp"):
            return None
        status = pod.get("status") or {}
        if status.get("phase") != "Running" or not any("running" in (c.get("state") or {})
                                                      for c in status.get("containerStatuses") or ()):
            return None
        return (pod.get("spec") or {}).get("nodeName", ""), status.get("hostIP", "")

    @property
    def component(self) -> str:
        node = (self.running() or ("minikube", ""))[0]
        return f"{PROVISIONER}_{node}_{self.identity}"

    def sync(self, key: Hashable) -> None:
        if self.running() is None:
            return
        kind, *rest = key  # type: ignore[misc]
        if kind == "claim":
            claim = self.api.peek(CLAIMS, rest[1], rest[0])
            if claim is not None and self._should_provision(claim):
                self._provision(claim)
        else:
            volume = self.api.peek(VOLUMES, rest[0])
            if volume is not None and self._should_delete(volume):
                self._delete(volume)

    # --- provisioning ----------------------------------------------------------------------------------
    def _should_provision(self, claim: Obj) -> bool:
        """shouldProvision: annotated for us, not bound, not provisioned yet."""
        if (claim.get("spec") or {}).get("volumeName") or claim["metadata"].get("deletionTimestamp"):
            return False
        if (claim["metadata"].get("annotations") or {}).get(BETA_STORAGE_PROVISIONER) != PROVISIONER:
            return False
        return self.api.peek(VOLUMES, f"pvc-{claim['metadata']['uid']}") is None

    def _provision(self, claim: Obj) -> None:
        meta = claim["metadata"]
        namespace, name = meta.get("namespace", "default"), meta["name"]
        klass = claim_class(claim)
        sc = self.api.peek(CLASSES, klass)
        if sc is None:
            return  # retried when the class appears (the claim's next update)
        self.recorder.event(claim, "Normal", "Provisioning",
                            f'External provisioner is provisioning volume for claim "{namespace}/{name}"',
                            self.component)
        path = f"{PV_DIR}/{namespace}/{name}"
        node_fs = storage_for(self.api).node(self.running()[0])  # type: ignore[index]
        node_fs.mkdir(path.lstrip("/"), parents=True)
        node_fs.chmod(path.lstrip("/"), 0o777)
        spec = claim.get("spec") or {}
        volume: Obj = {
            "apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": {"name": f"pvc-{meta['uid']}",
                         "annotations": {IDENTITY: self.identity, PROVISIONED_BY: PROVISIONER}},
            "spec": {"accessModes": list(spec.get("accessModes") or []),
                     "capacity": {"storage": ((spec.get("resources") or {}).get("requests") or {}).get("storage")},
                     "claimRef": claim_ref(claim), "hostPath": {"path": path, "type": ""},
                     "persistentVolumeReclaimPolicy": sc.get("reclaimPolicy") or "Delete",
                     "storageClassName": klass, "volumeMode": spec.get("volumeMode", "Filesystem")},
        }
        if sc.get("mountOptions"):
            volume["spec"]["mountOptions"] = list(sc["mountOptions"])
        try:
            self.api.create(VOLUMES, volume)
        except ApiError as exc:
            if exc.code != 409:
                self.recorder.event(claim, "Warning", "ProvisioningFailed", exc.message, self.component)
            return
        self.recorder.event(claim, "Normal", "ProvisioningSucceeded",
                            f"Successfully provisioned volume {volume['metadata']['name']}", self.component)

    # --- deleting ----------------------------------------------------------------------------------------
    def _should_delete(self, volume: Obj) -> bool:
        """shouldDelete: Released, reclaim policy Delete, provisioned by us, and our identity."""
        annotations = volume["metadata"].get("annotations") or {}
        return (not volume["metadata"].get("deletionTimestamp")
                and (volume.get("status") or {}).get("phase") == "Released"
                and (volume.get("spec") or {}).get("persistentVolumeReclaimPolicy") == "Delete"
                and annotations.get(PROVISIONED_BY) == PROVISIONER and annotations.get(IDENTITY) == self.identity)

    def _delete(self, volume: Obj) -> None:
        path = ((volume.get("spec") or {}).get("hostPath") or {}).get("path", "")
        node_fs = storage_for(self.api).node(self.running()[0])  # type: ignore[index]
        with contextlib.suppress(FSError):
            node_fs.remove(path.lstrip("/"), recursive=True)
        with contextlib.suppress(ApiError):
            self.api.delete(VOLUMES, volume["metadata"]["name"])
