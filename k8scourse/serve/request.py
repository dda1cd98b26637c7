"""One HTTP request as the REST handlers see it, and the reply they give back.

Built by `k8scourse.serve.handler` from what `http.server` parsed; read by `k8scourse.serve.resources`,
`watch` and `logs`. Query parameters, the Accept header (JSON, Table or PartialObjectMetadata, as
k8s.io/apiserver/pkg/endpoints/handlers/negotiation chooses), and the request body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from ..api.errors import ApiError, bad_request_error, status_dict

Obj = dict[str, Any]

TABLE = "Table"
METADATA = "PartialObjectMetadata"


PROTOBUF = "application/vnd.kubernetes.protobuf"
# kubectl's typed generators (`create deployment|configmap|secret|job…`) send protobuf bodies.
PROTOBUF_REFUSED = ("k8scourse serve does not decode protobuf request bodies, which kubectl's generators "
                    "(`kubectl create deployment|configmap|secret …`) send; write the object "
                    "with `--dry-run=client -o yaml | kubectl apply -f -`, or run the command in the notebook "
                    "with cluster.kubectl(\"create …\")")


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    @classmethod
    def build(cls, method: str, target: str, headers: dict[str, str], body: bytes) -> Request:
        path, _, query = target.partition("?")
        return cls(method, path, parse_qs(query, keep_blank_values=True),
                   {k.lower(): v for k, v in headers.items()}, body)

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def flag(self, name: str) -> bool:
        return (self.param(name) or "").lower() in ("true", "1")

    def int_param(self, name: str) -> int | None:
        value = self.param(name)
        if value in (None, ""):
            return None
        try:
            return int(value)
        except ValueError as exc:
            raise bad_request_error(f"invalid value for {name}: {value!r} is not an integer") from exc

    def dry_run(self, body: Obj | None = None) -> bool:
        values = list(self.query.get("dryRun", []))
        if body:
            values += body.get("dryRun") or []
        for value in values:
            if value != "All":
                raise bad_request_error(f'dryRun: Unsupported value: "{value}": supported values: "All"')
        return bool(values)

    def field_validation(self) -> str:
        value = self.param("fieldValidation") or "Strict"
        if value not in ("Ignore", "Warn", "Strict"):
            raise bad_request_error(f"fieldValidation: Unsupported value: {json.dumps(value)}: supported values: "
                                    '"Ignore", "Warn", "Strict"')
        return value

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "application/json").split(";")[0].strip()

    def json_body(self) -> Any:
        if not self.body:
            return None
        if self.content_type == PROTOBUF:
            raise ApiError(status_dict(415, "UnsupportedMediaType", PROTOBUF_REFUSED))
        try:
            if self.content_type.endswith("yaml"):
                import yaml

                return yaml.safe_load(self.body)
            return json.loads(self.body)
        except ValueError as exc:
            raise bad_request_error(f"error decoding request body: {exc}") from exc

    def object_body(self) -> Obj:
        body = self.json_body()
        if not isinstance(body, dict):
            raise bad_request_error("the request body must be a JSON object")
        return body

    def wants(self) -> str:
        """What the Accept header asks for first among what this server can answer: Table,
        PartialObjectMetadata(List), or the plain object (JSON also answers protobuf requests)."""
        for entry in self.headers.get("accept", "").split(","):
            kind, *params = [p.strip() for p in entry.split(";")]
            opts = dict(p.split("=", 1) for p in params if "=" in p)
            if "as" not in opts:
                return ""
            if opts.get("g") == "meta.k8s.io" and opts.get("v") == "v1":
                if opts["as"] == TABLE:
                    return TABLE
                if opts["as"] in (METADATA, METADATA + "List"):
                    return METADATA
        return ""


@dataclass
class Reply:
    """A complete (not streamed) response."""

    code: int
    body: Any  # a JSON-able value, or bytes/str sent as they are
    content_type: str = "application/json"
    warnings: list[str] = field(default_factory=list)

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body, separators=(",", ":")).encode()


def status_reply(error: ApiError) -> Reply:
    status = dict(error.status)
    status.setdefault("kind", "Status")
    status.setdefault("apiVersion", "v1")
    status.setdefault("metadata", {})
    status.setdefault("status", "Failure")
    return Reply(error.code or 500, status)


def success_status(code: int = 200, details: Obj | None = None) -> Obj:
    status: Obj = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success"}
    if details is not None:
        status["details"] = details
    if code != 200:
        status["code"] = code
    return status


def not_found_path() -> ApiError:
    """What kube-apiserver answers for a path no resource serves."""
    return ApiError(status_dict(404, "NotFound", "the server could not find the requested resource", {}))
