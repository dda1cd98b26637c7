"""Pod and container defaults: whole objects as a v1.33 cluster returns them, and the single rules.

Sources: pkg/apis/core/v1/defaults.go (SetDefaults_Pod, SetDefaults_PodSpec, SetDefaults_Container,
SetDefaults_Probe, SetDefaults_Volume, ...), pkg/apis/core/v1/zz_generated.defaults.go (call order),
plugin/pkg/admission/{serviceaccount,priority,defaulttolerationseconds}/admission.go,
pkg/registry/core/pod/strategy.go (PrepareForCreate) and pkg/apis/core/helper/qos/qos.go.
"""

from __future__ import annotations

import copy

import pytest

from k8scourse.api.defaults import (
    admit_pod,
    apply_defaults,
    default_pull_policy,
    pod_qos_class,
    prepare_for_create,
)

DEFAULT_SA = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": "default"}}
TOKEN_MOUNT = {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-x7k2q",
               "readOnly": True}


def create_pod(pod: dict, **admission) -> dict:
    """The create path of the apiserver for a Pod: defaults, admission, strategy."""
    admission.setdefault("service_account", DEFAULT_SA)
    admitted = admit_pod(apply_defaults(pod), random_suffix=lambda: "x7k2q", **admission)
    return prepare_for_create(admitted)


def test_kubectl_run_pod_matches_a_real_cluster():
    # The body `kubectl run nginx --image=nginx` sends, and what `kubectl get pod nginx -o yaml` shows
    # before the scheduler binds it (server-set metadata left out).
    sent = {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"labels": {"run": "nginx"}, "name": "nginx", "namespace": "default"},
        "spec": {"containers": [{"image": "nginx", "name": "nginx", "resources": {}}],
                 "dnsPolicy": "ClusterFirst", "restartPolicy": "Always"},
        "status": {},
    }
    assert create_pod(sent) == {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"generation": 1, "labels": {"run": "nginx"}, "name": "nginx", "namespace": "default"},
        "spec": {
            "containers": [{
                "image": "nginx", "imagePullPolicy": "Always", "name": "nginx", "resources": {},
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                "volumeMounts": [TOKEN_MOUNT],
            }],
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": True,
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "serviceAccount": "default",
            "serviceAccountName": "default",
            "terminationGracePeriodSeconds": 30,
            "tolerations": [
                {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists",
                 "tolerationSeconds": 300},
                {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists",
                 "tolerationSeconds": 300},
            ],
            "volumes": [{
                "name": "kube-api-access-x7k2q",
                "projected": {"defaultMode": 420, "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                    {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                                "path": "namespace"}]}},
                ]},
            }],
        },
        "status": {"phase": "Pending", "qosClass": "BestEffort"},
    }


def test_input_is_not_modified_and_defaulting_is_idempotent():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "busybox:1.36"}]}}
    before = copy.deepcopy(pod)
    once = apply_defaults(pod)
    assert pod == before
    assert apply_defaults(once) == once


@pytest.mark.parametrize(("image", "policy"), [
    ("nginx", "Always"),
    ("nginx:latest", "Always"),
    ("nginx:1.25", "IfNotPresent"),
    ("registry.k8s.io/pause:3.9", "IfNotPresent"),
    ("localhost:5000/app", "Always"),
    ("localhost:5000/app:v2", "IfNotPresent"),
    ("nginx@sha256:" + "a" * 64, "IfNotPresent"),  # digest only: ParseImageName returns no tag
    ("nginx:latest@sha256:" + "a" * 64, "Always"),
    ("Nginx", "IfNotPresent"),  # does not parse: tag ""
])
def test_image_pull_policy_follows_the_tag(image, policy):
    assert default_pull_policy(image) == policy


def test_explicit_values_are_kept():
    pod = apply_defaults({"apiVersion": "v1", "kind": "Pod", "spec": {
        "restartPolicy": "Never", "dnsPolicy": "Default", "terminationGracePeriodSeconds": 0,
        "enableServiceLinks": False,
        "containers": [{"name": "c", "image": "nginx", "imagePullPolicy": "Never"}]}})
    spec = pod["spec"]
    assert (spec["restartPolicy"], spec["dnsPolicy"], spec["terminationGracePeriodSeconds"]) == ("Never", "Default", 0)
    assert spec["enableServiceLinks"] is False
    assert spec["containers"][0]["imagePullPolicy"] == "Never"


def test_container_ports_env_probes_and_hooks():
    container = apply_defaults({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{
        "name": "web", "image": "nginx:1.25",
        "ports": [{"containerPort": 80}, {"containerPort": 53, "protocol": "UDP"}],
        "env": [{"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}],
        "livenessProbe": {"httpGet": {"port": 80}},
        "readinessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 5},
        "startupProbe": {"grpc": {"port": 9000}},
        "lifecycle": {"preStop": {"httpGet": {"port": 80, "path": "/quit"}}},
    }]}})["spec"]["containers"][0]
    assert container["ports"] == [{"containerPort": 80, "protocol": "TCP"},
                                  {"containerPort": 53, "protocol": "UDP"}]
    assert container["env"][0]["valueFrom"]["fieldRef"] == {"apiVersion": "v1", "fieldPath": "spec.nodeName"}
    assert container["livenessProbe"] == {
        "httpGet": {"port": 80, "path": "/", "scheme": "HTTP"},
        "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}
    assert container["readinessProbe"]["periodSeconds"] == 5
    assert container["startupProbe"]["grpc"] == {"port": 9000, "service": ""}  # GRPCAction.Service +default=""
    assert container["lifecycle"]["preStop"]["httpGet"] == {"port": 80, "path": "/quit", "scheme": "HTTP"}


def test_volume_sources():
    volumes = apply_defaults({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [], "volumes": [
        {"name": "scratch"},
        {"name": "cfg", "configMap": {"name": "app"}},
        {"name": "creds", "secret": {"secretName": "db", "defaultMode": 256}},
        {"name": "host", "hostPath": {"path": "/data"}},
        {"name": "info", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
        {"name": "data", "persistentVolumeClaim": {"claimName": "data"}},
    ]}})["spec"]["volumes"]
    assert volumes == [
        {"name": "scratch", "emptyDir": {}},
        {"name": "cfg", "configMap": {"name": "app", "defaultMode": 420}},
        {"name": "creds", "secret": {"secretName": "db", "defaultMode": 256}},
        {"name": "host", "hostPath": {"path": "/data", "type": ""}},
        {"name": "info", "downwardAPI": {"defaultMode": 420, "items": [
            {"path": "labels", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels"}}]}},
        {"name": "data", "persistentVolumeClaim": {"claimName": "data"}},
    ]


def test_requests_default_to_limits_on_pods_only():
    container = {"name": "c", "image": "nginx", "resources": {"limits": {"cpu": "500m", "memory": "128Mi"},
                                                             "requests": {"cpu": "250m"}}}
    pod = apply_defaults({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [container]}})
    assert pod["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "250m", "memory": "128Mi"}
    template = apply_defaults({"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "t"},
                               "template": {"spec": {"containers": [container]}}})
    assert template["template"]["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "250m"}
    assert "enableServiceLinks" not in template["template"]["spec"]


def test_host_network_ports_default_host_port():
    pod = apply_defaults({"apiVersion": "v1", "kind": "Pod", "spec": {
        "hostNetwork": True, "containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 8080}]}]}})
    assert pod["spec"]["containers"][0]["ports"] == [{"containerPort": 8080, "hostPort": 8080, "protocol": "TCP"}]


def test_deprecated_service_account_field_is_an_alias():
    spec = apply_defaults({"apiVersion": "v1", "kind": "Pod", "spec": {
        "serviceAccount": "builder", "containers": []}})["spec"]
    assert (spec["serviceAccountName"], spec["serviceAccount"]) == ("builder", "builder")


def _pod_with(*resources: dict) -> dict:
    return {"spec": {"containers": [{"name": f"c{i}", "resources": r} for i, r in enumerate(resources)]}}


@pytest.mark.parametrize(("resources", "qos"), [
    ([{}], "BestEffort"),
    ([{"requests": {"cpu": "0"}}], "BestEffort"),  # zero amounts are ignored
    ([{"requests": {"cpu": "100m"}}], "Burstable"),
    ([{"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1000m", "memory": "1Gi"}}], "Guaranteed"),
    ([{"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "1Gi"}}], "Burstable"),
    ([{"limits": {"cpu": "1"}, "requests": {"cpu": "1"}}], "Burstable"),  # memory limit missing
    ([{"limits": {"cpu": "1", "memory": "1Gi"}}, {}], "Burstable"),
])
def test_qos_class(resources, qos):
    pod = _pod_with(*resources)
    assert pod_qos_class(apply_defaults({"apiVersion": "v1", "kind": "Pod", **pod})) == qos


def test_limits_only_pod_is_guaranteed_after_defaulting():
    pod = create_pod({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "g", "namespace": "default"},
                      "spec": {"containers": [{"name": "c", "image": "nginx",
                                               "resources": {"limits": {"cpu": "500m", "memory": "64Mi"}}}]}})
    assert pod["status"] == {"phase": "Pending", "qosClass": "Guaranteed"}


def test_scheduling_gates_add_the_gated_condition():
    pod = create_pod({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "g", "namespace": "default"},
                      "spec": {"schedulingGates": [{"name": "example.com/wait"}],
                               "containers": [{"name": "c", "image": "nginx"}]}})
    # pkg/registry/core/pod/strategy.go applySchedulingGatedCondition
    assert pod["status"]["conditions"] == [{
        "type": "PodScheduled", "status": "False", "reason": "SchedulingGated",
        "message": "Scheduling is blocked due to non-empty scheduling gates",
        "lastProbeTime": None, "lastTransitionTime": None}]
