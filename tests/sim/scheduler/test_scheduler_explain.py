"""Explanations: per node, each filter's verdict and each score plugin's points, for the UI to draw."""

from __future__ import annotations

import dataclasses

import pytest

import k8scourse

from .helpers import edit_node, pod


def test_explanation_of_a_placement():
    cluster = k8scourse.connect(nodes=2)
    edit_node(cluster, "minikube", lambda n: n["spec"].__setitem__("unschedulable", True))
    cluster.apply(pod("web", cpu="100m"))
    why = cluster.backend.explain_scheduling("default", "web")
    assert why.chosen == "minikube-m02"
    assert why.message == "Successfully assigned default/web to minikube-m02"
    rejected = why.node("minikube")
    assert not rejected.feasible
    assert rejected.filters[0].plugin == "NodeUnschedulable" and rejected.filters[0].reason == "node(s) were unschedulable"
    assert all(f.passed is None for f in rejected.filters[1:])  # filters stop at the first rejection
    chosen = why.node("minikube-m02")
    scores = {s.plugin: s for s in chosen.scores}
    assert scores["TaintToleration"].weighted == 300
    # LeastAllocated over the pod, the node's kube-proxy (no requests: scored as 100m and 200Mi) and kindnet
    # (100m, 50Mi): cpu (2000-300)*100/2000 = 85; memory (3912940Ki-450Mi)*100/3912940Ki = 88; mean 86
    assert scores["NodeResourcesFit"].raw == 86
    assert "PodTopologySpread" in why.skipped_scores
    assert "minikube: filtered out by NodeUnschedulable: node(s) were unschedulable" in why.text()
    assert "<table>" in why._repr_html_()
    with pytest.raises(dataclasses.FrozenInstanceError):
        why.chosen = "x"


def test_explanation_of_a_failure_and_of_an_unknown_pod(cluster):
    cluster.apply(pod("big", cpu="3"))
    why = cluster.backend.explain_scheduling("default", "big")
    assert why.chosen is None
    assert why.message.startswith("0/1 nodes are available: 1 Insufficient cpu.")
    assert why.node("minikube").rejection == "NodeResourcesFit: Insufficient cpu"
    assert cluster.backend.explain_scheduling("default", "nothing") is None
