"""Helpers for the kubelet tests: create a pod on the simulated minikube and read what the kubelet wrote."""

from __future__ import annotations

import pytest

from k8scourse.api.registry import REGISTRY

PODS = REGISTRY.resolve("pods")


class PodHelper:
    def __init__(self, cluster):
        self.cluster = cluster
        self.backend = cluster.backend
        self.api = cluster.backend.api

    def create(self, name: str, containers: list[dict], namespace: str = "default", **spec) -> dict:
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
               "spec": {"containers": containers, **spec}}
        return self.backend.create(PODS, pod, namespace)

    def get(self, name: str, namespace: str = "default") -> dict:
        return self.backend.get(PODS, name, namespace)

    def status(self, name: str, container: int = 0, namespace: str = "default") -> dict:
        return self.get(name, namespace)["status"]["containerStatuses"][container]

    def condition(self, name: str, type_: str) -> dict:
        return next(c for c in self.get(name)["status"]["conditions"] if c["type"] == type_)

    def events(self, name: str, namespace: str = "default") -> list[tuple[str, str, str]]:
        pod = self.api.peek(PODS, name, namespace)
        found = [e for e in self.api.store.list("events", namespace)
                 if e["involvedObject"]["uid"] == pod["metadata"]["uid"]]
        found.sort(key=lambda e: int(e["metadata"]["resourceVersion"]))
        return [(e["type"], e["reason"], e["message"]) for e in found]

    def count(self, name: str, reason: str, namespace: str = "default") -> int:
        """How many times the kubelet reported `reason` (repeats are folded into the event's count)."""
        pod = self.api.peek(PODS, name, namespace)
        return sum(e.get("count", 1) for e in self.api.store.list("events", namespace)
                   if e["involvedObject"]["uid"] == pod["metadata"]["uid"] and e["reason"] == reason)

    def reasons(self, name: str) -> list[str]:
        return [reason for _, reason, _ in self.events(name)]


@pytest.fixture
def pods(cluster):
    return PodHelper(cluster)
