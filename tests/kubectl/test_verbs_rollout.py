"""kubectl rollout status / history / undo / restart / pause / resume as the notes use them, through the verb.

Wording after staging/src/k8s.io/kubectl/pkg/cmd/rollout/*.go (`required resource not specified`, the
help text of `kubectl rollout`) and pkg/polymorphichelpers (status viewers, history, rollback, pauser,
resumer, restarter); `timed out waiting for the condition` is wait.ErrWaitTimeout's text
(staging/src/k8s.io/apimachinery/pkg/util/wait). Regenerate the golden file with
`pytest tests/kubectl --update-golden` after checking the new output against a real kubectl v1.33.
"""

from __future__ import annotations

import pytest

from k8scourse.api.errors import K8sError
from k8scourse.kubectl.verbs.rollout import parse_duration


@pytest.fixture
def nginx(cluster):
    assert cluster.kubectl("create deployment nginx-depl --image=nginx:1.16 --replicas=3").ok
    cluster.settle()
    return cluster


def test_notes_rollout_transcript(nginx, golden, transcript):
    commands = [
        "rollout status deployment/nginx-depl",
        "set image deployment/nginx-depl nginx=nginx:1.17",
        "rollout status deployment/nginx-depl",
        "rollout history deployment/nginx-depl",
        "rollout history deployment/nginx-depl --revision=2",
        "rollout undo deployment/nginx-depl",
        "rollout status deployment nginx-depl",
        "rollout history deployment/nginx-depl",
        "rollout undo deployment/nginx-depl --to-revision=9",
        "rollout pause deployment/nginx-depl",
        "rollout pause deployment/nginx-depl",
        "rollout undo deployment/nginx-depl",
        "rollout resume deployment/nginx-depl",
        "rollout status deployment/nope",
        "rollout status",
        "rollout",
    ]
    golden("kubectl/rollout-notes", transcript(nginx, commands))


def test_status_waits_in_simulated_time(nginx, api):
    assert nginx.kubectl("set image deployment/nginx-depl nginx=nginx:1.17").ok
    before = api.clock.now
    result = nginx.kubectl("rollout status deployment/nginx-depl")
    assert result.ok and result.stdout.endswith('deployment "nginx-depl" successfully rolled out\n')
    assert api.clock.now > before  # the clock moved while kubectl watched
    image = nginx.get("deployment", "nginx-depl")["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image == "nginx:1.17"
    running = [p for p in nginx.get("pods") if not p["metadata"].get("deletionTimestamp")]  # old ones terminate
    assert len(running) == 3 and all(p["spec"]["containers"][0]["image"] == "nginx:1.17" for p in running)


def test_status_times_out_on_an_image_that_never_pulls(nginx, api):
    assert nginx.kubectl("set image deployment/nginx-depl nginx=nginx:no-such-tag").ok
    before = api.clock.now
    result = nginx.kubectl("rollout status deployment/nginx-depl --timeout=30s")
    assert result.returncode == 1
    assert result.stdout.startswith('Waiting for deployment "nginx-depl" rollout to finish: 1 out of 3 new replicas')
    assert result.stderr == "error: timed out waiting for the condition\n"
    assert api.clock.now - before == pytest.approx(30)


def test_status_without_watch_prints_one_line(nginx):
    assert nginx.kubectl("set image deployment/nginx-depl nginx=nginx:1.17").ok
    result = nginx.kubectl("rollout status deployment/nginx-depl --watch=false")
    assert result.ok and result.stdout.count("\n") == 1 and result.stdout.startswith("Waiting for deployment")


def test_restart_stamps_the_template_with_the_cluster_time(nginx):
    assert nginx.kubectl("rollout restart deployment/nginx-depl").stdout == "deployment.apps/nginx-depl restarted\n"
    template = nginx.get("deployment", "nginx-depl")["spec"]["template"]
    stamp = template["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"]
    assert len(stamp) == 20 and stamp.endswith("Z") and stamp[10] == "T"


def test_kinds_without_rollouts(nginx):
    assert nginx.kubectl("create service clusterip web --tcp=80").ok
    result = nginx.kubectl("rollout status service/web")
    assert result.stderr == "error: no status viewer has been implemented for Service\n"
    assert nginx.kubectl("rollout history service/web").stderr == (
        "error: no history viewer has been implemented for Service\n")


def test_parse_duration_as_go():
    assert parse_duration("0") == 0
    assert parse_duration("30s") == 30
    assert parse_duration("1h30m") == 5400
    assert parse_duration("1.5s") == 1.5
    with pytest.raises(K8sError, match='time: invalid duration "soon"'):
        parse_duration("soon")
