"""The addresses `minikube start` gives nodes and pods (bootstrap.py), and how larger clusters widen them."""

from __future__ import annotations

import ipaddress

import pytest

import k8scourse
from k8scourse.sim.bootstrap import cluster_cidr, node_ip, node_pod_cidr


def test_small_clusters_keep_minikube_pod_network_and_node_ips():
    # minikube's kubeadm config: podSubnet 10.244.0.0/16, node-cidr-mask-size 24; kic node IP = gateway + 1 + index
    assert [cluster_cidr(n) for n in (1, 3, 256)] == [ipaddress.ip_network("10.244.0.0/16")] * 3
    assert [node_pod_cidr(i, 256) for i in (0, 1, 255)] == ["10.244.0.0/24", "10.244.1.0/24", "10.244.255.0/24"]
    assert [node_ip(i) for i in (0, 1, 252)] == ["192.168.49.2", "192.168.49.3", "192.168.49.254"]


def test_larger_clusters_get_a_wider_cluster_cidr_clear_of_the_service_range():
    assert str(cluster_cidr(257)) == "10.244.0.0/15"
    assert str(cluster_cidr(1024)) == "10.244.0.0/14"
    assert str(cluster_cidr(1025)) == "10.240.0.0/13"
    assert str(cluster_cidr(5000)) == "10.224.0.0/11"
    assert str(cluster_cidr(32768)) == "10.128.0.0/9"
    assert node_pod_cidr(256, 300) == "10.245.0.0/24" and node_pod_cidr(0, 2000) == "10.240.0.0/24"
    assert node_ip(253) == "192.168.49.255" and node_ip(254) == "192.168.50.0"
    with pytest.raises(ValueError, match="Service range 10.96.0.0/12"):
        cluster_cidr(32769)


def test_a_300_node_cluster_runs_a_reachable_pod_on_its_last_node():
    cluster = k8scourse.connect(nodes=300)
    nodes = cluster.get("nodes")
    assert len(nodes) == 300
    assert all(next(c for c in n["status"]["conditions"] if c["type"] == "Ready")["status"] == "True" for n in nodes)
    last = next(n for n in nodes if n["metadata"]["name"] == "minikube-m300")
    assert last["spec"]["podCIDR"] == "10.245.43.0/24"
    assert last["status"]["addresses"][0]["address"] == "192.168.50.45"
    cluster.apply("""
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: minikube-m300
  containers: [{name: web, image: nginx}]
""")
    cluster.settle()
    pod = cluster.get("pod", "web")
    assert pod["status"]["phase"] == "Running" and pod["status"]["hostIP"] == "192.168.50.45"
    assert ipaddress.ip_address(pod["status"]["podIP"]) in ipaddress.ip_network("10.245.43.0/24")
    cluster.kubectl(["run", "box", "--image=busybox:1.36", "--", "sleep", "3600"])
    cluster.settle()
    response = cluster.request(f"http://{pod['status']['podIP']}/", source=("default", "box"))
    assert response.status == 200 and response.served_by == "default/web"


def test_a_multi_node_cluster_runs_minikubes_kindnet_cni_on_every_node():
    # minikube picks kindnet for more than one node: pkg/minikube/cni/cni.go chooseDefault, cni/kindnet.go
    import k8scourse

    three = k8scourse.connect(nodes=3)
    pods = three.get("pods", namespace="kube-system", label_selector="app=kindnet")
    assert sorted(p["spec"]["nodeName"] for p in pods) == ["minikube", "minikube-m02", "minikube-m03"]
    assert all(p["status"]["phase"] == "Running" for p in pods)
    container = pods[0]["spec"]["containers"][0]
    assert container["image"] == "docker.io/kindest/kindnetd:v20250512-df8de77b"
    assert container["resources"] == {"requests": {"cpu": "100m", "memory": "50Mi"},
                                      "limits": {"cpu": "100m", "memory": "50Mi"}}
    one = k8scourse.connect()
    assert one.get("daemonsets", namespace="kube-system", label_selector="app=kindnet") == []
