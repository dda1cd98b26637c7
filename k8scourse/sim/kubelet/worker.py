"""The pod worker: one bound pod's life on its node, from sandbox to final deletion.

Created by `Kubelet` for each pod bound to its node. Follows the kubelet's SyncPod: volumes, sandbox and
IP, init containers one by one (sidecars kept running), then the app containers in order (pull, create,
start), restarts with CrashLoopBackOff, probes, and graceful termination ending in the final delete.
Every change is written through the apiserver's status subresource.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...api.quantity import parse_quantity
from ..images import StartFailure, argv_for, launch
from ..images.process import ProgramContext
from . import status as pod_status
from .backoff import Backoff
from .container import ContainerRecord, Process
from .env import ConfigError, container_env, expand
from .node import runs_kube_proxy
from .probes import Prober, exec_program
from .pulls import ImageFailure, Pulled
from .timefmt import go_duration
from .volumes import MountError, PodVolumes, container_files, projection_sync, setup_volumes, sync_stamp

if TYPE_CHECKING:
    from .kubelet import Kubelet

Obj = dict[str, Any]
SANDBOX_SECONDS = 1.2  # RunPodSandbox with the docker runtime, CNI included
CREATE_SECONDS = 0.3
PLEG_SECONDS = 1.0  # the kubelet notices an exited container on its next relist
CONFIG_RETRY_SECONDS = 15.0
MOUNT_RETRY_SECONDS = 120.0
SIGTERM_EXIT_SECONDS = 0.2
IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class PodWorker:
    def __init__(self, kubelet: Kubelet, pod: Obj):
        self.k = kubelet
        self.clock = kubelet.api.clock
        meta = pod["metadata"]
        self.uid, self.name, self.namespace = meta["uid"], meta["name"], meta.get("namespace", "default")
        self.pod = pod
        spec = pod.get("spec") or {}
        has_init = bool(spec.get("initContainers"))
        first_reason = "PodInitializing" if has_init else "ContainerCreating"
        self.inits = [ContainerRecord(c, init=True, reason="PodInitializing") for c in spec.get("initContainers") or ()]
        self.mains = [ContainerRecord(c, reason=first_reason) for c in spec.get("containers") or ()]
        self.sandbox_ready = False
        self.pod_ip = ""
        self.start_time = self.clock.now
        self.transitions: dict[str, tuple[str, float]] = {}
        self.volumes = PodVolumes()
        self.crash_backoff = Backoff()
        self.terminating = False
        self.finished = False
        self.busy = False  # a container is being pulled/created/started
        self.blocked = False  # waiting for a ConfigMap/Secret (mount or env)
        self.probers: dict[str, list[Prober]] = {}
        self.pending: dict[str, Any] = {}  # label -> timer of scheduled work
        self.last_written: Obj | None = None
        self._flush: Any = None

    # --- helpers -----------------------------------------------------------------------------------
    @property
    def records(self) -> list[ContainerRecord]:
        return self.inits + self.mains

    def record(self, name: str) -> ContainerRecord | None:
        return next((r for r in self.records if r.name == name), None)

    def later(self, delay: float, fn: Callable[[], None], what: str, periodic: bool = False) -> None:
        def run() -> None:
            self.pending.pop(what, None)
            if not self.finished and self.k.running:
                fn()

        old = self.pending.pop(what, None)
        if old is not None:
            old.cancel()
        self.pending[what] = self.clock.call_later(delay, run, periodic=periodic,
                                                   label=f"kubelet {self.k.node}: {self.namespace}/{self.name} {what}")

    def event(self, type_: str, reason: str, message: str, rec: ContainerRecord | None = None) -> None:
        path = ""
        if rec is not None:
            kind = "initContainers" if rec.init else "containers"
            path = f"spec.{kind}{{{rec.name}}}"
        self.k.recorder.event(self.pod, type_, reason, message, "kubelet", self.k.node, field_path=path)

    def stamp(self, at: float) -> str:
        return self.clock.timestamp(at)

    # --- lifecycle ---------------------------------------------------------------------------------
    def update(self, pod: Obj) -> None:
        """The pod object changed in the store."""
        self.pod = pod
        if pod["metadata"].get("deletionTimestamp") and not self.terminating:
            self.terminate()
        elif not self.terminating:
            self.follow_spec(pod)

    def follow_spec(self, pod: Obj) -> None:
        """computePodActions: a container whose definition changed (its hash; a pod update can change only the
        image) is killed and started again whatever the restart policy, with a fresh back-off (the back-off
        key holds the hash); one waiting to start is started with the new image at once."""
        specs = {c["name"]: c for c in (pod.get("spec") or {}).get("containers") or ()}
        for rec in self.mains:
            new = specs.get(rec.name)
            if new is None or new.get("image") == rec.spec.get("image"):
                continue
            rec.spec = new
            self.crash_backoff.reset(f"{self.uid}/{rec.name}")
            if rec.state == "running":
                rec.changed = True
                self.event("Normal", "Killing", f"Container {rec.name} definition changed, will be restarted", rec)
                self.kill(rec, "changed")
            elif rec.state == "waiting" and not self.busy:
                retry = self.pending.pop(f"retry {rec.name}", None)
                if retry is not None:
                    retry.cancel()
                self.later(0.0, self.advance, "advance")

    def begin(self) -> None:
        self.write_status()
        self.later(SANDBOX_SECONDS, self.create_sandbox, "sandbox")

    def create_sandbox(self) -> None:
        try:
            self.volumes = setup_volumes(self.k.api, self.pod, self.k.node, self.k.allocatable(),
                                         lambda: sync_stamp(self.clock.datetime(), self.uid))
        except MountError as exc:
            self.blocked = True
            self.event("Warning", "FailedMount", str(exc))
            self.later(MOUNT_RETRY_SECONDS, self.create_sandbox, "sandbox", periodic=True)
            return
        self.blocked = False
        projection_sync(self.k.api).watch(self.pod, self.clock.now, self.refresh_volumes)
        spec = self.pod.get("spec") or {}
        self.pod_ip = self.k.host_ip if spec.get("hostNetwork") else self.k.ipam.allocate()
        self.sandbox_ready = True
        self.write_status()
        self.advance()

    def refresh_volumes(self) -> None:
        """SyncPod after a projected ConfigMap or Secret changed: rewrite the volume (env stays)."""
        if self.finished or not self.k.running:
            return
        self.volumes.refresh(self.k.api, self.pod, self.k.allocatable())

    def config_changed(self) -> None:
        """A ConfigMap or Secret in the namespace appeared or changed: retry what waited for it."""
        if not self.blocked or self.terminating:
            return
        if not self.sandbox_ready:
            self.later(1.0, self.create_sandbox, "sandbox")
            return
        for rec in self.records:
            if rec.reason == "CreateContainerConfigError" and f"retry {rec.name}" in self.pending:
                self.pending.pop(f"retry {rec.name}").cancel()
        self.later(1.0, self.advance, "advance")

    # --- deciding what to start (computePodActions) -----------------------------------------------
    def advance(self) -> None:
        if self.terminating or self.busy or not self.sandbox_ready:
            return
        todo = self.next_to_start()
        if todo is None:
            self.write_status()
            return
        self.start(todo)

    def should_restart(self, rec: ContainerRecord) -> bool:
        policy = (self.pod.get("spec") or {}).get("restartPolicy", "Always")
        if rec.sidecar or rec.changed:
            return True
        if rec.init:
            return rec.exit_code != 0 and policy != "Never"
        return policy == "Always" or (policy == "OnFailure" and rec.exit_code != 0)

    def wants_start(self, rec: ContainerRecord) -> bool:
        if rec.state == "running":
            return False
        if rec.state == "terminated":
            return self.should_restart(rec)
        return not self.pending.get(f"retry {rec.name}")

    def next_to_start(self) -> ContainerRecord | None:
        for rec in self.inits:
            if rec.sidecar:
                if self.wants_start(rec):
                    return rec
                if not rec.started:
                    return None
                continue
            if rec.state == "terminated" and rec.exit_code == 0:
                continue
            if rec.state == "running" or not self.wants_start(rec):
                return None
            return rec
        return next((rec for rec in self.mains if self.wants_start(rec)), None)

    # --- starting a container ----------------------------------------------------------------------
    def start(self, rec: ContainerRecord) -> None:
        key = f"{self.uid}/{rec.name}"
        if rec.container_id:  # restarting: CrashLoopBackOff while the back-off lasts
            remaining = self.crash_backoff.remaining(key, self.clock.now)
            if remaining > 0:
                self.crash_loop(rec, key, remaining)
                return
            self.crash_backoff.next(key, self.clock.now)
        self.busy = True
        self.k.images.ensure(self.pod, rec.spec, lambda t, r, m: self.event(t, r, m, rec),
                             lambda result: self.image_ready(rec, result),
                             f"kubelet {self.k.node}: pull {rec.spec.get('image', '')}")

    def crash_loop(self, rec: ContainerRecord, key: str, remaining: float) -> None:
        if rec.state == "terminated":
            rec.last_state = rec.terminated_dict(self.stamp)
        rec.state, rec.reason = "waiting", "CrashLoopBackOff"
        rec.message = (f"back-off {go_duration(self.crash_backoff.delay(key))} restarting failed "
                       f"container={rec.name} pod={self.name}_{self.namespace}({self.uid})")
        self.event("Warning", "BackOff", f"Back-off restarting failed container {rec.name} in pod "
                                         f"{self.name}_{self.namespace}({self.uid})", rec)
        self.later(remaining, lambda: self.retry(rec), f"retry {rec.name}")
        self.write_status()
        self.continue_with_others(rec)

    def retry(self, rec: ContainerRecord) -> None:
        self.advance()

    def continue_with_others(self, rec: ContainerRecord) -> None:
        """SyncPod goes on with the next container when one cannot start now."""
        self.busy = False
        if rec.init and not rec.sidecar:
            return
        others = [r for r in self.mains if r is not rec and self.wants_start(r)
                  and not self.pending.get(f"retry {r.name}") and r.reason not in ("CrashLoopBackOff",)]
        after = self.mains.index(rec) + 1 if rec in self.mains else 0
        for other in others:
            if other in self.mains[after:]:
                self.start(other)
                return
        self.write_status()

    def wait(self, rec: ContainerRecord, reason: str, message: str) -> None:
        if rec.state == "terminated":
            rec.last_state = rec.terminated_dict(self.stamp)
        rec.state, rec.reason, rec.message = "waiting", reason, message
        rec.ready = rec.started = False

    def image_ready(self, rec: ContainerRecord, result: Pulled | ImageFailure) -> None:
        if self.terminating or self.finished:
            self.busy = False
            return
        if isinstance(result, ImageFailure):
            self.wait(rec, result.reason, result.message)
            self.event("Warning", "Failed", f"Error: {result.reason}", rec)
            delay = PLEG_SECONDS if result.reason == "ErrImagePull" else self.k.images.retry_delay(self.pod, rec.spec)
            if result.reason in ("ErrImagePull", "ImagePullBackOff"):
                self.later(max(delay, PLEG_SECONDS), lambda: self.retry(rec), f"retry {rec.name}")
            self.continue_with_others(rec)
            return
        try:
            env = self.environment(rec, result)
        except ConfigError as exc:
            self.blocked = True
            self.wait(rec, "CreateContainerConfigError", str(exc))
            self.event("Warning", "Failed", f"Error: {exc}", rec)
            self.later(CONFIG_RETRY_SECONDS, lambda: self.retry(rec), f"retry {rec.name}", periodic=True)
            self.continue_with_others(rec)
            return
        self.blocked = False
        self.later(CREATE_SECONDS, lambda: self.create_and_run(rec, result, env), f"create {rec.name}")

    def environment(self, rec: ContainerRecord, pulled: Pulled) -> dict[str, str]:
        image_env = {"PATH": IMAGE_PATH, "HOSTNAME": self.hostname}
        env = container_env(self.k.api, self.current_pod(), rec.spec, self.k.allocatable(), image_env)
        return {**env, "HOME": env.get("HOME", "/root")}

    @property
    def hostname(self) -> str:
        spec = self.pod.get("spec") or {}
        return spec.get("hostname") or self.name

    def current_pod(self) -> Obj:
        """The pod with the status fields env fieldRefs read (podIP, hostIP)."""
        pod = dict(self.pod)
        pod["status"] = {**(self.pod.get("status") or {}), "podIP": self.pod_ip, "hostIP": self.k.host_ip,
                         "podIPs": [{"ip": self.pod_ip}] if self.pod_ip else [],
                         "hostIPs": [{"ip": self.k.host_ip}]}
        return pod

    def context(self, rec: ContainerRecord, env: dict[str, str], files: dict[str, str]) -> ProgramContext:
        return ProgramContext([], env, self.hostname, files, self.k.network.for_pod(self.pod), self.clock.datetime, self.pod_ip,
                              lambda: [" ".join(rec.argv)] if rec.state == "running" else [])

    def create_and_run(self, rec: ContainerRecord, pulled: Pulled, env: dict[str, str]) -> None:
        self.busy = False
        if rec.container_id:  # a previous instance: this is a restart
            if rec.state == "terminated":
                rec.last_state = rec.terminated_dict(self.stamp)
            rec.restart_count += 1
        rec.changed = False
        rec.container_id = f"docker://{self.k.api.rng.getrandbits(256):064x}"
        rec.image, rec.image_id = pulled.status_image, pulled.image_id
        rec.env = env
        etc = self.k.network.for_pod(self.pod).etc_files(self.pod_ip, self.hostname)
        rec.files = container_files(rec.spec, self.volumes, self.hostname, env, self.clock.datetime, etc)
        rec.previous_logs = rec.logs if rec.logs or rec.restart_count else None
        rec.logs = []
        command = [expand(c, env) for c in rec.spec.get("command") or []] or None
        args = [expand(a, env) for a in rec.spec.get("args") or []] or None
        rec.argv = argv_for(pulled.spec, command, args)
        program = launch(pulled.spec, pulled.ref.tag or "latest", list(rec.argv), self.context(rec, env, rec.files))
        self.event("Normal", "Created", f"Created container: {rec.name}", rec)
        if isinstance(program, StartFailure):
            message = ("failed to create task for container: failed to create shim task: OCI runtime create "
                       f"failed: runc create failed: unable to start container process: {program.message}: unknown")
            self.event("Warning", "Failed", f'Error: failed to start container "{rec.name}": Error response from '
                                            f"daemon: {message}", rec)
            rec.state, rec.reason, rec.message = "terminated", "ContainerCannotRun", message
            rec.exit_code, rec.started_at, rec.finished_at = program.exit_code, self.clock.now, self.clock.now
            self.after_exit(rec)
            return
        self.event("Normal", "Started", f"Started container {rec.name}", rec)
        if runs_kube_proxy(rec.argv):
            self.k.agent.kube_proxy_started()
        rec.state, rec.reason, rec.message = "running", "", ""
        rec.started_at, rec.finished_at, rec.exit_code = self.clock.now, None, None
        stops = pulled.spec.stops_on_sigterm and rec.argv[0].rsplit("/", 1)[-1] in pulled.spec.binaries
        rec.process = Process(self.clock, program, rec, self.memory_limit(rec.spec),
                              lambda code, reason: self.exited(rec, code, reason), self.write_status,
                              f"kubelet {self.k.node}: {self.namespace}/{self.name} {rec.name} process")
        rec.process.stops_on_sigterm = stops  # type: ignore[attr-defined]
        rec.process.spec = pulled.spec  # type: ignore[attr-defined]
        rec.process.start()
        if rec.state != "running":  # exited (or OOM-killed) at once
            return
        if not self.post_start(rec):
            return
        self.start_probes(rec)
        self.write_status()
        self.advance()

    def memory_limit(self, spec: Obj) -> int | None:
        limit = ((spec.get("resources") or {}).get("limits") or {}).get("memory")
        return parse_quantity(str(limit)).int_value() if limit is not None else None

    def post_start(self, rec: ContainerRecord) -> bool:
        hook = ((rec.spec.get("lifecycle") or {}).get("postStart") or {})
        if "exec" not in hook:
            return True
        code, output = exec_program(self, rec, hook["exec"].get("command") or [])
        if code == 0:
            return True
        message = f"Exec lifecycle hook ({hook['exec'].get('command')}) for Container \"{rec.name}\" in Pod " \
                  f"\"{self.name}_{self.namespace}({self.uid})\" failed - error: command " \
                  f"'{' '.join(hook['exec'].get('command') or [])}' exited with {code}: {output}, message: " \
                  f"\"{output}\""
        self.event("Warning", "FailedPostStartHook", message, rec)
        self.kill(rec, "FailedPostStartHook")
        return False

    # --- probes ------------------------------------------------------------------------------------
    def start_probes(self, rec: ContainerRecord) -> None:
        self.stop_probes(rec)
        probers = [Prober(self, rec, kind, rec.spec[f"{kind}Probe"])
                   for kind in ("startup", "liveness", "readiness") if rec.spec.get(f"{kind}Probe")]
        self.probers[rec.name] = probers
        if not any(p.kind == "startup" for p in probers):
            self.container_started(rec)
        else:
            next(p for p in probers if p.kind == "startup").schedule_first()

    def container_started(self, rec: ContainerRecord) -> None:
        rec.started = True
        readiness = False
        for prober in self.probers.get(rec.name, []):
            if prober.kind in ("liveness", "readiness"):
                prober.schedule_first()
                readiness = readiness or prober.kind == "readiness"
        if not readiness and (not rec.init or rec.sidecar):
            rec.ready = True
        self.write_status()
        self.advance()

    def stop_probes(self, rec: ContainerRecord) -> None:
        for prober in self.probers.pop(rec.name, []):
            prober.stop()

    # --- stopping and exits ------------------------------------------------------------------------
    def kill(self, rec: ContainerRecord, why: str, grace: float | None = None) -> None:
        """Stop a running container: preStop hook, SIGTERM, SIGKILL after the grace period."""
        process = rec.process
        if process is None or not process.alive:
            return
        spec = self.pod.get("spec") or {}
        if grace is None:
            grace = float(spec.get("terminationGracePeriodSeconds", 30))
        hook = (rec.spec.get("lifecycle") or {}).get("preStop") or {}
        hook_seconds = 0.0
        if "exec" in hook:
            code, output, hook_seconds = exec_program(self, rec, hook["exec"].get("command") or [], timed=True)
            if code != 0:
                self.event("Warning", "FailedPreStopHook", "PreStopHook failed", rec)
        elif "sleep" in hook:
            hook_seconds = float(hook["sleep"].get("seconds", 0))
        hook_seconds = min(hook_seconds, grace)
        if getattr(process, "stops_on_sigterm", False):
            delay, code = hook_seconds + SIGTERM_EXIT_SECONDS, 0
        else:
            delay, code = grace, 137
        reason = "Completed" if code == 0 else "Error"
        self.clock.call_later(max(delay, 0.0), lambda: process.kill(code, reason),
                              label=f"kubelet {self.k.node}: stop {self.namespace}/{self.name} {rec.name}")

    def exited(self, rec: ContainerRecord, code: int, reason: str) -> None:
        rec.state, rec.reason, rec.message = "terminated", reason, ""
        rec.exit_code, rec.finished_at = code, self.clock.now
        rec.ready = rec.started = False
        self.stop_probes(rec)
        self.after_exit(rec)

    def after_exit(self, rec: ContainerRecord) -> None:
        if self.terminating:
            self.write_status()
            self.maybe_finish()
            return
        key = f"{self.uid}/{rec.name}"
        if rec.started_at is not None and self.clock.now - rec.started_at > 600:
            self.crash_backoff.reset(key)  # ran long enough: a fresh back-off
        self.write_status()
        if self.should_restart(rec):
            self.later(PLEG_SECONDS, self.advance, "advance")
        else:
            self.advance()

    def terminate(self) -> None:
        self.terminating = True
        for what in [w for w in self.pending if not w.startswith("kill")]:
            self.pending.pop(what).cancel()
        grace = float(self.pod["metadata"].get("deletionGracePeriodSeconds", 30))
        for rec in self.records:
            if rec.process is not None and rec.process.alive:
                self.event("Normal", "Killing", f"Stopping container {rec.name}", rec)
                self.kill(rec, "delete", grace)
        self.maybe_finish()

    def maybe_finish(self) -> None:
        if any(rec.process is not None and rec.process.alive for rec in self.records):
            return
        if self.finished:
            return
        self.later(0.3, self.finish, "kill finish")

    def finish(self) -> None:
        self.finished = True
        projection_sync(self.k.api).forget(self.pod)
        for rec in self.records:
            self.stop_probes(rec)
        self.write_status()
        self.k.pod_finished(self)

    # --- status ------------------------------------------------------------------------------------
    def status(self) -> Obj:
        spec = self.pod.get("spec") or {}
        phase = pod_status.phase(spec, self.inits, self.mains)
        if self.terminating and self.finished and phase in ("Running", "Pending"):
            failed = any(r.exit_code for r in self.mains)
            phase = "Failed" if failed or spec.get("restartPolicy", "Always") == "Always" else "Succeeded"
        now = self.clock.now
        conditions = []
        for type_, status, reason, message in pod_status.conditions(self.sandbox_ready, self.inits, self.mains,
                                                                    phase):
            previous = self.transitions.get(type_)
            if previous is None or previous[0] != status:
                self.transitions[type_] = (status, now)
            cond: Obj = {"type": type_, "status": status, "lastProbeTime": None,
                         "lastTransitionTime": self.stamp(self.transitions[type_][1])}
            if reason:
                cond["reason"] = reason
            if message:
                cond["message"] = message
            conditions.append(cond)
        out: Obj = {"phase": phase, "conditions": conditions, "hostIP": self.k.host_ip,
                    "hostIPs": [{"ip": self.k.host_ip}], "startTime": self.stamp(self.start_time)}
        if self.pod_ip:
            out["podIP"] = self.pod_ip
            out["podIPs"] = [{"ip": self.pod_ip}]
        if self.inits:
            out["initContainerStatuses"] = [pod_status.container_status(r, self.stamp) for r in self.inits]
        out["containerStatuses"] = [pod_status.container_status(r, self.stamp) for r in self.mains]
        return out

    def write_status(self) -> None:
        """Queue a status write; changes made at the same virtual instant go out as one (the status manager)."""
        if self._flush is None:
            self._flush = self.clock.call_soon(self._flush_status, label=f"kubelet {self.k.node}: pod status")

    def _flush_status(self) -> None:
        self._flush = None
        if self.k.running:
            self.k.write_pod_status(self, self.status())
