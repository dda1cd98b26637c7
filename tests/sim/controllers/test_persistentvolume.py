"""The PersistentVolume controller: binding rules, phases, annotations, events and reclaim policies.

After pkg/controller/volume/persistentvolume of Kubernetes v1.33: index.go (findBestMatchForClaim:
access-mode groups, class, selector, smallest fit, pre-bound volumes), pv_controller.go (bind,
syncVolume, reclaimVolume; `no persistent volumes available for this claim and no storage class is
set`, ExternalProvisioning's `Waiting for a volume to be created either by the external provisioner
...`, `storageclass.storage.k8s.io "x" not found`) and pkg/volume/hostpath (`host_path deleter only
supports /tmp/.+ but received provided %s`).
"""

from __future__ import annotations

import pytest

from k8scourse.sim.controllers.persistentvolume import EXTERNAL_MESSAGE, NO_CLASS_MESSAGE, find_best_match


def _pv(name, size="1Gi", modes=("ReadWriteOnce",), klass="manual", labels=None, path=None, policy=None, extra=""):
    lines = [f"apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: {name}\n  labels: {labels or {}}",
             f"spec:\n  storageClassName: '{klass}'\n  capacity: {{storage: {size}}}\n  accessModes: {list(modes)}",
             f"  hostPath: {{path: {path or '/mnt/' + name}}}"]
    if policy:
        lines.append(f"  persistentVolumeReclaimPolicy: {policy}")
    return "\n".join(lines) + extra + "\n"


def _pvc(name="claim", size="1Gi", modes=("ReadWriteOnce",), klass="manual", extra=""):
    return (f"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: {name}}}\nspec:\n"
            f"  storageClassName: '{klass}'\n  accessModes: {list(modes)}\n  resources: {{requests: {{storage: {size}}}}}"
            + extra + "\n")


def _binding(obj):
    """The annotations the binder writes (apply's last-applied one left out)."""
    return {k: v for k, v in obj["metadata"]["annotations"].items() if k.startswith("pv.kubernetes.io/")}


@pytest.fixture
def pv(storage):
    def volume_of(claim="claim"):
        return storage.cluster.get("pvc", claim)["spec"].get("volumeName")

    storage.volume_of = volume_of
    return storage


def test_smallest_fitting_volume_of_the_class_wins(pv):
    for name, size in (("big", "10Gi"), ("small", "2Gi"), ("tiny", "500Mi")):
        pv.apply(_pv(name, size))
    pv.apply(_pv("other-class", "2Gi", klass="fast"))
    pv.apply(_pvc(size="1Gi"))
    assert pv.volume_of() == "small"
    claim, volume = pv.cluster.get("pvc", "claim"), pv.cluster.get("pv", "small")
    assert claim["status"] == {"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "2Gi"}}
    assert _binding(claim) == {"pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes"}
    assert _binding(volume) == {"pv.kubernetes.io/bound-by-controller": "yes"}
    assert volume["spec"]["claimRef"]["uid"] == claim["metadata"]["uid"] and volume["status"]["phase"] == "Bound"


def test_access_modes_must_be_offered(pv):
    pv.apply(_pv("rwo", "1Gi"))
    pv.apply(_pv("rwx", "5Gi", modes=("ReadWriteMany", "ReadWriteOnce")))
    pv.apply(_pvc(modes=("ReadWriteMany",)))
    assert pv.volume_of() == "rwx"


def test_selector_and_volume_name(pv):
    pv.apply(_pv("a", labels={"tier": "gold"}))
    pv.apply(_pv("b"))
    pv.apply(_pvc("gold", extra="\n  selector: {matchLabels: {tier: gold}}"))
    pv.apply(_pvc("named", extra="\n  volumeName: b"))
    assert pv.volume_of("gold") == "a" and pv.volume_of("named") == "b"
    named = _binding(pv.cluster.get("pvc", "named"))
    assert named == {"pv.kubernetes.io/bind-completed": "yes"}  # pre-bound: not bound-by-controller


def test_claims_without_a_match_wait_with_the_real_events(pv):
    pv.apply(_pvc("noclass", klass=""))
    pv.apply(_pvc("unknown", klass="manual"))
    pv.apply(_pvc("dynamic", klass="standard").replace("'standard'", "standard"))
    assert ("Normal", "FailedBinding", NO_CLASS_MESSAGE, "persistentvolume-controller") in pv.events(
        "PersistentVolumeClaim", "noclass")
    assert ("Warning", "ProvisioningFailed", 'storageclass.storage.k8s.io "manual" not found',
            "persistentvolume-controller") in pv.events("PersistentVolumeClaim", "unknown")
    assert ("Normal", "ExternalProvisioning", EXTERNAL_MESSAGE.format("k8s.io/minikube-hostpath"),
            "persistentvolume-controller") in pv.events("PersistentVolumeClaim", "dynamic")
    assert pv.cluster.get("pvc", "unknown")["status"]["phase"] == "Pending"


def test_a_volume_created_later_binds_at_the_next_resync(pv):
    pv.apply(_pvc())
    pv.apply(_pv("late"))
    assert pv.volume_of() == "late"


def test_retain_keeps_a_released_volume_and_its_claim_ref(pv):
    pv.apply(_pv("keep", policy="Retain"))
    pv.apply(_pvc())
    pv.delete("pvc", "claim")
    volume = pv.cluster.get("pv", "keep")
    assert volume["status"]["phase"] == "Released" and volume["spec"]["claimRef"]["name"] == "claim"
    pv.apply(_pvc())  # a new claim (a new uid) does not get the released volume
    assert pv.cluster.get("pvc", "claim")["status"]["phase"] == "Pending"


def test_delete_policy_on_a_static_hostpath_volume(pv):
    pv.apply(_pv("outside", path="/mnt/data", policy="Delete"))
    pv.apply(_pv("intmp", path="/tmp/data", policy="Delete", klass="t"))
    pv.apply(_pvc("a"))
    pv.apply(_pvc("b", klass="t"))
    pv.delete("pvc", "a")
    pv.delete("pvc", "b")
    failed = pv.cluster.get("pv", "outside")
    message = "host_path deleter only supports /tmp/.+ but received provided /mnt/data"
    assert failed["status"]["phase"] == "Failed" and failed["status"]["message"] == message
    assert ("Warning", "VolumeFailedDelete", message, "persistentvolume-controller") in pv.events(
        "PersistentVolume", "outside", None)
    assert not pv.cluster.exists("pv", "intmp")


def test_find_best_match_prefers_the_volume_already_bound_to_the_claim():
    claim = {"metadata": {"name": "c", "namespace": "default", "uid": "u1"},
             "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}
    small = {"metadata": {"name": "small"}, "status": {"phase": "Available"},
             "spec": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "1Gi"}}}
    mine = {"metadata": {"name": "mine"}, "status": {"phase": "Bound"},
            "spec": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "9Gi"},
                     "claimRef": {"name": "c", "namespace": "default", "uid": "u1"}}}
    assert find_best_match(claim, [small, mine])["metadata"]["name"] == "mine"
