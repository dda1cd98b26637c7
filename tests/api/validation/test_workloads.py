"""Workload validation (Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job,
CronJob) against the wording of kube-apiserver v1.33.

Wording sources, cited per test: pkg/apis/apps/validation/validation.go (apps),
pkg/apis/batch/validation/validation.go (batch), pkg/apis/core/validation/validation.go (RC),
pkg/registry/*/strategy.go (update rules), github.com/robfig/cron/v3 parser.go (schedules),
k8s.io/apimachinery/pkg/util/validation/field/errors.go (value rendering).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from k8scourse.api.errors import aggregate
from k8scourse.api.validation.workloads import VALIDATORS, parse_cron_schedule

UID = "3f1c2b9e-8d4a-4c3e-9b1f-2a7d6e5c4b3a"


def pod_template(labels: dict[str, str] | None, restart: str = "Always") -> dict[str, Any]:
    """A defaulted pod template, as the apiserver holds it after decoding and defaulting."""
    meta: dict[str, Any] = {} if labels is None else {"labels": dict(labels)}
    return {
        "metadata": meta,
        "spec": {
            "containers": [{
                "name": "nginx",
                "image": "nginx:1.27",
                "imagePullPolicy": "IfNotPresent",
                "resources": {},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
            }],
            "restartPolicy": restart,
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "securityContext": {},
            "schedulerName": "default-scheduler",
        },
    }


def deployment(**spec: Any) -> dict[str, Any]:
    base = {
        "replicas": 3,
        "selector": {"matchLabels": {"app": "nginx"}},
        "template": pod_template({"app": "nginx"}),
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
        "revisionHistoryLimit": 10,
        "progressDeadlineSeconds": 600,
    }
    base.update(spec)
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default"},
            "spec": base}


def replica_set(**spec: Any) -> dict[str, Any]:
    base = {"replicas": 2, "selector": {"matchLabels": {"app": "nginx"}}, "template": pod_template({"app": "nginx"})}
    base.update(spec)
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web"}, "spec": base}


def replication_controller(**spec: Any) -> dict[str, Any]:
    base = {"replicas": 1, "selector": {"app": "nginx"}, "template": pod_template({"app": "nginx"})}
    base.update(spec)
    return {"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "web"}, "spec": base}


def stateful_set(**spec: Any) -> dict[str, Any]:
    base = {
        "replicas": 3,
        "serviceName": "mongo",
        "selector": {"matchLabels": {"app": "mongo"}},
        "template": pod_template({"app": "mongo"}),
        "podManagementPolicy": "OrderedReady",
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
        "revisionHistoryLimit": 10,
        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
    }
    base.update(spec)
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "mongo"}, "spec": base}


def daemon_set(**spec: Any) -> dict[str, Any]:
    base = {
        "selector": {"matchLabels": {"app": "agent"}},
        "template": pod_template({"app": "agent"}),
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
        "revisionHistoryLimit": 10,
    }
    base.update(spec)
    return {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"}, "spec": base}


def generated_labels(name: str = "pi") -> dict[str, str]:
    return {"batch.kubernetes.io/controller-uid": UID, "batch.kubernetes.io/job-name": name,
            "controller-uid": UID, "job-name": name}


def job(**spec: Any) -> dict[str, Any]:
    """A Job after the apiserver generated its selector and pod labels (Job strategy generateSelector)."""
    base = {
        "parallelism": 1,
        "completions": 1,
        "backoffLimit": 6,
        "completionMode": "NonIndexed",
        "suspend": False,
        "podReplacementPolicy": "TerminatingOrFailed",
        "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": UID}},
        "manualSelector": None,
        "template": pod_template(generated_labels(), restart="Never"),
    }
    base.update(spec)
    base = {k: v for k, v in base.items() if v is not None}
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi", "uid": UID}, "spec": base}


def cron_job(**spec: Any) -> dict[str, Any]:
    base = {
        "schedule": "*/5 * * * *",
        "concurrencyPolicy": "Allow",
        "suspend": False,
        "successfulJobsHistoryLimit": 3,
        "failedJobsHistoryLimit": 1,
        "jobTemplate": {"metadata": {}, "spec": {
            "backoffLimit": 6, "completionMode": "NonIndexed", "podReplacementPolicy": "TerminatingOrFailed",
            "template": pod_template(None, restart="OnFailure")}},
    }
    base.update(spec)
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "hello"}, "spec": base}


def create(obj: dict[str, Any]) -> list[str]:
    return [str(e) for e in VALIDATORS[obj["kind"]].create(obj)]


def update(new: dict[str, Any], old: dict[str, Any]) -> list[str]:
    validator = VALIDATORS[new["kind"]]
    assert validator.update is not None
    return [str(e) for e in validator.update(new, old)]


@pytest.mark.parametrize("obj", [deployment(), replica_set(), replication_controller(), stateful_set(),
                                 daemon_set(), job(), cron_job()], ids=lambda o: o["kind"])
def test_valid_defaulted_workloads_pass(obj: dict[str, Any]) -> None:
    assert create(obj) == []
    assert update(copy.deepcopy(obj), obj) == []


# --- Deployment (pkg/apis/apps/validation/validation.go ValidateDeploymentSpec) ----------------------


def test_negative_replicas() -> None:
    # apivalidation.ValidateNonnegativeField: isNegativeErrorMsg
    assert create(deployment(replicas=-1)) == ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]


def test_missing_selector_also_reports_template_mismatch() -> None:
    # a nil selector converts to labels.Nothing(), which matches no template labels
    assert create(deployment(selector=None)) == [
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: '
        "`selector` does not match template `labels`",
    ]


def test_empty_selector() -> None:
    # field.Invalid(selector, spec.Selector, "empty selector is invalid for deployment"); %#v of the struct
    assert create(deployment(selector={})) == [
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"
    ]


def test_selector_not_matching_template_labels() -> None:
    obj = deployment(template=pod_template({"app": "web"}))
    assert create(obj) == ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: '
                           "`selector` does not match template `labels`"]


def test_template_without_labels_shows_nil_map() -> None:
    assert create(deployment(template=pod_template(None))) == [
        "spec.template.metadata.labels: Invalid value: map[string]string(nil): "
        "`selector` does not match template `labels`"]


def test_match_expressions_are_honoured() -> None:
    selector = {"matchExpressions": [{"key": "app", "operator": "In", "values": ["nginx", "web"]}]}
    assert create(deployment(selector=selector)) == []
    selector["matchExpressions"][0]["operator"] = "NotIn"
    assert create(deployment(selector=selector))[0].endswith("`selector` does not match template `labels`")


def test_invalid_selector_operator_skips_template_checks() -> None:
    # LabelSelectorAsSelector fails: "invalid label selector", and the template is not checked
    selector = {"matchExpressions": [{"key": "app", "operator": "Is", "values": ["x"]}]}
    assert create(deployment(selector=selector)) == [
        'spec.selector.matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator',
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        'MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", '
        'Operator:"Is", Values:[]string{"x"}}}}: invalid label selector',
    ]


@pytest.mark.parametrize("restart", ["OnFailure", "Never"])
def test_deployment_restart_policy_must_be_always(restart: str) -> None:
    # ValidatePodTemplateSpecForReplicaSet: field.NotSupported(..., []string{"Always"})
    obj = deployment(template=pod_template({"app": "nginx"}, restart=restart))
    assert create(obj) == [f'spec.template.spec.restartPolicy: Unsupported value: "{restart}": '
                           'supported values: "Always"']


def test_active_deadline_seconds_forbidden_in_replica_set_templates() -> None:
    template = pod_template({"app": "nginx"})
    template["spec"]["activeDeadlineSeconds"] = 30
    assert create(deployment(template=template)) == [
        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"]


def test_unsupported_strategy_type() -> None:
    # field.NotSupported(strategy path, the whole DeploymentStrategy struct, ...)
    assert create(deployment(strategy={"type": "BlueGreen"})) == [
        'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", '
        'RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"']


def test_recreate_with_rolling_update_forbidden() -> None:
    strategy = {"type": "Recreate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}
    assert create(deployment(strategy=strategy)) == [
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]


def test_max_surge_and_max_unavailable_both_zero() -> None:
    # the v1.33 field.Error prints an IntOrString with %#v
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}
    assert create(deployment(strategy=strategy)) == [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: '
        "may not be 0 when `maxSurge` is 0"]


def test_zero_percent_counts_as_zero() -> None:
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "0%", "maxUnavailable": 0}}
    assert create(deployment(strategy=strategy))[0].endswith("may not be 0 when `maxSurge` is 0")


def test_max_unavailable_over_100_percent() -> None:
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": "150%"}}
    assert create(deployment(strategy=strategy)) == [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, '
        'StrVal:"150%"}: must not be greater than 100%']


def test_malformed_percent_and_negative_surge() -> None:
    # IsValidPercent's RegexError (with its double space before "or"), ValidateNonnegativeField
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": -1, "maxUnavailable": "ten"}}
    assert create(deployment(strategy=strategy)) == [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, '
        "StrVal:\"ten\"}: a valid percent string must be a numeric string followed by an ending '%' "
        "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:-1, StrVal:\"\"}: "
        "must be greater than or equal to 0",
    ]


def test_progress_deadline_must_exceed_min_ready_seconds() -> None:
    assert create(deployment(minReadySeconds=600)) == [
        "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"]


def test_negative_min_ready_and_history_limit() -> None:
    assert create(deployment(minReadySeconds=-5, revisionHistoryLimit=-1)) == [
        "spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0",
        "spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0",
    ]


def test_deployment_selector_is_immutable() -> None:
    # pkg/registry/apps/deployment/strategy.go: ValidateImmutableField on spec.selector for apps/v1
    old = deployment()
    new = deployment(selector={"matchLabels": {"app": "web"}}, template=pod_template({"app": "web"}))
    assert update(new, old) == [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"]


def test_deployment_error_message_as_kubectl_prints_it() -> None:
    assert aggregate(create(deployment(replicas=-1))) == (
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0")


# --- ReplicaSet (ValidateReplicaSetSpec, pkg/registry/apps/replicaset/strategy.go) ----------------


def test_replica_set_empty_selector_says_deployment() -> None:
    # Go's ValidateReplicaSetSpec reuses the Deployment wording
    assert create(replica_set(selector={"matchLabels": {}}))[0].endswith(
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment")
    assert "map[string]string{}" in create(replica_set(selector={"matchLabels": {}}))[0]


def test_replica_set_update_validates_twice_and_freezes_selector() -> None:
    # the strategy runs ValidateReplicaSet and ValidateReplicaSetUpdate (which validates the spec again)
    old = replica_set()
    new = replica_set(replicas=-2)
    assert update(new, old) == ["spec.replicas: Invalid value: -2: must be greater than or equal to 0"] * 2
    assert aggregate(update(new, old)) == "spec.replicas: Invalid value: -2: must be greater than or equal to 0"


# --- ReplicationController (pkg/apis/core/validation/validation.go) -------------------------------


def test_rc_requires_a_selector_map() -> None:
    assert create(replication_controller(selector={})) == ["spec.selector: Required value"]


def test_rc_selector_must_match_template() -> None:
    assert create(replication_controller(selector={"app": "db"})) == [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: '
        "`selector` does not match template `labels`"]


def test_rc_missing_template_and_restart_policy() -> None:
    assert create(replication_controller(template=None)) == ["spec.template: Required value"]
    obj = replication_controller(template=pod_template({"app": "nginx"}, restart="Never"))
    assert create(obj) == ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']


# --- StatefulSet (ValidateStatefulSetSpec, ValidateStatefulSetUpdate) ------------------------------


def test_statefulset_pod_management_policy() -> None:
    assert create(stateful_set(podManagementPolicy="Random")) == [
        "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"]


def test_statefulset_update_strategy_rules() -> None:
    assert create(stateful_set(updateStrategy={"type": "Rolling"})) == [
        'spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:"Rolling", '
        "RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'"]
    on_delete = {"type": "OnDelete", "rollingUpdate": {"partition": 2}}
    assert create(stateful_set(updateStrategy=on_delete)) == [
        "spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:2, "
        "MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'"]
    negative = {"type": "RollingUpdate", "rollingUpdate": {"partition": -1}}
    assert create(stateful_set(updateStrategy=negative)) == [
        "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0"]


def test_statefulset_empty_selector_and_retention_policy() -> None:
    assert create(stateful_set(selector={}))[0].endswith("empty selector is invalid for statefulset")
    policy = {"whenDeleted": "Keep", "whenScaled": "Retain"}
    assert create(stateful_set(persistentVolumeClaimRetentionPolicy=policy)) == [
        'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": '
        'supported values: "Retain", "Delete"']


def test_statefulset_restart_policy_and_ordinals() -> None:
    obj = stateful_set(template=pod_template({"app": "mongo"}, restart="OnFailure"), ordinals={"start": -1})
    assert create(obj) == [
        "spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0",
        'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
    ]


def test_statefulset_does_not_validate_the_pod_spec() -> None:
    # v1.33 only checks the template's labels and annotations (ValidatePodTemplateSpecForStatefulSet)
    template = pod_template({"app": "mongo"})
    del template["spec"]["containers"][0]["image"]
    assert create(stateful_set(template=template)) == []


def test_statefulset_template_labels_use_the_template_path() -> None:
    # unversionedvalidation.ValidateLabels(template.Labels, fldPath.Child("labels")): spec.template.labels
    obj = stateful_set(selector={"matchLabels": {"app": "mongo"}}, template=pod_template({"app": "mongo", "x": "a b"}))
    errors = create(obj)
    assert len(errors) == 1 and errors[0].startswith('spec.template.labels: Invalid value: "a b": ')


def test_statefulset_update_forbids_other_fields() -> None:
    old = stateful_set()
    assert update(stateful_set(replicas=5, minReadySeconds=3), old) == []
    forbidden = ("spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                 "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' "
                 "are forbidden")
    assert update(stateful_set(serviceName="other"), old) == [forbidden]
    assert update(stateful_set(revisionHistoryLimit=5), old) == [forbidden]


# --- DaemonSet (ValidateDaemonSetSpec, pkg/registry/apps/daemonset/strategy.go) -------------------


def test_daemonset_nil_selector_is_only_a_template_mismatch() -> None:
    assert create(daemon_set(selector=None)) == [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"agent"}: '
        "`selector` does not match template `labels`"]


def test_daemonset_empty_selector() -> None:
    assert create(daemon_set(selector={}))[0].endswith("empty selector is invalid for daemonset")


def test_daemonset_update_strategy() -> None:
    assert create(daemon_set(updateStrategy={"type": "Always"})) == [
        'spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Always", '
        'RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"']
    assert create(daemon_set(updateStrategy={"type": "RollingUpdate"})) == [
        "spec.updateStrategy.rollingUpdate: Required value"]
    both_zero = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0}}
    assert create(daemon_set(updateStrategy=both_zero)) == [
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"]
    both_set = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": "10%"}}
    assert create(daemon_set(updateStrategy=both_set)) == [
        'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, '
        'StrVal:"10%"}: may not be set when maxUnavailable is non-zero']


def test_daemonset_restart_policy_and_deadline() -> None:
    template = pod_template({"app": "agent"}, restart="Never")
    template["spec"]["activeDeadlineSeconds"] = 10
    assert create(daemon_set(template=template)) == [
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported",
    ]


def test_daemonset_selector_immutable() -> None:
    new = daemon_set(selector={"matchLabels": {"app": "agent", "tier": "node"}},
                     template=pod_template({"app": "agent", "tier": "node"}))
    assert update(new, daemon_set())[-1].endswith("field is immutable")


# --- Job (pkg/apis/batch/validation/validation.go, pkg/registry/batch/job/strategy.go) ------------


def test_job_counts_nonnegative() -> None:
    assert create(job(parallelism=-1, completions=-2, backoffLimit=-3)) == [
        "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
        "spec.completions: Invalid value: -2: must be greater than or equal to 0",
        "spec.backoffLimit: Invalid value: -3: must be greater than or equal to 0",
    ]


def test_job_restart_policy_always_is_required_to_change() -> None:
    # a Job whose template left restartPolicy to defaulting gets Always, which Jobs refuse
    template = pod_template(generated_labels(), restart="Always")
    assert create(job(template=template)) == [
        'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']


def test_job_completion_mode() -> None:
    assert create(job(completionMode="Sequential")) == [
        'spec.completionMode: Unsupported value: "Sequential": supported values: "NonIndexed", "Indexed"']
    assert create(job(completionMode="Indexed", completions=None)) == [
        "spec.completions: Required value: when completion mode is Indexed"]
    assert create(job(backoffLimitPerIndex=1)) == [
        "spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"]


def test_indexed_job_pod_hostname_must_be_a_dns_label() -> None:
    obj = job(completionMode="Indexed", completions=3)
    obj["metadata"]["name"] = "a" * 62
    assert create(obj)[-1] == (f'metadata.name: Invalid value: "{"a" * 62}": will not able to create pod with '
                               f"invalid DNS label: {'a' * 62}-2")


def test_job_pod_replacement_policy() -> None:
    assert create(job(podReplacementPolicy="Always")) == [
        'spec.podReplacementPolicy: Unsupported value: "Always": supported values: "Failed", "TerminatingOrFailed"']


def test_job_generated_labels_must_be_kept() -> None:
    # validateGeneratedSelector: ValidateHasLabel's "must be '<value>'" detail
    labels = generated_labels()
    labels["job-name"] = "other"
    del labels["batch.kubernetes.io/job-name"]
    errors = create(job(template=pod_template(labels, restart="Never")))
    assert errors == [
        "spec.template.metadata.labels[job-name]: Invalid value: map[string]string{"
        f'"batch.kubernetes.io/controller-uid":"{UID}", "controller-uid":"{UID}", "job-name":"other"}}: '
        "must be 'pi'",
        "spec.template.metadata.labels[batch.kubernetes.io/job-name]: Required value: must be 'pi'",
    ]


def test_job_selector_not_auto_generated() -> None:
    selector = {"matchLabels": {"batch.kubernetes.io/controller-uid": "other"}}
    errors = create(job(selector=selector))
    assert errors[0] == (
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{'
        '"batch.kubernetes.io/controller-uid":"other"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: '
        "`selector` not auto-generated")
    assert errors[1].endswith("`selector` does not match template `labels`")


def test_manual_selector_job_is_checked_only_against_its_template() -> None:
    obj = job(manualSelector=True, selector={"matchLabels": {"app": "pi"}},
              template=pod_template({"app": "pi"}, restart="OnFailure"))
    assert create(obj) == []
    obj = job(manualSelector=True, selector=None, template=pod_template({"app": "pi"}, restart="OnFailure"))
    assert create(obj) == ["spec.selector: Required value",
                           'spec.template.metadata.labels: Invalid value: map[string]string{"app":"pi"}: '
                           "`selector` does not match template `labels`"]


def test_job_template_is_immutable() -> None:
    old = job()
    new = copy.deepcopy(old)
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "perl:5.40"
    errors = update(new, old)
    assert len(errors) == 1
    assert errors[0].startswith("spec.template: Invalid value: core.PodTemplateSpec{")
    assert errors[0].endswith(": field is immutable")


def test_suspended_unstarted_job_may_change_scheduling_directives() -> None:
    old = job(suspend=True)
    new = copy.deepcopy(old)
    new["spec"]["template"]["spec"]["nodeSelector"] = {"disk": "ssd"}
    assert update(new, old) == []
    old["status"] = {"startTime": "2025-05-01T10:00:00Z"}
    assert update(new, old)[0].endswith("field is immutable")


def test_job_completions_immutable_when_not_indexed() -> None:
    assert update(job(completions=2), job()) == ["spec.completions: Invalid value: 2: field is immutable"]


# --- CronJob (validateCronJobSpec, robfig/cron/v3 parser.go) --------------------------------------


@pytest.mark.parametrize(("schedule", "message"), [
    ("x", "expected exactly 5 fields, found 1: [x]"),
    ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
    ("60 * * * *", "end of range (60) above maximum (59): 60"),
    ("0 0 0 * *", "beginning of range (0) below minimum (1): 0"),
    ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
    ("*/0 * * * *", "step of range should be a positive number: */0"),
    ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
    ("a * * * *", 'failed to parse int from a: strconv.Atoi: parsing "a": invalid syntax'),
    ("@fortnightly", "unrecognized descriptor: @fortnightly"),
    ("@every 5", 'failed to parse duration @every 5: time: missing unit in duration "5"'),
    # Go's ParseDuration takes every non-digit after the number as the unit, the space included
    ("@every 5 minutes", 'failed to parse duration @every 5 minutes: time: unknown unit " minutes" in duration "5 minutes"'),
])
def test_cron_parse_errors(schedule: str, message: str) -> None:
    errors = create(cron_job(schedule=schedule))
    assert errors == [f'spec.schedule: Invalid value: "{schedule}": {message}']


@pytest.mark.parametrize("schedule", ["0 0 * jan mon-fri", "@hourly", "@every 1h30m", "*/15 9-17 * * 1-5",
                                      "0 0 1,15 * *"])
def test_cron_parse_accepts(schedule: str) -> None:
    assert parse_cron_schedule(schedule, lambda _: None) is None


def test_cron_schedule_tz_prefix_refused() -> None:
    schedule = "TZ=Europe/Paris 0 9 * * *"
    assert create(cron_job(schedule=schedule)) == [
        f'spec.schedule: Invalid value: "{schedule}": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']


def test_cron_schedule_required_and_concurrency_policy() -> None:
    assert create(cron_job(schedule="", concurrencyPolicy="Sometimes")) == [
        "spec.schedule: Required value",
        'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    ]


def test_cron_time_zone() -> None:
    assert create(cron_job(timeZone="Europe/Paris")) == []
    assert create(cron_job(timeZone="Mars/Olympus")) == [
        'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']
    assert create(cron_job(timeZone="")) == ['spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string']
    assert create(cron_job(timeZone="Local"))[0] == (
        'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in '
        "https://www.iana.org/time-zones")


def test_cron_job_template_rules() -> None:
    spec = cron_job()["spec"]["jobTemplate"]
    spec["spec"]["selector"] = {"matchLabels": {"a": "b"}}
    spec["spec"]["manualSelector"] = True
    spec["spec"]["template"]["spec"]["restartPolicy"] = "Always"
    assert create(cron_job(jobTemplate=spec)) == [
        'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
        'spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated",
        'spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"',
    ]


def test_cron_job_name_length_on_create_only() -> None:
    obj = cron_job()
    obj["metadata"]["name"] = "n" * 53
    assert create(obj) == [f'metadata.name: Invalid value: "{"n" * 53}": must be no more than 52 characters']
    assert update(obj, copy.deepcopy(obj)) == []


def test_cron_history_limits() -> None:
    assert create(cron_job(successfulJobsHistoryLimit=-1, startingDeadlineSeconds=-10)) == [
        "spec.startingDeadlineSeconds: Invalid value: -10: must be greater than or equal to 0",
        "spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0",
    ]


# --- through the apiserver's order: defaulting, then validate_create ------------------------------


def _defaulted(manifest: dict[str, Any]) -> dict[str, Any]:
    from k8scourse.api.defaulting import apply_defaults
    from k8scourse.api.defaulting.batch import job_selector_defaults

    obj = apply_defaults(manifest)
    obj["metadata"].update(namespace="default", uid=UID)
    return job_selector_defaults(obj, UID) if obj["kind"] == "Job" else obj


def test_course_deployment_manifest_is_valid_after_defaulting() -> None:
    from k8scourse.api.validation import validate_create

    manifest = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "nginx-deployment"},
                "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "nginx"}},
                         "template": {"metadata": {"labels": {"app": "nginx"}},
                                      "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}}}
    assert validate_create(_defaulted(manifest)) == []
    manifest["spec"]["replicas"] = -1
    assert [str(e) for e in validate_create(_defaulted(manifest))] == [
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0"]


def test_job_without_restart_policy_is_refused_after_defaulting() -> None:
    from k8scourse.api.validation import validate_create

    manifest = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"},
                "spec": {"template": {"spec": {"containers": [{"name": "pi", "image": "perl:5.34"}]}}}}
    assert [str(e) for e in validate_create(_defaulted(manifest))] == [
        'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']
    manifest["spec"]["template"]["spec"]["restartPolicy"] = "Never"
    assert validate_create(_defaulted(manifest)) == []
