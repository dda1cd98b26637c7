"""HumanDuration and ShortHumanDuration as k8s.io/apimachinery/pkg/util/duration/duration.go formats them
(the expectations are the cases of duration_test.go)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from k8scourse.api.printing.duration import between, human_duration, short_human_duration, since

S = 10**9


@pytest.mark.parametrize(("seconds", "text"), [
    (-2, "<invalid>"), (-1.5, "0s"), (0, "0s"), (1, "1s"), (119, "119s"), (120, "2m"), (121, "2m1s"),
    (599, "9m59s"), (600, "10m"), (3 * 3600 - 1, "179m"), (3 * 3600, "3h"), (3 * 3600 + 60, "3h1m"),
    (8 * 3600 - 1, "7h59m"), (8 * 3600, "8h"), (47 * 3600 + 3599, "47h"), (48 * 3600, "2d"),
    (48 * 3600 + 3600, "2d1h"), (8 * 86400 - 1, "7d23h"), (8 * 86400, "8d"), (730 * 86400 - 1, "729d"),
    (730 * 86400, "2y"), (731 * 86400, "2y1d"), (8 * 365 * 86400, "8y"), (10 * 365 * 86400, "10y"),
])
def test_human_duration(seconds, text):
    assert human_duration(int(seconds * S)) == text


@pytest.mark.parametrize(("seconds", "text"), [
    (-2, "<invalid>"), (0, "0s"), (59, "59s"), (60, "1m"), (3599, "59m"), (3600, "1h"), (86399, "23h"),
    (86400, "1d"), (364 * 86400, "364d"), (365 * 86400, "1y"),
])
def test_short_human_duration(seconds, text):
    assert short_human_duration(seconds * S) == text


def test_since_reads_rfc3339_and_micro_time_and_unknown():
    now = datetime(2026, 1, 5, 9, 10, 0, tzinfo=UTC)
    assert since("2026-01-05T09:00:00Z", now) == "10m"
    assert since("2026-01-05T09:09:30.500000Z", now) == "29s"  # truncated, as Go's int(d.Seconds())
    assert since(None, now) == "<unknown>"  # translateTimestampSince of a zero time
    assert since("2026-01-05T09:00:00Z", now - timedelta(minutes=20)) == "<invalid>"


def test_between_is_a_finished_jobs_duration():
    assert between("2026-01-05T09:00:00Z", "2026-01-05T09:00:07Z") == "7s"
