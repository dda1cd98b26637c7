"""kubectl describe's describers: one function per kind writing what
staging/src/k8s.io/kubectl/pkg/describe/describe.go prints, the shared PrefixWriter layout, and the
Events section.

Called by the `describe` verb (`k8scourse.kubectl.verbs.describe`) and usable directly:
`describe_object(backend, rt, obj)` returns the text kubectl prints for one object. Modules: `writer`
(layout and shared formatters), `events`, `pods` (pods and pod templates), `workloads`, `network`,
`storage`, `cluster` (nodes, namespaces, configuration).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...api.backend import Backend
from ...api.errors import K8sError
from ...api.registry import ResourceType
from . import cluster, network, storage, workloads
from .context import Context
from .events import describe_events, search_events
from .pods import describe_pod
from .writer import PrefixWriter

Obj = dict[str, Any]
Body = Callable[[Obj, Context, PrefixWriter], None]

NO_EVENTS = "-"  # the describer shows no Events section
KINDLESS = ""  # events are searched without involvedObject.kind (pods, as kubectl clears the reference's kind)


@dataclass(frozen=True)
class Describer:
    body: Body
    events: str  # the involvedObject.kind to search events with, KINDLESS, or NO_EVENTS


def _pod(obj: Obj, ctx: Context, w: PrefixWriter) -> None:
    describe_pod(obj, w, ctx.now)


DESCRIBERS: dict[tuple[str, str], Describer] = {
    ("", "Pod"): Describer(_pod, KINDLESS),
    ("", "ReplicationController"): Describer(workloads.describe_replication_controller, "ReplicationController"),
    ("", "Service"): Describer(network.describe_service, "Service"),
    ("", "Endpoints"): Describer(network.describe_endpoints, "Endpoints"),
    ("", "Node"): Describer(cluster.describe_node, "Node"),
    ("", "Namespace"): Describer(cluster.describe_namespace, NO_EVENTS),
    ("", "ConfigMap"): Describer(cluster.describe_config_map, "ConfigMap"),
    ("", "Secret"): Describer(cluster.describe_secret, NO_EVENTS),
    ("", "ServiceAccount"): Describer(cluster.describe_service_account, "ServiceAccount"),
    ("", "PersistentVolume"): Describer(storage.describe_persistent_volume, "PersistentVolume"),
    ("", "PersistentVolumeClaim"): Describer(storage.describe_persistent_volume_claim, "PersistentVolumeClaim"),
    ("apps", "Deployment"): Describer(workloads.describe_deployment, "Deployment"),
    ("apps", "ReplicaSet"): Describer(workloads.describe_replica_set, "ReplicaSet"),
    ("apps", "StatefulSet"): Describer(workloads.describe_stateful_set, "StatefulSet"),
    ("apps", "DaemonSet"): Describer(workloads.describe_daemon_set, "DaemonSet"),
    ("batch", "Job"): Describer(workloads.describe_job, "Job"),
    ("batch", "CronJob"): Describer(workloads.describe_cron_job, "CronJob"),
    ("autoscaling", "HorizontalPodAutoscaler"): Describer(workloads.describe_hpa, "HorizontalPodAutoscaler"),
    ("networking.k8s.io", "Ingress"): Describer(network.describe_ingress, "Ingress"),
    ("discovery.k8s.io", "EndpointSlice"): Describer(network.describe_endpoint_slice, "EndpointSlice"),
    ("storage.k8s.io", "StorageClass"): Describer(storage.describe_storage_class, "StorageClass"),
}


class NoDescriber(K8sError):
    """A kind the course's kubectl cannot describe."""


def describer_for(rt: ResourceType) -> Describer:
    found = DESCRIBERS.get((rt.group, rt.kind))
    if found is None:
        raise NoDescriber(f"describing {rt.kind} objects is not available in the course's kubectl yet; use "
                          f"kubectl get {rt.plural} -o yaml to see the whole object")
    return found


def _events(backend: Backend, obj: Obj, describer: Describer) -> list[Obj]:
    events = search_events(backend, obj, describer.events or None)
    if describer.events == "Node":
        # node events come from controllers (by uid) and from the kubelet (whose uid is the node's name)
        meta = obj.get("metadata") or {}
        by_name = dict(obj, metadata=dict(meta, uid=meta.get("name", "")))
        events += search_events(backend, by_name, "Node")
    return events


def describe_object(backend: Backend, rt: ResourceType, obj: Obj, *, show_events: bool = True,
                    now: datetime | None = None) -> str:
    """What `kubectl describe` prints for one object of type `rt` (ending with a newline)."""
    describer = describer_for(rt)
    ctx = Context(backend, now or backend.current_time())
    w = PrefixWriter()
    describer.body(obj, ctx, w)
    if show_events and describer.events != NO_EVENTS:
        describe_events(_events(backend, obj, describer), w, ctx.now)
    return w.text()
