"""A cluster's state frozen as JSON, a read-only backend serving it back, and the guard that takes it.

Class grading (`classroom`) runs a submitted notebook in its own kernel; this module is the only part of
the grader that runs inside that kernel. `Guard.install()` runs before the learner's first cell: it keeps
references to the genuine k8scourse modules and fingerprints their functions and classes. `Guard.finish()`
runs after the last cell: it reports what the notebook replaced, settles the cluster, and writes a
snapshot of every object (and of the environment each ready container sees) to a file, then runs the graded
exercise's probes (`probes`: experiments that act on the cluster, such as replacing a pod to see whether its
data survives) and records what they saw. The grader then judges the snapshot through `SnapshotBackend`, and
the probes' observations, with check code from its own process, which the notebook never had a chance to
touch. The snapshot itself stays read-only: nothing acts on it.
"""

from __future__ import annotations

import builtins
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..api.errors import ApiError, method_not_allowed_error, not_found_error
from ..api.registry import Registry, ResourceType
from ..api.selectors import label_selector_from_query, object_fields, parse_field_selector

if TYPE_CHECKING:
    from .model import Probe

Obj = dict[str, Any]
SNAPSHOT_VERSION = 1
_open = builtins.open
_dumps = json.dumps

# Modules whose code runs only in the grader's process: a notebook that replaces them changes nothing.
GRADER_SIDE = ("k8scourse", "k8scourse.grading", "k8scourse.grading.checks", "k8scourse.grading.exercises",
               "k8scourse.grading.runner", "k8scourse.grading.model", "k8scourse.grading.render")
_PRELOAD = ("k8scourse.cluster", "k8scourse.sim.cluster", "k8scourse.grading", "k8scourse.grading.snapshot",
            "k8scourse.grading.probes")


# --- taking a snapshot -----------------------------------------------------------------------------------
def _ready_containers(pod: Obj) -> list[str]:
    return [s["name"] for s in pod.get("status", {}).get("containerStatuses") or [] if s.get("ready")]


def _environments(backend: Any, pods: list[Obj]) -> dict[str, dict[str, str]]:
    """`env` run in every ready container outside kube-*: what the checks of configuration read."""
    recorded: dict[str, dict[str, str]] = {}
    for pod in pods:
        meta = pod["metadata"]
        if meta.get("namespace", "").startswith("kube-"):
            continue
        for container in _ready_containers(pod):
            try:
                result = backend.exec(meta["namespace"], meta["name"], ["env"], container)
            except ApiError:
                continue
            if result.exit_code == 0:
                recorded.setdefault(f"{meta['namespace']}/{meta['name']}", {})[container] = result.stdout
    return recorded


def _observe(probe: Probe, cluster: Any) -> Obj:
    try:
        return probe.run(cluster)
    except Exception as exc:  # noqa: BLE001 - a failing probe is recorded; its check says it could not run
        return {"probe": probe.key, "error": f"{type(exc).__name__}: {exc}"}


def take_snapshot(cluster: Any, probes: Iterable[Probe] = ()) -> Obj:
    """Every listable object of the cluster (all namespaces) and the environment of its ready containers; then
    what each probe saw. The probes run last, as they change the cluster the rest of the snapshot shows."""
    backend = cluster.backend
    objects: dict[str, list[Obj]] = {}
    for rt in backend.registry.resources:
        if "list" not in rt.verbs:
            continue
        try:
            items = backend.list(rt, None)["items"]
        except ApiError:
            continue
        if items:
            objects[rt.group_resource] = [{"apiVersion": rt.api_version, "kind": rt.kind, **o} for o in items]
    now = backend.current_time()
    snapshot = {"version": SNAPSHOT_VERSION, "connected": True, "backend": backend.kind_name,
                "namespace": cluster.namespace, "now": now.isoformat() if hasattr(now, "isoformat") else str(now),
                "objects": objects, "env": _environments(backend, objects.get("pods", []))}
    snapshot["probes"] = {probe.key: _observe(probe, cluster) for probe in probes}
    return snapshot


# --- serving a snapshot ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordedExec:
    stdout: str
    stderr: str = ""
    exit_code: int = 0


class SnapshotBackend:
    """A read-only Backend over a snapshot: get, list (with selectors) and `env` in a container."""

    kind_name = "snapshot"

    def __init__(self, snapshot: Obj, registry: Registry | None = None):
        self.registry = registry or Registry()
        self.snapshot = snapshot
        self._objects: dict[str, list[Obj]] = snapshot.get("objects", {})

    def _items(self, rt: ResourceType, namespace: str | None) -> Iterator[Obj]:
        for obj in self._objects.get(rt.group_resource, []):
            if namespace is None or obj["metadata"].get("namespace") == namespace:
                yield obj

    def get(self, rt: ResourceType, name: str, namespace: str | None = None) -> Obj:
        for obj in self._items(rt, namespace):
            if obj["metadata"]["name"] == name:
                return obj
        raise not_found_error(rt.plural, rt.group, name)

    def list(self, rt: ResourceType, namespace: str | None = None, label_selector: str = "",
             field_selector: str = "", limit: int | None = None, continue_token: str | None = None) -> Obj:
        labels = label_selector_from_query(label_selector)
        fields = parse_field_selector(field_selector) if field_selector else None
        items = [o for o in self._items(rt, namespace) if labels.matches(o["metadata"].get("labels") or {})
                 and (fields is None or fields.matches(object_fields(o)))]
        return {"apiVersion": rt.api_version, "kind": f"{rt.kind}List", "metadata": {"resourceVersion": ""},
                "items": items}

    def exec(self, namespace: str, pod: str, command: list[str], container: str | None = None,
             stdin: str | None = None) -> RecordedExec:
        recorded = self.snapshot.get("env", {}).get(f"{namespace}/{pod}")
        if list(command) not in (["env"], ["printenv"]) or not recorded:
            raise method_not_allowed_error(f"the snapshot of pod {pod} holds no output of {' '.join(command)}")
        if container is None:
            spec = self.get(self.registry.resolve("pods"), pod, namespace)["spec"]
            container = spec["containers"][0]["name"]
        if container not in recorded:
            raise method_not_allowed_error(f"container {container} of pod {pod} was not ready")
        return RecordedExec(recorded[container])

    def current_time(self) -> str:
        return self.snapshot.get("now", "")

    def settle(self, timeout: float | None = None) -> None:
        return None

    def advance(self, seconds: float) -> None:
        return None

    def _read_only(self, *args: Any, **kwargs: Any) -> Obj:
        raise method_not_allowed_error("a snapshot of a graded cluster is read-only")

    create = update = patch = delete = watch = logs = table = top = _read_only


# --- the guard inside the graded kernel ------------------------------------------------------------------
def _fingerprint(module_names: list[str]) -> dict[tuple[str, str], Any]:
    """Every function and class of these modules, and every function of those classes, by name."""
    prints: dict[tuple[str, str], Any] = {}
    for name in module_names:
        module = sys.modules[name]
        prints[(name, "")] = module
        for attr, value in list(vars(module).items()):
            if getattr(value, "__module__", None) != name or not callable(value):
                continue
            prints[(name, attr)] = value
            if isinstance(value, type):
                for member, inner in vars(value).items():
                    if callable(inner) or isinstance(inner, (staticmethod, classmethod, property)):
                        prints[(name, f"{attr}.{member}")] = inner
    return prints


def _current_object(name: str, path: str) -> Any:
    module = sys.modules.get(name)
    if not path:
        return module
    target: Any = module
    for part in path.split("."):
        target = vars(target).get(part) if target is not None else None
    return target


def _hooks() -> dict[str, list[Any]]:
    shell = getattr(builtins, "get_ipython", lambda: None)()
    if shell is None:
        return {}
    return {event: list(callbacks) for event, callbacks in shell.events.callbacks.items()}


class Guard:
    """Installed before a graded notebook runs; at the end, reports tampering and writes the snapshot."""

    def __init__(self, package_dir: str):
        import importlib

        for name in _PRELOAD:
            importlib.import_module(name)
        root = sys.modules["k8scourse"]
        if not str(root.__file__).startswith(package_dir):
            raise RuntimeError(f"k8scourse was loaded from {root.__file__}, not from {package_dir}")
        self._cluster_module = sys.modules["k8scourse.cluster"]
        self._take = take_snapshot
        self._prints = _fingerprint(sorted(n for n in sys.modules if n == "k8scourse" or n.startswith("k8scourse.")))
        self._hooks = _hooks()
        exercises = sys.modules["k8scourse.grading.exercises"].EXERCISES
        self._exercises = {k: (v, v.checks) for k, v in exercises.items()}
        self._probes = {k: v.probes for k, v in exercises.items()}
        self._exercise_table = exercises

    def _replaced(self) -> tuple[list[str], list[str]]:
        """What the notebook replaced: (parts grading relies on, parts that run only in the grader)."""
        critical: list[str] = []
        harmless: list[str] = []
        swapped = {name for (name, path), module in self._prints.items() if not path and sys.modules.get(name)
                   is not module}
        for (module, path), original in self._prints.items():
            if (path and module in swapped) or _current_object(module, path) is original:
                continue
            label = f"{module}.{path}" if path else f"the module {module}"
            (harmless if module in GRADER_SIDE else critical).append(label)
        table = self._exercise_table
        if sys.modules["k8scourse.grading.exercises"].EXERCISES is not table or any(
                table.get(k) is not ex or ex.checks is not checks for k, (ex, checks) in self._exercises.items()):
            harmless.append("the exercise definitions")
        for event, callbacks in _hooks().items():
            added = [cb for cb in callbacks if cb not in self._hooks.get(event, [])
                     and not str(getattr(cb, "__module__", "")).startswith("k8scourse")]
            if added:
                critical.append(f"an IPython {event} hook")
        return critical, harmless

    def finish(self, out_path: str, exercise: str | None = None) -> None:
        """Write the snapshot, with what the probes of `exercise` (as defined when the guard started) saw."""
        critical, harmless = self._replaced()
        cluster = self._cluster_module._current
        if critical or cluster is None:
            snapshot: Obj = {"version": SNAPSHOT_VERSION, "connected": cluster is not None, "objects": {}, "env": {}}
        else:
            cluster.backend.settle(None)
            snapshot = self._take(cluster, self._probes.get(exercise or "", ()))
        snapshot["tampered"] = critical
        snapshot["replaced"] = harmless
        with _open(out_path, "w", encoding="utf-8") as handle:
            handle.write(_dumps(snapshot))


def prologue_source(package_dir: str, guard_name: str) -> str:
    """The cell the grader runs before the learner's first cell."""
    parent = package_dir.rsplit("/", 1)[0]
    return (f"import sys as _sys\n_sys.path.insert(0, {parent!r})\n"
            f"from k8scourse.grading.snapshot import Guard as _Guard\n"
            f"{guard_name} = _Guard({package_dir!r})\ndel _sys, _Guard\n")


def epilogue_source(guard_name: str, out_path: str, exercise: str | None = None) -> str:
    """The cell the grader runs after the learner's last cell."""
    return f"{guard_name}.finish({out_path!r}, {exercise!r})\n"


def load_snapshot(path: str) -> Obj:
    with _open(path, encoding="utf-8") as handle:
        return json.load(handle)
