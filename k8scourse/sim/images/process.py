"""What a simulated container process does, step by step: the actions its program yields.

Programs (image behaviour, the small shell, exec'd commands) are Python generators yielding these
actions and returning their exit code. The kubelet's container runner plays them on the virtual clock;
exec collects them at once. Shared by `k8scourse.sim.images` and `k8scourse.sim.kubelet`.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Out:
    """A line (or part of one) written to stdout or stderr."""

    text: str
    stream: str = "stdout"


@dataclass(frozen=True)
class Sleep:
    """Wait; `background` marks sleeps inside endless loops (periodic work that `settle()` need not wait for)."""

    seconds: float
    background: bool = False


@dataclass(frozen=True)
class Listen:
    """Start accepting connections on a TCP port."""

    port: int


@dataclass(frozen=True)
class Serve:
    """Run for ever (a server that has finished starting up), until signalled."""


@dataclass(frozen=True)
class UseMemory:
    """The process now holds this many bytes (a memory limit below it gets the container OOMKilled)."""

    bytes: int


Action = Out | Sleep | Listen | Serve | UseMemory
Program = Generator[Action, None, int]


@dataclass(frozen=True)
class Connection:
    """The outcome of `ctx.connect(host, port)`: ok, or an errno-style failure (ENOTFOUND, ECONNREFUSED)."""

    ok: bool
    error: str = ""
    address: str = ""


class Network:
    """How programs reach other hosts. Until cluster networking exists, names do not resolve and addresses
    refuse connections; the networking layer replaces this object."""

    def connect(self, host: str, port: int) -> Connection:
        if host.replace(".", "").isdigit():
            return Connection(False, "ECONNREFUSED", host)
        return Connection(False, "ENOTFOUND")

    def resolve(self, host: str) -> str | None:
        return host if host.replace(".", "").isdigit() else None

    def etc_files(self, pod_ip: str, hostname: str) -> dict[str, str]:
        """The files the kubelet writes into every container of a pod (/etc/resolv.conf, /etc/hosts)."""
        return {}

    def for_pod(self, pod: dict) -> Network:
        """The view the processes of `pod` get (the cluster network gives each pod its own)."""
        return self


@dataclass
class ProgramContext:
    """What a process sees: its argv, environment, files, hostname, the network and the time."""

    argv: list[str]
    env: dict[str, str]
    hostname: str = "localhost"
    files: dict[str, str] = field(default_factory=dict)
    network: Network = field(default_factory=Network)
    now: Callable[[], Any] = lambda: None  # returns a datetime
    pod_ip: str = ""
    processes: Callable[[], list[str]] = lambda: []  # command lines of the container's processes
    stdin: str = ""
