"""Errors that speak like Kubernetes: field errors, API Status errors, and kubectl's client-side errors.

Called by every layer: validation builds `FieldError` lists, the simulated apiserver raises `ApiError`
carrying a `meta/v1 Status` exactly as kube-apiserver words it, and the kubectl layer renders them the
way kubectl prints them (`Error from server (NotFound): pods "x" not found`).

Wording follows k8s.io/apimachinery/pkg/util/validation/field/errors.go and
k8s.io/apimachinery/pkg/api/errors/errors.go.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# A marker for field errors whose bad value is not shown (field.OmitValueType in Go).
OMIT = object()


def go_value(value: Any) -> str:
    """Format a bad value as Go's field.Error does: numbers and bools bare, strings quoted, maps as Go literals."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        if all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            inner = ", ".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in sorted(value.items()))
            return "map[string]string{" + inner + "}"
        return json.dumps(value, sort_keys=True)
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return "[]string{" + ", ".join(json.dumps(v) for v in value) + "}"
        return json.dumps(value)
    return str(value)


class GoString(str):
    """A value printed as a Go Stringer (unquoted), e.g. a resource.Quantity ("Invalid value: 1Gi")."""


@dataclass(frozen=True)
class FieldError:
    """One validation error at a field path, worded as k8s.io/apimachinery/pkg/util/validation/field."""

    type: str  # FieldValueInvalid, FieldValueRequired, ...
    field: str
    bad_value: Any = OMIT
    detail: str = ""

    # Go's ErrorType.String()
    _TYPE_TEXT = {
        "FieldValueNotFound": "Not found",
        "FieldValueRequired": "Required value",
        "FieldValueDuplicate": "Duplicate value",
        "FieldValueInvalid": "Invalid value",
        "FieldValueNotSupported": "Unsupported value",
        "FieldValueForbidden": "Forbidden",
        "FieldValueTooLong": "Too long",
        "FieldValueTooMany": "Too many",
        "InternalError": "Internal error",
        "FieldValueTypeInvalid": "Invalid value",
    }

    def body(self) -> str:
        text = self._TYPE_TEXT[self.type]
        if self.type in ("FieldValueRequired", "FieldValueForbidden", "FieldValueTooLong", "InternalError") or (
            self.bad_value is OMIT
        ):
            s = text
        elif isinstance(self.bad_value, GoString):
            s = f"{text}: {str(self.bad_value)}"
        else:
            s = f"{text}: {go_value(self.bad_value)}"
        if self.detail:
            s += f": {self.detail}"
        return s

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"


# Constructors named after Go's field.Invalid, field.Required, ...
def invalid(path: str, value: Any, detail: str) -> FieldError:
    return FieldError("FieldValueInvalid", path, value, detail)


def required(path: str, detail: str = "") -> FieldError:
    return FieldError("FieldValueRequired", path, OMIT, detail)


def forbidden(path: str, detail: str) -> FieldError:
    return FieldError("FieldValueForbidden", path, OMIT, detail)


def duplicate(path: str, value: Any) -> FieldError:
    return FieldError("FieldValueDuplicate", path, value)


def not_found(path: str, value: Any) -> FieldError:
    return FieldError("FieldValueNotFound", path, value)


def not_supported(path: str, value: Any, supported: list[str] | tuple[str, ...]) -> FieldError:
    detail = ""
    if supported:
        detail = "supported values: " + ", ".join(json.dumps(s) for s in supported)
    return FieldError("FieldValueNotSupported", path, value, detail)


def too_long(path: str, max_length: int) -> FieldError:
    detail = f"may not be more than {max_length} bytes" if max_length >= 0 else ""
    return FieldError("FieldValueTooLong", path, OMIT, detail)


def too_many(path: str, actual: int, limit: int) -> FieldError:
    return FieldError("FieldValueTooMany", path, actual, f"must have at most {limit} items")


def aggregate(messages: list[str]) -> str:
    """utilerrors.Aggregate's Error(): one message bare, several as `[a, b]` (duplicates dropped)."""
    seen: list[str] = []
    for m in messages:
        if m not in seen:
            seen.append(m)
    if len(seen) == 1:
        return seen[0]
    return "[" + ", ".join(seen) + "]"


def qualified(name: str, group: str) -> str:
    """GroupKind/GroupResource String(): `Deployment.apps`, `pods`."""
    return f"{name}.{group}" if group else name


class K8sError(Exception):
    """Base of every error k8scourse raises for a refused operation."""

    def kubectl_message(self) -> str:
        """The text kubectl would print for this error (without a trailing newline)."""
        return f"error: {self}"


class ApiError(K8sError):
    """A request the API server refused. Carries the server's `Status` (code, reason, message, details)."""

    def __init__(self, status: dict[str, Any]):
        self.status = status
        super().__init__(status.get("message", ""))

    @property
    def code(self) -> int:
        return int(self.status.get("code", 0))

    @property
    def reason(self) -> str:
        return self.status.get("reason", "")

    @property
    def message(self) -> str:
        return self.status.get("message", "")

    @property
    def details(self) -> dict[str, Any]:
        return self.status.get("details") or {}

    def __str__(self) -> str:
        return self.kubectl_message()

    def kubectl_message(self) -> str:
        """As kubectl's cmdutil.CheckErr prints a StatusError (staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go)."""
        details = self.details
        if self.reason == "Invalid":
            head = "The request is invalid"
            if details.get("kind") or details.get("name"):
                head = f"The {details.get('kind', '')} {json.dumps(details.get('name', ''))} is invalid"
            causes = [f"{c.get('field', '')}: {c.get('message', '')}" for c in details.get("causes", [])]
            if not causes:
                return head
            if len(causes) == 1:
                return f"{head}: {causes[0]}"
            return head + ": \n" + "\n".join(f"* {c}" for c in causes)
        if not self.reason:
            return f"Error from server: {self.message}"
        return f"Error from server ({self.reason}): {self.message}"

    @classmethod
    def fromstatus_dict(cls, status: dict[str, Any]) -> ApiError:
        return cls(status)


def status_dict(code: int, reason: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    status: dict[str, Any] = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }
    if details is not None:
        status["details"] = details
    return status


def _details(name: str, group: str, kind: str) -> dict[str, Any]:
    d: dict[str, Any] = {}
    if name:
        d["name"] = name
    if group:
        d["group"] = group
    if kind:
        d["kind"] = kind
    return d


def not_found_error(resource: str, group: str, name: str) -> ApiError:
    """`pods "x" not found` (404 NotFound)."""
    msg = f"{qualified(resource, group)} {json.dumps(name)} not found"
    return ApiError(status_dict(404, "NotFound", msg, _details(name, group, resource)))


def already_exists_error(resource: str, group: str, name: str) -> ApiError:
    """`pods "x" already exists` (409 AlreadyExists)."""
    msg = f"{qualified(resource, group)} {json.dumps(name)} already exists"
    return ApiError(status_dict(409, "AlreadyExists", msg, _details(name, group, resource)))


def conflict_error(resource: str, group: str, name: str, reason_text: str) -> ApiError:
    """`Operation cannot be fulfilled on deployments.apps "x": <reason>` (409 Conflict)."""
    msg = f"Operation cannot be fulfilled on {qualified(resource, group)} {json.dumps(name)}: {reason_text}"
    return ApiError(status_dict(409, "Conflict", msg, _details(name, group, resource)))


STALE_OBJECT = "the object has been modified; please apply your changes to the latest version and try again"


def invalid_error(kind: str, group: str, name: str, errors: list[FieldError]) -> ApiError:
    """`Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: ...` (422 Invalid)."""
    causes = [{"reason": e.type, "message": e.body(), "field": e.field} for e in errors]
    head = f"{qualified(kind, group)} {json.dumps(name)} is invalid"
    msg = f"{head}: {aggregate([str(e) for e in errors])}" if errors else head
    details = _details(name, group, kind)
    details["causes"] = causes
    return ApiError(status_dict(422, "Invalid", msg, details))


def bad_request_error(message: str) -> ApiError:
    return ApiError(status_dict(400, "BadRequest", message))


def forbidden_error(resource: str, group: str, name: str, reason_text: str) -> ApiError:
    """`pods "x" is forbidden: <reason>` (403 Forbidden)."""
    msg = f"{qualified(resource, group)} {json.dumps(name)} is forbidden: {reason_text}"
    return ApiError(status_dict(403, "Forbidden", msg, _details(name, group, resource)))


def method_not_allowed_error(message: str) -> ApiError:
    return ApiError(status_dict(405, "MethodNotAllowed", message))


def internal_error(message: str) -> ApiError:
    return ApiError(status_dict(500, "InternalError", f"Internal error occurred: {message}"))


class KindNotFoundError(ApiError):
    """A manifest names a kind the API does not serve (kubectl's REST mapping failure).

    kubectl words it `no matches for kind "Deployment" in version "extensions/v1beta1"`.
    """

    def __init__(self, kind: str, api_version: str):
        self.kind = kind
        self.api_version = api_version
        msg = f"no matches for kind {json.dumps(kind)} in version {json.dumps(api_version)}"
        super().__init__(status_dict(404, "NotFound", msg))

    def kubectl_message(self) -> str:
        return f"error: {self.message}"

    def __str__(self) -> str:
        return self.message


class KindNotSimulatedError(ApiError):
    """A kind real Kubernetes serves but the simulated cluster does not model: refused, never ignored."""

    def __init__(self, kind: str, api_version: str):
        self.kind = kind
        self.api_version = api_version
        super().__init__(status_dict(
            405, "MethodNotAllowed",
            f"the simulated cluster does not model {kind} ({api_version}); a real Kubernetes cluster serves it. "
            "Leave it out here, or apply it on a real cluster.",
        ))

    def kubectl_message(self) -> str:
        return f"error: {self.message}"

    def __str__(self) -> str:
        return self.message


class ResourceTypeError(K8sError):
    """kubectl's `the server doesn't have a resource type "pdos"`."""

    def __init__(self, resource: str):
        self.resource = resource
        super().__init__(f"the server doesn't have a resource type {json.dumps(resource)}")


class ManifestError(K8sError):
    """A manifest kubectl would refuse before sending it (YAML syntax, missing kind or apiVersion)."""
