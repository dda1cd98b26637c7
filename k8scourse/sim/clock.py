"""The simulated cluster's virtual clock and timer queue: the only source of time in the simulator.

Called by the simulated apiserver (timestamps), by controllers (work scheduled at a virtual time) and by
`SimulatedCluster.settle()` / `advance()`, which run the queue. Nothing in the simulator sleeps or reads
the wall clock.
"""

from __future__ import annotations

import functools
import gc
import heapq
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

# A fixed start so every run of a notebook prints the same timestamps.
EPOCH = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)


# While the simulator runs it makes and drops millions of small acyclic dicts (freed by reference counting),
# and a collection of the old generation walks every object of the cluster: automatic collections wait
# until it is done. A large cluster's objects can also be moved out of the collector's sight when it is done
# (gc.freeze), so the collections between requests do not walk them again (100,000 pods: minutes otherwise).
_running = 0


@contextmanager
def fewer_collections(freeze: Callable[[], bool] | None = None) -> Iterator[None]:
    """Run the block without automatic garbage collections; at the end of the outermost block, freeze what is
    alive if `freeze()` says so, then let the collector run as before."""
    global _running
    if _running:
        yield
        return
    _running += 1
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _running -= 1
        if freeze is not None and freeze():
            gc.freeze()
        if enabled:
            gc.enable()


F = TypeVar("F", bound=Callable[..., Any])


def collecting_less(fn: F) -> F:
    """Decorate a simulated cluster's entry point (requests, start) to run under `fewer_collections()`, freezing
    what is alive afterwards once the cluster is large (its `large()` method says when)."""

    @functools.wraps(fn)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        with fewer_collections(lambda: hasattr(self, "api") and self.large()):
            return fn(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


@dataclass(order=True)
class Timer:
    when: float
    seq: int
    callback: Callable[[], None] = field(compare=False)
    periodic: bool = field(default=False, compare=False)
    cancelled: bool = field(default=False, compare=False)
    label: str = field(default="", compare=False)
    owner: Clock | None = field(default=None, compare=False, repr=False)

    def cancel(self) -> None:
        if not self.cancelled:
            self.cancelled = True
            if self.owner is not None and not self.periodic:
                self.owner._active -= 1


@dataclass(frozen=True)
class SettleReport:
    """What `settle()` did: simulated seconds run, callbacks fired, and whether it stopped at its ceiling."""

    seconds: float
    steps: int
    hit_ceiling: bool
    pending: tuple[str, ...] = ()

    def __repr__(self) -> str:
        state = "stopped at its ceiling" if self.hit_ceiling else "settled"
        text = f"{state} after {self.seconds:g}s of simulated time ({self.steps} steps)"
        if self.hit_ceiling and self.pending:
            text += "; still pending: " + ", ".join(self.pending[:5])
        return text


class Clock:
    """Virtual time in seconds since `EPOCH`, with a queue of timers run in time order."""

    def __init__(self, start: datetime = EPOCH):
        self.start = start
        self.now = 0.0
        self._queue: list[tuple[float, int, Timer]] = []  # (when, seq, timer): compared as tuples, in C
        self._seq = itertools.count()
        self._active = 0  # queued, non-periodic, not cancelled
        self._stamped: tuple[float, str] = (-1.0, "")  # the last timestamp() formatted, for the same instant

    # --- reading time ------------------------------------------------------------------------------
    def datetime(self, at: float | None = None) -> datetime:
        return self.start + timedelta(seconds=self.now if at is None else at)

    def timestamp(self, at: float | None = None) -> str:
        """RFC 3339 with second precision, as metadata.creationTimestamp is serialised."""
        at = self.now if at is None else at
        if self._stamped[0] != at:
            self._stamped = (at, self.datetime(at).strftime("%Y-%m-%dT%H:%M:%SZ"))
        return self._stamped[1]

    def micro_timestamp(self, at: float | None = None) -> str:
        """RFC 3339 with microseconds, as metav1.MicroTime (events, leases) is serialised."""
        return self.datetime(at).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def parse(self, stamp: str) -> float:
        """Seconds since the clock's start for an RFC 3339 timestamp."""
        text = stamp.replace("Z", "+00:00")
        return (datetime.fromisoformat(text) - self.start).total_seconds()

    # --- scheduling --------------------------------------------------------------------------------
    def call_at(self, when: float, callback: Callable[[], None], *, periodic: bool = False, label: str = "") -> Timer:
        timer = Timer(max(when, self.now), next(self._seq), callback, periodic, label=label, owner=self)
        if not periodic:
            self._active += 1
        heapq.heappush(self._queue, (timer.when, timer.seq, timer))
        return timer

    def call_later(self, delay: float, callback: Callable[[], None], *, periodic: bool = False,
                   label: str = "") -> Timer:
        return self.call_at(self.now + delay, callback, periodic=periodic, label=label)

    def call_soon(self, callback: Callable[[], None], *, label: str = "") -> Timer:
        return self.call_at(self.now, callback, label=label)

    def every(self, period: float, callback: Callable[[], None], *, label: str = "") -> None:
        """Run `callback` every `period` seconds for ever (periodic work does not keep `settle()` busy)."""

        def tick() -> None:
            callback()
            self.call_later(period, tick, periodic=True, label=label)

        self.call_later(period, tick, periodic=True, label=label)

    # --- running -----------------------------------------------------------------------------------
    def _pop_due(self, until: float) -> Timer | None:
        while self._queue:
            head = self._queue[0][2]
            if head.cancelled:
                heapq.heappop(self._queue)
                continue
            if head.when > until:
                return None
            heapq.heappop(self._queue)
            if not head.periodic:
                self._active -= 1
            return head
        return None

    def run_due(self) -> int:
        """Run everything due now (zero-delay reactions such as garbage collection). Returns steps run."""
        return self.run_until(self.now)

    def run_until(self, until: float) -> int:
        steps = 0
        with fewer_collections():
            while (timer := self._pop_due(until)) is not None:
                self.now = max(self.now, timer.when)
                timer.callback()
                steps += 1
        self.now = max(self.now, until)
        return steps

    def advance(self, seconds: float) -> int:
        if seconds < 0:
            raise ValueError("Time only moves forward: advance() needs a number of seconds >= 0.")
        return self.run_until(self.now + seconds)

    def pending(self) -> list[Timer]:
        """Non-periodic timers still queued: the work `settle()` waits for."""
        return sorted(t for _, _, t in self._queue if not t.cancelled and not t.periodic)

    def busy(self) -> bool:
        return self._active > 0

    def _peek(self) -> Timer | None:
        while self._queue and self._queue[0][2].cancelled:
            heapq.heappop(self._queue)
        return self._queue[0][2] if self._queue else None

    def settle(self, ceiling: float = 600.0) -> SettleReport:
        """Run until only periodic work is left, or until `ceiling` simulated seconds have passed."""
        start = self.now
        steps = 0
        limit = start + ceiling
        while self._active:
            head = self._peek()
            if head is None:  # pragma: no cover - _active counts queued timers
                break
            if head.when > limit:
                self.run_until(limit)
                labels = tuple(t.label or getattr(t.callback, "__qualname__", "timer") for t in self.pending())
                return SettleReport(self.now - start, steps, True, labels)
            steps += self.run_until(head.when)
        return SettleReport(self.now - start, steps, False)
