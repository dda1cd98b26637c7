"""`kubectl rollout status | history | undo | restart | pause | resume` over `k8scourse.kubectl.rollout`.

Registered in `k8scourse.kubectl.command.VERBS`. Parses kubectl v1.33's flags and resource arguments
(staging/src/k8s.io/kubectl/pkg/cmd/rollout/*.go) and prints what the logic module returns; a refusal
prints the output so far, then `error: <message>`. `rollout status` watches in simulated time: the
cluster's clock moves on while it waits, up to `--timeout` (kubectl's default 0 means no limit; here a
generous ceiling stands in for "until you press Ctrl+C").
"""

from __future__ import annotations

import re
from datetime import UTC

from ...api.errors import K8sError
from ...api.registry import ResourceType
from .. import rollout as logic
from ..command import Invocation, verb
from ..flags import Flag
from .manifests import DRY_RUN, OUTPUT, dry_run_mode, resource_targets

SUBCOMMANDS = ("history", "pause", "restart", "resume", "status", "undo")

HELP = "Manage the rollout of one or many resources.\n        \n" + """ Valid resource types include:

  *  deployments
  *  daemonsets
  *  statefulsets

Available Commands:
  history       View rollout history
  pause         Mark the provided resource as paused
  restart       Restart a resource
  resume        Resume a paused resource
  status        Show the status of the rollout
  undo          Undo a previous rollout

Usage:
  kubectl rollout SUBCOMMAND [options]

Use "kubectl rollout <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands)."""

_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float:
    """time.ParseDuration, in seconds: `0`, `30s`, `5m`, `1h30m`, `1.5s`."""
    if text in ("0", ""):
        return 0.0
    pos, total = 0, 0.0
    while pos < len(text):
        match = _DURATION_PART.match(text, pos)
        if match is None:
            raise K8sError(f'invalid argument "{text}" for "--timeout" flag: time: invalid duration "{text}"')
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    return total


def _now_rfc3339(inv: Invocation) -> str:
    """time.Now().Format(time.RFC3339) on the cluster's clock."""
    now = inv.backend.current_time()
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    now = now.astimezone(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


@verb("rollout", DRY_RUN, OUTPUT, Flag("watch", "w", takes_value=False, kind=bool, default=True), Flag("revision", kind=int, default=0),
      Flag("timeout", default="0s"), Flag("to-revision", kind=int, default=0), Flag("selector", "l"),
      Flag("filename", "f", many=True), Flag("recursive", "R", takes_value=False),
      summary="Manage the rollout of a resource")
def rollout(inv: Invocation) -> None:
    sub, args = (inv.line.args[:1] or [""])[0], inv.line.args[1:]
    if sub not in SUBCOMMANDS:
        inv.print(HELP)
        inv.code = 1
        return
    targets = resource_targets(inv, args)
    if not targets:
        raise K8sError("required resource not specified")
    for rt, names in targets:
        if not names:
            names = _selected(inv, rt)
        for name in names:
            _one(inv, sub, rt, name)


def _selected(inv: Invocation, rt: ResourceType) -> list[str]:
    selector = inv.line["selector"] or ""
    if not selector:
        raise K8sError("resource(s) were provided, but no name was specified")
    items = inv.backend.list(rt, inv.namespace, selector)["items"]
    return [item["metadata"]["name"] for item in items]


def _one(inv: Invocation, sub: str, rt: ResourceType, name: str) -> None:
    backend, ns = inv.backend, inv.namespace
    try:
        if sub == "status":
            text = logic.status(backend, rt, name, ns, watch=inv.line["watch"], revision=inv.line["revision"],
                                timeout=parse_duration(inv.line["timeout"]))
        elif sub == "history":
            text = logic.history(backend, rt, name, ns, revision=inv.line["revision"])
        elif sub == "undo":
            text = logic.undo(backend, rt, name, ns, to_revision=inv.line["to-revision"],
                              dry_run=dry_run_mode(inv) != "none")
        elif sub == "restart":
            text = logic.restart(backend, rt, name, ns, _now_rfc3339(inv))
        elif sub == "pause":
            text = logic.pause(backend, rt, name, ns)
        else:
            text = logic.resume(backend, rt, name, ns)
    except logic.RolloutError as exc:
        inv.out.write(exc.output)
        inv.error(f"error: {exc}")
        return
    inv.out.write(text)


__all__ = ["parse_duration", "rollout"]
