"""Fixtures for `k8scourse serve`: one served simulated cluster per test module, and the machine's kubectl."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from k8scourse.cluster import Cluster
from k8scourse.serve import Server
from k8scourse.sim.cluster import SimulatedCluster


@dataclass
class Served:
    """A simulated cluster, the in-process Cluster on it, and the server exposing it (speed 0)."""

    cluster: Cluster
    server: Server
    cache: Path

    def kubectl(self, command: str, stdin: str | None = None) -> tuple[str, str, int]:
        """Run the real kubectl on the server: (stdout, stderr, exit code)."""
        binary = shutil.which("kubectl")
        assert binary is not None
        argv = [binary, "--kubeconfig", str(self.server.kubeconfig), "--cache-dir", str(self.cache)]
        done = subprocess.run(argv + shlex.split(command), capture_output=True, text=True, input=stdin, timeout=60)
        return done.stdout, done.stderr, done.returncode

    def inproc(self, command: str, stdin: str | None = None) -> tuple[str, str, int]:
        """The same command through the course's in-process kubectl."""
        result = self.cluster.kubectl(command, stdin=stdin)
        return result.stdout, result.stderr, result.returncode


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    cluster = Cluster(SimulatedCluster())
    server = cluster.serve(speed=0, kubeconfig=tmp_path_factory.mktemp("kube") / "config")
    try:
        yield Served(cluster, server, tmp_path_factory.mktemp("kubectl-cache"))
    finally:
        server.stop()


@pytest.fixture(scope="module")
def kubectl_binary() -> str:
    binary = shutil.which("kubectl")
    if binary is None:
        pytest.skip("no kubectl on this machine (run `make tools`, or install Debian's kubernetes-client)")
    return binary
