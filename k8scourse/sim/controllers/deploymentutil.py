"""Pure helpers of the ReplicaSet and Deployment controllers: pod readiness, template hashes, rollout arithmetic.

Called by `replicaset.py` and `deployment.py`. Translated from kube-controller-manager v1.33
(pkg/api/v1/pod/util.go, pkg/controller/controller_utils.go, pkg/controller/deployment/util/deployment_util.go,
staging/src/k8s.io/apimachinery/pkg/util/intstr). Nothing here reads the store or writes anything.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from typing import Any

from ...api.objects import deep_copy

Obj = dict[str, Any]
Parse = Callable[[str], float]  # RFC 3339 timestamp -> seconds on the simulated clock

HASH_LABEL = "pod-template-hash"  # apps/v1 DefaultDeploymentUniqueLabelKey
REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
ROLLBACK_TO = "deprecated.deployment.rollback.to"
DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
# Annotations a Deployment does not copy to its ReplicaSets (deployment_util.go annotationsToSkip).
ANNOTATIONS_TO_SKIP = frozenset({LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO})
MAX_REVISION_HISTORY_CHARS = 2000  # sync.go maxRevHistoryLengthInChars
MAX_INT32 = 2**31 - 1
SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery/pkg/util/rand alphanums


# --- pods ----------------------------------------------------------------------------------------------------


def ready_condition(pod: Obj) -> Obj | None:
    for cond in (pod.get("status") or {}).get("conditions") or ():
        if cond.get("type") == "Ready":
            return cond
    return None


def is_pod_ready(pod: Obj) -> bool:
    """podutil.IsPodReady: the Ready condition is True."""
    cond = ready_condition(pod)
    return cond is not None and cond.get("status") == "True"


def available_at(pod: Obj, min_ready_seconds: int, parse: Parse) -> float | None:
    """When a ready pod counts as available (Ready for minReadySeconds), or None if it is not ready."""
    cond = ready_condition(pod)
    if cond is None or cond.get("status") != "True":
        return None
    if not min_ready_seconds:
        return float("-inf")
    stamp = cond.get("lastTransitionTime")
    return parse(stamp) + min_ready_seconds if stamp else None


def is_pod_available(pod: Obj, min_ready_seconds: int, now: float, parse: Parse) -> bool:
    """podutil.IsPodAvailable: ready, and ready for longer than minReadySeconds (strictly before now)."""
    when = available_at(pod, min_ready_seconds, parse)
    return when is not None and (when == float("-inf") or when < now)


def is_pod_active(pod: Obj) -> bool:
    """controller.IsPodActive: not Succeeded, not Failed, not being deleted."""
    return (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed") \
        and not pod["metadata"].get("deletionTimestamp")


def controller_ref(obj: Obj) -> Obj | None:
    """metav1.GetControllerOf: the ownerReference with controller=true."""
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def new_controller_ref(owner: Obj) -> Obj:
    """metav1.NewControllerRef: controller=true and blockOwnerDeletion=true."""
    meta = owner["metadata"]
    return {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": meta["name"], "uid": meta["uid"],
            "controller": True, "blockOwnerDeletion": True}


_PHASE_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}


def _deletion_cost(pod: Obj) -> int:
    raw = (pod["metadata"].get("annotations") or {}).get(DELETION_COST)
    try:
        return int(raw) if raw is not None else 0
    except ValueError:
        return 0


def _log_rank(at: float | None, now: float) -> int:
    """logarithmicRankDiff's rank: floor(log2) of the age in nanoseconds, -1 for no age."""
    if at is None:
        return -1
    age = (now - at) * 1e9
    return int(math.log2(age)) if age > 0 else -1


def deletion_order_key(pod: Obj, rank: int, now: float, parse: Parse) -> tuple[Any, ...]:
    """controller.ActivePodsWithRanks.Less as a sort key: pods that sort first are deleted first.

    Unassigned < assigned; Pending < Unknown < Running; not ready < ready; lower pod-deletion-cost first;
    more colocated related pods first; ready more recently first and younger first (on a logarithmic scale,
    ties broken by uid, as the LogarithmicScaleDown feature does); more container restarts first.
    """
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    ready = is_pod_ready(pod)
    cond = ready_condition(pod) if ready else None
    ready_at = parse(cond["lastTransitionTime"]) if cond and cond.get("lastTransitionTime") else None
    created = pod["metadata"].get("creationTimestamp")
    created_at = parse(created) if created else None
    restarts = max((c.get("restartCount", 0) for c in status.get("containerStatuses") or ()), default=0)
    return (
        1 if spec.get("nodeName") else 0,
        _PHASE_ORDINAL.get(status.get("phase", ""), 0),
        1 if ready else 0,
        _deletion_cost(pod),
        -rank,
        _log_rank(ready_at, now) if ready else 0,
        -restarts,
        _log_rank(created_at, now),
        pod["metadata"].get("uid", ""),
    )


def slow_start_batches(count: int, initial: int = 1) -> list[int]:
    """The batch sizes of slowStartBatch: 1, 2, 4, ... until `count` calls are made."""
    sizes = []
    remaining = count
    size = min(remaining, initial)
    while size > 0:
        sizes.append(size)
        remaining -= size
        size = min(2 * size, remaining)
    return sizes


# --- conditions ----------------------------------------------------------------------------------------------


def get_condition(status: Obj, type_: str) -> Obj | None:
    for cond in status.get("conditions") or ():
        if cond.get("type") == type_:
            return cond
    return None


def set_deployment_condition(status: Obj, cond: Obj) -> None:
    """SetDeploymentCondition: same status and reason is no change; same status keeps lastTransitionTime."""
    current = get_condition(status, cond["type"])
    if current is not None and current.get("status") == cond["status"] and current.get("reason") == cond["reason"]:
        return
    if current is not None and current.get("status") == cond["status"]:
        cond["lastTransitionTime"] = current.get("lastTransitionTime")
    remove_condition(status, cond["type"])
    status.setdefault("conditions", []).append(cond)


def remove_condition(status: Obj, type_: str) -> None:
    kept = [c for c in status.get("conditions") or () if c.get("type") != type_]
    if kept:
        status["conditions"] = kept
    else:
        status.pop("conditions", None)


def deployment_condition(type_: str, status: str, reason: str, message: str, now: str) -> Obj:
    """NewDeploymentCondition, with the keys in the order the API serialises them."""
    return {"type": type_, "status": status, "lastUpdateTime": now, "lastTransitionTime": now,
            "reason": reason, "message": message}


# --- templates and hashes ------------------------------------------------------------------------------------


def _fnv32a(data: bytes) -> int:
    h = 0x811C9DC5
    for byte in data:
        h ^= byte
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def safe_encode(text: str) -> str:
    """rand.SafeEncodeString: each byte mapped into the alphabet without vowels or confusable characters."""
    return "".join(SAFE_ALPHABET[ord(ch) % len(SAFE_ALPHABET)] for ch in text)


def pod_template_hash(template: Obj, collision_count: int | None = None) -> str:
    """controller.ComputeHash: FNV-32a of the template (plus the collision count), as SafeEncodeString(decimal).

    Go hashes a `%#v`-style dump of the Go struct, which cannot be reproduced from JSON, so this hashes the
    canonical JSON of the template instead: the result has the real shape (`5fcbf6fffd`) and is stable, but
    it is not byte-identical to the hash a real cluster computes for the same template.
    """
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    if collision_count is not None:
        data += (collision_count & 0xFFFFFFFF).to_bytes(4, "little") + b"\x00" * 4
    return safe_encode(str(_fnv32a(data)))


def without_hash(template: Obj | None) -> Obj:
    """A copy of a pod template without the pod-template-hash label (EqualIgnoreHash's normal form)."""
    copy = deep_copy(template or {})
    meta = copy.setdefault("metadata", {})
    labels = dict(meta.get("labels") or {})
    labels.pop(HASH_LABEL, None)
    if labels:
        meta["labels"] = labels
    else:
        meta.pop("labels", None)
    for key in [k for k, v in meta.items() if v in (None, {}, [])]:
        del meta[key]
    return copy


def equal_ignore_hash(a: Obj | None, b: Obj | None) -> bool:
    """deploymentutil.EqualIgnoreHash: templates equal apart from the pod-template-hash label."""
    return without_hash(a) == without_hash(b)


# --- replica counts ------------------------------------------------------------------------------------------


def replicas_of(obj: Obj | None) -> int:
    return int((obj or {}).get("spec", {}).get("replicas") or 0) if obj else 0


def status_count(obj: Obj | None, field: str) -> int:
    return int(((obj or {}).get("status") or {}).get(field) or 0)


def sum_replicas(rss: Iterable[Obj | None]) -> int:
    """GetReplicaCountForReplicaSets: the sum of spec.replicas."""
    return sum(replicas_of(rs) for rs in rss if rs is not None)


def sum_status(rss: Iterable[Obj | None], field: str) -> int:
    """GetActual/Ready/AvailableReplicaCountForReplicaSets: the sum of a status count."""
    return sum(status_count(rs, field) for rs in rss if rs is not None)


def scaled_value(value: Any, total: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent: an int as is, `25%` of total rounded up or down."""
    if isinstance(value, int):
        return value
    text = str(value)
    if not text.endswith("%"):
        raise ValueError(f"invalid value for IntOrString: invalid type: string is not a percentage: {text}")
    percent = int(text[:-1])
    exact = percent * total / 100
    return math.ceil(exact) if round_up else math.floor(exact)


def is_rolling_update(deploy: Obj) -> bool:
    return (deploy.get("spec", {}).get("strategy") or {}).get("type", "RollingUpdate") == "RollingUpdate"


def resolve_fenceposts(deploy: Obj) -> tuple[int, int]:
    """ResolveFenceposts: (maxSurge, maxUnavailable) as pod counts; both zero makes maxUnavailable 1."""
    rolling = (deploy["spec"].get("strategy") or {}).get("rollingUpdate") or {}
    desired = replicas_of(deploy)
    surge = scaled_value(rolling.get("maxSurge", "25%"), desired, True)
    unavailable = scaled_value(rolling.get("maxUnavailable", "25%"), desired, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def max_surge(deploy: Obj) -> int:
    return resolve_fenceposts(deploy)[0] if is_rolling_update(deploy) else 0


def max_unavailable(deploy: Obj) -> int:
    """MaxUnavailable: 0 for Recreate and for zero replicas; never more than the replicas."""
    desired = replicas_of(deploy)
    if not is_rolling_update(deploy) or desired == 0:
        return 0
    return min(resolve_fenceposts(deploy)[1], desired)


def new_rs_new_replicas(deploy: Obj, all_rss: list[Obj], new_rs: Obj) -> int:
    """NewRSNewReplicas: how far the new ReplicaSet may grow now."""
    desired = replicas_of(deploy)
    if not is_rolling_update(deploy):
        return desired
    current = sum_replicas(all_rss)
    max_total = desired + max_surge(deploy)
    if current >= max_total:
        return replicas_of(new_rs)
    return replicas_of(new_rs) + min(max_total - current, desired - replicas_of(new_rs))


def annotation_int(rs: Obj, key: str) -> int | None:
    raw = (rs["metadata"].get("annotations") or {}).get(key)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def revision_of(obj: Obj) -> int:
    """deploymentutil.Revision: the revision annotation, 0 when absent or unreadable."""
    return annotation_int(obj, REVISION) or 0


def set_replicas_annotations(rs: Obj, desired: int, max_replicas: int) -> bool:
    """SetReplicasAnnotations: desired-replicas and max-replicas; True when something changed."""
    annotations = rs["metadata"].setdefault("annotations", {})
    changed = False
    for key, value in ((DESIRED_REPLICAS, str(desired)), (MAX_REPLICAS, str(max_replicas))):
        if annotations.get(key) != value:
            annotations[key] = value
            changed = True
    return changed


def set_new_rs_annotations(deploy: Obj, rs: Obj, new_revision: int, exists: bool) -> bool:
    """SetNewReplicaSetAnnotations: copy the Deployment's annotations, raise the revision (keeping the old
    ones in revision-history when an old ReplicaSet comes back), and the replica annotations on creation."""
    annotations = rs["metadata"].setdefault("annotations", {})
    changed = False
    for key, value in (deploy["metadata"].get("annotations") or {}).items():
        if key not in ANNOTATIONS_TO_SKIP and annotations.get(key) != value:
            annotations[key] = value
            changed = True
    old_text = annotations.get(REVISION)
    try:
        old_revision = int(old_text) if old_text is not None else 0
    except ValueError:
        return False
    if old_revision < new_revision:
        annotations[REVISION] = str(new_revision)
        changed = True
        if old_text is not None:
            _append_revision_history(annotations, old_text)
    if not exists and set_replicas_annotations(rs, replicas_of(deploy), replicas_of(deploy) + max_surge(deploy)):
        changed = True
    return changed


def _append_revision_history(annotations: dict[str, str], old_revision: str) -> None:
    history = annotations.get(REVISION_HISTORY, "")
    if not history:
        annotations[REVISION_HISTORY] = old_revision
        return
    parts = history.split(",")
    total = len(history) + len(old_revision) + 1
    start = 0
    while total > MAX_REVISION_HISTORY_CHARS and start < len(parts):
        total -= len(parts[start]) + 1
        start += 1
    if total <= MAX_REVISION_HISTORY_CHARS:
        annotations[REVISION_HISTORY] = ",".join([*parts[start:], old_revision])


def by_creation(rss: list[Obj], newest_first: bool = False) -> list[Obj]:
    """ReplicaSetsByCreationTimestamp (ties by name), optionally reversed."""
    return sorted(rss, key=lambda r: (r["metadata"].get("creationTimestamp", ""), r["metadata"]["name"]),
                  reverse=newest_first)


def by_size(rss: list[Obj], newer_first: bool) -> list[Obj]:
    """ReplicaSetsBySizeNewer / ReplicaSetsBySizeOlder: the largest first, ties by age."""
    ordered = by_creation(rss, newest_first=newer_first)
    return sorted(ordered, key=lambda r: -replicas_of(r))


def by_revision(rss: list[Obj]) -> list[Obj]:
    """ReplicaSetsByRevision: the oldest revision first, ties by creation."""
    return sorted(by_creation(rss), key=revision_of)


def active(rss: Iterable[Obj | None]) -> list[Obj]:
    """FilterActiveReplicaSets: those that ought to have pods."""
    return [rs for rs in rss if rs is not None and replicas_of(rs) > 0]


def replica_set_fraction(rs: Obj, deploy: Obj) -> int:
    """getReplicaSetFraction: this ReplicaSet's share of a proportional scaling step."""
    desired = replicas_of(deploy)
    if desired == 0:
        return -replicas_of(rs)
    deployment_replicas = desired + max_surge(deploy)
    annotated = annotation_int(rs, MAX_REPLICAS)
    if annotated is None:
        annotated = status_count(deploy, "replicas")
    if not annotated:
        return 0
    exact = replicas_of(rs) * deployment_replicas / annotated
    rounded = int(math.floor(abs(exact) + 0.5)) * (1 if exact >= 0 else -1)  # math.Round: half away from zero
    return rounded - replicas_of(rs)


def proportion(rs: Obj, deploy: Obj, to_add: int, added: int) -> int:
    """GetProportion: the replicas this ReplicaSet gains or loses in a proportional scaling step."""
    if replicas_of(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = replica_set_fraction(rs, deploy)
    allowed = to_add - added
    return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)


def is_saturated(deploy: Obj, rs: Obj | None) -> bool:
    """IsSaturated: the new ReplicaSet runs all the Deployment's replicas, all available."""
    if rs is None:
        return False
    desired = annotation_int(rs, DESIRED_REPLICAS)
    want = replicas_of(deploy)
    return desired is not None and replicas_of(rs) == want and desired == want \
        and status_count(rs, "availableReplicas") == want


def has_progress_deadline(deploy: Obj) -> bool:
    deadline = deploy["spec"].get("progressDeadlineSeconds")
    return deadline is not None and deadline != MAX_INT32


def deployment_complete(deploy: Obj, status: Obj) -> bool:
    """DeploymentComplete: every replica updated and available, and the latest spec observed."""
    want = replicas_of(deploy)
    return (int(status.get("updatedReplicas") or 0) == want and int(status.get("replicas") or 0) == want
            and int(status.get("availableReplicas") or 0) == want
            and int(status.get("observedGeneration") or 0) >= int(deploy["metadata"].get("generation") or 0))


def deployment_progressing(deploy: Obj, status: Obj) -> bool:
    """DeploymentProgressing: more updated, ready or available replicas, or fewer old ones, than last time."""
    old = deploy.get("status") or {}

    def count(s: Obj, key: str) -> int:
        return int(s.get(key) or 0)

    old_old = count(old, "replicas") - count(old, "updatedReplicas")
    new_old = count(status, "replicas") - count(status, "updatedReplicas")
    return (count(status, "updatedReplicas") > count(old, "updatedReplicas") or new_old < old_old
            or count(status, "readyReplicas") > count(old, "readyReplicas")
            or count(status, "availableReplicas") > count(old, "availableReplicas"))


def deployment_timed_out(deploy: Obj, status: Obj, now: float, parse: Parse) -> bool:
    """DeploymentTimedOut: the Progressing condition was last updated longer ago than the deadline."""
    if not has_progress_deadline(deploy):
        return False
    cond = get_condition(status, "Progressing")
    if cond is None or cond.get("reason") == "NewReplicaSetAvailable":
        return False
    if cond.get("reason") == "ProgressDeadlineExceeded":
        return True
    stamp = cond.get("lastUpdateTime")
    return bool(stamp) and parse(stamp) + deploy["spec"]["progressDeadlineSeconds"] < now
