"""The Backend protocol: Kubernetes REST verbs every cluster backend implements.

Implemented by the simulator (`k8scourse.sim.cluster.SimulatedCluster`) and by the official-client
backend; used by the kubectl layer and by `k8scourse.cluster.Cluster`. Objects are Kubernetes-shaped
dicts; selectors are the REST query strings (`app=nginx,tier!=db`, `status.phase=Running`); failures
raise `ApiError` carrying the server's Status.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from .registry import Registry, ResourceType

Obj = dict[str, Any]

MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"
PATCH_TYPES = (MERGE_PATCH, STRATEGIC_MERGE_PATCH, JSON_PATCH, APPLY_PATCH)


class Backend(Protocol):
    """A cluster that answers Kubernetes REST verbs."""

    registry: Registry
    kind_name: str  # "simulated" or "real": for messages that must say which one

    def get(self, rt: ResourceType, name: str, namespace: str | None = None) -> Obj: ...

    def list(
        self,
        rt: ResourceType,
        namespace: str | None = None,
        label_selector: str = "",
        field_selector: str = "",
        limit: int | None = None,
        continue_token: str | None = None,
    ) -> Obj: ...

    def create(
        self, rt: ResourceType, obj: Obj, namespace: str | None = None, *, dry_run: bool = False,
        field_validation: str = "Strict",
    ) -> Obj: ...

    def update(
        self, rt: ResourceType, obj: Obj, namespace: str | None = None, *, subresource: str | None = None,
        dry_run: bool = False, field_validation: str = "Strict",
    ) -> Obj: ...

    def patch(
        self, rt: ResourceType, name: str, patch: Any, patch_type: str, namespace: str | None = None, *,
        subresource: str | None = None, dry_run: bool = False, field_manager: str | None = None,
        force: bool = False, field_validation: str = "Strict",
    ) -> Obj: ...

    def delete(
        self, rt: ResourceType, name: str, namespace: str | None = None, *,
        propagation_policy: str | None = None, grace_period_seconds: int | None = None, dry_run: bool = False,
    ) -> Obj: ...

    def watch(
        self, rt: ResourceType, namespace: str | None = None, label_selector: str = "", field_selector: str = "",
        resource_version: str | None = None, timeout_seconds: float | None = None,
    ) -> Iterator[dict[str, Any]]: ...

    def logs(
        self, namespace: str, pod: str, container: str | None = None, previous: bool = False,
        tail: int | None = None, timestamps: bool = False, since_seconds: float | None = None,
    ) -> str: ...

    def exec(
        self, namespace: str, pod: str, command: list[str], container: str | None = None, stdin: str | None = None,
    ) -> Any: ...  # a result with stdout, stderr and exit_code

    def top(self, kind: str, namespace: str | None = None, selector: str = "") -> list[Obj]:
        """The resource metrics API as `kubectl top` reads it: `kind` "pods" gives rows `{name, namespace, cpu,
        memory, containers: [{name, cpu, memory}]}` (millicores, bytes) for the pods sampled so far
        (`namespace` None: all namespaces); "nodes" gives `{name, cpu, memory, cpu_percent, memory_percent}`
        for every node, the values None for a node without a sample."""
        ...

    def table(
        self, rt: ResourceType, namespace: str | None = None, label_selector: str = "", field_selector: str = "",
        name: str | None = None, *, include_object: str = "Metadata",
    ) -> Obj:
        """Server-side printing: a `meta.k8s.io/v1` Table of the object(s), as `kubectl get` requests it.
        `include_object` is the request's `includeObject` ("None", "Metadata", "Object"): what each row's
        `object` carries; `kubectl get --sort-by` asks for "Object" to sort on any field."""
        ...

    def watch_table(
        self, rt: ResourceType, namespace: str | None = None, label_selector: str = "", field_selector: str = "",
        resource_version: str | None = None, timeout_seconds: float | None = None,
    ) -> Iterator[dict[str, Any]]:
        """A watch requested with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, as `kubectl get
        --watch` opens it: events `{type, object}` whose object is a one-row Table of the changed object,
        printed when the change happened (AGE as of that moment; rows carry the object's metadata). Same
        arguments and iteration rules as `watch`; `close()` the iterator when done."""
        ...

    def current_time(self) -> Any:
        """The cluster's current time (a datetime): what AGE columns are measured against."""
        ...

    def settle(self, timeout: float | None = None) -> Any: ...

    def advance(self, seconds: float) -> Any: ...
