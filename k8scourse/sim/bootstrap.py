"""What a fresh `minikube start` leaves in the cluster: namespaces, nodes, the `kubernetes` and `kube-dns`
Services, node leases and the default StorageClass `standard`.

Called once by `SimulatedCluster` when it is created. Everything goes through the simulated apiserver,
so it is validated and defaulted like any other object; the shapes are those of a minikube v1.36
cluster running Kubernetes v1.33 with the docker driver.
"""

from __future__ import annotations

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


def node_ip(index: int) -> str:
    return f"192.168.49.{index + 2}"


def node_object(index: int, api: APIServer, created_at: str) -> Obj:
    name = node_name(index)
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
        "spec": {"podCIDR": f"10.244.{index}.0/24", "podCIDRs": [f"10.244.{index}.0/24"]},
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


def bootstrap(api: APIServer, nodes: int) -> None:
    """Create the objects of a freshly started minikube with `nodes` nodes."""
    create = api.create
    r = REGISTRY.resolve
    for ns in SYSTEM_NAMESPACES:
        create(r("namespaces"), {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    now = api.clock.timestamp()
    for i in range(nodes):
        node = create(r("nodes"), node_object(i, api, now))
        create(r("leases"), {
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": {"name": node["metadata"]["name"], "namespace": "kube-node-lease",
                         "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": node["metadata"]["name"],
                                              "uid": node["metadata"]["uid"]}]},
            "spec": {"holderIdentity": node["metadata"]["name"], "leaseDurationSeconds": 40,
                     "renewTime": api.clock.micro_timestamp()},
        })
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
