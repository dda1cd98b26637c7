"""`k8scourse doctor`: which cluster, whether it answers, its version, the addons, and the fixes."""

from __future__ import annotations

import pytest

from k8scourse.cli import main


@pytest.fixture(scope="module")
def server():
    from k8scourse.serve import serve
    from k8scourse.sim.cluster import SimulatedCluster

    with serve(SimulatedCluster(), speed=0) as running:
        yield running


def test_a_cluster_that_answers(server, capsys, monkeypatch):
    monkeypatch.delenv("K8SCOURSE_CLUSTER", raising=False)
    code = main(["doctor", "--kubeconfig", str(server.kubeconfig)])
    out = capsys.readouterr().out
    assert code == 0
    assert "notebooks use the built-in simulated cluster" in out
    assert f"checking the current context of {server.kubeconfig}" in out
    assert f"[ok ] kubeconfig: context 'k8scourse' in {server.kubeconfig}, server {server.url}" in out
    assert "[ok ] answers: Kubernetes v1.33.1" in out
    assert "[!! ] metrics-server addon: Metrics API not available" in out
    assert "      fix: minikube addons enable metrics-server" in out


def test_no_kubeconfig_is_unusable_and_says_how_to_start(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("K8SCOURSE_CLUSTER", "minikube")
    code = main(["doctor", "--kubeconfig", str(tmp_path / "none")])
    out = capsys.readouterr().out
    assert code == 1
    assert "notebooks use the real cluster K8SCOURSE_CLUSTER=minikube names" in out
    assert "[ERR] kubeconfig: There is no kubeconfig at" in out
    assert "      fix: minikube start --driver=docker" in out


def test_a_stopped_cluster(tmp_path, capsys):
    path = tmp_path / "kubeconfig"
    path.write_text("apiVersion: v1\nkind: Config\ncurrent-context: minikube\n"
                    "clusters: [{name: m, cluster: {server: 'https://127.0.0.1:1'}}]\n"
                    "contexts: [{name: minikube, context: {cluster: m, user: u}}]\nusers: [{name: u, user: {}}]\n")
    code = main(["doctor", "--kubeconfig", str(path), "--context", "minikube"])
    out = capsys.readouterr().out
    assert code == 1
    assert "[ERR] answers: The cluster of context 'minikube' does not answer at https://127.0.0.1:1" in out
    assert "The cluster cannot be used yet" in out


def test_a_remote_context_is_refused(tmp_path, capsys):
    path = tmp_path / "kubeconfig"
    path.write_text("apiVersion: v1\nkind: Config\ncurrent-context: prod\n"
                    "clusters: [{name: p, cluster: {server: 'https://k8s.example.com'}}]\n"
                    "contexts: [{name: prod, context: {cluster: p, user: u}}]\nusers: [{name: u, user: {}}]\n")
    assert main(["doctor", "--kubeconfig", str(path)]) == 1
    assert "[ERR] local cluster: https://k8s.example.com does not look like a local cluster" in capsys.readouterr().out
