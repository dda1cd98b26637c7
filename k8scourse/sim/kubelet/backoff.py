"""The kubelet's back-off (client-go flowcontrol.Backoff): 10 s doubling to 5 min, per key.

Used by the image manager (ImagePullBackOff) and the pod worker (CrashLoopBackOff).
"""

from __future__ import annotations

INITIAL = 10.0
MAXIMUM = 300.0


class Backoff:
    def __init__(self, initial: float = INITIAL, maximum: float = MAXIMUM):
        self.initial = initial
        self.maximum = maximum
        self._entries: dict[str, tuple[float, float]] = {}  # key -> (delay, last update)

    def next(self, key: str, now: float) -> float:
        """Record a failure at `now` and return the delay before the next attempt."""
        delay, last = self._entries.get(key, (0.0, now))
        if delay == 0.0 or now - last > 2 * self.maximum:
            delay = self.initial
        else:
            delay = min(delay * 2, self.maximum)
        self._entries[key] = (delay, now)
        return delay

    def in_backoff_since(self, key: str, since: float, now: float) -> bool:
        """IsInBackOffSince: the last failure happened less than the current delay before `now`."""
        entry = self._entries.get(key)
        if entry is None:
            return False
        if now - entry[1] > 2 * self.maximum:  # a long quiet period resets the back-off
            del self._entries[key]
            return False
        return now - since < entry[0] if since >= entry[1] - 1e-9 else now - entry[1] < entry[0]

    def delay(self, key: str) -> float:
        return self._entries.get(key, (0.0, 0.0))[0]

    def remaining(self, key: str, now: float) -> float:
        delay, last = self._entries.get(key, (0.0, now))
        return max(0.0, last + delay - now)

    def reset(self, key: str) -> None:
        self._entries.pop(key, None)
