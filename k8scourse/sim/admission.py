"""Admission plugins of the simulated apiserver: the ones a minikube has on and a course can see.

Called by `APIServer` for every create and update, in the order kube-apiserver runs them:
NamespaceLifecycle (refuses content in missing or terminating namespaces), ServiceAccount (pods run as
the namespace's `default` ServiceAccount, which must exist; Priority; DefaultTolerationSeconds),
DefaultStorageClass (claims without a
class get the default one), StorageObjectInUseProtection (new claims and volumes carry the finalizer their
protection controller removes once they are unused). Service IP and port allocation, which the real apiserver does in the
Service registry after validation, lives in `ServiceAllocation`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..api.defaults import admit_pod, default_storage_class
from ..api.errors import FieldError, forbidden_error, not_found_error
from ..api.objects import deep_copy
from ..api.registry import ResourceType
from ..api.validation.services import prepare_service_update
from .allocators import ClusterIPAllocator, NodePortAllocator
from .store import Store

Obj = dict[str, Any]


class NamespaceLifecycle:
    """Refuses new objects in namespaces that do not exist or are being terminated."""

    def __init__(self, store: Store):
        self.store = store

    def __call__(self, operation: str, rt: ResourceType, obj: Obj, old: Obj | None) -> None:
        if operation != "CREATE" or not rt.namespaced:
            return None
        ns = obj["metadata"].get("namespace", "")
        namespace = self.store.get("namespaces", "", ns)
        if namespace is None:
            raise not_found_error("namespaces", "", ns)
        if namespace["metadata"].get("deletionTimestamp") and rt.kind != "Event":
            raise forbidden_error(
                rt.plural, rt.group, obj["metadata"].get("name", ""),
                f"unable to create new content in namespace {ns} because it is being terminated",
            )
        return None


class PodAdmission:
    """ServiceAccount, Priority and DefaultTolerationSeconds for new Pods (the account must exist)."""

    def __init__(self, store: Store, random_suffix: Callable[[], str]):
        self.store = store
        self.random_suffix = random_suffix

    def __call__(self, operation: str, rt: ResourceType, obj: Obj, old: Obj | None) -> Obj | None:
        if operation != "CREATE" or rt.kind != "Pod":
            return None
        spec = obj.get("spec") or {}
        name = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
        account = self.store.get("serviceaccounts", obj["metadata"].get("namespace", ""), name)
        classes = {pc["metadata"]["name"]: pc for pc in self.store.list("priorityclasses.scheduling.k8s.io")}
        return admit_pod(obj, random_suffix=self.random_suffix, service_account=account, priority_classes=classes)


class DefaultStorageClass:
    """Claims that name no StorageClass get the one annotated as the cluster's default."""

    ANNOTATION = "storageclass.kubernetes.io/is-default-class"

    def __init__(self, store: Store):
        self.store = store

    def __call__(self, operation: str, rt: ResourceType, obj: Obj, old: Obj | None) -> Obj | None:
        if operation != "CREATE" or rt.kind != "PersistentVolumeClaim":
            return None
        defaults = sorted(
            sc["metadata"]["name"]
            for sc in self.store.list("storageclasses.storage.k8s.io")
            if (sc["metadata"].get("annotations") or {}).get(self.ANNOTATION) == "true"
        )
        return default_storage_class(obj, defaults[0] if defaults else None)


# pkg/volume/util: the finalizers of plugin/pkg/admission/storage/storageobjectinuseprotection
PVC_PROTECTION_FINALIZER = "kubernetes.io/pvc-protection"
PV_PROTECTION_FINALIZER = "kubernetes.io/pv-protection"
_PROTECTION_FINALIZERS = {"PersistentVolumeClaim": PVC_PROTECTION_FINALIZER,
                          "PersistentVolume": PV_PROTECTION_FINALIZER}


def storage_object_in_use_protection(operation: str, rt: ResourceType, obj: Obj, old: Obj | None) -> Obj | None:
    """StorageObjectInUseProtection: every new claim (volume) gets `kubernetes.io/pvc-protection`
    (`kubernetes.io/pv-protection`) after the finalizers it already has, unless it has it already."""
    finalizer = _PROTECTION_FINALIZERS.get(rt.kind)
    if operation != "CREATE" or finalizer is None:
        return None
    finalizers = obj["metadata"].get("finalizers") or []
    if finalizer in finalizers:
        return None
    obj["metadata"]["finalizers"] = [*finalizers, finalizer]
    return obj


def prepare_service(operation: str, rt: ResourceType, obj: Obj, old: Obj | None) -> Obj | None:
    """The Service strategy's normalisation on update (clusterIP/clusterIPs in step, fields a type change
    leaves behind wiped), applied to the object that is stored, not only to the one validated."""
    if rt.kind != "Service" or operation != "UPDATE":
        return None
    return prepare_service_update(deep_copy(obj), old)


class ServiceAllocation:
    """ClusterIPs and NodePorts for Services: allocated on create, kept on update, released on delete."""

    def __init__(self, ips: ClusterIPAllocator, ports: NodePortAllocator):
        self.ips = ips
        self.ports = ports

    def allocate(self, operation: str, rt: ResourceType, obj: Obj, old: Obj | None) -> list[FieldError]:
        if rt.kind != "Service":
            return []
        spec = obj.setdefault("spec", {})
        old_spec = (old or {}).get("spec") or {}
        errors: list[FieldError] = []
        self._fresh: list[tuple[str, object, str]] = []  # what this request allocated, to undo on failure
        svc_type = spec.get("type", "ClusterIP")
        if svc_type == "ExternalName":
            if old_spec.get("clusterIP") not in (None, "", "None"):
                self.ips.release(old_spec.get("clusterIP"))
            spec.pop("clusterIP", None)
            spec.pop("clusterIPs", None)
        elif old and old_spec.get("clusterIP") and not spec.get("clusterIP") and old_spec.get("type") != "ExternalName":
            spec["clusterIP"] = old_spec["clusterIP"]
            spec["clusterIPs"] = list(old_spec.get("clusterIPs") or [old_spec["clusterIP"]])
        elif spec.get("clusterIP") != "None" and (not old or spec.get("clusterIP") != old_spec.get("clusterIP")):
            ip, err = self.ips.allocate("spec.clusterIPs", spec.get("clusterIP"))
            if err is not None:
                errors.append(err)
            elif ip:
                self._fresh.append(("ip", ip, ""))
                spec["clusterIP"] = ip
                spec["clusterIPs"] = [ip]
        elif spec.get("clusterIP") == "None":
            spec["clusterIPs"] = ["None"]
        errors += self._node_ports(spec, old_spec, svc_type)
        if errors:
            self.undo()
        return errors

    def _node_ports(self, spec: Obj, old_spec: Obj, svc_type: str) -> list[FieldError]:
        errors: list[FieldError] = []
        wants = svc_type in ("NodePort", "LoadBalancer")
        old_ports = {(p.get("port"), p.get("protocol", "TCP")): p.get("nodePort") for p in old_spec.get("ports") or []}
        kept = set()
        for i, port in enumerate(spec.get("ports") or []):
            proto = port.get("protocol", "TCP")
            previous = old_ports.get((port.get("port"), proto))
            if not wants:
                port.pop("nodePort", None)
                continue
            requested = port.get("nodePort")
            if requested and requested == previous or (not requested and previous):
                port["nodePort"] = previous
                kept.add((previous, proto))
                continue
            value, err = self.ports.allocate(f"spec.ports[{i}].nodePort", proto, requested)
            if err is not None:
                errors.append(err)
            else:
                self._fresh.append(("port", value, proto))
                port["nodePort"] = value
        for (_, proto), node_port in old_ports.items():
            if node_port and (node_port, proto) not in kept and not errors:
                self.ports.release(node_port, proto)
        return errors

    def undo(self) -> None:
        """Release what the last `allocate` call took (a failed or dry-run request keeps nothing)."""
        for what, value, proto in self._fresh:
            if what == "ip":
                self.ips.release(str(value))
            else:
                self.ports.release(int(value), proto)  # type: ignore[arg-type]
        self._fresh = []

    def release(self, obj: Obj) -> None:
        spec = obj.get("spec") or {}
        if spec.get("clusterIP") not in (None, "", "None"):
            self.ips.release(spec["clusterIP"])
        for port in spec.get("ports") or []:
            self.ports.release(port.get("nodePort"), port.get("protocol", "TCP"))
