"""Helpers for the network tests: apply manifests, run commands in pods."""

from __future__ import annotations

import pytest


@pytest.fixture
def sh(cluster):
    """Run `command` (a shell line) in pod `pod` and return (exit code, stdout, stderr) as kubectl exec does."""

    def run(pod: str, command: str, namespace: str = "default") -> tuple[int, str, str]:
        result = cluster.kubectl(["exec", "-n", namespace, pod, "--", "sh", "-c", command])
        return result.returncode, result.stdout, result.stderr.replace("command terminated with exit code "
                                                                       f"{result.returncode}\n", "")

    return run


def box(cluster, name: str = "box", namespace: str = "default") -> None:
    """A busybox pod that sleeps, to run the network tools from."""
    cluster.kubectl(["run", name, "-n", namespace, "--image=busybox:1.36", "--", "sleep", "3600"])
    cluster.settle()
