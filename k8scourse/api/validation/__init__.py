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
    from . import autoscaling, config, meta, networking, pods, services, storage, workloads

    table: dict[str, KindValidator] = {}
    for module in (meta, pods, workloads, services, config, storage, networking, autoscaling):
        table.update(getattr(module, "VALIDATORS", {}))
    return table


_TABLE: dict[str, KindValidator] | None = None


def validators() -> dict[str, KindValidator]:
    global _TABLE
    if _TABLE is None:
        _TABLE = _load()
    return _TABLE


def validate_create(obj: Obj) -> list[FieldError]:
    """Errors for creating `obj` (already defaulted): metadata rules first, then the kind's own rules."""
    from .meta import validate_object_meta_for

    errors = validate_object_meta_for(obj)
    v = validators().get(obj.get("kind", ""))
    if v is not None:
        errors += v.create(obj)
    return errors


def validate_update(new: Obj, old: Obj) -> list[FieldError]:
    """Errors for replacing `old` by `new` (both defaulted): metadata rules, then the kind's update rules
    (which re-check the new object and add immutability rules)."""
    from .meta import validate_object_meta_for, validate_object_meta_update

    errors = validate_object_meta_for(new) + validate_object_meta_update(new, old)
    v = validators().get(new.get("kind", ""))
    if v is not None:
        errors += v.update(new, old) if v.update is not None else v.create(new)
    return errors
