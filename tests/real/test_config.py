"""The safety rule: the official-client backend talks only to contexts that look local, unless told."""

from __future__ import annotations

import pytest

from k8scourse.real import ClusterConfigError, RealCluster, looks_local, resolve


@pytest.mark.parametrize(("context", "server"), [
    ("minikube", "https://192.168.49.2:8443"),
    ("kind-kind", "https://10.0.0.5:6443"),
    ("k3d-course", "https://172.18.0.2:6443"),
    ("docker-desktop", "https://kubernetes.docker.internal:6443"),
    ("anything", "https://127.0.0.1:32771"),
    ("anything", "http://localhost:8080"),
    ("anything", "https://[::1]:6443"),
])
def test_local_looking_contexts(context, server):
    assert looks_local(context, server)


@pytest.mark.parametrize(("context", "server"), [
    ("prod", "https://k8s.example.com:6443"),
    ("gke_project_zone_cluster", "https://34.120.1.2"),
    ("minikube-prod", "https://10.1.2.3:8443"),
    ("kindly", "https://192.168.1.20:6443"),
])
def test_remote_looking_contexts(context, server):
    assert not looks_local(context, server)


def test_a_remote_context_is_refused_before_any_request(kubeconfig):
    path = kubeconfig({"prod": "https://k8s.example.com:6443"})
    with pytest.raises(ClusterConfigError) as caught:
        RealCluster(path)
    message = str(caught.value)
    assert "'prod' points at https://k8s.example.com:6443" in message
    assert "does not look like a local cluster" in message and "allow_remote=True" in message


def test_allow_remote_lets_it_through_to_the_connection(kubeconfig):
    from k8scourse.real import ClusterUnreachableError

    path = kubeconfig({"prod": "http://192.0.2.1:1"})  # TEST-NET-1: nothing answers there
    with pytest.raises((ClusterUnreachableError, ClusterConfigError)) as caught:
        RealCluster(path, allow_remote=True)
    assert "does not look like a local cluster" not in str(caught.value)


def test_the_named_context_is_used_not_the_current_one(kubeconfig):
    path = kubeconfig({"minikube": "https://192.168.49.2:8443", "prod": "https://k8s.example.com"}, current="prod")
    assert resolve(path, "minikube").server == "https://192.168.49.2:8443"
    assert resolve(path).context == "prod"


def test_missing_kubeconfig_and_unknown_context_say_what_to_do(kubeconfig, tmp_path):
    with pytest.raises(ClusterConfigError, match="There is no kubeconfig at .*minikube start --driver=docker"):
        resolve(tmp_path / "nowhere")
    path = kubeconfig({"kind-kind": "https://127.0.0.1:40000"})
    with pytest.raises(ClusterConfigError, match=r"has no context 'minikube' \(its contexts: kind-kind\)\. "
                                                 "`minikube start` creates"):
        resolve(path, "minikube")
