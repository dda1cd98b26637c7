"""The simulated kube-scheduler: `Scheduler` (created by `SimulatedCluster`) and its `Explanation`s."""

from .explain import Explanation, FilterResult, NodeExplanation, ScoreResult
from .scheduler import Scheduler

__all__ = ["Explanation", "FilterResult", "NodeExplanation", "ScoreResult", "Scheduler"]
