"""Services, storage, namespaces and the other core kinds, as a v1.33 cluster stores them.

Sources: pkg/apis/core/v1/defaults.go (SetDefaults_Service, _PersistentVolume, _PersistentVolumeClaim,
_Secret, _Namespace, _NodeStatus, _Endpoints, _LimitRangeItem), pkg/apis/storage/v1/defaults.go,
pkg/apis/discovery/v1/defaults.go, pkg/apis/networking/v1/defaults.go, pkg/registry/core/service/storage/alloc.go
(initIPFamilyFields), pkg/registry/core/namespace/strategy.go, plugin/pkg/admission/storage/persistentvolume/
defaultstorageclass/admission.go.
"""

from __future__ import annotations

import pytest

from k8scourse.api.defaults import (
    apply_defaults,
    assign_cluster_ip,
    default_storage_class,
    prepare_for_create,
)


def created_service(spec: dict) -> dict:
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"}, "spec": spec}
    return prepare_for_create(apply_defaults(svc))


def test_cluster_ip_service_matches_a_real_cluster():
    svc = assign_cluster_ip(created_service({"selector": {"app": "web"}, "ports": [{"port": 80}]}), "10.96.12.34")
    assert svc == {
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "clusterIP": "10.96.12.34", "clusterIPs": ["10.96.12.34"], "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
            "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
            "selector": {"app": "web"}, "sessionAffinity": "None", "type": "ClusterIP",
        },
        "status": {"loadBalancer": {}},
    }


def test_node_port_and_load_balancer():
    node_port = created_service({"type": "NodePort", "ports": [{"port": 80, "targetPort": "http", "nodePort": 30080}]})["spec"]
    assert node_port["externalTrafficPolicy"] == "Cluster"
    assert node_port["ports"] == [{"port": 80, "targetPort": "http", "nodePort": 30080, "protocol": "TCP"}]
    assert "allocateLoadBalancerNodePorts" not in node_port
    lb = created_service({"type": "LoadBalancer", "ports": [{"port": 443, "protocol": "TCP"}]})["spec"]
    assert (lb["allocateLoadBalancerNodePorts"], lb["externalTrafficPolicy"]) == (True, "Cluster")


def test_external_name_service_gets_no_traffic_or_family_fields():
    spec = created_service({"type": "ExternalName", "externalName": "db.example.com"})["spec"]
    assert spec == {"type": "ExternalName", "externalName": "db.example.com", "sessionAffinity": "None"}


def test_headless_services():
    with_selector = created_service({"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"port": 5432}]})["spec"]
    assert (with_selector["clusterIPs"], with_selector["ipFamilyPolicy"], with_selector["ipFamilies"]) == \
        (["None"], "SingleStack", ["IPv4"])
    # Headless and selectorless defaults to dual-stack, even on a single-stack cluster.
    selectorless = created_service({"clusterIP": "None", "ports": [{"port": 5432}]})["spec"]
    assert (selectorless["ipFamilyPolicy"], selectorless["ipFamilies"]) == ("RequireDualStack", ["IPv4", "IPv6"])


def test_client_ip_affinity_timeout():
    spec = created_service({"sessionAffinity": "ClientIP", "ports": [{"port": 80}]})["spec"]
    assert spec["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}


def test_persistent_volume_and_claim():
    pv = prepare_for_create(apply_defaults({
        "apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv1"},
        "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/mnt/data"}}}),
        now="2025-05-01T10:00:00Z")
    assert pv["spec"] == {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                          "hostPath": {"path": "/mnt/data", "type": ""},
                          "persistentVolumeReclaimPolicy": "Retain", "volumeMode": "Filesystem"}
    assert pv["status"] == {"phase": "Pending", "lastPhaseTransitionTime": "2025-05-01T10:00:00Z"}
    pvc = prepare_for_create(apply_defaults({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}))
    assert pvc["spec"]["volumeMode"] == "Filesystem"
    assert pvc["status"] == {"phase": "Pending"}


@pytest.mark.parametrize(("claim", "expected"), [
    ({"spec": {}}, "standard"),
    ({"spec": {"storageClassName": ""}}, ""),  # "" asks for no class
    ({"spec": {"storageClassName": "fast"}}, "fast"),
    ({"metadata": {"annotations": {"volume.beta.kubernetes.io/storage-class": "slow"}}, "spec": {}}, None),
])
def test_default_storage_class(claim, expected):
    assert default_storage_class(claim, "standard")["spec"].get("storageClassName") == expected


def test_no_default_storage_class_leaves_the_claim():
    assert default_storage_class({"spec": {}}, None)["spec"] == {}


def test_storage_class():
    sc = apply_defaults({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "fast"},
                         "provisioner": "k8s.io/minikube-hostpath"})
    assert (sc["reclaimPolicy"], sc["volumeBindingMode"]) == ("Delete", "Immediate")


def test_secret_type():
    assert apply_defaults({"apiVersion": "v1", "kind": "Secret", "data": {}})["type"] == "Opaque"
    assert apply_defaults({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls"})["type"] == "kubernetes.io/tls"


def test_namespace():
    ns = prepare_for_create(apply_defaults({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}}))
    assert ns == {"apiVersion": "v1", "kind": "Namespace",
                  "metadata": {"name": "dev", "labels": {"kubernetes.io/metadata.name": "dev"}},
                  "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}


def test_node_allocatable_from_capacity():
    node = apply_defaults({"apiVersion": "v1", "kind": "Node", "status": {"capacity": {"cpu": "2", "pods": "110"}}})
    assert node["status"]["allocatable"] == {"cpu": "2", "pods": "110"}


def test_endpoints_and_endpoint_slice_ports():
    ep = apply_defaults({"apiVersion": "v1", "kind": "Endpoints", "subsets": [{"ports": [{"port": 80}]}]})
    assert ep["subsets"][0]["ports"] == [{"port": 80, "protocol": "TCP"}]
    eps = apply_defaults({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
                          "endpoints": [{"addresses": ["10.244.0.5"]}], "ports": [{"port": 80}]})
    assert eps["ports"] == [{"port": 80, "name": "", "protocol": "TCP"}]
    assert eps["endpoints"] == [{"addresses": ["10.244.0.5"], "conditions": {}}]


def test_limit_range_container_defaults():
    lr = apply_defaults({"apiVersion": "v1", "kind": "LimitRange", "spec": {"limits": [
        {"type": "Container", "max": {"cpu": "1"}, "min": {"memory": "64Mi"}},
        {"type": "Pod", "max": {"cpu": "2"}}]}})
    assert lr["spec"]["limits"] == [
        {"type": "Container", "max": {"cpu": "1"}, "min": {"memory": "64Mi"},
         "default": {"cpu": "1"}, "defaultRequest": {"cpu": "1", "memory": "64Mi"}},
        {"type": "Pod", "max": {"cpu": "2"}}]


def test_network_policy_and_ingress():
    np = apply_defaults({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "spec": {
        "podSelector": {}, "egress": [{"ports": [{"port": 53}]}]}})
    assert np["spec"]["policyTypes"] == ["Ingress", "Egress"]
    assert np["spec"]["egress"][0]["ports"] == [{"port": 53, "protocol": "TCP"}]
    ingress = prepare_for_create(apply_defaults({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                                                 "metadata": {"name": "web"}, "spec": {"rules": []}}))
    assert ingress["spec"] == {"rules": []}  # networking/v1 defaults nothing in an Ingress (pathType is required)
    assert ingress["status"] == {"loadBalancer": {}}
    assert ingress["metadata"]["generation"] == 1


def test_event_fields_without_omitempty():
    event = apply_defaults({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e"},
                            "involvedObject": {"kind": "Pod", "name": "p"}, "reason": "Scheduled"})
    assert event["source"] == {} and event["eventTime"] is None and event["firstTimestamp"] is None
    assert (event["reportingComponent"], event["reportingInstance"]) == ("", "")


def test_kinds_without_defaults_are_copied_unchanged():
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}}
    assert apply_defaults(cm) == cm and apply_defaults(cm) is not cm
    sa = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "builder"}}
    assert prepare_for_create(apply_defaults(sa)) == sa
