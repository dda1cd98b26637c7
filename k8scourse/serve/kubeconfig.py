"""The kubeconfig file `k8scourse serve` writes, so kubectl and the official client find the server.

Called by `k8scourse.serve.server` when a server starts. One cluster named `k8scourse`, one context and
one user named after the context, plain HTTP on the loopback address and no credentials.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml

CLUSTER = "k8scourse"


def kubeconfig_text(url: str, context: str, namespace: str = "default") -> str:
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": CLUSTER, "cluster": {"server": url}}],
        "contexts": [{"name": context, "context": {"cluster": CLUSTER, "user": context, "namespace": namespace}}],
        "current-context": context,
        "users": [{"name": context, "user": {}}],
        "preferences": {},
    }
    return yaml.safe_dump(config, sort_keys=False)


def write_kubeconfig(url: str, context: str, path: str | Path | None = None) -> Path:
    """Write the kubeconfig to `path` (a new temporary folder when None) and return where it is."""
    target = Path(path) if path is not None else Path(tempfile.mkdtemp(prefix="k8scourse-serve-")) / "kubeconfig"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(kubeconfig_text(url, context))
    target.chmod(0o600)
    return target
