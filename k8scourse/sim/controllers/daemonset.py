"""The DaemonSet controller: one pod on every eligible node, following nodes as they come and go.

Created by `SimulatedCluster`. Follows pkg/controller/daemon (daemon_controller.go, update.go,
util/daemonset_util.go) of kube-controller-manager v1.33: a node is eligible when it matches the pod's
nodeSelector and required node affinity and every NoSchedule/NoExecute taint is tolerated, counting the
tolerations the controller adds to daemon pods; each pod is pinned to its node with a required
`matchFields metadata.name` node affinity and bound by the scheduler; pods carry
`controller-revision-hash` and `pod-template-generation`; RollingUpdate replaces old pods while at most
maxUnavailable are unavailable; OnDelete waits for the user. Orphan pods the selector matches are
adopted and owned pods that stop matching released (getDaemonPods, through `controllerref`); pods bound to
a node that is gone are left to the pod garbage collector.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

from ...api.errors import ApiError
from ...api.objects import deep_copy
from ...api.registry import REGISTRY
from ...api.selectors import LabelSelector, SelectorError, selector_from_dict
from ..scheduler.filters import term_matches, tolerated
from ..store import WatchEvent
from .base import Controller
from .controllerref import (
    PodControllerRefManager,
    candidate_pods,
    owner_keys_for_pod,
)
from .history import (
    PODS,
    REVISION_HASH_LABEL,
    History,
    available_in,
    delete_quietly,
    is_pod_ready,
    is_terminating,
    omit_empty,
    owned,
    pod_from_template,
    pod_phase,
    template_patch,
)

Obj = dict[str, Any]

DAEMONSETS = REGISTRY.resolve("daemonsets.apps")
COMPONENT = "daemonset-controller"
TEMPLATE_GENERATION_LABEL = "pod-template-generation"  # extensions.DaemonSetTemplateGenerationKey
# AddOrUpdateDaemonPodTolerations, in its order; the last only for hostNetwork pods
_DAEMON_TOLERATIONS = (("node.kubernetes.io/not-ready", "NoExecute"), ("node.kubernetes.io/unreachable", "NoExecute"),
                       ("node.kubernetes.io/disk-pressure", "NoSchedule"),
                       ("node.kubernetes.io/memory-pressure", "NoSchedule"),
                       ("node.kubernetes.io/pid-pressure", "NoSchedule"),
                       ("node.kubernetes.io/unschedulable", "NoSchedule"))
_NETWORK_UNAVAILABLE = ("node.kubernetes.io/network-unavailable", "NoSchedule")
_STATUS_KEEP = ("currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady")


def daemon_pod_spec(template_spec: Obj, node: str) -> Obj:
    """The template's spec with the daemon tolerations and the node-name affinity
    (AddOrUpdateDaemonPodTolerations, ReplaceDaemonSetPodNodeNameNodeAffinity)."""
    spec = deep_copy(template_spec)
    tolerations = list(spec.get("tolerations") or [])
    wanted = list(_DAEMON_TOLERATIONS) + ([_NETWORK_UNAVAILABLE] if spec.get("hostNetwork") else [])
    for key, effect in wanted:
        toleration = {"key": key, "operator": "Exists", "effect": effect}
        tolerations = [t for t in tolerations if not (t.get("key") == key and t.get("effect") == effect)]
        tolerations.append(toleration)
    spec["tolerations"] = tolerations
    term = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}
    affinity = spec.setdefault("affinity", {})
    node_affinity = affinity.setdefault("nodeAffinity", {})
    node_affinity["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": [term]}
    return spec


def should_run(template_spec: Obj, node: Obj) -> bool:
    """NodeShouldRunDaemonPod: node selector, required node affinity and taints, as the daemon pod sees them."""
    name = node["metadata"]["name"]
    labels = node["metadata"].get("labels") or {}
    spec = daemon_pod_spec(template_spec, name)
    if any(labels.get(k) != v for k, v in (template_spec.get("nodeSelector") or {}).items()):
        return False
    original = ((template_spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution")
    if original is not None and not any(term_matches(t, name, labels) for t in original.get("nodeSelectorTerms") or []):
        return False
    for taint in (node.get("spec") or {}).get("taints") or ():
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not tolerated(spec["tolerations"], taint):
            return False
    return True


def selector_of(ds: Obj) -> LabelSelector:
    return selector_from_dict(ds["spec"].get("selector"))


def pod_node(pod: Obj) -> str:
    """The node a daemon pod is for: its nodeName, or the name in its node affinity before it is bound."""
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return spec["nodeName"]
    required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution") or {}
    for term in required.get("nodeSelectorTerms") or ():
        for field in term.get("matchFields") or ():
            if field.get("key") == "metadata.name" and field.get("values"):
                return field["values"][0]
    return ""


class DaemonSetController(Controller):
    name = "daemonset-controller"
    resources = ("daemonsets.apps", "pods", "nodes")

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        meta = event.object["metadata"]
        if event.resource == "nodes":
            return [(d["metadata"]["namespace"], d["metadata"]["name"]) for d in self.api.store.list("daemonsets.apps")]
        if event.resource == "daemonsets.apps":
            return [] if event.type == "DELETED" else [(meta.get("namespace", ""), meta["name"])]
        return owner_keys_for_pod(self.api, event, "DaemonSet", DAEMONSETS.group_resource, selector_of)

    def sync(self, key: Hashable) -> None:
        namespace, name = key  # type: ignore[misc]
        ds = self.api.peek(DAEMONSETS, name, namespace)
        if ds is None or is_terminating(ds):
            return
        try:
            selector = selector_of(ds)
        except SelectorError:
            return
        _DaemonSync(self, deep_copy(ds), selector).run()


class _DaemonSync:
    """One syncDaemonSet pass: manage pods per node, roll out, write status."""

    def __init__(self, controller: DaemonSetController, ds: Obj, selector: LabelSelector):
        self.c = controller
        self.selector = selector
        self.api = controller.api
        self.ds = ds
        self.spec = ds["spec"]
        self.namespace = ds["metadata"].get("namespace", "default")
        self.min_ready = int(self.spec.get("minReadySeconds") or 0)
        self.template_spec = (self.spec.get("template") or {}).get("spec") or {}

    def run(self) -> None:
        labels = dict(((self.spec.get("template") or {}).get("metadata") or {}).get("labels") or {})
        revision, collision = History(self.api, self.ds).ensure(template_patch(self.ds), labels)
        self.hash = revision["metadata"]["labels"][REVISION_HASH_LABEL]
        self.collision = collision
        nodes = sorted(self.api.store.list("nodes"), key=lambda n: n["metadata"]["name"])
        self.eligible = {n["metadata"]["name"] for n in nodes if should_run(self.template_spec, n)}
        PodControllerRefManager(self.api, self.ds, self.selector).claim_pods(
            candidate_pods(self.api, self.ds, self.selector))  # getDaemonPods
        by_node = self._node_pods()
        for node in nodes:
            self._manage(node["metadata"]["name"], by_node.get(node["metadata"]["name"], []))
        self.node_names = {n["metadata"]["name"] for n in nodes}
        for node_name, pods in by_node.items():
            if node_name not in self.node_names:  # getUnscheduledPodsWithoutNode: PodGC removes the bound ones
                for pod in pods:
                    if not (pod.get("spec") or {}).get("nodeName"):
                        self._delete(pod)
        if (self.spec.get("updateStrategy") or {}).get("type", "RollingUpdate") == "RollingUpdate":
            self._roll()
        self._write_status()
        History(self.api, self.ds).prune(int(self.spec.get("revisionHistoryLimit", 10)), {revision["metadata"]["name"]})

    def _manage(self, node: str, pods: list[Obj]) -> None:
        """podsShouldBeOnNode: create the missing pod, remove failed, extra and misplaced ones."""
        live = [p for p in pods if not is_terminating(p)]
        if node not in self.eligible:
            for pod in live:
                self._delete(pod)
            return
        failed = [p for p in live if pod_phase(p) == "Failed"]
        for pod in failed:
            self.c.recorder.event(self.ds, "Warning", "FailedDaemonPod",
                                  f"Found failed daemon pod {self.namespace}/{pod['metadata']['name']} on node {node}, "
                                  "will try to kill it", COMPONENT)
            self._delete(pod)
        live = [p for p in live if p not in failed]
        if not live and not (failed and len(pods) > len(failed)):
            if not any(is_terminating(p) for p in pods):
                self._create(node)
            return
        for extra in sorted(live, key=lambda p: p["metadata"]["creationTimestamp"])[1:]:
            self._delete(extra)

    def _create(self, node: str) -> None:
        pod = pod_from_template(self.spec["template"], self.ds)
        pod["metadata"]["labels"].update({REVISION_HASH_LABEL: self.hash,
                                          TEMPLATE_GENERATION_LABEL: str(self.ds["metadata"].get("generation", 1))})
        pod["spec"] = daemon_pod_spec(pod["spec"], node)
        try:
            created = self.api.create(PODS, pod, self.namespace)
        except ApiError as exc:
            self.c.recorder.event(self.ds, "Warning", "FailedCreate", f"Error creating: {exc.message}", COMPONENT)
            return
        self.c.recorder.event(self.ds, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}",
                              COMPONENT)

    def _delete(self, pod: Obj) -> None:
        name = pod["metadata"]["name"]
        if not is_terminating(pod) and delete_quietly(self.api, PODS, name, self.namespace):
            self.c.recorder.event(self.ds, "Normal", "SuccessfulDelete", f"Deleted pod: {name}", COMPONENT)

    # --- rolling update ------------------------------------------------------------------------------
    def _node_pods(self) -> dict[str, list[Obj]]:
        """getNodesToDaemonPods: owned pods by target node; a pod with no target node is left out."""
        by_node: dict[str, list[Obj]] = {}
        for pod in owned(self.api, self.ds, "Pod"):
            node = pod_node(pod)
            if node:
                by_node.setdefault(node, []).append(pod)
        return by_node

    def _available(self, pod: Obj) -> bool:
        wait = available_in(self.api, pod, self.min_ready)
        if wait:
            self.c.enqueue((self.namespace, self.ds["metadata"]["name"]), after=wait)
        return wait == 0 and not is_terminating(pod)

    def _roll(self) -> None:
        """rollingUpdate with maxSurge 0: old pods go while fewer than maxUnavailable nodes are unavailable."""
        rolling = (self.spec.get("updateStrategy") or {}).get("rollingUpdate") or {}
        max_unavailable = _scaled(rolling.get("maxUnavailable", 1), len(self.eligible))
        by_node = self._node_pods()
        unavailable, old_available, old_unavailable = 0, [], []
        for node in sorted(self.eligible):
            pods = by_node.get(node, [])
            pod = next((p for p in pods if not is_terminating(p)), None)
            available = pod is not None and self._available(pod)
            unavailable += not available
            if pod is not None and pod["metadata"].get("labels", {}).get(REVISION_HASH_LABEL) != self.hash:
                (old_available if available else old_unavailable).append(pod)
        for pod in old_unavailable:
            self._delete(pod)
        for pod in old_available[:max(0, max_unavailable - unavailable)]:
            self._delete(pod)

    # --- status ---------------------------------------------------------------------------------------
    def _write_status(self) -> None:
        counts = {"currentNumberScheduled": 0, "numberMisscheduled": 0, "desiredNumberScheduled": len(self.eligible),
                  "numberReady": 0, "numberAvailable": 0, "updatedNumberScheduled": 0}
        for node, pods in self._node_pods().items():
            live = [p for p in pods if not is_terminating(p)]
            if not live or node not in self.node_names:  # updateDaemonSetStatus goes over the nodes that exist
                continue
            if node not in self.eligible:
                counts["numberMisscheduled"] += 1
                continue
            pod = live[0]
            counts["currentNumberScheduled"] += 1
            counts["numberReady"] += is_pod_ready(pod)
            counts["numberAvailable"] += self._available(pod)
            counts["updatedNumberScheduled"] += pod["metadata"].get("labels", {}).get(REVISION_HASH_LABEL) == self.hash
        status: Obj = {**counts, "observedGeneration": self.ds["metadata"].get("generation", 1),
                       "numberUnavailable": counts["desiredNumberScheduled"] - counts["numberAvailable"],
                       "collisionCount": self.collision}
        current = self.api.peek(DAEMONSETS, self.ds["metadata"]["name"], self.namespace)
        if current is None:
            return
        old = current.get("status") or {}
        if old.get("conditions"):
            status["conditions"] = old["conditions"]
        status = omit_empty(status, _STATUS_KEEP)
        if status != old:
            updated = deep_copy(current)
            updated["status"] = status
            self.api.update(DAEMONSETS, updated, self.namespace, subresource="status")


def _scaled(value: Any, total: int) -> int:
    """intstr.GetScaledValueFromIntOrPercent, rounding up as maxUnavailable does."""
    if isinstance(value, str) and value.endswith("%"):
        return math.ceil(int(value[:-1]) * total / 100)
    return int(value)
