"""Liveness, readiness and startup probes (pkg/kubelet/prober), and running a command inside a container.

Used by the pod worker: one `Prober` per probe of a running container, ticking every periodSeconds on the
virtual clock. Probes of a healthy container are periodic work; while a liveness or startup probe is
failing its next check is work `settle()` waits for, since it leads to a restart. `exec_program` runs
exec probes, lifecycle hooks and `kubectl exec` commands in a container's environment and files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..images import StartFailure, launch
from ..images.process import Listen, Out, Serve, Sleep, UseMemory

if TYPE_CHECKING:
    from .container import ContainerRecord
    from .worker import PodWorker

Obj = dict[str, Any]
EXEC_STEP_LIMIT = 100000


def exec_program(worker: PodWorker, rec: ContainerRecord, argv: list[str], *, timed: bool = False,
                 stdin: str = "") -> Any:
    """Run `argv` in the container at once: (exit code, combined output[, simulated seconds])."""
    code, out, err, seconds = run_in_container(worker, rec, argv, stdin)
    return (code, out + err, seconds) if timed else (code, out + err)


def run_in_container(worker: PodWorker, rec: ContainerRecord, argv: list[str],
                     stdin: str = "") -> tuple[int, str, str, float]:
    """(exit code, stdout, stderr, seconds slept) of a command run in the container's namespace."""
    spec = getattr(rec.process, "spec", None)
    if spec is None:
        return 126, "", "container not running\n", 0.0
    ctx = worker.context(rec, dict(rec.env), rec.files)
    ctx.stdin = stdin
    program = launch(spec, "", list(argv), ctx)
    if isinstance(program, StartFailure):
        return 126, "", (f"OCI runtime exec failed: exec failed: unable to start container process: "
                         f"{program.message}: unknown\n"), 0.0
    out: list[str] = []
    err: list[str] = []
    seconds = 0.0
    for _ in range(EXEC_STEP_LIMIT):
        try:
            action = next(program)
        except StopIteration as stop:
            return int(stop.value or 0), "".join(out), "".join(err), seconds
        if isinstance(action, Out):
            (out if action.stream == "stdout" else err).append(action.text)
        elif isinstance(action, Sleep):
            seconds += action.seconds
            if action.background:
                break
        elif isinstance(action, Serve):
            break
        elif isinstance(action, (Listen, UseMemory)):
            continue
    program.close()
    return 0, "".join(out), "".join(err), seconds


class Prober:
    def __init__(self, worker: PodWorker, rec: ContainerRecord, kind: str, probe: Obj):
        self.worker = worker
        self.rec = rec
        self.kind = kind
        self.probe = probe
        self.successes = 0
        self.failures = 0
        self.timer: Any = None
        self.instance = rec.container_id
        self.checked = False  # the first result is work a learner waits for (is it healthy? ready?)

    def _param(self, name: str, default: int) -> int:
        return int(self.probe.get(name, default) or default)

    def schedule_first(self) -> None:
        started = self.rec.started_at or self.worker.clock.now
        initial = self._param("initialDelaySeconds", 0) if "initialDelaySeconds" in self.probe else 0
        delay = max(0.0, started + initial - self.worker.clock.now)
        self._schedule(delay if initial else min(delay, 1.0) or 1.0)

    def _schedule(self, delay: float) -> None:
        failing = self.failures > 0 and self.kind in ("liveness", "startup")
        self.timer = self.worker.clock.call_later(
            delay, self.tick, periodic=self.checked and not failing,
            label=f"kubelet {self.worker.k.node}: {self.kind} probe {self.worker.name}/{self.rec.name}")

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def tick(self) -> None:
        self.timer = None
        rec, worker = self.rec, self.worker
        if rec.state != "running" or rec.container_id != self.instance or worker.terminating:
            return
        if not worker.k.running:
            self._schedule(self._param("periodSeconds", 10))
            return
        ok, message = self.check()
        self.checked = True
        if ok:
            self.successes, self.failures = self.successes + 1, 0
        else:
            self.failures, self.successes = self.failures + 1, 0
            worker.event("Warning", "Unhealthy", f"{self.kind.capitalize()} probe failed: {message}", rec)
        if self.act(ok):
            self._schedule(self._param("periodSeconds", 10))

    def act(self, ok: bool) -> bool:
        """Apply the result; False when this prober is done (startup succeeded, container killed)."""
        rec, worker = self.rec, self.worker
        success_threshold = self._param("successThreshold", 1)
        failure_threshold = self._param("failureThreshold", 3)
        if self.kind == "readiness":
            ready = rec.ready
            if ok and self.successes >= success_threshold:
                ready = True
            elif not ok and self.failures >= failure_threshold:
                ready = False
            if ready != rec.ready:
                rec.ready = ready
                worker.write_status()
            return True
        if ok and self.kind == "startup":
            worker.container_started(rec)
            return False
        if not ok and self.failures >= failure_threshold:
            worker.event("Normal", "Killing", f"Container {rec.name} failed {self.kind} probe, will be restarted",
                         rec)
            grace = self.probe.get("terminationGracePeriodSeconds")
            worker.kill(rec, self.kind, float(grace) if grace is not None else None)
            return False
        return True

    def check(self) -> tuple[bool, str]:
        probe, worker, rec = self.probe, self.worker, self.rec
        if "exec" in probe:
            code, output = exec_program(worker, rec, probe["exec"].get("command") or [])
            return code == 0, output.rstrip("\n")
        ip = worker.pod_ip
        listening = rec.process.ports if rec.process is not None else set()
        if "httpGet" in probe:
            get = probe["httpGet"]
            port = self.port(get.get("port"))
            scheme = (get.get("scheme") or "HTTP").lower()
            host = get.get("host") or ip
            url = f"{scheme}://{host}:{port}{get.get('path') or '/'}"
            if port not in listening:
                return False, f'Get "{url}": dial tcp {host}:{port}: connect: connection refused'
            code = self.http_status(get.get("path") or "/")
            if 200 <= code < 400:
                return True, ""
            return False, f"HTTP probe failed with statuscode: {code}"
        if "tcpSocket" in probe:
            port = self.port(probe["tcpSocket"].get("port"))
            host = probe["tcpSocket"].get("host") or ip
            if port not in listening:
                return False, f"dial tcp {host}:{port}: connect: connection refused"
            return True, ""
        if "grpc" in probe:
            port = int(probe["grpc"].get("port", 0))
            return (port in listening), f"timeout: failed to connect service \"{ip}:{port}\" within 1s"
        return True, ""

    def port(self, value: Any) -> int:
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            return int(value)
        for port in self.rec.spec.get("ports") or ():
            if port.get("name") == value:
                return int(port["containerPort"])
        return 0

    def http_status(self, path: str) -> int:
        spec = getattr(self.rec.process, "spec", None)
        routes = spec.routes if spec is not None else {}
        path = path.split("?", 1)[0]
        if path in routes:
            return routes[path]
        return routes.get("*", 404)
