"""The Deployment controller: one ReplicaSet per pod template, rolled out as the strategy says.

Created by `SimulatedCluster`. Follows kube-controller-manager v1.33 (pkg/controller/deployment:
deployment_controller.go, sync.go, rolling.go, recreate.go, progress.go and util/deployment_util.go):
the ReplicaSet whose template equals the Deployment's (ignoring the pod-template-hash label) is the new
one, named `<deployment>-<hash>`; the others are old. A RollingUpdate grows the new ReplicaSet within
maxSurge and shrinks old ones as new pods become available within maxUnavailable; Recreate scales old
ones to zero, waits for their pods to go, then scales the new one up. Scaling a Deployment mid-rollout is
proportional. Revisions, revision history, paused Deployments, the progress deadline, the Available and
Progressing conditions and the ScalingReplicaSet events are those of the real controller.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from ...api.errors import ApiError
from ...api.objects import deep_copy
from ...api.registry import REGISTRY
from ...api.selectors import LabelSelector, SelectorError, selector_from_dict
from ..apiserver import APIServer
from ..events import EventRecorder
from ..store import WatchEvent
from . import deploymentutil as du
from .base import Controller

Obj = dict[str, Any]
DEPLOYMENTS = REGISTRY.resolve("deployments")
REPLICASETS = REGISTRY.resolve("replicasets")
COMPONENT = "deployment-controller"


class DeploymentController(Controller):
    name = COMPONENT
    resources = ("deployments.apps", "replicasets.apps", "pods")

    def __init__(self, api: APIServer, recorder: EventRecorder):
        super().__init__(api, recorder)
        self._checks: set[Hashable] = set()

    # --- what to sync ------------------------------------------------------------------------------
    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        obj = event.object
        meta = obj["metadata"]
        ns = meta.get("namespace", "")
        if event.resource == "deployments.apps":
            return [(ns, meta["name"])]
        if event.resource == "replicasets.apps":
            ref = du.controller_ref(obj)
            if ref is not None:
                return [(ns, ref["name"])] if ref.get("kind") == "Deployment" else []
            if event.type == "DELETED":
                return []
            return [(ns, d["metadata"]["name"]) for d in self._deployments_matching(obj)]
        if event.type != "DELETED":  # pods: a Recreate rollout waits for the old ones to be gone
            return []
        ref = du.controller_ref(obj)
        rs = self.api.by_uid(ref.get("uid", "")) if ref and ref.get("kind") == "ReplicaSet" else None
        owner = du.controller_ref(rs) if rs is not None else None
        if owner is None or owner.get("kind") != "Deployment":
            return []
        deploy = self.api.store.get("deployments.apps", ns, owner["name"])
        return [(ns, owner["name"])] if deploy is not None and not du.is_rolling_update(deploy) else []

    def _deployments_matching(self, rs: Obj) -> list[Obj]:
        found = []
        for deploy in self.api.store.list("deployments.apps", rs["metadata"].get("namespace", "")):
            selector = _selector(deploy)
            if selector is not None and not selector.empty and selector.matches(rs["metadata"].get("labels")):
                found.append(deploy)
        return sorted(found, key=lambda d: d["metadata"]["name"])

    # --- sync --------------------------------------------------------------------------------------
    def sync(self, key: Hashable) -> None:
        ns, name = key  # type: ignore[misc]
        stored = self.api.store.get("deployments.apps", ns, name)
        if stored is None:
            return
        d = deep_copy(stored)
        selector = _selector(d)
        if selector is None or selector.empty:
            return  # validation refuses empty selectors; an unreadable one matches nothing
        try:
            rss = self._claim_replica_sets(d, selector)
            if d["metadata"].get("deletionTimestamp"):
                new_rs, old_rss = self._all_replica_sets(d, rss, create=False)
                self._sync_status(d, [*old_rss, new_rs], new_rs)
                return
            self._check_paused_conditions(d)
            if d["spec"].get("paused") or self._is_scaling_event(d, rss):
                self._sync_scaling(d, rss)
            elif du.is_rolling_update(d):
                self._rollout_rolling(d, rss)
            else:
                self._rollout_recreate(d, rss)
        except _Requeue:
            self.enqueue(key, after=0.005)

    def _claim_replica_sets(self, d: Obj, selector: LabelSelector) -> list[Obj]:
        """ClaimReplicaSets: owned and matching kept, orphans adopted, owned non-matching released."""
        uid = d["metadata"]["uid"]
        deleting = bool(d["metadata"].get("deletionTimestamp"))
        claimed = []
        for rs in sorted(self.api.store.list("replicasets.apps", d["metadata"]["namespace"]),
                         key=lambda r: r["metadata"]["name"]):
            ref = du.controller_ref(rs)
            matches = selector.matches(rs["metadata"].get("labels"))
            if ref is not None:
                if ref.get("uid") != uid:
                    continue
                if matches:
                    claimed.append(rs)
                elif not deleting:
                    self._set_owner(rs, None, uid)
                continue
            if matches and not deleting and not rs["metadata"].get("deletionTimestamp"):
                adopted = self._set_owner(rs, du.new_controller_ref(d), uid)
                if adopted is not None:
                    claimed.append(adopted)
        return claimed

    def _set_owner(self, rs: Obj, ref: Obj | None, uid: str) -> Obj | None:
        updated = deep_copy(rs)
        refs = [r for r in updated["metadata"].get("ownerReferences") or () if r.get("uid") != uid]
        if ref is not None:
            refs.append(ref)
        if refs:
            updated["metadata"]["ownerReferences"] = refs
        else:
            updated["metadata"].pop("ownerReferences", None)
        return self._update_rs(updated)

    # --- the new and old ReplicaSets ------------------------------------------------------------------
    def _all_replica_sets(self, d: Obj, rss: list[Obj], create: bool) -> tuple[Obj | None, list[Obj]]:
        """getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created if asked) and the old ones."""
        existing = self._find_new(d, rss)
        old = [rs for rs in rss if existing is None or rs["metadata"]["uid"] != existing["metadata"]["uid"]]
        return self._new_replica_set(d, existing, old, create), old

    @staticmethod
    def _find_new(d: Obj, rss: list[Obj]) -> Obj | None:
        """FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's."""
        for rs in du.by_creation(rss):
            if du.equal_ignore_hash(rs["spec"].get("template"), d["spec"].get("template")):
                return rs
        return None

    def _new_replica_set(self, d: Obj, existing: Obj | None, old: list[Obj], create: bool) -> Obj | None:
        new_revision = max((du.revision_of(rs) for rs in old), default=0) + 1
        if existing is not None:
            return self._sync_existing_new(d, existing, new_revision)
        if not create:
            return None
        return self._create_new(d, old, new_revision)

    def _sync_existing_new(self, d: Obj, existing: Obj, new_revision: int) -> Obj:
        rs = deep_copy(existing)
        annotations_changed = du.set_new_rs_annotations(d, rs, new_revision, exists=True)
        min_ready = d["spec"].get("minReadySeconds", 0) or 0
        if annotations_changed or (rs["spec"].get("minReadySeconds", 0) or 0) != min_ready:
            rs["spec"]["minReadySeconds"] = min_ready
            updated = self._update_rs(rs)
            if updated is None:
                raise _Requeue
            return updated
        needs_update = self._set_revision(d, rs["metadata"].get("annotations", {}).get(du.REVISION, ""))
        if du.has_progress_deadline(d) and du.get_condition(d.get("status") or {}, "Progressing") is None:
            du.set_deployment_condition(d.setdefault("status", {}), du.deployment_condition(
                "Progressing", "True", "FoundNewReplicaSet", f'Found new replica set "{rs["metadata"]["name"]}"',
                self.api.clock.timestamp()))
            needs_update = True
        if needs_update:
            self._write_status(d)
        return rs

    def _create_new(self, d: Obj, old: list[Obj], new_revision: int) -> Obj | None:
        template = deep_copy(d["spec"]["template"])
        collision = (d.get("status") or {}).get("collisionCount")
        pod_hash = du.pod_template_hash(template, collision)
        tmeta = template.setdefault("metadata", {})
        tmeta["labels"] = {**(tmeta.get("labels") or {}), du.HASH_LABEL: pod_hash}
        selector = deep_copy(d["spec"]["selector"])
        selector["matchLabels"] = {**(selector.get("matchLabels") or {}), du.HASH_LABEL: pod_hash}
        rs: Obj = {
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": f"{d['metadata']['name']}-{pod_hash}", "namespace": d["metadata"]["namespace"],
                         "labels": dict(tmeta["labels"]), "ownerReferences": [du.new_controller_ref(d)]},
            "spec": {"replicas": 0, "minReadySeconds": d["spec"].get("minReadySeconds", 0) or 0,
                     "selector": selector, "template": template},
        }
        rs["spec"]["replicas"] = du.new_rs_new_replicas(d, [*old, rs], rs)
        du.set_new_rs_annotations(d, rs, new_revision, exists=False)
        try:
            created = self.api.create(REPLICASETS, rs, d["metadata"]["namespace"])
        except ApiError as exc:
            return self._creation_failed(d, rs, exc)
        if du.replicas_of(created) > 0:
            self._event(d, "Normal", "ScalingReplicaSet",
                        f"Scaled up replica set {created['metadata']['name']} from 0 to {du.replicas_of(created)}")
        self._set_revision(d, str(new_revision))
        if du.has_progress_deadline(d):
            du.set_deployment_condition(d.setdefault("status", {}), du.deployment_condition(
                "Progressing", "True", "NewReplicaSetCreated", f'Created new replica set "{created["metadata"]["name"]}"',
                self.api.clock.timestamp()))
        self._write_status(d)
        return created

    def _creation_failed(self, d: Obj, rs: Obj, exc: ApiError) -> Obj | None:
        if exc.code == 409 and exc.reason == "AlreadyExists":
            current = self.api.store.get("replicasets.apps", d["metadata"]["namespace"], rs["metadata"]["name"])
            ref = du.controller_ref(current) if current is not None else None
            if current is not None and ref is not None and ref.get("uid") == d["metadata"]["uid"] \
                    and du.equal_ignore_hash(d["spec"]["template"], current["spec"].get("template")):
                return current
            status = d.setdefault("status", {})  # a hash collision: the next sync tries another name
            status["collisionCount"] = int(status.get("collisionCount") or 0) + 1
            self._write_status(d)
            raise _Requeue
        message = f'Failed to create new replica set "{rs["metadata"]["name"]}": {exc.message}'
        if du.has_progress_deadline(d):
            du.set_deployment_condition(d.setdefault("status", {}), du.deployment_condition(
                "Progressing", "False", "ReplicaSetCreateError", message, self.api.clock.timestamp()))
            self._write_status(d)
        self._event(d, "Warning", "ReplicaSetCreateError", message)
        return None

    @staticmethod
    def _set_revision(d: Obj, revision: str) -> bool:
        annotations = d["metadata"].setdefault("annotations", {})
        if annotations.get(du.REVISION) == revision:
            return False
        annotations[du.REVISION] = revision
        return True

    # --- scaling -----------------------------------------------------------------------------------
    def _is_scaling_event(self, d: Obj, rss: list[Obj]) -> bool:
        """isScalingEvent: an active ReplicaSet was sized for another replica count."""
        new_rs, old = self._all_replica_sets(d, rss, create=False)
        want = du.replicas_of(d)
        for rs in du.active([*old, new_rs]):
            desired = du.annotation_int(rs, du.DESIRED_REPLICAS)
            if desired is not None and desired != want:
                return True
        return False

    def _sync_scaling(self, d: Obj, rss: list[Obj]) -> None:
        """sync: scale (proportionally mid-rollout), clean up paused Deployments, report status."""
        new_rs, old = self._all_replica_sets(d, rss, create=False)
        self._scale(d, new_rs, old)
        if d["spec"].get("paused"):
            self._cleanup(d, old)
        new_rs, old = self._refresh(new_rs), [self._refresh(rs) for rs in old]
        self._sync_status(d, [*old, new_rs], new_rs)

    def _scale(self, d: Obj, new_rs: Obj | None, old: list[Obj]) -> None:
        want = du.replicas_of(d)
        only = self._active_or_latest(new_rs, old)
        if only is not None:
            if du.replicas_of(only) != want:
                self._scale_rs(d, only, want)
            return
        if du.is_saturated(d, new_rs):
            for rs in du.active(old):
                self._scale_rs(d, rs, 0)
            return
        if du.is_rolling_update(d):
            self._scale_proportionally(d, du.active([*old, new_rs]))

    @staticmethod
    def _active_or_latest(new_rs: Obj | None, old: list[Obj]) -> Obj | None:
        """FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active."""
        if new_rs is None and not old:
            return None
        ordered = du.by_creation(old, newest_first=True)
        live = du.active([*ordered, new_rs])
        if not live:
            return new_rs if new_rs is not None else ordered[0]
        return live[0] if len(live) == 1 else None

    def _scale_proportionally(self, d: Obj, live: list[Obj]) -> None:
        allowed = du.replicas_of(d) + du.max_surge(d) if du.replicas_of(d) > 0 else 0
        to_add = allowed - du.sum_replicas(live)
        if to_add > 0:
            live, operation = du.by_size(live, newer_first=True), "up"
        elif to_add < 0:
            live, operation = du.by_size(live, newer_first=False), "down"
        else:
            operation = ""
        sizes: dict[str, int] = {}
        added = 0
        for rs in live:
            share = du.proportion(rs, d, to_add, added) if to_add else 0
            sizes[rs["metadata"]["name"]] = du.replicas_of(rs) + share
            added += share
        if to_add != added and live:
            first = live[0]["metadata"]["name"]
            sizes[first] = max(sizes[first] + to_add - added, 0)
        for rs in live:
            self._scale_rs(d, rs, sizes[rs["metadata"]["name"]], operation)

    def _scale_rs(self, d: Obj, rs: Obj, replicas: int, operation: str | None = None) -> Obj:
        """scaleReplicaSetAndRecordEvent / scaleReplicaSet: new size and replica annotations, one event."""
        current = du.replicas_of(rs)
        if operation is None:
            if current == replicas:
                return rs
            operation = "up" if current < replicas else "down"
        updated = deep_copy(rs)
        size_changed = current != replicas
        annotations_changed = du.set_replicas_annotations(updated, du.replicas_of(d),
                                                          du.replicas_of(d) + du.max_surge(d))
        if not size_changed and not annotations_changed:
            return rs
        updated["spec"]["replicas"] = replicas
        written = self._update_rs(updated)
        if written is None:
            raise _Requeue
        if size_changed:
            self._event(d, "Normal", "ScalingReplicaSet",
                        f"Scaled {operation} replica set {rs['metadata']['name']} from {current} to {replicas}")
        return written

    # --- rollouts ----------------------------------------------------------------------------------
    def _rollout_rolling(self, d: Obj, rss: list[Obj]) -> None:
        """rolloutRolling: scale the new ReplicaSet up, else the old ones down, then report progress."""
        new_rs, old = self._all_replica_sets(d, rss, create=True)
        if new_rs is not None and self._reconcile_new(d, [*old, new_rs], new_rs):
            self._sync_rollout_status(d, self._refresh_all(old, new_rs))
            return
        if new_rs is not None:
            self._reconcile_old(d, [*old, new_rs], du.active(old), new_rs)
        all_rss, new_rs = self._refresh_all(old, new_rs)
        old = [rs for rs in all_rss[:-1] if rs is not None]
        if du.deployment_complete(d, d.get("status") or {}):
            self._cleanup(d, old)
        self._sync_rollout_status(d, (all_rss, new_rs))

    def _reconcile_new(self, d: Obj, all_rss: list[Obj], new_rs: Obj) -> bool:
        want = du.replicas_of(d)
        have = du.replicas_of(new_rs)
        if have == want:
            return False
        if have > want:
            return self._scale_rs(d, new_rs, want) is not new_rs
        return self._scale_rs(d, new_rs, du.new_rs_new_replicas(d, all_rss, new_rs)) is not new_rs

    def _reconcile_old(self, d: Obj, all_rss: list[Obj], old: list[Obj], new_rs: Obj) -> bool:
        """reconcileOldReplicaSets: never below replicas - maxUnavailable available pods."""
        if du.sum_replicas(old) == 0:
            return False
        min_available = du.replicas_of(d) - du.max_unavailable(d)
        new_unavailable = du.replicas_of(new_rs) - du.status_count(new_rs, "availableReplicas")
        max_scaled_down = du.sum_replicas(all_rss) - min_available - new_unavailable
        if max_scaled_down <= 0:
            return False
        old, cleaned = self._cleanup_unhealthy(d, old, max_scaled_down)
        scaled = self._scale_down_old(d, [*old, new_rs], old)
        return cleaned + scaled > 0

    def _cleanup_unhealthy(self, d: Obj, old: list[Obj], max_cleanup: int) -> tuple[list[Obj], int]:
        """cleanupUnhealthyReplicas: first take away old replicas that are not available anyway."""
        total = 0
        result = []
        for rs in du.by_creation(old):
            if total >= max_cleanup or du.replicas_of(rs) == 0 \
                    or du.replicas_of(rs) == du.status_count(rs, "availableReplicas"):
                result.append(rs)
                continue
            count = min(max_cleanup - total, du.replicas_of(rs) - du.status_count(rs, "availableReplicas"))
            result.append(self._scale_rs(d, rs, du.replicas_of(rs) - count))
            total += count
        return result, total

    def _scale_down_old(self, d: Obj, all_rss: list[Obj], old: list[Obj]) -> int:
        """scaleDownOldReplicaSetsForRollingUpdate: remove as many old replicas as availability allows."""
        min_available = du.replicas_of(d) - du.max_unavailable(d)
        available = du.sum_status(all_rss, "availableReplicas")
        if available <= min_available:
            return 0
        budget = available - min_available
        total = 0
        for rs in du.by_creation(old):
            if total >= budget:
                break
            if du.replicas_of(rs) == 0:
                continue
            count = min(du.replicas_of(rs), budget - total)
            self._scale_rs(d, rs, du.replicas_of(rs) - count)
            total += count
        return total

    def _rollout_recreate(self, d: Obj, rss: list[Obj]) -> None:
        """rolloutRecreate: old ReplicaSets to zero, wait until their pods are gone, then the new one up."""
        new_rs, old = self._all_replica_sets(d, rss, create=False)
        scaled_down = False
        for rs in du.active(old):
            self._scale_rs(d, rs, 0)
            scaled_down = True
        if scaled_down or self._old_pods_running(new_rs, [self._refresh(rs) for rs in old], d):
            self._sync_rollout_status(d, self._refresh_all(old, new_rs))
            return
        if new_rs is None:
            new_rs, old = self._all_replica_sets(d, rss, create=True)
        if new_rs is not None:
            new_rs = self._scale_rs(d, new_rs, du.replicas_of(d))
        old = [self._refresh(rs) for rs in old]
        if du.deployment_complete(d, d.get("status") or {}):
            self._cleanup(d, old)
        self._sync_rollout_status(d, ([*old, new_rs], new_rs))

    def _old_pods_running(self, new_rs: Obj | None, old: list[Obj], d: Obj) -> bool:
        """oldPodsRunning: old ReplicaSets still report pods, or pods of theirs have not finished."""
        if du.sum_status(old, "replicas") > 0:
            return True
        for rs in old:
            if rs is None or (new_rs is not None and rs["metadata"]["uid"] == new_rs["metadata"]["uid"]):
                continue
            for pod in self.api.store.dependents(rs["metadata"]["uid"]):
                if pod.get("kind") == "Pod" and (pod.get("status") or {}).get("phase") not in ("Failed", "Succeeded"):
                    return True
        return False

    def _cleanup(self, d: Obj, old: list[Obj]) -> None:
        """cleanupDeployment: delete the oldest idle ReplicaSets beyond revisionHistoryLimit."""
        limit = d["spec"].get("revisionHistoryLimit")
        if limit is None:
            return
        alive = [rs for rs in old if rs is not None and not rs["metadata"].get("deletionTimestamp")]
        diff = len(alive) - int(limit)
        if diff <= 0:
            return
        for rs in du.by_revision(alive)[:diff]:
            meta = rs["metadata"]
            if du.status_count(rs, "replicas") or du.replicas_of(rs) \
                    or (meta.get("generation") or 0) > du.status_count(rs, "observedGeneration"):
                continue
            try:
                self.api.delete(REPLICASETS, meta["name"], meta["namespace"])
            except ApiError as exc:
                if exc.code != 404:
                    raise

    # --- status ------------------------------------------------------------------------------------
    def _calculate_status(self, d: Obj, all_rss: list[Obj | None], new_rs: Obj | None) -> Obj:
        """calculateStatus: counts from the ReplicaSets, and the Available condition."""
        available = du.sum_status(all_rss, "availableReplicas")
        unavailable = max(du.sum_replicas(all_rss) - available, 0)
        old = d.get("status") or {}
        counts = {
            "observedGeneration": d["metadata"].get("generation", 0),
            "replicas": du.sum_status(all_rss, "replicas"),
            "updatedReplicas": du.sum_status([new_rs], "replicas"),
            "readyReplicas": du.sum_status(all_rss, "readyReplicas"),
            "availableReplicas": available,
            "unavailableReplicas": unavailable,
            "collisionCount": old.get("collisionCount") or 0,
        }
        status: Obj = {k: v for k, v in counts.items() if v}  # every field is omitempty
        if old.get("conditions"):
            status["conditions"] = deep_copy(old["conditions"])
        now = self.api.clock.timestamp()
        if available >= du.replicas_of(d) - du.max_unavailable(d):
            cond = du.deployment_condition("Available", "True", "MinimumReplicasAvailable",
                                           "Deployment has minimum availability.", now)
        else:
            cond = du.deployment_condition("Available", "False", "MinimumReplicasUnavailable",
                                           "Deployment does not have minimum availability.", now)
        du.set_deployment_condition(status, cond)
        return status

    def _sync_status(self, d: Obj, all_rss: list[Obj | None], new_rs: Obj | None) -> None:
        """syncDeploymentStatus: write the status when it changed."""
        status = self._calculate_status(d, all_rss, new_rs)
        if status != (d.get("status") or {}):
            d["status"] = status
            self._write_status(d)

    def _sync_rollout_status(self, d: Obj, rss: tuple[list[Obj | None], Obj | None]) -> None:
        """syncRolloutStatus: the status, the Progressing condition, replica failures, the deadline check."""
        all_rss, new_rs = rss
        status = self._calculate_status(d, all_rss, new_rs)
        if not du.has_progress_deadline(d):
            du.remove_condition(status, "Progressing")
        current = du.get_condition(d.get("status") or {}, "Progressing")
        complete_before = int(status.get("replicas") or 0) == int(status.get("updatedReplicas") or 0) \
            and current is not None and current.get("reason") == "NewReplicaSetAvailable"
        if du.has_progress_deadline(d) and not complete_before:
            self._update_progressing(d, status, new_rs, current)
        self._promote_replica_failure(status, all_rss, new_rs)
        if status == (d.get("status") or {}):
            self._requeue_stuck(d, status)
            return
        d["status"] = status
        self._write_status(d)

    def _update_progressing(self, d: Obj, status: Obj, new_rs: Obj | None, current: Obj | None) -> None:
        subject = f'ReplicaSet "{new_rs["metadata"]["name"]}"' if new_rs is not None \
            else f'Deployment "{d["metadata"]["name"]}"'
        now = self.api.clock.timestamp()
        if du.deployment_complete(d, status):
            du.set_deployment_condition(status, du.deployment_condition(
                "Progressing", "True", "NewReplicaSetAvailable", f"{subject} has successfully progressed.", now))
        elif du.deployment_progressing(d, status):
            cond = du.deployment_condition("Progressing", "True", "ReplicaSetUpdated", f"{subject} is progressing.", now)
            if current is not None:
                if current.get("status") == "True":
                    cond["lastTransitionTime"] = current.get("lastTransitionTime")
                du.remove_condition(status, "Progressing")
            du.set_deployment_condition(status, cond)
        elif du.deployment_timed_out(d, status, self.api.clock.now, self.api.clock.parse):
            du.set_deployment_condition(status, du.deployment_condition(
                "Progressing", "False", "ProgressDeadlineExceeded", f"{subject} has timed out progressing.", now))

    @staticmethod
    def _promote_replica_failure(status: Obj, all_rss: list[Obj | None], new_rs: Obj | None) -> None:
        """getReplicaFailures: a ReplicaSet's ReplicaFailure condition, the new one's first."""
        ordered = [new_rs, *[rs for rs in all_rss if rs is not new_rs]]
        for rs in ordered:
            cond = du.get_condition((rs or {}).get("status") or {}, "ReplicaFailure")
            if cond is not None:
                du.set_deployment_condition(status, {
                    "type": "ReplicaFailure", "status": cond.get("status"),
                    "lastUpdateTime": cond.get("lastTransitionTime"),
                    "lastTransitionTime": cond.get("lastTransitionTime"),
                    "reason": cond.get("reason"), "message": cond.get("message")})
                return
        du.remove_condition(status, "ReplicaFailure")

    def _requeue_stuck(self, d: Obj, status: Obj) -> None:
        """requeueStuckDeployment: look again when the progress deadline passes (background work)."""
        current = du.get_condition(d.get("status") or {}, "Progressing")
        if not du.has_progress_deadline(d) or current is None or du.deployment_complete(d, status) \
                or current.get("reason") == "ProgressDeadlineExceeded" or not current.get("lastUpdateTime"):
            return
        key = (d["metadata"]["namespace"], d["metadata"]["name"])
        if key in self._checks:
            return
        after = self.api.clock.parse(current["lastUpdateTime"]) + d["spec"]["progressDeadlineSeconds"] \
            - self.api.clock.now
        self._checks.add(key)

        def check() -> None:
            self._checks.discard(key)
            self.enqueue(key)

        self.api.clock.call_later(max(after, 0.0) + 1.0, check, periodic=True, label=f"{self.name} progress {key}")

    def _check_paused_conditions(self, d: Obj) -> None:
        """checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed."""
        if not du.has_progress_deadline(d):
            return
        cond = du.get_condition(d.get("status") or {}, "Progressing")
        if cond is not None and cond.get("reason") == "ProgressDeadlineExceeded":
            return
        paused_cond = cond is not None and cond.get("reason") == "DeploymentPaused"
        paused = bool(d["spec"].get("paused"))
        if paused == paused_cond:
            return
        reason, message = ("DeploymentPaused", "Deployment is paused") if paused \
            else ("DeploymentResumed", "Deployment is resumed")
        du.set_deployment_condition(d.setdefault("status", {}), du.deployment_condition(
            "Progressing", "Unknown", reason, message, self.api.clock.timestamp()))
        self._write_status(d)

    # --- writes ------------------------------------------------------------------------------------
    def _write_status(self, d: Obj) -> None:
        """UpdateStatus of the Deployment, with the annotations the controller changed on it.

        The real deployment status strategy keeps every metadata change but labels, which is how the
        controller records the revision annotation without bumping the generation. The simulated /status
        subresource keeps only the status, so annotations the controller changed are stored next to it
        without a generation bump, as the real status strategy would store them.
        """
        meta = d["metadata"]
        stored = self.api.store.get("deployments.apps", meta["namespace"], meta["name"])
        if stored is None or stored["metadata"]["uid"] != meta["uid"]:
            raise _Requeue
        if (stored.get("status") or {}) != (d.get("status") or {}):
            updated = deep_copy(stored)
            updated["status"] = deep_copy(d.get("status") or {})
            self.api.update(DEPLOYMENTS, updated, meta["namespace"], subresource="status")
        wanted = {k: v for k, v in (meta.get("annotations") or {}).items() if k == du.REVISION}
        stored = self.api.store.get("deployments.apps", meta["namespace"], meta["name"])
        have = stored["metadata"].get("annotations") or {}
        if any(have.get(k) != v for k, v in wanted.items()):
            written = deep_copy(stored)
            written["metadata"]["annotations"] = {**have, **wanted}
            self.api.store.put(DEPLOYMENTS, written)

    def _update_rs(self, rs: Obj) -> Obj | None:
        try:
            return self.api.update(REPLICASETS, rs, rs["metadata"]["namespace"])
        except ApiError as exc:
            if exc.code in (404, 409):
                return None
            raise

    def _refresh(self, rs: Obj | None) -> Obj | None:
        if rs is None:
            return None
        current = self.api.store.get("replicasets.apps", rs["metadata"]["namespace"], rs["metadata"]["name"])
        return current if current is not None and current["metadata"]["uid"] == rs["metadata"]["uid"] else rs

    def _refresh_all(self, old: list[Obj], new_rs: Obj | None) -> tuple[list[Obj | None], Obj | None]:
        fresh_new = self._refresh(new_rs)
        return [*[self._refresh(rs) for rs in old], fresh_new], fresh_new

    def _event(self, d: Obj, type_: str, reason: str, message: str) -> None:
        self.recorder.event(d, type_, reason, message, COMPONENT)


class _Requeue(Exception):
    """The Deployment or one of its ReplicaSets changed under a write: sync again."""


def _selector(d: Obj) -> LabelSelector | None:
    try:
        return selector_from_dict(d["spec"].get("selector"))
    except SelectorError:
        return None
