"""The node side of a kubelet: Lease renewal every 10 s, node status heartbeats, images and readiness.

Used by `Kubelet`. Renewals and heartbeats are periodic work (they never keep `settle()` busy).
"""

from __future__ import annotations

from typing import Any

from ...api.objects import deep_copy
from ...api.registry import REGISTRY

Obj = dict[str, Any]
NODES = REGISTRY.resolve("nodes")
LEASES = REGISTRY.resolve("leases")
LEASE_RENEW_SECONDS = 10.0
STATUS_REPORT_SECONDS = 300.0  # nodeStatusReportFrequency when the status has not changed
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
        clock = self.api.clock
        clock.every(LEASE_RENEW_SECONDS, self.renew_lease, label=f"kubelet {self.node}: lease")
        clock.every(STATUS_REPORT_SECONDS, self.heartbeat, label=f"kubelet {self.node}: node status")

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
        stored = self.api.update(NODES, updated, subresource="status")
        for reason in recovered:
            self.k.recorder.event(stored, "Normal", reason, f"Node {self.node} status is now: {reason}", "kubelet",
                                  self.node)
