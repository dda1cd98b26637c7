"""The CronJob controller: a Job per scheduled time, concurrency policies and job history clean-up.

Created by `SimulatedCluster`. Follows pkg/controller/cronjob/cronjob_controllerv2.go and utils.go of
kube-controller-manager v1.33: jobs `<cronjob>-<scheduled time in minutes since the epoch>` carrying
the `batch.kubernetes.io/cronjob-scheduled-timestamp` annotation, startingDeadlineSeconds,
concurrencyPolicy Allow/Forbid/Replace, suspend, timeZone, successful/failedJobsHistoryLimit, status
active/lastScheduleTime/lastSuccessfulTime and the controller's events. Schedules are validated by the
apiserver's parser (k8scourse.api.validation.workloads, after robfig/cron) and evaluated here with the
same field rules. The wake-up at the next scheduled time is periodic work, so `settle()` returns.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from ...api.errors import ApiError
from ...api.objects import deep_copy
from ...api.registry import REGISTRY
from ...api.validation.workloads import _CRON_FIELDS, _int_or_name, parse_cron_schedule
from ..clock import Timer
from ..store import WatchEvent
from .base import Controller
from .history import controller_of, delete_quietly, is_terminating, new_controller_ref, owned
from .job import finished_condition

Obj = dict[str, Any]

CRONJOBS = REGISTRY.resolve("cronjobs.batch")
JOBS = REGISTRY.resolve("jobs.batch")
COMPONENT = "cronjob-controller"
SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp"  # batch.CronJobScheduledTimestampAnnotation
# robfig/cron's descriptors as the five fields they stand for
_DESCRIPTOR_FIELDS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
                      "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
                      "@hourly": "0 * * * *"}
_SEARCH_YEARS = 5  # robfig/cron gives up after five years without a match


@dataclass(frozen=True)
class CronSchedule:
    """A parsed standard schedule: the allowed values of each field, and whether day fields were `*`."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    day_star: bool
    weekday_star: bool
    zone: tzinfo

    def _day_matches(self, when: datetime) -> bool:
        """dayMatches: both day fields must match when either is `*`, else either may."""
        dom = when.day in self.days
        dow = (when.isoweekday() % 7) in self.weekdays
        if self.day_star or self.weekday_star:
            return dom and dow
        return dom or dow

    def next(self, after: datetime) -> datetime | None:
        """The first scheduled time strictly after `after` (SpecSchedule.Next), in UTC."""
        local = after.astimezone(self.zone).replace(second=0, microsecond=0, tzinfo=None) + timedelta(minutes=1)
        limit = local.year + _SEARCH_YEARS
        while local.year <= limit:
            if local.month not in self.months:
                local = (local.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
            elif not self._day_matches(local):
                local = local.replace(hour=0, minute=0) + timedelta(days=1)
            elif local.hour not in self.hours:
                local = local.replace(minute=0) + timedelta(hours=1)
            elif local.minute not in self.minutes:
                local += timedelta(minutes=1)
            else:
                return local.replace(tzinfo=self.zone).astimezone(UTC)
        return None


def _field(text: str, lo: int, hi: int, names: Any) -> tuple[frozenset[int], bool]:
    """getField: the values of one field, and whether it starts with `*`/`?` without a step > 1."""
    values: set[int] = set()
    star = False
    for expr in text.split(","):
        range_and_step = expr.split("/")
        low_and_high = range_and_step[0].split("-")
        step = int(range_and_step[1]) if len(range_and_step) == 2 else 1
        if low_and_high[0] in ("*", "?"):
            start, end = lo, hi
            star = star or step == 1
        else:
            start = _int_or_name(low_and_high[0], names)
            end = _int_or_name(low_and_high[1], names) if len(low_and_high) == 2 else start
            if len(range_and_step) == 2 and len(low_and_high) == 1:
                end = hi
        values.update(range(start, end + 1, step))
    return frozenset(values), star


def parse_schedule(schedule: str, time_zone: str | None = None) -> CronSchedule:
    """A CronJob's schedule (TZ=/CRON_TZ= prefixes and @descriptors included) in its time zone."""
    problem = parse_cron_schedule(schedule, lambda _name: None)
    if problem:
        raise ValueError(problem)
    zone_name = time_zone or "UTC"
    if schedule.startswith(("TZ=", "CRON_TZ=")):
        prefix, _, schedule = schedule.partition(" ")
        zone_name = prefix.partition("=")[2]
        schedule = schedule.strip()
    if schedule.startswith("@every"):
        raise ValueError(f"unsupported schedule {schedule}")  # robfig's ConstantDelaySchedule
    schedule = _DESCRIPTOR_FIELDS.get(schedule, schedule)
    fields = [_field(text, lo, hi, names) for text, (lo, hi, names) in zip(schedule.split(), _CRON_FIELDS, strict=True)]
    zone: tzinfo = UTC if zone_name in ("", "UTC") else zoneinfo.ZoneInfo(zone_name)
    return CronSchedule(fields[0][0], fields[1][0], fields[2][0], fields[3][0],
                        frozenset(d % 7 for d in fields[4][0]), fields[2][1], fields[4][1], zone)


def job_name(cronjob: str, scheduled: datetime) -> str:
    """getJobName: the scheduled time in minutes since the Unix epoch."""
    return f"{cronjob}-{int(scheduled.timestamp()) // 60}"


def _rfc3339(when: datetime) -> str:
    text = when.isoformat(timespec="seconds")
    return text.replace("+00:00", "Z")


class CronJobController(Controller):
    name = "cronjob-controller"
    resources = ("cronjobs.batch", "jobs.batch")

    def __init__(self, api: Any, recorder: Any):
        super().__init__(api, recorder)
        self._wakeups: dict[Hashable, Timer] = {}

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        meta = event.object["metadata"]
        if event.resource == "cronjobs.batch":
            key = (meta.get("namespace", ""), meta["name"])
            if event.type == "DELETED":
                timer = self._wakeups.pop(key, None)
                if timer is not None:
                    timer.cancel()
                return []
            return [key]
        ref = controller_of(event.object)
        if ref is None or ref.get("kind") != "CronJob":
            return []
        return [(meta.get("namespace", ""), ref.get("name", ""))]

    def sync(self, key: Hashable) -> None:
        namespace, name = key  # type: ignore[misc]
        cronjob = self.api.peek(CRONJOBS, name, namespace)
        if cronjob is None or is_terminating(cronjob):
            return
        _CronJobSync(self, deep_copy(cronjob)).run()

    def wake_at(self, key: Hashable, when: datetime) -> None:
        """Sync again at the next scheduled time (periodic: an endless schedule keeps no one waiting)."""
        old = self._wakeups.pop(key, None)
        if old is not None:
            old.cancel()
        at = (when - self.api.clock.start).total_seconds()
        self._wakeups[key] = self.api.clock.call_at(at, lambda: self.enqueue(key), periodic=True,
                                                    label=f"{self.name} schedule {key}")

    def event(self, cronjob: Obj, type_: str, reason: str, message: str) -> None:
        self.recorder.event(cronjob, type_, reason, message, COMPONENT)


class _CronJobSync:
    """One syncCronJob pass: the active list, history clean-up, then the most recent scheduled time."""

    def __init__(self, controller: CronJobController, cronjob: Obj):
        self.c = controller
        self.api = controller.api
        self.cj = cronjob
        self.spec = cronjob["spec"]
        self.name = cronjob["metadata"]["name"]
        self.namespace = cronjob["metadata"].get("namespace", "default")
        self.status: Obj = deep_copy(cronjob.get("status") or {})
        self.now = self.api.clock.datetime()

    def run(self) -> None:
        jobs = owned(self.api, self.cj, "Job")
        self._track(jobs)
        self._clean_up(jobs)
        try:
            schedule = parse_schedule(self.spec["schedule"], self.spec.get("timeZone"))
        except (ValueError, zoneinfo.ZoneInfoNotFoundError) as exc:
            self.c.event(self.cj, "Warning", "UnparseableSchedule", f"unparseable schedule: {self.spec['schedule']} : {exc}")
            self._write()
            return
        if not self.spec.get("suspend"):
            self._schedule(schedule)
        self._write()
        upcoming = schedule.next(self.now)
        if upcoming is not None and not self.spec.get("suspend"):
            self.c.wake_at((self.namespace, self.name), upcoming)

    # --- jobs ---------------------------------------------------------------------------------------
    def _track(self, jobs: list[Obj]) -> None:
        active = {ref.get("uid"): ref for ref in self.status.get("active") or []}
        by_uid = {j["metadata"]["uid"]: j for j in jobs}
        for uid in [u for u in active if u not in by_uid]:
            del active[uid]  # an active job went missing
        for job in jobs:
            uid = job["metadata"]["uid"]
            done = finished_condition(job)
            if done is None:
                if uid not in active and not is_terminating(job):
                    active[uid] = self._reference(job)
                continue
            if uid in active:
                del active[uid]
                self.c.event(self.cj, "Normal", "SawCompletedJob",
                             f"Saw completed job: {job['metadata']['name']}, condition: {done}")
            completed = (job.get("status") or {}).get("completionTime")
            if done == "Complete" and completed and completed > (self.status.get("lastSuccessfulTime") or ""):
                self.status["lastSuccessfulTime"] = completed
        self.status["active"] = sorted(active.values(), key=lambda r: r["name"])

    def _reference(self, job: Obj) -> Obj:
        """ref.GetReference for a Job."""
        meta = job["metadata"]
        return {"kind": "Job", "namespace": meta.get("namespace", self.namespace), "name": meta["name"],
                "uid": meta["uid"], "apiVersion": "batch/v1", "resourceVersion": meta.get("resourceVersion", "")}

    def _clean_up(self, jobs: list[Obj]) -> None:
        """cleanupFinishedJobs: the oldest finished jobs beyond each history limit are deleted."""
        for outcome, limit_key in (("Complete", "successfulJobsHistoryLimit"), ("Failed", "failedJobsHistoryLimit")):
            limit = self.spec.get(limit_key)
            if limit is None:
                continue
            done = [j for j in jobs if finished_condition(j) == outcome and not is_terminating(j)]
            done.sort(key=lambda j: ((j.get("status") or {}).get("startTime") or j["metadata"]["creationTimestamp"],
                                     j["metadata"]["name"]))
            for job in done[:max(0, len(done) - int(limit))]:
                self._delete_job(job)

    def _delete_job(self, job: Obj) -> None:
        name = job["metadata"]["name"]
        if delete_quietly(self.api, JOBS, name, self.namespace, propagation_policy="Background"):
            self.c.event(self.cj, "Normal", "SuccessfulDelete", f"Deleted job {name}")
        self.status["active"] = [r for r in self.status.get("active") or [] if r.get("name") != name]

    # --- scheduling ----------------------------------------------------------------------------------
    def _most_recent(self, schedule: CronSchedule) -> datetime | None:
        """mostRecentScheduleTime: the latest scheduled time not yet handled, up to now."""
        last = self.status.get("lastScheduleTime") or self.cj["metadata"]["creationTimestamp"]
        earliest = datetime.fromisoformat(last.replace("Z", "+00:00"))
        deadline = self.spec.get("startingDeadlineSeconds")
        if deadline is not None:
            earliest = max(earliest, self.now - timedelta(seconds=int(deadline)))
        found = None
        when = schedule.next(earliest)
        while when is not None and when <= self.now:
            found = when
            when = schedule.next(when)
        return found

    def _schedule(self, schedule: CronSchedule) -> None:
        scheduled = self._most_recent(schedule)
        if scheduled is None:
            return
        deadline = self.spec.get("startingDeadlineSeconds")
        if deadline is not None and scheduled + timedelta(seconds=int(deadline)) < self.now:
            self.c.event(self.cj, "Warning", "MissSchedule", "Missed scheduled time to start a job: "
                         + scheduled.strftime("%a, %d %b %Y %H:%M:%S +0000"))
            return
        name = job_name(self.name, scheduled)
        if any(r.get("name") == name for r in self.status.get("active") or []):
            return
        policy = self.spec.get("concurrencyPolicy", "Allow")
        if policy == "Forbid" and self.status.get("active"):
            self.c.event(self.cj, "Normal", "JobAlreadyActive",
                         "Not starting job because prior execution is running and concurrency policy is Forbid")
            return
        if policy == "Replace":
            for ref in list(self.status.get("active") or []):
                job = self.api.peek(JOBS, ref["name"], self.namespace)
                if job is not None:
                    self._delete_job(job)
        self._create_job(name, scheduled, schedule)

    def _create_job(self, name: str, scheduled: datetime, schedule: CronSchedule) -> None:
        """getJobFromTemplate2, then the create."""
        template = self.spec.get("jobTemplate") or {}
        meta = template.get("metadata") or {}
        annotations = {**(meta.get("annotations") or {}),
                       SCHEDULED_TIMESTAMP: _rfc3339(scheduled.astimezone(schedule.zone))}
        job: Obj = {"apiVersion": "batch/v1", "kind": "Job",
                    "metadata": {"name": name, "namespace": self.namespace, "annotations": annotations,
                                 "ownerReferences": [new_controller_ref(self.cj)]},
                    "spec": deep_copy(template.get("spec") or {})}
        if meta.get("labels"):
            job["metadata"]["labels"] = dict(meta["labels"])
        try:
            created = self.api.create(JOBS, job, self.namespace)
        except ApiError as exc:
            if exc.code != 409:
                self.c.event(self.cj, "Warning", "FailedCreate", f"Error creating job: {exc.message}")
            return
        self.c.event(self.cj, "Normal", "SuccessfulCreate", f"Created job {name}")
        self.status["active"] = [*self.status.get("active", []), self._reference(created)]
        self.status["lastScheduleTime"] = _rfc3339(scheduled)

    def _write(self) -> None:
        status = {k: v for k, v in self.status.items() if v not in (None, [], "")}
        if status == (self.cj.get("status") or {}):
            return
        current = self.api.peek(CRONJOBS, self.name, self.namespace)
        if current is None:
            return
        updated = deep_copy(current)
        updated["status"] = status
        self.api.update(CRONJOBS, updated, self.namespace, subresource="status")
