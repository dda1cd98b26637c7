"""`kubectl logs | exec | top | wait`: reading from and waiting on what runs in the cluster.

Registered in `k8scourse.kubectl.command.VERBS`. Wording follows staging/src/k8s.io/kubectl/pkg/cmd/{logs,
exec,top,wait}, polymorphichelpers/logsforobject.go (`Found 3 pods, using pod/web-...`), cmd/util/podcmd
(`Defaulted container "a" out of: a, b`) and metricsutil/metrics_printer.go. Anything that waits in a
terminal (`logs -f`, `wait`) moves the cluster's virtual time on instead, for a bounded time.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ...api.errors import ApiError, K8sError
from ...api.registry import ResourceType
from ..command import Invocation, verb
from ..flags import Flag, UsageError
from ..render import PrintError, jsonpath_output
from ..tabwriter import tabwrite

Obj = dict[str, Any]

FOLLOW_SECONDS = 60.0  # how long `logs -f` follows in a notebook (virtual seconds)
STEP_SECONDS = 1.0
METRICS_CREATION_DELAY = 120.0  # top_pod.go: metricsCreationDelay = 2 * time.Minute
DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container"
SHELLS = {"sh", "bash", "ash", "zsh", "dash"}


# --- shared: which pod a command means ----------------------------------------------------------------------

def _pods(inv: Invocation) -> ResourceType:
    return inv.backend.registry.resolve("pods")


def _selector_of(obj: Obj) -> str:
    """SelectorsForObject: a workload's pod selector as a label selector string."""
    selector = (obj.get("spec") or {}).get("selector") or {}
    if obj.get("kind") in ("ReplicationController", "Service"):
        return ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
    parts = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], ",".join(sorted(expr.get("values") or []))
        parts.append({"In": f"{key} in ({values})", "NotIn": f"{key} notin ({values})", "Exists": key,
                      "DoesNotExist": f"!{key}"}[op])
    return ",".join(parts)


def _logging_rank(pod: Obj) -> tuple[Any, ...]:
    """podutils.ByLogging: assigned, running, ready, most restarts, oldest first."""
    status = pod.get("status") or {}
    phase = {"Running": 0, "Unknown": 1, "Pending": 2}.get(status.get("phase", ""), 3)
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in status.get("conditions") or [])
    restarts = sum(c.get("restartCount", 0) for c in status.get("containerStatuses") or [])
    meta = pod["metadata"]
    return (not (pod.get("spec") or {}).get("nodeName"), phase, not ready, -restarts,
            meta.get("creationTimestamp", ""), meta["name"])


def target_pod(inv: Invocation, word: str, announce: bool) -> Obj:
    """The pod `word` names: `web`, `pod/web`, or the first pod (by logging preference) of `deploy/web`."""
    kind, slash, name = word.partition("/")
    if not slash:
        kind, name = "pods", word
    rt = inv.backend.registry.resolve(kind)
    obj = inv.backend.get(rt, name, inv.namespace if rt.namespaced else None)
    if rt.kind == "Pod":
        return obj
    if not (obj.get("spec") or {}).get("selector"):
        raise K8sError(f"cannot attach to {rt.kind}: selector for {rt.kind} not implemented")
    pods = inv.backend.list(_pods(inv), inv.namespace, _selector_of(obj))["items"]
    if not pods:
        raise K8sError("timed out waiting for the condition")
    pods.sort(key=_logging_rank)
    if announce and len(pods) > 1:
        inv.err.write(f"Found {len(pods)} pods, using pod/{pods[0]['metadata']['name']}\n")
    return pods[0]


def _all_container_names(pod: Obj) -> str:
    spec = pod.get("spec") or {}
    names = [c["name"] for c in spec.get("containers") or []]
    names += [f"{c['name']} (ephem)" for c in spec.get("ephemeralContainers") or []]
    names += [f"{c['name']} (init)" for c in spec.get("initContainers") or []]
    return ", ".join(names)


def _has_container(pod: Obj, name: str) -> bool:
    spec = pod.get("spec") or {}
    return any(c.get("name") == name for key in ("initContainers", "containers", "ephemeralContainers")
               for c in spec.get(key) or [])


def choose_container(inv: Invocation, pod: Obj, wanted: str | None, *, for_exec: bool) -> str:
    """podcmd.FindOrDefaultContainerByName: -c, else the default-container annotation, else the first one."""
    name = pod["metadata"]["name"]
    if not wanted:
        annotated = (pod["metadata"].get("annotations") or {}).get(DEFAULT_CONTAINER, "")
        if annotated and _has_container(pod, annotated):
            return annotated
        if annotated and not for_exec:
            inv.err.write(f'Default container name "{annotated}" not found in pod {name}\n')
        first = pod["spec"]["containers"][0]["name"]
        spec = pod["spec"]
        if len(spec["containers"]) > 1 or spec.get("initContainers") or spec.get("ephemeralContainers"):
            inv.err.write(f'Defaulted container "{first}" out of: {_all_container_names(pod)}\n')
        return first
    if not _has_container(pod, wanted):
        if for_exec:
            raise K8sError(f"container {wanted} is not valid for pod {name} out of: {_all_container_names(pod)}")
        raise K8sError(f"container {wanted} is not valid for pod {name}")
    return wanted


def usage_error(message: str, verb_name: str) -> K8sError:
    """cmdutil.UsageErrorf: `error: <message>` and the pointer to the command's help."""
    return K8sError(f"{message}\nSee 'kubectl {verb_name} -h' for help and examples")


# --- logs ------------------------------------------------------------------------------------------------

LOGS_USAGE = ("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument "
              "for the logs command")
SELECTOR_TAIL = 10  # logs.go selectorTail: -l shows the last 10 lines of each container unless --tail is given


@verb("logs", Flag("container", "c"), Flag("previous", "p", takes_value=False), Flag("tail", kind=int, default=-1),
      Flag("timestamps", takes_value=False), Flag("follow", "f", takes_value=False), Flag("since"),
      Flag("selector", "l"), Flag("all-containers", takes_value=False), Flag("prefix", takes_value=False),
      Flag("max-log-requests", kind=int, default=5), Flag("ignore-errors", takes_value=False),
      Flag("pod-running-timeout"),
      summary="Print the logs for a container in a pod")
def logs(inv: Invocation) -> None:
    """logs.go: one pod (or the pod a workload picks), or every pod a selector matches, container by container."""
    args, selector = inv.line.args, inv.line["selector"]
    if (not args and not selector) or len(args) > 2:
        raise usage_error(LOGS_USAGE, "logs")
    if len(args) == 1 and selector:
        raise usage_error("only a selector (-l) or a POD name is allowed", "logs")
    container = inv.line["container"] or (args[1] if len(args) == 2 else None)
    if inv.line["all-containers"] and container:
        raise K8sError(f"--all-containers=true should not be specified with container name {container}")
    if inv.line["tail"] < -1:
        raise K8sError("--tail must be greater than or equal to -1")
    if selector:
        pods = inv.backend.list(_pods(inv), inv.namespace, selector)["items"]
        if not pods:
            inv.err.write(f"No resources found in {inv.namespace} namespace.\n")
            return
    else:
        pods = [_logs_target(inv, args[0])]
    streams = [_LogStream(inv, pod, name) for pod in pods for name in _log_containers(inv, pod, container)]
    if inv.line["follow"] and len(streams) > 1 and inv.line["max-log-requests"] < len(streams):
        raise K8sError(f"you are attempting to follow {len(streams)} log streams, but maximum allowed concurrency is "
                       f"{inv.line['max-log-requests']}, use --max-log-requests to increase the limit")
    tail = inv.line["tail"] if inv.line["tail"] >= 0 else None
    if selector and "tail" not in inv.line.given:
        tail = SELECTOR_TAIL
    follow = inv.line["follow"] and not inv.line["previous"]
    for stream in streams:
        try:
            inv.out.write(stream.first(tail, follow))
        except ApiError as exc:
            if not inv.line["ignore-errors"]:
                raise
            inv.out.write(f"error: {exc.status.get('message', '')}\n")
    if follow:
        _follow(inv, streams)


def _logs_target(inv: Invocation, word: str) -> Obj:
    """logs.go Complete: the builder's NotFound gets the namespace added (`... not found in namespace "ns"`) and,
    no longer a Status, prints as a plain `error: ...`."""
    try:
        return target_pod(inv, word, announce=True)
    except ApiError as exc:
        if exc.reason != "NotFound":
            raise
        raise K8sError(f'error from server (NotFound): {exc.status.get("message", "")} in namespace "{inv.namespace}"') from exc


def _log_containers(inv: Invocation, pod: Obj, wanted: str | None) -> list[str]:
    """The containers to read: -c / the default one, or with --all-containers init, app and ephemeral ones."""
    if not inv.line["all-containers"]:
        return [choose_container(inv, pod, wanted, for_exec=False)]
    spec = pod.get("spec") or {}
    return [c["name"] for key in ("initContainers", "containers", "ephemeralContainers") for c in spec.get(key) or []]


class _LogStream:
    """One container's log as `kubectl logs` requests it, with --prefix's `[pod/NAME/CONTAINER] ` on each line."""

    def __init__(self, inv: Invocation, pod: Obj, container: str):
        self.inv, self.pod, self.container = inv, pod, container
        self.prefix = f"[pod/{pod['metadata']['name']}/{container}] " if inv.line["prefix"] else ""
        self.since = parse_duration(inv.line["since"], "since", "logs") if inv.line["since"] else None
        self.seen = ""

    def _fetch(self, tail: int | None) -> str:
        meta, line = self.pod["metadata"], self.inv.line
        return self.inv.backend.logs(meta["namespace"], meta["name"], self.container, line["previous"], tail,
                                     line["timestamps"], self.since)

    def _prefixed(self, text: str) -> str:
        return "".join(self.prefix + part for part in text.splitlines(keepends=True)) if self.prefix else text

    def first(self, tail: int | None, follow: bool) -> str:
        """The log as requested (the last `tail` lines); when following, remember all of it."""
        text = self._fetch(tail)
        if follow:
            self.seen = text if tail is None else self._fetch(None)
        return self._prefixed(text)

    def new_lines(self) -> str:
        """What the container wrote since the last read."""
        current = self._fetch(None)
        old, self.seen = self.seen, current
        return self._prefixed(current[len(old):]) if current.startswith(old) else ""

    def running(self) -> bool:
        return _container_running(self.inv, self.pod, self.container)


def _container_running(inv: Invocation, pod: Obj, container: str) -> bool:
    try:
        current = inv.backend.get(_pods(inv), pod["metadata"]["name"], pod["metadata"]["namespace"])
    except ApiError:
        return False
    if current["metadata"].get("uid") != pod["metadata"].get("uid"):
        return False
    statuses = (current.get("status") or {}).get("containerStatuses") or []
    statuses = statuses + ((current.get("status") or {}).get("initContainerStatuses") or [])
    return any(s.get("name") == container and "running" in (s.get("state") or {}) for s in statuses)


def _follow(inv: Invocation, streams: list[_LogStream]) -> None:
    """`logs -f` in a notebook: new lines as virtual time passes, until the containers stop or time is up."""
    waited = 0.0
    while waited < FOLLOW_SECONDS:
        if not any(stream.running() for stream in streams):
            inv.err.write(f"(the container stopped after {waited:g}s of simulated time, so kubectl logs -f ends "
                          "here)\n")
            return
        inv.backend.advance(STEP_SECONDS)
        waited += STEP_SECONDS
        try:
            for stream in streams:
                inv.out.write(stream.new_lines())
        except ApiError:
            break
    inv.err.write(f"(followed for {FOLLOW_SECONDS:g}s of simulated time; in a terminal kubectl logs -f keeps "
                  "waiting until Ctrl-C. Run it again, or cluster.advance(seconds), to see more.)\n")


# --- exec ------------------------------------------------------------------------------------------------

@verb("exec", Flag("container", "c"), Flag("stdin", "i", takes_value=False), Flag("tty", "t", takes_value=False),
      Flag("quiet", "q", takes_value=False), Flag("filename", "f", many=True),
      summary="Execute a command in a container")
def exec_(inv: Invocation) -> None:
    args, command = inv.line.args, inv.line.after_dash
    if not args:
        raise K8sError("pod, type/name or --filename must be specified")
    if len(args) > 1 and not inv.line.dash_seen:
        raise usage_error("exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead",
                          "exec")
    if not command:
        raise K8sError("you must specify at least one command for the container")
    if inv.line["tty"] or inv.line["stdin"]:
        if _interactive_shell(command):
            raise K8sError(_NO_TERMINAL.format(shell=" ".join(command), pod=args[0]))
        if inv.line["tty"] and not inv.line["quiet"]:
            inv.err.write("Unable to use a TTY - input is not a terminal or the right kind of file\n")
    pod = target_pod(inv, args[0], announce=False)
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise K8sError(f"cannot exec into a container in a completed pod; current phase is {phase}")
    container = choose_container(inv, pod, inv.line["container"], for_exec=True)
    meta = pod["metadata"]
    result = inv.backend.exec(meta["namespace"], meta["name"], list(command), container,
                              inv.stdin if inv.line["stdin"] else None)
    inv.out.write(result.stdout)
    inv.err.write(result.stderr)
    if result.exit_code:
        inv.err.write(f"command terminated with exit code {result.exit_code}\n")
        inv.code = result.exit_code


_NO_TERMINAL = (
    "kubectl exec -it opens an interactive shell ({shell}) in a terminal; a notebook cell has no terminal "
    "to type into.\nRun each command on its own instead, for example:\n"
    "  kubectl exec {pod} -- sh -c 'ls /; env'"
)


def _interactive_shell(command: list[str]) -> bool:
    return len(command) == 1 and command[0].rsplit("/", 1)[-1] in SHELLS


# --- top -------------------------------------------------------------------------------------------------

@verb("top", Flag("selector", "l"), Flag("all-namespaces", "A", takes_value=False),
      Flag("containers", takes_value=False), Flag("no-headers", takes_value=False), Flag("sort-by"),
      summary="Display resource (CPU/memory) usage")
def top(inv: Invocation) -> None:
    if inv.line["sort-by"] not in (None, "", "cpu", "memory"):
        raise K8sError("--sort-by accepts only cpu or memory")  # top_pod.go / top_node.go Validate
    args = inv.line.args
    what = args[0] if args else ""
    if what in ("pod", "pods", "po"):
        _top_pods(inv, args[1] if len(args) > 1 else None)
    elif what in ("node", "nodes", "no"):
        _top_nodes(inv, args[1] if len(args) > 1 else None)
    elif what:
        raise usage_error(f'unknown command "{what}"', "top")
    else:
        inv.out.write(_TOP_HELP)


_TOP_HELP = """Display resource (CPU/memory) usage.

 The top command allows you to see the resource consumption for nodes or pods.

 This command requires Metrics Server to be correctly configured and working on the server.

Available Commands:
  node          Display resource (CPU/memory) usage of nodes
  pod           Display resource (CPU/memory) usage of pods

Usage:
  kubectl top [flags] [options]

Use "kubectl top <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
"""


def _top_table(inv: Invocation, header: list[str], rows: list[list[str]]) -> None:
    """metrics_printer: every cell, the last included, ends with a tab (so every column is padded)."""
    lines = ([] if inv.line["no-headers"] else [header]) + rows
    inv.out.write(tabwrite([line + [""] for line in lines]))


def _cpu(millicores: int) -> str:
    return f"{millicores}m"


def _memory(value: int) -> str:
    return f"{value // (1024 * 1024)}Mi"


def _top_pods(inv: Invocation, name: str | None) -> None:
    everywhere = inv.line["all-namespaces"]
    namespace = None if everywhere else inv.namespace
    rows = inv.backend.top("pods", namespace, inv.line["selector"] or "")
    if name is not None:
        rows = [r for r in rows if r["name"] == name]
    if not rows:
        _explain_empty_pod_metrics(inv, name)
        inv.err.write("No resources found\n" if everywhere else f"No resources found in {inv.namespace} namespace.\n")
        return
    rows.sort(key=lambda r: (r["namespace"], r["name"]) if everywhere else r["name"])
    rows = _by_usage(inv, rows)
    header = ["NAME", "CPU(cores)", "MEMORY(bytes)"]
    if inv.line["containers"]:
        header = ["POD", *header]
    if everywhere:
        header = ["NAMESPACE", *header]
    lines = []
    for row in rows:
        prefix = [row["namespace"]] if everywhere else []
        if inv.line["containers"]:
            lines += [[*prefix, row["name"], c["name"], _cpu(c["cpu"]), _memory(c["memory"])]
                      for c in _by_usage(inv, sorted(row["containers"], key=lambda c: c["name"]))]
        else:
            lines.append([*prefix, row["name"], _cpu(row["cpu"]), _memory(row["memory"])])
    _top_table(inv, header, lines)


def _by_usage(inv: Invocation, rows: list[Obj]) -> list[Obj]:
    """metrics_sorter.go: --sort-by=cpu|memory puts the largest usage first (ties keep name order)."""
    field = inv.line["sort-by"]
    return sorted(rows, key=lambda r: -r[field]) if field else rows


def _explain_empty_pod_metrics(inv: Invocation, name: str | None) -> None:
    """verifyEmptyMetrics: no sample yet is `metrics not available yet` unless a pod is older than 2 minutes."""
    pods_rt = _pods(inv)
    if name is not None:
        pods = [inv.backend.get(pods_rt, name, inv.namespace)]
    else:
        ns = None if inv.line["all-namespaces"] else inv.namespace
        pods = inv.backend.list(pods_rt, ns, inv.line["selector"] or "")["items"]
    if not pods:
        return
    now = inv.backend.current_time()
    for pod in pods:
        age = (now - _parse_time(pod["metadata"]["creationTimestamp"])).total_seconds()
        if age > METRICS_CREATION_DELAY:
            meta = pod["metadata"]
            raise K8sError(f"Metrics not available for pod {meta['namespace']}/{meta['name']}, age: "
                           f"{go_duration(age)}")
    raise K8sError("metrics not available yet")


def _top_nodes(inv: Invocation, name: str | None) -> None:
    rows = inv.backend.top("nodes", None, inv.line["selector"] or "")
    if name is not None:
        inv.backend.get(inv.backend.registry.resolve("nodes"), name)
        rows = [r for r in rows if r["name"] == name]
    known = [r for r in rows if r["cpu"] is not None]
    if not known:
        raise K8sError("metrics not available yet")
    lines = [[r["name"], _cpu(r["cpu"]), f"{r['cpu_percent']}%", _memory(r["memory"]), f"{r['memory_percent']}%"]
             for r in _by_usage(inv, sorted(known, key=lambda r: r["name"]))]
    lines += [[r["name"], *["<unknown>"] * 4] for r in rows if r["cpu"] is None]
    _top_table(inv, ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"], lines)


# --- wait ------------------------------------------------------------------------------------------------

@verb("wait", Flag("for"), Flag("timeout", default="30s"), Flag("selector", "l"), Flag("all", takes_value=False),
      Flag("all-namespaces", "A", takes_value=False), Flag("filename", "f", many=True),
      summary="Experimental: Wait for a specific condition on one or many resources")
def wait(inv: Invocation) -> None:
    check = _condition(inv.line["for"] or "")
    timeout = parse_duration(inv.line["timeout"], "timeout", "wait")
    targets = _wait_targets(inv)
    for rt, name, namespace in targets:
        _wait_one(inv, rt, name, namespace, check, timeout)


def _wait_targets(inv: Invocation) -> list[tuple[ResourceType, str, str | None]]:
    args = inv.line.args
    if not args:
        raise K8sError("You must provide one or more resources by argument or filename.\nExample resource "
                       "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> "
                       "<name>'\n   '<resource>'")
    registry = inv.backend.registry
    if any("/" in a for a in args):
        pairs = [(registry.resolve(a.partition("/")[0]), a.partition("/")[2]) for a in args]
    else:
        rt = registry.resolve(args[0])
        names = args[1:]
        if not names:
            if not (inv.line["selector"] or inv.line["all"]):
                raise K8sError("resource(s) were provided, but no name was specified")
            ns = None if inv.line["all-namespaces"] or not rt.namespaced else inv.namespace
            items = inv.backend.list(rt, ns, inv.line["selector"] or "")["items"]
            if not items:
                raise K8sError("no matching resources found")
            return [(rt, i["metadata"]["name"], i["metadata"].get("namespace")) for i in items]
        pairs = [(rt, n) for n in names]
    return [(rt, name, inv.namespace if rt.namespaced else None) for rt, name in pairs]


Check = Any  # (object or None) -> bool


def _condition(spec: str) -> tuple[str, Check]:
    """--for: `delete`, `create`, `condition=Name[=value]`, `jsonpath={...}[=value]` (wait.go conditionFuncFor)."""
    lowered = spec.lower()
    if lowered == "delete":
        return "delete", lambda obj: obj is None
    if lowered == "create":
        return "create", lambda obj: obj is not None
    if lowered.startswith("condition="):
        name, _, value = spec[len("condition="):].partition("=")
        wanted = value or "true"
        return "condition", lambda obj: obj is not None and _has_condition(obj, name, wanted)
    if lowered.startswith("jsonpath="):
        expression, value = _split_jsonpath(spec[len("jsonpath="):])
        return "jsonpath", lambda obj: obj is not None and _jsonpath_matches(obj, expression, value)
    raise K8sError(f'unrecognized condition: "{spec}"')


def _split_jsonpath(text: str) -> tuple[str, str | None]:
    if not text.startswith("{"):
        text = "{" + text
        close = text.find("}")
        if close == -1:
            text += "}"
    close = text.rfind("}")
    expression, rest = text[: close + 1], text[close + 1:]
    if rest and not rest.startswith("="):
        raise K8sError("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or "
                       "--for=jsonpath='{.status.readyReplicas}'")
    if not expression.strip("{}"):
        raise K8sError("jsonpath expression cannot be empty")
    return expression, rest[1:] if rest else None


def _has_condition(obj: Obj, name: str, wanted: str) -> bool:
    """ConditionalWait.checkCondition: the named condition has the value, for the current generation."""
    status = obj.get("status") or {}
    generation = obj.get("metadata", {}).get("generation")
    observed = status.get("observedGeneration")
    for cond in status.get("conditions") or []:
        if cond.get("type", "").lower() != name.lower():
            continue
        seen = cond.get("observedGeneration", observed)
        if generation is not None and seen is not None and seen < generation:
            return False
        return str(cond.get("status", "")).lower() == wanted.lower()
    return False


def _jsonpath_matches(obj: Obj, expression: str, value: str | None) -> bool:
    try:
        found = jsonpath_output(expression, obj, allow_missing_keys=False)
    except PrintError:
        return False
    return bool(found) if value is None else found == value


def _wait_one(inv: Invocation, rt: ResourceType, name: str, namespace: str | None,
              check: tuple[str, Check], timeout: float) -> None:
    mode, test = check

    def current() -> Obj | None:
        try:
            return inv.backend.get(rt, name, namespace)
        except ApiError as exc:
            if exc.code == 404 and mode in ("delete", "create"):
                return None
            raise

    waited = 0.0
    if mode == "delete" and current() is None:
        return  # wait.go: for --for=delete the builder ignores NotFound, so nothing is visited or printed
    while True:
        if test(current()):
            inv.print(f"{rt.kubectl_kind}/{name} condition met")
            return
        if waited >= timeout:
            raise K8sError(f"timed out waiting for the condition on {rt.plural}/{name}")
        step = min(STEP_SECONDS, timeout - waited)
        inv.backend.advance(step)
        waited += step


# --- durations -------------------------------------------------------------------------------------------

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")


def parse_duration(text: str, flag: str, verb_name: str) -> float:
    """Go's time.ParseDuration (`30s`, `1m30s`, `2h`), as pflag reads a duration flag; in seconds."""
    if text in ("0", "-1"):
        return 0.0 if text == "0" else float("inf")
    pos, total = 0, 0.0
    for match in _PART.finditer(text):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if not text or pos != len(text):
        raise UsageError(f'invalid argument "{text}" for "--{flag}" flag: time: invalid duration "{text}"',
                         f"See 'kubectl {verb_name} --help' for usage.")
    return total


def go_duration(seconds: float) -> str:
    """time.Duration.String(): `2m5.5s`, `1h0m0s`."""
    nanos = int(round(seconds * 1e9))
    hours, nanos = divmod(nanos, 3_600_000_000_000)
    minutes, nanos = divmod(nanos, 60_000_000_000)
    secs = f"{nanos / 1e9:.9f}".rstrip("0").rstrip(".")
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    return f"{minutes}m{secs}s" if minutes else f"{secs}s"


def _parse_time(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
