"""ObjectMeta validation and the metadata-only kinds, worded as kube-apiserver v1.33 words them.

Wording from k8s.io/apimachinery v0.33.1 pkg/api/validation/objectmeta.go (ValidateObjectMetaAccessor,
ValidateObjectMetaAccessorUpdate, ValidateOwnerReferences, ValidateFinalizers), pkg/api/validation/path/
name.go (ValidatePathSegmentName), and k8s.io/kubernetes pkg/apis/core/validation/validation.go
(ValidateObjectMeta, validateKubeFinalizerName, ValidateNamespace) and events.go (legacyValidateEvent).
"""

from __future__ import annotations

import pytest

from k8scourse.api.validation import meta

SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)


def obj(kind="ConfigMap", api_version="v1", **metadata):
    metadata.setdefault("namespace", "default")
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata}


def texts(errors):
    return [str(e) for e in errors]


def test_valid_metadata_has_no_errors():
    assert meta.validate_object_meta_for(obj(name="web", labels={"app": "web"})) == []


def test_name_or_generate_name_is_required():
    assert texts(meta.validate_object_meta_for(obj())) == [
        "metadata.name: Required value: name or generateName is required"
    ]


def test_most_kinds_use_dns_subdomain_names():
    assert texts(meta.validate_object_meta_for(obj(kind="Deployment", api_version="apps/v1", name="Web_1"))) == [
        'metadata.name: Invalid value: "Web_1": ' + SUBDOMAIN_MSG
    ]


@pytest.mark.parametrize(
    ("kind", "api_version", "name", "message"),
    [
        # ValidateServiceName = NameIsDNS1035Label
        ("Service", "v1", "1web", "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
         "start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
         "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"),
        # ValidateStatefulSetName = NameIsDNSLabel
        ("StatefulSet", "apps/v1", "my.db", "must not contain dots"),
        # ValidateRBACName = path.IsValidPathSegmentName
        ("Role", "rbac.authorization.k8s.io/v1", "a/b", "may not contain '/'"),
    ],
)
def test_kind_specific_name_rules(kind, api_version, name, message):
    assert texts(meta.validate_object_meta_for(obj(kind=kind, api_version=api_version, name=name))) == [
        f'metadata.name: Invalid value: "{name}": {message}'
    ]


def test_rbac_names_may_be_anything_but_path_breakers():
    role = obj(kind="ClusterRole", api_version="rbac.authorization.k8s.io/v1", name="system:Admin")
    role["metadata"].pop("namespace")
    assert meta.validate_object_meta_for(role) == []
    assert meta.path_segment_name("..", False) == ["may not be '..'"]
    assert meta.path_segment_name("..", True) == []


def test_namespace_name_and_scope():
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team.a", "namespace": "default"}}
    assert texts(meta.validate_object_meta_for(ns)) == [
        'metadata.name: Invalid value: "team.a": must not contain dots',
        "metadata.namespace: Forbidden: not allowed on this type",
    ]


def test_namespaced_kinds_require_a_namespace():
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}
    assert texts(meta.validate_object_meta_for(cm)) == ["metadata.namespace: Required value"]
    assert texts(meta.validate_object_meta_for(obj(name="a", namespace="Dev"))) == [
        'metadata.namespace: Invalid value: "Dev": a lowercase RFC 1123 label must consist of lower case '
        "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  "
        "or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    ]


def test_generate_name_is_checked_as_a_prefix():
    # The apiserver generates the name before validating, so both are present here.
    assert meta.validate_object_meta_for(obj(generateName="web-", name="web-x7k2q")) == []
    assert texts(meta.validate_object_meta_for(obj(generateName="Web-", name="web-x7k2q"))) == [
        'metadata.generateName: Invalid value: "Web-": ' + SUBDOMAIN_MSG
    ]


def test_negative_generation():
    assert texts(meta.validate_object_meta_for(obj(name="a", generation=-1))) == [
        "metadata.generation: Invalid value: -1: must be greater than or equal to 0"
    ]


def test_owner_references():
    refs = [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs1", "uid": "1", "controller": True},
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs2", "uid": "", "controller": True},
    ]
    errors = texts(meta.validate_object_meta_for(obj(name="a", ownerReferences=refs)))
    assert errors[0] == 'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty'
    assert errors[1].startswith("metadata.ownerReferences: Invalid value: ")
    assert errors[1].endswith(
        'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/rs1 and '
        "ReplicaSet/rs2"
    )


def test_events_may_not_own_objects():
    ref = {"apiVersion": "v1", "kind": "Event", "name": "e", "uid": "1"}
    errors = texts(meta.validate_object_meta_for(obj(name="a", ownerReferences=[ref])))
    assert len(errors) == 1 and errors[0].endswith(": /v1, Kind=Event is disallowed from being an owner")


def test_finalizers():
    errors = texts(meta.validate_object_meta_for(obj(name="a", finalizers=["orphan", "foregroundDeletion", "mine"])))
    assert errors == [
        'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion", "mine"}: '
        "finalizer orphan and foregroundDeletion cannot be both set",
        'metadata.finalizers[2]: Invalid value: "mine": name is neither a standard finalizer name nor is it fully '
        "qualified",
    ]
    assert meta.validate_object_meta_for(obj(name="a", finalizers=["example.com/cleanup", "kubernetes"])) == []


def stored(**metadata):
    base = {"name": "web", "namespace": "default", "uid": "u1", "resourceVersion": "5",
            "creationTimestamp": "2025-01-02T03:04:05Z"}
    base.update(metadata)
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": base}


def test_update_of_unchanged_metadata_is_valid():
    assert meta.validate_object_meta_update(stored(), stored()) == []


def test_update_immutable_fields():
    new = stored(name="web2", uid="u2", creationTimestamp="2025-02-02T00:00:00Z")
    assert texts(meta.validate_object_meta_update(new, stored())) == [
        'metadata.name: Invalid value: "web2": field is immutable',
        'metadata.uid: Invalid value: "u2": field is immutable',
        "metadata.creationTimestamp: Invalid value: 2025-02-02 00:00:00 +0000 UTC: field is immutable",
    ]


def test_update_requires_resource_version_and_keeps_generation():
    new = stored(resourceVersion="", generation=1)
    assert texts(meta.validate_object_meta_update(new, stored(generation=2))) == [
        'metadata.resourceVersion: Invalid value: "": must be specified for an update',
        "metadata.generation: Invalid value: 1: must not be decremented",
    ]


def test_no_new_finalizers_while_deleting():
    old = stored(deletionTimestamp="2025-03-01T00:00:00Z", finalizers=["kubernetes"])
    new = stored(deletionTimestamp="2025-03-01T00:00:00Z", finalizers=["kubernetes", "example.com/x"])
    assert texts(meta.validate_object_meta_update(new, old)) == [
        "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new "
        'finalizers []string{"example.com/x"}'
    ]


def test_namespace_spec_finalizers():
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"},
          "spec": {"finalizers": ["kubernetes", "custom"]}}
    assert texts(meta.VALIDATORS["Namespace"].create(ns)) == [
        'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified'
    ]


def event(namespace="default", involved_ns="default", **fields):
    return {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e1", "namespace": namespace},
            "involvedObject": {"kind": "Pod", "name": "p", "namespace": involved_ns}, **fields}


def test_core_event_namespace_must_match_involved_object():
    assert meta.VALIDATORS["Event"].create(event()) == []
    assert texts(meta.VALIDATORS["Event"].create(event(involved_ns="other"))) == [
        'involvedObject.namespace: Invalid value: "other": does not match event.namespace'
    ]


def test_new_style_events_need_reporting_fields():
    errors = texts(meta.VALIDATORS["Event"].create(event(eventTime="2025-01-01T00:00:00.000000Z")))
    assert errors == [
        "reportingController: Required value",
        'reportingController: Invalid value: "": name part must be non-empty',
        "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or "
        "'.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
        "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "reportingInstance: Required value",
        "action: Required value",
        "reason: Required value",
    ]


def test_events_k8s_io_events_are_validated_strictly():
    ev = {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "e1", "namespace": "default"},
          "regarding": {"kind": "Pod", "name": "p", "namespace": "default"}, "eventTime": "2025-01-01T00:00:00Z",
          "reportingController": "example.com/ctl", "reportingInstance": "ctl-1", "action": "Pull",
          "reason": "Pulled", "type": "Info"}
    assert texts(meta.VALIDATORS["Event"].create(ev)) == ['type: Invalid value: "": has invalid value: Info']
