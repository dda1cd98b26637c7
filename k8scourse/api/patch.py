"""Patching objects as kube-apiserver does, and computing the patches `kubectl apply` sends.

Called by the simulated apiserver for PATCH requests (JSON merge patch, strategic merge patch, JSON
patch) and by the kubectl layer for client-side `kubectl apply` (three-way merge patches).

Strategic merge patch is a translation of k8s.io/apimachinery/pkg/util/strategicpatch/patch.go
(v0.33): maps merge recursively, lists whose field carries `patchStrategy: merge` merge by their merge
key (or as sets for primitives), other lists are replaced; `null` deletes a key; the directives
`$patch`, `$retainKeys`, `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>` are honoured.
Errors are worded and coded as staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go returns them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import jsonpatch

from . import openapi
from .errors import ApiError, invalid, invalid_error, status_dict
from .objects import deep_copy, json_kind

Obj = dict[str, Any]
Schema = dict[str, Any] | None

DIRECTIVE = "$patch"
DELETE = "delete"
REPLACE = "replace"
MERGE = "merge"
RETAIN_KEYS = "retainKeys"
RETAIN_KEYS_DIRECTIVE = "$retainKeys"
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList"
SET_ELEMENT_ORDER = "$setElementOrder"

MAX_JSON_PATCH_OPERATIONS = 10000  # handlers/patch.go maxJSONPatchOperations


# --- errors -----------------------------------------------------------------------------------------


class PatchError(Exception):
    """A failure inside the patch algorithm, carrying the Go error text and how the apiserver codes it."""

    def __init__(self, message: str, code: int = 500, reason: str = ""):
        super().__init__(message)
        self.code = code
        self.reason = reason

    def to_api_error(self) -> ApiError:
        """As handlers/patch.go interpretStrategicMergePatchError, then responsewriters.ErrorToAPIStatus."""
        if self.code == 422:
            return unprocessable_error()
        return ApiError(status_dict(self.code, self.reason, str(self)))


def _bad_request(message: str) -> PatchError:
    return PatchError(message, 400, "BadRequest")


# mergepatch/errors.go sentinels and how handlers/patch.go maps them to HTTP codes.
def _err_bad_patch_format_for_primitive_list() -> PatchError:
    return _bad_request("invalid patch format of primitive list")


def _err_bad_patch_format_for_retain_keys() -> PatchError:
    return _bad_request("invalid patch format of retainKeys")


def _err_bad_patch_format_for_set_element_order() -> PatchError:
    return _bad_request("invalid patch format of setElementOrder list")


def _err_no_list_of_lists() -> PatchError:
    return PatchError("lists of lists are not supported", 422, "Invalid")


def _err_no_merge_key(m: Obj, key: str) -> PatchError:
    return PatchError(f"map: {go_format(m)} does not contain declared merge key: {key}")


def _err_bad_patch_type(t: Any, m: Obj) -> PatchError:
    return PatchError(f"unknown patch type: {_go_s(t)} in map: {go_format(m)}")


def _err_bad_arg_type(expected: str, actual: Any) -> PatchError:
    return PatchError(f"expected a {expected}, but received a {_go_type_name(actual)}")


def unprocessable_error() -> ApiError:
    """errors.NewGenericServerResponse(422, ...): what a failing JSON patch (or a list of lists) returns."""
    return ApiError(status_dict(422, "Invalid", "the server rejected our request due to an error in our request", {}))


# --- Go values: type identity, equality, %v formatting ----------------------------------------------

_GO_MAP = "map[string]interface {}"
_GO_SLICE = "[]interface {}"


def _go_type(v: Any) -> str | None:
    """reflect.TypeOf of a decoded JSON value (ints preserved as int64, as the apiserver decodes)."""
    t = type(v)
    if t is dict:
        return _GO_MAP
    if t is list:
        return _GO_SLICE
    if t is str:
        return "string"
    if t is bool:
        return "bool"
    if t is int:
        return "int64"
    if t is float:
        return "float64"
    return None


def _go_type_name(v: Any) -> str:
    t = _go_type(v)
    return t if t is not None else "%!s(<nil>)"


def _go_eq(a: Any, b: Any) -> bool:
    """Go's == on two interface{} scalars: same dynamic type and value."""
    return type(a) is type(b) and a == b


def _deep_equal(a: Any, b: Any) -> bool:
    """reflect.DeepEqual on decoded JSON."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return a.keys() == b.keys() and all(_deep_equal(v, b[k]) for k, v in a.items())
    if type(a) is list:
        return len(a) == len(b) and all(_deep_equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _go_float(v: float) -> str:
    """fmt's %v of a float64: shortest digits, exponent form below 1e-4 and from 1e+06."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    if v == 0:
        return "-0" if math.copysign(1, v) < 0 else "0"
    sign, digit_tuple, exp = Decimal(repr(v)).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    point = len(digits) + int(exp)
    s = "-" if sign else ""
    x = point - 1
    if x < -4 or x >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{s}{mantissa}e{'-' if x < 0 else '+'}{abs(x):02d}"
    if point <= 0:
        return f"{s}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return s + digits + "0" * (point - len(digits))
    return f"{s}{digits[:point]}.{digits[point:]}"


def go_format(v: Any) -> str:
    """fmt's %v of a decoded JSON value: `map[name:web ports:[map[containerPort:80]]]`."""
    if v is None:
        return "<nil>"
    if type(v) is bool:
        return "true" if v else "false"
    if type(v) is float:
        return _go_float(v)
    if type(v) is dict:
        return "map[" + " ".join(f"{k}:{go_format(v[k])}" for k in sorted(v)) + "]"
    if type(v) is list:
        return "[" + " ".join(go_format(x) for x in v) + "]"
    return str(v)


def _go_s(v: Any) -> str:
    """fmt's %s of an interface{}: strings bare, anything else as `%!s(int64=1)`."""
    if type(v) is str:
        return v
    if v is None:
        return "%!s(<nil>)"
    return f"%!s({_go_type(v)}={go_format(v)})"


_copy = deep_copy


# --- patch metadata from the OpenAPI schema ----------------------------------------------------------


@dataclass(frozen=True)
class _Meta:
    strategies: tuple[str, ...] = ()
    merge_key: str = ""


def _lookup_struct(schema: Schema, key: str) -> tuple[Schema, _Meta]:
    """LookupPatchMetadataForStruct: the field's schema and its patch metadata (none when unknown)."""
    field = openapi.child(schema, key) if schema is not None else None
    if field is None:
        return None, _Meta()
    strategy, merge_key = openapi.list_patch_meta(field)
    return field, _Meta(tuple(strategy.split(",")) if strategy else (), merge_key or "")


def _lookup_slice(schema: Schema, key: str) -> tuple[Schema, _Meta]:
    """LookupPatchMetadataForSlice: the schema of the list's elements and the list's patch metadata."""
    field, meta = _lookup_struct(schema, key)
    if field is not None and "array" in openapi.types(field):
        field = openapi.child(field, 0)
    return field, meta


def _element_kind_name(schema: Schema) -> str:
    """PatchMetaFromStruct.Name(): the Go kind of a list's elements (`struct`, `string`, ...)."""
    kinds = openapi.types(schema) if schema is not None else frozenset()
    for json_type, go_kind in (("object", "struct"), ("string", "string"), ("integer", "int32"),
                               ("boolean", "bool"), ("number", "float64"), ("array", "slice")):
        if json_type in kinds:
            return go_kind
    return "struct"


def _retain_keys_and_strategy(strategies: tuple[str, ...]) -> tuple[bool, str]:
    """extractRetainKeysPatchStrategy: whether retainKeys is set, and the other strategy."""
    if not strategies:
        return False, ""
    if len(strategies) == 1:
        return (True, "") if strategies[0] == RETAIN_KEYS else (False, strategies[0])
    if len(strategies) == 2:
        if strategies[0] == RETAIN_KEYS:
            return True, strategies[1]
        if strategies[1] == RETAIN_KEYS:
            return True, strategies[0]
    raise PatchError(f"unexpected patch strategy: [{' '.join(strategies)}]")


def _strategy(meta: _Meta) -> str:
    return _retain_keys_and_strategy(meta.strategies)[1]


# --- lists: element types, ordering ------------------------------------------------------------------


def _slice_element_type(*slices: list[Any]) -> str | None:
    """sliceElementType: the one Go type of all elements; lists of lists and mixed lists are errors."""
    prev: str | None = None
    seen = False
    for s in slices:
        for v in s:
            t = _go_type(v)
            if not seen:
                prev, seen = t, True
                if t == _GO_SLICE:
                    raise _err_no_list_of_lists()
            elif prev != t:
                listing = "[" + " ".join(go_format(s2) for s2 in slices) + "]"
                raise PatchError(f"list element types are not identical: {listing}")
    if not seen:
        raise PatchError("no elements in any of the given slices")
    return prev


def _merge_value(item: Any, merge_key: str, is_map: bool) -> Any:
    if is_map:
        return item.get(merge_key) if type(item) is dict else None
    return item


def _index(items: list[Any], value: Any, merge_key: str, is_map: bool) -> int:
    """index(): position of the element whose merge key (or value, for primitives) matches, or -1."""
    wanted = _merge_value(value, merge_key, is_map)
    for i, v in enumerate(items):
        if _go_eq(wanted, _merge_value(v, merge_key, is_map)):
            return i
    return -1


def _validate_merge_key_in_lists(merge_key: str, *lists: list[Any]) -> None:
    for items in lists:
        for item in items:
            if type(item) is not dict:
                raise _err_bad_arg_type(_GO_MAP, item)
            if merge_key not in item:
                raise _err_no_merge_key(item, merge_key)


def _extract_to_delete_items(items: list[Any]) -> tuple[list[Any], list[Any]]:
    keep: list[Any] = []
    delete: list[Any] = []
    for v in items:
        if type(v) is not dict:
            raise _err_bad_arg_type(_GO_MAP, v)
        (delete if v.get(DIRECTIVE) == DELETE else keep).append(v)
    return keep, delete


def _normalize_slice_order(to_sort: list[Any], order: list[Any], merge_key: str, is_map: bool) -> list[Any]:
    """normalizeSliceOrder: sort by position in `order` (sort.SliceStable with Go's comparator),
    `$patch: delete` elements last."""
    to_delete: list[Any] = []
    if is_map:
        _validate_merge_key_in_lists(merge_key, to_sort, order)
        to_sort, to_delete = _extract_to_delete_items(to_sort)
    positions = [_index(order, v, merge_key, is_map) for v in to_sort]
    items = list(zip(positions, to_sort, strict=True))
    # Insertion sort, as Go's stable sort does: "less" is true unless both are found in order.
    for i in range(1, len(items)):
        j = i
        while j > 0 and (items[j][0] < 0 or items[j - 1][0] < 0 or items[j][0] < items[j - 1][0]):
            items[j], items[j - 1] = items[j - 1], items[j]
            j -= 1
    return [v for _, v in items] + to_delete


def _merge_sorted_slice(left: list[Any], right: list[Any], server_order: list[Any], merge_key: str,
                        is_map: bool) -> list[Any]:
    """mergeSortedSlice: interleave server-only items (left) into patch items (right) by live order."""
    merged: list[Any] = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            merged.append(right[j])
            j += 1
        elif j >= len(right):
            merged.append(left[i])
            i += 1
        else:
            li = _index(server_order, left[i], merge_key, is_map)
            ri = _index(server_order, right[j], merge_key, is_map)
            if li >= 0 and ri >= 0 and li < ri:
                merged.append(left[i])
                i += 1
            else:
                merged.append(right[j])
                j += 1
    return merged


def _normalize_element_order(patch: list[Any], server_only: list[Any], patch_order: list[Any],
                             server_order: list[Any], merge_key: str, is_map: bool) -> list[Any]:
    patch = _normalize_slice_order(patch, patch_order, merge_key, is_map)
    server_only = _normalize_slice_order(server_only, server_order, merge_key, is_map)
    return _merge_sorted_slice(server_only, patch, server_order, merge_key, is_map)


def _partition(items: list[Any], by: list[Any], merge_key: str) -> tuple[list[Any], list[Any]]:
    """partitionPrimitivesByPresentInList / partitionMapsByPresentInList: (present in `by`, others)."""
    present: list[Any] = []
    others: list[Any] = []
    for v in items:
        if merge_key:
            if type(v) is not dict:
                raise _err_bad_arg_type(_GO_MAP, v)
            if merge_key not in v:
                raise _err_no_merge_key(v, merge_key)
            found = _find_map(by, merge_key, v[merge_key])[1] >= 0
        else:
            found = any(_go_eq(v, b) for b in by)
        (present if found else others).append(v)
    return present, others


def _find_map(items: list[Any], key: str, value: Any) -> tuple[Obj | None, int]:
    """findMapInSliceBasedOnKeyValue: the element whose `key` equals `value`, and its index (-1 if none)."""
    for i, v in enumerate(items):
        if type(v) is not dict:
            raise PatchError(f"value for key {i} is not a map")
        if key in v and _go_eq(v[key], value):
            return v, i
    return None, -1


def _sort_key(v: Any) -> str:
    return go_format(v)


def _sort_scalars(items: list[Any]) -> list[Any]:
    return sorted(items, key=_sort_key)


def _deduplicate_scalars(s: list[Any]) -> list[Any]:
    """deduplicateScalars, keeping Go's quirk of moving the last element into a duplicate's place."""
    s = list(s)
    length = len(s) - 1
    i = 0
    while i < length:
        j = i + 1
        while j <= length:
            if _go_eq(s[i], s[j]):
                s[j] = s[length]
                s = s[:length]
                length -= 1
                j -= 1
            j += 1
        i += 1
    return s


# --- applying a strategic merge patch ----------------------------------------------------------------


@dataclass(frozen=True)
class _MergeOptions:
    merge_parallel_list: bool
    ignore_unmatched_nulls: bool


_SERVER_SIDE = _MergeOptions(merge_parallel_list=True, ignore_unmatched_nulls=True)
_COMBINE_PATCHES = _MergeOptions(merge_parallel_list=False, ignore_unmatched_nulls=False)


def _directive_in_merge_map(directive: Any, patch: Obj) -> Obj:
    if _go_eq(directive, REPLACE):
        del patch[DIRECTIVE]
        return patch
    if _go_eq(directive, DELETE):
        return {}
    raise _err_bad_patch_type(directive, patch)


def _remove_directives(obj: Any) -> tuple[Any, bool]:
    """removeDirectives: drop maps carrying `$patch` (and keys holding them); keep everything else."""
    if type(obj) is dict:
        if DIRECTIVE in obj:
            return None, False
        for k in list(obj):
            v, keep = _remove_directives(obj[k])
            if keep:
                obj[k] = v
            else:
                del obj[k]
        return obj, True
    if type(obj) is list:
        kept = []
        for v in obj:
            nv, keep = _remove_directives(v)
            if keep:
                kept.append(nv)
        return kept, True
    return obj, True


def _discard_null_values(v: Any) -> None:
    if type(v) is dict:
        for k in list(v):
            if v[k] is None:
                del v[k]
            else:
                _discard_null_values(v[k])
    elif type(v) is list:
        for x in v:
            _discard_null_values(x)


def _extract_key(s: str, prefix: str) -> str:
    head, sep, rest = s.partition("/")
    if not sep or head != prefix:
        if prefix == DELETE_FROM_PRIMITIVE_LIST:
            raise _err_bad_patch_format_for_primitive_list()
        raise _err_bad_patch_format_for_set_element_order()
    return rest


def _apply_retain_keys_directive(original: Obj, patch: Obj, opts: _MergeOptions) -> None:
    if RETAIN_KEYS_DIRECTIVE not in patch:
        return
    retain = patch.pop(RETAIN_KEYS_DIRECTIVE)
    if not opts.merge_parallel_list:
        if RETAIN_KEYS_DIRECTIVE in original:
            if not _deep_equal(original[RETAIN_KEYS_DIRECTIVE], retain):
                raise PatchError(
                    f"{go_format(original[RETAIN_KEYS_DIRECTIVE])} and {go_format(retain)} are not deep equal: "
                    "this may happen when calculating the 3-way diff patch"
                )
        else:
            original[RETAIN_KEYS_DIRECTIVE] = retain
        return
    if type(retain) is not list:
        raise _err_bad_patch_format_for_retain_keys()
    keep = {k for k in retain if type(k) is str}
    for k, v in patch.items():
        if v is None or k.startswith(DELETE_FROM_PRIMITIVE_LIST) or k.startswith(SET_ELEMENT_ORDER):
            continue
        if k not in keep:
            raise _err_bad_patch_format_for_retain_keys()
    for k in list(original):
        if k not in keep:
            del original[k]


def _validate_patch_with_set_order_list(patch_list: Any, order_list: Any, merge_key: str) -> None:
    if type(order_list) is not list or type(patch_list) is not list:
        raise _err_bad_patch_format_for_set_element_order()
    if not order_list or not patch_list:
        return
    non_delete = _extract_to_delete_items(patch_list)[0] if merge_key else patch_list
    pi = oi = 0
    while pi < len(non_delete) and oi < len(order_list):
        item = non_delete[pi]
        if type(item) is dict and DIRECTIVE in item:
            pi += 1
            continue
        if _merge_key_value_equal(item, order_list[oi], merge_key):
            pi += 1
        oi += 1
    if pi < len(non_delete) and oi >= len(order_list):
        raise PatchError(
            f"The order in patch list:\n{go_format(patch_list)}\n doesn't match {SET_ELEMENT_ORDER} list:\n"
            f"{go_format(order_list)}\n"
        )


def _merge_key_value_equal(left: Any, right: Any, merge_key: str) -> bool:
    if not merge_key:
        return _go_eq(left, right)
    for side in (left, right):
        if type(side) is not dict:
            raise _err_bad_arg_type(_GO_MAP, side)
        if merge_key not in side:
            raise _err_no_merge_key(side, merge_key)
    return _go_eq(left[merge_key], right[merge_key])


def _merge_patch_into_original(original: Obj, patch: Obj, schema: Schema, opts: _MergeOptions) -> None:
    """mergePatchIntoOriginal: apply each `$setElementOrder/<field>` with its list, in that order."""
    for key in [k for k in patch if k.startswith(SET_ELEMENT_ORDER)]:
        order = patch.pop(key)
        if not opts.merge_parallel_list:
            if key in original:
                if not _deep_equal(original[key], order):
                    raise _err_bad_patch_format_for_set_element_order()
            else:
                original[key] = order
        if type(order) is not list:
            raise _err_bad_arg_type(_GO_SLICE, order)
        field = _extract_key(key, SET_ELEMENT_ORDER)
        found_original, found_patch = field in original, field in patch
        original_list = original.get(field)
        patch_list = patch.get(field)
        if found_original and type(original_list) is not list:
            raise _err_bad_arg_type(_GO_SLICE, original_list)
        if found_patch and type(patch_list) is not list:
            raise _err_bad_arg_type(_GO_SLICE, patch_list)
        subschema, meta = _lookup_slice(schema, field)
        strategy = _strategy(meta)
        _validate_patch_with_set_order_list(patch_list if found_patch else [], order, meta.merge_key)
        if found_original and not found_patch:
            merged = original_list
        elif found_patch and not found_original:
            merged = _remove_directives(patch_list)[0]
        elif found_original and found_patch:
            merged = _merge_slice_handler(original_list, patch_list, subschema, strategy, meta.merge_key,
                                          False, opts)
        else:
            continue
        server_order = original_list or []
        if found_original and found_patch and meta.merge_key and (strategy == MERGE):
            server_order = _go_aliased_original(server_order, patch_list, meta.merge_key)
        present, server_only = _partition(merged, order, meta.merge_key)
        element = _slice_element_type(server_order, patch_list or [])
        original[field] = _normalize_element_order(present, server_only, order, server_order,
                                                   meta.merge_key, element == _GO_MAP)
        patch.pop(field, None)


def _go_aliased_original(original: list[Any], patch: list[Any], merge_key: str) -> list[Any]:
    """The live list as Go's mergePatchIntoOriginal still sees it after mergeSlice: deleting elements
    (`append(s[:i], s[i+1:]...)`) shifts them within the shared backing array, and appending new
    elements writes into the room the deletions left. The apiserver builds lists with len == cap, so
    appends stop aliasing once that room is used up. The resulting order is what Go orders by."""
    backing = list(original)
    n = len(backing)
    replace = False
    for v in patch:
        if type(v) is not dict or DIRECTIVE not in v:
            continue
        if _go_eq(v[DIRECTIVE], REPLACE):
            replace = True
        elif _go_eq(v[DIRECTIVE], DELETE) and merge_key in v:
            while True:
                i = next((i for i in range(n) if type(backing[i]) is dict and merge_key in backing[i]
                          and _go_eq(backing[i][merge_key], v[merge_key])), -1)
                if i < 0:
                    break
                backing[i:n - 1] = backing[i + 1:n]
                n -= 1
    if replace:
        return backing
    view = backing[:n]
    for v in patch:
        if type(v) is not dict or DIRECTIVE in v or merge_key not in v:
            continue
        if any(type(o) is dict and merge_key in o and _go_eq(o[merge_key], v[merge_key]) for o in view):
            continue
        view.append(v)
        if len(view) > len(backing):
            break
        backing[len(view) - 1] = v
    return backing


def _merge_map(original: Obj | None, patch: Obj, schema: Schema, opts: _MergeOptions) -> Obj:
    """mergeMap: merge `patch` into `original` (both are consumed)."""
    if DIRECTIVE in patch:
        return _directive_in_merge_map(patch[DIRECTIVE], patch)
    if original is None:
        original = {}
    _apply_retain_keys_directive(original, patch, opts)
    _merge_patch_into_original(original, patch, schema, opts)
    for key, patch_v in list(patch.items()):
        k, is_delete_list = key, False
        if key.startswith(DELETE_FROM_PRIMITIVE_LIST):
            if not opts.merge_parallel_list:
                original[key] = patch_v
                continue
            k, is_delete_list = _extract_key(key, DELETE_FROM_PRIMITIVE_LIST), True
        if patch_v is None:
            original.pop(k, None)
            if opts.ignore_unmatched_nulls:
                continue
        if k not in original or _go_type(original[k]) != _go_type(patch_v):
            if not is_delete_list:
                _take_patch_value(original, k, patch_v, opts)
            continue
        kind = _go_type(original[k])
        if kind == _GO_MAP:
            subschema, meta = _lookup_struct(schema, k)
            original[k] = _merge_map_handler(original[k], patch_v, subschema, _strategy(meta), opts)
        elif kind == _GO_SLICE:
            subschema, meta = _lookup_slice(schema, k)
            original[k] = _merge_slice_handler(original[k], patch_v, subschema, _strategy(meta), meta.merge_key,
                                               is_delete_list, opts)
        else:
            _take_patch_value(original, k, patch_v, opts, discard_nulls=False)
    return original


def _take_patch_value(original: Obj, k: str, patch_v: Any, opts: _MergeOptions, discard_nulls: bool = True) -> None:
    if discard_nulls and opts.ignore_unmatched_nulls:
        _discard_null_values(patch_v)
    v, keep = _remove_directives(patch_v)
    if keep:
        original[k] = v
    else:
        original.pop(k, None)


def _merge_map_handler(original: Obj, patch: Obj, schema: Schema, strategy: str, opts: _MergeOptions) -> Obj:
    if strategy != REPLACE:
        return _merge_map(original, patch, schema, opts)
    return patch


def _merge_slice_handler(original: Any, patch: Any, schema: Schema, strategy: str, merge_key: str,
                         is_delete_list: bool, opts: _MergeOptions) -> list[Any]:
    if type(original) is not list:
        raise _err_bad_arg_type(_GO_SLICE, original)
    if type(patch) is not list:
        raise _err_bad_arg_type(_GO_SLICE, patch)
    if strategy == MERGE or is_delete_list:
        return _merge_slice(original, patch, schema, merge_key, opts, is_delete_list)
    return patch


def _merge_slice(original: list[Any], patch: list[Any], schema: Schema, merge_key: str, opts: _MergeOptions,
                 is_delete_list: bool) -> list[Any]:
    """mergeSlice: merge two lists by merge key (maps) or as sets (primitives), then restore the order."""
    if not original and not patch:
        return original
    element = _slice_element_type(original, patch)
    is_map = element == _GO_MAP
    if not is_map:
        if opts.merge_parallel_list and is_delete_list:
            return [v for v in original if not any(_go_eq(v, d) for d in patch)]
        merged = _deduplicate_scalars(original + patch)
    else:
        if not merge_key:
            raise PatchError(f"cannot merge lists without merge key for {_element_kind_name(schema)}")
        original, patch = _merge_slice_with_special_elements(original, patch, merge_key)
        merged = _merge_slice_without_special_elements(original, patch, merge_key, schema, opts)
    present, server_only = _partition(merged, patch, merge_key)
    return _normalize_element_order(present, server_only, patch, original, merge_key, is_map)


def _merge_slice_with_special_elements(original: list[Any], patch: list[Any],
                                       merge_key: str) -> tuple[list[Any], list[Any]]:
    """Apply `$patch: delete` / `$patch: replace` elements; return (original, patch without them)."""
    plain: list[Any] = []
    replace = False
    for v in patch:
        if DIRECTIVE not in v:
            plain.append(v)
            continue
        directive = v[DIRECTIVE]
        if _go_eq(directive, DELETE):
            if merge_key not in v:
                raise _err_no_merge_key(v, merge_key)
            original = [o for o in original if not (type(o) is dict and merge_key in o
                                                    and _go_eq(o[merge_key], v[merge_key]))]
        elif _go_eq(directive, REPLACE):
            replace = True
        elif _go_eq(directive, MERGE):
            raise PatchError("merging lists cannot yet be specified in the patch")
        else:
            raise _err_bad_patch_type(directive, v)
    if replace:
        return plain, []
    return original, plain


def _merge_slice_without_special_elements(original: list[Any], patch: list[Any], merge_key: str,
                                          schema: Schema, opts: _MergeOptions) -> list[Any]:
    original = list(original)  # Go appends to a new slice: the caller's list keeps the live order
    for v in patch:
        if merge_key not in v:
            raise _err_no_merge_key(v, merge_key)
        found, i = _find_map(original, merge_key, v[merge_key])
        if i >= 0:
            original[i] = _merge_map(found, v, schema, opts)
        else:
            original.append(v)
    return original


# --- the public patch operations ---------------------------------------------------------------------


def apply_merge_patch(obj: Obj, patch: Any) -> Obj:
    """JSON merge patch (RFC 7386) as kube-apiserver applies it (evanphx/json-patch v4 MergePatch): maps
    merge recursively, `null` deletes a key, nulls inside newly set values are dropped, anything else
    replaces. A patch that is not a JSON object is refused with 400 `Invalid JSON Patch`."""
    if type(patch) is not dict:
        raise ApiError(status_dict(400, "BadRequest", "Invalid JSON Patch"))
    return _merge_docs(_copy(obj) if type(obj) is dict else {}, patch)


def _merge_docs(doc: Obj, patch: Obj) -> Obj:
    """mergeDocs (json-patch v4): a value replacing a non-map is pruned of nulls; a non-map replacing a
    map is taken as is."""
    for k, v in patch.items():
        current = doc.get(k)
        if v is None:
            doc.pop(k, None)
        elif type(current) is not dict:
            doc[k] = _prune_nulls(_copy(v))
        elif type(v) is not dict:
            doc[k] = _copy(v)
        else:
            _merge_docs(current, v)
    return doc


def _prune_nulls(v: Any) -> Any:
    if type(v) is dict:
        for k in [k for k, x in v.items() if x is None]:
            del v[k]
        for x in v.values():
            _prune_nulls(x)
    elif type(v) is list:
        for x in v:
            _prune_nulls(x)
    return v


def apply_strategic_merge_patch(obj: Obj, patch: Obj, schema: Schema) -> Obj:
    """Apply a strategic merge patch as kube-apiserver does (StrategicMergeMapPatch), then check the
    result decodes into the kind's types. `schema` is the kind's OpenAPI schema
    (`openapi.schema_for_kind`); with None the patch is applied as a JSON merge patch.

    Raises ApiError worded as kube-apiserver: 400 for malformed directives, 500 (`Error from server:`)
    for patches the algorithm refuses, 422 when the patched object no longer decodes."""
    if schema is None:
        return apply_merge_patch(obj, patch)
    if type(patch) is not dict:
        raise ApiError(status_dict(400, "BadRequest",
                               f"json: cannot unmarshal {json_kind(patch)} into Go value of type map[string]interface {{}}"))
    working_patch = _copy(patch)
    try:
        result = _merge_map(_copy(obj), working_patch, schema, _SERVER_SIDE)
    except PatchError as e:
        raise e.to_api_error() from None
    problem = decode_problem(result, schema)
    if problem:
        raise invalid_error("", "", "", [invalid("patch", go_format(working_patch), problem)])
    return result


def apply_json_patch(obj: Obj, ops: list[Any]) -> Obj:
    """RFC 6902 JSON patch. A patch that does not apply is refused as kube-apiserver refuses it: 422
    `the server rejected our request due to an error in our request`; a malformed one with 400."""
    if type(ops) is not list:
        raise ApiError(status_dict(400, "BadRequest",
                               f"json: cannot unmarshal {json_kind(ops)} into Go value of type jsonpatch.Patch"))
    for op in ops:
        if type(op) is not dict:
            raise ApiError(status_dict(400, "BadRequest", f"json: cannot unmarshal {json_kind(op)} into Go value of "
                                                      "type jsonpatch.Operation"))
    if len(ops) > MAX_JSON_PATCH_OPERATIONS:
        message = (f"The allowed maximum operations in a JSON patch is {MAX_JSON_PATCH_OPERATIONS}, "
                   f"got {len(ops)}")
        raise ApiError(status_dict(413, "RequestEntityTooLarge", f"Request entity too large: {message}"))
    try:
        result = jsonpatch.JsonPatch(_copy(ops)).apply(_copy(obj))
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException, KeyError, TypeError, ValueError,
            IndexError, AttributeError):
        raise unprocessable_error() from None
    if type(result) is not dict:
        raise unprocessable_error()
    return result




# --- decoding the patched object (runtime.DefaultUnstructuredConverter.FromUnstructured) --------------


def decode_problem(obj: Obj, schema: Schema) -> str:
    """The error FromUnstructured reports when the patched map does not fit the kind's types
    (k8s.io/apimachinery/pkg/runtime/converter.go), or "" when it fits. Fields are visited in the
    schema's property order; unknown fields are left to validation."""
    if schema is None:
        return ""
    return _decode_value(obj, schema)


def _decode_value(v: Any, schema: Schema) -> str:
    if v is None or schema is None:
        return ""
    kinds = openapi.types(schema)
    resolved = openapi.resolve(schema)
    go_kind = _go_kind(v)
    if "array" in kinds:
        if type(v) is str and resolved.get("format") == "byte":
            return ""
        if type(v) is not list:
            return f"cannot restore slice from {go_kind}"
        items = openapi.child(schema, 0)
        return next((p for p in (_decode_value(x, items) for x in v) if p), "")
    if "object" in kinds:
        if "properties" in resolved:
            if type(v) is not dict:
                return f"cannot restore struct from: {go_kind}"
            return next((p for p in (_decode_value(v.get(k), openapi.child(schema, k))
                                     for k in resolved["properties"] if k in v) if p), "")
        if type(v) is not dict:
            return f"cannot restore map from {go_kind}"
        values = openapi.child(schema, "")
        return next((p for p in (_decode_value(x, values) for x in v.values()) if p), "")
    return _decode_scalar(v, kinds, resolved.get("format", ""))


def _decode_scalar(v: Any, kinds: frozenset[str], fmt: str) -> str:
    if len(kinds) != 1:
        return ""  # int-or-string, quantities, free-form values: custom decoders
    (kind,) = kinds
    target = {"string": "string", "boolean": "bool", "number": "float64"}.get(kind) or (fmt or "int64")
    t = type(v)
    if kind == "string" and t is str or kind == "boolean" and t is bool:
        return ""
    if kind in ("integer", "number") and t in (int, float):
        if kind == "integer" and t is float and v != math.trunc(v):
            return f"cannot convert float64 to {target}"
        return ""
    if kind == "string" and t in (int, float):
        return f"cannot convert {_go_kind(v)} to string"
    return f"unrecognized type: {target}"


def _go_kind(v: Any) -> str:
    """reflect.Kind of a decoded JSON value, as Go prints it."""
    t = _go_type(v)
    return {_GO_MAP: "map", _GO_SLICE: "slice"}.get(t or "", t or "invalid")


# --- computing patches (kubectl apply, kubectl edit) ------------------------------------------------


@dataclass(frozen=True)
class _DiffOptions:
    set_element_order: bool = False
    ignore_changes_and_additions: bool = False
    ignore_deletions: bool = False
    build_retain_keys_directive: bool = False


def _diff_maps(original: Obj, modified: Obj, schema: Schema, opts: _DiffOptions) -> Obj:
    """diffMaps: the strategic merge patch turning `original` into `modified` (within `opts`)."""
    patch: Obj = {}
    retain: list[Any] = []
    for key, modified_v in modified.items():
        if opts.build_retain_keys_directive and modified_v is not None:
            retain.append(key)
        if key not in original:
            if not opts.ignore_changes_and_additions:
                patch[key] = modified_v
            continue
        original_v = original[key]
        if key == DIRECTIVE:
            if type(original_v) is not str or type(modified_v) is not str:
                raise PatchError(f"invalid value for special key: {DIRECTIVE}")
            if modified_v != original_v:
                patch[DIRECTIVE] = modified_v
            continue
        if _go_type(original_v) != _go_type(modified_v):
            if not opts.ignore_changes_and_additions:
                patch[key] = modified_v
            continue
        kind = _go_type(original_v)
        if kind == _GO_MAP:
            _handle_map_diff(key, original_v, modified_v, patch, schema, opts)
        elif kind == _GO_SLICE:
            _handle_slice_diff(key, original_v, modified_v, patch, schema, opts)
        elif not opts.ignore_changes_and_additions and not _deep_equal(original_v, modified_v):
            patch[key] = modified_v
    if not opts.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    if retain and (patch or any(v is not None and k not in modified for k, v in original.items())):
        patch[RETAIN_KEYS_DIRECTIVE] = _sort_scalars(retain)
    return patch


def _handle_map_diff(key: str, original: Obj, modified: Obj, patch: Obj, schema: Schema, opts: _DiffOptions) -> None:
    subschema, meta = _lookup_struct(schema, key)
    retain_keys, strategy = _retain_keys_and_strategy(meta.strategies)
    opts = _DiffOptions(opts.set_element_order, opts.ignore_changes_and_additions, opts.ignore_deletions, retain_keys)
    if strategy == REPLACE:
        if not opts.ignore_changes_and_additions:
            patch[key] = modified
        return
    value = _diff_maps(original, modified, subschema, opts)
    if value:
        patch[key] = value


def _handle_slice_diff(key: str, original: list[Any], modified: list[Any], patch: Obj, schema: Schema,
                       opts: _DiffOptions) -> None:
    subschema, meta = _lookup_slice(schema, key)
    retain_keys, strategy = _retain_keys_and_strategy(meta.strategies)
    if strategy != MERGE:
        if not opts.ignore_changes_and_additions and not _deep_equal(original, modified):
            patch[key] = modified
        return
    opts = _DiffOptions(opts.set_element_order, opts.ignore_changes_and_additions, opts.ignore_deletions, retain_keys)
    add, delete, order = _diff_lists(original, modified, subschema, meta.merge_key, opts)
    if add:
        patch[key] = add
    if delete:
        patch[f"{DELETE_FROM_PRIMITIVE_LIST}/{key}"] = delete
    if order:
        patch[f"{SET_ELEMENT_ORDER}/{key}"] = order


def _diff_lists(original: list[Any], modified: list[Any], schema: Schema, merge_key: str,
                opts: _DiffOptions) -> tuple[list[Any], list[Any], list[Any]]:
    """diffLists: (additions and changes, primitive deletions, `$setElementOrder` list)."""
    if not original:
        if not modified or opts.ignore_changes_and_additions:
            return [], [], []
        return modified, [], []
    element = _slice_element_type(original, modified)
    order: list[Any] = []
    if element == _GO_MAP:
        changes, deletions = _diff_lists_of_maps(original, modified, schema, merge_key, opts)
        changes = _normalize_slice_order(changes, modified, merge_key, True)
        order_same = len(original) == len(modified) and all(
            _merge_key_value_equal(o, m, merge_key) for o, m in zip(original, modified, strict=False))
        changes += deletions
        if opts.set_element_order and (
            (not opts.ignore_changes_and_additions and (changes or not order_same))
            or (not opts.ignore_deletions and changes)
        ):
            order = [{merge_key: m[merge_key]} for m in modified]
        return changes, [], order
    changes, deletions = _diff_lists_of_scalars(original, modified, opts)
    changes = _normalize_slice_order(changes, modified, merge_key, False)
    if opts.set_element_order and (
        (not opts.ignore_deletions and deletions)
        or (not opts.ignore_changes_and_additions and not _deep_equal(original, modified))
    ):
        order = modified
    return changes, deletions, order


def _diff_lists_of_scalars(original: list[Any], modified: list[Any],
                           opts: _DiffOptions) -> tuple[list[Any], list[Any]]:
    originals = _sort_scalars(original)
    modifieds = _sort_scalars(modified)
    add: list[Any] = []
    delete: list[Any] = []
    oi = mi = 0
    while oi < len(originals) or mi < len(modifieds):
        o_in, m_in = oi < len(originals), mi < len(modifieds)
        o_s = _sort_key(originals[oi]) if o_in else ""
        m_s = _sort_key(modifieds[mi]) if m_in else ""
        if o_in and m_in and o_s == m_s:
            oi += 1
            mi += 1
        elif not o_in or (m_in and o_s > m_s):
            if not opts.ignore_changes_and_additions:
                add.append(modifieds[mi])
            mi += 1
        else:
            if not opts.ignore_deletions:
                delete.append(originals[oi])
            oi += 1
    return add, _deduplicate_scalars(delete)


def _diff_lists_of_maps(original: list[Any], modified: list[Any], schema: Schema, merge_key: str,
                        opts: _DiffOptions) -> tuple[list[Any], list[Any]]:
    for items in (original, modified):
        for item in items:
            if type(item) is not dict:
                raise _err_bad_arg_type(_GO_MAP, item)
            if merge_key not in item:
                raise _err_no_merge_key(item, merge_key)
    originals = sorted(original, key=lambda m: _sort_key(m[merge_key]))
    modifieds = sorted(modified, key=lambda m: _sort_key(m[merge_key]))
    patch: list[Any] = []
    deletions: list[Any] = []
    oi = mi = 0
    while oi < len(originals) or mi < len(modifieds):
        o_in, m_in = oi < len(originals), mi < len(modifieds)
        o_s = _sort_key(originals[oi][merge_key]) if o_in else ""
        m_s = _sort_key(modifieds[mi][merge_key]) if m_in else ""
        if o_in and m_in and o_s == m_s:
            value = _diff_maps(originals[oi], modifieds[mi], schema, opts)
            if value:
                value[merge_key] = modifieds[mi][merge_key]
                patch.append(value)
            oi += 1
            mi += 1
        elif not o_in or (m_in and o_s > m_s):
            if not opts.ignore_changes_and_additions:
                patch.append(modifieds[mi])
            mi += 1
        else:
            if not opts.ignore_deletions:
                deletions.append({merge_key: originals[oi][merge_key], DIRECTIVE: DELETE})
            oi += 1
    return patch, deletions


def _compute(fn: Any, *args: Any) -> Obj:
    try:
        return fn(*args)
    except PatchError as e:
        raise e.to_api_error() from None


def create_two_way_merge_patch(original: Obj, modified: Obj, schema: Schema) -> Obj:
    """CreateTwoWayMergePatch: the strategic merge patch turning `original` into `modified`
    (what `kubectl edit` and `kubectl patch --local`-style diffs send)."""
    opts = _DiffOptions(set_element_order=True)
    return _compute(_diff_maps, _copy(original or {}), _copy(modified or {}), schema, opts)


def create_three_way_merge_patch(original: Obj | None, modified: Obj, current: Obj, schema: Schema) -> Obj:
    """CreateThreeWayMergePatch with overwrite, as client-side `kubectl apply` computes it.

    `original` is the last-applied-configuration (None or {} on first apply), `modified` the new manifest,
    `current` the live object. The patch sets every field of `modified` that differs from `current`,
    deletes what was removed from the manifest since the last apply, and leaves alone what others set.
    With `schema` None the JSON merge patch variant is computed, as kubectl does for unknown kinds."""
    if schema is None:
        return create_three_way_json_merge_patch(original, modified, current)
    return _compute(_three_way, _copy(original or {}), _copy(modified or {}), _copy(current or {}), schema)


def _three_way(original: Obj, modified: Obj, current: Obj, schema: Schema) -> Obj:
    delta = _diff_maps(current, modified, schema, _DiffOptions(set_element_order=True, ignore_deletions=True))
    deletions = _diff_maps(original, modified, schema,
                           _DiffOptions(set_element_order=True, ignore_changes_and_additions=True))
    return _merge_map(deletions, delta, schema, _COMBINE_PATCHES)


def create_three_way_json_merge_patch(original: Obj | None, modified: Obj, current: Obj) -> Obj:
    """jsonmergepatch.CreateThreeWayJSONMergePatch: additions and changes from current to modified, plus
    the deletions from original to modified, as one JSON merge patch."""
    add_and_change = _keep_or_delete_null(_json_merge_diff(current or {}, modified or {}), keep_null=False)
    deletions = _keep_or_delete_null(_json_merge_diff(original or {}, modified or {}), keep_null=True)
    return _merge_docs(deletions, add_and_change)


def _json_merge_diff(a: Obj, b: Obj) -> Obj:
    """evanphx/json-patch getDiff: the JSON merge patch turning `a` into `b`."""
    into: Obj = {}
    for key, bv in b.items():
        if key not in a or _go_type(a[key]) != _go_type(bv):
            into[key] = _copy(bv)
        elif type(bv) is dict:
            sub = _json_merge_diff(a[key], bv)
            if sub:
                into[key] = sub
        elif not _deep_equal(a[key], bv):
            into[key] = _copy(bv)
    for key in a:
        if key not in b:
            into[key] = None
    return into


def _keep_or_delete_null(m: Obj, keep_null: bool) -> Obj:
    """keepOrDeleteNullInObj: only the deletions (keep_null) or only the additions and changes."""
    out: Obj = {}
    for key, v in m.items():
        if v is None:
            if keep_null:
                out[key] = None
        elif type(v) is dict:
            if not v:
                if not keep_null:
                    out[key] = v
                continue
            sub = _keep_or_delete_null(v, keep_null)
            if sub:
                out[key] = sub
        elif not keep_null:
            out[key] = v
    return out


__all__ = [
    "apply_json_patch",
    "apply_merge_patch",
    "apply_strategic_merge_patch",
    "create_three_way_json_merge_patch",
    "create_three_way_merge_patch",
    "create_two_way_merge_patch",
    "decode_problem",
    "go_format",
    "unprocessable_error",
]
