"""minikube's hostpath provisioner: volume names, paths, annotations and events of dynamic provisioning.

After kubernetes/minikube pkg/storage/storage_provisioner.go (pvDir /tmp/hostpath-provisioner,
`hostPathProvisionerIdentity`, reclaim policy from the class) and sig-storage-lib-external-provisioner
v6 controller.go / volume_store.go (`pvc-<claim uid>`, `pv.kubernetes.io/provisioned-by`, `Provisioning`
"External provisioner is provisioning volume for claim %q", `ProvisioningSucceeded` "Successfully
provisioned volume %s", events from `<provisioner>_<host>_<uuid>`).
"""

from __future__ import annotations

from k8scourse.api.registry import REGISTRY
from k8scourse.sim.storage import storage_for

PODS = REGISTRY.resolve("pods")


def test_a_claim_of_the_default_class_gets_a_hostpath_volume(storage):
    storage.apply(storage.CLAIM)
    claim = storage.cluster.get("pvc", "data")
    uid = claim["metadata"]["uid"]
    volume = storage.cluster.get("pv", f"pvc-{uid}")
    assert claim["spec"]["volumeName"] == f"pvc-{uid}" and claim["status"]["phase"] == "Bound"
    assert volume["spec"]["hostPath"] == {"path": "/tmp/hostpath-provisioner/default/data", "type": ""}
    assert volume["spec"]["persistentVolumeReclaimPolicy"] == "Delete"
    assert volume["spec"]["storageClassName"] == "standard" and volume["spec"]["capacity"] == {"storage": "1Gi"}
    annotations = volume["metadata"]["annotations"]
    assert annotations["pv.kubernetes.io/provisioned-by"] == "k8s.io/minikube-hostpath"
    events = storage.events("PersistentVolumeClaim", "data")
    source = next(e[3] for e in events if e[1] == "Provisioning")
    assert source == f"k8s.io/minikube-hostpath_minikube_{annotations['hostPathProvisionerIdentity']}"
    assert [e[1:3] for e in events if e[3] == source] == [
        ("Provisioning", 'External provisioner is provisioning volume for claim "default/data"'),
        ("ProvisioningSucceeded", f"Successfully provisioned volume pvc-{uid}")]
    node = storage_for(storage.api).node("minikube")
    assert node.is_dir("tmp/hostpath-provisioner/default/data")
    assert oct(node.lookup("tmp/hostpath-provisioner/default/data").mode) == "0o777"


def test_deleting_the_claim_deletes_the_volume_and_its_directory(storage):
    storage.apply(storage.CLAIM)
    storage.apply(storage.pod("w", "persistentVolumeClaim: {claimName: data}"))
    storage.sh("w", "echo x > /data/f")
    name = storage.cluster.get("pvc", "data")["spec"]["volumeName"]
    storage.delete("pod", "w")
    storage.delete("pvc", "data")
    assert not storage.cluster.exists("pv", name)
    assert not storage_for(storage.api).node("minikube").exists("tmp/hostpath-provisioner/default/data")


def test_nothing_is_provisioned_while_the_provisioner_pod_is_down(storage):
    storage.api.delete(PODS, "storage-provisioner", "kube-system", grace_period_seconds=0)
    storage.apply(storage.CLAIM)
    assert storage.cluster.get("pvc", "data")["status"]["phase"] == "Pending"
    assert not [e for e in storage.events("PersistentVolumeClaim", "data") if e[1] == "Provisioning"]
