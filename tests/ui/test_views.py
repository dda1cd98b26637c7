"""The live views without a browser: build them, press their controls, read their state and drawings."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import k8scourse
from k8scourse.ui import live
from k8scourse.ui.cluster_view import ClusterView, show_cluster
from k8scourse.ui.exercise import ExercisePanel
from k8scourse.ui.progress import ProgressBar, describe, text_progress
from k8scourse.ui.scheduling import explain
from k8scourse.ui.snapshot import take_snapshot
from k8scourse.ui.timeline_svg import POD_LANE, TimeAxis, event_entry, timeline_entries
from k8scourse.ui.timeline_view import timeline


def test_the_step_button_lets_simulated_time_pass_and_redraws(cluster):
    view = show_cluster(cluster)
    cluster.kubectl("create deployment web --image=nginx:1.27 --replicas=2")
    live.changed(cluster)
    assert view.picture.value.count(">ContainerCreating 0/1<") == 2
    before = cluster.backend.current_time()
    for _ in range(10):
        view.controls.step_button.click()
    assert (cluster.backend.current_time() - before).total_seconds() == 10
    assert view.picture.value.count(">Running 1/1<") == 2


def test_play_ticks_move_time_by_speed_times_interval(cluster):
    view = ClusterView(cluster)
    view.controls.speed.value = 10.0
    before = cluster.backend.current_time()
    view.controls.play.value = 1  # what the browser's Play widget sends every interval
    view.controls.play.value = 2
    assert (cluster.backend.current_time() - before).total_seconds() == 2 * 10 * 0.5
    view.controls.play.value = 0  # stop: back to zero, no time passes
    assert (cluster.backend.current_time() - before).total_seconds() == 10


def test_views_refresh_after_each_notebook_cell(cluster):
    view = ClusterView(cluster, controls=False)
    cluster.kubectl("run solo --image=nginx:1.27")
    assert "solo" not in view.picture.value
    live.changed_all()  # IPython's post_run_cell hook
    assert "solo" in view.picture.value


def test_the_saved_output_is_the_svg_and_a_one_line_summary(cluster):
    cluster.kubectl("create deployment web --image=nginx:1.27 --replicas=2")
    cluster.settle()
    bundle = ClusterView(cluster)._repr_mimebundle_()
    assert bundle["text/plain"] == "<ClusterView of namespace default: 1 node(s), 2 pod(s)>"
    assert bundle["text/html"].startswith('<div class="k8scourse-cluster"')
    assert "<svg" in bundle["text/html"] and "model_id" not in bundle["text/html"]
    assert bundle["text/html"] == ClusterView(cluster)._repr_mimebundle_()["text/html"]


def test_the_timeline_has_a_lane_per_component_in_causal_order(cluster):
    cluster.kubectl("create deployment web --image=nginx:1.27 --replicas=1")
    cluster.settle()
    view = timeline(cluster)
    lanes = list(dict.fromkeys(e.lane for e in sorted(view.entries, key=lambda e: e.lane)))
    assert {"deployment-controller", "replicaset-controller", "default-scheduler", "kubelet minikube",
            POD_LANE} <= set(lanes)
    drawn = re.findall(r'font-weight="bold">([^<]+)</text>', view.picture.value)
    order = [lane for lane in drawn if lane in ("deployment-controller", "replicaset-controller",
                                                 "default-scheduler", "kubelet minikube", POD_LANE)]
    assert order == ["deployment-controller", "replicaset-controller", "default-scheduler", "kubelet minikube",
                     POD_LANE]
    reasons = [e.reason for e in view.entries if e.lane == "kubelet minikube" and e.subject.startswith("pod/")]
    assert reasons[:4] == ["Pulling", "Pulled", "Created", "Started"]


def test_repeated_events_span_their_first_and_last_time():
    event = {"metadata": {"name": "e"}, "reason": "BackOff", "type": "Warning", "count": 4,
             "firstTimestamp": "2026-01-05T09:00:00Z", "lastTimestamp": "2026-01-05T09:01:00Z",
             "involvedObject": {"kind": "Pod", "name": "bad"}, "source": {"component": "kubelet", "host": "m"}}
    entry = event_entry(event)
    assert (entry.lane, entry.label, entry.warning) == ("kubelet m", "BackOff ×4 bad", True)
    assert entry.until == datetime(2026, 1, 5, 9, 1, tzinfo=UTC)


def test_long_idle_gaps_are_cut_short_on_the_axis():
    t0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    times = [t0, t0.replace(second=2), t0.replace(minute=30)]
    axis = TimeAxis(times, 0)
    assert axis.x(times[1]) - axis.x(times[0]) == 60  # two seconds to scale
    assert axis.x(times[2]) - axis.x(times[1]) < 60  # half an hour cut short
    assert axis.cuts and axis.cuts[0][1] == 1798


def test_pod_transitions_come_from_its_status(cluster):
    cluster.kubectl("run solo --image=nginx:1.27")
    cluster.settle()
    pods = [e for e in timeline_entries(take_snapshot(cluster)) if e.lane == POD_LANE]
    assert [e.reason for e in pods] == ["Ready", "solo running"]


def test_the_scheduler_explanation_marks_the_chosen_node():
    cluster = k8scourse.connect(nodes=2)
    cluster.kubectl("run solo --image=nginx:1.27")
    cluster.settle()
    view = explain("solo", cluster)
    chosen = cluster.get("pod", "solo")["spec"]["nodeName"]
    assert view.explanation.chosen == chosen
    assert f"★ {chosen}" in view.picture.value
    assert "Successfully assigned default/solo to " + chosen in view.static_html()
    assert "has not looked at pod default/missing" in explain("missing", cluster).picture.value


class Result:
    def __init__(self, ok):
        self.ok = ok

    def _repr_html_(self):
        return f"<p>{'all checks passed' if self.ok else 'not yet'}</p>"


def test_the_check_button_shows_the_result_of_the_check():
    calls = []
    panel = ExercisePanel(lambda: calls.append(1) or Result(len(calls) > 1), "Exercise 1")
    panel.button.click()
    assert panel.feedback.value == "<p>not yet</p>"
    panel.button.click()
    assert panel.feedback.value == "<p>all checks passed</p>" and panel.result.ok
    assert "<p>all checks passed</p>" in panel._repr_mimebundle_()["text/html"]


def test_a_check_that_raises_shows_the_error():
    def broken():
        raise RuntimeError("no cluster")

    panel = ExercisePanel(broken)
    assert panel.run() is None
    assert "RuntimeError: no cluster" in panel.feedback.value and not panel.button.disabled


def test_progress_displays(capsys, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    bar = ProgressBar()
    bar(3, 10, ("pod/web ContainerCreating",))
    assert shown == [bar.box] and bar.bar.value == 3 and "pod/web ContainerCreating" in bar.label.value
    bar(5, 10, ())
    assert bar.finished and bar.bar.value == 10 and bar.bar.bar_style == "success"
    assert describe(["a", "b", "c", "d", "e"]) == "a, b, c and 2 more"
    text_progress(2, 120, "pod/web Pending")
    text_progress(4, 120, "")
    err = capsys.readouterr().err
    assert err.startswith("\r2/120: pod/web Pending") and err.endswith("\n")
    assert "\rdone after 4 of 120" in err
