"""The apiserver's decoding step: learners' type mistakes and typos, worded as kube-apiserver 1.33 words them.

Wording sources: transformDecodeError in k8s.io/apiserver/pkg/endpoints/handlers/rest.go (`<Kind> in version
"<v>" cannot be handled as a <Kind>: ...`), runtime.NewStrictDecodingError in
k8s.io/apimachinery/pkg/runtime/error.go (`strict decoding error: ...`), sigs.k8s.io/json (encoding/json
fork: UnmarshalTypeError, `unknown field "..."`), resource/quantity.go, encoding/base64, time/format.go.
"""

from __future__ import annotations

import copy
import csv
from pathlib import Path

import pytest

from k8scourse.api.decoding import base64_error, decode, rfc3339_error
from k8scourse.api.errors import ApiError, K8sError, KindNotFoundError
from k8scourse.api.manifests import load_manifests
from k8scourse.api.quantity import QuantityError, parse_quantity

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {
        "replicas": 2,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {
                "containers": [
                    {"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
                     "resources": {"limits": {"memory": "128Mi", "cpu": "500m"}}}
                ]
            },
        },
    },
}
HEAD = 'Deployment in version "v1" cannot be handled as a Deployment: '


def _deployment(**changes) -> dict:
    obj = copy.deepcopy(DEPLOYMENT)
    container = obj["spec"]["template"]["spec"]["containers"][0]
    for key, value in changes.items():
        if key == "container":
            container.update(value)
        else:
            obj["spec"][key] = value
    return obj


def _refusal(obj: dict, field_validation: str = "Strict") -> ApiError:
    with pytest.raises(ApiError) as info:
        decode(obj, field_validation)
    assert info.value.code == 400 and info.value.reason == "BadRequest"
    return info.value


def test_valid_object_comes_back_unchanged():
    assert decode(copy.deepcopy(DEPLOYMENT)) == (DEPLOYMENT, [])


def test_typo_in_field_name_is_a_strict_decoding_error():
    err = _refusal(_deployment(container={"imagee": "nginx"}))
    assert err.message == HEAD + 'strict decoding error: unknown field "spec.template.spec.containers[0].imagee"'


def test_several_unknown_fields_are_listed_in_order():
    err = _refusal(_deployment(replica=3, container={"imagee": "nginx"}))
    assert err.message == HEAD + (
        'strict decoding error: unknown field "spec.replica", unknown field "spec.template.spec.containers[0].imagee"'
    )


def test_warn_drops_unknown_fields_and_returns_warnings():
    cleaned, warnings = decode(_deployment(foo=1), "Warn")
    assert warnings == ['unknown field "spec.foo"']
    assert "foo" not in cleaned["spec"]


def test_ignore_drops_unknown_fields_silently():
    cleaned, warnings = decode(_deployment(foo=1), "Ignore")
    assert warnings == [] and "foo" not in cleaned["spec"]


def test_replicas_as_a_string():
    err = _refusal(_deployment(replicas="3"))
    assert err.message == HEAD + (
        "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"
    )


def test_container_port_as_a_string_has_no_indices_in_the_field():
    # encoding/json's errorContext.FieldStack holds field names only
    err = _refusal(_deployment(container={"ports": [{"containerPort": "80"}]}))
    assert err.message == HEAD + (
        "json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort"
        " of type int32"
    )


def test_fractional_replicas():
    err = _refusal(_deployment(replicas=1.5))
    assert err.message.endswith("json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32")


def test_int32_overflow():
    err = _refusal(_deployment(replicas=3_000_000_000))
    assert err.message.endswith("cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32")


def test_unquoted_yes_label_is_refused():
    obj = load_manifests("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    enabled: yes\n")[0].object
    err = _refusal(obj)
    assert err.message == (
        'Pod in version "v1" cannot be handled as a Pod: '
        "json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string"
    )


def test_ports_as_a_single_object_instead_of_a_list():
    err = _refusal(_deployment(container={"ports": {"containerPort": 80}}))
    assert err.message.endswith(
        "json: cannot unmarshal object into Go struct field Container.spec.template.spec.containers.ports of type []v1.ContainerPort"
    )


def test_type_errors_win_over_unknown_fields():
    # serializer/json/json.go unmarshal: a decoding error is returned before strict errors
    err = _refusal(_deployment(replicas="3", foo=1))
    assert "strict decoding error" not in err.message and "spec.replicas of type int32" in err.message


def test_int_or_string_rejects_a_bool():
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
               "spec": {"ports": [{"port": 80, "targetPort": True}]}}
    assert _refusal(service).message == (
        'Service in version "v1" cannot be handled as a Service: '
        "json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32"
    )


def test_int_or_string_accepts_names_and_numbers():
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
               "spec": {"ports": [{"port": 80, "targetPort": "http"}, {"port": 81, "targetPort": 8081}]}}
    assert decode(service)[0] == service


def test_bad_quantity():
    err = _refusal(_deployment(container={"resources": {"limits": {"memory": "1Gb"}}}))
    assert err.message == HEAD + (
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    )


@pytest.mark.parametrize(
    ("text", "error"),
    [("128Mi", ""), ("0.5", ""), ("500m", ""), ("1e3", ""), ("1E", ""), ("1Gb", "quantities must match"),
     ("", "quantities must match"), ("1.2.3", "quantities must match"), ("5Zi", "quantities must match"), ("5iK", "unable to parse quantity's suffix"),
     ("12345678901234567890", "")],
)
def test_parse_quantity(text, error):
    def quantity_error(text: str) -> str:
        try:
            parse_quantity(text)
        except QuantityError as exc:
            return str(exc)
        return ""

    assert quantity_error(text).startswith(error) and bool(quantity_error(text)) == bool(error)


def test_secret_data_not_base64():
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"password": "admin"}}
    assert _refusal(secret).message == (
        'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4'
    )


@pytest.mark.parametrize(
    ("text", "offset"),
    [("YWRtaW4=", None), ("YWRt\naW4=", None), ("admin", 4), ("YWRtaW4", 4), ("YW=taW4=", 2), ("YQ==x", 4),
     ("=", 0), ("a b", 1)],
)
def test_go_base64_offsets(text, offset):
    expected = "" if offset is None else f"illegal base64 data at input byte {offset}"
    assert base64_error(text) == expected


def test_bad_timestamp():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "creationTimestamp": "yesterday"}}
    assert _refusal(pod).message == (
        'Pod in version "v1" cannot be handled as a Pod: '
        'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"'
    )


def test_null_timestamp_is_accepted_and_dropped():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "creationTimestamp": None}}
    assert decode(pod)[0] == {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}


@pytest.mark.parametrize(
    ("text", "error"),
    [("2024-05-01T10:00:00Z", ""), ("2024-05-01T10:00:00.123+02:00", ""),
     ("2024-13-01T10:00:00Z", 'parsing time "2024-13-01T10:00:00Z": month out of range'),
     ("2024-02-30T10:00:00Z", 'parsing time "2024-02-30T10:00:00Z": day out of range'),
     ("2024-05-01", 'parsing time "2024-05-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"')],
)
def test_rfc3339(text, error):
    assert rfc3339_error(text) == error


def test_unknown_kind():
    with pytest.raises(KindNotFoundError):
        decode({"apiVersion": "extensions/v1beta1", "kind": "Deployment"})


def test_unsupported_field_validation_value():
    # apiserver handlers/rest.go fieldValidation: unsupported values are a 400
    err = _refusal(DEPLOYMENT, "Loud")
    assert err.message.startswith("fieldValidation parameter unsupported: Loud")


# ---------------------------------------------------------------------------------------------------
# Robustness: every example manifest of the Kubernetes documentation loads and decodes, or is refused
# with a Kubernetes-worded error, never a Python exception.
# ---------------------------------------------------------------------------------------------------

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


def _corpus_files() -> list[Path]:
    listing = CORPUS / "k8s-website-examples.manifest.tsv"
    if not listing.exists():
        return []
    with listing.open() as f:
        return [CORPUS / "k8s-website-examples" / row["path"] for row in csv.DictReader(f, delimiter="\t")]


@pytest.mark.skipif(not _corpus_files(), reason="the shared manifest corpus (../shared/corpus) is not present")
def test_documentation_examples_decode_or_fail_cleanly():
    decoded = refused = 0
    for path in _corpus_files():
        try:
            documents = load_manifests(path)
        except K8sError:
            refused += 1
            continue
        for document in documents:
            try:
                cleaned, _ = decode(document.object)
            except K8sError:
                refused += 1
                continue
            assert cleaned["kind"] == document.object["kind"]
            decoded += 1
    assert decoded > 400 and refused < 100
