"""Client-side apply, as `kubectl apply` does it: created / unchanged / configured, three-way merge.

The last-applied annotation format follows kubectl's GetModifiedConfiguration
(staging/src/k8s.io/kubectl/pkg/util/apply.go): json.Marshal of the manifest with `annotations: {}` and a
trailing newline.
"""

from __future__ import annotations

import json

import pytest

from k8scourse import ApiError, K8sError
from k8scourse.cluster import ApplyError
from k8scourse.kubectl.apply import LAST_APPLIED

NGINX = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-depl
  labels:
    app: nginx
    tier: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.16
        ports:
        - containerPort: 80
"""


def test_apply_creates_then_leaves_unchanged(cluster):
    first = cluster.apply(NGINX)
    assert first.actions == ["deployment.apps/nginx-depl created"]
    assert repr(first) == "deployment.apps/nginx-depl created"
    rv = cluster.get("deploy", "nginx-depl")["metadata"]["resourceVersion"]  # after the controller's status writes
    again = cluster.apply(NGINX)
    assert again.actions == ["deployment.apps/nginx-depl unchanged"]
    assert again[0]["metadata"]["resourceVersion"] == rv


def test_last_applied_annotation_is_kubectls(cluster):
    obj = cluster.apply(NGINX)[0]
    recorded = obj["metadata"]["annotations"][LAST_APPLIED]
    assert recorded.endswith("}\n")
    assert recorded.startswith('{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},'
                               '"labels":{"app":"nginx","tier":"web"},"name":"nginx-depl","namespace":"default"}')
    assert json.loads(recorded)["spec"]["replicas"] == 2


def test_edited_manifest_is_configured_and_removed_fields_go(cluster):
    cluster.apply(NGINX)
    edited = NGINX.replace("    tier: web\n", "").replace("nginx:1.16", "nginx:1.27")
    result = cluster.apply(edited)
    assert result.actions == ["deployment.apps/nginx-depl configured"]
    live = cluster.get("deploy", "nginx-depl")
    assert live["metadata"]["labels"] == {"app": "nginx"}
    assert live["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert live["metadata"]["generation"] == 2


def test_fields_set_by_others_survive_a_reapply(cluster):
    manifest = NGINX.replace("  replicas: 2\n", "")
    cluster.apply(manifest)
    rt = cluster.resource("deploy")
    cluster.backend.patch(rt, "nginx-depl", {"spec": {"replicas": 5}}, "application/merge-patch+json")  # kubectl scale
    result = cluster.apply(manifest.replace("nginx:1.16", "nginx:1.17"))
    assert result.actions == ["deployment.apps/nginx-depl configured"]
    live = cluster.get("deploy", "nginx-depl")
    assert live["spec"]["replicas"] == 5
    assert live["spec"]["strategy"]["rollingUpdate"] == {"maxSurge": "25%", "maxUnavailable": "25%"}


def test_removing_a_container_port_and_env_by_merge_key(cluster):
    with_env = NGINX.replace("        ports:\n", "        env:\n        - name: A\n          value: '1'\n"
                                                "        - name: B\n          value: '2'\n        ports:\n")
    cluster.apply(with_env)
    cluster.apply(with_env.replace("        - name: B\n          value: '2'\n", ""))
    container = cluster.get("deploy", "nginx-depl")["spec"]["template"]["spec"]["containers"][0]
    assert container["env"] == [{"name": "A", "value": "1"}]


def test_multi_document_apply_goes_document_by_document(cluster, api):
    text = """
apiVersion: v1
kind: ConfigMap
metadata: {name: good}
data: {a: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: Bad_Name}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""
    with pytest.raises(ApplyError) as err:
        cluster.apply(text)
    assert [a.line() for a in err.value.applied] == ["configmap/good created", "service/web created"]
    assert len(err.value.errors) == 1
    assert str(err.value.errors[0]).startswith('The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"')
    assert cluster.exists("cm", "good") and cluster.exists("svc", "web")


def test_removed_api_versions_get_kubectls_no_match_error(cluster):
    with pytest.raises(ApiError) as err:
        cluster.apply(NGINX.replace("apps/v1", "extensions/v1beta1"))
    assert str(err.value) == 'no matches for kind "Deployment" in version "extensions/v1beta1"'


def test_unknown_field_is_a_strict_decoding_error(cluster):
    with pytest.raises(ApiError) as err:
        cluster.apply(NGINX.replace("        image:", "        imagee:"))
    assert err.value.code == 400
    assert err.value.message == (
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
        'unknown field "spec.template.spec.containers[0].imagee"'
    )
    assert not cluster.exists("deploy", "nginx-depl")


def test_generate_name_cannot_be_applied(cluster):
    with pytest.raises(K8sError, match="cannot use generate name with apply"):
        cluster.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "x-"}})


def test_apply_reads_files_and_directories(cluster, tmp_path):
    (tmp_path / "a.yaml").write_text(NGINX)
    (tmp_path / "b.yml").write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: staging\n")
    (tmp_path / "notes.txt").write_text("not a manifest")
    result = cluster.apply(tmp_path)
    assert result.actions == ["deployment.apps/nginx-depl created", "namespace/staging created"]
    assert cluster.apply(str(tmp_path / "a.yaml")).actions == ["deployment.apps/nginx-depl unchanged"]


def test_create_refuses_what_exists(cluster):
    cluster.create(NGINX)
    with pytest.raises(ApiError, match='deployments.apps "nginx-depl" already exists'):
        cluster.create(NGINX)


def test_delete_by_manifest_name_and_selector(cluster):
    cluster.apply(NGINX)
    assert [d["metadata"]["name"] for d in cluster.delete(NGINX)] == ["nginx-depl"]
    for name in ("a", "b"):
        cluster.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": {"x": "y"}}})
    assert len(cluster.delete("cm", label_selector="x=y")) == 2
    with pytest.raises(ApiError, match='configmaps "a" not found'):
        cluster.delete("cm", "a")
    assert cluster.delete("cm/a", ignore_not_found=True) == []


def test_kinds_kubernetes_serves_but_the_simulator_does_not_model_are_refused_clearly(cluster):
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "shirts.stable.example.com"}}
    with pytest.raises(ApiError) as err:
        cluster.apply(crd)
    assert str(err.value) == ("the simulated cluster does not model CustomResourceDefinition (apiextensions.k8s.io/v1); "
                              "a real Kubernetes cluster serves it. Leave it out here, or apply it on a real cluster.")
    result = cluster.kubectl("apply -f -", stdin="apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                                                 "metadata:\n  name: shirts.stable.example.com\n")
    assert result.returncode == 1 and result.stderr.startswith("error: the simulated cluster does not model")


def test_job_selector_is_generated_from_the_uid(cluster):
    job = cluster.apply({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"},
                         "spec": {"template": {"spec": {"restartPolicy": "Never",
                                                        "containers": [{"name": "pi", "image": "perl"}]}}}})[0]
    uid = job["metadata"]["uid"]
    assert job["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    assert job["spec"]["template"]["metadata"]["labels"]["batch.kubernetes.io/job-name"] == "pi"
