"""`k8scourse.connect()`: a fresh simulated cluster looks like a freshly started minikube."""

from __future__ import annotations

import pytest

import k8scourse


def test_one_ready_control_plane_node_named_minikube(cluster):
    nodes = cluster.get("nodes")
    assert [n["metadata"]["name"] for n in nodes] == ["minikube"]
    node = nodes[0]
    assert "node-role.kubernetes.io/control-plane" in node["metadata"]["labels"]
    ready = next(c for c in node["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["reason"]) == ("True", "KubeletReady")
    assert node["status"]["nodeInfo"]["kubeletVersion"].startswith("v1.3")
    assert node["status"]["addresses"][0] == {"address": "192.168.49.2", "type": "InternalIP"}


def test_three_nodes_are_named_as_minikube_names_them():
    cluster = k8scourse.connect(nodes=3)
    names = [n["metadata"]["name"] for n in cluster.get("no")]
    assert names == ["minikube", "minikube-m02", "minikube-m03"]
    workers = [n for n in cluster.get("no") if n["metadata"]["name"] != "minikube"]
    assert all("node-role.kubernetes.io/control-plane" not in n["metadata"]["labels"] for n in workers)
    assert [n["spec"]["podCIDR"] for n in cluster.get("no")] == ["10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24"]


def test_system_namespaces_are_active(cluster):
    namespaces = cluster.get("ns")
    assert [n["metadata"]["name"] for n in namespaces] == ["default", "kube-node-lease", "kube-public", "kube-system"]
    assert {n["status"]["phase"] for n in namespaces} == {"Active"}
    assert namespaces[0]["metadata"]["labels"] == {"kubernetes.io/metadata.name": "default"}


def test_kubernetes_service_and_default_storage_class(cluster):
    svc = cluster.get("svc", "kubernetes")
    assert svc["spec"]["clusterIP"] == "10.96.0.1"
    assert svc["spec"]["ports"][0]["port"] == 443 and svc["spec"]["ports"][0]["targetPort"] == 8443
    assert cluster.get("svc", "kube-dns", namespace="kube-system")["spec"]["clusterIP"] == "10.96.0.10"
    sc = cluster.get("storageclasses.storage.k8s.io", "standard")
    assert sc["metadata"]["annotations"]["storageclass.kubernetes.io/is-default-class"] == "true"
    assert sc["provisioner"] == "k8s.io/minikube-hostpath"


def test_every_namespace_gets_its_default_service_account_and_root_ca(cluster):
    for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
        assert cluster.exists("sa", "default", namespace=ns)
        assert "ca.crt" in cluster.get("cm", "kube-root-ca.crt", namespace=ns)["data"]


def test_resource_names_take_every_form_kubectl_takes(cluster):
    for name in ("pods", "pod", "po", "Pod", "deploy", "deployments.apps", "deployment.v1.apps", "svc", "cm",
                 "pvc", "sts", "ds", "hpa", "ing", "ns", "rs", "rc", "cj", "ep", "sc", "pv", "no", "ev", "sa"):
        cluster.resource(name)
    assert cluster.resource("deployments.apps").kind == "Deployment"
    assert cluster.resource("events").group == ""
    with pytest.raises(k8scourse.K8sError, match='the server doesn\'t have a resource type "pdos"'):
        cluster.resource("pdos")


def test_same_seed_same_cluster():
    a = k8scourse.connect(seed=7).get("svc", "kubernetes")["metadata"]["uid"]
    b = k8scourse.connect(seed=7).get("svc", "kubernetes")["metadata"]["uid"]
    c = k8scourse.connect(seed=8).get("svc", "kubernetes")["metadata"]["uid"]
    assert a == b != c


def test_a_cluster_needs_a_node():
    with pytest.raises(ValueError, match="at least one node"):
        k8scourse.connect(nodes=0)


def test_a_real_target_without_a_kubeconfig_says_how_to_start_one(monkeypatch, tmp_path):
    monkeypatch.delenv("K8SCOURSE_CLUSTER", raising=False)
    monkeypatch.delenv("K8SCOURSE_KUBECONFIG", raising=False)
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "missing"))
    with pytest.raises(k8scourse.K8sError, match="minikube start"):
        k8scourse.connect("minikube")
