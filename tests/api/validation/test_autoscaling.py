"""HorizontalPodAutoscaler validation, worded as kube-apiserver words it.

Wording from pkg/apis/autoscaling/validation/validation.go (validateHorizontalPodAutoscalerSpec,
ValidateCrossVersionObjectReference, validateMetricSpec, validateMetricTarget, validateScalingRules,
validateScalingPolicy) and k8s.io/apimachinery/pkg/api/validation/path (IsValidPathSegmentName).
"""

from __future__ import annotations

from k8scourse.api.validation import autoscaling

CPU_80 = {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}


def hpa(api_version="autoscaling/v2", **spec):
    base = {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
        "minReplicas": 1,
        "maxReplicas": 5,
    }
    if api_version == "autoscaling/v2":
        base["metrics"] = [CPU_80]
    base.update(spec)
    return {"apiVersion": api_version, "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"}, "spec": base}


def texts(obj, old=None):
    errs = autoscaling.validate_hpa(obj) if old is None else autoscaling.validate_hpa_update(obj, old)
    return [str(e) for e in errs]


def test_valid_hpa():
    assert texts(hpa()) == []
    assert texts(hpa("autoscaling/v1", targetCPUUtilizationPercentage=50)) == []


def test_replica_bounds():
    assert texts(hpa(minReplicas=0)) == [
        "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
        # validateMetrics checks scale-to-zero metrics whether or not the HPAScaleToZero gate is on
        "spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas",
    ]
    assert texts(hpa(minReplicas=5, maxReplicas=2)) == [
        "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`"
    ]
    assert texts(hpa(maxReplicas=0, minReplicas=None)) == ["spec.maxReplicas: Invalid value: 0: must be greater than 0"]


def test_scale_to_zero_kept_on_update_only_if_already_zero():
    old = hpa(minReplicas=0, metrics=[CPU_80])
    errs = texts(hpa(minReplicas=0), old)
    assert errs == [
        "spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas"
    ]


def test_scale_target_ref_required():
    assert texts(hpa(scaleTargetRef={"apiVersion": "apps/v1"})) == [
        "spec.scaleTargetRef.kind: Required value",
        "spec.scaleTargetRef.name: Required value",
    ]
    assert texts(hpa(scaleTargetRef={"kind": "Deployment", "name": "a/b"})) == [
        "spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'"
    ]


def test_v1_cpu_target_checked_as_resource_metric():
    assert texts(hpa("autoscaling/v1", targetCPUUtilizationPercentage=0)) == [
        "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0"
    ]


def test_metric_type_and_source():
    errs = texts(hpa(metrics=[{"type": "Cpu"}]))
    assert errs == [
        'spec.metrics[0].type: Unsupported value: "Cpu": supported values: '
        '"ContainerResource", "External", "Object", "Pods", "Resource"'
    ] * 2
    assert texts(hpa(metrics=[{"type": "Resource"}])) == [
        "spec.metrics[0].resource: Required value: must populate information for the given metric source"
    ]
    both = {**CPU_80, "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": "10"}}}
    assert texts(hpa(metrics=[both])) == ["spec.metrics[0].pods: Forbidden: must populate the given metric source only"]


def test_resource_target_rules():
    target = {"type": "Percent", "averageUtilization": 80, "averageValue": "0"}
    errs = texts(hpa(metrics=[{"type": "Resource", "resource": {"name": "memory", "target": target}}]))
    assert errs == [
        'spec.metrics[0].resource.target.type: Invalid value: "Percent": must be either Utilization, Value, or AverageValue',
        "spec.metrics[0].resource.target.averageValue: Invalid value: 0: must be positive",
        "spec.metrics[0].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization",
    ]
    no_target = {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization"}}}
    assert texts(hpa(metrics=[no_target])) == [
        "spec.metrics[0].resource.target.averageUtilization: Required value: "
        "must set either a target raw value or a target utilization"
    ]


def test_pods_metric_needs_average_value():
    pods = {"type": "Pods", "pods": {"metric": {"name": ""}, "target": {"type": "AverageValue"}}}
    assert texts(hpa(metrics=[pods])) == [
        "spec.metrics[0].pods.metric.name: Required value: must specify a metric name",
        "spec.metrics[0].pods.target.averageValue: Required value: must specify a positive target averageValue",
    ]


def test_container_resource_metric():
    metric = {
        "type": "ContainerResource",
        "containerResource": {"name": "gpu", "container": "", "target": {"type": "Utilization", "averageUtilization": 60}},
    }
    assert texts(hpa(metrics=[metric])) == [
        'spec.metrics[0].containerResource.name: Invalid value: "gpu": must be a standard resource for containers',
        "spec.metrics[0].containerResource.container: Required value: must specify a container",
    ]


def test_behavior_policies():
    behavior = {
        "scaleUp": {"stabilizationWindowSeconds": 4000, "selectPolicy": "Fastest", "policies": []},
        "scaleDown": {"policies": [{"type": "Replicas", "value": 0, "periodSeconds": 3600}]},
    }
    assert texts(hpa(behavior=behavior)) == [
        "spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600",
        'spec.behavior.scaleUp.selectPolicy: Unsupported value: "Fastest": supported values: "Disabled", "Max", "Min"',
        "spec.behavior.scaleUp.policies: Required value: must specify at least one Policy",
        'spec.behavior.scaleDown.policies[0].type: Unsupported value: "Replicas": supported values: "Percent", "Pods"',
        "spec.behavior.scaleDown.policies[0].value: Invalid value: 0: must be greater than zero",
        "spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 3600: must be less than or equal to 1800",
    ]
