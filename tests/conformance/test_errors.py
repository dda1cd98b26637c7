"""Conformance: refused requests raise `ApiError` with the same Status (code, reason, message) on every
backend, and `kubectl()` prints the same error line.

Wording: k8s.io/apimachinery/pkg/api/errors/errors.go (NewNotFound, NewAlreadyExists, NewConflict,
NewInvalid), the optimistic-lock message of k8s.io/apiserver/pkg/registry/generic/registry/store.go
(OptimisticLockErrorMsg), and the replicas rule of pkg/apis/apps/validation/validation.go
(ValidateNonnegativeField: "must be greater than or equal to 0").
"""

from __future__ import annotations

import pytest

from k8scourse.api.errors import ApiError

from .harness import on_backends


def refusal(call) -> ApiError:
    with pytest.raises(ApiError) as caught:
        call()
    return caught.value


@on_backends()
def test_not_found(backend):
    error = refusal(lambda: backend.cluster.backend.get(backend.rt("pods"), "nope", backend.namespace))
    assert (error.code, error.reason, error.message) == (404, "NotFound", 'pods "nope" not found')
    assert error.details["name"] == "nope" and error.details["kind"] == "pods"
    result = backend.kubectl("get pod nope")
    assert (result.returncode, result.stderr) == (1, 'Error from server (NotFound): pods "nope" not found\n')


@on_backends()
def test_not_found_in_a_group(backend):
    error = refusal(lambda: backend.cluster.backend.get(backend.rt("deployments"), "ghost", backend.namespace))
    assert error.message == 'deployments.apps "ghost" not found'
    assert error.details == {"name": "ghost", "group": "apps", "kind": "deployments"}


@on_backends()
def test_already_exists(backend):
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "twice"}}
    backend.cluster.create(cm)
    error = refusal(lambda: backend.cluster.create(cm))
    assert (error.code, error.reason, error.message) == (409, "AlreadyExists", 'configmaps "twice" already exists')
    result = backend.kubectl("get configmap twice -o name")
    assert result.stdout == "configmap/twice\n"
    result = backend.kubectl("create -f -", stdin='{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "twice"}}')
    assert result.stderr == 'Error from server (AlreadyExists): error when creating "STDIN": configmaps "twice" already exists\n'


@on_backends()
def test_conflict_on_a_stale_resource_version(backend):
    api = backend.cluster.backend
    cm = backend.rt("configmaps")
    first = api.create(cm, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "stale"},
                            "data": {"v": "1"}}, backend.namespace)
    fresh = dict(first, data={"v": "2"})
    api.update(cm, fresh, backend.namespace)
    error = refusal(lambda: api.update(cm, dict(first, data={"v": "3"}), backend.namespace))
    assert (error.code, error.reason) == (409, "Conflict")
    assert error.message == ('Operation cannot be fulfilled on configmaps "stale": the object has been modified; '
                             "please apply your changes to the latest version and try again")


@on_backends()
def test_invalid(backend, deployment):
    deployment["spec"]["replicas"] = -1
    error = refusal(lambda: backend.cluster.apply(deployment))
    assert (error.code, error.reason) == (422, "Invalid")
    assert error.message == ('Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: '
                             "must be greater than or equal to 0")
    assert error.details["causes"] == [{"reason": "FieldValueInvalid", "field": "spec.replicas",
                                        "message": "Invalid value: -1: must be greater than or equal to 0"}]
    assert error.kubectl_message() == ('The Deployment "web" is invalid: spec.replicas: Invalid value: -1: '
                                       "must be greater than or equal to 0")
    assert not backend.cluster.exists("deployments", "web")
