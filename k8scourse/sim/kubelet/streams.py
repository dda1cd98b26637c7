"""Container logs and exec, as the apiserver and kubelet answer `kubectl logs` and `kubectl exec`.

Called by `SimulatedCluster.logs()` / `.exec()`. Errors are the apiserver's (pkg/registry/core/pod/strategy.go
LogLocation/ExecLocation) and the kubelet's (validateContainerLogStatus in kubelet_pods.go), as 400 Bad
Request ApiErrors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...api.errors import bad_request_error, not_found_error
from .container import LogLine
from .timefmt import rfc3339_nano

Obj = dict[str, Any]


@dataclass(frozen=True)
class ExecResult:
    """What `kubectl exec` shows: stdout, stderr and the exit code (`command terminated with exit code N`)."""

    stdout: str
    stderr: str
    exit_code: int


def choose_container(pod: Obj, container: str | None) -> str:
    spec = pod.get("spec") or {}
    name = pod["metadata"]["name"]
    containers = [c["name"] for c in spec.get("containers") or ()]
    inits = [c["name"] for c in spec.get("initContainers") or ()]
    if not container:
        if len(containers) == 1:
            return containers[0]
        if not containers:
            raise bad_request_error(f"a container name must be specified for pod {name}")
        message = f"a container name must be specified for pod {name}, choose one of: [{' '.join(containers)}]"
        if inits:
            message += f" or one of the init containers: [{' '.join(inits)}]"
        raise bad_request_error(message)
    ephemeral = [c["name"] for c in spec.get("ephemeralContainers") or ()]
    if container not in containers + inits + ephemeral:
        raise bad_request_error(f"container {container} is not valid for pod {name}")
    return container


def _status_of(pod: Obj, container: str) -> Obj | None:
    status = pod.get("status") or {}
    for entry in (status.get("containerStatuses") or []) + (status.get("initContainerStatuses") or []):
        if entry["name"] == container:
            return entry
    return None


def check_log_status(pod: Obj, container: str, previous: bool) -> None:
    """validateContainerLogStatus: which instance's logs exist, or the kubelet's error."""
    pod_name = pod["metadata"]["name"]
    entry = _status_of(pod, container)
    if entry is None:
        raise bad_request_error(f'container "{container}" in pod "{pod_name}" is not available')
    state, last = entry.get("state") or {}, (entry.get("lastState") or {}).get("terminated")
    if previous:
        if not last or not last.get("containerID"):
            raise bad_request_error(f'previous terminated container "{container}" in pod "{pod_name}" not found')
        return
    if "running" in state or ("terminated" in state and state["terminated"].get("containerID")):
        return
    if last and last.get("containerID"):
        return
    waiting = state.get("waiting")
    if "terminated" in state or (last and not last.get("containerID")):
        raise bad_request_error(f'container "{container}" in pod "{pod_name}" is terminated')
    reason = (waiting or {}).get("reason", "")
    if reason == "ErrImagePull":
        detail = "image can't be pulled"
    elif reason == "ImagePullBackOff":
        detail = "trying and failing to pull image"
    else:
        detail = reason
    raise bad_request_error(f'container "{container}" in pod "{pod_name}" is waiting to start: {detail}')


def render_logs(lines: list[LogLine], clock: Any, *, tail: int | None = None, timestamps: bool = False,
                since_seconds: float | None = None) -> str:
    chosen = lines
    if since_seconds is not None:
        chosen = [line for line in chosen if line.at >= clock.now - since_seconds]
    if tail is not None and tail >= 0:
        chosen = chosen[-tail:] if tail else []
    if timestamps:
        return "".join(f"{rfc3339_nano(clock.datetime(line.at))} {line.text}" for line in chosen)
    return "".join(line.text for line in chosen)


def pod_or_404(api: Any, pods: Any, namespace: str, name: str) -> Obj:
    pod = api.peek(pods, name, namespace)
    if pod is None:
        raise not_found_error("pods", "", name)
    if not (pod.get("spec") or {}).get("nodeName"):
        raise bad_request_error(f"pod {name} does not have a host assigned")
    return pod
