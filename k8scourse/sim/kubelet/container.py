"""One container of a pod on a node: its status record, its logs, and the process playing on the clock.

Created by the pod worker. `ContainerRecord` holds what the container status reports (state, reason,
restartCount, lastState, ids) and the logs of the current and previous instance; `Process` plays a
program's actions (output, sleeps, listening ports, memory) on the virtual clock and reports its exit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..images.process import Listen, Out, Program, Serve, Sleep, UseMemory

Obj = dict[str, Any]
FOREGROUND_SLEEP = 120.0  # longer sleeps (sleep 3600) are not work a learner waits for
OOM_EXIT = 137


@dataclass
class LogLine:
    at: float  # virtual seconds
    stream: str
    text: str


@dataclass
class ContainerRecord:
    spec: Obj
    init: bool = False
    state: str = "waiting"  # waiting | running | terminated
    reason: str = "ContainerCreating"
    message: str = ""
    started_at: float | None = None
    finished_at: float | None = None
    exit_code: int | None = None
    container_id: str = ""
    image: str = ""
    image_id: str = ""
    restart_count: int = 0
    last_state: Obj | None = None  # a terminated dict
    ready: bool = False
    started: bool = False
    logs: list[LogLine] = field(default_factory=list)
    previous_logs: list[LogLine] | None = None
    process: Process | None = None
    files: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    argv: list[str] = field(default_factory=list)
    changed: bool = False  # killed because its definition changed: started again whatever the restart policy

    @property
    def name(self) -> str:
        return self.spec["name"]

    @property
    def sidecar(self) -> bool:
        return self.init and self.spec.get("restartPolicy") == "Always"

    def terminated_dict(self, timestamp: Callable[[float], str]) -> Obj:
        out: Obj = {"containerID": self.container_id, "exitCode": self.exit_code, "finishedAt":
                    timestamp(self.finished_at or 0.0), "reason": self.reason,
                    "startedAt": timestamp(self.started_at) if self.started_at is not None else None}
        if self.message:
            out["message"] = self.message
        return out

    def write(self, at: float, stream: str, text: str) -> None:
        if not text:
            return
        pieces = text.split("\n")
        if self.logs and not self.logs[-1].text.endswith("\n") and self.logs[-1].stream == stream:
            self.logs[-1].text += pieces.pop(0) + ("\n" if pieces else "")
            if not pieces:
                return
        if pieces and pieces[-1] == "":
            pieces.pop()
            tail_newline = True
        else:
            tail_newline = False
        for i, piece in enumerate(pieces):
            newline = i < len(pieces) - 1 or tail_newline
            self.logs.append(LogLine(at, stream, piece + ("\n" if newline else "")))


class Process:
    """Plays a program on the clock. `on_exit(code, reason)` is called once when it ends or is killed."""

    def __init__(self, clock: Any, program: Program, record: ContainerRecord, memory_limit: int | None,
                 on_exit: Callable[[int, str], None], on_change: Callable[[], None], label: str):
        self.clock = clock
        self.program = program
        self.record = record
        self.memory_limit = memory_limit
        self.on_exit = on_exit
        self.on_change = on_change
        self.label = label
        self.ports: set[int] = set()
        self.memory = 0
        self.alive = True
        self._timer: Any = None

    def start(self) -> None:
        self._step()

    def _step(self) -> None:
        self._timer = None
        if not self.alive:
            return
        while True:
            try:
                action = next(self.program)
            except StopIteration as stop:
                self._finish(int(stop.value or 0), "Completed" if not stop.value else "Error")
                return
            if isinstance(action, Out):
                self.record.write(self.clock.now, action.stream, action.text)
            elif isinstance(action, Listen):
                self.ports.add(action.port)
                self.on_change()
            elif isinstance(action, UseMemory):
                self.memory = action.bytes
                if self.memory_limit is not None and self.memory > self.memory_limit:
                    self._finish(OOM_EXIT, "OOMKilled")
                    return
            elif isinstance(action, Sleep):
                background = action.background or action.seconds > FOREGROUND_SLEEP
                self._timer = self.clock.call_later(action.seconds, self._step, periodic=background,
                                                    label=self.label)
                return
            elif isinstance(action, Serve):
                return

    def _finish(self, code: int, reason: str) -> None:
        if not self.alive:
            return
        self.alive = False
        self.ports.clear()
        if self._timer is not None:
            self._timer.cancel()
        self.program.close()
        self.on_exit(code, reason)

    def kill(self, code: int = 137, reason: str = "Error") -> None:
        self._finish(code, reason)
