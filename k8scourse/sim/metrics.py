"""Simulated resource usage of pods and nodes, sampled as minikube's metrics-server addon samples it.

Created by `SimulatedCluster`; read by the HorizontalPodAutoscaler controller (the resource metrics API,
metrics.k8s.io/v1beta1) and by `kubectl top` (through `SimulatedCluster.top_pods` / `top_nodes`).
A notebook turns load up and down with `set_load`. Every container uses a base amount of CPU and memory
(given by the image, 1m CPU and 3Mi memory for an idle nginx by default); a load adds CPU (and memory)
to the ready pods of a workload. Like metrics-server started with `--metric-resolution=15s`, usage is
scraped from the kubelets every 15 seconds: values appear after the first scrape that follows a
container's start, stay as they were between scrapes, and nodes whose kubelet does not answer are
skipped. Everything is a pure function of the cluster's state and the loads, so runs are deterministic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..api.quantity import parse_quantity
from ..api.registry import REGISTRY
from ..api.selectors import LabelSelector, parse_label_selector, selector_from_dict, selector_from_map
from .apiserver import APIServer

Obj = dict[str, Any]
PODS = REGISTRY.resolve("pods")
NODES = REGISTRY.resolve("nodes")

METRIC_RESOLUTION = 15.0  # minikube's metrics-server addon: --metric-resolution=15s
MI = 1024 * 1024
DEFAULT_BASE_USAGE = (1, 3 * MI)  # an idle nginx: 1m CPU, 3Mi memory
# What `kubectl top node` counts beyond the pods the simulator models: the kubelet, the container runtime
# and, on the control-plane node, etcd, the apiserver, the scheduler, the controller manager and CoreDNS.
CONTROL_PLANE_OVERHEAD = (250, 700 * MI)
WORKER_OVERHEAD = (40, 220 * MI)
# Workload kinds a load can name as `kind/name` (a bare name is a Deployment).
WORKLOAD_KINDS = {"deployment": "deployments", "deploy": "deployments", "replicaset": "replicasets",
                  "rs": "replicasets", "statefulset": "statefulsets", "sts": "statefulsets",
                  "daemonset": "daemonsets", "ds": "daemonsets", "replicationcontroller": "replicationcontrollers",
                  "rc": "replicationcontrollers"}

BaseUsage = Callable[[Obj], tuple[int, int]]  # container spec -> (millicores, bytes)


def default_base_usage(container: Obj) -> tuple[int, int]:
    """Usage of an idle container when the image catalogue says nothing about its image."""
    return DEFAULT_BASE_USAGE


@dataclass
class Load:
    """Extra usage a notebook puts on the ready pods a target selects."""

    namespace: str
    target: str
    cpu_millicores: int = 0  # in total, spread evenly over the ready pods
    cpu_millicores_per_pod: int = 0  # on every ready pod
    memory_bytes_per_pod: int = 0


@dataclass
class ContainerUsage:
    name: str
    cpu_millicores: int
    memory_bytes: int


@dataclass
class PodUsage:
    """One pod's sample, as the metrics API's PodMetrics holds it."""

    name: str
    namespace: str
    node: str
    timestamp: float
    containers: list[ContainerUsage] = field(default_factory=list)

    @property
    def cpu_millicores(self) -> int:
        return sum(c.cpu_millicores for c in self.containers)

    @property
    def memory_bytes(self) -> int:
        return sum(c.memory_bytes for c in self.containers)


@dataclass
class NodeUsage:
    """One row of `kubectl top node`: usage and its share of the node's allocatable (None when unknown)."""

    name: str
    cpu_millicores: int | None
    memory_bytes: int | None
    cpu_percent: int | None
    memory_percent: int | None


class MetricsServer:
    """Samples usage every 15 s; `pod_usage` / `pod_metrics` / `top_pods` / `top_nodes` read the last sample."""

    def __init__(self, api: APIServer, base_usage: BaseUsage = default_base_usage):
        self.api = api
        self.base_usage = base_usage
        self.loads: dict[tuple[str, str], Load] = {}
        self.unreachable: set[str] = set()  # nodes whose kubelet is stopped
        self._scraped_at: float | None = None
        self._loads_at_scrape: dict[tuple[str, str], Load] = {}
        self._unreachable_at_scrape: set[str] = set()
        self._samples: dict[tuple[str, str], PodUsage] = {}
        self._node_samples: dict[str, tuple[int, int]] = {}
        self._stale = True
        api.clock.every(METRIC_RESOLUTION, self._scrape, label="metrics-server scrape")

    # --- notebook controls ---------------------------------------------------------------------------
    def set_load(self, namespace: str, target: str, *, cpu_millicores: int = 0, cpu_millicores_per_pod: int = 0,
                 memory_bytes_per_pod: int = 0) -> Load | None:
        """Put load on the ready pods of `target` (a label selector such as `app=web`, a Deployment name,
        or `kind/name`); all amounts 0 removes the load. Takes effect at the next scrape."""
        for amount in (cpu_millicores, cpu_millicores_per_pod, memory_bytes_per_pod):
            if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
                raise ValueError(f"A load is a whole number >= 0 (millicores or bytes); got {amount!r}.")
        self._selector_text(namespace, target)  # refuse a malformed selector now
        key = (namespace, target)
        if not (cpu_millicores or cpu_millicores_per_pod or memory_bytes_per_pod):
            self.loads.pop(key, None)
            return None
        load = Load(namespace, target, cpu_millicores, cpu_millicores_per_pod, memory_bytes_per_pod)
        self.loads[key] = load
        return load

    def clear_loads(self) -> None:
        self.loads.clear()

    def node_stopped(self, node: str) -> None:
        self.unreachable.add(node)

    def node_started(self, node: str) -> None:
        self.unreachable.discard(node)

    # --- scraping ------------------------------------------------------------------------------------
    def _scrape(self) -> None:
        """A scrape only records its time: the sample is computed when first read (cheap when nobody reads)."""
        self._scraped_at = self.api.clock.now
        self._loads_at_scrape = dict(self.loads)
        self._unreachable_at_scrape = set(self.unreachable)
        self._stale = True

    def _ensure_sample(self) -> None:
        if not self._stale:
            return
        self._stale = False
        self._samples = {}
        self._node_samples = {}
        if self._scraped_at is None:
            return
        extra = self._load_per_pod()
        for node in self.api.store.list(NODES.group_resource):
            name = node["metadata"]["name"]
            if name in self._unreachable_at_scrape:
                continue
            cpu, memory = CONTROL_PLANE_OVERHEAD if _is_control_plane(node) else WORKER_OVERHEAD
            for pod in sorted(self.api.store.pods_on_node(name), key=_pod_key):
                usage = self._sample_pod(pod, name, extra.get(_pod_key(pod), (0, 0)))
                if usage is None:
                    continue
                self._samples[_pod_key(pod)] = usage
                cpu += usage.cpu_millicores
                memory += usage.memory_bytes
            self._node_samples[name] = (cpu, memory)

    def _sample_pod(self, pod: Obj, node: str, extra: tuple[int, int]) -> PodUsage | None:
        status = pod.get("status") or {}
        if status.get("phase") != "Running":
            return None
        started = {s.get("name"): (s.get("state") or {}).get("running", {}).get("startedAt")
                   for s in status.get("containerStatuses") or []}
        containers = (pod.get("spec") or {}).get("containers") or []
        usage = PodUsage(pod["metadata"]["name"], pod["metadata"]["namespace"], node, self._scraped_at or 0.0)
        extra_cpu, extra_memory = extra
        for index, container in enumerate(containers):
            stamp = started.get(container.get("name"))
            if not stamp or self.api.clock.parse(stamp) >= (self._scraped_at or 0.0):
                return None  # metrics-server reports a pod once every container has a sample
            cpu, memory = self.base_usage(container)
            if index == 0:
                cpu, memory = cpu + extra_cpu, memory + extra_memory
            usage.containers.append(ContainerUsage(container.get("name", ""), *_capped(container, cpu, memory)))
        return usage

    def _load_per_pod(self) -> dict[tuple[str, str], tuple[int, int]]:
        """Extra (millicores, bytes) per ready pod, from every load in force at the last scrape."""
        extra: dict[tuple[str, str], tuple[int, int]] = {}
        for load in sorted(self._loads_at_scrape.values(), key=lambda x: (x.namespace, x.target)):
            ready = [p for p in self._selected(load.namespace, load.target) if _serves(p)
                     and p["spec"].get("nodeName") not in self._unreachable_at_scrape]
            if not ready:
                continue
            share = load.cpu_millicores // len(ready)
            remainder = load.cpu_millicores - share * len(ready)
            for index, pod in enumerate(ready):
                cpu = share + (1 if index < remainder else 0) + load.cpu_millicores_per_pod
                have = extra.get(_pod_key(pod), (0, 0))
                extra[_pod_key(pod)] = (have[0] + cpu, have[1] + load.memory_bytes_per_pod)
        return extra

    def _selected(self, namespace: str, target: str) -> list[Obj]:
        text = self._selector_text(namespace, target)
        if text is None:
            return []
        return self.api.select(PODS, namespace, text)

    def _selector_text(self, namespace: str, target: str) -> str | None:
        """The label selector a target stands for (None when the named workload does not exist)."""
        if "=" in target or "," in target or " in " in target:
            return str(parse_label_selector(target))
        kind, _, name = target.rpartition("/")
        resource = WORKLOAD_KINDS.get(kind.lower() or "deployment")
        if resource is None:
            raise ValueError(f"A load targets a label selector (app=web), a Deployment name or kind/name "
                             f"with kind one of {', '.join(sorted(set(WORKLOAD_KINDS)))}; got {target!r}.")
        workload = self.api.peek(REGISTRY.resolve(resource), name, namespace)
        if workload is None:
            return None
        selector = (workload.get("spec") or {}).get("selector")
        if resource == "replicationcontrollers":
            return str(selector_from_map(selector))
        return str(selector_from_dict(selector))

    # --- reading -------------------------------------------------------------------------------------
    @property
    def scraped_at(self) -> float | None:
        return self._scraped_at

    def pod_usage(self, namespace: str, selector: LabelSelector | None = None) -> list[PodUsage]:
        """The last sample of the pods in `namespace` (matching `selector`), sorted by name."""
        self._ensure_sample()
        out = []
        for (ns, name), usage in sorted(self._samples.items()):
            if ns != namespace:
                continue
            if selector is not None:
                pod = self.api.peek(PODS, name, ns)
                if pod is None or not selector.matches(pod["metadata"].get("labels")):
                    continue
            out.append(usage)
        return out

    def pod_metrics(self, namespace: str, selector: LabelSelector | None = None) -> list[Obj]:
        """PodMetrics objects (metrics.k8s.io/v1beta1) as metrics-server serves them."""
        return [self._pod_metrics_object(u) for u in self.pod_usage(namespace, selector)]

    def _pod_metrics_object(self, usage: PodUsage) -> Obj:
        pod = self.api.peek(PODS, usage.name, usage.namespace) or {"metadata": {}}
        meta: Obj = {"name": usage.name, "namespace": usage.namespace,
                     "creationTimestamp": self.api.clock.timestamp()}
        if pod["metadata"].get("labels"):
            meta["labels"] = dict(pod["metadata"]["labels"])
        return {
            "kind": "PodMetrics", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": meta,
            "timestamp": self.api.clock.timestamp(usage.timestamp), "window": f"{int(METRIC_RESOLUTION)}s",
            "containers": [{"name": c.name, "usage": {"cpu": f"{c.cpu_millicores * 1_000_000}n",
                                                      "memory": f"{c.memory_bytes // 1024}Ki"}}
                           for c in usage.containers],
        }

    def top_pods(self, namespace: str, selector: str = "") -> list[Obj]:
        """Rows of `kubectl top pod`: name, cpu (millicores), memory (bytes) and containers."""
        chosen = parse_label_selector(selector) if selector else None
        return [{"name": u.name, "namespace": u.namespace, "cpu": u.cpu_millicores, "memory": u.memory_bytes,
                 "containers": [{"name": c.name, "cpu": c.cpu_millicores, "memory": c.memory_bytes}
                                for c in u.containers]}
                for u in self.pod_usage(namespace, chosen)]

    def top_nodes(self) -> list[NodeUsage]:
        """Rows of `kubectl top node`; a node metrics-server could not scrape has unknown usage."""
        self._ensure_sample()
        rows = []
        for node in sorted(self.api.store.list(NODES.group_resource), key=lambda n: n["metadata"]["name"]):
            name = node["metadata"]["name"]
            sample = self._node_samples.get(name)
            if sample is None:
                rows.append(NodeUsage(name, None, None, None, None))
                continue
            allocatable = (node.get("status") or {}).get("allocatable") or {}
            cpu, memory = sample
            rows.append(NodeUsage(name, cpu, memory, _percent(cpu, allocatable.get("cpu"), milli=True),
                                  _percent(memory, allocatable.get("memory"))))
        return rows


def _pod_key(pod: Obj) -> tuple[str, str]:
    return pod["metadata"].get("namespace", ""), pod["metadata"]["name"]


def _is_control_plane(node: Obj) -> bool:
    return "node-role.kubernetes.io/control-plane" in (node["metadata"].get("labels") or {})


def _serves(pod: Obj) -> bool:
    """Running, Ready and not being deleted: a pod a Service would send load to."""
    if pod["metadata"].get("deletionTimestamp") or (pod.get("status") or {}).get("phase") != "Running":
        return False
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or [])


def _capped(container: Obj, cpu: int, memory: int) -> tuple[int, int]:
    """A container cannot use more CPU than its limit (the CFS quota throttles it)."""
    limit = ((container.get("resources") or {}).get("limits") or {}).get("cpu")
    if limit is not None:
        cpu = min(cpu, parse_quantity(limit).milli_value())
    return cpu, memory


def _percent(used: int, allocatable: str | None, milli: bool = False) -> int | None:
    """kubectl top node's percentage: usage over allocatable, truncated to a whole number."""
    if allocatable is None:
        return None
    whole = parse_quantity(allocatable)
    total = whole.milli_value() if milli else whole.int_value()
    return int(used / total * 100) if total else None
