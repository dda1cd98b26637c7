"""Logs and exec: the apiserver's and kubelet's errors (pkg/registry/core/pod/strategy.go LogLocation,
validateContainerLogStatus in pkg/kubelet/kubelet_pods.go) and what commands print inside containers."""

from __future__ import annotations

import pytest

from k8scourse.api.errors import ApiError


def test_logs_need_a_container_name_when_there_are_several(pods):
    pods.create("two", [{"name": "a", "image": "nginx:1.27"}, {"name": "b", "image": "redis:7"}],
                initContainers=[{"name": "init", "image": "busybox", "command": ["true"]}])
    pods.cluster.settle()
    with pytest.raises(ApiError) as err:
        pods.backend.logs("default", "two")
    assert err.value.status["code"] == 400
    assert err.value.status["message"] == (
        "a container name must be specified for pod two, choose one of: [a b] or one of the init containers: [init]")
    with pytest.raises(ApiError, match="container c is not valid for pod two"):
        pods.backend.logs("default", "two", container="c")
    assert "Ready to accept connections tcp" in pods.backend.logs("default", "two", container="b")


def test_previous_logs_of_a_container_that_never_restarted(pods):
    pods.create("web", [{"name": "nginx", "image": "nginx:1.27"}])
    pods.cluster.settle()
    with pytest.raises(ApiError) as err:
        pods.backend.logs("default", "web", previous=True)
    assert err.value.status["message"] == 'previous terminated container "nginx" in pod "web" not found'


def test_logs_of_a_waiting_container(pods):
    pods.create("typo", [{"name": "app", "image": "ngin"}])
    pods.cluster.advance(0.5)
    with pytest.raises(ApiError, match='container "app" in pod "typo" is waiting to start: ContainerCreating'):
        pods.backend.logs("default", "typo")


def test_tail_timestamps_and_a_loop_writing_every_five_seconds(pods):
    pods.create("loop", [{"name": "app", "image": "busybox", "command": [
        "sh", "-c", "while true; do echo tick; sleep 5; done"]}])
    assert not pods.cluster.settle().hit_ceiling
    pods.cluster.advance(20)
    lines = pods.backend.logs("default", "loop", tail=2, timestamps=True).splitlines()
    assert len(lines) == 2
    assert all(line.startswith("2026-01-05T09:02:") and line.endswith("Z tick") for line in lines)
    assert len(pods.backend.logs("default", "loop").splitlines()) == 5


def test_exec_runs_commands_and_reports_exit_codes(pods):
    pods.create("box", [{"name": "app", "image": "busybox", "command": ["sleep", "3600"],
                         "env": [{"name": "GREETING", "value": "hi"}]}])
    pods.cluster.settle()
    result = pods.backend.exec("default", "box", ["sh", "-c", "echo $GREETING; hostname; exit 4"])
    assert (result.stdout, result.exit_code) == ("hi\nbox\n", 4)
    ps = pods.backend.exec("default", "box", ["ps"]).stdout.splitlines()
    assert ps[0] == "PID   USER     TIME  COMMAND" and ps[1].endswith("sleep 3600")
    missing = pods.backend.exec("default", "box", ["bash"])
    assert missing.exit_code == 126
    assert missing.stderr == ('OCI runtime exec failed: exec failed: unable to start container process: '
                              'exec: "bash": executable file not found in $PATH: unknown\n')


def test_exec_into_a_pod_that_is_not_running(pods):
    pods.create("typo", [{"name": "app", "image": "ngin"}])
    pods.cluster.advance(3)
    with pytest.raises(ApiError, match=r'unable to upgrade connection: container not found \("app"\)'):
        pods.backend.exec("default", "typo", ["ls"])
