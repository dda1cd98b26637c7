"""The conformance suite's parametrisation helper and the Harness each test receives (see conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from k8scourse.cluster import Cluster

BACKENDS = ("sim", "serve", "real")
TEST_CONTEXT_ENV = "K8SCOURSE_TEST_CONTEXT"


def on_backends(**skips: str) -> pytest.MarkDecorator:
    """Parametrise a test over every backend; `serve="k8scourse serve does not ... yet"` skips one of them
    with that reason."""
    params = [pytest.param(name, marks=pytest.mark.skip(reason=skips[name])) if name in skips else name
              for name in BACKENDS]
    return pytest.mark.parametrize("backend", params, indirect=True)


@dataclass
class Harness:
    """One backend under test: its cluster (current namespace made for this test) and its clock."""

    name: str
    cluster: Cluster
    settle: Callable[[], Any]
    advance: Callable[[float], Any]

    @property
    def namespace(self) -> str:
        return self.cluster.namespace

    def kubectl(self, command: str, stdin: str | None = None) -> Any:
        return self.cluster.kubectl(command, stdin=stdin)

    def rt(self, name: str) -> Any:
        return self.cluster.resource(name)


@dataclass
class Site:
    """A cluster shared by a test module, and how to move its time."""

    backend: Any
    settle: Callable[[], Any]
    advance: Callable[[float], Any]
