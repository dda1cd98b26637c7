"""Where simulated volume data lives, and for how long: the disks of a simulated cluster.

One `VolumeStore` per cluster (`storage_for(api)`), shared by the kubelets (which mount from it), the
PersistentVolume controller and the minikube hostpath provisioner (which create and reclaim). Lifetimes
follow the real ones: an emptyDir lives as long as its pod (`release_pod`); a node's directories
(hostPath volumes, hostPath PersistentVolumes, /tmp/hostpath-provisioner/<ns>/<claim>) stay on that
node; an NFS export is one share per server and path; any other PersistentVolume keeps its contents
while the PV object exists (`release_volume`).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import datetime
from typing import Any

from .filesystem import DIR_MODE, FileSystem

# What a minikube node (the kicbase container) has at its root, so hostPath type checks find them.
NODE_DIRECTORIES = ("data", "etc", "etc/cni/net.d", "home", "lib/modules", "mnt", "opt", "root", "run", "srv", "tmp",
                    "usr", "var/lib", "var/log", "var/run")
STICKY_TMP_MODE = 0o1777
GiB = 1024 ** 3


class VolumeStore:
    """The data of every volume in one cluster, keyed by what decides its lifetime."""

    def __init__(self, now: Callable[[], datetime] | None = None):
        self.now = now
        self.nodes: dict[str, FileSystem] = {}
        self.empty_dirs: dict[tuple[str, str], FileSystem] = {}  # (pod uid, volume name)
        self.shares: dict[tuple[str, str], FileSystem] = {}  # NFS (server, path)
        self.persistent: dict[str, FileSystem] = {}  # PV name -> contents (PV sources without a node path)

    def node(self, name: str) -> FileSystem:
        """The node's own filesystem (what hostPath volumes show)."""
        fs = self.nodes.get(name)
        if fs is None:
            fs = self.nodes[name] = FileSystem(self.now)
            for path in NODE_DIRECTORIES:
                fs.mkdir(path, parents=True)
            fs.chmod("tmp", STICKY_TMP_MODE)
        return fs

    def empty_dir(self, pod_uid: str, volume: str) -> FileSystem:
        key = (pod_uid, volume)
        fs = self.empty_dirs.get(key)
        if fs is None:
            fs = self.empty_dirs[key] = FileSystem(self.now, mode=0o777)
        return fs

    def release_pod(self, pod_uid: str) -> None:
        """The pod is gone from its node: its emptyDirs are deleted with it."""
        for key in [k for k in self.empty_dirs if k[0] == pod_uid]:
            del self.empty_dirs[key]

    def on_event(self, event: Any) -> None:
        """Store listener: a pod deleted from the API has been torn down on its node with its emptyDirs."""
        if event.type == "DELETED" and event.resource == "pods":
            self.release_pod(event.object["metadata"].get("uid", ""))

    def share(self, server: str, path: str) -> FileSystem:
        key = (server, "/" + path.strip("/"))
        fs = self.shares.get(key)
        if fs is None:
            fs = self.shares[key] = FileSystem(self.now, mode=DIR_MODE)
        return fs

    def volume(self, pv_name: str) -> FileSystem:
        fs = self.persistent.get(pv_name)
        if fs is None:
            fs = self.persistent[pv_name] = FileSystem(self.now, mode=DIR_MODE)
        return fs

    def release_volume(self, pv_name: str) -> None:
        self.persistent.pop(pv_name, None)


_STORES: weakref.WeakKeyDictionary[Any, VolumeStore] = weakref.WeakKeyDictionary()


def storage_for(api: Any) -> VolumeStore:
    """The cluster's VolumeStore, found through the apiserver's object store (one per cluster); it listens
    to the store for pod deletions."""
    key = api.store
    store = _STORES.get(key)
    if store is None:
        store = _STORES[key] = VolumeStore(api.clock.datetime)
        key.subscribe(store.on_event)
    return store
