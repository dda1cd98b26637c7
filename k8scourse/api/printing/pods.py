"""A pod's row: READY, STATUS and RESTARTS derived exactly as the apiserver's printPod derives them
(pkg/printers/internalversion/printers.go), including init containers, sidecars (restartable init
containers), scheduling gates, terminating and unreachable pods.

Called through the printer registry (`table.py`) for `kubectl get pods`, and directly by anything that
needs a pod's STATUS string (`pod_status`), such as describe or the cluster view widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .columns import AGE, NAME, Cell, Column, Doc, Obj, age, field, integer, name, register
from .duration import human_duration, nanoseconds_between, parse_time

POD_COLUMNS = (
    NAME,
    Column("Ready", description="The aggregate readiness state of this pod for accepting traffic."),
    Column("Status", description="The aggregate status of the containers in this pod."),
    Column("Restarts", description="The number of times the containers in this pod have been restarted "
                                   "and when the last container in this pod has restarted."),
    AGE,
    Column("IP", priority=1, description=Doc("core.v1.PodStatus", "podIP")),
    Column("Node", priority=1, description=Doc("core.v1.PodSpec", "nodeName")),
    Column("Nominated Node", priority=1, description=Doc("core.v1.PodStatus", "nominatedNodeName")),
    Column("Readiness Gates", priority=1, description=Doc("core.v1.PodSpec", "readinessGates")),
)

# pkg/util/node: the reason the node lifecycle controller gives pods of an unreachable node.
NODE_UNREACHABLE_POD_REASON = "NodeLost"

_ZERO_TIME = datetime(1, 1, 1, tzinfo=UTC)


@dataclass
class PodSummary:
    """What printPod computes before laying out cells."""

    ready: int
    total: int
    reason: str
    restarts: int
    last_restart: datetime


def _is_restartable_init_container(container: Obj | None) -> bool:
    return bool(container) and container.get("restartPolicy") == "Always"


def _condition_true(pod: Obj, condition_type: str) -> bool:
    """hasPodReadyCondition / isPodInitializedConditionTrue: the first condition of the type decides."""
    for condition in field(pod, "status", "conditions", default=[]):
        if condition.get("type") == condition_type:
            return condition.get("status") == "True"
    return False


def _later_termination(status: Obj, current: datetime) -> datetime:
    """The container's last termination time if it is later than `current` (Go's zero time at first)."""
    finished = field(status, "lastState", "terminated", "finishedAt")
    when = parse_time(finished) if finished else _ZERO_TIME
    return when if when > current else current


def _terminated_reason(terminated: Obj, prefix: str) -> str:
    if terminated.get("reason"):
        return prefix + terminated["reason"]
    if integer(terminated.get("signal")) != 0:
        return f"{prefix}Signal:{terminated['signal']}"
    return f"{prefix}ExitCode:{integer(terminated.get('exitCode'))}"


def summarize(pod: Obj) -> PodSummary:
    """printPod's READY/STATUS/RESTARTS computation, step by step as Go does it."""
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    init_specs = {c.get("name"): c for c in spec.get("initContainers") or []}
    total = len(spec.get("containers") or []) + sum(
        1 for c in spec.get("initContainers") or [] if _is_restartable_init_container(c))
    s = PodSummary(ready=0, total=total, reason=status.get("reason") or status.get("phase") or "",
                   restarts=0, last_restart=_ZERO_TIME)
    for condition in status.get("conditions") or []:
        if condition.get("type") == "PodScheduled" and condition.get("reason") == "SchedulingGated":
            s.reason = "SchedulingGated"

    initializing, sidecar_restarts, sidecar_last = _init_containers(pod, init_specs, s)
    if not initializing or _condition_true(pod, "Initialized"):
        _app_containers(pod, s, sidecar_restarts, sidecar_last)

    deleting = field(pod, "metadata", "deletionTimestamp") is not None
    if deleting and status.get("reason") == NODE_UNREACHABLE_POD_REASON:
        s.reason = "Unknown"
    elif deleting and status.get("phase") not in ("Succeeded", "Failed"):
        s.reason = "Terminating"
    return s


def _init_containers(pod: Obj, init_specs: dict[Any, Obj], s: PodSummary) -> tuple[bool, int, datetime]:
    sidecar_restarts, sidecar_last = 0, _ZERO_TIME
    statuses = field(pod, "status", "initContainerStatuses", default=[])
    count = len(field(pod, "spec", "initContainers", default=[]))
    for i, container in enumerate(statuses):
        spec = init_specs.get(container.get("name"))
        restartable = _is_restartable_init_container(spec)
        s.restarts += integer(container.get("restartCount"))
        s.last_restart = _later_termination(container, s.last_restart)
        if restartable:
            sidecar_restarts += integer(container.get("restartCount"))
            sidecar_last = _later_termination(container, sidecar_last)
        terminated = field(container, "state", "terminated")
        waiting_reason = field(container, "state", "waiting", "reason", default="")
        if terminated is not None and integer(terminated.get("exitCode")) == 0:
            continue
        if restartable and container.get("started") is True:
            if container.get("ready"):
                s.ready += 1
            continue
        if terminated is not None:
            s.reason = _terminated_reason(terminated, "Init:")
        elif field(container, "state", "waiting") is not None and waiting_reason and waiting_reason != "PodInitializing":
            s.reason = "Init:" + waiting_reason
        else:
            s.reason = f"Init:{i}/{count}"
        return True, sidecar_restarts, sidecar_last
    return False, sidecar_restarts, sidecar_last


def _app_containers(pod: Obj, s: PodSummary, sidecar_restarts: int, sidecar_last: datetime) -> None:
    s.restarts, s.last_restart = sidecar_restarts, sidecar_last
    has_running = False
    for container in reversed(field(pod, "status", "containerStatuses", default=[])):
        s.restarts += integer(container.get("restartCount"))
        s.last_restart = _later_termination(container, s.last_restart)
        state = container.get("state") or {}
        waiting, terminated = state.get("waiting"), state.get("terminated")
        if waiting is not None and waiting.get("reason"):
            s.reason = waiting["reason"]
        elif terminated is not None:
            s.reason = _terminated_reason(terminated, "")
        elif container.get("ready") and state.get("running") is not None:
            has_running = True
            s.ready += 1
    if s.reason == "Completed" and has_running:
        s.reason = "Running" if _condition_true(pod, "Ready") else "NotReady"


def pod_status(pod: Obj) -> str:
    """The STATUS column of `kubectl get pods` (`Running`, `CrashLoopBackOff`, `Init:0/1`, `Terminating`, …)."""
    return summarize(pod).reason


def restarts_cell(s: PodSummary, now: datetime) -> str:
    """`0`, or `3 (45s ago)` once a container has a last termination time."""
    if s.restarts != 0 and s.last_restart != _ZERO_TIME:
        return f"{s.restarts} ({human_duration(nanoseconds_between(s.last_restart, now))} ago)"
    return str(s.restarts)


def _readiness_gates(pod: Obj) -> str:
    gates = field(pod, "spec", "readinessGates", default=[])
    if not gates:
        return "<none>"
    conditions = field(pod, "status", "conditions", default=[])
    true_count = 0
    for gate in gates:
        for condition in conditions:
            if condition.get("type") == gate.get("conditionType"):
                true_count += condition.get("status") == "True"
                break
    return f"{true_count}/{len(gates)}"


@register("", "Pod", POD_COLUMNS)
def pod_row(pod: Obj, now: datetime) -> list[Cell]:
    s = summarize(pod)
    ips = field(pod, "status", "podIPs", default=[])
    pod_ip = (ips[0].get("ip") if ips else "") or "<none>"
    return [
        name(pod), f"{s.ready}/{s.total}", s.reason, restarts_cell(s, now), age(pod, now),
        pod_ip,
        field(pod, "spec", "nodeName", default="") or "<none>",
        field(pod, "status", "nominatedNodeName", default="") or "<none>",
        _readiness_gates(pod),
    ]


def row_conditions(pod: Obj) -> list[dict[str, str]]:
    """The row conditions printPod attaches to finished pods (podSuccessConditions / podFailedConditions)."""
    phase = field(pod, "status", "phase")
    if phase == "Succeeded":
        return [{"type": "Completed", "status": "True", "reason": "Succeeded",
                 "message": "The pod has completed successfully."}]
    if phase == "Failed":
        return [{"type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."}]
    return []
