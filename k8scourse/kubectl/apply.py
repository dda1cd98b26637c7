"""Client-side `kubectl apply`: create, or three-way merge against the last applied configuration.

Called by `Cluster.apply()` and the kubectl `apply` verb. As kubectl does, the manifest is recorded in
the `kubectl.kubernetes.io/last-applied-configuration` annotation; a later apply sends a strategic
merge patch computed from (last applied, new manifest, live object), so fields removed from the manifest
are removed from the object, while fields set by controllers or other commands survive. An empty patch
means `unchanged`. Errors carry `during` (what kubectl was doing) so the verb can word them as kubectl.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..api import openapi
from ..api.backend import STRATEGIC_MERGE_PATCH, Backend
from ..api.errors import ApiError, ManifestError
from ..api.objects import meta_of
from ..api.patch import create_three_way_merge_patch
from ..api.registry import ResourceType
from .jsonpath import go_json

Obj = dict[str, Any]
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def with_last_applied(obj: Obj) -> Obj:
    """`obj` with its own serialisation in the last-applied annotation, as kubectl's GetModifiedConfiguration."""
    plain = json.loads(json.dumps(obj))
    meta = plain.setdefault("metadata", {})
    # unstructured.GetAnnotations reads anything but a string map as no annotations
    annotations = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
    annotations = dict(annotations)
    annotations.pop(LAST_APPLIED, None)
    meta["annotations"] = annotations
    recorded = go_json(plain) + "\n"
    out = json.loads(json.dumps(plain))
    out["metadata"]["annotations"] = dict(annotations, **{LAST_APPLIED: recorded})
    return out


@dataclass(frozen=True)
class Applied:
    """The outcome of applying one object: `created`, `configured` or `unchanged`, and the stored object."""

    action: str
    object: Obj
    resource: ResourceType
    dry_run: str = ""
    warning: str = ""  # what kubectl prints on stderr about it (e.g. a missing last-applied annotation)

    def line(self) -> str:
        """kubectl's line for it: `deployment.apps/nginx-depl created`."""
        suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(self.dry_run, "")
        return f"{self.resource.kubectl_kind}/{self.object['metadata']['name']} {self.action}{suffix}"


def info_string(rt: ResourceType, name: str, namespace: str | None) -> str:
    """resource.Info's String(), which kubectl puts into some error messages."""
    gv = rt.api_version
    return (f'Resource: "{gv}, Resource={rt.plural}", GroupVersionKind: "{gv}, Kind={rt.kind}"\n'
            f'Name: "{name}", Namespace: "{namespace or ""}"')


def apply_object(backend: Backend, obj: Obj, namespace: str, *, dry_run: bool = False) -> Applied:
    """Apply one manifest object (its `metadata.namespace`, else `namespace`) to `backend`."""
    rt = backend.registry.for_kind(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
    meta = meta_of(obj)
    name = meta.get("name")
    if not name:
        if meta.get("generateName"):
            raise ManifestError("cannot use generate name with apply")
        raise ManifestError("resource name may not be empty")
    ns = (meta.get("namespace") or namespace) if rt.namespaced else None
    desired = json.loads(json.dumps(obj))
    if rt.namespaced:
        desired["metadata"]["namespace"] = ns
    modified = with_last_applied(desired)
    try:
        current = backend.get(rt, name, ns)
    except ApiError as exc:
        if exc.code != 404:
            raise
        try:
            created = backend.create(rt, modified, ns, dry_run=dry_run)
        except ApiError as create_error:
            create_error.during = "creating"  # type: ignore[attr-defined]
            raise
        return Applied("created", created, rt, "server" if dry_run else "")
    recorded = (current["metadata"].get("annotations") or {}).get(LAST_APPLIED)
    original = json.loads(recorded) if recorded else {}
    warning = "" if recorded else missing_annotation_warning(rt, name)
    schema = openapi.schema_for_kind(rt.api_version, rt.kind)
    patch = create_three_way_merge_patch(original, modified, current, schema)
    if not patch:
        return Applied("unchanged", current, rt, "server" if dry_run else "", warning)
    try:
        patched = backend.patch(rt, name, patch, STRATEGIC_MERGE_PATCH, ns, dry_run=dry_run)
    except ApiError as patch_error:
        patch_error.during = (  # type: ignore[attr-defined]
            f"applying patch:\n{go_json(patch)}\nto:\n{info_string(rt, name, ns)}\nfor:"
        )
        raise
    return Applied("configured", patched, rt, "server" if dry_run else "", warning)


def missing_annotation_warning(rt: ResourceType, name: str) -> str:
    """apply.go's warningNoLastAppliedConfigAnnotation, for an object created without --save-config."""
    return (f"Warning: resource {rt.plural}/{name} is missing the {LAST_APPLIED} annotation which is required by "
            "kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl "
            "create --save-config or kubectl apply. The missing annotation will be patched automatically.")
