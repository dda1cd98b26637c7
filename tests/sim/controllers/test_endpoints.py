"""Endpoints and EndpointSlice controllers: which pods a Service publishes, with what ports and conditions.

Behaviour after pkg/controller/endpoint/endpoints_controller.go (syncService, addEndpointSubset,
podToEndpointAddressForService), staging/src/k8s.io/endpointslice/reconciler.go and utils.go
(podToEndpoint, getEndpointPorts, FindPort, setEndpointSliceLabels, the placeholder slice),
staging/src/k8s.io/endpointslice/util/controller_utils.go (ShouldPodBeInEndpoints, ShouldSetHostname) and
pkg/api/v1/endpoints/util.go (RepackSubsets). End to end on the simulated cluster with real pods.
"""

from __future__ import annotations

import re

import pytest

import k8scourse
from k8scourse.sim.controllers.endpoints import repack_subsets

NGINX = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: nginx-deployment, labels: {app: nginx}}
spec:
  replicas: 2
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.16
        ports: [{containerPort: 8080, name: http}]
---
apiVersion: v1
kind: Service
metadata: {name: nginx-service, labels: {tier: web}}
spec:
  selector: {app: nginx}
  ports: [{protocol: TCP, port: 80, targetPort: 8080}]
"""


@pytest.fixture
def cluster():
    c = k8scourse.connect()
    c.apply(NGINX)
    c.settle()
    return c


def endpoints(cluster, name="nginx-service", ns="default"):
    return cluster.get("endpoints", name, ns)


def slices(cluster, service="nginx-service", ns="default"):
    found = cluster.backend.list(cluster.resource("endpointslices"), ns, f"kubernetes.io/service-name={service}")
    return found["items"]


def pods(cluster, label="app=nginx"):
    return cluster.backend.list(cluster.resource("pods"), "default", label)["items"]


def addresses(ep, field="addresses"):
    return sorted(a["ip"] for s in ep.get("subsets") or () for a in s.get(field) or ())


def pod(name, labels, ports=None, **spec):
    container = {"name": "app", "image": "nginx:1.16"}
    if ports:
        container["ports"] = ports
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels},
            "spec": {"containers": [container], **spec}}


# --- the nginx Deployment and its Service ---------------------------------------------------------------
def test_endpoints_list_the_ready_pods_with_their_node_and_pod(cluster):
    ep = endpoints(cluster)
    running = {p["status"]["podIP"]: p for p in pods(cluster)}
    assert addresses(ep) == sorted(running)
    assert [p["port"] for s in ep["subsets"] for p in s["ports"]] == [8080]
    for address in ep["subsets"][0]["addresses"]:
        owner = running[address["ip"]]
        assert address["nodeName"] == "minikube"
        assert address["targetRef"] == {"kind": "Pod", "namespace": "default", "name": owner["metadata"]["name"],
                                        "uid": owner["metadata"]["uid"]}
    # labels copied from the Service; the trigger time is the last Ready transition (trigger_time_tracker.go)
    assert ep["metadata"]["labels"] == {"tier": "web"}
    ready_times = [c["lastTransitionTime"] for p in running.values() for c in p["status"]["conditions"]
                   if c["type"] == "Ready"]
    assert ep["metadata"]["annotations"]["endpoints.kubernetes.io/last-change-trigger-time"] in ready_times


def test_an_endpointslice_named_after_the_service_owned_by_it(cluster):
    [eps] = slices(cluster)
    service = cluster.get("services", "nginx-service")
    assert re.fullmatch(r"nginx-service-[bcdfghjklmnpqrstvwxz2456789]{5}", eps["metadata"]["name"])
    assert eps["addressType"] == "IPv4"
    assert eps["metadata"]["labels"] == {"tier": "web", "kubernetes.io/service-name": "nginx-service",
                                         "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}
    assert eps["metadata"]["ownerReferences"] == [{"apiVersion": "v1", "kind": "Service", "name": "nginx-service",
                                                   "uid": service["metadata"]["uid"], "controller": True,
                                                   "blockOwnerDeletion": True}]
    assert eps["ports"] == [{"name": "", "protocol": "TCP", "port": 8080}]
    assert {e["addresses"][0] for e in eps["endpoints"]} == {p["status"]["podIP"] for p in pods(cluster)}
    for endpoint in eps["endpoints"]:
        assert endpoint["conditions"] == {"ready": True, "serving": True, "terminating": False}
        assert endpoint["nodeName"] == "minikube" and endpoint["targetRef"]["kind"] == "Pod"


def test_describe_service_shows_the_endpoints(cluster):
    out = cluster.kubectl("describe svc nginx-service").stdout
    [line] = [x for x in out.splitlines() if x.startswith("Endpoints:")]
    # formatEndpointSlices: the ready endpoints in slice order, `ip:port` joined by commas
    assert sorted(line.split()[1].split(",")) == sorted(f"{p['status']['podIP']}:8080" for p in pods(cluster))


def test_scaling_up_and_down_follows_the_pods(cluster):
    cluster.kubectl("scale deployment nginx-deployment --replicas=4")
    cluster.settle()
    assert len(addresses(endpoints(cluster))) == 4
    assert len(slices(cluster)[0]["endpoints"]) == 4
    cluster.kubectl("scale deployment nginx-deployment --replicas=1")
    cluster.settle()
    assert addresses(endpoints(cluster)) == [p["status"]["podIP"] for p in pods(cluster)]
    assert len(slices(cluster)[0]["endpoints"]) == 1


def test_deleting_the_service_deletes_endpoints_and_slices(cluster):
    cluster.delete("services", "nginx-service")
    cluster.settle()
    assert not cluster.exists("endpoints", "nginx-service")
    assert slices(cluster) == []


def test_a_terminating_pod_leaves_the_endpoints_and_is_marked_in_the_slice(cluster):
    victim = pods(cluster)[0]
    cluster.backend.delete(cluster.resource("pods"), victim["metadata"]["name"], "default")
    assert victim["status"]["podIP"] not in addresses(endpoints(cluster))
    assert victim["status"]["podIP"] not in addresses(endpoints(cluster), "notReadyAddresses")
    marked = [e for e in slices(cluster)[0]["endpoints"] if e["targetRef"]["uid"] == victim["metadata"]["uid"]]
    # podToEndpoint: serving stays the Ready condition, ready is never true while terminating
    assert marked[0]["conditions"] == {"ready": False, "serving": True, "terminating": True}


# --- readiness --------------------------------------------------------------------------------------------
READINESS = """
apiVersion: v1
kind: Pod
metadata: {name: flaky, labels: {app: flaky}}
spec:
  containers:
  - name: app
    image: busybox
    command: [sh, -c, "touch /tmp/ready; sleep 3600"]
    readinessProbe:
      exec: {command: [cat, /tmp/ready]}
      periodSeconds: 2
---
apiVersion: v1
kind: Service
metadata: {name: flaky}
spec:
  selector: {app: flaky}
  ports: [{port: 80}]
"""


def test_a_readiness_failure_moves_the_pod_to_not_ready_addresses():
    cluster = k8scourse.connect()
    cluster.apply(READINESS)
    cluster.advance(10)
    ip = cluster.get("pods", "flaky")["status"]["podIP"]
    assert addresses(endpoints(cluster, "flaky")) == [ip]
    cluster.kubectl("exec flaky -- rm /tmp/ready")
    cluster.advance(10)
    ep = endpoints(cluster, "flaky")
    assert addresses(ep) == [] and addresses(ep, "notReadyAddresses") == [ip]
    [endpoint] = slices(cluster, "flaky")[0]["endpoints"]
    assert endpoint["conditions"] == {"ready": False, "serving": False, "terminating": False}
    out = cluster.kubectl("describe svc flaky").stdout
    assert "Endpoints:                \n" in out  # formatEndpointSlices lists ready endpoints only
    cluster.kubectl("exec flaky -- touch /tmp/ready")
    cluster.advance(10)
    assert addresses(endpoints(cluster, "flaky")) == [ip]


def test_publish_not_ready_addresses_keeps_unready_pods_ready():
    cluster = k8scourse.connect()
    cluster.apply(READINESS.replace("touch /tmp/ready; ", "").replace(
        "  ports: [{port: 80}]", "  ports: [{port: 80}]\n  publishNotReadyAddresses: true"))
    cluster.advance(10)
    ip = cluster.get("pods", "flaky")["status"]["podIP"]
    assert addresses(endpoints(cluster, "flaky")) == [ip]
    [endpoint] = slices(cluster, "flaky")[0]["endpoints"]
    assert endpoint["conditions"] == {"ready": True, "serving": False, "terminating": False}


# --- ports --------------------------------------------------------------------------------------------------
def test_a_named_target_port_is_resolved_per_pod_and_a_pod_without_it_is_left_out():
    cluster = k8scourse.connect()
    cluster.create(pod("web-a", {"app": "web"}, [{"name": "http", "containerPort": 8080}]))
    cluster.create(pod("web-b", {"app": "web"}, [{"name": "http", "containerPort": 9090}]))
    cluster.create(pod("web-c", {"app": "web"}, [{"name": "metrics", "containerPort": 9100}]))
    cluster.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                    "spec": {"selector": {"app": "web"}, "ports": [{"name": "web", "port": 80, "targetPort": "http"}]}})
    cluster.settle()
    ip = {n: cluster.get("pods", n)["status"]["podIP"] for n in ("web-a", "web-b", "web-c")}
    subsets = endpoints(cluster, "web")["subsets"]
    published = sorted((a["ip"], p["port"]) for s in subsets for a in s["addresses"] for p in s["ports"])
    assert published == sorted([(ip["web-a"], 8080), (ip["web-b"], 9090)])
    assert all(s["ports"][0]["name"] == "web" for s in subsets)
    # the EndpointSlice controller groups pods by their resolved ports: web-c lands in a slice without ports
    by_ports = {tuple(p["port"] for p in s.get("ports") or ()): sorted(e["addresses"][0] for e in s["endpoints"])
                for s in slices(cluster, "web")}
    assert by_ports == {(8080,): [ip["web-a"]], (9090,): [ip["web-b"]], (): [ip["web-c"]]}


def test_a_service_without_pods_keeps_a_placeholder_slice_and_empty_endpoints():
    cluster = k8scourse.connect()
    cluster.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "lonely"},
                    "spec": {"selector": {"app": "nobody"}, "ports": [{"port": 80}]}})
    cluster.settle()
    assert "subsets" not in endpoints(cluster, "lonely")
    [placeholder] = slices(cluster, "lonely")
    assert placeholder["endpoints"] is None and "ports" not in placeholder
    assert "<none>" in cluster.kubectl("get endpoints lonely").stdout


# --- Services the controllers leave alone ------------------------------------------------------------------
def test_a_service_without_selector_keeps_its_hand_written_endpoints():
    cluster = k8scourse.connect()
    cluster.apply("""
apiVersion: v1
kind: Service
metadata: {name: external-db}
spec:
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: external-db}
subsets:
- addresses: [{ip: 192.168.1.50}]
  ports: [{port: 5432}]
""")
    cluster.settle()
    ep = endpoints(cluster, "external-db")
    assert addresses(ep) == ["192.168.1.50"]
    # endpointslicemirroring (utils.go newEndpointSlice, addressToEndpoint): a slice owned by the Endpoints
    [mirror] = slices(cluster, "external-db")
    assert re.fullmatch(r"external-db-[bcdfghjklmnpqrstvwxz2456789]{5}", mirror["metadata"]["name"])
    assert mirror["metadata"]["labels"] == {
        "kubernetes.io/service-name": "external-db",
        "endpointslice.kubernetes.io/managed-by": "endpointslicemirroring-controller.k8s.io"}
    assert mirror["metadata"]["ownerReferences"][0]["kind"] == "Endpoints"
    assert mirror["metadata"]["ownerReferences"][0]["uid"] == ep["metadata"]["uid"]
    assert mirror["endpoints"] == [{"addresses": ["192.168.1.50"], "conditions": {"ready": True}}]
    assert mirror["ports"] == [{"name": "", "port": 5432, "protocol": "TCP"}]
    assert "192.168.1.50:5432" in cluster.kubectl("describe svc external-db").stdout
    # the endpoints controller deletes the Endpoints of a deleted Service, hand-written or not
    cluster.delete("services", "external-db")
    cluster.settle()
    assert not cluster.exists("endpoints", "external-db")
    assert slices(cluster, "external-db") == []


def test_the_kubernetes_service_keeps_its_apiserver_endpoints(cluster):
    ep = endpoints(cluster, "kubernetes")
    assert ep["subsets"] == [{"addresses": [{"ip": "192.168.49.2"}],
                              "ports": [{"name": "https", "port": 8443, "protocol": "TCP"}]}]
    # labelled endpointslice.kubernetes.io/skip-mirror: the apiserver writes its own slice
    assert [s["metadata"]["name"] for s in slices(cluster, "kubernetes")] == ["kubernetes"]
    assert "192.168.49.2:8443" in cluster.kubectl("describe svc kubernetes").stdout


def test_kube_dns_endpoints_come_from_the_coredns_pod(cluster):
    ep = endpoints(cluster, "kube-dns", "kube-system")
    [coredns] = cluster.backend.list(cluster.resource("pods"), "kube-system", "k8s-app=kube-dns")["items"]
    assert addresses(ep) == [coredns["status"]["podIP"]]
    assert sorted((p["name"], p["port"]) for p in ep["subsets"][0]["ports"]) == [
        ("dns", 53), ("dns-tcp", 53), ("metrics", 9153)]


# --- headless Services and pod hostnames --------------------------------------------------------------------
def test_headless_service_publishes_hostnames_of_its_subdomain_pods():
    cluster = k8scourse.connect()
    cluster.create(pod("db-0", {"app": "db"}, hostname="db-0", subdomain="db"))
    cluster.create(pod("db-x", {"app": "db"}, hostname="db-x", subdomain="other"))
    cluster.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db"},
                    "spec": {"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"port": 80}]}})
    cluster.settle()
    ep = endpoints(cluster, "db")
    assert ep["metadata"]["labels"] == {"service.kubernetes.io/headless": ""}
    hostnames = {a["targetRef"]["name"]: a.get("hostname") for a in ep["subsets"][0]["addresses"]}
    assert hostnames == {"db-0": "db-0", "db-x": None}
    [eps] = slices(cluster, "db")
    assert eps["metadata"]["labels"]["service.kubernetes.io/headless"] == ""
    assert {e["targetRef"]["name"]: e.get("hostname") for e in eps["endpoints"]} == hostnames


def test_relabelling_a_pod_out_of_the_selector_removes_it(cluster):
    victim = pods(cluster)[0]
    cluster.kubectl(f"label pod {victim['metadata']['name']} app=other --overwrite")
    cluster.settle()
    assert victim["status"]["podIP"] not in addresses(endpoints(cluster))
    assert victim["metadata"]["uid"] not in {e["targetRef"]["uid"] for s in slices(cluster) for e in s["endpoints"]}


# --- RepackSubsets ------------------------------------------------------------------------------------------
def _address(ip, uid):
    return {"ip": ip, "nodeName": "minikube", "targetRef": {"kind": "Pod", "namespace": "default", "name": uid,
                                                             "uid": uid}}


def test_repack_groups_ports_by_address_set_and_not_ready_wins():
    http = {"name": "http", "port": 80, "protocol": "TCP"}
    admin = {"name": "admin", "port": 9000, "protocol": "TCP"}
    a, b = _address("10.244.0.9", "a"), _address("10.244.0.10", "b")
    subsets = repack_subsets([(a, http, True), (b, http, True), (a, admin, True), (b, admin, False),
                              (a, http, False)])
    # a is not ready on http (not ready trumps ready, mapAddressByPort); b is not ready on admin
    assert subsets == [{"addresses": [b], "notReadyAddresses": [a], "ports": [http]},
                       {"addresses": [a], "notReadyAddresses": [b], "ports": [admin]}]
    # addresses sort by IP bytes (LessEndpointAddress): "10.244.0.10" < "10.244.0.9"
    both = repack_subsets([(a, http, True), (b, http, True)])
    assert both == [{"addresses": [b, a], "ports": [http]}]
