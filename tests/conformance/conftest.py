"""The backend conformance suite's fixtures: one set of tests, run on every backend.

`backend` is parametrised over:
- `sim`: the simulated cluster in-process;
- `serve`: the official-client backend (`RealCluster`) talking to `k8scourse serve` on loopback, the
  server running a simulated cluster with its clock stopped (time moves when a test settles or advances);
- `real`: the official-client backend on the real cluster named by K8SCOURSE_TEST_CONTEXT (skipped when
  that is unset or the cluster does not answer).

Each test gets a `Harness`: a `Cluster` whose current namespace is a fresh one made for the test, and
`settle()`/`advance()` that move time the way that backend moves it.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from k8scourse.cluster import Cluster

from .harness import TEST_CONTEXT_ENV, Harness, Site

_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def sim_site() -> Site:
    from k8scourse.sim.cluster import SimulatedCluster

    sim = SimulatedCluster()
    return Site(sim, sim.settle, sim.advance)


@pytest.fixture(scope="module")
def serve_site() -> Iterator[Site]:
    try:
        from k8scourse.serve import serve
    except ImportError:  # pragma: no cover - until k8scourse serve is there
        pytest.skip("k8scourse serve is not available")
    from k8scourse.real import RealCluster
    from k8scourse.sim.cluster import SimulatedCluster

    server = serve(SimulatedCluster(), speed=0)
    try:
        yield Site(RealCluster(server.kubeconfig), server.settle, server.advance)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def real_site() -> Site:
    context = os.environ.get(TEST_CONTEXT_ENV)
    if not context:
        pytest.skip(f"no real cluster: set {TEST_CONTEXT_ENV} to a local kubeconfig context (e.g. minikube) "
                    "to run the conformance suite on it")
    from k8scourse.api.errors import K8sError
    from k8scourse.real import RealCluster

    try:
        real = RealCluster(context=context)
        real.version()
    except K8sError as exc:
        pytest.skip(f"the cluster of context {context!r} cannot be used: {exc}")
    return Site(real, lambda: real.settle(180), real.advance)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> Iterator[Harness]:
    """The backend named by the test's parameter, with a fresh namespace for the test."""
    site: Site = request.getfixturevalue(f"{request.param}_site")
    namespace = f"conformance-{next(_numbers)}"
    if request.param == "real":  # a namespace from an earlier run may still be terminating
        namespace += f"-{os.getpid()}"
    cluster = Cluster(site.backend, namespace="default")
    cluster.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
    cluster.namespace = namespace
    yield Harness(request.param, cluster, site.settle, site.advance)
    if request.param == "real":
        cluster.delete("namespace", namespace, namespace="default", ignore_not_found=True)
