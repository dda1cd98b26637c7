"""Cluster networking of the simulator: DNS, kube-proxy, the pod network and HTTP between them.

`ClusterNetwork` (network.py) is created by `SimulatedCluster` and given to the kubelets; `apps.py`
registers how the catalogue's images answer HTTP; `ingress.py`, when present, the ingress controller's.
"""

from importlib.util import find_spec

from . import apps  # noqa: F401
from .http import AppContext, Hop, HttpRequest, HttpResponse, http_handler
from .network import ClusterNetwork, PodNetwork

if find_spec(f"{__name__}.ingress") is not None:
    from . import ingress  # noqa: F401

__all__ = ["AppContext", "ClusterNetwork", "Hop", "HttpRequest", "HttpResponse", "PodNetwork", "http_handler"]
