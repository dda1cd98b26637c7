"""The default profile's filter plugins, in the order kube-scheduler v1.33 runs them.

Called by `Scheduler` once per (pod, node) in a scheduling cycle, after `PodContext` has done the
PreFilter work once per pod. Each filter returns None when the node passes, or a `Status` whose
reasons are worded exactly as the real plugin words them (pkg/scheduler/framework/plugins/...).
Not modelled: volume plugins (VolumeRestrictions, VolumeBinding, VolumeZone, node volume limits),
explicit topologySpreadConstraints (DoNotSchedule) and DynamicResources.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...api.selectors import SelectorError, selector_from_dict
from .cache import ClusterCache, NodeInfo, counts_on_node, host_ports, pod_requests

Obj = dict[str, Any]

# framework.Code: Unschedulable may be resolved by preemption, UnschedulableAndUnresolvable may not.
UNSCHEDULABLE = "Unschedulable"
UNRESOLVABLE = "UnschedulableAndUnresolvable"

# Reasons (pkg/scheduler/framework/plugins/<plugin>/<plugin>.go, v1.33)
UNSCHEDULABLE_REASON = "node(s) were unschedulable"  # nodeunschedulable.ErrReasonUnschedulable
NODE_NAME_REASON = "node(s) didn't match the requested node name"  # nodename.ErrReason
NODE_AFFINITY_REASON = "node(s) didn't match Pod's node affinity/selector"  # nodeaffinity.ErrReasonPod
AFFINITY_CONFLICT_REASON = "pod affinity terms conflict"  # nodeaffinity.errReasonConflict
NODE_PORTS_REASON = "node(s) didn't have free ports for the requested pod ports"  # nodeports.ErrReason
TOO_MANY_PODS = "Too many pods"  # noderesources/fit.go
AFFINITY_REASON = "node(s) didn't match pod affinity rules"  # interpodaffinity ErrReasonAffinityRulesNotMatch
ANTI_AFFINITY_REASON = "node(s) didn't match pod anti-affinity rules"
EXISTING_ANTI_AFFINITY_REASON = "node(s) didn't satisfy existing pods anti-affinity rules"
UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


@dataclass(frozen=True)
class Status:
    """A rejection: framework.Status with its code and reasons."""

    code: str
    reasons: tuple[str, ...]
    plugin: str = ""


# --- shared matching helpers -------------------------------------------------------------------------
def tolerates(toleration: Obj, taint: Obj) -> bool:
    """v1.Toleration.ToleratesTaint."""
    if toleration.get("effect") and toleration["effect"] != taint.get("effect"):
        return False
    if toleration.get("key") and toleration["key"] != taint.get("key"):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Exists":
        return True
    return operator == "Equal" and (toleration.get("value") or "") == (taint.get("value") or "")


def tolerated(tolerations: list[Obj], taint: Obj) -> bool:
    return any(tolerates(t, taint) for t in tolerations)


def _int64(text: Any) -> int | None:
    try:
        return int(str(text))
    except ValueError:
        return None


def _expression_matches(expr: Obj, value: str | None) -> bool:
    """nodeaffinity: one NodeSelectorRequirement against a label (or field) value (None: absent)."""
    op, values = expr.get("operator"), expr.get("values") or []
    if op == "In":
        return value is not None and value in values
    if op == "NotIn":
        return value is None or value not in values
    if op == "Exists":
        return value is not None
    if op == "DoesNotExist":
        return value is None
    if op in ("Gt", "Lt") and value is not None and len(values) == 1:
        have, want = _int64(value), _int64(values[0])
        if have is None or want is None:
            return False
        return have > want if op == "Gt" else have < want
    return False


def term_matches(term: Obj, node_name: str, labels: dict[str, str]) -> bool:
    """A NodeSelectorTerm: expressions and fields ANDed; a term with neither matches nothing."""
    expressions, fields = term.get("matchExpressions") or [], term.get("matchFields") or []
    if not expressions and not fields:
        return False
    if not all(_expression_matches(e, labels.get(e.get("key", ""))) for e in expressions):
        return False
    return all(_expression_matches(f, node_name if f.get("key") == "metadata.name" else None) for f in fields)


def node_affinity(pod: Obj) -> Obj:
    return ((pod.get("spec") or {}).get("affinity") or {}).get("nodeAffinity") or {}


def matches_required_node_affinity(pod: Obj, info: NodeInfo) -> bool:
    """nodeaffinity.GetRequiredNodeAffinity(pod).Match(node): nodeSelector AND required terms (ORed)."""
    labels = info.labels
    for k, v in ((pod.get("spec") or {}).get("nodeSelector") or {}).items():
        if labels.get(k) != v:
            return False
    required = node_affinity(pod).get("requiredDuringSchedulingIgnoredDuringExecution")
    if required is None:
        return True
    return any(term_matches(t, info.name, labels) for t in required.get("nodeSelectorTerms") or [])


@dataclass(frozen=True)
class AffinityTerm:
    """framework.AffinityTerm: which pods (namespaces and labels) a pod (anti-)affinity term selects."""

    namespaces: frozenset[str]
    namespace_selector: Any
    selector: Any
    topology_key: str

    def matches(self, pod: Obj, namespace_labels: Callable[[str], dict[str, str]]) -> bool:
        ns = pod["metadata"].get("namespace", "")
        if ns not in self.namespaces and not self.namespace_selector.matches(namespace_labels(ns)):
            return False
        return self.selector.matches(pod["metadata"].get("labels") or {})


def affinity_terms(pod: Obj, kind: str, preferred: bool = False) -> list[tuple[int, AffinityTerm]]:
    """(weight, term) for the pod's required (weight 1) or preferred terms of podAffinity/podAntiAffinity."""
    section = ((pod.get("spec") or {}).get("affinity") or {}).get(kind) or {}
    terms = []
    key = "preferredDuringSchedulingIgnoredDuringExecution" if preferred else "requiredDuringSchedulingIgnoredDuringExecution"
    for raw in section.get(key) or []:
        weight, term = (raw.get("weight", 0), raw.get("podAffinityTerm") or {}) if preferred else (1, raw)
        try:
            selector = selector_from_dict(term.get("labelSelector"))
            ns_selector = selector_from_dict(term.get("namespaceSelector"))
        except SelectorError:
            continue
        names = term.get("namespaces") or []
        if not names and term.get("namespaceSelector") is None:
            names = [pod["metadata"].get("namespace", "")]
        terms.append((weight, AffinityTerm(frozenset(names), ns_selector, selector, term.get("topologyKey", ""))))
    return terms


# --- the pod's PreFilter state ----------------------------------------------------------------------
class PodContext:
    """What the PreFilter plugins compute once per pod and scheduling cycle."""

    def __init__(self, pod: Obj, cache: ClusterCache, namespace_labels: Callable[[str], dict[str, str]],
                 pods_with_label: Callable[[str, str], list[Obj]]):
        self.pod = pod
        self.cache = cache
        self.namespace_labels = namespace_labels
        self.pods_with_label = pods_with_label
        spec = pod.get("spec") or {}
        self.namespace = pod["metadata"].get("namespace", "")
        self.requests = pod_requests(pod)
        self.ports = host_ports(pod)
        self.tolerations = spec.get("tolerations") or []
        self.has_node_affinity = bool(spec.get("nodeSelector") is not None
                                      or node_affinity(pod).get("requiredDuringSchedulingIgnoredDuringExecution"))
        self.affinity = [t for _, t in affinity_terms(pod, "podAffinity")]
        self.anti_affinity = [t for _, t in affinity_terms(pod, "podAntiAffinity")]
        self._affinity_state: tuple[Counter, Counter, Counter] | None = None
        self.spread_selector: Any = None  # the default spreading selector (Services, owning controller)
        self.skipped: frozenset[str] | None = None  # filters whose PreFilter skips this pod

    def matching_pods(self, selector: Any) -> list[Obj]:
        """countPodsMatchSelector's pods: assigned, not terminating, in the pod's namespace, matching."""
        pinned = next(iter(selector.equalities), None)
        pool = (self.pods_with_label(*pinned) if pinned is not None
                else [p for info in self.cache.nodes.values() for p in info.pods.values()])
        return [p for p in pool if counts_on_node(p) and p["metadata"].get("namespace", "") == self.namespace
                and not p["metadata"].get("deletionTimestamp") and selector.matches(p["metadata"].get("labels"))]

    # NodeAffinity PreFilter: required matchFields on metadata.name narrow the nodes to look at
    def node_names(self) -> tuple[set[str] | None, Status | None]:
        required = node_affinity(self.pod).get("requiredDuringSchedulingIgnoredDuringExecution") or {}
        terms = required.get("nodeSelectorTerms") or []
        if not terms:
            return None, None
        names: set[str] = set()
        for term in terms:
            term_names: set[str] | None = None
            for f in term.get("matchFields") or []:
                if f.get("key") == "metadata.name" and f.get("operator") == "In":
                    values = set(f.get("values") or [])
                    term_names = values if term_names is None else term_names & values
            if term_names is None:
                return None, None
            names |= term_names
        if not names:
            return None, Status(UNRESOLVABLE, (AFFINITY_CONFLICT_REASON,), "NodeAffinity")
        return names, None

    # InterPodAffinity PreFilter: counts per topology pair
    def affinity_state(self) -> tuple[Counter, Counter, Counter]:
        if self._affinity_state is None:
            self._affinity_state = (self._affinity_counts(), self._anti_affinity_counts(),
                                    self._existing_anti_affinity_counts())
        return self._affinity_state

    def _candidates(self, terms: list[AffinityTerm]) -> list[Obj]:
        """Assigned pods that might match `terms` (through the label index when a term pins a label)."""
        found: dict[tuple[str, str], Obj] = {}
        for term in terms:
            pinned = next(iter(term.selector.equalities), None)
            if pinned is None:
                return [p for info in self.cache.nodes.values() for p in info.pods.values()]
            for p in self.pods_with_label(*pinned):
                if counts_on_node(p):
                    found[(p["metadata"].get("namespace", ""), p["metadata"]["name"])] = p
        return list(found.values())

    def _pair(self, pod: Obj, key: str) -> tuple[str, str] | None:
        info = self.cache.nodes.get(pod["spec"]["nodeName"])
        labels = info.labels if info is not None else {}
        return (key, labels[key]) if key in labels else None

    def _affinity_counts(self) -> Counter:
        counts: Counter = Counter()
        if not self.affinity:
            return counts
        for p in self._candidates(self.affinity):
            if all(t.matches(p, self.namespace_labels) for t in self.affinity):
                for t in self.affinity:
                    pair = self._pair(p, t.topology_key)
                    if pair is not None:
                        counts[pair] += 1
        return counts

    def _anti_affinity_counts(self) -> Counter:
        counts: Counter = Counter()
        for p in self._candidates(self.anti_affinity) if self.anti_affinity else ():
            for t in self.anti_affinity:
                if t.matches(p, self.namespace_labels) and (pair := self._pair(p, t.topology_key)) is not None:
                    counts[pair] += 1
        return counts

    def _existing_anti_affinity_counts(self) -> Counter:
        counts: Counter = Counter()
        for p in self.cache.with_anti_affinity.values():
            for _, t in affinity_terms(p, "podAntiAffinity"):
                if t.matches(self.pod, self.namespace_labels) and (pair := self._pair(p, t.topology_key)):
                    counts[pair] += 1
        return counts


# --- filters -----------------------------------------------------------------------------------------
def node_unschedulable(ctx: PodContext, info: NodeInfo) -> Status | None:
    if info.unschedulable and not tolerated(ctx.tolerations, UNSCHEDULABLE_TAINT):
        return Status(UNRESOLVABLE, (UNSCHEDULABLE_REASON,))
    return None


def node_name(ctx: PodContext, info: NodeInfo) -> Status | None:
    wanted = (ctx.pod.get("spec") or {}).get("nodeName")
    if wanted and wanted != info.name:
        return Status(UNRESOLVABLE, (NODE_NAME_REASON,))
    return None


def taint_toleration(ctx: PodContext, info: NodeInfo) -> Status | None:
    for taint in info.taints:
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not tolerated(ctx.tolerations, taint):
            reason = f"node(s) had untolerated taint {{{taint.get('key', '')}: {taint.get('value', '')}}}"
            return Status(UNRESOLVABLE, (reason,))
    return None


def node_affinity_filter(ctx: PodContext, info: NodeInfo) -> Status | None:
    if ctx.has_node_affinity and not matches_required_node_affinity(ctx.pod, info):
        return Status(UNRESOLVABLE, (NODE_AFFINITY_REASON,))
    return None


def node_ports(ctx: PodContext, info: NodeInfo) -> Status | None:
    if any(info.port_conflict(p) for p in ctx.ports):
        return Status(UNSCHEDULABLE, (NODE_PORTS_REASON,))
    return None


def node_resources_fit(ctx: PodContext, info: NodeInfo) -> Status | None:
    """fitsRequest: pod count, then cpu, memory, ephemeral-storage and scalar resources."""
    reasons = []
    if info.pod_count + 1 > info.allocatable.get("pods", 0):
        reasons.append(TOO_MANY_PODS)
    for name in ("cpu", "memory", "ephemeral-storage", *sorted(set(ctx.requests) - {"cpu", "memory", "ephemeral-storage"})):
        wanted = ctx.requests.get(name, 0)
        if wanted > 0 and wanted > info.allocatable.get(name, 0) - info.requested.get(name, 0):
            reasons.append(f"Insufficient {name}")
    return Status(UNSCHEDULABLE, tuple(reasons)) if reasons else None


def inter_pod_affinity(ctx: PodContext, info: NodeInfo) -> Status | None:
    if not ctx.affinity and not ctx.anti_affinity and not ctx.cache.with_anti_affinity:
        return None
    affinity, anti, existing = ctx.affinity_state()
    labels = info.labels
    if not _satisfies_affinity(ctx, affinity, labels):
        return Status(UNRESOLVABLE, (AFFINITY_REASON,))
    for t in ctx.anti_affinity:
        if t.topology_key in labels and anti[(t.topology_key, labels[t.topology_key])] > 0:
            return Status(UNSCHEDULABLE, (ANTI_AFFINITY_REASON,))
    if existing and any(existing[(k, v)] > 0 for k, v in labels.items()):
        return Status(UNSCHEDULABLE, (EXISTING_ANTI_AFFINITY_REASON,))
    return None


def _satisfies_affinity(ctx: PodContext, counts: Counter, labels: dict[str, str]) -> bool:
    """satisfyPodAffinity, with its exception for the first pod of a group that selects itself."""
    pods_exist = True
    for t in ctx.affinity:
        if t.topology_key not in labels:
            return False
        if counts[(t.topology_key, labels[t.topology_key])] <= 0:
            pods_exist = False
    if pods_exist:
        return True
    return not counts and all(t.matches(ctx.pod, ctx.namespace_labels) for t in ctx.affinity)


Filter = Callable[[PodContext, NodeInfo], Status | None]
FILTERS: tuple[tuple[str, Filter], ...] = (
    ("NodeUnschedulable", node_unschedulable),
    ("NodeName", node_name),
    ("TaintToleration", taint_toleration),
    ("NodeAffinity", node_affinity_filter),
    ("NodePorts", node_ports),
    ("NodeResourcesFit", node_resources_fit),
    ("InterPodAffinity", inter_pod_affinity),
)


def _skipped(ctx: PodContext) -> frozenset[str]:
    """The filters whose PreFilter returns Skip for this pod (they pass every node)."""
    skip = set()
    if not (ctx.pod.get("spec") or {}).get("nodeName"):
        skip.add("NodeName")
    if not ctx.has_node_affinity:
        skip.add("NodeAffinity")
    if not ctx.ports:
        skip.add("NodePorts")
    if not ctx.affinity and not ctx.anti_affinity and not ctx.cache.with_anti_affinity:
        skip.add("InterPodAffinity")
    return frozenset(skip)


def run_filters(ctx: PodContext, info: NodeInfo) -> tuple[Status | None, list[tuple[str, Status | None]]]:
    """Every filter in order until one rejects the node (as RunFilterPlugins): (rejection, per-plugin results)."""
    if ctx.skipped is None:
        ctx.skipped = _skipped(ctx)
    results: list[tuple[str, Status | None]] = []
    for name, fn in FILTERS:
        status = None if name in ctx.skipped else fn(ctx, info)
        results.append((name, status))
        if status is not None:
            return Status(status.code, status.reasons, name), results
    return None, results
