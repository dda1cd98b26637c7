"""Cluster DNS as a pod sees it: CoreDNS records (coredns plugin/kubernetes) through busybox 1.36's nslookup
(networking/nslookup.c) and the resolver getaddrinfo-based tools use (search path, ndots:5)."""

from __future__ import annotations

import k8scourse

from .conftest import box

HEADER = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"


def cluster_ip(cluster, name: str, namespace: str = "default") -> str:
    return cluster.get("service", name, namespace)["spec"]["clusterIP"]


def test_nslookup_of_a_service_returns_its_cluster_ip(cluster, sh):
    cluster.kubectl("create deployment web --image=nginx")
    cluster.kubectl("expose deployment web --port=80")
    box(cluster)
    ip = cluster_ip(cluster, "web")
    code, out, _ = sh("box", "nslookup web.default.svc.cluster.local")
    # one reply block per query (A, then AAAA: the name exists but has no IPv6 record)
    assert (code, out) == (0, HEADER + f"Name:\tweb.default.svc.cluster.local\nAddress: {ip}\n\n\n")
    # a dotless name is asked under every search domain (add_query_with_search), A queries then AAAA
    code, out, _ = sh("box", "nslookup web")
    assert code == 1
    assert out == HEADER + (
        "** server can't find web.default.svc.cluster.local: NXDOMAIN\n\n".replace(
            "** server can't find web.default.svc.cluster.local: NXDOMAIN\n",
            f"Name:\tweb.default.svc.cluster.local\nAddress: {ip}\n")
        + "** server can't find web.svc.cluster.local: NXDOMAIN\n\n"
        + "** server can't find web.cluster.local: NXDOMAIN\n\n"
        + "\n"
        + "** server can't find web.svc.cluster.local: NXDOMAIN\n\n"
        + "** server can't find web.cluster.local: NXDOMAIN\n\n")


def test_busybox_nslookup_does_not_search_names_with_a_dot_but_wget_does(cluster, sh):
    cluster.kubectl("create deployment web --image=nginx")
    cluster.kubectl("expose deployment web --port=80")
    box(cluster)
    code, out, _ = sh("box", "nslookup web.default")
    assert code == 1 and "** server can't find web.default: NXDOMAIN" in out
    # the resolver tries `web.default.default.svc.cluster.local`, then `web.default.svc.cluster.local`
    code, out, _ = sh("box", "wget -qO- http://web.default/")
    assert code == 0 and "<title>Welcome to nginx!</title>" in out
    for name in ("web", "web.default.svc", "web.default.svc.cluster.local"):
        assert sh("box", f"wget -qO- http://{name}/")[0] == 0, name


def test_the_same_name_resolves_per_namespace(cluster, sh):
    # the notes' my-database in test and prod (003_c8286deb82f02c4e.txt), each pod reaching its own
    for ns in ("test", "prod"):
        cluster.kubectl(f"create namespace {ns}")
        cluster.kubectl(f"create service clusterip my-database -n {ns} --tcp=5432:5432")
        box(cluster, "client", ns)
    test_ip, prod_ip = cluster_ip(cluster, "my-database", "test"), cluster_ip(cluster, "my-database", "prod")
    assert test_ip != prod_ip
    for ns, ip in (("test", test_ip), ("prod", prod_ip)):
        out = sh("client", "nslookup my-database", ns)[1]
        assert f"Name:\tmy-database.{ns}.svc.cluster.local\nAddress: {ip}\n" in out
    assert cluster.backend.network.dns.resolve("my-database", "test").addresses == (test_ip,)
    assert cluster.backend.network.dns.resolve("my-database.prod", "test").addresses == (prod_ip,)
    assert cluster.backend.network.dns.resolve("my-database", "default").error == "NXDOMAIN"


STATEFULSET = """
apiVersion: v1
kind: Service
metadata: {name: nginx}
spec:
  clusterIP: None
  selector: {app: nginx}
  ports: [{port: 80, name: web}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: nginx
  replicas: 2
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers: [{name: nginx, image: nginx, ports: [{containerPort: 80, name: web}]}]
"""


def test_headless_service_and_statefulset_pod_records(cluster, sh):
    cluster.apply(STATEFULSET)
    cluster.settle()
    box(cluster)
    ips = {p["metadata"]["name"]: p["status"]["podIP"] for p in cluster.get("pods", label_selector="app=nginx")}
    dns = cluster.backend.network.dns
    # a headless Service's name answers with the ready pods' addresses
    assert sorted(dns.query("nginx.default.svc.cluster.local").addresses) == sorted(ips.values())
    # StatefulSet pods get <hostname>.<subdomain> records
    code, out, _ = sh("box", "nslookup web-0.nginx.default.svc.cluster.local")
    assert code == 0 and f"Name:\tweb-0.nginx.default.svc.cluster.local\nAddress: {ips['web-0']}\n" in out
    assert sh("box", "wget -qO- http://web-1.nginx/")[0] == 0
    assert dns.query("web-7.nginx.default.svc.cluster.local").rcode == "NXDOMAIN"


def test_external_name_is_a_cname_and_pod_records_are_insecure(cluster, sh):
    cluster.apply({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "my-db"},
                   "spec": {"type": "ExternalName", "externalName": "db.example.com"}})
    box(cluster)
    code, out, _ = sh("box", "nslookup my-db.default.svc.cluster.local")
    assert "my-db.default.svc.cluster.local\tcanonical name = db.example.com\n" in out
    # `pods insecure`: any a-b-c-d.<ns>.pod name answers with a.b.c.d (Corefile of minikube)
    out = sh("box", "nslookup 10-244-0-99.default.pod.cluster.local")[1]
    assert "Name:\t10-244-0-99.default.pod.cluster.local\nAddress: 10.244.0.99\n" in out
    assert "server can't find nothing.default.svc.cluster.local: NXDOMAIN" in sh(
        "box", "nslookup nothing.default.svc.cluster.local")[1]


def test_dns_needs_a_ready_coredns_pod(cluster, sh):
    cluster.kubectl("create deployment web --image=nginx")
    cluster.kubectl("expose deployment web --port=80")
    box(cluster)
    cluster.kubectl("scale deployment coredns -n kube-system --replicas=0")
    cluster.settle()
    # nslookup.c: every query unanswered
    assert sh("box", "nslookup web") == (1, ";; connection timed out; no servers could be reached\n\n", "")
    assert sh("box", "wget -qO- http://web/") == (1, "", "wget: bad address 'web'\n")
    ip = cluster_ip(cluster, "web")
    assert sh("box", f"wget -qO- http://{ip}/")[0] == 0  # addresses need no DNS


def test_the_kubelet_writes_resolv_conf_and_a_managed_hosts_file():
    # pkg/kubelet/network/dns (ClusterFirst: the cluster nameserver, search path, ndots:5) and kubelet_pods.go
    # managedHostsFileContent / hostsEntriesFromHostAliases (tab-separated entries; docs: "Adding entries to
    # Pod /etc/hosts with HostAliases").
    cluster = k8scourse.connect()
    cluster.apply("""
apiVersion: v1
kind: Pod
metadata: {name: box, namespace: default}
spec:
  hostname: db-0
  subdomain: db
  hostAliases: [{ip: 10.1.2.3, hostnames: [foo.remote, bar.remote]}]
  containers: [{name: b, image: busybox, command: [sleep, "3600"]}]
""")
    cluster.settle()
    ip = cluster.get("pods", "box")["status"]["podIP"]
    assert cluster.kubectl("exec box -- cat /etc/resolv.conf").stdout == (
        "nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n")
    assert cluster.kubectl("exec box -- cat /etc/hosts").stdout == (
        "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
        "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n"
        f"{ip}\tdb-0.db.default.svc.cluster.local\tdb-0\n"
        "\n# Entries added by HostAliases.\n10.1.2.3\tfoo.remote\tbar.remote\n")
