"""`kubectl apply | create -f | replace | delete`: the verbs that send manifests or remove objects.

Registered in `k8scourse.kubectl.command.VERBS`. Output and error wording follow
staging/src/k8s.io/kubectl/pkg/cmd/{apply,create,replace,delete} and cmdutil.AddSourceToErr:
`deployment.apps/web created`, `pod "web" deleted`, `Error from server (NotFound): error when creating
"web.yaml": namespaces "x" not found`, and kubectl's message for kinds the server does not serve.
"""

from __future__ import annotations

from typing import Any

from ...api.errors import ApiError, K8sError, KindNotFoundError, KindNotSimulatedError, ManifestError
from ...api.manifests import Document, load_manifests
from ...api.objects import meta_of
from ...api.registry import ResourceType
from ..apply import Applied, apply_object, with_last_applied
from ..command import Invocation, error_text, verb
from ..flags import Flag, UsageError

Obj = dict[str, Any]

FILE_FLAGS = (Flag("filename", "f", many=True), Flag("recursive", "R", takes_value=False))
DRY_RUN = Flag("dry-run", default="none", no_value="unchanged")
OUTPUT = Flag("output", "o", default="")


def documents(inv: Invocation) -> list[Document]:
    """The manifests named by -f (files, directories, `-` for stdin), in kubectl's order."""
    sources = inv.line["filename"]
    if not sources:
        raise K8sError("must specify one of -f and -k")
    docs: list[Document] = []
    for source in sources:
        if source == "-":
            docs += load_manifests(inv.stdin or "", source_name="STDIN")
        else:
            docs += load_manifests(source if "\n" not in source else source, recursive=inv.line["recursive"])
    return docs


def dry_run_mode(inv: Invocation) -> str:
    mode = inv.line["dry-run"]
    if mode in ("unchanged", "true"):  # `--dry-run` alone is deprecated but still means client
        if not getattr(inv, "_dry_run_warned", False):
            inv.err.write("Warning: --dry-run is deprecated and can be replaced with --dry-run=client.\n")
            inv._dry_run_warned = True  # type: ignore[attr-defined]
        mode = "client"
    if mode not in ("none", "client", "server", "false"):
        raise UsageError(f'Invalid dry-run value ({mode}). Must be "none", "server", or "client".', "")
    return "none" if mode == "false" else mode


def with_source(exc: K8sError, verb_text: str, source: str) -> K8sError:
    """cmdutil.AddSourceToErr: `error when creating "web.yaml": <message>` inside the server's Status."""
    if isinstance(exc, (KindNotFoundError, KindNotSimulatedError)) or not isinstance(exc, ApiError) or not source:
        return exc
    status = dict(exc.status, message=f'error when {verb_text} "{source}": {exc.message}')
    return ApiError(status)


def no_match(exc: KindNotFoundError, obj: Obj, source: str) -> ManifestError:
    meta = meta_of(obj)
    return ManifestError(
        f'resource mapping not found for name: "{meta.get("name", "")}" namespace: "{meta.get("namespace", "")}" '
        f'from "{source}": {exc.message}\nensure CRDs are installed first'
    )


def report(inv: Invocation, errors: list[K8sError]) -> None:
    """kubectl returns one error as is, several as an aggregate printed one per line."""
    if len(errors) == 1:
        inv.error(error_text(errors[0]))
        return
    for exc in errors:
        if isinstance(exc, ApiError):
            reason = exc.reason
            inv.error(f"Error from server ({reason}): {exc.message}" if reason else f"Error from server: {exc.message}")
        else:
            inv.error(error_text(exc))


def _for_each(inv: Invocation, action: Any) -> None:
    errors: list[K8sError] = []
    for doc in documents(inv):
        try:
            action(doc)
        except KindNotFoundError as exc:
            errors.append(no_match(exc, doc.object, doc.source))
        except K8sError as exc:
            errors.append(exc)
    if errors:
        report(inv, errors)


def _print_applied(inv: Invocation, result: Applied) -> None:
    if result.warning:
        inv.err.write(result.warning + "\n")
    if inv.line["output"] == "name":
        inv.print(f"{result.resource.kubectl_kind}/{result.object['metadata']['name']}")
    else:
        inv.print(result.line())


@verb("apply", *FILE_FLAGS, DRY_RUN, OUTPUT, Flag("server-side", takes_value=False), Flag("field-manager"),
      Flag("force-conflicts", takes_value=False), Flag("prune", takes_value=False), Flag("selector", "l"),
      summary="Apply a configuration to a resource by file name or stdin")
def apply(inv: Invocation) -> None:
    if inv.line["prune"]:
        raise K8sError("--prune is not supported by this cluster's kubectl; delete what you no longer want with "
                       "kubectl delete.")
    mode = dry_run_mode(inv)

    def one(doc: Document) -> None:
        if mode == "client":
            rt = inv.backend.registry.for_kind(str(doc.object.get("apiVersion", "")), str(doc.object.get("kind", "")))
            action = "configured" if _exists(inv, rt, doc.object) else "created"
            _print_applied(inv, Applied(action, doc.object, rt, "client"))
            return
        try:
            result = apply_object(inv.backend, doc.object, inv.namespace, dry_run=mode == "server")
        except ApiError as exc:
            raise with_source(exc, getattr(exc, "during", "creating"), doc.source) from None
        _print_applied(inv, result)

    _for_each(inv, one)


def _exists(inv: Invocation, rt: ResourceType, obj: Obj) -> bool:
    meta = meta_of(obj)
    ns = (meta.get("namespace") or inv.namespace) if rt.namespaced else None
    try:
        inv.backend.get(rt, meta.get("name", ""), ns)
    except ApiError:
        return False
    return True


def _ns_for(inv: Invocation, rt: ResourceType, obj: Obj) -> str | None:
    return (meta_of(obj).get("namespace") or inv.namespace) if rt.namespaced else None


@verb("replace", *FILE_FLAGS, DRY_RUN, OUTPUT, Flag("force", takes_value=False),
      summary="Replace a resource by file name or stdin")
def replace(inv: Invocation) -> None:
    mode = dry_run_mode(inv)

    def one(doc: Document) -> None:
        rt = inv.backend.registry.for_kind(str(doc.object.get("apiVersion", "")), str(doc.object.get("kind", "")))
        try:
            stored = inv.backend.update(rt, doc.object, _ns_for(inv, rt, doc.object), dry_run=mode == "server")
        except ApiError as exc:
            raise with_source(exc, "replacing", doc.source) from None
        _print_applied(inv, Applied("replaced", stored, rt, "server" if mode == "server" else ""))

    _for_each(inv, one)


def create_from_files(inv: Invocation) -> None:
    mode = dry_run_mode(inv)

    def one(doc: Document) -> None:
        rt = inv.backend.registry.for_kind(str(doc.object.get("apiVersion", "")), str(doc.object.get("kind", "")))
        if mode == "client":
            _print_applied(inv, Applied("created", doc.object, rt, "client"))
            return
        obj = with_last_applied(doc.object) if inv.line.get("save-config") else doc.object
        try:
            stored = inv.backend.create(rt, obj, _ns_for(inv, rt, doc.object), dry_run=mode == "server")
        except ApiError as exc:
            raise with_source(exc, "creating", doc.source) from None
        _print_applied(inv, Applied("created", stored, rt, "server" if mode == "server" else ""))

    _for_each(inv, one)


def deleted_line(rt: ResourceType, name: str, grace: int | None, mode: str, output: str) -> str:
    """DeleteOptions.PrintObj: `deployment.apps "web" deleted`, `force deleted`, dry-run suffixes, -o name."""
    kind = rt.kubectl_kind
    if output == "name":
        return f"{kind}/{name}"
    operation = "force deleted" if grace == 0 else "deleted"
    if mode == "client":
        operation += " (dry run)"
    elif mode == "server":
        operation += " (server dry run)"
    return f'{kind} "{name}" {operation}'


def _delete_one(inv: Invocation, rt: ResourceType, name: str, ns: str | None, source: str, mode: str) -> None:
    grace = inv.line["grace-period"]
    if grace is not None and grace < 0:
        grace = None
    if inv.line["force"] and grace is None:
        grace = 0
    policy = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan",
              "true": "Background", "false": "Orphan"}.get(str(inv.line["cascade"]).lower())
    if policy is None:
        raise UsageError(f'invalid cascade value ({inv.line["cascade"]}). Must be "background", "foreground", or '
                         '"orphan".', "")
    if mode != "client":
        try:
            deleted = inv.backend.delete(rt, name, ns, propagation_policy=policy, grace_period_seconds=grace,
                                         dry_run=mode == "server")
        except ApiError as exc:
            if exc.code == 404 and inv.line["ignore-not-found"]:
                return
            raise with_source(exc, "deleting", source) from None
        if mode == "none" and inv.line["wait"]:
            inv.pending_deletions.append((rt, name, ns, (deleted.get("metadata") or {}).get("uid")))
    inv.print(deleted_line(rt, name, grace, mode, inv.line["output"]))


WAIT_LIMIT = 3600  # simulated seconds kubectl delete waits at most here (its --timeout=0 waits for ever)


def wait_for_deletions(inv: Invocation) -> None:
    """kubectl delete --wait (the default): return once every deleted object is gone, letting cluster time
    run meanwhile (graceful termination, finalizers)."""
    pending = list(inv.pending_deletions)
    waited = 0
    while pending and waited < WAIT_LIMIT:
        still = []
        for rt, name, ns, uid in pending:
            try:
                current = inv.backend.get(rt, name, ns)
            except ApiError as exc:
                if exc.code == 404:
                    continue
                raise
            if uid and current["metadata"].get("uid") != uid:
                continue
            still.append((rt, name, ns, uid))
        pending = still
        if pending:
            inv.backend.advance(1)
            waited += 1
    for rt, name, _, _ in pending:
        inv.error(f"error: timed out waiting for the condition on {rt.group_resource}/{name}")


@verb("delete", *FILE_FLAGS, DRY_RUN, OUTPUT, Flag("selector", "l"), Flag("all", takes_value=False),
      Flag("all-namespaces", "A", takes_value=False), Flag("grace-period", kind=int),
      Flag("force", takes_value=False), Flag("now", takes_value=False), Flag("cascade", default="background"),
      Flag("ignore-not-found", takes_value=False), Flag("wait", kind=bool, default=True),
      Flag("field-selector"),
      summary="Delete resources by file names, stdin, resources and names, or by resources and label selector")
def delete(inv: Invocation) -> None:
    try:
        _delete(inv)
    finally:
        wait_for_deletions(inv)


def _delete(inv: Invocation) -> None:
    mode = dry_run_mode(inv)
    if inv.line["now"]:
        inv.line.flags["grace-period"] = 1
    if inv.line["filename"]:
        errors: list[K8sError] = []
        for doc in documents(inv):
            try:
                obj = doc.object
                rt = inv.backend.registry.for_kind(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
                _delete_one(inv, rt, meta_of(obj).get("name", ""), _ns_for(inv, rt, obj), doc.source,
                            mode)
            except KindNotFoundError as exc:
                errors.append(no_match(exc, doc.object, doc.source))
            except K8sError as exc:
                errors.append(exc)
        if errors:
            report(inv, errors)
        return
    targets = resource_targets(inv, inv.line.args)
    if not targets:
        raise K8sError("You must provide one or more resources by argument or filename.\nExample resource "
                       "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> "
                       "<name>'\n   '<resource>'")
    selector = inv.line["selector"] or ""
    field_selector = inv.line["field-selector"] or ""
    errors = []
    found = 0
    for rt, names in targets:
        if names:
            for name in names:
                try:
                    _delete_one(inv, rt, name, inv.namespace if rt.namespaced else None, "", mode)
                    found += 1
                except K8sError as exc:
                    errors.append(exc)
            continue
        if not (selector or field_selector or inv.line["all"]):
            raise K8sError("resource(s) were provided, but no name was specified")
        ns = None if inv.line["all-namespaces"] else (inv.namespace if rt.namespaced else None)
        items = inv.backend.list(rt, ns, selector, field_selector)["items"]
        for item in items:
            meta = item["metadata"]
            _delete_one(inv, rt, meta["name"], meta.get("namespace"), "", mode)
            found += 1
    if errors:
        report(inv, errors)
    elif not found:
        inv.print("No resources found")


def resource_targets(inv: Invocation, args: list[str]) -> list[tuple[ResourceType, list[str]]]:
    """kubectl's resource arguments: `pods web db`, `pod/web svc/web`, `pods,svc` (no names)."""
    registry = inv.backend.registry
    targets: list[tuple[ResourceType, list[str]]] = []
    if not args:
        return targets
    if any("/" in a for a in args):
        for arg in args:
            if "/" not in arg:
                raise UsageError("there is no need to specify a resource type as a separate argument when passing "
                                 "arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' "
                                 "instead of 'kubectl get resource resource/<resource_name>'", "")
            kind, _, name = arg.partition("/")
            targets.append((registry.resolve(kind), [name]))
        return targets
    kinds = [registry.resolve(k) for k in args[0].split(",") if k]
    names = args[1:]
    if names and len(kinds) > 1:
        raise UsageError("you may only specify a single resource type", "")
    return [(rt, list(names)) for rt in kinds]


__all__ = ["create_from_files", "documents", "resource_targets"]
