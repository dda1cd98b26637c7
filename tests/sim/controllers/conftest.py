"""Fixtures for controller tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def kubeletless(cluster):
    """The shared cluster with its kubelets detached from the store: the test writes pod status as a kubelet
    would, so a controller can be driven through states the kubelets would not reach on cue."""
    for kubelet in cluster.backend.kubelets.values():
        cluster.backend.api.store.unsubscribe(kubelet._on_event)
    return cluster
