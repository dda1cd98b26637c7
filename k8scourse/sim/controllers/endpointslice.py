"""The EndpointSlice controller: `<service>-xxxxx` slices of a Service's pods, with their conditions.

Created by `SimulatedCluster`. Mirrors kube-controller-manager v1.33's pkg/controller/endpointslice with the
reconciler of staging/src/k8s.io/endpointslice (reconciler.go, utils.go): for every Service with a selector,
slices labelled `kubernetes.io/service-name` and managed by `endpointslice-controller.k8s.io`, owned by the
Service (so the garbage collector deletes them with it), holding one endpoint per pod with an IP, with the
conditions ready, serving and terminating, the node, a targetRef and the ports resolved for that pod. Pods
whose resolved ports differ go to different slices; a slice holds at most 100 endpoints; a Service without
pods keeps one empty placeholder slice. The pod-to-Service helpers are shared with the endpoints controller.
The mirroring controller (pkg/controller/endpointslicemirroring) gives hand-written Endpoints of Services
without a selector their slices, managed by `endpointslicemirroring-controller.k8s.io`.
"""

from __future__ import annotations

import random
from collections.abc import Hashable
from typing import Any

from ...api.errors import ApiError
from ...api.objects import deep_copy
from ...api.registry import REGISTRY
from ..apiserver import APIServer, random_suffix
from ..events import EventRecorder
from ..store import WatchEvent
from . import endpoints as ep
from .base import Controller
from .deploymentutil import is_pod_ready, new_controller_ref

Obj = dict[str, Any]
SLICES = REGISTRY.resolve("endpointslices")
SERVICE_NAME = "kubernetes.io/service-name"  # discovery.LabelServiceName
MANAGED_BY = "endpointslice.kubernetes.io/managed-by"  # discovery.LabelManagedBy
CONTROLLER_NAME = "endpointslice-controller.k8s.io"
ZONE = "topology.kubernetes.io/zone"
MAX_ENDPOINTS_PER_SLICE = 100  # --max-endpoints-per-slice default
RESERVED_LABELS = (SERVICE_NAME, MANAGED_BY, ep.HEADLESS)


def address_types(service: Obj) -> list[str]:
    """getAddressTypesForService: the Service's IP families as slice address types."""
    families = (service.get("spec") or {}).get("ipFamilies") or ["IPv4"]
    return [{"IPv4": "IPv4", "IPv6": "IPv6"}[f] for f in families if f in ("IPv4", "IPv6")]


def endpoint_ports(service: Obj, pod: Obj) -> list[Obj]:
    """getEndpointPorts: the Service's ports resolved for this pod (a named port it lacks is left out)."""
    spec = service.get("spec") or {}
    ports = []
    for service_port in spec.get("ports") or ():
        number = ep.find_port(pod, service_port)
        if number is None:
            continue
        port: Obj = {"name": service_port.get("name", ""), "protocol": service_port.get("protocol", "TCP"),
                     "port": number}
        if service_port.get("appProtocol"):
            port["appProtocol"] = service_port["appProtocol"]
        ports.append(port)
    return ports


def pod_to_endpoint(pod: Obj, node: Obj | None, service: Obj, address_type: str) -> Obj:
    """podToEndpoint: the pod's addresses of the type; ready (never while terminating, unless the Service
    publishes not-ready addresses), serving (the Ready condition) and terminating (deletionTimestamp)."""
    serving = is_pod_ready(pod)
    terminating = bool(pod["metadata"].get("deletionTimestamp"))
    ready = bool((service.get("spec") or {}).get("publishNotReadyAddresses")) or (serving and not terminating)
    want_v4 = address_type == "IPv4"
    endpoint: Obj = {"addresses": [a for a in ep.pod_ips(pod) if ep.ipv4(a) == want_v4],
                     "conditions": {"ready": ready, "serving": serving, "terminating": terminating}}
    if ep.should_set_hostname(pod, service):
        endpoint["hostname"] = pod["spec"]["hostname"]
    endpoint["targetRef"] = ep.target_ref(pod)
    node_name = (pod.get("spec") or {}).get("nodeName")
    if node_name:
        endpoint["nodeName"] = node_name
    zone = ((node or {}).get("metadata", {}).get("labels") or {}).get(ZONE)
    if zone:
        endpoint["zone"] = zone
    return endpoint


def slice_labels(service: Obj, controller_name: str = CONTROLLER_NAME) -> dict[str, str]:
    """setEndpointSliceLabels: the Service's labels except the reserved ones, the headless label for a
    Service without a cluster IP, the service name and the managing controller."""
    labels = {k: v for k, v in (service["metadata"].get("labels") or {}).items() if k not in RESERVED_LABELS}
    if not ep.is_service_ip_set(service):
        labels[ep.HEADLESS] = ""
    labels[SERVICE_NAME] = service["metadata"]["name"]
    labels[MANAGED_BY] = controller_name
    return labels


def new_slice(service: Obj, address_type: str, ports: list[Obj], endpoints: list[Obj]) -> Obj:
    """newEndpointSlice: generateName `<service>-`, the Service as controller owner, its labels."""
    meta = service["metadata"]
    name = meta["name"]
    prefix = f"{name}-" if len(name) < 253 else name  # getEndpointSlicePrefix
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"generateName": prefix, "namespace": meta.get("namespace", ""),
                         "labels": slice_labels(service), "ownerReferences": [new_controller_ref(service)]},
            "addressType": address_type, "endpoints": endpoints or None, **({"ports": ports} if ports else {})}


def _endpoint_key(endpoint: Obj) -> tuple[Any, ...]:
    """The endpoint's identity in an EndpointSet (its addresses and the pod it stands for)."""
    return tuple(sorted(endpoint.get("addresses") or ())), (endpoint.get("targetRef") or {}).get("uid", "")


def _port_key(ports: list[Obj] | None) -> tuple[Any, ...]:
    """NewPortMapKey: the set of ports, independent of their order."""
    return tuple(sorted(tuple(sorted(p.items())) for p in ports or ()))


def owned_by(slice_: Obj, service: Obj) -> bool:
    return any(r.get("uid") == service["metadata"]["uid"] and r.get("kind") == "Service"
               and r.get("apiVersion") == "v1" for r in slice_["metadata"].get("ownerReferences") or ())


class _Plan:
    """The slices one sync creates, updates and deletes (reconcileByAddressType's three lists)."""

    def __init__(self) -> None:
        self.create: list[Obj] = []
        self.update: list[Obj] = []
        self.delete: list[Obj] = []


class EndpointSliceController(Controller):
    """pkg/controller/endpointslice: EndpointSlices for every Service with a selector."""

    name = "endpointslice-controller"
    resources = ("services", "pods", "endpointslices.discovery.k8s.io")

    def __init__(self, api: APIServer, recorder: EventRecorder):
        super().__init__(api, recorder)
        self.pods = ep.PodServiceTracker(api)
        self.trigger_times = ep.TriggerTimeTracker(api.clock.parse)

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        obj = event.object
        meta = obj["metadata"]
        if event.resource == "pods":
            return list(self.pods.services_for(event))
        if event.resource == "services":
            return [(meta.get("namespace", ""), meta["name"])]
        labels = meta.get("labels") or {}
        if labels.get(MANAGED_BY) != CONTROLLER_NAME or not labels.get(SERVICE_NAME):
            return []
        return [(meta.get("namespace", ""), labels[SERVICE_NAME])]  # a slice changed or deleted by someone else

    def sync(self, key: Hashable) -> None:
        ns, name = key  # type: ignore[misc]
        service = self.api.store.get("services", ns, name)
        if service is None:
            self.trigger_times.forget((ns, name))  # the garbage collector deletes the slices it owns
            return
        if (service.get("spec") or {}).get("type") == "ExternalName" or not ep.has_selector(service):
            return
        pods = ep.selected_pods(self.api, service)
        trigger = self.trigger_times.compute((ns, name), service, pods)
        existing = [s for s in self.api.store.with_label(SLICES.group_resource, SERVICE_NAME, name, ns)
                    if (s["metadata"].get("labels") or {}).get(MANAGED_BY) == CONTROLLER_NAME]
        supported = address_types(service)
        retry = False
        for address_type in supported:
            slices = [s for s in existing if s.get("addressType") == address_type]
            retry |= self._reconcile(service, pods, slices, address_type, trigger)
        for stale in existing:
            if stale.get("addressType") not in supported:
                self._delete(stale)
        if retry:
            self.enqueue(key, after=1.0)

    # --- reconcileByAddressType --------------------------------------------------------------------
    def _reconcile(self, service: Obj, pods: list[Obj], existing: list[Obj], address_type: str,
                   trigger: str | None) -> bool:
        plan = _Plan()
        by_ports: dict[tuple[Any, ...], list[Obj]] = {}
        for slice_ in existing:
            if owned_by(slice_, service):
                by_ports.setdefault(_port_key(slice_.get("ports")), []).append(slice_)
            else:
                plan.delete.append(slice_)
        desired, metas, missing_node = self._desired(service, pods, address_type)
        for port_key, endpoints in desired.items():
            self._reconcile_ports(service, by_ports.get(port_key, []), endpoints, metas[port_key], address_type, plan)
        for port_key, slices in by_ports.items():
            if port_key not in desired:
                plan.delete.extend(slices)
        if len(existing) == len(plan.delete) and not plan.create:
            placeholder = new_slice(service, address_type, [], [])
            if len(plan.delete) == 1 and _is_placeholder(plan.delete[0], placeholder):
                plan.delete = []
            else:
                plan.create.append(placeholder)
        self._finalize(service, plan, trigger)
        return missing_node

    def _desired(self, service: Obj, pods: list[Obj], address_type: str) -> tuple[dict, dict, bool]:
        desired: dict[tuple[Any, ...], dict[tuple[Any, ...], Obj]] = {}
        metas: dict[tuple[Any, ...], list[Obj]] = {}
        missing_node = False
        publish = bool((service.get("spec") or {}).get("publishNotReadyAddresses"))
        for pod in pods:
            if not ep.should_pod_be_in_endpoints(pod, True):
                continue
            ports = endpoint_ports(service, pod)
            port_key = _port_key(ports)
            endpoints = desired.setdefault(port_key, {})
            metas.setdefault(port_key, ports)
            node = self.api.store.get("nodes", "", (pod.get("spec") or {}).get("nodeName") or "")
            if node is None and not publish:  # "skipping Pod for Service, Node not found": retried later
                missing_node = True
                continue
            endpoint = pod_to_endpoint(pod, node, service, address_type)
            if endpoint["addresses"]:
                endpoints[_endpoint_key(endpoint)] = endpoint
        return desired, metas, missing_node

    def _reconcile_ports(self, service: Obj, existing: list[Obj], desired: dict[tuple[Any, ...], Obj],
                         ports: list[Obj], address_type: str, plan: _Plan) -> None:
        """reconcileByPortMapping: keep desired endpoints where they are, drop the others, then place the
        new ones in slices being updated, then in the unchanged slice closest to full, then in new slices."""
        remaining = dict(desired)
        updated: list[Obj] = []
        unchanged: list[Obj] = []
        labels = slice_labels(service)
        for slice_ in existing:
            kept = []
            for endpoint in slice_.get("endpoints") or ():
                key = _endpoint_key(endpoint)
                if key in remaining:
                    kept.append(remaining.pop(key))
            if not kept:
                plan.delete.append(slice_)
                continue
            labels_differ = (slice_["metadata"].get("labels") or {}) != labels
            if labels_differ or ep.without_resource_version(slice_.get("endpoints") or []) != kept:
                copy = deep_copy(slice_)
                copy["endpoints"] = kept
                copy["metadata"]["labels"] = dict(labels)
                updated.append(copy)
            else:
                unchanged.append(slice_)
        pending = [remaining[k] for k in sorted(remaining, key=lambda k: (remaining[k]["targetRef"]["name"], k))]
        for copy in updated:
            room = MAX_ENDPOINTS_PER_SLICE - len(copy["endpoints"])
            copy["endpoints"].extend(pending[:room])
            pending = pending[room:]
        while pending and unchanged:
            target = _slice_to_fill(unchanged, len(pending))
            if target is None:
                break
            unchanged.remove(target)
            copy = deep_copy(target)
            copy["endpoints"] = list(copy.get("endpoints") or []) + pending
            pending = []
            updated.append(copy)
        while pending:
            plan.create.append(new_slice(service, address_type, deep_copy(ports), pending[:MAX_ENDPOINTS_PER_SLICE]))
            pending = pending[MAX_ENDPOINTS_PER_SLICE:]
        plan.update.extend(updated)

    # --- finalize ----------------------------------------------------------------------------------
    def _finalize(self, service: Obj, plan: _Plan, trigger: str | None) -> None:
        """finalize: creates become updates of slices that would be deleted; no creates for a Service being
        deleted; the trigger-time annotation on every slice written."""
        while plan.create and plan.delete:
            reuse = next((s for s in plan.delete if s.get("addressType") == plan.create[-1].get("addressType")
                          and owned_by(s, service)), None)
            if reuse is None:
                break
            plan.delete.remove(reuse)
            fresh = plan.create.pop()
            fresh["metadata"].pop("generateName", None)
            fresh["metadata"]["name"] = reuse["metadata"]["name"]
            fresh["metadata"]["resourceVersion"] = reuse["metadata"].get("resourceVersion")
            plan.update.append(fresh)
        ns = service["metadata"].get("namespace", "")
        if not service["metadata"].get("deletionTimestamp"):
            for slice_ in plan.create:
                _annotate(slice_, trigger)
                if not self._write(lambda s=slice_: self._create(service, s)):
                    return
        for slice_ in plan.update:
            _annotate(slice_, trigger)
            if not self._write(lambda s=slice_: self.api.update(SLICES, s, ns)):
                return
        for slice_ in plan.delete:
            self._delete(slice_)

    def _create(self, service: Obj, slice_: Obj) -> None:
        create_slice(self.api, service, slice_)

    def _write(self, request: Any) -> bool:
        try:
            request()
        except ApiError as exc:
            if exc.code in (404, 409) or ep.namespace_terminating(exc):
                return False  # the next event about the slice or the namespace brings the next sync
            raise
        return True

    def _delete(self, slice_: Obj) -> None:
        delete_slice(self.api, slice_)


def create_slice(api: APIServer, owner: Obj, slice_: Obj) -> Obj:
    """Create with the name generateName would give. The suffix is drawn from a source seeded with the
    owner's uid, so slices do not shift the names of the pods created after them."""
    meta = slice_["metadata"]
    prefix = meta.pop("generateName")
    names = random.Random(owner["metadata"]["uid"])
    while True:
        meta["name"] = prefix + random_suffix(names)
        if api.store.get(SLICES.group_resource, meta["namespace"], meta["name"]) is None:
            break
    return api.create(SLICES, slice_, meta["namespace"])


def delete_slice(api: APIServer, slice_: Obj) -> None:
    """deleteEndpointSlice: a slice already gone is fine."""
    try:
        api.delete(SLICES, slice_["metadata"]["name"], slice_["metadata"].get("namespace"))
    except ApiError as exc:
        if exc.code != 404:
            raise


def _annotate(slice_: Obj, trigger: str | None) -> None:
    """addTriggerTimeAnnotation."""
    annotations = slice_["metadata"].get("annotations") or {}
    ep.set_trigger_time(annotations, trigger)
    if annotations:
        slice_["metadata"]["annotations"] = annotations
    else:
        slice_["metadata"].pop("annotations", None)


def _slice_to_fill(slices: list[Obj], count: int) -> Obj | None:
    """getSliceToFill: the slice that will be closest to full once `count` endpoints are added."""
    best: Obj | None = None
    closest = MAX_ENDPOINTS_PER_SLICE
    for slice_ in slices:
        diff = MAX_ENDPOINTS_PER_SLICE - (count + len(slice_.get("endpoints") or ()))
        if 0 <= diff < closest:
            best, closest = slice_, diff
    return best


def _is_placeholder(slice_: Obj, placeholder: Obj) -> bool:
    """placeholderSliceCompare: same namespace, labels, owners, address type; no endpoints, no ports."""
    meta, want = slice_["metadata"], placeholder["metadata"]
    return (meta.get("namespace") == want["namespace"] and (meta.get("labels") or {}) == want["labels"]
            and meta.get("ownerReferences") == want["ownerReferences"] and not slice_.get("endpoints")
            and not slice_.get("ports") and slice_.get("addressType") == placeholder["addressType"])


# --- endpointslicemirroring ---------------------------------------------------------------------------------
MIRRORING_CONTROLLER_NAME = "endpointslicemirroring-controller.k8s.io"
SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror"  # discovery.LabelSkipMirror
LEADER_ELECTION = "control-plane.alpha.kubernetes.io/leader"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def mirrored_slices(endpoints: Obj) -> dict[tuple[Any, ...], Obj]:
    """The slices pkg/controller/endpointslicemirroring makes of hand-written Endpoints (utils.go
    newEndpointSlice, addressToEndpoint, epPortsToEpsPorts): one per port set and address type, owned by the
    Endpoints, with its labels and annotations; addresses ready, notReadyAddresses not ready."""
    meta = endpoints["metadata"]
    labels = dict(meta.get("labels") or {})
    labels[SERVICE_NAME] = meta["name"]
    labels[MANAGED_BY] = MIRRORING_CONTROLLER_NAME
    annotations = {k: v for k, v in (meta.get("annotations") or {}).items() if k not in (ep.TRIGGER_TIME, LAST_APPLIED)}
    wanted: dict[tuple[Any, ...], Obj] = {}
    for subset in endpoints.get("subsets") or ():
        ports = [{"name": p.get("name", ""), "port": p.get("port"), "protocol": p.get("protocol", "TCP"),
                  **({"appProtocol": p["appProtocol"]} if p.get("appProtocol") else {})}
                 for p in subset.get("ports") or ()]
        listed = [(a, True) for a in subset.get("addresses") or ()] + \
                 [(a, False) for a in subset.get("notReadyAddresses") or ()]
        for address, ready in listed:
            address_type = "IPv4" if ep.ipv4(address.get("ip", "")) else "IPv6"
            key = (address_type, _port_key(ports))
            if key not in wanted:
                slice_meta: Obj = {"generateName": f"{meta['name']}-", "namespace": meta.get("namespace", ""),
                                   "labels": dict(labels), "ownerReferences": [new_controller_ref(endpoints)]}
                if annotations:
                    slice_meta["annotations"] = dict(annotations)
                wanted[key] = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": slice_meta,
                               "addressType": address_type, "endpoints": [], **({"ports": ports} if ports else {})}
            endpoint: Obj = {"addresses": [address["ip"]], "conditions": {"ready": ready}}
            if address.get("hostname"):
                endpoint["hostname"] = address["hostname"]
            if address.get("targetRef"):
                endpoint["targetRef"] = address["targetRef"]
            if address.get("nodeName"):
                endpoint["nodeName"] = address["nodeName"]
            wanted[key]["endpoints"].append(endpoint)
    return wanted


class EndpointSliceMirroringController(Controller):
    """pkg/controller/endpointslicemirroring: EndpointSlices for the Endpoints of Services without a selector
    (the endpoints a learner writes by hand), unless they carry `endpointslice.kubernetes.io/skip-mirror`."""

    name = "endpointslicemirroring-controller"
    resources = ("services", "endpoints", "endpointslices.discovery.k8s.io")

    def keys_for(self, event: WatchEvent) -> list[Hashable]:
        meta = event.object["metadata"]
        if event.resource != SLICES.group_resource:
            return [(meta.get("namespace", ""), meta["name"])]
        labels = meta.get("labels") or {}
        if labels.get(MANAGED_BY) != MIRRORING_CONTROLLER_NAME or not labels.get(SERVICE_NAME):
            return []
        return [(meta.get("namespace", ""), labels[SERVICE_NAME])]

    def sync(self, key: Hashable) -> None:
        ns, name = key  # type: ignore[misc]
        endpoints = self.api.store.get("endpoints", ns, name)
        service = self.api.store.get("services", ns, name)
        existing = [s for s in self.api.store.with_label(SLICES.group_resource, SERVICE_NAME, name, ns)
                    if (s["metadata"].get("labels") or {}).get(MANAGED_BY) == MIRRORING_CONTROLLER_NAME]
        meta = (endpoints or {}).get("metadata") or {}
        if endpoints is None or service is None or ep.has_selector(service) \
                or (meta.get("labels") or {}).get(SKIP_MIRROR) == "true" or LEADER_ELECTION in (meta.get("annotations") or {}):
            for stale in existing:
                self._delete(stale)
            return
        wanted = mirrored_slices(endpoints)
        for current in existing:
            key_ = (current.get("addressType"), _port_key(current.get("ports")))
            desired = wanted.pop(key_, None)
            if desired is None:
                self._delete(current)
                continue
            if any(current["metadata"].get(f) != desired["metadata"].get(f) for f in ("labels", "annotations")) \
                    or current.get("endpoints") != desired["endpoints"]:
                updated = deep_copy(current)
                for field in ("labels", "annotations"):
                    ep.set_or_drop(updated["metadata"], field, desired["metadata"].get(field) or {})
                updated["endpoints"] = desired["endpoints"]
                self._write(lambda u=updated: self.api.update(SLICES, u, ns))
        for desired in wanted.values():
            self._write(lambda d=desired: create_slice(self.api, endpoints, d))

    def _write(self, request: Any) -> None:
        try:
            request()
        except ApiError as exc:
            if exc.code not in (404, 409) and not ep.namespace_terminating(exc):
                raise

    def _delete(self, slice_: Obj) -> None:
        delete_slice(self.api, slice_)
