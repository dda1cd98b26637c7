"""The simulated kube-apiserver: the request pipeline in front of the store.

Called by `SimulatedCluster` (which implements the Backend protocol on top of it) and by the simulated
controllers. Each write runs the real apiserver's order: decode (strict field validation) → name
generation → defaulting → mutating admission → validation → storage, and a refused request changes
nothing. Reads return copies, so no caller can corrupt the store.
"""

from __future__ import annotations

import base64
import json
import random
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from ..api import backend as bk
from ..api.errors import (
    STALE_OBJECT,
    ApiError,
    already_exists_error,
    bad_request_error,
    conflict_error,
    forbidden_error,
    invalid_error,
    method_not_allowed_error,
    not_found_error,
)
from ..api.objects import deep_copy
from ..api.registry import REGISTRY, Registry, ResourceType
from .clock import Clock
from .store import Obj, Store, WatchEvent

NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery/pkg/util/rand

# Namespaces the NamespaceLifecycle admission plugin refuses to delete.
IMMORTAL_NAMESPACES = ("default", "kube-system", "kube-public")
# Metadata only the server sets: kept from the stored object on update.
SERVER_META = ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation",
               "selfLink", "managedFields")

# Kinds whose defaulting, admission and validation never read or write `status`: a status update of one
# keeps the stored spec (already defaulted and validated) and is checked only where status rules would be,
# as ValidatePodStatusUpdate / ValidateReplicaSetStatusUpdate check metadata and status only.
STATUS_ONLY_KINDS = frozenset({"Pod", "ReplicaSet", "Deployment", "StatefulSet", "DaemonSet"})
# An admission plugin: (operation, rt, new, old) -> the admitted object (or None to keep `new`); may raise.
Admission = Callable[[str, ResourceType, Obj, Obj | None], Obj | None]


def pod_grace_period(pod: Obj, requested: int | None) -> int:
    """podStrategy.CheckGracefulDelete: the requested period, else terminationGracePeriodSeconds; pods never
    scheduled, and pods that already finished, go at once."""
    spec = pod.get("spec") or {}
    grace = requested if requested is not None else spec.get("terminationGracePeriodSeconds", 30)
    if not spec.get("nodeName") or (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return 0
    return max(int(grace), 0)


def random_suffix(rng: random.Random, n: int = 5) -> str:
    return "".join(rng.choice(NAME_ALPHABET) for _ in range(n))


def _status_request(obj: Obj) -> Obj:
    """What a status update needs of a request, owned by the pipeline: top level and metadata copied
    shallowly, status deeply; the rest (the spec) is only read."""
    if not isinstance(obj.get("metadata", {}), dict):
        return deep_copy(obj)
    out = dict(obj)
    if "metadata" in obj:
        out["metadata"] = dict(obj["metadata"])
    if "status" in obj:
        out["status"] = deep_copy(obj["status"])
    return out


def _same(a: Obj, b: Obj) -> bool:
    """Equal apart from resourceVersion: an update that changes nothing is not written."""
    ma = {k: v for k, v in a.get("metadata", {}).items() if k != "resourceVersion"}
    mb = {k: v for k, v in b.get("metadata", {}).items() if k != "resourceVersion"}
    return ma == mb and {k: v for k, v in a.items() if k != "metadata"} == {
        k: v for k, v in b.items() if k != "metadata"
    }


class APIServer:
    """Create, read, update, patch, delete and watch over a `Store`, as kube-apiserver does."""

    def __init__(self, clock: Clock, rng: random.Random, registry: Registry = REGISTRY):
        self.clock = clock
        self.rng = rng
        self.registry = registry
        self.store = Store()
        self.admission: list[Admission] = []  # mutating + validating plugins, in order
        self.allocation: Any = None  # ServiceAllocation: runs after validation, like the Service registry
        # kind -> the grace period a delete gets (the strategy's CheckGracefulDelete)
        self.graceful: dict[str, Callable[[Obj, int | None], int | None]] = {"Pod": pod_grace_period}
        self._applied: dict[tuple[str, str, str, str], Obj] = {}  # server-side apply: last config per manager
        self._by_uid: dict[str, tuple[ResourceType, str, str]] = {}
        self.store.subscribe(self._track_uid)

    # --- helpers -----------------------------------------------------------------------------------
    def _track_uid(self, event: WatchEvent) -> None:
        meta = event.object["metadata"]
        uid = meta.get("uid")
        if not uid:
            return
        if event.type == "DELETED":
            self._by_uid.pop(uid, None)
        else:
            rt = self._rt_by_resource(event.resource)
            self._by_uid[uid] = (rt, meta.get("namespace", ""), meta["name"])

    def _rt_by_resource(self, group_resource: str) -> ResourceType:
        return self.registry.for_group_resource(group_resource)

    def exists_uid(self, uid: str) -> bool:
        return uid in self._by_uid

    def by_uid(self, uid: str) -> Obj | None:
        where = self._by_uid.get(uid)
        if where is None:
            return None
        rt, ns, name = where
        return self.store.get(rt.group_resource, ns, name)

    def new_uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _ns(self, rt: ResourceType, namespace: str | None) -> str:
        return (namespace or "") if rt.namespaced else ""

    def _stored(self, rt: ResourceType, name: str, namespace: str | None) -> Obj:
        obj = self.store.get(rt.group_resource, self._ns(rt, namespace), name)
        if obj is None:
            raise not_found_error(rt.plural, rt.group, name)
        return obj

    def _check_type(self, rt: ResourceType, obj: Obj) -> None:
        api_version = obj.get("apiVersion")
        kind = obj.get("kind")
        if not api_version or not kind:
            obj.setdefault("apiVersion", rt.api_version)
            obj.setdefault("kind", rt.kind)
            return
        if kind != rt.kind or not self.registry.accepts_version(rt, api_version):
            raise bad_request_error(
                f"the API version in the data ({api_version}) does not match the expected API version "
                f"({rt.api_version})"
                if kind == rt.kind
                else f"the kind in the data ({kind}) does not match the expected kind ({rt.kind})"
            )

    def _decode(self, rt: ResourceType, obj: Obj, field_validation: str) -> tuple[Obj, list[str]]:
        from ..api.conversion import convert_to_storage_version
        from ..api.decoding import decode

        decoded, warnings = decode(obj, field_validation=field_validation)
        return convert_to_storage_version(rt, decoded), warnings

    def _default(self, obj: Obj) -> Obj:
        """Default `obj` in place: the pipeline owns it (a copy of the request, or of the stored object)."""
        from ..api.defaulting import defaulter_for

        defaulter = defaulter_for(obj.get("apiVersion", ""), obj.get("kind", ""))
        if defaulter is not None:
            defaulter(obj)
        return obj

    def _prepare_create(self, obj: Obj) -> Obj:
        from ..api.defaults import prepare_for_create

        return prepare_for_create(obj, now=self.clock.timestamp())

    def _prepare_update(self, new: Obj, old: Obj) -> Obj:
        from ..api.defaults import prepare_for_update

        return prepare_for_update(new, old)

    def _validate_create(self, rt: ResourceType, obj: Obj) -> None:
        from ..api.validation import validate_create

        errors = validate_create(obj)
        if errors:
            raise invalid_error(rt.kind, rt.group, obj["metadata"].get("name", ""), errors)

    def _validate_update(self, rt: ResourceType, new: Obj, old: Obj) -> None:
        from ..api.validation import validate_update

        errors = validate_update(new, old)
        if errors:
            raise invalid_error(rt.kind, rt.group, new["metadata"].get("name", ""), errors)

    def _allocate(self, operation: str, rt: ResourceType, obj: Obj, old: Obj | None, dry_run: bool) -> None:
        if self.allocation is None:
            return
        errors = self.allocation.allocate(operation, rt, obj, old)
        if errors:
            raise invalid_error(rt.kind, rt.group, obj["metadata"].get("name", ""), errors)
        if dry_run:
            self.allocation.undo()

    # --- reads -------------------------------------------------------------------------------------
    def get(self, rt: ResourceType, name: str, namespace: str | None = None) -> Obj:
        return deep_copy(self._stored(rt, name, namespace))

    def peek(self, rt: ResourceType, name: str, namespace: str | None = None) -> Obj | None:
        """The stored object itself, for controllers that only read it (never mutate the result)."""
        return self.store.get(rt.group_resource, self._ns(rt, namespace), name)

    def list(
        self, rt: ResourceType, namespace: str | None = None, label_selector: str = "", field_selector: str = "",
        limit: int | None = None, continue_token: str | None = None,
    ) -> Obj:
        items = self.select(rt, namespace, label_selector, field_selector)
        start = 0
        if continue_token:
            try:
                start = int(json.loads(base64.b64decode(continue_token))["start"])
            except (ValueError, KeyError, TypeError) as exc:
                raise bad_request_error(f"invalid continue token: {exc}") from exc
        end = len(items) if not limit or limit <= 0 else min(len(items), start + limit)
        page = [deep_copy(o) for o in items[start:end]]
        for item in page:  # typed lists carry no TypeMeta on their items
            item.pop("apiVersion", None)
            item.pop("kind", None)
        meta: Obj = {"resourceVersion": str(self.store.revision)}
        if end < len(items):
            meta["continue"] = base64.b64encode(json.dumps({"start": end}).encode()).decode()
            meta["remainingItemCount"] = len(items) - end
        return {"kind": f"{rt.kind}List", "apiVersion": rt.api_version, "metadata": meta, "items": page}

    def select(self, rt: ResourceType, namespace: str | None = None, label_selector: str = "",
               field_selector: str = "") -> list[Obj]:
        """Stored objects matching the selectors, in etcd key order (namespace, name). Not copied."""
        from ..api.selectors import check_field_selector, label_selector_from_query, object_fields

        ns = self._ns(rt, namespace) or None
        labels = label_selector_from_query(label_selector) if label_selector else None
        fields = check_field_selector(rt.kind, field_selector, rt.group) if field_selector else None
        candidates: list[Obj] | None = None
        if labels is not None:
            for key, value in labels.equalities:
                found = self.store.with_label(rt.group_resource, key, value, ns, ordered=False)
                if candidates is None or len(found) < len(candidates):
                    candidates = found
        if candidates is None:
            candidates = list(self.store.list(rt.group_resource, ns))
        out = []
        for obj in candidates:
            if labels is not None and not labels.matches(obj["metadata"].get("labels")):
                continue
            if fields is not None and not fields.matches(object_fields(obj)):
                continue
            out.append(obj)
        out.sort(key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))
        return out

    # --- create ------------------------------------------------------------------------------------
    def create(self, rt: ResourceType, obj: Obj, namespace: str | None = None, *, dry_run: bool = False,
               field_validation: str = "Strict", trusted: bool = False, copy_result: bool = True,
               owned: bool = False) -> Obj:
        """POST: the created object (a copy; with `copy_result=False` the stored object itself, for control-plane
        callers that only read it). With `owned`, a control-plane caller hands `obj` over (it built it for this
        request and never touches it again), so it is not copied first."""
        if "create" not in rt.verbs:
            raise method_not_allowed_error("the server does not allow this method on the requested resource")
        if not owned:
            obj = deep_copy(obj)
        if not isinstance(obj.get("metadata", {}), dict):
            raise bad_request_error(f"{rt.kind} in version \"{rt.version}\" cannot be handled as a {rt.kind}: "
                                    "json: cannot unmarshal into Go struct field .metadata of type v1.ObjectMeta")
        self._check_type(rt, obj)
        if not trusted:
            obj, _warnings = self._decode(rt, obj, field_validation)
        meta = obj.setdefault("metadata", {})
        self._place_namespace(rt, meta, namespace)
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = meta["generateName"] + random_suffix(self.rng)
        for key in ("uid", "resourceVersion", "creationTimestamp", "deletionTimestamp",
                    "deletionGracePeriodSeconds", "generation", "selfLink", "managedFields"):
            meta.pop(key, None)
        obj = self._default(obj)
        for plugin in self.admission:
            obj = plugin("CREATE", rt, obj, None) or obj
        obj = self._prepare_create(obj)
        meta = obj["metadata"]
        # FillObjectMetaSystemFields runs before validation (the Job strategy's Validate uses the uid)
        meta["uid"] = self.new_uid()
        meta["creationTimestamp"] = self.clock.timestamp()
        if rt.kind == "Job":
            from ..api.defaults import job_selector_defaults

            obj = job_selector_defaults(obj, meta["uid"])
            meta = obj["metadata"]
        self._validate_create(rt, obj)
        if self.store.get(rt.group_resource, meta.get("namespace", ""), meta["name"]) is not None:
            raise already_exists_error(rt.plural, rt.group, meta["name"])
        self._allocate("CREATE", rt, obj, None, dry_run)
        if dry_run:
            return deep_copy(obj)
        self.store.put(rt, obj)
        return deep_copy(obj) if copy_result else obj

    def _place_namespace(self, rt: ResourceType, meta: Obj, namespace: str | None) -> None:
        if not rt.namespaced:
            meta.pop("namespace", None)
            return
        given = meta.get("namespace")
        if namespace and given and given != namespace:
            raise bad_request_error(
                "the namespace of the provided object does not match the namespace sent on the request"
            )
        meta["namespace"] = given or namespace or "default"

    # --- update ------------------------------------------------------------------------------------
    def update(self, rt: ResourceType, obj: Obj, namespace: str | None = None, *, subresource: str | None = None,
               dry_run: bool = False, field_validation: str = "Strict", _from_patch: bool = False,
               trusted: bool = False, copy_result: bool = True) -> Obj:
        status_only = subresource == "status" and (trusted or _from_patch)
        # a status write reads only the request's status: the rest of a control-plane request is not copied
        obj = _status_request(obj) if status_only else deep_copy(obj)
        self._check_type(rt, obj)
        meta = obj.setdefault("metadata", {})
        name = meta.get("name", "")
        if rt.namespaced:
            self._place_namespace(rt, meta, namespace)
        old = self._stored(rt, name, meta.get("namespace") if rt.namespaced else None)
        given_rv = meta.get("resourceVersion")
        if given_rv and given_rv != old["metadata"].get("resourceVersion"):
            raise conflict_error(rt.plural, rt.group, name, STALE_OBJECT)
        uid = meta.get("uid")
        if uid and uid != old["metadata"].get("uid"):
            raise conflict_error(
                rt.plural, rt.group, name,
                f"Precondition failed: UID in precondition: {uid}, UID in object meta: {old['metadata'].get('uid')}",
            )
        if not _from_patch and not trusted:
            obj, _warnings = self._decode(rt, obj, field_validation)
        shared = subresource == "status" and rt.kind in STATUS_ONLY_KINDS
        new = self._status_for_update(obj, old, shared) if subresource == "status" else \
            self._merge_for_update(rt, obj, old, subresource)
        # an unconditional update (no resourceVersion) applies to the current version, as the store does
        new["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"]
        if not shared:  # a shared spec is the stored one, defaulted and validated when it was written
            new = self._default(new)
        for plugin in self.admission:
            new = plugin("UPDATE", rt, new, old) or new
        if subresource not in ("status", "finalize"):
            new = self._prepare_update(new, old)
        if not shared:
            self._validate_update(rt, new, old)
        self._allocate("UPDATE", rt, new, old, dry_run)
        if _same(new, old):
            return deep_copy(old) if copy_result else old
        if dry_run:
            return deep_copy(new)
        written = self._write(rt, new)
        return deep_copy(written) if copy_result else written

    @staticmethod
    def _status_for_update(obj: Obj, old: Obj, shared: bool) -> Obj:
        """The status subresource: the stored object with the request's status (the rest of the request is
        ignored). `shared` keeps the stored spec and metadata contents by reference instead of copying them:
        stored objects are never mutated, and nothing in the status pipeline writes to them."""
        if shared:
            new = {k: v for k, v in old.items() if k != "status"}
            new["metadata"] = dict(old["metadata"])
        else:
            new = deep_copy({k: v for k, v in old.items() if k != "status"})
        if "status" in obj:
            new["status"] = obj["status"]
        return new

    def _merge_for_update(self, rt: ResourceType, obj: Obj, old: Obj, subresource: str | None) -> Obj:
        if subresource not in (None, "", "finalize"):
            raise bad_request_error(f"subresource {subresource!r} is not supported by this operation")
        new = obj
        for key in SERVER_META:
            if key in old["metadata"]:
                new["metadata"][key] = old["metadata"][key]
            else:
                new["metadata"].pop(key, None)
        if subresource == "finalize" and rt.kind == "Namespace":
            fin = obj.get("spec", {}).get("finalizers")
            new = deep_copy(old)
            new.setdefault("spec", {})["finalizers"] = fin or []
            if not fin:
                del new["spec"]["finalizers"]
        return new

    def _write(self, rt: ResourceType, new: Obj) -> Obj:
        """Store `new`; an object being deleted whose last finalizer went away is removed."""
        meta = new["metadata"]
        if meta.get("deletionTimestamp") and not meta.get("finalizers") and not self._waits_for_grace(rt, new):
            return self.store.remove(rt, meta.get("namespace", ""), meta["name"]) or new
        return self.store.put(rt, new)

    def _waits_for_grace(self, rt: ResourceType, obj: Obj) -> bool:
        if rt.kind == "Namespace":
            return bool(obj.get("spec", {}).get("finalizers"))
        return rt.kind in self.graceful and obj["metadata"].get("deletionGracePeriodSeconds", 0) > 0

    # --- patch -------------------------------------------------------------------------------------
    def patch(self, rt: ResourceType, name: str, patch: Any, patch_type: str, namespace: str | None = None, *,
              subresource: str | None = None, dry_run: bool = False, field_manager: str | None = None,
              force: bool = False, field_validation: str = "Strict") -> Obj:
        from ..api import openapi
        from ..api import patch as patching

        if patch_type not in bk.PATCH_TYPES:
            raise ApiError({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                            "message": f"the body of the request was in an unknown format - accepted media types "
                                       f"include: {', '.join(bk.PATCH_TYPES)}",
                            "reason": "UnsupportedMediaType", "code": 415})
        if isinstance(patch, (str, bytes)):
            try:
                import yaml

                patch = yaml.safe_load(patch) if patch_type == bk.APPLY_PATCH else json.loads(patch)
            except (ValueError, yaml.YAMLError) as exc:
                raise bad_request_error(f"error decoding patch: {exc}") from exc
        if patch_type == bk.APPLY_PATCH:
            return self._server_side_apply(rt, name, patch, namespace, field_manager, dry_run, field_validation)
        current = self.store.get(rt.group_resource, self._ns(rt, namespace or "default"), name)
        if current is None:
            raise not_found_error(rt.plural, rt.group, name)
        schema = openapi.schema_for_kind(rt.api_version, rt.kind)
        base = deep_copy(current)
        if patch_type == bk.MERGE_PATCH:
            patched = patching.apply_merge_patch(base, patch)
        elif patch_type == bk.STRATEGIC_MERGE_PATCH:
            patched = patching.apply_strategic_merge_patch(base, patch, schema)
        else:
            patched = patching.apply_json_patch(base, patch)
        if not isinstance(patched, dict):
            raise bad_request_error("the patch did not produce an object")
        if (patched.get("metadata") or {}).get("resourceVersion") == current["metadata"].get("resourceVersion"):
            patched["metadata"].pop("resourceVersion", None)
        patched, _warnings = self._decode(rt, patched, field_validation)
        return self.update(rt, patched, namespace, subresource=subresource, dry_run=dry_run, _from_patch=True)

    def _server_side_apply(self, rt: ResourceType, name: str, config: Obj, namespace: str | None,
                           field_manager: str | None, dry_run: bool, field_validation: str) -> Obj:
        """Server-side apply: create, or merge the manager's configuration, removing what it no longer sets."""
        from ..api import openapi
        from ..api import patch as patching

        if not field_manager:
            raise bad_request_error("PATCH requests with apply content type require a fieldManager parameter")
        if not isinstance(config, dict):
            raise bad_request_error("error decoding YAML: the apply configuration is not an object")
        config = deep_copy(config)
        config.setdefault("metadata", {}).setdefault("name", name)
        ns = self._ns(rt, namespace or config["metadata"].get("namespace") or "default")
        key = (rt.group_resource, ns, name, field_manager)
        current = self.store.get(rt.group_resource, ns, name)
        if current is None:
            created = self.create(rt, config, ns or None, dry_run=dry_run, field_validation=field_validation)
            if not dry_run:
                self._applied[key] = config
            return created
        previous = self._applied.get(key, {})
        schema = openapi.schema_for_kind(rt.api_version, rt.kind)
        patch = patching.create_three_way_merge_patch(previous, config, deep_copy(current), schema)
        result = self.patch(rt, name, patch, bk.STRATEGIC_MERGE_PATCH, ns or None, dry_run=dry_run,
                            field_validation=field_validation)
        if not dry_run:
            self._applied[key] = config
        return result

    # --- delete ------------------------------------------------------------------------------------
    def delete(self, rt: ResourceType, name: str, namespace: str | None = None, *,
               propagation_policy: str | None = None, grace_period_seconds: int | None = None,
               dry_run: bool = False) -> Obj:
        if "delete" not in rt.verbs:
            raise method_not_allowed_error("the server does not allow this method on the requested resource")
        current = self._stored(rt, name, namespace)
        if rt.kind == "Namespace" and name in IMMORTAL_NAMESPACES:
            raise forbidden_error(rt.plural, rt.group, name, "this namespace may not be deleted")
        if propagation_policy not in (None, "Orphan", "Background", "Foreground"):
            raise bad_request_error(
                f'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: '
                f'"{propagation_policy}": supported values: "Foreground", "Background", "Orphan", "nil"'
            )
        obj = deep_copy(current)
        meta = obj["metadata"]
        finalizers = list(meta.get("finalizers") or [])
        if propagation_policy == "Orphan" and "orphan" not in finalizers:
            finalizers.append("orphan")
        if propagation_policy == "Foreground" and "foregroundDeletion" not in finalizers:
            finalizers.append("foregroundDeletion")
        grace = None
        if rt.kind in self.graceful:
            grace = self.graceful[rt.kind](obj, grace_period_seconds)
        if dry_run:
            return obj
        if rt.kind == "Namespace":
            return self._delete_namespace(rt, obj)
        if not finalizers and not grace:
            removed = self.store.remove(rt, meta.get("namespace", ""), name)
            return deep_copy(removed or obj)
        if finalizers:
            meta["finalizers"] = finalizers
        if not meta.get("deletionTimestamp"):
            meta["deletionTimestamp"] = self.clock.timestamp(self.clock.now + (grace or 0))
            meta["deletionGracePeriodSeconds"] = grace or 0
        elif grace is not None and grace < meta.get("deletionGracePeriodSeconds", 0):
            meta["deletionTimestamp"] = self.clock.timestamp(self.clock.now + grace)
            meta["deletionGracePeriodSeconds"] = grace
        return deep_copy(self.store.put(rt, obj))

    def _delete_namespace(self, rt: ResourceType, obj: Obj) -> Obj:
        meta = obj["metadata"]
        if not meta.get("deletionTimestamp"):
            meta["deletionTimestamp"] = self.clock.timestamp()
            meta["deletionGracePeriodSeconds"] = 0
            obj.setdefault("status", {})["phase"] = "Terminating"
            return deep_copy(self.store.put(rt, obj))
        return obj

    def bind(self, name: str, namespace: str, node: str, copy_result: bool = True) -> Obj:
        """POST pods/{name}/binding: assign a pending pod to a node (what the scheduler does)."""
        pods = self.registry.resolve("pods")
        pod = self._stored(pods, name, namespace)
        if pod["metadata"].get("deletionTimestamp"):
            raise conflict_error("pods/binding", "", name, f"pod {name} is being deleted, cannot be assigned to a host")
        current = (pod.get("spec") or {}).get("nodeName")
        if current:
            raise conflict_error("pods/binding", "", name, f"pod {name} is already assigned to node {json.dumps(current)}")
        # the stored pod is never mutated: the new version copies what changes and shares the rest
        bound = {**pod, "metadata": dict(pod["metadata"]), "spec": {**pod["spec"], "nodeName": node},
                 "status": dict(pod.get("status") or {})}
        status = bound["status"]
        conditions = [c for c in status.get("conditions", []) if c.get("type") != "PodScheduled"]
        conditions.insert(0, {"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                              "lastTransitionTime": self.clock.timestamp()})
        status["conditions"] = conditions
        stored = self.store.put(pods, bound)
        return deep_copy(stored) if copy_result else stored

    def finish_deletion(self, rt: ResourceType, name: str, namespace: str | None = None) -> Obj | None:
        """Remove an object whose graceful deletion is over (the kubelet's final delete with grace 0)."""
        return self.store.remove(rt, self._ns(rt, namespace), name)

    # --- watch -------------------------------------------------------------------------------------
    def watch(self, rt: ResourceType, namespace: str | None = None, label_selector: str = "",
              field_selector: str = "", resource_version: str | None = None,
              timeout_seconds: float | None = None) -> Iterator[dict[str, Any]]:
        """Events after `resource_version` (or the current state as ADDED events when it is empty or "0")."""
        from ..api.selectors import check_field_selector, label_selector_from_query, object_fields

        labels = label_selector_from_query(label_selector) if label_selector else None
        fields = check_field_selector(rt.kind, field_selector, rt.group) if field_selector else None
        ns = self._ns(rt, namespace) or None

        def wanted(obj: Obj) -> bool:
            if ns and obj["metadata"].get("namespace") != ns:
                return False
            if labels is not None and not labels.matches(obj["metadata"].get("labels")):
                return False
            return fields is None or fields.matches(object_fields(obj))

        if not resource_version or resource_version == "0":
            since = self.store.revision
            initial = [{"type": "ADDED", "object": deep_copy(o)} for o in self.select(rt, ns, label_selector,
                                                                                    field_selector)]
        else:
            since = int(resource_version)
            if since < self.store.oldest_revision() - 1:
                raise ApiError({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                "message": f"too old resource version: {since} ({self.store.oldest_revision()})",
                                "reason": "Expired", "code": 410})
            initial = []
        return _Watch(self.store, rt.group_resource, since, wanted, initial)


class TrustedClient:
    """The control plane's own connection to the apiserver (controllers, scheduler, kubelets, recorder).

    Its creates and updates skip the request-decoding step: they are built from objects the apiserver
    decoded already, so decoding them again would only cost time. Defaulting, admission, validation and
    storage run as for any request; every other attribute is the apiserver's own.
    """

    def __init__(self, api: APIServer):
        self._api = api

    def __getattr__(self, name: str) -> Any:
        return getattr(self._api, name)

    def create(self, *args: Any, **kwargs: Any) -> Obj:
        return self._api.create(*args, trusted=True, **kwargs)

    def update(self, *args: Any, **kwargs: Any) -> Obj:
        return self._api.update(*args, trusted=True, **kwargs)


class _Watch:
    """An iterator over watch events that yields what has happened so far and then stops.

    In-process callers advance virtual time and iterate again to see more; `serve` polls it.
    """

    def __init__(self, store: Store, resource: str, since: int, wanted: Callable[[Obj], bool],
                 initial: list[dict[str, Any]]):
        self.store = store
        self.resource = resource
        self.since = since
        self.wanted = wanted
        self.pending = initial

    def __iter__(self) -> _Watch:
        return self

    def __next__(self) -> dict[str, Any]:
        if not self.pending:
            for event in self.store.events_since(self.since, self.resource):
                self.since = event.resource_version
                if self.wanted(event.object):
                    self.pending.append({"type": event.type, "object": deep_copy(event.object)})
        if not self.pending:
            raise StopIteration
        return self.pending.pop(0)
