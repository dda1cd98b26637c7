"""Grading tests: the handmade submissions in fixtures/ are graded by the tests, never run by nbval
(one of them loops forever, another kills its kernel)."""

collect_ignore_glob = ["fixtures/*.ipynb"]
