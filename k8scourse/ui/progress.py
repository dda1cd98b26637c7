"""Progress displays for anything that waits: a bar in a notebook, one rewritten line in a terminal.

The hook is a plain callable `progress(done, total, message)`:

- `done`, `total`: numbers in the same unit (seconds waited of a timeout, steps of a simulation, ...);
- `message`: what is still pending, a string or a sequence of strings (`("pod/web-1 ContainerCreating",)`);
  an empty message means finished.

Whatever waits calls it as often as it likes; the real cluster's `settle()` does
(`cluster.backend.progress`, see `k8scourse.real.settle`). `progress_hook()` returns the display that
suits where the code runs; `use_notebook_progress(cluster)` installs a bar on a cluster whose backend
has a `progress` hook.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

Progress = Callable[[float, float, Any], None]


def describe(message: str | Sequence[str], limit: int = 3) -> str:
    """A pending message as one line: `a, b, c and 2 more`."""
    if isinstance(message, str):
        return message
    items = [str(m) for m in message]
    return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")


class ProgressBar:
    """A notebook progress bar with the pending message under it; displayed at the first call."""

    def __init__(self, description: str = "waiting"):
        import ipywidgets as widgets

        self.bar = widgets.FloatProgress(value=0, min=0, max=1, description=description,
                                         layout=widgets.Layout(width="60%"))
        self.label = widgets.Label()
        self.box = widgets.VBox([self.bar, self.label])
        self.shown = False
        self.finished = False

    def __call__(self, done: float, total: float, message: str | Sequence[str] = "") -> None:
        if not self.shown:
            from IPython.display import display

            display(self.box)
            self.shown = True
        self.bar.max = max(float(total), 1e-9)
        self.bar.value = min(float(done), self.bar.max)
        text = describe(message)
        self.finished = not text
        if self.finished:
            self.bar.value = self.bar.max
            self.bar.bar_style = "success"
            self.label.value = f"done after {done:.0f} of {total:.0f}"
        else:
            self.label.value = f"{done:.0f}/{total:.0f}: {text}"

    def _repr_html_(self) -> str:
        return f"<progress value='{self.bar.value}' max='{self.bar.max}'></progress> {self.label.value}"


def text_progress(done: float, total: float, message: str | Sequence[str] = "") -> None:
    """The terminal display: one line on stderr, rewritten in place, ended when the message is empty."""
    text = describe(message)
    if not text:
        sys.stderr.write(f"\rdone after {done:.0f} of {total:.0f}".ljust(100) + "\n")
    else:
        sys.stderr.write(f"\r{done:.0f}/{total:.0f}: {text}"[:100].ljust(100))
    sys.stderr.flush()


def in_notebook() -> bool:
    """Whether the code runs in a Jupyter kernel (where widgets display)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def progress_hook(description: str = "waiting") -> Progress:
    """A progress display for here: a bar in a notebook, a line on stderr elsewhere."""
    return ProgressBar(description) if in_notebook() else text_progress


def use_notebook_progress(cluster: Any, description: str = "settling") -> bool:
    """Show a fresh bar each time `cluster` waits (its backend's `progress` hook); False when it has none."""
    backend = cluster.backend
    if not hasattr(backend, "progress"):
        return False

    def each_wait(done: float, total: float, message: Any) -> None:
        if getattr(each_wait, "bar", None) is None or each_wait.bar.finished:  # type: ignore[attr-defined]
            each_wait.bar = ProgressBar(description)  # type: ignore[attr-defined]
        each_wait.bar(done, total, message)  # type: ignore[attr-defined]

    backend.progress = each_wait
    return True
