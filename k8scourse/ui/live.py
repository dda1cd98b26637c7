"""Keeping views current: views subscribe to a cluster and redraw when something may have changed it.

Used by every live view (cluster view, timeline) and by what changes a cluster from the notebook (the
manifest editor's buttons, the play and step controls). After each executed cell every subscribed view
is refreshed too, so `cluster.settle()` or `%kubectl scale ...` in any later cell moves the pictures.
Views redraw only when their picture changed, so a refresh that finds nothing new costs one read.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

_views: weakref.WeakKeyDictionary[Any, list[weakref.WeakMethod]] = weakref.WeakKeyDictionary()
_hooked: set[int] = set()


def subscribe(cluster: Any, refresh: Callable[[], Any]) -> None:
    """Call `refresh` (a bound method of a view) whenever `cluster` may have changed."""
    _views.setdefault(cluster, []).append(weakref.WeakMethod(refresh))  # type: ignore[arg-type]
    _hook_cells()


def unsubscribe(cluster: Any, refresh: Callable[[], Any]) -> None:
    _views[cluster] = [ref for ref in _views.get(cluster, []) if ref() not in (None, refresh)]


def changed(cluster: Any) -> None:
    """Tell the views of `cluster` to look again (after an apply, a delete, or time moving on)."""
    alive = []
    for ref in _views.get(cluster, []):
        refresh = ref()
        if refresh is not None:
            alive.append(ref)
            refresh()
    if cluster in _views:
        _views[cluster] = alive


def changed_all(*_: Any) -> None:
    """Refresh the views of every cluster (IPython's post_run_cell hook calls this after each cell)."""
    for cluster in list(_views.keys()):
        changed(cluster)


def _hook_cells() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the course
        return
    shell = get_ipython()
    if shell is None or id(shell) in _hooked:
        return
    shell.events.register("post_run_cell", changed_all)
    _hooked.add(id(shell))
