"""Retries: unschedulable pods wait for a cluster change, then their back-off; the 5-minute flush.

Behaviour of pkg/scheduler/backend/queue/scheduling_queue.go (DefaultPodInitialBackoffDuration 1 s,
DefaultPodMaxBackoffDuration 10 s, DefaultPodMaxInUnschedulablePodsDuration 5 min, flushed every 30 s).
"""

from __future__ import annotations

from k8scourse.api.registry import REGISTRY
from k8scourse.sim.scheduler.queue import backoff_duration

from .helpers import edit_node, events, pod

PODS = REGISTRY.resolve("pods")


def test_backoff_doubles_up_to_ten_seconds():
    assert [backoff_duration(n) for n in range(1, 7)] == [1, 2, 4, 8, 10, 10]


def test_uncordoning_the_node_schedules_the_waiting_pod(cluster):
    edit_node(cluster, "minikube", lambda n: n["spec"].__setitem__("unschedulable", True))
    cluster.apply(pod("waiting"))
    assert not cluster.get("pod", "waiting")["spec"].get("nodeName")
    edit_node(cluster, "minikube", lambda n: n["spec"].pop("unschedulable"))
    report = cluster.settle()
    assert not report.hit_ceiling
    assert cluster.get("pod", "waiting")["spec"]["nodeName"] == "minikube"
    assert [e["reason"] for e in events(cluster, "waiting")] == ["FailedScheduling", "Scheduled"]


def test_deleting_a_pod_makes_room(cluster):
    cluster.apply(pod("hog", cpu="1000m"))  # with the system pods' 750m, the 2 CPUs are nearly full
    cluster.apply(pod("next", cpu="500m"))
    assert not cluster.get("pod", "next")["spec"].get("nodeName")
    cluster.backend.delete(PODS, "hog", "default", grace_period_seconds=0)
    cluster.settle()
    assert cluster.get("pod", "next")["spec"]["nodeName"] == "minikube"


def test_unrelated_node_changes_do_not_retry(cluster):
    cluster.apply(pod("big", cpu="3"))
    edit_node(cluster, "minikube", lambda n: n["metadata"]["labels"].__setitem__("team", "a"))
    cluster.settle()
    (event,) = events(cluster, "big", "FailedScheduling")
    assert event["count"] == 1


def test_unschedulable_pods_are_retried_after_five_minutes(cluster):
    cluster.apply(pod("big", cpu="3"))
    assert not cluster.settle().hit_ceiling  # the periodic flush does not keep settle() busy
    cluster.advance(299)
    assert events(cluster, "big", "FailedScheduling")[0]["count"] == 1
    cluster.advance(31)
    assert events(cluster, "big", "FailedScheduling")[0]["count"] == 2
