"""The official client's ApiException becomes an ApiError carrying the server's Status; bodies that are
not a Status are worded as client-go words them (k8s.io/apimachinery/pkg/api/errors/errors.go,
NewGenericServerResponse)."""

from __future__ import annotations

import json

import pytest
from kubernetes.client.exceptions import ApiException

from k8scourse.real import ClusterUnreachableError, api_error
from k8scourse.real.errors import translated


def exception(status: int, body: str | bytes | None, reason: str = "") -> ApiException:
    exc = ApiException(status=status, reason=reason)
    exc.body = body
    return exc


def test_a_status_body_is_carried_as_it_is():
    status = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
              "message": 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater '
                         "than or equal to 0", "reason": "Invalid", "code": 422,
              "details": {"name": "web", "group": "apps", "kind": "Deployment",
                          "causes": [{"reason": "FieldValueInvalid", "field": "spec.replicas",
                                      "message": "Invalid value: -1: must be greater than or equal to 0"}]}}
    error = api_error(exception(422, json.dumps(status).encode()))
    assert error.status == status
    assert error.kubectl_message() == ('The Deployment "web" is invalid: spec.replicas: Invalid value: -1: '
                                       "must be greater than or equal to 0")


def test_not_found_status_prints_as_kubectl_prints_it():
    body = {"kind": "Status", "status": "Failure", "message": 'pods "x" not found', "reason": "NotFound",
            "code": 404, "details": {"name": "x", "kind": "pods"}}
    assert api_error(exception(404, json.dumps(body))).kubectl_message() == \
        'Error from server (NotFound): pods "x" not found'


@pytest.mark.parametrize(("code", "verb", "reason", "message"), [
    (404, "GET", "NotFound", "the server could not find the requested resource (get pods web)"),
    (409, "POST", "AlreadyExists", "the server reported a conflict (post pods web)"),
    (409, "PUT", "Conflict", "the server reported a conflict (put pods web)"),
    (405, "DELETE", "MethodNotAllowed", "the server does not allow this method on the requested resource "
                                        "(delete pods web)"),
    (503, "GET", "ServiceUnavailable", "the server is currently unable to handle the request (get pods web)"),
    (418, "GET", "", "the server responded with the status code 418 but did not return more information "
                     "(get pods web)"),
])
def test_a_body_that_is_not_a_status(code, verb, reason, message):
    error = api_error(exception(code, b"<html>nope</html>"), verb, "pods", "web")
    assert (error.code, error.reason, error.message) == (code, reason, message)
    assert error.details["causes"] == [{"reason": "UnexpectedServerResponse", "message": "<html>nope</html>"}]


def test_server_errors_quote_what_the_server_said():
    error = api_error(exception(502, "bad gateway"), "GET", "deployments.apps")
    assert error.reason == "InternalError"
    assert error.message == ('an error on the server ("bad gateway") has prevented the request from succeeding '
                             "(get deployments.apps)")
    assert error.details["group"] == "apps" and error.details["kind"] == "deployments"


def test_forbidden_keeps_the_server_message():
    error = api_error(exception(403, "user cannot list pods"), "GET", "pods")
    assert (error.reason, error.message) == ("Forbidden", "user cannot list pods (get pods)")


def test_a_refused_connection_says_what_to_run():
    with pytest.raises(ClusterUnreachableError) as caught, translated("https://192.168.49.2:8443", "minikube"):
        raise ConnectionRefusedError("connection refused")
    text = str(caught.value)
    assert "'minikube' does not answer at https://192.168.49.2:8443" in text and "`minikube start`" in text
