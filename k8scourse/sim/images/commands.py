"""The commands a simulated shell image has on its PATH: echo, sleep, env, cat, ls, date, ps, ...

Called by the shell (`shell.py`) for every simple command and by the program resolver for a container or
exec command that names one of them directly (`sleep 3600`, `env`, `cat /etc/config/x`). Output follows
busybox, the shell the course's images mostly use.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from .process import Out, Program, Sleep

if TYPE_CHECKING:
    from .shell import Shell

Builtin = Callable[[list[str], "Shell", str], Program]
COMMANDS: dict[str, Builtin] = {}


def command(*names: str) -> Callable[[Builtin], Builtin]:
    def register(fn: Builtin) -> Builtin:
        for name in names:
            COMMANDS[name] = fn
        return fn

    return register


def run_command(argv: list[str], shell: Shell, stdin: str = "") -> Program:
    name = argv[0].rsplit("/", 1)[-1]
    fn = COMMANDS.get(name)
    if fn is None:
        yield Out(f"{shell.name}: {argv[0]}: not found\n", "stderr")
        return 127
    return (yield from fn(argv, shell, stdin))


def _done(code: int = 0) -> Program:
    return code
    yield  # pragma: no cover - makes this a generator


@command("true", ":", "sync", "trap")
def _true(argv: list[str], shell: Shell, stdin: str) -> Program:
    return (yield from _done(0))


@command("false")
def _false(argv: list[str], shell: Shell, stdin: str) -> Program:
    return (yield from _done(1))


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t")


@command("echo")
def _echo(argv: list[str], shell: Shell, stdin: str) -> Program:
    args, newline, escapes = argv[1:], True, False
    while args and args[0] in ("-n", "-e", "-ne", "-en"):
        newline = newline and "n" not in args[0]
        escapes = escapes or "e" in args[0]
        args = args[1:]
    text = " ".join(args)
    yield Out((_unescape(text) if escapes else text) + ("\n" if newline else ""))
    return 0


@command("printf")
def _printf(argv: list[str], shell: Shell, stdin: str) -> Program:
    if len(argv) < 2:
        yield Out("printf: usage: printf FORMAT [ARGUMENT...]\n", "stderr")
        return 1
    fmt, args = _unescape(argv[1]), list(argv[2:])
    text = re.sub(r"%[sd]", lambda m: args.pop(0) if args else "", fmt)
    yield Out(text)
    return 0


def duration(text: str) -> float | None:
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([smhd]?)", text)
    if not m:
        return None
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


@command("sleep")
def _sleep(argv: list[str], shell: Shell, stdin: str) -> Program:
    if len(argv) < 2:
        yield Out("sleep: missing operand\n", "stderr")
        return 1
    if argv[1] == "infinity":
        while True:
            yield Sleep(86400.0, background=True)
    seconds = duration(argv[1])
    if seconds is None:
        yield Out(f"sleep: invalid number '{argv[1]}'\n", "stderr")
        return 1
    yield Sleep(seconds)
    return 0


@command("env", "printenv")
def _env(argv: list[str], shell: Shell, stdin: str) -> Program:
    env = shell.ctx.env
    if len(argv) > 1 and argv[0].endswith("printenv"):
        found = [env[name] for name in argv[1:] if name in env]
        for value in found:
            yield Out(value + "\n")
        return 0 if len(found) == len(argv) - 1 else 1
    for key, value in env.items():
        yield Out(f"{key}={value}\n")
    return 0


@command("export", "unset")
def _export(argv: list[str], shell: Shell, stdin: str) -> Program:
    for arg in argv[1:]:
        key, eq, value = arg.partition("=")
        if argv[0] == "unset":
            shell.ctx.env.pop(key, None)
        elif eq:
            shell.ctx.env[key] = value
    return (yield from _done(0))


@command("hostname")
def _hostname(argv: list[str], shell: Shell, stdin: str) -> Program:
    yield Out((shell.ctx.pod_ip if "-i" in argv else shell.ctx.hostname) + "\n")
    return 0


@command("whoami")
def _whoami(argv: list[str], shell: Shell, stdin: str) -> Program:
    yield Out("root\n")
    return 0


@command("date")
def _date(argv: list[str], shell: Shell, stdin: str) -> Program:
    now = shell.ctx.now()
    yield Out(f"{now.strftime('%a %b')} {now.day:2d} {now.strftime('%H:%M:%S')} UTC {now.year}\n")
    return 0


@command("uname")
def _uname(argv: list[str], shell: Shell, stdin: str) -> Program:
    yield Out("Linux\n")
    return 0


@command("ps")
def _ps(argv: list[str], shell: Shell, stdin: str) -> Program:
    yield Out("PID   USER     TIME  COMMAND\n")
    for pid, line in enumerate([*shell.ctx.processes(), " ".join(argv)], start=1):
        yield Out(f"{pid:5d} root      0:00 {line}\n")
    return 0


@command("grep")
def _grep(argv: list[str], shell: Shell, stdin: str) -> Program:
    args = [a for a in argv[1:] if not a.startswith("-")]
    if not args:
        yield Out("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n", "stderr")
        return 2
    pattern, sources = args[0], args[1:]
    text = "".join(_read_quietly(shell, p) for p in sources) if sources else stdin
    matched = [line for line in text.splitlines() if (pattern.lower() in line.lower() if "-i" in argv
                                                      else pattern in line)]
    for line in matched:
        yield Out(line + "\n")
    return 0 if matched else 1


@command("wc")
def _wc(argv: list[str], shell: Shell, stdin: str) -> Program:
    yield Out(f"{len(stdin.splitlines())}\n")
    return 0


@command("head", "tail")
def _head(argv: list[str], shell: Shell, stdin: str) -> Program:
    count = 10
    for i, arg in enumerate(argv):
        if arg == "-n" and i + 1 < len(argv) and argv[i + 1].isdigit():
            count = int(argv[i + 1])
        elif re.fullmatch(r"-\d+", arg):
            count = int(arg[1:])
    lines = stdin.splitlines(keepends=True)
    for line in (lines[:count] if argv[0].endswith("head") else lines[-count:] if count else []):
        yield Out(line)
    return 0


@command("test", "[")
def _test(argv: list[str], shell: Shell, stdin: str) -> Program:
    args = argv[1:-1] if argv[0] == "[" else argv[1:]
    return (yield from _done(0 if _evaluate(args, shell) else 1))


def _evaluate(args: list[str], shell: Shell) -> bool:
    if args and args[0] == "!":
        return not _evaluate(args[1:], shell)
    if len(args) == 1:
        return args[0] != ""
    if len(args) == 2:
        op, value = args
        files, path = shell.ctx.files, path_of(shell, value)
        return {"-z": value == "", "-n": value != "", "-f": op == "-f" and files.is_file(path),
                "-e": op == "-e" and files.exists(path), "-d": op == "-d" and files.is_dir(path),
                "-s": op == "-s" and files.is_file(path) and bool(files.read(path))}.get(op, False)
    if len(args) == 3:
        a, op, b = args
        if op in ("=", "=="):
            return a == b
        if op == "!=":
            return a != b
        try:
            x, y = int(a), int(b)
        except ValueError:
            return False
        return {"-eq": x == y, "-ne": x != y, "-lt": x < y, "-le": x <= y, "-gt": x > y, "-ge": x >= y}.get(op, False)
    return False


def path_of(shell: Shell, path: str) -> str:
    """`path` from the shell's working directory."""
    from ..storage.mounts import normalise

    return normalise(path, getattr(shell, "cwd", "/"))


def _read_quietly(shell: Shell, path: str) -> str:
    try:
        return shell.ctx.files.read(path_of(shell, path))
    except Exception:  # noqa: BLE001 - grep skips what it cannot read
        return ""


# the network tools (nslookup, curl, wget, ping, nc) register themselves from netcommands.py, the file
# tools (cat, ls, mkdir, touch, rm, cp, mv, df, mount, cd, pwd) from filecommands.py
from . import filecommands, netcommands  # noqa: E402, F401
