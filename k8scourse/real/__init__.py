"""The official-client backend: the Backend protocol on a real cluster (minikube or any kubeconfig context).

Used by `k8scourse.connect()` when a real cluster is asked for, and by `k8scourse doctor`. `RealCluster`
talks to one kubeconfig context through the official `kubernetes` client, refuses contexts that do not
look local unless told otherwise, and cleans up only what the course labelled.
"""

from .cleanup import COURSE_LABEL_KEY, COURSE_LABEL_VALUE, COURSE_SELECTOR, CleanupReport
from .cluster import RealCluster
from .config import ClusterConfigError, Target, looks_local, resolve
from .errors import ClusterUnreachableError, api_error
from .metrics import MetricsUnavailableError
from .settle import WaitReport
from .simonly import SimulatorOnlyError
from .streams import ExecResult

__all__ = [
    "COURSE_LABEL_KEY", "COURSE_LABEL_VALUE", "COURSE_SELECTOR", "CleanupReport", "ClusterConfigError",
    "ClusterUnreachableError", "ExecResult", "MetricsUnavailableError", "RealCluster", "SimulatorOnlyError",
    "Target", "WaitReport", "api_error", "looks_local", "resolve",
]
