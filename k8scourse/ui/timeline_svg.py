"""The event timeline's picture: what each component did, and when, on one time axis (SVG).

`timeline_entries(snapshot)` turns Events (and the transition times recorded in pod conditions and
container states) into `Entry` rows; `timeline_svg(entries)` draws them in one lane per component, the
controllers first, then the scheduler, the kubelets and the pods' own status. Pure functions, used by
the live `Timeline` widget and as its static fallback. Long idle gaps are cut short (`+2m` on the axis).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..api.printing.duration import parse_time
from .snapshot import Snapshot
from .svg import BAD, DONE, GOOD, WARN, Canvas, legend, text_width

Obj = dict[str, Any]

PX_PER_SECOND = 30
LONGEST_GAP = 8  # seconds drawn to scale; longer gaps are cut short
CUT_WIDTH = 44
LANE_LABEL = 190
SUB_ROW = 17
POD_LANE = "pod status"
FIRST_LANES = ("deployment-controller", "statefulset-controller", "daemonset-controller", "cronjob-controller",
               "job-controller", "replicaset-controller", "replication-controller")


@dataclass(frozen=True)
class Entry:
    """One thing that happened: at `time` (to `until` for repeated events), in `lane`, to `subject`."""

    time: datetime
    lane: str
    reason: str
    subject: str  # kind/name, kubectl style
    message: str = ""
    warning: bool = False
    count: int = 1
    until: datetime | None = None
    order: int = 1 << 62  # among entries of the same second: the store's order (resourceVersion), pods last

    @property
    def label(self) -> str:
        times = f" ×{self.count}" if self.count > 1 else ""
        return f"{self.reason}{times} {self.subject.split('/', 1)[-1]}"


def _stamp(value: Any) -> datetime | None:
    return parse_time(value) if isinstance(value, str) and value else None


def _lane(event: Obj) -> str:
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingComponent") or "unknown"
    host = source.get("host")
    return f"{component} {host}" if component == "kubelet" and host else component


def event_entry(event: Obj) -> Entry | None:
    """An Event as a timeline entry (None when it carries no time at all)."""
    first = (_stamp(event.get("eventTime")) or _stamp(event.get("firstTimestamp"))
             or _stamp(event["metadata"].get("creationTimestamp")))
    if first is None:
        return None
    last = _stamp(event.get("lastTimestamp"))
    involved = event.get("involvedObject") or event.get("regarding") or {}
    count = int(event.get("count") or (event.get("series") or {}).get("count") or 1)
    version = str(event["metadata"].get("resourceVersion", ""))
    return Entry(first, _lane(event), event.get("reason", ""),
                 f"{str(involved.get('kind', '')).lower()}/{involved.get('name', '')}",
                 event.get("message", "") or event.get("note", ""), event.get("type") == "Warning", count,
                 last if last and last > first else None, int(version) if version.isdigit() else 1 << 62)


def pod_entries(pod: Obj) -> list[Entry]:
    """The transitions a pod's status still records: becoming Ready (or not) and its containers' start and exit."""
    name = f"pod/{pod['metadata']['name']}"
    status = pod.get("status") or {}
    entries = []
    for condition in status.get("conditions") or []:
        when = _stamp(condition.get("lastTransitionTime"))
        if when and condition.get("type") == "Ready":  # the others repeat what the events say
            ok = condition.get("status") == "True"
            reason = condition.get("type", "") + ("" if ok else "=False")
            entries.append(Entry(when, POD_LANE, reason, name, condition.get("message", ""), warning=not ok))
    for container in status.get("containerStatuses") or []:
        state = container.get("state") or {}
        if (running := _stamp((state.get("running") or {}).get("startedAt"))) is not None:
            entries.append(Entry(running, POD_LANE, f"{container.get('name')} running", name))
        terminated = state.get("terminated") or {}
        if (ended := _stamp(terminated.get("finishedAt"))) is not None:
            reason = terminated.get("reason") or f"exit {terminated.get('exitCode')}"
            entries.append(Entry(ended, POD_LANE, f"{container.get('name')} {reason}", name,
                                 warning=terminated.get("exitCode", 0) != 0))
    return entries


def timeline_entries(snap: Snapshot, *, last: int = 60, pods: bool = True) -> list[Entry]:
    """The `last` most recent entries of the snapshot's events (and pod transitions), oldest first."""
    entries = [e for ev in snap.of("events") if (e := event_entry(ev)) is not None]
    if pods:
        entries += [e for pod in snap.of("pods") for e in pod_entries(pod)]
    entries.sort(key=lambda e: (e.time, e.order, _lane_rank(e.lane), e.reason, e.subject))
    return entries[-last:] if last else entries


def _lane_rank(lane: str) -> tuple[int, str]:
    if lane in FIRST_LANES:
        return (0, f"{FIRST_LANES.index(lane):02}")
    if lane == "default-scheduler":
        return (2, lane)
    if lane.startswith("kubelet"):
        return (3, lane)
    if lane == POD_LANE:
        return (4, lane)
    return (1, lane)


class TimeAxis:
    """Seconds to x, to scale within LONGEST_GAP seconds and cut short beyond."""

    def __init__(self, times: list[datetime], left: float):
        self.marks: list[tuple[datetime, float]] = []
        self.cuts: list[tuple[float, float]] = []  # (x, seconds left out)
        x = left
        previous: datetime | None = None
        for t in sorted(set(times)):
            if previous is not None:
                gap = (t - previous).total_seconds()
                if gap > LONGEST_GAP:
                    self.cuts.append((x + 4, gap))
                    x += CUT_WIDTH
                else:
                    x += max(gap * PX_PER_SECOND, 12)
            self.marks.append((t, x))
            previous = t
        self.right = x

    def x(self, t: datetime) -> float:
        best = self.marks[0][1]
        for when, x in self.marks:
            if when <= t:
                best = x
        return best


def _short(seconds: float) -> str:
    if seconds < 120:
        return f"+{int(seconds)}s"
    if seconds < 7200:
        return f"+{int(seconds // 60)}m"
    return f"+{int(seconds // 3600)}h"


def _pack(entries: list[Entry], axis: TimeAxis) -> dict[str, list[tuple[Entry, int]]]:
    """Each lane's entries with the sub-row each label fits in without overlapping the one before it."""
    lanes: dict[str, list[tuple[Entry, int]]] = {}
    ends: dict[str, list[float]] = {}
    for entry in entries:
        x = axis.x(entry.time)
        rows = ends.setdefault(entry.lane, [])
        width = text_width(entry.label, 11) + 14 + (axis.x(entry.until) - x if entry.until else 0)
        row = next((i for i, end in enumerate(rows) if end < x), len(rows))
        if row == len(rows):
            rows.append(0)
        rows[row] = x + width
        lanes.setdefault(entry.lane, []).append((entry, row))
    return dict(sorted(lanes.items(), key=lambda item: _lane_rank(item[0])))


def _colours(entry: Entry) -> tuple[str, str]:
    if entry.warning:
        return BAD if entry.lane == POD_LANE else WARN
    return GOOD if entry.lane == POD_LANE else DONE


def _draw_axis(canvas: Canvas, axis: TimeAxis, y: float, bottom: float) -> None:
    canvas.line(LANE_LABEL, y, axis.right + 40, y, "#757575")
    last_label = -1e9
    for when, x in axis.marks:
        canvas.line(x, y - 3, x, y + 3, "#757575")
        if x - last_label >= 64:
            canvas.text(x, y + 15, when.strftime("%H:%M:%S"), size=10, colour="#616161", anchor="middle")
            last_label = x
    for x, seconds in axis.cuts:
        canvas.line(x + 14, 26, x + 14, bottom, "#bdbdbd", dashed=True)
        canvas.text(x + 18, y - 5, _short(seconds), size=10, colour="#9e9e9e")


def timeline_svg(entries: list[Entry], title: str = "") -> str:
    """The entries drawn on a time axis, one lane per component; the same text for the same entries."""
    canvas = Canvas(title=title or "Event timeline")
    canvas.text(8, 16, title or "events", bold=True, colour="#424242")
    if not entries:
        canvas.text(8, 40, "No events yet.", colour="#616161")
        return canvas.svg()
    axis = TimeAxis([e.time for e in entries], LANE_LABEL + 12)
    lanes = _pack(entries, axis)
    y = 30.0
    layout: list[tuple[str, float, int]] = []
    for lane, placed in lanes.items():
        rows = max(row for _, row in placed) + 1
        layout.append((lane, y, rows))
        y += rows * SUB_ROW + 10
    for index, (lane, top, rows) in enumerate(layout):
        height = rows * SUB_ROW + 6
        canvas.rect(4, top - 2, axis.right + 200, height, ("none", "#f7f9fb" if index % 2 else "#ffffff"), radius=0,
                    stroke_width=0)
        canvas.text(8, top + 11, lane, size=11, bold=True, colour="#37474f")
        for entry, row in lanes[lane]:
            _draw_entry(canvas, axis, entry, top + row * SUB_ROW)
    _draw_axis(canvas, axis, y + 6, y)
    legend(canvas, 8, y + 44, [("event", DONE), ("warning event", WARN), ("pod status", GOOD),
                               ("pod status not true", BAD)])
    return canvas.svg()


def _draw_entry(canvas: Canvas, axis: TimeAxis, entry: Entry, top: float) -> None:
    x = axis.x(entry.time)
    colours = _colours(entry)
    tip = f"{entry.time:%H:%M:%S} {entry.lane}: {entry.reason} {entry.subject}"
    if entry.message:
        tip += f" — {entry.message}"
    if entry.count > 1:
        tip += f" (×{entry.count}" + (f", last at {entry.until:%H:%M:%S})" if entry.until else ")")
    end = axis.x(entry.until) if entry.until else x
    if entry.until:
        canvas.rect(x, top + 3, max(end - x, 4), 9, colours, radius=4, tooltip=tip)
    canvas.circle(x, top + 7.5, 4.5, colours, tooltip=tip)
    canvas.text(end + 8, top + 11, entry.label, size=11, tooltip=tip,
                colour=colours[0] if entry.warning else "#212121")
