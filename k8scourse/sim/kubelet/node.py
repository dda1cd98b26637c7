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
READY = ("Ready", "True", "KubeletReady", "kubelet is posting ready status")


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
        for cond in status.get("conditions") or ():
            cond["lastHeartbeatTime"] = now
            if cond["type"] == READY[0] and cond.get("status") != READY[1]:
                cond.update(status=READY[1], reason=READY[2], message=READY[3], lastTransitionTime=now)
        if images is not None:
            status["images"] = images
        self.api.update(NODES, updated, subresource="status")
