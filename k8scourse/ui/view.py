"""The base of every notebook view: an ipywidgets box that also renders as plain HTML/SVG.

Subclassed by each widget of `k8scourse.ui`. A saved notebook keeps, next to the live widget, the
`text/html` rendering from `static_html()` and a one-line `text/plain` summary: GitHub and nbviewer show
the diagram, JupyterLab shows the widget. Both are the same text on every run (no widget ids), so the
notebook tests that re-execute chapters compare them.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

STYLE = """<style>
.k8scourse-view pre, .k8scourse-view textarea { font-family: ui-monospace, Menlo, Consolas, monospace; }
.k8scourse-result { margin: 4px 0; }
.k8scourse-result pre { margin: 2px 0; white-space: pre-wrap; }
.k8scourse-error { color: #b71c1c; }
.k8scourse-yaml { border: 1px solid #e0e0e0; padding: 4px 0; background: #fafafa; }
.k8scourse-yaml span.line { padding: 0 8px; }
.k8scourse-yaml span.hit { background: #ffcdd2; }
.k8scourse-yaml span.note { color: #b71c1c; font-weight: bold; }
.k8scourse-diff .add { color: #1b5e20; background: #e8f5e9; }
.k8scourse-diff .del { color: #b71c1c; background: #ffebee; }
.k8scourse-diff .hunk { color: #6a1b9a; }
</style>"""


class View(widgets.VBox):
    """A widget box with a static rendering for notebooks viewed without a kernel."""

    def __init__(self, children: list[widgets.Widget], **kwargs: Any):
        super().__init__(children=children, **kwargs)
        self.add_class("k8scourse-view")

    def static_html(self) -> str:
        """What the view shows, as HTML that needs no kernel and no JavaScript."""
        raise NotImplementedError

    def summary(self) -> str:
        """One line for text-only displays."""
        return f"<{type(self).__name__}>"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = self.summary()
        bundle["text/html"] = self.static_html()
        return bundle


def html_box(value: str = "") -> widgets.HTML:
    """An HTML widget for a view's drawing or result area."""
    return widgets.HTML(value=value, layout=widgets.Layout(width="100%"))
