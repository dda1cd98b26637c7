"""A Job's podFailurePolicy: FailJob, Ignore and Count rules on exit codes and pod conditions, and its validation.

Behaviour and wording after pkg/controller/job/pod_failure_policy.go of Kubernetes v1.33
(matchPodFailurePolicy: `Container <c> for pod <ns>/<pod> failed with exit code <n> matching FailJob rule at
index <i>`, `Pod <ns>/<pod> has condition <type> matching FailJob rule at index <i>`), job_controller.go
(getFailJobMessage, nonIgnoredFailedPodsCount, FailureTarget then Failed with reason PodFailurePolicy) and
pkg/apis/batch/validation/validation.go (validatePodFailurePolicy). Pods finish by a status write, as a
kubelet would report them.
"""

from __future__ import annotations

import pytest

from k8scourse.api.errors import ApiError
from k8scourse.api.registry import REGISTRY

PODS = REGISTRY.resolve("pods")


@pytest.fixture
def cluster(kubeletless):
    return kubeletless


def _job(rules, backoff_limit=6, restart_policy="Never"):
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"}, "spec": {
        "backoffLimit": backoff_limit, "podFailurePolicy": {"rules": rules},
        "template": {"spec": {"restartPolicy": restart_policy,
                              "containers": [{"name": "main", "image": "busybox", "command": ["false"]}]}}}}


def _pods(cluster):
    """The Job's pods still running."""
    return [p for p in cluster.get("pods") if not p["metadata"].get("deletionTimestamp")
            and p["status"].get("phase") not in ("Succeeded", "Failed")]


def _fail(cluster, pod, exit_code=1, conditions=()):
    """Write what a kubelet reports when the pod's container exits with `exit_code`."""
    api = cluster.backend.api
    current = api.get(PODS, pod["metadata"]["name"], "default")
    now = api.clock.timestamp()
    current["status"]["phase"] = "Failed"
    current["status"]["containerStatuses"] = [{
        "name": "main", "image": "busybox", "imageID": "", "ready": False, "restartCount": 0, "started": False,
        "state": {"terminated": {"exitCode": exit_code, "reason": "Error", "startedAt": now, "finishedAt": now}}}]
    current["status"]["conditions"] = [*current["status"].get("conditions", []), *conditions]
    api.update(PODS, current, "default", subresource="status")
    cluster.settle()


def _conditions(cluster):
    return [(c["type"], c["reason"], c["message"]) for c in cluster.get("job", "pi")["status"].get("conditions", [])]


def test_a_fail_job_rule_on_exit_codes_ends_the_job_with_the_real_message(cluster):
    cluster.create(_job([{"action": "FailJob", "onExitCodes": {"containerName": "main", "operator": "In",
                                                               "values": [42]}}]))
    cluster.settle()
    [pod] = _pods(cluster)
    _fail(cluster, pod, exit_code=1)
    assert _conditions(cluster) == []  # exit code 1 matches no rule: counted, the Job goes on
    assert cluster.get("job", "pi")["status"]["failed"] == 1
    cluster.advance(10)  # the pod failure back-off
    cluster.settle()
    [pod] = _pods(cluster)
    _fail(cluster, pod, exit_code=42)
    message = f"Container main for pod default/{pod['metadata']['name']} failed with exit code 42 matching FailJob rule at index 0"
    assert _conditions(cluster) == [("FailureTarget", "PodFailurePolicy", message), ("Failed", "PodFailurePolicy", message)]
    job = cluster.get("job", "pi")
    events = [(e["type"], e["reason"], e["message"]) for e in cluster.backend.recorder.for_object(job)]
    assert ("Warning", "PodFailurePolicy", message) in events
    assert _pods(cluster) == [] and job["status"]["failed"] == 2


def test_ignored_failures_do_not_count_towards_the_backoff_limit(cluster):
    disruption = {"type": "DisruptionTarget", "status": "True", "reason": "DeletionByTaintManager",
                  "message": "Taint manager: deleting due to NoExecute taint"}
    cluster.create(_job([{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]},
                         {"action": "Count", "onExitCodes": {"operator": "NotIn", "values": [0]}}], backoff_limit=0))
    cluster.settle()
    [pod] = _pods(cluster)
    _fail(cluster, pod, exit_code=137, conditions=[disruption])
    job = cluster.get("job", "pi")
    assert "failed" not in job["status"] and _conditions(cluster) == []
    cluster.advance(10)
    cluster.settle()
    [pod] = _pods(cluster)  # replaced
    _fail(cluster, pod, exit_code=1)
    assert cluster.get("job", "pi")["status"]["failed"] == 1
    assert [c[:2] for c in _conditions(cluster)] == [("FailureTarget", "BackoffLimitExceeded"),
                                                     ("Failed", "BackoffLimitExceeded")]


def test_a_fail_job_rule_on_pod_conditions_names_the_condition(cluster):
    cluster.create(_job([{"action": "FailJob", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]))
    cluster.settle()
    [pod] = _pods(cluster)
    _fail(cluster, pod, exit_code=143, conditions=[{"type": "DisruptionTarget", "status": "True",
                                                    "reason": "DeletionByPodGC",
                                                    "message": "PodGC: node no longer exists"}])
    message = f"Pod default/{pod['metadata']['name']} has condition DisruptionTarget matching FailJob rule at index 0"
    assert _conditions(cluster)[-1] == ("Failed", "PodFailurePolicy", message)


def test_the_policy_is_validated_as_the_apiserver_words_it(cluster):
    job = _job([{"action": "FailJob", "onExitCodes": {"containerName": "nope", "operator": "In", "values": [3, 0]}},
                {"action": "Ignore"}], restart_policy="OnFailure")
    with pytest.raises(ApiError) as caught:
        cluster.create(job)
    causes = [(c["field"], c["message"]) for c in caught.value.details["causes"]]
    assert causes == [
        ("spec.podFailurePolicy.rules[0].onExitCodes.containerName",
         'Invalid value: "nope": must be one of the container or initContainer names in the pod template'),
        ("spec.podFailurePolicy.rules[0].onExitCodes.values[1]", "Invalid value: 0: must not be 0 for the In operator"),
        ("spec.podFailurePolicy.rules[0].onExitCodes.values", "Invalid value: []int32{3, 0}: must be ordered"),
        ("spec.podFailurePolicy.rules[1]", "Invalid value: specifying one of OnExitCodes and OnPodConditions is required"),
        ("spec.template.spec.restartPolicy", 'Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy '
                                             "is specified"),
    ]


def test_fail_job_deletes_the_other_pods_and_waits_for_them_before_failed(cluster):
    job = _job([{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [42]}}])
    job["spec"]["parallelism"] = 2
    cluster.create(job)
    cluster.settle()
    first, second = _pods(cluster)
    _fail(cluster, first, exit_code=42)
    message = f"Container main for pod default/{first['metadata']['name']} failed with exit code 42 matching FailJob rule at index 0"
    assert cluster.get("pod", second["metadata"]["name"])["metadata"]["deletionTimestamp"]
    assert _conditions(cluster) == [("FailureTarget", "PodFailurePolicy", message)]
    assert cluster.get("job", "pi")["status"]["terminating"] == 1
    _fail(cluster, second, exit_code=143)  # the kubelet reports the killed container
    assert _conditions(cluster) == [("FailureTarget", "PodFailurePolicy", message), ("Failed", "PodFailurePolicy", message)]
