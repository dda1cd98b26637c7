"""Restarts: CrashLoopBackOff with its doubling back-off, restart policies, OOMKilled, liveness restarts.

Wording after pkg/kubelet/kuberuntime/kuberuntime_manager.go (doBackOff: `back-off %s restarting failed
container=%s pod=%s`, event `Back-off restarting failed container %s in pod %s`) and the prober
(`Container %s failed liveness probe, will be restarted`, `Liveness probe failed: ...`).
"""

from __future__ import annotations


def test_a_crashing_container_loops_with_back_off(pods):
    pods.create("crash", [{"name": "app", "image": "busybox", "command": ["sh", "-c", "echo boom; exit 1"]}])
    pods.cluster.advance(8)
    status = pods.status("crash")
    uid = pods.get("crash")["metadata"]["uid"]
    assert status["restartCount"] == 1
    assert status["state"]["waiting"] == {
        "reason": "CrashLoopBackOff",
        "message": f"back-off 10s restarting failed container=app pod=crash_default({uid})"}
    last = status["lastState"]["terminated"]
    assert (last["reason"], last["exitCode"]) == ("Error", 1)
    assert pods.get("crash")["status"]["phase"] == "Running"
    assert ("Warning", "BackOff", f"Back-off restarting failed container app in pod crash_default({uid})") \
        in pods.events("crash")
    pods.cluster.advance(60)
    assert pods.status("crash")["restartCount"] == 3  # after 0 s, 10 s, 20 s, then waiting 40 s
    report = pods.cluster.settle(timeout=120)
    assert report.hit_ceiling  # a crash loop never settles
    assert pods.backend.logs("default", "crash", previous=True) == "boom\n"


def test_on_failure_does_not_restart_a_success(pods):
    pods.create("ok", [{"name": "app", "image": "busybox", "command": ["sh", "-c", "exit 0"]}],
                restartPolicy="OnFailure")
    pods.cluster.settle()
    assert pods.get("ok")["status"]["phase"] == "Succeeded"
    assert pods.status("ok")["restartCount"] == 0


def test_memory_over_the_limit_is_oom_killed(pods):
    pods.create("oom", [{"name": "app", "image": "polinux/stress", "command": ["stress"],
                         "args": ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"],
                         "resources": {"limits": {"memory": "100Mi"}, "requests": {"memory": "50Mi"}}}])
    pods.cluster.advance(6)
    last = pods.status("oom")["lastState"]["terminated"]
    assert (last["reason"], last["exitCode"]) == ("OOMKilled", 137)


def test_a_failing_liveness_probe_restarts_the_container(pods):
    pods.create("live", [{"name": "app", "image": "nginx:1.27", "livenessProbe": {
        "httpGet": {"path": "/healthz", "port": 80}, "periodSeconds": 5, "failureThreshold": 3}}])
    pods.cluster.advance(20)
    assert pods.status("live")["restartCount"] == 1
    events = pods.events("live")
    assert ("Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 404") in events
    assert pods.count("live", "Unhealthy") >= 3  # failureThreshold, then the new instance's first check
    assert ("Normal", "Killing", "Container app failed liveness probe, will be restarted") in events
    last = pods.status("live")["lastState"]["terminated"]
    assert (last["reason"], last["exitCode"]) == ("Completed", 0)  # nginx exits cleanly on SIGTERM


# --- a changed container image (kuberuntime_manager.go computePodActions: the container hash changed) --------
def test_a_changed_image_restarts_the_container_with_the_new_image(pods):
    pods.create("web", [{"name": "web", "image": "nginx:1.25"}])
    pods.cluster.settle()
    result = pods.cluster.kubectl(["set", "image", "pod/web", "web=nginx:1.27"])
    assert result.stdout == "pod/web image updated\n"
    pods.cluster.settle()
    status = pods.status("web")
    assert (status["image"], status["restartCount"], status["ready"]) == ("nginx:1.27", 1, True)
    assert "running" in status["state"] and status["lastState"]["terminated"]["reason"] == "Completed"
    events = pods.events("web")  # by last write: Created and Started are counted into their first events
    assert events.index(("Normal", "Killing", "Container web definition changed, will be restarted")) < \
        events.index(("Normal", "Pulling", 'Pulling image "nginx:1.27"')) < \
        events.index(("Normal", "Pulled", 'Successfully pulled image "nginx:1.27" in 2.405s (2.405s including '
                                          'waiting). Image size: 72195292 bytes.')) < \
        events.index(("Normal", "Created", "Created container: web")) < \
        events.index(("Normal", "Started", "Started container web"))
    assert pods.count("web", "Created") == 2 and pods.count("web", "Pulling") == 2
    row = pods.cluster.kubectl("get pod web").stdout.splitlines()[1].split()
    assert row[:4] == ["web", "1/1", "Running", "1"]


def test_a_changed_image_restarts_even_under_restart_policy_never(pods):
    # "Restart regardless of the restart policy because the container spec changed."
    pods.create("once", [{"name": "app", "image": "nginx:1.25"}], restartPolicy="Never")
    pods.cluster.settle()
    pods.cluster.kubectl(["set", "image", "pod/once", "app=nginx:1.27"])
    pods.cluster.settle()
    assert (pods.status("once")["restartCount"], pods.get("once")["status"]["phase"]) == (1, "Running")


def test_fixing_the_image_of_a_pod_in_image_pull_back_off_starts_it_at_once(pods):
    pods.create("web", [{"name": "web", "image": "nginx:nope"}])
    pods.cluster.advance(60)
    assert pods.status("web")["state"]["waiting"]["reason"] == "ImagePullBackOff"
    pods.cluster.kubectl(["set", "image", "pod/web", "web=nginx:1.27"])
    pods.cluster.advance(3)
    status = pods.status("web")
    assert "running" in status["state"] and status["restartCount"] == 0
