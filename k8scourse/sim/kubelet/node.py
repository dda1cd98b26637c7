"""The node side of a kubelet: Lease renewal every 10 s, node status heartbeats, images and readiness, and
the Node events a starting kubelet and kube-proxy record.

Used by `Kubelet`. Renewals and heartbeats are periodic work (they never keep `settle()` busy). Events about
the node land in namespace `default`, with the reference the kubelet and kube-proxy build (kind Node, the
node's name as its uid: kubelet.go nodeRef, cmd/kube-proxy/app/server.go NodeRef), which `kubectl describe
node` finds besides the node-controller's events (by the real uid).
"""

from __future__ import annotations

from typing import Any

from ...api.objects import deep_copy
from ...api.registry import REGISTRY
from ..events import EVENT_TTL, EventRecorder

Obj = dict[str, Any]
NODES = REGISTRY.resolve("nodes")
LEASES = REGISTRY.resolve("leases")
EVENTS = REGISTRY.resolve("events")
LEASE_RENEW_SECONDS = 10.0
STATUS_REPORT_SECONDS = 300.0
KUBE_PROXY_RESTART_SECONDS = 1.5  # its container comes back with the node (sandbox, create, start)  # nodeStatusReportFrequency when the status has not changed
# What a healthy kubelet reports for each condition (pkg/kubelet/nodestatus/setters.go), and the event it
# records when a condition comes back to that state (kubelet_node_status.go recordNodeStatusEvent).
HEALTHY = {
    "MemoryPressure": ("False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available",
                       "NodeHasSufficientMemory"),
    "DiskPressure": ("False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", "NodeHasNoDiskPressure"),
    "PIDPressure": ("False", "KubeletHasSufficientPID", "kubelet has sufficient PID available",
                    "NodeHasSufficientPID"),
    "Ready": ("True", "KubeletReady", "kubelet is posting ready status", "NodeReady"),
}


class NodeAgent:
    def __init__(self, kubelet: Any):
        self.k = kubelet
        self.api = kubelet.api
        self.node = kubelet.node
        # the kubelet process's own event recorder: a restarted kubelet records new Events instead of
        # counting into the ones its previous process wrote (client-go's correlator cache is per process)
        self.recorder = EventRecorder(self.api)
        clock = self.api.clock
        clock.every(LEASE_RENEW_SECONDS, self.renew_lease, label=f"kubelet {self.node}: lease")
        clock.every(STATUS_REPORT_SECONDS, self.heartbeat, label=f"kubelet {self.node}: node status")

    # --- start-up events ------------------------------------------------------------------------------
    def node_ref(self) -> Obj:
        """kubelet.go's nodeRef: kind Node, the node's name, and the name again as uid (no apiVersion)."""
        return {"apiVersion": "", "kind": "Node", "metadata": {"name": self.node, "uid": self.node}}

    def _event(self, reason: str, message: str) -> None:
        self.recorder.event(self.node_ref(), "Normal", reason, message, "kubelet", self.node)

    def started(self) -> None:
        """The kubelet process starts (kubelet.go StartingKubelet)."""
        self._event("Starting", "Starting kubelet.")

    def allocatable_enforced(self) -> None:
        """Its container manager enforces node allocatable (cm/node_container_manager_linux.go
        SuccessfulNodeAllocatableEnforcement)."""
        self._event("NodeAllocatableEnforced", "Updated Node Allocatable limit across pods")

    def registered(self) -> None:
        """A fresh kubelet registers its node: Starting, then the condition setters of its first status
        (nodestatus/setters.go: a new condition starts Unknown, so each healthy value is a change the kubelet
        records as `Node <n> status is now: <event>`), NodeAllocatableEnforced, and NodeReady once the
        container runtime's first status check is done."""
        self.started()
        for condition in ("MemoryPressure", "DiskPressure", "PIDPressure"):
            self._status_event(HEALTHY[condition][3])
        self.allocatable_enforced()
        self._status_event(HEALTHY["Ready"][3])

    def restarted(self) -> None:
        """`minikube node start`: the kubelet starts again and posts status (conditions the node-controller set
        to Unknown meanwhile come back, each with its event), renews its Lease, and kube-proxy starts again."""
        self.recorder = EventRecorder(self.api)
        self.started()
        self.allocatable_enforced()
        self.heartbeat()
        self.renew_lease()
        if any(runs_kube_proxy(rec.argv) for worker in self.k.workers.values() for rec in worker.records
               if rec.state == "running"):
            self.api.clock.call_later(KUBE_PROXY_RESTART_SECONDS, self.kube_proxy_started,
                                      label=f"kubelet {self.node}: kube-proxy starts again")

    def _status_event(self, reason: str) -> None:
        """kubelet_node_status.go recordNodeStatusEvent."""
        self._event(reason, f"Node {self.node} status is now: {reason}")

    def kube_proxy_started(self) -> None:
        """kube-proxy's birth cry (cmd/kube-proxy/app/server.go): an events.k8s.io/v1 Event (reason Starting,
        action StartKubeProxy, empty note) about the node; core/v1 shows it with eventTime and the reporting
        fields, and without source, count or first/last timestamps."""
        if not self.k.running:
            return
        clock = self.api.clock
        stamp = int(clock.datetime().timestamp()) * 1_000_000_000 + round((clock.now % 1) * 1e9)
        while self.api.peek(EVENTS, f"{self.node}.{stamp:x}", "default") is not None:
            stamp += 1
        name = f"{self.node}.{stamp:x}"
        self.api.create(EVENTS, {
            "apiVersion": "v1", "kind": "Event",
            "metadata": {"name": name, "namespace": "default"},
            "involvedObject": {"kind": "Node", "name": self.node, "uid": self.node},
            "reason": "Starting", "message": "", "source": {}, "type": "Normal",
            "firstTimestamp": None, "lastTimestamp": None, "eventTime": clock.micro_timestamp(),
            "action": "StartKubeProxy", "reportingComponent": "kube-proxy",
            "reportingInstance": f"kube-proxy-{self.node}",
        }, "default")
        clock.call_later(EVENT_TTL, lambda: self.api.peek(EVENTS, name, "default") is not None
                         and self.api.finish_deletion(EVENTS, name, "default"), periodic=True, label="event TTL")

    # --- Lease and status ---------------------------------------------------------------------------------
    def renew_lease(self) -> None:
        if not self.k.running:
            return
        lease = self.api.peek(LEASES, self.node, "kube-node-lease")
        if lease is None:
            return
        renewed = deep_copy(lease)
        renewed["spec"]["renewTime"] = self.api.clock.micro_timestamp()
        self.api.update(LEASES, renewed, "kube-node-lease")

    def heartbeat(self, images: list[Obj] | None = None) -> None:
        """Post node status: every condition's lastHeartbeatTime, Ready True again, and the image list."""
        if not self.k.running:
            return
        node = self.api.peek(NODES, self.node)
        if node is None:
            return
        updated = deep_copy(node)
        status = updated.setdefault("status", {})
        now = self.api.clock.timestamp()
        recovered = []
        for cond in status.get("conditions") or ():
            cond["lastHeartbeatTime"] = now
            healthy = HEALTHY.get(cond["type"])
            if healthy is not None and (cond.get("status"), cond.get("reason")) != healthy[:2]:
                cond.update(status=healthy[0], reason=healthy[1], message=healthy[2], lastTransitionTime=now)
                recovered.append(healthy[3])
        if images is not None:
            status["images"] = images
        self.api.update(NODES, updated, subresource="status")
        for reason in recovered:
            self._status_event(reason)


def runs_kube_proxy(argv: list[str]) -> bool:
    """Is this container's process kube-proxy (whose start records its birth cry)?"""
    return bool(argv) and argv[0].rsplit("/", 1)[-1] == "kube-proxy"
