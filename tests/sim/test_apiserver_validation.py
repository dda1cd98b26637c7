"""Validation through the whole apiserver pipeline (decode → default → admit → validate → allocate), with the
exact messages kubectl prints for them.

Wording sources: pkg/apis/apps/validation/validation.go (selector vs template labels, immutable selector),
pkg/apis/core/validation/validation.go (duplicate container names, Service clusterIPs, PVC spec),
pkg/registry/core/service/portallocator (NodePort range and clash), encoding/base64 (Secret data),
k8s.io/apimachinery/pkg/util/validation/field/errors.go (error bodies).
"""

from __future__ import annotations

import pytest

from k8scourse import ApiError


def _refused(cluster, manifest) -> ApiError:
    with pytest.raises(ApiError) as err:
        cluster.apply(manifest)
    return err.value


def test_negative_replicas(cluster, deployment):
    deployment["spec"]["replicas"] = -1
    err = _refused(cluster, deployment)
    assert (err.code, err.reason) == (422, "Invalid")
    assert err.message == ('Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: '
                           "must be greater than or equal to 0")
    assert str(err) == 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'
    assert err.details["causes"] == [{"reason": "FieldValueInvalid", "field": "spec.replicas",
                                      "message": "Invalid value: -1: must be greater than or equal to 0"}]


def test_selector_must_match_template_labels(cluster, deployment):
    deployment["spec"]["template"]["metadata"]["labels"] = {"app": "nginx"}
    err = _refused(cluster, deployment)
    assert str(err) == (
        'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"nginx"}: `selector` does not match template `labels`'
    )


def test_selector_is_immutable(cluster, deployment):
    cluster.apply(deployment)
    deployment["spec"]["selector"]["matchLabels"]["tier"] = "web"
    deployment["spec"]["template"]["metadata"]["labels"]["tier"] = "web"
    err = _refused(cluster, deployment)
    assert str(err).startswith('The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{')
    assert str(err).endswith(": field is immutable")


def test_duplicate_container_names(cluster, deployment):
    containers = deployment["spec"]["template"]["spec"]["containers"]
    containers.append(dict(containers[0], ports=[{"containerPort": 81}]))
    err = _refused(cluster, deployment)
    assert str(err) == ('The Deployment "web" is invalid: spec.template.spec.containers[1].name: '
                        'Duplicate value: "nginx"')


def test_several_errors_are_listed_as_kubectl_lists_them(cluster, deployment):
    deployment["spec"]["replicas"] = -1
    deployment["spec"]["template"]["spec"]["containers"][0]["image"] = ""
    err = _refused(cluster, deployment)
    assert str(err).splitlines() == [
        'The Deployment "web" is invalid: ',
        "* spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        "* spec.template.spec.containers[0].image: Required value",
    ]
    assert err.message.endswith(": [spec.replicas: Invalid value: -1: must be greater than or equal to 0, "
                                "spec.template.spec.containers[0].image: Required value]")


def _node_port_service(name, port):
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"type": "NodePort", "selector": {"app": name},
                     "ports": [{"port": 80, "targetPort": 8080, "nodePort": port}]}}


def test_node_port_range_and_clash(cluster, api):
    err = _refused(cluster, _node_port_service("web", 80))
    assert str(err) == ('The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is '
                        "not in the valid range. The range of valid ports is 30000-32767")
    created = cluster.apply(_node_port_service("web", 30000))[0]
    assert created["spec"]["ports"][0]["nodePort"] == 30000
    before = api.store.revision
    err = _refused(cluster, _node_port_service("other", 30000))
    assert str(err) == 'The Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 30000: provided port is already allocated'
    assert api.store.revision == before
    cluster.delete("svc", "web")
    assert cluster.apply(_node_port_service("other", 30000)).actions == ["service/other created"]


def test_allocated_node_ports_and_cluster_ips(cluster):
    svc = cluster.apply(_node_port_service("web", None))[0]
    port = svc["spec"]["ports"][0]["nodePort"]
    assert 30000 <= port <= 32767
    ip = svc["spec"]["clusterIP"]
    assert ip.startswith("10.") and svc["spec"]["clusterIPs"] == [ip]
    # re-applying keeps the allocated values; a Service keeps its IP for its lifetime
    again = cluster.apply(_node_port_service("web", None).__or__({"metadata": {"name": "web", "labels": {"a": "b"}}}))[0]
    assert again["spec"]["clusterIP"] == ip and again["spec"]["ports"][0]["nodePort"] == port


def test_cluster_ip_cannot_change(cluster):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db"},
           "spec": {"selector": {"app": "db"}, "ports": [{"port": 5432}], "clusterIP": "10.96.100.100"}}
    cluster.apply(svc)
    svc["spec"]["clusterIP"] = "10.96.100.101"
    err = _refused(cluster, svc)
    assert 'spec.clusterIPs[0]: Invalid value: []string{"10.96.100.101"}: may not change once set' in str(err)
    assert cluster.get("svc", "db")["spec"]["clusterIP"] == "10.96.100.100"


def test_taken_cluster_ip_is_refused(cluster):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db"},
           "spec": {"selector": {"app": "db"}, "ports": [{"port": 5432}], "clusterIP": "10.96.0.1"}}
    err = _refused(cluster, svc)
    assert str(err) == ('The Service "db" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: '
                        "failed to allocate IP 10.96.0.1: provided IP is already allocated")


def test_pvc_spec_is_immutable_once_created(cluster):
    pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
           "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}
    created = cluster.apply(pvc)[0]
    assert created["spec"]["storageClassName"] == "standard"  # DefaultStorageClass admission
    pvc["spec"]["accessModes"] = ["ReadWriteMany"]
    err = _refused(cluster, pvc)
    assert "spec: Forbidden: spec is immutable after creation except resources.requests" in str(err)


def test_secret_data_must_be_base64(cluster):
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "mongodb-secret"},
              "type": "Opaque", "data": {"mongo-root-username": "admin"}}
    err = _refused(cluster, secret)
    assert err.code == 400  # `username` alone would be accepted: it is valid base64 (of garbage bytes)
    assert err.message == ('Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4')


def test_string_data_is_merged_into_data(cluster):
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
              "stringData": {"password": "hunter2"}, "data": {"user": "YWRtaW4="}}
    stored = cluster.apply(secret)[0]
    assert stored["data"] == {"user": "YWRtaW4=", "password": "aHVudGVyMg=="}
    assert "stringData" not in stored


def test_wrong_type_is_a_decoding_error(cluster, deployment):
    deployment["spec"]["replicas"] = "three"
    err = _refused(cluster, deployment)
    assert err.message == ('Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal '
                           "string into Go struct field DeploymentSpec.spec.replicas of type int32")


def test_names_are_checked_per_kind(cluster):
    err = _refused(cluster, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "1web"},
                             "spec": {"selector": {"a": "b"}, "ports": [{"port": 80}]}})
    assert str(err).startswith('The Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label '
                               "must consist of lower case alphanumeric characters or '-', start with an alphabetic "
                               "character, and end with an alphanumeric character")


def test_patch_types_through_the_apiserver(cluster, deployment):
    cluster.apply(deployment)
    rt = cluster.resource("deploy")
    smp = cluster.backend.patch(rt, "web", {"spec": {"template": {"spec": {"containers": [
        {"name": "sidecar", "image": "busybox"}]}}}}, "application/strategic-merge-patch+json")
    assert [c["name"] for c in smp["spec"]["template"]["spec"]["containers"]] == ["sidecar", "nginx"]
    merge = cluster.backend.patch(rt, "web", {"spec": {"template": {"spec": {"containers": [
        {"name": "only", "image": "nginx"}]}}}}, "application/merge-patch+json")
    assert [c["name"] for c in merge["spec"]["template"]["spec"]["containers"]] == ["only"]
    json_patch = cluster.backend.patch(rt, "web", [{"op": "replace", "path": "/spec/replicas", "value": 4}],
                                       "application/json-patch+json")
    assert json_patch["spec"]["replicas"] == 4
    with pytest.raises(ApiError) as err:
        cluster.backend.patch(rt, "web", [{"op": "replace", "path": "/spec/replicas", "value": -4}],
                              "application/json-patch+json")
    assert str(err.value) == 'The Deployment "web" is invalid: spec.replicas: Invalid value: -4: must be greater than or equal to 0'
    assert cluster.get("deploy", "web")["spec"]["replicas"] == 4


def test_server_side_apply_removes_what_the_manager_stopped_setting(cluster, deployment):
    rt = cluster.resource("deploy")
    deployment["metadata"]["labels"]["tier"] = "web"
    cluster.backend.patch(rt, "web", deployment, "application/apply-patch+yaml", "default", field_manager="me")
    del deployment["metadata"]["labels"]["tier"]
    applied = cluster.backend.patch(rt, "web", deployment, "application/apply-patch+yaml", "default",
                                    field_manager="me")
    assert applied["metadata"]["labels"] == {"app": "web"}
    with pytest.raises(ApiError, match="fieldManager"):
        cluster.backend.patch(rt, "web", deployment, "application/apply-patch+yaml", "default")
