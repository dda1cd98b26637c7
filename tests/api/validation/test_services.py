"""Service, Endpoints and EndpointSlice validation, worded as kube-apiserver words it.

Wording from pkg/apis/core/validation/validation.go (ValidateService, validateServicePort,
validateServiceExternalTrafficPolicy, ValidateServiceClusterIPsRelatedFields,
validateUpgradeDowngradeClusterIPs, ValidateEndpoints, ValidateNonSpecialIP),
pkg/apis/discovery/validation/validation.go and pkg/registry/core/service/portallocator/allocator.go.
"""

from __future__ import annotations

import copy

from k8scourse.api.validation import services


def svc(**spec):
    base = {
        "type": "ClusterIP",
        "sessionAffinity": "None",
        "internalTrafficPolicy": "Cluster",
        "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
    }
    base.update(spec)
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": base}


def create(obj):
    return [str(e) for e in services.validate_service_create(obj)]


def update(new, old):
    return [str(e) for e in services.validate_service_update(new, old)]


def test_valid_cluster_ip_service():
    assert create(svc(clusterIP="10.96.0.10", selector={"app": "web"})) == []


def test_ports_required_unless_headless_or_external_name():
    assert create(svc(ports=[])) == ["spec.ports: Required value"]
    assert create(svc(ports=[], clusterIP="None")) == []


def test_port_number_range():
    errs = create(svc(ports=[{"port": 70000, "protocol": "TCP", "targetPort": 80}]))
    assert errs == ["spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive"]


def test_target_port_name_must_be_iana_name():
    errs = create(svc(ports=[{"port": 80, "protocol": "TCP", "targetPort": "web_http"}]))
    assert errs == [
        'spec.ports[0].targetPort: Invalid value: "web_http": '
        "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"
    ]


def test_port_names_required_and_unique_with_several_ports():
    ports = [
        {"port": 80, "protocol": "TCP", "targetPort": 80, "name": "http"},
        {"port": 443, "protocol": "TCP", "targetPort": 443},
        {"port": 8080, "protocol": "TCP", "targetPort": 8080, "name": "http"},
    ]
    assert create(svc(ports=ports)) == [
        "spec.ports[1].name: Required value",
        'spec.ports[2].name: Duplicate value: "http"',
    ]


def test_duplicate_port_and_protocol():
    ports = [{"port": 80, "protocol": "TCP", "targetPort": 80, "name": "a"}, {"port": 80, "protocol": "TCP", "targetPort": 81, "name": "b"}]
    (err,) = create(svc(ports=ports))
    assert err.startswith('spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", ')
    assert "Port:80" in err


def test_protocol_and_type_and_affinity_supported_values():
    errs = create(svc(type="Internal", sessionAffinity="Sticky", ports=[{"port": 80, "protocol": "HTTP", "targetPort": 80}]))
    assert 'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"' in errs
    assert 'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"' in errs
    assert (
        'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'
        in errs
    )


def test_client_ip_affinity_timeout():
    config = {"clientIP": {"timeoutSeconds": 0}}
    errs = create(svc(sessionAffinity="ClientIP", sessionAffinityConfig=config))
    assert errs == [
        "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400"
    ]


def test_headless_not_allowed_for_node_port():
    errs = create(svc(type="NodePort", clusterIP="None", externalTrafficPolicy="Cluster"))
    assert errs == ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"]


def test_node_port_forbidden_for_cluster_ip_type():
    ports = [{"port": 80, "protocol": "TCP", "targetPort": 80, "nodePort": 30080}]
    assert create(svc(ports=ports)) == ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]


def test_external_name_requires_dns_name():
    assert create(svc(type="ExternalName", ports=[])) == ["spec.externalName: Required value"]
    assert create(svc(type="ExternalName", ports=[], externalName="db.example.com.")) == []
    (err,) = create(svc(type="ExternalName", ports=[], externalName="DB_host"))
    assert err.startswith('spec.externalName: Invalid value: "DB_host": a lowercase RFC 1123 subdomain')


def test_external_name_may_not_have_cluster_ip():
    errs = create(svc(type="ExternalName", ports=[], externalName="db.example.com", clusterIP="10.96.0.9"))
    assert errs == ["spec.clusterIPs: Forbidden: may not be set for ExternalName services"]


def test_external_traffic_policy_only_for_external_services():
    errs = create(svc(externalTrafficPolicy="Local"))
    assert errs == ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']
    assert create(svc(type="NodePort")) == ["spec.externalTrafficPolicy: Required value"]
    assert create(svc(type="NodePort", externalTrafficPolicy="Cluster")) == []


def test_load_balancer_needs_allocate_node_ports_default():
    assert create(svc(type="LoadBalancer", externalTrafficPolicy="Cluster")) == ["allocateLoadBalancerNodePorts: Required value"]


def test_selector_label_syntax():
    (err,) = create(svc(selector={"app": "web server"}))
    assert err.startswith('spec.selector: Invalid value: "web server": a valid label must be')


def test_bad_cluster_ip():
    assert create(svc(clusterIP="10.96.0.300")) == [
        'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'
    ]


def test_cluster_ip_may_not_change():
    old = services.prepare_service_update(svc(clusterIP="10.96.0.10"), None)
    new = copy.deepcopy(old)
    new["spec"]["clusterIP"] = "10.96.0.99"  # what `kubectl apply` sends: clusterIPs left as stored
    assert update(new, old) == ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set']


def test_cluster_ip_unchanged_update_is_valid():
    old = services.prepare_service_update(svc(clusterIP="10.96.0.10"), None)
    new = copy.deepcopy(old)
    new["spec"]["selector"] = {"app": "other"}
    assert update(new, old) == []


def test_type_change_to_external_name_drops_cluster_ip():
    old = services.prepare_service_update(svc(clusterIP="10.96.0.10"), None)
    new = copy.deepcopy(old)
    new["spec"].update(type="ExternalName", externalName="db.example.com", ports=[])
    new["spec"].pop("internalTrafficPolicy")
    assert update(new, old) == []
    prepared = services.prepare_service_update(new, old)
    assert "clusterIP" not in prepared["spec"] and "clusterIPs" not in prepared["spec"]


def test_type_change_from_node_port_to_cluster_ip_drops_node_ports():
    ports = [{"port": 80, "protocol": "TCP", "targetPort": 80, "nodePort": 30080}]
    old = services.prepare_service_update(
        svc(type="NodePort", clusterIP="10.96.0.10", ports=ports, externalTrafficPolicy="Cluster"), None
    )
    new = copy.deepcopy(old)
    new["spec"]["type"] = "ClusterIP"
    assert update(new, old) == []


def test_node_port_allocator_messages():
    # The simulator words allocator refusals as the service registry does.
    assert str(services.nodeport_range_error("spec.ports[0].nodePort", 80)) == (
        "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. "
        "The range of valid ports is 30000-32767"
    )
    assert str(services.nodeport_clash_error("spec.ports[0].nodePort", 30080)) == (
        "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"
    )


def test_external_ips_not_special():
    assert create(svc(externalIPs=["127.0.0.1"], externalTrafficPolicy="Cluster")) == [
        'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'
    ]


# ---------------------------------------------------------------- Endpoints / EndpointSlice


def endpoints(subsets):
    return [str(e) for e in services.validate_endpoints({"kind": "Endpoints", "subsets": subsets})]


def test_endpoints_subset_needs_addresses():
    assert endpoints([{"ports": [{"port": 80, "protocol": "TCP"}]}]) == [
        "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`"
    ]


def test_endpoints_address_checks():
    errs = endpoints([{"addresses": [{"ip": "nope"}, {"ip": "0.0.0.0"}], "ports": [{"port": 0, "protocol": "TCP"}]}])
    assert errs == [
        'subsets[0].addresses[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        'subsets[0].addresses[0].ip: Invalid value: "nope": must be a valid IP address',
        'subsets[0].addresses[1].ip: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
        "subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
    ]


def test_endpoint_slice():
    obj = {
        "kind": "EndpointSlice",
        "addressType": "IPv4",
        "endpoints": [{"addresses": ["10.244.0.5"]}, {"addresses": []}, {"addresses": ["fe80::1"]}],
        "ports": [{"name": "http", "port": 80, "protocol": "TCP"}, {"name": "http", "port": 81, "protocol": "TCP"}],
    }
    assert [str(e) for e in services.validate_endpoint_slice(obj)] == [
        "endpoints[1].addresses: Required value: must contain at least 1 address",
        'endpoints[2].addresses[0]: Invalid value: "fe80::1": must be a valid IPv4 address',
        'ports[1].name: Duplicate value: "http"',
    ]
    changed = {**obj, "addressType": "IPv6"}
    assert 'addressType: Invalid value: "IPv6": field is immutable' in [
        str(e) for e in services.validate_endpoint_slice_update(changed, obj)
    ]
