"""The CronJob controller: schedules, job names, concurrency policies, history limits and events.

Behaviour and wording after pkg/controller/cronjob/cronjob_controllerv2.go and utils.go of Kubernetes
v1.33 (`Created job hello-29012345`, `Saw completed job: <name>, condition: Complete`,
`Deleted job <name>`, `Not starting job because prior execution is running and concurrency policy is
Forbid`), and robfig/cron/v3 spec.go for when a schedule fires. The simulated clock starts on
Monday 2026-01-05 09:00:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from k8scourse.api.registry import REGISTRY
from k8scourse.sim.controllers.cronjob import job_name, parse_schedule

JOBS = REGISTRY.resolve("jobs.batch")
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _cronjob(schedule="*/5 * * * *", **spec):
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "hello"}, "spec": {
        "schedule": schedule, **spec, "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "OnFailure",
            "containers": [{"name": "hello", "image": "busybox:1.28", "command": ["sleep", "3600"]}]}}}}}}


def _complete(cluster, name):
    api = cluster.backend.api
    job = api.get(JOBS, name, "default")
    now = api.clock.timestamp()
    job["status"] = {"startTime": job["status"].get("startTime", now), "completionTime": now, "succeeded": 1,
                     "conditions": [{"type": "Complete", "status": "True", "lastProbeTime": now,
                                     "lastTransitionTime": now, "reason": "CompletionsReached",
                                     "message": "Reached expected number of succeeded pods"}]}
    api.update(JOBS, job, "default", subresource="status")
    cluster.backend.clock.run_due()


def _events(cluster):
    cj = cluster.get("cronjob", "hello")
    return [(e["reason"], e["message"]) for e in cluster.backend.recorder.for_object(cj)]


@pytest.mark.parametrize(("schedule", "after", "expected"), [
    ("*/5 * * * *", START, datetime(2026, 1, 5, 9, 5, tzinfo=UTC)),
    ("@hourly", START, datetime(2026, 1, 5, 10, 0, tzinfo=UTC)),
    ("30 2 * * 1-5", START, datetime(2026, 1, 6, 2, 30, tzinfo=UTC)),
    ("0 0 1 * *", START, datetime(2026, 2, 1, 0, 0, tzinfo=UTC)),
    ("0 0 13 * 5", START, datetime(2026, 1, 9, 0, 0, tzinfo=UTC)),  # day-of-month OR day-of-week
    ("0 12 * * SUN", START, datetime(2026, 1, 11, 12, 0, tzinfo=UTC)),
])
def test_next_scheduled_time(schedule, after, expected):
    assert parse_schedule(schedule).next(after) == expected


def test_time_zone():
    # 09:00 in Berlin is 08:00 UTC in January
    assert parse_schedule("0 9 * * *", "Europe/Berlin").next(START) == datetime(2026, 1, 6, 8, 0, tzinfo=UTC)


def test_jobs_are_named_after_the_scheduled_minute(cluster):
    cluster.create(_cronjob())
    cluster.settle()
    assert cluster.get("jobs") == []  # settle() does not wait for the schedule
    cluster.advance(300)
    [job] = cluster.get("jobs")
    scheduled = datetime(2026, 1, 5, 9, 5, tzinfo=UTC)
    assert job["metadata"]["name"] == job_name("hello", scheduled) == f"hello-{int(scheduled.timestamp()) // 60}"
    assert job["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] == "2026-01-05T09:05:00Z"
    assert job["metadata"]["ownerReferences"][0]["kind"] == "CronJob"
    status = cluster.get("cronjob", "hello")["status"]
    assert status["lastScheduleTime"] == "2026-01-05T09:05:00Z"
    assert [r["name"] for r in status["active"]] == [job["metadata"]["name"]]
    assert _events(cluster) == [("SuccessfulCreate", f"Created job {job['metadata']['name']}")]
    _complete(cluster, job["metadata"]["name"])
    status = cluster.get("cronjob", "hello")["status"]
    assert "active" not in status and status["lastSuccessfulTime"]
    assert _events(cluster)[-1] == ("SawCompletedJob", f"Saw completed job: {job['metadata']['name']}, condition: Complete")


def test_forbid_skips_while_a_job_runs(cluster):
    cluster.create(_cronjob(concurrencyPolicy="Forbid"))
    cluster.advance(600)
    assert len(cluster.get("jobs")) == 1
    assert _events(cluster)[-1] == (
        "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid")


def test_replace_deletes_the_running_job(cluster):
    cluster.create(_cronjob(concurrencyPolicy="Replace"))
    cluster.advance(300)
    [first] = cluster.get("jobs")
    cluster.advance(300)
    [second] = cluster.get("jobs")
    assert second["metadata"]["name"] != first["metadata"]["name"]
    assert ("SuccessfulDelete", f"Deleted job {first['metadata']['name']}") in _events(cluster)


def test_allow_runs_jobs_side_by_side_and_history_is_limited(cluster):
    cluster.create(_cronjob(successfulJobsHistoryLimit=1))
    cluster.advance(600)
    names = sorted(j["metadata"]["name"] for j in cluster.get("jobs"))
    assert len(names) == 2
    for name in names:
        _complete(cluster, name)
    cluster.advance(1)
    assert [j["metadata"]["name"] for j in cluster.get("jobs")] == [names[1]]
    assert ("SuccessfulDelete", f"Deleted job {names[0]}") in _events(cluster)


def test_suspended_cronjob_creates_nothing(cluster):
    cluster.create(_cronjob(suspend=True))
    cluster.advance(900)
    assert cluster.get("jobs") == []
