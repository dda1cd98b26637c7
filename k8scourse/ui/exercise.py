"""The exercise panel: a Check button that runs a grading function, and the feedback it returns.

Used by the exercise notebooks: `exercise_panel(lambda: k8scourse.check("deployments-1"))`. The check
is any callable returning an object with `_repr_html_` (the grading layer's results do); the panel only
shows what it returns. A check that raises shows the error instead of breaking the notebook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from .svg import esc
from .view import View, html_box


def feedback_html(result: Any) -> str:
    """A check's result as HTML: its `_repr_html_`, else its text."""
    to_html = getattr(result, "_repr_html_", None)
    if callable(to_html):
        return str(to_html())
    return f"<pre>{esc(result)}</pre>"


class ExercisePanel(View):
    """A title, a Check button and a feedback area filled by `check()`'s result."""

    def __init__(self, check: Callable[[], Any], title: str = "", *, button: str = "Check"):
        self.check = check
        self.title = title
        self.result: Any = None
        self.error: BaseException | None = None
        self.button = widgets.Button(description=button, button_style="success", icon="check")
        self.button.add_class("k8scourse-check")
        self.feedback = html_box()
        self.feedback.add_class("k8scourse-feedback")
        self.button.on_click(lambda _: self.run())
        heading = widgets.HTML(f"<b>{esc(title)}</b>") if title else widgets.HTML("")
        super().__init__([heading, self.button, self.feedback])

    def run(self) -> Any:
        """Run the check and show its feedback; returns the result (None if the check raised)."""
        self.button.disabled = True
        try:
            self.result, self.error = self.check(), None
            self.feedback.value = feedback_html(self.result)
        except Exception as exc:  # a broken check must not break the learner's notebook
            self.result, self.error = None, exc
            self.feedback.value = (f'<pre style="color:#b71c1c">The check could not run: '
                                   f"{esc(type(exc).__name__)}: {esc(exc)}</pre>")
        finally:
            self.button.disabled = False
        return self.result

    def static_html(self) -> str:
        heading = f"<b>{esc(self.title)}</b><br>" if self.title else ""
        return (f'<div class="k8scourse-exercise">{heading}<button disabled>{esc(self.button.description)}</button>'
                f"{self.feedback.value}</div>")

    def summary(self) -> str:
        return f"<ExercisePanel {self.title!r}>"


def exercise_panel(check: Callable[[], Any], title: str = "") -> ExercisePanel:
    """A Check button for `check` (a callable returning a result with `_repr_html_`) and its feedback area."""
    return ExercisePanel(check, title)
