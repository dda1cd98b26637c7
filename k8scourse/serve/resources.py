"""The REST verbs on resources: get, list, create, update, patch, delete, deletecollection, and the
status, scale, binding and eviction subresources, each a backend call under the server's lock.

Called by `k8scourse.serve.handler` with a parsed `Route`. Answers as kube-apiserver does
(k8s.io/apiserver/pkg/endpoints/handlers): 201 for a create, the object or a Success Status for a
delete, Tables when the Accept header asks for `as=Table`, errors as Status objects.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..api import backend as bk
from ..api.errors import (
    STALE_OBJECT,
    ApiError,
    FieldError,
    bad_request_error,
    conflict_error,
    invalid,
    invalid_error,
    method_not_allowed_error,
)
from ..api.printing import build_table
from ..api.registry import ResourceType
from .request import METADATA, TABLE, Reply, Request, success_status
from .routes import Route

if TYPE_CHECKING:
    from .server import Server

Obj = dict[str, Any]

# Resources whose registry answers a delete with the object rather than a Status (ReturnDeletedObject
# in pkg/registry/*/storage/storage.go).
RETURNS_DELETED_OBJECT = ("pods", "serviceaccounts", "storageclasses.storage.k8s.io")
METADATA_API_VERSION = "meta.k8s.io/v1"


def _typed(rt: ResourceType, obj: Obj) -> Obj:
    out = {"apiVersion": rt.api_version, "kind": rt.kind}
    out.update(obj)
    return out


def _partial(obj: Obj) -> Obj:
    return {"kind": METADATA, "apiVersion": METADATA_API_VERSION, "metadata": obj.get("metadata") or {}}


class Resources:
    """The verbs of one server; `srv` holds the backend and the lock around it."""

    def __init__(self, srv: Server):
        self.srv = srv

    @property
    def backend(self) -> Any:
        return self.srv.backend

    # --- dispatch ---------------------------------------------------------------------------------
    def handle(self, route: Route, req: Request) -> Reply:
        method = req.method
        sub = route.subresource
        if sub in ("exec", "attach", "portforward", "proxy"):
            raise _not_streamed(sub)
        if sub == "scale":
            return self.scale(route, req)
        if sub == "binding" and method == "POST":
            return self.binding(route, req)
        if sub == "eviction" and method == "POST":
            return self.eviction(route, req)
        if sub not in (None, "status", "finalize", "log"):
            raise method_not_allowed_error(f"the simulated cluster does not serve {route.rt.plural}/{sub}")
        if route.collection:
            return self._collection(route, req, method)
        return self._item(route, req, method)

    def _collection(self, route: Route, req: Request, method: str) -> Reply:
        if method == "GET":
            return self.list(route, req)
        if method == "POST":
            return self.create(route, req)
        if method == "DELETE":
            return self.delete_collection(route, req)
        raise method_not_allowed_error("the server does not allow this method on the requested resource")

    def _item(self, route: Route, req: Request, method: str) -> Reply:
        if method == "GET":
            return self.get(route, req)
        if method == "PUT":
            return self.update(route, req)
        if method == "PATCH":
            return self.patch(route, req)
        if method == "DELETE" and route.subresource is None:
            return self.delete(route, req)
        raise method_not_allowed_error("the server does not allow this method on the requested resource")

    def _ns(self, route: Route) -> str | None:
        return route.namespace if route.rt.namespaced else None

    # --- reads ------------------------------------------------------------------------------------
    def get(self, route: Route, req: Request) -> Reply:
        rt, ns = route.rt, self._ns(route)
        wants = req.wants()
        with self.srv.lock:
            obj = self.backend.get(rt, route.name, ns)
            if wants == TABLE:
                table = self.backend.table(rt, ns, name=route.name)
        if wants == TABLE:
            return Reply(200, _include_objects(table, [obj], rt, req))
        if wants == METADATA:
            return Reply(200, _partial(obj))
        return Reply(200, obj)

    def list(self, route: Route, req: Request) -> Reply:
        rt, ns = route.rt, self._ns(route)
        if req.flag("watch"):
            raise RuntimeError("watch requests are streamed by the handler")
        selectors = (req.param("labelSelector") or "", req.param("fieldSelector") or "")
        wants = req.wants()
        with self.srv.lock:
            listing = self.backend.list(rt, ns, *selectors, limit=req.int_param("limit"),
                                        continue_token=req.param("continue") or None)
            table = self.backend.table(rt, ns, *selectors) if wants == TABLE else None
        if table is not None:
            return Reply(200, _page_of_table(table, listing, rt, req))
        if wants == METADATA:
            items = [_partial(item) for item in listing["items"]]
            return Reply(200, {"kind": METADATA + "List", "apiVersion": METADATA_API_VERSION,
                               "metadata": listing["metadata"], "items": items})
        return Reply(200, listing)

    # --- writes -----------------------------------------------------------------------------------
    def create(self, route: Route, req: Request) -> Reply:
        body = req.object_body()
        with self.srv.lock:
            created = self.backend.create(route.rt, body, self._ns(route), dry_run=req.dry_run(),
                                          field_validation=req.field_validation())
        return Reply(201, created)

    def update(self, route: Route, req: Request) -> Reply:
        body = req.object_body()
        _check_name(route, body)
        with self.srv.lock:
            updated = self.backend.update(route.rt, body, self._ns(route), subresource=route.subresource,
                                          dry_run=req.dry_run(), field_validation=req.field_validation())
        return Reply(200, updated)

    def patch(self, route: Route, req: Request) -> Reply:
        patch_type = req.content_type
        body = req.body.decode() if patch_type == bk.APPLY_PATCH else req.json_body()
        rt, ns = route.rt, self._ns(route)
        with self.srv.lock:
            existed = patch_type != bk.APPLY_PATCH or self._exists(rt, route.name, ns)
            patched = self.backend.patch(
                rt, route.name, body, patch_type, ns, subresource=route.subresource, dry_run=req.dry_run(),
                field_manager=req.param("fieldManager"), force=req.flag("force"),
                field_validation=req.field_validation())
        return Reply(200 if existed else 201, patched)

    def _exists(self, rt: ResourceType, name: str, ns: str | None) -> bool:
        try:
            self.backend.get(rt, name, ns)
        except ApiError as exc:
            if exc.code == 404:
                return False
            raise
        return True

    # --- delete -----------------------------------------------------------------------------------
    def _delete_options(self, req: Request) -> tuple[Obj, str | None, int | None]:
        options = req.json_body() or {}
        if not isinstance(options, dict):
            raise bad_request_error("the request body must be a DeleteOptions object")
        policy = options.get("propagationPolicy") or req.param("propagationPolicy")
        if policy is None and (options.get("orphanDependents") is True or req.flag("orphanDependents")):
            policy = "Orphan"
        grace = options.get("gracePeriodSeconds")
        if grace is None:
            grace = req.int_param("gracePeriodSeconds")
        return options, policy, grace

    def _check_preconditions(self, route: Route, options: Obj) -> None:
        pre = options.get("preconditions") or {}
        if not pre:
            return
        current = self.backend.get(route.rt, route.name, self._ns(route))["metadata"]
        if pre.get("uid") and pre["uid"] != current.get("uid"):
            raise conflict_error(route.rt.plural, route.rt.group, route.name,
                                 f"Precondition failed: UID in precondition: {pre['uid']}, UID in object meta: "
                                 f"{current.get('uid')}")
        if pre.get("resourceVersion") and pre["resourceVersion"] != current.get("resourceVersion"):
            raise conflict_error(route.rt.plural, route.rt.group, route.name,
                                 f"Precondition failed: ResourceVersion in precondition: {pre['resourceVersion']}, "
                                 f"ResourceVersion in object meta: {current.get('resourceVersion')}")

    def delete(self, route: Route, req: Request) -> Reply:
        options, policy, grace = self._delete_options(req)
        rt = route.rt
        with self.srv.lock:
            self._check_preconditions(route, options)
            deleted = self.backend.delete(rt, route.name, self._ns(route), propagation_policy=policy,
                                          grace_period_seconds=grace, dry_run=req.dry_run(options))
        meta = deleted.get("metadata") or {}
        if meta.get("deletionTimestamp") or rt.group_resource in RETURNS_DELETED_OBJECT:
            return Reply(200, deleted)
        details = {"name": route.name, "group": rt.group, "kind": rt.plural, "uid": meta.get("uid", "")}
        if not rt.group:
            del details["group"]
        return Reply(200, success_status(details=details))

    def delete_collection(self, route: Route, req: Request) -> Reply:
        """DELETE on a collection: every object the selectors match, as a List of what was deleted."""
        if "deletecollection" not in route.rt.verbs:
            raise method_not_allowed_error("the server does not allow this method on the requested resource")
        options, policy, grace = self._delete_options(req)
        rt, ns = route.rt, self._ns(route)
        dry_run = req.dry_run(options)
        with self.srv.lock:
            listing = self.backend.list(rt, ns, req.param("labelSelector") or "", req.param("fieldSelector") or "")
            deleted = []
            for item in listing["items"]:
                meta = item["metadata"]
                try:
                    deleted.append(self.backend.delete(rt, meta["name"], meta.get("namespace"),
                                                       propagation_policy=policy, grace_period_seconds=grace,
                                                       dry_run=dry_run))
                except ApiError as exc:
                    if exc.code != 404:
                        raise
        return Reply(200, {"kind": f"{rt.kind}List", "apiVersion": rt.api_version,
                           "metadata": {"resourceVersion": listing["metadata"].get("resourceVersion", "")},
                           "items": deleted})

    # --- subresources -----------------------------------------------------------------------------
    def scale(self, route: Route, req: Request) -> Reply:
        """GET/PUT/PATCH .../scale: the autoscaling/v1 Scale of a workload; writes change spec.replicas."""
        rt, ns = route.rt, self._ns(route)
        with self.srv.lock:
            obj = self.backend.get(rt, route.name, ns)
            if req.method == "GET":
                return Reply(200, scale_of(obj))
            if req.method not in ("PUT", "PATCH"):
                raise method_not_allowed_error("the server does not allow this method on the requested resource")
            wanted = self._scale_request(req, scale_of(obj))
            given_rv = (wanted.get("metadata") or {}).get("resourceVersion")
            if given_rv and given_rv != obj["metadata"].get("resourceVersion"):
                raise conflict_error(rt.plural, rt.group, route.name, STALE_OBJECT)
            replicas = (wanted.get("spec") or {}).get("replicas", 0)
            errors = validate_scale(replicas)
            if errors:
                raise invalid_error("Scale", "autoscaling", route.name, errors)
            updated = self.backend.patch(rt, route.name, {"spec": {"replicas": replicas}}, bk.MERGE_PATCH, ns,
                                         dry_run=req.dry_run())
        return Reply(200, scale_of(updated))

    @staticmethod
    def _scale_request(req: Request, current: Obj) -> Obj:
        if req.method == "PUT":
            return req.object_body()
        from ..api import patch as patching

        body = req.json_body()
        if req.content_type == bk.JSON_PATCH:
            return patching.apply_json_patch(current, body)
        if req.content_type in (bk.MERGE_PATCH, bk.STRATEGIC_MERGE_PATCH):
            return patching.apply_merge_patch(current, body)
        raise ApiError({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "code": 415,
                        "reason": "UnsupportedMediaType",
                        "message": f"the body of the request was in an unknown format - accepted media types "
                                   f"include: {bk.JSON_PATCH}, {bk.MERGE_PATCH}, {bk.STRATEGIC_MERGE_PATCH}"})

    def binding(self, route: Route, req: Request) -> Reply:
        """POST pods/<name>/binding: what a scheduler does to place a pod."""
        body = req.object_body()
        node = (body.get("target") or {}).get("name", "")
        if not node:
            raise invalid_error("Binding", "", route.name, [_required_target()])
        api = getattr(self.backend, "api", None)
        if api is None or not hasattr(api, "bind"):
            raise method_not_allowed_error("this backend cannot bind pods")
        with self.srv.lock:
            api.bind(route.name, route.namespace or "default", node)
            self.srv.react()
        return Reply(201, success_status(201))

    def eviction(self, route: Route, req: Request) -> Reply:
        """POST pods/<name>/eviction: deletes the pod with the eviction's DeleteOptions. PodDisruptionBudgets
        are not enforced by the simulated cluster; a warning says so when the namespace has one."""
        body = req.object_body()
        options = body.get("deleteOptions") or {}
        pods = route.rt
        pdbs = self.backend.registry.resolve("poddisruptionbudgets")
        with self.srv.lock:
            self.backend.delete(pods, route.name, route.namespace, propagation_policy=options.get("propagationPolicy"),
                                grace_period_seconds=options.get("gracePeriodSeconds"),
                                dry_run=req.dry_run(options))
            budgets = self.backend.list(pdbs, route.namespace)["items"]
        warnings = []
        if budgets:
            warnings.append("the simulated cluster does not enforce PodDisruptionBudgets: the eviction of "
                            f"pod {route.name!r} was not checked against them")
        return Reply(201, success_status(201), warnings=warnings)


def _required_target() -> FieldError:
    from ..api.errors import required

    return required("target.name")


def _check_name(route: Route, body: Obj) -> None:
    name = (body.get("metadata") or {}).get("name")
    if name and name != route.name:
        raise bad_request_error("the name of the object "
                                f"({name}) does not match the name on the URL ({route.name})")
    body.setdefault("metadata", {})["name"] = route.name


def _selector_string(obj: Obj) -> str:
    """status.selector of a Scale: the workload's selector as a string (pkg/registry/apps/deployment/storage
    and core/replicationcontroller/storage: LabelSelectorAsSelector / SelectorFromSet, then String())."""
    from ..api.selectors import selector_from_dict, selector_from_map

    selector = (obj.get("spec") or {}).get("selector")
    if obj.get("kind") == "ReplicationController":
        return str(selector_from_map(selector, empty_matches_nothing=False))
    return str(selector_from_dict(selector or {}))


def scale_of(obj: Obj) -> Obj:
    """The autoscaling/v1 Scale a workload's scale subresource shows."""
    meta = obj["metadata"]
    scale_meta = {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
                  if k in meta}
    return {"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": scale_meta,
            "spec": {"replicas": (obj.get("spec") or {}).get("replicas", 0)},
            "status": {"replicas": (obj.get("status") or {}).get("replicas", 0), "selector": _selector_string(obj)}}


def validate_scale(replicas: Any) -> list[FieldError]:
    """ValidateScale (pkg/apis/autoscaling/validation/validation.go)."""
    if not isinstance(replicas, int) or isinstance(replicas, bool):
        return [invalid("spec.replicas", replicas, "must be an integer")]
    if replicas < 0:
        return [invalid("spec.replicas", replicas, "must be greater than or equal to 0")]
    return []


def _include_objects(table: Obj, objects: list[Obj], rt: ResourceType, req: Request) -> Obj:
    """Row objects as `includeObject` asks: Metadata (the default), Object (the full object) or None."""
    include = req.param("includeObject") or "Metadata"
    if include not in ("Metadata", "Object", "None"):
        raise bad_request_error(f"includeObject: Unsupported value: {json.dumps(include)}: supported values: "
                                '"None", "Metadata", "Object"')
    by_key = {(o["metadata"].get("namespace", ""), o["metadata"]["name"]): o for o in objects}
    rows = []
    for row in table.get("rows") or []:
        meta = (row.get("object") or {}).get("metadata") or {}
        obj = by_key.get((meta.get("namespace", ""), meta.get("name")))
        if obj is None:
            continue
        row = dict(row)
        if include == "None":
            row.pop("object", None)
        elif include == "Object":
            row["object"] = _typed(rt, obj)
        else:
            row["object"] = _partial(obj)
        rows.append(row)
    return dict(table, rows=rows)


def _page_of_table(table: Obj, listing: Obj, rt: ResourceType, req: Request) -> Obj:
    out = _include_objects(table, listing["items"], rt, req)
    meta = dict(out.get("metadata") or {})
    for key in ("resourceVersion", "continue", "remainingItemCount"):
        if key in listing["metadata"]:
            meta[key] = listing["metadata"][key]
    out["metadata"] = meta
    return out


def watch_table(rt: ResourceType, obj: Obj, now: Any, with_columns: bool, include: str) -> Obj:
    """One watch event's object as a Table (column definitions only in the first event)."""
    table = build_table(rt.group, rt.kind, [obj], now, resource_version=obj["metadata"].get("resourceVersion", ""),
                        include_object="Metadata" if include not in ("Object", "None") else include,
                        no_headers=not with_columns)
    if include == "Object":
        for row in table["rows"]:
            row["object"] = _typed(rt, obj)
    return table


def _not_streamed(sub: str) -> ApiError:
    what = {"exec": "exec", "attach": "attach", "portforward": "port-forward", "proxy": "proxy"}[sub]
    return ApiError({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "code": 501,
        "reason": "NotImplemented",
        "message": f"k8scourse serve does not stream {what} yet (no SPDY or WebSocket upgrades); "
                   f"run it in the notebook instead: cluster.kubectl(\"{what} ...\")",
    })
