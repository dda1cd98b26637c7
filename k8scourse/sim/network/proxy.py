"""kube-proxy in iptables mode: which Service a destination belongs to and which ready endpoint gets it.

Used by the cluster network for every connection to a ClusterIP, a NodePort on any node, or a
LoadBalancer ingress IP. As in pkg/proxy/iptables/proxier.go: a Service port with ready endpoints jumps
to one of them chosen at random (`-m statistic --mode random`); with sessionAffinity ClientIP a client
keeps its endpoint for `timeoutSeconds` (10800 by default, `-m recent`); a Service port without ready
endpoints REJECTs (the client sees "Connection refused"); externalTrafficPolicy Local on a NodePort
only uses endpoints on the receiving node and drops the packet when there are none. Indexes of
ClusterIPs and NodePorts are kept from the store's watch events (listeners only update them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..store import WatchEvent
from .lookup import SERVICES, Endpoint, ready_endpoints

Obj = dict[str, Any]
Key = tuple[str, str]
DEFAULT_AFFINITY_SECONDS = 10800  # core.DefaultClientIPServiceAffinitySeconds


@dataclass(frozen=True)
class Choice:
    """The endpoint kube-proxy picked, and how many it chose from."""

    endpoint: Endpoint
    index: int
    total: int

    @property
    def detail(self) -> str:
        return f"endpoint {self.index + 1} of {self.total}"


def _key(svc: Obj) -> Key:
    return svc["metadata"].get("namespace", ""), svc["metadata"]["name"]


def service_port(svc: Obj, port: int | str) -> Obj | None:
    """The Service's TCP port `port` (a number, or a port name)."""
    for entry in (svc.get("spec") or {}).get("ports") or ():
        if entry.get("protocol", "TCP") != "TCP":
            continue
        if (isinstance(port, int) and entry.get("port") == port) or (isinstance(port, str) and port.isdigit()
                                                                       and entry.get("port") == int(port)):
            return entry
        if isinstance(port, str) and entry.get("name") == port:
            return entry
    return None


class KubeProxy:
    def __init__(self, api: Any):
        self.api = api
        self._cluster_ips: dict[str, Key] = {}
        self._node_ports: dict[int, Key] = {}
        self._load_balancers: set[Key] = set()
        self._indexed: dict[Key, tuple[str, tuple[int, ...]]] = {}
        self._affinity: dict[tuple[str, str, str], tuple[str, float]] = {}
        for svc in api.store.list(SERVICES.group_resource):
            self._index(svc)
        api.store.subscribe(self._on_event, resources=(SERVICES.group_resource,))

    # --- indexes -------------------------------------------------------------------------------------
    def _on_event(self, event: WatchEvent) -> None:
        if event.resource != SERVICES.group_resource:
            return
        self._unindex(_key(event.object))
        if event.type != "DELETED":
            self._index(event.object)

    def _index(self, svc: Obj) -> None:
        key, spec = _key(svc), svc.get("spec") or {}
        ip = spec.get("clusterIP") or ""
        if ip and ip != "None":
            self._cluster_ips[ip] = key
        node_ports = tuple(int(p["nodePort"]) for p in spec.get("ports") or () if p.get("nodePort"))
        for port in node_ports:
            self._node_ports[port] = key
        if spec.get("type") == "LoadBalancer":
            self._load_balancers.add(key)
        self._indexed[key] = (ip, node_ports)

    def _unindex(self, key: Key) -> None:
        ip, node_ports = self._indexed.pop(key, ("", ()))
        if self._cluster_ips.get(ip) == key:
            del self._cluster_ips[ip]
        for port in node_ports:
            if self._node_ports.get(port) == key:
                del self._node_ports[port]
        self._load_balancers.discard(key)

    def _service(self, key: Key | None) -> Obj | None:
        return self.api.peek(SERVICES, key[1], key[0]) if key else None

    # --- what a destination is -----------------------------------------------------------------------
    def at_cluster_ip(self, ip: str) -> Obj | None:
        return self._service(self._cluster_ips.get(ip))

    def at_node_port(self, port: int) -> Obj | None:
        return self._service(self._node_ports.get(port))

    def at_load_balancer(self, ip: str) -> Obj | None:
        """The LoadBalancer Service whose status.loadBalancer.ingress lists `ip` (set by `minikube tunnel`)."""
        for key in sorted(self._load_balancers):
            svc = self._service(key)
            ingress = ((svc or {}).get("status") or {}).get("loadBalancer", {}).get("ingress") or ()
            if any(entry.get("ip") == ip for entry in ingress):
                return svc
        return None

    # --- choosing an endpoint ------------------------------------------------------------------------
    def choose(self, svc: Obj, port: Obj, client_ip: str, node: str | None = None) -> Choice | None:
        """The ready endpoint a new connection from `client_ip` goes to (None: no endpoint, REJECT/DROP).
        `node` is the receiving node for externalTrafficPolicy Local NodePort traffic."""
        endpoints = ready_endpoints(self.api, svc, port.get("name") or "")
        if node is not None:
            endpoints = [e for e in endpoints if e.node == node]
        if not endpoints:
            return None
        spec = svc.get("spec") or {}
        affinity_key = (svc["metadata"].get("uid", ""), port.get("name") or "", client_ip)
        now = self.api.clock.now
        if spec.get("sessionAffinity") == "ClientIP":
            remembered = self._affinity.get(affinity_key)
            if remembered is not None and remembered[1] > now:
                for index, endpoint in enumerate(endpoints):
                    if endpoint.ip == remembered[0]:
                        self._remember(affinity_key, spec, endpoint, now)
                        return Choice(endpoint, index, len(endpoints))
        index = self.api.rng.randrange(len(endpoints))
        if spec.get("sessionAffinity") == "ClientIP":
            self._remember(affinity_key, spec, endpoints[index], now)
        return Choice(endpoints[index], index, len(endpoints))

    def _remember(self, key: tuple[str, str, str], spec: Obj, endpoint: Endpoint, now: float) -> None:
        config = ((spec.get("sessionAffinityConfig") or {}).get("clientIP") or {})
        timeout = int(config.get("timeoutSeconds") or DEFAULT_AFFINITY_SECONDS)
        self._affinity[key] = (endpoint.ip, now + timeout)
