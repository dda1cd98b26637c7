"""Filters and the FailedScheduling message, worded as kube-scheduler v1.33.

Message: pkg/scheduler/framework/types.go FitError.Error ("0/%v nodes are available:", reasons counted
and sorted as strings, then the PostFilter message). Preemption part: pkg/scheduler/framework/preemption
/preemption.go ("Preemption is not helpful for scheduling") and plugins/defaultpreemption
("No preemption victims found for incoming pod"). Reasons: plugins/nodeunschedulable, tainttoleration
("node(s) had untolerated taint {%s: %s}"), nodeaffinity, noderesources/fit.go, nodeports, interpodaffinity.
"""

from __future__ import annotations

import k8scourse

from .helpers import edit_node, events, pod, scheduled_condition

NOT_HELPFUL_1 = "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."


def _failure(cluster, name):
    assert not cluster.get("pod", name)["spec"].get("nodeName")
    condition = scheduled_condition(cluster, name)
    assert condition["status"] == "False" and condition["reason"] == "Unschedulable"
    (event,) = events(cluster, name, "FailedScheduling")
    assert event["type"] == "Warning" and event["source"]["component"] == "default-scheduler"
    assert event["message"] == condition["message"]
    return event["message"]


def test_insufficient_cpu(cluster):
    cluster.apply(pod("big", cpu="3"))
    assert _failure(cluster, "big") == ("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are "
                                        "available: 1 No preemption victims found for incoming pod.")


def test_insufficient_cpu_and_memory_are_both_counted(cluster):
    cluster.apply(pod("huge", cpu="3", memory="8Gi"))
    assert _failure(cluster, "huge").startswith("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.")


def test_requests_add_up_over_the_pods_on_the_node(cluster):
    # minikube's control plane and CoreDNS already request 750m of the node's 2 CPUs
    cluster.apply(pod("a", cpu="1000m"))
    cluster.apply(pod("b", cpu="700m"))
    assert cluster.get("pod", "a")["spec"]["nodeName"] == "minikube"
    assert _failure(cluster, "b").startswith("0/1 nodes are available: 1 Insufficient cpu.")


def test_init_containers_count_as_a_maximum(cluster):
    body = pod("init", cpu="500m")
    body["spec"]["initContainers"] = [{"name": "setup", "image": "busybox", "resources": {"requests": {"cpu": "1000m"}}}]
    cluster.apply(body)
    info = cluster.backend.scheduler.cache.nodes["minikube"]
    assert info.requested["cpu"] == 750 + 1000  # the system pods' 750m, then the init container's maximum


def test_node_selector_mismatch(cluster):
    cluster.apply(pod("picky", nodeSelector={"disktype": "ssd"}))
    assert _failure(cluster, "picky") == (
        "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. " + NOT_HELPFUL_1)


def test_untolerated_taint(cluster):
    edit_node(cluster, "minikube", lambda n: n["spec"].__setitem__(
        "taints", [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]))
    cluster.apply(pod("plain"))
    assert _failure(cluster, "plain") == (
        "0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. " + NOT_HELPFUL_1)
    cluster.apply(pod("tolerant", tolerations=[{"key": "dedicated", "operator": "Equal", "value": "gpu",
                                                 "effect": "NoSchedule"}]))
    assert cluster.get("pod", "tolerant")["spec"]["nodeName"] == "minikube"


def test_cordoned_node(cluster):
    edit_node(cluster, "minikube", lambda n: n["spec"].__setitem__("unschedulable", True))
    cluster.apply(pod("waiting"))
    assert _failure(cluster, "waiting") == "0/1 nodes are available: 1 node(s) were unschedulable. " + NOT_HELPFUL_1


def test_host_port_conflict(cluster):
    body = pod("first")
    body["spec"]["containers"][0]["ports"] = [{"containerPort": 80, "hostPort": 8080}]
    cluster.apply(body)
    body["metadata"]["name"] = "second"
    cluster.apply(body)
    assert _failure(cluster, "second").startswith(
        "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.")


def test_reasons_are_counted_and_sorted_over_nodes():
    cluster = k8scourse.connect(nodes=3)
    edit_node(cluster, "minikube", lambda n: n["spec"].__setitem__("unschedulable", True))
    edit_node(cluster, "minikube-m02", lambda n: n["metadata"]["labels"].__setitem__("disktype", "ssd"))
    cluster.apply(pod("greedy", cpu="3", nodeSelector={"disktype": "ssd"}))
    assert _failure(cluster, "greedy") == (
        "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, "
        "1 node(s) were unschedulable. preemption: 0/3 nodes are available: 1 No preemption victims found for "
        "incoming pod, 2 Preemption is not helpful for scheduling.")


def test_preemption_policy_never():
    cluster = k8scourse.connect()
    cluster.apply({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "polite"},
                   "value": 1000, "preemptionPolicy": "Never"})
    cluster.apply(pod("polite", cpu="3", priorityClassName="polite"))
    assert _failure(cluster, "polite") == (
        "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.")


def test_required_pod_anti_affinity_keeps_replicas_apart():
    cluster = k8scourse.connect(nodes=2)
    anti = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "db"}}, "topologyKey": "kubernetes.io/hostname"}]}}
    for name in ("db-0", "db-1", "db-2"):
        cluster.apply(pod(name, labels={"app": "db"}, affinity=anti))
    nodes = {cluster.get("pod", n)["spec"].get("nodeName") for n in ("db-0", "db-1")}
    assert nodes == {"minikube", "minikube-m02"}
    assert _failure(cluster, "db-2") == (
        "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are "
        "available: 2 No preemption victims found for incoming pod.")


def test_required_pod_affinity_follows_the_other_pod():
    cluster = k8scourse.connect(nodes=3)
    cluster.apply(pod("cache", labels={"app": "cache"}))
    home = cluster.get("pod", "cache")["spec"]["nodeName"]
    near = {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "cache"}}, "topologyKey": "kubernetes.io/hostname"}]}}
    cluster.apply(pod("web", affinity=near))
    assert cluster.get("pod", "web")["spec"]["nodeName"] == home
    lonely = {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "nothing"}}, "topologyKey": "kubernetes.io/hostname"}]}}
    cluster.apply(pod("lonely", affinity=lonely))
    assert _failure(cluster, "lonely").startswith("0/3 nodes are available: 3 node(s) didn't match pod affinity rules.")


def test_match_fields_narrow_the_nodes_like_a_daemonset_pod():
    cluster = k8scourse.connect(nodes=3)
    only_m02 = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["minikube-m02"]}]}]}}}
    cluster.apply(pod("agent", cpu="3", affinity=only_m02))
    # schedule_one.go findNodesThatFitPod: nodes a PreFilterResult leaves out
    assert _failure(cluster, "agent") == (
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. "
        "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, "
        "2 Preemption is not helpful for scheduling.")
