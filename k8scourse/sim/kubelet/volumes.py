"""The kubelet's volume manager: set up a pod's volumes on its node and mount them into each container.

Called by the pod worker: `setup_volumes` before the sandbox (a volume that cannot be set up fails with
the kubelet's FailedMount message and the pod stays in ContainerCreating), `container_files` each time a
container (re)starts (a fresh writable layer with the mounts over it), and `PodVolumes.refresh` on the
kubelet's periodic sync, which rewrites ConfigMap, Secret, downwardAPI and projected volumes the way
the atomic writer does (subPath mounts keep what they saw at start). Data lives in the cluster's
`VolumeStore`: emptyDirs per pod, hostPath on the node, NFS shares, PersistentVolume contents.
"""

from __future__ import annotations

import contextlib
import hashlib
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ...api.quantity import parse_quantity
from ...api.registry import REGISTRY
from ..storage import ContainerFS, FileSystem, FSError, Mount, storage_for
from ..storage.filesystem import split
from ..storage.mounts import IMAGE_DIRECTORIES, normalise
from .env import CONFIGMAPS, SECRETS, expand, field_value, resource_value, source_data

Obj = dict[str, Any]
CLAIMS = REGISTRY.resolve("persistentvolumeclaims")
VOLUMES = REGISTRY.resolve("persistentvolumes")
DEFAULT_MODE = 0o644  # configMap/secret/downwardAPI/projected defaultMode (420)
NODE_DISK = 102625208 * 1024  # the node's ephemeral-storage capacity
NODE_MEMORY = 3912940 * 1024
SERVICE_ACCOUNT_TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6IiJ9"
ATOMIC_DATA = "..data"


class MountError(Exception):
    """A volume that cannot be set up: the message of the FailedMount event."""


def _setup_failed(volume: str, why: str) -> MountError:
    # operation_generator.go: "MountVolume.SetUp failed for volume %q : %v"
    return MountError(f'MountVolume.SetUp failed for volume "{volume}" : {why}')


# --- ConfigMap, Secret, downwardAPI and projected: files written by the atomic writer ----------------
Files = dict[str, tuple[str, int]]  # relative path -> (content, mode)


def _object_files(api: Any, volume: str, source: Obj, kind: str, namespace: str, default_mode: int) -> Files:
    name = source.get("name") or source.get("secretName") or ""
    obj = api.peek(CONFIGMAPS if kind == "ConfigMap" else SECRETS, name, namespace)
    what = "configmap" if kind == "ConfigMap" else "secret"
    if obj is None:
        if source.get("optional"):
            return {}
        raise _setup_failed(volume, f'{what} "{name}" not found')
    data = source_data(obj, kind)
    items = source.get("items")
    if not items:
        return {key: (value, default_mode) for key, value in data.items()}
    files: Files = {}
    for item in items:
        if item["key"] not in data:
            if source.get("optional"):
                continue
            # configmap.go / secret.go MakePayload
            missing = ("configmap references non-existent config key: " if kind == "ConfigMap"
                       else "references non-existent secret key: ")
            raise _setup_failed(volume, missing + item["key"])
        files[item["path"]] = (data[item["key"]], int(item.get("mode", default_mode)))
    return files


def _downward_files(pod: Obj, source: Obj, default_mode: int, allocatable: Obj) -> Files:
    files: Files = {}
    containers = {c["name"]: c for c in (pod.get("spec") or {}).get("containers") or ()}
    for item in source.get("items") or ():
        mode = int(item.get("mode", default_mode))
        if "fieldRef" in item:
            files[item["path"]] = (field_value(pod, item["fieldRef"].get("fieldPath", "")), mode)
        elif "resourceFieldRef" in item:
            ref = item["resourceFieldRef"]
            container = containers.get(ref.get("containerName", ""), {})
            files[item["path"]] = (resource_value(container, ref, allocatable), mode)
    return files


def _projected_files(api: Any, pod: Obj, volume: Obj, allocatable: Obj) -> Files:
    namespace = pod["metadata"].get("namespace", "default")
    projected = volume["projected"]
    default_mode = int(projected.get("defaultMode", DEFAULT_MODE))
    files: Files = {}
    for source in projected.get("sources") or ():
        if "serviceAccountToken" in source:
            files[source["serviceAccountToken"].get("path", "token")] = (SERVICE_ACCOUNT_TOKEN, default_mode)
        elif "configMap" in source:
            files.update(_object_files(api, volume["name"], source["configMap"], "ConfigMap", namespace,
                                       default_mode))
        elif "secret" in source:
            files.update(_object_files(api, volume["name"], source["secret"], "Secret", namespace, default_mode))
        elif "downwardAPI" in source:
            files.update(_downward_files(pod, source["downwardAPI"], default_mode, allocatable))
    return files


def projection_files(api: Any, pod: Obj, volume: Obj, allocatable: Obj) -> Files | None:
    """The files of a ConfigMap/Secret/downwardAPI/projected volume (None for other volume types)."""
    namespace = pod["metadata"].get("namespace", "default")
    for key, kind in (("configMap", "ConfigMap"), ("secret", "Secret")):
        if key in volume:
            source = volume[key]
            mode = int(source.get("defaultMode", DEFAULT_MODE))
            return _object_files(api, volume["name"], source, kind, namespace, mode)
    if "downwardAPI" in volume:
        source = volume["downwardAPI"]
        return _downward_files(pod, source, int(source.get("defaultMode", DEFAULT_MODE)), allocatable)
    if "projected" in volume:
        return _projected_files(api, pod, volume, allocatable)
    return None


def write_atomically(fs: FileSystem, files: Files, stamp: str) -> None:
    """atomic_writer.go: the payload in a timestamped directory, `..data` pointing at it, and a link per
    top-level name (`key -> ..data/key`)."""
    old = [n for n in fs.listdir("") if n.startswith("..") and n != ATOMIC_DATA]
    payload = f"..{stamp}"
    fs.mkdir(payload)
    for rel, (content, mode) in sorted(files.items()):
        parts = split(rel)
        if len(parts) > 1:
            fs.mkdir("/".join([payload, *parts[:-1]]), parents=True)
        fs.write("/".join([payload, *parts]), content, mode=mode)
    with contextlib.suppress(FSError):
        fs.remove(ATOMIC_DATA)
    fs.symlink(payload, ATOMIC_DATA)
    tops = {split(rel)[0] for rel in files}
    for name in fs.listdir(""):
        if not name.startswith("..") and name not in tops:
            fs.remove(name, recursive=True)
    for top in sorted(tops):
        if fs.find(top) is None:
            fs.symlink(f"{ATOMIC_DATA}/{top}", top)
    for name in old:
        if name != payload:
            fs.remove(name, recursive=True)


# --- the pod's volumes ----------------------------------------------------------------------------------
@dataclass
class Volume:
    """One set-up volume: the filesystem and directory it shows, and how df describes it."""

    name: str
    fs: FileSystem
    root: str = ""
    read_only: bool = False
    device: str = "/dev/sda1"
    fstype: str = "ext4"
    size: int = NODE_DISK
    payload: Files | None = None  # ConfigMap, Secret, downwardAPI, projected: what was last written

    @property
    def projection(self) -> bool:
        """Rewritten by the kubelet's sync when its sources change."""
        return self.payload is not None


@dataclass
class PodVolumes:
    """The volumes of one pod on one node, by name."""

    volumes: dict[str, Volume] = field(default_factory=dict)
    stamp: Callable[[], str] = lambda: "2025_01_01_00_00_00.000000001"

    def get(self, name: str) -> Volume | None:
        return self.volumes.get(name)

    def refresh(self, api: Any, pod: Obj, allocatable: Obj) -> None:
        """The kubelet's periodic sync: projected contents follow their ConfigMaps and Secrets."""
        for volume in (pod.get("spec") or {}).get("volumes") or ():
            current = self.volumes.get(volume["name"])
            if current is None or not current.projection:
                continue
            try:
                files = projection_files(api, pod, volume, allocatable)
            except MountError:
                continue  # the kubelet keeps the last good contents
            if files is not None and files != current.payload:
                write_atomically(current.fs, files, self.stamp())
                current.payload = files


def _host_path(fs: FileSystem, volume: str, path: str, kind: str) -> None:
    """hostPath type checks (pkg/volume/hostpath/host_path.go checkTypeInternal)."""
    rel = path.lstrip("/")
    entry = fs.find(rel)
    if kind in ("", "DirectoryOrCreate") and entry is None:
        fs.mkdir(rel, parents=True)  # docker creates a missing bind-mount source as a directory
        return
    if kind == "FileOrCreate" and entry is None:
        try:
            fs.write(rel, "")
        except FSError as exc:
            raise _setup_failed(volume, f"open {path}: {exc.reason.lower()}") from None
        return
    checks = {"Directory": (lambda e: e.is_dir, "is not a directory"),
              "DirectoryOrCreate": (lambda e: e.is_dir, "is not a directory"),
              "File": (lambda e: not e.is_dir, "is not a file"),
              "FileOrCreate": (lambda e: not e.is_dir, "is not a file"),
              "Socket": (lambda e: False, "is not a socket file"),
              "CharDevice": (lambda e: False, "is not a character device"),
              "BlockDevice": (lambda e: False, "is not a block device")}
    if kind in checks and (entry is None or not checks[kind][0](entry)):
        raise _setup_failed(volume, f"hostPath type check failed: {path} {checks[kind][1]}")


def _claim_volume(api: Any, pod: Obj, volume: Obj, node: str) -> Volume:
    """A persistentVolumeClaim volume: the bound PV's source."""
    namespace = pod["metadata"].get("namespace", "default")
    source = volume["persistentVolumeClaim"]
    name = source.get("claimName", "")
    claim = api.peek(CLAIMS, name, namespace)
    if claim is None:
        raise MountError(f"Unable to attach or mount volumes: unmounted volumes=[{volume['name']}], unattached "
                         f"volumes=[], failed to process volumes=[{volume['name']}]: error processing PVC "
                         f'{namespace}/{name}: failed to fetch PVC from API server: persistentvolumeclaims '
                         f'"{name}" not found')
    pv_name = (claim.get("spec") or {}).get("volumeName")
    pv = api.peek(VOLUMES, pv_name) if pv_name else None
    if pv is None or (claim.get("status") or {}).get("phase") != "Bound":
        raise MountError(f"Unable to attach or mount volumes: unmounted volumes=[{volume['name']}], unattached "
                         f"volumes=[], failed to process volumes=[{volume['name']}]: error processing PVC "
                         f"{namespace}/{name}: PVC is not bound")
    read_only = bool(source.get("readOnly"))
    spec = pv.get("spec") or {}
    capacity = parse_quantity(str((spec.get("capacity") or {}).get("storage", "0"))).int_value()
    store = storage_for(api)
    if "hostPath" in spec or "local" in spec:
        host = spec.get("hostPath") or spec.get("local") or {}
        path = host.get("path", "/")
        if "local" in spec and not store.node(node).exists(path.lstrip("/")):
            raise _setup_failed(volume["name"], f'path "{path}" does not exist')
        _host_path(store.node(node), volume["name"], path, host.get("type", ""))
        return Volume(volume["name"], store.node(node), path.lstrip("/"), read_only)
    if "nfs" in spec:
        nfs = spec["nfs"]
        return Volume(volume["name"], store.share(nfs.get("server", ""), nfs.get("path", "/")), "",
                      read_only or bool(nfs.get("readOnly")), f"{nfs.get('server', '')}:{nfs.get('path', '/')}",
                      "nfs4", capacity)
    return Volume(volume["name"], store.volume(pv["metadata"]["name"]), "", read_only, size=capacity or NODE_DISK)


def _setup(api: Any, pod: Obj, volume: Obj, node: str, allocatable: Obj, stamp: str) -> Volume:
    name = volume["name"]
    store = storage_for(api)
    files = projection_files(api, pod, volume, allocatable)
    if files is not None:
        fs = FileSystem(store.now, mode=0o1777, populate=lambda fs: write_atomically(fs, files, stamp))
        if "configMap" in volume or "downwardAPI" in volume:  # wrapped emptyDirs on the node's disk
            return Volume(name, fs, "", True, payload=files)
        return Volume(name, fs, "", True, "tmpfs", "tmpfs", NODE_MEMORY, payload=files)  # Secret, projected
    if "emptyDir" in volume:
        empty = volume["emptyDir"] or {}
        fs = store.empty_dir(pod["metadata"]["uid"], name)
        if empty.get("medium") == "Memory":
            limit = empty.get("sizeLimit")
            size = parse_quantity(str(limit)).int_value() if limit else NODE_MEMORY
            return Volume(name, fs, "", False, "tmpfs", "tmpfs", size)
        return Volume(name, fs)
    if "hostPath" in volume:
        host = volume["hostPath"]
        _host_path(store.node(node), name, host.get("path", "/"), host.get("type", "") or "")
        return Volume(name, store.node(node), host.get("path", "/").lstrip("/"))
    if "nfs" in volume:
        nfs = volume["nfs"]
        return Volume(name, store.share(nfs.get("server", ""), nfs.get("path", "/")), "", bool(nfs.get("readOnly")),
                      f"{nfs.get('server', '')}:{nfs.get('path', '/')}", "nfs4")
    if "persistentVolumeClaim" in volume:
        return _claim_volume(api, pod, volume, node)
    return Volume(name, FileSystem(store.now))


def setup_volumes(api: Any, pod: Obj, node: str, allocatable: Obj | None = None,
                  stamp: Callable[[], str] | None = None) -> PodVolumes:
    """Every volume of `pod` set up on `node`; MountError for the first that cannot be."""
    stamp = stamp or (lambda: "2025_01_01_00_00_00.000000001")
    out = PodVolumes(stamp=stamp)
    for volume in (pod.get("spec") or {}).get("volumes") or ():
        out.volumes[volume["name"]] = _setup(api, pod, volume, node, allocatable or {}, stamp())
    return out


# --- a container's view --------------------------------------------------------------------------------
def _mount(volume: Volume, spec: Obj, env: dict[str, str]) -> Mount:
    path = normalise(spec["mountPath"])
    read_only = bool(spec.get("readOnly")) or volume.read_only
    sub = spec.get("subPath") or (expand(spec["subPathExpr"], env) if spec.get("subPathExpr") else "")
    if not sub:
        return Mount(path, volume.fs, volume.root, read_only, volume.name, volume.device, volume.fstype, volume.size)
    inner = "/".join(split(volume.root) + split(sub))
    fs = volume.fs
    if volume.projection:  # a subPath of a projected volume is a copy taken now: it never refreshes
        snapshot = FileSystem(fs.now, mode=0o755)
        entry = fs.find(inner)
        if entry is not None and not entry.is_dir:
            snapshot.write("file", entry.content, mode=entry.mode)
            return Mount(path, snapshot, "file", read_only, volume.name, volume.device, volume.fstype, volume.size)
        snapshot.mkdir("file")
        return Mount(path, snapshot, "file", read_only, volume.name, volume.device, volume.fstype, volume.size)
    if fs.find(inner) is None:
        fs.mkdir(inner, parents=True)  # the kubelet creates a missing subPath as a directory
    return Mount(path, fs, inner, read_only, volume.name, volume.device, volume.fstype, volume.size)


def container_files(container: Obj, volumes: PodVolumes, hostname: str,
                    env: dict[str, str] | None = None, now: Callable[[], Any] | None = None,
                    etc: dict[str, str] | None = None) -> ContainerFS:
    """A new instance of `container`: a fresh writable layer (the image's directories, /etc/hostname and the
    pod's `etc` files such as /etc/resolv.conf and /etc/hosts) with its volumeMounts over it."""
    def populate(layer: FileSystem) -> None:
        for directory in IMAGE_DIRECTORIES:
            layer.mkdir(directory, parents=True)
        layer.chmod("tmp", 0o1777)
        layer.write("etc/hostname", hostname + "\n")
        for path, text in (etc or {}).items():
            layer.write(path, text)

    layer = FileSystem(now, populate=populate)
    mounts = []
    for spec in container.get("volumeMounts") or ():
        volume = volumes.get(spec["name"])
        if volume is not None:
            mounts.append(_mount(volume, spec, env or {}))
    return ContainerFS(layer, mounts)


# --- refreshing projected volumes in running pods -----------------------------------------------------
SYNC_PERIOD = 60.0  # the kubelet's syncFrequency: each pod is synced once a minute


def _sources(pod: Obj) -> set[tuple[str, str]]:
    """(resource, name) of the ConfigMaps and Secrets the pod's volumes project."""
    found: set[tuple[str, str]] = set()
    for volume in (pod.get("spec") or {}).get("volumes") or ():
        sources = [volume] + [s for s in (volume.get("projected") or {}).get("sources") or ()]
        for source in sources:
            if "configMap" in source:
                found.add(("configmaps", source["configMap"].get("name", "")))
            if "secret" in source:
                found.add(("secrets", source["secret"].get("secretName") or source["secret"].get("name", "")))
    return found


class ProjectionSync:
    """Which running pods project which ConfigMaps and Secrets; a change reaches each of them at its
    next periodic sync (watch-based change detection, then SyncPod rewrites the volume)."""

    def __init__(self, api: Any):
        self.api = api
        self.watchers: dict[tuple[str, str, str], dict[str, tuple[float, Callable[[], None]]]] = {}
        self.queued: dict[str, Any] = {}
        api.store.subscribe(self._on_event, resources=("configmaps", "secrets"))

    def watch(self, pod: Obj, started: float, refresh: Callable[[], None]) -> None:
        namespace, uid = pod["metadata"].get("namespace", "default"), pod["metadata"]["uid"]
        for resource, name in _sources(pod):
            self.watchers.setdefault((namespace, resource, name), {})[uid] = (started, refresh)

    def forget(self, pod: Obj) -> None:
        namespace, uid = pod["metadata"].get("namespace", "default"), pod["metadata"]["uid"]
        for resource, name in _sources(pod):
            self.watchers.get((namespace, resource, name), {}).pop(uid, None)
        timer = self.queued.pop(uid, None)
        if timer is not None:
            timer.cancel()

    def _on_event(self, event: Any) -> None:
        if event.resource not in ("configmaps", "secrets"):
            return
        meta = event.object["metadata"]
        clock = self.api.clock
        for uid, (started, refresh) in sorted(self.watchers.get((meta.get("namespace", ""), event.resource,
                                                                  meta["name"]), {}).items()):
            if uid in self.queued:
                continue
            delay = SYNC_PERIOD - (clock.now - started) % SYNC_PERIOD

            def run(uid: str = uid, refresh: Callable[[], None] = refresh) -> None:
                self.queued.pop(uid, None)
                refresh()

            self.queued[uid] = clock.call_later(delay, run, label=f"kubelet: sync volumes of pod {uid}")


_SYNCS: weakref.WeakKeyDictionary[Any, ProjectionSync] = weakref.WeakKeyDictionary()


def projection_sync(api: Any) -> ProjectionSync:
    """The cluster's ProjectionSync (one per object store)."""
    sync = _SYNCS.get(api.store)
    if sync is None:
        sync = _SYNCS[api.store] = ProjectionSync(api)
    return sync


def sync_stamp(now: Any, uid: str) -> str:
    """The atomic writer's payload directory name: `..2006_01_02_15_04_05.` and a number."""
    digest = hashlib.sha256(f"{uid}{now.isoformat()}".encode()).hexdigest()
    return f"{now:%Y_%m_%d_%H_%M_%S}.{int(digest[:8], 16)}"
