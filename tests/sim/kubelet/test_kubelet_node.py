"""The node side: Lease renewal every 10 s, and stop()/start() as `minikube node stop/start` needs them."""

from __future__ import annotations

from k8scourse.api.registry import REGISTRY

LEASES = REGISTRY.resolve("leases")


def test_the_lease_is_renewed_every_ten_seconds(pods):
    before = pods.api.peek(LEASES, "minikube", "kube-node-lease")["spec"]["renewTime"]
    pods.cluster.advance(10)
    after = pods.api.peek(LEASES, "minikube", "kube-node-lease")["spec"]["renewTime"]
    assert pods.api.clock.parse(after) - pods.api.clock.parse(before) == 10


def test_a_stopped_kubelet_does_nothing_until_started(pods):
    kubelet = pods.backend.kubelets["minikube"]
    pods.create("web", [{"name": "nginx", "image": "nginx:1.27"}])
    pods.cluster.settle()
    kubelet.stop()
    renewed = pods.api.peek(LEASES, "minikube", "kube-node-lease")["spec"]["renewTime"]
    pods.create("late", [{"name": "nginx", "image": "nginx:1.27"}], nodeName="minikube")
    pods.backend.api.delete(REGISTRY.resolve("pods"), "web", "default")
    pods.cluster.advance(30)
    assert pods.api.peek(LEASES, "minikube", "kube-node-lease")["spec"]["renewTime"] == renewed
    assert "status" not in pods.get("late") or not pods.get("late")["status"].get("containerStatuses")
    assert pods.cluster.exists("pod", "web")  # Terminating: nobody finishes it
    kubelet.start()
    pods.cluster.settle()
    assert not pods.cluster.exists("pod", "web")
    assert pods.get("late")["status"]["phase"] == "Running"
