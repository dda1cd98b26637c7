"""The official-client backend beyond the conformance suite: connect() and its environment switches,
simulator-only helpers, wall-time advance/settle, the Metrics API error, discovery misses."""

from __future__ import annotations

import pytest

import k8scourse
from k8scourse.api.errors import K8sError, KindNotFoundError
from k8scourse.api.registry import ResourceType
from k8scourse.cluster import Cluster
from k8scourse.real import RealCluster, SimulatorOnlyError
from k8scourse.real.settle import deployment_pending, job_pending, pod_pending


@pytest.fixture(scope="module")
def real(server) -> RealCluster:
    return RealCluster(server.kubeconfig)


def test_connect_with_a_kubeconfig_and_through_the_environment(server, monkeypatch):
    cluster = k8scourse.connect(kubeconfig=server.kubeconfig)
    assert cluster.backend.kind_name == "real" and cluster.backend.context == "k8scourse"
    assert "real" in repr(cluster)
    monkeypatch.setenv("K8SCOURSE_KUBECONFIG", str(server.kubeconfig))
    monkeypatch.setenv("K8SCOURSE_CLUSTER", "k8scourse")
    assert k8scourse.connect().backend.kind_name == "real"
    monkeypatch.setenv("K8SCOURSE_CLUSTER", "simulated")
    assert k8scourse.connect().backend.kind_name == "simulated"
    assert k8scourse.connect(context="k8scourse").backend.kind_name == "real"


def test_connect_warns_when_the_notebook_wants_more_nodes(server):
    with pytest.warns(UserWarning, match="expects 3 nodes.*has 1.*minikube start --nodes 3"):
        k8scourse.connect(kubeconfig=server.kubeconfig, nodes=3)


def test_simulator_only_helpers_say_what_to_run_instead(real):
    with pytest.raises(SimulatorOnlyError, match="`minikube node stop minikube-m02`"):
        real.stop_node("minikube-m02")
    with pytest.raises(SimulatorOnlyError, match="load-generator --rm --image=busybox"):
        real.set_load("default", "app=web", cpu_millicores=500)
    with pytest.raises(SimulatorOnlyError, match="kubectl describe pod web-1 -n default"):
        real.explain_scheduling("default", "web-1")


def test_advance_waits_and_refuses_hours(real):
    report = real.advance(0.05)
    assert report.seconds >= 0.05 and not report.hit_ceiling
    with pytest.raises(K8sError, match="would make this cell wait 60 minutes"):
        real.advance(3600)


def test_settle_returns_at_once_when_nothing_is_pending(real):
    report = real.settle(timeout=5)
    assert not report.hit_ceiling and report.steps == 1
    assert repr(report).startswith("settled after")


def test_settle_times_out_with_what_is_pending(real, server):
    cluster = Cluster(real)
    cluster.kubectl("create deployment slow --image=nginx")  # the server's clock is stopped: it stays pending
    shown = []
    real.progress = lambda waited, timeout, left: shown.append(left)
    try:
        report = real.settle(timeout=1.2)
    finally:
        real.progress = None
    assert report.hit_ceiling
    assert any(p.startswith("deployment/slow") for p in report.pending)
    assert "still pending: " in repr(report) and shown
    server.settle()
    assert not real.settle(timeout=5).hit_ceiling
    cluster.delete("deployment", "slow")


def test_top_without_the_metrics_api_is_kubectls_error(real):
    result = Cluster(real).kubectl("top pods")
    assert (result.stderr, result.returncode) == ("error: Metrics API not available\n", 1)


def test_a_kind_the_server_does_not_serve(real):
    ghost = ResourceType("Widget", "widgets", "example.com", "v1", True)
    with pytest.raises(KindNotFoundError, match='no matches for kind "Widget" in version "example.com/v1"'):
        real.get(ghost, "w")


def test_pending_rules():
    pod = {"metadata": {"name": "p"}, "status": {"phase": "Pending", "containerStatuses": [
        {"state": {"waiting": {"reason": "ContainerCreating"}}}]}}
    assert pod_pending(pod) == "pod/p ContainerCreating"
    pod["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] = "ImagePullBackOff"
    assert pod_pending(pod) is None  # stuck for good: waiting changes nothing
    assert pod_pending({"metadata": {"name": "p", "deletionTimestamp": "x"}, "status": {"phase": "Running"}}) == \
        "pod/p Terminating"
    deploy = {"metadata": {"name": "d", "generation": 2}, "spec": {"replicas": 2},
              "status": {"observedGeneration": 2, "replicas": 3, "updatedReplicas": 2, "availableReplicas": 2}}
    assert deployment_pending(deploy) == "deployment/d rolling out"  # an old pod still terminating
    deploy["status"]["replicas"] = 2
    assert deployment_pending(deploy) is None
    assert job_pending({"metadata": {"name": "j"}, "status": {"conditions": [{"type": "Complete", "status": "True"}]}}) \
        is None
    assert job_pending({"metadata": {"name": "j"}, "status": {"active": 1}}) == "job/j running"
