"""minikube addons on the simulated cluster: the catalogue, enabling logic, and the ingress-nginx controller.

Imported by `SimulatedCluster`, which creates an `AddonManager` (`cluster.addons`), the
`IngressNginxController` component and the `DefaultIngressClass` admission plugin. Importing the package
registers the addon images' programs (`programs.py`) and the ingress-nginx HTTP handler
(`k8scourse.sim.network.ingress`).
"""

from . import programs  # noqa: F401 - registers the addon images' programs
from .catalog import ADDONS, Addon
from .ingress_nginx import DefaultIngressClass, IngressNginxController
from .manager import AddonManager

__all__ = ["ADDONS", "Addon", "AddonManager", "DefaultIngressClass", "IngressNginxController"]
