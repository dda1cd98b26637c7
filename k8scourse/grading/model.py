"""What an exercise is, what a check judges, and what grading returns.

Defined here, used by the checks library (`checks`), the exercise catalogue (`exercises`), the runner that
judges a cluster (`runner`) and class grading (`classroom`). Results are frozen dataclasses that render as
HTML in a notebook (`render`) and round-trip through JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..cluster import Cluster

Obj = dict[str, Any]


@dataclass(frozen=True)
class Verdict:
    """What a predicate says: passed or not, why (for the learner), and details (for the instructor).

    `credit` is the share of the check's points earned (0 to 1); it defaults to all or nothing.
    """

    passed: bool
    message: str
    debug: str = ""
    credit: float | None = None

    @property
    def share(self) -> float:
        if self.credit is not None:
            return max(0.0, min(1.0, self.credit))
        return 1.0 if self.passed else 0.0


class Probe(Protocol):
    """An experiment a check needs run on a live cluster (see `probes`): it acts, and returns what it saw."""

    @property
    def key(self) -> str: ...

    def run(self, cluster: Cluster) -> Obj: ...


@dataclass(frozen=True)
class CheckContext:
    """What a predicate may look at: the cluster (through the `Cluster` facade), the learner's manifests, and
    what probes saw (recorded in the graded kernel by class grading; run on demand on a live cluster)."""

    cluster: Cluster
    manifests: tuple[Obj, ...] = ()
    observations: dict[str, Obj] = field(default_factory=dict, compare=False)

    @property
    def namespace(self) -> str:
        return self.cluster.namespace

    def observe(self, probe: Probe) -> Obj:
        """What `probe` saw: its recorded observation, or else it runs now on the cluster (and acts on it)."""
        if probe.key not in self.observations:
            self.observations[probe.key] = probe.run(self.cluster)
        return self.observations[probe.key]


Predicate = Callable[[CheckContext], Verdict]


@dataclass(frozen=True)
class Check:
    """One graded statement about the cluster, worth `points`, with a hint shown when it fails.

    `probe` is the experiment its predicate observes, if any: class grading runs it in the graded kernel.
    """

    name: str
    description: str
    points: float
    predicate: Predicate
    hint: str
    hidden: bool = False
    probe: Probe | None = None


@dataclass(frozen=True)
class Cell:
    """One cell of an exercise notebook: markdown, code, or an answer cell (starter text and solution)."""

    kind: str  # "markdown", "code" or "answer"
    source: str
    solution: str = ""


@dataclass(frozen=True)
class Exercise:
    """A graded exercise: what to do, the state it starts from, and the checks that grade it.

    `setup` objects are applied by `start()` before the learner begins; `files` are written next to the
    notebook; `manifests` names the files (globs) of the learner's own manifests the checks may read.
    """

    id: str
    title: str
    instructions: str
    checks: tuple[Check, ...]
    cells: tuple[Cell, ...] = ()
    setup: tuple[Obj, ...] = ()
    files: Mapping[str, str] = field(default_factory=dict)
    manifests: tuple[str, ...] = ()
    nodes: int = 1

    @property
    def visible_checks(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.hidden)

    @property
    def points(self) -> float:
        return sum(c.points for c in self.checks)

    @property
    def visible_points(self) -> float:
        return sum(c.points for c in self.visible_checks)

    @property
    def probes(self) -> tuple[Probe, ...]:
        """The experiments its checks observe, each once."""
        found: dict[str, Probe] = {}
        for check in self.checks:
            if check.probe is not None:
                found.setdefault(check.probe.key, check.probe)
        return tuple(found.values())


@dataclass(frozen=True)
class CheckResult:
    """How one check went: points earned, the learner's message (and hint), the instructor's details."""

    name: str
    description: str
    points: float
    score: float
    passed: bool
    message: str
    hint: str = ""
    debug: str = ""
    hidden: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckResult:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass(frozen=True)
class ExerciseResult:
    """The checks of one exercise on one cluster. `status` is `ok`, `timeout`, `crashed` or `tampered`.

    In a notebook it shows as an HTML table; its `text/plain` form is the score alone, which is how
    nbgrader reads partial credit from a graded cell's output.
    """

    exercise: str
    title: str
    checks: tuple[CheckResult, ...]
    status: str = "ok"
    notes: tuple[str, ...] = ()
    hidden_not_run: int = 0

    @property
    def score(self) -> float:
        return round(sum(c.score for c in self.checks), 4)

    @property
    def max_points(self) -> float:
        return sum(c.points for c in self.checks)

    @property
    def passed(self) -> bool:
        return self.status == "ok" and all(c.passed for c in self.checks)

    def check(self, name: str) -> CheckResult:
        """The result of the check called `name`."""
        for result in self.checks:
            if result.name == name:
                return result
        raise KeyError(f"exercise {self.exercise!r} has no check {name!r}")

    def to_dict(self, *, debug: bool = True) -> Obj:
        checks = [asdict(c) for c in self.checks]
        if not debug:
            for c in checks:
                c.pop("debug")
        return {"exercise": self.exercise, "title": self.title, "status": self.status, "score": self.score,
                "max": self.max_points, "notes": list(self.notes), "hidden_not_run": self.hidden_not_run,
                "checks": checks}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ExerciseResult:
        return cls(exercise=data["exercise"], title=data["title"],
                   checks=tuple(CheckResult.from_dict(c) for c in data["checks"]),
                   status=data.get("status", "ok"), notes=tuple(data.get("notes", ())),
                   hidden_not_run=int(data.get("hidden_not_run", 0)))

    def __str__(self) -> str:
        from .render import result_text

        return result_text(self)

    def _repr_html_(self) -> str:
        from .render import result_html

        return result_html(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": f"{self.score:g}", "text/html": self._repr_html_()}
