"""Pod logs and exec on a real cluster, through the official client (`read_namespaced_pod_log` and the
`kubernetes.stream` WebSocket API).

Called by `RealCluster.logs` / `RealCluster.exec` (k8scourse.real.cluster), which translate failures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import yaml
from kubernetes import client as k8s_client
from kubernetes.client.exceptions import ApiException
from kubernetes.stream import stream

from ..api.errors import ApiError
from .errors import generic_status

EXEC_TIMEOUT = 300  # seconds an exec may run before the cell gives up on it
STDOUT, STDERR, ERROR = 1, 2, 3


@dataclass(frozen=True)
class ExecResult:
    """What `kubectl exec` shows: the command's stdout, stderr and exit code."""

    stdout: str
    stderr: str
    exit_code: int


def logs(api: k8s_client.ApiClient, namespace: str, pod: str, container: str | None, previous: bool,
         tail: int | None, timestamps: bool, since_seconds: float | None) -> str:
    """GET pods/{pod}/log, as `kubectl logs` requests it."""
    options: dict = {"previous": previous, "timestamps": timestamps, "_preload_content": False}
    if container:
        options["container"] = container
    if tail is not None and tail >= 0:
        options["tail_lines"] = tail
    if since_seconds is not None:
        options["since_seconds"] = max(1, int(since_seconds))
    response = k8s_client.CoreV1Api(api).read_namespaced_pod_log(pod, namespace, **options)
    return response.data.decode("utf-8", "replace")


def exec_(api: k8s_client.ApiClient, namespace: str, pod: str, command: list[str], container: str | None,
          stdin: str | None) -> ExecResult:
    """POST pods/{pod}/exec over a WebSocket; stdin (if any) is sent and closed before reading."""
    options: dict = {"command": command, "stderr": True, "stdout": True, "stdin": stdin is not None, "tty": False,
                     "_preload_content": False}
    if container:
        options["container"] = container
    try:
        session = stream(k8s_client.CoreV1Api(api).connect_get_namespaced_pod_exec, pod, namespace, **options)
    except ApiException as exc:
        raise handshake_error(exc) from None
    try:
        if stdin is not None:
            session.write_stdin(stdin)
            if hasattr(session, "close_channel"):
                session.close_channel(0)
        session.run_forever(timeout=EXEC_TIMEOUT)
        out, err = session.read_channel(STDOUT), session.read_channel(STDERR)
        return ExecResult(out, err, exit_code(session.read_channel(ERROR)))
    finally:
        session.close()


def exit_code(error_channel: str) -> int:
    """The exit code from the exec error channel's Status (`NonZeroExitCode` carries it in a cause)."""
    if not error_channel:
        return 0
    status = yaml.safe_load(error_channel) or {}
    if status.get("status") == "Success":
        return 0
    for cause in (status.get("details") or {}).get("causes") or []:
        if cause.get("reason") == "ExitCode":
            return int(cause.get("message", 1))
    raise ApiError(status)


def handshake_error(exc: ApiException) -> ApiError:
    """The WebSocket handshake failed: the server's Status is in the reason text when it sent one."""
    text = str(exc.reason or "")
    start = text.find('{"kind":"Status"')
    if start >= 0:
        try:
            status, _ = json.JSONDecoder().raw_decode(text[start:])
            return ApiError(status)
        except ValueError:
            pass
    code = next((int(w) for w in text.split() if w.isdigit() and len(w) == 3), 500)
    return ApiError(generic_status(code, text, "POST", "pods"))
