"""The HorizontalPodAutoscaler controller: CPU utilization of requests, tolerance, limits, stabilization,
behavior policies, status conditions and events.

Wording and arithmetic after pkg/controller/podautoscaler/horizontal.go (conditions, SuccessfulRescale,
FailedGetScale, FailedComputeMetricsReplicas, normalizeDesiredReplicas*), replica_calculator.go
(GetResourceReplicas, groupPods, calculatePodRequests: `missing request for cpu in container x of Pod y`)
and metrics/client.go (`no metrics returned from resource metrics API`). The controller runs on its own
bench (apiserver, metrics-server, HPA controller) so no workload controller creates pods behind the test.
"""

from __future__ import annotations

import random

import pytest

from k8scourse.api.registry import REGISTRY
from k8scourse.sim.apiserver import APIServer
from k8scourse.sim.bootstrap import bootstrap
from k8scourse.sim.clock import Clock
from k8scourse.sim.cluster import SimulatedCluster
from k8scourse.sim.controllers.horizontalpodautoscaler import HorizontalPodAutoscalerController
from k8scourse.sim.events import EventRecorder
from k8scourse.sim.metrics import MetricsServer

PODS = REGISTRY.resolve("pods")
DEPLOYMENTS = REGISTRY.resolve("deployments")
HPAS = REGISTRY.resolve("horizontalpodautoscalers")
EVENTS = REGISTRY.resolve("events")


class Bench:
    """An apiserver with a metrics-server and the HPA controller, and nothing else."""

    def __init__(self) -> None:
        self.clock = Clock()
        self.api = APIServer(self.clock, random.Random(0))
        self.recorder = EventRecorder(self.api)
        self.metrics = MetricsServer(self.api)
        self.controller = HorizontalPodAutoscalerController(self.api, self.recorder, self.metrics)
        bootstrap(self.api)
        self.clock.advance(120)

    def deployment(self, replicas: int, cpu_request: str | None = "100m") -> None:
        container: dict = {"name": "web", "image": "nginx"}
        if cpu_request:
            container["resources"] = {"requests": {"cpu": cpu_request}}
        self.api.create(DEPLOYMENTS, {
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [container]}}}},
            "default")
        for index in range(replicas):
            self.pod(f"web-{index}", container)

    def pod(self, name: str, container: dict) -> None:
        """A running, ready pod started 10 minutes ago (past the HPA's CPU initialization period)."""
        pod = self.api.create(PODS, {"apiVersion": "v1", "kind": "Pod",
                                     "metadata": {"name": name, "labels": {"app": "web"}},
                                     "spec": {"nodeName": "minikube", "containers": [container]}}, "default")
        started = self.clock.timestamp(self.clock.now - 600)
        pod["status"] = {
            "phase": "Running", "startTime": started,
            "conditions": [{"type": "Ready", "status": "True", "lastProbeTime": None, "lastTransitionTime": started}],
            "containerStatuses": [{"name": "web", "image": "nginx", "imageID": "", "ready": True, "restartCount": 0,
                                   "started": True, "state": {"running": {"startedAt": started}}}],
        }
        self.api.update(PODS, pod, "default", subresource="status")

    def hpa(self, max_replicas: int = 10, utilization: int = 50, **spec: object) -> None:
        self.api.create(HPAS, {
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                     "maxReplicas": max_replicas,
                     "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                         "type": "Utilization", "averageUtilization": utilization}}}], **spec}}, "default")

    def load(self, millicores: int) -> None:
        self.metrics.set_load("default", "app=web", cpu_millicores=millicores)

    def status(self) -> dict:
        return self.api.get(HPAS, "web", "default")["status"]

    def condition(self, type_: str) -> tuple[str, str, str]:
        found = next(c for c in self.status()["conditions"] if c["type"] == type_)
        return found["status"], found["reason"], found["message"]

    def replicas(self) -> int:
        return self.api.get(DEPLOYMENTS, "web", "default")["spec"]["replicas"]

    def events(self) -> list[tuple[str, str, str]]:
        events = sorted(self.api.store.list(EVENTS.group_resource, "default"),
                        key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))
        return [(e["type"], e["reason"], e["message"]) for e in events
                if e["involvedObject"]["kind"] == "HorizontalPodAutoscaler"]


@pytest.fixture
def bench() -> Bench:
    return Bench()


def test_the_first_sync_comes_one_period_after_creation(bench):
    bench.deployment(2)
    bench.hpa()
    bench.clock.advance(14)
    assert "status" not in bench.api.get(HPAS, "web", "default") or not bench.status().get("conditions")
    bench.clock.advance(1)
    assert bench.status()["currentReplicas"] == 2


def test_high_cpu_scales_up_within_the_scale_up_limit(bench):
    bench.deployment(2)
    bench.load(300)  # 150m + 1m idle on each pod: 151% of a 100m request
    bench.hpa()
    bench.clock.advance(15)
    assert bench.replicas() == 4  # ceil(2 * 151/50) = 7, but at most max(2 * 2, 4) at once
    status = bench.status()
    assert status["currentReplicas"] == 2 and status["desiredReplicas"] == 4
    assert status["lastScaleTime"] == bench.clock.timestamp()
    assert status["currentMetrics"] == [{"type": "Resource", "resource": {
        "name": "cpu", "current": {"averageUtilization": 151, "averageValue": "151m"}}}]
    assert bench.condition("AbleToScale") == ("True", "SucceededRescale",
                                              "the HPA controller was able to update the target scale to 4")
    assert bench.condition("ScalingActive") == (
        "True", "ValidMetricFound",
        "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of "
        "request)")
    assert bench.condition("ScalingLimited") == (
        "True", "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
    assert bench.events() == [("Normal", "SuccessfulRescale",
                               "New size: 4; reason: cpu resource utilization (percentage of request) above target")]


def test_a_change_within_the_tolerance_does_not_scale(bench):
    bench.deployment(2)
    bench.load(106)  # 54% of the request against a 50% target: within 10%
    bench.hpa()
    bench.clock.advance(15)
    assert bench.replicas() == 2
    assert bench.condition("AbleToScale") == ("True", "ReadyForNewScale", "recommended size matches current size")
    assert bench.condition("ScalingLimited") == ("False", "DesiredWithinRange",
                                                 "the desired count is within the acceptable range")
    assert bench.events() == []


def test_max_replicas_limits_the_proposal(bench):
    bench.deployment(2)
    bench.load(300)
    bench.hpa(max_replicas=3)
    bench.clock.advance(15)
    assert bench.replicas() == 3
    assert bench.condition("ScalingLimited") == (
        "True", "TooManyReplicas", "the desired replica count is more than the maximum replica count")


def test_scale_down_waits_for_the_stabilization_window(bench):
    bench.deployment(4)
    bench.hpa()
    bench.clock.advance(15)  # idle: 1% of the request, the proposal is 1
    assert bench.replicas() == 4
    assert bench.condition("AbleToScale") == (
        "True", "ScaleDownStabilized",
        "recent recommendations were higher than current one, applying the highest recent recommendation")
    bench.clock.advance(300)  # the first recommendation (4) is exactly 300 s old: still in the window
    assert bench.replicas() == 4
    bench.clock.advance(15)
    assert bench.replicas() == 1
    assert bench.events()[-1] == ("Normal", "SuccessfulRescale", "New size: 1; reason: All metrics below target")


def test_behavior_policies_limit_the_scale_up_rate(bench):
    bench.deployment(2)
    bench.load(300)
    bench.hpa(behavior={"scaleUp": {"policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}]}})
    bench.clock.advance(15)
    assert bench.replicas() == 3
    assert bench.condition("ScalingLimited") == (
        "True", "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
    bench.clock.advance(15)
    assert bench.replicas() == 3  # one pod per minute, and a minute has not passed


def test_missing_cpu_requests_are_reported_as_the_controller_reports_them(bench):
    bench.deployment(1, cpu_request=None)
    bench.hpa()
    bench.clock.advance(15)
    detail = "failed to get cpu utilization: missing request for cpu in container web of Pod web-0"
    assert bench.events() == [
        ("Warning", "FailedGetResourceMetric", detail),
        ("Warning", "FailedComputeMetricsReplicas",
         f"invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: {detail}"),
    ]
    assert bench.condition("ScalingActive") == (
        "False", "FailedGetResourceMetric", f"the HPA was unable to compute the replica count: {detail}")
    assert bench.status()["currentMetrics"] == [{"type": ""}]
    assert bench.replicas() == 1


def test_no_metrics_before_the_pods_run(bench):
    bench.api.create(DEPLOYMENTS, {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}}, "default")
    bench.hpa()
    bench.clock.advance(15)
    assert bench.events()[0] == (
        "Warning", "FailedGetResourceMetric",
        "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource "
        "metrics API")


def test_a_missing_target_cannot_be_scaled(bench):
    bench.hpa()
    bench.clock.advance(15)
    assert bench.condition("AbleToScale") == (
        "False", "FailedGetScale",
        'the HPA controller was unable to get the target\'s current scale: deployments.apps "web" not found')
    assert bench.events() == [("Warning", "FailedGetScale", 'deployments.apps "web" not found')]


def test_the_simulated_cluster_runs_the_controller():
    sim = SimulatedCluster()
    sim.create(HPAS, {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"},
                      "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                               "maxReplicas": 3}}, "default")
    assert sim.settle().seconds == 0  # HPA syncs are periodic work: settle() does not wait for them
    sim.advance(15)
    assert sim.get(HPAS, "web", "default")["status"]["conditions"][0]["reason"] == "FailedGetScale"
