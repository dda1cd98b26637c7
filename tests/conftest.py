"""Shared fixtures: a fresh simulated minikube per test."""

from __future__ import annotations

from pathlib import Path

import pytest

import k8scourse

GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the golden files under tests/golden/ from the current output")


@pytest.fixture
def golden(request):
    """Compare text with tests/golden/<name>.txt (or rewrite it with --update-golden)."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / f"{name}.txt"
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            return
        assert path.exists(), f"no golden file {path}; run pytest with --update-golden to create it"
        assert text == path.read_text()

    return check


@pytest.fixture
def transcript():
    """What a terminal session running kubectl `commands` on a cluster would show, prompts included."""

    def run(cluster, commands: list[str], stdin: dict[str, str] | None = None) -> str:
        lines = []
        for command in commands:
            result = cluster.kubectl(command, stdin=(stdin or {}).get(command))
            lines.append(f"$ kubectl {command}\n{result.stdout}{result.stderr}[exit {result.returncode}]\n")
        return "".join(lines)

    return run


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
