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
