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
    TEMPLATE_FORMATS,
    ObjectPrinter,
    PrintError,
    PrintOptions,
    Section,
    as_list,
    render_tables,
    with_kind_prefix,
)
from ..sorting import sort_objects, sort_table
from ..watching import watch
from .manifests import FILE_FLAGS, documents

Obj = dict[str, Any]
OUTPUTS = ("", "wide", "yaml", "json", "name")
PRINTER_FORMATS = ("custom-columns", "custom-columns-file", "go-template", "go-template-file", "json", "jsonpath",
                   "jsonpath-as-json", "jsonpath-file", "name", "template", "templatefile", "wide", "yaml")


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
      Flag("watch-only", takes_value=False), Flag("output-watch-events", takes_value=False),
      Flag("show-kind", takes_value=False), Flag("ignore-not-found", takes_value=False), Flag("chunk-size", kind=int),
      Flag("sort-by"), Flag("template"), Flag("allow-missing-template-keys", takes_value=False, kind=bool, default=True),
      summary="Display one or many resources")
def get(inv: Invocation) -> None:
    output = _output_format(inv)
    watching = inv.line["watch"] or inv.line["watch-only"]
    if inv.line["sort-by"] and watching:
        inv.err.write("warning: --watch requested, --sort-by will be ignored for watch events received\n"
                      if inv.line["watch"] else "warning: --watch-only requested, --sort-by will be ignored\n")
    if inv.line["show-labels"] and output not in ("", "wide"):
        raise K8sError(f"--show-labels option cannot be used with {output} printer")
    if inv.line["output-watch-events"] and not watching:
        raise K8sError("--output-watch-events option can only be used with --watch or --watch-only")
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
    human = output in ("", "wide")
    try:
        printer = None if human else ObjectPrinter(output, no_headers=inv.line["no-headers"],
                                                   allow_missing_keys=inv.line["allow-missing-template-keys"])
    except PrintError as exc:
        raise K8sError(str(exc)) from None
    if watching:
        if len({rt for rt, _ in targets}) > 1:
            raise K8sError("you may only specify a single resource type")
        rt, names = targets[0][0], [n for _, ns in targets for n in ns]
        watch(inv, rt, names, _options(inv, rt, False, all_namespaces), printer)
    elif printer is None:
        _print_tables(inv, targets, several, namespace, all_namespaces)
    else:
        _print_objects(inv, targets, namespace, printer)


def _output_format(inv: Invocation) -> str:
    """PrintFlags.ToPrinter: the -o value (a bare --template means go-template), or kubectl's refusal."""
    output = inv.line["output"]
    if inv.line["template"] and "output" not in inv.line.given:
        output = f"go-template={inv.line['template']}"
    elif inv.line["template"] and output.partition("=")[0] in TEMPLATE_FORMATS and "=" not in output:
        output = f"{output}={inv.line['template']}"
    if output.partition("=")[0] not in (*OUTPUTS, *PRINTER_FORMATS) or output.partition("=")[0] in (
            "custom-columns-file", "jsonpath-file"):
        if output.partition("=")[0] in ("custom-columns-file", "jsonpath-file"):
            raise K8sError(f"-o {output.partition('=')[0]} is not available in the course's kubectl; give the "
                           "expression inline (-o custom-columns=… or -o jsonpath=…)")
        raise K8sError(f"unable to match a printer suitable for the output format \"{output}\", allowed formats are: "
                       + ",".join(PRINTER_FORMATS))
    return output


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
                    table = inv.backend.table(rt, ns, name=name, include_object=_include(inv))
                except ApiError as exc:
                    if not (exc.code == 404 and inv.line["ignore-not-found"]):
                        errors.append(exc.kubectl_message())
                    continue
                sections.append(Section(rt.group_resource, table, options))
        else:
            table = inv.backend.table(rt, ns, inv.line["selector"] or "", inv.line["field-selector"] or "",
                                      include_object=_include(inv))
            sections.append(Section(rt.group_resource, table, options))
    if inv.line["sort-by"]:
        try:
            for section in sections:
                sort_table(section.table, inv.line["sort-by"])  # type: ignore[arg-type]
        except PrintError as exc:
            raise K8sError(str(exc)) from None
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


def _include(inv: Invocation) -> str:
    """get.go transformRequests: with --sort-by the rows carry whole objects, to sort on any field."""
    return "Object" if inv.line["sort-by"] else "Metadata"


def _print_objects(inv: Invocation, targets: list[tuple[ResourceType, list[str]]], namespace: str | None,
                   printer: ObjectPrinter) -> None:
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
    # printGeneric: one name that failed prints only its error; nothing found with --ignore-not-found prints
    # nothing; otherwise what was found, as a List when it is not a single named object
    if not objects and (single or inv.line["ignore-not-found"]):
        for message in errors:
            inv.error(message)
        return
    try:
        if inv.line["sort-by"] and not single:
            objects = sort_objects(objects, inv.line["sort-by"])
        if printer.format == "name":
            for obj in objects:
                inv.out.write(printer.print(obj))
        else:
            inv.out.write(printer.print(objects[0] if single and objects else as_list(objects)))
    except PrintError as exc:
        inv.out.write(exc.stdout)
        inv.error(f"error: {exc}")
    for message in errors:
        inv.error(message)
