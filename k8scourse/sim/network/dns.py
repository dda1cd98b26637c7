"""Cluster DNS: CoreDNS's `kubernetes` plugin as minikube configures it, and a pod's resolver.

Used by the cluster network (names in URLs, mongo-express' server name) and by `nslookup`. The records
are those of the kubernetes plugin (coredns/coredns plugin/kubernetes, kubernetes.go and parse.go):
`<svc>.<ns>.svc.cluster.local` is the ClusterIP, or the ready endpoint addresses of a headless Service;
`<hostname>.<svc>.<ns>.svc.cluster.local` an endpoint with that hostname (StatefulSet pods); an
ExternalName Service is a CNAME; `pods insecure` answers `a-b-c-d.<ns>.pod.cluster.local` with a.b.c.d
without checking that a pod has it; the Corefile's `hosts` block adds host.minikube.internal. Names
outside cluster.local go to the upstream resolver, which the simulated cluster does not have (NXDOMAIN).

A pod with dnsPolicy ClusterFirst gets /etc/resolv.conf with nameserver 10.96.0.10, the search path
`<ns>.svc.cluster.local svc.cluster.local cluster.local` and `options ndots:5` (pkg/kubelet/network/dns
dns.go); its resolver tries the search domains first for names with fewer than five dots, as glibc and
musl do. Queries reach CoreDNS through the kube-dns Service, so they fail while no CoreDNS pod is Ready.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from ...api.registry import REGISTRY
from .lookup import ready_endpoints, service

CLUSTER_DOMAIN = "cluster.local"
NAMESERVER = "10.96.0.10"
NODE_NAMESERVER = "192.168.49.1"  # the docker network's gateway, in the minikube node's resolv.conf
NDOTS = 5
HOSTS = {"host.minikube.internal": "192.168.49.1"}  # minikube's Corefile `hosts` block
NAMESPACES = REGISTRY.resolve("namespaces")


@dataclass(frozen=True)
class Answer:
    """CoreDNS's reply to one query: NOERROR with addresses (maybe none), a CNAME, or NXDOMAIN."""

    name: str
    rcode: str = "NOERROR"
    addresses: tuple[str, ...] = ()
    cname: str = ""


@dataclass(frozen=True)
class Resolution:
    """What getaddrinfo gives a program: addresses under a canonical name, or an error
    ("NXDOMAIN" when no name matched, "timeout" when no DNS server answered)."""

    addresses: tuple[str, ...] = ()
    name: str = ""
    error: str = ""


def is_ip(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


def search_domains(namespace: str) -> list[str]:
    """The search line of a ClusterFirst pod's /etc/resolv.conf."""
    return [f"{namespace}.svc.{CLUSTER_DOMAIN}", f"svc.{CLUSTER_DOMAIN}", CLUSTER_DOMAIN]


def resolv_conf(namespace: str) -> str:
    return (f"nameserver {NAMESERVER}\nsearch {' '.join(search_domains(namespace))}\noptions ndots:{NDOTS}\n")


class ClusterDNS:
    def __init__(self, api: Any):
        self.api = api

    # --- CoreDNS ---------------------------------------------------------------------------------------
    def serving(self) -> bool:
        """Does kube-proxy have a ready CoreDNS endpoint behind 10.96.0.10:53?"""
        svc = service(self.api, "kube-system", "kube-dns")
        return svc is not None and bool(ready_endpoints(self.api, svc, "dns"))

    def query(self, name: str, qtype: str = "A") -> Answer:
        """CoreDNS's reply to a query for the absolute `name`."""
        name = name.rstrip(".").lower()
        if name in HOSTS:
            return Answer(name, addresses=(HOSTS[name],) if qtype == "A" else ())
        suffix = "." + CLUSTER_DOMAIN
        if not name.endswith(suffix):
            return Answer(name, "NXDOMAIN")  # forwarded upstream, which the simulated cluster lacks
        labels = name[: -len(suffix)].split(".")
        if labels[-1] == "svc" and len(labels) in (3, 4):
            answer = self._service_record(name, labels)
        elif labels[-1] == "pod" and len(labels) == 3:
            address = labels[0].replace("-", ".")
            answer = Answer(name, addresses=(address,)) if is_ip(address) else Answer(name, "NXDOMAIN")
        elif labels[-1] in ("svc", "pod") and len(labels) == 2 and self._namespace_exists(labels[0]):
            answer = Answer(name)  # the namespace exists: NODATA
        else:
            answer = Answer(name, "NXDOMAIN")
        if qtype != "A" and answer.rcode == "NOERROR":
            return Answer(name, cname=answer.cname)  # IPv4-only cluster: names exist, no AAAA records
        return answer

    def _namespace_exists(self, namespace: str) -> bool:
        return self.api.peek(NAMESPACES, namespace) is not None

    def _service_record(self, name: str, labels: list[str]) -> Answer:
        svc = service(self.api, labels[-2], labels[-3])
        if svc is None:
            return Answer(name, "NXDOMAIN")
        spec = svc.get("spec") or {}
        if len(labels) == 4:  # <hostname>.<svc>.<ns>.svc: an endpoint of a headless Service
            if spec.get("clusterIP") != "None":
                return Answer(name, "NXDOMAIN")
            host = labels[0]
            found = tuple(e.ip for e in ready_endpoints(self.api, svc, None)
                          if e.hostname == host or e.ip.replace(".", "-") == host)
            return Answer(name, addresses=found) if found else Answer(name, "NXDOMAIN")
        if spec.get("type") == "ExternalName":
            target = str(spec.get("externalName", "")).rstrip(".").lower()
            followed = self.query(target) if target != name else Answer(target, "NXDOMAIN")
            return Answer(name, addresses=followed.addresses, cname=target)
        if spec.get("clusterIP") == "None":
            found = tuple(dict.fromkeys(e.ip for e in ready_endpoints(self.api, svc, None)))
            return Answer(name, addresses=found) if found else Answer(name, "NXDOMAIN")
        return Answer(name, addresses=(spec["clusterIP"],)) if spec.get("clusterIP") else Answer(name, "NXDOMAIN")

    # --- a pod's resolver (getaddrinfo) -----------------------------------------------------------------
    def resolve(self, host: str, namespace: str | None) -> Resolution:
        """Resolve `host` as a pod in `namespace` does (None: a process on the node, without cluster DNS)."""
        host = host.lower()
        if is_ip(host):
            return Resolution((host,), host)
        if host == "localhost":
            return Resolution(("127.0.0.1",), host)
        if namespace is None:
            address = HOSTS.get(host.rstrip("."))
            return Resolution((address,), host) if address else Resolution(error="NXDOMAIN")
        if not self.serving():
            return Resolution(error="timeout")
        for candidate in candidates(host, search_domains(namespace)):
            answer = self.query(candidate)
            if answer.addresses:
                return Resolution(answer.addresses, answer.cname or answer.name)
        return Resolution(error="NXDOMAIN")


def candidates(host: str, search: list[str]) -> list[str]:
    """The names a resolver tries, in order (resolv.conf(5): ndots, search, a trailing dot)."""
    if host.endswith("."):
        return [host.rstrip(".")]
    searched = [f"{host}.{domain}" for domain in search]
    return [host, *searched] if host.count(".") >= NDOTS else [*searched, host]
