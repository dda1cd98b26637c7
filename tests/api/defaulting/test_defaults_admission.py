"""Mutating admission of Pods: ServiceAccount, Priority and DefaultTolerationSeconds.

Sources: plugin/pkg/admission/serviceaccount/admission.go, plugin/pkg/admission/priority/admission.go,
plugin/pkg/admission/defaulttolerationseconds/admission.go.
"""

from __future__ import annotations

import pytest

from k8scourse.api.defaults import admit_pod, apply_defaults
from k8scourse.api.errors import ApiError

SA = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": "default"}}


def admitted(spec: dict, service_account: dict | None = SA, **kwargs) -> dict:
    pod = apply_defaults({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
                          "spec": spec})
    return admit_pod(pod, random_suffix=lambda: "abcde", service_account=service_account, **kwargs)


def test_every_container_mounts_the_token_once():
    spec = admitted({"initContainers": [{"name": "init", "image": "busybox"}],
                     "containers": [{"name": "a", "image": "nginx"}, {"name": "b", "image": "nginx",
                                     "volumeMounts": [{"name": "own", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}]}],
                     "volumes": [{"name": "own", "emptyDir": {}}]})["spec"]
    mount = {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-abcde", "readOnly": True}
    assert spec["initContainers"][0]["volumeMounts"] == [mount]
    assert spec["containers"][0]["volumeMounts"] == [mount]
    assert len(spec["containers"][1]["volumeMounts"]) == 1  # its own mount at the path wins
    assert [v["name"] for v in spec["volumes"]] == ["own", "kube-api-access-abcde"]


def test_automount_false_on_pod_or_service_account():
    assert "volumes" not in admitted({"automountServiceAccountToken": False, "containers": [{"name": "a", "image": "x"}]})["spec"]
    no_mount_sa = {**SA, "automountServiceAccountToken": False}
    assert "volumes" not in admitted({"containers": [{"name": "a", "image": "x"}]}, no_mount_sa)["spec"]
    # The pod's preference wins over the service account's.
    spec = admitted({"automountServiceAccountToken": True, "containers": [{"name": "a", "image": "x"}]}, no_mount_sa)["spec"]
    assert spec["volumes"][0]["name"] == "kube-api-access-abcde"


def test_image_pull_secrets_come_from_the_service_account():
    sa = {**SA, "imagePullSecrets": [{"name": "regcred"}]}
    assert admitted({"containers": []}, sa)["spec"]["imagePullSecrets"] == [{"name": "regcred"}]
    own = admitted({"containers": [], "imagePullSecrets": [{"name": "mine"}]}, sa)["spec"]
    assert own["imagePullSecrets"] == [{"name": "mine"}]


def test_missing_service_account_is_forbidden():
    with pytest.raises(ApiError) as err:
        admitted({"serviceAccountName": "builder", "containers": []}, None)
    assert err.value.code == 403
    assert err.value.message == ('pods "p" is forbidden: error looking up service account default/builder: '
                                 'serviceaccount "builder" not found')


def test_existing_tolerations_of_the_taints_are_respected():
    spec = admitted({"containers": [], "tolerations": [
        {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60}]})["spec"]
    assert spec["tolerations"] == [
        {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60},
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]
    tolerate_all = admitted({"containers": [], "tolerations": [{"operator": "Exists"}]})["spec"]
    assert tolerate_all["tolerations"] == [{"operator": "Exists"}]


def test_priority_classes():
    system = admitted({"containers": [], "priorityClassName": "system-cluster-critical"})["spec"]
    assert (system["priority"], system["preemptionPolicy"]) == (2000000000, "PreemptLowerPriority")
    classes = {"batch-low": {"metadata": {"name": "batch-low"}, "value": -10, "globalDefault": True,
                             "preemptionPolicy": "Never"}}
    defaulted = admitted({"containers": []}, priority_classes=classes)["spec"]
    assert (defaulted["priorityClassName"], defaulted["priority"], defaulted["preemptionPolicy"]) == \
        ("batch-low", -10, "Never")


def test_priority_errors_are_forbidden():
    with pytest.raises(ApiError) as err:
        admitted({"containers": [], "priorityClassName": "gold"})
    assert err.value.message == 'pods "p" is forbidden: no PriorityClass with name gold was found'
    with pytest.raises(ApiError) as err:
        admitted({"containers": [], "priority": 5})
    assert err.value.message == ('pods "p" is forbidden: the integer value of priority (5) must not be provided in '
                                 'pod spec; priority admission controller computed 0 from the given PriorityClass name')
