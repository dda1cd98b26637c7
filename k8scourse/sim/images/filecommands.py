"""The file commands of the simulated shell images: cat, ls, mkdir, touch, rm, cp, mv, df, mount, stat.

Registered in `commands.COMMANDS` on import. They work on the container's filesystem
(`ProgramContext.files`, a `ContainerFS`: its writable layer with the pod's volumes mounted over it),
relative paths resolved from the shell's working directory, and print what busybox prints.
"""

from __future__ import annotations

import stat as modes
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..storage import FSError
from ..storage.filesystem import Entry
from .commands import command, path_of
from .process import Out, Program

if TYPE_CHECKING:
    from .shell import Shell


def _flags(argv: list[str]) -> tuple[set[str], list[str]]:
    flags: set[str] = set()
    args = []
    for arg in argv[1:]:
        if arg.startswith("-") and len(arg) > 1 and not args:
            flags |= set(arg[1:])
        else:
            args.append(arg)
    return flags, args


def _err(name: str, text: str) -> Out:
    return Out(f"{name}: {text}\n", "stderr")


@command("cat")
def _cat(argv: list[str], shell: Shell, stdin: str) -> Program:
    _, paths = _flags(argv)
    if not paths:
        yield Out(stdin)
        return 0
    status = 0
    for path in paths:
        if path == "-":
            yield Out(stdin)
            continue
        try:
            yield Out(shell.ctx.files.read(path_of(shell, path)))
        except FSError as exc:
            status = 1
            yield _err("cat", "read error: Is a directory" if exc.reason == "Is a directory"
                       else f"can't open '{path}': {exc.reason}")
    return status


# --- ls ---------------------------------------------------------------------------------------------------
def mode_string(entry: Entry) -> str:
    """bb_mode_string: `drwxr-xr-x`, `-rw-r--r--`, `lrwxrwxrwx`, with s/t bits."""
    kind = "l" if entry.link is not None else "d" if entry.is_dir else "-"
    return kind + modes.filemode(entry.mode)[1:]


def _stamp(when: datetime, now: datetime) -> str:
    """busybox ls: `Jan  1 00:00` within six months, else `Jan  1  2024`."""
    month_day = f"{when:%b} {when.day:2d}"
    if abs((now - when).total_seconds()) < 182 * 86400:
        return f"{month_day} {when:%H:%M}"
    return f"{month_day}  {when.year}"


def _long_line(name: str, entry: Entry, now: datetime) -> str:
    links = 2 + sum(1 for c in entry.children.values() if c.is_dir) if entry.is_dir else 1
    line = f"{mode_string(entry):<10} {links:4d} root     root     {entry.size:9d} {_stamp(entry.mtime, now)} {name}"
    return line + (f" -> {entry.link}" if entry.link is not None else "")


def _entry(shell: Shell, path: str, follow: bool = True) -> Entry:
    files = shell.ctx.files
    fs, rel, _ = files._resolve(path)
    entry = fs.find(rel, follow=follow)
    return entry if entry is not None else files.stat(path)


def _blocks(entries: list[Entry]) -> int:
    return sum((e.size + 4095) // 4096 * 4 for e in entries if e.link is None)


def _list_dir(shell: Shell, path: str, flags: set[str], now: datetime) -> Iterator[str]:
    names = shell.ctx.files.listdir(path)
    if "a" not in flags:
        names = [n for n in names if not n.startswith(".")]
    entries = [(n, _entry(shell, path.rstrip("/") + "/" + n, follow="L" in flags)) for n in names]
    if "a" in flags:
        entries = [(".", shell.ctx.files.stat(path)), ("..", shell.ctx.files.stat(path.rsplit("/", 1)[0] or "/")),
                   *entries]
    if "l" in flags:
        yield f"total {_blocks([e for _, e in entries])}"
        for name, entry in entries:
            yield _long_line(name, entry, now)
        return
    yield from (name for name, _ in entries)


@command("ls")
def _ls(argv: list[str], shell: Shell, stdin: str) -> Program:
    flags, paths = _flags(argv)
    shown = paths or ["."]
    now = shell.ctx.now() or datetime.now()
    status = 0
    files = [p for p in shown if shell.ctx.files.exists(path_of(shell, p)) and not _is_listed_dir(shell, p, flags)]
    dirs = [p for p in shown if _is_listed_dir(shell, p, flags)]
    for path in shown:
        if path not in files and path not in dirs:
            status = 1
            yield _err("ls", f"{path}: No such file or directory")
    for path in files:
        entry = _entry(shell, path_of(shell, path), follow="L" in flags)
        yield Out((_long_line(path, entry, now) if "l" in flags else path) + "\n")
    for i, path in enumerate(dirs):
        if len(shown) > 1:
            yield Out(("\n" if i or files else "") + f"{path}:\n")
        for line in _list_dir(shell, path_of(shell, path), flags, now):
            yield Out(line + "\n")
    return status


def _is_listed_dir(shell: Shell, path: str, flags: set[str]) -> bool:
    return "d" not in flags and shell.ctx.files.is_dir(path_of(shell, path))


# --- changing files -----------------------------------------------------------------------------------------
@command("mkdir")
def _mkdir(argv: list[str], shell: Shell, stdin: str) -> Program:
    flags, paths = _flags(argv)
    status = 0
    for path in paths:
        try:
            shell.ctx.files.mkdir(path_of(shell, path), parents="p" in flags)
        except FSError as exc:
            status = 1
            yield _err("mkdir", f"can't create directory '{path}': {exc.reason}")
    return status


@command("touch")
def _touch(argv: list[str], shell: Shell, stdin: str) -> Program:
    _, paths = _flags(argv)
    status = 0
    for path in paths:
        try:
            shell.ctx.files.touch(path_of(shell, path))
        except FSError as exc:
            status = 1
            yield _err("touch", f"{path}: {exc.reason}")
    return status


@command("rm")
def _rm(argv: list[str], shell: Shell, stdin: str) -> Program:
    flags, paths = _flags(argv)
    recursive, force = bool(flags & {"r", "R"}), "f" in flags
    status = 0
    for path in paths:
        target = path_of(shell, path)
        files = shell.ctx.files
        if not files.exists(target) and not _is_link(shell, target):
            if not force:
                status = 1
                yield _err("rm", f"can't remove '{path}': No such file or directory")
            continue
        if files.is_dir(target) and not recursive and not _is_link(shell, target):
            status = 1
            yield _err("rm", f"'{path}' is a directory")
            continue
        try:
            files.remove(target, recursive=recursive)
        except FSError as exc:
            status = 1
            yield _err("rm", f"can't remove '{path}': {exc.reason}")
    return status


def _is_link(shell: Shell, path: str) -> bool:
    fs, rel, _ = shell.ctx.files._resolve(path)
    entry = fs.find(rel, follow=False)
    return entry is not None and entry.link is not None


@command("cp", "mv")
def _copy(argv: list[str], shell: Shell, stdin: str) -> Program:
    name = argv[0].rsplit("/", 1)[-1]
    flags, paths = _flags(argv)
    if len(paths) < 2:
        yield Out(f"BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: {name} [-fin] SOURCE... "
                  "DEST\n", "stderr")
        return 1
    *sources, target = paths
    files = shell.ctx.files
    status = 0
    for source in sources:
        src = path_of(shell, source)
        if not files.exists(src):
            status = 1
            yield _err(name, f"can't stat '{source}': No such file or directory")
            continue
        if files.is_dir(src) and name == "cp" and not flags & {"r", "R", "a"}:
            status = 1
            yield _err(name, f"omitting directory '{source}'")
            continue
        try:
            _copy_tree(files, src, path_of(shell, target))
            if name == "mv":
                files.remove(src, recursive=True)
        except FSError as exc:
            status = 1
            yield _err(name, f"can't create '{target}': {exc.reason}")
    return status


def _copy_tree(files: Any, source: str, target: str) -> None:
    if not files.is_dir(source):
        files.copy(source, target)
        return
    if files.is_dir(target):
        target = target.rstrip("/") + "/" + source.rstrip("/").rsplit("/", 1)[-1]
    files.mkdir(target, parents=True)
    for child in files.listdir(source):
        _copy_tree(files, f"{source}/{child}", f"{target}/{child}")


# --- mounts: df and mount -----------------------------------------------------------------------------------
ROOT_DEVICE, ROOT_SIZE, ROOT_USED = "overlay", 102625208 * 1024, 19_843_072 * 1024


def human(size: int) -> str:
    """make_human_readable_str: `0`, `512.0K`, `58.4G` (one decimal, 1024-based)."""
    if size == 0:
        return "0"
    value, unit = float(size), ""
    for unit in ("", "K", "M", "G", "T"):
        if value < 1024 or unit == "T":
            break
        value /= 1024
    return f"{value:.1f}{unit}" if unit else f"{int(value)}"


def _mount_rows(shell: Shell) -> list[tuple[str, int, int, str]]:
    files = shell.ctx.files
    rows = [(ROOT_DEVICE, ROOT_SIZE, ROOT_USED + files.layer.used_bytes(), "/")]
    rows.append(("tmpfs", 64 * 1024 * 1024, 0, "/dev"))
    rows.append(("shm", 64 * 1024 * 1024, 0, "/dev/shm"))
    for mount in sorted(files.mounts, key=lambda m: m.path):
        size = mount.size or ROOT_SIZE
        used = mount.fs.used_bytes() + (ROOT_USED if mount.device == "/dev/sda1" else 0)
        rows.append((mount.device, size, min(used, size), mount.path))
    return rows


@command("df")
def _df(argv: list[str], shell: Shell, stdin: str) -> Program:
    flags, _ = _flags(argv)
    readable = "h" in flags
    yield Out("Filesystem           " + (f"{'     Size':<15}" if readable else f"{'1K-blocks':<15}")
              + "Used Available Use% Mounted on\n")
    for device, size, used, where in _mount_rows(shell):
        free = size - used
        percent = (used * 100 + size - 1) // size if size else 0
        cells = [human(x) if readable else str(x // 1024) for x in (size, used, free)]
        yield Out(f"{device:<20} {cells[0]:>9} {cells[1]:>9} {cells[2]:>9} {percent:3d}% {where}\n")
    return 0


@command("mount")
def _mount(argv: list[str], shell: Shell, stdin: str) -> Program:
    yield Out("overlay on / type overlay (rw,relatime,lowerdir=/var/lib/docker/overlay2/l,"
              "upperdir=/var/lib/docker/overlay2/diff,workdir=/var/lib/docker/overlay2/work)\n")
    yield Out("proc on /proc type proc (rw,nosuid,nodev,noexec,relatime)\n")
    yield Out("tmpfs on /dev type tmpfs (rw,nosuid,size=65536k,mode=755)\n")
    for mount in sorted(shell.ctx.files.mounts, key=lambda m: m.path):
        options = ("ro" if mount.read_only else "rw") + ",relatime"
        yield Out(f"{mount.device} on {mount.path} type {mount.fstype} ({options})\n")
    return 0


@command("pwd")
def _pwd(argv: list[str], shell: Shell, stdin: str) -> Program:
    yield Out(getattr(shell, "cwd", "/") + "\n")
    return 0


@command("cd")
def _cd(argv: list[str], shell: Shell, stdin: str) -> Program:
    target = path_of(shell, argv[1]) if len(argv) > 1 else shell.ctx.env.get("HOME", "/")
    if not shell.ctx.files.is_dir(target):
        yield _err(f"{shell.name}: cd", f"can't cd to {argv[1]}: No such file or directory")
        return 2
    shell.cwd = target
    return 0
