"""Durations as kubectl and the apiserver's printers show them (`45s`, `3m20s`, `5h`, `2d3h`): Go's
`duration.HumanDuration` and `ShortHumanDuration` (k8s.io/apimachinery/pkg/util/duration/duration.go).

Called by the column functions of `k8scourse.api.printing` (AGE, RESTARTS `(5m ago)`, LAST SEEN, job
DURATION) and by kubectl verbs that print ages. Time is always given: `now` is the cluster's clock, so
the same objects print the same ages on every run.
"""

from __future__ import annotations

from datetime import UTC, datetime

_NS = 10**9
_MINUTE = 60 * _NS
_HOUR = 60 * _MINUTE


def parse_time(stamp: str) -> datetime:
    """An RFC 3339 timestamp (`2026-01-05T09:00:00Z`, MicroTime `…00.000000Z`) as an aware datetime."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)


def nanoseconds_between(start: datetime, end: datetime) -> int:
    """`end.Sub(start)` in whole nanoseconds, exactly (no float rounding); naive datetimes are UTC."""
    start, end = (t if t.tzinfo else t.replace(tzinfo=UTC) for t in (start, end))
    delta = end - start
    return (delta.days * 86400 + delta.seconds) * _NS + delta.microseconds * 1000


def _trunc_seconds(ns: int) -> int:
    """Go's `int(d.Seconds())`: truncation toward zero."""
    return -((-ns) // _NS) if ns < 0 else ns // _NS


def human_duration(ns: int) -> str:
    """duration.HumanDuration: about 2-3 significant figures (`90s`, `5m20s`, `3h4m`, `10d`, `2y5d`)."""
    seconds = _trunc_seconds(ns)
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60 * 2:
        return f"{seconds}s"
    minutes = ns // _MINUTE
    if minutes < 10:
        s = (ns // _NS) % 60
        return f"{minutes}m" if s == 0 else f"{minutes}m{s}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = ns // _HOUR
    if hours < 8:
        m = minutes % 60
        return f"{hours}h" if m == 0 else f"{hours}h{m}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d" if h == 0 else f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if dy == 0 else f"{hours // 24 // 365}y{dy}d"
    return f"{hours // 24 // 365}y"


def short_human_duration(ns: int) -> str:
    """duration.ShortHumanDuration: one unit only (`45s`, `5m`, `3h`, `12d`, `2y`)."""
    seconds = _trunc_seconds(ns)
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60:
        return f"{seconds}s"
    if (minutes := ns // _MINUTE) < 60:
        return f"{minutes}m"
    if (hours := ns // _HOUR) < 24:
        return f"{hours}h"
    if hours < 24 * 365:
        return f"{hours // 24}d"
    return f"{hours // 24 // 365}y"


def since(stamp: str | None, now: datetime) -> str:
    """translateTimestampSince: the age of a timestamp at `now`, `<unknown>` for a missing one."""
    if not stamp:
        return "<unknown>"
    return human_duration(nanoseconds_between(parse_time(stamp), now))


def between(start: str, end: str) -> str:
    """HumanDuration(end.Sub(start)) for two timestamps (a job's DURATION once it completed)."""
    return human_duration(nanoseconds_between(parse_time(start), parse_time(end)))
