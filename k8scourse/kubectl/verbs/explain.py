"""`kubectl explain`: the documentation of a kind or of one of its fields, from the OpenAPI definitions.

Registered in `k8scourse.kubectl.command.VERBS`. Prints what kubectl v1.33's default explain (the
OpenAPI v3 template staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl) prints: GROUP,
KIND, VERSION, FIELD, DESCRIPTION (the field's and its type's descriptions, a line each), FIELDS with
`name<TAB><type>` and `-required-`, `--recursive` as an indented tree, and text wrapped as the
template's `wrap` (explain/v2/funcs.go: go-wordwrap, which keeps the text's own line breaks). The
definitions are k8scourse.api.openapi's; they carry no enum lists, so the `enum:` lines kubectl shows for a few string
fields are not printed.
"""

from __future__ import annotations

from typing import Any

from ...api import openapi
from ...api.errors import K8sError
from ..command import Invocation, verb
from ..flags import Flag

Schema = dict[str, Any]


@verb("explain", Flag("recursive", takes_value=False), Flag("api-version"), Flag("output", default="plaintext"),
      summary="Get documentation for a resource")
def explain(inv: Invocation) -> None:
    if not inv.line.args:
        raise K8sError("You must specify the type of resource to explain. Use \"kubectl api-resources\" for a "
                       "complete list of supported resources.\n")
    if len(inv.line.args) > 1:
        raise K8sError("We accept only this format: explain RESOURCE\n")
    if inv.line["output"] not in ("plaintext", "plaintext-openapiv2"):
        raise K8sError(f"unsupported output format: {inv.line['output']}; supported formats: "
                       "plaintext, plaintext-openapiv2")
    resource, *path = inv.line.args[0].split(".")
    rt = inv.backend.registry.resolve(resource)
    version = inv.line["api-version"]
    if version and version != rt.api_version:
        raise K8sError(f"couldn't find resource for \"{rt.group + '/' if rt.group else ''}{version}, "
                       f"Resource={rt.plural}\"")
    schema = openapi.schema_for_kind(rt.api_version, rt.kind)
    if schema is None:
        raise K8sError(f"GVR ({rt.api_version}, Resource={rt.plural}) not found in OpenAPI schema")
    group, _, ver = rt.api_version.rpartition("/")
    head = (f"GROUP:      {group}\n" if group else "") + f"KIND:       {rt.kind}\nVERSION:    {ver}\n\n"
    body = explain_schema(schema, path, inv.line["recursive"])
    if body is None:
        raise K8sError(f'field "{path[-1]}" does not exist')
    inv.out.write(head + body + "\n")


def explain_schema(schema: Schema, path: list[str], recursive: bool) -> str | None:
    """The template's "output": follow `path` down from `schema`; None when a step leads nowhere."""
    if not path:
        text = "DESCRIPTION:\n" + indent(wrap(description(schema) or "<empty>", 76), 4) + "\n"
        fields = field_list(schema, 1, recursive, frozenset())
        return text + ("FIELDS:\n" + fields if fields else "")
    resolved = openapi.resolve(schema)
    props = resolved.get("properties") or {}
    if path[0] in props:
        sub = props[path[0]]
        head = f"FIELD: {path[0]} <{type_guess(sub)}>\n\n\n" if len(path) == 1 else ""
        rest = explain_schema(sub, path[1:], recursive)
        return None if rest is None else head + rest
    for inner in _inner(resolved):
        return explain_schema(inner, path, recursive)
    return None


def _inner(schema: Schema) -> list[Schema]:
    """An array's items or a map's values (the schemas a path step passes through)."""
    if isinstance(schema.get("items"), dict):
        return [schema["items"]]
    if isinstance(schema.get("additionalProperties"), dict):
        return [schema["additionalProperties"]]
    return []


def description(schema: Schema) -> str:
    """The template's "description": the field's own text, then its items', values' or type's, a line each."""
    text = schema.get("description", "")
    text = text + "\n" if text else ""
    if "$ref" in schema:
        return text + description(openapi.resolve(schema))
    for inner in _inner(schema):
        text += description(inner)
    return text


def type_guess(schema: Schema) -> str:
    """The template's "typeGuess": `string`, `integer`, `Object`, `[]Container`, `map[string]string`, `Quantity`."""
    if isinstance(schema.get("items"), dict):
        return "[]" + type_guess(schema["items"])
    if isinstance(schema.get("additionalProperties"), dict):
        return "map[string]" + type_guess(schema["additionalProperties"])
    if "$ref" in schema:
        target = openapi.resolve(schema)
        kinds = _types(target)
        if not kinds or kinds == "object":
            return schema["$ref"].rsplit("/", 1)[-1].rsplit(".", 1)[-1] or "Object"
        return kinds
    kinds = _types(schema)
    return "Object" if kinds in ("object", "") else kinds


def _types(schema: Schema) -> str:
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), "")
    return t or ""


def field_list(schema: Schema, level: int, recursive: bool, seen: frozenset[str]) -> str:
    """The template's "fieldList": each field (sorted) with its type, and its description or sub-fields."""
    ref = schema.get("$ref", "")
    if ref and ref in seen:
        return ""
    seen = seen | {ref} if ref else seen
    resolved = openapi.resolve(schema)
    required = set(resolved.get("required") or ())
    out = []
    for name in sorted(resolved.get("properties") or {}):
        field = resolved["properties"][name]
        out.append(field_detail(name, field, name in required, level, recursive))
        if recursive:
            out.append(field_list(field, level + 1, recursive, seen))
    for inner in _inner(resolved):
        out.append(field_list(inner, level, recursive, seen))
    return "".join(out)


def field_detail(name: str, field: Schema, required: bool, level: int, recursive: bool) -> str:
    """The template's "fieldDetail": `  name<TAB><type> -required-` and, unless recursive, its description."""
    pad = level * 2
    line = " " * pad + f"{name}\t<{type_guess(field)}>" + (" -required-" if required else "") + "\n"
    if recursive:
        return line
    text = field.get("description") or "<no description>"
    return line + indent(wrap(text, 78 - pad), pad + 2) + "\n\n"


def indent(text: str, spaces: int) -> str:
    """sprig's indent: every line, the empty ones too, gets the padding."""
    pad = " " * spaces
    return pad + text.replace("\n", "\n" + pad)


def wrap(text: str, width: int) -> str:
    """kubectl v1.33's template `wrap` (explain/v2/funcs.go through term.NewWordWrapWriter): go-wordwrap
    v1.0.1's WrapString: greedy, at most `width` characters a line, the spaces at a break dropped, a word as
    long as the line never broken, and the text's own line breaks kept."""
    out: list[str] = []
    current = 0
    word: list[str] = []
    spaces: list[str] = []
    for char in text:
        if char == "\n":
            if word or current + len(spaces) <= width:
                out += spaces + word
            spaces, word = [], []
            out.append(char)
            current = 0
        elif char.isspace() and char != "\u00a0":
            if not spaces or word:
                current += len(spaces) + len(word)
                out += spaces + word
                spaces, word = [], []
            spaces.append(char)
        else:
            word.append(char)
            if current + len(spaces) + len(word) > width and len(word) < width:
                out.append("\n")
                current = 0
                spaces = []
    if not word:
        if current + len(spaces) <= width:
            out += spaces
    else:
        out += spaces + word
    return "".join(out)
