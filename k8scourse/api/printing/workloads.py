"""Rows of the workload kinds: ReplicationControllers, ReplicaSets, Deployments, StatefulSets,
DaemonSets, ControllerRevisions, Jobs, CronJobs and HorizontalPodAutoscalers, as printers.go prints them.

Registered in the printer registry on import; called through `table.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .columns import (
    AGE,
    CONTAINERS,
    IMAGES,
    NAME,
    Cell,
    Column,
    Doc,
    Obj,
    age,
    bool_ptr,
    controller_of,
    field,
    format_label_selector,
    group_kind_name,
    integer,
    labels_string,
    name,
    quantity_string,
    register,
    selector_column,
    selector_string,
    template_containers,
)
from .duration import between, since

_RC, _RS = "core.v1.ReplicationController", "apps.v1.ReplicaSet"
_DS, _DEPLOY = "apps.v1.DaemonSet", "apps.v1.Deployment"


def _replica_columns(spec: str, status: str, selector: Column) -> tuple[Column, ...]:
    return (
        NAME,
        Column("Desired", "integer", Doc(spec, "replicas")),
        Column("Current", "integer", Doc(status, "replicas")),
        Column("Ready", "integer", Doc(status, "readyReplicas")),
        AGE, CONTAINERS, IMAGES, selector,
    )


@register("", "ReplicationController", _replica_columns(_RC + "Spec", _RC + "Status", selector_column(_RC + "Spec")))
def replication_controller_row(obj: Obj, now: datetime) -> list[Cell]:
    names, images = template_containers(obj, "spec", "template")
    return [name(obj), integer(field(obj, "spec", "replicas")), integer(field(obj, "status", "replicas")),
            integer(field(obj, "status", "readyReplicas")), age(obj, now),
            names, images, labels_string(field(obj, "spec", "selector"))]


@register("apps", "ReplicaSet", _replica_columns(_RS + "Spec", _RS + "Status", selector_column(_RS + "Spec")))
def replica_set_row(obj: Obj, now: datetime) -> list[Cell]:
    names, images = template_containers(obj, "spec", "template")
    return [name(obj), integer(field(obj, "spec", "replicas")), integer(field(obj, "status", "replicas")),
            integer(field(obj, "status", "readyReplicas")), age(obj, now),
            names, images, format_label_selector(field(obj, "spec", "selector"))]


DEPLOYMENT_COLUMNS = (
    NAME,
    Column("Ready", description="Number of the pod with ready state"),
    Column("Up-to-date", description=Doc(_DEPLOY + "Status", "updatedReplicas")),
    Column("Available", description=Doc(_DEPLOY + "Status", "availableReplicas")),
    AGE, CONTAINERS, IMAGES, selector_column(_DEPLOY + "Spec"),
)


@register("apps", "Deployment", DEPLOYMENT_COLUMNS)
def deployment_row(obj: Obj, now: datetime) -> list[Cell]:
    names, images = template_containers(obj, "spec", "template")
    ready = f"{integer(field(obj, 'status', 'readyReplicas'))}/{integer(field(obj, 'spec', 'replicas'))}"
    return [name(obj), ready, integer(field(obj, "status", "updatedReplicas")),
            integer(field(obj, "status", "availableReplicas")), age(obj, now),
            names, images, selector_string(field(obj, "spec", "selector"), invalid="<invalid>")]


STATEFUL_SET_COLUMNS = (NAME, Column("Ready", description="Number of the pod with ready state"), AGE, CONTAINERS, IMAGES)


@register("apps", "StatefulSet", STATEFUL_SET_COLUMNS)
def stateful_set_row(obj: Obj, now: datetime) -> list[Cell]:
    names, images = template_containers(obj, "spec", "template")
    ready = f"{integer(field(obj, 'status', 'readyReplicas'))}/{integer(field(obj, 'spec', 'replicas'))}"
    return [name(obj), ready, age(obj, now), names, images]


DAEMON_SET_COLUMNS = (
    NAME,
    Column("Desired", "integer", Doc(_DS + "Status", "desiredNumberScheduled")),
    Column("Current", "integer", Doc(_DS + "Status", "currentNumberScheduled")),
    Column("Ready", "integer", Doc(_DS + "Status", "numberReady")),
    Column("Up-to-date", "integer", Doc(_DS + "Status", "updatedNumberScheduled")),
    Column("Available", "integer", Doc(_DS + "Status", "numberAvailable")),
    Column("Node Selector", description=Doc("core.v1.PodSpec", "nodeSelector")),
    AGE, CONTAINERS, IMAGES, selector_column(_DS + "Spec"),
)


@register("apps", "DaemonSet", DAEMON_SET_COLUMNS)
def daemon_set_row(obj: Obj, now: datetime) -> list[Cell]:
    names, images = template_containers(obj, "spec", "template")
    status = obj.get("status") or {}
    counts = [integer(status.get(k)) for k in ("desiredNumberScheduled", "currentNumberScheduled", "numberReady",
                                               "updatedNumberScheduled", "numberAvailable")]
    return [name(obj), *counts, labels_string(field(obj, "spec", "template", "spec", "nodeSelector")), age(obj, now),
            names, images, format_label_selector(field(obj, "spec", "selector"))]


CONTROLLER_REVISION_COLUMNS = (
    NAME,
    Column("Controller", description="Controller of the object"),
    Column("Revision", description=Doc("apps.v1.ControllerRevision", "revision")),
    AGE,
)


@register("apps", "ControllerRevision", CONTROLLER_REVISION_COLUMNS)
def controller_revision_row(obj: Obj, now: datetime) -> list[Cell]:
    ref = controller_of(obj)
    controller = "<none>" if ref is None else group_kind_name(
        str(ref.get("apiVersion", "")), str(ref.get("kind", "")), str(ref.get("name", "")))
    return [name(obj), controller, integer(obj.get("revision")), age(obj, now)]


JOB_COLUMNS = (
    NAME,
    Column("Status", description="Status of the job."),
    Column("Completions", description=Doc("batch.v1.JobStatus", "succeeded")),
    Column("Duration", description="Time required to complete the job."),
    AGE, CONTAINERS, IMAGES, selector_column("batch.v1.JobSpec"),
)


def _job_condition(obj: Obj, condition_type: str) -> bool:
    for condition in field(obj, "status", "conditions", default=[]):
        if condition.get("type") == condition_type:
            return condition.get("status") == "True"
    return False


def job_status(obj: Obj) -> str:
    """The STATUS column of a Job (Complete, Failed, Terminating, Suspended, FailureTarget, Running)."""
    if _job_condition(obj, "Complete"):
        return "Complete"
    if _job_condition(obj, "Failed"):
        return "Failed"
    if field(obj, "metadata", "deletionTimestamp") is not None:
        return "Terminating"
    if _job_condition(obj, "Suspended"):
        return "Suspended"
    if _job_condition(obj, "FailureTarget"):
        return "FailureTarget"
    return "Running"


def _completions(obj: Obj) -> str:
    succeeded = integer(field(obj, "status", "succeeded"))
    completions = field(obj, "spec", "completions")
    if completions is not None:
        return f"{succeeded}/{completions}"
    parallelism = integer(field(obj, "spec", "parallelism"))
    return f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"


def _job_duration(obj: Obj, now: datetime) -> str:
    start, end = field(obj, "status", "startTime"), field(obj, "status", "completionTime")
    if start is None:
        return ""
    return since(start, now) if end is None else between(start, end)


@register("batch", "Job", JOB_COLUMNS)
def job_row(obj: Obj, now: datetime) -> list[Cell]:
    names, images = template_containers(obj, "spec", "template")
    return [name(obj), job_status(obj), _completions(obj), _job_duration(obj, now), age(obj, now),
            names, images, format_label_selector(field(obj, "spec", "selector"))]


CRON_JOB_COLUMNS = (
    NAME,
    Column("Schedule", description=Doc("batch.v1.CronJobSpec", "schedule")),
    Column("Timezone", description=Doc("batch.v1.CronJobSpec", "timeZone")),
    Column("Suspend", "boolean", Doc("batch.v1.CronJobSpec", "suspend")),
    Column("Active", "integer", Doc("batch.v1.CronJobStatus", "active")),
    Column("Last Schedule", description=Doc("batch.v1.CronJobStatus", "lastScheduleTime")),
    AGE, CONTAINERS, IMAGES, selector_column("batch.v1.JobSpec"),
)


@register("batch", "CronJob", CRON_JOB_COLUMNS)
def cron_job_row(obj: Obj, now: datetime) -> list[Cell]:
    names, images = template_containers(obj, "spec", "jobTemplate", "spec", "template")
    last = field(obj, "status", "lastScheduleTime")
    return [name(obj), str(field(obj, "spec", "schedule", default="")),
            field(obj, "spec", "timeZone", default="<none>"), bool_ptr(field(obj, "spec", "suspend")),
            len(field(obj, "status", "active", default=[])), "<none>" if last is None else since(last, now),
            age(obj, now), names, images, format_label_selector(field(obj, "spec", "jobTemplate", "spec", "selector"))]


_HPA = "autoscaling.v2.HorizontalPodAutoscaler"
HPA_COLUMNS = (
    NAME,
    Column("Reference", description=Doc(_HPA + "Spec", "scaleTargetRef")),
    Column("Targets", description=Doc(_HPA + "Spec", "metrics")),
    Column("MinPods", description=Doc(_HPA + "Spec", "minReplicas")),
    Column("MaxPods", description=Doc(_HPA + "Spec", "maxReplicas")),
    Column("Replicas", description=Doc(_HPA + "Status", "currentReplicas")),
    AGE,
)


def _percent(value: Any) -> str:
    return f"{value}%"


def _resource_metric(spec: Obj, status: Obj | None) -> str:
    """`cpu: 45%/50%`, `memory: 100Mi/200Mi`, `cpu: <unknown>/50%` (Resource and ContainerResource)."""
    target = spec.get("target") or {}
    resource = str(spec.get("name", ""))
    current_value = (status or {}).get("current") or {}
    if target.get("averageValue") is not None:
        current = "<unknown>" if status is None else quantity_string(current_value.get("averageValue"), "<nil>")
        return f"{resource}: {current}/{quantity_string(target['averageValue'])}"
    utilization = current_value.get("averageUtilization")
    current = "<unknown>" if status is None or utilization is None else _percent(utilization)
    wanted = "<auto>" if target.get("averageUtilization") is None else _percent(target["averageUtilization"])
    return f"{resource}: {current}/{wanted}"


def _value_metric(spec: Obj, status: Obj | None, *, pods: bool = False) -> str:
    """Pods, Object and External metrics: `current/target`, `(avg)` for average-value targets."""
    target = spec.get("target") or {}
    current_value = (status or {}).get("current") or {}
    if pods:
        current = "<unknown>" if status is None else quantity_string(current_value.get("averageValue"), "<nil>")
        return f"{current}/{quantity_string(target.get('averageValue'), '<nil>')}"
    if target.get("averageValue") is not None:
        current = "<unknown>" if status is None or current_value.get("averageValue") is None \
            else quantity_string(current_value["averageValue"])
        return f"{current}/{quantity_string(target['averageValue'])} (avg)"
    current = "<unknown>" if status is None else quantity_string(current_value.get("value"), "<nil>")
    return f"{current}/{quantity_string(target.get('value'), '<nil>')}"


_METRIC_FIELDS = {"Resource": "resource", "ContainerResource": "containerResource", "Pods": "pods",
                  "Object": "object", "External": "external"}


def format_hpa_metrics(specs: list[Obj] | None, statuses: list[Obj] | None, limit: int = 2) -> str:
    """formatHPAMetrics: the TARGETS column, two metrics then ` + N more...`."""
    if not specs:
        return "<none>"
    statuses = statuses or []
    shown: list[str] = []
    for i, spec in enumerate(specs):
        kind = spec.get("type")
        key = _METRIC_FIELDS.get(str(kind))
        if key is None:
            shown.append("<unknown type>")
            continue
        status = statuses[i].get(key) if i < len(statuses) else None
        if key in ("resource", "containerResource"):
            shown.append(_resource_metric(spec.get(key) or {}, status))
        else:
            shown.append(_value_metric(spec.get(key) or {}, status, pods=key == "pods"))
    text = ", ".join(shown[:limit])
    return f"{text} + {len(shown) - limit} more..." if len(shown) > limit else text


@register("autoscaling", "HorizontalPodAutoscaler", HPA_COLUMNS)
def hpa_row(obj: Obj, now: datetime) -> list[Cell]:
    ref = field(obj, "spec", "scaleTargetRef", default={})
    min_replicas = field(obj, "spec", "minReplicas")
    return [name(obj), f"{ref.get('kind', '')}/{ref.get('name', '')}",
            format_hpa_metrics(field(obj, "spec", "metrics"), field(obj, "status", "currentMetrics")),
            "<unset>" if min_replicas is None else str(min_replicas),
            integer(field(obj, "spec", "maxReplicas")), integer(field(obj, "status", "currentReplicas")),
            age(obj, now)]
