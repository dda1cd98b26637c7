"""Where in a YAML text an error points: field paths (`spec.template.spec.containers[0].image`) to line numbers.

Used by the manifest editor to highlight the offending line of a refused manifest. Field paths are
written as Go's field.Path renders them (`metadata.labels[app]`, `spec.ports[0].port`); the line found
is the one holding the deepest part of the path that exists in the text (a missing field points at its
parent). YAML syntax errors carry their line number in the message (`yaml: line 7: ...`).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_SEGMENT = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")
_YAML_LINE = re.compile(r"yaml: line (\d+):")
_UNKNOWN_FIELD = re.compile(r'unknown field "([^"]+)"')


def path_segments(path: str) -> list[str | int]:
    """`spec.containers[0].ports[1]` → ['spec', 'containers', 0, 'ports', 1]; `labels[app]` → ['labels', 'app']."""
    out: list[str | int] = []
    for name, index in _SEGMENT.findall(path):
        if name:
            out.append(name)
        else:
            out.append(int(index) if index.isdigit() else index)
    return out


def _documents(text: str) -> list[Any]:
    try:
        return list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return []


def _child(node: Any, segment: str | int) -> tuple[Any, int] | None:
    """The node under `segment` and the (0-based) line that names it."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if str(key.value) == str(segment):
                return value, key.start_mark.line
    if isinstance(node, yaml.SequenceNode) and isinstance(segment, int) and 0 <= segment < len(node.value):
        item = node.value[segment]
        return item, item.start_mark.line
    return None


def line_of_path(text: str, path: str, document: int = 0) -> int | None:
    """The 1-based line of `path` in the `document`-th YAML document of `text` (its deepest existing part)."""
    docs = _documents(text)
    if not 0 <= document < len(docs) or docs[document] is None:
        return None
    node = docs[document]
    line = node.start_mark.line
    for segment in path_segments(path):
        found = _child(node, segment)
        if found is None:
            break
        node, line = found
    return line + 1


def document_index(text: str, kind: str, name: str) -> int:
    """Which document of `text` declares `kind` `name` (0 when none says so)."""
    try:
        loaded = list(yaml.safe_load_all(text))
    except yaml.YAMLError:
        return 0
    for index, doc in enumerate(loaded):
        if isinstance(doc, dict) and doc.get("kind") == kind and (doc.get("metadata") or {}).get("name") == name:
            return index
    return 0


def error_lines(text: str, message: str, status: dict[str, Any] | None = None) -> dict[int, str]:
    """The lines of `text` an error points at, each with what to say there: from the Status causes' field
    paths, an `unknown field "..."` in the message, or a YAML syntax error's `line N`."""
    lines: dict[int, str] = {}
    if status:
        details = status.get("details") or {}
        doc = document_index(text, str(details.get("kind", "")), str(details.get("name", "")))
        for cause in details.get("causes") or []:
            field = cause.get("field")
            if field and (line := line_of_path(text, field, doc)) is not None:
                lines.setdefault(line, f"{field}: {cause.get('message', '')}")
        for field in _UNKNOWN_FIELD.findall(status.get("message", "")):
            if (line := line_of_path(text, field, doc)) is not None:
                lines.setdefault(line, f'unknown field "{field}"')
    for number in _YAML_LINE.findall(message):
        lines.setdefault(int(number), message.split(": ", 1)[-1])
    return lines
