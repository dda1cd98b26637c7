"""Pod IP allocation from a node's podCIDR, as the host-local IPAM plugin of minikube's bridge CNI does.

Used by the kubelet when a pod sandbox is created. Addresses are handed out in order after the last one
given (so a replaced pod gets a new IP) and come back when the sandbox is removed.
"""

from __future__ import annotations

import ipaddress


class PodIPAllocator:
    def __init__(self, cidr: str, reserved: int = 0):
        self.network = ipaddress.ip_network(cidr, strict=False)
        self.first = int(self.network.network_address) + 2  # .1 is the bridge gateway
        self.last_host = int(self.network.broadcast_address) - 1
        self._cursor = self.first - 1 + reserved
        self._used: set[int] = set()

    def allocate(self) -> str:
        size = self.last_host - self.first + 1
        for step in range(1, size + 1):
            candidate = self.first + (self._cursor - self.first + step) % size
            if candidate not in self._used:
                self._used.add(candidate)
                self._cursor = candidate
                return str(ipaddress.ip_address(candidate))
        raise RuntimeError(f"failed to allocate for range 0: no IP addresses available in range set: "
                           f"{self.network[self.first - int(self.network.network_address)]}-"
                           f"{ipaddress.ip_address(self.last_host)}")

    def release(self, ip: str) -> None:
        self._used.discard(int(ipaddress.ip_address(ip)))
