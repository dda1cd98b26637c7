"""Conformance: the source notes' walkthrough — create deployment nginx-depl, scale it, set a new image,
roll it back, put a Service in front — through `kubectl()` on every backend, with the same answers."""

from __future__ import annotations

from .harness import on_backends

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: nginx-service
spec:
  selector:
    app: nginx-depl
  ports:
    - protocol: TCP
      port: 80
      targetPort: 80
"""


def images(backend) -> list[str]:
    deploy = backend.cluster.get("deployment", "nginx-depl")
    return [c["image"] for c in deploy["spec"]["template"]["spec"]["containers"]]


def ready_pods(backend) -> list[dict]:
    pods = backend.cluster.get("pods", label_selector="app=nginx-depl")
    return [p for p in pods if p["status"].get("phase") == "Running" and not p["metadata"].get("deletionTimestamp")]


@on_backends()
def test_deployment_scale_set_image_and_undo(backend):
    assert backend.kubectl("create deployment nginx-depl --image=nginx").stdout == "deployment.apps/nginx-depl created\n"
    backend.settle()
    assert len(ready_pods(backend)) == 1
    assert backend.kubectl("scale deployment nginx-depl --replicas=3").stdout == "deployment.apps/nginx-depl scaled\n"
    backend.settle()
    assert len(ready_pods(backend)) == 3
    first_rs = {p["metadata"]["ownerReferences"][0]["name"] for p in ready_pods(backend)}

    result = backend.kubectl("set image deployment/nginx-depl nginx=nginx:1.27")
    assert result.stdout == "deployment.apps/nginx-depl image updated\n"
    backend.settle()
    assert images(backend) == ["nginx:1.27"]
    second_rs = {p["metadata"]["ownerReferences"][0]["name"] for p in ready_pods(backend)}
    assert len(second_rs) == 1 and second_rs != first_rs

    assert backend.kubectl("rollout undo deployment/nginx-depl").stdout == "deployment.apps/nginx-depl rolled back\n"
    backend.settle()
    assert images(backend) == ["nginx"]
    assert {p["metadata"]["ownerReferences"][0]["name"] for p in ready_pods(backend)} == first_rs
    status = backend.kubectl("rollout status deployment/nginx-depl --timeout=30s")
    assert status.stdout == 'deployment "nginx-depl" successfully rolled out\n'
    assert backend.cluster.get("deployment", "nginx-depl")["metadata"]["annotations"][
        "deployment.kubernetes.io/revision"] == "3"


@on_backends()
def test_service_selects_the_deployments_pods(backend):
    backend.kubectl("create deployment nginx-depl --image=nginx --replicas=2")
    assert backend.kubectl("apply -f -", stdin=SERVICE).stdout == "service/nginx-service created\n"
    backend.settle()
    service = backend.cluster.get("service", "nginx-service")
    assert service["spec"]["type"] == "ClusterIP" and service["spec"]["clusterIP"]
    endpoints = backend.cluster.get("endpoints", "nginx-service")
    addresses = {a["ip"] for subset in endpoints["subsets"] for a in subset["addresses"]}
    assert addresses == {p["status"]["podIP"] for p in ready_pods(backend)}
    assert len(addresses) == 2
    line = backend.kubectl("get service nginx-service --no-headers").stdout.split()
    assert line[:2] == ["nginx-service", "ClusterIP"] and line[3:5] == ["<none>", "80/TCP"]
