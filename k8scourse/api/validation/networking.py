"""Semantic validation of Ingresses and IngressClasses (networking.k8s.io/v1), worded as kube-apiserver words it.

Called through `k8scourse.api.validation.validate_create` / `validate_update` (the `VALIDATORS` table
below). Rules and wording follow ValidateIngressCreate, ValidateIngressUpdate, ValidateIngressClass and
ValidateIngressClassUpdate in pkg/apis/networking/validation/validation.go, with the helpers they call
from k8s.io/apimachinery (IsDomainPrefixedPath, IsValidPathSegmentName).
"""

from __future__ import annotations

import re
from typing import Any

from .. import names
from ..errors import FieldError, GoString, forbidden, invalid, not_supported, required, too_long
from . import KindValidator, Obj
from .services import parse_ip_sloppy, validate_port_num

PATH_TYPES = ("Exact", "ImplementationSpecific", "Prefix")
INVALID_PATH_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
INVALID_PATH_SUFFIXES = ("/..", "/.")
INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
MAX_CONTROLLER_LENGTH = 250
PARAMETER_SCOPES = ("Cluster", "Namespace")
_HTTP_PATH_FMT = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+"
_HTTP_PATH_RE = re.compile(_HTTP_PATH_FMT)


def is_valid_path_segment_name(name: str) -> list[str]:
    """path.IsValidPathSegmentName: a name that can be one segment of a URL path."""
    for illegal in (".", ".."):
        if name == illegal:
            return [f"may not be '{illegal}'"]
    return [f"may not contain '{bad}'" for bad in ("/", "%") if bad in name]


def is_domain_prefixed_path(path: str, value: str) -> list[FieldError]:
    """validation.IsDomainPrefixedPath: `acme.io/foo`, as IngressClass controllers are named."""
    if not value:
        return [required(path)]
    host, slash, rest = value.partition("/")
    if not slash or not host or not rest:
        return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')]
    errs = [invalid(path, host, msg) for msg in names.is_dns1123_subdomain(host)]
    if not _HTTP_PATH_RE.fullmatch(rest):
        errs.append(invalid(path, rest, names.regex_error("must be a valid path", _HTTP_PATH_FMT)))
    return errs


def _validate_segment_names(path: str, value: str) -> list[FieldError]:
    return [invalid(path, value, msg) for msg in is_valid_path_segment_name(value)]


# ---------------------------------------------------------------- Ingress


def _validate_resource_backend(resource: dict[str, Any], path: str) -> list[FieldError]:
    """validateIngressTypedLocalObjectReference."""
    errs: list[FieldError] = []
    if resource.get("apiGroup") is not None:
        group = resource["apiGroup"]
        errs += [invalid(f"{path}.apiGroup", group, m) for m in names.is_dns1123_subdomain(group)]
    for key in ("kind", "name"):
        value = resource.get(key) or ""
        errs += _validate_segment_names(f"{path}.{key}", value) if value else [required(f"{path}.{key}")]
    return errs


def _validate_service_backend(service: dict[str, Any], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = service.get("name") or ""
    if not name:
        errs.append(required(f"{path}.service.name"))
    else:
        errs += [invalid(f"{path}.service.name", name, m) for m in names.name_is_dns1035_label(name, False)]
    port = service.get("port") or {}
    port_name, port_number = port.get("name") or "", port.get("number") or 0
    if port_name and port_number:
        errs.append(invalid(path, "", "cannot set both port name & port number"))
    elif port_name:
        errs += [invalid(f"{path}.service.port.name", port_name, m) for m in names.is_valid_port_name(port_name)]
    elif port_number:
        errs += validate_port_num(f"{path}.service.port.number", port_number)
    else:
        errs.append(required(path, "port name or number is required"))
    return errs


def validate_ingress_backend(backend: dict[str, Any], path: str) -> list[FieldError]:
    """validateIngressBackend: exactly one of `service` and `resource`."""
    has_resource, has_service = backend.get("resource") is not None, backend.get("service") is not None
    if has_resource and has_service:
        return [invalid(path, "", "cannot set both resource and service backends")]
    if has_resource:
        return _validate_resource_backend(backend["resource"], f"{path}.resource")
    if has_service:
        return _validate_service_backend(backend["service"], path)
    return [invalid(path, "", "resource or service backend is required")]


def _validate_http_path(http_path: dict[str, Any], path: str) -> list[FieldError]:
    """validateHTTPIngressPath."""
    path_type = http_path.get("pathType")
    if path_type is None:
        return [required(f"{path}.pathType", "pathType must be specified")]
    value = http_path.get("path") or ""
    errs: list[FieldError] = []
    if path_type in ("Exact", "Prefix"):
        if not value.startswith("/"):
            errs.append(invalid(f"{path}.path", value, "must be an absolute path"))
        errs += [invalid(f"{path}.path", value, f"must not contain '{s}'") for s in INVALID_PATH_SEQUENCES if s in value]
        errs += [invalid(f"{path}.path", value, f"cannot end with '{s}'") for s in INVALID_PATH_SUFFIXES if value.endswith(s)]
    elif path_type == "ImplementationSpecific":
        if value and not value.startswith("/"):
            errs.append(invalid(f"{path}.path", value, "must be an absolute path"))
    else:
        errs.append(not_supported(f"{path}.pathType", path_type, PATH_TYPES))
    return errs + validate_ingress_backend(http_path.get("backend") or {}, f"{path}.backend")


def _validate_host(host: str, path: str) -> list[FieldError]:
    """A rule or TLS host: a DNS subdomain, or a wildcard one (`*.example.com`)."""
    if "*" in host:
        return [invalid(path, host, m) for m in names.is_wildcard_dns1123_subdomain(host)]
    return [invalid(path, host, m) for m in names.is_dns1123_subdomain(host)]


def _validate_rules(rules: list[dict[str, Any]]) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, rule in enumerate(rules):
        host, path = rule.get("host") or "", f"spec.rules[{i}]"
        if host and parse_ip_sloppy(host) is not None:
            errs.append(invalid(f"{path}.host", host, "must be a DNS name, not an IP address"))
        if host:
            errs += _validate_host(host, f"{path}.host")
        http = rule.get("http")
        if http is not None:
            paths = http.get("paths") or []
            if not paths:
                errs.append(required(f"{path}.http.paths"))
            for j, http_path in enumerate(paths):
                errs += _validate_http_path(http_path, f"{path}.http.paths[{j}]")
    return errs


def _validate_tls(tls: list[dict[str, Any]]) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, entry in enumerate(tls):
        for j, host in enumerate(entry.get("hosts") or []):
            errs += _validate_host(host, f"spec.tls[{i}].hosts[{j}]")
        secret = entry.get("secretName") or ""
        if secret:
            errs += [invalid(f"spec.tls[{i}].secretName", secret, m) for m in names.name_is_dns_subdomain(secret, False)]
    return errs


def _go_rules(rules: list[Any] | None) -> GoString:
    """How Go's %#v prints an empty []networking.IngressRule."""
    return GoString("[]networking.IngressRule(nil)" if rules is None else "[]networking.IngressRule{}")


def validate_ingress_spec(obj: Obj) -> list[FieldError]:
    """ValidateIngressSpec: rules or a default backend, backends, TLS hosts, class name."""
    spec = obj.get("spec") or {}
    rules = spec.get("rules")
    errs: list[FieldError] = []
    if not rules and spec.get("defaultBackend") is None:
        errs.append(invalid("spec", _go_rules(rules), "either `defaultBackend` or `rules` must be specified"))
    if spec.get("defaultBackend") is not None:
        errs += validate_ingress_backend(spec["defaultBackend"], "spec.defaultBackend")
    errs += _validate_rules(rules or [])
    errs += _validate_tls(spec.get("tls") or [])
    class_name = spec.get("ingressClassName")
    if class_name is not None:
        errs += [invalid("spec.ingressClassName", class_name, m) for m in names.name_is_dns_subdomain(class_name, False)]
    return errs


def validate_ingress_create(obj: Obj) -> list[FieldError]:
    """ValidateIngressCreate: the spec, and the class annotation must agree with `ingressClassName`."""
    errs = validate_ingress_spec(obj)
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    class_name = (obj.get("spec") or {}).get("ingressClassName")
    annotation = annotations.get(INGRESS_CLASS_ANNOTATION)
    if annotation is not None and class_name is not None and annotation != class_name:
        path = f"annotations.{INGRESS_CLASS_ANNOTATION}"
        errs.append(invalid(path, annotation, "must match `ingressClassName` when both are specified"))
    return errs


def validate_ingress_update(new: Obj, old: Obj) -> list[FieldError]:
    """ValidateIngressUpdate: the spec rules only (the class annotation is checked on create)."""
    return validate_ingress_spec(new)


# ---------------------------------------------------------------- IngressClass


def _validate_parameters(params: dict[str, Any] | None) -> list[FieldError]:
    """validateIngressClassParametersReference."""
    if params is None:
        return []
    path = "spec.parameters"
    errs = _validate_resource_backend({k: params.get(k) for k in ("apiGroup", "kind", "name")}, path)
    scope = params.get("scope")
    if scope is None:
        return errs + [required(f"{path}.scope")]
    if scope not in PARAMETER_SCOPES:
        return errs + [not_supported(f"{path}.scope", scope, PARAMETER_SCOPES)]
    namespace = params.get("namespace")
    if scope == "Namespace":
        if namespace is None:
            errs.append(required(f"{path}.namespace", "`parameters.scope` is set to 'Namespace'"))
        else:
            errs += [invalid(f"{path}.namespace", namespace, m) for m in names.name_is_dns_label(namespace, False)]
    elif namespace is not None:
        errs.append(forbidden(f"{path}.namespace", "`parameters.scope` is set to 'Cluster'"))
    return errs


def validate_ingress_class(obj: Obj) -> list[FieldError]:
    """ValidateIngressClass: a domain-prefixed controller name and a valid parameters reference."""
    spec = obj.get("spec") or {}
    controller = spec.get("controller") or ""
    errs: list[FieldError] = []
    if not controller:
        errs.append(required("spec.controller"))
    else:
        if len(controller.encode()) > MAX_CONTROLLER_LENGTH:
            errs.append(too_long("spec.controller", MAX_CONTROLLER_LENGTH))
        errs += is_domain_prefixed_path("spec.controller", controller)
    return errs + _validate_parameters(spec.get("parameters"))


def validate_ingress_class_update(new: Obj, old: Obj) -> list[FieldError]:
    """ValidateIngressClassUpdate: `spec.controller` is immutable, then the create rules."""
    controller = (new.get("spec") or {}).get("controller") or ""
    errs: list[FieldError] = []
    if controller != ((old.get("spec") or {}).get("controller") or ""):
        errs.append(invalid("spec.controller", controller, "field is immutable"))
    return errs + validate_ingress_class(new)


VALIDATORS: dict[str, KindValidator] = {
    "Ingress": KindValidator(validate_ingress_create, validate_ingress_update),
    "IngressClass": KindValidator(validate_ingress_class, validate_ingress_class_update),
}
