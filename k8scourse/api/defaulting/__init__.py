"""Defaulting of API objects as kube-apiserver v1.33 applies it, one module per API group.

Called through `k8scourse.api.defaults` by the simulated apiserver. On create the apiserver's order is:
decode → `apply_defaults` → mutating admission (`admit_pod`, `default_storage_class`) →
`prepare_for_create` (and `job_selector_defaults` once the uid is known) → validation → store.
On update: decode → `apply_defaults` → `prepare_for_update` → validation → store. Defaulting is
idempotent, so it may also be re-applied to stored objects, as the apiserver does when it decodes them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..objects import deep_copy
from . import apps, batch, core, others

Obj = dict[str, Any]

_BY_GROUP: dict[str, dict[str, Callable[[Obj], None]]] = {
    "v1": core.DEFAULTERS,
    "apps/v1": apps.DEFAULTERS,
    "batch/v1": batch.DEFAULTERS,
}


def defaulter_for(api_version: str, kind: str) -> Callable[[Obj], None] | None:
    """The in-place defaulter of a kind served at `api_version`, or None when the kind has no defaults."""
    table = _BY_GROUP.get(api_version)
    if table is not None:
        return table.get(kind)
    return others.DEFAULTERS.get((api_version, kind))


def apply_defaults(obj: Obj) -> Obj:
    """A defaulted copy of `obj` (the input is not modified): the SetDefaults_* functions of its API
    version in the generated order, plus the zero values Go's encoder writes for struct fields of the
    object (`resources: {}`, `creationTimestamp: null` in embedded templates)."""
    result = deep_copy(obj)
    defaulter = defaulter_for(result.get("apiVersion", ""), result.get("kind", ""))
    if defaulter is not None:
        defaulter(result)
    return result
