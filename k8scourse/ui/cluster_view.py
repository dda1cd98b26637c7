"""The live cluster view: nodes holding their pods and the objects around them, redrawn as the cluster changes.

`show_cluster(cluster)` in a notebook returns a `ClusterView`. It draws `topology.cluster_svg` of a fresh
snapshot whenever the cluster may have changed (see `live`) and carries the time controls; saved without
a kernel it shows the same SVG.
"""

from __future__ import annotations

from typing import Any

from ..cluster import current
from . import live
from .clock import TimeControls
from .snapshot import Snapshot, take_snapshot
from .topology import cluster_html
from .view import View, html_box


class ClusterView(View):
    """Nodes, pods and the objects that own, serve and feed them, for one namespace of a cluster."""

    def __init__(self, cluster: Any = None, namespace: str | None = None, *, controls: bool = True,
                 step: float = 1.0, speed: float = 1.0):
        self.cluster = cluster or current()
        self.namespace = namespace
        self.picture = html_box()
        self.picture.add_class("k8scourse-cluster-view")
        self.snapshot: Snapshot | None = None
        self.controls = TimeControls(self.cluster, step=step, speed=speed) if controls else None
        super().__init__([self.controls, self.picture] if self.controls else [self.picture])
        self.refresh()
        live.subscribe(self.cluster, self.refresh)

    def refresh(self) -> None:
        """Read the cluster again and redraw if the picture changed."""
        self.snapshot = take_snapshot(self.cluster, self.namespace)
        drawing = cluster_html(self.snapshot)
        if drawing != self.picture.value:
            self.picture.value = drawing

    @property
    def pod_names(self) -> list[str]:
        """The pods shown, by name."""
        return [p["metadata"]["name"] for p in self.snapshot.of("pods")] if self.snapshot else []

    def static_html(self) -> str:
        return self.picture.value

    def summary(self) -> str:
        snap = self.snapshot
        nodes = len(snap.of("nodes")) if snap else 0
        return f"<ClusterView of namespace {snap.namespace if snap else '?'}: {nodes} node(s), " \
               f"{len(self.pod_names)} pod(s)>"


def show_cluster(cluster: Any = None, namespace: str | None = None, *, controls: bool = True) -> ClusterView:
    """The live cluster view of `cluster` (default: the current one) for `namespace` (default: its own)."""
    return ClusterView(cluster, namespace, controls=controls)
