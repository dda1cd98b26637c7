"""Fixtures for the official-client backend's tests: kubeconfig files written in tmp_path, and a
`k8scourse serve` on loopback to talk to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml


def write_kubeconfig(path: Path, contexts: dict[str, str], current: str | None = None) -> Path:
    """A kubeconfig with one cluster and context per `{context: server}` (no credentials)."""
    config = {
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": f"c-{name}", "cluster": {"server": server}} for name, server in contexts.items()],
        "contexts": [{"name": name, "context": {"cluster": f"c-{name}", "user": "u"}} for name in contexts],
        "users": [{"name": "u", "user": {}}],
        "current-context": current or next(iter(contexts)),
    }
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.fixture
def kubeconfig(tmp_path: Path):
    def make(contexts: dict[str, str], current: str | None = None) -> Path:
        return write_kubeconfig(tmp_path / "kubeconfig", contexts, current)

    return make


@pytest.fixture(scope="module")
def server() -> Iterator[object]:
    """`k8scourse serve` over a fresh simulated cluster, its clock moving only when asked."""
    from k8scourse.serve import serve
    from k8scourse.sim.cluster import SimulatedCluster

    with serve(SimulatedCluster(), speed=0) as running:
        yield running
