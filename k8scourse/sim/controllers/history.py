"""ControllerRevisions and the pod bookkeeping shared by the StatefulSet, DaemonSet and Job controllers.

Called by `statefulset.py`, `daemonset.py` and `job.py`. Follows pkg/controller/history/controller_history.go
(revision names `<owner>-<hash>`, the `controller-revision-hash` label, revision numbers, collision
counts) and pkg/controller/controller_utils.go (GetPodFromTemplate, controller references, the
SuccessfulCreate/SuccessfulDelete pod events, pod readiness and availability).

The hash is FNV-32a over the canonical JSON of the revision's data (Go hashes a `%#v`-style dump with
DeepHashObject, which Python cannot reproduce byte for byte), written with `rand.SafeEncodeString`'s
alphabet, so names have the real shape (`web-7b8cdc7c58`) without being byte-identical to Go's.
"""

from __future__ import annotations

import json
from typing import Any

from ...api.errors import ApiError
from ...api.objects import deep_copy
from ...api.registry import REGISTRY
from ..apiserver import NAME_ALPHABET, APIServer
from .deploymentutil import controller_ref as controller_of
from .deploymentutil import new_controller_ref

Obj = dict[str, Any]

PODS = REGISTRY.resolve("pods")
CONTROLLER_REVISIONS = REGISTRY.resolve("controllerrevisions")
REVISION_HASH_LABEL = "controller-revision-hash"  # apps.ControllerRevisionHashLabelKey


# --- hashing -----------------------------------------------------------------------------------------

def fnv32a(data: bytes) -> int:
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def safe_encode(text: str) -> str:
    """rand.SafeEncodeString: each byte mapped onto the alphabet without vowels or look-alikes."""
    return "".join(NAME_ALPHABET[ord(ch) % len(NAME_ALPHABET)] for ch in text)


def compute_hash(data: Any, collision_count: int | None = None) -> str:
    """The hash of `data` (a pod template or revision data), salted with the collision count."""
    raw = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    if collision_count:
        raw += str(collision_count).encode()
    return safe_encode(str(fnv32a(raw)))


# --- ownership and pods ------------------------------------------------------------------------------

def owned(api: APIServer, owner: Obj, kind: str) -> list[Obj]:
    """Objects of `kind` whose controller is `owner`, in name order (through the owner index)."""
    uid = owner["metadata"]["uid"]
    found = []
    for obj in api.store.dependents(uid):
        ref = controller_of(obj)
        if obj.get("kind") == kind and ref is not None and ref.get("uid") == uid:
            found.append(obj)
    return sorted(found, key=lambda o: o["metadata"]["name"])


def pod_from_template(template: Obj, owner: Obj, generate_name: str | None = None) -> Obj:
    """controller.GetPodFromTemplate: labels, annotations and finalizers of the template, its spec, and
    a controller reference to `owner`; `generateName` is `<owner>-` unless given."""
    meta = template.get("metadata") or {}
    pod_meta: Obj = {"generateName": f"{owner['metadata']['name']}-" if generate_name is None else generate_name,
                     "namespace": owner["metadata"].get("namespace", "default"),
                     "labels": dict(meta.get("labels") or {}),
                     "ownerReferences": [new_controller_ref(owner)]}
    if meta.get("annotations"):
        pod_meta["annotations"] = dict(meta["annotations"])
    if meta.get("finalizers"):
        pod_meta["finalizers"] = list(meta["finalizers"])
    return {"apiVersion": "v1", "kind": "Pod", "metadata": pod_meta, "spec": deep_copy(template.get("spec") or {})}


def condition(obj: Obj, type_: str) -> Obj | None:
    for cond in (obj.get("status") or {}).get("conditions") or ():
        if cond.get("type") == type_:
            return cond
    return None


def is_pod_ready(pod: Obj) -> bool:
    cond = condition(pod, "Ready")
    return cond is not None and cond.get("status") == "True"


def is_running_and_ready(pod: Obj) -> bool:
    return (pod.get("status") or {}).get("phase") == "Running" and is_pod_ready(pod)


def available_in(api: APIServer, pod: Obj, min_ready_seconds: int) -> float | None:
    """Seconds until a ready pod counts as available (0 when it already is); None when it is not ready."""
    cond = condition(pod, "Ready")
    if cond is None or cond.get("status") != "True":
        return None
    if not min_ready_seconds:
        return 0.0
    since = cond.get("lastTransitionTime")
    ready_at = api.clock.parse(since) if since else api.clock.now
    return max(0.0, ready_at + min_ready_seconds - api.clock.now)


def is_terminating(obj: Obj) -> bool:
    return bool(obj["metadata"].get("deletionTimestamp"))


def pod_phase(pod: Obj) -> str:
    return (pod.get("status") or {}).get("phase", "")


def delete_quietly(api: APIServer, rt: Any, name: str, namespace: str, **options: Any) -> bool:
    """Delete, treating an object already gone as success (as the controllers ignore NotFound)."""
    try:
        api.delete(rt, name, namespace, **options)
    except ApiError as exc:
        if exc.code != 404:
            raise
        return False
    return True


def omit_empty(status: Obj, keep: tuple[str, ...]) -> Obj:
    """A status as Go's encoder writes it: zero values of `omitempty` fields dropped, `keep` kept."""
    return {k: v for k, v in status.items() if k in keep or v not in (0, None, "", [], {})}


# --- ControllerRevisions -----------------------------------------------------------------------------

def template_patch(owner: Obj) -> Obj:
    """getPatch (StatefulSet and DaemonSet): the template, replacing the old one when applied."""
    template = deep_copy(owner["spec"]["template"])
    template["$patch"] = "replace"
    return {"spec": {"template": template}}


def revision_template(revision: Obj) -> Obj:
    """The pod template a revision recorded."""
    template = deep_copy(revision["data"]["spec"]["template"])
    template.pop("$patch", None)
    return template


class History:
    """The ControllerRevisions of one owner: find, create, re-number and prune them."""

    def __init__(self, api: APIServer, owner: Obj):
        self.api = api
        self.owner = owner
        self.namespace = owner["metadata"].get("namespace", "default")

    def revisions(self) -> list[Obj]:
        """Owned revisions, oldest revision number first."""
        found = owned(self.api, self.owner, "ControllerRevision")
        return sorted(found, key=lambda r: (r.get("revision", 0), r["metadata"]["name"]))

    def next_number(self) -> int:
        revisions = self.revisions()
        return revisions[-1].get("revision", 0) + 1 if revisions else 1

    def ensure(self, data: Obj, labels: dict[str, str]) -> tuple[Obj, int]:
        """The revision holding `data` (created, or re-numbered as the newest when it is an old one), and
        the collision count used to name it."""
        collision = int((self.owner.get("status") or {}).get("collisionCount") or 0)
        number = self.next_number()
        for existing in reversed(self.revisions()):
            if existing.get("data") == data:
                if existing.get("revision", 0) != number - 1:
                    updated = deep_copy(existing)
                    updated["revision"] = number
                    existing = self.api.update(CONTROLLER_REVISIONS, updated, self.namespace)
                return existing, collision
        while True:
            hash_ = compute_hash(data, collision)
            name = f"{self.owner['metadata']['name']}-{hash_}"
            clash = self.api.peek(CONTROLLER_REVISIONS, name, self.namespace)
            if clash is None:
                break
            collision += 1
        revision = {"apiVersion": "apps/v1", "kind": "ControllerRevision",
                    "metadata": {"name": name, "namespace": self.namespace,
                                 "labels": {**labels, REVISION_HASH_LABEL: hash_},
                                 "ownerReferences": [new_controller_ref(self.owner)]},
                    "data": data, "revision": number}
        return self.api.create(CONTROLLER_REVISIONS, revision, self.namespace), collision

    def prune(self, limit: int, in_use: set[str]) -> None:
        """Delete the oldest revisions beyond `limit` that no pod and no status names."""
        candidates = [r for r in self.revisions() if r["metadata"]["name"] not in in_use]
        for revision in candidates[:max(0, len(candidates) - limit)]:
            delete_quietly(self.api, CONTROLLER_REVISIONS, revision["metadata"]["name"], self.namespace)
