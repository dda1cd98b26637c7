"""Pod, PodSpec and pod-template validation, worded as kube-apiserver v1.33 words it.

Wording from k8s.io/kubernetes pkg/apis/core/validation/validation.go (ValidatePodCreate, ValidatePodUpdate,
ValidatePodSpec, ValidatePodTemplateSpec, validateContainers, validateInitContainers,
validateContainerCommon, validateContainerPorts, ValidateEnv, ValidateEnvFrom, ValidateVolumes,
validateVolumeSource, ValidateVolumeMounts, validateResourceRequirements, validateProbe, validateHandler,
validateSleepAction, ValidateTolerations, ValidateNodeSelectorRequirement, validatePodAffinityTerm,
validatePodDNSConfig) and k8s.io/apimachinery pkg/util/validation/validation.go for the name messages.
"""

from __future__ import annotations

import copy

import pytest

from k8scourse.api.validation import pods

LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)


def container(name="nginx", **fields):
    """A container as defaulting leaves it."""
    base = {"name": name, "image": "nginx:1.27", "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent"}
    base.update(fields)
    return base


def spec(**fields):
    """A pod spec as defaulting leaves it."""
    base = {"containers": [container()], "restartPolicy": "Always", "dnsPolicy": "ClusterFirst",
            "terminationGracePeriodSeconds": 30}
    base.update(fields)
    return base


def pod(**spec_fields):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "default"},
            "spec": spec(**spec_fields)}


def errors_of(**spec_fields):
    return [str(e) for e in pods.validate_pod_create(pod(**spec_fields))]


def probe(**fields):
    base = {"httpGet": {"path": "/", "port": 80, "scheme": "HTTP"}, "timeoutSeconds": 1, "periodSeconds": 10,
            "successThreshold": 1, "failureThreshold": 3}
    base.update(fields)
    return base


def test_valid_pod():
    assert errors_of() == []


def test_validators_registered_for_pod_and_pod_template():
    assert set(pods.VALIDATORS) == {"Pod", "PodTemplate"}


# --- containers ---


def test_at_least_one_container():
    assert errors_of(containers=[]) == ["spec.containers: Required value"]


def test_container_names():
    assert errors_of(containers=[container(name="Web")]) == [
        f'spec.containers[0].name: Invalid value: "Web": {LABEL_MSG}'
    ]
    assert errors_of(containers=[container(name="")]) == ["spec.containers[0].name: Required value"]


def test_duplicate_container_names_across_init_containers():
    assert errors_of(containers=[container(), container()]) == ['spec.containers[1].name: Duplicate value: "nginx"']
    assert errors_of(initContainers=[container()]) == ['spec.initContainers[0].name: Duplicate value: "nginx"']


def test_image_required():
    assert errors_of(containers=[container(image="")]) == ["spec.containers[0].image: Required value"]
    assert errors_of(containers=[container(image=" nginx")]) == [
        'spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace'
    ]


def test_enums():
    assert errors_of(containers=[container(imagePullPolicy="Sometimes")]) == [
        'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", '
        '"IfNotPresent", "Never"'
    ]
    assert errors_of(restartPolicy="Sometimes") == [
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'
    ]
    assert errors_of(dnsPolicy="Cluster") == [
        'spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", '
        '"ClusterFirst", "Default", "None"'
    ]
    assert errors_of(terminationGracePeriodSeconds=None) == ["spec.terminationGracePeriodSeconds: Required value"]


def test_regular_containers_may_not_set_restart_policy():
    assert errors_of(containers=[container(restartPolicy="Always")]) == [
        "spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"
    ]


def test_init_containers_without_restart_policy_may_not_probe():
    init = container(name="init", livenessProbe=probe())
    assert errors_of(initContainers=[init]) == [
        "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without "
        "restartPolicy=Always"
    ]
    assert errors_of(initContainers=[container(name="sidecar", restartPolicy="Always", livenessProbe=probe())]) == []


# --- ports ---


def test_container_ports():
    ports = [
        {"containerPort": 0, "protocol": "TCP"},
        {"containerPort": 70000, "protocol": "HTTP", "name": "Web"},
        {"containerPort": 80, "protocol": "TCP", "name": "http"},
        {"containerPort": 81, "protocol": "TCP", "name": "http"},
    ]
    assert errors_of(containers=[container(ports=ports)]) == [
        "spec.containers[0].ports[0].containerPort: Required value",
        'spec.containers[0].ports[1].name: Invalid value: "Web": must contain only alpha-numeric characters '
        "(a-z, 0-9), and hyphens (-)",
        "spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
        'spec.containers[0].ports[3].name: Duplicate value: "http"',
    ]


def test_host_port_conflicts():
    port = {"containerPort": 80, "hostPort": 8080, "protocol": "TCP"}
    assert errors_of(containers=[container(ports=[port]), container(name="b", ports=[port])]) == [
        'spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'
    ]


def test_host_network_needs_matching_host_port():
    port = {"containerPort": 80, "hostPort": 8080, "protocol": "TCP"}
    assert errors_of(hostNetwork=True, containers=[container(ports=[port])]) == [
        "spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` "
        "is true"
    ]


# --- env ---


def test_env_names_and_sources():
    env = [
        {"name": ""},
        {"name": "A=B", "value": "x"},
        {"name": "C", "valueFrom": {}},
        {"name": "D", "value": "x", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}},
        {"name": "E", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"},
                                    "configMapKeyRef": {"name": "c", "key": "k"}}},
        {"name": "F", "valueFrom": {"configMapKeyRef": {"name": "c", "key": "a/b"}}},
        {"name": "G", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.hostname"}}},
    ]
    assert errors_of(containers=[container(env=env)]) == [
        "spec.containers[0].env[0].name: Required value",
        'spec.containers[0].env[1].name: Invalid value: "A=B": a valid environment variable name must consist '
        "only of printable ASCII characters other than '='",
        'spec.containers[0].env[2].valueFrom: Invalid value: "": must specify one of: `fieldRef`, '
        "`resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        'spec.containers[0].env[3].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
        'spec.containers[0].env[4].valueFrom: Invalid value: "": may not have more than one field specified at a '
        "time",
        'spec.containers[0].env[5].valueFrom.configMapKeyRef.key: Invalid value: "a/b": a valid config key must '
        "consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', "
        "regex used for validation is '[-._a-zA-Z0-9]+')",
        'spec.containers[0].env[6].valueFrom.fieldRef.fieldPath: Invalid value: "spec.hostname": error converting '
        "fieldPath: field label not supported: spec.hostname",
    ]


def test_env_field_ref_outside_the_env_list():
    env = [{"name": "L", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.phase"}}}]
    assert errors_of(containers=[container(env=env)]) == [
        'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported '
        'values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", '
        '"spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"'
    ]


def test_env_from():
    env_from = [{"prefix": "A=", "configMapRef": {"name": "cfg"}}, {"prefix": "X_"}]
    # Go reports the missing source on the list's path.
    assert errors_of(containers=[container(envFrom=env_from)]) == [
        'spec.containers[0].envFrom[0].prefix: Invalid value: "A=": a valid environment variable name must '
        "consist only of printable ASCII characters other than '='",
        'spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
    ]


# --- volumes and mounts ---


def test_volume_names_and_sources():
    volumes = [
        {"name": "Data", "emptyDir": {}},
        {"name": "cfg", "configMap": {}},
        {"name": "two", "emptyDir": {}, "hostPath": {"path": "/x"}},
        {"name": "none"},
        {"name": "cfg2", "secret": {"secretName": "s", "items": [{"key": "k", "path": "/abs"}]}},
        {"name": "nfs", "nfs": {"server": "srv", "path": "exports"}},
        {"name": "host", "hostPath": {"path": "/var", "type": "Folder"}},
        {"name": "claim", "persistentVolumeClaim": {}},
        {"name": "ok", "emptyDir": {}},
        {"name": "ok", "emptyDir": {}},
    ]
    assert errors_of(volumes=volumes) == [
        f'spec.volumes[0].name: Invalid value: "Data": {LABEL_MSG}',
        "spec.volumes[1].configMap.name: Required value",
        "spec.volumes[2].hostPath: Forbidden: may not specify more than 1 volume type",
        "spec.volumes[3]: Required value: must specify a volume type",
        'spec.volumes[4].secret.items[0].path: Invalid value: "/abs": must be a relative path',
        'spec.volumes[5].nfs.path: Invalid value: "exports": must be an absolute path',
        'spec.volumes[6].hostPath.type: Unsupported value: "Folder": supported values: "", "BlockDevice", '
        '"CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
        "spec.volumes[7].persistentVolumeClaim.claimName: Required value",
        'spec.volumes[9].name: Duplicate value: "ok"',
    ]


def test_projected_volume():
    projected = {"sources": [{"configMap": {"name": "a", "items": [{"key": "k", "path": "p"}]},
                              "secret": {"name": "b"}},
                             {"secret": {"name": "c", "items": [{"key": "k", "path": "p"}]}}]}
    assert errors_of(volumes=[{"name": "all", "projected": projected}]) == [
        "spec.volumes[0].projected.sources[0]: Forbidden: may not specify more than 1 volume type per source",
        'spec.volumes[0].projected: Invalid value: "c": conflicting duplicate paths',
    ]


def test_volume_mounts():
    mounts = [{"name": "data", "mountPath": "/data"}, {"name": "cache", "mountPath": ""},
              {"name": "cache", "mountPath": "/data", "subPath": "../up"}]
    volumes = [{"name": "cache", "emptyDir": {}}]
    assert errors_of(volumes=volumes, containers=[container(volumeMounts=mounts)]) == [
        'spec.containers[0].volumeMounts[0].name: Not found: "data"',
        "spec.containers[0].volumeMounts[1].mountPath: Required value",
        'spec.containers[0].volumeMounts[2].mountPath: Invalid value: "/data": must be unique',
        'spec.containers[0].volumeMounts.subPath: Invalid value: "../up": must not contain \'..\'',
    ]


def test_mount_of_an_invalid_volume_is_not_found():
    volumes = [{"name": "cfg", "configMap": {}}]
    mounts = [{"name": "cfg", "mountPath": "/etc/cfg"}]
    assert errors_of(volumes=volumes, containers=[container(volumeMounts=mounts)]) == [
        "spec.volumes[0].configMap.name: Required value",
        'spec.containers[0].volumeMounts[0].name: Not found: "cfg"',
    ]


# --- resources ---


def test_requests_must_not_exceed_limits():
    resources = {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "1", "memory": "64Mi"}}
    assert errors_of(containers=[container(resources=resources)]) == [
        'spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m'
    ]


def test_resource_names_and_quantities():
    resources = {"limits": {"gpu": "1", "memory": "-1Gi"}, "requests": {"example.com/dongle": "2"}}
    assert errors_of(containers=[container(resources=resources)]) == [
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully '
        "qualified",
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
        'spec.containers[0].resources.limits[memory]: Invalid value: "-1Gi": must be greater than or equal to 0',
        "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources",
    ]


def test_extended_resources_must_be_whole_and_equal():
    resources = {"limits": {"example.com/dongle": "2"}, "requests": {"example.com/dongle": "1"}}
    assert errors_of(containers=[container(resources=resources)]) == [
        'spec.containers[0].resources.requests: Invalid value: "1": must be equal to example.com/dongle limit of 2'
    ]


# --- probes and hooks ---


def test_probe_handlers_and_thresholds():
    bad = {"periodSeconds": -1, "successThreshold": 2, "failureThreshold": 3, "timeoutSeconds": 1}
    two = probe(exec={"command": ["true"]})
    assert errors_of(containers=[container(livenessProbe=bad, readinessProbe=two, startupProbe=probe())]) == [
        "spec.containers[0].livenessProbe: Required value: must specify a handler type",
        "spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
        "spec.containers[0].readinessProbe.httpGet: Forbidden: may not specify more than 1 handler type",
    ]


def test_probe_ports():
    tcp = probe(httpGet=None, tcpSocket={"port": "80"})
    assert errors_of(containers=[container(livenessProbe=tcp)]) == [
        'spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: "80": must contain at least one letter (a-z)'
    ]


def test_missing_probe_port_is_port_zero():
    assert errors_of(containers=[container(readinessProbe=probe(httpGet=None, tcpSocket={}))]) == [
        "spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive"
    ]


def test_lifecycle_hooks():
    lifecycle = {"preStop": {"sleep": {"seconds": 60}}, "postStart": {"exec": {}}}
    assert errors_of(containers=[container(lifecycle=lifecycle)]) == [
        "spec.containers[0].lifecycle.postStart.exec.command: Required value",
        "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be non-negative and less than "
        "terminationGracePeriodSeconds (30)",
    ]


# --- scheduling ---


def test_node_selector_and_tolerations():
    tolerations = [
        {"operator": "Equal", "value": "x"},
        {"key": "k", "operator": "Exists", "value": "v"},
        {"key": "k", "operator": "Equal", "value": "v", "effect": "NoRun"},
        {"key": "k", "operator": "Exists", "effect": "NoSchedule", "tolerationSeconds": 10},
    ]
    assert errors_of(nodeSelector={"disk type": "ssd"}, tolerations=tolerations) == [
        'spec.nodeSelector: Invalid value: "disk type": name part must consist of alphanumeric characters, \'-\', '
        "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
        "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which '
        'means "match all values and all keys"',
        "spec.tolerations[1].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
        'spec.tolerations[2].effect: Unsupported value: "NoRun": supported values: "NoSchedule", '
        '"PreferNoSchedule", "NoExecute"',
        "spec.tolerations[3].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when "
        "`tolerationSeconds` is set",
    ]


def test_affinity():
    affinity = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": []},
            "preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 0, "preference": {"matchExpressions": [{"key": "zone", "operator": "In"}]}}],
        },
        "podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{"labelSelector": {}}]},
    }
    na = "spec.affinity.nodeAffinity"
    assert errors_of(affinity=affinity) == [
        f"{na}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at "
        "least one node selector term",
        f"{na}.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100",
        f"{na}.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].values: Required "
        "value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required "
        "value: can not be empty",
        'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid '
        'value: "": name part must be non-empty',
        'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid '
        "value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
        "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation "
        "is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]


def test_dns_config_and_names():
    assert errors_of(dnsPolicy="None") == [
        "spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"
    ]
    assert errors_of(activeDeadlineSeconds=0, hostname="My.Host") == [
        "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive",
        f'spec.hostname: Invalid value: "My.Host": {LABEL_MSG}',
    ]


# --- pod create and update ---


def test_pod_create_only_rules():
    assert errors_of(ephemeralContainers=[{"name": "debug", "image": "busybox"}]) == [
        "spec.ephemeralContainers: Forbidden: cannot be set on create"
    ]


def test_pod_deletion_cost_annotation():
    p = pod()
    p["metadata"]["annotations"] = {pods.POD_DELETION_COST: "+5"}
    assert [str(e) for e in pods.validate_pod_create(p)] == [
        'metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "+5": must be a 32bit '
        "integer"
    ]


def test_pod_update_may_change_the_image():
    old = pod()
    new = copy.deepcopy(old)
    new["spec"]["containers"][0]["image"] = "nginx:1.28"
    assert pods.validate_pod_update(new, old) == []


def test_pod_update_may_not_change_other_fields():
    old = pod()
    new = copy.deepcopy(old)
    new["spec"]["containers"][0]["ports"] = [{"containerPort": 80, "protocol": "TCP"}]
    (error,) = pods.validate_pod_update(new, old)
    assert str(error).startswith(
        "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
        "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
        "negative)\n  core.PodSpec{\n"
    )
    assert "+ \tContainers:" in str(error)


def test_pod_update_may_not_add_containers():
    old = pod()
    new = pod(containers=[container(), container(name="sidecar")])
    assert [str(e) for e in pods.validate_pod_update(new, old)] == [
        "spec.containers: Forbidden: pod updates may not add or remove containers"
    ]


@pytest.mark.parametrize(
    ("old_deadline", "new_deadline", "message"),
    [
        (None, 30, None),
        (30, 10, None),
        (10, 30, "spec.activeDeadlineSeconds: Invalid value: 30: must be less than or equal to previous value"),
        (10, None, "spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil "
                   "value"),
    ],
)
def test_pod_update_active_deadline(old_deadline, new_deadline, message):
    old, new = pod(), pod()
    for obj, value in ((old, old_deadline), (new, new_deadline)):
        if value is not None:
            obj["spec"]["activeDeadlineSeconds"] = value
    errors = [str(e) for e in pods.validate_pod_update(new, old)]
    assert errors == ([message] if message else [])


def test_pod_update_tolerations_only_added():
    toleration = {"key": "k", "operator": "Exists", "effect": "NoSchedule"}
    old = pod(tolerations=[toleration])
    added = pod(tolerations=[toleration, {"key": "j", "operator": "Exists"}])
    assert pods.validate_pod_update(added, old) == []
    assert [str(e) for e in pods.validate_pod_update(pod(), old)] == [
        "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"
    ]


# --- templates ---


def test_pod_template_spec_paths():
    template = {"metadata": {"labels": {"app": "-web"}}, "spec": spec(containers=[container(image="")])}
    assert [str(e) for e in pods.validate_pod_template_spec(template, "spec.template")] == [
        # Go reports template labels at `<template>.labels`, without `metadata`.
        'spec.template.labels: Invalid value: "-web": a valid label must be an empty string or consist of '
        "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
        "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
        "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        "spec.template.spec.containers[0].image: Required value",
    ]


def test_template_host_port_may_be_unset_with_host_network():
    template = {"metadata": {}, "spec": spec(hostNetwork=True, containers=[container(ports=[
        {"containerPort": 80, "protocol": "TCP"}])])}
    assert pods.validate_pod_template_spec(template, "spec.template") == []


def test_pod_template_kind():
    obj = {"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "t", "namespace": "default"},
           "template": {"metadata": {}, "spec": spec(containers=[])}}
    assert [str(e) for e in pods.VALIDATORS["PodTemplate"].create(obj)] == ["template.spec.containers: Required value"]
