"""Pod status as the kubelet computes it: phase (getPhase), conditions (pkg/kubelet/status/generate.go) and
container statuses.

Called by the pod worker whenever something about the pod changed; the result is written through the
apiserver's status subresource.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .container import ContainerRecord

Obj = dict[str, Any]


def container_status(rec: ContainerRecord, stamp: Callable[[float], str]) -> Obj:
    if rec.state == "running":
        state: Obj = {"running": {"startedAt": stamp(rec.started_at or 0.0)}}
    elif rec.state == "terminated":
        state = {"terminated": rec.terminated_dict(stamp)}
    else:
        state = {"waiting": {"reason": rec.reason, **({"message": rec.message} if rec.message else {})}}
    out: Obj = {
        "name": rec.name,
        "image": rec.image or rec.spec.get("image", ""),
        "imageID": rec.image_id,
        "lastState": {"terminated": rec.last_state} if rec.last_state else {},
        "ready": rec.ready,
        "restartCount": rec.restart_count,
        "started": rec.started,
        "state": state,
    }
    if rec.container_id:
        out["containerID"] = rec.container_id
    return out


def phase(spec: Obj, inits: list[ContainerRecord], mains: list[ContainerRecord]) -> str:
    """getPhase in pkg/kubelet/kubelet_pods.go."""
    policy = spec.get("restartPolicy", "Always")
    pending_init = False
    for rec in inits:
        if rec.sidecar:
            if not rec.started:
                pending_init = True
            continue
        if rec.state == "terminated" and rec.exit_code == 0:
            continue
        if rec.state == "terminated" and policy == "Never":
            return "Failed"
        pending_init = True
    running = waiting = stopped = succeeded = 0
    for rec in mains:
        if rec.state == "running":
            running += 1
        elif rec.state == "terminated":
            stopped += 1
            succeeded += rec.exit_code == 0
        elif rec.last_state:
            stopped += 1
        else:
            waiting += 1
    if pending_init and not running and not stopped:
        return "Pending"
    if waiting:
        return "Pending"
    if running:
        return "Running"
    if stopped:
        if policy == "Always":
            return "Running"
        if stopped == succeeded:
            return "Succeeded"
        if policy == "OnFailure":
            return "Running"
        return "Failed"
    return "Pending"


def _names(recs: list[ContainerRecord]) -> str:
    return "[" + " ".join(r.name for r in recs) + "]"


def conditions(sandbox_ready: bool, inits: list[ContainerRecord], mains: list[ContainerRecord],
               pod_phase: str) -> list[tuple[str, str, str, str]]:
    """(type, status, reason, message) for the kubelet-owned conditions, in the order the kubelet writes them."""
    out = [("PodReadyToStartContainers", "True" if sandbox_ready else "False", "", "")]
    incomplete = [r for r in inits if not (r.started if r.sidecar else r.state == "terminated" and r.exit_code == 0)]
    any_main_started = any(r.state == "running" or r.last_state or r.state == "terminated" for r in mains)
    if pod_phase == "Succeeded":
        out.append(("Initialized", "True", "PodCompleted", ""))
    elif incomplete and not any_main_started:
        out.append(("Initialized", "False", "ContainersNotInitialized",
                    f"containers with incomplete status: {_names(incomplete)}"))
    else:
        out.append(("Initialized", "True", "", ""))
    if pod_phase in ("Succeeded", "Failed"):
        reason = "PodCompleted" if pod_phase == "Succeeded" else "PodFailed"
        ready = ("False", reason, "")
    else:
        unready = [r for r in inits if r.sidecar and not r.ready] + [r for r in mains if not r.ready]
        ready = ("False", "ContainersNotReady", f"containers with unready status: {_names(unready)}") if unready \
            else ("True", "", "")
    out.append(("Ready", *ready))
    out.append(("ContainersReady", *ready))
    return out
