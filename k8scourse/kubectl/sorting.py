"""`kubectl get --sort-by=JSONPATH`: rows and objects ordered as kubectl's sorter orders them.

Called by `kubectl get` (tables, and -o yaml|json|name|… lists). Follows staging/src/k8s.io/kubectl/pkg/cmd/get/
sorter.go: the expression is relaxed (`.a.b`, `a.b` and `{.a.b}` alike), the first value found on each object
is compared with isLess (numbers as numbers, strings that both parse as quantities as quantities — so `100m`
sorts before `1` and `128Mi` before `1Gi` — other strings byte-wise, RFC 3339 timestamps therefore in time
order), objects without the field first, and a field found on no object at all is an error. Go's sort.Sort is
not stable; this sort is, which gives the same order whenever the keys differ.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cmp_to_key
from typing import Any

from ..api.quantity import QuantityError, parse_quantity
from .jsonpath import JSONPath, JSONPathError
from .render import PrintError, relaxed_jsonpath

Obj = Mapping[str, Any]


def sort_expression(sort_by: str) -> str:
    """The JSONPath template of a --sort-by value, or kubectl's parse error."""
    try:
        return relaxed_jsonpath(sort_by)
    except PrintError:
        return sort_by


def _parser(expression: str) -> JSONPath:
    try:
        return JSONPath(expression, allow_missing_keys=True)
    except JSONPathError as exc:
        raise PrintError(f"sorting error: {exc}") from None


def _first(parser: JSONPath, obj: Any) -> tuple[bool, Any]:
    try:
        results = parser.find_results(obj)
    except JSONPathError as exc:
        raise PrintError(str(exc)) from None
    if not results or not results[0]:
        return False, None
    return True, results[0][0]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    return "interface {}"


def is_less(a: Any, b: Any) -> bool:
    """sorter.go isLess on unstructured values (an interface holding int64, float64, string, ...)."""
    if a is None or b is None:
        return a is None and b is not None
    kind = _kind(a)
    if kind != _kind(b) or kind in ("bool", "map[string]interface {}", "[]interface {}", "interface {}"):
        if kind in ("bool", "map[string]interface {}", "[]interface {}", "interface {}"):
            raise PrintError(f"unsortable type: {kind}")
        raise PrintError("unsortable interface: interface")
    if kind == "string":
        try:
            return parse_quantity(a).cmp(parse_quantity(b)) < 0
        except (QuantityError, ValueError):
            return bool(a < b)
    return bool(a < b)


def _sorted_positions(keys: Sequence[tuple[bool, Any]], expression: str) -> list[int]:
    def compare(i: int, j: int) -> int:
        (found_i, a), (found_j, b) = keys[i], keys[j]
        if not found_i:
            return -1 if found_j else 0
        if not found_j:
            return 1
        try:
            return -1 if is_less(a, b) else (1 if is_less(b, a) else 0)
        except PrintError as exc:
            raise PrintError(f"Field {expression} in *v1.Table is an unsortable type: interface, err: {exc}") from None

    return sorted(range(len(keys)), key=cmp_to_key(compare))


def sort_table(table: dict[str, Any], sort_by: str) -> None:
    """SortingPrinter on a Table (rows requested with includeObject=Object): the rows reordered in place."""
    expression = sort_expression(sort_by)
    parser = _parser(expression)
    rows = list(table.get("rows") or [])
    keys = [_first(parser, (row.get("object") or {})) for row in rows]
    if rows and not any(found for found, _ in keys):
        raise PrintError(f'couldn\'t find any field with path "{expression}" in the list of objects')
    table["rows"] = [rows[i] for i in _sorted_positions(keys, expression)]


def sort_objects(objects: Sequence[Obj], sort_by: str) -> list[Obj]:
    """SortObjects: the objects of a List in --sort-by order."""
    if not objects:
        return []
    expression = relaxed_jsonpath(sort_by)
    parser = _parser(expression)
    keys = [_first(parser, obj) for obj in objects]
    if not any(found for found, _ in keys):
        raise PrintError(f'couldn\'t find any field with path "{expression}" in the list of objects')
    return [objects[i] for i in _sorted_positions(keys, expression)]


__all__ = ["is_less", "sort_expression", "sort_objects", "sort_table"]
