"""DefaultPreemption, the PostFilter that frees a node for a pod no node fits by evicting lower-priority pods.

Called by `Scheduler` after a failed scheduling cycle, as kube-scheduler v1.33 runs
pkg/scheduler/framework/preemption (Evaluator.Preempt) with plugins/defaultpreemption: is the pod
eligible (preemptionPolicy, victims of an earlier preemption still terminating on its nominated node),
which nodes might fit it once lower-priority pods are gone (SelectVictimsOnNode: remove them all, check
the filters, reprieve the most important first while the pod still fits), which candidate is best
(pickOneNodeForPreemption), then the victims get the DisruptionTarget condition, a graceful delete and
a `Preempted` event, and the pod is nominated to the node. It is scheduled for real once the victims
have gone. The API calls are made at once, where v1.33 (SchedulerAsyncPreemption) makes them from a
goroutine a few milliseconds later.
Not modelled: PodDisruptionBudgets (no victim ever violates one), extenders, waiting (Permit) pods, and
the inter-pod affinity PreFilter extensions (a victim's removal does not change affinity counts).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...api.errors import ApiError
from ...api.objects import deep_copy
from ...api.registry import REGISTRY
from ..apiserver import APIServer
from ..events import EventRecorder
from .cache import ClusterCache, NodeInfo, PodKey, PodShare, host_ports, pod_key, pod_requests
from .filters import UNRESOLVABLE, UNSCHEDULABLE, PodContext, Status, run_filters

Obj = dict[str, Any]
PODS = REGISTRY.resolve("pods")

# plugins/defaultpreemption/default_preemption.go and framework/preemption/preemption.go (v1.33)
NO_VICTIMS = "No preemption victims found for incoming pod"  # SelectVictimsOnNode
NOT_HELPFUL = "Preemption is not helpful for scheduling"  # Evaluator.Preempt: absent nodes of the FitError
NEVER_PREEMPT = "not eligible due to preemptionPolicy=Never."  # PodEligibleToPreemptOthers
VICTIMS_TERMINATING = "not eligible due to a terminating pod on the nominated node."  # PodEligibleToPreemptOthers
PREEMPTION_BY_SCHEDULER = "PreemptionByScheduler"  # v1.PodReasonPreemptionByScheduler
MIN_CANDIDATE_NODES_PERCENTAGE = 10  # DefaultPreemptionArgs defaults
MIN_CANDIDATE_NODES_ABSOLUTE = 100
MAX_INT32 = 2**31 - 1
LATER_THAN_ANY = "9999-12-31T23:59:59Z"  # GetPodStartTime of a pod without status.startTime is "now"


def priority(pod: Obj) -> int:
    """corev1helpers.PodPriority: spec.priority, 0 when unset."""
    return int((pod.get("spec") or {}).get("priority") or 0)


def start_time(pod: Obj) -> str:
    """util.GetPodStartTime as a sortable RFC 3339 string (a pod that has not started counts as started now)."""
    return (pod.get("status") or {}).get("startTime") or LATER_THAN_ANY


def importance(pod: Obj) -> tuple[int, str]:
    """A sort key for util.MoreImportantPod: higher priority first, then the one that started earlier."""
    return -priority(pod), start_time(pod)


def terminating_by_preemption(pod: Obj) -> bool:
    """podTerminatingByPreemption: being deleted, with DisruptionTarget=True for PreemptionByScheduler."""
    if not pod["metadata"].get("deletionTimestamp"):
        return False
    for condition in (pod.get("status") or {}).get("conditions") or ():
        if condition.get("type") == "DisruptionTarget":
            return condition.get("status") == "True" and condition.get("reason") == PREEMPTION_BY_SCHEDULER
    return False


def num_candidates(nodes: int) -> int:
    """calculateNumCandidates: 10% of the potential nodes, at least 100, at most all of them."""
    return min(max(nodes * MIN_CANDIDATE_NODES_PERCENTAGE // 100, MIN_CANDIDATE_NODES_ABSOLUTE), nodes)


@dataclass
class Candidate:
    """A node the pod would fit on once `victims` (most important first) are gone."""

    node: str
    victims: list[Obj] = field(default_factory=list)


@dataclass(frozen=True)
class PostFilterResult:
    """What the PostFilter tells the failure handler.

    `reason`: why the pod may not preempt ('' when it may); `statuses`: the dry run's verdict per node when
    no candidate was found (None otherwise); `nominated`: the node to nominate, '' to clear the pod's
    nomination, None to leave it as it is (NominatingInfo's ModeOverride / ModeNoop)."""

    reason: str = ""
    statuses: dict[str, Status] | None = None
    nominated: str | None = None
    victims: tuple[str, ...] = ()


def pick_one_node(candidates: list[Candidate]) -> Candidate:
    """pickOneNodeForPreemption's criteria in order (no PDBs, so the first one never separates nodes)."""
    def highest_priority(c: Candidate) -> int:
        return -priority(c.victims[0])

    def sum_of_priorities(c: Candidate) -> int:
        return -sum(priority(v) + MAX_INT32 + 1 for v in c.victims)

    def fewest_victims(c: Candidate) -> int:
        return -len(c.victims)

    def latest_start(c: Candidate) -> str:
        """util.GetEarliestPodStartTime: the earliest start among the highest-priority victims; later wins."""
        top = max(priority(v) for v in c.victims)
        return min(start_time(v) for v in c.victims if priority(v) == top)

    remaining = candidates
    for score in (highest_priority, sum_of_priorities, fewest_victims, latest_start):
        scored = [(score(c), c) for c in remaining]
        best = max(s for s, _ in scored)
        remaining = [c for s, c in scored if s == best]
        if len(remaining) == 1:
            break
    return remaining[0]


class DefaultPreemption:
    """The PostFilter of one scheduler: dry runs on its cache, then the API calls of the chosen preemption."""

    def __init__(self, api: APIServer, recorder: EventRecorder, cache: ClusterCache, scheduler_name: str):
        self.api = api
        self.recorder = recorder
        self.cache = cache
        self.scheduler_name = scheduler_name
        self.nominated: dict[PodKey, tuple[str, int]] = {}  # the PodNominator: pod -> (node, its priority)

    # --- the nominator ------------------------------------------------------------------------------
    def nominate(self, key: PodKey, node: str | None, pod_priority: int) -> None:
        """AddNominatedPod after a failed cycle: a node sets the nomination, '' clears it, None keeps it."""
        if node:
            self.nominated[key] = (node, pod_priority)
        elif node == "":
            self.nominated.pop(key, None)

    def _nominated_on(self, node: str) -> Iterable[tuple[PodKey, Obj, int]]:
        """The pending pods nominated to `node` (entries of pods bound, gone or renominated are dropped)."""
        for key, (where, prio) in sorted(self.nominated.items()):
            if where != node:
                continue
            pod = self.api.peek(PODS, key[1], key[0])
            if pod is None or (pod.get("spec") or {}).get("nodeName") or \
                    (pod.get("status") or {}).get("nominatedNodeName") != node:
                del self.nominated[key]
                continue
            yield key, pod, prio

    # --- Evaluator.Preempt --------------------------------------------------------------------------
    def post_filter(self, ctx: PodContext, nodes: list[NodeInfo], statuses: dict[str, Status],
                    absent: Status | None) -> PostFilterResult:
        """Try to make room for `ctx.pod`: the PostFilter's verdict, victims already on their way out."""
        key = pod_key(ctx.pod)
        pod = self.api.peek(PODS, key[1], key[0]) or ctx.pod
        reason = self.ineligible(pod, statuses, absent)
        if reason:
            return PostFilterResult(reason=reason)
        potential = [info for info in nodes if (s := statuses.get(info.name, absent)) is not None
                     and s.code == UNSCHEDULABLE]
        candidates, dry_run = self.dry_run(ctx, potential)
        if not candidates:
            return PostFilterResult(statuses=dry_run, nominated="")
        best = pick_one_node(candidates)
        self.prepare(best, pod)
        return PostFilterResult(nominated=best.node, victims=tuple(v["metadata"]["name"] for v in best.victims))

    def ineligible(self, pod: Obj, statuses: dict[str, Status], absent: Status | None) -> str:
        """PodEligibleToPreemptOthers: '' when the pod may preempt, else why not."""
        if (pod.get("spec") or {}).get("preemptionPolicy") == "Never":
            return NEVER_PREEMPT
        nominated = (pod.get("status") or {}).get("nominatedNodeName")
        if not nominated:
            return ""
        status = statuses.get(nominated, absent)
        if status is None or status.code == UNRESOLVABLE:  # NewDefaultNodeToStatus: absent is unresolvable
            return ""
        info = self.cache.nodes.get(nominated)
        mine = priority(pod)
        if info is not None and any(priority(p) < mine and terminating_by_preemption(p) for p in info.pods.values()):
            return VICTIMS_TERMINATING
        return ""

    def dry_run(self, ctx: PodContext, potential: list[NodeInfo]) -> tuple[list[Candidate], dict[str, Status]]:
        """DryRunPreemption: victims per potential node, until enough candidates are found. The random
        offset only matters (and is only drawn) when there are more potential nodes than candidates wanted."""
        wanted = num_candidates(len(potential))
        offset = self.api.rng.randrange(len(potential)) if len(potential) > wanted else 0
        candidates: list[Candidate] = []
        statuses: dict[str, Status] = {}
        for i in range(len(potential)):
            info = potential[(offset + i) % len(potential)]
            victims, status = self.select_victims(ctx, info)
            if status is not None:
                statuses[info.name] = status
                continue
            candidates.append(Candidate(info.name, victims))
            if len(candidates) >= wanted:
                break
        return candidates, statuses

    def select_victims(self, ctx: PodContext, info: NodeInfo) -> tuple[list[Obj], Status | None]:
        """SelectVictimsOnNode: remove every lower-priority pod, check the pod fits, then reprieve as many
        as possible, the most important first. (victims most important first, None) or ([], rejection)."""
        mine = priority(ctx.pod)
        potential = sorted(((k, p) for k, p in info.pods.items() if priority(p) < mine), key=lambda kp: importance(kp[1]))
        if not potential:
            return [], Status(UNRESOLVABLE, (NO_VICTIMS,))
        node = self._snapshot(info, mine, pod_key(ctx.pod))
        for k, p in potential:
            node.add(k, p, self.cache.shares[k], -1)
        rejection, _ = run_filters(ctx, node)
        if rejection is not None:
            return [], rejection
        victims = []
        for k, p in potential:
            node.add(k, p, self.cache.shares[k], +1)
            if run_filters(ctx, node)[0] is not None:
                node.add(k, p, self.cache.shares[k], -1)
                victims.append(p)
        return victims, None

    def _snapshot(self, info: NodeInfo, mine: int, own: PodKey) -> NodeInfo:
        """A copy of the node's info with the pods nominated to it at the pod's priority or higher added, as
        RunFilterPluginsWithNominatedPods sees the node."""
        copy = NodeInfo(info.name)
        copy.set_node(info.node or {})
        for k, p in info.pods.items():
            copy.add(k, p, self.cache.shares[k], +1)
        for k, p, prio in self._nominated_on(info.name):
            if k != own and prio >= mine:
                copy.add(k, p, _share(info.name, p), +1)
        return copy

    # --- prepareCandidate ---------------------------------------------------------------------------
    def prepare(self, candidate: Candidate, pod: Obj) -> None:
        """Evict the victims, then clear the nomination of lower-priority pods nominated to the node."""
        for victim in candidate.victims:
            self.preempt(victim, pod, candidate.node)
        mine = priority(pod)
        for key, nominated, prio in list(self._nominated_on(candidate.node)):
            if prio < mine:
                self._clear_nomination(key, nominated)

    def preempt(self, victim: Obj, pod: Obj, node: str) -> None:
        """Evaluator.PreemptPod: the DisruptionTarget condition, a graceful delete, the Preempted event."""
        meta = victim["metadata"]
        name, namespace = meta["name"], meta.get("namespace", "")
        current = self.api.peek(PODS, name, namespace)
        if current is None:
            return
        scheduler = (pod.get("spec") or {}).get("schedulerName") or self.scheduler_name
        self._add_disruption_target(current, f"{scheduler}: preempting to accommodate a higher priority pod")
        try:
            self.api.delete(PODS, name, namespace)
        except ApiError as exc:
            if exc.code != 404:
                raise
            return
        message = f"Preempted by pod {pod['metadata'].get('uid', '')} on node {node}"
        self.recorder.event(victim, "Normal", "Preempted", message, scheduler)

    def _add_disruption_target(self, pod: Obj, message: str) -> None:
        """apipod.UpdatePodCondition + PatchPodStatus: written only when the condition changes."""
        wanted = {"type": "DisruptionTarget", "status": "True", "reason": PREEMPTION_BY_SCHEDULER, "message": message}
        conditions = list((pod.get("status") or {}).get("conditions") or [])
        existing = next((c for c in conditions if c.get("type") == "DisruptionTarget"), None)
        if existing is not None and all(existing.get(k) == v for k, v in wanted.items()):
            return
        stamp = self.api.clock.timestamp()
        if existing is not None and existing.get("status") == "True":
            stamp = existing.get("lastTransitionTime") or stamp
        condition = dict(wanted, lastProbeTime=None, lastTransitionTime=stamp)
        updated = deep_copy(pod)
        updated["status"]["conditions"] = ([condition if c is existing else c for c in conditions]
                                           if existing is not None else conditions + [condition])
        with contextlib.suppress(ApiError):
            self.api.update(PODS, updated, pod["metadata"].get("namespace"), subresource="status")

    def _clear_nomination(self, key: PodKey, pod: Obj) -> None:
        """util.ClearNominatedNodeName for one pod."""
        self.nominated.pop(key, None)
        updated = deep_copy(pod)
        updated["status"].pop("nominatedNodeName", None)
        with contextlib.suppress(ApiError):
            self.api.update(PODS, updated, key[0], subresource="status")


def _share(node: str, pod: Obj) -> PodShare:
    """What a nominated (not yet assigned) pod would take on `node`."""
    non_zero = pod_requests(pod, non_zero=True)
    return PodShare(node, pod_requests(pod), non_zero.get("cpu", 0), non_zero.get("memory", 0), host_ports(pod))
