"""Manifest loading as kubectl's `-f` does it: files, directories, YAML/JSON streams, lists of objects.

Called by the kubectl layer (`kubectl apply -f`, `create -f`, `delete -f`), by the `%%apply` magic and
by anything else that turns a learner's manifest into API objects. Mirrors the client side of kubectl
v1.33: k8s.io/cli-runtime/pkg/resource (visitor.go: StreamVisitor, ExpandPathsToFileVisitors,
FlattenListVisitor; builder.go), k8s.io/apimachinery/pkg/util/yaml/decoder.go (document splitting,
JSON sniffing), sigs.k8s.io/yaml (YAML → JSON with go-yaml v2 scalar rules) and
k8s.io/kubectl/pkg/validation/schema.go (the `kind not set` / `apiVersion not set` checks).
Errors are `ManifestError`s whose text is what kubectl prints after `error: `.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ManifestError
from .objects import json_kind

STDIN = "STDIN"  # kubectl's Source for `-f -` (cli-runtime visitor.go constSTDINstr)
EXTENSIONS = (".json", ".yaml", ".yml")  # cli-runtime builder.go FileExtensions
STOP_VALIDATE = "if you choose to ignore these errors, turn validation off with --validate=false"

Obj = dict[str, Any]


@dataclass(frozen=True)
class Document:
    """One object read from a manifest: the object, where it came from, and its position there."""

    object: Obj
    source: str  # file path as given to kubectl, or "STDIN" for text
    index: int  # 0-based position among the objects of that source (after list expansion)


# --------------------------------------------------------------------------------------------------
# YAML with go-yaml v2 scalar resolution (what sigs.k8s.io/yaml does before converting to JSON)
# --------------------------------------------------------------------------------------------------

_GO_PLAIN = "tag:k8scourse,2025:go-yaml-plain"
_GO_TRUE = {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"}
_GO_FALSE = {"n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"}
_GO_NULL = {"", "~", "null", "Null", "NULL"}
_GO_INF = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}
_GO_NEG_INF = {"-.inf", "-.Inf", "-.INF"}
_GO_NAN = {".nan", ".NaN", ".NAN"}
_GO_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_GO_INT_BASE0 = re.compile(r"^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$")


def _go_parse_int(text: str) -> int | None:
    """strconv.ParseInt(text, 0, 64) / ParseUint: base prefixes 0x, 0o, 0b and C-style leading-0 octal."""
    if not _GO_INT_BASE0.match(text):
        return None
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-")
    lowered = body.lower()
    if lowered.startswith(("0x", "0o", "0b")):
        value = int(body[2:], {"x": 16, "o": 8, "b": 2}[lowered[1]])
    elif len(body) > 1 and body.startswith("0"):
        value = int(body, 8)
    else:
        value = int(body)
    value *= sign
    if -(2**63) <= value < 2**64:
        return value
    return None


def go_resolve_plain(text: str) -> Any:
    """The value go-yaml v2 gives an unquoted scalar decoded into interface{} (resolve.go).

    YAML 1.1 booleans include y/n/yes/no/on/off; timestamps stay strings; `1:20` is a string (no
    sexagesimal); underscores are dropped from numbers; `1e3` is a float.
    """
    if text in _GO_NULL:
        return None
    if text in _GO_TRUE:
        return True
    if text in _GO_FALSE:
        return False
    if text in _GO_INF:
        return math.inf
    if text in _GO_NEG_INF:
        return -math.inf
    if text in _GO_NAN:
        return math.nan
    if text[:1] in "+-.0123456789":
        plain = text.replace("_", "")
        value = _go_parse_int(plain)
        if value is not None:
            return value
        if _GO_FLOAT.match(plain):
            return float(plain)
        if plain.startswith(("0b", "-0b")):
            digits = plain.removeprefix("-").removeprefix("0b")
            if digits and set(digits) <= {"0", "1"}:
                return int(plain.replace("0b", ""), 2)
    return text


class _GoYamlLoader(yaml.SafeLoader):
    """SafeLoader whose unquoted scalars resolve as go-yaml v2 resolves them."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _GO_PLAIN
        return super().resolve(kind, value, implicit)


def _construct_go_plain(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    return go_resolve_plain(loader.construct_scalar(node))


def _construct_timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    # go-yaml v2 keeps timestamps as strings when decoding into interface{} (decode.go).
    return loader.construct_scalar(node)


_GoYamlLoader.add_constructor(_GO_PLAIN, _construct_go_plain)
_GoYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


# --------------------------------------------------------------------------------------------------
# YAML syntax errors worded as go-yaml v2 words them (both it and PyYAML are ports of libyaml)
# --------------------------------------------------------------------------------------------------

_PROBLEM_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^mapping values are not allowed here$"), "mapping values are not allowed in this context"),
    (re.compile(r"^found character .* that cannot start any token$"), "found character that cannot start any token"),
    (re.compile(r"^found unknown escape character.*$"), "found unknown escape character"),
    (re.compile(r"^expected a comment or a line break, but found .*$"), "did not find expected comment or line break"),
    (re.compile(r"^expected alphabetic or numeric character, but found .*$"),
     "did not find expected alphabetic or numeric character"),
    (re.compile(r"^expected the node content, but found .*$"), "did not find expected node content"),
    (re.compile(r"^expected '<document start>', but found .*$"), "did not find expected <document start>"),
    (re.compile(r"^expected ',' or '\]', but got .*$"), "did not find expected ',' or ']'"),
    (re.compile(r"^expected ',' or '}', but got .*$"), "did not find expected ',' or '}'"),
    (re.compile(r"^expected indentation indicator in the range 1-9, but found 0$"),
     "found an indentation indicator equal to 0"),
)


def _go_problem(err: yaml.MarkedYAMLError) -> str:
    problem = err.problem or ""
    context = err.context or ""
    if problem.startswith("expected <block end>, but found"):
        # libyaml parser.c: block mapping vs block sequence
        return "did not find expected key" if "mapping" in context else "did not find expected '-' indicator"
    for pattern, text in _PROBLEM_REWRITES:
        if pattern.match(problem):
            return text
    return problem or "unknown problem parsing YAML content"


def _go_yaml_message(err: yaml.YAMLError) -> str:
    """`yaml: line N: <problem>` with go-yaml v2's line rule (parser.fail in yaml.go/decode.go):
    scanner errors report the 1-based line of the problem; parser errors report the 0-based line
    (one less than the human line number); line 0 falls back to the context mark, then to no line."""
    if isinstance(err, yaml.reader.ReaderError):
        return "yaml: control characters are not allowed"
    if isinstance(err, yaml.composer.ComposerError) and "undefined alias" in (err.problem or ""):
        return f"yaml: unknown anchor '{_alias_name(err)}' referenced"
    if not isinstance(err, yaml.MarkedYAMLError):
        return f"yaml: {err}"
    problem = _go_problem(err)
    line = 0
    if err.problem_mark is not None and err.problem_mark.line != 0:
        line = err.problem_mark.line
        if isinstance(err, yaml.scanner.ScannerError):
            line += 1
    elif err.context_mark is not None and err.context_mark.line != 0:
        line = err.context_mark.line
    where = f"line {line}: " if line else ""
    return f"yaml: {where}{problem}"


def _alias_name(err: yaml.MarkedYAMLError) -> str:
    mark = err.problem_mark
    if mark is None or mark.buffer is None:
        return ""
    match = re.match(r"\*([^\s,\[\]{}]+)", mark.buffer[mark.pointer:])
    return match.group(1) if match else ""


# --------------------------------------------------------------------------------------------------
# YAML → JSON-able values (sigs.k8s.io/yaml convertToJSONableObject + encoding/json Marshal)
# --------------------------------------------------------------------------------------------------


def _go_float_text(value: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 32), as sigs.k8s.io/yaml turns float map keys into strings."""
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if math.isnan(value):
        return ".nan"
    return format(value, "g").replace("e+0", "e+0")


def _json_key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float):
        return _go_float_text(key)
    if isinstance(key, str):
        return key
    raise ManifestError(f"error converting YAML to JSON: unsupported map key of type: {type(key).__name__}")


def _to_json(value: Any) -> Any:
    """Map keys to strings, and floats as Go's json.Marshal writes them (1.0 → 1, so it fits an int32)."""
    if isinstance(value, dict):
        return {_json_key(k): _to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            text = "NaN" if math.isnan(value) else ("+Inf" if value > 0 else "-Inf")
            raise ManifestError(f"error converting YAML to JSON: json: unsupported value: {text}")
        if value == int(value) and abs(value) < 1e21:
            return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 2**63:
        return float(value)
    return value


# --------------------------------------------------------------------------------------------------
# Streams: documents split on `---` lines (YAMLReader), JSON when the stream starts with `{`
# --------------------------------------------------------------------------------------------------


def _yaml_chunks(text: str) -> Iterator[str]:
    """Split a YAML stream into documents exactly as apimachinery's YAMLReader.Read does."""
    buffer: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("---"):
            trailing = line[3:].strip()
            if trailing and not trailing.startswith("#"):
                raise _SyntaxError(f"invalid Yaml document separator: {trailing}")
            if buffer:
                yield "".join(buffer)
                buffer = []
                continue
        buffer.append(line)
    if buffer:
        yield "".join(buffer)


class _SyntaxError(Exception):
    """A stream that cannot be parsed; the text goes after `error parsing <source>: `."""


def _parse_yaml_chunk(chunk: str) -> Any:
    try:
        docs = list(yaml.load_all(chunk, Loader=_GoYamlLoader))  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as err:
        raise _SyntaxError(f"error converting YAML to JSON: {_go_yaml_message(err)}") from None
    # go-yaml's Unmarshal reads the first document of the chunk only.
    return _to_json(docs[0]) if docs else None


_GO_JSON_CONTEXT = (
    ("Expecting property name enclosed in double quotes", "looking for beginning of object key string"),
    ("Expecting ':' delimiter", "after object key"),
    ("Expecting value", "looking for beginning of value"),
)


def _go_json_error(err: json.JSONDecodeError, text: str, base: int) -> str:
    """encoding/json's SyntaxError wrapped as yaml.JSONSyntaxError: `json: offset N: invalid character ...`."""
    pos = err.pos
    if pos >= len(text):
        return "unexpected EOF"
    char = text[pos]
    context = "looking for beginning of value"
    for prefix, go_context in _GO_JSON_CONTEXT:
        if err.msg.startswith(prefix):
            context = go_context
    if err.msg.startswith("Expecting ',' delimiter"):
        opener = _innermost_open(text, pos)
        context = "after object key:value pair" if opener == "{" else "after array element"
    quoted = "'\\''" if char == "'" else ("'\"'" if char == '"' else f"'{char}'")
    offset = len(text[: base + pos + 1].encode())
    return f"json: offset {offset}: invalid character {quoted} {context}"


def _innermost_open(text: str, pos: int) -> str:
    depth: list[str] = []
    in_string = escaped = False
    for ch in text[:pos]:
        if in_string:
            escaped = not escaped and ch == "\\"
            in_string = escaped or ch != '"'
            continue
        if ch == '"':
            in_string = True
        elif ch in "[{":
            depth.append(ch)
        elif ch in "]}" and depth:
            depth.pop()
    return depth[-1] if depth else ""


def _json_values(text: str) -> Iterator[Any]:
    decoder = json.JSONDecoder()
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            raise _SyntaxError(_go_json_error(err, text, 0)) from None
        pos = end
        yield value


def _stream_objects(text: str) -> Iterator[Any]:
    """Values of a stream, as StreamVisitor sees them (empty and `null` documents skipped)."""
    text = text.lstrip("\ufeff")
    if text.lstrip().startswith("{"):
        values: Iterator[Any] = _json_values(text)
    else:
        values = (_parse_yaml_chunk(chunk) for chunk in _yaml_chunks(text))
    for value in values:
        if value is None or value == "":
            continue
        yield value


# --------------------------------------------------------------------------------------------------
# Checks and list expansion
# --------------------------------------------------------------------------------------------------


def _kind_errors(value: Any) -> list[str]:
    """kubectl/pkg/validation/schema.go getObjectKind: what `--validate` refuses before any request."""
    if not isinstance(value, dict):
        return ["invalid object to validate"]
    errors: list[str] = []
    api_version = value.get("apiVersion")
    if api_version is None:
        errors.append("apiVersion not set")
    elif not isinstance(api_version, str):
        errors.append("apiVersion isn't string type")
    elif api_version.count("/") > 1:
        errors.append(f"unexpected GroupVersion string: {api_version}")
    kind = value.get("kind")
    if kind is None:
        errors.append("kind not set")
    elif not isinstance(kind, str):
        errors.append("kind isn't string type")
    return errors


def _check(value: Any, source: str) -> None:
    errors = _kind_errors(value)
    if errors:
        text = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
        raise ManifestError(f"error validating {json.dumps(source)}: error validating data: {text}; {STOP_VALIDATE}")
    if not value.get("kind") or not value.get("apiVersion"):
        # Unstructured decoding (unstructured.go) refuses empty strings after validation passes.
        raw = json.dumps(value, separators=(",", ":"), sort_keys=True)
        what = "Kind" if not value.get("kind") else "apiVersion"
        raise ManifestError(f"unable to decode {json.dumps(source)}: Object '{what}' is missing in '{raw}'")


def _is_list(value: Obj) -> bool:
    # unstructured.go's decoder treats any object with an `items` field as a list.
    return "items" in value and (value["items"] is None or isinstance(value["items"], list))


def _flatten(value: Obj) -> list[Obj]:
    """FlattenListVisitor + UnstructuredList decoding: items inherit `<Kind>List`'s kind and apiVersion."""
    if not _is_list(value):
        return [value]
    item_kind = value.get("kind", "").removesuffix("List")
    out: list[Obj] = []
    errors: list[str] = []
    for item in value.get("items") or []:
        if not isinstance(item, dict):
            raise ManifestError(f"json: cannot unmarshal {json_kind(item)} into Go value of type map[string]interface {{}}")
        if not item.get("kind") and not item.get("apiVersion"):
            item = {"apiVersion": value.get("apiVersion"), "kind": item_kind, **item}
        missing = _missing_type_info(item)
        if missing:
            errors.append(f'unable to get type info from the object "*unstructured.Unstructured": {missing}')
            continue
        out.extend(_flatten(item))
    if errors:
        raise ManifestError(errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]")
    return out


def _missing_type_info(item: Obj) -> str:
    # unstructuredscheme ObjectKinds: runtime.NewMissingKindErr / NewMissingVersionErr
    if not item.get("kind"):
        return "Object 'Kind' is missing in 'object has no kind field '"
    if not item.get("apiVersion"):
        return "Object 'apiVersion' is missing in 'object has no apiVersion field'"
    return ""




def _documents(values: Iterator[Any] | list[Any], source: str) -> list[Document]:
    out: list[Document] = []
    try:
        for value in values:
            _check(value, source)
            for obj in _flatten(value):
                out.append(Document(obj, source, len(out)))
    except _SyntaxError as err:
        raise ManifestError(f"error parsing {source}: {err}") from None
    return out


# --------------------------------------------------------------------------------------------------
# Sources: text, files, directories, dicts
# --------------------------------------------------------------------------------------------------


def _looks_like_text(source: str) -> bool:
    stripped = source.strip()
    return "\n" in stripped or ": " in stripped or stripped.startswith(("{", "[", "-", "#")) or stripped == ""


def _expand_path(path: str, recursive: bool) -> list[str]:
    """ExpandPathsToFileVisitors: the file itself, or a directory's manifests in filepath.Walk order."""
    if not os.path.exists(path):
        raise ManifestError(f"the path {json.dumps(path)} does not exist")
    if not os.path.isdir(path):
        return [path]
    files: list[str] = []
    for name in sorted(os.listdir(path)):
        full = os.path.join(path, name)
        if os.path.isdir(full):
            if recursive:
                files.extend(_expand_path(full, True))
        elif os.path.splitext(name)[1] in EXTENSIONS:
            files.append(full)
    return files


def _read_file(path: str) -> str:
    data = Path(path).read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8", errors="replace")


def load_manifests(
    source: str | os.PathLike[str] | Obj | list[Obj],
    *,
    recursive: bool = False,
    source_name: str = STDIN,
) -> list[Document]:
    """Read manifests as `kubectl apply -f` reads them.

    `source` is YAML/JSON text (labelled `source_name`, "STDIN" as for `-f -`), a path to a file or a
    directory (`.json`, `.yaml`, `.yml` files in name order; sub-directories only with `recursive`),
    a dict, or a list of dicts. Lists (`kind: List`, `*List`, any object with `items`) are expanded.
    Raises `ManifestError` worded as kubectl's message after `error: `.
    """
    if isinstance(source, dict):
        return _documents([_to_json(source)], source_name)
    if isinstance(source, list):
        return _documents([_to_json(item) for item in source], source_name)
    if isinstance(source, os.PathLike) or not _looks_like_text(str(source)):
        return _load_path(os.fspath(source), recursive)
    return _documents(_stream_objects(str(source)), source_name)


def _load_path(path: str, recursive: bool) -> list[Document]:
    files = _expand_path(path, recursive)
    if not files:
        # builder.go (FilenameParam/visitorResult): no visitors for the directory
        raise ManifestError(f"error reading [{path}]: recognized file extensions are [.json .yaml .yml]")
    documents: list[Document] = []
    for file in files:
        documents.extend(_documents(_stream_objects(_read_file(file)), file))
    return documents
