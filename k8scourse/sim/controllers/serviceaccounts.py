"""Per-namespace defaults: the `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap.

Created by `SimulatedCluster`. Mirrors kube-controller-manager's serviceaccount controller and
root-ca-cert-publisher: every active namespace gets both, and gets them back if they are deleted.
"""

from __future__ import annotations

from collections.abc import Hashable

from ...api.errors import ApiError
from ...api.registry import REGISTRY
from ..store import WatchEvent
from .base import Controller

SERVICE_ACCOUNTS = REGISTRY.resolve("serviceaccounts")
CONFIG_MAPS = REGISTRY.resolve("configmaps")
ROOT_CA = "kube-root-ca.crt"
ROOT_CA_DESCRIPTION = (
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as "
    "the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of "
    "Kubernetes clusters."
)
# A fixed, self-signed minikube CA: the simulator never does TLS, but the bundle looks like the real one.
MINIKUBE_CA = """-----BEGIN CERTIFICATE-----
MIIDBjCCAe6gAwIBAgIBATANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwptaW5p
a3ViZUNBMB4XDTI2MDEwNDA5MDAwMFoXDTM2MDEwMzA5MDAwMFowFTETMBEGA1UE
AxMKbWluaWt1YmVDQTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAMq3
c2ltdWxhdGVkLWNsdXN0ZXItY2EtZm9yLWs4c2NvdXJzZS1ub3QtYS1yZWFsLWtl
eS10aGlzLWlzLXBsYWNlaG9sZGVyLWJ5dGVzLXRoYXQtbG9vay1saWtlLWFuLVJT
QS1rZXktYnV0LWFyZS1ub3QtdXNhYmxlLWZvci1hbnl0aGluZy1hdC1hbGwuLi4u
Li4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4u
-----END CERTIFICATE-----
"""


class ServiceAccountsController(Controller):
    name = "serviceaccount-controller"
    resources = ("namespaces", "serviceaccounts", "configmaps")

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        meta = event.object["metadata"]
        if event.resource == "namespaces":
            return [meta["name"]] if event.type == "ADDED" else []
        if event.type == "DELETED" and meta["name"] in ("default", ROOT_CA):
            return [meta.get("namespace", "")]
        return []

    def sync(self, key: Hashable) -> None:
        ns_name = str(key)
        ns = self.api.store.get("namespaces", "", ns_name)
        if ns is None or ns["metadata"].get("deletionTimestamp"):
            return
        if self.api.store.get("serviceaccounts", ns_name, "default") is None:
            self._create(SERVICE_ACCOUNTS, {"apiVersion": "v1", "kind": "ServiceAccount",
                                            "metadata": {"name": "default", "namespace": ns_name}})
        if self.api.store.get("configmaps", ns_name, ROOT_CA) is None:
            self._create(CONFIG_MAPS, {
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": ROOT_CA, "namespace": ns_name,
                             "annotations": {"kubernetes.io/description": ROOT_CA_DESCRIPTION}},
                "data": {"ca.crt": MINIKUBE_CA},
            })

    def _create(self, rt, obj) -> None:  # noqa: ANN001
        try:
            self.api.create(rt, obj, obj["metadata"]["namespace"])
        except ApiError as exc:
            if exc.code != 409:
                raise
