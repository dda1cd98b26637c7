"""kubectl describe for workloads: Deployments, ReplicaSets, ReplicationControllers, StatefulSets,
DaemonSets, Jobs, CronJobs and HorizontalPodAutoscalers.

Registered in `k8scourse.kubectl.describe.DESCRIBERS`. Translated from describe.go (describeDeployment,
describeReplicaSet, describeReplicationController, describeStatefulSet, describeDaemonSet, describeJob,
describeCronJob, describeHorizontalPodAutoscalerV1/V2) and kubectl's util/deployment (new and old
ReplicaSets of a Deployment).
"""

from __future__ import annotations

import copy
from typing import Any

from ...api.printing.columns import format_label_selector, selector_string
from ...api.printing.duration import between
from ...api.selectors import format_labels
from .context import Context
from .pods import describe_pod_template
from .writer import PrefixWriter, annotations_multiline, controlled_by, labels_multiline, rfc1123z, title_bool

Obj = dict[str, Any]
HASH_LABEL = "pod-template-hash"


def _header(obj: Obj, w: PrefixWriter) -> None:
    meta = obj.get("metadata") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")


def _meta(obj: Obj, w: PrefixWriter) -> None:
    meta = obj.get("metadata") or {}
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))


def _pods_status(ctx: Context, obj: Obj, selector: str) -> str:
    meta = obj.get("metadata") or {}
    running, waiting, succeeded, failed = ctx.pod_phases(meta.get("namespace", ""), selector, meta.get("uid", ""))
    return f"{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed"


def _conditions_reason(conditions: list[Obj] | None, w: PrefixWriter) -> None:
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')}\t{c.get('reason', '')}\n")


def describe_deployment(obj: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeDeployment: replicas, strategy, pod template, conditions, old and new ReplicaSets."""
    meta, spec, status = obj.get("metadata") or {}, obj.get("spec") or {}, obj.get("status") or {}
    _header(obj, w)
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    _meta(obj, w)
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    w.write(0, f"Replicas:\t{spec.get('replicas', 0)} desired | {status.get('updatedReplicas', 0)} updated | "
               f"{status.get('replicas', 0)} total | {status.get('availableReplicas', 0)} available | "
               f"{status.get('unavailableReplicas', 0)} unavailable\n")
    strategy = spec.get("strategy") or {}
    w.write(0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
    if strategy.get("rollingUpdate") is not None:
        ru = strategy["rollingUpdate"]
        w.write(0, f"RollingUpdateStrategy:\t{ru.get('maxUnavailable', 0)} max unavailable, "
                   f"{ru.get('maxSurge', 0)} max surge\n")
    describe_pod_template(spec.get("template"), w)
    _conditions_reason(status.get("conditions"), w)
    old, new = deployment_replica_sets(ctx, obj)
    if old or new:
        w.write(0, f"OldReplicaSets:\t{_replica_sets_text(old)}\n")
        w.write(0, f"NewReplicaSet:\t{_replica_sets_text(new)}\n")


def _without_hash(template: Obj | None) -> Obj:
    clean = copy.deepcopy(template or {})
    (clean.get("metadata") or {}).get("labels", {}).pop(HASH_LABEL, None)
    return clean


def deployment_replica_sets(ctx: Context, deploy: Obj) -> tuple[list[Obj], list[Obj]]:
    """GetAllReplicaSets: every old ReplicaSet the Deployment controls, and the one matching its template."""
    meta = deploy.get("metadata") or {}
    owned = [rs for rs in ctx.list("replicasets", meta.get("namespace"), selector_string((deploy.get("spec") or {})
                                                                                        .get("selector"), ""))
             if any(r.get("controller") is True and r.get("uid") == meta.get("uid")
                    for r in (rs.get("metadata") or {}).get("ownerReferences") or [])]
    wanted = _without_hash((deploy.get("spec") or {}).get("template"))
    by_age = sorted(owned, key=lambda rs: ((rs.get("metadata") or {}).get("creationTimestamp") or "",
                                          (rs.get("metadata") or {}).get("name", "")))
    new = next((rs for rs in by_age if _without_hash((rs.get("spec") or {}).get("template")) == wanted), None)
    old = [rs for rs in owned if rs is not new]
    return old, [new] if new is not None else []


def _replica_sets_text(replica_sets: list[Obj]) -> str:
    texts = [f"{(rs.get('metadata') or {}).get('name', '')} ({(rs.get('status') or {}).get('replicas', 0)}/"
             f"{(rs.get('spec') or {}).get('replicas', 0)} replicas created)" for rs in replica_sets]
    return ", ".join(texts) or "<none>"


def describe_replica_set(obj: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeReplicaSet."""
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    _header(obj, w)
    w.write(0, f"Selector:\t{format_label_selector(spec.get('selector'))}\n")
    _meta(obj, w)
    if owner := controlled_by(obj):
        w.write(0, f"Controlled By:\t{owner}\n")
    w.write(0, f"Replicas:\t{status.get('replicas', 0)} current / {spec.get('replicas', 0)} desired\n")
    w.write(0, "Pods Status:\t")
    w.write(0, _pods_status(ctx, obj, selector_string(spec.get("selector"), "")) + "\n")
    describe_pod_template(spec.get("template"), w)
    _conditions_reason(status.get("conditions"), w)


def describe_replication_controller(obj: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeReplicationController."""
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    selector = format_labels(spec.get("selector"))
    _header(obj, w)
    w.write(0, f"Selector:\t{selector}\n")
    _meta(obj, w)
    w.write(0, f"Replicas:\t{status.get('replicas', 0)} current / {spec.get('replicas', 0)} desired\n")
    plain = ",".join(f"{k}={v}" for k, v in sorted((spec.get("selector") or {}).items()))
    w.write(0, f"Pods Status:\t{_pods_status(ctx, obj, plain)}\n")
    describe_pod_template(spec.get("template"), w)
    _conditions_reason(status.get("conditions"), w)


def describe_stateful_set(obj: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeStatefulSet, with its volume claim templates."""
    meta, spec, status = obj.get("metadata") or {}, obj.get("spec") or {}, obj.get("status") or {}
    selector = selector_string(spec.get("selector"), "")
    _header(obj, w)
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    w.write(0, f"Selector:\t{selector}\n")
    _meta(obj, w)
    w.write(0, f"Replicas:\t{spec.get('replicas', 0)} desired | {status.get('replicas', 0)} total\n")
    strategy = spec.get("updateStrategy") or {}
    w.write(0, f"Update Strategy:\t{strategy.get('type', '')}\n")
    ru = strategy.get("rollingUpdate")
    if ru is not None and ru.get("partition") is not None:
        w.write(1, f"Partition:\t{ru['partition']}\n")
        if ru.get("maxUnavailable") is not None:
            w.write(1, f"MaxUnavailable:\t{ru['maxUnavailable']}\n")
    w.write(0, f"Pods Status:\t{_pods_status(ctx, obj, selector)}\n")
    describe_pod_template(spec.get("template"), w)
    _claim_templates(spec.get("volumeClaimTemplates"), w)


def _claim_templates(templates: list[Obj] | None, w: PrefixWriter) -> None:
    from .storage import claim_class
    if not templates:
        w.write(0, "Volume Claims:\t<none>\n")
        return
    w.write(0, "Volume Claims:\n")
    for pvc in templates:
        meta, spec = pvc.get("metadata") or {}, pvc.get("spec") or {}
        w.write(1, f"Name:\t{meta.get('name', '')}\n")
        w.write(1, f"StorageClass:\t{claim_class(pvc)}\n")
        labels_multiline(w, "Labels", meta.get("labels"), initial="  ")
        labels_multiline(w, "Annotations", meta.get("annotations"), initial="  ")
        capacity = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
        w.write(1, f"Capacity:\t{capacity if capacity is not None else '<default>'}\n")
        w.write(1, f"Access Modes:\t[{' '.join(spec.get('accessModes') or [])}]\n")


def describe_daemon_set(obj: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeDaemonSet."""
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    selector = selector_string(spec.get("selector"), "")
    _header(obj, w)
    w.write(0, f"Selector:\t{selector}\n")
    node_selector = (((spec.get("template") or {}).get("spec") or {}).get("nodeSelector"))
    w.write(0, f"Node-Selector:\t{format_labels(node_selector)}\n")
    _meta(obj, w)
    for title, key in (("Desired Number of Nodes Scheduled", "desiredNumberScheduled"),
                       ("Current Number of Nodes Scheduled", "currentNumberScheduled"),
                       ("Number of Nodes Scheduled with Up-to-date Pods", "updatedNumberScheduled"),
                       ("Number of Nodes Scheduled with Available Pods", "numberAvailable"),
                       ("Number of Nodes Misscheduled", "numberMisscheduled")):
        w.write(0, f"{title}: {status.get(key, 0)}\n")
    w.write(0, f"Pods Status:\t{_pods_status(ctx, obj, selector)}\n")
    describe_pod_template(spec.get("template"), w)


def describe_job(obj: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeJob."""
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    _header(obj, w)
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'), '')}\n")
    _meta(obj, w)
    if owner := controlled_by(obj):
        w.write(0, f"Controlled By:\t{owner}\n")
    if spec.get("parallelism") is not None:
        w.write(0, f"Parallelism:\t{spec['parallelism']}\n")
    w.write(0, f"Completions:\t{spec['completions'] if spec.get('completions') is not None else '<unset>'}\n")
    if spec.get("completionMode") is not None:
        w.write(0, f"Completion Mode:\t{spec['completionMode']}\n")
    if spec.get("suspend") is not None:
        w.write(0, f"Suspend:\t{'true' if spec['suspend'] else 'false'}\n")
    if spec.get("backoffLimit") is not None:
        w.write(0, f"Backoff Limit:\t{spec['backoffLimit']}\n")
    if spec.get("ttlSecondsAfterFinished") is not None:
        w.write(0, f"TTL Seconds After Finished:\t{spec['ttlSecondsAfterFinished']}\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{rfc1123z(status['startTime'])}\n")
    if status.get("completionTime"):
        w.write(0, f"Completed At:\t{rfc1123z(status['completionTime'])}\n")
    if status.get("startTime") and status.get("completionTime"):
        w.write(0, f"Duration:\t{between(status['startTime'], status['completionTime'])}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s\n")
    counts = f"{status.get('active', 0)} Active"
    if status.get("ready") is not None:
        counts += f" ({status['ready']} Ready)"
    w.write(0, f"Pods Statuses:\t{counts} / {status.get('succeeded', 0)} Succeeded / {status.get('failed', 0)} Failed\n")
    if spec.get("completionMode") == "Indexed":
        w.write(0, f"Completed Indexes:\t{_cap_indexes(status.get('completedIndexes') or '', 50)}\n")
    describe_pod_template(spec.get("template"), w)


def _cap_indexes(indexes: str, soft_limit: int) -> str:
    if not indexes:
        return "<none>"
    cut = indexes.find(",", soft_limit)
    return indexes if cut < 0 or soft_limit >= len(indexes) else indexes[:cut + 1] + "..."


def describe_cron_job(obj: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeCronJob, with its job template."""
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    _header(obj, w)
    _meta(obj, w)
    w.write(0, f"Schedule:\t{spec.get('schedule', '')}\n")
    w.write(0, f"Concurrency Policy:\t{spec.get('concurrencyPolicy', '')}\n")
    suspend = spec.get("suspend")
    w.write(0, f"Suspend:\t{'<unset>' if suspend is None else title_bool(suspend)}\n")
    for title, key, suffix in (("Time Zone", "timeZone", ""),
                               ("Successful Job History Limit", "successfulJobsHistoryLimit", ""),
                               ("Failed Job History Limit", "failedJobsHistoryLimit", ""),
                               ("Starting Deadline Seconds", "startingDeadlineSeconds", "s")):
        value = spec.get(key)
        w.write(0, f"{title}:\t{'<unset>' if value is None else f'{value}{suffix}'}\n")
    job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    selector = job_spec.get("selector")
    w.write(0, f"Selector:\t{selector_string(selector, '') if selector is not None else '<unset>'}\n")
    for title, key in (("Parallelism", "parallelism"), ("Completions", "completions")):
        value = job_spec.get(key)
        w.write(0, f"{title}:\t{'<unset>' if value is None else value}\n")
    if job_spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{job_spec['activeDeadlineSeconds']}s\n")
    describe_pod_template(job_spec.get("template"), w)
    last = status.get("lastScheduleTime")
    w.write(0, f"Last Schedule Time:\t{rfc1123z(last) if last else '<unset>'}\n")
    w.write(0, "Active Jobs:\t")
    active = status.get("active") or []
    w.line(", ".join(job.get("name", "") for job in active) if active else "<none>")


def describe_hpa(obj: Obj, ctx: Context, w: PrefixWriter) -> None:
    """describeHorizontalPodAutoscalerV2 (or V1 for an autoscaling/v1 object without metrics)."""
    meta, spec, status = obj.get("metadata") or {}, obj.get("spec") or {}, obj.get("status") or {}
    ref = spec.get("scaleTargetRef") or {}
    _header(obj, w)
    _meta(obj, w)
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    w.write(0, f"Reference:\t{ref.get('kind', '')}/{ref.get('name', '')}\n")
    v1 = "targetCPUUtilizationPercentage" in spec or (str(obj.get("apiVersion", "")).endswith("/v1")
                                                     and "metrics" not in spec)
    if v1:
        if spec.get("targetCPUUtilizationPercentage") is not None:
            w.write(0, f"Target CPU utilization:\t{spec['targetCPUUtilizationPercentage']}%\n")
            current = status.get("currentCPUUtilizationPercentage")
            w.write(0, f"Current CPU utilization:\t{'<unknown>' if current is None else current}%\n")
    else:
        w.write(0, "Metrics:\t( current / target )\n")
        for i, metric in enumerate(spec.get("metrics") or []):
            current = (status.get("currentMetrics") or [])[i] if i < len(status.get("currentMetrics") or []) else {}
            _hpa_metric(metric, current, w)
    w.write(0, f"Min replicas:\t{spec.get('minReplicas', '<unset>')}\n")
    w.write(0, f"Max replicas:\t{spec.get('maxReplicas', 0)}\n")
    if not v1 and spec.get("behavior") is not None:
        w.write(0, "Behavior:\n")
        _direction(w, "Scale Up", spec["behavior"].get("scaleUp"))
        _direction(w, "Scale Down", spec["behavior"].get("scaleDown"))
    w.write(0, f"{ref.get('kind', '')} pods:\t")
    w.write(0, f"{status.get('currentReplicas', 0)} current / {status.get('desiredReplicas', 0)} desired\n")
    if not v1 and status.get("conditions"):
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tReason\tMessage\n")
        w.write(1, "----\t------\t------\t-------\n")
        for c in status["conditions"]:
            w.write(1, f"{c.get('type', '')}\t{c.get('status', '')}\t{c.get('reason', '')}\t{c.get('message', '')}\n")


def _hpa_metric(metric: Obj, current: Obj, w: PrefixWriter) -> None:
    kind = metric.get("type", "")
    if kind == "Resource":
        res = metric.get("resource") or {}
        target = res.get("target") or {}
        w.write(1, f"resource {res.get('name', '')} on pods")
        now = ((current or {}).get("resource") or {}).get("current") or {}
        if target.get("averageValue") is not None:
            w.write(0, f":\t{now.get('averageValue', '<unknown>')} / {target['averageValue']}\n")
        else:
            shown = (f"{now['averageUtilization']}% ({now.get('averageValue', '0')})"
                     if now.get("averageUtilization") is not None else "<unknown>")
            goal = f"{target['averageUtilization']}%" if target.get("averageUtilization") is not None else "<auto>"
            w.write(1, f"(as a percentage of request):\t{shown} / {goal}\n")
    elif kind == "Pods":
        pods = metric.get("pods") or {}
        now = ((current or {}).get("pods") or {}).get("current") or {}
        w.write(1, f'"{(pods.get("metric") or {}).get("name", "")}" on pods:\t{now.get("averageValue", "<unknown>")} / '
                   f"{(pods.get('target') or {}).get('averageValue', '')}\n")
    else:
        w.write(1, f'<unknown metric type "{kind}">\n')


def _direction(w: PrefixWriter, title: str, rules: Obj | None) -> None:
    if rules is None:
        return
    w.write(1, f"{title}:\n")
    if rules.get("stabilizationWindowSeconds") is not None:
        w.write(2, f"Stabilization Window: {rules['stabilizationWindowSeconds']} seconds\n")
    if rules.get("policies"):
        w.write(2, f"Select Policy: {rules.get('selectPolicy') or 'Max'}\n")
        w.write(2, "Policies:\n")
        for p in rules["policies"]:
            w.write(3, f"- Type: {p.get('type', '')}\tValue: {p.get('value', 0)}\tPeriod: {p.get('periodSeconds', 0)} "
                       "seconds\n")
