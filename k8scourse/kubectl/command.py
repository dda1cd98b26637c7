"""`kubectl` in a notebook: split a command line, run the verb over the session's backend, and return
what a terminal would show (stdout, stderr, exit code). Never raises for a command that fails.

Called by `Cluster.kubectl()` and the `%kubectl` magics. Verbs live in `k8scourse.kubectl.verbs`, one
module per group of verbs; each registers itself in `VERBS`.
"""

from __future__ import annotations

import io
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..api.backend import Backend
from ..api.errors import ApiError, K8sError, ManifestError, ResourceTypeError
from .flags import Flag, Parsed, UsageError, parse


class Session(Protocol):
    """What kubectl needs from the caller: a backend and the current context's namespace."""

    backend: Backend
    namespace: str


@dataclass(frozen=True)
class KubectlResult:
    """The outcome of one kubectl command: what it printed on stdout and stderr, and its exit code."""

    command: str
    stdout: str
    stderr: str
    returncode: int

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def __str__(self) -> str:
        return self.stdout + self.stderr

    def __repr__(self) -> str:
        text = self.stdout + self.stderr
        return text[:-1] if text.endswith("\n") else text

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


@dataclass
class Invocation:
    """One running command: its session, parsed line, stdin, and the two output streams."""

    session: Session
    verb: str
    line: Parsed
    stdin: str | None = None
    out: io.StringIO = field(default_factory=io.StringIO)
    err: io.StringIO = field(default_factory=io.StringIO)
    code: int = 0
    pending_deletions: list[Any] = field(default_factory=list)  # what `delete --wait` waits for

    @property
    def backend(self) -> Backend:
        return self.session.backend

    @property
    def namespace(self) -> str:
        return self.line.get("namespace") or self.session.namespace

    def print(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def error(self, text: str) -> None:
        """An error line kubectl prints and keeps going (the exit code becomes 1)."""
        self.err.write(text + "\n")
        self.code = 1


Handler = Callable[[Invocation], None]


@dataclass(frozen=True)
class Verb:
    name: str
    handler: Handler
    flags: tuple[Flag, ...] = ()
    summary: str = ""


VERBS: dict[str, Verb] = {}


def verb(name: str, *flags: Flag, summary: str = "") -> Callable[[Handler], Handler]:
    """Register a verb handler with its flags."""

    def register(handler: Handler) -> Handler:
        VERBS[name] = Verb(name, handler, tuple(flags), summary)
        return handler

    return register


def error_text(exc: BaseException) -> str:
    """What kubectl prints for an error that stops a command."""
    if isinstance(exc, UsageError):
        return f"Error: {exc}" + (f"\n{exc.hint}" if exc.hint else "")
    if isinstance(exc, ApiError):
        return exc.kubectl_message()
    if isinstance(exc, (ManifestError, ResourceTypeError)):
        return f"error: {exc}"
    if isinstance(exc, K8sError):
        return exc.kubectl_message()
    return f"error: {exc}"


def split(command: str | list[str]) -> list[str]:
    words = shlex.split(command) if isinstance(command, str) else [str(w) for w in command]
    if words and words[0] == "kubectl":
        words = words[1:]
    return words


def run(session: Session, command: str | list[str], stdin: str | None = None) -> KubectlResult:
    """Run one kubectl command line against `session`; errors become kubectl's text and exit code 1."""
    _load_verbs()
    shown = command if isinstance(command, str) else " ".join(command)
    try:
        words = split(command)
    except ValueError as exc:
        return KubectlResult(shown, "", f"error: {exc}\n", 1)
    if not words or words[0] in ("-h", "--help", "help"):
        return KubectlResult(shown, _usage(), "", 0)
    name, rest = words[0], words[1:]
    spec = VERBS.get(name)
    if spec is None:
        return KubectlResult(shown, "", f'Error: unknown command "{name}" for "kubectl"\n', 1)
    before_dash = rest[:rest.index("--")] if "--" in rest else rest
    if "-h" in before_dash or "--help" in before_dash:
        return KubectlResult(shown, f"{spec.summary}.\n\nUsage:\n  kubectl {name} [flags] [options]\n", "", 0)
    inv = Invocation(session, name, Parsed(), stdin)
    try:
        inv.line = parse(rest, spec.flags, name)
        _warn_deprecated(inv)
        spec.handler(inv)
    except (K8sError, UsageError) as exc:
        inv.error(error_text(exc))
    except Exception as exc:  # noqa: BLE001 - a learner's command must never crash the kernel
        inv.error(f"error: {type(exc).__name__}: {exc} (this is a bug in k8scourse's kubectl; the cluster is unchanged "
                  "unless the command reported otherwise)")
    return KubectlResult(shown, inv.out.getvalue(), inv.err.getvalue(), inv.code)


# Flags kubectl marks deprecated (cobra prints the notice on stderr while parsing): name -> message.
DEPRECATED_FLAGS = {"record": "--record will be removed in the future"}  # genericclioptions/record_flags.go


def _warn_deprecated(inv: Invocation) -> None:
    for name, message in DEPRECATED_FLAGS.items():
        if name in inv.line.given:
            inv.err.write(f"Flag --{name} has been deprecated, {message}\n")


def change_cause(inv: Invocation) -> str:
    """record_flags.go parseCommandArguments: `kubectl` and the words, then every flag as ` --name=value`."""
    words = " ".join(inv.line.args)
    flags = "".join(f" --{name}={value}" for name, value in inv.line.order)
    return f"kubectl {inv.verb}" + (f" {words}" if words else "") + flags


def _usage() -> str:
    lines = ["kubectl controls the Kubernetes cluster manager.", "", "Commands available here:"]
    width = max(len(v) for v in VERBS) + 3
    for name in sorted(VERBS):
        lines.append(f"  {name.ljust(width)}{VERBS[name].summary}")
    return "\n".join(lines) + "\n"


def _load_verbs() -> None:
    if not VERBS:
        from . import verbs  # noqa: F401 - registers the verbs
