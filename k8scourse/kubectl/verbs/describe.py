"""`kubectl describe`: one object, several, all of a type, by label selector, by name prefix, across
namespaces, each laid out as kubectl's describers do (`k8scourse.kubectl.describe`).

Registered in `k8scourse.kubectl.command.VERBS`. Follows staging/src/k8s.io/kubectl/pkg/cmd/describe/
describe.go (v1.33): objects are separated by a blank line, a single missing name falls back to the
objects whose names start with it, names that do not exist are `Error from server (NotFound)` lines
while the others still print, and an empty result says `No resources found in default namespace.`
"""

from __future__ import annotations

from typing import Any

from ...api.errors import ApiError, K8sError
from ...api.registry import ResourceType
from ..command import Invocation, verb
from ..describe import describe_object, describer_for
from ..flags import Flag
from .get import parse_targets
from .manifests import FILE_FLAGS, documents, report

Obj = dict[str, Any]
Target = tuple[ResourceType, Obj]


@verb("describe", *FILE_FLAGS, Flag("selector", "l"), Flag("all-namespaces", "A", takes_value=False),
      Flag("show-events", kind=bool, default=True), Flag("chunk-size", kind=int),
      summary="Show details of a specific resource or group of resources")
def describe(inv: Invocation) -> None:
    if not inv.line.args and not inv.line["filename"]:
        raise K8sError("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a "
                       "complete list of supported resources.")
    all_namespaces = inv.line["all-namespaces"]
    names_given = len(inv.line.args) > 1 or any("/" in arg for arg in inv.line.args)
    if all_namespaces and names_given:  # resource.Builder's wording
        raise K8sError("a resource cannot be retrieved by name across all namespaces")
    found, errors = _targets(inv, all_namespaces)
    args = inv.line.args
    if (len(errors) == 1 and not found and len(args) == 2 and "/" not in args[0]
            and isinstance(errors[0], ApiError) and errors[0].code == 404):
        _describe_matching(inv, errors[0], args[0], args[1])
        return
    texts = []
    for rt, obj in found:
        try:
            texts.append(describe_object(inv.backend, rt, obj, show_events=inv.line["show-events"]))
        except K8sError as exc:
            if not any(str(exc) == str(e) for e in errors):
                errors.append(exc)
    inv.out.write("\n\n".join(texts))
    if not found and not errors:
        inv.err.write("No resources found\n" if all_namespaces else f"No resources found in {inv.namespace} "
                      "namespace.\n")
    if errors:
        report(inv, errors)


def _targets(inv: Invocation, all_namespaces: bool) -> tuple[list[Target], list[K8sError]]:
    """The objects the command line names (files, type/name, names, or every object of the types)."""
    found: list[Target] = []
    errors: list[K8sError] = []
    namespace = None if all_namespaces else inv.namespace
    if inv.line["filename"]:
        pairs = []
        for doc in documents(inv):
            obj = doc.object
            rt = inv.backend.registry.for_kind(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
            meta = obj.get("metadata") or {}
            pairs.append((rt, [meta.get("name", "")], meta.get("namespace") or inv.namespace))
    else:
        targets, _ = parse_targets(inv)
        pairs = [(rt, names, inv.namespace) for rt, names in targets]
    for rt, names, ns in pairs:
        describer_for(rt)
        if names:
            for name in names:
                try:
                    found.append((rt, inv.backend.get(rt, name, ns if rt.namespaced else None)))
                except ApiError as exc:
                    errors.append(exc)
            continue
        listed = inv.backend.list(rt, namespace if rt.namespaced else None, inv.line["selector"] or "")
        found += [(rt, item) for item in listed.get("items") or []]
    return found, errors


def _describe_matching(inv: Invocation, original: ApiError, resource: str, prefix: str) -> None:
    """DescribeMatchingResources: every object of the type whose name starts with `prefix`, or the
    original NotFound error when none does."""
    rt = inv.backend.registry.resolve(resource)
    describer_for(rt)
    listed = inv.backend.list(rt, inv.namespace if rt.namespaced else None)
    matched = [obj for obj in listed.get("items") or [] if obj["metadata"]["name"].startswith(prefix)]
    if not matched:
        raise original
    for obj in matched:
        inv.out.write(describe_object(inv.backend, rt, obj, show_events=inv.line["show-events"]) + "\n")
