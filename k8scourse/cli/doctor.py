"""`k8scourse doctor`: checks the real cluster the course would use, and says how to fix each problem.

Registered by `k8scourse.cli`. Reports which cluster the notebooks would use (K8SCOURSE_CLUSTER,
K8SCOURSE_KUBECONFIG, `--context`), whether it answers and its version, and whether the ingress and
metrics-server addons are on. Exits 1 when the cluster cannot be used.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from typing import Any

from ..api.errors import K8sError

SIMULATED = ("sim", "simulated", "simulator")


@dataclass(frozen=True)
class Check:
    """One line of the diagnosis: what was checked, whether it is fine, and the command that fixes it."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    blocking: bool = True  # a failed blocking check makes the cluster unusable

    def lines(self) -> list[str]:
        mark = "ok " if self.ok else ("ERR" if self.blocking else "!! ")
        out = [f"[{mark}] {self.name}: {self.detail}"]
        if not self.ok and self.fix:
            out.append(f"      fix: {self.fix}")
        return out


def which_cluster(context: str | None, kubeconfig: str | None) -> tuple[str, str | None, str | None]:
    """A sentence on what the notebooks use, and the (context, kubeconfig) of the real cluster to check."""
    env_cluster = os.environ.get("K8SCOURSE_CLUSTER", "")
    env_kubeconfig = os.environ.get("K8SCOURSE_KUBECONFIG") or None
    given_kubeconfig = kubeconfig
    kubeconfig = kubeconfig or env_kubeconfig
    if context:
        return f"checking the context {context!r} named on the command line", context, kubeconfig
    if env_cluster and env_cluster not in SIMULATED:
        named = None if env_cluster == "real" else env_cluster
        return f"notebooks use the real cluster K8SCOURSE_CLUSTER={env_cluster} names", named, kubeconfig
    if env_kubeconfig and not env_cluster:
        return f"notebooks use the current context of K8SCOURSE_KUBECONFIG={env_kubeconfig}", None, kubeconfig
    checking = (f"the current context of {given_kubeconfig}" if given_kubeconfig
                else "the real cluster kubectl's current context points at")
    return ("notebooks use the built-in simulated cluster (set K8SCOURSE_CLUSTER=minikube to move them to a real "
            f"one); checking {checking}"), None, kubeconfig


def _addon_checks(cluster: Any) -> list[Check]:
    classes = cluster.list(cluster.registry.resolve("ingressclasses"))["items"]
    ingress = Check("ingress addon", bool(classes),
                    "IngressClass " + ", ".join(c["metadata"]["name"] for c in classes) if classes
                    else "no ingress controller (Ingress objects would get no address)",
                    "minikube addons enable ingress", blocking=False)
    try:
        cluster.top("nodes")
        metrics = Check("metrics-server addon", True, "the Metrics API answers (kubectl top, autoscaling)")
    except K8sError as exc:
        metrics = Check("metrics-server addon", False, f"{exc} (kubectl top and HorizontalPodAutoscalers need it)",
                        "minikube addons enable metrics-server", blocking=False)
    return [ingress, metrics]


def diagnose(context: str | None = None, kubeconfig: str | None = None, allow_remote: bool = False) -> list[Check]:
    """Every check, in order; stops at the first blocking failure."""
    from ..real import ClusterConfigError, RealCluster, resolve

    start = "minikube start --driver=docker"
    try:
        target = resolve(kubeconfig, context)
    except ClusterConfigError as exc:
        return [Check("kubeconfig", False, str(exc), start)]
    checks = [Check("kubeconfig", True, f"context {target.context!r} in {target.kubeconfig}, server {target.server}")]
    if not (target.local or allow_remote):
        checks.append(Check("local cluster", False, f"{target.server} does not look like a local cluster; the course "
                            "refuses it unless told otherwise", "k8scourse doctor --allow-remote (and "
                            "connect(..., allow_remote=True))"))
        return checks
    checks.append(Check("local cluster", True, "yes" if target.local else "no, allowed by --allow-remote"))
    try:
        cluster = RealCluster(target.kubeconfig, target.context, allow_remote=allow_remote)
        version = cluster.version().get("gitVersion", "unknown")
    except K8sError as exc:
        fix = f"minikube start --driver=docker (or minikube start -p {target.context})" \
            if target.context != "minikube" else start
        return [*checks, Check("answers", False, str(exc), fix)]
    checks.append(Check("answers", True, f"Kubernetes {version}"))
    return checks + _addon_checks(cluster)


def cmd_doctor(args: argparse.Namespace) -> int:
    sentence, context, kubeconfig = which_cluster(args.context, args.kubeconfig)
    print(f"k8scourse doctor: {sentence}.")
    checks = diagnose(context, kubeconfig, args.allow_remote)
    for check in checks:
        print("\n".join(check.lines()))
    usable = all(c.ok or not c.blocking for c in checks)
    print("The cluster is ready for the course." if usable and all(c.ok for c in checks) else
          "The cluster works; the fixes above turn on what some chapters need." if usable else
          "The cluster cannot be used yet: run the fix above, then `k8scourse doctor` again.")
    return 0 if usable else 1


def add_parser(sub: argparse._SubParsersAction) -> None:
    doctor = sub.add_parser("doctor", help="check the real cluster the course would use, and how to fix it")
    doctor.add_argument("--context", help="kubeconfig context to check (default: K8SCOURSE_CLUSTER, then the "
                                          "current context)")
    doctor.add_argument("--kubeconfig", help="kubeconfig file (default: K8SCOURSE_KUBECONFIG, $KUBECONFIG, "
                                             "~/.kube/config)")
    doctor.add_argument("--allow-remote", action="store_true", help="check a context that does not look local")
    doctor.set_defaults(func=cmd_doctor)
