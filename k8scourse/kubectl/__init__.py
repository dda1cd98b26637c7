"""kubectl over any backend: the verbs learners type, with kubectl's own semantics and wording.

Used by `k8scourse.cluster.Cluster` (apply, create, get, delete) and by the notebook magics. Talks to a
cluster only through the Backend protocol, so the simulator and a real cluster behave alike.
"""
