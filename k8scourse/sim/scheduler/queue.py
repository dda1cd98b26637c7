"""The scheduling queue: activeQ ordered by priority then arrival, back-off, and unschedulable pods.

Used by `Scheduler`, as kube-scheduler's PriorityQueue (pkg/scheduler/backend/queue) works: a pod that
failed waits in the unschedulable pool until a cluster change may help it (or, at the latest, until
the periodic flush after 5 minutes); it then waits out its back-off (1 s doubling to 10 s per
attempt) before it is tried again. A pod with scheduling gates is held back (the SchedulingGates
PreEnqueue plugin) until its gates are removed, and is then put straight into activeQ.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable

from ..clock import Clock, Timer
from .cache import PodKey

INITIAL_BACKOFF = 1.0  # DefaultPodInitialBackoffDuration
MAX_BACKOFF = 10.0  # DefaultPodMaxBackoffDuration
MAX_IN_UNSCHEDULABLE = 300.0  # DefaultPodMaxInUnschedulablePodsDuration
FLUSH_PERIOD = 30.0  # flushUnschedulablePodsLeftover runs every 30 s


def backoff_duration(attempts: int) -> float:
    """calculateBackoffDuration: 1 s doubled for each attempt after the first, at most 10 s."""
    duration = INITIAL_BACKOFF
    for _ in range(1, attempts):
        duration *= 2
        if duration > MAX_BACKOFF:
            return MAX_BACKOFF
    return duration


class SchedulingQueue:
    """Pods waiting to be scheduled. `on_ready` is called (once) whenever activeQ gains pods."""

    def __init__(self, clock: Clock, on_ready: Callable[[], None]):
        self.clock = clock
        self.on_ready = on_ready
        self._heap: list[tuple[int, float, int, PodKey]] = []
        self._active: set[PodKey] = set()
        self._priority: dict[PodKey, int] = {}
        self._seq = itertools.count()
        self.backoff: dict[PodKey, Timer] = {}
        self.unschedulable: dict[PodKey, float] = {}  # key -> when it entered the pool
        self.attempts: dict[PodKey, int] = {}
        self.last_failure: dict[PodKey, float] = {}
        self.gated: set[PodKey] = set()  # pods PreEnqueue keeps out of activeQ (spec.schedulingGates)
        clock.every(FLUSH_PERIOD, self.flush_unschedulable_leftover, label="scheduler: flush unschedulable pods")

    def __contains__(self, key: PodKey) -> bool:
        return key in self._active or key in self.backoff or key in self.unschedulable or key in self.gated

    def add(self, key: PodKey, priority: int, gated: bool = False) -> None:
        """A new pending pod: straight into activeQ, unless it is `gated`; a gated pod whose gates were
        removed goes to activeQ too (gates can only be removed, never added back)."""
        self._priority[key] = priority
        if gated:
            if key not in self:
                self.gated.add(key)
        elif key in self.gated or key not in self:
            self.gated.discard(key)
            self._push(key)

    def _push(self, key: PodKey) -> None:
        self._active.add(key)
        heapq.heappush(self._heap, (-self._priority.get(key, 0), self.clock.now, next(self._seq), key))
        self.on_ready()

    def pop(self) -> PodKey | None:
        while self._heap:
            key = heapq.heappop(self._heap)[3]
            if key in self._active:
                self._active.discard(key)
                self.attempts[key] = self.attempts.get(key, 0) + 1
                return key
        return None

    def forget(self, key: PodKey) -> None:
        """The pod was bound or deleted, or no longer wants this scheduler."""
        self._active.discard(key)
        self.gated.discard(key)
        timer = self.backoff.pop(key, None)
        if timer is not None:
            timer.cancel()
        for table in (self.unschedulable, self.attempts, self.last_failure, self._priority):
            table.pop(key, None)

    def unschedulable_failed(self, key: PodKey) -> None:
        self.unschedulable[key] = self.clock.now
        self.last_failure[key] = self.clock.now

    def move(self, key: PodKey) -> None:
        """MoveAllToActiveOrBackoffQueue for one pod: to backoffQ while its back-off lasts, else activeQ."""
        if self.unschedulable.pop(key, None) is None:
            return
        expires = self.last_failure.get(key, 0.0) + backoff_duration(self.attempts.get(key, 1))
        if expires <= self.clock.now:
            self._push(key)
            return
        self.backoff[key] = self.clock.call_at(expires, lambda: self._backoff_done(key), label=f"scheduler back-off {key[0]}/{key[1]}")

    def _backoff_done(self, key: PodKey) -> None:
        if self.backoff.pop(key, None) is not None:
            self._push(key)

    def flush_unschedulable_leftover(self) -> None:
        for key, since in list(self.unschedulable.items()):
            if self.clock.now - since >= MAX_IN_UNSCHEDULABLE:
                self.move(key)
