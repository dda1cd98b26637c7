"""Label and field selectors: parsing, matching, printing and the apiserver's refusals.

Wording and behaviour sources (k8s.io/apimachinery v0.33): pkg/labels/selector.go (lexer, parser,
NewRequirement, Requirement.String), pkg/labels/labels.go (FormatLabels), pkg/apis/meta/v1/helpers.go
(LabelSelectorAsSelector), pkg/apis/meta/v1/validation/validation.go (ValidateLabelSelector),
pkg/fields/selector.go (ParseSelector, EscapeValue, UnescapeValue), pkg/runtime/conversion.go
(DefaultMetaV1FieldSelectorConversion); kubernetes v1.33: pkg/apis/core/v1/conversion.go,
pkg/apis/batch/v1/conversion.go, pkg/apis/events/v1/conversion.go (field label conversions),
pkg/registry/*/strategy.go (GetAttrs / ToSelectableFields), and
staging/src/k8s.io/apiserver/pkg/endpoints/handlers/get.go (400 BadRequest with the error text).
"""

from __future__ import annotations

import pytest

from k8scourse.api.errors import ApiError
from k8scourse.api.selectors import (
    EVERYTHING,
    NOTHING,
    FieldSelector,
    LabelSelector,
    SelectorError,
    check_field_selector,
    escape_field_value,
    format_labels,
    label_selector_from_query,
    new_requirement,
    object_fields,
    parse_field_selector,
    parse_label_selector,
    selector_from_dict,
    selector_from_map,
    validate_label_selector,
)

# IsQualifiedName's message for a bad name part (pkg/util/validation/validation.go, RegexError).
QNAME_MSG = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
    "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)


def parse_error(text: str) -> str:
    with pytest.raises(SelectorError) as info:
        parse_label_selector(text)
    return str(info.value)


# --- label selector syntax: String() after parsing (selector_test.go TestSelectorParse / String) ---


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("", ""),
        ("app=nginx", "app=nginx"),
        ("app==nginx", "app==nginx"),
        ("app!=nginx", "app!=nginx"),
        ("tier in (b,a),app=nginx", "app=nginx,tier in (a,b)"),  # sorted by key, values sorted
        ("env notin (prod)", "env notin (prod)"),
        ("env", "env"),
        ("!env", "!env"),
        ("  a = b ,  c  ", "a=b,c"),
        ("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()"),  # empty values, `()` is {""}
        ("a=", "a="),
        ("a in (in),b notin (notin)", "a in (in),b notin (notin)"),  # keywords are values in a set
        ("in=notin", "in=notin"),  # ... and a key
        ("a>1,b<2", "a>1,b<2"),
        ("example.com/app=web", "example.com/app=web"),
    ],
)
def test_parse_and_print(text: str, printed: str) -> None:
    assert str(parse_label_selector(text)) == printed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Parser.parse / parseRequirement / parseValues / parseIdentifiersList / parseExactValue
        ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
        ("x in (a", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("x in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"),
        ("x in (", "unable to parse requirement: found '', expected: ',', ')' or identifier"),
        ("x in (a,", "unable to parse requirement: found '', expected: ',', or identifier"),
        ("a in b", "unable to parse requirement: found 'b' expected: '('"),
        ("a=(b)", "unable to parse requirement: found '(', expected: identifier"),
        ("!", "unable to parse requirement: found '', expected: identifier"),
        ("a=b=c", "found '=', expected: ',' or 'end of string'"),
        ("x=a b", "found 'b', expected: ',' or 'end of string'"),
        ("!a=b", "found '=', expected: ',' or 'end of string'"),
        ("a,", "found '', expected: identifier after ','"),
        ("a,=b", "found '=', expected: identifier after ','"),
        ("=a", "found '=', expected: !, identifier, or 'end of string'"),
        (",", "found ',', expected: !, identifier, or 'end of string'"),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    assert parse_error(text) == message


def test_invalid_key_is_reported_at_nil_path() -> None:
    # parseKeyAndInferOperator validates the key with the parser's nil *field.Path: Go prints <nil>.
    assert parse_error("-foo") == f'unable to parse requirement: <nil>: Invalid value: "-foo": {QNAME_MSG}'


def test_invalid_value_is_reported_under_values() -> None:
    # NewRequirement: valuePath.Index(i).Key(key)
    assert parse_error("a=-b") == f'unable to parse requirement: values[0][a]: Invalid value: "-b": {LABEL_VALUE_MSG}'


def test_several_invalid_values_are_aggregated() -> None:
    # Values are sorted (sets.String.List) before NewRequirement; errors aggregate as `[e1, e2]`.
    assert parse_error("a in (-x,-y)") == (
        f'unable to parse requirement: [values[0][a]: Invalid value: "-x": {LABEL_VALUE_MSG}, '
        f'values[1][a]: Invalid value: "-y": {LABEL_VALUE_MSG}]'
    )


def test_gt_needs_an_integer() -> None:
    assert parse_error("a>b") == (
        "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, "
        "the value must be an integer"
    )


def test_label_selector_from_query_is_a_bad_request() -> None:
    with pytest.raises(ApiError) as info:
        label_selector_from_query("app in (web")
    assert info.value.code == 400
    assert info.value.reason == "BadRequest"
    assert info.value.message == "unable to parse requirement: found '', expected: ',' or ')'"


# --- matching (Requirement.Matches) ---


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        ("app=web", {"app": "web"}, True),
        ("app=web", {"app": "db"}, False),
        ("app=web", {}, False),
        ("app!=web", {}, True),  # != and notin match when the key is absent
        ("app notin (web,db)", {"tier": "x"}, True),
        ("app notin (web,db)", {"app": "db"}, False),
        ("app in (web,db)", {"app": "db"}, True),
        ("app", {"app": ""}, True),
        ("!app", {"app": ""}, False),
        ("!app", {"tier": "x"}, True),
        ("a=", {"a": ""}, True),
        ("a=", {}, False),
        ("n>5", {"n": "6"}, True),
        ("n>5", {"n": "5"}, False),
        ("n<5", {"n": "x"}, False),  # not an integer: no match
        ("n<5", {}, False),
        ("app=web,tier=fe", {"app": "web", "tier": "fe", "x": "y"}, True),
        ("app=web,tier=fe", {"app": "web"}, False),
        ("", {"anything": "x"}, True),
    ],
)
def test_matches(text: str, labels: dict[str, str], expected: bool) -> None:
    assert parse_label_selector(text).matches(labels) is expected


def test_matches_none_labels() -> None:
    assert parse_label_selector("!app").matches(None)
    assert not parse_label_selector("app").matches(None)


def test_empty_and_nothing() -> None:
    assert EVERYTHING.empty and EVERYTHING.matches({})
    assert not NOTHING.empty and not NOTHING.matches({})
    assert str(NOTHING) == ""
    assert not parse_label_selector("a").empty


def test_equalities_and_exact_match_for_indexing() -> None:
    sel = parse_label_selector("tier in (fe),app=web,env in (a,b),x!=y")
    assert sel.equalities == (("app", "web"), ("tier", "fe"))
    assert sel.requires_exact_match("app") == "web"
    assert sel.requires_exact_match("env") is None
    assert sel.requires_exact_match("missing") is None


# --- metav1.LabelSelector and map selectors ---


def test_selector_from_dict_none_and_empty() -> None:
    # LabelSelectorAsSelector: nil → labels.Nothing(), empty → labels.Everything()
    assert selector_from_dict(None) is NOTHING
    assert selector_from_dict({}) is EVERYTHING
    assert selector_from_dict({"matchLabels": {}, "matchExpressions": []}).empty


def test_selector_from_dict_prints_like_describe() -> None:
    sel = selector_from_dict({
        "matchLabels": {"app": "web"},
        "matchExpressions": [
            {"key": "tier", "operator": "In", "values": ["fe", "be"]},
            {"key": "canary", "operator": "DoesNotExist"},
            {"key": "env", "operator": "NotIn", "values": ["dev"]},
            {"key": "zone", "operator": "Exists"},
        ],
    })
    assert str(sel) == "app=web,!canary,env notin (dev),tier in (be,fe),zone"
    assert sel.matches({"app": "web", "tier": "fe", "zone": "a"})
    assert not sel.matches({"app": "web", "tier": "fe", "zone": "a", "canary": "1"})


def test_selector_from_dict_errors() -> None:
    with pytest.raises(SelectorError) as info:
        selector_from_dict({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]})
    assert str(info.value) == '"Gt" is not a valid label selector operator'
    with pytest.raises(SelectorError) as info:
        selector_from_dict({"matchExpressions": [{"key": "a", "operator": "In"}]})
    # append([]string(nil), expr.Values...) stays nil: %#v prints []string(nil)
    assert str(info.value) == "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"
    with pytest.raises(SelectorError) as info:
        selector_from_dict({"matchLabels": {"-a": "x"}})
    assert str(info.value) == f'key: Invalid value: "-a": {QNAME_MSG}'


def test_new_requirement_operator_rules() -> None:
    with pytest.raises(SelectorError) as info:
        new_requirement("a", "exists", ["x"])
    assert str(info.value) == 'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist'
    with pytest.raises(SelectorError) as info:
        new_requirement("a", "=", ["x", "y"])
    assert str(info.value) == 'values: Invalid value: []string{"x", "y"}: exact-match compatibility requires one single value'
    with pytest.raises(SelectorError) as info:
        new_requirement("a", "~", [])
    assert str(info.value) == (
        'operator: Unsupported value: "~": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", '
        '"exists", "!"'
    )


def test_selector_from_map() -> None:
    sel = selector_from_map({"tier": "fe", "app": "web"})
    assert str(sel) == "app=web,tier=fe"
    assert sel.matches({"app": "web", "tier": "fe"}) and not sel.matches({"app": "web"})
    # Controllers give a Service without selector no endpoints; SelectorFromSet itself means Everything.
    assert selector_from_map({}) is NOTHING and selector_from_map(None) is NOTHING
    assert selector_from_map({}, empty_matches_nothing=False) is EVERYTHING


def test_format_labels() -> None:
    # labels.FormatLabels sorts the `k=v` strings, not the keys: `a-b=` sorts before `a=`.
    assert format_labels({"a": "1", "a-b": "2"}) == "a-b=2,a=1"
    assert format_labels({}) == "<none>"
    assert format_labels(None) == "<none>"


def test_validate_label_selector() -> None:
    errors = validate_label_selector({
        "matchLabels": {"app": "-web"},
        "matchExpressions": [
            {"key": "a", "operator": "In"},
            {"key": "b", "operator": "Exists", "values": ["x"]},
            {"key": "c", "operator": "Gt", "values": ["1"]},
        ],
    }, "spec.selector")
    assert [str(e) for e in errors] == [
        f'spec.selector.matchLabels: Invalid value: "-web": {LABEL_VALUE_MSG}',
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        'spec.selector.matchExpressions[2].operator: Invalid value: "Gt": not a valid selector operator',
    ]
    assert validate_label_selector(None, "spec.selector") == []


# --- field selectors ---


def test_parse_field_selector_sorts_and_prints() -> None:
    sel = parse_field_selector("status.phase!=Running,metadata.name==web,spec.nodeName=minikube")
    assert str(sel) == "metadata.name=web,spec.nodeName=minikube,status.phase!=Running"
    assert sel.requires_exact_match("spec.nodeName") == "minikube"
    assert sel.requires_exact_match("status.phase") is None


def test_field_selector_escaping() -> None:
    sel = parse_field_selector(r"metadata.name=a\,b\=c\\d")
    assert sel.terms[0].value == "a,b=c\\d"
    assert str(sel) == r"metadata.name=a\,b\=c\\d"
    assert escape_field_value("x=y") == r"x\=y"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"),
        ("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"),
        ("a=b=c", "invalid field selector: unescaped character in value: 61"),  # Go prints the rune as %v
        ("a=b,c=d\\x", "invalid field selector: invalid escape sequence: \\x"),
        ("a=b\\", "invalid field selector: invalid escape sequence: \\"),
    ],
)
def test_field_selector_parse_errors(text: str, message: str) -> None:
    with pytest.raises(SelectorError) as info:
        parse_field_selector(text)
    assert str(info.value) == message


def test_field_selector_matching() -> None:
    fields = {"metadata.name": "web", "status.phase": "Running"}
    assert parse_field_selector("status.phase=Running").matches(fields)
    assert not parse_field_selector("status.phase!=Running").matches(fields)
    assert parse_field_selector("").matches(fields) and parse_field_selector("").empty
    assert parse_field_selector(",").empty
    # A field the object does not expose reads as "" (fields.Set.Get).
    assert parse_field_selector("status.podIPs=").matches(fields)
    assert FieldSelector().matches({})


def refused(kind: str, text: str, group: str = "") -> str:
    with pytest.raises(ApiError) as info:
        check_field_selector(kind, text, group)
    assert info.value.code == 400 and info.value.reason == "BadRequest"
    return info.value.message


def test_check_field_selector_refusals() -> None:
    assert refused("Pod", "spec.foo=1") == "field label not supported: spec.foo"
    assert refused("Node", "metadata.namespace=default") == "field label not supported: metadata.namespace"
    assert refused("Job", "status.failed=1", "batch") == 'field label "status.failed" not supported for batchv1.Job'
    # apps/v1 registers no conversion: the default refusal, even for status.replicas (kubernetes#135136).
    assert refused("ReplicaSet", "status.replicas=0", "apps") == (
        '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'
    )
    assert refused("Event", "regarding.name=x") == "field label not supported: regarding.name"
    assert refused("Pod", "metadata.name") == "invalid selector: 'metadata.name'; can't understand 'metadata.name'"


def test_check_field_selector_conversions() -> None:
    assert str(check_field_selector("Pod", "spec.host=minikube")) == "spec.nodeName=minikube"
    assert str(check_field_selector("Event", "regarding.name=web,reportingController=kubelet", "events.k8s.io")) == (
        "involvedObject.name=web,reportingComponent=kubelet"
    )
    assert str(check_field_selector("Deployment", "metadata.name=web", "apps")) == "metadata.name=web"
    assert check_field_selector("Pod", None).empty


# --- the fields each kind exposes (GetAttrs) ---


def test_pod_fields() -> None:
    pod = {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"nodeName": "minikube", "restartPolicy": "Always", "schedulerName": "default-scheduler",
                 "serviceAccountName": "default"},
        "status": {"phase": "Running", "podIP": "10.244.0.5", "podIPs": [{"ip": "10.244.0.5"}]},
    }
    assert object_fields(pod) == {
        "metadata.name": "web", "metadata.namespace": "default", "spec.nodeName": "minikube",
        "spec.restartPolicy": "Always", "spec.schedulerName": "default-scheduler",
        "spec.serviceAccountName": "default", "spec.hostNetwork": "false", "status.phase": "Running",
        "status.podIP": "10.244.0.5", "status.nominatedNodeName": "",
    }
    selector = check_field_selector("Pod", "status.phase=Running,spec.host=minikube")
    assert selector.matches(object_fields(pod))


def test_cluster_scoped_kinds_have_no_namespace_field() -> None:
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "minikube"}, "spec": {"unschedulable": True}}
    assert object_fields(node) == {"metadata.name": "minikube", "spec.unschedulable": "true"}
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}, "status": {"phase": "Active"}}
    assert object_fields(ns) == {"metadata.name": "dev", "status.phase": "Active", "name": "dev"}


def test_other_kinds_fields() -> None:
    meta = {"name": "x", "namespace": "default"}
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "type": "Opaque"}
    assert object_fields(secret)["type"] == "Opaque"
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.10"}}
    assert object_fields(svc)["spec.clusterIP"] == "10.96.0.10"
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "status": {"succeeded": 1}}
    assert object_fields(job)["status.successful"] == "1"
    rc = {"apiVersion": "v1", "kind": "ReplicationController", "metadata": meta, "status": {}}
    assert object_fields(rc)["status.replicas"] == "0"
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}
    assert object_fields(cm) == {"metadata.name": "x", "metadata.namespace": "default"}


def test_event_fields_core_and_events_v1() -> None:
    core = {
        "apiVersion": "v1", "kind": "Event", "metadata": {"name": "e", "namespace": "default"},
        "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default"},
        "reason": "Scheduled", "type": "Normal", "source": {"component": "default-scheduler"},
    }
    fields = object_fields(core)
    assert fields["involvedObject.name"] == "web" and fields["source"] == "default-scheduler"
    assert fields["involvedObject.uid"] == "" and fields["reportingComponent"] == ""
    v1 = {
        "apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "e", "namespace": "default"},
        "regarding": {"kind": "Pod", "name": "web"}, "reportingController": "kubelet", "reason": "Pulled",
        "type": "Normal",
    }
    fields = object_fields(v1)
    assert fields["involvedObject.name"] == "web"
    assert fields["source"] == "kubelet" and fields["reportingComponent"] == "kubelet"
    assert check_field_selector("Event", "regarding.kind=Pod", "events.k8s.io").matches(fields)


def test_label_selector_is_hashable_value() -> None:
    assert parse_label_selector("b=2,a=1") == LabelSelector(parse_label_selector("a=1,b=2").requirements)
    assert len({parse_label_selector("a=1"), parse_label_selector("a=1")}) == 1
