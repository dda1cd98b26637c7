"""kubectl logs / exec / top / wait: golden transcripts on a running Deployment, and the error wording.

Regenerate with `pytest tests/kubectl --update-golden` after checking against kubectl v1.33. Wording from
staging/src/k8s.io/kubectl/pkg/polymorphichelpers/logsforobject.go (`Found 3 pods, using pod/...`,
`Defaulted container ...`), pkg/cmd/util/podcmd/podcmd.go, pkg/cmd/exec/exec.go, pkg/cmd/top/top_pod.go
(`metrics not available yet`), pkg/metricsutil/metrics_printer.go (columns, `1m`, `3Mi`, trailing tabs),
pkg/cmd/wait/wait.go (`condition met`, `timed out waiting for the condition on deployments/web`) and the
kubelet's validateContainerLogStatus (pkg/kubelet/kubelet_pods.go).
"""

from __future__ import annotations

import pytest

from k8scourse.kubectl.verbs.pods import go_duration, parse_duration

SIDECAR = """apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  containers:
  - name: app
    image: nginx
  - name: helper
    image: busybox
    command: ["sh", "-c", "echo helper started; sleep 3600"]
"""


@pytest.fixture
def web(cluster):
    cluster.kubectl("create deployment web --image=nginx --replicas=3")
    cluster.kubectl("wait --for=condition=Available deployment/web --timeout=60s")
    return cluster


def _first_pod(cluster) -> str:
    return cluster.kubectl("get pods -l app=web -o name").stdout.split()[0].split("/")[1]


def test_logs_exec_wait_transcript(web, golden, transcript):
    pod = _first_pod(web)
    text = transcript(web, [
        "logs deploy/web --tail=2",
        f"logs {pod} --tail=1 --timestamps",
        f"logs {pod} -c sidecar",
        f"logs {pod} --previous",
        "logs",
        f"exec {pod} -- ls /",
        f"exec {pod} -- sh -c 'echo oops; exit 3'",
        f"exec -it {pod} -- bin/bash",
        f"exec {pod} ls",
        f"exec {pod}",
        "wait --for=condition=Available deployment/web",
        f"wait --for=jsonpath={{.status.phase}}=Running pod/{pod}",
        "wait --for=condition=Progressing=False deployment/web --timeout=5s",
        "wait --for=ready deployment/web",
        "wait --for=condition=Available deployment/nope",
        "wait --for=delete deployment/web --timeout=2s",
    ])
    golden("kubectl/logs-exec-wait", text)


def test_top_before_and_after_the_first_scrape(web, golden, transcript):
    without = transcript(web, ["top pods"])  # no metrics-server addon yet: no metrics API
    web.minikube("addons enable metrics-server")
    web.settle()
    before = without + transcript(web, ["top pods", "top nodes"])
    web.advance(30)
    after = transcript(web, ["top pods", "top pods --containers", "top pods -A --no-headers", "top nodes", "top"])
    golden("kubectl/top", before + after)


def test_exec_exit_code_propagates(web):
    result = web.kubectl(["exec", _first_pod(web), "--", "sh", "-c", "exit 7"])
    assert result.returncode == 7
    assert result.stderr.endswith("command terminated with exit code 7\n")


def test_several_containers_default_to_the_first(cluster, golden, transcript):
    cluster.kubectl("apply -f -", stdin=SIDECAR)
    cluster.settle()
    text = transcript(cluster, ["logs two -c helper", "logs two", "exec two -- echo hi", "exec two -c nope -- true"])
    golden("kubectl/logs-two-containers", text)


def test_logs_of_an_image_that_cannot_be_pulled(cluster):
    cluster.kubectl("run broken --image=nginx:no-such-tag")
    cluster.advance(30)
    result = cluster.kubectl("logs broken")
    assert result.returncode == 1
    assert result.stderr.startswith('Error from server (BadRequest): container "broken" in pod "broken" is waiting '
                                    "to start: ")


def test_logs_follow_advances_time_and_says_why_it_stopped(cluster):
    cluster.kubectl("run ticker --image=busybox -- sh -c 'for i in 1 2 3; do echo tick $i; sleep 5; done'")
    cluster.advance(8)
    result = cluster.kubectl("logs -f ticker")
    assert result.stdout == "tick 1\ntick 2\ntick 3\n"
    assert "the container stopped" in result.stderr
    assert result.returncode == 0


def test_wait_times_out_with_kubectls_message(web):
    before = web.backend.now
    result = web.kubectl("wait --for=jsonpath={.status.replicas}=5 deployment/web --timeout=10s")
    assert result.stderr == "error: timed out waiting for the condition on deployments/web\n"
    assert result.returncode == 1
    assert web.backend.now - before == pytest.approx(10)


def test_wait_for_delete(web):
    pod = _first_pod(web)
    web.kubectl(f"delete pod {pod} --wait=false")
    assert web.kubectl(f"wait --for=delete pod/{pod} --timeout=60s").stdout == f"pod/{pod} condition met\n"
    # already gone: NotFound is ignored for --for=delete (wait.go), nothing printed, exit 0
    result = web.kubectl(f"wait --for=delete pod/{pod}")
    assert (result.stdout, result.stderr, result.returncode) == ("", "", 0)


def test_go_durations():
    assert parse_duration("1m30s", "timeout", "wait") == 90
    assert parse_duration("0", "timeout", "wait") == 0
    assert go_duration(125.5) == "2m5.5s"
    assert go_duration(3600) == "1h0m0s"


def test_logs_of_a_missing_pod_or_workload(cluster):
    # logs.go Complete: the builder's NotFound gets ` in namespace %q` and, no longer a Status, prints as `error: `
    assert cluster.kubectl("logs nope").stderr == (
        'error: error from server (NotFound): pods "nope" not found in namespace "default"\n')
    assert cluster.kubectl("logs deploy/nope -n kube-system").stderr == (
        'error: error from server (NotFound): deployments.apps "nope" not found in namespace "kube-system"\n')
