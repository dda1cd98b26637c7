"""What a fresh `minikube start` leaves in the cluster: namespaces, nodes, the `kubernetes` and `kube-dns`
Services, node leases and the default StorageClass `standard`.

Called once by `SimulatedCluster` when it is created. Everything goes through the simulated apiserver,
so it is validated and defaulted like any other object; the shapes are those of a minikube v1.36
cluster running Kubernetes v1.33 with the docker driver.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from ..api.registry import REGISTRY
from ..api.version import (
    CONTAINER_RUNTIME,
    KERNEL_VERSION,
    KUBERNETES_VERSION,
    MINIKUBE_VERSION,
    OS_IMAGE,
)
from .apiserver import APIServer

Obj = dict[str, Any]

MINIKUBE_COMMIT = "f8f52f5de11fc6ad8244afac475e1d0f96841df1"
NODE_CPU = "2"
NODE_MEMORY = "3912940Ki"
NODE_EPHEMERAL = "102625208Ki"
NODE_PODS = "110"
SYSTEM_NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")


def node_name(index: int) -> str:
    """minikube's node names: `minikube`, then `minikube-m02`, `minikube-m03`, ..."""
    return "minikube" if index == 0 else f"minikube-m{index + 1:02d}"


# minikube's docker network (a /24) and its kubeadm pod network (`--pod-network-cidr`, a /24 per node), as
# `minikube start` sets them up. A /24 holds 253 nodes and a /16 256 podCIDRs: larger simulated clusters
# widen both, as an admin sizes them: the docker network to 192.168.0.0/16 (same gateway, so node IPs go on
# past 192.168.49.254: 192.168.49.255, 192.168.50.0, ...) and the cluster CIDR (kube-controller-manager's
# --cluster-cidr) to the smallest block around 10.244.0.0/16 with a /24 for every node, which stays clear of
# the Service range 10.96.0.0/12 up to 10.128.0.0/9 (32,768 nodes).
NODE_GATEWAY = ipaddress.ip_address("192.168.49.1")
POD_CIDR = ipaddress.ip_network("10.244.0.0/16")
NODE_CIDR_PREFIX = 24  # --node-cidr-mask-size
SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")


def node_ip(index: int) -> str:
    """minikube's static IP for node `index`: gateway + 1 + index (192.168.49.2, .3, ...)."""
    return str(NODE_GATEWAY + 1 + index)


def cluster_cidr(nodes: int) -> ipaddress.IPv4Network:
    """The pod network of a cluster of `nodes` nodes: 10.244.0.0/16 up to 256 nodes (minikube's), else the
    smallest supernet of it that has a /24 for every node."""
    prefix = POD_CIDR.prefixlen
    while 2 ** (NODE_CIDR_PREFIX - prefix) < nodes:
        prefix -= 1
    network = POD_CIDR.supernet(new_prefix=prefix)
    if network.overlaps(SERVICE_CIDR):
        raise ValueError(f"A cluster of {nodes} nodes needs more /24 pod networks than fit beside the Service "
                         f"range {SERVICE_CIDR}; the simulator has room for {2 ** (NODE_CIDR_PREFIX - prefix - 1)}.")
    return network


def node_pod_cidr(index: int, nodes: int) -> str:
    """The podCIDR the node IPAM controller gives node `index`: the index-th /24 of the cluster CIDR, as the
    range allocator hands them out in the order nodes register."""
    network = cluster_cidr(nodes)
    return f"{network.network_address + (index << (32 - NODE_CIDR_PREFIX))}/{NODE_CIDR_PREFIX}"


def node_object(index: int, api: APIServer, created_at: str, nodes: int = 1) -> Obj:
    name = node_name(index)
    pod_cidr = node_pod_cidr(index, max(nodes, index + 1))
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "minikube.k8s.io/commit": MINIKUBE_COMMIT,
        "minikube.k8s.io/name": "minikube",
        "minikube.k8s.io/primary": "true" if index == 0 else "false",
        "minikube.k8s.io/updated_at": api.clock.datetime().strftime("%Y_%m_%dT%H_%M_%S_0700"),
        "minikube.k8s.io/version": MINIKUBE_VERSION,
    }
    if index == 0:
        labels["node-role.kubernetes.io/control-plane"] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
    resources = {"cpu": NODE_CPU, "ephemeral-storage": NODE_EPHEMERAL, "hugepages-1Gi": "0",
                 "hugepages-2Mi": "0", "memory": NODE_MEMORY, "pods": NODE_PODS}
    ready = [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ]
    machine = f"{api.rng.getrandbits(128):032x}"
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": labels,
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/cri-dockerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        },
        "spec": {"podCIDR": pod_cidr, "podCIDRs": [pod_cidr]},
        "status": {
            "addresses": [{"address": node_ip(index), "type": "InternalIP"},
                          {"address": name, "type": "Hostname"}],
            "allocatable": dict(resources),
            "capacity": dict(resources),
            "conditions": [
                {"type": t, "status": s, "reason": r, "message": m, "lastHeartbeatTime": created_at,
                 "lastTransitionTime": created_at}
                for t, s, r, m in ready
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "images": [],
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": api.new_uid(),
                "containerRuntimeVersion": CONTAINER_RUNTIME,
                "kernelVersion": KERNEL_VERSION,
                "kubeProxyVersion": KUBERNETES_VERSION,
                "kubeletVersion": KUBERNETES_VERSION,
                "machineID": machine,
                "operatingSystem": "linux",
                "osImage": OS_IMAGE,
                "systemUUID": api.new_uid(),
            },
        },
    }


def join_node(api: APIServer, index: int, nodes: int = 1) -> Obj:
    """Register node `index` of a cluster of `nodes` and its Lease, as its kubelet does when it joins."""
    r = REGISTRY.resolve
    node = api.create(r("nodes"), node_object(index, api, api.clock.timestamp(), nodes))
    api.create(r("leases"), {
        "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
        "metadata": {"name": node["metadata"]["name"], "namespace": "kube-node-lease",
                     "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": node["metadata"]["name"],
                                          "uid": node["metadata"]["uid"]}]},
        "spec": {"holderIdentity": node["metadata"]["name"], "leaseDurationSeconds": 40,
                 "renewTime": api.clock.micro_timestamp()},
    })
    return node


def bootstrap(api: APIServer, nodes: int = 1) -> None:
    """Create the objects of a freshly started minikube control plane of a cluster of `nodes`: namespaces, the
    control-plane node, the `kubernetes` and `kube-dns` Services and the default StorageClass (workers join
    afterwards)."""
    create = api.create
    r = REGISTRY.resolve
    for ns in SYSTEM_NAMESPACES:
        create(r("namespaces"), {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    join_node(api, 0, nodes)
    create(r("services"), {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kubernetes", "namespace": "default",
                     "labels": {"component": "apiserver", "provider": "kubernetes"}},
        "spec": {"clusterIP": "10.96.0.1",
                 "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 8443}]},
    })
    create(r("endpoints"), {
        "apiVersion": "v1", "kind": "Endpoints",
        "metadata": {"name": "kubernetes", "namespace": "default",
                     "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
        "subsets": [{"addresses": [{"ip": node_ip(0)}],
                     "ports": [{"name": "https", "port": 8443, "protocol": "TCP"}]}],
    })
    create(r("endpointslices"), {
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": "kubernetes", "namespace": "default",
                     "labels": {"kubernetes.io/service-name": "kubernetes"}},
        "addressType": "IPv4",
        "endpoints": [{"addresses": [node_ip(0)], "conditions": {"ready": True}}],
        "ports": [{"name": "https", "port": 8443, "protocol": "TCP"}],
    })
    create(r("services"), {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {
            "name": "kube-dns", "namespace": "kube-system",
            "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true",
                       "kubernetes.io/name": "CoreDNS"},
            "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
        },
        "spec": {
            "clusterIP": "10.96.0.10",
            "selector": {"k8s-app": "kube-dns"},
            "ports": [
                {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153},
            ],
        },
    })
    create(r("storageclasses"), {
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
        "metadata": {
            "name": "standard",
            "labels": {"addonmanager.kubernetes.io/mode": "EnsureExists"},
            "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
        },
        "provisioner": "k8s.io/minikube-hostpath",
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "Immediate",
    })


# --- kube-system workloads of a fresh minikube -----------------------------------------------------------
CONTROL_PLANE_IMAGES = {
    "etcd": "registry.k8s.io/etcd:3.5.21-0",
    "kube-apiserver": f"registry.k8s.io/kube-apiserver:{KUBERNETES_VERSION}",
    "kube-controller-manager": f"registry.k8s.io/kube-controller-manager:{KUBERNETES_VERSION}",
    "kube-scheduler": f"registry.k8s.io/kube-scheduler:{KUBERNETES_VERSION}",
}
KUBE_PROXY_IMAGE = f"registry.k8s.io/kube-proxy:{KUBERNETES_VERSION}"
COREDNS_IMAGE = "registry.k8s.io/coredns/coredns:v1.12.0"
STORAGE_PROVISIONER_IMAGE = "gcr.io/k8s-minikube/storage-provisioner:v5"
# minikube picks the kindnet CNI for clusters of more than one node (pkg/minikube/cni: its manifest and image)
KINDNET_IMAGE = "docker.io/kindest/kindnetd:v20250512-df8de77b"
# What `minikube start` leaves in the node's image store (pulled before the cluster came up).
PRELOADED_IMAGES = (*CONTROL_PLANE_IMAGES.values(), KUBE_PROXY_IMAGE, COREDNS_IMAGE, STORAGE_PROVISIONER_IMAGE,
                    "registry.k8s.io/pause:3.10")
# The listening ports and health routes of each system image (the simulator's image catalogue entries).
SYSTEM_IMAGES = (
    {"repository": "registry.k8s.io/etcd", "tags": ("3.5.21-0",), "size": 149534704, "ports": (2379, 2380, 2381),
     "routes": {"/health": 200, "/readyz": 200, "/livez": 200}, "binaries": ("etcd",), "entrypoint": ("etcd",), "memory": 32 * 1024 * 1024,
     "cpu_millicores": 20},
    {"repository": "registry.k8s.io/kube-apiserver", "tags": (KUBERNETES_VERSION,), "size": 97899720,
     "ports": (8443,), "routes": {"/livez": 200, "/readyz": 200}, "binaries": ("kube-apiserver",), "entrypoint": ("kube-apiserver",),
     "memory": 240 * 1024 * 1024, "cpu_millicores": 40},
    {"repository": "registry.k8s.io/kube-controller-manager", "tags": (KUBERNETES_VERSION,), "size": 89811352,
     "ports": (10257,), "routes": {"/healthz": 200}, "binaries": ("kube-controller-manager",), "entrypoint": ("kube-controller-manager",),
     "memory": 48 * 1024 * 1024, "cpu_millicores": 15},
    {"repository": "registry.k8s.io/kube-scheduler", "tags": (KUBERNETES_VERSION,), "size": 67975792,
     "ports": (10259,), "routes": {"/healthz": 200, "/livez": 200, "/readyz": 200},
     "binaries": ("kube-scheduler",), "entrypoint": ("kube-scheduler",), "memory": 20 * 1024 * 1024, "cpu_millicores": 3},
    {"repository": "registry.k8s.io/kube-proxy", "tags": (KUBERNETES_VERSION,), "size": 97305056,
     "ports": (10249, 10256), "routes": {"/healthz": 200}, "binaries": ("kube-proxy", "/usr/local/bin/kube-proxy"), "entrypoint": ("/usr/local/bin/kube-proxy",),
     "memory": 18 * 1024 * 1024, "cpu_millicores": 1},
    {"repository": "registry.k8s.io/coredns/coredns", "tags": ("v1.12.0",), "size": 69960192,
     "ports": (53, 8080, 8181, 9153), "routes": {"/health": 200, "/ready": 200},
     "binaries": ("coredns", "/coredns"), "entrypoint": ("/coredns",), "memory": 14 * 1024 * 1024, "cpu_millicores": 2},
    {"repository": "docker.io/kindest/kindnetd", "tags": ("v20250512-df8de77b",), "size": 38385392,
     "binaries": ("kindnetd", "/bin/kindnetd"), "entrypoint": ("/bin/kindnetd",), "memory": 12 * 1024 * 1024,
     "cpu_millicores": 1},
    {"repository": "gcr.io/k8s-minikube/storage-provisioner", "tags": ("v5",), "size": 31465472,
     "binaries": ("storage-provisioner", "/storage-provisioner"), "entrypoint": ("/storage-provisioner",), "memory": 10 * 1024 * 1024, "cpu_millicores": 1},
)

def _static_pod(component: str, node: str, node_uid: str, created_at: str, config_hash: str) -> Obj:
    """A control-plane component as kubeadm's static pod manifest and its mirror pod make it."""
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "name": f"{component}-{node}", "namespace": "kube-system",
            "labels": {"component": component, "tier": "control-plane"},
            "annotations": {
                "kubernetes.io/config.hash": config_hash,
                "kubernetes.io/config.mirror": config_hash,
                "kubernetes.io/config.seen": created_at.replace("Z", ".000000000Z"),
                "kubernetes.io/config.source": "file",
            },
            "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": node, "uid": node_uid,
                                 "controller": True}],
        },
        "spec": {
            "nodeName": node, "hostNetwork": True, "priorityClassName": "system-node-critical",
            "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
            "tolerations": [{"operator": "Exists", "effect": "NoExecute"}],
            "containers": [{
                "name": component, "image": CONTROL_PLANE_IMAGES[component],
                "imagePullPolicy": "IfNotPresent", "command": [component],
                "resources": {"requests": {"cpu": {"etcd": "100m", "kube-apiserver": "250m",
                                                   "kube-controller-manager": "200m",
                                                   "kube-scheduler": "100m"}[component],
                                           **({"memory": "100Mi"} if component == "etcd" else {})}},
            }],
        },
    }


def system_workloads(api: APIServer, nodes: int = 1) -> list[tuple[str, Obj]]:
    """(resource, object) pairs: the kube-system pods, DaemonSets and Deployment of a fresh minikube (with the
    kindnet CNI's DaemonSet when it has more than one node)."""
    node = api.peek(REGISTRY.resolve("nodes"), node_name(0))
    assert node is not None
    created = api.clock.timestamp()
    objects: list[tuple[str, Obj]] = []
    for component in CONTROL_PLANE_IMAGES:
        config_hash = f"{api.rng.getrandbits(128):032x}"
        objects.append(("pods", _static_pod(component, node_name(0), node["metadata"]["uid"], created, config_hash)))
    for account in ("coredns", "kube-proxy", "storage-provisioner"):
        objects.append(("serviceaccounts", {"apiVersion": "v1", "kind": "ServiceAccount",
                                            "metadata": {"name": account, "namespace": "kube-system"}}))
    objects.append(("configmaps", {
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "coredns", "namespace": "kube-system"},
        "data": {"Corefile": COREFILE}}))
    objects.append(("daemonsets", {
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "kube-proxy", "namespace": "kube-system", "labels": {"k8s-app": "kube-proxy"}},
        "spec": {"selector": {"matchLabels": {"k8s-app": "kube-proxy"}}, "template": {
            "metadata": {"labels": {"k8s-app": "kube-proxy"}},
            "spec": {"hostNetwork": True, "priorityClassName": "system-node-critical",
                     "serviceAccountName": "kube-proxy", "nodeSelector": {"kubernetes.io/os": "linux"},
                     "tolerations": [{"operator": "Exists"}],
                     "containers": [{"name": "kube-proxy", "image": KUBE_PROXY_IMAGE,
                                     "imagePullPolicy": "IfNotPresent",
                                     "command": ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf",
                                                 "--hostname-override=$(NODE_NAME)"],
                                     "env": [{"name": "NODE_NAME",
                                              "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}],
                                     "securityContext": {"privileged": True}}]}}}}))
    objects.append(("deployments", {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "coredns", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
                 "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
                 "template": {"metadata": {"labels": {"k8s-app": "kube-dns"}}, "spec": {
                     "priorityClassName": "system-cluster-critical", "serviceAccountName": "coredns",
                     "nodeSelector": {"kubernetes.io/os": "linux"},
                     "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                                     {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}],
                     "containers": [{
                         "name": "coredns", "image": COREDNS_IMAGE, "imagePullPolicy": "IfNotPresent",
                         "args": ["-conf", "/etc/coredns/Corefile"],
                         "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"},
                                   {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                                   {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}],
                         "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
                         "livenessProbe": {"httpGet": {"path": "/health", "port": 8080}, "initialDelaySeconds": 60,
                                           "timeoutSeconds": 5, "failureThreshold": 5, "successThreshold": 1},
                         "readinessProbe": {"httpGet": {"path": "/ready", "port": 8181}},
                         "volumeMounts": [{"name": "config-volume", "mountPath": "/etc/coredns", "readOnly": True}]}],
                     "volumes": [{"name": "config-volume", "configMap": {
                         "name": "coredns", "items": [{"key": "Corefile", "path": "Corefile"}]}}]}}}}))
    objects.append(("pods", {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "storage-provisioner", "namespace": "kube-system",
                     "labels": {"addonmanager.kubernetes.io/mode": "Reconcile",
                                "integration-test": "storage-provisioner"}},
        "spec": {"hostNetwork": True, "serviceAccountName": "storage-provisioner",
                 "containers": [{"name": "storage-provisioner", "image": STORAGE_PROVISIONER_IMAGE,
                                 "imagePullPolicy": "IfNotPresent", "command": ["/storage-provisioner"],
                                 "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}]}],
                 "volumes": [{"name": "tmp", "hostPath": {"path": "/tmp", "type": "Directory"}}]}}))
    if nodes > 1:
        objects += kindnet()
    return objects


def kindnet() -> list[tuple[str, Obj]]:
    """The kindnet CNI as minikube applies it for a multi-node cluster (pkg/minikube/cni/kindnet.go)."""
    labels = {"tier": "node", "app": "kindnet", "k8s-app": "kindnet"}
    resources = {"cpu": "100m", "memory": "50Mi"}
    container = {
        "name": "kindnet-cni", "image": KINDNET_IMAGE,
        "env": [{"name": "HOST_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.hostIP"}}},
                {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
                {"name": "POD_SUBNET", "value": "10.244.0.0/16"}],
        "volumeMounts": [{"name": "cni-cfg", "mountPath": "/etc/cni/net.d"},
                         {"name": "xtables-lock", "mountPath": "/run/xtables.lock", "readOnly": False},
                         {"name": "lib-modules", "mountPath": "/lib/modules", "readOnly": True}],
        "resources": {"requests": dict(resources), "limits": dict(resources)},
        "securityContext": {"privileged": False, "capabilities": {"add": ["NET_RAW", "NET_ADMIN"]}},
    }
    daemonset = {
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "kindnet", "namespace": "kube-system", "labels": dict(labels)},
        "spec": {"selector": {"matchLabels": {"app": "kindnet"}}, "template": {
            "metadata": {"labels": dict(labels)},
            "spec": {"hostNetwork": True, "tolerations": [{"operator": "Exists", "effect": "NoSchedule"}],
                     "serviceAccountName": "kindnet", "containers": [container],
                     "volumes": [{"name": "cni-cfg", "hostPath": {"path": "/etc/cni/net.d"}},
                                 {"name": "xtables-lock", "hostPath": {"path": "/run/xtables.lock",
                                                                        "type": "FileOrCreate"}},
                                 {"name": "lib-modules", "hostPath": {"path": "/lib/modules"}}]}}},
    }
    account = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "kindnet", "namespace": "kube-system"}}
    return [("serviceaccounts", account), ("daemonsets", daemonset)]


COREFILE = """.:53 {
    log
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    hosts {
       192.168.49.1 host.minikube.internal
       fallthrough
    }
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
"""


def start_system_workloads(api: APIServer, nodes: int = 1) -> None:
    """Create the kube-system workloads (their images are already on the node, as after `minikube start`)."""
    for resource, obj in system_workloads(api, nodes):
        api.create(REGISTRY.resolve(resource), obj, obj["metadata"].get("namespace"))
