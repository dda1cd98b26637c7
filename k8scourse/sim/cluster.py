"""The simulated cluster: apiserver, controllers and virtual clock behind the Backend protocol.

Created by `k8scourse.connect()` (through `k8scourse.cluster`) and by `k8scourse serve`. Every request
is handled by the simulated apiserver; afterwards the work that a real cluster does within milliseconds
(garbage collection, namespace defaults) runs at once, while anything that takes time waits for
`settle()` or `advance()`.
"""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator
from typing import Any

from ..api.errors import K8sError
from ..api.registry import REGISTRY, Registry, ResourceType
from .addons import AddonManager, DefaultIngressClass, IngressNginxController
from .admission import (
    DefaultStorageClass,
    NamespaceLifecycle,
    PodAdmission,
    ServiceAllocation,
    prepare_service,
    storage_object_in_use_protection,
)
from .allocators import ClusterIPAllocator, NodePortAllocator
from .apiserver import APIServer, TrustedClient, random_suffix
from .bootstrap import (
    KINDNET_IMAGE,
    PRELOADED_IMAGES,
    SYSTEM_IMAGES,
    bootstrap,
    join_node,
    node_name,
    start_system_workloads,
)
from .clock import Clock, SettleReport, collecting_less
from .controllers.cronjob import CronJobController
from .controllers.daemonset import DaemonSetController
from .controllers.deployment import DeploymentController
from .controllers.endpoints import EndpointsController
from .controllers.endpointslice import EndpointSliceController, EndpointSliceMirroringController
from .controllers.garbagecollector import GarbageCollector
from .controllers.horizontalpodautoscaler import HorizontalPodAutoscalerController
from .controllers.hostpathprovisioner import HostPathProvisioner
from .controllers.job import JobController, TTLAfterFinishedController
from .controllers.namespace import NamespaceController
from .controllers.nodelifecycle import NodeLifecycleController, TaintEvictionController
from .controllers.persistentvolume import PersistentVolumeController
from .controllers.podgc import PodGCController
from .controllers.pvcprotection import PVCProtectionController
from .controllers.pvprotection import PVProtectionController
from .controllers.replicaset import ReplicaSetController, ReplicationControllerController
from .controllers.serviceaccounts import ServiceAccountsController
from .controllers.statefulset import StatefulSetController
from .events import EventRecorder
from .images import default_catalogue
from .kubelet import ExecResult, Kubelet, pod_for_stream
from .metrics import MetricsServer, NodeUsage
from .minikube import run_minikube
from .network import ClusterNetwork, HttpRequest, HttpResponse
from .scheduler import Explanation, Scheduler
from .store import WatchEvent

Obj = dict[str, Any]

# How long the cluster has been up when a learner first looks at it (node AGE etc.).
STARTUP_SECONDS = 120.0
SETTLE_CEILING = 600.0
# From this many stored objects (about 3,000 pods with their events) a cluster counts as large: what is alive
# after each request is frozen out of the garbage collector's walks (see clock.fewer_collections).
LARGE_CLUSTER_OBJECTS = 20_000


class SimulatedCluster:
    """A minikube-like cluster in-process. Implements `k8scourse.api.backend.Backend`."""

    kind_name = "simulated"

    @collecting_less
    def __init__(self, nodes: int = 1, seed: int = 0, registry: Registry = REGISTRY):
        if not isinstance(nodes, int) or isinstance(nodes, bool) or nodes < 1:
            raise ValueError(f"A cluster needs at least one node; got nodes={nodes!r}.")
        if gc.get_freeze_count():
            gc.unfreeze()  # a new cluster: earlier large clusters' objects go back to the collector
        self.registry = registry
        self.seed = seed
        self.rng = random.Random(seed)
        self.clock = Clock()
        self.api = APIServer(self.clock, self.rng, registry)
        # the control plane talks to the apiserver through a trusted client: its writes skip request decoding
        internal = TrustedClient(self.api)
        self.recorder = EventRecorder(internal)
        store = self.api.store
        self.api.admission += [NamespaceLifecycle(store), PodAdmission(store, lambda: random_suffix(self.rng)),
                               DefaultStorageClass(store), prepare_service]
        self.api.allocation = ServiceAllocation(ClusterIPAllocator(self.rng), NodePortAllocator(self.rng))
        store.subscribe(self._release_service, resources=("services",))
        # --- components: one line each (controllers, scheduler, kubelets, ...) ---
        self.controllers = [
            GarbageCollector(internal, self.recorder),
            NamespaceController(internal, self.recorder),
            ServiceAccountsController(internal, self.recorder),
        ]
        self.controllers += [ReplicaSetController(internal, self.recorder),
                             ReplicationControllerController(internal, self.recorder),
                             DeploymentController(internal, self.recorder)]
        self.metrics = MetricsServer(internal)
        self.controllers.append(HorizontalPodAutoscalerController(internal, self.recorder, self.metrics))
        self.controllers += [StatefulSetController(internal, self.recorder), JobController(internal, self.recorder),
                             TTLAfterFinishedController(internal, self.recorder), CronJobController(internal, self.recorder),
                             DaemonSetController(internal, self.recorder)]
        self.controllers += [EndpointsController(internal, self.recorder), EndpointSliceController(internal, self.recorder),
                             EndpointSliceMirroringController(internal, self.recorder)]
        self.scheduler = Scheduler(internal, self.recorder)
        self.images = default_catalogue()  # one catalogue per cluster: `cluster.images.register(...)` adds images
        self.network = ClusterNetwork(internal)  # DNS, kube-proxy, the pod network; each pod sees it through a view
        self.kubelets = {node_name(i): Kubelet(internal, self.recorder, node_name(i), self.images, self.network)
                         for i in range(nodes)}
        self.network.kubelets = self.kubelets
        # node health is read from the Leases the kubelets renew
        self.node_lifecycle = NodeLifecycleController(internal, self.recorder)
        self.controllers += [self.node_lifecycle, TaintEvictionController(internal, self.recorder)]
        self.controllers.append(PodGCController(internal, self.recorder))  # finished, orphaned and stuck pods
        self.addons = AddonManager(self.api)  # minikube addons, as `minikube addons enable ingress` turns them on
        self.api.admission.append(DefaultIngressClass(store))
        self.controllers.append(IngressNginxController(internal, self.recorder))
        self.controllers += [PersistentVolumeController(internal, self.recorder), HostPathProvisioner(internal, self.recorder)]
        self.api.admission.append(storage_object_in_use_protection)  # finalizers the two controllers below remove
        self.controllers += [PVCProtectionController(internal, self.recorder), PVProtectionController(internal, self.recorder)]
        # --- end of components ---
        bootstrap(self.api, nodes)
        self.kubelets[node_name(0)].agent.registered()
        self._start_system_workloads()
        self.clock.run_due()
        for index in range(1, nodes):  # workers join once the control plane runs, as with `minikube start -n`
            join_node(self.api, index, nodes)
            self.kubelets[node_name(index)].agent.registered()
        self.clock.run_due()
        self.clock.advance(STARTUP_SECONDS)

    def _start_system_workloads(self) -> None:
        """kube-system as `minikube start` leaves it: images preloaded on every node, control-plane pods,
        CoreDNS, kube-proxy and the storage provisioner."""
        for entry in SYSTEM_IMAGES:
            self.images.register(**entry)
        preloaded = (*PRELOADED_IMAGES, KINDNET_IMAGE) if len(self.kubelets) > 1 else PRELOADED_IMAGES
        for kubelet in self.kubelets.values():
            for image in preloaded:
                kubelet.images.preload(image)
            kubelet.agent.heartbeat(kubelet.images.node_images())
        start_system_workloads(self.api, len(self.kubelets))

    def _release_service(self, event: WatchEvent) -> None:
        if event.type == "DELETED" and event.resource == "services":
            self.api.allocation.release(event.object)

    def large(self) -> bool:
        """Whether the cluster holds so many objects that the collector should stop walking them."""
        return len(self.api.store) >= LARGE_CLUSTER_OBJECTS

    # --- Backend protocol --------------------------------------------------------------------------
    def _react(self) -> None:
        """Let the work a real control plane does within milliseconds happen now."""
        self.clock.run_due()

    @collecting_less
    def get(self, rt: ResourceType, name: str, namespace: str | None = None) -> Obj:
        return self.api.get(rt, name, namespace)

    @collecting_less
    def list(self, rt: ResourceType, namespace: str | None = None, label_selector: str = "",
             field_selector: str = "", limit: int | None = None, continue_token: str | None = None) -> Obj:
        return self.api.list(rt, namespace, label_selector, field_selector, limit, continue_token)

    @collecting_less
    def create(self, rt: ResourceType, obj: Obj, namespace: str | None = None, *, dry_run: bool = False,
               field_validation: str = "Strict") -> Obj:
        try:
            return self.api.create(rt, obj, namespace, dry_run=dry_run, field_validation=field_validation)
        finally:
            self._react()

    @collecting_less
    def update(self, rt: ResourceType, obj: Obj, namespace: str | None = None, *, subresource: str | None = None,
               dry_run: bool = False, field_validation: str = "Strict") -> Obj:
        try:
            return self.api.update(rt, obj, namespace, subresource=subresource, dry_run=dry_run,
                                   field_validation=field_validation)
        finally:
            self._react()

    @collecting_less
    def patch(self, rt: ResourceType, name: str, patch: Any, patch_type: str, namespace: str | None = None, *,
              subresource: str | None = None, dry_run: bool = False, field_manager: str | None = None,
              force: bool = False, field_validation: str = "Strict") -> Obj:
        try:
            return self.api.patch(rt, name, patch, patch_type, namespace, subresource=subresource, dry_run=dry_run,
                                  field_manager=field_manager, force=force, field_validation=field_validation)
        finally:
            self._react()

    @collecting_less
    def delete(self, rt: ResourceType, name: str, namespace: str | None = None, *,
               propagation_policy: str | None = None, grace_period_seconds: int | None = None,
               dry_run: bool = False) -> Obj:
        try:
            return self.api.delete(rt, name, namespace, propagation_policy=propagation_policy,
                                   grace_period_seconds=grace_period_seconds, dry_run=dry_run)
        finally:
            self._react()

    def watch(self, rt: ResourceType, namespace: str | None = None, label_selector: str = "",
              field_selector: str = "", resource_version: str | None = None,
              timeout_seconds: float | None = None) -> Iterator[dict[str, Any]]:
        return self.api.watch(rt, namespace, label_selector, field_selector, resource_version, timeout_seconds)

    # --- pod logs and exec (answered by the pod's kubelet) ------------------------------------------
    def logs(self, namespace: str, pod: str, container: str | None = None, previous: bool = False,
             tail: int | None = None, timestamps: bool = False, since_seconds: float | None = None) -> str:
        """GET pods/{pod}/log: the container's output, as `kubectl logs` prints it."""
        obj = pod_for_stream(self.api, namespace, pod)
        return self.kubelets[obj["spec"]["nodeName"]].logs(obj, container, previous, tail, timestamps, since_seconds)

    def exec(self, namespace: str, pod: str, command: list[str], container: str | None = None,
             stdin: str | None = None) -> ExecResult:
        """POST pods/{pod}/exec: run `command` in the container; stdout, stderr and the exit code."""
        obj = pod_for_stream(self.api, namespace, pod)
        try:
            return self.kubelets[obj["spec"]["nodeName"]].exec(obj, command, container, stdin)
        finally:
            self._react()

    # --- requests through the cluster network -----------------------------------------------------------
    def request(self, url: str, *, source: tuple[str, str] | None = None, method: str = "GET",
                headers: dict[str, str] | None = None) -> HttpResponse:
        """Send an HTTP request along the whole path (DNS, NodePort/LoadBalancer/Ingress, Service, pod) from
        the learner's machine (`http://192.168.49.2:30000/`) or from a pod (`source=(namespace, pod)`)."""
        request = HttpRequest(url, method.upper(), tuple((headers or {}).items()))
        try:
            return self.network.request(request, source=source)
        finally:
            self._react()

    # --- nodes and load ------------------------------------------------------------------------------
    def _kubelet(self, name: str) -> Any:
        if self.api.peek(self.registry.resolve("nodes"), name) is None:
            raise ValueError(f"There is no node {name!r} in this cluster.")
        kubelets = getattr(self, "kubelets", None) or {}
        if name not in kubelets:
            raise ValueError(f"Node {name!r} has no kubelet in this simulator, so it cannot be stopped or started.")
        return kubelets[name]

    def stop_node(self, name: str) -> None:
        """Stop the node's kubelet, as `minikube node stop` does: the node goes NotReady after the
        node-monitor-grace-period and its pods are evicted after their tolerationSeconds."""
        self._kubelet(name).stop()
        self.metrics.node_stopped(name)
        if self.node_lifecycle is not None:
            self.node_lifecycle.expect_silence(name)
        self._react()

    def start_node(self, name: str) -> None:
        """Start the node's kubelet again: it reports Ready, its taints go, its Terminating pods finish."""
        self._kubelet(name).start()
        self.metrics.node_started(name)
        self._react()

    def set_load(self, namespace: str, target: str, *, cpu_millicores: int = 0, cpu_millicores_per_pod: int = 0,
                 memory_bytes_per_pod: int = 0) -> None:
        """Put simulated load on the ready pods of `target` (`app=web`, a Deployment name, or `kind/name`):
        `cpu_millicores` in total spread over them, or `cpu_millicores_per_pod` on each; 0 removes it."""
        self.metrics.set_load(namespace, target, cpu_millicores=cpu_millicores,
                              cpu_millicores_per_pod=cpu_millicores_per_pod, memory_bytes_per_pod=memory_bytes_per_pod)

    def top_pods(self, namespace: str = "default", selector: str = "") -> list[Obj]:
        """What `kubectl top pod` shows: the last metrics-server sample of each pod."""
        return self.metrics.top_pods(namespace, selector)

    def top_nodes(self) -> list[NodeUsage]:
        """What `kubectl top node` shows: usage and its share of each node's allocatable."""
        return self.metrics.top_nodes()

    def top(self, kind: str, namespace: str | None = None, selector: str = "") -> list[Obj]:
        """Backend.top: rows of the last metrics-server sample for `kubectl top pods|nodes`; without a running
        metrics-server addon there is no metrics API, and kubectl says so (top_pod.go, top_node.go)."""
        if not self.addons.metrics_api_available():
            raise K8sError("Metrics API not available")
        if kind == "nodes":
            return [{"name": r.name, "cpu": r.cpu_millicores, "memory": r.memory_bytes, "cpu_percent": r.cpu_percent,
                     "memory_percent": r.memory_percent} for r in self.top_nodes()]
        if namespace is not None:
            return self.top_pods(namespace, selector)
        names = sorted(ns["metadata"]["name"] for ns in self.list(self.registry.resolve("namespaces"))["items"])
        return [row for name in names for row in self.top_pods(name, selector)]

    @collecting_less
    def table(self, rt: ResourceType, namespace: str | None = None, label_selector: str = "",
              field_selector: str = "", name: str | None = None, *, include_object: str = "Metadata") -> Obj:
        from ..api.printing import build_table

        if name is not None:
            objects = [self.api.get(rt, name, namespace)]
        else:
            objects = self.api.select(rt, namespace, label_selector, field_selector)
        return build_table(rt.group, rt.kind, objects, self.clock.datetime(),
                           resource_version=str(self.api.store.revision), include_object=include_object)

    def watch_table(self, rt: ResourceType, namespace: str | None = None, label_selector: str = "",
                    field_selector: str = "", resource_version: str | None = None,
                    timeout_seconds: float | None = None) -> Iterator[dict[str, Any]]:
        """Backend.watch_table: the watch's events as one-row Tables, AGE as of each change."""
        events = self.api.watch(rt, namespace, label_selector, field_selector, resource_version, timeout_seconds)
        return _TableWatch(self, rt, events)

    def current_time(self) -> Any:
        return self.clock.datetime()

    # --- time --------------------------------------------------------------------------------------
    @collecting_less
    def settle(self, timeout: float | None = None) -> SettleReport:
        """Run simulated time until nothing is pending (at most `timeout` simulated seconds, 600 by default)."""
        return self.clock.settle(SETTLE_CEILING if timeout is None else timeout)

    @collecting_less
    def advance(self, seconds: float) -> SettleReport:
        """Run exactly `seconds` of simulated time."""
        start = self.clock.now
        steps = self.clock.advance(seconds)
        return SettleReport(self.clock.now - start, steps, False)

    @property
    def now(self) -> float:
        return self.clock.now

    def minikube(self, argv: list[str]) -> tuple[str, str, int]:
        """`minikube ARGV` against this cluster, as a terminal shows it: (stdout, stderr, exit code).
        See `k8scourse.sim.minikube` for the commands it knows."""
        try:
            return run_minikube(self, list(argv))
        finally:
            self._react()

    def explain_scheduling(self, namespace: str, name: str) -> Explanation | None:
        """Why the scheduler placed (or could not place) a pod: its last scheduling cycle, plugin by plugin."""
        return self.scheduler.explain((namespace, name))


class _TableWatch:
    """A watch whose events carry one-row Tables, each printed at the simulated moment of its change: a store
    listener notes when every revision of the resource happened, until `close()`."""

    def __init__(self, cluster: SimulatedCluster, rt: ResourceType, events: Iterator[dict[str, Any]]):
        self.cluster, self.rt, self.events = cluster, rt, events
        self.moments: dict[int, Any] = {}
        self.listening = True
        cluster.api.store.subscribe(self._note, resources=(rt.group_resource,))

    def _note(self, event: WatchEvent) -> None:
        if event.resource == self.rt.group_resource:
            self.moments[event.resource_version] = self.cluster.clock.datetime()

    def __iter__(self) -> _TableWatch:
        return self

    def __next__(self) -> dict[str, Any]:
        from ..api.printing import build_table

        event = next(self.events)
        obj = event["object"]
        revision = int(obj["metadata"].get("resourceVersion") or 0)
        moment = self.moments.pop(revision, None) or self.cluster.clock.datetime()
        for stale in [r for r in self.moments if r < revision]:
            del self.moments[stale]
        table = build_table(self.rt.group, self.rt.kind, [obj], moment, resource_version=str(revision))
        return {"type": event["type"], "object": table}

    def close(self) -> None:
        if self.listening:
            self.listening = False
            self.cluster.api.store.unsubscribe(self._note)
