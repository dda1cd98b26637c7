"""Semantic validation of ConfigMaps and Secrets, worded as kube-apiserver words it.

Called through `k8scourse.api.validation.validate_create` / `validate_update` (the `VALIDATORS` table
below). Rules and wording follow ValidateConfigMap, ValidateConfigMapUpdate, ValidateSecret and
ValidateSecretUpdate in pkg/apis/core/validation/validation.go. Secret `data` and ConfigMap `binaryData`
arrive base64-encoded, as the JSON API carries them (decoding already refused bad base64); sizes are
counted on the decoded bytes, as Go counts them. Secret `stringData` is merged into `data` first, as
the apiserver's conversion does before validation.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from .. import names
from ..errors import FieldError, forbidden, invalid, required, too_long
from . import KindValidator, Obj

MAX_SECRET_SIZE = 1024 * 1024  # core.MaxSecretSize, shared by ConfigMaps
IMMUTABLE_WHEN_SET = "field is immutable when `immutable` is set"
REDACTED = "<secret contents redacted>"
SERVICE_ACCOUNT_NAME_KEY = "kubernetes.io/service-account.name"


def decode_base64(value: str) -> bytes:
    """The bytes a base64 `data` value stands for (the raw text if it is not valid base64)."""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return value.encode()


def _validate_keys(bag: dict[str, Any], field_name: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for key in bag:
        errs += [invalid(f"{field_name}[{key}]", key, msg) for msg in names.is_config_map_key(key)]
    return errs


def _immutable_changes(new: Obj, old: Obj, fields: tuple[str, ...]) -> list[FieldError]:
    """Once `immutable: true`, the flag stays and the payload fields do not change."""
    if old.get("immutable") is not True:
        return []
    errs: list[FieldError] = []
    if new.get("immutable") is not True:
        errs.append(forbidden("immutable", IMMUTABLE_WHEN_SET))
    for name in fields:
        if (new.get(name) or None) != (old.get(name) or None):
            errs.append(forbidden(name, IMMUTABLE_WHEN_SET))
    return errs


# ---------------------------------------------------------------- ConfigMap


def validate_config_map(obj: Obj) -> list[FieldError]:
    """ValidateConfigMap: keys, no key in both bags, total size at most 1 MiB."""
    data: dict[str, str] = obj.get("data") or {}
    binary: dict[str, str] = obj.get("binaryData") or {}
    errs = _validate_keys(data, "data")
    for key in data:
        if key in binary:
            errs.append(invalid(f"data[{key}]", key, "duplicate of key present in binaryData"))
    errs += _validate_keys(binary, "binaryData")
    total = sum(len(v.encode()) for v in data.values()) + sum(len(decode_base64(v)) for v in binary.values())
    if total > MAX_SECRET_SIZE:
        errs.append(too_long("", MAX_SECRET_SIZE))
    return errs


def validate_config_map_update(new: Obj, old: Obj) -> list[FieldError]:
    """ValidateConfigMapUpdate: immutable ConfigMaps keep their data, then the create rules."""
    return _immutable_changes(new, old, ("data", "binaryData")) + validate_config_map(new)


# ---------------------------------------------------------------- Secret


def secret_data(obj: Obj) -> dict[str, bytes]:
    """A Secret's payload as the apiserver validates it: decoded `data` with `stringData` merged over it."""
    merged = {k: decode_base64(v) for k, v in (obj.get("data") or {}).items()}
    merged.update({k: v.encode() for k, v in (obj.get("stringData") or {}).items()})
    return merged


def go_json_error(raw: bytes) -> str | None:
    """The error Go's json.Unmarshal gives for `raw` decoded into a map (None when it decodes).

    Syntax errors are worded as Go's encoding/json scanner words them, by the context of the bad byte.
    """
    text = raw.decode(errors="replace")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        return _go_syntax_error(text, e)
    kinds = {list: "array", str: "string", bool: "bool", int: "number", float: "number"}
    if value is None or isinstance(value, dict):
        return None
    return f"json: cannot unmarshal {kinds[type(value)]} into Go value of type map[string]interface {{}}"


_SCANNER_CONTEXT = {
    "Expecting value": "looking for beginning of value",
    "Expecting property name enclosed in double quotes": "looking for beginning of object key string",
    "Expecting ':' delimiter": "after object key",
    "Extra data": "after top-level value",
    "Invalid control character at": "in string literal",
}


def _go_syntax_error(text: str, e: json.JSONDecodeError) -> str:
    if e.msg.startswith("Unterminated string") or e.pos >= len(text.rstrip()):
        return "unexpected end of JSON input"
    context = _SCANNER_CONTEXT.get(e.msg)
    if context is None:  # "Expecting ',' delimiter": inside an object or an array?
        context = "after object key:value pair" if _innermost_bracket(text, e.pos) == "{" else "after array element"
    return f"invalid character {_go_quote_char(text[e.pos])} {context}"


def _innermost_bracket(text: str, end: int) -> str:
    """The innermost `{` or `[` still open at `end` (strings skipped)."""
    stack: list[str] = []
    in_string = escaped = False
    for c in text[:end]:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "{[":
            stack.append(c)
        elif c in "}]" and stack:
            stack.pop()
    return stack[-1] if stack else ""


def _go_quote_char(c: str) -> str:
    """Go's quoteChar in encoding/json's scanner errors."""
    if c == "'":
        return "'\\''"
    if c == '"':
        return "'\"'"
    return "'" + json.dumps(c)[1:-1] + "'" if c < " " else "'" + c + "'"


def _validate_docker_config(data: dict[str, bytes], key: str) -> list[FieldError]:
    if key not in data:
        return [required(f"data[{key}]")]
    problem = go_json_error(data[key])
    return [invalid(f"data[{key}]", REDACTED, problem)] if problem else []


def _validate_secret_type(obj: Obj, data: dict[str, bytes]) -> list[FieldError]:
    """The keys each built-in Secret type requires."""
    secret_type = obj.get("type") or ""
    if secret_type == "kubernetes.io/service-account-token":
        annotations = (obj.get("metadata") or {}).get("annotations") or {}
        if not annotations.get(SERVICE_ACCOUNT_NAME_KEY):
            return [required(f"metadata.annotations[{SERVICE_ACCOUNT_NAME_KEY}]")]
    elif secret_type == "kubernetes.io/dockercfg":
        return _validate_docker_config(data, ".dockercfg")
    elif secret_type == "kubernetes.io/dockerconfigjson":
        return _validate_docker_config(data, ".dockerconfigjson")
    elif secret_type == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            return [required("data[username]"), required("data[password]")]
    elif secret_type == "kubernetes.io/ssh-auth":
        if not data.get("ssh-privatekey"):
            return [required("data[ssh-privatekey]")]
    elif secret_type == "kubernetes.io/tls":
        return [required(f"data[{key}]") for key in ("tls.crt", "tls.key") if key not in data]
    return []


def validate_secret(obj: Obj) -> list[FieldError]:
    """ValidateSecret: keys, total size at most 1 MiB, and the keys the Secret's type requires."""
    data = secret_data(obj)
    errs = _validate_keys(data, "data")
    if sum(len(v) for v in data.values()) > MAX_SECRET_SIZE:
        errs.append(too_long("data", MAX_SECRET_SIZE))
    return errs + _validate_secret_type(obj, data)


def validate_secret_update(new: Obj, old: Obj) -> list[FieldError]:
    """ValidateSecretUpdate: `type` never changes, immutable Secrets keep their data, then the create rules."""
    errs: list[FieldError] = []
    if new.get("type") != old.get("type"):
        errs.append(invalid("type", new.get("type") or "", "field is immutable"))
    decoded_new, decoded_old = {**new, "data": secret_data(new)}, {**old, "data": secret_data(old)}
    errs += _immutable_changes(decoded_new, decoded_old, ("data",))
    return errs + validate_secret(new)


VALIDATORS: dict[str, KindValidator] = {
    "ConfigMap": KindValidator(validate_config_map, validate_config_map_update),
    "Secret": KindValidator(validate_secret, validate_secret_update),
}
