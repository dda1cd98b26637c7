"""The simulated `minikube` command: output, streams and exit codes as minikube v1.36 prints them.

Wording from kubernetes/minikube v1.36.0: cmd/minikube/cmd/config/{addons_list,enable,disable}.go,
cmd/minikube/cmd/{ip,status,service,node_list,node_stop,node_start,version}.go, pkg/minikube/service,
pkg/minikube/tunnel/reporter.go, pkg/minikube/out (styles) and pkg/minikube/reason (exit codes);
tables from olekukonko/tablewriter v0.0.5.
"""

from __future__ import annotations

import pytest

import k8scourse
from k8scourse.sim.tablewriter import render, wrap_cell

NODEPORT_APP = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web-svc}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 8080, targetPort: 80, nodePort: 30000}]
"""


@pytest.fixture
def mk(cluster):
    return cluster.minikube


def test_addons_list_is_minikubes_table(mk):
    lines = mk("addons list").stdout.splitlines()
    assert lines[:3] == [
        "|-----------------------------|----------|--------------|--------------------------------|",
        "|         ADDON NAME          | PROFILE  |    STATUS    |           MAINTAINER           |",
        "|-----------------------------|----------|--------------|--------------------------------|"]
    assert "| default-storageclass        | minikube | enabled ✅   | Kubernetes                     |" in lines
    assert "| ingress                     | minikube | disabled     | Kubernetes                     |" in lines
    # maintainers longer than 30 columns wrap onto a second line
    inaccel = lines.index("| inaccel                     | minikube | disabled     | 3rd party (InAccel             |")
    assert lines[inaccel + 1] == "|                             |          |              | [info@inaccel.com])            |"


def test_tablewriter_wraps_with_minimum_raggedness_and_right_aligns_numbers():
    assert wrap_cell("3rd party (inspektor-gadget.io)") == ["3rd party", "(inspektor-gadget.io)"]
    assert render(["Name", "Port"], [["web", "80"]]) == (
        "|------|------|\n| NAME | PORT |\n|------|------|\n| web  |   80 |\n|------|------|\n")


def test_enable_ingress_prints_minikubes_lines(mk):
    result = mk("addons enable ingress")
    assert result.returncode == 0
    assert result.stdout == (
        "💡  ingress is an addon maintained by Kubernetes. For any concerns contact minikube on GitHub.\n"
        "You can view the list of minikube maintainers at: https://github.com/kubernetes/minikube/blob/master/OWNERS\n"
        "    ▪ Using image registry.k8s.io/ingress-nginx/controller:v1.12.2\n"
        "    ▪ Using image registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.5.3\n"
        "    ▪ Using image registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.5.3\n"
        "🔎  Verifying ingress addon...\n"
        "🌟  The 'ingress' addon is enabled\n")
    assert "| ingress                     | minikube | enabled ✅   | Kubernetes                     |" in \
        mk("addons list").stdout.splitlines()


def test_unknown_addon_exits_as_minikube_does(mk):
    result = mk("addons enable nope")
    assert result.returncode == 10  # MK_ADDON_ENABLE: ExProgramError
    assert result.stdout == "\n\n"
    assert result.stderr.startswith("❌  Exiting due to MK_ADDON_ENABLE: enable failed: run callbacks: nope is not "
                                    "a valid addon\n")
    disabled = mk("addons disable nope")
    assert (disabled.returncode, disabled.stderr) == (
        116, "❌  Exiting due to SVC_ADDON_UNSUPPORTED: \"'nope' is not a valid minikube addon\n")


def test_third_party_and_unmodelled_addons(mk):
    result = mk("addons enable kong")
    assert result.returncode == 10
    assert "does not model the 'kong' addon" in result.stderr
    assert mk("addons enable").stderr == "❌  Exiting due to MK_USAGE: usage: minikube addons enable ADDON_NAME\n"


def test_ip_status_node_list_and_version():
    cluster = k8scourse.connect(nodes=2)
    assert cluster.minikube("ip").stdout == "192.168.49.2\n"
    assert cluster.minikube("ip -n minikube-m02").stdout == "192.168.49.3\n"
    assert cluster.minikube("node list").stdout == "minikube\t192.168.49.2\nminikube-m02\t192.168.49.3\n"
    assert cluster.minikube("status").stdout == (
        "minikube\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Configured\n\n"
        "minikube-m02\ntype: Worker\nhost: Running\nkubelet: Running\n\n")
    assert cluster.minikube("version").stdout == ("minikube version: v1.36.0\n"
                                                  "commit: f8f52f5de11fc6ad8244afac475e1d0f96841df1\n")


def test_node_stop_and_start_use_the_cluster_nodes():
    cluster = k8scourse.connect(nodes=2)
    stopped = cluster.minikube("node stop minikube-m02")
    assert stopped.stdout == ('✋  Stopping node "minikube-m02"  ...\n🛑  Powering off "minikube-m02" via SSH ...\n'
                              "🛑  Successfully stopped node minikube-m02\n")
    status = cluster.minikube("status")
    assert status.returncode == 3  # minikubeNotRunningStatusFlag | clusterNotRunningStatusFlag
    assert "minikube-m02\ntype: Worker\nhost: Stopped\nkubelet: Stopped\n" in status.stdout
    cluster.advance(60)
    assert cluster.get("node", "minikube-m02")["status"]["conditions"][-1]["status"] == "Unknown"
    started = cluster.minikube("node start minikube-m02")
    assert started.stdout.endswith("😄  Successfully started node minikube-m02!\n")
    assert cluster.minikube("status").returncode == 0
    missing = cluster.minikube("node stop minikube-m09")
    assert missing.returncode == 85
    assert missing.stderr.startswith("❌  Exiting due to GUEST_NODE_RETRIEVE: retrieving node: Could not find node "
                                     "minikube-m09\n")


def test_service_url_and_table(cluster):
    cluster.apply(NODEPORT_APP)
    cluster.settle()
    assert cluster.minikube("service web-svc --url").stdout == "http://192.168.49.2:30000\n"
    table = cluster.minikube("service web-svc").stdout
    assert table == (
        "|-----------|---------|-------------|---------------------------|\n"
        "| NAMESPACE |  NAME   | TARGET PORT |            URL            |\n"
        "|-----------|---------|-------------|---------------------------|\n"
        "| default   | web-svc |        8080 | http://192.168.49.2:30000 |\n"
        "|-----------|---------|-------------|---------------------------|\n"
        "🎉  Opening service default/web-svc in default browser...\n")
    missing = cluster.minikube("service nope")
    assert missing.returncode == 115
    assert missing.stderr == ("❌  Exiting due to SVC_NOT_FOUND: Service 'nope' was not found in 'default' namespace.\n"
                              "You may select another namespace by using 'minikube service nope -n <namespace>'. Or "
                              "list out all the services using 'minikube service list'\n")


def test_tunnel_gives_load_balancers_their_cluster_ip(cluster):
    cluster.apply(NODEPORT_APP)
    cluster.settle()
    assert "<pending>" in cluster.kubectl("get svc web-svc").stdout
    result = cluster.minikube("tunnel")
    assert result.stdout.startswith("Status:\t\n\tmachine: minikube\n\tpid: ")
    assert "\troute: 10.96.0.0/12 -> 192.168.49.2\n\tminikube: Running\n\tservices: [web-svc]\n" in result.stdout
    svc = cluster.get("service", "web-svc")
    assert svc["status"]["loadBalancer"]["ingress"] == [{"ip": svc["spec"]["clusterIP"], "ipMode": "VIP"}]
    cluster.minikube(["tunnel", "--cleanup"])
    assert not cluster.get("service", "web-svc")["status"]["loadBalancer"]


def test_kubectl_passthrough_and_unknown_commands(cluster):
    assert cluster.minikube("kubectl -- get ns default -o name").stdout == "namespace/default\n"
    unknown = cluster.minikube("frobnicate")
    assert (unknown.returncode, unknown.stderr) == (
        1, "Error: unknown command \"frobnicate\" for \"minikube\"\nRun 'minikube --help' for usage.\n")
