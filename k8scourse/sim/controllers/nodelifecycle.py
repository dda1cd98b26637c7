"""The node lifecycle controller and the taint eviction controller, after kube-controller-manager v1.33.

Created by `SimulatedCluster`. The node lifecycle controller (pkg/controller/nodelifecycle) checks every
5 seconds that each node's kubelet still renews its Lease in kube-node-lease; after the 50-second
node-monitor-grace-period without a renewal it sets the node's conditions to Unknown
(`NodeStatusUnknown`, `Kubelet stopped posting node status.`), records NodeNotReady, marks the node's
pods not Ready, taints the node `node.kubernetes.io/unreachable` (NoSchedule at once, NoExecute through
a rate-limited queue, 0.1 nodes per second per zone) and removes the taints when the kubelet reports
Ready again. When every node of every zone is down it stops tainting (master disruption mode).

The taint eviction controller (pkg/controller/tainteviction) deletes pods on nodes with NoExecute taints
they do not tolerate, at once, or after the tolerationSeconds of the toleration they have (300 s by
default, from the DefaultTolerationSeconds admission). With no kubelet to confirm, an evicted pod stays
Terminating until its node comes back; its controller creates a replacement elsewhere meanwhile.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from ...api.errors import ApiError
from ...api.objects import deep_copy
from ...api.registry import REGISTRY
from ..apiserver import APIServer
from ..clock import Timer
from ..events import EventRecorder
from ..store import WatchEvent
from .base import Controller

Obj = dict[str, Any]
NODES = REGISTRY.resolve("nodes")
PODS = REGISTRY.resolve("pods")
LEASES = REGISTRY.resolve("leases")
LEASE_NAMESPACE = "kube-node-lease"
COMPONENT = "node-controller"
TAINT_EVICTION_COMPONENT = "taint-eviction-controller"

NODE_MONITOR_PERIOD = 5.0  # --node-monitor-period
NODE_MONITOR_GRACE_PERIOD = 50.0  # --node-monitor-grace-period (50s since v1.32)
NODE_STARTUP_GRACE_PERIOD = 60.0  # --node-startup-grace-period
EVICTION_QPS = 0.1  # --node-eviction-rate
SECONDARY_EVICTION_QPS = 0.01  # --secondary-node-eviction-rate
LARGE_CLUSTER_THRESHOLD = 50  # --large-cluster-size-threshold
UNHEALTHY_ZONE_THRESHOLD = 0.55  # --unhealthy-zone-threshold
EVICTION_BURST = 1  # scheduler.EvictionRateLimiterBurst

UNREACHABLE = "node.kubernetes.io/unreachable"
NOT_READY = "node.kubernetes.io/not-ready"
# nodeConditionToTaintKeyStatusMap: which condition status earns which NoSchedule taint.
CONDITION_TAINTS = {
    ("Ready", "False"): NOT_READY,
    ("Ready", "Unknown"): UNREACHABLE,
    ("MemoryPressure", "True"): "node.kubernetes.io/memory-pressure",
    ("DiskPressure", "True"): "node.kubernetes.io/disk-pressure",
    ("NetworkUnavailable", "True"): "node.kubernetes.io/network-unavailable",
    ("PIDPressure", "True"): "node.kubernetes.io/pid-pressure",
}
CONDITION_TAINT_KEYS = set(CONDITION_TAINTS.values())
UNKNOWN_CONDITIONS = ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")
EXCLUDE_DISRUPTION = "node.kubernetes.io/exclude-disruption"


def ready_condition(node: Obj) -> Obj | None:
    return next((c for c in (node.get("status") or {}).get("conditions") or [] if c.get("type") == "Ready"), None)


def zone_key(node: Obj) -> str:
    """nodetopology.GetZoneKey: region and zone labels, "" when neither is set."""
    labels = node["metadata"].get("labels") or {}
    region = labels.get("topology.kubernetes.io/region") or labels.get("failure-domain.beta.kubernetes.io/region", "")
    zone = labels.get("topology.kubernetes.io/zone") or labels.get("failure-domain.beta.kubernetes.io/zone", "")
    if not region and not zone:
        return ""
    return f"{region}:\x00:{zone}"


def has_taint(node: Obj, key: str, effect: str) -> bool:
    return any(t.get("key") == key and t.get("effect") == effect for t in (node.get("spec") or {}).get("taints") or [])


@dataclass
class NodeHealth:
    """What the controller last saw of a node: when it last heard from it, and the Ready condition then."""

    probe_time: float
    ready_transition_time: float
    ready: Obj | None
    lease_renew_time: str | None = None


@dataclass
class TokenBucket:
    """flowcontrol.NewTokenBucketRateLimiter on the virtual clock (a qps of 0 never accepts)."""

    qps: float
    tokens: float = float(EVICTION_BURST)
    last: float = 0.0

    def try_accept(self, now: float) -> bool:
        if self.qps <= 0:
            return False
        self.tokens = min(float(EVICTION_BURST), self.tokens + (now - self.last) * self.qps)
        self.last = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def next_token_at(self, now: float) -> float | None:
        return None if self.qps <= 0 else now + max(0.0, (1.0 - self.tokens) / self.qps)


@dataclass
class Zone:
    state: str = "Initial"
    limiter: TokenBucket = field(default_factory=lambda: TokenBucket(EVICTION_QPS))
    queue: dict[str, str] = field(default_factory=dict)  # node name -> uid, in arrival order
    done: set[str] = field(default_factory=set)  # tainted, kept so they are not queued again (UniqueQueue's set)
    retry: Timer | None = None


class NodeLifecycleController(Controller):
    """Node health from Lease renewals, NotReady pods, unreachable/not-ready taints."""

    name = "node-lifecycle-controller"
    resources = (NODES.group_resource,)

    def __init__(self, api: APIServer, recorder: EventRecorder):
        super().__init__(api, recorder)
        self.health: dict[str, NodeHealth] = {}
        self.known: dict[str, str] = {}  # node name -> uid
        self.zones: dict[str, Zone] = {}
        api.clock.every(NODE_MONITOR_PERIOD, self.monitor, label="node lifecycle monitor")

    # --- NoSchedule taints follow the node's conditions at once (doNoScheduleTaintingPass) -------------
    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        if event.type == "DELETED":
            return []
        node = event.object
        ready = ready_condition(node)
        if ready is not None and ready.get("status") == "True" and (
                has_taint(node, UNREACHABLE, "NoExecute") or has_taint(node, NOT_READY, "NoExecute")):
            self.hold_until_next_pass("node lifecycle: taints of a recovered node")
        return [node["metadata"]["name"]]

    def sync(self, key: Hashable) -> None:
        node = self.api.peek(NODES, str(key))
        if node is None:
            return
        wanted = {(CONDITION_TAINTS[(c.get("type"), c.get("status"))], "NoSchedule")
                  for c in (node.get("status") or {}).get("conditions") or []
                  if (c.get("type"), c.get("status")) in CONDITION_TAINTS}
        if (node.get("spec") or {}).get("unschedulable"):
            wanted.add(("node.kubernetes.io/unschedulable", "NoSchedule"))
        have = {(t.get("key"), t.get("effect")) for t in (node.get("spec") or {}).get("taints") or []
                if t.get("effect") == "NoSchedule"
                and (t.get("key") in CONDITION_TAINT_KEYS or t.get("key") == "node.kubernetes.io/unschedulable")}
        if wanted != have:
            self._swap_taints(node, sorted(wanted - have), sorted(have - wanted))

    # --- the monitor pass (monitorNodeHealth) ----------------------------------------------------------
    def next_pass_time(self, after: float) -> float:
        """The first monitor pass strictly after `after` (passes run every 5 s from the start)."""
        return (math.floor(after / NODE_MONITOR_PERIOD) + 1) * NODE_MONITOR_PERIOD

    def hold_until_next_pass(self, label: str, after: float | None = None) -> None:
        """Keep `settle()` running until the monitor pass that will act on a change has run."""
        when = self.next_pass_time(self.api.clock.now if after is None else after)
        self.api.clock.call_at(when, lambda: None, label=label)

    def expect_silence(self, node_name: str) -> None:
        """A kubelet just stopped: keep `settle()` running until the controller notices it."""
        health = self.health.get(node_name)
        last = health.probe_time if health is not None else self.api.clock.now
        self.hold_until_next_pass(f"node lifecycle: {node_name} stops reporting", last + NODE_MONITOR_GRACE_PERIOD)

    def monitor(self) -> None:
        nodes = sorted(self.api.store.list(NODES.group_resource), key=lambda n: n["metadata"]["name"])
        self._classify(nodes)
        by_zone: dict[str, list[Obj | None]] = {}
        for stored in nodes:
            node = deep_copy(stored)
            observed, current = self._update_health(node)
            if EXCLUDE_DISRUPTION not in (node["metadata"].get("labels") or {}):
                by_zone.setdefault(zone_key(node), []).append(current)
            if current is None:
                continue
            self._taint_based_eviction(node, observed)
            if current.get("status") != "True" and observed.get("status") == "True":
                name = node["metadata"]["name"]
                self._node_event(node, "NodeNotReady", f"Node {name} status is now: NodeNotReady", status_change=True)
                self._mark_pods_not_ready(name)
                self.hold_until_next_pass(f"node lifecycle: taint {name}")
        self._handle_disruption(by_zone, nodes)

    def _classify(self, nodes: list[Obj]) -> None:
        present = {n["metadata"]["name"]: n for n in nodes}
        for name, node in present.items():
            if name not in self.known:
                uid = node["metadata"].get("uid", "")
                self._node_event(node, "RegisteredNode", f"Node {name} event: Registered Node {name} in Controller")
                self.known[name] = uid
                self.zones.setdefault(zone_key(node), Zone())
                self._mark_reachable(node)
        for name in sorted(set(self.known) - set(present)):
            ghost = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "uid": self.known.pop(name)}}
            self._node_event(ghost, "RemovingNode", f"Node {name} event: Removing Node {name} from Controller")
            self.health.pop(name, None)

    def _update_health(self, node: Obj) -> tuple[Obj, Obj | None]:
        """tryUpdateNodeHealth: (the Ready condition as observed, the Ready condition after the update)."""
        name = node["metadata"]["name"]
        now = self.api.clock.now
        current = ready_condition(node)
        saved = self.health.get(name)
        if current is None:
            created = self.api.clock.parse(node["metadata"]["creationTimestamp"])
            observed: Obj = {"type": "Ready", "status": "Unknown"}
            grace = NODE_STARTUP_GRACE_PERIOD
            if saved is None:
                saved = self.health[name] = NodeHealth(created, created, None)
        else:
            observed = dict(current)
            grace = NODE_MONITOR_GRACE_PERIOD
        if saved is None or (saved.ready is None and current is not None) or (saved.ready is not None and current is None):
            saved = self.health[name] = NodeHealth(now, now, deep_copy(current), saved.lease_renew_time if saved else None)
        elif current is not None and saved.ready.get("lastHeartbeatTime") != current.get("lastHeartbeatTime"):
            moved = saved.ready.get("lastTransitionTime") != current.get("lastTransitionTime")
            saved = self.health[name] = NodeHealth(now, now if moved else saved.ready_transition_time,
                                                   deep_copy(current), saved.lease_renew_time)
        lease = self.api.peek(LEASES, name, LEASE_NAMESPACE)
        renewed = (lease or {}).get("spec", {}).get("renewTime")
        if lease is not None and renewed and (saved.lease_renew_time is None or saved.lease_renew_time < renewed):
            saved.lease_renew_time = renewed
            saved.probe_time = now
        if now <= saved.probe_time + grace:
            return observed, current
        self._conditions_unknown(node)
        current = ready_condition(node)
        if current != observed:
            try:
                self.api.update(NODES, node, subresource="status")
            except ApiError:
                return observed, current
            saved.ready = deep_copy(current)
            saved.ready_transition_time = now
        return observed, current

    def _conditions_unknown(self, node: Obj) -> None:
        stamp = self.api.clock.timestamp()
        conditions = node.setdefault("status", {}).setdefault("conditions", [])
        for type_ in UNKNOWN_CONDITIONS:
            condition = next((c for c in conditions if c.get("type") == type_), None)
            if condition is None:
                conditions.append({"type": type_, "status": "Unknown", "reason": "NodeStatusNeverUpdated",
                                   "message": "Kubelet never posted node status.",
                                   "lastHeartbeatTime": node["metadata"]["creationTimestamp"],
                                   "lastTransitionTime": stamp})
            elif condition.get("status") != "Unknown":
                condition.update(status="Unknown", reason="NodeStatusUnknown",
                                 message="Kubelet stopped posting node status.", lastTransitionTime=stamp)

    def _mark_pods_not_ready(self, node_name: str) -> None:
        """MarkPodsNotReady: every pod of the node gets Ready=False and a NodeNotReady event."""
        for stored in sorted(self.api.store.pods_on_node(node_name), key=lambda p: (p["metadata"]["namespace"],
                                                                                  p["metadata"]["name"])):
            pod = deep_copy(stored)
            ready = next((c for c in (pod.get("status") or {}).get("conditions") or [] if c.get("type") == "Ready"),
                         None)
            if ready is None or ready.get("status") == "False":
                continue
            ready["status"] = "False"
            ready["lastTransitionTime"] = self.api.clock.timestamp()
            try:
                updated = self.api.update(PODS, pod, pod["metadata"]["namespace"], subresource="status")
            except ApiError:
                continue
            self.recorder.event(updated, "Warning", "NodeNotReady", "Node is not ready", COMPONENT)

    # --- NoExecute taints (processTaintBaseEviction, doNoExecuteTaintingPass) --------------------------
    def _taint_based_eviction(self, node: Obj, observed: Obj) -> None:
        status = observed.get("status")
        if status == "False":
            self._toward(node, NOT_READY, UNREACHABLE)
        elif status == "Unknown":
            self._toward(node, UNREACHABLE, NOT_READY)
        elif status == "True":
            self._mark_reachable(node)

    def _toward(self, node: Obj, wanted: str, opposite: str) -> None:
        if has_taint(node, opposite, "NoExecute"):
            self._swap_taints(node, [(wanted, "NoExecute")], [(opposite, "NoExecute")])
            return
        zone = self.zones.setdefault(zone_key(node), Zone())
        name = node["metadata"]["name"]
        if not has_taint(node, wanted, "NoExecute"):
            zone.queue.pop(name, None)
            zone.done.discard(name)
        if name not in zone.queue and name not in zone.done:
            zone.queue[name] = node["metadata"].get("uid", "")
            self._drain(zone_key(node))

    def _drain(self, key: str) -> None:
        """RateLimitedTimedQueue.Try: taint queued nodes while the zone's limiter lets us."""
        zone = self.zones[key]
        now = self.api.clock.now
        for name in list(zone.queue):
            if not zone.limiter.try_accept(now):
                self._retry_later(key)
                return
            node = self.api.peek(NODES, name)
            zone.queue.pop(name, None)
            if node is not None and self._taint_no_execute(node):
                zone.done.add(name)

    def _retry_later(self, key: str) -> None:
        zone = self.zones[key]
        when = zone.limiter.next_token_at(self.api.clock.now)
        if when is None or (zone.retry is not None and not zone.retry.cancelled):
            return

        def retry() -> None:
            zone.retry = None
            self._drain(key)

        zone.retry = self.api.clock.call_at(when, retry, label="node lifecycle: rate-limited tainting")

    def _taint_no_execute(self, node: Obj) -> bool:
        ready = ready_condition(node)
        if ready is None:
            return False
        if ready.get("status") == "False":
            wanted, opposite = NOT_READY, UNREACHABLE
        elif ready.get("status") == "Unknown":
            wanted, opposite = UNREACHABLE, NOT_READY
        else:
            return True  # ready again: nothing to taint
        return self._swap_taints(node, [(wanted, "NoExecute")], [(opposite, "NoExecute")])

    def _mark_reachable(self, node: Obj) -> bool:
        """markNodeAsReachable: drop the NoExecute unreachable/not-ready taints and any queued tainting."""
        current = self.api.peek(NODES, node["metadata"]["name"]) or node
        removals = [(k, "NoExecute") for k in (UNREACHABLE, NOT_READY) if has_taint(current, k, "NoExecute")]
        if removals:
            self._swap_taints(current, [], removals)
        zone = self.zones.get(zone_key(node))
        if zone is None:
            return False
        zone.done.discard(node["metadata"]["name"])
        return zone.queue.pop(node["metadata"]["name"], None) is not None

    def _swap_taints(self, node: Obj, add: list[tuple[str, str]], remove: list[tuple[str, str]]) -> bool:
        """SwapNodeControllerTaint: add taints stamped with timeAdded, remove others, in one update."""
        current = self.api.peek(NODES, node["metadata"]["name"])
        if current is None:
            return False
        updated = deep_copy(current)
        taints = [t for t in (updated.get("spec") or {}).get("taints") or []
                  if (t.get("key"), t.get("effect")) not in set(remove)]
        stamp = self.api.clock.timestamp()
        for key, effect in add:
            taints = [t for t in taints if (t.get("key"), t.get("effect")) != (key, effect)]
            taints.append({"key": key, "effect": effect, "timeAdded": stamp})
        spec = updated.setdefault("spec", {})
        if taints:
            spec["taints"] = taints
        else:
            spec.pop("taints", None)
        try:
            self.api.update(NODES, updated)
        except ApiError:
            return False
        return True

    # --- zones (handleDisruption) ----------------------------------------------------------------------
    def _handle_disruption(self, by_zone: dict[str, list[Obj | None]], nodes: list[Obj]) -> None:
        states = {key: self._zone_state(conditions) for key, conditions in by_zone.items()}
        all_down = all(s == "FullDisruption" for s in states.values())
        for key in list(self.zones):
            if key not in by_zone:
                del self.zones[key]
        all_were_down = all(z.state == "FullDisruption" for z in self.zones.values())
        if all_down and all_were_down:
            return
        if all_down:
            for node in nodes:
                self._mark_reachable(node)
            for zone in self.zones.values():
                zone.limiter = TokenBucket(0.0)
                zone.state = "FullDisruption"
            return
        if all_were_down:
            now = self.api.clock.now
            for health in self.health.values():
                health.probe_time = health.ready_transition_time = now
            for key in self.zones:
                self._set_limiter(key, len(by_zone[key]), states[key])
            return
        for key, zone in self.zones.items():
            if zone.state != states[key]:
                self._set_limiter(key, len(by_zone[key]), states[key])

    def _set_limiter(self, key: str, size: int, state: str) -> None:
        zone = self.zones[key]
        zone.state = state
        if state == "PartialDisruption":
            qps = SECONDARY_EVICTION_QPS if size > LARGE_CLUSTER_THRESHOLD else 0.0
        else:
            qps = EVICTION_QPS
        zone.limiter = TokenBucket(qps, last=self.api.clock.now)
        if zone.queue:
            self._drain(key)

    @staticmethod
    def _zone_state(conditions: list[Obj | None]) -> str:
        """ComputeZoneState."""
        ready = sum(1 for c in conditions if c is not None and c.get("status") == "True")
        not_ready = len(conditions) - ready
        if ready == 0 and not_ready > 0:
            return "FullDisruption"
        if not_ready > 2 and not_ready / (not_ready + ready) >= UNHEALTHY_ZONE_THRESHOLD:
            return "PartialDisruption"
        return "Normal"

    def _node_event(self, node: Obj, reason: str, message: str, status_change: bool = False) -> None:
        """RecordNodeEvent / RecordNodeStatusChange: Normal events about the node, in `default`."""
        ref = {"apiVersion": "v1", "kind": "Node",
               "metadata": {"name": node["metadata"]["name"], "uid": node["metadata"].get("uid", "")}}
        self.recorder.event(ref, "Normal", reason, message, COMPONENT)


@dataclass
class Eviction:
    created_at: float
    timer: Timer | None  # None once the pod was deleted (kept so it is not deleted twice)


class TaintEvictionController(Controller):
    """Deletes pods from nodes with NoExecute taints they do not tolerate (for long enough)."""

    name = "taint-eviction-controller"
    resources = (NODES.group_resource, PODS.group_resource)

    def __init__(self, api: APIServer, recorder: EventRecorder):
        super().__init__(api, recorder)
        self.tainted: dict[str, list[Obj]] = {}  # node -> its NoExecute taints, as last seen
        self.evictions: dict[tuple[str, str], Eviction] = {}

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        obj = event.object
        if event.resource == NODES.group_resource:
            name = obj["metadata"]["name"]
            taints = [] if event.type == "DELETED" else _no_execute(obj)
            if taints == self.tainted.get(name, []) and event.type != "DELETED":
                return []
            return [("node", name)]
        key = (obj["metadata"]["namespace"], obj["metadata"]["name"])
        if event.type == "DELETED":
            return [("gone", key)]
        node = (obj.get("spec") or {}).get("nodeName")
        if node and node in self.tainted and key not in self.evictions:
            return [("pod", key)]
        return []

    def sync(self, key: Hashable) -> None:
        kind, what = key  # type: ignore[misc]
        if kind == "node":
            self._node_changed(what)
        elif kind == "gone":
            self._cancel(what, with_event=True)
        else:
            pod = self.api.peek(PODS, what[1], what[0])
            node = (pod or {}).get("spec", {}).get("nodeName")
            if pod is not None and node in self.tainted:
                self._process(pod, self.tainted[node], self.api.clock.now)

    def _node_changed(self, name: str) -> None:
        node = self.api.peek(NODES, name)
        taints = _no_execute(node) if node is not None else []
        if taints:
            self.tainted[name] = taints
        else:
            self.tainted.pop(name, None)
        if node is None:
            return
        pods = sorted(self.api.store.pods_on_node(name), key=lambda p: (p["metadata"]["namespace"],
                                                                      p["metadata"]["name"]))
        now = self.api.clock.now
        for pod in pods:
            key = (pod["metadata"]["namespace"], pod["metadata"]["name"])
            if not taints:
                self._cancel(key, with_event=True)
            else:
                self._process(pod, taints, now)

    def _process(self, pod: Obj, taints: list[Obj], now: float) -> None:
        """processPodOnNode."""
        key = (pod["metadata"]["namespace"], pod["metadata"]["name"])
        tolerations = (pod.get("spec") or {}).get("tolerations") or []
        used = []
        for taint in taints:
            match = next((t for t in tolerations if _tolerates(t, taint)), None)
            if match is None:
                self._cancel(key, with_event=True)
                self._schedule(key, now, now)
                return
            used.append(match)
        seconds = _min_toleration_seconds(used)
        if seconds is None:
            self._cancel(key, with_event=True)
            return
        start = now
        existing = self.evictions.get(key)
        if existing is not None:
            if existing.timer is None:
                return
            start = existing.created_at
            if start + seconds <= now + seconds:
                return
            self._cancel(key, with_event=True)
        self._schedule(key, start, start + seconds)

    def _schedule(self, key: tuple[str, str], created_at: float, fire_at: float) -> None:
        if key in self.evictions:
            return
        timer = self.api.clock.call_at(fire_at, lambda: self._evict(key),
                                       label=f"taint eviction {key[0]}/{key[1]}")
        self.evictions[key] = Eviction(created_at, timer)

    def _cancel(self, key: tuple[str, str], with_event: bool) -> None:
        """CancelWork: only a pending eviction earns the `Cancelling deletion` event."""
        eviction = self.evictions.pop(key, None)
        if eviction is None or eviction.timer is None:
            return
        eviction.timer.cancel()
        if with_event:
            self._event(key, f"Cancelling deletion of Pod {key[0]}/{key[1]}")

    def _evict(self, key: tuple[str, str]) -> None:
        """deletePodHandler: the event, a DisruptionTarget condition, then a graceful delete."""
        eviction = self.evictions.get(key)
        if eviction is not None:
            eviction.timer = None
        namespace, name = key
        self._event(key, f"Marking for deletion Pod {namespace}/{name}")
        pod = self.api.peek(PODS, name, namespace)
        if pod is None:
            return
        updated = deep_copy(pod)
        conditions = updated.setdefault("status", {}).setdefault("conditions", [])
        existing = next((c for c in conditions if c.get("type") == "DisruptionTarget"), None)
        wanted = {"type": "DisruptionTarget", "status": "True", "reason": "DeletionByTaintManager",
                  "message": "Taint manager: deleting due to NoExecute taint"}
        if existing is None or any(existing.get(k) != v for k, v in wanted.items()):
            stamp = self.api.clock.timestamp()
            if existing is not None:
                conditions.remove(existing)
            conditions.append(dict(wanted, lastProbeTime=None, lastTransitionTime=stamp))
            with contextlib.suppress(ApiError):
                self.api.update(PODS, updated, namespace, subresource="status")
        try:
            self.api.delete(PODS, name, namespace)
        except ApiError as exc:
            if exc.code != 404:
                raise

    def _event(self, key: tuple[str, str], message: str) -> None:
        ref = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": key[1], "namespace": key[0]}}
        self.recorder.event(ref, "Normal", "TaintManagerEviction", message, TAINT_EVICTION_COMPONENT)


def _no_execute(node: Obj) -> list[Obj]:
    return [t for t in (node.get("spec") or {}).get("taints") or [] if t.get("effect") == "NoExecute"]


def _tolerates(toleration: Obj, taint: Obj) -> bool:
    """Toleration.ToleratesTaint (NoExecute taints: effect, key, operator)."""
    if toleration.get("effect") and toleration.get("effect") != taint.get("effect"):
        return False
    if toleration.get("key") and toleration.get("key") != taint.get("key"):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Exists":
        return True
    return operator == "Equal" and (toleration.get("value") or "") == (taint.get("value") or "")


def _min_toleration_seconds(tolerations: list[Obj]) -> float | None:
    """getMinTolerationTime: the shortest tolerationSeconds, 0 for none given at all, None for ever."""
    if not tolerations:
        return 0.0
    seconds = [t["tolerationSeconds"] for t in tolerations if t.get("tolerationSeconds") is not None]
    if not seconds:
        return None
    return float(max(0, min(seconds)))
