"""ingress-nginx's routing decision, unit by unit: servers by host, path types, default backends, classes.

Behaviour from kubernetes/ingress-nginx controller-v1.12.2 internal/ingress/controller/controller.go
(createServers, the catch-all server `_`, an Ingress defaultBackend) and store.go GetIngressClass.
"""

from __future__ import annotations

from k8scourse.sim.network.ingress import error_page, handles, route


def ingress(name: str, *rules: dict, default: str | None = None, created: str = "2025-01-01T00:00:00Z",
            tls: list | None = None) -> dict:
    spec: dict = {"rules": list(rules)} if rules else {}
    if default:
        spec["defaultBackend"] = {"service": {"name": default, "port": {"number": 80}}}
    if tls:
        spec["tls"] = tls
    return {"metadata": {"name": name, "namespace": "default", "creationTimestamp": created}, "spec": spec}


def rule(host: str | None, *paths: tuple[str, str, str]) -> dict:
    out: dict = {"http": {"paths": [{"path": p, "pathType": t, "backend": {"service": {"name": s, "port": {"number": 80}}}}
                                    for p, t, s in paths]}}
    if host:
        out["host"] = host
    return out


def service_of(decision) -> str | None:
    return decision.backend["service"]["name"] if decision.backend else None


def test_host_rule_from_the_notes():
    ing = ingress("myapp-ingress", rule("my-app.com", ("/", "Prefix", "myapp-internal-service")))
    assert service_of(route([ing], "my-app.com", "/")) == "myapp-internal-service"
    assert service_of(route([ing], "my-app.com:80", "/any/thing?x=1")) == "myapp-internal-service"
    assert route([ing], "other.com", "/").backend is None  # another host: the controller's 404


def test_path_fan_out_takes_the_longest_prefix():
    ing = ingress("simple-fanout", rule("myapp.com", ("/analytics", "Prefix", "analytics-service"),
                                        ("/shopping", "Prefix", "shopping-service"), ("/", "Prefix", "web")))
    assert service_of(route([ing], "myapp.com", "/analytics")) == "analytics-service"
    assert service_of(route([ing], "myapp.com", "/shopping/cart")) == "shopping-service"
    assert service_of(route([ing], "myapp.com", "/other")) == "web"


def test_prefix_matches_whole_path_elements_but_implementation_specific_is_a_string_prefix():
    ing = ingress("a", rule("h", ("/foo", "Prefix", "prefix"), ("/bar", "ImplementationSpecific", "impl")))
    assert service_of(route([ing], "h", "/foo/x")) == "prefix"
    assert route([ing], "h", "/foobar").backend is None
    assert service_of(route([ing], "h", "/barista")) == "impl"


def test_exact_beats_a_longer_prefix_and_matches_only_its_path():
    ing = ingress("a", rule("h", ("/api/v1", "Prefix", "prefix"), ("/api", "Exact", "exact")))
    assert service_of(route([ing], "h", "/api")) == "exact"
    assert route([ing], "h", "/api/").backend is None
    assert service_of(route([ing], "h", "/api/v1/users")) == "prefix"


def test_a_prefix_with_a_trailing_slash_still_matches_the_bare_path():
    ing = ingress("a", rule("h", ("/docs/", "Prefix", "docs")))
    assert service_of(route([ing], "h", "/docs")) == "docs"


def test_ingresses_for_the_same_host_merge_and_the_oldest_wins_a_clash():
    old = ingress("old", rule("h", ("/", "Prefix", "old-web")), created="2025-01-01T00:00:00Z")
    new = ingress("new", rule("h", ("/", "Prefix", "new-web"), ("/api", "Prefix", "api")),
                  created="2025-01-02T00:00:00Z")
    assert service_of(route([old, new], "h", "/")) == "old-web"
    assert service_of(route([old, new], "h", "/api")) == "api"


def test_default_backend_alone_catches_every_host_and_path():
    ing = ingress("catch-all", default="default-http-backend")
    decision = route([ing], "anything.example", "/x")
    assert service_of(decision) == "default-http-backend"
    assert decision.detail == "defaultBackend for *"


def test_default_backend_with_rules_serves_the_unmatched_paths_of_its_hosts():
    ing = ingress("a", rule("h", ("/api", "Prefix", "api")), default="fallback")
    assert service_of(route([ing], "h", "/api")) == "api"
    assert service_of(route([ing], "h", "/other")) == "fallback"
    assert route([ing], "elsewhere", "/").backend is None  # not the catch-all: other hosts get the 404


def test_rules_without_host_serve_unknown_hosts_and_wildcards_match_one_label():
    hostless = ingress("a", rule(None, ("/", "Prefix", "any")))
    wildcard = ingress("b", rule("*.foo.com", ("/", "Prefix", "wild")))
    assert service_of(route([hostless, wildcard], "x.foo.com", "/")) == "wild"
    assert service_of(route([hostless, wildcard], "foo.com", "/")) == "any"


class _Classes:
    """Just enough of the apiserver for `handles`: IngressClasses by name."""

    def __init__(self, **controllers: str):
        self.classes = {name: {"metadata": {"name": name}, "spec": {"controller": c}} for name, c in controllers.items()}

    def peek(self, rt, name, namespace=None):
        return self.classes.get(name)


def test_ingress_class_selection_as_the_minikube_addon_runs_it():
    api = _Classes(nginx="k8s.io/ingress-nginx", traefik="traefik.io/ingress-controller")
    base = {"metadata": {"name": "x", "namespace": "default"}}
    assert handles(api, {**base, "spec": {"ingressClassName": "nginx"}})
    assert not handles(api, {**base, "spec": {"ingressClassName": "traefik"}})
    assert not handles(api, {**base, "spec": {"ingressClassName": "missing"}})
    annotated = {"metadata": {"name": "x", "namespace": "default", "annotations": {"kubernetes.io/ingress.class": "x"}}}
    assert not handles(api, {**annotated, "spec": {}})
    # the addon starts the controller with --watch-ingress-without-class=true (ingress-deploy.yaml.tmpl)
    assert handles(api, {**base, "spec": {}})


def test_error_pages_are_nginx_pages_with_crlf():
    # nginx src/http/ngx_http_special_response.c; ingress-nginx has server_tokens off
    assert error_page(404) == ("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
                               "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n"
                               "</body>\r\n</html>\r\n")
    assert "<title>503 Service Temporarily Unavailable</title>" in error_page(503)
    assert len(error_page(503).encode()) == 190
