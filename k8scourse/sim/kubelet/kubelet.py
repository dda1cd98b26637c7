"""The kubelet of one simulated node: watches the pods bound to it and runs them.

Created by `SimulatedCluster` (one per node). Store listeners only queue work; the pod workers
(`worker.py`) do it on the virtual clock. `stop()`/`start()` model `minikube node stop/start`: a stopped
kubelet writes nothing (no Lease renewals, no node or pod status) until it starts again and resyncs.
"""

from __future__ import annotations

from typing import Any

from ...api.registry import REGISTRY
from ..images import Catalogue, Network, default_catalogue
from ..store import WatchEvent
from .ipam import PodIPAllocator
from .node import NODES, NodeAgent
from .probes import run_in_container
from .pulls import ImageManager, Pulled
from .streams import ExecResult, check_log_status, choose_container, pod_or_404, render_logs
from .worker import PodWorker

Obj = dict[str, Any]
PODS = REGISTRY.resolve("pods")
CONFIG_RESOURCES = ("configmaps", "secrets")


class Kubelet:
    def __init__(self, api: Any, recorder: Any, node: str, catalogue: Catalogue | None = None,
                 network: Network | None = None):
        self.api = api
        self.recorder = recorder
        self.node = node
        self.catalogue = catalogue or default_catalogue()
        self.network = network or Network()
        self.running = True
        self.workers: dict[str, PodWorker] = {}  # pod uid -> worker
        self._queued: set[str] = set()
        self.images = ImageManager(api.clock, self.catalogue, self._image_added)
        self._ipam: PodIPAllocator | None = None
        self._host_ip = ""
        self.agent = NodeAgent(self)
        api.store.subscribe_node(node, self._on_event)  # its pods, as a field-selected pod informer sees them
        api.store.subscribe(self._on_event, CONFIG_RESOURCES)

    # --- the node object (created after the kubelets, as minikube registers its nodes) ---------------
    @property
    def host_ip(self) -> str:
        if not self._host_ip:
            node = self.api.peek(NODES, self.node) or {}
            self._host_ip = next((a["address"] for a in (node.get("status") or {}).get("addresses") or ()
                                  if a.get("type") == "InternalIP"), "")
        return self._host_ip

    @property
    def ipam(self) -> PodIPAllocator:
        if self._ipam is None:
            node = self.api.peek(NODES, self.node) or {}
            cidr = (node.get("spec") or {}).get("podCIDR") or "10.244.0.0/24"
            # on the control-plane node CoreDNS holds the first address
            self._ipam = PodIPAllocator(cidr)
        return self._ipam

    # --- informer ----------------------------------------------------------------------------------
    def _on_event(self, event: WatchEvent) -> None:
        if not self.running:
            return
        if event.resource == "pods":
            if (event.object.get("spec") or {}).get("nodeName") == self.node:
                self._enqueue(event.object["metadata"]["uid"])
        elif event.resource in CONFIG_RESOURCES:
            namespace = event.object["metadata"].get("namespace")
            for worker in self.workers.values():
                if worker.namespace == namespace and worker.blocked:
                    worker.config_changed()

    def _enqueue(self, uid: str) -> None:
        if uid in self._queued:
            return
        self._queued.add(uid)
        self.api.clock.call_soon(lambda: self._sync(uid), label=f"kubelet {self.node}: sync pod")

    def _sync(self, uid: str) -> None:
        self._queued.discard(uid)
        if not self.running:
            return
        pod = self.api.by_uid(uid)
        worker = self.workers.get(uid)
        if pod is None or (pod.get("spec") or {}).get("nodeName") != self.node:
            if worker is not None:
                self._drop(worker)
            return
        if worker is None:
            if pod["metadata"].get("deletionTimestamp") and (pod.get("status") or {}).get("phase") is None:
                self.api.delete(PODS, pod["metadata"]["name"], pod["metadata"]["namespace"], grace_period_seconds=0)
                return
            worker = PodWorker(self, pod)
            self.workers[uid] = worker
            worker.begin()
        worker.update(pod)

    def _drop(self, worker: PodWorker) -> None:
        """The pod is gone from the API: kill what still runs and free its IP."""
        worker.finished = True
        for rec in worker.records:
            worker.stop_probes(rec)
            if rec.process is not None and rec.process.alive:
                rec.process.kill()
        for timer in worker.pending.values():
            timer.cancel()
        worker.pending.clear()
        self._release(worker)

    def _release(self, worker: PodWorker) -> None:
        self.workers.pop(worker.uid, None)
        if worker.pod_ip and worker.pod_ip != self.host_ip:
            self.ipam.release(worker.pod_ip)
            worker.pod_ip = ""

    # --- called by pod workers ---------------------------------------------------------------------
    def write_pod_status(self, worker: PodWorker, status: Obj) -> None:
        stored = self.api.peek(PODS, worker.name, worker.namespace)
        if stored is None or stored["metadata"].get("uid") != worker.uid:
            return
        current = stored.get("status") or {}
        kept = [c for c in current.get("conditions") or () if c["type"] not in
                {c2["type"] for c2 in status["conditions"]}]
        merged = {**current, **status, "conditions": status["conditions"] + kept}
        if merged == current:
            return
        # a status write reads only the request's status: the rest is the stored object, shared and not copied
        self.api.update(PODS, {**stored, "status": merged}, worker.namespace, subresource="status",
                        copy_result=False)

    def pod_finished(self, worker: PodWorker) -> None:
        """Graceful deletion is over: the kubelet's final delete with grace period 0."""
        self._release(worker)
        if self.api.peek(PODS, worker.name, worker.namespace) is not None:
            self.api.delete(PODS, worker.name, worker.namespace, grace_period_seconds=0)

    def allocatable(self) -> Obj:
        node = self.api.peek(NODES, self.node) or {}
        return (node.get("status") or {}).get("allocatable") or {}

    def _image_added(self, pulled: Pulled) -> None:
        self.agent.heartbeat(self.images.node_images())

    # --- minikube node stop / start ----------------------------------------------------------------
    def stop(self) -> None:
        self.running = False

    def start(self) -> None:
        """Come back: node Ready, Lease renewed, every pod bound here resynced (pods deleted meanwhile killed)."""
        if self.running:
            return
        self.running = True
        self.agent.restarted()
        bound = {p["metadata"]["uid"] for p in self.api.store.pods_on_node(self.node)}
        for uid, worker in sorted(self.workers.items()):
            if uid not in bound:
                self._drop(worker)
        for uid in sorted(bound):
            self._enqueue(uid)
        for worker in list(self.workers.values()):
            worker.last_written = None
            worker.write_status()
            worker.advance()

    # --- logs and exec -----------------------------------------------------------------------------
    def logs(self, pod: Obj, container: str | None = None, previous: bool = False, tail: int | None = None,
             timestamps: bool = False, since_seconds: float | None = None) -> str:
        name = choose_container(pod, container)
        check_log_status(pod, name, previous)
        worker = self.workers.get(pod["metadata"]["uid"])
        rec = worker.record(name) if worker is not None else None
        if rec is None:
            return ""
        lines = (rec.previous_logs or []) if previous else rec.logs
        return render_logs(lines, self.api.clock, tail=tail, timestamps=timestamps, since_seconds=since_seconds)

    def exec(self, pod: Obj, command: list[str], container: str | None = None, stdin: str | None = None) -> ExecResult:
        from ...api.errors import bad_request_error

        name = choose_container(pod, container)
        worker = self.workers.get(pod["metadata"]["uid"])
        rec = worker.record(name) if worker is not None else None
        if worker is None or rec is None or rec.state != "running":
            raise bad_request_error(f'unable to upgrade connection: container not found ("{name}")')
        code, out, err, _ = run_in_container(worker, rec, list(command), stdin or "")
        return ExecResult(out, err, code)


def pod_for_stream(api: Any, namespace: str, name: str) -> Obj:
    return pod_or_404(api, PODS, namespace, name)
