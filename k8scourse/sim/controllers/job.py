"""The Job controller and the ttl-after-finished controller: pods run to completion, then the Job is done.

Created by `SimulatedCluster`. Follows pkg/controller/job/job_controller.go of kube-controller-manager
v1.33: pods `<job>-<5 chars>` (Indexed: `<job>-<index>-<5 chars>` with the completion-index annotation
and label, hostname `<job>-<index>` and JOB_COMPLETION_INDEX), the `batch.kubernetes.io/job-tracking`
finalizer removed once a finished pod is counted, parallelism and completions, backoffLimit with the
pod-failure back-off (10 s doubling, capped at 10 minutes: DefaultJobPodFailureBackOff and
MaxJobPodFailureBackOff), activeDeadlineSeconds, and the v1.33 terminal conditions: SuccessCriteriaMet
then Complete, FailureTarget then Failed once no pod is left terminating. The podFailurePolicy
(pod_failure_policy.go): the first rule whose onExitCodes or onPodConditions a failed pod meets decides;
FailJob fails the Job with reason PodFailurePolicy, Ignore keeps the failure from counting towards
backoffLimit, Count (and FailIndex, whose per-index back-off is not modelled) counts it. Matching orphan
pods are adopted with the tracking finalizer, owned pods that stop matching released (getPodsForJob,
through `controllerref`). pkg/controller/ttlafterfinished deletes finished Jobs after ttlSecondsAfterFinished.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, NamedTuple

from ...api.errors import ApiError
from ...api.objects import deep_copy
from ...api.registry import REGISTRY
from ...api.selectors import LabelSelector, SelectorError, selector_from_dict
from ..store import WatchEvent
from .base import Controller
from .controllerref import (
    PodControllerRefManager,
    candidate_pods,
    owner_keys_for_pod,
)
from .history import (
    PODS,
    condition,
    delete_quietly,
    is_pod_ready,
    is_terminating,
    omit_empty,
    owned,
    pod_from_template,
    pod_phase,
)

Obj = dict[str, Any]

JOBS = REGISTRY.resolve("jobs.batch")
COMPONENT = "job-controller"
TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking"  # batch.JobTrackingFinalizer
INDEX_KEY = "batch.kubernetes.io/job-completion-index"  # batch.JobCompletionIndexAnnotation (and label)
BACKOFF = 10.0  # DefaultJobPodFailureBackOff
MAX_BACKOFF = 600.0  # MaxJobPodFailureBackOff
# (condition, reason, message) of each way a Job ends (job_controller.go, batch types)
COMPLETIONS_REACHED = ("CompletionsReached", "Reached expected number of succeeded pods")
BACKOFF_LIMIT_EXCEEDED = ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
DEADLINE_EXCEEDED = ("DeadlineExceeded", "Job was active longer than specified deadline")
POD_FAILURE_POLICY = "PodFailurePolicy"  # batch.JobReasonPodFailurePolicy
# JobStatus fields that are pointers (written even when zero)
_STATUS_KEEP = ("ready", "terminating", "uncountedTerminatedPods")


def finished_condition(job: Obj) -> str | None:
    """jobutil.FinishedCondition: "Complete" or "Failed" when the Job is done."""
    for type_ in ("Complete", "Failed"):
        cond = condition(job, type_)
        if cond is not None and cond.get("status") == "True":
            return type_
    return None


def format_indexes(indexes: set[int]) -> str:
    """orderedIntervals.String(): `0,2-4`."""
    parts: list[str] = []
    for index in sorted(indexes):
        if parts and "-" not in parts[-1].split(",")[-1] and int(parts[-1]) == index - 1:
            parts[-1] = f"{parts[-1]}-{index}"
        elif parts and "-" in parts[-1] and int(parts[-1].split("-")[1]) == index - 1:
            parts[-1] = f"{parts[-1].split('-')[0]}-{index}"
        else:
            parts.append(str(index))
    return ",".join(parts)


def parse_indexes(text: str | None) -> set[int]:
    found: set[int] = set()
    for part in (text or "").split(","):
        if part:
            low, _, high = part.partition("-")
            found.update(range(int(low), int(high or low) + 1))
    return found


def pod_index(pod: Obj) -> int | None:
    value = (pod["metadata"].get("annotations") or {}).get(INDEX_KEY)
    return int(value) if value is not None and value.isdigit() else None


def selector_of(job: Obj) -> LabelSelector:
    return selector_from_dict(job["spec"].get("selector"))


def _is_true(cond: Obj | None) -> bool:
    return cond is not None and cond.get("status") == "True"


# --- pod failure policy (pkg/controller/job/pod_failure_policy.go) ------------------------------------

class PolicyMatch(NamedTuple):
    """What matchPodFailurePolicy says of a failed pod: the FailJob message, whether the failure counts
    towards backoffLimit, and the action of the rule that matched (None when no rule did)."""

    message: str | None
    count: bool
    action: str | None


def match_pod_failure_policy(policy: Obj | None, pod: Obj) -> PolicyMatch:
    """matchPodFailurePolicy: the first rule whose onExitCodes or onPodConditions requirement the pod meets."""
    for index, rule in enumerate((policy or {}).get("rules") or ()):
        action = rule.get("action")
        if rule.get("onExitCodes") is not None:
            status = _matching_container(pod, rule["onExitCodes"])
            if status is None:
                continue
            code = status["state"]["terminated"].get("exitCode", 0)
            what = f"Container {status.get('name')} for pod {_pod_ref(pod)} failed with exit code {code}"
        elif rule.get("onPodConditions") is not None:
            cond = _matching_condition(pod, rule["onPodConditions"])
            if cond is None:
                continue
            what = f"Pod {_pod_ref(pod)} has condition {cond.get('type')}"
        else:
            continue
        if action == "FailJob":
            return PolicyMatch(f"{what} matching FailJob rule at index {index}", True, action)
        if action in ("Ignore", "Count", "FailIndex"):
            return PolicyMatch(None, action != "Ignore", action)
    return PolicyMatch(None, True, None)


def _pod_ref(pod: Obj) -> str:
    return f"{pod['metadata'].get('namespace', '')}/{pod['metadata']['name']}"


def _matching_container(pod: Obj, requirement: Obj) -> Obj | None:
    """matchOnExitCodes: the first terminated container (then init container) with a non-zero exit code
    that the requirement's operator accepts."""
    status = pod.get("status") or {}
    for key in ("containerStatuses", "initContainerStatuses"):
        for entry in status.get(key) or ():
            terminated = (entry.get("state") or {}).get("terminated")
            if terminated is None:
                continue
            name = requirement.get("containerName")
            code = terminated.get("exitCode", 0)
            if (name is None or name == entry.get("name")) and code != 0 and _operator_accepts(requirement, code):
                return entry
    return None


def _operator_accepts(requirement: Obj, code: int) -> bool:
    """isOnExitCodesOperatorMatching."""
    values = requirement.get("values") or ()
    operator = requirement.get("operator")
    if operator == "In":
        return code in values
    if operator == "NotIn":
        return code not in values
    return False


def _matching_condition(pod: Obj, patterns: list[Obj]) -> Obj | None:
    """matchOnPodConditions: the first pod condition with the type and status of a pattern."""
    for cond in (pod.get("status") or {}).get("conditions") or ():
        for pattern in patterns:
            if cond.get("type") == pattern.get("type") and cond.get("status") == pattern.get("status", "True"):
                return cond
    return None


def _condition(type_: str, reason: str, message: str, now: str) -> Obj:
    return {"type": type_, "status": "True", "lastProbeTime": now, "lastTransitionTime": now,
            "reason": reason, "message": message}


class JobController(Controller):
    name = "job-controller"
    resources = ("jobs.batch", "pods")

    def __init__(self, api: Any, recorder: Any):
        super().__init__(api, recorder)
        self._failures: dict[str, tuple[int, float]] = {}  # job uid -> (failures since success, last failure)

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        meta = event.object["metadata"]
        if event.resource == "jobs.batch":
            if event.type == "DELETED":
                self._failures.pop(meta.get("uid", ""), None)
                return []
            return [(meta.get("namespace", ""), meta["name"])]
        return owner_keys_for_pod(self.api, event, "Job", JOBS.group_resource, selector_of)

    def sync(self, key: Hashable) -> None:
        namespace, name = key  # type: ignore[misc]
        job = self.api.peek(JOBS, name, namespace)
        if job is None:
            return
        _JobSync(self, deep_copy(job)).run()

    def pod_event(self, job: Obj, created: bool, pod_name: str) -> None:
        """RealPodControl's events."""
        if created:
            self.recorder.event(job, "Normal", "SuccessfulCreate", f"Created pod: {pod_name}", COMPONENT)
        else:
            self.recorder.event(job, "Normal", "SuccessfulDelete", f"Deleted pod: {pod_name}", COMPONENT)


class _JobSync:
    """One syncJob pass over one Job."""

    def __init__(self, controller: JobController, job: Obj):
        self.c = controller
        self.api = controller.api
        self.job = job
        self.spec = job["spec"]
        self.meta = job["metadata"]
        self.namespace = self.meta.get("namespace", "default")
        self.status: Obj = deep_copy(job.get("status") or {})
        self.now = self.api.clock.timestamp()
        self.indexed = self.spec.get("completionMode") == "Indexed"

    def run(self) -> None:
        if finished_condition(self.job):
            self._release(owned(self.api, self.job, "Pod"))
            return
        pods = self._claim_pods()
        if not self.spec.get("suspend") and not self.status.get("startTime"):
            self.status["startTime"] = self.now
        self._count_finished(pods)
        live = [p for p in pods if not self._finished(p) and not is_terminating(p)]
        failure = self._failure(pods, live)
        success = failure is None and self._succeeded(live)
        if failure is not None or success or self.spec.get("suspend"):
            for pod in live:
                self._delete(pod)
            live = []
        else:
            self._create(live)
            live = [p for p in owned(self.api, self.job, "Pod") if not self._finished(p) and not is_terminating(p)]
        self._write(live, failure, success)
        self._release(pods)

    def _claim_pods(self) -> list[Obj]:
        """getPodsForJob: adopt matching orphans (adding the tracking finalizer), release owned pods that stop
        matching (removing it)."""
        try:
            selector = selector_of(self.job)
        except SelectorError:
            return owned(self.api, self.job, "Pod")
        manager = PodControllerRefManager(self.api, self.job, selector, (TRACKING_FINALIZER,))
        return manager.claim_pods(candidate_pods(self.api, self.job, selector))

    # --- counting --------------------------------------------------------------------------------------
    def _finished(self, pod: Obj) -> bool:
        """A pod the Job counts as done: terminal, or (TerminatingOrFailed) being deleted."""
        if pod_phase(pod) in ("Succeeded", "Failed"):
            return True
        return is_terminating(pod) and self.spec.get("podReplacementPolicy") != "Failed"

    def _count_finished(self, pods: list[Obj]) -> None:
        """Add finished pods that still carry the tracking finalizer to succeeded/failed; a failure the pod
        failure policy ignores is not counted (nonIgnoredFailedPodsCount), but still delays the next pod."""
        newly = {"succeeded": 0, "failed": 0}
        counted = {"succeeded": 0, "failed": 0}
        indexes = parse_indexes(self.status.get("completedIndexes"))
        policy = self.spec.get("podFailurePolicy")
        for pod in pods:
            if TRACKING_FINALIZER not in (pod["metadata"].get("finalizers") or ()) or not self._finished(pod):
                continue
            outcome = "succeeded" if pod_phase(pod) == "Succeeded" else "failed"
            index = pod_index(pod)
            if outcome == "succeeded" and self.indexed:
                if index is None or index in indexes:
                    continue
                indexes.add(index)
            newly[outcome] += 1
            counted[outcome] += outcome == "succeeded" or match_pod_failure_policy(policy, pod).count
        for outcome, count in counted.items():
            self.status[outcome] = int(self.status.get(outcome) or 0) + count
        if self.indexed:
            self.status["completedIndexes"] = format_indexes(indexes)
        uid = self.meta["uid"]
        failures, last = self.c._failures.get(uid, (0, 0.0))
        if newly["succeeded"]:
            failures = 0
        if newly["failed"]:
            failures, last = failures + newly["failed"], self.api.clock.now
        self.c._failures[uid] = (failures, last)

    def _failure(self, pods: list[Obj], live: list[Obj]) -> tuple[str, str] | None:
        """The (reason, message) the Job fails with, if it does: a FailureTarget already set, a pod matching
        a FailJob rule, the backoff limit, then the active deadline (syncJob's order)."""
        if _is_true(condition({"status": self.status}, "SuccessCriteriaMet")):
            return None
        target = condition({"status": self.status}, "FailureTarget")
        if _is_true(target):
            return target.get("reason", ""), target.get("message", "")  # type: ignore[union-attr]
        message = self._fail_job_message(pods)
        if message is not None:
            return POD_FAILURE_POLICY, message
        backoff_limit = int(self.spec.get("backoffLimit", 6))
        if int(self.status.get("failed") or 0) > backoff_limit or self._past_backoff_on_failure(live, backoff_limit):
            return BACKOFF_LIMIT_EXCEEDED
        deadline = self.spec.get("activeDeadlineSeconds")
        if deadline is not None and self.status.get("startTime") and not self.spec.get("suspend"):
            left = self.api.clock.parse(self.status["startTime"]) + int(deadline) - self.api.clock.now
            if left <= 0:
                return DEADLINE_EXCEEDED
            self.c.enqueue((self.namespace, self.meta["name"]), after=left)
        return None

    def _fail_job_message(self, pods: list[Obj]) -> str | None:
        """getFailJobMessage: the message of the first failed pod that matches a FailJob rule."""
        policy = self.spec.get("podFailurePolicy")
        if policy is None:
            return None
        for pod in pods:
            if self._finished(pod) and pod_phase(pod) != "Succeeded":
                message = match_pod_failure_policy(policy, pod).message
                if message is not None:
                    return message
        return None

    def _past_backoff_on_failure(self, live: list[Obj], backoff_limit: int) -> bool:
        """pastBackoffLimitOnFailure: container restarts of active pods count when restartPolicy is OnFailure."""
        if (self.spec["template"].get("spec") or {}).get("restartPolicy") != "OnFailure":
            return False
        restarts = sum(int(s.get("restartCount") or 0) for p in live
                       for key in ("initContainerStatuses", "containerStatuses")
                       for s in (p.get("status") or {}).get(key) or ())
        return restarts > 0 if backoff_limit == 0 else restarts >= backoff_limit

    def _succeeded(self, live: list[Obj]) -> bool:
        completions = self.spec.get("completions")
        succeeded = int(self.status.get("succeeded") or 0)
        if self.indexed:
            return len(parse_indexes(self.status.get("completedIndexes"))) >= int(completions or 0)
        if completions is None:
            return succeeded > 0 and not live
        return succeeded >= int(completions)

    # --- pods -------------------------------------------------------------------------------------------
    def _create(self, live: list[Obj]) -> None:
        parallelism = int(self.spec.get("parallelism", 1))
        completions = self.spec.get("completions")
        succeeded = int(self.status.get("succeeded") or 0)
        if completions is None:
            want = len(live) if succeeded else parallelism
        else:
            want = min(parallelism, int(completions) - succeeded)
        if self.spec.get("podReplacementPolicy") == "Failed":
            want -= sum(1 for p in owned(self.api, self.job, "Pod") if is_terminating(p) and not self._finished(p))
        missing = want - len(live)
        if missing <= 0:
            return
        failures, last = self.c._failures.get(self.meta["uid"], (0, 0.0))
        if failures:
            wait = last + min(BACKOFF * 2 ** (failures - 1), MAX_BACKOFF) - self.api.clock.now
            if wait > 0:
                self.c.enqueue((self.namespace, self.meta["name"]), after=wait)
                return
        for index in self._free_indexes(live, missing):
            self._create_pod(index)

    def _free_indexes(self, live: list[Obj], count: int) -> list[int | None]:
        if not self.indexed:
            return [None] * count
        taken = parse_indexes(self.status.get("completedIndexes")) | {pod_index(p) for p in live}  # type: ignore[arg-type]
        free = [i for i in range(int(self.spec.get("completions") or 0)) if i not in taken]
        return list(free[:count])

    def _create_pod(self, index: int | None) -> None:
        name = self.meta["name"]
        pod = pod_from_template(self.spec["template"], self.job,
                                f"{name}-" if index is None else f"{name}-{index}-")
        pod["metadata"]["finalizers"] = [*pod["metadata"].get("finalizers", []), TRACKING_FINALIZER]
        if index is not None:
            pod["metadata"].setdefault("annotations", {})[INDEX_KEY] = str(index)
            pod["metadata"]["labels"][INDEX_KEY] = str(index)
            pod["spec"]["hostname"] = f"{name}-{index}"
            for key in ("initContainers", "containers"):
                for container in pod["spec"].get(key) or ():
                    container["env"] = [*container.get("env", []), {"name": "JOB_COMPLETION_INDEX", "valueFrom": {
                        "fieldRef": {"fieldPath": f"metadata.annotations['{INDEX_KEY}']"}}}]
        try:
            created = self.api.create(PODS, pod, self.namespace)
        except ApiError as exc:
            self.c.recorder.event(self.job, "Warning", "FailedCreate", f"Error creating: {exc.message}", COMPONENT)
            return
        self.c.pod_event(self.job, True, created["metadata"]["name"])

    def _delete(self, pod: Obj) -> None:
        if delete_quietly(self.api, PODS, pod["metadata"]["name"], self.namespace):
            self.c.pod_event(self.job, False, pod["metadata"]["name"])

    def _release(self, pods: list[Obj]) -> None:
        """Remove the tracking finalizer of every counted pod (and of all pods once the Job is done)."""
        done = finished_condition(self.api.peek(JOBS, self.meta["name"], self.namespace) or self.job)
        for pod in pods:
            finalizers = pod["metadata"].get("finalizers") or []
            if TRACKING_FINALIZER not in finalizers or not (done or self._finished(pod)):
                continue
            current = self.api.peek(PODS, pod["metadata"]["name"], self.namespace)
            if current is None:
                continue
            updated = deep_copy(current)
            rest = [f for f in finalizers if f != TRACKING_FINALIZER]
            if rest:
                updated["metadata"]["finalizers"] = rest
            else:
                updated["metadata"].pop("finalizers", None)
            self.api.update(PODS, updated, self.namespace)

    # --- status -----------------------------------------------------------------------------------------
    def _write(self, live: list[Obj], failure: tuple[str, str] | None, success: bool) -> None:
        status = self.status
        status["active"] = len(live)
        status["ready"] = sum(1 for p in live if is_pod_ready(p))
        status["terminating"] = sum(1 for p in owned(self.api, self.job, "Pod")
                                    if is_terminating(p) and pod_phase(p) not in ("Succeeded", "Failed"))
        status["uncountedTerminatedPods"] = {}
        conditions = list(status.get("conditions") or [])
        types = {c["type"] for c in conditions}
        events: list[tuple[str, str, str]] = []
        if failure is not None:
            if "FailureTarget" not in types:
                conditions.append(_condition("FailureTarget", *failure, self.now))
            if not status["terminating"]:
                conditions.append(_condition("Failed", *failure, self.now))
                events.append(("Warning", *failure))
        elif success:
            if "SuccessCriteriaMet" not in types:
                conditions.append(_condition("SuccessCriteriaMet", *COMPLETIONS_REACHED, self.now))
            if not status["terminating"]:
                conditions.append(_condition("Complete", *COMPLETIONS_REACHED, self.now))
                status["completionTime"] = self.now
                events.append(("Normal", "Completed", "Job completed"))
        if conditions:
            status["conditions"] = conditions
        new_status = omit_empty(status, _STATUS_KEEP)
        if new_status != (self.job.get("status") or {}):
            current = self.api.peek(JOBS, self.meta["name"], self.namespace)
            if current is None:
                return
            updated = deep_copy(current)
            updated["status"] = new_status
            self.api.update(JOBS, updated, self.namespace, subresource="status")
        for type_, reason, message in events:
            self.c.recorder.event(self.job, type_, reason, message, COMPONENT)


class TTLAfterFinishedController(Controller):
    """Deletes a finished Job (and, in the foreground, its pods) ttlSecondsAfterFinished after it ended."""

    name = "ttl-after-finished-controller"
    resources = ("jobs.batch",)

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        job = event.object
        if event.type == "DELETED" or job.get("spec", {}).get("ttlSecondsAfterFinished") is None:
            return []
        if is_terminating(job) or not finished_condition(job):
            return []
        return [(job["metadata"].get("namespace", ""), job["metadata"]["name"])]

    def sync(self, key: Hashable) -> None:
        namespace, name = key  # type: ignore[misc]
        job = self.api.peek(JOBS, name, namespace)
        if job is None or is_terminating(job):
            return
        done = finished_condition(job)
        ttl = job["spec"].get("ttlSecondsAfterFinished")
        if done is None or ttl is None:
            return
        finished_at = self.api.clock.parse(condition(job, done)["lastTransitionTime"])  # type: ignore[index]
        left = finished_at + int(ttl) - self.api.clock.now
        if left > 0:
            self.enqueue(key, after=left)
            return
        delete_quietly(self.api, JOBS, name, namespace, propagation_policy="Foreground")
