"""kubectl rollout status / history / undo / pause / resume / restart over the simulated backend.

Wording after staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go (the Waiting lines),
history.go (REVISION / CHANGE-CAUSE, tabwriter padding 2), rollback.go (`rolled back`, `skipped rollback
(current template already matches revision %d)`, the paused refusal), objectpauser.go / objectresumer.go
(`is already paused`, `is not paused`) and objectrestarter.go (restartedAt).
"""

from __future__ import annotations

import pytest

from k8scourse.api.registry import REGISTRY
from k8scourse.kubectl import rollout as ro

PODS = REGISTRY.resolve("pods")
DEPLOY = REGISTRY.resolve("deployments")


@pytest.fixture
def web(cluster, api, deployment):
    deployment["spec"]["replicas"] = 3
    deployment["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.16"
    cluster.create(deployment)
    cluster.settle()  # the kubelets pull nginx:1.16 and start the pods
    return cluster.backend


def set_image(backend, image):
    d = backend.get(DEPLOY, "web", "default")
    d["spec"]["template"]["spec"]["containers"][0]["image"] = image
    backend.update(DEPLOY, d, "default")


def test_status_lines_during_a_rolling_update(web):
    assert ro.status(web, DEPLOY, "web", "default") == 'deployment "web" successfully rolled out\n'
    set_image(web, "nginx:1.17")
    lines = ro.status(web, DEPLOY, "web", "default").splitlines()
    assert lines[0] == 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...'
    assert 'Waiting for deployment "web" rollout to finish: 2 out of 3 new replicas have been updated...' in lines
    assert lines[-1] == 'deployment "web" successfully rolled out'
    allowed = ("new replicas have been updated...", "old replicas are pending termination...",
               "updated replicas are available...", "successfully rolled out")
    assert all(line.endswith(allowed) for line in lines)


def test_status_without_watch_and_with_a_wrong_revision(web):
    set_image(web, "nginx:1.17")
    assert ro.status(web, DEPLOY, "web", "default", watch=False).startswith('Waiting for deployment "web"')
    with pytest.raises(ro.RolloutError, match=r"^desired revision \(1\) is different from the running revision \(2\)$"):
        ro.status(web, DEPLOY, "web", "default", revision=1)


def test_deployment_status_viewer_messages():
    d = {"metadata": {"name": "web", "generation": 2}, "spec": {"replicas": 3},
         "status": {"observedGeneration": 1}}
    assert ro.deployment_status(d) == ("Waiting for deployment spec update to be observed...\n", False)
    d["status"] = {"observedGeneration": 2, "replicas": 4, "updatedReplicas": 3, "availableReplicas": 2}
    assert ro.deployment_status(d)[0] == \
        'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n'
    d["status"]["replicas"] = 3
    assert ro.deployment_status(d)[0] == \
        'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...\n'
    d["status"]["conditions"] = [{"type": "Progressing", "reason": "ProgressDeadlineExceeded"}]
    with pytest.raises(ro.RolloutError, match='^deployment "web" exceeded its progress deadline$'):
        ro.deployment_status(d)


def test_history_undo_and_skip(web):
    set_image(web, "nginx:1.17")
    ro.status(web, DEPLOY, "web", "default")
    assert ro.history(web, DEPLOY, "web", "default") == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")
    detail = ro.history(web, DEPLOY, "web", "default", revision=2)
    assert detail.startswith("deployment.apps/web with revision #2\nPod Template:\n  Labels:\tapp=web\n"
                             "\tpod-template-hash=")
    assert "   nginx:\n    Image:\tnginx:1.17\n    Port:\t80/TCP\n    Host Port:\t0/TCP\n" in detail
    assert detail.endswith("  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n\n")
    assert ro.undo(web, DEPLOY, "web", "default") == "deployment.apps/web rolled back\n"
    ro.status(web, DEPLOY, "web", "default")
    d = web.get(DEPLOY, "web", "default")
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.16"
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    assert ro.undo(web, DEPLOY, "web", "default", to_revision=3) == (
        "deployment.apps/web skipped rollback (current template already matches revision 3)\n")
    with pytest.raises(ro.RolloutError, match="^unable to find specified revision 9 in history$"):
        ro.undo(web, DEPLOY, "web", "default", to_revision=9)


def test_pause_resume_and_restart(web, api):
    assert ro.pause(web, DEPLOY, "web", "default") == "deployment.apps/web paused\n"
    with pytest.raises(ro.RolloutError, match='^deployments.apps "web" is already paused$'):
        ro.pause(web, DEPLOY, "web", "default")
    with pytest.raises(ro.RolloutError, match="^you cannot rollback a paused deployment"):
        ro.undo(web, DEPLOY, "web", "default", to_revision=1)
    with pytest.raises(ro.RolloutError, match=r"can't restart paused deployment \(run rollout resume first\)$"):
        ro.restart(web, DEPLOY, "web", "default", api.clock.timestamp())
    assert ro.resume(web, DEPLOY, "web", "default") == "deployment.apps/web resumed\n"
    with pytest.raises(ro.RolloutError, match='^deployments.apps "web" is not paused$'):
        ro.resume(web, DEPLOY, "web", "default")
    now = api.clock.timestamp()
    assert ro.restart(web, DEPLOY, "web", "default", now) == "deployment.apps/web restarted\n"
    template = web.get(DEPLOY, "web", "default")["spec"]["template"]
    assert template["metadata"]["annotations"] == {"kubectl.kubernetes.io/restartedAt": now}
    ro.status(web, DEPLOY, "web", "default")
    assert ro.history(web, DEPLOY, "web", "default").count("<none>") == 2
