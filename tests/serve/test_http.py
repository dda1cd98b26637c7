"""`k8scourse serve` over plain HTTP: discovery, OpenAPI, Status errors, watch, subresources, Tables.

Shapes follow k8s.io/apimachinery/pkg/apis/meta/v1/types.go and k8s.io/apiserver/pkg/endpoints/handlers.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from k8scourse.cli import build_parser
from k8scourse.cli.serve import usage_text

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io"


def call(served, method: str, path: str, body: Any = None, content_type: str = "application/json",
         accept: str = "application/json") -> tuple[int, Any, dict[str, str]]:
    data = None
    if body is not None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    req = urllib.request.Request(served.server.url + path, data=data, method=method,
                                 headers={"Content-Type": content_type, "Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw, code, headers = resp.read(), resp.status, dict(resp.headers)
    except urllib.error.HTTPError as err:
        raw, code, headers = err.read(), err.code, dict(err.headers)
    text = raw.decode()
    try:
        return code, json.loads(text), headers
    except ValueError:
        return code, text, headers


def lines(body: Any) -> list[dict[str, Any]]:
    """The JSON lines of a streamed watch (one line parses as a whole body)."""
    return [body] if isinstance(body, dict) else [json.loads(line) for line in body.splitlines()]


def configmap(name: str, **labels: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": labels},
            "data": {"k": "v"}}


def test_health_and_version(served):
    for path in ("/healthz", "/readyz", "/livez"):
        assert call(served, "GET", path)[:2] == (200, "ok")
    code, info, _ = call(served, "GET", "/version")
    assert code == 200 and info["gitVersion"] == "v1.33.1" and (info["major"], info["minor"]) == ("1", "33")


def test_legacy_discovery(served):
    assert call(served, "GET", "/api")[1]["versions"] == ["v1"]
    groups = call(served, "GET", "/apis")[1]
    apps = next(g for g in groups["groups"] if g["name"] == "apps")
    assert apps["preferredVersion"] == {"groupVersion": "apps/v1", "version": "v1"}
    autoscaling = next(g for g in groups["groups"] if g["name"] == "autoscaling")
    assert [v["version"] for v in autoscaling["versions"]] == ["v2", "v1"]
    resources = {r["name"]: r for r in call(served, "GET", "/apis/apps/v1")[1]["resources"]}
    assert resources["deployments"]["shortNames"] == ["deploy"]
    assert resources["deployments"]["categories"] == ["all"]
    assert resources["deployments/scale"] == {"name": "deployments/scale", "singularName": "", "namespaced": True,
                                              "kind": "Scale", "verbs": ["get", "patch", "update"],
                                              "group": "autoscaling", "version": "v1"}
    core = {r["name"]: r for r in call(served, "GET", "/api/v1")[1]["resources"]}
    assert core["pods/log"]["verbs"] == ["get"]
    assert core["pods/eviction"]["group"] == "policy"
    assert core["nodes"]["namespaced"] is False


def test_aggregated_discovery_when_asked(served):
    accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
    code, doc, headers = call(served, "GET", "/apis", accept=accept)
    assert headers["Content-Type"] == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    apps = next(i for i in doc["items"] if i["metadata"]["name"] == "apps")
    deployments = next(r for r in apps["versions"][0]["resources"] if r["resource"] == "deployments")
    assert deployments["scope"] == "Namespaced"
    assert {"subresource": "scale", "responseKind": {"group": "autoscaling", "version": "v1", "kind": "Scale"},
            "verbs": ["get", "patch", "update"]} in deployments["subresources"]


def test_openapi_documents(served):
    index = call(served, "GET", "/openapi/v3")[1]
    url = index["paths"]["apis/apps/v1"]["serverRelativeURL"]
    assert url.startswith("/openapi/v3/apis/apps/v1?hash=")
    doc = call(served, "GET", url)[1]
    deployment = doc["components"]["schemas"]["io.k8s.api.apps.v1.Deployment"]
    assert deployment["properties"]["spec"]["allOf"] == [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec"}]
    assert doc["components"]["schemas"]["io.k8s.api.apps.v1.DeploymentSpec"]["properties"]["replicas"]["type"] == "integer"
    patch = doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"]
    # what kubectl's query_param_verifier_v3.go looks for to let the server validate fields
    assert {"name": "fieldValidation", "in": "query"}.items() <= patch["parameters"][2].items()
    assert patch["x-kubernetes-group-version-kind"] == {"group": "apps", "version": "v1", "kind": "Deployment"}
    v2 = call(served, "GET", "/openapi/v2")[1]
    assert v2["definitions"]["io.k8s.api.apps.v1.Deployment"]["properties"]["spec"]["$ref"] == \
        "#/definitions/io.k8s.api.apps.v1.DeploymentSpec"
    assert v2["definitions"]["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]["format"] == "int-or-string"


def test_unknown_paths_are_404_status(served):
    for path in ("/nope", "/api/v1/widgets", "/apis/apps/v9/deployments", "/api/v1/namespaces/default/pods/x/y"):
        code, status, _ = call(served, "GET", path)
        assert (code, status["reason"], status["message"]) == (404, "NotFound",
                                                                "the server could not find the requested resource")


def test_crud_and_errors(served):
    base = "/api/v1/namespaces/default/configmaps"
    code, created, _ = call(served, "POST", base, configmap("crud", app="x"))
    assert code == 201 and created["metadata"]["resourceVersion"]
    code, status, _ = call(served, "POST", base, configmap("crud"))
    # k8s.io/apimachinery/pkg/api/errors/errors.go NewAlreadyExists
    assert (code, status["reason"], status["message"]) == (409, "AlreadyExists", 'configmaps "crud" already exists')
    created["data"] = {"k": "w"}
    code, updated, _ = call(served, "PUT", f"{base}/crud", created)
    assert code == 200 and updated["data"] == {"k": "w"}
    code, status, _ = call(served, "PUT", f"{base}/crud", created)
    assert (code, status["reason"]) == (409, "Conflict")
    code, deleted, _ = call(served, "DELETE", f"{base}/crud", {"kind": "DeleteOptions", "apiVersion": "v1",
                                                                 "propagationPolicy": "Background"})
    assert code == 200 and deleted["status"] == "Success" and deleted["details"]["name"] == "crud"
    code, status, _ = call(served, "GET", f"{base}/crud")
    assert (code, status["message"]) == (404, 'configmaps "crud" not found')


def test_patch_in_all_four_types(served):
    base = "/api/v1/namespaces/default/configmaps"
    call(served, "POST", base, configmap("patched"))
    path = f"{base}/patched"
    assert call(served, "PATCH", path, {"data": {"a": "1"}}, "application/merge-patch+json")[1]["data"] == \
        {"k": "v", "a": "1"}
    assert call(served, "PATCH", path, {"data": {"b": "2"}}, "application/strategic-merge-patch+json")[1]["data"] == \
        {"k": "v", "a": "1", "b": "2"}
    ops = [{"op": "remove", "path": "/data/k"}]
    assert call(served, "PATCH", path, ops, "application/json-patch+json")[1]["data"] == {"a": "1", "b": "2"}
    applied = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  x: y\n"
    code, obj, _ = call(served, "PATCH", f"{base}/applied?fieldManager=test", applied, "application/apply-patch+yaml")
    assert code == 201 and obj["data"] == {"x": "y"}
    code, status, _ = call(served, "PATCH", f"{base}/applied", applied, "application/apply-patch+yaml")
    assert (code, status["message"]) == (400, "PATCH requests with apply content type require a fieldManager parameter")


def test_dry_run_and_field_validation(served):
    base = "/api/v1/namespaces/default/configmaps"
    code, _, _ = call(served, "POST", f"{base}?dryRun=All", configmap("dry"))
    assert code == 201
    assert call(served, "GET", f"{base}/dry")[0] == 404
    bad = configmap("strict")
    bad["metadata"]["bogus"] = 1
    code, status, _ = call(served, "POST", f"{base}?fieldValidation=Strict", bad)
    assert code == 400 and 'unknown field "metadata.bogus"' in status["message"]
    assert call(served, "POST", f"{base}?fieldValidation=Ignore", bad)[0] == 201


def test_list_selectors_and_pages(served):
    base = "/api/v1/namespaces/paging/configmaps"
    call(served, "POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "paging"}})
    for i in range(3):
        call(served, "POST", base, configmap(f"cm{i}", tier="a" if i < 2 else "b"))
    assert [i["metadata"]["name"] for i in call(served, "GET", f"{base}?labelSelector=tier%3Da")[1]["items"]] == \
        ["cm0", "cm1"]
    assert [i["metadata"]["name"] for i in call(served, "GET", f"{base}?fieldSelector=metadata.name%3Dcm2")[1]["items"]] \
        == ["cm2"]
    first = call(served, "GET", f"{base}?limit=2")[1]
    token = first["metadata"]["continue"]
    rest = call(served, "GET", f"{base}?limit=2&continue={token}")[1]
    assert [i["metadata"]["name"] for i in first["items"] + rest["items"]] == ["cm0", "cm1", "cm2", "kube-root-ca.crt"]
    code, listed, _ = call(served, "DELETE", f"{base}?labelSelector=tier%3Da")
    assert code == 200 and [i["metadata"]["name"] for i in listed["items"]] == ["cm0", "cm1"]
    assert [i["metadata"]["name"] for i in call(served, "GET", base)[1]["items"]] == ["cm2", "kube-root-ca.crt"]


@pytest.mark.parametrize("include, expected", [("", "PartialObjectMetadata"), ("Object", "ConfigMap"), ("None", None)])
def test_tables(served, include, expected):
    call(served, "POST", "/api/v1/namespaces/default/configmaps", configmap("tabled"))
    query = f"?includeObject={include}" if include else ""
    code, table, _ = call(served, "GET", f"/api/v1/namespaces/default/configmaps/tabled{query}", accept=TABLE)
    assert code == 200 and table["kind"] == "Table"
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Data", "Age"]
    assert table["rows"][0]["cells"][:2] == ["tabled", 1]
    assert (table["rows"][0].get("object") or {}).get("kind") == expected
    listed = call(served, "GET", f"/api/v1/namespaces/default/configmaps{query}", accept=TABLE)[1]
    assert "tabled" in [r["cells"][0] for r in listed["rows"]]


def test_watch_from_a_resource_version(served):
    base = "/api/v1/namespaces/default/configmaps"
    rv = call(served, "GET", base)[1]["metadata"]["resourceVersion"]
    call(served, "POST", base, configmap("watched"))
    call(served, "DELETE", f"{base}/watched")
    code, text, headers = call(served, "GET", f"{base}?watch=true&resourceVersion={rv}&timeoutSeconds=1")
    assert code == 200 and headers["Transfer-Encoding"] == "chunked"
    events = lines(text)
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [("ADDED", "watched"),
                                                                                ("DELETED", "watched")]


def test_watch_from_a_too_old_resource_version_says_expired(served):
    served.cluster.backend.api.store._history.popleft()  # forget the oldest change, as a compacted etcd would
    code, text, _ = call(served, "GET", "/api/v1/pods?watch=1&resourceVersion=1&timeoutSeconds=1")
    (event,) = lines(text)
    assert code == 200 and event["type"] == "ERROR"
    assert (event["object"]["code"], event["object"]["reason"]) == (410, "Expired")


def test_watch_as_table(served):
    base = "/api/v1/namespaces/default/configmaps"
    rv = call(served, "GET", base)[1]["metadata"]["resourceVersion"]
    call(served, "POST", base, configmap("tw1"))
    call(served, "POST", base, configmap("tw2"))
    text = call(served, "GET", f"{base}?watch=true&resourceVersion={rv}&timeoutSeconds=1", accept=TABLE)[1]
    first, second = [event["object"] for event in lines(text)]
    assert first["kind"] == second["kind"] == "Table"
    assert first["columnDefinitions"] and second["columnDefinitions"] is None
    assert second["rows"][0]["cells"][0] == "tw2"


def test_scale_subresource(served):
    served.cluster.kubectl("create deployment scaled --image=nginx --replicas=1")
    path = "/apis/apps/v1/namespaces/default/deployments/scaled/scale"
    code, scale, _ = call(served, "GET", path)
    assert code == 200 and scale["kind"] == "Scale" and scale["apiVersion"] == "autoscaling/v1"
    assert scale["spec"] == {"replicas": 1} and scale["status"]["selector"] == "app=scaled"
    code, scale, _ = call(served, "PATCH", path, {"spec": {"replicas": 3}}, "application/merge-patch+json")
    assert code == 200 and scale["spec"] == {"replicas": 3}
    scale = call(served, "GET", path)[1]  # the controller has updated the Deployment's status meanwhile
    scale["spec"]["replicas"] = -1
    code, status, _ = call(served, "PUT", path, scale)
    # ValidateScale, pkg/apis/autoscaling/validation/validation.go
    assert (code, status["message"]) == (422, 'Scale.autoscaling "scaled" is invalid: spec.replicas: Invalid value: '
                                              '-1: must be greater than or equal to 0')
    assert served.cluster.get("deploy", "scaled")["spec"]["replicas"] == 3


def test_status_subresource_changes_only_status(served):
    served.cluster.kubectl("create deployment statused --image=nginx")
    path = "/apis/apps/v1/namespaces/default/deployments/statused/status"
    patch = {"spec": {"replicas": 7}, "status": {"observedGeneration": 42}}
    code, obj, _ = call(served, "PATCH", path, patch, "application/merge-patch+json")
    assert code == 200 and obj["spec"]["replicas"] == 1 and obj["status"]["observedGeneration"] == 42


def test_binding_and_eviction(served):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "manual"},
           "spec": {"schedulerName": "my-scheduler", "containers": [{"name": "c", "image": "nginx"}]}}
    assert call(served, "POST", "/api/v1/namespaces/default/pods", pod)[0] == 201
    binding = {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "manual"},
               "target": {"apiVersion": "v1", "kind": "Node", "name": "minikube"}}
    code, status, _ = call(served, "POST", "/api/v1/namespaces/default/pods/manual/binding", binding)
    assert (code, status["status"]) == (201, "Success")
    assert served.cluster.get("pod", "manual")["spec"]["nodeName"] == "minikube"
    eviction = {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "manual"},
                "deleteOptions": {"gracePeriodSeconds": 0}}
    code, status, _ = call(served, "POST", "/api/v1/namespaces/default/pods/manual/eviction", eviction)
    assert (code, status["status"]) == (201, "Success")
    assert not served.cluster.exists("pod", "manual")


def test_exec_and_port_forward_say_they_are_not_streamed(served):
    for sub in ("exec?command=ls", "portforward?ports=80", "attach"):
        code, status, _ = call(served, "POST", f"/api/v1/namespaces/default/pods/any/{sub}")
        assert code == 501 and "k8scourse serve does not stream" in status["message"]


def test_pod_logs(served):
    served.cluster.kubectl("run logger --image=busybox --restart=Never -- echo hello")
    served.server.settle()
    code, text, headers = call(served, "GET", "/api/v1/namespaces/default/pods/logger/log")
    assert (code, text) == (200, "hello\n") and headers["Content-Type"] == "text/plain"
    code, text, _ = call(served, "GET", "/api/v1/namespaces/default/pods/logger/log?follow=true")
    assert (code, text) == (200, "hello\n")  # the container has ended, so the stream ends too
    code, status, _ = call(served, "GET", "/api/v1/namespaces/default/pods/nope/log")
    assert (code, status["message"]) == (404, 'pods "nope" not found')


def test_command_line(tmp_path):
    args = build_parser().parse_args(["serve", "--port", "0", "--kubeconfig", str(tmp_path / "c"), "--nodes", "2",
                                      "--speed", "0"])
    assert (args.port, args.nodes, args.speed, args.seed) == (0, 2, 0.0, 0)
    text = usage_text("http://127.0.0.1:8443", "/tmp/k", 1.0)
    assert "export KUBECONFIG=/tmp/k" in text and "kubectl get pods" in text


def test_after_stop_a_kept_alive_connection_gets_no_answer():
    import http.client

    from k8scourse.serve import serve
    from k8scourse.sim.cluster import SimulatedCluster

    server = serve(SimulatedCluster(), speed=0)
    connection = http.client.HTTPConnection(server.host, server.port, timeout=5)
    connection.request("GET", "/version")
    first = connection.getresponse()
    assert first.status == 200 and first.getheader("Connection") != "close"
    first.read()
    server.stop()
    with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
        connection.request("GET", "/version")
        connection.getresponse()
    connection.close()
