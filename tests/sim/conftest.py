"""Helpers shared by the simulator tests: the `storage` fixture (pods with volumes, exec into them, events)."""

from __future__ import annotations

import pytest

import k8scourse

POD = """
apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
  {extra}
  containers:
  - name: c
    image: {image}
    command: [sh, -c, 'sleep 3600']
    volumeMounts: [{{name: v, mountPath: {mount}}}]
  volumes: [{{name: v, {volume}}}]
"""

CLAIM = """
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
"""


class Storage:
    CLAIM = CLAIM

    def __init__(self, cluster):
        self.cluster = cluster
        self.api = cluster.backend.api

    @staticmethod
    def pod(name: str, volume: str, mount: str = "/data", image: str = "busybox", extra: str = "") -> str:
        """A pod that sleeps with one volume `v` (a YAML flow mapping's body) mounted at `mount`."""
        return POD.format(name=name, volume=volume, mount=mount, image=image, extra=extra)

    def apply(self, manifest: str) -> None:
        self.cluster.apply(manifest)
        self.cluster.settle()

    def sh(self, pod: str, script: str) -> tuple[str, int]:
        """(output without kubectl's `command terminated with exit code N` line, exit code)."""
        result = self.cluster.kubectl(["exec", pod, "--", "sh", "-c", script])
        err = result.stderr.replace(f"command terminated with exit code {result.returncode}\n", "")
        return result.stdout + err, result.returncode

    def kubectl(self, command: str) -> str:
        result = self.cluster.kubectl(command)
        return result.stdout + result.stderr

    def events(self, kind: str, name: str, namespace: str | None = "default") -> list[tuple[str, str, str, str]]:
        found = [e for e in self.api.store.list("events", namespace)
                 if e["involvedObject"]["kind"] == kind and e["involvedObject"]["name"] == name]
        found.sort(key=lambda e: int(e["metadata"]["resourceVersion"]))
        return [(e["type"], e["reason"], e["message"], e["source"]["component"]) for e in found]

    def delete(self, resource: str, name: str) -> None:
        self.cluster.kubectl(f"delete {resource} {name}")
        self.cluster.settle()


@pytest.fixture
def storage(cluster):
    return Storage(cluster)


@pytest.fixture
def two_nodes():
    return Storage(k8scourse.connect(nodes=2))
