"""Graded exercises: exercises, checks and results; `check()` in a notebook and `k8scourse grade` for a class.

Learners call `check("deployments-1")` (also `k8scourse.check`) after `start("deployments-1")`;
instructors run `k8scourse grade` (see `classroom`). The checks library is `k8scourse.grading.checks`.
"""

from .exercises import EXERCISES, get_exercise
from .model import Check, CheckContext, CheckResult, Exercise, ExerciseResult, Verdict
from .runner import check, run_checks, start

__all__ = ["EXERCISES", "Check", "CheckContext", "CheckResult", "Exercise", "ExerciseResult", "Verdict", "check",
           "get_exercise", "run_checks", "start"]
