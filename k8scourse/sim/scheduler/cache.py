"""The scheduler's cache: one `NodeInfo` per node with its allocatable, requested and used host ports.

Built and kept current by `Scheduler` from store events (never by re-summing pods), as kube-scheduler's
cache is kept by its informers. Assigned pods count until they finish: like the real scheduler's pod
informer (field selector `status.phase!=Succeeded,status.phase!=Failed`), finished pods free their node.
Also home of the pod resource arithmetic the filters and scores share (component-helpers'
`resource.PodRequests`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ...api.quantity import QuantityError, parse_quantity

Obj = dict[str, Any]
PodKey = tuple[str, str]  # (namespace, name)

# pkg/scheduler/util/pod_resources.go: what a container without a request counts for when scoring.
DEFAULT_MILLI_CPU_REQUEST = 100
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024
FINISHED_PHASES = ("Succeeded", "Failed")
WILDCARD_IP = "0.0.0.0"


def pod_key(pod: Obj) -> PodKey:
    meta = pod["metadata"]
    return meta.get("namespace", ""), meta["name"]


def _amount(resource: str, value: Any) -> int:
    """Quantity.MilliValue() for cpu, Value() for everything else."""
    try:
        q = parse_quantity(value)
    except (QuantityError, TypeError, ValueError):
        return 0
    return q.milli_value() if resource == "cpu" else q.int_value()


def resource_list(values: Any) -> dict[str, int]:
    return {k: _amount(k, v) for k, v in (values or {}).items()} if isinstance(values, dict) else {}


def _add(into: dict[str, int], other: dict[str, int]) -> None:
    for k, v in other.items():
        into[k] = into.get(k, 0) + v


def _max(into: dict[str, int], other: dict[str, int]) -> None:
    for k, v in other.items():
        into[k] = max(into.get(k, 0), v)


def _container_requests(container: Obj, non_zero: bool) -> dict[str, int]:
    reqs = resource_list((container.get("resources") or {}).get("requests"))
    if non_zero:
        reqs.setdefault("cpu", DEFAULT_MILLI_CPU_REQUEST)
        reqs.setdefault("memory", DEFAULT_MEMORY_REQUEST)
    return reqs


def pod_requests(pod: Obj, non_zero: bool = False) -> dict[str, int]:
    """resource.PodRequests: containers summed, init containers as a maximum (sidecars add up), plus
    overhead. With `non_zero`, containers without a cpu/memory request count 100m / 200Mi, as the
    scheduler's scoring does (NonMissingContainerRequests)."""
    spec = pod.get("spec") or {}
    reqs: dict[str, int] = {}
    for c in spec.get("containers") or ():
        _add(reqs, _container_requests(c, non_zero))
    sidecars: dict[str, int] = {}
    init_max: dict[str, int] = {}
    for c in spec.get("initContainers") or ():
        container = _container_requests(c, non_zero)
        if c.get("restartPolicy") == "Always":
            _add(reqs, container)
            _add(sidecars, container)
            container = dict(sidecars)
        else:
            container = dict(container)
            _add(container, sidecars)
        _max(init_max, container)
    _max(reqs, init_max)
    _add(reqs, resource_list(spec.get("overhead")))
    return reqs


def host_ports(pod: Obj) -> list[tuple[str, str, int]]:
    """(hostIP, protocol, hostPort) of every container port that asks for a host port."""
    ports = []
    for c in (pod.get("spec") or {}).get("containers") or ():
        for p in c.get("ports") or ():
            if p.get("hostPort"):
                ports.append((p.get("hostIP") or WILDCARD_IP, p.get("protocol") or "TCP", int(p["hostPort"])))
    return ports


def counts_on_node(pod: Obj) -> bool:
    return bool((pod.get("spec") or {}).get("nodeName")) and (pod.get("status") or {}).get("phase") not in FINISHED_PHASES


@dataclass
class PodShare:
    """What one assigned pod takes from its node (kept so a change can be subtracted exactly)."""

    node: str
    requested: dict[str, int]
    non_zero_cpu: int
    non_zero_memory: int
    ports: list[tuple[str, str, int]]
    spec: Obj | None = None  # the spec the share was computed from (stored specs are never mutated)


@dataclass
class NodeInfo:
    """A node as the scheduler sees it: the Node object plus what its assigned pods take."""

    name: str
    node: Obj | None = None
    allocatable: dict[str, int] = field(default_factory=dict)
    requested: dict[str, int] = field(default_factory=dict)
    non_zero_cpu: int = 0
    non_zero_memory: int = 0
    pod_count: int = 0
    ports: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    pods: dict[PodKey, Obj] = field(default_factory=dict)
    _image_sizes: dict[str, int] | None = field(default=None, repr=False, compare=False)

    @property
    def labels(self) -> dict[str, str]:
        return ((self.node or {}).get("metadata") or {}).get("labels") or {}

    @property
    def taints(self) -> list[Obj]:
        return ((self.node or {}).get("spec") or {}).get("taints") or []

    @property
    def unschedulable(self) -> bool:
        return bool(((self.node or {}).get("spec") or {}).get("unschedulable"))

    @property
    def images(self) -> list[Obj]:
        return ((self.node or {}).get("status") or {}).get("images") or []

    @property
    def image_sizes(self) -> dict[str, int]:
        """Normalised image name -> size in bytes, from the node's status (computed once per Node version)."""
        if self._image_sizes is None:
            self._image_sizes = {normalized_image(n): int(image.get("sizeBytes") or 0) for image in self.images
                                 for n in image.get("names") or ()}
        return self._image_sizes

    def set_node(self, node: Obj) -> None:
        self.node = node
        self.allocatable = resource_list((node.get("status") or {}).get("allocatable"))
        self._image_sizes = None

    def add(self, key: PodKey, pod: Obj, share: PodShare, sign: int) -> None:
        for k, v in share.requested.items():
            self.requested[k] = self.requested.get(k, 0) + sign * v
        self.non_zero_cpu += sign * share.non_zero_cpu
        self.non_zero_memory += sign * share.non_zero_memory
        self.pod_count += sign
        for port in share.ports:
            self.ports[port] += sign
            if self.ports[port] <= 0:
                del self.ports[port]
        if sign > 0:
            self.pods[key] = pod
        else:
            self.pods.pop(key, None)

    def port_conflict(self, wanted: tuple[str, str, int]) -> bool:
        """HostPortInfo.CheckConflict: 0.0.0.0 conflicts with every address on the same protocol/port."""
        ip, protocol, port = wanted
        if ip == WILDCARD_IP:
            return any(p == port and proto == protocol for _, proto, p in self.ports)
        return (ip, protocol, port) in self.ports or (WILDCARD_IP, protocol, port) in self.ports


class ClusterCache:
    """Node infos by name, in the order nodes joined, plus the assigned pods that matter to affinity."""

    def __init__(self) -> None:
        self.nodes: dict[str, NodeInfo] = {}  # every node known (also nodes pods name that do not exist)
        self.order: list[str] = []  # names of existing nodes, in the order they were added
        self.shares: dict[PodKey, PodShare] = {}
        self.with_anti_affinity: dict[PodKey, Obj] = {}  # assigned pods with required anti-affinity
        self.with_preferred_affinity: dict[PodKey, Obj] = {}
        self.image_nodes: Counter[str] = Counter()  # normalised image name -> nodes that have it
        # what changed since the array path last looked (vector.NodeTable): nodes whose pods or whose Node
        # object changed, and a version bumped whenever a node joins or leaves
        self.dirty_pods: set[str] = set()
        self.dirty_nodes: set[str] = set()
        self.order_version = 0
        self._existing: list[NodeInfo] | None = None

    def info(self, name: str) -> NodeInfo:
        found = self.nodes.get(name)
        if found is None:
            found = self.nodes[name] = NodeInfo(name)
        return found

    def existing(self) -> list[NodeInfo]:
        """The existing nodes' infos in join order (kept until a node joins or leaves; do not mutate)."""
        if self._existing is None:
            self._existing = [self.nodes[n] for n in self.order]
        return self._existing

    # --- nodes -------------------------------------------------------------------------------------
    def set_node(self, node: Obj) -> None:
        name = node["metadata"]["name"]
        info = self.info(name)
        if info.node is None:
            self.order.append(name)
            self.order_version += 1
            self._existing = None
        else:
            self._count_images(info, -1)
        self.dirty_nodes.add(name)
        info.set_node(node)
        self._count_images(info, +1)

    def remove_node(self, name: str) -> None:
        info = self.nodes.get(name)
        if info is None or info.node is None:
            return
        self._count_images(info, -1)
        info.node = None
        self.order.remove(name)
        self.order_version += 1
        self._existing = None
        if not info.pods:
            del self.nodes[name]

    def _count_images(self, info: NodeInfo, sign: int) -> None:
        for name in image_names(info):
            self.image_nodes[name] += sign
            if self.image_nodes[name] <= 0:
                del self.image_nodes[name]

    # --- pods --------------------------------------------------------------------------------------
    def set_pod(self, pod: Obj | None, key: PodKey) -> None:
        """Account for `pod` (None: it is gone) on its node, replacing what it took before."""
        old = self.shares.get(key)
        if old is not None and pod is not None and old.spec is pod.get("spec") and counts_on_node(pod):
            self.nodes[old.node].pods[key] = pod  # a status change: the pod takes what it took
            for pool in (self.with_anti_affinity, self.with_preferred_affinity):
                if key in pool:
                    pool[key] = pod
            return
        old = self.shares.pop(key, None)
        if old is not None:
            self.info(old.node).add(key, pod or {}, old, -1)
            self.dirty_pods.add(old.node)
        self.with_anti_affinity.pop(key, None)
        self.with_preferred_affinity.pop(key, None)
        if pod is None or not counts_on_node(pod):
            return
        share = PodShare(pod["spec"]["nodeName"], pod_requests(pod), 0, 0, host_ports(pod), pod["spec"])
        non_zero = pod_requests(pod, non_zero=True)
        share.non_zero_cpu, share.non_zero_memory = non_zero.get("cpu", 0), non_zero.get("memory", 0)
        self.shares[key] = share
        self.info(share.node).add(key, pod, share, +1)
        self.dirty_pods.add(share.node)
        affinity = (pod.get("spec") or {}).get("affinity") or {}
        if ((affinity.get("podAntiAffinity") or {}).get("requiredDuringSchedulingIgnoredDuringExecution")):
            self.with_anti_affinity[key] = pod
        if any((affinity.get(kind) or {}).get("preferredDuringSchedulingIgnoredDuringExecution")
               for kind in ("podAffinity", "podAntiAffinity")):
            self.with_preferred_affinity[key] = pod


def normalized_image(name: str) -> str:
    """imagelocality.normalizedImageName: an image without a tag or digest means `:latest`."""
    if name.rfind(":") <= name.rfind("/"):
        return name + ":latest"
    return name


def image_names(info: NodeInfo) -> list[str]:
    return [normalized_image(n) for image in info.images for n in image.get("names") or ()]
