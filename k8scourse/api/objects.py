"""Helpers for Kubernetes-shaped objects (JSON data: dicts, lists, strings, numbers, bools, None).

Used everywhere objects are copied: the store, defaulting, patching, validation. `deep_copy` is several
times faster than `copy.deepcopy` because JSON data has no cycles, no shared references and no custom types.
"""

from __future__ import annotations

from typing import Any


def deep_copy(value: Any) -> Any:
    """A deep copy of JSON-shaped data."""
    if isinstance(value, dict):
        return {k: deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [deep_copy(v) for v in value]
    return value


def json_kind(value: Any) -> str:
    """How Go's encoding/json names a JSON value in an UnmarshalTypeError (`string`, `number`, `object`, ...)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def meta_of(obj: Any) -> dict[str, Any]:
    """An object's metadata as unstructured accessors read it: `{}` when absent or not a mapping."""
    meta = obj.get("metadata") if isinstance(obj, dict) else None
    return meta if isinstance(meta, dict) else {}
