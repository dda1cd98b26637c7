"""`kubectl get`: server-side tables laid out as kubectl does, or -o yaml|json|name|jsonpath|custom-columns.

Registered in `k8scourse.kubectl.command.VERBS`. Follows staging/src/k8s.io/kubectl/pkg/cmd/get/get.go:
several types print one table each with `kind/name` rows, `all` expands to the `all` category, an empty
result says `No resources found in default namespace.` on stderr, and names that do not exist are
`Error from server (NotFound)` lines while the others still print.
"""

from __future__ import annotations

from typing import Any

from ...api.errors import ApiError, K8sError
from ...api.registry import GROUP_ORDER, ResourceType
from ..command import Invocation, verb
from ..flags import Flag, UsageError
from ..render import (
    PrintError,
    PrintOptions,
    Section,
    as_list,
    custom_columns_output,
    jsonpath_output,
    name_of,
    render_tables,
    to_json,
    to_yaml,
    with_kind_prefix,
)
from .manifests import FILE_FLAGS, documents

Obj = dict[str, Any]
OUTPUTS = ("", "wide", "yaml", "json", "name")


def _expand(inv: Invocation, word: str) -> list[ResourceType]:
    """A resource word: a type, or a category (`all`) in kubectl's discovery order."""
    registry = inv.backend.registry
    if word == "all":
        found = registry.in_category("all")
        return sorted(found, key=lambda r: (GROUP_ORDER.index(r.group) if r.group in GROUP_ORDER else 99,
                                            _CORE_ORDER.get(r.plural, 50), r.plural))
    return [registry.resolve(word)]


# kubectl get all prints pods, replicationcontrollers, services (core), then the groups in discovery order
_CORE_ORDER = {"pods": 0, "replicationcontrollers": 1, "services": 2}


def parse_targets(inv: Invocation) -> tuple[list[tuple[ResourceType, list[str]]], bool]:
    """(resource, names) pairs and whether kubectl would print `kind/name` (several types or `all`)."""
    args = inv.line.args
    if not args:
        raise K8sError(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of "
            "supported resources.\n")
    if any("/" in a for a in args):
        pairs = []
        for arg in args:
            if "/" not in arg:
                raise UsageError("there is no need to specify a resource type as a separate argument when passing "
                                 "arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead "
                                 "of 'kubectl get resource resource/<resource_name>'", "")
            kind, _, name = arg.partition("/")
            pairs.append((inv.backend.registry.resolve(kind), [name]))
        return pairs, True
    words = [w for w in args[0].split(",") if w]
    types: list[ResourceType] = []
    for word in words:
        types += [rt for rt in _expand(inv, word) if rt not in types]
    names = args[1:]
    if names and len(types) > 1:
        raise UsageError("you may only specify a single resource type", "")
    several = len(types) > 1 or "all" in words
    return [(rt, list(names)) for rt in types], several


def _options(inv: Invocation, rt: ResourceType, several: bool, all_namespaces: bool) -> PrintOptions:
    labels = tuple(label for spec in inv.line["label-columns"] for label in spec.split(",") if label)
    options = PrintOptions(wide=inv.line["output"] == "wide", no_headers=inv.line["no-headers"],
                           show_labels=inv.line["show-labels"], column_labels=labels,
                           with_namespace=all_namespaces and rt.namespaced)
    return with_kind_prefix(options, rt.kubectl_kind) if several else options


@verb("get", *FILE_FLAGS, Flag("output", "o", default=""), Flag("selector", "l"), Flag("field-selector"),
      Flag("all-namespaces", "A", takes_value=False), Flag("show-labels", takes_value=False),
      Flag("label-columns", "L", many=True), Flag("no-headers", takes_value=False), Flag("watch", "w", takes_value=False),
      Flag("show-kind", takes_value=False), Flag("ignore-not-found", takes_value=False), Flag("chunk-size", kind=int),
      Flag("sort-by"),
      summary="Display one or many resources")
def get(inv: Invocation) -> None:
    output = inv.line["output"]
    kind_of_output, _, template = output.partition("=")
    if kind_of_output not in (*OUTPUTS, "jsonpath", "jsonpath-as-json", "custom-columns"):
        raise K8sError(f"unable to match a printer suitable for the output format \"{output}\", allowed formats are: "
                       "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
                       "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml")
    if inv.line["watch"]:
        raise K8sError("kubectl get --watch waits for changes on a terminal; in a notebook, run "
                       "cluster.advance(seconds) (or %kubectl get again) to see the cluster change.")
    if inv.line["sort-by"]:
        raise K8sError("--sort-by is not available in the course's kubectl")
    all_namespaces = inv.line["all-namespaces"]
    namespace = None if all_namespaces else inv.namespace
    if inv.line["filename"]:
        targets = []
        for doc in documents(inv):
            obj = doc.object
            rt = inv.backend.registry.for_kind(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
            targets.append((rt, [(obj.get("metadata") or {}).get("name", "")]))
        several = len({t[0] for t in targets}) > 1
    else:
        targets, several = parse_targets(inv)
    several = several or inv.line["show-kind"]
    if kind_of_output in ("", "wide"):
        _print_tables(inv, targets, several, namespace, all_namespaces)
    else:
        _print_objects(inv, targets, namespace, kind_of_output, template)


def _print_tables(inv: Invocation, targets: list[tuple[ResourceType, list[str]]], several: bool,
                  namespace: str | None, all_namespaces: bool) -> None:
    sections: list[Section] = []
    errors: list[str] = []
    for rt, names in targets:
        options = _options(inv, rt, several, all_namespaces)
        ns = namespace if rt.namespaced else None
        if names:
            for name in names:
                try:
                    table = inv.backend.table(rt, ns, name=name)
                except ApiError as exc:
                    if not (exc.code == 404 and inv.line["ignore-not-found"]):
                        errors.append(exc.kubectl_message())
                    continue
                sections.append(Section(rt.group_resource, table, options))
        else:
            table = inv.backend.table(rt, ns, inv.line["selector"] or "", inv.line["field-selector"] or "")
            sections.append(Section(rt.group_resource, table, options))
    text = render_tables(sections)
    inv.out.write(text)
    empty = not any(s.table.get("rows") for s in sections)
    if empty and not errors and not any(names for _, names in targets):
        if all_namespaces or not any(rt.namespaced for rt, _ in targets):
            inv.err.write("No resources found\n")
        else:
            inv.err.write(f"No resources found in {inv.namespace} namespace.\n")
    for message in errors:
        inv.error(message)


def _print_objects(inv: Invocation, targets: list[tuple[ResourceType, list[str]]], namespace: str | None,
                   kind_of_output: str, template: str) -> None:
    objects: list[Obj] = []
    errors: list[str] = []
    single = len(targets) == 1 and len(targets[0][1]) == 1
    for rt, names in targets:
        ns = namespace if rt.namespaced else None
        if names:
            for name in names:
                try:
                    objects.append(inv.backend.get(rt, name, ns))
                except ApiError as exc:
                    if not (exc.code == 404 and inv.line["ignore-not-found"]):
                        errors.append(exc.kubectl_message())
        else:
            listed = inv.backend.list(rt, ns, inv.line["selector"] or "", inv.line["field-selector"] or "")
            objects += [{"apiVersion": rt.api_version, "kind": rt.kind, **item} for item in listed["items"]]
    try:
        if kind_of_output == "name":
            for obj in objects:
                inv.out.write(name_of(obj))
        else:
            shown: Obj = objects[0] if single and objects else as_list(objects)
            if kind_of_output == "json":
                inv.out.write(to_json(shown))
            elif kind_of_output == "yaml":
                inv.out.write(to_yaml(shown))
            elif kind_of_output in ("jsonpath", "jsonpath-as-json"):
                inv.out.write(jsonpath_output(template, shown, as_json=kind_of_output == "jsonpath-as-json"))
            else:
                inv.out.write(custom_columns_output(template, shown, no_headers=inv.line["no-headers"]))
    except PrintError as exc:
        inv.error(f"error: {exc}")
    for message in errors:
        inv.error(message)
