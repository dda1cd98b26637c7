"""Name and label syntax of the Kubernetes API: DNS names, qualified names, label values, ports, IPs.

Called by every validation module (object names, container names, label keys and values, port names,
env var names, ConfigMap keys) and by label-selector parsing. Each `is_*` function returns the exact
list of messages Go returns (empty when valid), from k8s.io/apimachinery v0.33
pkg/util/validation/validation.go and ip.go; `validate_*` functions build field errors as
pkg/apis/meta/v1/validation and pkg/api/validation do. Lengths are counted in bytes, as Go's len() does.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from typing import Any

from .errors import FieldError, forbidden, invalid, required, too_long

# --- message builders (validation.go) ---------------------------------------------------------------


def max_len_error(length: int) -> str:
    """Go's MaxLenError."""
    return f"must be no more than {length} characters"


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """Go's RegexError, including its double space before `or` (`'my-name',  or '123-abc'`)."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    text = msg + " (e.g. "
    for i, example in enumerate(examples):
        if i > 0:
            text += " or "
        text += f"'{example}', "
    return text + f"regex used for validation is '{fmt}')"


def empty_error() -> str:
    """Go's EmptyError."""
    return "must be non-empty"


def inclusive_range_error(lo: int, hi: int) -> str:
    """Go's InclusiveRangeError."""
    return f"must be between {lo} and {hi}, inclusive"


def _blen(value: str) -> int:
    return len(value.encode("utf-8"))


def _matches(pattern: re.Pattern[str], value: str) -> bool:
    # Go anchors with ^...$, where $ never matches before a trailing newline: use fullmatch.
    return pattern.fullmatch(value) is not None


# --- qualified names and label values -----------------------------------------------------------------

_QNAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_QNAME_ERR = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
)
_QNAME_MAX = 63
_QNAME_RE = re.compile(_QNAME_FMT)


def is_qualified_name(value: str) -> list[str]:
    """IsQualifiedName: `[prefix/]name`, prefix a DNS-1123 subdomain, name at most 63 characters."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part " + empty_error())
        else:
            errs += ["prefix part " + m for m in is_dns1123_subdomain(prefix)]
    else:
        return [
            "a qualified name "
            + regex_error(_QNAME_ERR, _QNAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errs.append("name part " + empty_error())
    elif _blen(name) > _QNAME_MAX:
        errs.append("name part " + max_len_error(_QNAME_MAX))
    if not _matches(_QNAME_RE, name):
        errs.append("name part " + regex_error(_QNAME_ERR, _QNAME_FMT, "MyName", "my.name", "123-abc"))
    return errs


_LABEL_VALUE_FMT = "(" + _QNAME_FMT + ")?"
_LABEL_VALUE_ERR = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
LABEL_VALUE_MAX_LENGTH = 63
_LABEL_VALUE_RE = re.compile(_LABEL_VALUE_FMT)


def is_valid_label_value(value: str) -> list[str]:
    """IsValidLabelValue: empty, or a qualified name part of at most 63 characters."""
    errs: list[str] = []
    if _blen(value) > LABEL_VALUE_MAX_LENGTH:
        errs.append(max_len_error(LABEL_VALUE_MAX_LENGTH))
    if not _matches(_LABEL_VALUE_RE, value):
        errs.append(regex_error(_LABEL_VALUE_ERR, _LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


# --- DNS names ------------------------------------------------------------------------------------------

_DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL_ERR = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
DNS1123_LABEL_MAX_LENGTH = 63
_DNS1123_LABEL_RE = re.compile(_DNS1123_LABEL_FMT)

_DNS1123_SUBDOMAIN_FMT = _DNS1123_LABEL_FMT + "(\\." + _DNS1123_LABEL_FMT + ")*"
_DNS1123_SUBDOMAIN_ERR = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)
DNS1123_SUBDOMAIN_MAX_LENGTH = 253
_DNS1123_SUBDOMAIN_RE = re.compile(_DNS1123_SUBDOMAIN_FMT)

_DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
_DNS1035_LABEL_ERR = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
    "start with an alphabetic character, and end with an alphanumeric character"
)
DNS1035_LABEL_MAX_LENGTH = 63
_DNS1035_LABEL_RE = re.compile(_DNS1035_LABEL_FMT)

_WILDCARD_FMT = "\\*\\." + _DNS1123_SUBDOMAIN_FMT
_WILDCARD_ERR = (
    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist "
    "of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character"
)
_WILDCARD_RE = re.compile(_WILDCARD_FMT)


def is_dns1123_label(value: str) -> list[str]:
    """IsDNS1123Label (at most 63 characters; a valid subdomain with dots gets `must not contain dots`)."""
    errs: list[str] = []
    if _blen(value) > DNS1123_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_LABEL_MAX_LENGTH))
    if not _matches(_DNS1123_LABEL_RE, value):
        if _matches(_DNS1123_SUBDOMAIN_RE, value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(_DNS1123_LABEL_ERR, _DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str) -> list[str]:
    """IsDNS1123Subdomain (at most 253 characters)."""
    errs: list[str] = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _matches(_DNS1123_SUBDOMAIN_RE, value):
        errs.append(regex_error(_DNS1123_SUBDOMAIN_ERR, _DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


_DNS1123_SUBDOMAIN_UNDERSCORE_ERR = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', "
    "and must start and end with an alphanumeric character"
)
_DNS1123_SUBDOMAIN_UNDERSCORE_RE = re.compile(
    "_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*"
)


def is_dns1123_subdomain_with_underscore(value: str) -> list[str]:
    """IsDNS1123SubdomainWithUnderscore (dnsConfig.searches); Go's message quotes the plain subdomain regex."""
    errs: list[str] = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _matches(_DNS1123_SUBDOMAIN_UNDERSCORE_RE, value):
        errs.append(regex_error(_DNS1123_SUBDOMAIN_UNDERSCORE_ERR, _DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_dns1035_label(value: str) -> list[str]:
    """IsDNS1035Label (starts with a letter, at most 63 characters)."""
    errs: list[str] = []
    if _blen(value) > DNS1035_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1035_LABEL_MAX_LENGTH))
    if not _matches(_DNS1035_LABEL_RE, value):
        errs.append(regex_error(_DNS1035_LABEL_ERR, _DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_wildcard_dns1123_subdomain(value: str) -> list[str]:
    """IsWildcardDNS1123Subdomain (`*.example.com`), used by Ingress hosts."""
    errs: list[str] = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _matches(_WILDCARD_RE, value):
        errs.append(regex_error(_WILDCARD_ERR, _WILDCARD_FMT, "*.example.com"))
    return errs


# --- identifiers, env var names, config keys ---------------------------------------------------------------

_C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*"
_C_IDENTIFIER_ERR = (
    "a valid C identifier must start with alphabetic character or '_', followed by a string of "
    "alphanumeric characters or '_'"
)
_C_IDENTIFIER_RE = re.compile(_C_IDENTIFIER_FMT)


def is_c_identifier(value: str) -> list[str]:
    """IsCIdentifier."""
    if _matches(_C_IDENTIFIER_RE, value):
        return []
    return [regex_error(_C_IDENTIFIER_ERR, _C_IDENTIFIER_FMT, "my_name", "MY_NAME", "MyName")]


def _chdir_prefix(value: str) -> list[str]:
    if value == ".":
        return ["must not be '.'"]
    if value == "..":
        return ["must not be '..'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


_ENV_VAR_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
_ENV_VAR_ERR = (
    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
    "and must not start with a digit"
)
_ENV_VAR_RE = re.compile(_ENV_VAR_FMT)
_RELAXED_ENV_VAR_ERR = "a valid environment variable name must consist only of printable ASCII characters other than '='"


def is_strict_env_var_name(value: str) -> list[str]:
    """IsEnvVarName: the rule before RelaxedEnvironmentVariableValidation."""
    errs: list[str] = []
    if not _matches(_ENV_VAR_RE, value):
        errs.append(regex_error(_ENV_VAR_ERR, _ENV_VAR_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1"))
    return errs + _chdir_prefix(value)


def is_relaxed_env_var_name(value: str) -> list[str]:
    """IsRelaxedEnvVarName: any printable ASCII except '='."""
    errs: list[str] = []
    if not value:
        errs.append("environment variable name " + empty_error())
    if any(not (0x20 <= ord(ch) <= 0x7E) or ch == "=" for ch in value):
        errs.append(_RELAXED_ENV_VAR_ERR)
    return errs


def is_env_var_name(value: str) -> list[str]:
    """The env var name rule a v1.33 apiserver applies to env[].name and envFrom[].prefix.

    RelaxedEnvironmentVariableValidation is beta and enabled by default in v1.33, so the relaxed
    rule applies (pkg/apis/core/validation/validation.go, validateEnv).
    """
    return is_relaxed_env_var_name(value)


_CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+"
_CONFIG_KEY_ERR = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
_CONFIG_KEY_RE = re.compile(_CONFIG_KEY_FMT)


def is_config_map_key(value: str) -> list[str]:
    """IsConfigMapKey: a key of a ConfigMap or Secret (and of keyRefs and items)."""
    errs: list[str] = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _matches(_CONFIG_KEY_RE, value):
        errs.append(regex_error(_CONFIG_KEY_ERR, _CONFIG_KEY_FMT, "key.name", "KEY_NAME", "key-name"))
    return errs + _chdir_prefix(value)


_HTTP_HEADER_FMT = "[-A-Za-z0-9]+"
_HTTP_HEADER_RE = re.compile(_HTTP_HEADER_FMT)


def is_http_header_name(value: str) -> list[str]:
    """IsHTTPHeaderName (httpGet probe headers)."""
    if _matches(_HTTP_HEADER_RE, value):
        return []
    return [regex_error("a valid HTTP header must consist of alphanumeric characters or '-'", _HTTP_HEADER_FMT,
                        "X-Header-Name")]


# --- ports, percents ----------------------------------------------------------------------------------------


def is_valid_port_num(port: int) -> list[str]:
    """IsValidPortNum: 1-65535."""
    return [] if 1 <= port <= 65535 else [inclusive_range_error(1, 65535)]


def is_in_range(value: int, lo: int, hi: int) -> list[str]:
    """IsInRange."""
    return [] if lo <= value <= hi else [inclusive_range_error(lo, hi)]


_PORT_NAME_CHARSET_RE = re.compile("[-a-z0-9]+")
_PORT_NAME_LETTER_RE = re.compile("[a-z]")


def is_valid_port_name(port: str) -> list[str]:
    """IsValidPortName: an IANA_SVC_NAME (at most 15 characters, a-z 0-9 and '-', at least one letter)."""
    errs: list[str] = []
    if _blen(port) > 15:
        errs.append(max_len_error(15))
    if not _matches(_PORT_NAME_CHARSET_RE, port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _PORT_NAME_LETTER_RE.search(port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


_PERCENT_FMT = "[0-9]+%"
_PERCENT_RE = re.compile(_PERCENT_FMT)


def is_valid_percent(percent: str) -> list[str]:
    """IsValidPercent (`25%`)."""
    if _matches(_PERCENT_RE, percent):
        return []
    return [regex_error("a valid percent string must be a numeric string followed by an ending '%'", _PERCENT_FMT,
                        "1%", "93%")]


# --- IP addresses (ip.go) ------------------------------------------------------------------------------------

_IP_INVALID = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
_SLOPPY_IPV4_RE = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")


def _parse_ip_sloppy(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """netutils.ParseIPSloppy: like net.ParseIP, but IPv4 octets may carry leading zeros."""
    if "%" in value:  # zones are not IP addresses to Go
        return None
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        pass
    if _matches(_SLOPPY_IPV4_RE, value):
        octets = [int(part) for part in value.split(".")]
        if all(o <= 255 for o in octets):
            return ipaddress.IPv4Address(".".join(str(o) for o in octets))
    return None


def _go_ip_string(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """net.IP.String(): IPv4-mapped IPv6 addresses print as dotted IPv4."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


def _strict_ip_errors(value: str, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[str]:
    errs: list[str] = []
    try:
        ipaddress.ip_address(value)
    except ValueError:
        errs.append("must not have leading 0s")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        errs.append("must not be an IPv4-mapped IPv6 address")
    return errs


def is_valid_ip_for_legacy_field(value: str, strict: bool = False) -> list[str]:
    """IsValidIPForLegacyField (podIPs, clusterIP, ...): strict only with the StrictIPCIDRValidation
    gate, which is alpha and off in v1.33."""
    ip = _parse_ip_sloppy(value)
    if ip is None:
        return [_IP_INVALID]
    return _strict_ip_errors(value, ip) if strict else []


def is_valid_ip(value: str) -> list[str]:
    """IsValidIP: the strict rule for newer fields (no leading zeros, no IPv4-mapped IPv6, canonical form)."""
    ip = _parse_ip_sloppy(value)
    if ip is None:
        return [_IP_INVALID]
    errs = _strict_ip_errors(value, ip)
    if errs:
        return errs
    canonical = _go_ip_string(ip)
    if value != canonical:
        return [f'must be in canonical form ("{canonical}")']
    return []


# --- object names (k8s.io/apimachinery/pkg/api/validation/generic.go) --------------------------------------

NameFunc = Callable[[str, bool], list[str]]


def mask_trailing_dash(name: str) -> str:
    """maskTrailingDash, exactly as Go does it (it drops the character before the dash too)."""
    if len(name) > 1 and name.endswith("-"):
        return name[:-2] + "a"
    return name


def name_is_dns_subdomain(name: str, prefix: bool) -> list[str]:
    """NameIsDNSSubdomain: the rule of most kinds' metadata.name (`prefix` for generateName)."""
    return is_dns1123_subdomain(mask_trailing_dash(name) if prefix else name)


def name_is_dns_label(name: str, prefix: bool) -> list[str]:
    """NameIsDNSLabel: Namespace names, StatefulSet names."""
    return is_dns1123_label(mask_trailing_dash(name) if prefix else name)


def name_is_dns1035_label(name: str, prefix: bool) -> list[str]:
    """NameIsDNS1035Label: Service names."""
    return is_dns1035_label(mask_trailing_dash(name) if prefix else name)


# --- field-error builders for labels and annotations ---------------------------------------------------------

TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10)


def invalid_each(path: str, value: Any, messages: list[str]) -> list[FieldError]:
    """One `Invalid value` error per message, as Go's `for _, msg := range IsX(v)` loops build them."""
    return [invalid(path, value, m) for m in messages]


def validate_label_name(key: str, path: str) -> list[FieldError]:
    """ValidateLabelName (meta/v1/validation): a label key is a qualified name."""
    return invalid_each(path, key, is_qualified_name(key))


def validate_labels(labels: Mapping[str, str] | None, path: str) -> list[FieldError]:
    """ValidateLabels: errors sit at the map's path (`metadata.labels`), not at a key.

    Go walks the map in random order; keys are taken in sorted order here so output is stable."""
    errors: list[FieldError] = []
    for key in sorted(labels or {}):
        value = labels[key]  # type: ignore[index]
        errors += validate_label_name(key, path)
        errors += invalid_each(path, value, is_valid_label_value(value if isinstance(value, str) else str(value)))
    return errors


def validate_annotations(annotations: Mapping[str, str] | None, path: str) -> list[FieldError]:
    """ValidateAnnotations (pkg/api/validation/objectmeta.go): keys are case-insensitive qualified names,
    and all keys plus values together may not exceed 256 KiB."""
    errors: list[FieldError] = []
    annotations = annotations or {}
    for key in sorted(annotations):
        errors += invalid_each(path, key, is_qualified_name(key.lower()))
    total = sum(_blen(k) + _blen(v if isinstance(v, str) else str(v)) for k, v in annotations.items())
    if total > TOTAL_ANNOTATION_SIZE_LIMIT_B:
        errors.append(too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT_B))
    return errors


_SELECTOR_OPS_WITH_VALUES = ("In", "NotIn")
_SELECTOR_OPS_WITHOUT_VALUES = ("Exists", "DoesNotExist")


def validate_label_selector_requirement(req: Mapping[str, Any], path: str) -> list[FieldError]:
    """ValidateLabelSelectorRequirement (meta/v1/validation) for one matchExpressions entry."""
    errors: list[FieldError] = []
    op = req.get("operator", "")
    values = req.get("values") or []
    if op in _SELECTOR_OPS_WITH_VALUES:
        if not values:
            errors.append(required(f"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
    elif op in _SELECTOR_OPS_WITHOUT_VALUES:
        if values:
            errors.append(forbidden(f"{path}.values",
                                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
    else:
        errors.append(invalid(f"{path}.operator", op, "not a valid selector operator"))
    errors += validate_label_name(req.get("key", ""), f"{path}.key")
    for i, value in enumerate(values):
        errors += invalid_each(f"{path}.values[{i}]", value, is_valid_label_value(value))
    return errors


def validate_label_selector(selector: Mapping[str, Any] | None, path: str) -> list[FieldError]:
    """ValidateLabelSelector (meta/v1/validation): matchLabels as labels, then each matchExpressions entry."""
    if selector is None:
        return []
    errors = validate_labels(selector.get("matchLabels"), f"{path}.matchLabels")
    for i, req in enumerate(selector.get("matchExpressions") or []):
        errors += validate_label_selector_requirement(req, f"{path}.matchExpressions[{i}]")
    return errors
