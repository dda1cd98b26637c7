"""Defaults of batch/v1 Jobs and CronJobs, after pkg/apis/batch/v1/defaults.go, and the selector the
Job strategy generates (pkg/registry/batch/job/strategy.go, generateSelector).

Called by `k8scourse.api.defaulting.apply_defaults` through `DEFAULTERS`; `job_selector_defaults` is
called by the simulated apiserver on create, once the Job has its uid.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..objects import deep_copy
from .pods import default_pod_template

Obj = dict[str, Any]

MAX_INT32 = 2**31 - 1
# batch.LegacyJobNameLabel, batch.JobNameLabel, batch.LegacyControllerUidLabel, batch.ControllerUidLabel
JOB_NAME_LABELS = ("job-name", "batch.kubernetes.io/job-name")
CONTROLLER_UID_LABELS = ("controller-uid", "batch.kubernetes.io/controller-uid")


def _pod_failure_policy(spec: Obj) -> None:
    """SetDefaults_PodFailurePolicyOnPodConditionsPattern: a pattern's status defaults to True."""
    for rule in (spec.get("podFailurePolicy") or {}).get("rules") or []:
        for pattern in rule.get("onPodConditions") or []:
            if not pattern.get("status"):
                pattern["status"] = "True"


def _job(job: Obj) -> None:
    """SetDefaults_Job (feature gates as in v1.33: JobPodReplacementPolicy on)."""
    spec = job.setdefault("spec", {})
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    if spec.get("parallelism") is None:
        spec["parallelism"] = 1
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = MAX_INT32 if spec.get("backoffLimitPerIndex") is not None else 6
    template = spec.setdefault("template", {})
    labels = (template.get("metadata") or {}).get("labels")
    meta = job.setdefault("metadata", {})
    if labels is not None and not meta.get("labels"):
        meta["labels"] = dict(labels)
    if spec.get("completionMode") is None:
        spec["completionMode"] = "NonIndexed"
    if spec.get("suspend") is None:
        spec["suspend"] = False
    _pod_failure_policy(spec)
    if spec.get("podReplacementPolicy") is None:
        spec["podReplacementPolicy"] = "Failed" if spec.get("podFailurePolicy") is not None else "TerminatingOrFailed"
    if spec.get("manualSelector") is None:
        spec["manualSelector"] = False
    default_pod_template(template)


def _cron_job(cron: Obj) -> None:
    """SetDefaults_CronJob; the job template's pod template gets PodSpec defaults, its JobSpec none."""
    spec = cron.setdefault("spec", {})
    if not spec.get("concurrencyPolicy"):
        spec["concurrencyPolicy"] = "Allow"
    for key, value in (("suspend", False), ("successfulJobsHistoryLimit", 3), ("failedJobsHistoryLimit", 1)):
        if spec.get(key) is None:
            spec[key] = value
    job_template = spec.setdefault("jobTemplate", {})
    job_template.setdefault("metadata", {}).setdefault("creationTimestamp", None)
    job_spec = job_template.setdefault("spec", {})
    _pod_failure_policy(job_spec)
    default_pod_template(job_spec.setdefault("template", {}))


def job_selector_defaults(job: Obj, uid: str) -> Obj:
    """The Job strategy's PrepareForCreate selector generation, on a copy of `job`.

    Unless `spec.manualSelector` is true, the template gets the `job-name` and `controller-uid` labels
    (legacy and `batch.kubernetes.io/` forms) and the selector matches the prefixed controller-uid.
    A Job whose labels were defaulted from its template shows the generated labels too: in Go both are
    the same map, and a Job with no labels at all gets them when the stored object is decoded and
    defaulted again. (Labels a user wrote equal to the template's are treated as copied.)
    """
    job = deep_copy(job)
    spec = job.setdefault("spec", {})
    if spec.get("manualSelector"):
        return job
    name = job.get("metadata", {}).get("name", "")
    meta = job.setdefault("metadata", {})
    template_meta = spec.setdefault("template", {}).setdefault("metadata", {})
    labels = template_meta.get("labels")
    copied = not meta.get("labels") or meta.get("labels") == labels
    if labels is None:
        labels = template_meta["labels"] = {}
    for key in JOB_NAME_LABELS:
        labels.setdefault(key, name)
    for key in CONTROLLER_UID_LABELS:
        labels.setdefault(key, uid)
    selector = spec.get("selector")
    if selector is None:
        selector = spec["selector"] = {}
    if selector.get("matchLabels") is None:
        selector["matchLabels"] = {}
    selector["matchLabels"].setdefault(CONTROLLER_UID_LABELS[1], uid)
    if copied:
        meta["labels"] = dict(labels)
    return job


DEFAULTERS: dict[str, Callable[[Obj], None]] = {
    "Job": _job,
    "CronJob": _cron_job,
}
