"""The HorizontalPodAutoscaler controller (autoscaling/v2), after kube-controller-manager's podautoscaler.

Created by `SimulatedCluster` with the cluster's `MetricsServer`. Every HPA is synced every 15 seconds
(--horizontal-pod-autoscaler-sync-period), the first time 15 seconds after it appears: the target's
scale is read (Deployment, ReplicaSet, StatefulSet or ReplicationController), CPU or memory usage is
averaged over the target's pods and compared with their requests, the replica count is proposed as
ceil(current * usage / target) outside a 10% tolerance, then limited by min/maxReplicas, the scale-up
rate and the 5-minute scale-down stabilization (or the `behavior` the HPA spells out), and written to
the target's spec.replicas. Status, conditions and events are those of pkg/controller/podautoscaler
(horizontal.go, replica_calculator.go, metrics/client.go).
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from ...api.backend import MERGE_PATCH
from ...api.errors import ApiError
from ...api.objects import deep_copy
from ...api.quantity import parse_quantity
from ...api.registry import REGISTRY, ResourceType
from ...api.selectors import (
    LabelSelector,
    SelectorError,
    parse_label_selector,
    selector_from_dict,
    selector_from_map,
)
from ..apiserver import APIServer
from ..events import EventRecorder
from ..metrics import MetricsServer
from ..store import WatchEvent
from .base import Controller

Obj = dict[str, Any]
HPAS = REGISTRY.resolve("horizontalpodautoscalers")
PODS = REGISTRY.resolve("pods")
COMPONENT = "horizontal-pod-autoscaler"

SYNC_PERIOD = 15.0  # --horizontal-pod-autoscaler-sync-period
TOLERANCE = 0.1  # --horizontal-pod-autoscaler-tolerance
DOWNSCALE_STABILIZATION = 300.0  # --horizontal-pod-autoscaler-downscale-stabilization
CPU_INITIALIZATION_PERIOD = 300.0  # --horizontal-pod-autoscaler-cpu-initialization-period
INITIAL_READINESS_DELAY = 30.0  # --horizontal-pod-autoscaler-initial-readiness-delay
SCALE_UP_LIMIT_FACTOR = 2.0
SCALE_UP_LIMIT_MINIMUM = 4.0
DEFAULT_METRICS = [{"type": "Resource",
                    "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]


class MetricError(Exception):
    """A metric could not be computed; `reason` is the event reason and the ScalingActive reason."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason


@dataclass
class Proposal:
    replicas: int
    metric_name: str
    status: Obj


class HorizontalPodAutoscalerController(Controller):
    name = "horizontal-pod-autoscaler"
    resources = (HPAS.group_resource,)

    def __init__(self, api: APIServer, recorder: EventRecorder, metrics: MetricsServer):
        super().__init__(api, recorder)
        self.metrics = metrics
        self._scheduled: set[tuple[str, str]] = set()
        self.recommendations: dict[tuple[str, str], list[list[float]]] = {}  # [replicas, time]
        self.scale_up_events: dict[tuple[str, str], list[list[float]]] = {}  # [change, time, outdated]
        self.scale_down_events: dict[tuple[str, str], list[list[float]]] = {}

    # --- queue: every HPA once per sync period, on a periodic timer ------------------------------------
    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        meta = event.object["metadata"]
        key = (meta["namespace"], meta["name"])
        if event.type == "DELETED":
            for memory in (self.recommendations, self.scale_up_events, self.scale_down_events):
                memory.pop(key, None)
            return []
        return [key]

    def enqueue(self, key: Hashable, after: float | None = None) -> None:
        """AddRateLimited with the HPA's fixed-interval limiter: a key waits one sync period, once."""
        if key in self._scheduled:
            return
        self._scheduled.add(key)  # type: ignore[arg-type]
        self.api.clock.call_later(SYNC_PERIOD if after is None else after, lambda: self._tick(key), periodic=True,
                                  label=f"{self.name} {key}")

    def _tick(self, key: Hashable) -> None:
        self._scheduled.discard(key)  # type: ignore[arg-type]
        namespace, name = key  # type: ignore[misc]
        if self.api.peek(HPAS, name, namespace) is None:
            return
        self.sync(key)
        self.enqueue(key)

    # --- reconcile -------------------------------------------------------------------------------------
    def sync(self, key: Hashable) -> None:
        namespace, name = key  # type: ignore[misc]
        stored = self.api.peek(HPAS, name, namespace)
        if stored is None:
            return
        hpa = deep_copy(stored)
        original = deep_copy(hpa.get("status") or {})
        status = hpa.setdefault("status", {})
        spec = hpa.get("spec") or {}
        ref = spec.get("scaleTargetRef") or {}
        try:
            rt, target = self._scale_target(ref, namespace)
        except ApiError as exc:
            self._event(hpa, "Warning", "FailedGetScale", exc.message)
            self._condition(hpa, "AbleToScale", "False", "FailedGetScale",
                            f"the HPA controller was unable to get the target's current scale: {exc.message}")
            self._write_status(hpa, original)
            return
        self._condition(hpa, "AbleToScale", "True", "SucceededGetScale",
                        "the HPA controller was able to get the target's current scale")
        current = int((target.get("spec") or {}).get("replicas", 1))
        self.recommendations.setdefault(key, [[current, self.api.clock.now]])
        min_replicas = spec.get("minReplicas", 1)
        max_replicas = spec["maxReplicas"]
        metric_statuses: list[Obj] | None = None
        reason = ""
        rescale = True
        if current == 0 and min_replicas != 0:
            desired, rescale = 0, False
            self._condition(hpa, "ScalingActive", "False", "ScalingDisabled",
                            "scaling is disabled since the replica count of the target is zero")
        elif current > max_replicas:
            reason, desired = "Current number of replicas above Spec.MaxReplicas", max_replicas
        elif current < min_replicas:
            reason, desired = "Current number of replicas below Spec.MinReplicas", min_replicas
        else:
            outcome = self._replicas_for_metrics(hpa, rt, target, namespace)
            if isinstance(outcome, str):
                self._set_status(hpa, current, status.get("desiredReplicas", 0), self._last_statuses, False)
                self._write_status(hpa, original)
                self._event(hpa, "Warning", "FailedComputeMetricsReplicas", outcome)
                return
            proposal, metric_statuses = outcome
            desired = proposal.replicas
            if desired > current:
                reason = f"{proposal.metric_name} above target"
            elif desired < current:
                reason = "All metrics below target"
            if spec.get("behavior") is None:
                desired = self._normalize(hpa, key, current, desired, min_replicas)
            else:
                desired = self._normalize_with_behavior(hpa, key, current, desired, min_replicas)
            rescale = desired != current
        if rescale:
            if not self._rescale(hpa, rt, target, namespace, current, desired, reason, metric_statuses, original):
                return
        else:
            desired = current
        self._set_status(hpa, current, desired, metric_statuses, rescale)
        self._write_status(hpa, original)

    def _rescale(self, hpa: Obj, rt: ResourceType, target: Obj, namespace: str, current: int, desired: int,
                 reason: str, metric_statuses: list[Obj] | None, original: Obj) -> bool:
        try:
            self.api.patch(rt, target["metadata"]["name"], {"spec": {"replicas": desired}}, MERGE_PATCH, namespace)
        except ApiError as exc:
            self._event(hpa, "Warning", "FailedRescale", f"New size: {desired}; reason: {reason}; error: {exc.message}")
            self._condition(hpa, "AbleToScale", "False", "FailedUpdateScale",
                            f"the HPA controller was unable to update the target scale: {exc.message}")
            self._set_status(hpa, current, hpa["status"].get("desiredReplicas", 0), metric_statuses, False)
            self._write_status(hpa, original)
            return False
        self._condition(hpa, "AbleToScale", "True", "SucceededRescale",
                        f"the HPA controller was able to update the target scale to {desired}")
        self._event(hpa, "Normal", "SuccessfulRescale", f"New size: {desired}; reason: {reason}")
        self._store_scale_event(hpa, current, desired)
        return True

    # --- the target's scale ----------------------------------------------------------------------------
    def _scale_target(self, ref: Obj, namespace: str) -> tuple[ResourceType, Obj]:
        api_version = ref.get("apiVersion", "")
        group = api_version.rpartition("/")[0] if "/" in api_version else ""
        kind = ref.get("kind", "")
        rt = next((r for r in self.api.registry.resources if r.kind == kind and r.group == group), None)
        if rt is None:
            raise ApiError({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                            "message": f'no matches for kind "{kind}" in group "{group}"', "reason": "NotFound",
                            "code": 404})
        target = self.api.peek(rt, ref.get("name", ""), namespace)
        if "scale" not in rt.subresources or target is None:
            name = ref.get("name", "")
            plural = f"{rt.plural}.{rt.group}" if rt.group else rt.plural
            message = (f'{plural} "{name}" not found' if target is None
                       else "the server could not find the requested resource")
            raise ApiError({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                            "message": message, "reason": "NotFound", "code": 404})
        return rt, target

    @staticmethod
    def _scale_selector(rt: ResourceType, target: Obj) -> str:
        """The scale subresource's status.selector, as the target's registry strategy renders it."""
        selector = (target.get("spec") or {}).get("selector")
        if rt.kind == "ReplicationController":
            return str(selector_from_map(selector)) if selector else ""
        return str(selector_from_dict(selector)) if selector else ""

    # --- metrics ---------------------------------------------------------------------------------------
    def _replicas_for_metrics(self, hpa: Obj, rt: ResourceType, target: Obj,
                              namespace: str) -> tuple[Proposal, list[Obj]] | str:
        """computeReplicasForMetrics: the largest proposal, or the error text when no metric worked."""
        self._last_statuses: list[Obj] | None = None
        selector_text = self._scale_selector(rt, target)
        if not selector_text:
            self._event(hpa, "Warning", "SelectorRequired", "selector is required")
            self._condition(hpa, "ScalingActive", "False", "InvalidSelector",
                            "the HPA target's scale is missing a selector")
            return "selector is required"
        try:
            selector = parse_label_selector(selector_text)
        except SelectorError as exc:
            message = f"couldn't convert selector into a corresponding internal selector object: {exc}"
            self._event(hpa, "Warning", "InvalidSelector", message)
            self._condition(hpa, "ScalingActive", "False", "InvalidSelector", message)
            return message
        current = int((target.get("spec") or {}).get("replicas", 1))
        specs = (hpa.get("spec") or {}).get("metrics") or DEFAULT_METRICS
        statuses: list[Obj] = []
        best: Proposal | None = None
        first_error: MetricError | None = None
        invalid = 0
        for spec in specs:
            try:
                proposal = self._replicas_for_metric(spec, current, selector, namespace)
            except MetricError as exc:
                statuses.append({"type": ""})
                self._event(hpa, "Warning", exc.reason, exc.args[0])
                if first_error is None:
                    first_error = exc
                invalid += 1
                continue
            statuses.append(proposal.status)
            if best is None or proposal.replicas > best.replicas:
                best = proposal
        self._last_statuses = statuses
        if first_error is not None and (invalid >= len(specs) or (best is not None and best.replicas < current)):
            self._condition(hpa, "ScalingActive", "False", first_error.reason,
                            f"the HPA was unable to compute the replica count: {first_error.args[0]}")
            wrapped = _wrap_metric_error(specs[[s.get("type") for s in statuses].index("")], first_error)
            return f"invalid metrics ({invalid} invalid out of {len(specs)}), first error is: {wrapped}"
        assert best is not None
        self._condition(hpa, "ScalingActive", "True", "ValidMetricFound",
                        f"the HPA was able to successfully calculate a replica count from {best.metric_name}")
        return best, statuses

    def _replicas_for_metric(self, spec: Obj, current: int, selector: LabelSelector, namespace: str) -> Proposal:
        kind = spec.get("type")
        if kind == "Resource":
            source = spec.get("resource") or {}
            return self._resource_proposal(source, "", current, selector, namespace, "FailedGetResourceMetric")
        if kind == "ContainerResource":
            source = spec.get("containerResource") or {}
            return self._resource_proposal(source, source.get("container", ""), current, selector, namespace,
                                           "FailedGetContainerResourceMetric")
        if kind == "Pods":
            name = ((spec.get("pods") or {}).get("metric") or {}).get("name", "")
            raise MetricError(f"unable to get metric {name}: unable to fetch metrics from custom metrics API: "
                              "no custom metrics API (custom.metrics.k8s.io) registered", "FailedGetPodsMetric")
        if kind == "Object":
            name = ((spec.get("object") or {}).get("metric") or {}).get("name", "")
            described = (spec.get("object") or {}).get("describedObject") or {}
            raise MetricError(f"unable to get metric {name}: {described.get('kind', '')} on {namespace} "
                              f"{described.get('name', '')}/unable to fetch metrics from custom metrics API: "
                              "no custom metrics API (custom.metrics.k8s.io) registered", "FailedGetObjectMetric")
        if kind == "External":
            name = ((spec.get("external") or {}).get("metric") or {}).get("name", "")
            raise MetricError(f"unable to get external metric {namespace}/{name}/nil: unable to fetch metrics from "
                              "external metrics API: no external metrics API (external.metrics.k8s.io) registered",
                              "FailedGetExternalMetric")
        raise MetricError(f'unknown metric source type "{kind}"', "InvalidMetricSourceType")

    def _resource_proposal(self, source: Obj, container: str, current: int, selector: LabelSelector,
                           namespace: str, reason: str) -> Proposal:
        """computeStatusForResourceMetricGeneric: by average utilization of requests or by average value."""
        resource = source.get("name", "")
        target = source.get("target") or {}
        pods = self.api.select(PODS, namespace, str(selector))
        if target.get("averageValue") is not None:
            goal = parse_quantity(target["averageValue"]).milli_value()
            try:
                samples = self._samples(resource, namespace, selector, container)
                replicas, raw = self._raw_replicas(samples, pods, current, goal, resource)
            except MetricError as exc:
                raise MetricError(f"failed to get {resource} usage: {exc}", reason) from None
            name = f"{resource} resource"
            return Proposal(replicas, name, _metric_status(source, container, {"averageValue": _milli(raw)}))
        if target.get("averageUtilization") is None:
            raise MetricError("invalid resource metric source: neither an average utilization target nor an "
                              "average value (usage) target was set", reason)
        goal = int(target["averageUtilization"])
        try:
            samples = self._samples(resource, namespace, selector, container)
            replicas, utilization, raw = self._utilization_replicas(samples, pods, current, goal, resource, container)
        except MetricError as exc:
            raise MetricError(f"failed to get {resource} utilization: {exc}", reason) from None
        name = (f"{resource} container resource utilization (percentage of request)" if container
                else f"{resource} resource utilization (percentage of request)")
        return Proposal(replicas, name, _metric_status(source, container,
                                                       {"averageUtilization": utilization, "averageValue": _milli(raw)}))

    def _samples(self, resource: str, namespace: str, selector: LabelSelector,
                 container: str) -> dict[str, tuple[int, float]]:
        """GetResourceMetric: pod name -> (milli-value, timestamp) from the resource metrics API."""
        usages = self.metrics.pod_usage(namespace, selector)
        if not usages:
            raise MetricError(f"unable to get metrics for resource {resource}: "
                              "no metrics returned from resource metrics API")
        out: dict[str, tuple[int, float]] = {}
        for usage in usages:
            parts = [c for c in usage.containers if not container or c.name == container]
            if container and not parts:
                raise MetricError(f"unable to get metrics for resource {resource}: failed to get container "
                                  f"metrics: container {container} not present in metrics for pod "
                                  f"{usage.namespace}/{usage.name}")
            value = sum(c.cpu_millicores if resource == "cpu" else c.memory_bytes * 1000 for c in parts)
            out[usage.name] = (value, usage.timestamp)
        return out

    def _utilization_replicas(self, samples: dict[str, tuple[int, float]], pods: list[Obj], current: int, goal: int,
                              resource: str, container: str) -> tuple[int, int, int]:
        """ReplicaCalculator.GetResourceReplicas."""
        if not pods:
            raise MetricError("no pods returned by selector while calculating replica count")
        ready, unready, missing, ignored = self._group_pods(pods, samples, resource)
        metrics = {n: v for n, (v, _) in samples.items() if n not in ignored and n not in unready}
        requests = _pod_requests(pods, container, resource)
        if not metrics:
            raise MetricError("did not receive metrics for targeted pods (pods might be unready)")
        ratio, utilization, raw = _utilization_ratio(metrics, requests, goal)
        scale_up_with_unready = bool(unready) and ratio > 1.0
        if not scale_up_with_unready and not missing:
            if abs(1.0 - ratio) <= TOLERANCE:
                return current, utilization, raw
            return math.ceil(ratio * ready), utilization, raw
        if missing:
            if ratio < 1.0:
                fallback = max(100, goal)
                for name in missing:
                    metrics[name] = requests[name] * fallback // 100
            elif ratio > 1.0:
                for name in missing:
                    metrics[name] = 0
        if scale_up_with_unready:
            for name in unready:
                metrics[name] = 0
        new_ratio, _, _ = _utilization_ratio(metrics, requests, goal)
        if abs(1.0 - new_ratio) <= TOLERANCE or (ratio < 1.0 < new_ratio) or (new_ratio < 1.0 < ratio):
            return current, utilization, raw
        proposal = math.ceil(new_ratio * len(metrics))
        if (new_ratio < 1.0 and proposal > current) or (new_ratio > 1.0 and proposal < current):
            return current, utilization, raw
        return proposal, utilization, raw

    def _raw_replicas(self, samples: dict[str, tuple[int, float]], pods: list[Obj], current: int, goal: int,
                      resource: str) -> tuple[int, int]:
        """ReplicaCalculator.GetRawResourceReplicas (calcPlainMetricReplicas)."""
        if not pods:
            raise MetricError("no pods returned by selector while calculating replica count")
        ready, unready, missing, ignored = self._group_pods(pods, samples, resource)
        metrics = {n: v for n, (v, _) in samples.items() if n not in ignored and n not in unready}
        if not metrics:
            raise MetricError("did not receive metrics for targeted pods (pods might be unready)")
        raw = sum(metrics.values()) // len(metrics)
        ratio = raw / goal
        scale_up_with_unready = bool(unready) and ratio > 1.0
        if not scale_up_with_unready and not missing:
            if abs(1.0 - ratio) <= TOLERANCE:
                return current, raw
            return math.ceil(ratio * ready), raw
        for name in missing:
            metrics[name] = goal if ratio < 1.0 else 0
        if scale_up_with_unready:
            for name in unready:
                metrics[name] = 0
        new_ratio = sum(metrics.values()) / len(metrics) / goal
        if abs(1.0 - new_ratio) <= TOLERANCE or (ratio < 1.0 < new_ratio) or (new_ratio < 1.0 < ratio):
            return current, raw
        proposal = math.ceil(new_ratio * len(metrics))
        if (new_ratio < 1.0 and proposal > current) or (new_ratio > 1.0 and proposal < current):
            return current, raw
        return proposal, raw

    def _group_pods(self, pods: list[Obj], samples: dict[str, tuple[int, float]],
                    resource: str) -> tuple[int, set[str], set[str], set[str]]:
        """groupPods: ready count, and the unready, missing and ignored pod names."""
        now = self.api.clock.now
        ready = 0
        unready: set[str] = set()
        missing: set[str] = set()
        ignored: set[str] = set()
        for pod in pods:
            name = pod["metadata"]["name"]
            status = pod.get("status") or {}
            if pod["metadata"].get("deletionTimestamp") or status.get("phase") == "Failed":
                ignored.add(name)
                continue
            if status.get("phase", "Pending") == "Pending":
                unready.add(name)
                continue
            if name not in samples:
                missing.add(name)
                continue
            if resource == "cpu" and self._cpu_unready(status, samples[name][1], now):
                unready.add(name)
                continue
            ready += 1
        return ready, unready, missing, ignored

    def _cpu_unready(self, status: Obj, sampled_at: float, now: float) -> bool:
        condition = next((c for c in status.get("conditions") or [] if c.get("type") == "Ready"), None)
        if condition is None or not status.get("startTime"):
            return True
        started = self.api.clock.parse(status["startTime"])
        transition = self.api.clock.parse(condition["lastTransitionTime"]) if condition.get("lastTransitionTime") \
            else started
        if started + CPU_INITIALIZATION_PERIOD > now:
            return condition.get("status") == "False" or sampled_at < transition + SYNC_PERIOD
        return condition.get("status") == "False" and started + INITIAL_READINESS_DELAY > transition

    # --- normalisation ---------------------------------------------------------------------------------
    def _normalize(self, hpa: Obj, key: tuple[str, str], current: int, desired: int, min_replicas: int) -> int:
        """normalizeDesiredReplicas: the highest recommendation of the last 5 minutes, then the limits."""
        stabilized = self._stabilize(key, desired)
        if stabilized != desired:
            self._condition(hpa, "AbleToScale", "True", "ScaleDownStabilized",
                            "recent recommendations were higher than current one, applying the highest recent "
                            "recommendation")
        else:
            self._condition(hpa, "AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size")
        max_replicas = hpa["spec"]["maxReplicas"]
        scale_up_limit = int(max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM))
        if max_replicas > scale_up_limit:
            limit, reason, message = (scale_up_limit, "ScaleUpLimit",
                                      "the desired replica count is increasing faster than the maximum scale rate")
        else:
            limit, reason, message = (max_replicas, "TooManyReplicas",
                                      "the desired replica count is more than the maximum replica count")
        if stabilized < min_replicas:
            result, reason, message = (min_replicas, "TooFewReplicas",
                                       "the desired replica count is less than the minimum replica count")
        elif stabilized > limit:
            result = limit
        else:
            result, reason, message = stabilized, "DesiredWithinRange", "the desired count is within the acceptable range"
        self._condition(hpa, "ScalingLimited", "False" if result == stabilized else "True", reason, message)
        return result

    def _stabilize(self, key: tuple[str, str], desired: int) -> int:
        now = self.api.clock.now
        cutoff = now - DOWNSCALE_STABILIZATION
        history = self.recommendations.setdefault(key, [])
        highest = desired
        old = None
        for index, (replicas, stamp) in enumerate(history):
            if stamp < cutoff:
                old = index
            elif replicas > highest:
                highest = int(replicas)
        if old is not None:
            history[old] = [desired, now]
        else:
            history.append([desired, now])
        return highest

    def _normalize_with_behavior(self, hpa: Obj, key: tuple[str, str], current: int, desired: int,
                                 min_replicas: int) -> int:
        """normalizeDesiredReplicasWithBehaviors: stabilization windows, then the scaling policies."""
        behavior = hpa["spec"]["behavior"]
        up = behavior.get("scaleUp") or {}
        down = dict(behavior.get("scaleDown") or {})
        down.setdefault("stabilizationWindowSeconds", int(DOWNSCALE_STABILIZATION))
        stabilized, reason, message = self._stabilize_with_behavior(key, current, desired, up, down)
        if stabilized != desired:
            self._condition(hpa, "AbleToScale", "True", reason, message)
        else:
            self._condition(hpa, "AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size")
        result, reason, message = self._rate_limited(key, current, stabilized, min_replicas,
                                                     hpa["spec"]["maxReplicas"], up, down)
        self._condition(hpa, "ScalingLimited", "False" if result == stabilized else "True", reason, message)
        return result

    def _stabilize_with_behavior(self, key: tuple[str, str], current: int, desired: int, up: Obj,
                                 down: Obj) -> tuple[int, str, str]:
        now = self.api.clock.now
        up_cutoff = now - up.get("stabilizationWindowSeconds", 0)
        down_cutoff = now - down["stabilizationWindowSeconds"]
        up_recommendation = down_recommendation = desired
        history = self.recommendations.setdefault(key, [])
        old = None
        for index, (replicas, stamp) in enumerate(history):
            if stamp > up_cutoff:
                up_recommendation = min(int(replicas), up_recommendation)
            if stamp > down_cutoff:
                down_recommendation = max(int(replicas), down_recommendation)
            if stamp < up_cutoff and stamp < down_cutoff:
                old = index
        recommendation = min(max(current, up_recommendation), down_recommendation)
        if old is not None:
            history[old] = [desired, now]
        else:
            history.append([desired, now])
        if desired >= current:
            return recommendation, "ScaleUpStabilized", ("recent recommendations were lower than current one, "
                                                         "applying the lowest recent recommendation")
        return recommendation, "ScaleDownStabilized", ("recent recommendations were higher than current one, "
                                                       "applying the highest recent recommendation")

    def _rate_limited(self, key: tuple[str, str], current: int, desired: int, min_replicas: int, max_replicas: int,
                      up: Obj, down: Obj) -> tuple[int, str, str]:
        """convertDesiredReplicasWithBehaviorRate."""
        ups, downs = self.scale_up_events.get(key, []), self.scale_down_events.get(key, [])
        if desired > current:
            limit = max(self._policy_limit(current, ups, downs, up, scale_up=True), current)
            if max_replicas > limit:
                allowed, reason, message = (limit, "ScaleUpLimit",
                                            "the desired replica count is increasing faster than the maximum scale rate")
            else:
                allowed, reason, message = (max_replicas, "TooManyReplicas",
                                            "the desired replica count is more than the maximum replica count")
            if desired > allowed:
                return allowed, reason, message
        elif desired < current:
            limit = min(self._policy_limit(current, ups, downs, down, scale_up=False), current)
            if min_replicas < limit:
                allowed, reason, message = (limit, "ScaleDownLimit",
                                            "the desired replica count is decreasing faster than the maximum scale rate")
            else:
                allowed, reason, message = (min_replicas, "TooFewReplicas",
                                            "the desired replica count is less than the minimum replica count")
            if desired < allowed:
                return allowed, reason, message
        return desired, "DesiredWithinRange", "the desired count is within the acceptable range"

    def _policy_limit(self, current: int, ups: list[list[float]], downs: list[list[float]], rules: Obj,
                      scale_up: bool) -> int:
        """calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors."""
        select = rules.get("selectPolicy", "Max")
        if select == "Disabled":
            return current
        pick_smallest_change = select == "Min"
        results = []
        for policy in rules.get("policies") or []:
            period = policy.get("periodSeconds", 0)
            start = current - self._changes(period, ups) + self._changes(period, downs)
            value = policy.get("value", 0)
            if policy.get("type") == "Pods":
                results.append(start + value if scale_up else start - value)
            elif scale_up:
                results.append(math.ceil(start * (1 + value / 100)))
            else:
                results.append(int(start * (1 - value / 100)))
        if not results:
            return current
        if scale_up:
            return min(results) if pick_smallest_change else max(results)
        return max(results) if pick_smallest_change else min(results)

    def _changes(self, period: float, events: list[list[float]]) -> int:
        cutoff = self.api.clock.now - period
        return int(sum(change for change, stamp, *_ in events if stamp > cutoff))

    def _store_scale_event(self, hpa: Obj, previous: int, new: int) -> None:
        behavior = hpa["spec"].get("behavior")
        if behavior is None:
            return
        key = (hpa["metadata"]["namespace"], hpa["metadata"]["name"])
        up = new > previous
        rules = behavior.get("scaleUp" if up else "scaleDown") or {}
        longest = max((p.get("periodSeconds", 0) for p in rules.get("policies") or []), default=0)
        events = (self.scale_up_events if up else self.scale_down_events).setdefault(key, [])
        now = self.api.clock.now
        entry = [abs(new - previous), now, 0]
        for index, event in enumerate(events):
            if event[1] < now - longest:
                events[index] = entry
                return
        events.append(entry)

    # --- status and events -----------------------------------------------------------------------------
    def _condition(self, hpa: Obj, type_: str, status: str, reason: str, message: str) -> None:
        """setCondition: add or update a condition; lastTransitionTime moves only when the status changes."""
        conditions = hpa.setdefault("status", {}).setdefault("conditions", [])
        existing = next((c for c in conditions if c.get("type") == type_), None)
        if existing is None:
            existing = {"type": type_}
            conditions.append(existing)
        if existing.get("status") != status:
            existing["lastTransitionTime"] = self.api.clock.timestamp()
        existing.update(status=status, reason=reason, message=message)

    def _set_status(self, hpa: Obj, current: int, desired: int, metric_statuses: list[Obj] | None,
                    rescale: bool) -> None:
        status = hpa.setdefault("status", {})
        status["currentReplicas"] = current
        status["desiredReplicas"] = desired
        if metric_statuses:
            status["currentMetrics"] = metric_statuses
        else:
            status.pop("currentMetrics", None)
        if rescale:
            status["lastScaleTime"] = self.api.clock.timestamp()

    def _write_status(self, hpa: Obj, original: Obj) -> None:
        """updateStatusIfNeeded: write only when the status changed."""
        if hpa.get("status") == original:
            return
        meta = hpa["metadata"]
        try:
            self.api.update(HPAS, hpa, meta["namespace"], subresource="status")
        except ApiError as exc:
            if exc.code != 404:
                self._event(hpa, "Warning", "FailedUpdateStatus", exc.message)

    def _event(self, hpa: Obj, type_: str, reason: str, message: str) -> None:
        self.recorder.event(hpa, type_, reason, message, COMPONENT)


def _wrap_metric_error(spec: Obj, error: MetricError) -> str:
    """computeReplicasForMetric's wrapping of a metric's error, by metric type."""
    kind = spec.get("type")
    if kind == "Resource":
        return f"failed to get {(spec.get('resource') or {}).get('name', '')} resource metric value: {error}"
    if kind == "ContainerResource":
        return f"failed to get {(spec.get('containerResource') or {}).get('container', '')} container metric value: " \
               f"{error}"
    if kind == "Pods":
        return f"failed to get pods metric value: {error}"
    if kind == "Object":
        return f"failed to get object metric value: {error}"
    if kind == "External":
        return f"failed to get {((spec.get('external') or {}).get('metric') or {}).get('name', '')} external metric " \
               f"value: {error}"
    return str(error)


def _pod_requests(pods: list[Obj], container: str, resource: str) -> dict[str, int]:
    """calculatePodRequests: milli-value requests per pod (app containers and sidecars); a container
    without a request for the resource is an error."""
    requests: dict[str, int] = {}
    for pod in pods:
        spec = pod.get("spec") or {}
        containers = list(spec.get("containers") or [])
        containers += [c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"]
        total = 0
        for c in containers:
            if container and c.get("name") != container:
                continue
            request = ((c.get("resources") or {}).get("requests") or {}).get(resource)
            if request is None:
                raise MetricError(f"missing request for {resource} in container {c.get('name', '')} of Pod "
                                  f"{pod['metadata']['name']}")
            total += parse_quantity(request).milli_value()
        requests[pod["metadata"]["name"]] = total
    return requests


def _utilization_ratio(metrics: dict[str, int], requests: dict[str, int], goal: int) -> tuple[float, int, int]:
    """metricsclient.GetResourceUtilizationRatio: (ratio to target, utilization %, average raw value)."""
    used = requested = entries = 0
    for name, value in metrics.items():
        if name not in requests:
            continue
        used += value
        requested += requests[name]
        entries += 1
    if requested == 0:
        raise MetricError("no metrics returned matched known pods")
    utilization = used * 100 // requested
    return utilization / goal, utilization, used // entries


def _milli(value: int) -> str:
    """resource.NewMilliQuantity(v, DecimalSI).String()."""
    return str(parse_quantity(f"{value}m"))


def _metric_status(source: Obj, container: str, current: Obj) -> Obj:
    if container:
        return {"type": "ContainerResource", "containerResource": {"name": source.get("name", ""),
                                                                   "container": container, "current": current}}
    return {"type": "Resource", "resource": {"name": source.get("name", ""), "current": current}}
