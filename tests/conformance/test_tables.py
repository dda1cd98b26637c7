"""Conformance: `kubectl get` prints the server's Tables alike on every backend (ages masked: they
measure each cluster's own clock), and `kubectl logs` / `exec` answer alike."""

from __future__ import annotations

import re

from .harness import on_backends

AGE = re.compile(r"\b\d+(s|m|h|d)(\d+(s|m))?\b")


def masked(text: str) -> str:
    """The table with every age cell written as `<age>` and runs of spaces collapsed (widths follow ages)."""
    return "\n".join(re.sub(r" {2,}", "  ", AGE.sub("<age>", line)).rstrip() for line in text.splitlines())


def busybox(name: str, *command: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"run": name}},
            "spec": {"restartPolicy": "Never", "containers": [{"name": name, "image": "busybox:1.36",
                                                              "command": list(command)}]}}


@on_backends()
def test_get_configmaps_table(backend):
    backend.kubectl("create configmap colors --from-literal=a=1 --from-literal=b=2")
    result = backend.kubectl("get configmaps")
    assert result.returncode == 0
    assert masked(result.stdout) == masked("NAME               DATA   AGE\n"
                                           "colors             2      1s\n"
                                           "kube-root-ca.crt   1      1s\n")


@on_backends()
def test_get_deployment_and_pods_tables(backend, deployment):
    backend.cluster.apply(deployment)
    backend.settle()
    result = backend.kubectl("get deployment web")
    assert masked(result.stdout) == masked("NAME   READY   UP-TO-DATE   AVAILABLE   AGE\n"
                                           "web    2/2     2            2           5s\n")
    pods = backend.kubectl("get pods -l app=web --no-headers").stdout.splitlines()
    assert len(pods) == 2
    assert all(re.fullmatch(r"web-[a-z0-9]{8,10}-[a-z0-9]{5} +1/1 +Running +0 +\S+", line) for line in pods)
    wide = backend.kubectl("get deployment web -o wide").stdout.splitlines()[0].split()
    assert wide == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]


@on_backends()
def test_get_of_nothing_says_so(backend):
    result = backend.kubectl("get pods")
    assert (result.stdout, result.stderr) == ("", f"No resources found in {backend.namespace} namespace.\n")


@on_backends()
def test_logs(backend):
    backend.cluster.apply(busybox("hello", "sh", "-c", "echo hello; echo world"))
    backend.settle()
    assert backend.cluster.get("pod", "hello")["status"]["phase"] == "Succeeded"
    assert backend.cluster.backend.logs(backend.namespace, "hello") == "hello\nworld\n"
    assert backend.kubectl("logs hello --tail=1").stdout == "world\n"


@on_backends(serve="k8scourse serve does not stream exec yet (no SPDY or WebSocket upgrades)")
def test_exec(backend):
    backend.cluster.apply(busybox("shell", "sleep", "3600"))
    backend.settle()
    result = backend.kubectl("exec shell -- sh -c 'echo out; exit 3'")
    assert (result.stdout, result.stderr, result.returncode) == ("out\n", "command terminated with exit code 3\n", 3)
    result = backend.kubectl("exec shell -- ls /nonexistent")
    assert result.stderr == "ls: /nonexistent: No such file or directory\ncommand terminated with exit code 1\n"
