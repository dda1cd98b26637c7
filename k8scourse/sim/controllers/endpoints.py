"""The endpoints controller, and the pod-to-Service helpers it shares with the EndpointSlice controllers.

Created by `SimulatedCluster`. Mirrors kube-controller-manager v1.33's pkg/controller/endpoint
(endpoints_controller.go) with the helpers of staging/src/k8s.io/endpointslice/util (controller_utils.go,
trigger_time_tracker.go) and pkg/api/v1/endpoints (RepackSubsets): every Service with a selector gets an
Endpoints object of its name, with its ready pods in `addresses`, its unready ones in `notReadyAddresses`,
and the target ports resolved per pod. Services without a selector, and ExternalName Services, are left
to hand-written Endpoints; deleting a Service deletes the Endpoints of its name.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from ...api.errors import ApiError
from ...api.objects import deep_copy
from ...api.registry import REGISTRY
from ..apiserver import APIServer
from ..events import EventRecorder
from ..store import WatchEvent
from .base import Controller
from .deploymentutil import is_pod_ready

Obj = dict[str, Any]
Key = tuple[str, str]
ENDPOINTS = REGISTRY.resolve("endpoints")
TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"  # v1.EndpointsLastChangeTriggerTime
OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity"  # v1.EndpointsOverCapacity
HEADLESS = "service.kubernetes.io/headless"  # v1.IsHeadlessService
MAX_CAPACITY = 1000  # endpoints_controller.go maxCapacity


# --- which pods a Service publishes ----------------------------------------------------------------
def selects(service: Obj, labels: dict[str, str] | None) -> bool:
    """labels.ValidatedSetSelector(spec.selector).Matches: a Service without a selector matches nothing."""
    selector = (service.get("spec") or {}).get("selector")
    if not selector:
        return False
    labels = labels or {}
    return all(labels.get(k) == v for k, v in selector.items())


def has_selector(service: Obj) -> bool:
    return bool((service.get("spec") or {}).get("selector"))


def should_pod_be_in_endpoints(pod: Obj, include_terminating: bool) -> bool:
    """ShouldPodBeInEndpoints: not Succeeded/Failed, has an IP, and not terminating unless that is wanted."""
    status = pod.get("status") or {}
    if status.get("phase") in ("Succeeded", "Failed"):
        return False
    if not status.get("podIP") and not status.get("podIPs"):
        return False
    return include_terminating or not pod["metadata"].get("deletionTimestamp")


def should_set_hostname(pod: Obj, service: Obj) -> bool:
    """ShouldSetHostname: the pod has a hostname and its subdomain is this Service (in its namespace)."""
    spec = pod.get("spec") or {}
    return bool(spec.get("hostname")) and spec.get("subdomain") == service["metadata"]["name"] \
        and service["metadata"].get("namespace") == pod["metadata"].get("namespace")


def find_port(pod: Obj, service_port: Obj) -> int | None:
    """FindPort: a numeric targetPort as is; a named one looked up in the containers' ports (and restartable
    init containers') with the same protocol. None when the pod has no such port."""
    target = service_port.get("targetPort", service_port.get("port"))
    if isinstance(target, int):
        return target
    protocol = service_port.get("protocol", "TCP")
    spec = pod.get("spec") or {}
    sidecars = [c for c in spec.get("initContainers") or () if c.get("restartPolicy") == "Always"]
    for container in list(spec.get("containers") or ()) + sidecars:
        for port in container.get("ports") or ():
            if port.get("name") == target and port.get("protocol", "TCP") == protocol:
                return int(port["containerPort"])
    return None


def pod_ips(pod: Obj) -> list[str]:
    status = pod.get("status") or {}
    ips = [entry.get("ip") for entry in status.get("podIPs") or () if entry.get("ip")]
    return ips or ([status["podIP"]] if status.get("podIP") else [])


def ipv4(address: str) -> bool:
    return ":" not in address


def target_ref(pod: Obj) -> Obj:
    meta = pod["metadata"]
    return {"kind": "Pod", "namespace": meta.get("namespace", ""), "name": meta["name"], "uid": meta["uid"]}


def is_service_ip_set(service: Obj) -> bool:
    cluster_ip = (service.get("spec") or {}).get("clusterIP")
    return bool(cluster_ip) and cluster_ip != "None"


def selected_pods(api: APIServer, service: Obj) -> list[Obj]:
    """The pods of the Service's namespace its selector matches, by the label index, sorted by name."""
    selector = service["spec"]["selector"]
    ns = service["metadata"].get("namespace", "")
    key, value = sorted(selector.items())[0]
    pods = [p for p in api.store.with_label("pods", key, value, ns) if selects(service, p["metadata"].get("labels"))]
    return sorted(pods, key=lambda p: p["metadata"]["name"])


# --- which Services a pod change concerns -----------------------------------------------------------
def _projection(pod: Obj) -> tuple[Any, ...]:
    """What of a pod can change its endpoints: labels, hostname/subdomain; deletion, readiness, IPs."""
    spec = pod.get("spec") or {}
    labels = tuple(sorted((pod["metadata"].get("labels") or {}).items()))
    return (labels, spec.get("hostname"), spec.get("subdomain")), (
        pod["metadata"].get("deletionTimestamp"), is_pod_ready(pod), tuple(pod_ips(pod)))


class PodServiceTracker:
    """GetPodUpdateProjectionKey + GetServicesToUpdate: the Services a pod event must resync.

    The store delivers only the new pod, so the last projection of each pod is kept to tell what changed.
    """

    def __init__(self, api: APIServer):
        self.api = api
        self._seen: dict[str, tuple[Any, ...]] = {}

    def services_for(self, event: WatchEvent) -> list[Key]:
        pod = event.object
        uid = pod["metadata"].get("uid", "")
        ns = pod["metadata"].get("namespace", "")
        labels = pod["metadata"].get("labels")
        old = self._seen.pop(uid, None)
        if event.type == "DELETED":
            return self._matching(ns, labels)
        new = _projection(pod)
        self._seen[uid] = new
        if old is None:
            return self._matching(ns, labels)
        labels_changed = old[0] != new[0]
        pod_changed = old[1] != new[1]
        if not labels_changed:
            return self._matching(ns, labels) if pod_changed else []
        current = set(self._matching(ns, labels))
        before = set(self._matching(ns, dict(old[0][0])))
        changed = current | before if pod_changed else current ^ before
        return sorted(changed)

    def _matching(self, ns: str, labels: dict[str, str] | None) -> list[Key]:
        return sorted((ns, s["metadata"]["name"]) for s in self.api.store.list("services", ns)
                      if selects(s, labels))


class TriggerTimeTracker:
    """TriggerTimeTracker.ComputeEndpointLastChangeTriggerTime: the earliest change (a pod's Ready transition,
    the Service's creation) seen since the previous sync; the Service's creation time on its first sync."""

    def __init__(self, parse: Any):
        self.parse = parse
        self._states: dict[Key, tuple[float | None, dict[str, float]]] = {}

    def compute(self, key: Key, service: Obj, pods: list[Obj]) -> str | None:
        known = self._states.get(key)
        last_service, last_pods = known if known is not None else (None, {})
        earliest: tuple[float, str] | None = None
        stamps: dict[str, float] = {}
        for pod in pods:
            stamp = _ready_transition(pod)
            if stamp is None:
                continue
            at = self.parse(stamp)
            stamps[pod["metadata"]["name"]] = at
            if at > last_pods.get(pod["metadata"]["name"], float("-inf")) and (earliest is None or at < earliest[0]):
                earliest = (at, stamp)
        created = service["metadata"].get("creationTimestamp")
        created_at = self.parse(created) if created else None
        if created_at is not None and (last_service is None or created_at > last_service) \
                and (earliest is None or created_at < earliest[0]):
            earliest = (created_at, created)
        self._states[key] = (created_at, stamps)
        if known is None:
            return created
        return earliest[1] if earliest else None

    def forget(self, key: Key) -> None:
        self._states.pop(key, None)


def _ready_transition(pod: Obj) -> str | None:
    for cond in (pod.get("status") or {}).get("conditions") or ():
        if cond.get("type") == "Ready":
            return cond.get("lastTransitionTime")
    return None


def set_trigger_time(annotations: dict[str, str], trigger: str | None) -> None:
    if trigger:
        annotations[TRIGGER_TIME] = trigger
    else:
        annotations.pop(TRIGGER_TIME, None)


# --- Endpoints subsets ------------------------------------------------------------------------------
def endpoint_address(pod: Obj, service: Obj) -> Obj | None:
    """podToEndpointAddressForService: the pod's IP of the Service's family, its node and a targetRef."""
    families = (service.get("spec") or {}).get("ipFamilies") or ["IPv4"]
    want_v4 = families[0] == "IPv4"
    ip = next((a for a in pod_ips(pod) if ipv4(a) == want_v4), None)
    if ip is None:
        return None
    address: Obj = {"ip": ip}
    if should_set_hostname(pod, service):
        address["hostname"] = pod["spec"]["hostname"]
    address["nodeName"] = (pod.get("spec") or {}).get("nodeName", "")
    address["targetRef"] = target_ref(pod)
    return address


def endpoint_port(service_port: Obj, number: int) -> Obj:
    """endpointPortFromServicePort: the Service port's name, protocol and appProtocol with the pod's number."""
    port: Obj = {}
    if service_port.get("name"):
        port["name"] = service_port["name"]
    port["port"] = number
    port["protocol"] = service_port.get("protocol", "TCP")
    if service_port.get("appProtocol"):
        port["appProtocol"] = service_port["appProtocol"]
    return port


def compute_subsets(service: Obj, pods: list[Obj]) -> list[Obj]:
    """The body of syncService's pod loop followed by RepackSubsets."""
    spec = service.get("spec") or {}
    publish = bool(spec.get("publishNotReadyAddresses"))
    entries: list[tuple[Obj, Obj | None, bool]] = []  # (address, port, ready)
    for pod in pods:
        if not should_pod_be_in_endpoints(pod, publish):
            continue
        address = endpoint_address(pod, service)
        if address is None:
            continue
        ready = publish or is_pod_ready(pod)
        ports = spec.get("ports") or []
        if not ports:
            if spec.get("clusterIP") == "None":
                entries.append((address, None, ready))
            continue
        for service_port in ports:
            number = find_port(pod, service_port)
            if number is not None:
                entries.append((address, endpoint_port(service_port, number), ready))
    return repack_subsets(entries)


def _address_key(address: Obj) -> tuple[bytes, str]:
    """LessEndpointAddress: by IP bytes, then by targetRef uid."""
    return address["ip"].encode(), (address.get("targetRef") or {}).get("uid", "")


def repack_subsets(entries: list[tuple[Obj, Obj | None, bool]]) -> list[Obj]:
    """RepackSubsets: group addresses by port, then ports by identical address sets (not-ready wins over
    ready for the same address and port). Addresses are sorted as SortSubsets sorts them; ports keep the
    Service's order, and subsets are ordered by their first address (Go orders both by an md5 hash)."""
    by_port: dict[Any, dict[tuple[bytes, str], bool]] = {}
    addresses: dict[tuple[bytes, str], Obj] = {}
    ports: dict[Any, Obj | None] = {}
    for address, port, ready in entries:
        key = _address_key(address)
        addresses.setdefault(key, address)
        port_key = tuple(sorted(port.items())) if port else None
        ports.setdefault(port_key, port)
        states = by_port.setdefault(port_key, {})
        states[key] = ready and states.get(key, True)
    grouped: dict[tuple[Any, ...], list[Any]] = {}
    for port_key, states in by_port.items():
        grouped.setdefault(tuple(sorted(states.items())), []).append(port_key)
    subsets = []
    for states_key, port_keys in grouped.items():
        subset: Obj = {}
        ready = [deep_copy(addresses[k]) for k, ok in states_key if ok]
        not_ready = [deep_copy(addresses[k]) for k, ok in states_key if not ok]
        if ready:
            subset["addresses"] = ready
        if not_ready:
            subset["notReadyAddresses"] = not_ready
        shown = [deep_copy(ports[k]) for k in port_keys if ports[k] is not None]
        if shown:
            subset["ports"] = shown
        subsets.append(subset)
    return sorted(subsets, key=lambda s: min(_address_key(a) for a in
                                             (s.get("addresses") or []) + (s.get("notReadyAddresses") or [])))


def truncate_subsets(subsets: list[Obj]) -> bool:
    """truncateEndpoints: keep at most 1000 addresses, ready ones first, in proportion per subset."""
    total_ready = sum(len(s.get("addresses") or ()) for s in subsets)
    total_not_ready = sum(len(s.get("notReadyAddresses") or ()) for s in subsets)
    if total_ready + total_not_ready <= MAX_CAPACITY:
        return False
    truncate_ready = total_ready > MAX_CAPACITY
    limit = MAX_CAPACITY if truncate_ready else MAX_CAPACITY - total_ready
    total = total_ready if truncate_ready else total_not_ready
    field = "addresses" if truncate_ready else "notReadyAddresses"
    room = limit
    for subset in subsets:
        count = len(subset.get(field) or ())
        keep = min(-(-count * limit // total), room)
        if subset.get(field):
            subset[field] = subset[field][:keep]
        if truncate_ready:
            subset.pop("notReadyAddresses", None)
        room -= len(subset.get(field) or ())
    return True


def without_resource_version(value: Any) -> Any:
    """endpointSubsetsEqualIgnoreResourceVersion: targetRefs compared without their resourceVersion."""
    if isinstance(value, dict):
        return {k: without_resource_version(v) for k, v in value.items() if k != "resourceVersion"}
    if isinstance(value, list):
        return [without_resource_version(v) for v in value]
    return value


class EndpointsController(Controller):
    """pkg/controller/endpoint: one Endpoints object per Service with a selector."""

    name = "endpoint-controller"
    resources = ("services", "pods", "endpoints")

    def __init__(self, api: APIServer, recorder: EventRecorder):
        super().__init__(api, recorder)
        self.pods = PodServiceTracker(api)
        self.trigger_times = TriggerTimeTracker(api.clock.parse)

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        meta = event.object["metadata"]
        if event.resource == "pods":
            return list(self.pods.services_for(event))
        if event.resource == "endpoints" and event.type != "DELETED":  # onEndpointsDelete only
            return []
        return [(meta.get("namespace", ""), meta["name"])]

    def sync(self, key: Hashable) -> None:
        ns, name = key  # type: ignore[misc]
        service = self.api.store.get("services", ns, name)
        if service is None:
            self._delete(ns, name)
            self.trigger_times.forget((ns, name))
            return
        spec = service.get("spec") or {}
        if spec.get("type") == "ExternalName" or not has_selector(service):
            return
        pods = selected_pods(self.api, service)
        trigger = self.trigger_times.compute((ns, name), service, pods)
        subsets = compute_subsets(service, pods)
        current = self.api.store.get("endpoints", ns, name)
        labels = dict(service["metadata"].get("labels") or {})
        if current is not None and self._unchanged(current, subsets, labels):
            return
        self._write(service, current, subsets, labels, trigger)

    @staticmethod
    def _unchanged(current: Obj, subsets: list[Obj], labels: dict[str, str]) -> bool:
        current_labels = dict(current["metadata"].get("labels") or {})
        current_labels.pop(HEADLESS, None)
        over = sum(len(s.get("addresses") or ()) + len(s.get("notReadyAddresses") or ())
                   for s in current.get("subsets") or ()) > MAX_CAPACITY
        capacity_ok = not over and OVER_CAPACITY not in (current["metadata"].get("annotations") or {})
        return without_resource_version(current.get("subsets") or []) == subsets and current_labels == labels and capacity_ok

    def _write(self, service: Obj, current: Obj | None, subsets: list[Obj], labels: dict[str, str],
               trigger: str | None) -> None:
        meta = service["metadata"]
        if current is None:
            endpoints: Obj = {"apiVersion": "v1", "kind": "Endpoints",
                              "metadata": {"name": meta["name"], "namespace": meta.get("namespace", "")}}
        else:
            endpoints = deep_copy(current)
        annotations = endpoints["metadata"].get("annotations") or {}
        set_trigger_time(annotations, trigger)
        endpoints["subsets"] = subsets
        if truncate_subsets(subsets):
            annotations[OVER_CAPACITY] = "truncated"
        else:
            annotations.pop(OVER_CAPACITY, None)
        if not is_service_ip_set(service):
            labels[HEADLESS] = ""
        set_or_drop(endpoints["metadata"], "labels", labels)
        set_or_drop(endpoints["metadata"], "annotations", annotations)
        if not subsets:
            endpoints.pop("subsets")
        self._save(service, endpoints, create=current is None)

    def _save(self, service: Obj, endpoints: Obj, create: bool) -> None:
        ns = service["metadata"].get("namespace", "")
        name = service["metadata"]["name"]
        try:
            if create:
                self.api.create(ENDPOINTS, endpoints, ns)
            else:
                self.api.update(ENDPOINTS, endpoints, ns)
        except ApiError as exc:
            if create and exc.code == 403 and namespace_terminating(exc):
                return
            if create:
                message = f"Failed to create endpoint for service {ns}/{name}: {exc.message}"
                self.recorder.event(endpoints, "Warning", "FailedToCreateEndpoint", message, self.name)
            else:
                message = f"Failed to update endpoint {ns}/{name}: {exc.message}"
                self.recorder.event(endpoints, "Warning", "FailedToUpdateEndpoint", message, self.name)
            if exc.code in (404, 409):  # the informer was behind: sync again
                self.enqueue((ns, name), after=0.005)

    def _delete(self, ns: str, name: str) -> None:
        try:
            self.api.delete(ENDPOINTS, name, ns)
        except ApiError as exc:
            if exc.code != 404:
                raise


def set_or_drop(meta: Obj, field: str, values: dict[str, str]) -> None:
    if values:
        meta[field] = values
    else:
        meta.pop(field, None)


def namespace_terminating(exc: ApiError) -> bool:
    return any(c.get("reason") == "NamespaceTerminating" for c in exc.details.get("causes") or ())
