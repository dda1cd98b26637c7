"""The simulator's own helpers on a real cluster: each says what to do there instead.

Mixed into `RealCluster` (k8scourse.real.cluster). Notebooks call `cluster.backend.stop_node(...)`,
`set_load(...)` or `explain_scheduling(...)` on the simulated cluster; on a real one the same cell stops
with a message naming the command that does it for real.
"""

from __future__ import annotations

from typing import Any

from ..api.errors import K8sError


class SimulatorOnlyError(K8sError):
    """A helper that only the simulated cluster offers, called on a real cluster."""


LOAD_GENERATOR = ("kubectl run -i --tty load-generator --rm --image=busybox:1.28 --restart=Never -- "
                  "/bin/sh -c \"while sleep 0.01; do wget -q -O- http://{service}; done\"")


class SimulatorOnly:
    """Stand-ins for the simulator's node, load and scheduler helpers."""

    def stop_node(self, name: str) -> None:
        raise SimulatorOnlyError(
            f"k8scourse cannot switch off a real cluster's node. Stop it from a terminal with "
            f"`minikube node stop {name}` (and bring it back with `minikube node start {name}`); "
            "the node goes NotReady after about 50 seconds and its pods are evicted after 5 minutes."
        )

    def start_node(self, name: str) -> None:
        raise SimulatorOnlyError(f"k8scourse cannot start a real cluster's node. Start it from a terminal with "
                                 f"`minikube node start {name}`.")

    def set_load(self, namespace: str, target: str, **_: Any) -> None:
        raise SimulatorOnlyError(
            "Simulated load exists only on the simulated cluster. On a real cluster, send real requests to the "
            f"Service in front of {target!r} (namespace {namespace!r}) from a load-generator pod, and stop it "
            "with Ctrl-C:\n  " + LOAD_GENERATOR.format(service="<service-name>")
            + "\n(`kubectl top pods` and `kubectl get hpa` need `minikube addons enable metrics-server`.)"
        )

    def explain_scheduling(self, namespace: str, name: str) -> Any:
        raise SimulatorOnlyError(
            "A real scheduler does not explain its choices plugin by plugin. Read its verdict in the pod's "
            f"events instead: `kubectl describe pod {name} -n {namespace}` (FailedScheduling gives the reason "
            f"per node), and where it landed with `kubectl get pod {name} -n {namespace} -o wide`."
        )
