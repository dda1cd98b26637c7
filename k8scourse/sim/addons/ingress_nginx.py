"""The ingress-nginx controller's work on the API, and the apiserver's DefaultIngressClass admission plugin.

Created by `SimulatedCluster` with the other components. While a controller pod of the minikube ingress addon
is running, the controller does what ingress-nginx v1.12 does (internal/ingress/controller/store/store.go,
internal/ingress/status/status.go): every add or change of an Ingress it handles records a Normal `Sync`
event "Scheduled for sync" from `nginx-ingress-controller` (the controller's own status write is a change
too, hence the familiar `(x2)`), and its status syncer, run once when the controller starts and then every
60 seconds, writes `status.loadBalancer.ingress` = the IP of the node the controller runs on (no
--publish-service: ExternalIP, else InternalIP, so 192.168.49.2 on minikube). It also plays
kube-webhook-certgen's `create` Job: when that pod completes, the webhook Secret `ingress-nginx-admission`
exists, and the controller pod (which mounts it) can start.
"""

from __future__ import annotations

import base64
from collections.abc import Hashable
from typing import Any

from ...api.objects import deep_copy
from ...api.registry import REGISTRY, ResourceType
from ..controllers.base import Controller
from ..network.ingress import CLASS_ANNOTATION, handled_ingresses, handles
from ..store import Store, WatchEvent

Obj = dict[str, Any]
INGRESSES = REGISTRY.resolve("ingresses")
PODS = REGISTRY.resolve("pods")
NODES = REGISTRY.resolve("nodes")
SECRETS = REGISTRY.resolve("secrets")

NAMESPACE = "ingress-nginx"
CONTROLLER_SELECTOR = "app.kubernetes.io/component=controller,app.kubernetes.io/name=ingress-nginx"
CERTGEN_CREATE_JOB = "ingress-nginx-admission-create"
WEBHOOK_SECRET = "ingress-nginx-admission"
STATUS_INTERVAL = 60.0  # status.UpdateInterval
COMPONENT = "nginx-ingress-controller"  # store.go EventSource
IS_DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class"


class IngressNginxController(Controller):
    """Sync events and Ingress status while the addon's controller pod runs; the certgen Secret."""

    name = "ingress-nginx"
    resources = ("pods", INGRESSES.group_resource)

    def __init__(self, api: Any, recorder: Any):
        super().__init__(api, recorder)
        self.started_at: float | None = None  # when the running controller process started its syncers
        self.seen: dict[tuple[str, str], str] = {}  # the informer's view: Ingress -> resourceVersion

    # --- what changes mean -------------------------------------------------------------------------
    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        meta = event.object["metadata"]
        if event.resource == INGRESSES.group_resource:
            return [("ingress", meta["namespace"], meta["name"])]
        if meta.get("namespace") != NAMESPACE:
            return []
        labels = meta.get("labels") or {}
        if labels.get("app.kubernetes.io/component") == "controller":
            return [("controller",)]
        owners = {ref.get("name") for ref in meta.get("ownerReferences") or [] if ref.get("kind") == "Job"}
        return [("certgen", meta["name"])] if CERTGEN_CREATE_JOB in owners else []

    def sync(self, key: Hashable) -> None:
        kind = key[0]  # type: ignore[index]
        if kind == "controller":
            self._sync_controller()
        elif kind == "ingress":
            self._sync_ingress(key[1], key[2])  # type: ignore[index]
        elif kind == "status":
            self._sync_status()
        elif kind == "certgen":
            self._sync_certgen(key[1])  # type: ignore[index]

    # --- the controller process ----------------------------------------------------------------------
    def running_pods(self) -> list[Obj]:
        """Controller pods whose container runs (the process that watches and serves)."""
        return [pod for pod in self.api.select(PODS, NAMESPACE, CONTROLLER_SELECTOR)
                if not pod["metadata"].get("deletionTimestamp")
                and any("running" in (s.get("state") or {}) for s in (pod.get("status") or {}).get(
                    "containerStatuses") or [])]

    def _sync_controller(self) -> None:
        running = bool(self.running_pods())
        if running and self.started_at is None:
            self.started_at = self.api.clock.now
            for ing in handled_ingresses(self.api):  # the informers' initial list: AddFunc for each
                self._observe(ing)
            self.enqueue(("status",), after=0.0)
        elif not running and self.started_at is not None:
            self.started_at = None
            self.seen.clear()

    def _observe(self, ing: Obj) -> None:
        meta = ing["metadata"]
        key = (meta["namespace"], meta["name"])
        if self.seen.get(key) != meta.get("resourceVersion"):
            self.seen[key] = meta.get("resourceVersion", "")
            self.recorder.event(ing, "Normal", "Sync", "Scheduled for sync", COMPONENT)

    def _sync_ingress(self, namespace: str, name: str) -> None:
        if self.started_at is None:
            return
        ing = self.api.peek(INGRESSES, name, namespace)
        if ing is None or not handles(self.api, ing):
            self.seen.pop((namespace, name), None)
            return
        self._observe(ing)
        if self._wanted_status() != _status_of(ing):
            self.enqueue(("status",), after=self._until_next_status_sync())

    # --- status ------------------------------------------------------------------------------------------
    def _until_next_status_sync(self) -> float:
        assert self.started_at is not None
        elapsed = self.api.clock.now - self.started_at
        return -elapsed % STATUS_INTERVAL

    def _wanted_status(self) -> list[Obj]:
        """runningAddresses: each controller pod's node address, sorted (standardizeLoadBalancerIngresses)."""
        addresses = set()
        for pod in self.running_pods():
            node = self.api.peek(NODES, (pod.get("spec") or {}).get("nodeName", ""))
            if node is not None:
                addresses.add(_node_address(node))
        return [{"ip": ip} for ip in sorted(a for a in addresses if a)]

    def _sync_status(self) -> None:
        if self.started_at is None:
            return
        wanted = self._wanted_status()
        for ing in handled_ingresses(self.api):
            if _status_of(ing) != wanted:
                updated = deep_copy(ing)
                updated.setdefault("status", {})["loadBalancer"] = {"ingress": wanted} if wanted else {}
                self.api.update(INGRESSES, updated, ing["metadata"]["namespace"], subresource="status")

    # --- kube-webhook-certgen create --------------------------------------------------------------------
    def _sync_certgen(self, pod_name: str) -> None:
        pod = self.api.peek(PODS, pod_name, NAMESPACE)
        if pod is None or (pod.get("status") or {}).get("phase") != "Succeeded":
            return
        if self.api.peek(SECRETS, WEBHOOK_SECRET, NAMESPACE) is None:
            self.api.create(SECRETS, webhook_secret(), NAMESPACE)


def _status_of(ing: Obj) -> list[Obj]:
    return ((ing.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []


def _node_address(node: Obj) -> str:
    """k8s.GetNodeIPOrName without --use-node-internal-ip: ExternalIP first, then InternalIP."""
    addresses = (node.get("status") or {}).get("addresses") or []
    for kind in ("ExternalIP", "InternalIP"):
        for address in addresses:
            if address.get("type") == kind and address.get("address"):
                return address["address"]
    return ""


def webhook_secret() -> Obj:
    """The Secret certgen's SaveCertsToSecret writes: keys ca, cert and key (PEM, stand-ins here)."""
    def pem(kind: str) -> str:
        return base64.b64encode(f"-----BEGIN {kind}-----\nsimulated\n-----END {kind}-----\n".encode()).decode()

    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": WEBHOOK_SECRET, "namespace": NAMESPACE},
            "data": {"ca": pem("CERTIFICATE"), "cert": pem("CERTIFICATE"), "key": pem("EC PRIVATE KEY")}}


class DefaultIngressClass:
    """kube-apiserver's DefaultIngressClass admission (plugin/pkg/admission/network/defaultingressclass):
    a new Ingress with neither `ingressClassName` nor the class annotation gets the default IngressClass;
    with several defaults, the newest (same age: the first by name)."""

    def __init__(self, store: Store):
        self.store = store

    def __call__(self, operation: str, rt: ResourceType, obj: Obj, old: Obj | None) -> Obj | None:
        if operation != "CREATE" or rt.kind != "Ingress" or rt.group != "networking.k8s.io":
            return None
        if (obj.get("spec") or {}).get("ingressClassName") is not None:
            return None
        if CLASS_ANNOTATION in (obj["metadata"].get("annotations") or {}):
            return None
        defaults = [ic for ic in self.store.list(REGISTRY.resolve("ingressclasses").group_resource)
                    if (ic["metadata"].get("annotations") or {}).get(IS_DEFAULT_CLASS) == "true"]
        if not defaults:
            return None
        defaults.sort(key=lambda ic: ic["metadata"]["name"])
        defaults.sort(key=lambda ic: ic["metadata"].get("creationTimestamp", ""), reverse=True)
        admitted = deep_copy(obj)
        admitted.setdefault("spec", {})["ingressClassName"] = defaults[0]["metadata"]["name"]
        return admitted
