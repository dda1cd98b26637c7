"""The scheduler's array path: the default profile's per-node filters and scores over every node at once.

Used by `Scheduler.schedule_one` for pods that only the per-node plugins concern: no host ports, no inter-pod
(anti-)affinity (and no assigned pod with required anti-affinity), no `metadata.name` node affinity, no explicit
topologySpreadConstraints, requests of cpu, memory and ephemeral-storage only. For those it computes what
filters.py and scores.py compute node by node, with the same integer and floating-point operations in the same
order, as numpy arithmetic over arrays indexed like `ClusterCache.order`, so a cycle on 1,000 nodes costs about
what one on ten does. Anything else (and every pod no node fits, whose message the per-node path words) goes
the per-node way. tests/sim/scheduler/test_vector.py schedules random clusters both ways and compares.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np

from .cache import ClusterCache, NodeInfo, normalized_image, pod_requests
from .filters import (
    FILTERS,
    PodContext,
    node_affinity,
    node_affinity_filter,
    node_unschedulable,
    taint_toleration,
)
from .scores import (
    HOSTNAME,
    IMAGE_MAX_CONTAINER_THRESHOLD,
    IMAGE_MIN_THRESHOLD,
    MAX_NODE_SCORE,
    SCORES,
    ZONE,
    PluginScores,
    affinity_score,
    taint_prescore,
    taint_score,
)

Obj = dict[str, Any]
FIT_RESOURCES = ("cpu", "memory", "ephemeral-storage")
PASSED = tuple((name, None) for name, _ in FILTERS)  # every filter's verdict on a node that passed them all


def eligible(ctx: PodContext, cache: ClusterCache) -> bool:
    """Whether only per-node plugins decide where `ctx.pod` goes (the array path applies)."""
    spec = ctx.pod.get("spec") or {}
    affinity = spec.get("affinity") or {}
    if ctx.ports or cache.with_anti_affinity or spec.get("topologySpreadConstraints"):
        return False
    if any(affinity.get(kind) for kind in ("podAffinity", "podAntiAffinity")):
        return False
    if any(name not in FIT_RESOURCES for name in ctx.requests):
        return False
    required = node_affinity(ctx.pod).get("requiredDuringSchedulingIgnoredDuringExecution") or {}
    return not any(f.get("key") == "metadata.name" for term in required.get("nodeSelectorTerms") or []
                   for f in term.get("matchFields") or [])


def _signature(pod: Obj) -> str:
    """What the static (node-object-only) filters and scores read of a pod: its scheduling class."""
    spec = pod.get("spec") or {}
    return json.dumps([spec.get("tolerations"), spec.get("nodeSelector"), node_affinity(pod)], sort_keys=True)


@dataclass
class _Class:
    """Per-node verdicts that depend only on Node objects, for one scheduling class."""

    generation: np.ndarray
    static_ok: np.ndarray  # NodeUnschedulable, TaintToleration and NodeAffinity passed
    affinity_match: np.ndarray  # the required node affinity / nodeSelector matches
    taint_raw: np.ndarray  # TaintToleration score: untolerated PreferNoSchedule taints
    affinity_raw: np.ndarray  # NodeAffinity score: preferred terms' weights


@dataclass
class _Images:
    generation: np.ndarray
    sizes: np.ndarray


@dataclass
class NodeTable:
    """The scheduler cache's nodes as columns, refreshed row by row from the nodes the cache marks changed."""

    cache: ClusterCache
    order_version: int = -1
    names: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    infos: list[NodeInfo] = field(default_factory=list)
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    generation: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    zone_ids: dict[str, int] = field(default_factory=dict)
    classes: dict[str, _Class] = field(default_factory=dict)
    images: dict[str, _Images] = field(default_factory=dict)

    COLUMNS = ("alloc_cpu", "alloc_memory", "alloc_ephemeral-storage", "alloc_pods", "req_cpu", "req_memory",
               "req_ephemeral-storage", "nz_cpu", "nz_memory", "pod_count", "zone", "has_zone", "has_host")

    def refresh(self) -> None:
        cache = self.cache
        if cache.order_version != self.order_version:
            self.order_version = cache.order_version
            self.names = list(cache.order)
            self.index = {name: i for i, name in enumerate(self.names)}
            self.infos = [cache.nodes[name] for name in self.names]
            size = len(self.names)
            self.columns = {c: np.zeros(size, np.int64) for c in self.COLUMNS}
            self.generation = np.zeros(size, np.int64)
            self.classes.clear()
            self.images.clear()
            dirty_pods, dirty_nodes = set(self.names), set(self.names)
        else:
            dirty_pods, dirty_nodes = cache.dirty_pods, cache.dirty_nodes
        for name in dirty_nodes:
            row = self.index.get(name)
            if row is not None:
                self._node_row(row)
        for name in dirty_pods:
            row = self.index.get(name)
            if row is not None:
                self._usage_row(row)
        cache.dirty_pods, cache.dirty_nodes = set(), set()

    def _node_row(self, row: int) -> None:
        info, col = self.infos[row], self.columns
        for name in ("cpu", "memory", "ephemeral-storage", "pods"):
            col[f"alloc_{name}"][row] = info.allocatable.get(name, 0)
        labels = info.labels
        zone = labels.get(ZONE, "")
        col["zone"][row] = self.zone_ids.setdefault(zone, len(self.zone_ids))
        col["has_zone"][row] = ZONE in labels
        col["has_host"][row] = HOSTNAME in labels
        self.generation[row] += 1

    def _usage_row(self, row: int) -> None:
        info, col = self.infos[row], self.columns
        for name in FIT_RESOURCES:
            col[f"req_{name}"][row] = info.requested.get(name, 0)
        col["nz_cpu"][row] = info.non_zero_cpu
        col["nz_memory"][row] = info.non_zero_memory
        col["pod_count"][row] = info.pod_count

    def scheduling_class(self, ctx: PodContext) -> _Class:
        key = _signature(ctx.pod)
        found = self.classes.get(key)
        size = len(self.names)
        if found is None:
            found = self.classes[key] = _Class(np.full(size, -1, np.int64), np.zeros(size, bool), np.zeros(size, bool),
                                               np.zeros(size, np.int64), np.zeros(size, np.int64))
        stale = np.flatnonzero(found.generation != self.generation)
        if len(stale):
            tolerations = taint_prescore(ctx, [])
            preferred = node_affinity(ctx.pod).get("preferredDuringSchedulingIgnoredDuringExecution") or []
            for row in stale.tolist():
                info = self.infos[row]
                matches = node_affinity_filter(ctx, info) is None
                found.affinity_match[row] = matches
                found.static_ok[row] = matches and node_unschedulable(ctx, info) is None \
                    and taint_toleration(ctx, info) is None
                found.taint_raw[row] = taint_score(ctx, tolerations, info)
                found.affinity_raw[row] = affinity_score(ctx, preferred, info) if preferred else 0
            found.generation[stale] = self.generation[stale]
        return found

    def image_sizes(self, image: str) -> np.ndarray:
        found = self.images.get(image)
        if found is None:
            found = self.images[image] = _Images(np.full(len(self.names), -1, np.int64),
                                                 np.zeros(len(self.names), np.int64))
        stale = np.flatnonzero(found.generation != self.generation)
        for row in stale.tolist():
            found.sizes[row] = self.infos[row].image_sizes.get(image, 0)
        found.generation[stale] = self.generation[stale]
        return found.sizes


class RowNames(Sequence[str]):
    """The names of some table rows, looked up when read (a kept record holds rows, not lists of names)."""

    def __init__(self, names: list[str], rows: np.ndarray):
        self.names, self.rows = names, rows

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self.names[row] for row in self.rows[index].tolist()]
        return self.names[int(self.rows[index])]


class ExaminedRows(Sequence[tuple[str, Sequence[tuple[str, Any]]]]):
    """A cycle's examined nodes in order with every filter's verdict, as CycleRecord.filters holds them: nodes
    that passed share one all-passed verdict list; the rejected ones keep what run_filters said."""

    def __init__(self, names: list[str], rows: np.ndarray, rejected: dict[int, Sequence[tuple[str, Any]]]):
        self.names, self.rows, self.rejected = names, rows, rejected

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        row = int(self.rows[index])
        return self.names[row], self.rejected.get(row, PASSED)


def find_window(table: NodeTable, cls: _Class, ctx: PodContext, start: int,
                wanted: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """findNodesThatPassFilters from row `start`, stopping at `wanted` feasible nodes: (examined rows in order,
    the examined rows that failed a filter, feasible rows). `cls` is the pod's `table.scheduling_class(ctx)`."""
    col = table.columns
    ok = cls.static_ok & (col["pod_count"] + 1 <= col["alloc_pods"])
    for name in FIT_RESOURCES:
        want = ctx.requests.get(name, 0)
        if want > 0:
            ok &= want <= col[f"alloc_{name}"] - col[f"req_{name}"]
    size = len(ok)
    rows = np.flatnonzero(ok)
    rows = np.concatenate((rows[rows >= start], rows[rows < start]))
    if len(rows) >= wanted:
        rows = rows[:wanted]
        examined_count = int((rows[-1] - start) % size) + 1
    else:
        examined_count = size
    examined = (np.arange(examined_count) + start) % size
    return examined, examined[~ok[examined]], rows


def score_window(table: NodeTable, cls: _Class, ctx: PodContext, rows: np.ndarray,
                 host_counts: np.ndarray | None) -> tuple[list[PluginScores], np.ndarray]:
    """The score plugins in the default profile's order over the feasible rows, as score_nodes computes them:
    (each plugin's raw and normalised scores, the weighted totals)."""
    results = []
    total = np.zeros(len(rows), np.int64)
    for plugin in SCORES:
        raw = _raw(plugin.name, table, cls, ctx, rows, host_counts)
        if raw is None:
            results.append(PluginScores(plugin.name, plugin.weight, None, None))
            continue
        normalized = _normalize(plugin.name, raw)
        total += normalized * plugin.weight
        results.append(PluginScores(plugin.name, plugin.weight, raw, normalized))  # arrays: read on demand
    return results, total


def _raw(plugin: str, table: NodeTable, cls: _Class, ctx: PodContext, rows: np.ndarray,
         host_counts: np.ndarray | None) -> np.ndarray | None:
    col = table.columns
    if plugin == "TaintToleration":
        return cls.taint_raw[rows]
    if plugin == "NodeAffinity":
        preferred = node_affinity(ctx.pod).get("preferredDuringSchedulingIgnoredDuringExecution") or []
        return cls.affinity_raw[rows] if preferred else None
    if plugin == "NodeResourcesFit":
        state = pod_requests(ctx.pod, non_zero=True)
        total = np.zeros(len(rows), np.int64)
        weights = np.zeros(len(rows), np.int64)
        for name in ("cpu", "memory"):
            capacity = col[f"alloc_{name}"][rows]
            requested = col[f"nz_{name}"][rows] + state.get(name, 0)
            has = capacity != 0
            safe = np.where(has, capacity, 1)
            part = np.where(requested > capacity, 0, (capacity - requested) * MAX_NODE_SCORE // safe)
            total += np.where(has, part, 0)
            weights += has
        return np.where(weights > 0, total // np.maximum(weights, 1), 0)
    if plugin == "PodTopologySpread":
        return _spread_raw(table, cls, ctx, rows, host_counts)
    if plugin == "InterPodAffinity":
        return None  # eligible pods have no preferred pod (anti-)affinity terms
    if plugin == "NodeResourcesBalancedAllocation":
        requests = ctx.requests  # pod_requests(pod), as the PreFilter computed it
        if all(requests.get(r, 0) == 0 for r in ("cpu", "memory")):
            return None
        fractions, present = [], []
        for name in ("cpu", "memory"):
            capacity = col[f"alloc_{name}"][rows]
            has = capacity != 0
            used = (col[f"req_{name}"][rows] + requests.get(name, 0)) / np.where(has, capacity, 1)
            fractions.append(np.minimum(used, 1.0))
            present.append(has)
        std = np.where(present[0] & present[1], np.abs((fractions[0] - fractions[1]) / 2), 0.0)
        return ((1 - std) * MAX_NODE_SCORE).astype(np.int64)
    if plugin == "ImageLocality":
        spec = ctx.pod.get("spec") or {}
        containers = list(spec.get("initContainers") or []) + list(spec.get("containers") or [])
        images = [normalized_image(c.get("image") or "") for c in containers]
        total_nodes = max(len(table.cache.order), 1)
        total = np.zeros(len(rows), np.int64)
        for image in images:
            spread = table.cache.image_nodes[image] / total_nodes
            total += (table.image_sizes(image)[rows] * spread).astype(np.int64)
        high = IMAGE_MAX_CONTAINER_THRESHOLD * len(images)
        if high <= IMAGE_MIN_THRESHOLD:
            return np.zeros(len(rows), np.int64)
        total = np.minimum(np.maximum(total, IMAGE_MIN_THRESHOLD), high)
        return MAX_NODE_SCORE * (total - IMAGE_MIN_THRESHOLD) // (high - IMAGE_MIN_THRESHOLD)
    raise ValueError(f"no array form for the score plugin {plugin}")


def _spread_raw(table: NodeTable, cls: _Class, ctx: PodContext, rows: np.ndarray,
                host_counts: np.ndarray | None) -> np.ndarray | None:
    """PodTopologySpread with the system default constraints (hostname maxSkew 3, zone maxSkew 5)."""
    if host_counts is None:
        return None
    col = table.columns
    zones = np.unique(col["zone"][rows])
    host_weight = math.log(len(rows) + 2)
    zone_weight = math.log(len(zones) + 2)
    per_zone = np.bincount(col["zone"], weights=np.where(cls.affinity_match, host_counts, 0),
                           minlength=len(table.zone_ids))
    in_window = np.zeros(len(per_zone), bool)
    in_window[zones] = True
    per_zone = np.where(in_window, per_zone, 0.0)
    score = np.where(col["has_host"][rows] != 0, host_counts[rows] * host_weight + 2.0, 0.0)
    score = score + np.where(col["has_zone"][rows] != 0, per_zone[col["zone"][rows]] * zone_weight + 4.0, 0.0)
    return np.floor(score + 0.5).astype(np.int64)


def _normalize(plugin: str, raw: np.ndarray) -> np.ndarray:
    """Each plugin's NormalizeScore (scores.py) over the window."""
    if plugin in ("TaintToleration", "NodeAffinity"):
        top = int(raw.max()) if len(raw) else 0
        if top == 0:
            return np.full(len(raw), MAX_NODE_SCORE if plugin == "TaintToleration" else 0, np.int64)
        scaled = MAX_NODE_SCORE * raw // top
        return MAX_NODE_SCORE - scaled if plugin == "TaintToleration" else scaled
    if plugin == "PodTopologySpread":
        low, high = int(raw.min()), int(raw.max())
        if high == 0:
            return np.full(len(raw), MAX_NODE_SCORE, np.int64)
        return MAX_NODE_SCORE * (high + low - raw) // high
    return raw


def host_counts(table: NodeTable, ctx: PodContext) -> np.ndarray | None:
    """The matching assigned pods per node row for the default spreading selector (None: the plugin skips)."""
    selector = ctx.spread_selector
    if selector is None or selector.empty:
        return None
    rows = [table.index[p["spec"]["nodeName"]] for p in ctx.matching_pods(selector)
            if p["spec"]["nodeName"] in table.index]
    return np.bincount(np.asarray(rows, np.int64), minlength=len(table.names))
