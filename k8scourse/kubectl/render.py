"""kubectl's output printers: server-side Tables as `kubectl get` lays them out, and `-o
yaml|json|name|jsonpath=…|jsonpath-as-json=…|custom-columns=…`, byte for byte as kubectl v1.33 prints.

Called by the kubectl verbs (`get`, `create … -o yaml`, `apply -o name`, …). Tables come from either
backend (the simulator builds them with `k8scourse.api.printing`; a real apiserver sends them), so both
print alike. Sources: k8s.io/cli-runtime/pkg/printers (tableprinter.go, json.go, yaml.go, name.go,
jsonpath.go) and k8s.io/kubectl/pkg/cmd/get (get.go, customcolumn.go).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cmp_to_key
from typing import Any

import yaml

from ..api.printing.duration import since
from ..api.selectors import format_labels
from .gotemplate import GoTemplate, TemplateError, from_json
from .jsonpath import JSONPath, JSONPathError, go_json, go_sprint
from .tabwriter import tabwrite

Obj = Mapping[str, Any]


class PrintError(Exception):
    """A printer that cannot print: the message is kubectl's, without the leading `error: `; `stdout` is what
    the printer wrote before failing (the go-template printer writes its debugging help there)."""

    def __init__(self, message: str, stdout: str = ""):
        super().__init__(message)
        self.stdout = stdout


@dataclass(frozen=True)
class PrintOptions:
    """printers.PrintOptions as `kubectl get` sets them from its flags."""

    wide: bool = False
    no_headers: bool = False
    show_labels: bool = False
    column_labels: tuple[str, ...] = ()
    with_namespace: bool = False
    with_kind: bool = False
    kind: str = ""  # the GroupKind kubectl prefixes names with: `pod`, `deployment.apps`


# --- tables --------------------------------------------------------------------------------------

_ESCAPER = str.maketrans({"\x1b": "^[", "\r": "\\r"})
_BREAKS = re.compile(r"[\f\n\r]")


def escape_terminal(text: str) -> str:
    """printers.EscapeTerminal: ESC shown as `^[`, carriage return as `\\r`."""
    return text.translate(_ESCAPER)


def _cell_text(cell: Any) -> str:
    """printTable's cell: nil is empty, strings stop at the first line break (`...`), others fmt.Sprint."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        match = _BREAKS.search(cell)
        if match:
            return escape_terminal(cell[:match.start()]) + "..."
        return escape_terminal(cell)
    return escape_terminal(go_sprint(cell))


def _label_header(label: str) -> str:
    """formatLabelHeaders: the part after the last `/`."""
    return label.split("/")[-1]


def _row_labels(row: Obj) -> tuple[dict[str, str] | None, str | None]:
    meta = (row.get("object") or {}).get("metadata")
    if not isinstance(meta, Mapping):
        return None, None
    return dict(meta.get("labels") or {}), str(meta.get("namespace") or "")


def decorate_table(table: Obj, options: PrintOptions) -> tuple[list[dict[str, Any]], list[list[Any]]]:
    """decorateTable: NAMESPACE first, label columns and LABELS last, `kind/name` names."""
    columns = [dict(c) for c in table.get("columnDefinitions") or []]
    name_column = -1
    if options.with_kind and options.kind:
        name_column = next((i for i, c in enumerate(columns)
                            if c.get("format") == "name" and c.get("type") == "string"), -1)
    if options.with_namespace:
        columns.insert(0, {"name": "Namespace", "type": "string", "priority": 0})
    columns += [{"name": _label_header(label), "type": "string", "priority": 0} for label in options.column_labels]
    if options.show_labels:
        columns.append({"name": "Labels", "type": "string", "priority": 0})
    width = len(columns)
    rows = []
    for row in table.get("rows") or []:
        cells = list(row.get("cells") or [])
        if name_column != -1 and name_column < len(cells):
            cells[name_column] = f"{options.kind.lower()}/{go_sprint(cells[name_column])}"
        labels, namespace = _row_labels(row)
        if labels is None:
            if options.with_namespace:
                cells.insert(0, None)
            cells += [None] * (width - len(cells))
        else:
            if options.with_namespace:
                cells.insert(0, namespace)
            cells += [labels.get(key, "") for key in options.column_labels]
            if options.show_labels:
                cells.append(format_labels(labels))
        rows.append(cells)
    return columns, rows


def table_lines(table: Obj, options: PrintOptions, *, headers: bool = True) -> list[list[str]]:
    """printTable: the header line (upper-case names) and one line per row, priority > 0 columns only
    with `-o wide`. No header is printed for a table without rows."""
    columns, rows = decorate_table(table, options)
    shown = [i for i, c in enumerate(columns) if options.wide or not c.get("priority")]
    lines: list[list[str]] = []
    if headers and not options.no_headers:
        if not rows:
            return []
        lines.append([str(columns[i].get("name", "")).upper() for i in shown])
    for cells in rows:
        lines.append([_cell_text(cells[i]) if i < len(cells) else "" for i in shown if i < len(cells)])
    return lines


@dataclass(frozen=True)
class Section:
    """One server response to print: a Table, the resource it came from (`deployments.apps`), and the
    options of its printer (kubectl makes a new printer per resource)."""

    resource: str
    table: Obj
    options: PrintOptions


def render_tables(sections: Sequence[Section]) -> str:
    """`kubectl get`'s human-readable loop: one tabwriter flushed per resource, a blank line before a
    new resource's output once something was printed, headers once per resource (again only when the
    columns change)."""
    out: list[str] = []
    block: list[list[str]] = []
    separator = False
    last_resource: str | None = None
    last_columns: Any = None
    printed_headers = False

    def flush() -> None:
        nonlocal block, separator
        text = tabwrite(block) if block else ""
        if text and separator:
            out.append("\n")
            separator = False
        out.append(text)
        block = []

    for section in sections:
        if section.resource != last_resource:
            flush()
            if last_resource is not None and not section.options.no_headers and "".join(out):
                separator = True
            last_resource, last_columns, printed_headers = section.resource, None, False
        columns = section.table.get("columnDefinitions") or []
        repeat = printed_headers and (not columns or columns == last_columns)
        if columns and columns != last_columns:
            last_columns, printed_headers = columns, False
        table = section.table if columns else {**section.table, "columnDefinitions": last_columns or []}
        if section.table.get("rows"):
            printed_headers = True
        block += table_lines(table, section.options, headers=not repeat)
    flush()
    return "".join(out)


def object_meta_table(objects: Iterable[Obj], now: datetime) -> dict[str, Any]:
    """kubectl's own fallback when a server sends no Table (printObjectMeta): NAME and AGE."""
    rows = [{"cells": [str((o.get("metadata") or {}).get("name", "")),
                       since((o.get("metadata") or {}).get("creationTimestamp"), now)],
             "object": {"metadata": o.get("metadata") or {}}} for o in objects]
    columns = [{"name": "Name", "type": "string", "format": "name", "priority": 0},
               {"name": "Age", "type": "string", "format": "", "priority": 0}]
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "columnDefinitions": columns, "rows": rows}


def with_kind_prefix(options: PrintOptions, kind: str) -> PrintOptions:
    """EnsureWithKind + SetKind: names printed as `kind/name` (several types requested, `get all`)."""
    return replace(options, with_kind=True, kind=kind)


# --- -o json / yaml -------------------------------------------------------------------------------

def as_list(items: Sequence[Obj], resource_version: str = "") -> dict[str, Any]:
    """The `List` kubectl prints for several objects (or none) with -o json/yaml/jsonpath."""
    return {"apiVersion": "v1", "items": list(items), "kind": "List", "metadata": {"resourceVersion": resource_version}}


def to_json(obj: Obj) -> str:
    """JSONPrinter: json.MarshalIndent with four spaces, keys sorted, then a newline."""
    return go_json(obj, indent="    ") + "\n"


class _GoYAMLDumper(yaml.SafeDumper):
    """PyYAML emitting as sigs.k8s.io/yaml (go-yaml v2) does: block style, sorted keys, indentless
    sequences, double quotes for strings that would read back as another type, `|` for multi-line."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # JSON has no anchors: a value used twice is written twice, as Go marshals it


_GO_BOOLS = frozenset(["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"])
_GO_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_GO_FLOATS = frozenset([".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"])
_YAML_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_BASE60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d*)?"
                        r"(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?)?$")


def _go_resolves_to_non_string(text: str) -> bool:
    """go-yaml v2's resolve(): would this plain scalar read back as null, bool, number or timestamp?"""
    if text in _GO_NULLS or text in _GO_BOOLS or text in _GO_FLOATS:
        return True
    if not text or text[0] not in "0123456789+-.":
        return False
    plain = text.replace("_", "")
    try:
        int(plain, 0) if not re.match(r"^[-+]?0[0-7]+$", plain) else int(plain, 8)
        return True
    except ValueError:
        pass
    if re.match(r"^[-+]?0b[01]+$", plain):
        return True
    if _YAML_FLOAT.match(plain):
        return True
    return bool(_TIMESTAMP.match(text)) or bool(_BASE60.match(text))


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    if _go_resolves_to_non_string(data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


def _digits_value(text: str, start: int) -> tuple[int, int]:
    end, value = start, 0
    while end < len(text) and text[end].isdigit():
        value = value * 10 + int(text[end])
        end += 1
    return value, end


def go_yaml_key_less(a: str, b: str) -> bool:
    """go-yaml v2's keyList.Less for string keys: numbers inside keys compare as numbers (`k2` < `k10`),
    and at the first difference a non-letter sorts before a letter."""
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        al, bl = a[i].isalpha(), b[i].isalpha()
        if al and bl:
            return a[i] < b[i]
        if al or bl:
            return bl
        an = bn = 0
        if a[i] == "0" or b[i] == "0":
            j = i - 1
            while j >= 0 and a[j].isdigit():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        a_value, ai = _digits_value(a, i)
        b_value, bi = _digits_value(b, i)
        an, bn = (an * 10 ** (ai - i) + a_value, bn * 10 ** (bi - i) + b_value) if an else (a_value, b_value)
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return a[i] < b[i]
    return len(a) < len(b)


_YAML_KEY = cmp_to_key(lambda a, b: -1 if go_yaml_key_less(a, b) else (1 if go_yaml_key_less(b, a) else 0))


def _represent_dict(dumper: yaml.SafeDumper, data: Mapping[str, Any]) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", sorted(data.items(), key=lambda kv: _YAML_KEY(str(kv[0]))))


def _represent_float(dumper: yaml.SafeDumper, data: float) -> yaml.ScalarNode:
    if data.is_integer() and abs(data) < 1e21:
        return dumper.represent_int(int(data))
    return dumper.represent_scalar("tag:yaml.org,2002:float", go_sprint(data))


# PyYAML's `=` (value) and `<<` (merge) resolvers have no go-yaml counterpart that quotes: drop them.
_GoYAMLDumper.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:value", "tag:yaml.org,2002:merge")]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
_GoYAMLDumper.add_representer(str, _represent_str)
_GoYAMLDumper.add_representer(float, _represent_float)
_GoYAMLDumper.add_representer(dict, _represent_dict)


def to_yaml(obj: Obj) -> str:
    """YAMLPrinter: the object through sigs.k8s.io/yaml."""
    return yaml.dump(obj, Dumper=_GoYAMLDumper, default_flow_style=False, sort_keys=False,
                     allow_unicode=True, width=80, indent=2)


def yaml_documents(objects: Sequence[Obj]) -> str:
    """YAMLPrinter printing several objects one after another: `---` before every one but the first."""
    return "---\n".join(to_yaml(o) for o in objects)


# --- -o name ----------------------------------------------------------------------------------------

def name_of(obj: Obj, operation: str = "") -> str:
    """NamePrinter: `deployment.apps/web`, `pod/web-1` (with ` created` and the like after it)."""
    meta = obj.get("metadata") or {}
    name = meta.get("name") or "<unknown>"
    kind = str(obj.get("kind") or "")
    if not kind:
        raise PrintError(f"missing kind for resource with name {name}")
    group = str(obj.get("apiVersion") or "").rpartition("/")[0] if "/" in str(obj.get("apiVersion") or "") else ""
    suffix = f" {operation}" if operation else ""
    prefix = f"{kind.lower()}.{group}" if group else kind.lower()
    return f"{prefix}/{name}{suffix}\n"


def names(obj: Obj, operation: str = "") -> str:
    """NamePrinter over a List or one object."""
    if isinstance(obj.get("items"), list) and str(obj.get("kind", "")).endswith("List"):
        return "".join(name_of(item, operation) for item in obj["items"])
    return name_of(obj, operation)


# --- -o jsonpath=… ------------------------------------------------------------------------------------

def go_sharp_v(value: Any) -> str:
    """fmt's %#v of an unstructured value, as kubectl's jsonpath error shows the object."""
    if value is None:
        return "interface {}(nil)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return go_json(value).replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&")
    if isinstance(value, Mapping):
        inner = ", ".join(f"{go_sharp_v(str(k))}:{go_sharp_v(v)}" for k, v in sorted(value.items()))
        return "map[string]interface {}{" + inner + "}"
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(go_sharp_v(v) for v in value) + "}"
    return go_sprint(value)


def jsonpath_printer(template: str, *, allow_missing_keys: bool = True, as_json: bool = False) -> JSONPath:
    """NewJSONPathPrinter: the parsed template, or kubectl's `error parsing jsonpath` message."""
    if not template:
        raise PrintError("template format specified but no template given")
    try:
        return JSONPath(template, allow_missing_keys=allow_missing_keys, output_json=as_json)
    except JSONPathError as e:
        raise PrintError(f"error parsing jsonpath {template}, {e}") from None


def jsonpath_output(template: str, obj: Obj, *, allow_missing_keys: bool = True, as_json: bool = False) -> str:
    """`-o jsonpath=TEMPLATE`: the template executed on the object (a List for several)."""
    printer = jsonpath_printer(template, allow_missing_keys=allow_missing_keys, as_json=as_json)
    try:
        return printer.execute(obj)
    except JSONPathError as e:
        raise PrintError(
            f'error executing jsonpath "{template}": Error executing template: {e}. '
            "Printing more information for debugging the template:\n"
            f"\ttemplate was:\n\t\t{template}\n"
            f"\tobject given to jsonpath engine was:\n\t\t{go_sharp_v(obj)}\n\n\n") from None


# --- -o custom-columns=… ----------------------------------------------------------------------------

_RELAXED = re.compile(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$")


def relaxed_jsonpath(expression: str) -> str:
    """RelaxedJSONPathExpression: `.a.b`, `a.b`, `{a.b}` all become `{.a.b}`."""
    if not expression:
        return expression
    match = _RELAXED.match(expression)
    if match is None:
        raise PrintError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
                         "'{name1.name2}' or '{.name1.name2}'")
    return "{." + (match.group(1) or match.group(2)) + "}"


def custom_columns(spec: str) -> list[tuple[str, JSONPath]]:
    """NewCustomColumnsPrinterFromSpec: `HEADER:.path,HEADER2:.path2`."""
    if not spec:
        raise PrintError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, sep, path = part.partition(":")
        if not sep:
            raise PrintError(f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>")
        try:
            columns.append((header, JSONPath(relaxed_jsonpath(path), allow_missing_keys=True)))
        except JSONPathError as e:
            raise PrintError(str(e)) from None
    return columns


def _custom_cell(parser: JSONPath, obj: Obj) -> str:
    try:
        results = parser.find_results(obj)
    except JSONPathError as e:
        raise PrintError(str(e)) from None
    if not results or not results[0]:
        values = ["<none>"]
    else:
        values = []
    values += [escape_terminal(go_sprint(v)) for group in results for v in group]
    return ",".join(values)


def custom_columns_output(spec: str, obj: Obj, *, no_headers: bool = False) -> str:
    """`-o custom-columns=SPEC` over a List (one line per item) or one object."""
    columns = custom_columns(spec)
    items = obj["items"] if isinstance(obj.get("items"), list) and str(obj.get("kind", "")).endswith("List") else [obj]
    lines = [] if no_headers else [[header for header, _ in columns]]
    lines += [[_custom_cell(parser, item) for _, parser in columns] for item in items]
    return tabwrite(lines)


# --- -o go-template=… / template=… ---------------------------------------------------------------------------

TEMPLATE_FORMATS = ("go-template", "go-template-file", "template", "templatefile")


def go_template_printer(format_name: str, template: str, *, allow_missing_keys: bool = True) -> GoTemplate:
    """GoTemplatePrintFlags.ToPrinter: the template (read from a file for `*-file`) parsed, or kubectl's error."""
    if not template:
        raise PrintError("template format specified but no template given")
    if format_name in ("go-template-file", "templatefile"):
        try:
            with open(template, encoding="utf-8") as handle:
                template = handle.read()
        except OSError as exc:
            raise PrintError(f"error reading --template {template}, open {template}: "
                             f"{(exc.strerror or str(exc)).lower()}") from None
    try:
        return GoTemplate(template, allow_missing_keys=allow_missing_keys)
    except TemplateError as exc:
        raise PrintError(f"error parsing template {template}, {exc}") from None


def go_template_output(printer: GoTemplate, obj: Obj) -> str:
    """GoTemplatePrinter.PrintObj: the template's output; on failure the debugging help goes to stdout and
    the error is `error executing template "…": …`."""
    try:
        return printer.execute(obj)
    except TemplateError as exc:
        data = go_json(obj)
        partial = getattr(exc, "partial", "")
        help_text = (f"Error executing template: {exc}. Printing more information for debugging the template:\n"
                     f"\ttemplate was:\n\t\t{printer.text}\n\traw data was:\n\t\t{data}\n"
                     f"\tobject given to template engine was:\n\t\t{go_sprint(from_json(obj))}\n\n")
        raise PrintError(f'error executing template "{printer.text}": {exc}', stdout=partial + help_text) from None



# --- one printer for a whole command (watch events included) -------------------------------------------------

EVENT_TYPES = {"ADDED": "ADDED   ", "MODIFIED": "MODIFIED", "DELETED": "DELETED ", "ERROR": "ERROR   "}


class HumanPrinter:
    """HumanReadablePrinter kept across calls, as `kubectl get --watch` keeps it: headers only until a table
    with rows was printed (again when the columns change), `EVENT` first with --output-watch-events."""

    def __init__(self, options: PrintOptions):
        self.options = options
        self.last_columns: Any = None
        self.printed_headers = False

    def lines(self, table: Obj, event_type: str = "") -> list[list[str]]:
        columns = table.get("columnDefinitions") or []
        headers = not (self.printed_headers and (not columns or columns == self.last_columns))
        if not columns:
            table = {**table, "columnDefinitions": self.last_columns or []}
        elif columns != self.last_columns:
            self.last_columns, self.printed_headers = columns, False
        if table.get("rows"):
            self.printed_headers = True
        lines = table_lines(table, self.options, headers=headers)
        if event_type and lines:
            shown = EVENT_TYPES.get(event_type, event_type)
            with_header = headers and not self.options.no_headers
            lines = [["EVENT" if with_header and i == 0 else shown, *line] for i, line in enumerate(lines)]
        return lines


class ObjectPrinter:
    """`-o yaml|json|name|jsonpath=…|jsonpath-as-json=…|custom-columns=…|go-template=…` kept for a whole command:
    YAML writes `---` before every object but the first, custom-columns its header once, and watch events
    print as kubectl prints a metav1.WatchEvent."""

    def __init__(self, output: str, *, no_headers: bool = False, allow_missing_keys: bool = True):
        self.format, _, self.template = output.partition("=")
        self.no_headers = no_headers
        self.allow_missing_keys = allow_missing_keys
        self.count = 0
        self.go_template = (go_template_printer(self.format, self.template, allow_missing_keys=allow_missing_keys)
                            if self.format in TEMPLATE_FORMATS else None)
        if self.format in ("jsonpath", "jsonpath-as-json"):
            jsonpath_printer(self.template)
        elif self.format == "custom-columns":
            custom_columns(self.template)

    def print(self, obj: Obj, event_type: str = "") -> str:
        """The text for one object (a List prints as one), or for one watch event about it."""
        self.count += 1
        shown: Obj = {"type": event_type, "object": obj} if event_type else obj
        if self.format == "name":
            return names(obj)
        if self.format == "json":
            if event_type:
                return '{"type":' + go_json(event_type) + ',"object":' + go_json(obj) + "}\n"
            return to_json(obj)
        if self.format == "yaml":
            return ("---\n" if self.count > 1 else "") + to_yaml(shown)
        if self.go_template is not None:
            return go_template_output(self.go_template, shown)
        if self.format == "custom-columns":
            return custom_columns_output(self.template, shown, no_headers=self.no_headers or self.count > 1)
        return jsonpath_output(self.template, shown, allow_missing_keys=self.allow_missing_keys,
                               as_json=self.format == "jsonpath-as-json")
