"""Tests for the simulated metrics-server: base usage, scraping every 15 s, loads, and `kubectl top` data."""

from __future__ import annotations

import pytest

from k8scourse.api.registry import REGISTRY
from k8scourse.sim.cluster import SimulatedCluster
from k8scourse.sim.metrics import METRIC_RESOLUTION, MI

PODS = REGISTRY.resolve("pods")
DEPLOYMENTS = REGISTRY.resolve("deployments")


def start_pod(sim: SimulatedCluster, name: str, labels: dict[str, str], *, node: str = "minikube",
              cpu_limit: str | None = None, ready: bool = True) -> None:
    """A pod bound to `node`, run by its kubelet until its container runs (and is Ready, unless `ready`
    is False: then its readiness probe knocks on a port nothing listens on)."""
    container: dict = {"name": "web", "image": "nginx"}
    if cpu_limit:
        container["resources"] = {"limits": {"cpu": cpu_limit}}
    if not ready:
        container["readinessProbe"] = {"tcpSocket": {"port": 9999}, "periodSeconds": 1}
    sim.create(PODS, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels},
                      "spec": {"nodeName": node, "containers": [container]}}, "default")
    for _ in range(120):
        status = sim.get(PODS, name, "default")["status"]
        if any("running" in c.get("state", {}) for c in status.get("containerStatuses", [])):
            return
        sim.advance(0.5)
    raise AssertionError(f"pod {name} did not start")


def next_scrape(sim: SimulatedCluster) -> None:
    sim.advance(METRIC_RESOLUTION - sim.now % METRIC_RESOLUTION)


@pytest.fixture
def sim() -> SimulatedCluster:
    return SimulatedCluster(nodes=2)


def test_a_pod_has_metrics_only_after_the_first_scrape_that_follows_its_start(sim):
    start_pod(sim, "web-1", {"app": "web"})
    assert sim.top_pods() == []
    next_scrape(sim)
    # an idle nginx: 1m CPU and 3Mi memory
    assert sim.top_pods() == [{"name": "web-1", "namespace": "default", "cpu": 1, "memory": 3 * MI,
                               "containers": [{"name": "web", "cpu": 1, "memory": 3 * MI}]}]


def test_a_total_load_is_spread_over_the_ready_pods_and_read_at_the_next_scrape(sim):
    for name in ("web-1", "web-2", "web-3"):
        start_pod(sim, name, {"app": "web"})
    start_pod(sim, "web-4", {"app": "web"}, ready=False)
    start_pod(sim, "db-1", {"app": "db"})
    next_scrape(sim)
    sim.set_load("default", "app=web", cpu_millicores=301)
    assert {p["name"]: p["cpu"] for p in sim.top_pods()}["web-1"] == 1  # still the last sample
    next_scrape(sim)
    assert {p["name"]: p["cpu"] for p in sim.top_pods()} == {"db-1": 1, "web-1": 102, "web-2": 101, "web-3": 101,
                                                             "web-4": 1}
    sim.set_load("default", "app=web")  # no amounts: the load is gone
    next_scrape(sim)
    assert {p["cpu"] for p in sim.top_pods()} == {1}


def test_a_load_may_name_a_deployment_and_is_capped_by_the_cpu_limit(sim):
    sim.create(DEPLOYMENTS, {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                             "spec": {"selector": {"matchLabels": {"app": "web"}},
                                      "template": {"metadata": {"labels": {"app": "web"}},
                                                   "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}},
               "default")
    start_pod(sim, "web-1", {"app": "web"})
    start_pod(sim, "web-2", {"app": "web"}, cpu_limit="200m")
    sim.set_load("default", "web", cpu_millicores_per_pod=500, memory_bytes_per_pod=10 * MI)
    next_scrape(sim)
    rows = {p["name"]: p for p in sim.top_pods(selector="app=web")}
    assert (rows["web-1"]["cpu"], rows["web-1"]["memory"]) == (501, 13 * MI)
    assert rows["web-2"]["cpu"] == 200  # the CFS quota throttles the container at its limit


def test_loads_are_refused_when_malformed(sim):
    with pytest.raises(ValueError, match="whole number >= 0"):
        sim.set_load("default", "app=web", cpu_millicores=-5)
    with pytest.raises(ValueError, match="kind/name"):
        sim.set_load("default", "cronjob/x", cpu_millicores=5)


def test_top_nodes_adds_system_usage_and_skips_nodes_that_do_not_answer(sim):
    start_pod(sim, "web-1", {"app": "web"}, node="minikube-m02")
    sim.set_load("default", "app=web", cpu_millicores=199)
    next_scrape(sim)
    control_plane, worker = sim.top_nodes()
    # allocatable: 2 CPUs and 3912940Ki; kubectl top node truncates the percentage. The kube-system pods
    # count too: seven idle containers on the control plane, kube-proxy and kindnet on each node.
    assert (control_plane.name, control_plane.cpu_millicores, control_plane.cpu_percent) == ("minikube", 258, 12)
    assert (worker.name, worker.cpu_millicores, worker.cpu_percent) == ("minikube-m02", 242, 12)
    assert worker.memory_bytes == 229 * MI
    assert worker.memory_percent == int(229 * MI / (3912940 * 1024) * 100)
    sim.metrics.node_stopped("minikube-m02")
    next_scrape(sim)
    assert sim.top_nodes()[1].cpu_millicores is None
    assert sim.top_pods() == []


def test_pod_metrics_have_the_shape_of_the_metrics_api(sim):
    start_pod(sim, "web-1", {"app": "web"})
    next_scrape(sim)
    [metrics] = sim.metrics.pod_metrics("default")
    assert metrics["kind"] == "PodMetrics" and metrics["apiVersion"] == "metrics.k8s.io/v1beta1"
    assert metrics["metadata"]["labels"] == {"app": "web"}
    assert metrics["window"] == "15s"
    assert metrics["containers"] == [{"name": "web", "usage": {"cpu": "1000000n", "memory": "3072Ki"}}]
