"""The resource registry: every kind the course uses, with the names kubectl and the API know it by.

Called by the simulated apiserver (routing, scope), by manifest handling (kind → resource), by the
kubectl layer (`pods`, `po`, `deploy`, `deployments.apps` → one resource) and by `k8scourse serve`
(discovery documents). Data mirrors `kubectl api-resources -o wide` on a minikube running Kubernetes 1.33.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import KindNotFoundError, KindNotSimulatedError, ResourceTypeError

RW = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


@dataclass(frozen=True)
class ResourceType:
    """One REST resource of the API (a plural under a group/version) and the kind it serves."""

    kind: str
    plural: str
    group: str
    version: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    verbs: tuple[str, ...] = RW
    categories: tuple[str, ...] = ()
    subresources: tuple[str, ...] = ()
    # Simulated but accepted-only resources are served; kinds the simulator cannot store are absent.

    @property
    def singular(self) -> str:
        return self.kind.lower()

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_resource(self) -> str:
        """`pods`, `deployments.apps`: the name used in error messages."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def kubectl_kind(self) -> str:
        """`deployment.apps`, `pod`: the prefix kubectl prints (`deployment.apps/web created`)."""
        return f"{self.singular}.{self.group}" if self.group else self.singular

    def path(self, namespace: str | None = None, name: str | None = None) -> str:
        base = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        if self.namespaced and namespace:
            base += f"/namespaces/{namespace}"
        base += f"/{self.plural}"
        if name:
            base += f"/{name}"
        return base


_ALL = ("all",)

RESOURCES: tuple[ResourceType, ...] = (
    # core/v1
    ResourceType("Binding", "bindings", "", "v1", True, verbs=("create",)),
    ResourceType("ComponentStatus", "componentstatuses", "", "v1", False, ("cs",), ("get", "list")),
    ResourceType("ConfigMap", "configmaps", "", "v1", True, ("cm",)),
    ResourceType("Endpoints", "endpoints", "", "v1", True, ("ep",)),
    ResourceType("Event", "events", "", "v1", True, ("ev",)),
    ResourceType("LimitRange", "limitranges", "", "v1", True, ("limits",)),
    ResourceType("Namespace", "namespaces", "", "v1", False, ("ns",),
                 ("create", "delete", "get", "list", "patch", "update", "watch"), subresources=("finalize", "status")),
    ResourceType("Node", "nodes", "", "v1", False, ("no",), subresources=("proxy", "status")),
    ResourceType("PersistentVolumeClaim", "persistentvolumeclaims", "", "v1", True, ("pvc",), subresources=("status",)),
    ResourceType("PersistentVolume", "persistentvolumes", "", "v1", False, ("pv",), subresources=("status",)),
    ResourceType("Pod", "pods", "", "v1", True, ("po",), categories=_ALL,
                 subresources=("attach", "binding", "ephemeralcontainers", "eviction", "exec", "log",
                               "portforward", "proxy", "resize", "status")),
    ResourceType("PodTemplate", "podtemplates", "", "v1", True),
    ResourceType("ReplicationController", "replicationcontrollers", "", "v1", True, ("rc",), categories=_ALL,
                 subresources=("scale", "status")),
    ResourceType("ResourceQuota", "resourcequotas", "", "v1", True, ("quota",), subresources=("status",)),
    ResourceType("Secret", "secrets", "", "v1", True),
    ResourceType("ServiceAccount", "serviceaccounts", "", "v1", True, ("sa",), subresources=("token",)),
    ResourceType("Service", "services", "", "v1", True, ("svc",), categories=_ALL,
                 subresources=("proxy", "status")),
    # apps/v1
    ResourceType("ControllerRevision", "controllerrevisions", "apps", "v1", True),
    ResourceType("DaemonSet", "daemonsets", "apps", "v1", True, ("ds",), categories=_ALL, subresources=("status",)),
    ResourceType("Deployment", "deployments", "apps", "v1", True, ("deploy",), categories=_ALL,
                 subresources=("scale", "status")),
    ResourceType("ReplicaSet", "replicasets", "apps", "v1", True, ("rs",), categories=_ALL,
                 subresources=("scale", "status")),
    ResourceType("StatefulSet", "statefulsets", "apps", "v1", True, ("sts",), categories=_ALL,
                 subresources=("scale", "status")),
    # autoscaling
    ResourceType("HorizontalPodAutoscaler", "horizontalpodautoscalers", "autoscaling", "v2", True, ("hpa",),
                 categories=_ALL, subresources=("status",)),
    # batch/v1
    ResourceType("CronJob", "cronjobs", "batch", "v1", True, ("cj",), categories=_ALL, subresources=("status",)),
    ResourceType("Job", "jobs", "batch", "v1", True, categories=_ALL, subresources=("status",)),
    # coordination.k8s.io/v1
    ResourceType("Lease", "leases", "coordination.k8s.io", "v1", True),
    # discovery.k8s.io/v1
    ResourceType("EndpointSlice", "endpointslices", "discovery.k8s.io", "v1", True),
    # events.k8s.io/v1
    ResourceType("Event", "events", "events.k8s.io", "v1", True, ("ev",)),
    # networking.k8s.io/v1
    ResourceType("IngressClass", "ingressclasses", "networking.k8s.io", "v1", False),
    ResourceType("Ingress", "ingresses", "networking.k8s.io", "v1", True, ("ing",), subresources=("status",)),
    ResourceType("NetworkPolicy", "networkpolicies", "networking.k8s.io", "v1", True, ("netpol",)),
    # policy/v1
    ResourceType("PodDisruptionBudget", "poddisruptionbudgets", "policy", "v1", True, ("pdb",),
                 subresources=("status",)),
    # rbac.authorization.k8s.io/v1
    ResourceType("ClusterRoleBinding", "clusterrolebindings", "rbac.authorization.k8s.io", "v1", False),
    ResourceType("ClusterRole", "clusterroles", "rbac.authorization.k8s.io", "v1", False),
    ResourceType("RoleBinding", "rolebindings", "rbac.authorization.k8s.io", "v1", True),
    ResourceType("Role", "roles", "rbac.authorization.k8s.io", "v1", True),
    # scheduling.k8s.io/v1
    ResourceType("PriorityClass", "priorityclasses", "scheduling.k8s.io", "v1", False, ("pc",)),
    # storage.k8s.io/v1
    ResourceType("StorageClass", "storageclasses", "storage.k8s.io", "v1", False, ("sc",)),
)

# Other group/versions the API still serves for a kind (same storage, other apiVersion accepted).
ALTERNATE_VERSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("autoscaling", "HorizontalPodAutoscaler"): ("v1",),
}

# Preferred version per group, as /apis lists it.
GROUP_ORDER: tuple[str, ...] = (
    "", "apps", "events.k8s.io", "autoscaling", "batch", "coordination.k8s.io", "discovery.k8s.io",
    "networking.k8s.io", "policy", "rbac.authorization.k8s.io", "scheduling.k8s.io", "storage.k8s.io",
)


@dataclass
class Registry:
    """Look-ups over a set of resource types: by kind+apiVersion (manifests) and by kubectl's names."""

    resources: tuple[ResourceType, ...] = RESOURCES
    _by_gvk: dict[tuple[str, str, str], ResourceType] = field(default_factory=dict, init=False, repr=False)
    _by_group_resource: dict[str, ResourceType] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for rt in self.resources:
            self._by_gvk[(rt.group, rt.version, rt.kind)] = rt
            self._by_group_resource.setdefault(rt.group_resource, rt)
        for (group, kind), versions in ALTERNATE_VERSIONS.items():
            primary = next(rt for rt in self.resources if rt.group == group and rt.kind == kind)
            for v in versions:
                self._by_gvk[(group, v, kind)] = primary

    def for_kind(self, api_version: str, kind: str) -> ResourceType:
        """The resource serving `kind` in `apiVersion`, or kubectl's `no matches for kind` error."""
        group, _, version = api_version.rpartition("/")
        rt = self._by_gvk.get((group, version, kind))
        if rt is None:
            from .openapi import definition_name

            if kind and definition_name(group, version, kind) is not None and not kind.endswith("List"):
                raise KindNotSimulatedError(kind=kind, api_version=api_version)
            raise KindNotFoundError(kind=kind, api_version=api_version)
        return rt

    def for_group_resource(self, group_resource: str) -> ResourceType:
        """The resource stored under `pods`, `deployments.apps`, ... (KeyError if none)."""
        return self._by_group_resource[group_resource]

    def accepts_version(self, rt: ResourceType, api_version: str) -> bool:
        group, _, version = api_version.rpartition("/")
        return self._by_gvk.get((group, version, rt.kind)) is rt

    def resolve(self, name: str) -> ResourceType:
        """Resolve any form kubectl accepts: `pods`, `pod`, `po`, `Pod`, `deployments.apps`, `deploy.v1.apps`."""
        key = name.strip()
        lowered = key.lower()
        candidates = self._match(lowered)
        if not candidates and "." in lowered:
            resource, _, rest = lowered.partition(".")
            version, _, group = rest.partition(".")
            # `deployments.v1.apps` (resource.version.group) or `deployments.apps` (resource.group)
            if group and any(rt.version == version for rt in self.resources):
                candidates = [rt for rt in self._match(resource) if rt.group == group and rt.version == version]
            if not candidates:
                candidates = [rt for rt in self._match(resource) if rt.group == rest]
        if not candidates:
            raise ResourceTypeError(key)
        # kubectl prefers the core group, then groups in discovery order (events → core/v1 events).
        candidates.sort(key=lambda rt: GROUP_ORDER.index(rt.group) if rt.group in GROUP_ORDER else 99)
        return candidates[0]

    def _match(self, lowered: str) -> list[ResourceType]:
        return [
            rt
            for rt in self.resources
            if lowered in (rt.plural, rt.singular, rt.kind.lower()) or lowered in rt.short_names
        ]

    def in_category(self, category: str) -> list[ResourceType]:
        return [rt for rt in self.resources if category in rt.categories]


REGISTRY = Registry()
