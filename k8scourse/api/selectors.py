"""Label and field selectors: parsing, matching and printing exactly as Kubernetes does.

Called by the simulated apiserver (list/watch with `labelSelector` / `fieldSelector`), by the store's
label and field indexes, by controllers (a Deployment's `spec.selector`, a Service's plain map
selector), by validation and by the kubectl layer (`-l`, `--field-selector`, `describe`'s
`Selector:` line).

Label selectors follow k8s.io/apimachinery v0.33 pkg/labels/selector.go (the `-l` grammar, its
lexer, parser and error texts, `Selector.String()`) and pkg/apis/meta/v1/helpers.go
(`LabelSelectorAsSelector`). Field selectors follow pkg/fields/selector.go (escaping with `\\`),
and the fields each kind exposes follow the apiserver's `GetAttrs` functions (pkg/registry/*) and
the field label conversions that decide which fields a request may name
(pkg/apis/core/v1/conversion.go, pkg/apis/batch/v1/conversion.go, pkg/apis/events/v1/conversion.go,
k8s.io/apimachinery pkg/runtime/conversion.go).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, FieldError, GoString, aggregate, bad_request_error, invalid, not_supported
from .names import is_qualified_name, is_valid_label_value
from .names import validate_label_selector as _validate_label_selector
from .registry import REGISTRY

# --- errors -------------------------------------------------------------------------------------------


class SelectorError(ValueError):
    """A selector Kubernetes refuses; the message is Go's error text, word for word."""


# --- operators (k8s.io/apimachinery/pkg/selection/operator.go) --------------------------------------------

DOES_NOT_EXIST = "!"
EQUALS = "="
DOUBLE_EQUALS = "=="
IN = "in"
NOT_EQUALS = "!="
NOT_IN = "notin"
EXISTS = "exists"
GREATER_THAN = "gt"
LESS_THAN = "lt"

_BINARY_OPERATORS = (IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN)
_UNARY_OPERATORS = (EXISTS, DOES_NOT_EXIST)
_VALID_OPERATORS = _BINARY_OPERATORS + _UNARY_OPERATORS
_EXACT_OPERATORS = (EQUALS, DOUBLE_EQUALS, IN)

# How Requirement.String() writes each operator between key and values.
_OPERATOR_TEXT = {
    EQUALS: "=", DOUBLE_EQUALS: "==", NOT_EQUALS: "!=", IN: " in ", NOT_IN: " notin ",
    GREATER_THAN: ">", LESS_THAN: "<",
}

# metav1.LabelSelectorOperator → selection.Operator, as LabelSelectorAsSelector maps them.
_META_OPERATORS = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}


def _parse_go_int64(text: str) -> int | None:
    """strconv.ParseInt(text, 10, 64), or None when Go would return an error."""
    body = text[1:] if text[:1] in ("+", "-") else text
    if not body or not body.isascii() or not body.isdigit():
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


# --- requirements -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    """One term of a label selector: a key, an operator and (for most operators) values."""

    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Requirement.Matches: NotIn and != match when the key is absent; Gt/Lt compare integers."""
        op = self.operator
        if op in (IN, EQUALS, DOUBLE_EQUALS):
            return self.key in labels and labels[self.key] in self.values
        if op in (NOT_IN, NOT_EQUALS):
            return self.key not in labels or labels[self.key] not in self.values
        if op == EXISTS:
            return self.key in labels
        if op == DOES_NOT_EXIST:
            return self.key not in labels
        if op in (GREATER_THAN, LESS_THAN):
            return self._compare(labels)
        return False

    def _compare(self, labels: Mapping[str, str]) -> bool:
        if self.key not in labels or len(self.values) != 1:
            return False
        have, want = _parse_go_int64(labels[self.key]), _parse_go_int64(self.values[0])
        if have is None or want is None:
            return False
        return have > want if self.operator == GREATER_THAN else have < want

    def __str__(self) -> str:
        """Requirement.String(): `!key`, `key`, `key=v`, `key in (a,b)`; several values sorted."""
        if self.operator == DOES_NOT_EXIST:
            return "!" + self.key
        if self.operator == EXISTS:
            return self.key
        values = self.values[0] if len(self.values) == 1 else ",".join(sorted(self.values))
        if self.operator in (IN, NOT_IN):
            values = f"({values})"
        return self.key + _OPERATOR_TEXT.get(self.operator, "") + values


def _validate_label_key(key: str, path: str) -> FieldError | None:
    """validateLabelKey: all messages of IsQualifiedName joined by `; ` in one error."""
    errs = is_qualified_name(key)
    return invalid(path, key, "; ".join(errs)) if errs else None


def _validate_label_value(key: str, value: str, path: str) -> FieldError | None:
    errs = is_valid_label_value(value)
    return invalid(f"{path}[{key}]", value, "; ".join(errs)) if errs else None


def _child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def new_requirement(key: str, operator: str, values: list[str] | tuple[str, ...] | None,
                    path: str = "") -> Requirement:
    """labels.NewRequirement: checks the key, the number of values for the operator, and each value.

    `values=None` is Go's nil slice (printed `[]string(nil)` in errors). Raises SelectorError
    carrying Go's aggregated field errors (`key: Invalid value: ...`).
    """
    vals = list(values or [])
    shown: Any = GoString("[]string(nil)") if values is None else vals
    errors: list[FieldError] = []
    key_error = _validate_label_key(key, _child(path, "key"))
    if key_error is not None:
        errors.append(key_error)
    values_path = _child(path, "values")
    errors += _operator_errors(operator, vals, shown, path, values_path)
    for i, value in enumerate(vals):
        value_error = _validate_label_value(key, value, f"{values_path}[{i}]")
        if value_error is not None:
            errors.append(value_error)
    if errors:
        raise SelectorError(aggregate([str(e) for e in errors]))
    return Requirement(key, operator, tuple(vals))


def _operator_errors(operator: str, vals: list[str], shown: Any, path: str, values_path: str) -> list[FieldError]:
    if operator in (IN, NOT_IN):
        return [] if vals else [invalid(values_path, shown, "for 'in', 'notin' operators, values set can't be empty")]
    if operator in (EQUALS, DOUBLE_EQUALS, NOT_EQUALS):
        return [] if len(vals) == 1 else [invalid(values_path, shown, "exact-match compatibility requires one single value")]
    if operator in _UNARY_OPERATORS:
        return [] if not vals else [invalid(values_path, shown, "values set must be empty for exists and does not exist")]
    if operator in (GREATER_THAN, LESS_THAN):
        errors = []
        if len(vals) != 1:
            errors.append(invalid(values_path, shown, "for 'Gt', 'Lt' operators, exactly one value is required"))
        for i, value in enumerate(vals):
            if _parse_go_int64(value) is None:
                errors.append(invalid(f"{values_path}[{i}]", value,
                                      "for 'Gt', 'Lt' operators, the value must be an integer"))
        return errors
    return [not_supported(_child(path, "operator"), operator, _VALID_OPERATORS)]


# --- label selectors ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelSelector:
    """A parsed label selector: requirements ANDed together, sorted by key as Go sorts them.

    `nothing=True` is Go's `labels.Nothing()` (what a nil metav1.LabelSelector converts to): it
    matches no object and prints as the empty string.
    """

    requirements: tuple[Requirement, ...] = ()
    nothing: bool = False

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        if self.nothing:
            return False
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    @property
    def empty(self) -> bool:
        """Selector.Empty(): true when the selector does not restrict anything (matches everything)."""
        return not self.nothing and not self.requirements

    @property
    def equalities(self) -> tuple[tuple[str, str], ...]:
        """The `(key, value)` pairs every match must carry (`=`, `==`, single-value `in`): index keys."""
        return tuple((r.key, r.values[0]) for r in self.requirements
                     if r.operator in _EXACT_OPERATORS and len(r.values) == 1)

    def requires_exact_match(self, key: str) -> str | None:
        """Selector.RequiresExactMatch: the value the first requirement on `key` pins, if it pins one."""
        for r in self.requirements:
            if r.key == key:
                return r.values[0] if r.operator in _EXACT_OPERATORS and len(r.values) == 1 else None
        return None

    def __str__(self) -> str:
        """Selector.String(): `app=nginx,tier in (a,b)`; empty for Everything and for Nothing."""
        return ",".join(str(r) for r in self.requirements)


EVERYTHING = LabelSelector()
NOTHING = LabelSelector(nothing=True)


def _sorted_by_key(requirements: list[Requirement]) -> tuple[Requirement, ...]:
    return tuple(sorted(requirements, key=lambda r: r.key))


# --- the `-l` lexer and parser (labels/selector.go) -------------------------------------------------------------

_T_ERROR, _T_END, _T_CLOSE, _T_COMMA, _T_NOT, _T_DEQ, _T_EQ, _T_GT, _T_ID, _T_IN, _T_LT, _T_NEQ, _T_NOTIN, _T_OPEN = (
    range(14)
)
_STRING_TO_TOKEN = {
    ")": _T_CLOSE, ",": _T_COMMA, "!": _T_NOT, "==": _T_DEQ, "=": _T_EQ, ">": _T_GT, "in": _T_IN,
    "<": _T_LT, "!=": _T_NEQ, "notin": _T_NOTIN, "(": _T_OPEN,
}
_WHITESPACE = " \t\r\n"
_SPECIAL = "=!(),><"


def _lex(text: str) -> list[tuple[int, str]]:
    """Lexer.Lex until end of string: identifiers and keywords run until a special symbol or blank."""
    items: list[tuple[int, str]] = []
    pos, end = 0, len(text)
    while True:
        while pos < end and text[pos] in _WHITESPACE:
            pos += 1
        if pos >= end:
            items.append((_T_END, ""))
            return items
        if text[pos] in _SPECIAL:
            token, literal, pos = _scan_special(text, pos)
        else:
            start = pos
            while pos < end and text[pos] not in _SPECIAL and text[pos] not in _WHITESPACE:
                pos += 1
            literal = text[start:pos]
            token = _STRING_TO_TOKEN.get(literal, _T_ID)
        items.append((token, literal))


def _scan_special(text: str, pos: int) -> tuple[int, str, int]:
    """scanSpecialSymbol: the longest run of special symbols that is still an operator (`!=`, `==`)."""
    buffer = ""
    last: tuple[int, str] | None = None
    while pos < len(text) and text[pos] in _SPECIAL:
        buffer += text[pos]
        if buffer in _STRING_TO_TOKEN:
            last = (_STRING_TO_TOKEN[buffer], buffer)
        elif last is not None:
            break
        pos += 1
    if last is None:
        return _T_ERROR, f"error expected: keyword found '{buffer}'", pos
    return last[0], last[1], pos


class _Parser:
    """Parser: a recursive descent over the scanned tokens, with Go's error texts."""

    def __init__(self, text: str):
        self.items = _lex(text)
        self.position = 0

    def lookahead(self, values: bool = True) -> tuple[int, str]:
        token, literal = self.items[min(self.position, len(self.items) - 1)]
        if values and token in (_T_IN, _T_NOTIN):
            token = _T_ID
        return token, literal

    def consume(self, values: bool = True) -> tuple[int, str]:
        item = self.lookahead(values)
        self.position += 1
        return item

    def parse(self) -> list[Requirement]:
        requirements: list[Requirement] = []
        while True:
            token, literal = self.lookahead()
            if token == _T_END:
                return requirements
            if token not in (_T_ID, _T_NOT):
                raise SelectorError(f"found '{literal}', expected: !, identifier, or 'end of string'")
            try:
                requirements.append(self.parse_requirement())
            except SelectorError as e:
                raise SelectorError(f"unable to parse requirement: {e}") from None
            token, literal = self.consume()
            if token == _T_END:
                return requirements
            if token != _T_COMMA:
                raise SelectorError(f"found '{literal}', expected: ',' or 'end of string'")
            token, literal = self.lookahead()
            if token not in (_T_ID, _T_NOT):
                raise SelectorError(f"found '{literal}', expected: identifier after ','")

    def parse_requirement(self) -> Requirement:
        key, operator = self.parse_key_and_infer_operator()
        if operator in _UNARY_OPERATORS:
            return new_requirement(key, operator, [])
        operator = self.parse_operator()
        values = self.parse_values() if operator in (IN, NOT_IN) else self.parse_exact_value()
        return new_requirement(key, operator, sorted(values))

    def parse_key_and_infer_operator(self) -> tuple[str, str]:
        operator = ""
        token, literal = self.consume()
        if token == _T_NOT:
            operator = DOES_NOT_EXIST
            token, literal = self.consume()
        if token != _T_ID:
            raise SelectorError(f"found '{literal}', expected: identifier")
        key_error = _validate_label_key(literal, "<nil>")  # Parse passes no field path: Go prints <nil>
        if key_error is not None:
            raise SelectorError(str(key_error))
        if self.lookahead()[0] in (_T_END, _T_COMMA) and operator != DOES_NOT_EXIST:
            operator = EXISTS
        return literal, operator

    def parse_operator(self) -> str:
        token, literal = self.consume(values=False)
        operators = {_T_IN: IN, _T_EQ: EQUALS, _T_DEQ: DOUBLE_EQUALS, _T_GT: GREATER_THAN, _T_LT: LESS_THAN,
                     _T_NOTIN: NOT_IN, _T_NEQ: NOT_EQUALS}
        if token not in operators:
            raise SelectorError(f"found '{literal}', expected: {', '.join(_BINARY_OPERATORS)}")
        return operators[token]

    def parse_values(self) -> set[str]:
        token, literal = self.consume()
        if token != _T_OPEN:
            raise SelectorError(f"found '{literal}' expected: '('")
        token, literal = self.lookahead()
        if token in (_T_ID, _T_COMMA):
            values = self.parse_identifiers_list()
            if self.consume()[0] != _T_CLOSE:
                raise SelectorError(f"found '{literal}', expected: ')'")
            return values
        if token == _T_CLOSE:  # `()` is the set holding the empty string
            self.consume()
            return {""}
        raise SelectorError(f"found '{literal}', expected: ',', ')' or identifier")

    def parse_identifiers_list(self) -> set[str]:
        values: set[str] = set()
        while True:
            token, literal = self.consume()
            if token == _T_ID:
                values.add(literal)
                next_token, next_literal = self.lookahead()
                if next_token == _T_CLOSE:
                    return values
                if next_token != _T_COMMA:
                    raise SelectorError(f"found '{next_literal}', expected: ',' or ')'")
            elif token == _T_COMMA:  # `(,`, `,,` and `,)` each stand for an empty value
                if not values:
                    values.add("")
                next_token = self.lookahead()[0]
                if next_token == _T_CLOSE:
                    values.add("")
                    return values
                if next_token == _T_COMMA:
                    self.consume()  # v1.33 skips the second comma here
                    values.add("")
            else:
                raise SelectorError(f"found '{literal}', expected: ',', or identifier")

    def parse_exact_value(self) -> set[str]:
        if self.lookahead()[0] in (_T_END, _T_COMMA):
            return {""}
        token, literal = self.consume()
        if token == _T_ID:
            return {literal}
        raise SelectorError(f"found '{literal}', expected: identifier")


def parse_label_selector(text: str) -> LabelSelector:
    """labels.Parse: the `-l` / `labelSelector=` syntax (`=`, `==`, `!=`, `in`, `notin`, `key`, `!key`,
    `>`, `<`, comma-separated). Raises SelectorError with Go's message."""
    return LabelSelector(_sorted_by_key(_Parser(text).parse()))


def label_selector_from_query(text: str | None) -> LabelSelector:
    """The apiserver's reading of a list/watch `labelSelector` parameter: a parse error is a
    400 BadRequest whose message is the parser's (apiserver handlers/get.go, ListResource)."""
    try:
        return parse_label_selector(text or "")
    except SelectorError as e:
        raise bad_request_error(str(e)) from None


def selector_from_dict(sel: Mapping[str, Any] | None) -> LabelSelector:
    """metav1.LabelSelectorAsSelector: None selects nothing, `{}` everything; matchLabels become `=`
    requirements, matchExpressions In/NotIn/Exists/DoesNotExist. Raises SelectorError as Go does."""
    if sel is None:
        return NOTHING
    match_labels = sel.get("matchLabels") or {}
    expressions = sel.get("matchExpressions") or []
    if not match_labels and not expressions:
        return EVERYTHING
    requirements = [new_requirement(k, EQUALS, [v]) for k, v in sorted(match_labels.items())]
    for expr in expressions:
        operator = expr.get("operator", "")
        if operator not in _META_OPERATORS:
            raise SelectorError(f'"{operator}" is not a valid label selector operator')
        values = list(expr.get("values") or []) or None  # Go copies into a nil slice
        requirements.append(new_requirement(expr.get("key", ""), _META_OPERATORS[operator], values))
    return LabelSelector(_sorted_by_key(requirements))


def selector_from_map(labels: Mapping[str, str] | None, *, empty_matches_nothing: bool = True) -> LabelSelector:
    """A plain map selector (`Service.spec.selector`, `ReplicationController.spec.selector`).

    Go's labels.SelectorFromSet turns a nil or empty map into Everything. The controllers never act
    on that: a Service without a selector gets no endpoints from the endpoints and EndpointSlice
    controllers (its Endpoints are managed by hand), an empty map is stored as no selector, and an
    RC's selector is required by validation. So by default an empty or missing map selects nothing;
    pass `empty_matches_nothing=False` for SelectorFromSet's literal meaning.
    """
    if not labels:
        return NOTHING if empty_matches_nothing else EVERYTHING
    return LabelSelector(_sorted_by_key([Requirement(k, EQUALS, (v,)) for k, v in labels.items()]))


def format_labels(labels: Mapping[str, str] | None) -> str:
    """labels.FormatLabels: `key=value` pairs sorted as strings and comma-joined, `<none>` when empty."""
    text = ",".join(sorted(f"{k}={v}" for k, v in (labels or {}).items()))
    return text or "<none>"


def validate_label_selector(sel: Mapping[str, Any] | None, path: str) -> list[FieldError]:
    """meta/v1/validation ValidateLabelSelector: matchLabels as labels; each expression's operator
    (`not a valid selector operator`), values required for In/NotIn and forbidden for
    Exists/DoesNotExist, then its key and values."""
    return _validate_label_selector(sel, path)


# --- field selectors (fields/selector.go) ---------------------------------------------------------------------


@dataclass(frozen=True)
class FieldTerm:
    """`field=value` (also written `==`) or `field!=value`."""

    field: str
    operator: str  # "=" or "!="
    value: str

    def matches(self, fields: Mapping[str, str]) -> bool:
        """A field the object does not expose reads as the empty string (fields.Set.Get)."""
        equal = fields.get(self.field, "") == self.value
        return equal if self.operator == EQUALS else not equal

    def __str__(self) -> str:
        return f"{self.field}{self.operator}{escape_field_value(self.value)}"


@dataclass(frozen=True)
class FieldSelector:
    """A parsed field selector: terms ANDed together, in the sorted order Go keeps them."""

    terms: tuple[FieldTerm, ...] = ()

    def matches(self, fields: Mapping[str, str]) -> bool:
        return all(t.matches(fields) for t in self.terms)

    @property
    def empty(self) -> bool:
        return not self.terms

    def requires_exact_match(self, name: str) -> str | None:
        """RequiresExactMatch: the value an `=` term pins for `name` (what a store index can use)."""
        for t in self.terms:
            if t.field == name and t.operator == EQUALS:
                return t.value
        return None

    def __str__(self) -> str:
        return ",".join(str(t) for t in self.terms)


def escape_field_value(value: str) -> str:
    """fields.EscapeValue: `\\`, `,` and `=` are prefixed with a backslash."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")


def unescape_field_value(value: str) -> str:
    """fields.UnescapeValue, with Go's errors (an unescaped `,` or `=` is reported by its code point)."""
    out: list[str] = []
    in_slash = False
    for ch in value:
        if in_slash:
            if ch not in "\\,=":
                raise SelectorError(f"invalid field selector: invalid escape sequence: \\{ch}")
            out.append(ch)
            in_slash = False
        elif ch == "\\":
            in_slash = True
        elif ch in ",=":
            raise SelectorError(f"invalid field selector: unescaped character in value: {ord(ch)}")
        else:
            out.append(ch)
    if in_slash:
        raise SelectorError("invalid field selector: invalid escape sequence: \\")
    return "".join(out)


def _split_terms(text: str) -> list[str]:
    """splitTerms: split on commas not escaped by a backslash (the backslash stays in the term)."""
    if not text:
        return []
    terms: list[str] = []
    start, in_slash = 0, False
    for i, ch in enumerate(text):
        if in_slash:
            in_slash = False
        elif ch == "\\":
            in_slash = True
        elif ch == ",":
            terms.append(text[start:i])
            start = i + 1
    terms.append(text[start:])
    return terms


def _split_term(term: str) -> tuple[str, str, str] | None:
    """splitTerm: the first `!=`, `==` or `=` splits field from value (fields cannot be escaped)."""
    for i in range(len(term)):
        for op in ("!=", "==", "="):
            if term.startswith(op, i):
                return term[:i], op, term[i + len(op):]
    return None


def parse_field_selector(text: str) -> FieldSelector:
    """fields.ParseSelector: comma-separated `field=value`, `field==value`, `field!=value` terms.

    Raises SelectorError with Go's text (`invalid selector: '...'; can't understand '...'`)."""
    terms: list[FieldTerm] = []
    for part in sorted(_split_terms(text)):
        if not part:
            continue
        split = _split_term(part)
        if split is None:
            raise SelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
        lhs, op, rhs = split
        terms.append(FieldTerm(lhs, NOT_EQUALS if op == "!=" else EQUALS, unescape_field_value(rhs)))
    return FieldSelector(tuple(terms))


# --- which fields each kind exposes, and which a request may name -----------------------------------------------

_POD_FIELDS = (
    "metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
    "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs",
    "status.nominatedNodeName",
)
_EVENT_FIELDS = (
    "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
    "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
    "reportingComponent", "source", "type", "metadata.namespace", "metadata.name",
)
_NOT_SUPPORTED = "field label not supported: {label}"


@dataclass(frozen=True)
class _FieldLabels:
    """A kind's AddFieldLabelConversionFunc: the labels it accepts, renames, and its refusal text."""

    accepted: tuple[str, ...]
    renames: Mapping[str, str] = field(default_factory=dict)
    refusal: str = _NOT_SUPPORTED

    def convert(self, label: str) -> str:
        if label in self.renames:
            return self.renames[label]
        if label in self.accepted:
            return label
        raise bad_request_error(self.refusal.format(label=label))


# Keyed by (API group, kind). Kinds absent here get DefaultMetaV1FieldSelectorConversion. No apps/v1
# kind registers a conversion in v1.33, so `status.replicas` is refused for ReplicaSets although
# their GetAttrs exposes it (kubernetes/kubernetes#135136).
_FIELD_LABELS: dict[tuple[str, str], _FieldLabels] = {
    ("", "Pod"): _FieldLabels(_POD_FIELDS, {"spec.host": "spec.nodeName"}),
    ("", "Node"): _FieldLabels(("metadata.name", "spec.unschedulable")),
    ("", "ReplicationController"): _FieldLabels(("metadata.name", "metadata.namespace", "status.replicas")),
    ("", "Event"): _FieldLabels(_EVENT_FIELDS),
    ("", "Namespace"): _FieldLabels(("status.phase", "metadata.name")),
    ("", "Secret"): _FieldLabels(("type", "metadata.namespace", "metadata.name")),
    ("", "Service"): _FieldLabels(("metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type")),
    ("batch", "Job"): _FieldLabels(("metadata.name", "metadata.namespace", "status.successful"),
                                   refusal='field label "{label}" not supported for batchv1.Job'),
    ("events.k8s.io", "Event"): _FieldLabels(
        ("reason", "source", "type", "metadata.namespace", "metadata.name"),
        {
            **{f"regarding.{f}": f"involvedObject.{f}"
               for f in ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")},
            "reportingController": "reportingComponent",
        },
    ),
}
_DEFAULT_FIELD_LABELS = _FieldLabels(
    ("metadata.name", "metadata.namespace"),
    refusal='"{label}" is not a known field selector: only "metadata.name", "metadata.namespace"',
)


def check_field_selector(kind: str, selector: str | FieldSelector | None, group: str = "") -> FieldSelector:
    """What the apiserver does with a list/watch `fieldSelector` for `kind` in `group`.

    Parses (a parse error is a 400 BadRequest with the parser's message), then converts every field
    label through the kind's field label conversion (handlers/get.go, `FieldSelector.Transform`): an
    unsupported label is a 400 BadRequest such as `field label not supported: spec.foo`. Returns the
    converted selector (`spec.host` becomes `spec.nodeName`, `regarding.name` `involvedObject.name`),
    ready to match `object_fields()`.
    """
    if not isinstance(selector, FieldSelector):
        try:
            selector = parse_field_selector(selector or "")
        except SelectorError as e:
            raise bad_request_error(str(e)) from None
    labels = _FIELD_LABELS.get((group, kind), _DEFAULT_FIELD_LABELS)
    return FieldSelector(tuple(FieldTerm(labels.convert(t.field), t.operator, t.value) for t in selector.terms))


def _get(obj: Mapping[str, Any], *path: str) -> Any:
    node: Any = obj
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _count(value: Any) -> str:
    return str(int(value or 0))


def _bool(value: Any) -> str:
    return "true" if value else "false"


def _pod_fields(pod: Mapping[str, Any]) -> dict[str, str]:
    """pkg/registry/core/pod/strategy.go ToSelectableFields (status.podIPs is accepted, not exposed)."""
    pod_ips = _get(pod, "status", "podIPs") or []
    pod_ip = _text(pod_ips[0].get("ip")) if pod_ips else _text(_get(pod, "status", "podIP"))
    return {
        "spec.nodeName": _text(_get(pod, "spec", "nodeName")),
        "spec.restartPolicy": _text(_get(pod, "spec", "restartPolicy")),
        "spec.schedulerName": _text(_get(pod, "spec", "schedulerName")),
        "spec.serviceAccountName": _text(_get(pod, "spec", "serviceAccountName")),
        "spec.hostNetwork": _bool(_get(pod, "spec", "hostNetwork")),
        "status.phase": _text(_get(pod, "status", "phase")),
        "status.podIP": pod_ip,
        "status.nominatedNodeName": _text(_get(pod, "status", "nominatedNodeName")),
    }


def _core_event_fields(event: Mapping[str, Any]) -> dict[str, str]:
    """pkg/registry/core/event/strategy.go ToSelectableFields (`source` falls back to the reporter)."""
    involved = event.get("involvedObject") or {}
    reporter = _text(event.get("reportingComponent"))
    return _event_fields(involved, _text(_get(event, "source", "component")) or reporter, reporter, event)


def _events_v1_fields(event: Mapping[str, Any]) -> dict[str, str]:
    """events.k8s.io/v1 Events are stored as core Events: `regarding` is `involvedObject`."""
    regarding = event.get("regarding") or {}
    reporter = _text(event.get("reportingController"))
    return _event_fields(regarding, _text(_get(event, "deprecatedSource", "component")) or reporter, reporter, event)


def _event_fields(involved: Mapping[str, Any], source: str, reporter: str,
                  event: Mapping[str, Any]) -> dict[str, str]:
    fields = {f"involvedObject.{f}": _text(involved.get(f))
              for f in ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")}
    fields.update(reason=_text(event.get("reason")), reportingComponent=reporter, source=source,
                  type=_text(event.get("type")))
    return fields


def _kind_fields(group: str, kind: str, obj: Mapping[str, Any]) -> dict[str, str]:
    """The kind-specific part of each registry's GetAttrs."""
    if (group, kind) == ("", "Pod"):
        return _pod_fields(obj)
    if (group, kind) == ("", "Event"):
        return _core_event_fields(obj)
    if (group, kind) == ("events.k8s.io", "Event"):
        return _events_v1_fields(obj)
    if (group, kind) == ("", "Node"):
        return {"spec.unschedulable": _bool(_get(obj, "spec", "unschedulable"))}
    if (group, kind) == ("", "Namespace"):  # "name": kept by Go for backward compatibility
        return {"status.phase": _text(_get(obj, "status", "phase")), "name": _text(_get(obj, "metadata", "name"))}
    if (group, kind) in (("", "PersistentVolume"), ("", "PersistentVolumeClaim")):
        return {"name": _text(_get(obj, "metadata", "name"))}
    if (group, kind) == ("", "Secret"):
        return {"type": _text(obj.get("type"))}
    if (group, kind) == ("", "Service"):
        return {"spec.clusterIP": _text(_get(obj, "spec", "clusterIP")), "spec.type": _text(_get(obj, "spec", "type"))}
    if (group, kind) in (("", "ReplicationController"), ("apps", "ReplicaSet")):
        return {"status.replicas": _count(_get(obj, "status", "replicas"))}
    if (group, kind) == ("batch", "Job"):
        return {"status.successful": _count(_get(obj, "status", "succeeded"))}
    return {}


def _namespaced(kind: str, obj: Mapping[str, Any]) -> bool:
    try:
        version = _text(obj.get("apiVersion")) or "v1"
        return REGISTRY.for_kind(version, kind).namespaced
    except ApiError:
        return _get(obj, "metadata", "namespace") is not None


def object_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    """The field set the apiserver matches field selectors against for `obj` (its kind's GetAttrs):
    `metadata.name`, `metadata.namespace` for namespaced kinds, and the kind's own fields."""
    kind = _text(obj.get("kind"))
    group = _text(obj.get("apiVersion")).rpartition("/")[0]
    fields = {"metadata.name": _text(_get(obj, "metadata", "name"))}
    if _namespaced(kind, obj):
        fields["metadata.namespace"] = _text(_get(obj, "metadata", "namespace"))
    fields.update(_kind_fields(group, kind, obj))
    return fields
