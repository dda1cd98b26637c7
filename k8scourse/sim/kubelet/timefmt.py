"""Time formats the kubelet prints: Go's time.Duration String() and RFC 3339 with nanoseconds.

Used in the Pulled event (`in 3.2s (3.2s including waiting)`) and by `logs --timestamps`.
"""

from __future__ import annotations

from datetime import datetime


def go_duration(seconds: float) -> str:
    """time.Duration(...).Truncate(time.Millisecond).String(): `512ms`, `3.2s`, `1m3.5s`."""
    ms = int(round(seconds * 1000))
    if ms < 1000:
        return f"{ms}ms" if ms else "0s"
    minutes, rest = divmod(ms, 60000)
    secs = f"{rest / 1000:.3f}".rstrip("0").rstrip(".")
    return f"{minutes}m{secs}s" if minutes else f"{secs}s"


def rfc3339_nano(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond * 1000:09d}Z"
