"""`RealCluster`: the Backend protocol on a real cluster through the official `kubernetes` client.

Created by `k8scourse.connect("minikube")` (k8scourse.cluster) and by `k8scourse doctor`. Every verb goes
through the client's `DynamicClient` and its discovery; failures become `ApiError`s carrying the server's
Status, so `kubectl()` prints the same text on both backends. Time is wall time: `advance` sleeps and
`settle` waits until nothing is pending.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from kubernetes import watch
from kubernetes.dynamic import DynamicClient
from kubernetes.dynamic.exceptions import ResourceNotFoundError

from ..api.backend import APPLY_PATCH, JSON_PATCH
from ..api.errors import ApiError, K8sError, KindNotFoundError
from ..api.objects import meta_of
from ..api.printing import build_table
from ..api.registry import REGISTRY, Registry, ResourceType
from . import cleanup, metrics, settle, simonly, streams
from .config import Target, api_client, check_local, resolve
from .errors import call

Obj = dict[str, Any]

TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io"
DRAIN_SECONDS = 1  # a watch without a timeout returns what happened so far: events that arrive within this
ADVANCE_LIMIT = 600.0  # advance() longer than this on a real cluster is refused (it would just sleep)


class RealCluster(simonly.SimulatorOnly):
    """A real cluster (minikube, kind, ...) behind the Backend protocol. Implements `k8scourse.api.backend.Backend`."""

    kind_name = "real"

    def __init__(self, kubeconfig: str | Path | None = None, context: str | None = None, *,
                 allow_remote: bool = False, registry: Registry = REGISTRY):
        self.registry = registry
        self.target: Target = resolve(kubeconfig, context)
        check_local(self.target, allow_remote)
        self.api_client = api_client(self.target)
        self.dyn: DynamicClient = self._call(lambda: DynamicClient(self.api_client))
        self._resources: dict[ResourceType, Any] = {}
        # settle()'s progress display: called with (seconds waited, timeout, what is pending); None for silence
        self.progress: Callable[[float, float, tuple[str, ...]], None] | None = settle.print_progress

    def __repr__(self) -> str:
        return f"<RealCluster context={self.target.context!r} server={self.target.server}>"

    @property
    def context(self) -> str:
        return self.target.context

    # --- plumbing ----------------------------------------------------------------------------------
    def _call(self, func: Callable[[], Any], verb: str = "", rt: ResourceType | None = None, name: str = "") -> Any:
        return call(self.target.server, self.target.context, func, verb, rt.group_resource if rt else "", name)

    def _json(self, func: Callable[[], Any], verb: str = "", rt: ResourceType | None = None, name: str = "") -> Obj:
        response = self._call(func, verb, rt, name)
        return json.loads(response.data or b"{}")

    def resource(self, rt: ResourceType) -> Any:
        """The discovered dynamic-client Resource for `rt` (kubectl's `no matches for kind` when not served)."""
        found = self._resources.get(rt)
        if found is None:
            try:
                found = self._call(lambda: self.dyn.resources.get(api_version=rt.api_version, kind=rt.kind,
                                                                 name=rt.plural))
            except ResourceNotFoundError:
                raise KindNotFoundError(rt.kind, rt.api_version) from None
            self._resources[rt] = found
        return found

    def _sub(self, rt: ResourceType, subresource: str | None) -> Any:
        res = self.resource(rt)
        return res.subresources[subresource] if subresource else res

    @staticmethod
    def _ns(rt: ResourceType, namespace: str | None, obj: Obj | None = None) -> str | None:
        if not rt.namespaced:
            return None
        return namespace or (meta_of(obj).get("namespace") if obj else None) or "default"

    @staticmethod
    def _options(dry_run: bool, field_validation: str | None = None, **extra: Any) -> dict[str, Any]:
        options: dict[str, Any] = {"serialize": False}
        if dry_run:
            options["dry_run"] = "All"
        if field_validation:
            options["query_params"] = [("fieldValidation", field_validation)]
        options.update({k: v for k, v in extra.items() if v is not None})
        return options

    # --- Backend protocol: reads -------------------------------------------------------------------
    def get(self, rt: ResourceType, name: str, namespace: str | None = None) -> Obj:
        res = self.resource(rt)
        return self._json(lambda: self.dyn.get(res, name=name, namespace=self._ns(rt, namespace), serialize=False),
                          "GET", rt, name)

    def list(self, rt: ResourceType, namespace: str | None = None, label_selector: str = "",
             field_selector: str = "", limit: int | None = None, continue_token: str | None = None) -> Obj:
        res = self.resource(rt)
        ns = namespace if rt.namespaced else None
        return self._json(lambda: self.dyn.get(res, namespace=ns, **self._options(
            False, label_selector=label_selector or None, field_selector=field_selector or None, limit=limit,
            _continue=continue_token or None)), "GET", rt)

    def watch(self, rt: ResourceType, namespace: str | None = None, label_selector: str = "",
              field_selector: str = "", resource_version: str | None = None,
              timeout_seconds: float | None = None) -> Iterator[dict[str, Any]]:
        """Watch events as `{"type", "object"}` dicts. Without a timeout, what has happened so far: the
        events that arrive within a second, as the simulator's watch yields its history and stops."""
        res = self.resource(rt)
        ns = namespace if rt.namespaced else None
        timeout = DRAIN_SECONDS if timeout_seconds is None else max(1, round(timeout_seconds))
        stream = self._call(lambda: self.dyn.watch(res, namespace=ns, label_selector=label_selector or None,
                                                   field_selector=field_selector or None,
                                                   resource_version=resource_version or None, timeout=timeout))
        return self._events(stream, rt)

    def _events(self, stream: Iterator[dict[str, Any]], rt: ResourceType) -> Iterator[dict[str, Any]]:
        """The client's watch events as the protocol's dicts; closing this iterator closes the connection."""
        iterator = iter(stream)
        try:
            while True:
                event = self._call(lambda: next(iterator, None), "GET", rt)
                if event is None:
                    return
                raw = event.get("raw_object")
                if event.get("type") == "ERROR" and isinstance(raw, dict) and raw.get("kind") == "Status":
                    raise ApiError(raw)
                yield {"type": event["type"], "object": raw}
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()

    # --- Backend protocol: writes ------------------------------------------------------------------
    def create(self, rt: ResourceType, obj: Obj, namespace: str | None = None, *, dry_run: bool = False,
               field_validation: str = "Strict") -> Obj:
        res = self.resource(rt)
        ns = self._ns(rt, namespace, obj)
        if isinstance(obj, dict) and isinstance(obj.get("metadata", {}), dict):
            obj = cleanup.label(obj)  # whatever the course creates carries its label, so reset() finds it
        return self._json(lambda: self.dyn.create(res, body=obj, namespace=ns,
                                                  **self._options(dry_run, field_validation)),
                          "POST", rt, meta_of(obj).get("name", ""))

    def update(self, rt: ResourceType, obj: Obj, namespace: str | None = None, *, subresource: str | None = None,
               dry_run: bool = False, field_validation: str = "Strict") -> Obj:
        res = self._sub(rt, subresource)
        name = meta_of(obj).get("name", "")
        ns = self._ns(rt, namespace, obj)
        return self._json(lambda: self.dyn.replace(res, body=obj, name=name, namespace=ns,
                                                   **self._options(dry_run, field_validation)), "PUT", rt, name)

    def patch(self, rt: ResourceType, name: str, patch: Any, patch_type: str, namespace: str | None = None, *,
              subresource: str | None = None, dry_run: bool = False, field_manager: str | None = None,
              force: bool = False, field_validation: str = "Strict") -> Obj:
        res = self._sub(rt, subresource)
        if patch_type == APPLY_PATCH and not field_manager:
            field_manager = "k8scourse"
        options = self._options(dry_run, field_validation, content_type=patch_type, field_manager=field_manager,
                                force_conflicts=True if force and patch_type == APPLY_PATCH else None)
        body = patch if patch_type == JSON_PATCH else dict(patch or {})
        return self._json(lambda: self.dyn.patch(res, body=body, name=name, namespace=self._ns(rt, namespace),
                                                 **options), "PATCH", rt, name)

    def delete(self, rt: ResourceType, name: str, namespace: str | None = None, *,
               propagation_policy: str | None = None, grace_period_seconds: int | None = None,
               dry_run: bool = False) -> Obj:
        """DELETE with DeleteOptions in the body, as kubectl sends them. Returns the object as it was deleted
        (the server answers with the object, or with a Status when it removed it at once)."""
        res = self.resource(rt)
        ns = self._ns(rt, namespace)
        before = self.get(rt, name, ns)
        options: Obj = {"kind": "DeleteOptions", "apiVersion": "v1"}
        if propagation_policy:
            options["propagationPolicy"] = propagation_policy
        if grace_period_seconds is not None:
            options["gracePeriodSeconds"] = grace_period_seconds
        if dry_run:
            options["dryRun"] = ["All"]
        answer = self._json(lambda: self.dyn.delete(res, name=name, namespace=ns, body=options, serialize=False),
                            "DELETE", rt, name)
        return before if answer.get("kind") == "Status" else answer

    # --- pods: logs, exec, metrics -----------------------------------------------------------------
    def logs(self, namespace: str, pod: str, container: str | None = None, previous: bool = False,
             tail: int | None = None, timestamps: bool = False, since_seconds: float | None = None) -> str:
        return self._call(lambda: streams.logs(self.api_client, namespace, pod, container, previous, tail,
                                               timestamps, since_seconds), "GET", self.registry.resolve("pods"), pod)

    def exec(self, namespace: str, pod: str, command: list[str], container: str | None = None,
             stdin: str | None = None) -> streams.ExecResult:
        return self._call(lambda: streams.exec_(self.api_client, namespace, pod, command, container, stdin))

    def top(self, kind: str, namespace: str | None = None, selector: str = "") -> list[Obj]:
        return metrics.top(self, kind, namespace, selector)

    # --- printing and time ---------------------------------------------------------------------------
    def table(self, rt: ResourceType, namespace: str | None = None, label_selector: str = "",
              field_selector: str = "", name: str | None = None, *, include_object: str = "Metadata") -> Obj:
        """The server's Table, requested with the Accept header kubectl sends (built here if the server
        answers with plain JSON)."""
        res = self.resource(rt)
        ns = namespace if rt.namespaced else None
        options = self._options(False, header_params={"Accept": f"{TABLE_ACCEPT},application/json"},
                                label_selector=None if name else label_selector or None,
                                field_selector=None if name else field_selector or None)
        options["query_params"] = [("includeObject", include_object)]
        answer = self._json(lambda: self.dyn.get(res, name=name, namespace=ns, **options), "GET", rt, name or "")
        if answer.get("kind") == "Table":
            return answer
        objects = answer.get("items", []) if name is None else [answer]
        return build_table(rt.group, rt.kind, objects, self.current_time(), include_object=include_object,
                           resource_version=str(meta_of(answer).get("resourceVersion", "")))

    def watch_table(self, rt: ResourceType, namespace: str | None = None, label_selector: str = "",
                    field_selector: str = "", resource_version: str | None = None,
                    timeout_seconds: float | None = None) -> Iterator[dict[str, Any]]:
        """A watch whose events carry one-row Tables, as `kubectl get --watch` opens it."""
        res = self.resource(rt)
        ns = namespace if rt.namespaced else None
        timeout = DRAIN_SECONDS if timeout_seconds is None else max(1, round(timeout_seconds))
        options = self._options(False, label_selector=label_selector or None, field_selector=field_selector or None,
                                resource_version=resource_version or None, timeout_seconds=timeout,
                                header_params={"Accept": TABLE_ACCEPT})
        stream = self._call(lambda: watch.Watch().stream(res.get, namespace=ns, **options))
        return self._events(stream, rt)

    def current_time(self) -> datetime:
        """The server's clock (its Date header), or this machine's when the server gives none."""
        response = self._call(lambda: self.dyn.request("get", "/version", serialize=False))
        stamp = response.headers.get("Date") if response is not None else None
        if response is not None and hasattr(response, "release_conn"):
            response.read()  # read the body, so the connection goes back to the pool instead of being dropped
            response.release_conn()
        if stamp:
            try:
                return parsedate_to_datetime(stamp).astimezone(UTC)
            except (TypeError, ValueError):
                pass
        return datetime.now(UTC)

    def version(self) -> Obj:
        """GET /version: the server's gitVersion and build information."""
        return self._json(lambda: self.dyn.request("get", "/version", serialize=False))

    def settle(self, timeout: float | None = None) -> settle.WaitReport:
        """Wait (wall time, `timeout` seconds, 120 by default) until nothing is pending in the course's
        namespaces: pods started or gone, workloads rolled out, Jobs done or failing."""
        return settle.wait(self, settle.DEFAULT_TIMEOUT if timeout is None else timeout, self.progress)

    def advance(self, seconds: float) -> settle.WaitReport:
        """Let `seconds` pass: on a real cluster that means waiting them out."""
        if seconds > ADVANCE_LIMIT:
            raise K8sError(f"advance({seconds:g}) would make this cell wait {seconds / 60:.0f} minutes: a real "
                           "cluster's time cannot be fast-forwarded. Wait for what you need with cluster.settle() "
                           "or `kubectl rollout status`, or run this step on the simulated cluster.")
        start = time.monotonic()
        time.sleep(max(0.0, seconds))
        return settle.WaitReport(time.monotonic() - start, 0, False)

    # --- the course's objects ------------------------------------------------------------------------
    def course_namespaces(self) -> list[str]:
        """Where the course works: `default` and the namespaces it created (they carry its label)."""
        return cleanup.course_namespaces(self)

    def cleanup(self) -> cleanup.CleanupReport:
        """Delete what the course created (objects with its label), only in its namespaces; never kube-system."""
        return cleanup.cleanup(self)
