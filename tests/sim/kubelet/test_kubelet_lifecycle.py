"""A bound pod's life on its node: ContainerCreating, Running, Completed, Failed, and graceful deletion.

Messages after pkg/kubelet/images/image_manager.go (Pulling/Pulled), pkg/kubelet/kuberuntime/
kuberuntime_container.go (`Created container: %s`, `Started container %s`, `Stopping container %s`),
conditions after pkg/kubelet/status/generate.go and the phase after getPhase in kubelet_pods.go.
"""

from __future__ import annotations

import re


def test_nginx_pod_runs_with_the_kubelets_events_and_status(pods):
    pods.create("web", [{"name": "nginx", "image": "nginx:1.27"}])
    pods.cluster.advance(0.5)
    pod = pods.get("web")
    assert pod["status"]["phase"] == "Pending"
    assert pods.status("web")["state"] == {"waiting": {"reason": "ContainerCreating"}}
    assert pods.condition("web", "Ready")["reason"] == "ContainersNotReady"
    assert pods.condition("web", "Ready")["message"] == "containers with unready status: [nginx]"
    report = pods.cluster.settle()
    assert not report.hit_ceiling and report.seconds < 10
    pod = pods.get("web")
    status = pod["status"]
    assert status["phase"] == "Running"
    assert status["podIP"] == "10.244.0.3" and status["podIPs"] == [{"ip": "10.244.0.3"}]
    assert status["hostIP"] == "192.168.49.2" and status["hostIPs"] == [{"ip": "192.168.49.2"}]
    assert [c["type"] for c in status["conditions"]] == [
        "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
    assert all(c["status"] == "True" for c in status["conditions"])
    cs = pods.status("web")
    assert cs["image"] == "nginx:1.27" and cs["ready"] and cs["started"] and cs["restartCount"] == 0
    assert re.fullmatch(r"docker://[0-9a-f]{64}", cs["containerID"])
    assert re.fullmatch(r"docker-pullable://nginx@sha256:[0-9a-f]{64}", cs["imageID"])
    assert pods.events("web")[1:] == [
        ("Normal", "Pulling", 'Pulling image "nginx:1.27"'),
        ("Normal", "Pulled", 'Successfully pulled image "nginx:1.27" in 2.405s (2.405s including waiting). '
                             "Image size: 72195292 bytes."),
        ("Normal", "Created", "Created container: nginx"),
        ("Normal", "Started", "Started container nginx"),
    ]


def test_second_pod_finds_the_image_cached_and_gets_the_next_ip(pods):
    pods.create("a", [{"name": "nginx", "image": "nginx:1.27"}])
    pods.cluster.settle()
    pods.create("b", [{"name": "nginx", "image": "nginx:1.27"}])
    pods.cluster.settle()
    assert ("Normal", "Pulled", 'Container image "nginx:1.27" already present on machine') in pods.events("b")
    assert pods.get("b")["status"]["podIP"] == "10.244.0.4"
    node = pods.backend.get(pods.cluster.resource("nodes"), "minikube")
    assert {"names": [f"nginx@{pods.status('a')['imageID'].split('@')[1]}", "nginx:1.27"],
            "sizeBytes": 72195292} in node["status"]["images"]


def test_a_replaced_pod_gets_a_new_ip(pods):
    pods.create("a", [{"name": "nginx", "image": "nginx:1.27"}])
    pods.cluster.settle()
    first = pods.get("a")["status"]["podIP"]
    pods.cluster.delete("pod", "a")
    pods.cluster.settle()
    pods.create("a", [{"name": "nginx", "image": "nginx:1.27"}])
    pods.cluster.settle()
    assert pods.get("a")["status"]["podIP"] != first


def test_a_command_that_exits_zero_completes_the_pod(pods):
    pods.create("job", [{"name": "app", "image": "busybox", "command": ["sh", "-c", "sleep 5; echo done"]}],
                restartPolicy="Never")
    pods.cluster.settle()
    pod = pods.get("job")
    assert pod["status"]["phase"] == "Succeeded"
    terminated = pods.status("job")["state"]["terminated"]
    assert (terminated["reason"], terminated["exitCode"]) == ("Completed", 0)
    assert pods.condition("job", "Ready")["reason"] == "PodCompleted"
    assert pods.condition("job", "Initialized")["reason"] == "PodCompleted"
    assert pods.backend.logs("default", "job") == "done\n"


def test_a_failing_command_with_restart_never_fails_the_pod(pods):
    pods.create("bad", [{"name": "app", "image": "busybox", "command": ["sh", "-c", "exit 3"]}],
                restartPolicy="Never")
    pods.cluster.settle()
    assert pods.get("bad")["status"]["phase"] == "Failed"
    assert pods.status("bad")["state"]["terminated"]["reason"] == "Error"
    assert pods.status("bad")["state"]["terminated"]["exitCode"] == 3
    assert pods.condition("bad", "Ready")["reason"] == "PodFailed"


def test_graceful_deletion_waits_for_nginx_then_removes_the_pod(pods):
    pods.create("web", [{"name": "nginx", "image": "nginx:1.27"}])
    pods.cluster.settle()
    pods.cluster.delete("pod", "web")
    assert pods.get("web")["metadata"]["deletionTimestamp"]
    assert ("Normal", "Killing", "Stopping container nginx") in pods.events("web")
    report = pods.cluster.settle()
    assert report.seconds < 2  # nginx exits at once on SIGTERM
    assert not pods.cluster.exists("pod", "web")


def test_a_shell_that_ignores_sigterm_is_killed_after_the_grace_period(pods):
    pods.create("sleeper", [{"name": "app", "image": "busybox", "command": ["sleep", "3600"]}],
                terminationGracePeriodSeconds=10)
    pods.cluster.settle()
    pods.cluster.delete("pod", "sleeper")
    pods.cluster.advance(9)
    assert pods.status("sleeper")["state"].get("running")
    pods.cluster.advance(1.1)
    terminated = pods.status("sleeper")["state"]["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (137, "Error")
    pods.cluster.settle()
    assert not pods.cluster.exists("pod", "sleeper")


def test_init_containers_run_in_order_before_the_app(pods):
    pods.create("init", [{"name": "app", "image": "nginx:1.27"}],
                initContainers=[{"name": "first", "image": "busybox", "command": ["sh", "-c", "sleep 2"]},
                                {"name": "second", "image": "busybox", "command": ["sh", "-c", "sleep 2"]}])
    pods.cluster.advance(3)
    status = pods.get("init")["status"]
    assert status["phase"] == "Pending"
    assert status["initContainerStatuses"][0]["state"].get("running")
    assert status["containerStatuses"][0]["state"] == {"waiting": {"reason": "PodInitializing"}}
    initialized = pods.condition("init", "Initialized")
    assert (initialized["reason"], initialized["message"]) == (
        "ContainersNotInitialized", "containers with incomplete status: [first second]")
    pods.cluster.settle()
    status = pods.get("init")["status"]
    assert status["phase"] == "Running"
    assert [s["state"]["terminated"]["reason"] for s in status["initContainerStatuses"]] == ["Completed"] * 2
    started = [m for _, r, m in pods.events("init") if r == "Started"]
    assert started == ["Started container first", "Started container second", "Started container app"]


def test_a_sidecar_keeps_running_next_to_the_app(pods):
    pods.create("side", [{"name": "app", "image": "nginx:1.27"}],
                initContainers=[{"name": "log", "image": "busybox", "restartPolicy": "Always",
                                 "command": ["sh", "-c", "while true; do echo tick; sleep 5; done"]}])
    pods.cluster.settle()
    status = pods.get("side")["status"]
    assert status["phase"] == "Running"
    assert status["initContainerStatuses"][0]["state"].get("running")
    assert status["initContainerStatuses"][0]["ready"] is True
    assert pods.condition("side", "Ready")["status"] == "True"
