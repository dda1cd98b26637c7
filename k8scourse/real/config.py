"""Kubeconfig loading and the safety rule for real clusters: only contexts that look local are used.

Called by `RealCluster` (k8scourse.real.cluster) when it connects, and by `k8scourse doctor`. A context
looks local when it is `minikube`, `kind-*`, `docker-desktop`, `k3d-*`, or its server is on a loopback
address; any other context is refused unless the caller passes `allow_remote=True`.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kubernetes import client as k8s_client
from kubernetes import config as k8s_config
from kubernetes.config.config_exception import ConfigException
from urllib3.util.retry import Retry

from ..api.errors import K8sError

LOCAL_CONTEXT_NAMES = ("minikube", "docker-desktop", "docker-for-desktop", "rancher-desktop")
LOCAL_CONTEXT_PREFIXES = ("kind-", "k3d-")
START_HINT = "Start a local cluster with `minikube start --driver=docker`, which writes its kubeconfig context."


class ClusterConfigError(K8sError):
    """The kubeconfig or the context cannot be used (missing, unknown context, remote without opt-in)."""

    def kubectl_message(self) -> str:
        return f"error: {self}"


@dataclass(frozen=True)
class Target:
    """Which cluster to talk to: a kubeconfig file, a context in it, and that context's API server."""

    kubeconfig: str
    context: str
    server: str

    @property
    def local(self) -> bool:
        return looks_local(self.context, self.server)


def default_kubeconfig() -> str:
    """What kubectl reads: $KUBECONFIG (its first file) or ~/.kube/config."""
    env = os.environ.get("KUBECONFIG", "")
    first = next((p for p in env.split(os.pathsep) if p), "")
    return os.path.expanduser(first or "~/.kube/config")


def looks_local(context: str, server: str) -> bool:
    """True for minikube, kind-*, docker-desktop, k3d-* contexts and for servers on a loopback address."""
    if context in LOCAL_CONTEXT_NAMES or context.startswith(LOCAL_CONTEXT_PREFIXES):
        return True
    host = urlsplit(server).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve(kubeconfig: str | Path | None = None, context: str | None = None) -> Target:
    """The kubeconfig file, context and server that `kubeconfig`/`context` name (defaults as kubectl's)."""
    path = os.path.expanduser(str(kubeconfig)) if kubeconfig else default_kubeconfig()
    if not os.path.exists(path):
        raise ClusterConfigError(f"There is no kubeconfig at {path}, so there is no real cluster to connect to. "
                                 f"{START_HINT} Or pass kubeconfig=... (K8SCOURSE_KUBECONFIG) naming one.")
    try:
        contexts, current = k8s_config.list_kube_config_contexts(path)
    except ConfigException as exc:
        raise ClusterConfigError(f"The kubeconfig {path} cannot be read: {exc}. {START_HINT}") from None
    names = [c["name"] for c in contexts or []]
    name = context or (current or {}).get("name")
    if not name:
        raise ClusterConfigError(f"The kubeconfig {path} has no current context; name one with context=... "
                                 f"(its contexts: {', '.join(names) or 'none'}).")
    if name not in names:
        hint = " `minikube start` creates the 'minikube' context." if name == "minikube" else ""
        raise ClusterConfigError(f"The kubeconfig {path} has no context {name!r} (its contexts: "
                                 f"{', '.join(names) or 'none'}).{hint}")
    return Target(path, name, _server_of(path, name))


def _server_of(path: str, context: str) -> str:
    configuration = k8s_client.Configuration()
    try:
        k8s_config.load_kube_config(config_file=path, context=context, client_configuration=configuration,
                                    persist_config=False)
    except ConfigException as exc:
        raise ClusterConfigError(f"The context {context!r} in {path} cannot be used: {exc}") from None
    return configuration.host


def check_local(target: Target, allow_remote: bool) -> None:
    """Refuse a context that does not look local unless the caller opted in."""
    if target.local or allow_remote:
        return
    raise ClusterConfigError(
        f"The context {target.context!r} points at {target.server}, which does not look like a local cluster "
        "(minikube, kind-*, docker-desktop, k3d-* or a loopback address). The course creates and deletes objects, "
        "so it only talks to local clusters by default. If you really mean this cluster, pass allow_remote=True."
    )


def api_client(target: Target) -> k8s_client.ApiClient:
    """An ApiClient for the target context that fails fast when the server does not answer."""
    configuration = k8s_client.Configuration()
    k8s_config.load_kube_config(config_file=target.kubeconfig, context=target.context,
                                client_configuration=configuration, persist_config=False)
    # a refused connection fails at once; a pooled connection the server closed meanwhile is retried
    configuration.retries = Retry(total=3, connect=0, read=2, redirect=0, status=0)
    return k8s_client.ApiClient(configuration)
