"""Storage object in-use protection: the admission plugin's finalizers and the two controllers removing them.

After plugin/pkg/admission/storage/storageobjectinuseprotection/admission.go (finalizers appended on
create), pkg/volume/util (`kubernetes.io/pvc-protection`, `kubernetes.io/pv-protection`),
pkg/controller/volume/pvcprotection/pvc_protection_controller.go (a deleted claim keeps its finalizer
while a scheduled pod names it) and pkg/controller/volume/pvprotection/pv_protection_controller.go (a
deleted volume keeps it while Bound). The Terminating STATUS comes from printers.go
(printPersistentVolumeClaim / printPersistentVolume).
"""

from __future__ import annotations

from k8scourse.api.registry import REGISTRY
from k8scourse.sim.controllers.pvcprotection import pod_is_terminated

CLAIMS = REGISTRY.resolve("persistentvolumeclaims")
VOLUMES = REGISTRY.resolve("persistentvolumes")

VOLUME = """
apiVersion: v1
kind: PersistentVolume
metadata: {name: manual, finalizers: [example.com/keep]}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  hostPath: {path: /tmp/manual}
"""


def test_new_claims_and_volumes_carry_the_protection_finalizers(storage):
    storage.apply(storage.CLAIM)
    storage.apply(VOLUME)
    claim = storage.cluster.get("pvc", "data")
    assert claim["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    # appended after the finalizers the object already has
    finalizers = storage.cluster.get("pv", "manual")["metadata"]["finalizers"]
    assert finalizers == ["example.com/keep", "kubernetes.io/pv-protection"]
    provisioned = storage.cluster.get("pv", claim["spec"]["volumeName"])
    assert provisioned["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]
    line = next(x for x in storage.kubectl("describe pvc data").splitlines() if x.startswith("Finalizers:"))
    assert line.split() == ["Finalizers:", "[kubernetes.io/pvc-protection]"]


def test_the_controllers_put_a_removed_finalizer_back(storage):
    storage.apply(storage.CLAIM)
    claim = storage.cluster.get("pvc", "data")
    name = claim["spec"]["volumeName"]
    for resource, rt, ns, finalizer in (("pvc", CLAIMS, "default", "kubernetes.io/pvc-protection"),
                                        ("pv", VOLUMES, None, "kubernetes.io/pv-protection")):
        obj = storage.cluster.get(resource, "data" if resource == "pvc" else name)
        obj["metadata"]["finalizers"] = []
        storage.cluster.backend.update(rt, obj, ns)
        storage.cluster.settle()
        assert storage.cluster.get(resource, obj["metadata"]["name"])["metadata"]["finalizers"] == [finalizer]


def test_a_claim_in_use_stays_terminating_until_its_pod_is_gone(storage):
    storage.apply(storage.CLAIM)
    storage.apply(storage.pod("w", "persistentVolumeClaim: {claimName: data}"))
    volume = storage.cluster.get("pvc", "data")["spec"]["volumeName"]
    out = storage.kubectl("delete pvc data --wait=false")
    assert out == 'persistentvolumeclaim "data" deleted\n'
    storage.cluster.advance(60)
    claim = storage.cluster.get("pvc", "data")
    assert claim["metadata"]["deletionTimestamp"] and claim["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    assert storage.kubectl("get pvc data").splitlines()[1].split()[1] == "Terminating"
    assert storage.cluster.get("pv", volume)["status"]["phase"] == "Bound"
    storage.delete("pod", "w")
    assert not storage.cluster.exists("pvc", "data")
    assert not storage.cluster.exists("pv", volume)  # Released, deleted by its provisioner, finalizer removed


def test_an_unscheduled_pod_does_not_hold_its_claim(storage):
    storage.apply(storage.CLAIM)
    storage.apply(storage.pod("p", "persistentVolumeClaim: {claimName: data}", extra="nodeSelector: {disk: none}"))
    assert storage.cluster.get("pod", "p")["status"]["phase"] == "Pending"
    storage.delete("pvc", "data")
    assert not storage.cluster.exists("pvc", "data")


def test_a_deleted_volume_stays_until_it_is_no_longer_bound(storage):
    storage.apply(storage.CLAIM)
    name = storage.cluster.get("pvc", "data")["spec"]["volumeName"]
    storage.kubectl(f"delete pv {name} --wait=false")
    storage.cluster.settle()
    assert storage.kubectl(f"get pv {name}").splitlines()[1].split()[4] == "Terminating"
    storage.delete("pvc", "data")
    assert not storage.cluster.exists("pv", name)


def test_a_released_retained_volume_is_deleted_once_asked(storage):
    storage.apply(VOLUME.replace("finalizers: [example.com/keep]", "labels: {k: v}"))
    storage.apply(storage.CLAIM.replace("spec:", "spec:\n  storageClassName: ''\n  volumeName: manual"))
    assert storage.cluster.get("pv", "manual")["status"]["phase"] == "Bound"
    storage.delete("pvc", "data")
    assert storage.cluster.get("pv", "manual")["status"]["phase"] == "Released"
    storage.delete("pv", "manual")
    assert not storage.cluster.exists("pv", "manual")


def test_pod_is_terminated_follows_the_container_states():
    # volumeutil.IsPodTerminated: a terminal phase, or deleted with every container terminated or waiting
    def pod(phase, deleting, *states):
        meta = {"name": "p", **({"deletionTimestamp": "t"} if deleting else {})}
        return {"metadata": meta, "status": {"phase": phase, "containerStatuses": [{"state": {s: {}}} for s in states]}}

    assert pod_is_terminated(pod("Succeeded", False, "terminated"))
    assert not pod_is_terminated(pod("Running", False, "terminated"))
    assert pod_is_terminated(pod("Running", True, "terminated", "waiting"))
    assert not pod_is_terminated(pod("Running", True, "terminated", "running"))
