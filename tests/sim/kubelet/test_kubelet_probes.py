"""Readiness, startup and exec probes (pkg/kubelet/prober/prober.go messages: `HTTP probe failed with
statuscode: %d`, `Get %q: dial tcp %s: connect: connection refused`, exec output as the failure message)."""

from __future__ import annotations


def test_readiness_gates_ready_until_the_server_answers(pods):
    pods.create("ready", [{"name": "app", "image": "gcr.io/kuar-demo/kuard-amd64:blue", "readinessProbe": {
        "httpGet": {"path": "/ready", "port": 8080}, "initialDelaySeconds": 5, "periodSeconds": 2}}])
    pods.cluster.advance(3)
    assert pods.status("ready")["state"].get("running") and not pods.status("ready")["ready"]
    assert pods.condition("ready", "Ready")["status"] == "False"
    pods.cluster.advance(6)
    assert pods.status("ready")["ready"]
    assert pods.condition("ready", "ContainersReady")["status"] == "True"


def test_a_readiness_probe_on_a_closed_port(pods):
    pods.create("closed", [{"name": "app", "image": "nginx:1.27", "readinessProbe": {
        "tcpSocket": {"port": 8080}, "periodSeconds": 5}}])
    pods.cluster.advance(15)
    assert not pods.status("closed")["ready"]
    assert ("Warning", "Unhealthy", "Readiness probe failed: dial tcp 10.244.0.3:8080: connect: connection refused") \
        in pods.events("closed")
    assert not pods.cluster.settle().hit_ceiling  # readiness probes are background work


def test_exec_liveness_probe_reports_the_commands_output(pods):
    pods.create("exec", [{"name": "app", "image": "busybox", "command": [
        "sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"],
        "livenessProbe": {"exec": {"command": ["cat", "/tmp/healthy"]}, "initialDelaySeconds": 5,
                          "periodSeconds": 5}}])
    pods.cluster.advance(50)
    assert ("Warning", "Unhealthy", "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or "
                                    "directory") in pods.events("exec")


def test_a_startup_probe_holds_back_started(pods):
    pods.create("slow", [{"name": "app", "image": "nginx:1.27", "startupProbe": {
        "httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 10, "periodSeconds": 3}}])
    pods.cluster.advance(6)
    status = pods.status("slow")
    assert status["state"].get("running") and status["started"] is False and status["ready"] is False
    pods.cluster.advance(10)
    assert pods.status("slow")["started"] and pods.status("slow")["ready"]
