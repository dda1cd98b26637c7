"""`kubectl diff -f FILE`: what `kubectl apply` would change, as a unified diff of live and merged objects.

Registered in `k8scourse.kubectl.command.VERBS`. Follows staging/src/k8s.io/kubectl/pkg/cmd/diff/diff.go:
each object is written as YAML (managedFields left out, Secret values masked) to a LIVE and a MERGED
directory, the merged one being the apply patch sent as a server-side dry run, and `diff -u -N` compares
the two directories. Files are named `apps.v1.Deployment.default.web`. The temporary directory names
are derived from the objects' names and the cluster's clock, so the same cell prints the same text every time.
Exit status 0: no differences, 1: differences, 2: an error.
"""

from __future__ import annotations

import copy
import difflib
import zlib
from datetime import UTC, datetime
from typing import Any

from ...api.backend import APPLY_PATCH
from ...api.errors import ApiError, K8sError, KindNotFoundError
from ...api.objects import meta_of
from ..apply import apply_object
from ..command import Invocation, error_text, verb
from ..flags import Flag
from ..render import to_yaml
from .manifests import FILE_FLAGS, documents, no_match

Obj = dict[str, Any]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@verb("diff", *FILE_FLAGS, Flag("server-side", takes_value=False), Flag("show-managed-fields", takes_value=False),
      Flag("field-manager"), Flag("force-conflicts", takes_value=False), Flag("prune", takes_value=False),
      Flag("selector", "l"), Flag("concurrency", kind=int, default=1),
      summary="Diff the live version against a would-be applied version")
def diff(inv: Invocation) -> None:
    if inv.line["prune"]:
        raise K8sError("kubectl diff --prune is not available in the course's kubectl; kubectl diff -f shows what "
                       "kubectl apply -f would change.")
    if inv.line["force-conflicts"] and not inv.line["server-side"]:
        raise K8sError("--force-conflicts only works with --server-side")
    pairs: list[tuple[str, Obj | None, Obj]] = []
    try:
        for doc in documents(inv):
            pairs.append(_versions(inv, doc.object, doc.source))
    except K8sError as exc:
        inv.error(error_text(exc))
        inv.code = 2
        return
    now = inv.backend.current_time()
    seed = f"{' '.join(sorted(name for name, _, _ in pairs))}@{now.isoformat()}"
    live_dir = f"/tmp/LIVE-{zlib.crc32(('LIVE' + seed).encode())}"
    merged_dir = f"/tmp/MERGED-{zlib.crc32(('MERGED' + seed).encode())}"
    changed = False
    for name, live, merged in sorted(pairs, key=lambda p: p[0]):
        text = unified(f"{live_dir}/{name}", _as_text(live, inv), f"{merged_dir}/{name}", _as_text(merged, inv),
                       now if live is not None else EPOCH, now)
        if text:
            changed = True
            inv.out.write(f"diff -u -N {live_dir}/{name} {merged_dir}/{name}\n{text}")
    inv.code = 1 if changed else 0


def _versions(inv: Invocation, obj: Obj, source: str) -> tuple[str, Obj | None, Obj]:
    """(file name, live object or None, merged object) for one manifest object."""
    try:
        rt = inv.backend.registry.for_kind(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
    except KindNotFoundError as exc:
        raise no_match(exc, obj, source) from None
    meta = meta_of(obj)
    namespace = (meta.get("namespace") or inv.namespace) if rt.namespaced else ""
    live: Obj | None
    try:
        live = inv.backend.get(rt, meta.get("name", ""), namespace or None)
    except ApiError as exc:
        if exc.code != 404:
            raise
        live = None
    if inv.line["server-side"]:
        # diff.go: the object as a server-side apply patch, dry run, field manager `kubectl` unless given
        merged = inv.backend.patch(rt, meta.get("name", ""), obj, APPLY_PATCH, namespace or None, dry_run=True,
                                   field_manager=inv.line["field-manager"] or "kubectl",
                                   force=inv.line["force-conflicts"])
    else:
        merged = apply_object(inv.backend, obj, inv.namespace, dry_run=True).object
    group, _, version = rt.api_version.rpartition("/")
    name = (f"{group}." if group else "") + f"{version}.{rt.kind}.{namespace}.{meta.get('name', '')}"
    return name, live, _with_type(merged, rt.api_version, rt.kind)


def _with_type(obj: Obj, api_version: str, kind: str) -> Obj:
    return {"apiVersion": api_version, "kind": kind, **{k: v for k, v in obj.items() if k not in ("apiVersion", "kind")}}


def _as_text(obj: Obj | None, inv: Invocation) -> str:
    """The object as diff.go writes it: YAML without managedFields (unless asked), Secret values masked."""
    if obj is None:
        return ""
    shown = copy.deepcopy(obj)
    if not inv.line["show-managed-fields"]:
        shown.get("metadata", {}).pop("managedFields", None)
    if shown.get("kind") == "Secret":
        for key in ("data", "stringData"):
            if isinstance(shown.get(key), dict):
                shown[key] = {k: "***" for k in shown[key]}
    return to_yaml(shown)


def unified(live_path: str, live: str, merged_path: str, merged: str, live_time: datetime,
            merged_time: datetime) -> str:
    """GNU `diff -u` of two files: headers with the files' modification times, hunks of 3 context lines."""
    if live == merged:
        return ""
    lines = difflib.unified_diff(live.splitlines(), merged.splitlines(), live_path, merged_path,
                                 _mtime(live_time), _mtime(merged_time), n=3, lineterm="")
    return "".join(line + "\n" for line in lines)


def _mtime(moment: datetime) -> str:
    """GNU diff's timestamp: `2026-01-05 09:02:03.000000000 +0000`."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond * 1000:09d} +0000"
