"""The /openapi/v2 and /openapi/v3 documents, built from the definitions kubernetes-validate ships.

Called by `k8scourse.serve.handler`. kubectl reads them for `kubectl explain` (the v3 document of the
resource's group version), for client-side apply patches, and to learn whether the server validates
fields itself (a `fieldValidation` query parameter on each PATCH operation, as
staging/src/k8s.io/cli-runtime/pkg/resource/query_param_verifier_v3.go looks for it). The JSON-schema
definitions are turned back into OpenAPI: one type per field (no `null`), references to
`#/definitions/` (v2) or `#/components/schemas/` (v3, wrapped in `allOf` when the field has its own
description, as kube-openapi writes them), no closed `additionalProperties`, no enum on apiVersion/kind.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..api.openapi import definitions
from ..api.registry import Registry, ResourceType
from ..api.version import KUBERNETES_VERSION
from .routes import resources_in, served_versions

Schema = dict[str, Any]
_DEFS = "#/$defs/"
# Definitions the JSON schemas spell as oneOf, which OpenAPI writes as one string type.
_STRING_FORMS = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"type": "string", "format": "int-or-string"},
    "io.k8s.apimachinery.pkg.api.resource.Quantity": {"type": "string"},
}
PATCH_PARAMETERS = ("dryRun", "fieldManager", "fieldValidation", "force")


def convert(schema: Any, ref_prefix: str, v3: bool) -> Any:
    """One JSON-schema node as OpenAPI (v2 or v3 reference style)."""
    if isinstance(schema, list):
        return [convert(s, ref_prefix, v3) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: Schema = {}
    for key, value in schema.items():
        if key == "type" and isinstance(value, list):
            real = [t for t in value if t != "null"]
            if real:
                out["type"] = real[0]
        elif key == "additionalProperties" and value is False:
            continue
        elif key == "$ref":
            out["$ref"] = ref_prefix + value.removeprefix(_DEFS)
        elif key == "properties":
            out[key] = {name: _property(name, prop, ref_prefix, v3) for name, prop in value.items()}
        elif isinstance(value, (dict, list)) and key not in ("required", "x-kubernetes-group-version-kind"):
            out[key] = convert(value, ref_prefix, v3)
        else:
            out[key] = value
    if v3 and "$ref" in out and len(out) > 1:
        out = {"allOf": [{"$ref": out.pop("$ref")}], **out}
    return out


def _property(name: str, prop: Schema, ref_prefix: str, v3: bool) -> Schema:
    converted = convert(prop, ref_prefix, v3)
    if name in ("apiVersion", "kind"):
        converted.pop("enum", None)
    return converted


def _definition(name: str, ref_prefix: str, v3: bool) -> Schema:
    schema = definitions()[name]
    if name in _STRING_FORMS:
        return {"description": schema.get("description", ""), **_STRING_FORMS[name]} if "description" in schema \
            else dict(_STRING_FORMS[name])
    return convert(schema, ref_prefix, v3)


def _references(schema: Any, found: set[str]) -> None:
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(_DEFS):
            name = ref.removeprefix(_DEFS)
            if name not in found:
                found.add(name)
                _references(definitions().get(name, {}), found)
        for value in schema.values():
            _references(value, found)
    elif isinstance(schema, list):
        for value in schema:
            _references(value, found)


def _names_for(group: str, version: str) -> set[str]:
    """Definitions of a group version's kinds and everything they reference."""
    roots = {name for name, schema in definitions().items()
             if any(g.get("group", "") == group and g.get("version") == version
                    for g in schema.get("x-kubernetes-group-version-kind", ()))}
    found = set(roots)
    for name in roots:
        _references(definitions()[name], found)
    return {n for n in found if n in definitions()}


def _gvk(rt: ResourceType, group: str, version: str) -> Schema:
    return {"group": group, "version": version, "kind": rt.kind}


def _operation(rt: ResourceType, group: str, version: str, action: str, v3: bool,
               parameters: tuple[str, ...] = ()) -> Schema:
    params = []
    for p in parameters:
        param: Schema = {"name": p, "in": "query", "uniqueItems": True}
        if v3:
            param["schema"] = {"type": "boolean" if p == "force" else "string"}
        else:
            param["type"] = "boolean" if p == "force" else "string"
        params.append(param)
    return {"operationId": f"{action}{rt.kind}", "parameters": params, "x-kubernetes-action": action,
            "x-kubernetes-group-version-kind": _gvk(rt, group, version)}


def _paths(registry: Registry, group: str, version: str, v3: bool) -> Schema:
    paths: Schema = {}
    for rt in resources_in(registry, group, version):
        base = f"/apis/{group}/{version}" if group else f"/api/{version}"
        if rt.namespaced:
            base += "/namespaces/{namespace}"
        paths[f"{base}/{rt.plural}"] = {
            "get": _operation(rt, group, version, "list", v3),
            "post": _operation(rt, group, version, "post", v3, ("dryRun", "fieldManager", "fieldValidation")),
        }
        paths[f"{base}/{rt.plural}/{{name}}"] = {
            "get": _operation(rt, group, version, "get", v3),
            "put": _operation(rt, group, version, "put", v3, ("dryRun", "fieldManager", "fieldValidation")),
            "patch": _operation(rt, group, version, "patch", v3, PATCH_PARAMETERS),
            "delete": _operation(rt, group, version, "delete", v3, ("dryRun",)),
        }
    return paths


def _info() -> Schema:
    return {"title": "Kubernetes", "version": KUBERNETES_VERSION}


def v2_document(registry: Registry) -> Schema:
    """GET /openapi/v2: every definition, and the paths of every served group version."""
    paths: Schema = {}
    for group, versions in served_versions(registry).items():
        for version in versions:
            paths.update(_paths(registry, group, version, False))
    defs = {name: _definition(name, "#/definitions/", False) for name in sorted(definitions())}
    return {"swagger": "2.0", "info": _info(), "paths": paths, "definitions": defs}


def v3_document(registry: Registry, group: str, version: str) -> Schema:
    """GET /openapi/v3/api/v1 or /openapi/v3/apis/<group>/<version>."""
    names = sorted(_names_for(group, version))
    schemas = {name: _definition(name, "#/components/schemas/", True) for name in names}
    return {"openapi": "3.0.0", "info": _info(), "paths": _paths(registry, group, version, True),
            "components": {"schemas": schemas}}


def v3_path(group: str, version: str) -> str:
    return f"apis/{group}/{version}" if group else f"api/{version}"


def document_hash(body: bytes) -> str:
    return hashlib.sha512(body).hexdigest().upper()


def v3_index(registry: Registry, hashes: dict[str, str]) -> Schema:
    """GET /openapi/v3: where each group version's document is, with its content hash."""
    paths: Schema = {}
    for group, versions in served_versions(registry).items():
        for version in versions:
            path = v3_path(group, version)
            paths[path] = {"serverRelativeURL": f"/openapi/v3/{path}?hash={hashes.get(path, '')}"}
    return {"paths": dict(sorted(paths.items()))}


def encode(doc: Schema) -> bytes:
    return json.dumps(doc, separators=(",", ":")).encode()
