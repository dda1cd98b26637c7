"""The `Cluster` learners hold: apply, create, get, delete, settle and advance on any backend.

Returned by `k8scourse.connect()`; used by notebooks, the grading layer and the UI. Accepts what kubectl
accepts (manifest text, files, directories, dicts; `pods`, `po`, `deploy`, `deployments.apps`, ...) and
refuses what kubectl refuses, with kubectl's wording.
"""

from __future__ import annotations

import os
import shlex
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .api import openapi
from .api.backend import STRATEGIC_MERGE_PATCH, Backend
from .api.errors import ApiError, K8sError
from .api.manifests import load_manifests
from .api.objects import meta_of
from .api.patch import create_two_way_merge_patch
from .api.registry import ResourceType
from .kubectl.apply import Applied, apply_object
from .kubectl.command import KubectlResult
from .kubectl.command import run as run_kubectl

Obj = dict[str, Any]
Manifest = str | Path | Obj | list[Obj]

_current: Cluster | None = None


def current() -> Cluster:
    """The cluster the last `connect()` returned (what `%kubectl` talks to)."""
    if _current is None:
        raise K8sError("No cluster yet: run `cluster = k8scourse.connect()` first.")
    return _current


class ApplyError(ApiError):
    """Some documents of a multi-document manifest were refused; the others were applied.

    `errors` holds each refusal, `applied` what went through; the Status is the first refusal's.
    """

    def __init__(self, errors: list[K8sError], applied: list[Applied]):
        first = next((e for e in errors if isinstance(e, ApiError)), None)
        super().__init__(first.status if first else {"message": str(errors[0]), "code": 400, "reason": "BadRequest"})
        self.errors = errors
        self.applied = applied

    def kubectl_message(self) -> str:
        return "\n".join(e.kubectl_message() for e in self.errors)


class AppliedObjects(list):
    """The stored objects an apply returned, displayed as kubectl prints its result lines."""

    def __init__(self, results: Iterable[Applied]):
        self.results = list(results)
        super().__init__(r.object for r in self.results)

    @property
    def actions(self) -> list[str]:
        return [r.line() for r in self.results]

    def __repr__(self) -> str:
        return "\n".join(self.actions) if self.results else "[]"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def _looks_like_manifest(value: Any) -> bool:
    if isinstance(value, (dict, list, Path)):
        return True
    if isinstance(value, str):
        text = value.strip()
        if "\n" in text or text.startswith(("{", "apiVersion", "kind", "---")):
            return True
        return text.endswith((".yaml", ".yml", ".json")) or os.path.isdir(text)
    return False


def _with_type(rt: ResourceType, obj: Obj) -> Obj:
    """List items come without apiVersion/kind; put them back, as kubectl does."""
    out = {"apiVersion": rt.api_version, "kind": rt.kind}
    out.update(obj)
    return out


class Cluster:
    """A connection to one cluster (simulated or real) with a current namespace."""

    def __init__(self, backend: Backend, namespace: str = "default"):
        self.backend = backend
        self.namespace = namespace

    def __repr__(self) -> str:
        return f"<k8scourse.Cluster ({self.backend.kind_name}), namespace {self.namespace!r}>"

    # --- resolving ---------------------------------------------------------------------------------
    def resource(self, name: str) -> ResourceType:
        """The resource type for any name kubectl accepts (`po`, `deploy`, `deployments.apps`, `Pod`)."""
        return self.backend.registry.resolve(name)

    def _ns(self, rt: ResourceType, namespace: str | None) -> str | None:
        return (namespace or self.namespace) if rt.namespaced else None

    # --- verbs -------------------------------------------------------------------------------------
    def apply(self, manifest: Manifest, namespace: str | None = None, *, dry_run: bool = False) -> AppliedObjects:
        """`kubectl apply -f`: create what is absent, update what changed, leave the rest unchanged."""
        docs = load_manifests(manifest)
        results: list[Applied] = []
        errors: list[K8sError] = []
        for doc in docs:
            try:
                results.append(apply_object(self.backend, doc.object, namespace or self.namespace,
                                            dry_run=dry_run))
            except K8sError as exc:
                errors.append(exc)
        self._raise_for(errors, results)
        return AppliedObjects(results)

    def create(self, manifest: Manifest, namespace: str | None = None, *, dry_run: bool = False) -> list[Obj]:
        """`kubectl create -f`: create every object; an existing one is an AlreadyExists error."""
        docs = load_manifests(manifest)
        results: list[Applied] = []
        errors: list[K8sError] = []
        for doc in docs:
            try:
                obj = doc.object
                rt = self.backend.registry.for_kind(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
                ns = self._ns(rt, meta_of(obj).get("namespace") or namespace)
                created = self.backend.create(rt, obj, ns, dry_run=dry_run)
                results.append(Applied("created", created, rt, "server" if dry_run else ""))
            except K8sError as exc:
                errors.append(exc)
        self._raise_for(errors, results)
        return AppliedObjects(results)

    def reset(self) -> Any:
        """Start over. On a real cluster: delete what the course created (objects carrying its label, in
        `default` and the namespaces it created; never kube-system). On the simulator: a fresh cluster with
        the same nodes and seed."""
        cleanup = getattr(self.backend, "cleanup", None)
        if cleanup is not None:
            return cleanup()
        from .sim.cluster import SimulatedCluster

        nodes = len(self.backend.list(self.resource("nodes"))["items"])
        self.backend = SimulatedCluster(nodes=nodes, seed=getattr(self.backend, "seed", 0))
        return self.backend

    @staticmethod
    def _raise_for(errors: list[K8sError], results: list[Applied]) -> None:
        if not errors:
            return
        if len(errors) == 1 and not results:
            raise errors[0]
        raise ApplyError(errors, results)

    def get(self, resource: str, name: str | None = None, namespace: str | None = None, *,
            label_selector: str | None = None, field_selector: str | None = None,
            all_namespaces: bool = False) -> Obj | list[Obj]:
        """One object (`name` given, or `"pod/web"`) or a list of objects, like `kubectl get`."""
        if name is None and "/" in resource:
            resource, _, name = resource.partition("/")
        rt = self.resource(resource)
        if name is not None:
            return self.backend.get(rt, name, self._ns(rt, namespace))
        ns = None if all_namespaces else self._ns(rt, namespace)
        listed = self.backend.list(rt, ns, label_selector or "", field_selector or "")
        return [_with_type(rt, item) for item in listed["items"]]

    def delete(self, resource: str | Manifest, name: str | None = None, namespace: str | None = None, *,
               label_selector: str | None = None, all: bool = False,  # noqa: A002 - kubectl's --all
               propagation_policy: str | None = None, grace_period: int | None = None,
               ignore_not_found: bool = False) -> list[Obj]:
        """`kubectl delete`: by name, by label selector, `--all`, or the objects of a manifest."""
        targets: list[tuple[ResourceType, str, str | None]] = []
        if _looks_like_manifest(resource) and name is None:
            for doc in load_manifests(resource):  # type: ignore[arg-type]
                obj = doc.object
                rt = self.backend.registry.for_kind(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
                meta = meta_of(obj)
                targets.append((rt, meta.get("name", ""), self._ns(rt, meta.get("namespace") or namespace)))
        else:
            text = str(resource)
            if name is None and "/" in text:
                text, _, name = text.partition("/")
            rt = self.resource(text)
            ns = self._ns(rt, namespace)
            if name is not None:
                targets.append((rt, name, ns))
            elif label_selector is not None or all:
                items = self.backend.list(rt, ns, label_selector or "")["items"]
                targets += [(rt, o["metadata"]["name"], ns) for o in items]
            else:
                raise K8sError("resource(s) were provided, but no name was specified")
        deleted: list[Obj] = []
        errors: list[K8sError] = []
        for rt, obj_name, ns in targets:
            try:
                deleted.append(self.backend.delete(rt, obj_name, ns, propagation_policy=propagation_policy,
                                                   grace_period_seconds=grace_period))
            except ApiError as exc:
                if not (ignore_not_found and exc.code == 404):
                    errors.append(exc)
        if errors:
            if len(errors) == 1 and not deleted:
                raise errors[0]
            raise ApplyError(errors, [])
        return deleted

    def exists(self, resource: str, name: str, namespace: str | None = None) -> bool:
        rt = self.resource(resource)
        try:
            self.backend.get(rt, name, self._ns(rt, namespace))
        except ApiError as exc:
            if exc.code == 404:
                return False
            raise
        return True

    def edit(self, original: Obj, edited: Manifest) -> str:
        """What `kubectl edit` does once the editor is saved: patch the object with what changed from `original`
        (the object as the editor opened it) to `edited` (one object). Returns kubectl's line
        (`deployment.apps/web edited`, or `skipped` when nothing changed); a refused patch raises ApiError."""
        docs = load_manifests(edited)
        if len(docs) != 1:
            raise K8sError("the edited file must hold exactly one object")
        changed = docs[0].object
        rt = self.backend.registry.for_kind(str(original.get("apiVersion", "")), str(original.get("kind", "")))
        name = meta_of(original).get("name", "")
        if (changed.get("apiVersion"), changed.get("kind"), meta_of(changed).get("name")) != (
                original.get("apiVersion"), original.get("kind"), name):
            # staging/src/k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go visitToPatch
            raise K8sError("At least one of apiVersion, kind and name was changed")
        if changed == original:
            return f"{rt.kubectl_kind}/{name} skipped"
        patch = create_two_way_merge_patch(original, changed, openapi.schema_for_kind(rt.api_version, rt.kind))
        self.backend.patch(rt, name, patch, STRATEGIC_MERGE_PATCH, self._ns(rt, meta_of(original).get("namespace")))
        return f"{rt.kubectl_kind}/{name} edited"

    # --- kubectl ----------------------------------------------------------------------------------
    def kubectl(self, command: str | list[str], stdin: str | None = None) -> KubectlResult:
        """Run a kubectl command line (`"get pods -o wide"`) on this cluster, as a terminal would.

        Never raises for a failing command: the result carries kubectl's stdout, stderr and exit code.
        `stdin` feeds `-f -`.
        """
        return run_kubectl(self, command, stdin)

    # --- requests ----------------------------------------------------------------------------------
    def request(self, url: str, *, source: tuple[str, str] | str | None = None, method: str = "GET",
                headers: dict[str, str] | None = None) -> Any:
        """Send an HTTP request through the cluster and get the answer with the path it took.

        From the learner's machine (`"http://192.168.49.2:30000/"`: a NodePort, a LoadBalancer IP, an
        Ingress host), or from a pod (`source="web-abc12"` in the current namespace, or `(namespace, pod)`).
        The response shows client → NodePort → Service → Pod and which pod served it.
        """
        send = getattr(self.backend, "request", None)
        if send is None:
            raise K8sError(f"Requests through the cluster are simulated only; on the {self.backend.kind_name} "
                           "backend use curl from a terminal or `kubectl exec POD -- curl URL`.")
        if isinstance(source, str):
            source = (self.namespace, source)
        return send(url, source=source, method=method, headers=headers)

    def minikube(self, command: str | list[str]) -> KubectlResult:
        """Run a minikube command line (`"addons enable ingress"`, `"service web --url"`) as a terminal would.

        On the simulator, the simulated minikube answers (`minikube kubectl -- ARGS` runs the course's kubectl);
        on a real cluster, the command is not run: run it in a terminal. Never raises for a failing command.
        """
        argv = shlex.split(command) if isinstance(command, str) else list(command)
        shown = "minikube " + " ".join(argv)
        if argv[:1] == ["kubectl"]:
            rest = argv[1:]
            return self.kubectl(rest[1:] if rest[:1] == ["--"] else rest)
        run = getattr(self.backend, "minikube", None)
        if run is None:
            return KubectlResult(shown, "", f"`{shown}` changes the machine minikube runs on; on the "
                                 f"{self.backend.kind_name} backend run it in a terminal.\n", 1)
        stdout, stderr, code = run(argv)
        return KubectlResult(shown, stdout, stderr, code)

    # --- time --------------------------------------------------------------------------------------
    def settle(self, timeout: float | None = None) -> Any:
        """Let the cluster run until nothing is pending (simulated time on the simulator)."""
        return self.backend.settle(timeout)

    def advance(self, seconds: float) -> Any:
        """Let `seconds` of cluster time pass."""
        return self.backend.advance(seconds)

    # --- serving -----------------------------------------------------------------------------------
    def serve(self, **options: Any) -> Any:
        """Serve this cluster as a Kubernetes REST API for real kubectl (`k8scourse.serve.serve` options:
        port, kubeconfig, speed, context). From then on this object and the server take turns on it."""
        from .serve import serve

        server = serve(self.backend, **options)
        self.backend = server.locked_backend
        return server


SIMULATED_TARGETS = ("sim", "simulated", "simulator")


def connect(target: str | None = None, *, context: str | None = None, kubeconfig: str | Path | None = None,
            allow_remote: bool = False, nodes: int = 1, seed: int = 0, namespace: str = "default") -> Cluster:
    """A cluster to work on. With no target (and no K8SCOURSE_CLUSTER), a fresh simulated minikube.

    `nodes` gives a multi-node minikube (`minikube`, `minikube-m02`, ...); `seed` fixes every random
    choice (names, IPs), so the same notebook prints the same output.

    A real cluster: `connect("minikube")` or `connect(context="kind-kind")` (a kubeconfig context), and
    `kubeconfig=path` for another kubeconfig than kubectl's (its current context unless one is named).
    The environment switches a whole notebook without edits: K8SCOURSE_CLUSTER (`simulated`, `minikube`,
    any context name, or `real` for the kubeconfig's current context) and K8SCOURSE_KUBECONFIG. Contexts
    that do not look local are refused unless `allow_remote=True` (or K8SCOURSE_ALLOW_REMOTE=1).
    """
    global _current
    explicit_real = context is not None or kubeconfig is not None
    target = target or (None if explicit_real else os.environ.get("K8SCOURSE_CLUSTER")) or None
    kubeconfig = kubeconfig or os.environ.get("K8SCOURSE_KUBECONFIG") or None
    if target in SIMULATED_TARGETS or not (target or context or kubeconfig):
        from .sim.cluster import SimulatedCluster

        _current = Cluster(SimulatedCluster(nodes=nodes, seed=seed), namespace=namespace)
        return _current
    _current = Cluster(_real_backend(target, context, kubeconfig, allow_remote, nodes), namespace=namespace)
    return _current


def _real_backend(target: str | None, context: str | None, kubeconfig: str | Path | None, allow_remote: bool,
                  nodes: int) -> Backend:
    """The official-client backend for a context name (`target` or `context`; `real`: the current one)."""
    from .real import RealCluster

    allow_remote = allow_remote or os.environ.get("K8SCOURSE_ALLOW_REMOTE", "") in ("1", "true", "yes")
    backend = RealCluster(kubeconfig, context or (None if target == "real" else target), allow_remote=allow_remote)
    if nodes > 1:
        have = len(backend.list(backend.registry.resolve("nodes"))["items"])
        if have < nodes:
            warnings.warn(f"This notebook expects {nodes} nodes; the cluster of context {backend.context!r} has "
                          f"{have}. Recreate it with `minikube delete && minikube start --nodes {nodes}`.",
                          stacklevel=3)
    return backend


__all__ = ["ApplyError", "AppliedObjects", "Cluster", "connect", "current"]
