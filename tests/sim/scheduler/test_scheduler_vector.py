"""The array path (scheduler/vector.py) against the per-node plugins: same windows, scores and choices.

Random clusters (node sizes, zones, taints, unschedulable nodes, images pulled along the way) get random
Deployments and bare pods (requests, tolerations, nodeSelector, preferred node affinity, Services for the
default spreading) twice from the same seed: once scheduled node by node, once with arrays. Every pod must
land on the same node, and every recorded cycle must explain the same filters and scores.
"""

from __future__ import annotations

import random

import pytest

import k8scourse
from k8scourse.sim.scheduler import scheduler as scheduler_module
from k8scourse.sim.scheduler import vector

from .helpers import edit_node

ZONE = "topology.kubernetes.io/zone"


def _shape_nodes(cluster, rng: random.Random) -> None:
    for node in cluster.backend.api.store.list("nodes"):
        name = node["metadata"]["name"]
        cpu, memory = rng.choice(["2", "4", "8"]), rng.choice(["4Gi", "8Gi", "16Gi"])
        zone = rng.choice(["a", "b", "c", None])
        taint = rng.choice([None, None, "PreferNoSchedule", "NoSchedule"])
        unschedulable = rng.random() < 0.1

        def change(n, cpu=cpu, memory=memory, zone=zone, taint=taint, unschedulable=unschedulable):
            n["status"]["allocatable"].update(cpu=cpu, memory=memory)
            if zone:
                n["metadata"]["labels"][ZONE] = zone
            if taint:
                n["spec"]["taints"] = [{"key": "dedicated", "value": "db", "effect": taint}]
            if unschedulable:
                n["spec"]["unschedulable"] = True
        edit_node(cluster, name, change)


def _workload(rng: random.Random, index: int) -> list[dict]:
    name = f"app-{index}"
    container = {"name": "c", "image": rng.choice(["nginx:1.27", "redis:7", "busybox:1.36", "httpd:2.4"]),
                 "command": ["sleep", "3600"]}
    requests = {}
    if rng.random() < 0.8:
        requests["cpu"] = rng.choice(["50m", "250m", "500m", "1"])
    if rng.random() < 0.7:
        requests["memory"] = rng.choice(["64Mi", "256Mi", "1Gi"])
    if requests:
        container["resources"] = {"requests": requests}
    spec: dict = {"containers": [container]}
    if rng.random() < 0.3:
        spec["tolerations"] = [{"key": "dedicated", "operator": "Equal", "value": "db",
                                "effect": rng.choice(["NoSchedule", "PreferNoSchedule"])}]
    if rng.random() < 0.2:
        spec["nodeSelector"] = {ZONE: rng.choice(["a", "b"])}
    if rng.random() < 0.3:
        spec["affinity"] = {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": rng.choice([10, 50]), "preference": {"matchExpressions": [
                {"key": ZONE, "operator": "In", "values": [rng.choice(["a", "c"])]}]}}]}}
    labels = {"app": name}
    objects: list[dict] = []
    if rng.random() < 0.7:
        objects.append({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
                        "spec": {"replicas": rng.randint(1, 12), "selector": {"matchLabels": labels},
                                 "template": {"metadata": {"labels": labels}, "spec": spec}}})
    else:
        objects.append({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels},
                        "spec": spec})
    if rng.random() < 0.5:
        objects.append({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
                        "spec": {"selector": labels, "ports": [{"port": 80}]}})
    return objects


def _run(seed: int, nodes: int, arrays: bool) -> tuple[dict[str, str], dict[str, object], int]:
    cluster = k8scourse.connect(nodes=nodes, seed=seed)
    scheduler = cluster.backend.scheduler
    scheduler.vector_min_nodes = 1 if arrays else 10**9
    used = 0
    original = scheduler_module.find_window

    def counting(*args, **kwargs):
        nonlocal used
        used += 1
        return original(*args, **kwargs)

    scheduler_module.find_window = counting
    try:
        rng = random.Random(seed)
        _shape_nodes(cluster, rng)
        for index in range(14):
            for obj in _workload(rng, index):
                cluster.create(obj)
            cluster.advance(rng.choice([0, 1, 5, 30]))
        cluster.settle()
    finally:
        scheduler_module.find_window = original
    pods = cluster.backend.api.store.list("pods", "default")
    placed = {p["metadata"]["name"]: (p.get("spec") or {}).get("nodeName", "") for p in pods}
    explained = {name: scheduler.explain(("default", name)) for name in placed}
    return placed, explained, used


@pytest.mark.parametrize("seed,nodes", [(1, 20), (2, 37), (3, 120)])
def test_arrays_choose_what_the_per_node_plugins_choose(seed, nodes):
    per_node, per_node_explained, used_per_node = _run(seed, nodes, arrays=False)
    arrays, arrays_explained, used_arrays = _run(seed, nodes, arrays=True)
    assert used_per_node == 0 and used_arrays > 0
    assert arrays == per_node
    assert sum(1 for node in arrays.values() if node) > 20
    for name, explained in per_node_explained.items():
        assert arrays_explained[name] == explained, name


def test_a_pod_with_inter_pod_affinity_or_host_ports_goes_node_by_node():
    cluster = k8scourse.connect(nodes=20)
    ctx_pods = [
        {"containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 80, "hostPort": 8080}]}]},
        {"containers": [{"name": "c", "image": "nginx"}], "affinity": {"podAntiAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": [
                {"labelSelector": {"matchLabels": {"app": "x"}}, "topologyKey": "kubernetes.io/hostname"}]}}},
        {"containers": [{"name": "c", "image": "nginx"}], "topologySpreadConstraints": [
            {"maxSkew": 1, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "DoNotSchedule",
             "labelSelector": {"matchLabels": {"app": "x"}}}]},
        {"containers": [{"name": "c", "image": "nginx", "resources": {"requests": {"nvidia.com/gpu": "1"}}}]},
    ]
    scheduler = cluster.backend.scheduler
    for spec in ctx_pods:
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"}, "spec": spec}
        assert not vector.eligible(scheduler._context(pod), scheduler.cache)
    plain = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
             "spec": {"containers": [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "1"}}}]}}
    assert vector.eligible(scheduler._context(plain), scheduler.cache)


def test_an_unschedulable_pod_is_worded_by_the_per_node_path_on_a_large_cluster():
    cluster = k8scourse.connect(nodes=20)
    cluster.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "huge"},
                    "spec": {"containers": [{"name": "c", "image": "nginx",
                                             "resources": {"requests": {"cpu": "64"}}}]}})
    cluster.settle()
    events = [e for e in cluster.backend.api.store.list("events", "default")
              if e["involvedObject"]["name"] == "huge" and e["reason"] == "FailedScheduling"]
    # pkg/scheduler/framework/types.go FitError.Error
    assert events[0]["message"].startswith("0/20 nodes are available: 20 Insufficient cpu.")
