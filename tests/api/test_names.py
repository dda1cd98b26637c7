"""Name and label syntax, worded exactly as apimachinery v0.33 words it.

Wording from k8s.io/apimachinery v0.33.1 pkg/util/validation/validation.go (IsQualifiedName,
IsValidLabelValue, IsDNS1123Label, IsDNS1123Subdomain, IsDNS1035Label, IsCIdentifier, IsEnvVarName,
IsRelaxedEnvVarName, IsConfigMapKey, IsValidPortNum, IsValidPortName, IsValidPercent, RegexError),
pkg/util/validation/ip.go (IsValidIP, IsValidIPForLegacyField), pkg/api/validation/generic.go
(NameIsDNSSubdomain, maskTrailingDash), pkg/api/validation/objectmeta.go (ValidateAnnotations) and
pkg/apis/meta/v1/validation/validation.go (ValidateLabels, ValidateLabelSelector).
"""

from __future__ import annotations

import pytest

from k8scourse.api import names

# validation.go: the regex error texts, including RegexError's double space before "or".
SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
DNS1035_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
    "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
QNAME_PART = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
    "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
    "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)


@pytest.mark.parametrize("value", ["web", "my-app.example.com", "a", "0abc"])
def test_dns1123_subdomain_accepts(value):
    assert names.is_dns1123_subdomain(value) == []


def test_dns1123_subdomain_rejects_uppercase_and_length():
    assert names.is_dns1123_subdomain("My_App") == [SUBDOMAIN_MSG]
    assert names.is_dns1123_subdomain("a" * 254) == ["must be no more than 253 characters"]


def test_dns1123_subdomain_ignores_trailing_newline_like_go():
    # Go's `$` never matches before a final newline.
    assert names.is_dns1123_subdomain("web\n") == [SUBDOMAIN_MSG]


def test_dns1123_label():
    assert names.is_dns1123_label("nginx") == []
    assert names.is_dns1123_label("Nginx") == [LABEL_MSG]
    # v1.33 reports a valid subdomain with dots this way.
    assert names.is_dns1123_label("my.ns") == ["must not contain dots"]
    assert names.is_dns1123_label("a" * 64) == ["must be no more than 63 characters"]


def test_dns1035_label():
    assert names.is_dns1035_label("my-svc") == []
    assert names.is_dns1035_label("1svc") == [DNS1035_MSG]


def test_qualified_name():
    assert names.is_qualified_name("app.kubernetes.io/name") == []
    assert names.is_qualified_name("a b") == ["name part " + QNAME_PART]
    assert names.is_qualified_name("/name") == ["prefix part must be non-empty"]
    assert names.is_qualified_name("example.com/") == ["name part must be non-empty", "name part " + QNAME_PART]
    assert names.is_qualified_name("Example.com/x") == ["prefix part " + SUBDOMAIN_MSG]
    assert names.is_qualified_name("a" * 64) == ["name part must be no more than 63 characters"]
    assert names.is_qualified_name("a/b/c") == [
        "a qualified name " + QNAME_PART + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
    ]


def test_label_value():
    assert names.is_valid_label_value("") == []
    assert names.is_valid_label_value("v1.2_x") == []
    assert names.is_valid_label_value("-bad") == [LABEL_VALUE_MSG]
    assert names.is_valid_label_value("a" * 64) == ["must be no more than 63 characters"]


def test_c_identifier():
    assert names.is_c_identifier("MY_VAR") == []
    assert names.is_c_identifier("1x") == [
        "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric "
        "characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is "
        "'[A-Za-z_][A-Za-z0-9_]*')"
    ]


def test_env_var_names_are_relaxed_in_v1_33():
    # IsRelaxedEnvVarName: RelaxedEnvironmentVariableValidation is on by default in v1.33.
    assert names.is_env_var_name("1st.var-name") == []
    assert names.is_env_var_name("A=B") == [
        "a valid environment variable name must consist only of printable ASCII characters other than '='"
    ]
    assert names.is_relaxed_env_var_name("") == ["environment variable name must be non-empty"]


def test_strict_env_var_name():
    assert names.is_strict_env_var_name("1x") == [
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and "
        "must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for "
        "validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
    ]
    assert names.is_strict_env_var_name("..x") == ["must not start with '..'"]


def test_config_map_key():
    assert names.is_config_map_key("app.properties") == []
    assert names.is_config_map_key("a/b") == [
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
        "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
    ]
    assert names.is_config_map_key(".") == ["must not be '.'"]
    assert names.is_config_map_key("..") == ["must not be '..'"]


def test_ports():
    assert names.is_valid_port_num(80) == []
    assert names.is_valid_port_num(0) == ["must be between 1 and 65535, inclusive"]
    assert names.is_valid_port_name("http") == []
    assert names.is_valid_port_name("80") == ["must contain at least one letter (a-z)"]
    assert names.is_valid_port_name("a--b") == ["must not contain consecutive hyphens"]
    assert names.is_valid_port_name("-Web-") == [
        "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        "must not begin or end with a hyphen",
    ]
    assert names.is_valid_port_name("a" * 16) == ["must be no more than 15 characters"]


def test_percent():
    assert names.is_valid_percent("25%") == []
    assert names.is_valid_percent("25") == [
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex "
        "used for validation is '[0-9]+%')"
    ]


def test_ip_addresses():
    assert names.is_valid_ip("10.0.0.1") == []
    assert names.is_valid_ip("2001:db8::1") == []
    assert names.is_valid_ip("10.0.0") == ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"]
    assert names.is_valid_ip("010.0.0.1") == ["must not have leading 0s"]
    assert names.is_valid_ip("::ffff:1.2.3.4") == ["must not be an IPv4-mapped IPv6 address"]
    assert names.is_valid_ip("2001:DB8::1") == ['must be in canonical form ("2001:db8::1")']
    # Legacy fields keep accepting leading zeros while StrictIPCIDRValidation is off (v1.33).
    assert names.is_valid_ip_for_legacy_field("010.0.0.1") == []


def test_name_rules_mask_a_trailing_dash_for_generate_name():
    assert names.name_is_dns_subdomain("web-", True) == []
    assert names.name_is_dns_subdomain("web-", False) == [SUBDOMAIN_MSG]
    # maskTrailingDash drops the character before the dash too, as Go does.
    assert names.mask_trailing_dash("ab-") == "aa"
    assert names.name_is_dns1035_label("svc-", True) == []
    assert names.name_is_dns_label("a.b-", True) == ["must not contain dots"]


def test_validate_labels_reports_at_the_map_path():
    errors = names.validate_labels({"app": "web", "bad key": "ok", "tier": "-x"}, "metadata.labels")
    assert [str(e) for e in errors] == [
        'metadata.labels: Invalid value: "bad key": name part ' + QNAME_PART,
        'metadata.labels: Invalid value: "-x": ' + LABEL_VALUE_MSG,
    ]


def test_validate_annotations_keys_and_total_size():
    assert names.validate_annotations({"Example.com/Note": "x"}, "metadata.annotations") == []
    errors = names.validate_annotations({"a": "x" * (256 * 1024)}, "metadata.annotations")
    # objectmeta.go: field.TooLong(fldPath, "", TotalAnnotationSizeLimitB)
    assert [str(e) for e in errors] == ["metadata.annotations: Too long: may not be more than 262144 bytes"]


def test_validate_label_selector():
    selector = {
        "matchLabels": {"app": "web"},
        "matchExpressions": [
            {"key": "tier", "operator": "In", "values": []},
            {"key": "env", "operator": "Exists", "values": ["x"]},
            {"key": "zone", "operator": "Near"},
        ],
    }
    assert [str(e) for e in names.validate_label_selector(selector, "spec.selector")] == [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or "
        "'DoesNotExist'",
        'spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a valid selector operator',
    ]
