"""PersistentVolume, PersistentVolumeClaim and StorageClass validation, worded as kube-apiserver words it.

Wording from pkg/apis/core/validation/validation.go (ValidatePersistentVolumeSpec,
ValidatePersistentVolumeUpdate, ValidatePersistentVolumeClaimSpec, ValidatePersistentVolumeClaimUpdate,
validateHostPathVolumeSource, ValidatePositiveQuantityValue) and pkg/apis/storage/validation/validation.go
(ValidateStorageClass, ValidateStorageClassUpdate).
"""

from __future__ import annotations

import copy

from k8scourse.api.validation import storage


def pv(**spec):
    base = {
        "capacity": {"storage": "10Gi"},
        "accessModes": ["ReadWriteOnce"],
        "persistentVolumeReclaimPolicy": "Retain",
        "hostPath": {"path": "/data", "type": ""},
    }
    base.update(spec)
    return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv1"}, "spec": base}


def pvc(storage_request="1Gi", status=None, **spec):
    base = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": storage_request}}}
    base.update(spec)
    obj = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"}, "spec": base}
    if status is not None:
        obj["status"] = status
    return obj


def texts(errors):
    return [str(e) for e in errors]


def test_valid_pv():
    assert storage.validate_persistent_volume(pv()) == []


def test_pv_capacity_and_access_modes_required():
    errs = texts(storage.validate_persistent_volume(pv(capacity=None, accessModes=None)))
    assert errs == [
        "spec.accessModes: Required value",
        "spec.capacity: Required value",
        'spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"',
    ]


def test_pv_capacity_must_be_positive():
    assert texts(storage.validate_persistent_volume(pv(capacity={"storage": "0"}))) == [
        'spec.capacity[storage]: Invalid value: "0": must be greater than zero'
    ]
    assert texts(storage.validate_persistent_volume(pv(capacity={"storage": "-1Gi"}))) == [
        "spec.capacity[storage]: Invalid value: -1073741824: must be a valid resource quantity",
        'spec.capacity[storage]: Invalid value: "-1Gi": must be greater than zero',
    ]


def test_pv_access_mode_and_reclaim_policy_values():
    errs = texts(storage.validate_persistent_volume(pv(accessModes=["ReadWriteAll"], persistentVolumeReclaimPolicy="Keep")))
    assert errs == [
        'spec.accessModes: Unsupported value: "ReadWriteAll": supported values: '
        '"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
        'spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"',
    ]


def test_read_write_once_pod_alone():
    errs = texts(storage.validate_persistent_volume(pv(accessModes=["ReadWriteOncePod", "ReadOnlyMany"])))
    assert errs == ["spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"]


def test_pv_exactly_one_source():
    assert texts(storage.validate_persistent_volume(pv(hostPath=None))) == ["spec: Required value: must specify a volume type"]
    errs = texts(storage.validate_persistent_volume(pv(nfs={"server": "nfs.local", "path": "/exports"})))
    assert errs == ["spec.nfs: Forbidden: may not specify more than 1 volume type"]


def test_host_path_rules():
    assert texts(storage.validate_persistent_volume(pv(hostPath={"path": ""}))) == ["spec.hostPath.path: Required value"]
    assert texts(storage.validate_persistent_volume(pv(hostPath={"path": "/data/../etc"}))) == [
        "spec.hostPath.path: Invalid value: \"/data/../etc\": must not contain '..'"
    ]
    assert texts(storage.validate_persistent_volume(pv(hostPath={"path": "/d", "type": "Folder"}))) == [
        'spec.hostPath.type: Unsupported value: "Folder": supported values: "", "BlockDevice", "CharDevice", '
        '"Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"'
    ]
    recycle_root = pv(hostPath={"path": "/"}, persistentVolumeReclaimPolicy="Recycle")
    assert texts(storage.validate_persistent_volume(recycle_root)) == [
        "spec.persistentVolumeReclaimPolicy: Forbidden: may not be 'recycle' for a hostPath mount of '/'"
    ]


def test_local_volume_needs_node_affinity():
    errs = texts(storage.validate_persistent_volume(pv(hostPath=None, local={"path": "/mnt/disk"})))
    assert errs == ["spec.nodeAffinity: Required value: Local volume requires node affinity"]


def test_pv_source_immutable():
    old = pv()
    new = pv(hostPath={"path": "/other", "type": ""})
    (err,) = texts(storage.validate_persistent_volume_update(new, old))
    assert err.startswith(
        "spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation\n"
    )
    assert storage.validate_persistent_volume_update(pv(capacity={"storage": "20Gi"}), old) == []


def test_valid_claim():
    assert storage.validate_persistent_volume_claim(pvc(storageClassName="standard")) == []


def test_claim_access_modes_and_storage_required():
    obj = pvc(accessModes=[], resources={})
    assert texts(storage.validate_persistent_volume_claim(obj)) == [
        "spec.accessModes: Required value: at least 1 access mode is required",
        "spec.resources[storage]: Required value",
    ]


def test_claim_storage_positive():
    assert texts(storage.validate_persistent_volume_claim(pvc("0"))) == [
        'spec.resources[storage]: Invalid value: "0": must be greater than zero'
    ]


def test_claim_spec_immutable_except_bound_requests():
    old = pvc("1Gi", status={"phase": "Bound", "capacity": {"storage": "1Gi"}}, volumeName="pv1")
    grown = copy.deepcopy(old)
    grown["spec"]["resources"]["requests"]["storage"] = "2Gi"
    assert storage.validate_persistent_volume_claim_update(grown, old) == []
    changed = copy.deepcopy(old)
    changed["spec"]["accessModes"] = ["ReadWriteMany"]
    (err,) = texts(storage.validate_persistent_volume_claim_update(changed, old))
    assert err.startswith(
        "spec: Forbidden: spec is immutable after creation except resources.requests and "
        "volumeAttributesClassName for bound claims\n"
    )


def test_pending_claim_may_not_resize():
    old = pvc("1Gi", status={"phase": "Pending"})
    new = copy.deepcopy(old)
    new["spec"]["resources"]["requests"]["storage"] = "2Gi"
    (err,) = texts(storage.validate_persistent_volume_claim_update(new, old))
    assert err.startswith("spec: Forbidden: spec is immutable after creation")


def test_bound_claim_may_not_shrink_below_capacity():
    old = pvc("2Gi", status={"phase": "Bound", "capacity": {"storage": "2Gi"}}, volumeName="pv1")
    new = copy.deepcopy(old)
    new["spec"]["resources"]["requests"]["storage"] = "1Gi"
    assert texts(storage.validate_persistent_volume_claim_update(new, old)) == [
        "spec.resources.requests.storage: Forbidden: field can not be less than status.capacity"
    ]


def test_binding_sets_volume_name_once():
    old = pvc("1Gi", status={"phase": "Pending"})
    bound = copy.deepcopy(old)
    bound["spec"]["volumeName"] = "pv1"
    assert storage.validate_persistent_volume_claim_update(bound, old) == []


def storage_class(**fields):
    base = {"provisioner": "k8s.io/minikube-hostpath", "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate"}
    base.update(fields)
    return {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "standard"}, **base}


def test_storage_class_rules():
    assert storage.validate_storage_class(storage_class()) == []
    errs = texts(storage.validate_storage_class(storage_class(provisioner="", reclaimPolicy="Recycle", volumeBindingMode="Later")))
    assert errs == [
        "provisioner: Required value",
        'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
        'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
    ]


def test_storage_class_update_rules():
    old = storage_class(parameters={"type": "ssd"})
    new = storage_class(parameters={"type": "hdd"}, reclaimPolicy="Retain", volumeBindingMode="WaitForFirstConsumer")
    assert texts(storage.validate_storage_class_update(new, old)) == [
        "parameters: Forbidden: updates to parameters are forbidden.",
        "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
        'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
    ]
