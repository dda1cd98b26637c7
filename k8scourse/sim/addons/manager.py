"""Enabling and disabling minikube addons on the simulated cluster: which are on, applying and removing
their objects, and waiting for their pods as `minikube addons enable` does.

Created by `SimulatedCluster` (as `cluster.addons`); driven by the simulated `minikube addons` command.
Enabling applies the addon's manifests through the apiserver like minikube's `kubectl apply` (objects that
exist are left as they are), then, for addons with pods to verify (ingress), lets cluster time run, polling
every 0.5 s for up to 6 minutes, until every matching pod is Running or Succeeded (kapi.WaitForPods).
Disabling deletes the same objects (`kubectl delete --ignore-not-found`).
"""

from __future__ import annotations

from typing import Any

from ...api.errors import ApiError
from ...api.registry import REGISTRY
from .catalog import ADDONS, Addon

PODS = REGISTRY.resolve("pods")
POLL_SECONDS = 0.5  # kconst.APICallRetryInterval
VERIFY_TIMEOUT = 360.0  # verifyAddonStatusInternal: time.Minute*6
APPLY_SECONDS = 1.0  # kubectl apply inside the node


class AddonManager:
    """The cluster's addon states (`enabled`), starting as a fresh `minikube start` leaves them."""

    def __init__(self, api: Any):
        self.api = api
        self.enabled: set[str] = {name for name, addon in ADDONS.items() if addon.enabled_by_default}

    def is_enabled(self, name: str) -> bool:
        return name in self.enabled

    def apply(self, addon: Addon) -> None:
        """`kubectl apply -f` of the addon's files: create what is missing."""
        for obj in addon.objects():
            rt = REGISTRY.for_kind(obj["apiVersion"], obj["kind"])
            namespace = obj["metadata"].get("namespace") if rt.namespaced else None
            if self.api.peek(rt, obj["metadata"]["name"], namespace) is None:
                self.api.create(rt, obj, namespace)
            self.api.clock.run_due()
        self.api.clock.advance(APPLY_SECONDS)

    def remove(self, addon: Addon) -> None:
        """`kubectl delete --ignore-not-found -f` of the addon's files, last object first."""
        for obj in reversed(addon.objects()):
            rt = REGISTRY.for_kind(obj["apiVersion"], obj["kind"])
            namespace = obj["metadata"].get("namespace") if rt.namespaced else None
            try:
                self.api.delete(rt, obj["metadata"]["name"], namespace)
            except ApiError as exc:
                if exc.code != 404:
                    raise
            self.api.clock.run_due()

    def pods_ready(self, addon: Addon) -> bool:
        """kapi.WaitForPods' test: at least one matching pod, and every one Running or Succeeded."""
        pods = self.api.select(PODS, addon.verify_namespace, addon.verify_selector)
        return bool(pods) and all((p.get("status") or {}).get("phase") in ("Running", "Succeeded") for p in pods)

    def wait_for_pods(self, addon: Addon, timeout: float = VERIFY_TIMEOUT) -> bool:
        """Let cluster time run until the addon's pods are up (True) or `timeout` seconds passed (False)."""
        deadline = self.api.clock.now + timeout
        while not self.pods_ready(addon):
            if self.api.clock.now >= deadline:
                return False
            self.api.clock.advance(POLL_SECONDS)
        return True

    def metrics_api_available(self) -> bool:
        """Whether `metrics.k8s.io` is served: the metrics-server addon is on and one of its pods is ready."""
        if "metrics-server" not in self.enabled:
            return False
        pods = self.api.select(PODS, "kube-system", "k8s-app=metrics-server")
        return any(c.get("type") == "Ready" and c.get("status") == "True"
                   for p in pods for c in (p.get("status") or {}).get("conditions") or [])
