"""The notebook layer: IPython magics and the widgets that show a cluster. Display only: the logic lives below.

`%load_ext k8scourse` calls `load_ipython_extension`, which registers the magics. The views:

- `show_cluster(cluster=None, namespace=None)`: nodes holding their pods, and what owns, serves and feeds them;
- `timeline(cluster=None, namespace=None)`: events and pod transitions on a time axis, lane per component;
- `editor(manifest)`, `edit("deployment/web")`: the manifest editor (Apply, Dry-run, Diff, Delete);
- `explain(pod)`: the scheduler's per-node filter and score results;
- `traffic(url, n=20)`: send requests and see which pods answered;
- `exercise_panel(check)`: a Check button and its feedback;
- `progress_hook()`: a progress display for waits (see `k8scourse.ui.progress`).

Each is imported when first used, so loading the magics does not load the widget libraries.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "show_cluster": "cluster_view", "ClusterView": "cluster_view",
    "timeline": "timeline_view", "Timeline": "timeline_view",
    "editor": "manifest_editor", "edit": "manifest_editor", "ManifestEditor": "manifest_editor",
    "explain": "scheduling", "SchedulingView": "scheduling",
    "traffic": "traffic_view", "TrafficView": "traffic_view",
    "exercise_panel": "exercise", "ExercisePanel": "exercise",
    "progress_hook": "progress", "ProgressBar": "progress", "use_notebook_progress": "progress",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
