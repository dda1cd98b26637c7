"""k8scourse: a hands-on Kubernetes course, and the simulated cluster every example runs on.

`k8scourse.connect()` is the entry point learners use; `k8scourse.ApiError` is what a refused request raises.
"""

from .api.errors import ApiError, K8sError

__all__ = ["ApiError", "K8sError", "check", "connect", "edit", "editor", "exercise_panel", "explain", "show_cluster",
           "timeline", "traffic"]
__version__ = "0.1.0"


def connect(*args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - signature documented on cluster.connect
    from .cluster import connect as _connect

    return _connect(*args, **kwargs)


def check(*args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - signature documented on grading.runner.check
    """Check your work on an exercise: `k8scourse.check("deployments-1")` (see `k8scourse.grading.check`)."""
    from .grading import check as _check

    return _check(*args, **kwargs)


_VIEWS = ("show_cluster", "editor", "edit", "timeline", "explain", "traffic", "exercise_panel")


def __getattr__(name):  # noqa: ANN001, ANN202 - module attributes: the notebook views, loaded when first used
    """`k8scourse.show_cluster(cluster)`, `k8scourse.editor(manifest)`, ...: see `k8scourse.ui`."""
    if name in _VIEWS:
        from . import ui

        return getattr(ui, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_ipython_extension(ipython):  # noqa: ANN001, ANN201 - IPython's extension hook
    """`%load_ext k8scourse`: register `%kubectl`, `%%kubectl` and `%%apply`."""
    from .ui.magics import KubectlMagics

    ipython.register_magics(KubectlMagics)
