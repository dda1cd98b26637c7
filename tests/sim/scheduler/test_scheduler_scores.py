"""Scores: LeastAllocated, BalancedAllocation, TaintToleration, NodeAffinity and default spreading.

Formulas from pkg/scheduler/framework/plugins/noderesources (least_allocated.go, balanced_allocation.go),
tainttoleration, nodeaffinity, podtopologyspread (system default constraints) and helper/normalize_score.go;
weights from pkg/scheduler/apis/config/v1/default_plugins.go; adaptive percentageOfNodesToScore from
schedule_one.go numFeasibleNodesToFind.
"""

from __future__ import annotations

from collections import Counter

import k8scourse
from k8scourse.sim.scheduler.scheduler import num_feasible_nodes_to_find
from k8scourse.sim.scheduler.scores import default_normalize

from .helpers import edit_node, pod


def test_default_normalize():
    assert default_normalize([0, 2, 4]) == [0, 50, 100]
    assert default_normalize([0, 2, 4], reverse=True) == [100, 50, 0]
    assert default_normalize([0, 0], reverse=True) == [100, 100]


def test_nodes_to_find_is_adaptive():
    assert num_feasible_nodes_to_find(50) == 50
    assert num_feasible_nodes_to_find(500) == 230  # 46%
    assert num_feasible_nodes_to_find(1000) == 420  # 42%
    assert num_feasible_nodes_to_find(6000) == 300  # at least 5%


def test_least_allocated_prefers_the_emptier_node():
    cluster = k8scourse.connect(nodes=2)
    cluster.apply(pod("heavy", cpu="1500m", nodeSelector={"kubernetes.io/hostname": "minikube"}))
    cluster.apply(pod("light", cpu="200m", memory="100Mi"))
    assert cluster.get("pod", "light")["spec"]["nodeName"] == "minikube-m02"


def test_prefer_no_schedule_taint_is_avoided():
    cluster = k8scourse.connect(nodes=2)
    edit_node(cluster, "minikube-m02", lambda n: n["spec"].__setitem__(
        "taints", [{"key": "spot", "value": "true", "effect": "PreferNoSchedule"}]))
    placed = set()
    for i in range(3):
        cluster.apply(pod(f"p{i}"))
        placed.add(cluster.get("pod", f"p{i}")["spec"]["nodeName"])
    assert placed == {"minikube"}


def test_preferred_node_affinity_wins():
    cluster = k8scourse.connect(nodes=3)
    edit_node(cluster, "minikube-m03", lambda n: n["metadata"]["labels"].__setitem__("disktype", "ssd"))
    preferred = {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 50, "preference": {"matchExpressions": [{"key": "disktype", "operator": "In", "values": ["ssd"]}]}}]}}
    cluster.apply(pod("fast", affinity=preferred))
    assert cluster.get("pod", "fast")["spec"]["nodeName"] == "minikube-m03"


def test_pods_behind_a_service_spread_over_the_nodes():
    cluster = k8scourse.connect(nodes=3)
    cluster.apply({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                   "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}})
    for i in range(6):
        cluster.apply(pod(f"web-{i}", labels={"app": "web"}))
    placed = Counter(cluster.get("pod", f"web-{i}")["spec"]["nodeName"] for i in range(6))
    assert sorted(placed.values()) == [2, 2, 2]
