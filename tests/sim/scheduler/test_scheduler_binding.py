"""Binding: pending pods get a node at once, with the Scheduled event and the PodScheduled condition.

Wording from pkg/scheduler/schedule_one.go (handleBindingCycle: "Successfully assigned %v/%v to %v",
reported by component default-scheduler).
"""

from __future__ import annotations

import k8scourse

from .helpers import events, pod, scheduled_condition


def test_pending_pod_is_bound_with_a_scheduled_event(cluster):
    cluster.apply(pod("web", cpu="100m"))
    assert cluster.get("pod", "web")["spec"]["nodeName"] == "minikube"
    assert scheduled_condition(cluster, "web")["status"] == "True"
    (event,) = events(cluster, "web", "Scheduled")
    assert event["type"] == "Normal"
    assert event["message"] == "Successfully assigned default/web to minikube"
    assert event["source"] == {"component": "default-scheduler"}


def test_pods_for_another_scheduler_are_left_alone(cluster):
    cluster.apply(pod("custom", schedulerName="my-scheduler"))
    cluster.settle()
    assert not cluster.get("pod", "custom")["spec"].get("nodeName")
    assert events(cluster, "custom") == []


def test_same_seed_same_placement():
    def placements(seed):
        c = k8scourse.connect(nodes=3, seed=seed)
        for i in range(4):
            c.apply(pod(f"p{i}"))
        return [c.get("pod", f"p{i}")["spec"]["nodeName"] for i in range(4)]

    assert placements(7) == placements(7)


def test_higher_priority_pods_leave_the_queue_first(cluster):
    scheduler = cluster.backend.scheduler
    queue = scheduler.queue
    queue.add(("default", "low"), 0)
    queue.add(("default", "high"), 1000)
    queue.add(("default", "low-2"), 0)
    assert [queue.pop(), queue.pop(), queue.pop()] == [("default", "high"), ("default", "low"), ("default", "low-2")]
