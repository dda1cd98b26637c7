"""Why the scheduler put a pod where it did: per node, each filter's verdict and each score's points.

Built by `Scheduler.explain()` from the record of a pod's last scheduling cycle (in the spirit of
kube-scheduler-simulator, which shows the same per-plugin results); shown by the notebook UI through
`_repr_html_` or as text. Display only: nothing here decides anything.
"""

from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class FilterResult:
    """One filter plugin on one node: passed, rejected (with its reasons), or not run (None)."""

    plugin: str
    passed: bool | None
    reason: str = ""


@dataclass(frozen=True)
class ScoreResult:
    """One score plugin on one node: its raw score, the 0-100 normalised score and the weighted points."""

    plugin: str
    raw: int
    normalized: int
    weight: int

    @property
    def weighted(self) -> int:
        return self.normalized * self.weight


@dataclass(frozen=True)
class NodeExplanation:
    node: str
    filters: tuple[FilterResult, ...]
    scores: tuple[ScoreResult, ...] = ()

    @property
    def feasible(self) -> bool:
        return all(f.passed is not False for f in self.filters) and bool(self.filters)

    @property
    def total(self) -> int:
        return sum(s.weighted for s in self.scores)

    @property
    def rejection(self) -> str:
        return next((f"{f.plugin}: {f.reason}" for f in self.filters if f.passed is False), "")


@dataclass(frozen=True)
class Explanation:
    """The last scheduling cycle of one pod: every node looked at, the chosen node and the outcome."""

    pod: str  # namespace/name
    time: str
    nodes: tuple[NodeExplanation, ...]
    chosen: str | None
    message: str  # the Scheduled or FailedScheduling event message
    skipped_scores: tuple[str, ...] = ()  # score plugins whose PreScore skipped this pod
    notes: tuple[str, ...] = ()

    def node(self, name: str) -> NodeExplanation:
        return next(n for n in self.nodes if n.node == name)

    def text(self) -> str:
        lines = [f"Scheduling of {self.pod} at {self.time}: {self.message}"]
        for n in self.nodes:
            mark = "*" if n.node == self.chosen else " "
            if not n.feasible:
                lines.append(f"{mark} {n.node}: filtered out by {n.rejection}")
                continue
            parts = ", ".join(f"{s.plugin} {s.normalized}x{s.weight}" for s in n.scores)
            lines.append(f"{mark} {n.node}: passed all filters; score {n.total}" + (f" ({parts})" if parts else ""))
        if self.skipped_scores:
            lines.append("Score plugins skipped for this pod: " + ", ".join(self.skipped_scores))
        lines.extend(self.notes)
        return "\n".join(lines)

    __str__ = text

    def _repr_html_(self) -> str:
        esc = html.escape
        plugins = [f.plugin for f in self.nodes[0].filters] if self.nodes else []
        scorers = [s.plugin for s in self.nodes[0].scores] if self.nodes else []
        for n in self.nodes:
            scorers = scorers or [s.plugin for s in n.scores]
        head = "".join(f"<th>{esc(p)}</th>" for p in plugins + scorers) + "<th>total</th>"
        rows = []
        for n in self.nodes:
            cells = []
            for f in n.filters:
                text = "✔" if f.passed else ("–" if f.passed is None else "✘ " + esc(f.reason))
                cells.append(f"<td>{text}</td>")
            by_plugin = {s.plugin: s for s in n.scores}
            for p in scorers:
                s = by_plugin.get(p)
                cells.append(f"<td>{s.normalized}×{s.weight} (raw {s.raw})</td>" if s else "<td></td>")
            total = str(n.total) if n.feasible else ""
            style = ' style="font-weight:bold"' if n.node == self.chosen else ""
            rows.append(f"<tr{style}><td>{esc(n.node)}</td>{''.join(cells)}<td>{total}</td></tr>")
        notes = "".join(f"<p>{esc(x)}</p>" for x in self.notes)
        return (f"<div><p><b>{esc(self.pod)}</b> ({esc(self.time)}): {esc(self.message)}</p>"
                f"<table><tr><th>node</th>{head}</tr>{''.join(rows)}</table>{notes}</div>")
