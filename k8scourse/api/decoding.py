"""The apiserver's decoding step: a request body checked against the kind's Go types, worded as Go words it.

Called by the simulated apiserver on create, update and patch results, before defaulting and validation
(the order kube-apiserver follows). It imitates what k8s.io/apimachinery/pkg/runtime/serializer/json
does with sigs.k8s.io/json: type errors from encoding/json (`json: cannot unmarshal string into Go
struct field DeploymentSpec.spec.replicas of type int32`), errors from custom unmarshalers (Quantity,
IntOrString, Time, base64 `[]byte`), and strict-decoding errors for unknown fields; the handler
(k8s.io/apiserver/pkg/endpoints/handlers/create.go, transformDecodeError) turns them into a 400
`Deployment in version "v1" cannot be handled as a Deployment: ...`. The Go types are read from the
OpenAPI definitions shipped with kubernetes-validate for the imitated release.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .errors import ApiError, KindNotFoundError, bad_request_error
from .objects import json_kind
from .openapi import definitions
from .quantity import QuantityError, parse_quantity

Obj = dict[str, Any]
FIELD_VALIDATION = ("Strict", "Warn", "Ignore")

# Definitions decoded by custom UnmarshalJSON methods rather than as plain structs.
_INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
_QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
_TIMES = ("io.k8s.apimachinery.pkg.apis.meta.v1.Time", "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime")

# Go named types the OpenAPI schema flattens to string/map: (struct, field) → type as Go prints it.
_NAMED_TYPES: dict[tuple[str, str], str] = {
    ("ResourceRequirements", "limits"): "v1.ResourceList",
    ("ResourceRequirements", "requests"): "v1.ResourceList",
    ("ContainerPort", "protocol"): "v1.Protocol",
    ("ServicePort", "protocol"): "v1.Protocol",
    ("EndpointPort", "protocol"): "v1.Protocol",
    ("Container", "imagePullPolicy"): "v1.PullPolicy",
    ("Container", "terminationMessagePolicy"): "v1.TerminationMessagePolicy",
    ("PodSpec", "restartPolicy"): "v1.RestartPolicy",
    ("PodSpec", "dnsPolicy"): "v1.DNSPolicy",
    ("ServiceSpec", "type"): "v1.ServiceType",
    ("ServiceSpec", "sessionAffinity"): "v1.ServiceAffinity",
    ("ServiceSpec", "externalTrafficPolicy"): "v1.ServiceExternalTrafficPolicy",
    ("DeploymentStrategy", "type"): "v1.DeploymentStrategyType",
    ("StatefulSetSpec", "podManagementPolicy"): "v1.PodManagementPolicyType",
    ("Secret", "type"): "v1.SecretType",
    ("ObjectMeta", "uid"): "types.UID",
    ("Toleration", "operator"): "v1.TolerationOperator",
    ("Toleration", "effect"): "v1.TaintEffect",
    ("Taint", "effect"): "v1.TaintEffect",
    ("HTTPIngressPath", "pathType"): "v1.PathType",
    ("PersistentVolumeSpec", "persistentVolumeReclaimPolicy"): "v1.PersistentVolumeReclaimPolicy",
}


# --------------------------------------------------------------------------------------------------
# Errors as Go returns them
# --------------------------------------------------------------------------------------------------


class _TypeError(Exception):
    """encoding/json UnmarshalTypeError: gets its struct and field from the decoder's error context."""

    def __init__(self, value: str, go_type: str, struct: str = "", path: str = ""):
        super().__init__(value)
        self.value, self.go_type, self.struct, self.path = value, go_type, struct, path

    def __str__(self) -> str:
        if self.struct or self.path:
            return f"json: cannot unmarshal {self.value} into Go struct field {self.struct}.{self.path} of type {self.go_type}"
        return f"json: cannot unmarshal {self.value} into Go value of type {self.go_type}"


class _Fatal(Exception):
    """An error returned by a custom UnmarshalJSON: it stops decoding at once (decode.go literalStore)."""

    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.error = error


# --------------------------------------------------------------------------------------------------
# The Go types, read from the OpenAPI definitions
# --------------------------------------------------------------------------------------------------


def _definitions() -> dict[str, Any]:
    return definitions()


@cache
def _kinds() -> dict[tuple[str, str], str]:
    table: dict[tuple[str, str], str] = {}
    for name, schema in _definitions().items():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            table.setdefault((api_version, gvk["kind"]), name)
    return table


def definition_for(api_version: str, kind: str) -> str | None:
    """The OpenAPI definition name of a kind (`io.k8s.api.apps.v1.Deployment`), or None."""
    return _kinds().get((api_version, kind))


def _short(def_name: str) -> str:
    return def_name.rsplit(".", 1)[-1]


def _go_struct_type(def_name: str) -> str:
    """`io.k8s.api.apps.v1.DeploymentSpec` → `v1.DeploymentSpec` (package.Type, as reflect prints it)."""
    parts = def_name.split(".")
    return f"{parts[-2]}.{parts[-1]}"


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def _types(schema: dict[str, Any]) -> list[str]:
    t = schema.get("type", [])
    return [x for x in ([t] if isinstance(t, str) else t) if x != "null"]


def _go_type(schema: dict[str, Any], named: str = "") -> str:
    """The Go type name of a schema, as reflect.Type.String() prints it in UnmarshalTypeError."""
    if named:
        return named
    ref = _ref_name(schema)
    if ref:
        if ref == _QUANTITY:
            return "resource.Quantity"
        if ref == _INT_OR_STRING:
            return "intstr.IntOrString"
        return _go_struct_type(ref)
    types = _types(schema)
    kind = types[0] if types else ""
    if kind == "integer":
        return "int64" if schema.get("format") == "int64" else "int32"
    if kind == "number":
        return "float64"
    if kind == "boolean":
        return "bool"
    if kind == "string":
        return "[]uint8" if schema.get("format") == "byte" else "string"
    if kind == "array":
        return "[]" + _go_type(schema.get("items", {}))
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return "map[string]" + _go_type(schema["additionalProperties"])
    return "interface {}"


# --------------------------------------------------------------------------------------------------
# The walk: encoding/json's decode, with sigs.k8s.io/json's strict-field tracking
# --------------------------------------------------------------------------------------------------


@dataclass
class _Decoder:
    saved: Exception | None = None  # decodeState.savedError: the first error, decoding goes on
    strict: list[str] = field(default_factory=list)  # unknown fields, in document order

    def save(self, error: Exception) -> None:
        if self.saved is None:
            self.saved = error


@dataclass(frozen=True)
class _Where:
    struct: str = ""  # errorContext.Struct: the Go struct holding the field being decoded
    stack: tuple[str, ...] = ()  # errorContext.FieldStack: JSON names from the root, no indices
    path: str = ""  # sigs.k8s.io/json strict path: `spec.containers[0].image`

    def type_error(self, value: str, go_type: str) -> _TypeError:
        return _TypeError(value, go_type, self.struct, ".".join(self.stack))




def _number_text(value: int | float) -> str:
    return json.dumps(value)


def _decode_value(d: _Decoder, schema: dict[str, Any], value: Any, where: _Where, named: str = "") -> Any:
    if value is None:
        return None
    ref = _ref_name(schema)
    if ref:
        return _decode_ref(d, ref, value, where)
    types = _types(schema)
    kind = types[0] if types else ""
    if kind == "object" and "properties" in schema:
        return _decode_struct(d, "", schema, value, where)
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return _decode_map(d, schema, value, where, named)
    if kind == "array":
        return _decode_slice(d, schema, value, where, named)
    if kind in ("integer", "number", "boolean", "string"):
        return _decode_scalar(d, schema, kind, value, where, named)
    return value  # free-form JSON (RawExtension, FieldsV1, JSON): taken as is


def _decode_ref(d: _Decoder, ref: str, value: Any, where: _Where) -> Any:
    if ref == _INT_OR_STRING:
        return _decode_int_or_string(value, where)
    if ref == _QUANTITY:
        return _decode_quantity(value)
    if ref in _TIMES:
        return _decode_time(value, where)
    schema = _definitions()[ref]
    if "properties" in schema:
        return _decode_struct(d, ref, schema, value, where)
    return _decode_value(d, schema, value, where)


def _decode_struct(d: _Decoder, def_name: str, schema: dict[str, Any], value: Any, where: _Where) -> Any:
    if not isinstance(value, dict):
        d.save(where.type_error(json_kind(value), _go_struct_type(def_name) if def_name else "struct {}"))
        return None
    props: dict[str, Any] = schema["properties"]
    struct = _short(def_name)
    out: Obj = {}
    # kubectl sends Go-marshalled JSON, whose object keys are sorted: errors come in that order.
    decoded = {}
    for key in sorted(value):
        child_path = f"{where.path}.{key}" if where.path else key
        if key not in props:
            d.strict.append(f"unknown field {json.dumps(child_path)}")
            continue
        inner = _Where(struct, (*where.stack, key), child_path)
        decoded[key] = _decode_value(d, props[key], value[key], inner, _NAMED_TYPES.get((struct, key), ""))
    for key in value:
        if key in decoded and decoded[key] is not None:
            out[key] = decoded[key]
    return out


def _decode_map(d: _Decoder, schema: dict[str, Any], value: Any, where: _Where, named: str) -> Any:
    if not isinstance(value, dict):
        d.save(where.type_error(json_kind(value), _go_type(schema, named)))
        return None
    elem = schema["additionalProperties"]
    out: Obj = {}
    for key in sorted(value):
        inner = _Where(where.struct, where.stack, f"{where.path}[{key}]")
        item = _decode_value(d, elem, value[key], inner)
        out[key] = "" if item is None and _types(elem) == ["string"] else item
    return {key: out[key] for key in value}


def _decode_slice(d: _Decoder, schema: dict[str, Any], value: Any, where: _Where, named: str) -> Any:
    if not isinstance(value, list):
        d.save(where.type_error(json_kind(value), _go_type(schema, named)))
        return None
    elem = schema.get("items", {})
    return [
        _decode_value(d, elem, item, _Where(where.struct, where.stack, f"{where.path}[{i}]"))
        for i, item in enumerate(value)
    ]


def _decode_scalar(d: _Decoder, schema: dict[str, Any], kind: str, value: Any, where: _Where, named: str) -> Any:
    go_type = _go_type(schema, named)
    if kind == "string" and schema.get("format") == "byte" and isinstance(value, str):
        error = base64_error(value)
        if error:
            d.save(ValueError(error))
            return None
        return value
    error = _scalar_error(kind, go_type, value)
    if error:
        d.save(where.type_error(error, go_type))
        return None
    return value


def _scalar_error(kind: str, go_type: str, value: Any) -> str:
    """UnmarshalTypeError.Value for a literal that does not fit, or "" when it fits."""
    literal = json_kind(value)
    if kind == "string":
        return "" if literal == "string" else literal
    if kind == "boolean":
        return "" if literal == "bool" else literal
    if literal != "number":
        return literal
    if kind == "number":
        return ""
    if isinstance(value, float) and (value != int(value) or not math.isfinite(value)):
        return f"number {_number_text(value)}"
    if isinstance(value, float):
        return f"number {_number_text(value)}"  # 1.0 as JSON does not parse as a Go int
    bits = 64 if go_type == "int64" else 32
    if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
        return f"number {value}"
    return ""


# --------------------------------------------------------------------------------------------------
# Custom unmarshalers: IntOrString, Quantity, Time, []byte
# --------------------------------------------------------------------------------------------------


def _decode_int_or_string(value: Any, where: _Where) -> Any:
    """intstr.IntOrString.UnmarshalJSON: a string, else json.Unmarshal into an int32; errors stop decoding
    and get the field's context (decode.go addErrorContext)."""
    if isinstance(value, str):
        return value
    error = _scalar_error("integer", "int32", value)
    if error:
        raise _Fatal(where.type_error(error, "int32"))
    return value


def _decode_quantity(value: Any) -> Any:
    """resource.Quantity.UnmarshalJSON: the JSON text without its quotes, trimmed, through ParseQuantity;
    the stored value is the canonical form Quantity.MarshalJSON writes (`1000m` → `1`, `0.5` → `500m`)."""
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, (dict, list, bool)):
        text = json.dumps(value, separators=(",", ":"))
    else:
        text = json.dumps(value)
    try:
        return str(parse_quantity(text))
    except QuantityError as exc:
        raise _Fatal(ValueError(str(exc))) from None


def base64_error(text: str) -> str:
    """Go's base64.StdEncoding.Decode error for `text` (`illegal base64 data at input byte 4`), or ""."""
    src = text.encode()
    si = 0
    while si < len(src):
        si, offset = _base64_quantum(src, si)
        if offset is not None:
            return f"illegal base64 data at input byte {offset}"
    return ""


_B64 = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def _base64_quantum(src: bytes, si: int) -> tuple[int, int | None]:
    """One 4-character group, as encoding/base64 decodeQuantum; returns (next index, error offset)."""
    j = 0
    while j < 4:
        if si == len(src):
            return si, (None if j == 0 else si - j)
        char = src[si]
        si += 1
        if char in _B64:
            j += 1
            continue
        if char in b"\r\n":
            continue
        if char != ord("=") or j in (0, 1):
            return si, si - 1
        return _base64_padding(src, si, j)
    return si, None


def _base64_padding(src: bytes, si: int, j: int) -> tuple[int, int | None]:
    if j == 2:  # "==" expected, the first "=" is consumed
        while si < len(src) and src[si] in b"\r\n":
            si += 1
        if si == len(src):
            return si, len(src)
        if src[si] != ord("="):
            return si, si - 1
        si += 1
    while si < len(src) and src[si] in b"\r\n":
        si += 1
    return si, (si if si < len(src) else None)


_RFC3339 = "2006-01-02T15:04:05Z07:00"


def _decode_time(value: Any, where: _Where) -> Any:
    """metav1.Time.UnmarshalJSON: json.Unmarshal into a string, then time.Parse(time.RFC3339, ...)."""
    if not isinstance(value, str):
        raise _Fatal(where.type_error(json_kind(value), "string"))
    error = rfc3339_error(value)
    if error:
        raise _Fatal(ValueError(error))
    return value


def rfc3339_error(text: str) -> str:
    """time.Parse(time.RFC3339, text)'s error as Go words it (time/format.go ParseError), or ""."""
    rest = text
    steps = (("2006", 4, None), ("-", 0, None), ("01", 2, (1, 12, "month")), ("-", 0, None),
             ("02", 2, (1, 31, "day")), ("T", 0, None), ("15", 2, (0, 23, "hour")), (":", 0, None),
             ("04", 2, (0, 59, "minute")), (":", 0, None), ("05", 2, (0, 59, "second")))
    for layout_elem, width, bounds in steps:
        if width == 0:
            if not rest.startswith(layout_elem):
                return _time_error(text, rest, layout_elem)
            rest = rest[1:]
            continue
        if layout_elem == "15":
            digits = rest[:2] if rest[1:2].isdigit() else rest[:1]
        else:
            digits = rest[:width]
        if len(digits) < (1 if layout_elem == "15" else width) or not digits.isdigit():
            return _time_error(text, rest, layout_elem)
        rest = rest[len(digits):]
        if bounds and not bounds[0] <= int(digits) <= bounds[1]:
            return f'parsing time {json.dumps(text)}: {bounds[2]} out of range'
    frac = re.match(r"\.[0-9]+", rest)
    if frac:
        rest = rest[frac.end():]
    zone = re.match(r"Z|[+-][0-9]{2}:[0-9]{2}", rest)
    if not zone:
        return _time_error(text, rest, "Z07:00")
    rest = rest[zone.end():]
    if rest:
        return f"parsing time {json.dumps(text)}: extra text: {json.dumps(rest)}"
    return _day_in_month_error(text)


def _time_error(text: str, rest: str, layout_elem: str) -> str:
    return (f"parsing time {json.dumps(text)} as {json.dumps(_RFC3339)}: "
            f"cannot parse {json.dumps(rest)} as {json.dumps(layout_elem)}")


def _day_in_month_error(text: str) -> str:
    import calendar

    year, month, day = int(text[0:4]), int(text[5:7]), int(text[8:10])
    if day > calendar.monthrange(year, month)[1]:
        return f"parsing time {json.dumps(text)}: day out of range"
    return ""


# --------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------


def decode(obj: Obj, field_validation: str = "Strict") -> tuple[Obj, list[str]]:
    """Decode a request body for its kind as kube-apiserver does; return (cleaned object, warnings).

    Type errors, bad quantities, bad base64 and bad timestamps raise a 400 `ApiError`
    (`Deployment in version "v1" cannot be handled as a Deployment: ...`). Unknown fields are dropped
    from the returned object; with `field_validation` "Strict" they raise (`strict decoding error:
    unknown field "spec.foo"`), with "Warn" they come back as warnings, with "Ignore" they vanish.
    """
    if field_validation not in FIELD_VALIDATION:
        raise bad_request_error(
            f"fieldValidation parameter unsupported: {field_validation}. "
            'Acceptable values are "Ignore", "Warn", "Strict"'
        )
    api_version, kind = obj.get("apiVersion", ""), obj.get("kind", "")
    def_name = definition_for(api_version, kind)
    if def_name is None:
        raise KindNotFoundError(kind=kind, api_version=api_version)
    decoder = _Decoder()
    try:
        cleaned = _decode_struct(decoder, def_name, _definitions()[def_name], obj, _Where())
    except _Fatal as fatal:
        raise _cannot_handle(api_version, kind, str(fatal.error)) from None
    if decoder.saved is not None:
        raise _cannot_handle(api_version, kind, str(decoder.saved))
    if decoder.strict and field_validation == "Strict":
        raise _cannot_handle(api_version, kind, "strict decoding error: " + ", ".join(decoder.strict))
    warnings = list(decoder.strict) if field_validation == "Warn" else []
    return cleaned, warnings


def _cannot_handle(api_version: str, kind: str, message: str) -> ApiError:
    """transformDecodeError (apiserver handlers/rest.go): `<Kind> in version "<v>" cannot be handled as a <Kind>`."""
    version = api_version.rpartition("/")[2]
    return bad_request_error(f"{kind} in version {json.dumps(version)} cannot be handled as a {kind}: {message}")
