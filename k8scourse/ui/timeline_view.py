"""The live event timeline: what the controllers, the scheduler and the kubelets did, in order.

`timeline(cluster)` returns a `Timeline` that draws `timeline_svg` of the namespace's Events and pod
transitions, redrawn as the cluster changes (see `live`); saved without a kernel it shows the same SVG.
"""

from __future__ import annotations

from typing import Any

from ..cluster import current
from . import live
from .clock import TimeControls
from .snapshot import take_snapshot
from .timeline_svg import Entry, timeline_entries, timeline_svg
from .view import View, html_box


class Timeline(View):
    """The `last` most recent events (and pod status transitions) of one namespace on a time axis."""

    def __init__(self, cluster: Any = None, namespace: str | None = None, *, last: int = 60, pods: bool = True,
                 controls: bool = False):
        self.cluster = cluster or current()
        self.namespace = namespace
        self.last = last
        self.pods = pods
        self.entries: list[Entry] = []
        self.picture = html_box()
        self.picture.add_class("k8scourse-timeline")
        self.controls = TimeControls(self.cluster) if controls else None
        super().__init__([self.controls, self.picture] if self.controls else [self.picture])
        self.refresh()
        live.subscribe(self.cluster, self.refresh)

    def refresh(self) -> None:
        snap = take_snapshot(self.cluster, self.namespace)
        self.entries = timeline_entries(snap, last=self.last, pods=self.pods)
        drawing = ('<div style="overflow-x:auto;max-width:100%">'
                   + timeline_svg(self.entries, f"events in namespace {snap.namespace}") + "</div>")
        if drawing != self.picture.value:
            self.picture.value = drawing

    def static_html(self) -> str:
        return self.picture.value

    def summary(self) -> str:
        return f"<Timeline: {len(self.entries)} entries>"


def timeline(cluster: Any = None, namespace: str | None = None, *, last: int = 60, pods: bool = True,
             controls: bool = False) -> Timeline:
    """The live event timeline of `cluster` (default: the current one) for `namespace` (default: its own)."""
    return Timeline(cluster, namespace, last=last, pods=pods, controls=controls)
