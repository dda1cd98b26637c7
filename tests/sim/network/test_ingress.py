"""Ingress end to end: requests through the node IP reach the ingress-nginx controller of the minikube addon,
which routes them by host and path; 404/503 pages; the status address and Sync events it writes.

Behaviour from kubernetes/ingress-nginx controller-v1.12.2: internal/ingress/status/status.go (UpdateInterval
60 s, the node's address without --publish-service), internal/ingress/controller/store/store.go (Normal Sync
"Scheduled for sync" from nginx-ingress-controller on every add and change), and nginx's error pages.
"""

from __future__ import annotations

import pytest

import k8scourse

APP = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: NAME}
spec:
  replicas: 1
  selector: {matchLabels: {app: NAME}}
  template:
    metadata: {labels: {app: NAME}}
    spec:
      containers: [{name: web, image: nginx:1.27, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: NAME}
spec:
  selector: {app: NAME}
  ports: [{port: 80, targetPort: 80}]
"""

NOTES_INGRESS = """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: myapp-ingress}
spec:
  rules:
  - host: my-app.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
      - path: /analytics
        pathType: Prefix
        backend: {service: {name: analytics, port: {number: 80}}}
      - path: /shopping
        pathType: Prefix
        backend: {service: {name: shopping, port: {number: 80}}}
"""


@pytest.fixture(scope="module")
def ingress_cluster():
    """One minikube with the ingress addon and three apps; tests only read from it or add their own objects."""
    cluster = k8scourse.connect()
    assert cluster.minikube("addons enable ingress").ok
    for name in ("web", "analytics"):
        cluster.apply(APP.replace("NAME", name))
    cluster.apply(NOTES_INGRESS)
    cluster.settle()
    return cluster


def test_the_notes_host_rule_reaches_the_pod_through_the_node_ip(ingress_cluster):
    answer = ingress_cluster.request("http://192.168.49.2/", headers={"Host": "my-app.com"})
    assert answer.status == 200
    assert answer.served_by.startswith("default/web-")
    kinds = [hop.kind for hop in answer.hops]
    assert kinds[:3] == ["HostPort", "Pod", "Ingress"] and kinds[-2:] == ["Service", "Pod"]
    assert answer.hops[2].name == "default/myapp-ingress"
    assert answer.hops[2].detail == "rule my-app.com / (Prefix)"


def test_path_fan_out_sends_each_prefix_to_its_service(ingress_cluster):
    answer = ingress_cluster.request("http://192.168.49.2/analytics/today", headers={"Host": "my-app.com"})
    assert answer.served_by.startswith("default/analytics-")


def test_missing_backend_service_gets_ingress_nginx_503(ingress_cluster):
    answer = ingress_cluster.request("http://192.168.49.2/shopping", headers={"Host": "my-app.com"})
    assert answer.status == 503
    assert "<title>503 Service Temporarily Unavailable</title>" in answer.body
    assert answer.served_by.startswith("ingress-nginx/ingress-nginx-controller-")


def test_unknown_host_gets_ingress_nginx_404(ingress_cluster):
    answer = ingress_cluster.request("http://192.168.49.2/", headers={"Host": "nobody.example"})
    assert answer.status == 404
    assert answer.body.startswith("<html>\r\n<head><title>404 Not Found</title></head>")


def test_status_address_is_the_node_ip_and_sync_events_are_recorded(ingress_cluster):
    ing = ingress_cluster.get("ingress", "myapp-ingress")
    assert ing["status"]["loadBalancer"]["ingress"] == [{"ip": "192.168.49.2"}]
    assert ing["spec"]["ingressClassName"] == "nginx"  # DefaultIngressClass admission: nginx is the default
    events = [e for e in ingress_cluster.get("events") if e["involvedObject"]["name"] == "myapp-ingress"]
    assert {(e["reason"], e["message"], e["source"]["component"]) for e in events} == {
        ("Sync", "Scheduled for sync", "nginx-ingress-controller")}
    assert sum(e.get("count", 1) for e in events) == 2  # the add, then the controller's own status write


def test_a_new_ingress_gets_its_address_at_the_next_status_sync(ingress_cluster):
    ingress_cluster.advance(1)  # between two of the syncer's 60-second runs
    ingress_cluster.apply(NOTES_INGRESS.replace("myapp-ingress", "second").replace("my-app.com", "second.com"))
    assert not (ingress_cluster.get("ingress", "second").get("status") or {}).get("loadBalancer")
    ingress_cluster.settle()
    assert ingress_cluster.get("ingress", "second")["status"]["loadBalancer"]["ingress"] == [{"ip": "192.168.49.2"}]
    ingress_cluster.delete("ingress", "second")


def test_another_class_is_ignored(ingress_cluster):
    ingress_cluster.apply("""
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: other}
spec: {controller: example.com/other}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: foreign}
spec:
  ingressClassName: other
  rules:
  - host: foreign.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
""")
    ingress_cluster.advance(61)
    assert not (ingress_cluster.get("ingress", "foreign").get("status") or {}).get("loadBalancer")
    assert ingress_cluster.request("http://192.168.49.2/", headers={"Host": "foreign.com"}).status == 404
    ingress_cluster.delete("ingress", "foreign")


def test_https_with_an_unknown_host_is_served_with_the_fake_certificate(ingress_cluster):
    answer = ingress_cluster.request("https://192.168.49.2/", headers={"Host": "my-app.com"})
    assert answer.status == 200
    assert "TLS: Kubernetes Ingress Controller Fake Certificate" in answer.hops[2].detail


def test_plain_http_to_a_tls_host_is_redirected(ingress_cluster):
    ingress_cluster.apply("""
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: secure}
spec:
  tls: [{hosts: [secure.com], secretName: secure-tls}]
  rules:
  - host: secure.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
""")
    answer = ingress_cluster.request("http://192.168.49.2/x", headers={"Host": "secure.com"})
    assert answer.status == 308
    assert answer.header("Location") == "https://secure.com/x"
    secure = ingress_cluster.request("https://192.168.49.2/x", headers={"Host": "secure.com"})
    assert "secret default/secure-tls not found" in secure.hops[2].detail
    ingress_cluster.delete("ingress", "secure")


def test_without_the_addon_nothing_listens_on_port_80():
    cluster = k8scourse.connect()
    cluster.apply(NOTES_INGRESS)
    cluster.settle()
    answer = cluster.request("http://192.168.49.2/", headers={"Host": "my-app.com"})
    assert answer.status == 0 and answer.error
    assert "ingressClassName" not in cluster.get("ingress", "myapp-ingress")["spec"]  # no default class yet
