"""The simulated kube-scheduler (v1.33, default profile): queue, scheduling cycle, binding and events.

Created by `SimulatedCluster`. It watches pods and nodes through the store, keeps its cache current
from those events, and schedules pending pods whose schedulerName is `default-scheduler` on the
virtual clock at once (a real cycle takes milliseconds): filters, scores, then `api.bind` and a
`Scheduled` event; or, when no node fits, the PodScheduled=False/Unschedulable condition and a
`FailedScheduling` event worded as pkg/scheduler/framework/types.go (FitError.Error) words them.
Then the DefaultPreemption PostFilter (preemption.py) may evict lower-priority pods and nominate a node.
Pods with scheduling gates stay out of the queue until the gates are removed.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...api.errors import ApiError
from ...api.objects import deep_copy
from ...api.registry import REGISTRY
from ...api.selectors import LabelSelector, Requirement, SelectorError, selector_from_dict, selector_from_map
from ..apiserver import APIServer
from ..events import EventRecorder
from ..store import WatchEvent
from .cache import ClusterCache, NodeInfo, PodKey, PodShare, pod_key
from .explain import Explanation, FilterResult, NodeExplanation, ScoreResult
from .filters import FILTERS, UNRESOLVABLE, PodContext, Status, run_filters
from .preemption import NOT_HELPFUL, DefaultPreemption
from .queue import SchedulingQueue
from .scores import PluginScores, score_nodes, totals
from .vector import ExaminedRows, NodeTable, RowNames, eligible, find_window, host_counts, score_window
from .volumebinding import VolumeBinding

Obj = dict[str, Any]
PODS = REGISTRY.resolve("pods")
SCHEDULER_NAME = "default-scheduler"
NO_NODES = "no nodes available to schedule pods"  # schedule_one.go ErrNoNodesAvailable
ONLY_ONE = "Only one node passed the filters, so kube-scheduler binds it without scoring."
MIN_FEASIBLE_NODES = 100  # minFeasibleNodesToFind
MIN_FEASIBLE_PERCENTAGE = 5  # minFeasibleNodesPercentageToFind
KEPT_RECORDS = 5000
KEPT_NODE_RESULTS = 500_000  # and no more per-node results than this across the kept records
NODE_FIELDS = (("metadata", "labels"), ("spec", "taints"), ("spec", "unschedulable"), ("status", "allocatable"),
               ("status", "images"))
SPREAD_OWNERS = {"ReplicationController": "replicationcontrollers", "ReplicaSet": "replicasets.apps",
                 "StatefulSet": "statefulsets.apps"}


def num_feasible_nodes_to_find(all_nodes: int, percentage: int = 0) -> int:
    """numFeasibleNodesToFind with the adaptive percentageOfNodesToScore (50% minus 1% per 125 nodes)."""
    if all_nodes < MIN_FEASIBLE_NODES:
        return all_nodes
    if percentage == 0:
        percentage = max(50 - all_nodes // 125, MIN_FEASIBLE_PERCENTAGE)
    return max(all_nodes * percentage // 100, MIN_FEASIBLE_NODES)


def fit_error_message(num_all: int, statuses: dict[str, Status], absent: Status | None,
                      prefilter_msg: str = "", postfilter_msg: str = "") -> str:
    """FitError.Error(): `0/N nodes are available: <counts of reasons, sorted as strings>.` + PostFilter."""
    message = f"0/{num_all} nodes are available:"
    if prefilter_msg:
        message += f" {prefilter_msg}."
    else:
        counts: dict[str, int] = {}
        for status in statuses.values():
            for reason in status.reasons:
                counts[reason] = counts.get(reason, 0) + 1
        if absent is not None and len(statuses) < num_all:
            for reason in absent.reasons:
                counts[reason] = counts.get(reason, 0) + num_all - len(statuses)
        histogram = sorted(f"{n} {reason}" for reason, n in counts.items())
        if histogram:
            message += f" {', '.join(histogram)}."
    if postfilter_msg:
        message += f" {postfilter_msg}"
    return message


@dataclass
class CycleRecord:
    """What one scheduling cycle saw, kept compact; turned into an `Explanation` on request."""

    pod: str
    time: str
    filters: Sequence[tuple[str, Sequence[tuple[str, Status | None]]]] = field(default_factory=list)
    feasible: Sequence[str] = field(default_factory=list)
    scores: list[PluginScores] = field(default_factory=list)
    absent: tuple[list[str], Status] | None = None
    chosen: str | None = None
    message: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class _Outcome:
    statuses: dict[str, Status] = field(default_factory=dict)
    absent: Status | None = None
    prefilter: Status | None = None
    feasible: list[NodeInfo] = field(default_factory=list)


class Scheduler:
    """kube-scheduler for one simulated cluster."""

    name = SCHEDULER_NAME
    # clusters from this size on schedule eligible pods with array arithmetic (vector.py); same results
    vector_min_nodes = 16

    def __init__(self, api: APIServer, recorder: EventRecorder):
        self.api = api
        self.recorder = recorder
        self.cache = ClusterCache()
        self.queue = SchedulingQueue(api.clock, self._wake)
        self.volume_binding = VolumeBinding(api, self.queue)  # PreFilter: claims must exist and be bound
        self.preemption = DefaultPreemption(api, recorder, self.cache, SCHEDULER_NAME)  # PostFilter
        self.records: OrderedDict[PodKey, CycleRecord] = OrderedDict()
        self._record_results = 0  # per-node results held by the kept records
        self.table = NodeTable(self.cache)
        self._rejectors: dict[PodKey, set[str]] = {}
        self._next_start = 0
        self._draining = False
        self._touched: set[str] = set()
        self._seen_pods: dict[PodKey, Obj] = {}  # the last version of each pending pod
        store = api.store
        for node in store.list("nodes"):
            self.cache.set_node(node)
        for pod in store.list("pods"):
            self._on_pod(WatchEvent("ADDED", "pods", pod, 0), None)
        store.subscribe(self._on_event, resources=("pods", "nodes"))

    # --- informers (only queue work) ---------------------------------------------------------------
    def _on_event(self, event: WatchEvent) -> None:
        if event.resource == "pods":
            meta = event.object["metadata"]
            key = (meta.get("namespace", ""), meta["name"])
            old_share = self.cache.shares.get(key)
            self._on_pod(event, old_share)
        elif event.resource == "nodes":
            self._on_node(event)

    def _on_pod(self, event: WatchEvent, old_share: PodShare | None) -> None:
        pod = event.object
        key = pod_key(pod)
        gone = event.type == "DELETED"
        self.cache.set_pod(None if gone else pod, key)
        new_share = self.cache.shares.get(key)
        if old_share is not None and (new_share is None or new_share.node != old_share.node):
            self._touch(old_share.node)  # an assigned pod went away or finished: room on its node
        if new_share is not None and old_share is None:
            self._touch(new_share.node)  # a pod arrived on a node: pod affinity may now hold there
        if gone or not self._wants(pod):
            if key in self.queue or key in self._rejectors:
                self.queue.forget(key)
                self._rejectors.pop(key, None)
            self._seen_pods.pop(key, None)
            if gone and key in self.records:
                self._record_results -= _results(self.records.pop(key))
            return
        spec = pod.get("spec") or {}
        if key not in self.queue or key in self.queue.gated:  # the SchedulingGates PreEnqueue plugin
            self.queue.add(key, int(spec.get("priority") or 0), gated=bool(spec.get("schedulingGates")))
        elif key in self.queue.unschedulable and event.type == "MODIFIED" and self._pod_changed(key, pod):
            self.queue.move(key)
        self._seen_pods[key] = pod

    def _pod_changed(self, key: PodKey, pod: Obj) -> bool:
        """isPodUpdated: anything but status and resourceVersion changed."""
        old = self._seen_pods.get(key)
        if old is None:
            return True
        strip = ("resourceVersion", "managedFields")
        meta_old = {k: v for k, v in old["metadata"].items() if k not in strip}
        meta_new = {k: v for k, v in pod["metadata"].items() if k not in strip}
        return meta_old != meta_new or old.get("spec") != pod.get("spec")

    @staticmethod
    def _wants(pod: Obj) -> bool:
        spec = pod.get("spec") or {}
        return (not spec.get("nodeName") and spec.get("schedulerName", SCHEDULER_NAME) == SCHEDULER_NAME
                and not pod["metadata"].get("deletionTimestamp")
                and (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed"))

    def _on_node(self, event: WatchEvent) -> None:
        node = event.object
        name = node["metadata"]["name"]
        if event.type == "DELETED":
            self.cache.remove_node(name)
            return
        old = self.cache.nodes.get(name)
        changed = old is None or old.node is None or any(
            (old.node.get(a) or {}).get(b) != (node.get(a) or {}).get(b) for a, b in NODE_FIELDS)
        self.cache.set_node(node)
        if changed:
            self._touch(name)

    def _touch(self, node: str) -> None:
        if not self.queue.unschedulable:
            return
        if not self._touched:
            self.api.clock.call_soon(self._requeue_for_changes, label="scheduler: cluster changed")
        self._touched.add(node)

    def _wake(self) -> None:
        if not self._draining:
            self._draining = True
            self.api.clock.call_soon(self._drain, label="scheduler: scheduling cycle")

    # --- queueing hints ----------------------------------------------------------------------------
    def _requeue_for_changes(self) -> None:
        """Move the unschedulable pods a change may help: the changed node now passes the plugin that
        rejected them (the spirit of the plugins' QueueingHints)."""
        touched, self._touched = sorted(self._touched), set()
        for key in sorted(self.queue.unschedulable):
            pod = self.api.peek(PODS, key[1], key[0])
            if pod is None:
                continue
            rejectors = self._rejectors.get(key, set())
            ctx = self._context(pod)
            for name in touched:
                info = self.cache.nodes.get(name)
                if info is None or info.node is None:
                    continue
                status, _ = run_filters(ctx, info)
                if status is None or status.plugin not in rejectors:
                    self.queue.move(key)
                    break

    # --- the scheduling cycle ----------------------------------------------------------------------
    def _drain(self) -> None:
        self._draining = False
        while (key := self.queue.pop()) is not None:
            pod = self.api.peek(PODS, key[1], key[0])
            if pod is None or not self._wants(pod):
                self.queue.forget(key)
                continue
            self.schedule_one(pod)

    def _namespace_labels(self, namespace: str) -> dict[str, str]:
        ns = self.api.store.get("namespaces", "", namespace)
        return ((ns or {}).get("metadata") or {}).get("labels") or {}

    def _pods_with_label(self, key: str, value: str) -> list[Obj]:
        return self.api.store.with_label("pods", key, value, ordered=False)  # only counted

    def _context(self, pod: Obj) -> PodContext:
        return PodContext(pod, self.cache, self._namespace_labels, self._pods_with_label)

    def schedule_one(self, pod: Obj) -> str | None:
        """One scheduling cycle for `pod`: returns the node it was bound to, or None."""
        key = pod_key(pod)
        record = CycleRecord(f"{key[0]}/{key[1]}", self.api.clock.timestamp())
        nodes = self.cache.existing()
        if not nodes:
            record.message = NO_NODES
            self._fail(pod, record, set(), "SchedulerError")
            return None
        ctx = self._context(pod)
        ctx.spread_selector = self.default_selector(pod)
        if len(nodes) >= self.vector_min_nodes and eligible(ctx, self.cache):
            chosen = self._vector_cycle(ctx, nodes, record)
            if chosen is not None:
                return self._bind(pod, chosen, record)
        outcome = self._find_feasible(ctx, nodes, record)
        if not outcome.feasible:
            post, nominated = self._preemption_message(ctx, nodes, outcome, record)
            prefilter_msg = "; ".join(outcome.prefilter.reasons) if outcome.prefilter else ""
            record.message = fit_error_message(len(nodes), outcome.statuses, outcome.absent, prefilter_msg, post)
            plugins = {s.plugin for s in outcome.statuses.values()}
            for status in (outcome.prefilter, outcome.absent):
                if status is not None:
                    plugins.add(status.plugin)
            self._fail(pod, record, plugins, "Unschedulable", nominated)
            return None
        chosen = self._select_host(ctx, outcome.feasible, record)
        return self._bind(pod, chosen, record)

    def _find_feasible(self, ctx: PodContext, nodes: list[NodeInfo], record: CycleRecord) -> _Outcome:
        outcome = _Outcome()
        names, prefilter = ctx.node_names()
        prefilter = prefilter or self.volume_binding.pre_filter(ctx.pod)
        if prefilter is not None:
            outcome.prefilter = prefilter
            outcome.absent = prefilter
            record.absent = ([n.name for n in nodes], prefilter)
            return outcome
        candidates = nodes
        if names is not None:
            candidates = [n for n in nodes if n.name in names]
            reason = "node(s) didn't satisfy plugin(s) [NodeAffinity]"  # schedule_one.go findNodesThatFitPod
            outcome.absent = Status(UNRESOLVABLE, (reason,), "NodeAffinity")
            record.absent = ([n.name for n in nodes if n.name not in names], outcome.absent)
        if not candidates:
            return outcome
        wanted = num_feasible_nodes_to_find(len(candidates))
        start = self._next_start % len(candidates)
        for i in range(len(candidates)):
            info = candidates[(start + i) % len(candidates)]
            status, results = run_filters(ctx, info)
            record.filters.append((info.name, results))
            if status is None:
                outcome.feasible.append(info)
                if len(outcome.feasible) >= wanted:
                    break
            else:
                outcome.statuses[info.name] = status
        processed = len(outcome.feasible) + len(outcome.statuses)
        self._next_start = (self._next_start + processed) % len(nodes)
        return outcome

    def _vector_cycle(self, ctx: PodContext, nodes: list[NodeInfo], record: CycleRecord) -> str | None:
        """`_find_feasible` and `_select_host` as array arithmetic for a pod only per-node plugins concern. None
        (and nothing changed) when a PreFilter rejects the pod or no node fits: the per-node path words those."""
        names, prefilter = ctx.node_names()
        if names is not None or prefilter is not None or self.volume_binding.pre_filter(ctx.pod) is not None:
            return None
        table = self.table
        table.refresh()
        start = self._next_start % len(nodes)
        cls = table.scheduling_class(ctx)
        examined, rejected, rows = find_window(table, cls, ctx, start, num_feasible_nodes_to_find(len(nodes)))
        if not len(rows):
            return None
        record.filters = ExaminedRows(table.names, examined, {
            row: run_filters(ctx, table.infos[row])[1] for row in rejected.tolist()})
        self._next_start = (self._next_start + len(examined)) % len(nodes)
        record.feasible = RowNames(table.names, rows)
        record.scores, total = score_window(table, cls, ctx, rows, host_counts(table, ctx))
        if len(rows) == 1:
            record.notes.append(ONLY_ONE)
            return record.feasible[0]
        return record.feasible[self._pick(total)]

    def _select_host(self, ctx: PodContext, feasible: list[NodeInfo], record: CycleRecord) -> str:
        """Score the feasible nodes and pick the best (selectHost)."""
        record.feasible = [n.name for n in feasible]
        record.scores = score_nodes(ctx, feasible)
        if len(feasible) == 1:
            record.notes.append(ONLY_ONE)
            return feasible[0].name
        return feasible[self._pick(totals(record.scores, len(feasible)))].name

    def _pick(self, total: Sequence[int]) -> int:
        """selectHost: the highest total, one of several equally high ones uniformly at random (kube-scheduler
        samples them with a reservoir as it pops its heap; one seeded draw picks with the same odds)."""
        if isinstance(total, np.ndarray):
            ties = np.flatnonzero(total == total.max()).tolist()
        else:
            best = max(total)
            ties = [i for i, t in enumerate(total) if t == best]
        return ties[0] if len(ties) == 1 else ties[self.api.rng.randrange(len(ties))]

    def _bind(self, pod: Obj, node: str, record: CycleRecord) -> str | None:
        key = pod_key(pod)
        try:
            bound = self.api.bind(key[1], key[0], node, copy_result=False)
        except ApiError:
            self.queue.forget(key)
            return None
        record.chosen = node
        # schedule_one.go handleBindingCycle: "Successfully assigned %v/%v to %v"
        record.message = f"Successfully assigned {key[0]}/{key[1]} to {node}"
        self._keep(key, record)
        self.queue.forget(key)
        self._rejectors.pop(key, None)
        self.recorder.event(bound, "Normal", "Scheduled", record.message, SCHEDULER_NAME)
        return node

    def _fail(self, pod: Obj, record: CycleRecord, plugins: set[str], reason: str,
              nominated: str | None = None) -> None:
        """handleSchedulingFailure: a Warning event, the PodScheduled condition and the nominated node (a
        node name sets it, '' clears it, None leaves it), the unschedulable pool."""
        key = pod_key(pod)
        self._keep(key, record)
        self._rejectors[key] = plugins
        self.queue.unschedulable_failed(key)
        self.preemption.nominate(key, nominated, int((pod.get("spec") or {}).get("priority") or 0))
        self.recorder.event(pod, "Warning", "FailedScheduling", record.message, SCHEDULER_NAME)
        self._set_condition(pod, reason, record.message, nominated)

    def _set_condition(self, pod: Obj, reason: str, message: str, nominated: str | None = None) -> None:
        """updatePod: the PodScheduled condition, and status.nominatedNodeName when it is to change."""
        status = (pod.get("status") or {})
        conditions = list(status.get("conditions") or [])
        current = next((c for c in conditions if c.get("type") == "PodScheduled"), None)
        renominate = nominated is not None and (status.get("nominatedNodeName") or "") != nominated
        if current is not None and current.get("status") == "False" and current.get("reason") == reason \
                and current.get("message") == message and not renominate:
            return
        condition = {"type": "PodScheduled", "status": "False", "lastProbeTime": None,
                     "lastTransitionTime": self.api.clock.timestamp(), "reason": reason, "message": message}
        if current is not None and current.get("status") == "False":
            condition["lastTransitionTime"] = current.get("lastTransitionTime")
        updated = deep_copy(pod)
        updated.setdefault("status", {})["conditions"] = (
            [condition if c is current else c for c in conditions] if current is not None else conditions + [condition])
        updated["status"].setdefault("phase", "Pending")
        if renominate and nominated:
            updated["status"]["nominatedNodeName"] = nominated
        elif renominate:
            updated["status"].pop("nominatedNodeName", None)
        with contextlib.suppress(ApiError):
            self.api.update(PODS, updated, pod["metadata"].get("namespace"), subresource="status")

    def _keep(self, key: PodKey, record: CycleRecord) -> None:
        """Keep the newest records: at most KEPT_RECORDS, and at most KEPT_NODE_RESULTS per-node results."""
        old = self.records.pop(key, None)
        if old is not None:
            self._record_results -= _results(old)
        self.records[key] = record
        self._record_results += _results(record)
        while len(self.records) > 1 and (len(self.records) > KEPT_RECORDS or self._record_results > KEPT_NODE_RESULTS):
            _, dropped = self.records.popitem(last=False)
            self._record_results -= _results(dropped)

    # --- preemption -----------------------------------------------------------------------------------
    def _preemption_message(self, ctx: PodContext, nodes: list[NodeInfo], outcome: _Outcome,
                            record: CycleRecord) -> tuple[str, str | None]:
        """Run the DefaultPreemption PostFilter: its part of the FitError message ('' when it preempts) and
        the nomination for the pod (see `_fail`)."""
        result = self.preemption.post_filter(ctx, nodes, outcome.statuses, outcome.absent)
        if result.reason:
            return f"preemption: {result.reason}", result.nominated
        if result.statuses is not None:  # no candidate: the dry run's FitError, nodes not tried not helpful
            absent = Status(UNRESOLVABLE, (NOT_HELPFUL,))
            return "preemption: " + fit_error_message(len(nodes), result.statuses, absent), result.nominated
        record.notes.append(f"No node fits, so DefaultPreemption evicts {', '.join(result.victims)} "
                            f"from {result.nominated} and nominates that node for the pod.")
        return "", result.nominated

    # --- default spreading selector ----------------------------------------------------------------
    def default_selector(self, pod: Obj) -> LabelSelector:
        """helper.DefaultSelector: the selectors of the Services selecting the pod and of its controller."""
        meta = pod["metadata"]
        namespace, labels = meta.get("namespace", ""), meta.get("labels") or {}
        merged: dict[str, str] = {}
        for svc in sorted(self.api.store.list("services", namespace), key=lambda s: s["metadata"]["name"]):
            selector = (svc.get("spec") or {}).get("selector")
            if selector and selector_from_map(selector).matches(labels):
                merged.update(selector)
        requirements: list[Requirement] = list(selector_from_map(merged).requirements) if merged else []
        owner = next((r for r in meta.get("ownerReferences") or () if r.get("controller")), None)
        resource = SPREAD_OWNERS.get((owner or {}).get("kind", ""))
        if owner is not None and resource is not None:
            obj = self.api.store.get(resource, namespace, owner.get("name", ""))
            selector = ((obj or {}).get("spec") or {}).get("selector")
            if obj is not None and owner["kind"] == "ReplicationController" and selector:
                merged.update(selector)
                requirements = list(selector_from_map(merged).requirements)
            elif obj is not None and isinstance(selector, dict):
                with contextlib.suppress(SelectorError):
                    requirements += list(selector_from_dict(selector).requirements)
        return LabelSelector(tuple(sorted(requirements, key=lambda r: r.key)))

    # --- explanations ------------------------------------------------------------------------------
    def explain(self, pod: Obj | PodKey) -> Explanation | None:
        """The last scheduling cycle of `pod` (an object or a (namespace, name) key), or None if none ran."""
        key = pod if isinstance(pod, tuple) else pod_key(pod)
        record = self.records.get(key)
        return None if record is None else explanation(record)


def _results(record: CycleRecord) -> int:
    return len(record.filters) + len(record.feasible)


def explanation(record: CycleRecord) -> Explanation:
    scores: dict[str, list[ScoreResult]] = {}
    for plugin in record.scores:
        if plugin.raw is None or plugin.normalized is None:
            continue
        for i, name in enumerate(record.feasible):
            scores.setdefault(name, []).append(ScoreResult(plugin.plugin, int(plugin.raw[i]), int(plugin.normalized[i]),
                                                           plugin.weight))
    nodes = []
    for name, results in record.filters:
        filters = [FilterResult(plugin, status is None, "; ".join(status.reasons) if status else "")
                   for plugin, status in results]
        filters += [FilterResult(plugin, None) for plugin, _ in FILTERS[len(results):]]
        nodes.append(NodeExplanation(name, tuple(filters), tuple(scores.get(name, ()))))
    if record.absent is not None:
        names, status = record.absent
        for name in names:
            nodes.append(NodeExplanation(name, (FilterResult(status.plugin, False, "; ".join(status.reasons)),)))
    skipped = tuple(p.plugin for p in record.scores if p.raw is None)
    return Explanation(record.pod, record.time, tuple(nodes), record.chosen, record.message, skipped,
                       tuple(record.notes))

