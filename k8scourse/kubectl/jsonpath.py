"""kubectl's JSONPath dialect (k8s.io/client-go/util/jsonpath): `{.items[*].metadata.name}`, `{range
.items[*]}…{end}`, filters `[?(@.type=="Ready")]`, unions, slices, recursive descent and quoted text,
printed as kubectl prints results (space-separated scalars, compact JSON for maps and lists).

Called by `k8scourse.kubectl.render` for `-o jsonpath=…`, `-o jsonpath-as-json=…` and the cells of
`-o custom-columns=…`. The parser and evaluator follow parser.go and jsonpath.go step by step; the
only deliberate difference is that map keys are visited in sorted order (Go visits them randomly).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


class JSONPathError(ValueError):
    """A template that does not parse, or that fails on the data (worded as client-go words it)."""


# --- nodes --------------------------------------------------------------------------------------------

@dataclass(eq=False)
class ListNode:
    nodes: list[Any] = field(default_factory=list)


@dataclass(eq=False)
class TextNode:
    text: str


@dataclass(eq=False)
class FieldNode:
    name: str


@dataclass(eq=False)
class IdentifierNode:
    name: str


@dataclass(eq=False)
class Param:
    value: int = 0
    known: bool = False
    derived: bool = False


@dataclass(eq=False)
class ArrayNode:
    params: tuple[Param, Param, Param]


@dataclass(eq=False)
class FilterNode:
    left: ListNode
    right: ListNode
    operator: str


@dataclass(eq=False)
class LiteralNode:
    """IntNode, FloatNode and BoolNode: a constant standing for every input."""

    value: Any


@dataclass(eq=False)
class WildcardNode:
    pass


@dataclass(eq=False)
class RecursiveNode:
    pass


@dataclass(eq=False)
class UnionNode:
    nodes: list[ListNode]


# --- parser (parser.go) ---------------------------------------------------------------------------------

_DICT_KEY = re.compile(r"^'([^']*)'$")
_SLICE = re.compile(r"^(-?\d*)(:-?\d*)?(:-?\d*)?$")
_FILTER = re.compile(r"^([^!<>=]+)([!<>=]+)(.+?)$", re.DOTALL)
_EOF = ""


def _is_terminator(r: str) -> bool:
    return r in (_EOF, " ", "\t", "\r", "\n", ".", ",", "[", "]", "$", "@", "{", "}")


def _is_alphanumeric(r: str) -> bool:
    return r == "_" or (r != _EOF and r.isalnum())


def _go_atoi(text: str) -> int | None:
    if re.fullmatch(r"[+-]?\d+", text):
        value = int(text)
        return value if -(2**63) <= value < 2**63 else None
    return None


class Parser:
    """parser.go: text outside `{}` is literal; inside, fields, arrays, filters and identifiers."""

    def __init__(self, text: str):
        self.input = text
        self.pos = 0
        self.start = 0
        self.root = ListNode()

    def parse(self) -> ListNode:
        self._parse_text(self.root)
        return self.root

    def _next(self) -> str:
        if self.pos >= len(self.input):
            self._width = 0
            return _EOF
        self._width = 1
        self.pos += 1
        return self.input[self.pos - 1]

    def _backup(self) -> None:
        self.pos -= self._width

    def _peek(self) -> str:
        r = self._next()
        self._backup()
        return r

    def _consume(self) -> str:
        value = self.input[self.start:self.pos]
        self.start = self.pos
        return value

    def _parse_text(self, cur: ListNode) -> None:
        while True:
            if self.input.startswith("{", self.pos):
                if self.pos > self.start:
                    cur.nodes.append(TextNode(self._consume()))
                self._parse_left_delim(cur)
                return
            if self._next() == _EOF:
                break
        if self.pos > self.start:
            cur.nodes.append(TextNode(self._consume()))

    def _parse_left_delim(self, cur: ListNode) -> None:
        self.pos += 1
        self._consume()
        node = ListNode()
        cur.nodes.append(node)
        self._parse_inside_action(node)

    def _parse_inside_action(self, cur: ListNode) -> None:
        while True:
            rest = self.input[self.pos:]
            if rest.startswith("}"):
                self.pos += 1
                self._consume()
                self._parse_text(self.root)
                return
            if rest.startswith("[?("):
                self._parse_filter(cur)
                continue
            if rest.startswith(".."):
                self._parse_recursive(cur)
                continue
            r = self._next()
            if r == _EOF or r in "\r\n":
                raise JSONPathError("unclosed action")
            if r in " @$":
                self._consume()
            elif r == "[":
                self._parse_array(cur)
            elif r in "\"'":
                self._parse_quote(cur, r)
            elif r == ".":
                self._parse_field(cur)
            elif r in "+-" or r.isdigit():
                self._backup()
                self._parse_number(cur)
            elif _is_alphanumeric(r):
                self._backup()
                self._parse_identifier(cur)
            else:
                raise JSONPathError(f"unrecognized character in action: U+{ord(r):04X} {_go_quote_rune(r)}")

    def _parse_identifier(self, cur: ListNode) -> None:
        while not _is_terminator(self._next()):
            pass
        self._backup()
        value = self._consume()
        cur.nodes.append(LiteralNode(value == "true") if value in ("true", "false") else IdentifierNode(value))

    def _parse_recursive(self, cur: ListNode) -> None:
        if cur.nodes and isinstance(cur.nodes[-1], RecursiveNode):
            raise JSONPathError("invalid multiple recursive descent")
        self.pos += 2
        self._consume()
        cur.nodes.append(RecursiveNode())
        if _is_alphanumeric(self._peek()):
            self._parse_field(cur)

    def _parse_number(self, cur: ListNode) -> None:
        if self._peek() in "+-":
            self._next()
        while True:
            r = self._next()
            if r != "." and not r.isdigit():
                self._backup()
                break
        value = self._consume()
        if (number := _go_atoi(value)) is not None:
            cur.nodes.append(LiteralNode(number))
            return
        try:
            cur.nodes.append(LiteralNode(float(value)))
        except ValueError:
            raise JSONPathError(f"cannot parse number {value}") from None

    def _parse_array(self, cur: ListNode) -> None:
        while True:
            r = self._next()
            if r in (_EOF, "\n"):
                raise JSONPathError("unterminated array")
            if r == "]":
                break
        text = self._consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            cur.nodes.append(UnionNode([_parse_action(f"[{p.strip(' ')}]") for p in parts]))
            return
        if match := _DICT_KEY.match(text):
            cur.nodes.extend(_parse_action(f".{match.group(1)}").nodes)
            return
        match = _SLICE.match(text)
        if match is None:
            raise JSONPathError(f"invalid array index {text}")
        cur.nodes.append(ArrayNode(_slice_params([match.group(1), match.group(2) or "", match.group(3) or ""])))

    def _parse_filter(self, cur: ListNode) -> None:
        self.pos += 3
        self._consume()
        begin = end = False
        pair = ""
        while True:
            r = self._next()
            if r in (_EOF, "\n"):
                raise JSONPathError("unterminated filter")
            if r in "\"'":
                if not begin:
                    begin, pair = True, r
                    continue
                if self.input[self.pos - 2] != "\\" and r == pair:
                    end = True
            elif r == ")" and begin == end:
                break
        if self._next() != "]":
            raise JSONPathError("unclosed array expect ]")
        text = self._consume()[:-2]
        match = _FILTER.match(text)
        if match is None:
            cur.nodes.append(FilterNode(_parse_action(text), ListNode(), "exists"))
        else:
            cur.nodes.append(FilterNode(_parse_action(match.group(1)), _parse_action(match.group(3)), match.group(2)))

    def _parse_quote(self, cur: ListNode, end: str) -> None:
        while True:
            r = self._next()
            if r in (_EOF, "\n"):
                raise JSONPathError("unterminated quoted string")
            if r == end and self.input[self.pos - 2] != "\\":
                break
        value = self._consume()
        cur.nodes.append(TextNode(_unquote_extend(value)))

    def _parse_field(self, cur: ListNode) -> None:
        self._consume()
        while True:
            r = self._next()
            if r == "\\":
                self._next()
            elif _is_terminator(r):
                self._backup()
                break
        value = self._consume()
        cur.nodes.append(WildcardNode() if value == "*" else FieldNode(value.replace("\\", "")))


def _slice_params(groups: list[str]) -> tuple[Param, Param, Param]:
    params = (Param(), Param(), Param())
    for i, text in enumerate(groups):
        if text:
            if i > 0:
                text = text[1:]
            if i > 0 and text == "":
                params[i].known = False
            else:
                value = _go_atoi(text)
                if value is None:
                    raise JSONPathError(f"array index {text} is not a number")
                params[i].known, params[i].value = True, value
        elif i == 1:
            params[1].known, params[1].value, params[1].derived = True, params[0].value + 1, True
    return params


def _parse_action(text: str) -> ListNode:
    """parseAction: parse `{text}` and return its one action."""
    return Parser("{" + text + "}").parse().nodes[0]


_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def _unquote_extend(s: str) -> str:
    """UnquoteExtend: a single- or double-quoted string with Go escapes (`\\n`, `\\t`, `\\'`…)."""
    quote, body = s[0], s[1:-1]
    if "\\" not in body and quote not in body:
        return body
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == quote:
            raise JSONPathError(f"unquote string {s} error invalid syntax")
        if c != "\\":
            out.append(c)
            i += 1
            continue
        nxt = body[i + 1:i + 2]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt == quote:
            out.append(quote)
            i += 2
        elif nxt in ("x", "u", "U"):
            size = {"x": 2, "u": 4, "U": 8}[nxt]
            digits = body[i + 2:i + 2 + size]
            if len(digits) != size or not all(d in "0123456789abcdefABCDEF" for d in digits):
                raise JSONPathError(f"unquote string {s} error invalid syntax")
            out.append(chr(int(digits, 16)))
            i += 2 + size
        else:
            raise JSONPathError(f"unquote string {s} error invalid syntax")
    return "".join(out)


def _go_quote_rune(r: str) -> str:
    return "'" + r + "'"


def parse(template: str) -> ListNode:
    """Parse a template; raises JSONPathError with client-go's wording."""
    return Parser(template).parse()


# --- Go value formatting ----------------------------------------------------------------------------

def go_float(value: float) -> str:
    """fmt's %v of a float64 (strconv 'g', shortest): `0.5`, `123456`, `1e+06`, `1.5e-05`."""
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    text = "".join(map(str, digits))
    exp = len(text) + int(exponent) - 1
    prefix = "-" if sign else ""
    if exp < -4 or exp >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if exp < 0:
        return f"{prefix}0.{'0' * (-exp - 1)}{text}"
    whole = text[:exp + 1].ljust(exp + 1, "0")
    fraction = text[exp + 1:]
    return prefix + whole + ("." + fraction if fraction else "")


def go_sprint(value: Any) -> str:
    """fmt.Sprint of an unstructured value: `map[a:1 b:x]`, `[a b]`, `<nil>`, `true`."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_sprint(v)}" for k, v in sorted(value.items())) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_sprint(v) for v in value) + "]"
    return str(value)


def go_json(value: Any, indent: str | None = None) -> str:
    """encoding/json Marshal (or MarshalIndent): sorted keys, HTML-safe escapes, Go's float format."""
    text = json.dumps(_go_json_ready(value), sort_keys=True, ensure_ascii=False,
                      indent=indent, separators=(",", ": ") if indent is not None else (",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _go_json_ready(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)  # encoding/json prints a whole float64 without a fraction
    if isinstance(value, dict):
        return {k: _go_json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_go_json_ready(v) for v in value]
    return value


# --- evaluation (jsonpath.go) ------------------------------------------------------------------------

def _kind(value: Any) -> str:
    """template.basicKind of a decoded JSON value."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    raise JSONPathError("invalid type for comparison")


def _less(a: Any, b: Any) -> bool:
    ka, kb = _kind(a), _kind(b)
    if ka != kb:
        raise JSONPathError("incompatible types for comparison")
    if ka == "bool":
        raise JSONPathError("invalid type for comparison")
    return a < b


def _equal(a: Any, b: Any) -> bool:
    ka, kb = _kind(a), _kind(b)
    if ka != kb:
        raise JSONPathError("incompatible types for comparison")
    return a == b


def _compare(operator: str, left: Any, right: Any) -> bool:
    if operator == "<":
        return _less(left, right)
    if operator == ">":
        return not (_less(left, right) or _equal(left, right))
    if operator == "==":
        return _equal(left, right)
    if operator == "!=":
        return not _equal(left, right)
    if operator == "<=":
        return _less(left, right) or _equal(left, right)
    if operator == ">=":
        return not _less(left, right)
    raise JSONPathError(f"unrecognized filter operator {operator}")


def _go_type(value: Any) -> str:
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    return "interface {}"


class JSONPath:
    """One parsed template, evaluated as client-go evaluates it."""

    def __init__(self, template: str, *, allow_missing_keys: bool = True, output_json: bool = False):
        self.template = template
        self.root = parse(template)
        self.allow_missing_keys = allow_missing_keys
        self.output_json = output_json
        self._begin_range = self._in_range = self._end_range = 0
        self._last_end_node: Any = None

    # -- results

    def find_results(self, data: Any) -> list[list[Any]]:
        self._begin_range = self._in_range = self._end_range = 0
        return self._find(data, self.root.nodes)

    def _find(self, data: Any, nodes: list[Any]) -> list[list[Any]]:
        cur = [data]
        full: list[list[Any]] = []
        i = 0
        while i < len(nodes):
            node = nodes[i]
            results = self._walk(cur, node)
            if 0 < self._end_range <= self._in_range:
                self._end_range -= 1
                self._last_end_node = node
                break
            if self._begin_range > 0:
                self._begin_range -= 1
                self._in_range += 1
                rest = nodes[i + 1:]
                if results:
                    for value in results:
                        full.extend(self._find(value, rest))
                else:
                    self._find(None, rest)
                self._in_range -= 1
                for k in range(i + 1, len(nodes)):
                    if nodes[k] is self._last_end_node:
                        i = k
                        break
                i += 1
                continue
            full.append(results)
            i += 1
        return full

    def execute(self, data: Any) -> str:
        """Execute: every result printed as PrintResults prints it."""
        return "".join(self.print_results(r) for r in self.find_results(data))

    def print_results(self, results: list[Any]) -> str:
        if self.output_json:
            results = [list(results)]
        out = []
        for i, value in enumerate(results):
            if self.output_json:
                text = go_json(value, indent="    ") + "\n"
            elif isinstance(value, dict | list):
                text = go_json(value)
            else:
                text = "null" if value is None else go_sprint(value)
            if i != len(results) - 1:
                text += " "
            out.append(text)
        return "".join(out)

    # -- walking

    def _walk(self, values: list[Any], node: Any) -> list[Any]:
        if isinstance(node, ListNode):
            for child in node.nodes:
                values = self._walk(values, child)
            return values
        if isinstance(node, TextNode):
            return [node.text]
        if isinstance(node, LiteralNode):
            return [node.value for _ in values]
        handler = {
            FieldNode: self._field, ArrayNode: self._array, FilterNode: self._filter,
            WildcardNode: self._wildcard, RecursiveNode: self._recursive, UnionNode: self._union,
            IdentifierNode: self._identifier,
        }[type(node)]
        return handler(values, node)

    def _identifier(self, values: list[Any], node: IdentifierNode) -> list[Any]:
        if node.name == "range":
            self._begin_range += 1
            return values
        if node.name == "end":
            if self._in_range > 0:
                self._end_range += 1
                return []
            raise JSONPathError("not in range, nothing to end")
        raise JSONPathError(f"unrecognized identifier {node.name}")

    def _field(self, values: list[Any], node: FieldNode) -> list[Any]:
        results = []
        for value in values:
            if isinstance(value, dict) and node.name in value:
                results.append(value[node.name])
        if not results and values and not self.allow_missing_keys:
            raise JSONPathError(f"{node.name} is not found")
        return results

    def _array(self, values: list[Any], node: ArrayNode) -> list[Any]:
        result: list[Any] = []
        for value in values:
            if value is None:
                continue
            if not isinstance(value, list):
                raise JSONPathError(f"{_go_type(value)} is not array or slice")
            length = len(value)
            start = node.params[0].value if node.params[0].known else 0
            if start < 0:
                start += length
            end = node.params[1].value if node.params[1].known else length
            if end < 0 or (end == 0 and node.params[1].derived):
                end += length
            if end == start:
                return result
            if start >= length or start < 0:
                raise JSONPathError(f"array index out of bounds: index {start}, length {length}")
            if end > length or end < 0:
                raise JSONPathError(f"array index out of bounds: index {end - 1}, length {length}")
            if start > end:
                raise JSONPathError(f"starting index {start} is greater than ending index {end}")
            step = 1
            if node.params[2].known:
                if node.params[2].value <= 0:
                    raise JSONPathError("step must be > 0")
                step = node.params[2].value
            result.extend(value[start:end:step])
        return result

    def _union(self, values: list[Any], node: UnionNode) -> list[Any]:
        result: list[Any] = []
        for child in node.nodes:
            result.extend(self._walk(values, child))
        return result

    @staticmethod
    def _children(value: Any) -> list[Any]:
        if isinstance(value, dict):
            return [value[k] for k in sorted(value)]
        if isinstance(value, list):
            return list(value)
        if isinstance(value, str):
            return list(value.encode())  # Go indexes a string's bytes (uint8 values)
        return []

    def _wildcard(self, values: list[Any], node: WildcardNode) -> list[Any]:
        return [child for value in values if value is not None for child in self._children(value)]

    def _recursive(self, values: list[Any], node: RecursiveNode) -> list[Any]:
        result: list[Any] = []
        for value in values:
            if value is None:
                continue
            children = self._children(value)
            if children:
                result.append(value)
                result.extend(self._recursive(children, node))
        return result

    def _filter(self, values: list[Any], node: FilterNode) -> list[Any]:
        results = []
        for value in values:
            if not isinstance(value, list):
                raise JSONPathError(f"{_go_sprint_v(value)} is not array or slice and cannot be filtered")
            for item in value:
                lefts = self._walk([item], node.left)
                if node.operator == "exists":
                    if lefts:
                        results.append(item)
                    continue
                if not lefts:
                    continue
                if len(lefts) > 1:
                    raise JSONPathError("can only compare one element at a time")
                rights = self._walk([item], node.right)
                if not rights:
                    continue
                if len(rights) > 1:
                    raise JSONPathError("can only compare one element at a time")
                if _compare(node.operator, lefts[0], rights[0]):
                    results.append(item)
        return results


def _go_sprint_v(value: Any) -> str:
    return "<invalid reflect.Value>" if value is None else go_sprint(value)
