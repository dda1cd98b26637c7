"""minikube's addons as data: names, maintainers, default state, pinned images and, for the modelled ones,
the objects they apply.

Read by the addon manager (`manager.py`) and the simulated `minikube addons` command. Names, maintainers
and images are those of kubernetes/minikube v1.36.0 pkg/minikube/assets/addons.go; the pods minikube
waits for are pkg/addons/config.go's addonPodLabels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from . import manifests

OFFICIAL_MAINTAINERS = ("Google", "Kubernetes", "minikube")  # enable.go isOfficialMaintainer


@dataclass(frozen=True)
class Addon:
    """One addon of `minikube addons list`; `manifest` is empty for addons the simulator does not model."""

    name: str
    maintainer: str
    verified_maintainer: str = ""
    enabled_by_default: bool = False
    images: tuple[str, ...] = ()  # registry/image:tag@digest, in the order `Using image` lines print them
    manifest: str = ""
    verify_namespace: str = ""  # where `Verifying NAME addon...` waits for pods (addonPodLabels)
    verify_selector: str = ""
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def modelled(self) -> bool:
        return bool(self.manifest) or self.enabled_by_default

    @property
    def official(self) -> bool:
        return self.maintainer in OFFICIAL_MAINTAINERS

    def objects(self) -> list[dict[str, Any]]:
        """The documents `kubectl apply` gets from the addon's files, in order."""
        return [doc for doc in yaml.safe_load_all(self.manifest) if doc]


INGRESS_CONTROLLER_IMAGE = ("registry.k8s.io/ingress-nginx/controller:v1.12.2"
                            "@sha256:03497ee984628e95eca9b2279e3f3a3c1685dd48635479e627d219f00c8eefa9")
CERTGEN_IMAGE = ("registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.5.3"
                 "@sha256:2cf4ebfa82a37c357455458f6dfc334aea1392d508270b2517795a9933a02524")
METRICS_SERVER_IMAGE = ("registry.k8s.io/metrics-server/metrics-server:v0.7.2"
                        "@sha256:ffcb2bf004d6aa0a17d90e0247cf94f2865c8901dcab4427034c341951c239f9")

_MAINTAINERS = {
    "ambassador": "3rd party (Ambassador)", "amd-gpu-device-plugin": "3rd party (AMD)", "auto-pause": "minikube",
    "cloud-spanner": "Google", "csi-hostpath-driver": "Kubernetes", "dashboard": "Kubernetes",
    "default-storageclass": "Kubernetes", "efk": "3rd party (Elastic)", "freshpod": "Google", "gcp-auth": "Google",
    "gvisor": "minikube", "headlamp": "3rd party (kinvolk.io)", "inaccel": "3rd party (InAccel [info@inaccel.com])",
    "ingress": "Kubernetes", "ingress-dns": "minikube", "inspektor-gadget": "3rd party (inspektor-gadget.io)",
    "istio": "3rd party (Istio)", "istio-provisioner": "3rd party (Istio)", "kong": "3rd party (Kong HQ)",
    "kubeflow": "3rd party", "kubevirt": "3rd party (KubeVirt)", "logviewer": "3rd party (unknown)",
    "metallb": "3rd party (MetalLB)", "metrics-server": "Kubernetes", "nvidia-device-plugin": "3rd party (NVIDIA)",
    "nvidia-driver-installer": "3rd party (NVIDIA)", "nvidia-gpu-device-plugin": "3rd party (NVIDIA)",
    "olm": "3rd party (Operator Framework)", "pod-security-policy": "3rd party (unknown)", "portainer":
    "3rd party (Portainer.io)", "registry": "minikube", "registry-aliases": "3rd party (unknown)",
    "registry-creds": "3rd party (UPMC Enterprises)", "storage-provisioner": "minikube",
    "storage-provisioner-gluster": "3rd party (Gluster)", "storage-provisioner-rancher": "3rd party (Rancher)",
    "volcano": "third-party (volcano)", "volumesnapshots": "Kubernetes", "yakd": "3rd party (marcnuri.com)",
}
_VERIFIED = {"inspektor-gadget": "https://github.com/orgs/inspektor-gadget/people", "kong": "@gAmUssA",
             "volcano": "hwdef", "headlamp": "yolossn", "yakd": "manusa"}

_MODELLED = {
    "default-storageclass": Addon("default-storageclass", "Kubernetes", enabled_by_default=True),
    "storage-provisioner": Addon("storage-provisioner", "minikube", enabled_by_default=True),
    "ingress": Addon("ingress", "Kubernetes", images=(INGRESS_CONTROLLER_IMAGE, CERTGEN_IMAGE, CERTGEN_IMAGE),
                     manifest=manifests.INGRESS, verify_namespace="ingress-nginx",
                     verify_selector="app.kubernetes.io/name=ingress-nginx"),
    "metrics-server": Addon("metrics-server", "Kubernetes", images=(METRICS_SERVER_IMAGE,),
                            manifest=manifests.METRICS_SERVER),
}

ADDONS: dict[str, Addon] = {
    name: _MODELLED.get(name) or Addon(name, maintainer, _VERIFIED.get(name, ""))
    for name, maintainer in sorted(_MAINTAINERS.items())
}
