"""Service ClusterIP and NodePort allocation, as kube-apiserver's service registry does it.

Called by the Service admission step of the simulated apiserver on create, update and delete. ClusterIPs
come from minikube's service CIDR 10.96.0.0/12 (`kubernetes` is 10.96.0.1, kube-dns 10.96.0.10);
NodePorts from 30000-32767. Requested values are checked and refused with the apiserver's wording.
"""

from __future__ import annotations

import ipaddress
import random

from ..api.errors import FieldError, invalid

SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")
NODE_PORT_RANGE = (30000, 32767)


class ClusterIPAllocator:
    """Allocates IPv4 ClusterIPs at random from the service CIDR; requested IPs must be free and inside it."""

    def __init__(self, rng: random.Random, cidr: ipaddress.IPv4Network = SERVICE_CIDR):
        self.rng = rng
        self.cidr = cidr
        self.used: set[str] = set()
        # kube-apiserver's dynamic allocation prefers the upper part of the range (ServiceIPStaticSubrange)
        size = cidr.num_addresses
        self._static_top = min(max(16, size // 16), 256)
        self._size = size

    def allocate(self, path: str, requested: str | None = None) -> tuple[str | None, FieldError | None]:
        if requested:
            try:
                ip = ipaddress.ip_address(requested)
            except ValueError:
                return None, None  # validation reports malformed IPs
            if ip not in self.cidr or ip in (self.cidr.network_address, self.cidr.broadcast_address):
                return None, invalid(
                    path, [requested],
                    f"failed to allocate IP {requested}: the provided IP ({requested}) is not in the valid range. "
                    f"The range of valid IPs is {self.cidr}",
                )
            if requested in self.used:
                return None, invalid(path, [requested],
                                     f"failed to allocate IP {requested}: provided IP is already allocated")
            self.used.add(requested)
            return requested, None
        for _ in range(self._size):
            offset = self.rng.randrange(self._static_top, self._size - 1)
            candidate = str(self.cidr.network_address + offset)
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate, None
        return None, invalid(path, None, "range is full")  # pragma: no cover - 1M addresses

    def release(self, ip: str | None) -> None:
        if ip:
            self.used.discard(ip)


class NodePortAllocator:
    """Allocates NodePorts at random in 30000-32767; requested ports must be free and inside the range."""

    def __init__(self, rng: random.Random, port_range: tuple[int, int] = NODE_PORT_RANGE):
        self.rng = rng
        self.low, self.high = port_range
        self.used: set[tuple[int, str]] = set()  # (port, protocol)

    def allocate(self, path: str, protocol: str, requested: int | None = None) -> tuple[int | None, FieldError | None]:
        if requested:
            if not self.low <= requested <= self.high:
                return None, invalid(
                    path, requested,
                    f"provided port is not in the valid range. The range of valid ports is {self.low}-{self.high}",
                )
            if (requested, protocol) in self.used:
                return None, invalid(path, requested, "provided port is already allocated")
            self.used.add((requested, protocol))
            return requested, None
        while True:
            port = self.rng.randint(self.low, self.high)
            if (port, protocol) not in self.used:
                self.used.add((port, protocol))
                return port, None

    def release(self, port: int | None, protocol: str) -> None:
        if port:
            self.used.discard((port, protocol))
