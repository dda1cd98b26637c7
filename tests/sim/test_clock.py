"""The virtual clock: ordering, settle vs periodic work, ceilings, advance."""

from __future__ import annotations

import pytest

from k8scourse.sim.clock import Clock


def test_timers_run_in_time_then_insertion_order():
    clock = Clock()
    seen = []
    clock.call_later(5, lambda: seen.append("b"))
    clock.call_later(1, lambda: seen.append("a"))
    clock.call_later(5, lambda: seen.append("c"))
    report = clock.settle()
    assert seen == ["a", "b", "c"]
    assert clock.now == 5
    assert not report.hit_ceiling


def test_settle_ignores_periodic_work_but_advance_runs_it():
    clock = Clock()
    ticks = []
    clock.every(10, lambda: ticks.append(clock.now))
    report = clock.settle()
    assert report.seconds == 0 and ticks == []
    clock.advance(35)
    assert ticks == [10, 20, 30]
    assert clock.now == 35


def test_settle_stops_at_its_ceiling_and_says_what_is_pending():
    clock = Clock()

    def again():
        clock.call_later(60, again, label="crash loop")

    clock.call_later(60, again, label="crash loop")
    report = clock.settle(ceiling=300)
    assert report.hit_ceiling
    assert clock.now == 300
    assert "crash loop" in report.pending
    assert "stopped at its ceiling" in repr(report)


def test_cancelled_timers_neither_run_nor_keep_settle_busy():
    clock = Clock()
    ran = []
    timer = clock.call_later(100, lambda: ran.append(1))
    timer.cancel()
    report = clock.settle()
    assert ran == [] and report.seconds == 0 and not clock.busy()


def test_timestamps_are_fixed_and_time_only_moves_forward():
    clock = Clock()
    assert clock.timestamp() == "2026-01-05T09:00:00Z"
    clock.advance(61.5)
    assert clock.timestamp() == "2026-01-05T09:01:01Z"
    assert clock.parse("2026-01-05T09:01:01Z") == 61
    with pytest.raises(ValueError, match="forward"):
        clock.advance(-1)


def test_the_queue_runs_without_automatic_collections_and_gives_the_collector_back():
    import gc

    clock = Clock()
    seen = []
    clock.call_later(1, lambda: seen.append(gc.isenabled()))
    assert gc.isenabled()
    clock.advance(2)
    assert seen == [False]
    assert gc.isenabled()


def test_a_large_cluster_is_frozen_out_of_collections_and_a_new_cluster_unfreezes_it(monkeypatch):
    import gc

    import k8scourse
    from k8scourse.sim import cluster as sim_cluster

    small = k8scourse.connect()
    small.settle()
    assert gc.get_freeze_count() == 0  # a learner's cluster leaves the collector alone
    monkeypatch.setattr(sim_cluster, "LARGE_CLUSTER_OBJECTS", 1)
    small.settle()
    assert gc.get_freeze_count() > 0
    monkeypatch.setattr(sim_cluster, "LARGE_CLUSTER_OBJECTS", 10**9)
    k8scourse.connect()
    assert gc.get_freeze_count() == 0


def test_timestamps_of_the_same_instant_are_formatted_once_and_stay_right():
    clock = Clock()
    assert clock.timestamp() == "2026-01-05T09:00:00Z"
    clock.advance(61.5)
    assert clock.timestamp() == clock.timestamp(61.5) == "2026-01-05T09:01:01Z"
    assert clock.timestamp(0) == "2026-01-05T09:00:00Z"
