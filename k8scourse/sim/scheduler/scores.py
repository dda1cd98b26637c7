"""The default profile's score plugins, with their weights, as kube-scheduler v1.33 scores nodes.

Called by `Scheduler` for the nodes that passed every filter. Each plugin has a PreScore step (which
may skip the plugin for this pod, as the real PreScore returns Skip), a raw Score per node, and a
NormalizeScore that maps raw scores to 0..100; the weighted sum picks the node. Sources:
pkg/scheduler/framework/plugins/{noderesources,tainttoleration,nodeaffinity,podtopologyspread,
interpodaffinity,imagelocality} and pkg/scheduler/apis/config/v1/default_plugins.go (weights).
InterPodAffinity scores only the incoming pod's preferred terms (existing pods' terms are not counted).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .cache import NodeInfo, normalized_image, pod_requests
from .filters import (
    PodContext,
    affinity_terms,
    matches_required_node_affinity,
    node_affinity,
    term_matches,
    tolerated,
)

Obj = dict[str, Any]
MAX_NODE_SCORE = 100
SKIP = object()  # what a PreScore returns when the plugin has nothing to say about this pod

HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
# podtopologyspread/plugin.go systemDefaultConstraints
SYSTEM_DEFAULT_CONSTRAINTS = ((HOSTNAME, 3), (ZONE, 5))
MB = 1024 * 1024
IMAGE_MIN_THRESHOLD = 23 * MB  # imagelocality.minThreshold
IMAGE_MAX_CONTAINER_THRESHOLD = 1000 * MB  # imagelocality.maxContainerThreshold
RESOURCES = ("cpu", "memory")  # NodeResourcesFitArgs default scoring resources, weight 1 each


def default_normalize(scores: list[int], reverse: bool = False) -> list[int]:
    """helper.DefaultNormalizeScore."""
    top = max(scores, default=0)
    if top == 0:
        return [MAX_NODE_SCORE if reverse else 0 for _ in scores]
    out = [MAX_NODE_SCORE * s // top for s in scores]
    return [MAX_NODE_SCORE - s for s in out] if reverse else out


# --- NodeResourcesFit (LeastAllocated) and NodeResourcesBalancedAllocation ---------------------------
def _fit_prescore(ctx: PodContext, nodes: list[NodeInfo]) -> Any:
    return pod_requests(ctx.pod, non_zero=True)


def _fit_score(ctx: PodContext, state: Any, info: NodeInfo) -> int:
    """leastResourceScorer over NonZeroRequested: ((allocatable - requested) * 100 / allocatable)."""
    total = weights = 0
    for name, requested in (("cpu", info.non_zero_cpu), ("memory", info.non_zero_memory)):
        capacity = info.allocatable.get(name, 0)
        if capacity == 0:
            continue
        requested += state.get(name, 0)
        total += 0 if requested > capacity else (capacity - requested) * MAX_NODE_SCORE // capacity
        weights += 1
    return total // weights if weights else 0


def _balanced_prescore(ctx: PodContext, nodes: list[NodeInfo]) -> Any:
    requests = pod_requests(ctx.pod)
    if all(requests.get(r, 0) == 0 for r in RESOURCES):
        return SKIP  # best-effort pods are not balanced (kubernetes#129138)
    return requests


def _balanced_score(ctx: PodContext, state: Any, info: NodeInfo) -> int:
    """balancedResourceScorer over the actual requests: (1 - std of the cpu/memory fractions) * 100."""
    fractions = []
    for name in RESOURCES:
        capacity = info.allocatable.get(name, 0)
        if capacity == 0:
            continue
        fractions.append(min((info.requested.get(name, 0) + state.get(name, 0)) / capacity, 1.0))
    std = 0.0
    if len(fractions) == 2:
        std = abs((fractions[0] - fractions[1]) / 2)
    return int((1 - std) * MAX_NODE_SCORE)


# --- TaintToleration ----------------------------------------------------------------------------------
def taint_prescore(ctx: PodContext, nodes: list[NodeInfo]) -> Any:
    return [t for t in ctx.tolerations if not t.get("effect") or t.get("effect") == "PreferNoSchedule"]


def taint_score(ctx: PodContext, state: Any, info: NodeInfo) -> int:
    return sum(1 for t in info.taints if t.get("effect") == "PreferNoSchedule" and not tolerated(state, t))


# --- NodeAffinity (preferred terms) -------------------------------------------------------------------
def _affinity_prescore(ctx: PodContext, nodes: list[NodeInfo]) -> Any:
    preferred = node_affinity(ctx.pod).get("preferredDuringSchedulingIgnoredDuringExecution") or []
    return preferred or SKIP


def affinity_score(ctx: PodContext, state: Any, info: NodeInfo) -> int:
    return sum(int(p.get("weight", 0)) for p in state
               if p.get("weight") and term_matches(p.get("preference") or {}, info.name, info.labels))


# --- PodTopologySpread (system default constraints) ---------------------------------------------------
@dataclass
class _SpreadState:
    selector: Any
    weights: list[float]
    zone_counts: Counter
    host_counts: Counter


def _spread_prescore(ctx: PodContext, nodes: list[NodeInfo]) -> Any:
    """initPreScoreState with the system defaults: hostname (maxSkew 3) and zone (maxSkew 5)."""
    selector = getattr(ctx, "spread_selector", None)
    if selector is None or selector.empty or ((ctx.pod.get("spec") or {}).get("topologySpreadConstraints")):
        return SKIP
    zones = {info.labels.get(ZONE, "") for info in nodes}
    weights = [math.log(len(nodes) + 2), math.log(len(zones) + 2)]
    host_counts: Counter = Counter()
    for pod in ctx.matching_pods(selector):
        host_counts[pod["spec"]["nodeName"]] += 1
    zone_counts: Counter = Counter()
    for name, count in host_counts.items():  # per node, not per pod: the node decides the zone
        node = ctx.cache.nodes.get(name)
        if node is not None and node.node is not None and matches_required_node_affinity(ctx.pod, node):
            zone = node.labels.get(ZONE, "")
            if zone in zones:
                zone_counts[zone] += count
    for name in [n for n in host_counts if n not in ctx.cache.nodes]:
        del host_counts[name]
    return _SpreadState(selector, weights, zone_counts, host_counts)


def _spread_score(ctx: PodContext, state: Any, info: NodeInfo) -> int:
    score = 0.0
    for i, (key, max_skew) in enumerate(SYSTEM_DEFAULT_CONSTRAINTS):
        if key not in info.labels:
            continue
        count = state.host_counts[info.name] if key == HOSTNAME else state.zone_counts[info.labels[key]]
        score += count * state.weights[i] + (max_skew - 1)
    return _go_round(score)


def _go_round(value: float) -> int:
    """math.Round: halves away from zero."""
    return int(math.floor(value + 0.5)) if value >= 0 else -int(math.floor(-value + 0.5))


def _spread_normalize(state: Any, scores: list[int]) -> list[int]:
    if not scores:
        return []
    low, high = min(scores), max(scores)
    if high == 0:
        return [MAX_NODE_SCORE for _ in scores]
    return [MAX_NODE_SCORE * (high + low - s) // high for s in scores]


# --- InterPodAffinity (the incoming pod's preferred terms) --------------------------------------------
def _inter_pod_prescore(ctx: PodContext, nodes: list[NodeInfo]) -> Any:
    terms = [(w, t, 1) for w, t in affinity_terms(ctx.pod, "podAffinity", preferred=True)]
    terms += [(w, t, -1) for w, t in affinity_terms(ctx.pod, "podAntiAffinity", preferred=True)]
    if not terms:
        return SKIP
    topology: Counter = Counter()
    for weight, term, sign in terms:
        for pod in ctx._candidates([term]):
            node = ctx.cache.nodes.get(pod["spec"]["nodeName"])
            if node is not None and term.topology_key in node.labels and term.matches(pod, ctx.namespace_labels):
                topology[(term.topology_key, node.labels[term.topology_key])] += sign * weight
    return topology


def _inter_pod_score(ctx: PodContext, state: Any, info: NodeInfo) -> int:
    return sum(state[(k, v)] for k, v in info.labels.items() if (k, v) in state)


def _inter_pod_normalize(state: Any, scores: list[int]) -> list[int]:
    if not scores:
        return []
    low, high = min(scores), max(scores)
    diff = high - low
    return [int(MAX_NODE_SCORE * ((s - low) / diff)) if diff > 0 else 0 for s in scores]


# --- ImageLocality ------------------------------------------------------------------------------------
def _image_prescore(ctx: PodContext, nodes: list[NodeInfo]) -> Any:
    spec = ctx.pod.get("spec") or {}
    containers = list(spec.get("initContainers") or []) + list(spec.get("containers") or [])
    return [normalized_image(c.get("image") or "") for c in containers]


def _image_score(ctx: PodContext, state: Any, info: NodeInfo) -> int:
    total_nodes = max(len(ctx.cache.order), 1)
    sizes = info.image_sizes
    total = 0
    for image in state:
        if image in sizes:
            total += int(sizes[image] * (ctx.cache.image_nodes[image] / total_nodes))
    high = IMAGE_MAX_CONTAINER_THRESHOLD * len(state)
    total = min(max(total, IMAGE_MIN_THRESHOLD), high)
    return MAX_NODE_SCORE * (total - IMAGE_MIN_THRESHOLD) // (high - IMAGE_MIN_THRESHOLD) if high > IMAGE_MIN_THRESHOLD else 0


@dataclass(frozen=True)
class ScorePlugin:
    name: str
    weight: int
    prescore: Callable[[PodContext, list[NodeInfo]], Any]
    score: Callable[[PodContext, Any, NodeInfo], int]
    normalize: Callable[[Any, list[int]], list[int]] | None = None


# In the default profile's order (default_plugins.go), with its weights.
SCORES: tuple[ScorePlugin, ...] = (
    ScorePlugin("TaintToleration", 3, taint_prescore, taint_score, lambda _s, v: default_normalize(v, True)),
    ScorePlugin("NodeAffinity", 2, _affinity_prescore, affinity_score, lambda _s, v: default_normalize(v)),
    ScorePlugin("NodeResourcesFit", 1, _fit_prescore, _fit_score),
    ScorePlugin("PodTopologySpread", 2, _spread_prescore, _spread_score, _spread_normalize),
    ScorePlugin("InterPodAffinity", 2, _inter_pod_prescore, _inter_pod_score, _inter_pod_normalize),
    ScorePlugin("NodeResourcesBalancedAllocation", 1, _balanced_prescore, _balanced_score),
    ScorePlugin("ImageLocality", 1, _image_prescore, _image_score),
)


@dataclass(frozen=True)
class PluginScores:
    """One plugin's scores over the feasible nodes (None when its PreScore skipped it)."""

    plugin: str
    weight: int
    raw: Sequence[int] | None  # a tuple, or a numpy array from the array path (vector.py)
    normalized: Sequence[int] | None


def score_nodes(ctx: PodContext, nodes: list[NodeInfo]) -> list[PluginScores]:
    """RunPreScorePlugins, RunScorePlugins and NormalizeScore for every score plugin."""
    results = []
    for plugin in SCORES:
        state = plugin.prescore(ctx, nodes)
        if state is SKIP:
            results.append(PluginScores(plugin.name, plugin.weight, None, None))
            continue
        raw = [plugin.score(ctx, state, info) for info in nodes]
        normalized = plugin.normalize(state, raw) if plugin.normalize else raw
        results.append(PluginScores(plugin.name, plugin.weight, tuple(raw), tuple(normalized)))
    return results


def totals(scores: list[PluginScores], count: int) -> list[int]:
    out = [0] * count
    for s in scores:
        if s.normalized is not None:
            for i, v in enumerate(s.normalized):
                out[i] += v * s.weight
    return out
