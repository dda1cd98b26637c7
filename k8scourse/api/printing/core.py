"""Rows of the cluster and configuration kinds: Namespaces, Nodes, ConfigMaps, Secrets, ServiceAccounts,
Events, PodTemplates, Leases, PodDisruptionBudgets, PriorityClasses, NetworkPolicies and RBAC bindings,
as the apiserver's printers.go prints them.

Registered in the printer registry on import; called through `table.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .columns import (
    AGE,
    NAME,
    Cell,
    Column,
    Doc,
    Obj,
    age,
    field,
    format_label_selector,
    integer,
    labels_string,
    layout_containers,
    name,
    register,
)
from .duration import since

NAMESPACE_COLUMNS = (NAME, Column("Status", description="The status of the namespace"), AGE)


@register("", "Namespace", NAMESPACE_COLUMNS)
def namespace_row(obj: Obj, now: datetime) -> list[Cell]:
    return [name(obj), str(field(obj, "status", "phase", default="")), age(obj, now)]


_NODE_INFO = "core.v1.NodeSystemInfo"
NODE_COLUMNS = (
    NAME,
    Column("Status", description="The status of the node"),
    Column("Roles", description="The roles of the node"),
    AGE,
    Column("Version", description=Doc(_NODE_INFO, "kubeletVersion")),
    Column("Internal-IP", priority=1, description=Doc("core.v1.NodeStatus", "addresses")),
    Column("External-IP", priority=1, description=Doc("core.v1.NodeStatus", "addresses")),
    Column("OS-Image", priority=1, description=Doc(_NODE_INFO, "osImage")),
    Column("Kernel-Version", priority=1, description=Doc(_NODE_INFO, "kernelVersion")),
    Column("Container-Runtime", priority=1, description=Doc(_NODE_INFO, "containerRuntimeVersion")),
)

_ROLE_PREFIX = "node-role.kubernetes.io/"


def node_status(obj: Obj) -> str:
    """`Ready`, `NotReady`, `Unknown`, with `,SchedulingDisabled` for a cordoned node."""
    conditions = {c.get("type"): c for c in field(obj, "status", "conditions", default=[])}
    status = []
    if "Ready" in conditions:
        status.append("Ready" if conditions["Ready"].get("status") == "True" else "NotReady")
    if not status:
        status.append("Unknown")
    if field(obj, "spec", "unschedulable"):
        status.append("SchedulingDisabled")
    return ",".join(status)


def node_roles(obj: Obj) -> str:
    """findNodeRoles: `node-role.kubernetes.io/<role>` labels and `kubernetes.io/role=<role>`, sorted."""
    roles = set()
    for key, value in (field(obj, "metadata", "labels", default={})).items():
        if key.startswith(_ROLE_PREFIX) and key[len(_ROLE_PREFIX):]:
            roles.add(key[len(_ROLE_PREFIX):])
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return ",".join(sorted(roles)) or "<none>"


def _node_address(obj: Obj, kind: str) -> str:
    for address in field(obj, "status", "addresses", default=[]):
        if address.get("type") == kind:
            return str(address.get("address", ""))
    return "<none>"


@register("", "Node", NODE_COLUMNS)
def node_row(obj: Obj, now: datetime) -> list[Cell]:
    info = field(obj, "status", "nodeInfo", default={})
    return [name(obj), node_status(obj), node_roles(obj), age(obj, now), str(info.get("kubeletVersion", "")),
            _node_address(obj, "InternalIP"), _node_address(obj, "ExternalIP"),
            info.get("osImage") or "<unknown>", info.get("kernelVersion") or "<unknown>",
            info.get("containerRuntimeVersion") or "<unknown>"]


CONFIG_MAP_COLUMNS = (NAME, Column("Data", description=Doc("core.v1.ConfigMap", "data")), AGE)


@register("", "ConfigMap", CONFIG_MAP_COLUMNS)
def config_map_row(obj: Obj, now: datetime) -> list[Cell]:
    return [name(obj), len(obj.get("data") or {}) + len(obj.get("binaryData") or {}), age(obj, now)]


SECRET_COLUMNS = (NAME, Column("Type", description=Doc("core.v1.Secret", "type")),
                  Column("Data", description=Doc("core.v1.Secret", "data")), AGE)


@register("", "Secret", SECRET_COLUMNS)
def secret_row(obj: Obj, now: datetime) -> list[Cell]:
    return [name(obj), str(obj.get("type", "")), len(obj.get("data") or {}), age(obj, now)]


SERVICE_ACCOUNT_COLUMNS = (NAME, Column("Secrets", description=Doc("core.v1.ServiceAccount", "secrets")), AGE)


@register("", "ServiceAccount", SERVICE_ACCOUNT_COLUMNS)
def service_account_row(obj: Obj, now: datetime) -> list[Cell]:
    return [name(obj), len(obj.get("secrets") or []), age(obj, now)]


_EVENT = "core.v1.Event"
EVENT_COLUMNS = (
    Column("Last Seen", description=Doc(_EVENT, "lastTimestamp")),
    Column("Type", description=Doc(_EVENT, "type")),
    Column("Reason", description=Doc(_EVENT, "reason")),
    Column("Object", description=Doc(_EVENT, "involvedObject")),
    Column("Subobject", priority=1, description=Doc("core.v1.ObjectReference", "fieldPath")),
    Column("Source", priority=1, description=Doc(_EVENT, "source")),
    Column("Message", description=Doc(_EVENT, "message")),
    Column("First Seen", priority=1, description=Doc(_EVENT, "firstTimestamp")),
    Column("Count", priority=1, description=Doc(_EVENT, "count")),
    Column("Name", priority=1, format="name", description=Doc("meta.v1.ObjectMeta", "name")),
)


def _first_non_empty(*values: Any) -> str:
    return next((str(v) for v in values if v), "")


def event_source(obj: Obj) -> str:
    """formatEventSource: `component, host`, falling back to reportingController/reportingInstance."""
    component = _first_non_empty(field(obj, "source", "component"), obj.get("reportingComponent"))
    instance = _first_non_empty(field(obj, "source", "host"), obj.get("reportingInstance"))
    return f"{component}, {instance}" if instance else component


def _event_times(obj: Obj, now: datetime) -> tuple[str, str, int]:
    first = since(obj.get("firstTimestamp"), now) if obj.get("firstTimestamp") else since(obj.get("eventTime"), now)
    last = since(obj.get("lastTimestamp"), now) if obj.get("lastTimestamp") else first
    count = integer(obj.get("count"))
    series = obj.get("series")
    if series is not None:
        last = since(series.get("lastObservedTime"), now)
        count = integer(series.get("count"))
    elif count == 0:
        count = 1  # singleton events carry no count in the new API
    return first, last, count


@register("", "Event", EVENT_COLUMNS)
def event_row(obj: Obj, now: datetime) -> list[Cell]:
    first, last, count = _event_times(obj, now)
    involved = obj.get("involvedObject") or {}
    kind = str(involved.get("kind", "")).lower()
    target = f"{kind}/{involved['name']}" if involved.get("name") else kind
    return [last, str(obj.get("type", "")), str(obj.get("reason", "")), target,
            str(involved.get("fieldPath", "")), event_source(obj), str(obj.get("message", "")).strip(),
            first, count, name(obj)]


@register("events.k8s.io", "Event", EVENT_COLUMNS)
def events_v1_row(obj: Obj, now: datetime) -> list[Cell]:
    """events.k8s.io/v1 Events print through the same printer after conversion to the core form."""
    core = {
        "metadata": obj.get("metadata"), "type": obj.get("type"), "reason": obj.get("reason"),
        "message": obj.get("note"), "involvedObject": obj.get("regarding") or {},
        "firstTimestamp": obj.get("deprecatedFirstTimestamp"), "lastTimestamp": obj.get("deprecatedLastTimestamp"),
        "count": obj.get("deprecatedCount"), "eventTime": obj.get("eventTime"), "series": obj.get("series"),
        "source": obj.get("deprecatedSource") or {}, "reportingComponent": obj.get("reportingController"),
        "reportingInstance": obj.get("reportingInstance"),
    }
    return event_row(core, now)


POD_TEMPLATE_COLUMNS = (
    NAME,
    Column("Containers", description="Names of each container in the template."),
    Column("Images", description="Images referenced by each container in the template."),
    Column("Pod Labels", description="The labels for the pod template."),
)


@register("", "PodTemplate", POD_TEMPLATE_COLUMNS)
def pod_template_row(obj: Obj, now: datetime) -> list[Cell]:
    names, images = layout_containers(field(obj, "template", "spec", "containers", default=[]))
    return [name(obj), names, images, labels_string(field(obj, "template", "metadata", "labels"))]


LEASE_COLUMNS = (NAME, Column("Holder", description=Doc("coordination.v1.LeaseSpec", "holderIdentity")), AGE)


@register("coordination.k8s.io", "Lease", LEASE_COLUMNS)
def lease_row(obj: Obj, now: datetime) -> list[Cell]:
    return [name(obj), str(field(obj, "spec", "holderIdentity", default="")), age(obj, now)]


PDB_COLUMNS = (
    NAME,
    Column("Min Available", description="The minimum number of pods that must be available."),
    Column("Max Unavailable", description="The maximum number of pods that may be unavailable."),
    Column("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
    AGE,
)


@register("policy", "PodDisruptionBudget", PDB_COLUMNS)
def pdb_row(obj: Obj, now: datetime) -> list[Cell]:
    spec = obj.get("spec") or {}
    shown = ["N/A" if spec.get(k) is None else str(spec[k]) for k in ("minAvailable", "maxUnavailable")]
    return [name(obj), *shown, integer(field(obj, "status", "disruptionsAllowed")), age(obj, now)]


PRIORITY_CLASS_COLUMNS = (
    NAME,
    Column("Value", "integer", Doc("scheduling.v1.PriorityClass", "value")),
    Column("Global-Default", "boolean", Doc("scheduling.v1.PriorityClass", "globalDefault")),
    AGE,
    Column("PreemptionPolicy", description=Doc("scheduling.v1.PriorityClass", "preemptionPolicy")),
)


@register("scheduling.k8s.io", "PriorityClass", PRIORITY_CLASS_COLUMNS)
def priority_class_row(obj: Obj, now: datetime) -> list[Cell]:
    return [name(obj), integer(obj.get("value")), bool(obj.get("globalDefault")), age(obj, now),
            str(obj.get("preemptionPolicy") or "")]


NETWORK_POLICY_COLUMNS = (
    NAME, Column("Pod-Selector", description=Doc("networking.v1.NetworkPolicySpec", "podSelector")), AGE)


@register("networking.k8s.io", "NetworkPolicy", NETWORK_POLICY_COLUMNS)
def network_policy_row(obj: Obj, now: datetime) -> list[Cell]:
    return [name(obj), format_label_selector(field(obj, "spec", "podSelector", default={})), age(obj, now)]


def _binding_columns(definition: str, what: str) -> tuple[Column, ...]:
    return (
        NAME, Column("Role", description=Doc(definition, "roleRef")), AGE,
        Column("Users", priority=1, description=f"Users in the {what}"),
        Column("Groups", priority=1, description=f"Groups in the {what}"),
        Column("ServiceAccounts", priority=1, description=f"ServiceAccounts in the {what}"),
    )


def _subjects(obj: Obj) -> list[str]:
    """rbac.SubjectsStrings: users, groups and `namespace/name` service accounts, each `, `-joined."""
    users, groups, sas = [], [], []
    for subject in obj.get("subjects") or []:
        kind, subject_name = subject.get("kind"), str(subject.get("name", ""))
        if kind == "ServiceAccount":
            sas.append(f"{subject.get('namespace', '')}/{subject_name}")
        elif kind == "User":
            users.append(subject_name)
        elif kind == "Group":
            groups.append(subject_name)
    return [", ".join(users), ", ".join(groups), ", ".join(sas)]


def _binding_row(obj: Obj, now: datetime) -> list[Cell]:
    ref = obj.get("roleRef") or {}
    return [name(obj), f"{ref.get('kind', '')}/{ref.get('name', '')}", age(obj, now), *_subjects(obj)]


register("rbac.authorization.k8s.io", "RoleBinding",
         _binding_columns("rbac.v1.RoleBinding", "roleBinding"))(_binding_row)
register("rbac.authorization.k8s.io", "ClusterRoleBinding",
         _binding_columns("rbac.v1.ClusterRoleBinding", "clusterRoleBinding"))(_binding_row)
