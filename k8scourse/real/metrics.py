"""`kubectl top` on a real cluster: the resource metrics API (metrics.k8s.io, served by metrics-server).

Called by `RealCluster.top` (k8scourse.real.cluster). Rows have the shape `Backend.top` documents; when
the cluster does not serve the Metrics API the error is kubectl's (`Metrics API not available`,
staging/src/k8s.io/kubectl/pkg/cmd/top/top_pod.go and top_node.go).
"""

from __future__ import annotations

import json
from typing import Any

from kubernetes.dynamic.exceptions import ResourceNotFoundError

from ..api.errors import K8sError
from ..api.quantity import parse_quantity

Obj = dict[str, Any]

METRICS_API_VERSION = "metrics.k8s.io/v1beta1"


class MetricsUnavailableError(K8sError):
    """The cluster serves no metrics.k8s.io API (metrics-server is not installed or not ready)."""

    def __init__(self) -> None:
        super().__init__("Metrics API not available")


def _metrics(backend: Any, kind: str, namespace: str | None, selector: str) -> list[Obj]:
    try:
        res = backend._call(lambda: backend.dyn.resources.get(api_version=METRICS_API_VERSION, kind=kind))
    except ResourceNotFoundError:
        raise MetricsUnavailableError() from None
    options: dict[str, Any] = {"serialize": False}
    if selector:
        options["label_selector"] = selector
    response = backend._call(lambda: backend.dyn.get(res, namespace=namespace, **options), "GET")
    return json.loads(response.data or b"{}").get("items") or []


def _cpu(text: str) -> int:
    return parse_quantity(text).milli_value()


def _memory(text: str) -> int:
    return parse_quantity(text).int_value()


def pod_rows(backend: Any, namespace: str | None, selector: str) -> list[Obj]:
    rows = []
    for item in _metrics(backend, "PodMetrics", namespace, selector):
        containers = [{"name": c["name"], "cpu": _cpu(c["usage"]["cpu"]), "memory": _memory(c["usage"]["memory"])}
                      for c in item.get("containers") or []]
        meta = item["metadata"]
        rows.append({"name": meta["name"], "namespace": meta.get("namespace", ""),
                     "cpu": sum(c["cpu"] for c in containers), "memory": sum(c["memory"] for c in containers),
                     "containers": containers})
    return rows


def _percent(used: int, available: int) -> int:
    """top_node's `int64(float64(used) / float64(available) * 100)`."""
    return int(float(used) / float(available) * 100) if available else 0


def node_rows(backend: Any, selector: str) -> list[Obj]:
    samples = {m["metadata"]["name"]: m for m in _metrics(backend, "NodeMetrics", None, selector)}
    nodes = backend.list(backend.registry.resolve("nodes"), None, selector)["items"]
    rows = []
    for node in nodes:
        name = node["metadata"]["name"]
        sample = samples.get(name)
        if sample is None:
            rows.append({"name": name, "cpu": None, "memory": None, "cpu_percent": None, "memory_percent": None})
            continue
        allocatable = (node.get("status") or {}).get("allocatable") or {}
        cpu, memory = _cpu(sample["usage"]["cpu"]), _memory(sample["usage"]["memory"])
        rows.append({"name": name, "cpu": cpu, "memory": memory,
                     "cpu_percent": _percent(cpu, _cpu(allocatable.get("cpu", "0"))),
                     "memory_percent": _percent(memory, _memory(allocatable.get("memory", "0")))})
    return rows


def top(backend: Any, kind: str, namespace: str | None, selector: str) -> list[Obj]:
    """Backend.top on a real cluster: "pods" or "nodes"."""
    if kind == "nodes":
        return node_rows(backend, selector)
    return pod_rows(backend, namespace, selector)
