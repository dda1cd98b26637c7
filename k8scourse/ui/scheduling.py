"""The scheduler explanation view: for one pod, each node's filter verdicts and score points, as SVG.

`explain("web-abc")` in a notebook. The data comes from the simulated scheduler's record of the pod's
last scheduling cycle (`cluster.backend.explain_scheduling(namespace, pod)`, an `Explanation`); this
module only draws it: a row per node with a square per filter plugin (green passed, red rejected, grey
not run) and a bar of weighted score points per score plugin, the chosen node marked.
"""

from __future__ import annotations

from typing import Any

from ..cluster import current
from .svg import BAD, GONE, GOOD, Canvas, esc, legend, text_width
from .view import View, html_box

SQUARE = 14
ROW = 24
SCORE_SCALE = 0.4  # px per weighted point
PALETTE = ["#42a5f5", "#66bb6a", "#ffa726", "#ab47bc", "#26c6da", "#ec407a", "#8d6e63", "#d4e157"]


def _filter_colours(passed: bool | None) -> tuple[str, str]:
    return GOOD if passed else GONE if passed is None else BAD


def explanation_svg(explanation: Any) -> str:
    """An `Explanation` (k8scourse.sim.scheduler.explain) drawn: nodes down, filters then scores across."""
    canvas = Canvas(title=f"Scheduling of {explanation.pod}")
    canvas.text(8, 16, f"{explanation.pod}: {explanation.message}", bold=True, colour="#424242")
    nodes = explanation.nodes
    name_w = max([text_width(n.node) for n in nodes] + [60]) + 30
    plugins = [f.plugin for f in nodes[0].filters] if nodes else []
    scorers = sorted({s.plugin for n in nodes for s in n.scores})
    colour_of = {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(scorers)}
    filters_x = 8 + name_w
    scores_x = filters_x + len(plugins) * (SQUARE + 3) + 24
    canvas.text(filters_x, 40, "filters", size=11, colour="#616161")
    canvas.text(scores_x, 40, "score (weighted points)", size=11, colour="#616161")
    y = 50.0
    for node in nodes:
        chosen = node.node == explanation.chosen
        canvas.text(8, y + 12, ("★ " if chosen else "  ") + node.node, bold=chosen)
        for i, result in enumerate(node.filters):
            tip = f"{result.plugin}: " + ("passed" if result.passed else "not run" if result.passed is None
                                          else f"rejected — {result.reason}")
            canvas.rect(filters_x + i * (SQUARE + 3), y + 1, SQUARE, SQUARE, _filter_colours(result.passed),
                        radius=2, tooltip=tip)
        if node.feasible:
            x = scores_x
            for score in sorted(node.scores, key=lambda s: s.plugin):
                width = score.weighted * SCORE_SCALE
                if width > 0:
                    canvas.rect(x, y + 1, width, SQUARE, ("#ffffff", colour_of[score.plugin]), radius=1,
                                tooltip=f"{score.plugin}: {score.normalized} × weight {score.weight} "
                                        f"= {score.weighted} (raw {score.raw})")
                x += width
            canvas.text(x + 6, y + 12, str(node.total), size=11, bold=chosen)
        else:
            canvas.text(scores_x, y + 12, node.rejection, size=11, colour=BAD[0])
        y += ROW
    notes = list(explanation.notes)
    if explanation.skipped_scores:
        notes.append("Score plugins skipped for this pod: " + ", ".join(explanation.skipped_scores))
    for note in notes:
        y += 4
        canvas.text(8, y + 10, note, size=11, colour="#616161")
        y += 14
    entries = [(p, ("#ffffff", colour_of[p])) for p in scorers]
    legend(canvas, 8, y + 20, [("passed", GOOD), ("rejected", BAD), ("not run", GONE)] + entries)
    canvas.raw(f"<desc>filters in order: {esc(', '.join(plugins))}</desc>")
    return canvas.svg()


class SchedulingView(View):
    """Why the scheduler put a pod where it did (or could not place it)."""

    def __init__(self, pod: str, cluster: Any = None, namespace: str | None = None):
        self.cluster = cluster or current()
        self.namespace = namespace or self.cluster.namespace
        self.pod = pod
        self.picture = html_box()
        self.explanation: Any = None
        super().__init__([self.picture])
        self.refresh()

    def refresh(self) -> None:
        explain = getattr(self.cluster.backend, "explain_scheduling", None)
        if explain is None:
            self.picture.value = ("<p>The scheduler's per-node results are recorded by the simulated cluster "
                                  "only; on a real cluster read the pod's events: "
                                  f"<code>kubectl describe pod {esc(self.pod)}</code>.</p>")
            return
        self.explanation = explain(self.namespace, self.pod)
        if self.explanation is None:
            self.picture.value = (f"<p>The scheduler has not looked at pod {esc(self.namespace)}/{esc(self.pod)} "
                                  "(no such pod, or it was created with a node already chosen).</p>")
            return
        self.picture.value = (f'<div style="overflow-x:auto">{explanation_svg(self.explanation)}'
                              f"<details><summary>as a table</summary>{self.explanation._repr_html_()}</details></div>")

    def static_html(self) -> str:
        return self.picture.value

    def summary(self) -> str:
        return str(self.explanation) if self.explanation is not None else f"<SchedulingView of {self.pod}>"


def explain(pod: str, cluster: Any = None, namespace: str | None = None) -> SchedulingView:
    """The scheduler's explanation for `pod` (its name) on `cluster` (default: the current one)."""
    return SchedulingView(pod, cluster, namespace)
