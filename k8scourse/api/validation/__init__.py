"""Semantic validation of API objects, worded exactly as kube-apiserver's validation words it.

Called by the simulated apiserver after decoding and defaulting (the apiserver's order), on create
and on update. Each module holds the rules of one API area and exports `VALIDATORS`: a mapping from
kind to a `KindValidator` (create rules, and update rules that see the old object too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import FieldError

Obj = dict[str, Any]


@dataclass(frozen=True)
class KindValidator:
    """Validation for one kind: `create(obj)` and `update(new, old)` return field errors (empty when valid)."""

    create: Callable[[Obj], list[FieldError]]
    update: Callable[[Obj, Obj], list[FieldError]] | None = None


def _load() -> dict[str, KindValidator]:
    from . import autoscaling, config, meta, networking, services, storage, workloads

    table: dict[str, KindValidator] = {}
    for module in (meta, workloads, services, config, storage, networking, autoscaling):
        table.update(getattr(module, "VALIDATORS", {}))
    return table


_TABLE: dict[str, KindValidator] | None = None


def validators() -> dict[str, KindValidator]:
    global _TABLE
    if _TABLE is None:
        _TABLE = _load()
    return _TABLE


def validate_create(obj: Obj) -> list[FieldError]:
    """Errors for creating `obj` (already defaulted). Kinds without rules get the generic metadata rules."""
    from .meta import validate_object_meta_for

    v = validators().get(obj.get("kind", ""))
    if v is None:
        return validate_object_meta_for(obj)
    return v.create(obj)


def validate_update(new: Obj, old: Obj) -> list[FieldError]:
    """Errors for replacing `old` by `new` (both defaulted): the create rules plus immutability rules."""
    from .meta import validate_object_meta_update

    v = validators().get(new.get("kind", ""))
    errors = validate_object_meta_update(new, old)
    if v is None:
        from .meta import validate_object_meta_for

        return errors + validate_object_meta_for(new)
    if v.update is not None:
        return errors + v.update(new, old)
    return errors + v.create(new)
