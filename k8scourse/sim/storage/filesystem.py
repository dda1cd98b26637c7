"""A small in-memory filesystem: directories and files with content, mode and modification time.

Every simulated volume (an emptyDir, a node's directories that hostPath volumes show, an NFS share, the
contents of a PersistentVolume) and every container's writable layer is one `FileSystem`. Containers
see several of them through a `ContainerFS` (mounts.py). Paths inside a FileSystem are relative and
slash-separated ("" is its root); errors carry the errno text a shell prints (`FSError.reason`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

FILE_MODE = 0o644
DIR_MODE = 0o755

LINK_DEPTH = 40
LOOP = "Symbolic link loop"
NO_ENTRY = "No such file or directory"
NOT_DIR = "Not a directory"
IS_DIR = "Is a directory"
EXISTS = "File exists"
NOT_EMPTY = "Directory not empty"
READ_ONLY = "Read-only file system"

_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


class FSError(Exception):
    """A failed filesystem call: `reason` is the errno text (`No such file or directory`, ...)."""

    def __init__(self, reason: str, path: str = ""):
        super().__init__(f"{path}: {reason}" if path else reason)
        self.reason = reason
        self.path = path


@dataclass
class Entry:
    """A file (`content` is text) or a directory (`is_dir`), with its permission bits and mtime."""

    is_dir: bool
    mode: int
    mtime: datetime
    content: str = ""
    children: dict[str, Entry] = field(default_factory=dict)
    link: str | None = None  # a symbolic link's target

    @property
    def size(self) -> int:
        if self.link is not None:
            return len(self.link)
        return 4096 if self.is_dir else len(self.content.encode())


def split(path: str) -> list[str]:
    """The components of a path, `.` dropped and `..` applied (never above the root)."""
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return parts


class FileSystem:
    """A directory tree. `now` stamps modification times (the cluster's virtual clock)."""

    def __init__(self, now: Callable[[], datetime] | None = None, mode: int = DIR_MODE,
                 populate: Callable[[FileSystem], None] | None = None):
        self.now = now or (lambda: _EPOCH)
        self._mode = mode
        self._root: Entry | None = None
        self._populate = [populate] if populate else []

    @property
    def root(self) -> Entry:
        """The root directory, built (and `populate`d) when first looked at: most never are."""
        if self._root is None:
            self._root = Entry(True, self._mode, self.now())
            populate, self._populate = self._populate, []
            for fn in populate:
                fn(self)
        return self._root

    @property
    def materialised(self) -> bool:
        return self._root is not None

    def then(self, populate: Callable[[FileSystem], None]) -> None:
        """Run `populate` once the filesystem is built (now, if it is)."""
        if self._root is None:
            self._populate.append(populate)
        else:
            populate(self)

    # --- looking up ----------------------------------------------------------------------------------
    def lookup(self, path: str, *, follow: bool = True, depth: int = 0) -> Entry:
        """The entry at `path`; symbolic links (relative to their directory) are followed on the way, and
        at the end unless `follow` is False."""
        if depth > LINK_DEPTH:
            raise FSError(LOOP, path)
        entry, parts = self.root, split(path)
        for i, part in enumerate(parts):
            if not entry.is_dir:
                raise FSError(NOT_DIR, path)
            child = entry.children.get(part)
            if child is None:
                raise FSError(NO_ENTRY, path)
            if child.link is not None and (follow or i < len(parts) - 1):
                target = child.link if child.link.startswith("/") else "/".join(parts[:i] + [child.link])
                child = self.lookup(target, depth=depth + 1)
            entry = child
        return entry

    def find(self, path: str, *, follow: bool = True) -> Entry | None:
        try:
            return self.lookup(path, follow=follow)
        except FSError:
            return None

    def exists(self, path: str) -> bool:
        return self.find(path) is not None

    def is_dir(self, path: str) -> bool:
        entry = self.find(path)
        return entry is not None and entry.is_dir

    def is_file(self, path: str) -> bool:
        entry = self.find(path)
        return entry is not None and not entry.is_dir

    def _parent(self, path: str) -> tuple[Entry, str]:
        parts = split(path)
        if not parts:
            raise FSError(IS_DIR, path)
        parent = self.lookup("/".join(parts[:-1]))
        if not parent.is_dir:
            raise FSError(NOT_DIR, path)
        return parent, parts[-1]

    # --- files ---------------------------------------------------------------------------------------
    def read(self, path: str) -> str:
        entry = self.lookup(path)
        if entry.is_dir:
            raise FSError(IS_DIR, path)
        return entry.content

    def write(self, path: str, content: str, *, append: bool = False, mode: int = FILE_MODE) -> None:
        parent, name = self._parent(path)
        entry = parent.children.get(name)
        if entry is not None and entry.link is not None:
            entry = self.lookup(path)
        if entry is not None and entry.is_dir:
            raise FSError(IS_DIR, path)
        if entry is None:
            parent.children[name] = Entry(False, mode, self.now(), content)
            parent.mtime = self.now()
            return
        entry.content = entry.content + content if append else content
        entry.mtime = self.now()

    def touch(self, path: str) -> None:
        entry = self.find(path)
        if entry is None:
            self.write(path, "")
        else:
            entry.mtime = self.now()

    def symlink(self, target: str, path: str) -> None:
        parent, name = self._parent(path)
        if name in parent.children:
            raise FSError(EXISTS, path)
        parent.children[name] = Entry(False, 0o777, self.now(), link=target)

    def chmod(self, path: str, mode: int) -> None:
        self.lookup(path).mode = mode

    # --- directories ---------------------------------------------------------------------------------
    def mkdir(self, path: str, *, parents: bool = False, mode: int = DIR_MODE) -> None:
        parts = split(path)
        entry = self.root
        for i, part in enumerate(parts):
            child = entry.children.get(part)
            last = i == len(parts) - 1
            if child is None:
                if not last and not parents:
                    raise FSError(NO_ENTRY, path)
                child = entry.children[part] = Entry(True, mode, self.now())
                entry.mtime = self.now()
            elif not child.is_dir:
                raise FSError(EXISTS if last else NOT_DIR, path)
            elif last and not parents:
                raise FSError(EXISTS, path)
            entry = child

    def listdir(self, path: str = "") -> list[str]:
        entry = self.lookup(path)
        if not entry.is_dir:
            raise FSError(NOT_DIR, path)
        return sorted(entry.children)

    def remove(self, path: str, *, recursive: bool = False) -> None:
        parent, name = self._parent(path)
        entry = parent.children.get(name)
        if entry is None:
            raise FSError(NO_ENTRY, path)
        if entry.is_dir and not recursive:
            raise FSError(IS_DIR, path)
        del parent.children[name]
        parent.mtime = self.now()

    def clear(self) -> None:
        """Remove everything below the root (a reclaimed volume's `rm -rf`)."""
        self.root.children.clear()

    def walk(self, path: str = "") -> Iterator[tuple[str, Entry]]:
        """Every entry below `path` as (relative path, entry), parents before children, sorted."""
        start = self.lookup(path)
        stack = [("/".join(split(path)), start)]
        while stack:
            prefix, entry = stack.pop()
            for name in sorted(entry.children, reverse=True):
                child = entry.children[name]
                child_path = f"{prefix}/{name}" if prefix else name
                stack.append((child_path, child))
            if entry is not start:
                yield prefix, entry

    def used_bytes(self) -> int:
        return sum(e.size for _, e in self.walk())

    def put_tree(self, files: dict[str, str], mode: int = FILE_MODE) -> None:
        """Write `files` (relative path -> content), creating their directories."""
        for rel, content in sorted(files.items()):
            parts = split(rel)
            if len(parts) > 1:
                self.mkdir("/".join(parts[:-1]), parents=True)
            self.write(rel, content, mode=mode)
