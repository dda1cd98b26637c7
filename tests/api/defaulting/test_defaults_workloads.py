"""Workload defaults: Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob,
HPA, compared with what a v1.33 cluster stores.

Sources: pkg/apis/apps/v1/defaults.go, pkg/apis/batch/v1/defaults.go, pkg/apis/core/v1/defaults.go
(SetDefaults_ReplicationController), pkg/apis/autoscaling/v2/defaults.go, pkg/registry/batch/job/strategy.go
(generateSelector) and the PrepareForCreate/PrepareForUpdate of pkg/registry/apps/*/strategy.go.
"""

from __future__ import annotations

from k8scourse.api.defaults import (
    apply_defaults,
    job_selector_defaults,
    prepare_for_create,
    prepare_for_update,
)

POD_SPEC_DEFAULTS = {"dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler",
                     "securityContext": {}, "terminationGracePeriodSeconds": 30}
NGINX = {"image": "nginx", "imagePullPolicy": "Always", "name": "nginx", "resources": {},
         "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}


def created(obj: dict) -> dict:
    return prepare_for_create(apply_defaults(obj))


def test_kubectl_create_deployment_matches_a_real_cluster():
    # The body of `kubectl create deployment nginx-depl --image=nginx`.
    sent = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"labels": {"app": "nginx-depl"}, "name": "nginx-depl", "namespace": "default"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "nginx-depl"}}, "strategy": {},
                 "template": {"metadata": {"labels": {"app": "nginx-depl"}},
                              "spec": {"containers": [{"image": "nginx", "name": "nginx", "resources": {}}]}}},
        "status": {},
    }
    assert created(sent) == {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"generation": 1, "labels": {"app": "nginx-depl"}, "name": "nginx-depl", "namespace": "default"},
        "spec": {
            "progressDeadlineSeconds": 600, "replicas": 1, "revisionHistoryLimit": 10,
            "selector": {"matchLabels": {"app": "nginx-depl"}},
            "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}, "type": "RollingUpdate"},
            "template": {"metadata": {"creationTimestamp": None, "labels": {"app": "nginx-depl"}},
                         "spec": {"containers": [NGINX], **POD_SPEC_DEFAULTS}},
        },
        "status": {},
    }


def test_recreate_strategy_gets_no_rolling_update():
    deploy = apply_defaults({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"strategy": {"type": "Recreate"}}})
    assert deploy["spec"]["strategy"] == {"type": "Recreate"}


def test_replica_set_and_its_zero_status():
    rs = created({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web"},
                  "spec": {"selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}},
                                        "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}})
    assert rs["spec"]["replicas"] == 1
    assert rs["status"] == {"replicas": 0}  # ReplicaSetStatus.Replicas has no omitempty
    assert rs["metadata"]["generation"] == 1


def test_replication_controller_selector_and_labels_from_template():
    rc = apply_defaults({"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "web"},
                         "spec": {"template": {"metadata": {"labels": {"app": "web"}},
                                               "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}})
    assert rc["spec"]["selector"] == {"app": "web"}
    assert rc["metadata"]["labels"] == {"app": "web"}
    assert rc["spec"]["replicas"] == 1


def test_stateful_set():
    sts = created({
        "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"},
        "spec": {"serviceName": "web", "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}},
                 "volumeClaimTemplates": [{"metadata": {"name": "www"}, "spec": {
                     "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]}})
    spec = sts["spec"]
    assert spec["podManagementPolicy"] == "OrderedReady"
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    assert spec["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    assert (spec["replicas"], spec["revisionHistoryLimit"]) == (1, 10)
    assert spec["volumeClaimTemplates"] == [{
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"creationTimestamp": None, "name": "www"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                 "volumeMode": "Filesystem"},
        "status": {"phase": "Pending"}}]
    assert sts["status"] == {"replicas": 0, "availableReplicas": 0}


def test_stateful_set_on_delete_strategy_has_no_partition():
    sts = apply_defaults({"apiVersion": "apps/v1", "kind": "StatefulSet", "spec": {"updateStrategy": {"type": "OnDelete"}}})
    assert sts["spec"]["updateStrategy"] == {"type": "OnDelete"}


def test_daemon_set():
    ds = created({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
                  "spec": {"template": {"spec": {"containers": [{"name": "a", "image": "fluentd:v1"}]}}}})
    assert ds["spec"]["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}
    assert ds["spec"]["revisionHistoryLimit"] == 10
    assert ds["status"] == {"currentNumberScheduled": 0, "desiredNumberScheduled": 0,
                            "numberMisscheduled": 0, "numberReady": 0}


def test_job_defaults_and_generated_selector():
    job = apply_defaults({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi", "namespace": "default"},
                          "spec": {"template": {"spec": {"containers": [{"name": "pi", "image": "perl:5.34.0"}],
                                                         "restartPolicy": "Never"}}}})
    job = prepare_for_create(job_selector_defaults(job, "8e2c3f0a-uid"))
    uid_labels = {"batch.kubernetes.io/controller-uid": "8e2c3f0a-uid", "batch.kubernetes.io/job-name": "pi",
                  "controller-uid": "8e2c3f0a-uid", "job-name": "pi"}
    assert job["metadata"] == {"name": "pi", "namespace": "default", "generation": 1, "labels": uid_labels}
    spec = job["spec"]
    assert {k: v for k, v in spec.items() if k != "template"} == {
        "backoffLimit": 6, "completionMode": "NonIndexed", "completions": 1, "manualSelector": False,
        "parallelism": 1, "podReplacementPolicy": "TerminatingOrFailed", "suspend": False,
        "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "8e2c3f0a-uid"}}}
    assert spec["template"]["metadata"] == {"creationTimestamp": None, "labels": uid_labels}
    assert job["status"] == {}


def test_job_with_own_labels_keeps_them():
    job = apply_defaults({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j", "labels": {"team": "a"}},
                          "spec": {"parallelism": 3, "template": {"metadata": {"labels": {"app": "j"}}, "spec": {}}}})
    assert "completions" not in job["spec"]
    job = job_selector_defaults(job, "u1")
    assert job["metadata"]["labels"] == {"team": "a"}
    assert job["spec"]["template"]["metadata"]["labels"]["app"] == "j"


def test_manual_selector_is_left_alone():
    job = apply_defaults({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                          "spec": {"manualSelector": True, "selector": {"matchLabels": {"a": "b"}},
                                   "template": {"metadata": {"labels": {"a": "b"}}, "spec": {}}}})
    assert job_selector_defaults(job, "u1")["spec"]["selector"] == {"matchLabels": {"a": "b"}}


def test_job_with_pod_failure_policy():
    spec = apply_defaults({"apiVersion": "batch/v1", "kind": "Job", "spec": {
        "backoffLimitPerIndex": 1, "completionMode": "Indexed", "completions": 3,
        "podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]},
        "template": {"spec": {}}}})["spec"]
    assert spec["backoffLimit"] == 2147483647
    assert spec["podReplacementPolicy"] == "Failed"
    assert spec["podFailurePolicy"]["rules"][0]["onPodConditions"] == [{"type": "DisruptionTarget", "status": "True"}]


def test_cron_job():
    cron = created({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "hello"},
                    "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {
                        "containers": [{"name": "hello", "image": "busybox:1.28"}], "restartPolicy": "OnFailure"}}}}}})
    spec = cron["spec"]
    assert (spec["concurrencyPolicy"], spec["suspend"]) == ("Allow", False)
    assert (spec["successfulJobsHistoryLimit"], spec["failedJobsHistoryLimit"]) == (3, 1)
    job_template = spec["jobTemplate"]
    assert job_template["metadata"] == {"creationTimestamp": None}
    assert "backoffLimit" not in job_template["spec"]  # SetDefaults_Job applies to Jobs, not templates
    assert job_template["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    assert cron["status"] == {} and cron["metadata"]["generation"] == 1


def test_hpa_v2_default_metric_and_behavior():
    hpa = created({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"},
                   "spec": {"maxReplicas": 5, "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                                                 "name": "web"},
                            "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}}}})
    spec = hpa["spec"]
    assert spec["minReplicas"] == 1
    assert spec["metrics"] == [{"type": "Resource", "resource": {
        "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]
    assert spec["behavior"] == {
        "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max", "policies": [
            {"type": "Pods", "value": 4, "periodSeconds": 15}, {"type": "Percent", "value": 100, "periodSeconds": 15}]},
        "scaleDown": {"stabilizationWindowSeconds": 60, "selectPolicy": "Max", "policies": [
            {"type": "Percent", "value": 100, "periodSeconds": 15}]},
    }
    assert hpa["status"] == {"desiredReplicas": 0}
    assert "generation" not in hpa["metadata"]


def test_hpa_v2_without_behavior_gets_none():
    hpa = apply_defaults({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "spec": {"maxReplicas": 3}})
    assert "behavior" not in hpa["spec"]


def test_hpa_v1_only_defaults_min_replicas():
    hpa = apply_defaults({"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "spec": {"maxReplicas": 3}})
    assert hpa["spec"] == {"maxReplicas": 3, "minReplicas": 1}


def test_update_keeps_status_and_bumps_generation_on_spec_change():
    old = created({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                   "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "nginx:1.24"}]}}}})
    old["status"] = {"replicas": 1}
    same = prepare_for_update(apply_defaults({**old, "status": {}}), old)
    assert (same["metadata"]["generation"], same["status"]) == (1, {"replicas": 1})
    changed = apply_defaults(old)
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.25"
    assert prepare_for_update(changed, old)["metadata"]["generation"] == 2
    annotated = apply_defaults(old)
    annotated["metadata"]["annotations"] = {"kubernetes.io/change-cause": "x"}
    assert prepare_for_update(annotated, old)["metadata"]["generation"] == 2
