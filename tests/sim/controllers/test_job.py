"""The Job controller and the ttl-after-finished controller.

Behaviour and wording after pkg/controller/job/job_controller.go of Kubernetes v1.33 (conditions
SuccessCriteriaMet/Complete with reason CompletionsReached and message `Reached expected number of
succeeded pods`; FailureTarget/Failed with `BackoffLimitExceeded` / `Job has reached the specified
backoff limit` and `DeadlineExceeded` / `Job was active longer than specified deadline`; the event
`Completed` / `Job completed`; DefaultJobPodFailureBackOff = 10 s), pkg/controller/controller_utils.go
(`Created pod: <name>`) and pkg/controller/ttlafterfinished. Pods finish by a status write, as a
kubelet would report them.
"""

from __future__ import annotations

import pytest

from k8scourse.api.registry import REGISTRY

PODS = REGISTRY.resolve("pods")


@pytest.fixture
def cluster(kubeletless):
    """The test writes pod status as a kubelet would (see conftest's `kubeletless`)."""
    return kubeletless


def _job(name="pi", **spec):
    body = {"template": {"spec": {"restartPolicy": "Never",
                                  "containers": [{"name": "pi", "image": "perl:5.34", "command": ["perl"]}]}},
            **spec}
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name}, "spec": body}


def _pods(cluster):
    return [p for p in cluster.get("pods") if not p["metadata"].get("deletionTimestamp")]


def _finish(cluster, pod, exit_code=0, settle=True):
    """Write what a kubelet reports when the pod's only container exits."""
    api = cluster.backend.api
    current = api.get(PODS, pod["metadata"]["name"], "default")
    now = api.clock.timestamp()
    reason = "Completed" if exit_code == 0 else "Error"
    current["status"].update({
        "phase": "Succeeded" if exit_code == 0 else "Failed",
        "containerStatuses": [{"name": "pi", "image": "perl:5.34", "imageID": "", "ready": False,
                               "restartCount": 0, "started": False,
                               "state": {"terminated": {"exitCode": exit_code, "reason": reason,
                                                        "startedAt": now, "finishedAt": now}}}]})
    api.update(PODS, current, "default", subresource="status")
    if settle:
        cluster.settle()
    else:
        cluster.backend.clock.run_due()


def _events(cluster, name="pi"):
    job = cluster.get("job", name)
    return [(e["type"], e["reason"], e["message"]) for e in cluster.backend.recorder.for_object(job)]


def test_a_job_runs_one_pod_to_completion(cluster):
    cluster.create(_job())
    cluster.settle()
    [pod] = _pods(cluster)
    job = cluster.get("job", "pi")
    uid = job["metadata"]["uid"]
    assert pod["metadata"]["name"].startswith("pi-") and len(pod["metadata"]["name"]) == 8
    assert pod["metadata"]["labels"]["batch.kubernetes.io/job-name"] == "pi"
    assert pod["metadata"]["labels"]["batch.kubernetes.io/controller-uid"] == uid
    assert pod["metadata"]["finalizers"] == ["batch.kubernetes.io/job-tracking"]
    assert job["status"]["active"] == 1 and job["status"]["ready"] == 0
    assert job["status"]["startTime"]
    _finish(cluster, pod)
    job = cluster.get("job", "pi")
    status = job["status"]
    assert status["succeeded"] == 1 and "active" not in status and "failed" not in status
    assert status["terminating"] == 0 and status["uncountedTerminatedPods"] == {}
    assert [(c["type"], c["reason"], c["message"]) for c in status["conditions"]] == [
        ("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"),
        ("Complete", "CompletionsReached", "Reached expected number of succeeded pods")]
    assert status["completionTime"]
    assert "finalizers" not in cluster.get("pod", pod["metadata"]["name"])["metadata"]
    assert _events(cluster) == [("Normal", "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}"),
                                ("Normal", "Completed", "Job completed")]


def test_completions_with_parallelism(cluster):
    cluster.create(_job(completions=3, parallelism=2))
    cluster.settle()
    first = _pods(cluster)
    assert len(first) == 2
    _finish(cluster, first[0])
    active = [p for p in _pods(cluster) if p["status"]["phase"] == "Pending"]
    assert len(active) == 2  # one more started, never more than parallelism
    for pod in active:
        _finish(cluster, pod)
    status = cluster.get("job", "pi")["status"]
    assert status["succeeded"] == 3 and status["conditions"][-1]["type"] == "Complete"
    assert len(cluster.get("pods")) == 3


def test_backoff_limit_with_exponential_back_off(cluster):
    cluster.create(_job(backoffLimit=2))
    cluster.settle()
    clock = cluster.backend.clock
    failed_at = []
    for _ in range(3):
        [pod] = [p for p in _pods(cluster) if p["status"]["phase"] == "Pending"]
        assert not failed_at or clock.parse(pod["metadata"]["creationTimestamp"]) - failed_at[-1] == \
            10 * 2 ** (len(failed_at) - 1)  # 10 s, then 20 s after each failure
        failed_at.append(clock.now)
        _finish(cluster, pod, exit_code=1)
    status = cluster.get("job", "pi")["status"]
    assert status["failed"] == 3 and "completionTime" not in status and "active" not in status
    assert [(c["type"], c["reason"], c["message"]) for c in status["conditions"]] == [
        ("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
        ("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit")]
    assert _events(cluster)[-1] == ("Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit")


def test_active_deadline_stops_the_job(cluster):
    cluster.create(_job(activeDeadlineSeconds=30))
    cluster.advance(29)
    assert len(_pods(cluster)) == 1
    cluster.advance(2)
    cluster.settle()
    for pod in cluster.get("pods"):  # the kubelet ends the deleted pod's containers
        if pod["metadata"].get("deletionTimestamp"):
            _finish(cluster, pod, exit_code=137)
            cluster.backend.api.delete(PODS, pod["metadata"]["name"], "default", grace_period_seconds=0)
            cluster.settle()
    status = cluster.get("job", "pi")["status"]
    assert [(c["type"], c["reason"]) for c in status["conditions"]] == [
        ("FailureTarget", "DeadlineExceeded"), ("Failed", "DeadlineExceeded")]
    assert status["conditions"][-1]["message"] == "Job was active longer than specified deadline"
    assert _pods(cluster) == []


def test_indexed_job_pods_carry_their_index(cluster):
    cluster.create(_job(completions=2, parallelism=2, completionMode="Indexed"))
    cluster.settle()
    pods = sorted(_pods(cluster), key=lambda p: p["metadata"]["name"])
    assert [p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"] for p in pods] == ["0", "1"]
    assert pods[0]["metadata"]["name"].startswith("pi-0-")
    assert pods[0]["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"] == "0"
    assert pods[1]["spec"]["hostname"] == "pi-1"
    assert {"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {
        "apiVersion": "v1", "fieldPath": "metadata.annotations['batch.kubernetes.io/job-completion-index']"}}} \
        in pods[0]["spec"]["containers"][0]["env"]
    _finish(cluster, pods[1])
    assert cluster.get("job", "pi")["status"]["completedIndexes"] == "1"
    _finish(cluster, pods[0])
    status = cluster.get("job", "pi")["status"]
    assert status["completedIndexes"] == "0-1" and status["conditions"][-1]["type"] == "Complete"


def test_ttl_after_finished_deletes_the_job(cluster):
    cluster.create(_job(ttlSecondsAfterFinished=100))
    cluster.settle()
    _finish(cluster, _pods(cluster)[0], settle=False)
    assert cluster.get("job", "pi")["status"]["conditions"][-1]["type"] == "Complete"
    cluster.advance(99)
    assert cluster.exists("job", "pi")
    cluster.advance(2)
    cluster.settle()
    assert not cluster.exists("job", "pi")
