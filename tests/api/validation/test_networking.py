"""Ingress and IngressClass validation, worded as kube-apiserver words it.

Wording from pkg/apis/networking/validation/validation.go (ValidateIngressSpec, validateIngressRules,
validateHTTPIngressPath, validateIngressBackend, validateIngressTLS, validateIngressClassSpec) and
k8s.io/apimachinery (IsWildcardDNS1123Subdomain, IsDomainPrefixedPath, IsValidPathSegmentName).
"""

from __future__ import annotations

from k8scourse.api.validation import networking


def backend(name="web", number=80):
    return {"service": {"name": name, "port": {"number": number}}}


def ingress(rules=None, **spec):
    if rules is not None:
        spec["rules"] = rules
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "site"}, "spec": spec}


def rule(host="shop.example.com", path="/", path_type="Prefix", be=None):
    http_path = {"path": path, "backend": be or backend()}
    if path_type is not None:
        http_path["pathType"] = path_type
    r = {"http": {"paths": [http_path]}}
    if host:
        r["host"] = host
    return r


def texts(obj):
    return [str(e) for e in networking.validate_ingress_create(obj)]


def test_valid_ingress():
    assert texts(ingress([rule()], ingressClassName="nginx")) == []


def test_rules_or_default_backend_required():
    assert texts(ingress()) == [
        "spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"
    ]
    assert texts(ingress(defaultBackend=backend())) == []


def test_path_type_required_and_supported():
    assert texts(ingress([rule(path_type=None)])) == ["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"]
    assert texts(ingress([rule(path_type="Regex")])) == [
        'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: '
        '"Exact", "ImplementationSpecific", "Prefix"'
    ]


def test_prefix_paths_are_absolute_and_clean():
    assert texts(ingress([rule(path="shop")])) == [
        'spec.rules[0].http.paths[0].path: Invalid value: "shop": must be an absolute path'
    ]
    assert texts(ingress([rule(path="/a//b/.")])) == [
        "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/.\": must not contain '//'",
        "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/.\": cannot end with '/.'",
    ]
    assert texts(ingress([rule(path="", path_type="ImplementationSpecific")])) == []


def test_http_paths_required():
    assert texts(ingress([{"host": "a.example.com", "http": {"paths": []}}])) == ["spec.rules[0].http.paths: Required value"]


def test_hosts():
    assert texts(ingress([rule(host="10.0.0.1")])) == [
        'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address'
    ]
    assert texts(ingress([rule(host="*.example.com")])) == []
    (err,) = texts(ingress([rule(host="shop.*.com")]))
    assert err == (
        'spec.rules[0].host: Invalid value: "shop.*.com": a wildcard DNS-1123 subdomain must start with \'*.\', '
        "followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' "
        "and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is "
        "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    )


def test_backend_service_and_port():
    path = "spec.rules[0].http.paths[0].backend"
    assert texts(ingress([rule(be={"service": {"name": "web", "port": {}}})])) == [
        f"{path}: Required value: port name or number is required"
    ]
    both = {"service": {"name": "web", "port": {"name": "http", "number": 80}}}
    assert texts(ingress([rule(be=both)])) == [f'{path}: Invalid value: "": cannot set both port name & port number']
    bad_name = {"service": {"name": "web", "port": {"name": "http_x"}}}
    assert texts(ingress([rule(be=bad_name)])) == [
        f'{path}.service.port.name: Invalid value: "http_x": '
        "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"
    ]
    assert texts(ingress([rule(be={"service": {"name": "", "port": {"number": 80}}})])) == [
        f"{path}.service.name: Required value"
    ]
    (err,) = texts(ingress([rule(be=backend(name="1web"))]))
    assert err.startswith(f'{path}.service.name: Invalid value: "1web": a DNS-1035 label must consist of')
    assert texts(ingress([rule(be=backend(number=70000))])) == [
        f"{path}.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive"
    ]


def test_backend_exactly_one_kind():
    path = "spec.defaultBackend"
    both = {**backend(), "resource": {"kind": "Bucket", "name": "assets"}}
    assert texts(ingress(defaultBackend=both)) == [f'{path}: Invalid value: "": cannot set both resource and service backends']
    assert texts(ingress(defaultBackend={})) == [f'{path}: Invalid value: "": resource or service backend is required']
    resource = {"resource": {"apiGroup": "k8s.example.com", "kind": "Bucket", "name": ""}}
    assert texts(ingress(defaultBackend=resource)) == [f"{path}.resource.name: Required value"]


def test_tls_hosts_and_secret_name():
    tls = [{"hosts": ["Shop.example.com"], "secretName": "shop_tls"}]
    errs = texts(ingress([rule()], tls=tls))
    assert [e.split(":")[0] for e in errs] == ["spec.tls[0].hosts[0]", "spec.tls[0].secretName"]


def test_class_annotation_must_match_class_name():
    obj = ingress([rule()], ingressClassName="nginx")
    obj["metadata"]["annotations"] = {"kubernetes.io/ingress.class": "traefik"}
    assert texts(obj) == [
        'annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified'
    ]
    assert networking.validate_ingress_update(obj, obj) == []


def ingress_class(controller, **spec):
    return {"kind": "IngressClass", "metadata": {"name": "nginx"}, "spec": {"controller": controller, **spec}}


def test_ingress_class_controller():
    assert networking.validate_ingress_class(ingress_class("k8s.io/ingress-nginx")) == []
    assert [str(e) for e in networking.validate_ingress_class(ingress_class(""))] == ["spec.controller: Required value"]
    assert [str(e) for e in networking.validate_ingress_class(ingress_class("nginx"))] == [
        'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")'
    ]
    long_name = "k8s.io/" + "x" * 250
    assert "spec.controller: Too long: may not be more than 250 bytes" in [
        str(e) for e in networking.validate_ingress_class(ingress_class(long_name))
    ]


def test_ingress_class_controller_immutable():
    errs = networking.validate_ingress_class_update(ingress_class("example.com/b"), ingress_class("example.com/a"))
    assert [str(e) for e in errs] == ['spec.controller: Invalid value: "example.com/b": field is immutable']


def test_ingress_class_parameters():
    params = {"kind": "Config", "name": "a/b", "scope": "Namespace"}
    errs = [str(e) for e in networking.validate_ingress_class(ingress_class("example.com/a", parameters=params))]
    assert errs == [
        "spec.parameters.name: Invalid value: \"a/b\": may not contain '/'",
        "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'",
    ]


def test_path_segment_names():
    assert networking.is_valid_path_segment_name("..") == ["may not be '..'"]
    assert networking.is_valid_path_segment_name("a/%") == ["may not contain '/'", "may not contain '%'"]
