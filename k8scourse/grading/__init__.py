"""Graded exercises: exercises, checks and results; `check()` in a notebook and `k8scourse grade` for a class."""
