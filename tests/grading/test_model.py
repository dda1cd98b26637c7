"""Results: JSON round trip, notebook rendering, nbgrader's partial credit; the runner and check()."""

from __future__ import annotations

import pytest
from nbformat.v4 import new_code_cell, new_output
from nbgrader.utils import determine_grade

import k8scourse
from k8scourse.api.errors import K8sError
from k8scourse.grading import ExerciseResult, check, get_exercise, run_checks, start
from k8scourse.grading.model import Check, Exercise, Verdict


def _broken(ctx):
    raise ZeroDivisionError("division by zero")


def test_a_broken_check_scores_zero_and_the_others_still_run(cluster):
    exercise = Exercise("t", "T", "", (Check("broken", "breaks", 1, _broken, "no hint"),
                                       Check("fine", "passes", 2, lambda ctx: Verdict(True, "ok"), "")))
    result = run_checks(exercise, cluster)
    broken, fine = result.checks
    assert (broken.score, broken.message) == (0.0, "This check could not run; your instructor has the details.")
    assert "ZeroDivisionError" in broken.debug
    assert (fine.score, result.score, result.max_points) == (2.0, 2.0, 3.0)


def test_partial_credit_within_a_check():
    exercise = Exercise("t", "T", "", (Check("half", "half", 4, lambda ctx: Verdict(False, "half", credit=0.5),
                                             "try harder"),))
    result = run_checks(exercise, cluster=None)  # the predicate does not look at the cluster
    assert (result.score, result.checks[0].passed, result.checks[0].hint) == (2.0, False, "try harder")


def test_check_in_a_notebook_runs_the_visible_checks_on_the_current_cluster():
    cluster = start("scaling-1")
    cluster.kubectl("scale deployment api --replicas=4")
    result = k8scourse.check("scaling-1")
    assert [c.name for c in result.checks] == ["four-ready-replicas", "deployment-labelled", "pods-labelled"]
    assert (result.score, result.max_points, result.hidden_not_run) == (2.0, 5.0, 1)
    assert "1 more check(s) are run when your instructor grades the exercise." in str(result)


def test_results_round_trip_through_json_and_render_for_learners():
    start("deployments-1")
    result = check("deployments-1")
    assert ExerciseResult.from_dict(result.to_dict()) == result
    html = result._repr_html_()
    assert "Hint: Create it with `kind: Deployment`" in html and "0 / 5" in html
    assert "debug" not in result.to_dict(debug=False)["checks"][0]


def test_nbgrader_reads_the_check_cells_output_as_partial_credit():
    start("scaling-1").kubectl("label deployment api team=payments")
    bundle = check("scaling-1")._repr_mimebundle_()
    cell = new_code_cell('k8scourse.check("scaling-1")', metadata={"nbgrader": {
        "grade": True, "solution": False, "points": 5, "grade_id": "scaling-1-check"}})
    cell.outputs = [new_output("execute_result", data=bundle, execution_count=1)]
    assert determine_grade(cell) == (1.0, 5.0)


def test_an_unknown_exercise_lists_the_known_ones():
    with pytest.raises(K8sError, match="There is no exercise 'nope'; the exercises are: deployments-1, "):
        get_exercise("nope")


def test_recorded_observations_are_judged_without_running_the_probe():
    class Probe:
        key = "p"

        def run(self, cluster):
            raise AssertionError("a recorded observation must not run again")

    probe = Probe()
    checks = tuple(Check(name, name, 1, lambda ctx: Verdict(ctx.observe(probe)["ok"], "saw"), "", probe=probe)
                   for name in ("one", "two"))
    exercise = Exercise("t", "T", "", checks)
    assert exercise.probes == (probe,)  # two checks judge one experiment
    assert run_checks(exercise, cluster=None, observations={"p": {"ok": True}}).score == 2.0
