"""The official client's failures as k8scourse errors: an ApiException becomes an `ApiError` carrying the
server's Status; a server that does not answer becomes a message saying what to run.

Called by every request `RealCluster` makes (k8scourse.real.cluster, .streams, .metrics, .settle).
Responses without a Status body are worded as client-go words them
(k8s.io/apimachinery/pkg/api/errors/errors.go, NewGenericServerResponse).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import urllib3.exceptions
from kubernetes.client.exceptions import ApiException

from ..api.errors import ApiError, K8sError, status_dict

T = TypeVar("T")

# NewGenericServerResponse: reason and message for a response whose body is not a Status
_GENERIC: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "the server rejected our request for an unknown reason"),
    401: ("Unauthorized", "the server has asked for the client to provide credentials"),
    404: ("NotFound", "the server could not find the requested resource"),
    405: ("MethodNotAllowed", "the server does not allow this method on the requested resource"),
    409: ("Conflict", "the server reported a conflict"),
    422: ("Invalid", "the server rejected our request due to an error in our request"),
    429: ("TooManyRequests", "the server has received too many requests and has asked us to try again later"),
    503: ("ServiceUnavailable", "the server is currently unable to handle the request"),
    504: ("Timeout", "the server was unable to return a response in the time allotted, but may still be "
                     "processing the request"),
}


class ClusterUnreachableError(K8sError):
    """The API server did not answer (cluster stopped, wrong address, network down)."""

    def kubectl_message(self) -> str:
        return str(self)


def _text(body: Any) -> str:
    if isinstance(body, bytes):
        return body.decode("utf-8", "replace")
    return "" if body is None else str(body)


def generic_status(code: int, server_message: str, verb: str = "", resource: str = "", name: str = "") -> dict:
    """NewGenericServerResponse: the Status client-go makes up when the body is not one."""
    reason, message = _GENERIC.get(code, ("", f"the server responded with the status code {code} but did not "
                                              "return more information"))
    if code == 409 and verb.upper() == "POST":
        reason = "AlreadyExists"
    elif code in (403, 415) or (code == 406 and server_message not in ("", "unknown")):
        reason, message = {403: "Forbidden", 406: "NotAcceptable", 415: "UnsupportedMediaType"}[code], server_message
    elif code == 406:
        reason, message = "NotAcceptable", "the server was unable to respond with a content type that the client supports"
    elif code >= 500 and code not in _GENERIC:
        reason = "InternalError"
        message = f"an error on the server ({json.dumps(server_message)}) has prevented the request from succeeding"
    if resource and name:
        message = f"{message} ({verb.lower()} {resource} {name})"
    elif resource:
        message = f"{message} ({verb.lower()} {resource})"
    details: dict[str, Any] = {}
    if name:
        details["name"] = name
    if resource:
        group = resource.partition(".")[2]
        if group:
            details["group"] = group
        details["kind"] = resource.partition(".")[0]
    if code != 0 and server_message:
        details["causes"] = [{"reason": "UnexpectedServerResponse", "message": server_message}]
    return status_dict(code, reason, message, details)


def api_error(exc: ApiException, verb: str = "", resource: str = "", name: str = "") -> ApiError:
    """The ApiError for a refused request: the server's own Status when the body is one."""
    text = _text(exc.body)
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("kind") == "Status":
        body.setdefault("code", exc.status)
        return ApiError(body)
    return ApiError(generic_status(int(exc.status or 0), text.strip(), verb, resource, name))


def unreachable(server: str, context: str, cause: BaseException) -> ClusterUnreachableError:
    reason = getattr(cause, "reason", None) or cause
    return ClusterUnreachableError(
        f"The cluster of context {context!r} does not answer at {server} ({reason}). Is it running? Start it with "
        "`minikube start` (or `minikube start --driver=docker` the first time), then run the cell again. "
        "`k8scourse doctor` checks the whole set-up."
    )


CONNECTION_ERRORS = (urllib3.exceptions.MaxRetryError, urllib3.exceptions.ProtocolError,
                     urllib3.exceptions.NewConnectionError, ConnectionError)


@contextmanager
def translated(server: str, context: str, verb: str = "", resource: str = "", name: str = "") -> Iterator[None]:
    """Run a client call, turning its ApiException and connection failures into k8scourse errors."""
    try:
        yield
    except ApiException as exc:
        if exc.status == 0 and isinstance(getattr(exc, "reason", None), BaseException):
            raise unreachable(server, context, exc.reason) from None
        raise api_error(exc, verb, resource, name) from None
    except CONNECTION_ERRORS as exc:
        raise unreachable(server, context, exc) from None


def call(server: str, context: str, func: Callable[[], T], verb: str = "", resource: str = "", name: str = "") -> T:
    """`func()` inside `translated(...)`."""
    with translated(server, context, verb, resource, name):
        return func()
