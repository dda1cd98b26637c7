"""Shared fixtures: a fresh simulated minikube per test."""

from __future__ import annotations

import pytest

import k8scourse


@pytest.fixture
def cluster():
    return k8scourse.connect()


@pytest.fixture
def api(cluster):
    """The simulated apiserver behind `cluster` (for assertions on the store)."""
    return cluster.backend.api


@pytest.fixture
def deployment():
    """A minimal valid Deployment `web` (a fresh dict per test)."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]},
            },
        },
    }
