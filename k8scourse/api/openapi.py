"""OpenAPI look-ups over the Kubernetes type definitions: schemas per kind, fields, patch metadata.

Called by the patch machinery (strategic merge patch needs each list's patch strategy and merge key),
by validation, and by `kubectl explain` (descriptions stay on every schema returned here).

The definitions are the `$defs` of kubernetes-validate's `_definitions.json` for the schema set named by
`k8scourse.api.version.SCHEMA_VERSION`; they are generated from the same Go struct tags
(`patchStrategy`, `patchMergeKey`) that kube-apiserver's strategic merge patch reads.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from .version import SCHEMA_VERSION

Schema = dict[str, Any]

_REF_PREFIX = "#/$defs/"
PATCH_STRATEGY = "x-kubernetes-patch-strategy"
PATCH_MERGE_KEY = "x-kubernetes-patch-merge-key"
LIST_TYPE = "x-kubernetes-list-type"
LIST_MAP_KEYS = "x-kubernetes-list-map-keys"
GVK = "x-kubernetes-group-version-kind"


@lru_cache(maxsize=1)
def schema_root() -> Path:
    """kubernetes-validate's schema folder, found without importing the package (its import pulls in
    jsonschema's format checkers, which take seconds)."""
    spec = find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("kubernetes-validate is not installed: run `make test` or `pip install -e .`.")
    return Path(next(iter(spec.submodule_search_locations))) / "kubernetes-json-schema"


@lru_cache(maxsize=1)
def definitions() -> dict[str, Schema]:
    """Every type definition, keyed by its OpenAPI name (`io.k8s.api.apps.v1.Deployment`)."""
    path = schema_root() / f"v{SCHEMA_VERSION}-local-strict"
    with (path / "_definitions.json").open("r", encoding="utf-8") as f:
        return json.load(f)["$defs"]


@lru_cache(maxsize=1)
def _by_gvk() -> dict[tuple[str, str, str], str]:
    index: dict[tuple[str, str, str], str] = {}
    for name, schema in definitions().items():
        for gvk in schema.get(GVK, ()):
            index.setdefault((gvk.get("group", ""), gvk.get("version", ""), gvk.get("kind", "")), name)
    return index


def definition_name(group: str, version: str, kind: str) -> str | None:
    """The definition serving a group/version/kind (`("apps", "v1", "Deployment")` → `io.k8s.api.apps.v1.Deployment`)."""
    return _by_gvk().get((group, version, kind))


def resolve(schema: Schema) -> Schema:
    """Follow `$ref` (`#/$defs/...`) until a schema without one; unknown references resolve to `{}`."""
    seen = 0
    while "$ref" in schema and seen < 32:
        ref = schema["$ref"]
        name = ref[len(_REF_PREFIX):] if ref.startswith(_REF_PREFIX) else ref
        schema = definitions().get(name, {})
        seen += 1
    return schema


def schema_for_kind(api_version: str, kind: str) -> Schema | None:
    """The top-level schema of a kind (`"apps/v1", "Deployment"`), or None when no definition serves it."""
    group, _, version = api_version.rpartition("/")
    name = definition_name(group, version, kind)
    return definitions()[name] if name else None


def types(schema: Schema) -> frozenset[str]:
    """The JSON types a schema admits, without `null` (`{"type": ["array", "null"]}` → `{"array"}`)."""
    t = resolve(schema).get("type")
    if t is None:
        return frozenset()
    if isinstance(t, str):
        return frozenset((t,)) - {"null"}
    return frozenset(t) - {"null"}


def _with_ref_resolved(field: Schema) -> Schema:
    """A field's schema with its `$ref` followed; the field's own keys (description, extensions) win."""
    if "$ref" not in field:
        return field
    merged = dict(resolve(field))
    merged.update((k, v) for k, v in field.items() if k != "$ref")
    return merged


# child() results per (parent, key), keeping the parent alive so its id is never reused.
_CHILDREN: dict[tuple[int, Any], tuple[Schema, Schema | None]] = {}


def child(schema: Schema | None, key: Any) -> Schema | None:
    """The schema one step down: a property (`key` = field name), an array's items (any `key`), or a map's
    values (`additionalProperties`). References are resolved; the field's description and patch
    extensions are kept. None when the step leads nowhere the schema knows."""
    if schema is None:
        return None
    resolved = resolve(schema)
    props = resolved.get("properties")
    # Items and map values are the same for every key: cache them once, not per label key.
    named = props is not None and isinstance(key, str) and key in props
    cache_key = (id(schema), key if named else _ANY)
    hit = _CHILDREN.get(cache_key)
    if hit is not None and hit[0] is schema:
        return hit[1]
    result = _with_ref_resolved(props[key]) if named else _unnamed_child(resolved)
    _CHILDREN[cache_key] = (schema, result)
    return result


_ANY = object()


def _unnamed_child(schema: Schema) -> Schema | None:
    if "array" in types(schema) and isinstance(schema.get("items"), dict):
        return _with_ref_resolved(schema["items"])
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        return _with_ref_resolved(extra)
    return None


def list_patch_meta(schema: Schema | None) -> tuple[str | None, str | None]:
    """(patch strategy, merge key) of a field: `("merge", "name")` for `containers`, `("merge,retainKeys",
    "name")` for `volumes`, `(None, None)` when strategic merge patch replaces the field whole.

    Strategic merge patch reads only the patch extensions (the Go struct tags); a list whose
    `x-kubernetes-list-type` is `map` or `set` but which has no patch strategy is still replaced whole
    (see `list_type` for the server-side-apply view of a list)."""
    if schema is None:
        return None, None
    return schema.get(PATCH_STRATEGY), schema.get(PATCH_MERGE_KEY)


def list_type(schema: Schema | None) -> tuple[str | None, tuple[str, ...]]:
    """(`x-kubernetes-list-type`, list map keys) of a list field: `("map", ("containerPort", "protocol"))`."""
    if schema is None:
        return None, ()
    return schema.get(LIST_TYPE), tuple(schema.get(LIST_MAP_KEYS, ()))


def description(schema: Schema | None) -> str:
    """The description `kubectl explain` prints for a field or a type ("" when there is none)."""
    if schema is None:
        return ""
    return schema.get("description") or resolve(schema).get("description", "")

