"""What one container sees at `/`: its writable layer with the pod's volumes mounted over it.

Built by the kubelet (k8scourse.sim.kubelet.volumes) each time a container starts, and used by the
programs running in it (the shell's redirections and file commands, databases writing their data
directory) through `ProgramContext.files`. A fresh layer per container instance means that files
written outside volumes vanish when the container restarts, while files in a volume stay as long as
the volume does. It is also a mapping of absolute path -> file content, for code that only reads
and writes whole files.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass

from .filesystem import (
    DIR_MODE,
    FILE_MODE,
    IS_DIR,
    NO_ENTRY,
    READ_ONLY,
    Entry,
    FileSystem,
    FSError,
    split,
)

BUSY = "Resource busy"
# Directories every image has (the base of a container's root filesystem).
IMAGE_DIRECTORIES = ("bin", "dev", "dev/shm", "etc", "home", "lib", "mnt", "opt", "proc", "root", "run", "sbin",
                     "srv", "sys", "tmp", "usr/bin", "usr/local/bin", "usr/sbin", "var/log", "var/run")


@dataclass
class Mount:
    """A volume mounted at `path`: `fs` from its `root` directory down (subPath, hostPath path)."""

    path: str  # absolute, normalised
    fs: FileSystem
    root: str = ""
    read_only: bool = False
    volume: str = ""
    device: str = "/dev/sda1"  # df's Filesystem column
    fstype: str = "ext4"
    size: int = 0  # bytes; 0: the node disk's

    def inner(self, rest: list[str]) -> str:
        return "/".join(split(self.root) + rest)


def normalise(path: str, cwd: str = "/") -> str:
    if not path.startswith("/"):
        path = cwd.rstrip("/") + "/" + path
    return "/" + "/".join(split(path))


class ContainerFS(MutableMapping[str, str]):
    """The container's view: `layer` (its writable root) plus `mounts`, the longest mount path winning."""

    def __init__(self, layer: FileSystem, mounts: list[Mount] | None = None):
        self.layer = layer
        self.mounts = sorted(mounts or [], key=lambda m: len(m.path), reverse=True)
        layer.then(lambda _: self._mount_points())

    def _mount_points(self) -> None:
        """The runtime creates missing mount point parents (when the layer is first looked at)."""
        for mount in reversed(self.mounts):
            fs, rel, _ = self._resolve("/" + "/".join(split(mount.path)[:-1]))
            with contextlib.suppress(FSError):
                fs.mkdir(rel, parents=True)

    # --- resolution -----------------------------------------------------------------------------------
    def mount_of(self, path: str) -> Mount | None:
        path = normalise(path)
        for mount in self.mounts:
            if path == mount.path or path.startswith(mount.path.rstrip("/") + "/"):
                return mount
        return None

    def _resolve(self, path: str) -> tuple[FileSystem, str, Mount | None]:
        path = normalise(path)
        mount = self.mount_of(path)
        if mount is None:
            return self.layer, path.lstrip("/"), None
        rest = split(path[len(mount.path):])
        return mount.fs, mount.inner(rest), mount

    def _writable(self, path: str) -> tuple[FileSystem, str]:
        fs, rel, mount = self._resolve(path)
        if mount is not None and mount.read_only:
            raise FSError(READ_ONLY, path)
        return fs, rel

    def _children_mounts(self, path: str) -> set[str]:
        """Names directly below `path` that are (or lead to) mount points."""
        parts = split(path)
        names = set()
        for mount in self.mounts:
            mparts = split(mount.path)
            if len(mparts) > len(parts) and mparts[:len(parts)] == parts:
                names.add(mparts[len(parts)])
        return names

    # --- queries --------------------------------------------------------------------------------------
    def stat(self, path: str) -> Entry:
        fs, rel, _ = self._resolve(path)
        entry = fs.find(rel)
        if entry is None:
            if self._children_mounts(path):
                return Entry(True, DIR_MODE, self.layer.root.mtime)
            raise FSError(NO_ENTRY, path)
        return entry

    def exists(self, path: str) -> bool:
        try:
            self.stat(path)
        except FSError:
            return False
        return True

    def is_dir(self, path: str) -> bool:
        try:
            return self.stat(path).is_dir
        except FSError:
            return False

    def is_file(self, path: str) -> bool:
        try:
            return not self.stat(path).is_dir
        except FSError:
            return False

    def listdir(self, path: str) -> list[str]:
        fs, rel, _ = self._resolve(path)
        names = set(self._children_mounts(path))
        entry = fs.find(rel)
        if entry is None and not names:
            raise FSError(NO_ENTRY, path)
        if entry is not None:
            if not entry.is_dir:
                raise FSError("Not a directory", path)
            names |= set(entry.children)
        return sorted(names)

    def read(self, path: str) -> str:
        fs, rel, _ = self._resolve(path)
        return fs.read(rel)

    # --- changes --------------------------------------------------------------------------------------
    def write(self, path: str, content: str, *, append: bool = False, mode: int = FILE_MODE) -> None:
        if self.is_dir(path):
            raise FSError(IS_DIR, path)
        fs, rel = self._writable(path)
        fs.write(rel, content, append=append, mode=mode)

    def touch(self, path: str) -> None:
        fs, rel = self._writable(path)
        fs.touch(rel)

    def mkdir(self, path: str, *, parents: bool = False) -> None:
        if parents and self.is_dir(path):
            return
        fs, rel = self._writable(path)
        if parents:
            self._mkdir_parents(path)
        fs.mkdir(rel, parents=parents)

    def _mkdir_parents(self, path: str) -> None:
        """`mkdir -p` across mount boundaries: each missing ancestor in whichever filesystem owns it."""
        parts = split(path)
        for i in range(1, len(parts)):
            ancestor = "/" + "/".join(parts[:i])
            if not self.is_dir(ancestor):
                fs, rel = self._writable(ancestor)
                fs.mkdir(rel, parents=True)

    def remove(self, path: str, *, recursive: bool = False) -> None:
        path = normalise(path)
        mount = self.mount_of(path)
        if mount is not None and mount.path == path or self._children_mounts(path):
            if recursive:
                self._empty(path)
            raise FSError(BUSY, path)
        fs, rel = self._writable(path)
        fs.remove(rel, recursive=recursive)

    def _empty(self, path: str) -> None:
        for name in self.listdir(path):
            child = path.rstrip("/") + "/" + name
            try:
                self.remove(child, recursive=True)
            except FSError as exc:
                if exc.reason != BUSY:
                    raise

    def copy(self, source: str, target: str) -> None:
        entry = self.stat(source)
        if entry.is_dir:
            raise FSError(IS_DIR, source)
        if self.is_dir(target):
            target = target.rstrip("/") + "/" + split(source)[-1]
        self.write(target, entry.content, mode=entry.mode)

    # --- the mapping of absolute file paths to contents ----------------------------------------------
    def __getitem__(self, path: str) -> str:
        try:
            return self.read(path)
        except FSError:
            raise KeyError(path) from None

    def __setitem__(self, path: str, content: str) -> None:
        if not self.is_dir(normalise(path).rsplit("/", 1)[0] or "/"):
            self._mkdir_parents(path)
        self.write(path, content)

    def __delitem__(self, path: str) -> None:
        try:
            self.remove(path)
        except FSError:
            raise KeyError(path) from None

    def __iter__(self) -> Iterator[str]:
        yield from self.files("/")

    def __len__(self) -> int:
        return sum(1 for _ in self.files("/"))

    def files(self, path: str) -> Iterator[str]:
        """Absolute paths of the files below `path`."""
        for name in self.listdir(path):
            child = path.rstrip("/") + "/" + name
            if self.is_dir(child):
                yield from self.files(child)
            else:
                yield child


def as_container_fs(files: MutableMapping[str, str]) -> ContainerFS:
    """`files` itself when it is a ContainerFS, else a root filesystem holding those files (absolute path ->
    content) on top of the image's directories: for programs run outside a pod."""
    if isinstance(files, ContainerFS):
        return files
    layer = FileSystem()
    for directory in IMAGE_DIRECTORIES:
        layer.mkdir(directory, parents=True)
    layer.put_tree({path.lstrip("/"): content for path, content in files.items()})
    return ContainerFS(layer)
