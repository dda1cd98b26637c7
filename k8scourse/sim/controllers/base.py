"""A controller's work queue: store changes queue keys; the virtual clock runs `sync(key)` once per key.

Used by every simulated controller. Like client-go's workqueue, a key queued several times before it
is processed is synced once, and a sync may ask to be retried later.
"""

from __future__ import annotations

from collections.abc import Hashable

from ..apiserver import APIServer
from ..clock import Timer
from ..events import EventRecorder
from ..store import WatchEvent


class Controller:
    """Subclasses set `resources` (group_resources they watch) and implement `keys_for` and `sync`."""

    name = "controller"
    resources: tuple[str, ...] = ()
    delay = 0.0  # seconds between a change and the sync it triggers

    def __init__(self, api: APIServer, recorder: EventRecorder):
        self.api = api
        self.recorder = recorder
        self._queued: dict[Hashable, Timer] = {}
        # Told only of the resources it watches, unless it listens its own way (every resource, say).
        own_listener = type(self)._on_event is not Controller._on_event
        api.store.subscribe(self._on_event, None if own_listener or not self.resources else self.resources)

    def _on_event(self, event: WatchEvent) -> None:
        if event.resource in self.resources:
            for key in self.keys_for(event):
                self.enqueue(key)

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        raise NotImplementedError

    def enqueue(self, key: Hashable, after: float | None = None) -> None:
        """Sync `key` after `after` seconds (the controller's delay by default); a key already queued runs
        once, at the earlier of the two times (client-go's delaying queue keeps the earliest)."""
        delay = self.delay if after is None else after
        queued = self._queued.get(key)
        if queued is not None:
            if queued.when <= self.api.clock.now + delay:
                return
            queued.cancel()
        self._queued[key] = self.api.clock.call_later(delay, lambda: self._run(key), label=f"{self.name} {key}")

    def _run(self, key: Hashable) -> None:
        self._queued.pop(key, None)
        self.sync(key)

    def sync(self, key: Hashable) -> None:
        raise NotImplementedError
