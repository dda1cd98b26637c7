"""Experiments that act on a live cluster, for the checks that judge what only shows when it is acted on.

Does data survive replacing a pod? Only writing a file, deleting the pod and reading the file in its
replacement tells. A check that needs such an experiment declares a probe (`Check.probe`); the probe only
gathers facts (JSON-able observations) and the check judges them (`checks`). On a live cluster — `check()`
in a notebook — `CheckContext.observe` runs the probe then and there. In class grading the snapshot guard
runs the exercise's probes inside the graded kernel after the snapshot of the learner's state is taken, and
records what they saw in the snapshot, where the grader's checks read it: the read-only snapshot is never
acted on. This module runs in the graded kernel, so the guard fingerprints it like the simulator.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..api.errors import ApiError
from .workloads import workload_pods

if TYPE_CHECKING:
    from ..cluster import Cluster

Obj = dict[str, Any]
MARKER_FILE = ".k8scourse-persistence-check"


def mount_at(pod_spec: Obj, path: str) -> tuple[str, Obj | None]:
    """The container that has `path` on a volume, and that volume (None: no volume holds `path`, it is in the
    container's own filesystem). The deepest mount wins, as in the container."""
    best: tuple[int, str, str] | None = None
    for container in pod_spec.get("containers") or []:
        for mount in container.get("volumeMounts") or []:
            root = mount["mountPath"].rstrip("/")
            if (path == root or path.startswith(root + "/")) and (best is None or len(root) > best[0]):
                best = (len(root), container["name"], mount["name"])
    if best is None:
        return pod_spec["containers"][0]["name"], None
    volume = next((v for v in pod_spec.get("volumes") or [] if v.get("name") == best[2]), None)
    return best[1], volume


def _exec(cluster: Cluster, pod: Obj, container: str, command: list[str]) -> Obj:
    """What the command printed and returned; a backend that cannot exec at all (405, a read-only snapshot)
    raises, as that says nothing about the pod."""
    meta = pod["metadata"]
    try:
        result = cluster.backend.exec(meta["namespace"], meta["name"], command, container)
    except ApiError as exc:
        if exc.code == 405:
            raise
        return {"exit_code": -1, "stdout": "", "stderr": exc.kubectl_message()}
    return {"exit_code": result.exit_code, "stdout": str(result.stdout), "stderr": str(result.stderr)}


def _running(pods: list[Obj]) -> list[Obj]:
    return [p for p in pods if p.get("status", {}).get("phase") == "Running"]


@dataclass(frozen=True)
class PersistenceProbe:
    """Write a marker file under `path` in a running pod of the workload, delete that pod, let the cluster
    settle, and read the file back in the pod that replaced it."""

    kind: str
    name: str
    path: str

    @property
    def key(self) -> str:
        """How the observation is filed in a snapshot."""
        return f"persistence {self.kind}/{self.name} {self.path}"

    @property
    def file(self) -> str:
        return f"{self.path.rstrip('/')}/{MARKER_FILE}"

    def run(self, cluster: Cluster) -> Obj:
        """What happened, step by step; a step that could not happen leaves the later ones None."""
        seen: Obj = {"probe": self.key, "pod": None, "container": None, "volume": None, "marker": None,
                     "wrote": None, "replacement": None, "read": None}
        running = _running(workload_pods(cluster, self.kind, self.name))
        if not running:
            return seen
        pod = running[0]
        container, volume = mount_at(pod["spec"], self.path)
        marker = pod["metadata"]["uid"]
        seen.update(pod=pod["metadata"]["name"], container=container, volume=volume, marker=marker)
        seen["wrote"] = _exec(cluster, pod, container,
                              ["sh", "-c", f"echo {shlex.quote(marker)} > {shlex.quote(self.file)}"])
        if seen["wrote"]["exit_code"] != 0:
            return seen
        cluster.delete("pods", seen["pod"], pod["metadata"]["namespace"])
        cluster.settle()
        after = [p for p in _running(workload_pods(cluster, self.kind, self.name))
                 if p["metadata"]["uid"] != marker]
        if not after:
            return seen
        seen["replacement"] = after[0]["metadata"]["name"]
        seen["read"] = _exec(cluster, after[0], container, ["cat", self.file])
        return seen
