"""Pods, node edits and event look-ups shared by the scheduler tests."""

from __future__ import annotations

from typing import Any

from k8scourse.api.registry import REGISTRY

NODES = REGISTRY.resolve("nodes")


def pod(name: str, cpu: str | None = None, memory: str | None = None, **spec: Any) -> dict:
    container: dict = {"name": "app", "image": "nginx"}
    requests = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v}
    if requests:
        container["resources"] = {"requests": requests}
    labels = spec.pop("labels", None)
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": {"containers": [container], **spec}}
    if labels:
        body["metadata"]["labels"] = labels
    return body


def edit_node(cluster, name: str, change) -> None:
    api = cluster.backend.api
    node = api.get(NODES, name)
    change(node)
    cluster.backend.update(NODES, node)


def events(cluster, pod_name: str, reason: str | None = None) -> list[dict]:
    """The scheduler's events about a pod (kubelet events are left out), oldest first."""
    api = cluster.backend.api
    found = [e for e in api.store.list("events", "default") if e["involvedObject"]["name"] == pod_name
             and e["source"].get("component") == "default-scheduler"]
    found.sort(key=lambda e: e["metadata"]["name"])
    return [e for e in found if reason is None or e["reason"] == reason]


def scheduled_condition(cluster, pod_name: str) -> dict:
    status = cluster.get("pod", pod_name).get("status") or {}
    return next(c for c in status.get("conditions") or [] if c["type"] == "PodScheduled")
