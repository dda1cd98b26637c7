"""`settle()` on a real cluster: wait in wall time until nothing is pending in the course's namespaces.

Called by `RealCluster.settle` (k8scourse.real.cluster). Pending means: a pod still Pending (being
scheduled, pulling, ContainerCreating) or Terminating; a Deployment, ReplicaSet, StatefulSet or DaemonSet
not rolled out; a Job neither done nor failing. Pods stuck for good (ImagePullBackOff, CrashLoopBackOff,
unschedulable) are not waited for: no amount of waiting changes them. The report reads like the
simulator's SettleReport.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Obj = dict[str, Any]
Progress = Callable[[float, float, tuple[str, ...]], None]

DEFAULT_TIMEOUT = 120.0
POLL_SECONDS = 0.5
QUIET_SECONDS = 1.0  # the progress line appears only when settling takes longer than this
STUCK_REASONS = frozenset({"ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff", "CreateContainerConfigError",
                           "InvalidImageName", "ErrImageNeverPull", "CreateContainerError", "RunContainerError"})


@dataclass(frozen=True)
class WaitReport:
    """What `settle()`/`advance()` did on a real cluster: seconds waited, checks made, whether it timed out."""

    seconds: float
    steps: int
    hit_ceiling: bool
    pending: tuple[str, ...] = ()

    def __repr__(self) -> str:
        state = "stopped at its timeout" if self.hit_ceiling else "settled"
        text = f"{state} after {self.seconds:.1f}s of wall time ({self.steps} checks)"
        if self.hit_ceiling and self.pending:
            text += "; still pending: " + ", ".join(self.pending[:5])
        return text


def _conditions(obj: Obj) -> dict[str, Obj]:
    return {c.get("type", ""): c for c in (obj.get("status") or {}).get("conditions") or []}


def pod_pending(pod: Obj) -> str | None:
    """Why a pod is still on its way (None when it is settled or stuck)."""
    name = pod["metadata"]["name"]
    if pod["metadata"].get("deletionTimestamp"):
        return f"pod/{name} Terminating"
    status = pod.get("status") or {}
    if status.get("phase", "Pending") != "Pending":
        return None
    if _conditions(pod).get("PodScheduled", {}).get("reason") == "Unschedulable":
        return None
    statuses = (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or [])
    reasons = [(s.get("state") or {}).get("waiting", {}).get("reason", "") for s in statuses]
    if any(r in STUCK_REASONS for r in reasons):
        return None
    return f"pod/{name} {next((r for r in reasons if r), 'Pending')}"


def _generation_seen(obj: Obj) -> bool:
    return (obj.get("status") or {}).get("observedGeneration", 0) >= obj["metadata"].get("generation", 0)


def deployment_pending(deploy: Obj) -> str | None:
    """kubectl rollout status's test (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go)."""
    spec, status = deploy.get("spec") or {}, deploy.get("status") or {}
    name = deploy["metadata"]["name"]
    if _conditions(deploy).get("Progressing", {}).get("reason") == "ProgressDeadlineExceeded":
        return None
    wanted = spec.get("replicas", 1)
    updated = status.get("updatedReplicas", 0)
    if not _generation_seen(deploy) or updated < wanted or status.get("replicas", 0) > updated \
            or status.get("availableReplicas", 0) < updated:
        return f"deployment/{name} rolling out"
    return None


def replicaset_pending(rs: Obj) -> str | None:
    if not _generation_seen(rs) or (rs.get("status") or {}).get("replicas", 0) != (rs.get("spec") or {}).get("replicas", 1):
        return f"replicaset/{rs['metadata']['name']} scaling"
    return None


def statefulset_pending(sts: Obj) -> str | None:
    spec, status = sts.get("spec") or {}, sts.get("status") or {}
    wanted = spec.get("replicas", 1)
    if not _generation_seen(sts) or status.get("readyReplicas", 0) < wanted or status.get("replicas", 0) != wanted:
        return f"statefulset/{sts['metadata']['name']} rolling out"
    return None


def daemonset_pending(ds: Obj) -> str | None:
    status = ds.get("status") or {}
    desired = status.get("desiredNumberScheduled", 0)
    if not _generation_seen(ds) or status.get("updatedNumberScheduled", 0) < desired \
            or status.get("numberAvailable", 0) < desired:
        return f"daemonset/{ds['metadata']['name']} rolling out"
    return None


def job_pending(job: Obj) -> str | None:
    conditions = _conditions(job)
    if any(conditions.get(t, {}).get("status") == "True" for t in ("Complete", "Failed", "SuccessCriteriaMet")):
        return None
    if (job.get("status") or {}).get("failed", 0) or (job.get("spec") or {}).get("suspend"):
        return None
    return f"job/{job['metadata']['name']} running"


CHECKS: tuple[tuple[str, Callable[[Obj], str | None]], ...] = (
    ("pods", pod_pending), ("deployments.apps", deployment_pending), ("replicasets.apps", replicaset_pending),
    ("statefulsets.apps", statefulset_pending), ("daemonsets.apps", daemonset_pending), ("jobs.batch", job_pending),
)


def pending(backend: Any, namespaces: list[str]) -> tuple[str, ...]:
    """Everything still on its way in `namespaces`, as `kind/name reason` (prefixed by the namespace
    outside `default`)."""
    found: list[str] = []
    for resource, check in CHECKS:
        rt = backend.registry.for_group_resource(resource)
        for namespace in namespaces:
            for obj in backend.list(rt, namespace)["items"]:
                reason = check(obj)
                if reason:
                    found.append(reason if namespace == "default" else f"{namespace}/{reason}")
    return tuple(found)


def wait(backend: Any, timeout: float, progress: Progress | None) -> WaitReport:
    """Check until nothing is pending, at most `timeout` seconds; report like the simulator's settle()."""
    start = time.monotonic()
    namespaces = backend.course_namespaces()
    steps = 0
    shown = False
    while True:
        left = pending(backend, namespaces)
        steps += 1
        waited = time.monotonic() - start
        if not left or waited >= timeout:
            break
        if progress is not None and waited >= QUIET_SECONDS:
            progress(waited, timeout, left)
            shown = True
        time.sleep(min(POLL_SECONDS, max(0.0, timeout - waited)))
    if shown and progress is not None:
        progress(waited, timeout, ())
    return WaitReport(waited, steps, bool(left), left)


def print_progress(waited: float, timeout: float, left: tuple[str, ...]) -> None:
    """The default progress display: one line on stderr, rewritten in place (`\\r`), ended when done."""
    if not left:
        sys.stderr.write(f"\rsettled after {waited:.0f}s".ljust(100) + "\n")
    else:
        what = ", ".join(left[:3]) + (f" and {len(left) - 3} more" if len(left) > 3 else "")
        sys.stderr.write(f"\rwaiting {waited:.0f}s/{timeout:.0f}s for {what}"[:100].ljust(100))
    sys.stderr.flush()
