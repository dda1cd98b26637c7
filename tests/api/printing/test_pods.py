"""Pod READY/STATUS/RESTARTS as printPod derives them (pkg/printers/internalversion/printers.go).

Pods are built by hand with the status a kubelet writes in each situation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from k8scourse.api.printing.pods import pod_row, pod_status, row_conditions

NOW = datetime(2026, 1, 5, 10, 0, 0, tzinfo=UTC)
CREATED = "2026-01-05T09:00:00Z"


def pod(containers=("app",), statuses=None, init=(), init_statuses=None, phase="Running", conditions=(),
        **extra):
    spec = {"containers": [{"name": n, "image": "nginx"} for n in containers],
            "nodeName": "minikube"}
    if init:
        spec["initContainers"] = [dict(c) if isinstance(c, dict) else {"name": c, "image": "busybox"} for c in init]
    status = {"phase": phase, "conditions": list(conditions)}
    if statuses is not None:
        status["containerStatuses"] = statuses
    if init_statuses is not None:
        status["initContainerStatuses"] = init_statuses
    status.update(extra.pop("status", {}))
    obj = {"metadata": {"name": "web", "namespace": "default", "creationTimestamp": CREATED}, "spec": spec,
           "status": status}
    obj["metadata"].update(extra.pop("metadata", {}))
    obj["spec"].update(extra.pop("spec", {}))
    return obj


def running(name="app", ready=True, restarts=0, last=None):
    status = {"name": name, "ready": ready, "restartCount": restarts, "state": {"running": {"startedAt": CREATED}}}
    if last:
        status["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": last}}
    return status


def waiting(reason, name="app", restarts=0, last=None):
    status = {"name": name, "ready": False, "restartCount": restarts, "state": {"waiting": {"reason": reason}}}
    if last:
        status["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": last}}
    return status


def terminated(exit_code=0, reason=None, name="app", signal=0):
    term = {"exitCode": exit_code, "finishedAt": "2026-01-05T09:30:00Z"}
    if reason:
        term["reason"] = reason
    if signal:
        term["signal"] = signal
    return {"name": name, "ready": False, "restartCount": 0, "state": {"terminated": term}}


READY = {"type": "Ready", "status": "True"}
INITIALIZED = {"type": "Initialized", "status": "True"}


def cells(p):
    return pod_row(p, NOW)[1:4]


def test_pending_pod_not_yet_scheduled_shows_its_phase():
    assert cells(pod(statuses=None, phase="Pending")) == ["0/1", "Pending", "0"]


def test_running_and_ready():
    assert cells(pod(statuses=[running()], conditions=[READY])) == ["1/1", "Running", "0"]


@pytest.mark.parametrize("reason", ["ContainerCreating", "ErrImagePull", "ImagePullBackOff",
                                    "CreateContainerConfigError", "CrashLoopBackOff"])
def test_a_waiting_container_gives_its_reason(reason):
    assert pod_status(pod(statuses=[waiting(reason)], phase="Pending")) == reason


def test_restarts_show_how_long_ago_the_last_one_ended():
    p = pod(statuses=[waiting("CrashLoopBackOff", restarts=4, last="2026-01-05T09:55:00Z")])
    assert cells(p) == ["0/1", "CrashLoopBackOff", "4 (5m ago)"]


def test_restart_time_is_the_latest_termination_of_any_container():
    p = pod(containers=("a", "b"), statuses=[running("a", restarts=1, last="2026-01-05T09:00:00Z"),
                                             running("b", restarts=2, last="2026-01-05T09:58:00Z")])
    assert cells(p)[2] == "3 (2m ago)"


def test_completed_error_and_oom_killed():
    assert pod_status(pod(statuses=[terminated(0, "Completed")], phase="Succeeded")) == "Completed"
    assert pod_status(pod(statuses=[terminated(1, "Error")], phase="Failed")) == "Error"
    assert pod_status(pod(statuses=[terminated(137, "OOMKilled")], phase="Running")) == "OOMKilled"


def test_terminated_without_reason_shows_signal_or_exit_code():
    assert pod_status(pod(statuses=[terminated(2)])) == "ExitCode:2"
    assert pod_status(pod(statuses=[terminated(137, signal=9)])) == "Signal:9"


def test_finished_pods_carry_the_completed_row_condition():
    assert row_conditions(pod(phase="Succeeded"))[0]["message"] == "The pod has completed successfully."
    assert row_conditions(pod(phase="Failed"))[0]["message"] == "The pod failed."
    assert row_conditions(pod()) == []


def test_init_containers_count_until_done():
    p = pod(init=("setup",), init_statuses=[{"name": "setup", "ready": False, "restartCount": 0,
                                             "state": {"running": {}}}],
            statuses=[waiting("PodInitializing")], phase="Pending")
    assert cells(p) == ["0/1", "Init:0/1", "0"]


def test_failing_init_container_prefixes_its_reason():
    p = pod(init=("setup",), init_statuses=[waiting("CrashLoopBackOff", name="setup", restarts=3,
                                                    last="2026-01-05T09:59:00Z")],
            statuses=[waiting("PodInitializing")], phase="Pending")
    assert cells(p) == ["0/1", "Init:CrashLoopBackOff", "3 (60s ago)"]
    failed = pod(init=("setup",), init_statuses=[terminated(1, "Error", name="setup")],
                 statuses=[waiting("PodInitializing")], phase="Pending")
    assert pod_status(failed) == "Init:Error"
    exited = pod(init=("setup",), init_statuses=[terminated(3, name="setup")], phase="Pending")
    assert pod_status(exited) == "Init:ExitCode:3"


def test_after_init_the_app_container_waits_in_pod_initializing():
    # The kubelet writes PodInitializing for app containers while init containers run; once they are
    # done it is the app container's own reason (here still PodInitializing) that shows.
    p = pod(init=("setup",), init_statuses=[terminated(0, "Completed", name="setup")],
            statuses=[waiting("PodInitializing")], phase="Pending", conditions=[INITIALIZED])
    assert pod_status(p) == "PodInitializing"


def test_sidecars_count_as_containers_and_their_readiness_counts():
    sidecar = {"name": "proxy", "image": "envoy", "restartPolicy": "Always"}
    status = running("proxy", restarts=1, last="2026-01-05T09:50:00Z")
    status["started"] = True
    p = pod(init=(sidecar,), init_statuses=[status], statuses=[running()], conditions=[READY, INITIALIZED])
    assert cells(p) == ["2/2", "Running", "1 (10m ago)"]


def test_completed_with_a_running_sidecar_is_running_or_not_ready():
    p = pod(containers=("a", "b"), statuses=[terminated(0, "Completed", name="a"), running("b")],
            conditions=[READY])
    # the loop runs backwards: b (Running) first, then a sets Completed; hasRunning turns it back
    assert pod_status(p) == "Running"
    p["status"]["conditions"] = []
    assert pod_status(p) == "NotReady"


def test_terminating_and_unknown():
    deleting = {"deletionTimestamp": "2026-01-05T09:59:00Z"}
    assert pod_status(pod(statuses=[running()], metadata=deleting)) == "Terminating"
    assert pod_status(pod(statuses=[terminated(0, "Completed")], phase="Succeeded", metadata=deleting)) == "Completed"
    lost = pod(statuses=[running()], metadata=deleting, status={"reason": "NodeLost"})
    assert pod_status(lost) == "Unknown"


def test_scheduling_gated_and_evicted():
    gated = pod(statuses=None, phase="Pending",
                conditions=[{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}])
    assert pod_status(gated) == "SchedulingGated"
    evicted = pod(statuses=[], phase="Failed", status={"reason": "Evicted"})
    assert pod_status(evicted) == "Evicted"


def test_wide_cells_ip_node_nominated_node_readiness_gates():
    p = pod(statuses=[running()], status={"podIPs": [{"ip": "10.244.0.5"}], "podIP": "10.244.0.5"},
            spec={"readinessGates": [{"conditionType": "example.com/ready"}]},
            conditions=[{"type": "example.com/ready", "status": "True"}])
    assert pod_row(p, NOW)[5:] == ["10.244.0.5", "minikube", "<none>", "1/1"]
    bare = pod(statuses=None, phase="Pending", spec={"nodeName": ""})
    assert pod_row(bare, NOW)[5:] == ["<none>", "<none>", "<none>", "<none>"]
    assert pod_row(bare, NOW)[4] == "60m"
