"""ConfigMap and Secret validation, worded as kube-apiserver words it.

Wording from pkg/apis/core/validation/validation.go (ValidateConfigMap, ValidateConfigMapUpdate,
ValidateSecret, ValidateSecretUpdate), k8s.io/apimachinery/pkg/util/validation (IsConfigMapKey) and
Go's encoding/json scanner errors (dockerconfigjson contents).
"""

from __future__ import annotations

import base64

from k8scourse.api.validation import config


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def cm(**fields):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, **fields}


def secret(secret_type="Opaque", data=None, **fields):
    obj = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds"}, "type": secret_type, **fields}
    if data is not None:
        obj["data"] = {k: b64(v) for k, v in data.items()}
    return obj


def texts(errors):
    return [str(e) for e in errors]


def test_config_map_key_syntax():
    errs = texts(config.validate_config_map(cm(data={"db url": "x", "ok.key": "y"})))
    assert errs == [
        'data[db url]: Invalid value: "db url": a valid config key must consist of alphanumeric characters, '
        "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
        "'[-._a-zA-Z0-9]+')"
    ]


def test_config_map_key_in_both_bags():
    errs = texts(config.validate_config_map(cm(data={"a": "1"}, binaryData={"a": b64("1")})))
    assert errs == ['data[a]: Invalid value: "a": duplicate of key present in binaryData']


def test_config_map_total_size():
    big = "x" * (1024 * 1024 + 1)
    assert texts(config.validate_config_map(cm(data={"big": big}))) == [": Too long: may not be more than 1048576 bytes"]
    assert config.validate_config_map(cm(data={"fits": "x" * 1024 * 1024})) == []


def test_immutable_config_map():
    old = cm(data={"a": "1"}, immutable=True)
    assert config.validate_config_map_update(cm(data={"a": "1"}, immutable=True, metadata={"name": "x"}), old) == []
    assert texts(config.validate_config_map_update(cm(data={"a": "2"}, immutable=True), old)) == [
        "data: Forbidden: field is immutable when `immutable` is set"
    ]
    assert texts(config.validate_config_map_update(cm(data={"a": "1"}), old)) == [
        "immutable: Forbidden: field is immutable when `immutable` is set"
    ]


def test_mutable_config_map_may_change():
    assert config.validate_config_map_update(cm(data={"a": "2"}), cm(data={"a": "1"})) == []


def test_tls_secret_needs_cert_and_key():
    assert texts(config.validate_secret(secret("kubernetes.io/tls", {"tls.crt": "CERT"}))) == [
        "data[tls.key]: Required value"
    ]
    assert config.validate_secret(secret("kubernetes.io/tls", {"tls.crt": "C", "tls.key": "K"})) == []


def test_string_data_counts_as_data():
    obj = secret("kubernetes.io/tls", {"tls.crt": "CERT"}, stringData={"tls.key": "KEY"})
    assert config.validate_secret(obj) == []


def test_basic_auth_needs_username_or_password():
    assert texts(config.validate_secret(secret("kubernetes.io/basic-auth", {}))) == [
        "data[username]: Required value",
        "data[password]: Required value",
    ]
    assert config.validate_secret(secret("kubernetes.io/basic-auth", {"password": ""})) == []


def test_dockerconfigjson_must_be_json_object():
    assert texts(config.validate_secret(secret("kubernetes.io/dockerconfigjson", {}))) == [
        "data[.dockerconfigjson]: Required value"
    ]
    errs = texts(config.validate_secret(secret("kubernetes.io/dockerconfigjson", {".dockerconfigjson": "{auths"})))
    assert errs == [
        'data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": '
        "invalid character 'a' looking for beginning of object key string"
    ]
    ok = secret("kubernetes.io/dockerconfigjson", {".dockerconfigjson": '{"auths": {}}'})
    assert config.validate_secret(ok) == []


def test_go_json_errors():
    assert config.go_json_error(b'{"auths": ') == "unexpected end of JSON input"
    assert config.go_json_error(b"[]") == "json: cannot unmarshal array into Go value of type map[string]interface {}"
    assert config.go_json_error(b'{"a":1}}') == "invalid character '}' after top-level value"


def test_service_account_token_needs_annotation():
    assert texts(config.validate_secret(secret("kubernetes.io/service-account-token", {}))) == [
        "metadata.annotations[kubernetes.io/service-account.name]: Required value"
    ]


def test_ssh_auth_needs_private_key():
    assert texts(config.validate_secret(secret("kubernetes.io/ssh-auth", {}))) == ["data[ssh-privatekey]: Required value"]


def test_secret_size_counts_decoded_bytes():
    big = secret("Opaque", {"big": "x" * (1024 * 1024 + 1)})
    assert texts(config.validate_secret(big)) == ["data: Too long: may not be more than 1048576 bytes"]


def test_secret_type_is_immutable():
    errs = texts(config.validate_secret_update(secret("kubernetes.io/basic-auth", {"username": "u"}), secret("Opaque", {})))
    assert errs == ['type: Invalid value: "kubernetes.io/basic-auth": field is immutable']


def test_immutable_secret():
    old = secret("Opaque", {"a": "1"}, immutable=True)
    assert texts(config.validate_secret_update(secret("Opaque", {"a": "2"}, immutable=True), old)) == [
        "data: Forbidden: field is immutable when `immutable` is set"
    ]
    assert texts(config.validate_secret_update(secret("Opaque", {"a": "1"}, immutable=False), old)) == [
        "immutable: Forbidden: field is immutable when `immutable` is set"
    ]
    assert config.validate_secret_update(secret("Opaque", {"a": "1"}, immutable=True), old) == []
