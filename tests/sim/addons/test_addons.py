"""minikube addons on the simulated cluster: what `addons enable ingress|metrics-server` creates, how long it
takes, and `kubectl top` before and after metrics-server.

Objects and images from kubernetes/minikube v1.36.0 deploy/addons/ingress/ingress-deploy.yaml.tmpl,
deploy/addons/metrics-server/*.yaml and pkg/minikube/assets/addons.go; `error: Metrics API not available`
from kubectl's top_pod.go / top_node.go (metricsAPIAvailable false).
"""

from __future__ import annotations

import pytest

import k8scourse
from k8scourse.sim.addons import ADDONS


@pytest.fixture(scope="module")
def with_ingress():
    cluster = k8scourse.connect()
    result = cluster.minikube("addons enable ingress")
    assert result.ok, result
    return cluster


def names(cluster, resource: str, namespace: str | None = "ingress-nginx") -> list[str]:
    return sorted(o["metadata"]["name"] for o in cluster.get(resource, namespace=namespace))


def test_fresh_minikube_has_only_the_storage_addons_on():
    cluster = k8scourse.connect()
    assert sorted(cluster.backend.addons.enabled) == ["default-storageclass", "storage-provisioner"]
    assert len(ADDONS) == 39


def test_ingress_addon_objects(with_ingress):
    assert names(with_ingress, "serviceaccounts") == ["default", "ingress-nginx", "ingress-nginx-admission"]
    assert names(with_ingress, "configmaps") == ["ingress-nginx-controller", "kube-root-ca.crt", "tcp-services",
                                                 "udp-services"]
    assert names(with_ingress, "services") == ["ingress-nginx-controller", "ingress-nginx-controller-admission"]
    assert with_ingress.get("service", "ingress-nginx-controller", "ingress-nginx")["spec"]["type"] == "NodePort"
    assert names(with_ingress, "jobs") == ["ingress-nginx-admission-create", "ingress-nginx-admission-patch"]
    assert names(with_ingress, "secrets") == ["ingress-nginx-admission"]  # written by certgen's create Job
    assert {"ingress-nginx", "ingress-nginx-admission"} <= set(names(with_ingress, "clusterroles", None))


def test_ingress_class_nginx_is_the_default(with_ingress):
    ic = with_ingress.get("ingressclass", "nginx")
    assert ic["metadata"]["annotations"] == {"ingressclass.kubernetes.io/is-default-class": "true"}
    assert ic["spec"]["controller"] == "k8s.io/ingress-nginx"


def test_controller_runs_with_host_ports_and_the_pinned_image(with_ingress):
    deploy = with_ingress.get("deployment", "ingress-nginx-controller", "ingress-nginx")
    container = deploy["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == ("registry.k8s.io/ingress-nginx/controller:v1.12.2"
                                  "@sha256:03497ee984628e95eca9b2279e3f3a3c1685dd48635479e627d219f00c8eefa9")
    assert [(p["containerPort"], p.get("hostPort")) for p in container["ports"]] == [(80, 80), (443, 443),
                                                                                     (8443, None)]
    with_ingress.settle()
    phases = {p["metadata"]["name"].rsplit("-", 2)[0]: p["status"]["phase"]
              for p in with_ingress.get("pods", namespace="ingress-nginx")}
    assert phases == {"ingress-nginx-admission": "Succeeded", "ingress-nginx-controller": "Running"}


def test_controller_waits_for_the_certgen_secret(with_ingress):
    mounts = [e for e in with_ingress.get("events", namespace="ingress-nginx") if e["reason"] == "FailedMount"]
    assert mounts and mounts[0]["message"] == ('MountVolume.SetUp failed for volume "webhook-cert" : secret '
                                               '"ingress-nginx-admission" not found')
    logs = with_ingress.kubectl("logs -n ingress-nginx deploy/ingress-nginx-controller").stdout
    assert logs.splitlines()[1:3] == ["NGINX Ingress controller", "  Release:       v1.12.2"]


def test_enabling_takes_cluster_time():
    cluster = k8scourse.connect()
    start = cluster.backend.now
    cluster.minikube("addons enable ingress")
    assert 10 < cluster.backend.now - start < 360  # image pulls and starts, polled every 0.5 s


def test_disable_removes_the_objects(with_ingress):
    cluster = k8scourse.connect()
    cluster.minikube("addons enable ingress")
    result = cluster.minikube("addons disable ingress")
    assert result.stdout == "🌑  \"The 'ingress' addon is disabled\n"  # disable.go's stray quote
    cluster.settle()
    assert not cluster.exists("namespace", "ingress-nginx")
    assert not cluster.exists("ingressclass", "nginx")
    assert not cluster.backend.addons.is_enabled("ingress")


def test_kubectl_top_needs_the_metrics_server_addon():
    cluster = k8scourse.connect()
    for command in ("top pods -A", "top nodes"):
        result = cluster.kubectl(command)
        assert (result.returncode, result.stderr) == (1, "error: Metrics API not available\n")
    enabled = cluster.minikube("addons enable metrics-server")
    assert enabled.stdout.splitlines()[2:] == [
        "    ▪ Using image registry.k8s.io/metrics-server/metrics-server:v0.7.2",
        "🌟  The 'metrics-server' addon is enabled"]
    cluster.settle()
    cluster.advance(30)
    top = cluster.kubectl("top pods -n kube-system")
    assert top.returncode == 0, top
    assert any(line.startswith("metrics-server-") for line in top.stdout.splitlines())
    assert cluster.kubectl("top nodes").stdout.startswith("NAME       CPU(cores)")


def test_default_ingress_class_admission_leaves_explicit_classes_alone(with_ingress):
    with_ingress.apply("""
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: annotated
  annotations: {kubernetes.io/ingress.class: nginx}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
""")
    assert "ingressClassName" not in with_ingress.get("ingress", "annotated")["spec"]
    with_ingress.delete("ingress", "annotated")
