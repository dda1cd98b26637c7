"""The cluster network: a request's whole path from a client to the container that answers it.

Created once by `SimulatedCluster` and handed to every kubelet, whose containers see it through a
per-pod view (`for_pod`): their resolver (search path of their namespace), their connections, their
HTTP requests (curl, wget, mongo-express' server). `request()` is the public entry point, from a pod
(`source=(namespace, pod)`) or from the learner's machine (`source=None`), and `forward_to_service()`
is what an ingress controller calls. On the way: cluster DNS (`dns.py`), kube-proxy (`proxy.py`)
for ClusterIPs, NodePorts and LoadBalancer IPs, hostPorts and hostNetwork pods on node IPs, and the
pod network (a /24 per node of the cluster CIDR: 10.244.0.0/16 up to 256 nodes, `bootstrap.cluster_cidr`).
A connection to a pod port no container listens on is refused, as the pod's kernel answers it; one into
nowhere times out.

From the learner's machine (minikube's docker driver) the node IPs and LoadBalancer IPs are reachable,
ClusterIPs and pod IPs are not, and names resolve only when an Ingress lists them as a host (as if
/etc/hosts mapped them to the Ingress address, the step the course has learners take).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...api.registry import REGISTRY
from ..bootstrap import cluster_cidr
from ..images.process import Connection, Network
from .dns import CLUSTER_DOMAIN, NODE_NAMESERVER, ClusterDNS, Resolution, is_ip, resolv_conf
from .http import AppContext, Hop, HttpRequest, HttpResponse, failure, stamped
from .proxy import KubeProxy, service_port

if TYPE_CHECKING:
    from ..kubelet.container import ContainerRecord
    from ..kubelet.kubelet import Kubelet
    from ..kubelet.worker import PodWorker

Obj = dict[str, Any]
HOST_IP = "192.168.49.1"  # the learner's machine on minikube's docker network
REFUSED = "Connection refused"
TIMED_OUT = "Connection timed out"
NO_ROUTE = "No route to host"
INGRESSES = REGISTRY.resolve("ingresses")
SERVICES = REGISTRY.resolve("services")
PODS = REGISTRY.resolve("pods")
MAX_DEPTH = 8  # requests an answer may make in turn (an ingress calling a Service, ...)
ERRNO = {REFUSED: "ECONNREFUSED", TIMED_OUT: "ETIMEDOUT", NO_ROUTE: "EHOSTUNREACH"}


@dataclass(frozen=True)
class Client:
    """Where a connection starts: its source IP, the namespace its resolver searches (None: no cluster
    DNS), and the pod it runs in (for 127.0.0.1)."""

    ip: str
    namespace: str | None = None
    worker: PodWorker | None = None
    outside: bool = False


@dataclass(frozen=True)
class Target:
    """A connection that reached a listening container."""

    worker: PodWorker
    record: ContainerRecord
    port: int
    hops: tuple[Hop, ...]


def _name(obj: Obj) -> str:
    return f"{obj['metadata'].get('namespace', 'default')}/{obj['metadata']['name']}"


class ClusterNetwork(Network):
    """The network of one simulated cluster. As a `Network` it is the view of a process on a node."""

    def __init__(self, api: Any, kubelets: dict[str, Kubelet] | None = None):
        self.api = api
        self.kubelets: dict[str, Kubelet] = kubelets if kubelets is not None else {}
        self.dns = ClusterDNS(api)
        self.proxy = KubeProxy(api)
        self._depth = 0

    @property
    def pod_network(self) -> ipaddress.IPv4Network:
        """The cluster CIDR the nodes' podCIDRs come from."""
        return cluster_cidr(max(1, len(self.kubelets)))

    # --- views ---------------------------------------------------------------------------------------
    def for_pod(self, pod: Obj) -> PodNetwork:
        return PodNetwork(self, pod)

    def connect(self, host: str, port: int) -> Connection:
        return self._tcp(Client(self._first_node_ip()), host, port)

    def resolve(self, host: str) -> str | None:
        resolution = self.dns.resolve(host, None)
        return resolution.addresses[0] if resolution.addresses else None

    # --- the public helpers --------------------------------------------------------------------------
    def request(self, request: HttpRequest | str, *, source: tuple[str, str] | None = None) -> HttpResponse:
        """Send `request` along the whole path, from a pod (`source=(namespace, pod)`) or from outside."""
        req = request if isinstance(request, HttpRequest) else HttpRequest(request)
        return self.send(self.client_for(source), req)

    def forward_to_service(self, namespace: str, name: str, port: int | str, request: HttpRequest,
                           hops: tuple[Hop, ...] = ()) -> HttpResponse:
        """kube-proxy's part for a caller inside the cluster that names a Service port (an ingress
        controller): a ready endpoint of the Service, then the pod's answer."""
        svc = self.api.peek(SERVICES, name, namespace)
        if svc is None:
            return failure(f'service "{namespace}/{name}" not found', hops)
        entry = service_port(svc, port)
        if entry is None:
            return failure(f'service "{namespace}/{name}" has no port {port}', hops)
        target = self._via_service(svc, entry, Client(""), hops)
        return target if isinstance(target, HttpResponse) else self.deliver(target, request)

    # --- sending -------------------------------------------------------------------------------------
    def client_for(self, source: tuple[str, str] | None) -> Client:
        if source is None:
            return Client(HOST_IP, outside=True)
        namespace, name = source
        pod = self.api.peek(PODS, name, namespace)
        worker = self._worker_of(pod) if pod is not None else None
        if worker is None or not worker.pod_ip:
            raise ValueError(f"Pod {namespace}/{name} is not running on a node, so it cannot send requests.")
        return Client(worker.pod_ip, dns_namespace(worker.pod), worker)

    def send(self, client: Client, req: HttpRequest) -> HttpResponse:
        if req.scheme not in ("http", "https"):
            return failure(f'Protocol "{req.scheme}" not supported')
        resolution = self.resolve_for(client, req.host)
        if not resolution.addresses:
            return failure(f"Could not resolve host: {req.host}")
        address = resolution.addresses[0]
        hops = () if is_ip(req.host) else (Hop("DNS", resolution.name or req.host, address),)
        target = self.open(client, address, req.port, hops)
        return target if isinstance(target, HttpResponse) else self.deliver(target, req)

    def resolve_for(self, client: Client, host: str) -> Resolution:
        if client.outside and not is_ip(host):
            address = self._ingress_address(host)
            return Resolution((address,), host) if address else Resolution(error="NXDOMAIN")
        return self.dns.resolve(host, client.namespace)

    def _ingress_address(self, host: str) -> str:
        for ingress in self.api.select(INGRESSES, None):
            hosts = {rule.get("host") for rule in (ingress.get("spec") or {}).get("rules") or ()}
            addresses = ((ingress.get("status") or {}).get("loadBalancer") or {}).get("ingress") or ()
            if host in hosts and addresses and addresses[0].get("ip"):
                return addresses[0]["ip"]
        return ""

    def _tcp(self, client: Client, host: str, port: int) -> Connection:
        resolution = self.resolve_for(client, host)
        if not resolution.addresses:
            return Connection(False, "EAI_AGAIN" if resolution.error == "timeout" else "ENOTFOUND")
        address = resolution.addresses[0]
        target = self.open(client, address, port, ())
        if isinstance(target, HttpResponse):
            return Connection(False, ERRNO.get(target.error, "ECONNREFUSED"), address)
        return Connection(True, "", address)

    # --- routing -------------------------------------------------------------------------------------
    def open(self, client: Client, ip: str, port: int, hops: tuple[Hop, ...]) -> Target | HttpResponse:
        """Open a TCP connection from `client` to ip:port: the container it reaches, or the failure."""
        if ip.startswith("127.") and client.worker is not None:
            return self._in_pod(client.worker, port, hops, ip)
        inside_service = not client.outside and self.proxy.at_cluster_ip(ip) is not None
        balancer = None if inside_service else self.proxy.at_load_balancer(ip)
        if balancer is not None:  # `minikube tunnel` routes its address (on docker, the ClusterIP) to the node
            entry = service_port(balancer, port)
            if entry is None:
                return failure(TIMED_OUT, hops)
            return self._via_service(balancer, entry, client,
                                     (*hops, Hop("LoadBalancer", _name(balancer), f"{ip}:{port}")))
        svc = self.proxy.at_cluster_ip(ip)
        if svc is not None:
            entry = service_port(svc, port)
            if client.outside or entry is None:
                return failure(TIMED_OUT, hops)  # no rule matches: the packet goes nowhere
            return self._via_service(svc, entry, client, hops)
        kubelet = self._kubelet_at(ip)
        if kubelet is not None:
            return self._at_node(kubelet, ip, port, client, hops)
        if client.outside:
            return failure(TIMED_OUT, hops)
        return self._to_address(ip, port, hops)

    def _at_node(self, kubelet: Kubelet, ip: str, port: int, client: Client,
                 hops: tuple[Hop, ...]) -> Target | HttpResponse:
        if not kubelet.running:
            return failure(TIMED_OUT, hops)
        svc = self.proxy.at_node_port(port)
        if svc is not None:
            entry = next(p for p in svc["spec"]["ports"] if p.get("nodePort") == port)
            local = (svc.get("spec") or {}).get("externalTrafficPolicy") == "Local"
            return self._via_service(svc, entry, client, (*hops, Hop("NodePort", _name(svc), f"{ip}:{port}")),
                                     kubelet.node if local else None)
        for worker in self._workers(kubelet):
            container_port = host_port(worker.pod, port)
            if container_port is not None:
                return self._in_pod(worker, container_port,
                                    (*hops, Hop("HostPort", _name(worker.pod), f"{ip}:{port}")))
        for worker in self._workers(kubelet):
            if worker.pod_ip == ip and self._listener(worker, port) is not None:
                return self._in_pod(worker, port, hops)
        return failure(REFUSED, hops)

    def _via_service(self, svc: Obj, entry: Obj, client: Client, hops: tuple[Hop, ...],
                     node: str | None = None) -> Target | HttpResponse:
        cluster_ip = (svc.get("spec") or {}).get("clusterIP", "")
        choice = self.proxy.choose(svc, entry, client.ip, node)
        hop = Hop("Service", _name(svc), f"{cluster_ip}:{entry['port']}", choice.detail if choice else "")
        if choice is None:
            return failure(TIMED_OUT if node is not None else REFUSED, (*hops, hop))
        return self._to_address(choice.endpoint.ip, choice.endpoint.port, (*hops, hop))

    def _to_address(self, ip: str, port: int, hops: tuple[Hop, ...]) -> Target | HttpResponse:
        """A packet to a pod IP (or a node IP, for endpoints such as the apiserver's) after DNAT."""
        kubelet = self._kubelet_at(ip)
        if kubelet is not None:
            if not kubelet.running:
                return failure(TIMED_OUT, hops)
            worker = next((w for w in self._workers(kubelet) if w.pod_ip == ip
                           and self._listener(w, port) is not None), None)
            return self._in_pod(worker, port, hops) if worker is not None else failure(REFUSED, hops)
        if not is_ip(ip) or ipaddress.ip_address(ip) not in self.pod_network:
            return failure(TIMED_OUT, hops)  # outside the cluster: not modelled
        worker = self._worker_at(ip)
        if worker is None:
            return failure(NO_ROUTE, hops)
        if not worker.k.running:
            return failure(TIMED_OUT, hops)
        return self._in_pod(worker, port, hops)

    def _in_pod(self, worker: PodWorker, port: int, hops: tuple[Hop, ...], ip: str = "") -> Target | HttpResponse:
        hop = Hop("Pod", _name(worker.pod), f"{ip or worker.pod_ip}:{port}")
        record = self._listener(worker, port)
        if record is None:
            return failure(REFUSED, (*hops, hop))
        return Target(worker, record, port, (*hops, hop))

    # --- answering -----------------------------------------------------------------------------------
    def deliver(self, target: Target, req: HttpRequest) -> HttpResponse:
        """The listening container answers: the handler of its image program, or no HTTP at all."""
        from .http import HANDLERS

        process = target.record.process
        spec = getattr(process, "spec", None)
        handler = HANDLERS.get(spec.program) if spec is not None else None
        if spec is None or handler is None:
            return failure("Empty reply from server", target.hops)
        if self._depth >= MAX_DEPTH:
            return failure("Empty reply from server", target.hops)
        ctx = AppContext(self, self.api, target.worker.current_pod(), target.record.spec, spec, target.port,
                         target.hops, dict(target.record.env), image_tag(target.record.image))
        self._depth += 1
        try:
            return stamped(handler(ctx, req), ctx)
        finally:
            self._depth -= 1

    # --- where things are ----------------------------------------------------------------------------
    def _first_node_ip(self) -> str:
        return next((k.host_ip for _, k in sorted(self.kubelets.items())), "")

    def _kubelet_at(self, ip: str) -> Kubelet | None:
        return next((k for _, k in sorted(self.kubelets.items()) if k.host_ip == ip), None)

    def _worker_at(self, ip: str) -> PodWorker | None:
        address = ipaddress.ip_address(ip)
        for _, kubelet in sorted(self.kubelets.items()):
            if address in kubelet.ipam.network:
                return next((w for w in self._workers(kubelet) if w.pod_ip == ip), None)
        return None

    def _worker_of(self, pod: Obj) -> PodWorker | None:
        kubelet = self.kubelets.get((pod.get("spec") or {}).get("nodeName") or "")
        return kubelet.workers.get(pod["metadata"].get("uid", "")) if kubelet is not None else None

    @staticmethod
    def _workers(kubelet: Kubelet) -> list[PodWorker]:
        return [w for _, w in sorted(kubelet.workers.items()) if w.sandbox_ready and not w.finished]

    @staticmethod
    def _listener(worker: PodWorker, port: int) -> ContainerRecord | None:
        return next((r for r in worker.records if r.state == "running" and r.process is not None
                     and port in r.process.ports), None)


class PodNetwork(Network):
    """What the processes of one pod see: its resolver, its connections and HTTP requests."""

    def __init__(self, network: ClusterNetwork, pod: Obj):
        self.network = network
        self.pod = pod

    @property
    def namespace(self) -> str | None:
        return dns_namespace(self.pod)

    def client(self) -> Client:
        worker = self.network._worker_of(self.pod)
        ip = worker.pod_ip if worker is not None else ""
        return Client(ip, self.namespace, worker)

    def resolve(self, host: str) -> str | None:
        resolution = self.network.dns.resolve(host, self.namespace)
        return resolution.addresses[0] if resolution.addresses else None

    def resolution(self, host: str) -> Resolution:
        return self.network.dns.resolve(host, self.namespace)

    def connect(self, host: str, port: int) -> Connection:
        return self.network._tcp(self.client(), host, port)

    def http(self, request: HttpRequest) -> HttpResponse:
        return self.network.send(self.client(), request)

    def etc_files(self, pod_ip: str, hostname: str) -> dict[str, str]:
        """/etc/resolv.conf (pkg/kubelet/network/dns: ClusterFirst gets the cluster's nameserver, search path and
        ndots:5; other policies the node's resolver) and the kubelet-managed /etc/hosts (kubelet_pods.go
        managedHostsFileContent: the boilerplate, the pod's IP and name, then hostAliases)."""
        namespace = self.namespace
        resolv = resolv_conf(namespace) if namespace is not None else f"nameserver {NODE_NAMESERVER}\n"
        if (self.pod.get("spec") or {}).get("hostNetwork"):
            return {"etc/resolv.conf": resolv}  # the node's /etc/hosts is not the kubelet's to write
        return {"etc/resolv.conf": resolv, "etc/hosts": managed_hosts(self.pod, pod_ip, hostname)}

    @property
    def dns(self) -> ClusterDNS | None:
        """The cluster DNS this pod's resolv.conf points at (None: the node's resolver)."""
        return self.network.dns if self.namespace is not None else None


HOSTS_BOILERPLATE = ("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                     "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n")


def managed_hosts(pod: Obj, pod_ip: str, hostname: str) -> str:
    """The kubelet's /etc/hosts for a pod (kubelet_pods.go managedHostsFileContent and hostsEntriesFromHostAliases):
    `IP\tFQDN\thostname` when the pod has a subdomain, `IP\thostname` otherwise."""
    spec = pod.get("spec") or {}
    lines = [HOSTS_BOILERPLATE]
    if pod_ip:
        subdomain = spec.get("subdomain")
        if subdomain:
            namespace = pod["metadata"].get("namespace", "default")
            lines.append(f"{pod_ip}\t{hostname}.{subdomain}.{namespace}.svc.{CLUSTER_DOMAIN}\t{hostname}\n")
        else:
            lines.append(f"{pod_ip}\t{hostname}\n")
    aliases = spec.get("hostAliases") or ()
    if aliases:
        lines.append("\n# Entries added by HostAliases.\n")
        for alias in aliases:
            lines.append(f"{alias.get('ip', '')}\t{chr(9).join(alias.get('hostnames') or ())}\n")
    return "".join(lines)


def dns_namespace(pod: Obj) -> str | None:
    """The namespace whose search path the pod's resolv.conf has; None when it uses the node's resolver
    (dnsPolicy Default, None, or ClusterFirst with hostNetwork: pkg/kubelet/network/dns getPodDNSType)."""
    spec = pod.get("spec") or {}
    policy = spec.get("dnsPolicy", "ClusterFirst")
    if policy == "ClusterFirstWithHostNet" or (policy == "ClusterFirst" and not spec.get("hostNetwork")):
        return pod["metadata"].get("namespace", "default")
    return None


def host_port(pod: Obj, port: int) -> int | None:
    """The containerPort that `hostPort: port` of the pod maps to."""
    for container in (pod.get("spec") or {}).get("containers") or ():
        for entry in container.get("ports") or ():
            if entry.get("hostPort") == port and entry.get("protocol", "TCP") == "TCP":
                return int(entry["containerPort"])
    return None


def image_tag(image: str) -> str:
    name = image.rsplit("/", 1)[-1]
    return name.split("@", 1)[0].partition(":")[2] or "latest"
