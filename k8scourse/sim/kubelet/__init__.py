"""The simulated kubelets: one per node, running the pods bound to it.

Created by `SimulatedCluster`; the node-lifecycle controller may `stop()`/`start()` them.
"""

from .kubelet import Kubelet, pod_for_stream
from .streams import ExecResult

__all__ = ["ExecResult", "Kubelet", "pod_for_stream"]
