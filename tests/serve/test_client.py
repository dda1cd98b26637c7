"""The official Python client (`kubernetes.client`) against `k8scourse serve`: CRUD, watch, a Table."""

from __future__ import annotations

import json

import pytest

kubernetes = pytest.importorskip("kubernetes")
from kubernetes import client, config, watch  # noqa: E402


@pytest.fixture(scope="module")
def api_client(served):
    configuration = client.Configuration()
    config.load_kube_config(config_file=str(served.server.kubeconfig), client_configuration=configuration)
    with client.ApiClient(configuration) as api:
        yield api


def test_crud(api_client):
    core = client.CoreV1Api(api_client)
    body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="from-client", labels={"via": "client"}),
                              data={"a": "1"})
    created = core.create_namespaced_config_map("default", body)
    assert created.metadata.uid and created.data == {"a": "1"}
    read = core.read_namespaced_config_map("from-client", "default")
    assert read.metadata.resource_version == created.metadata.resource_version
    patched = core.patch_namespaced_config_map("from-client", "default", {"data": {"b": "2"}})
    assert patched.data == {"a": "1", "b": "2"}
    listed = core.list_namespaced_config_map("default", label_selector="via=client")
    assert [i.metadata.name for i in listed.items] == ["from-client"]
    core.delete_namespaced_config_map("from-client", "default")
    with pytest.raises(client.ApiException) as err:
        core.read_namespaced_config_map("from-client", "default")
    assert err.value.status == 404 and json.loads(err.value.body)["reason"] == "NotFound"


def test_deployment_and_scale(api_client, served):
    apps = client.AppsV1Api(api_client)
    served.cluster.kubectl("create deployment client-web --image=nginx")
    apps.patch_namespaced_deployment_scale("client-web", "default", {"spec": {"replicas": 2}})
    served.server.settle()
    deployment = apps.read_namespaced_deployment("client-web", "default")
    assert deployment.spec.replicas == 2 and deployment.status.ready_replicas == 2


def test_watch(api_client, served):
    core = client.CoreV1Api(api_client)
    rv = core.list_namespaced_config_map("default").metadata.resource_version
    served.cluster.kubectl("create configmap watched-by-client --from-literal=a=b")
    events = list(watch.Watch().stream(core.list_namespaced_config_map, "default", resource_version=rv,
                                       timeout_seconds=1))
    assert [(e["type"], e["object"].metadata.name) for e in events] == [("ADDED", "watched-by-client")]


def test_table(api_client):
    url = api_client.configuration.host + "/api/v1/namespaces/kube-system/pods"
    response = api_client.call_api("GET", url, header_params={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"})
    table = json.loads(response.read())
    assert table["kind"] == "Table"
    assert [c["name"] for c in table["columnDefinitions"]][:5] == ["Name", "Ready", "Status", "Restarts", "Age"]
    assert any(row["cells"][0] == "etcd-minikube" for row in table["rows"])
