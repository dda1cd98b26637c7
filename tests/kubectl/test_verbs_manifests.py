"""kubectl apply / create / replace / delete / config / version: golden transcripts of the notes' commands.

Regenerate with `pytest tests/kubectl --update-golden` after checking the new output against a real
kubectl v1.33 (wording: staging/src/k8s.io/kubectl/pkg/cmd/{apply,create,delete,config,version}).
"""

from __future__ import annotations

NGINX = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
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
        - containerPort: 8080
"""


def test_apply_create_delete_transcript(cluster, golden, transcript, tmp_path):
    (tmp_path / "nginx-depl.yaml").write_text(NGINX)
    (tmp_path / "bad.yaml").write_text(NGINX.replace("replicas: 2", "replicas: -1").replace("nginx-deployment", "bad"))
    path = tmp_path / "nginx-depl.yaml"
    commands = [
        f"apply -f {path}",
        f"apply -f {path}",
        "apply -f -",
        f"apply -f {tmp_path / 'bad.yaml'}",
        "create deployment nginx-depl --image=nginx",
        "create deployment nginx-depl --image=nginx",
        "create namespace my-namespace",
        "create configmap my-config --from-literal=db_url=mongodb-service -n my-namespace",
        "create secret generic mongodb-secret --from-literal=mongo-root-username=username",
        "create service nodeport web --tcp=80:8080 --node-port=30000",
        "delete deployment nginx-depl",
        "delete deployment nginx-depl",
        f"delete -f {path}",
        "delete pod",
        "apply",
        "apply --frobnicate",
        "delete",
        "version",
        "config current-context",
        "config set-context --current --namespace=my-namespace",
        "config get-contexts",
        "config use-context kind-kind",
    ]
    stdin = {"apply -f -": NGINX.replace("1.16", "1.17")}
    text = transcript(cluster, commands, stdin).replace(str(tmp_path), "/home/learner")
    golden("kubectl/apply-create-delete", text)


def test_removed_api_version_from_a_file(cluster, golden, transcript, tmp_path):
    old = tmp_path / "old.yaml"
    old.write_text(NGINX.replace("apps/v1", "extensions/v1beta1"))
    golden("kubectl/removed-api-version",
           transcript(cluster, [f"apply -f {old}"]).replace(str(tmp_path), "/home/learner"))


def test_delete_waits_until_the_pod_is_gone(cluster):
    # kubectl delete --wait (the default) returns once the object is gone (delete.go, waitForDeletion)
    cluster.kubectl("run web --image=nginx:1.27")
    cluster.settle()
    before = cluster.backend.current_time()
    result = cluster.kubectl("delete pod web")
    assert (result.stdout, result.returncode) == ('pod "web" deleted\n', 0)
    assert not cluster.exists("pod", "web")
    assert cluster.backend.current_time() > before  # the kubelet's graceful termination took cluster time
    cluster.kubectl("run web --image=nginx:1.27")
    cluster.settle()
    assert cluster.kubectl("delete pod web --wait=false").stdout == 'pod "web" deleted\n'
    assert cluster.get("pod", "web")["metadata"]["deletionTimestamp"]  # still Terminating


def test_create_deployment_dry_run_prints_the_object_kubectl_builds(cluster):
    # checked against kubectl v1.32's own `create deployment x --image=busybox --dry-run=client -o yaml -- sleep 3600`
    result = cluster.kubectl("create deployment x --image=busybox --dry-run=client -o yaml -- sleep 3600")
    assert result.stdout == """apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: x
  name: x
spec:
  replicas: 1
  selector:
    matchLabels:
      app: x
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: x
    spec:
      containers:
      - command:
        - sleep
        - "3600"
        image: busybox
        name: busybox
        resources: {}
status: {}
"""
    assert not cluster.exists("deploy", "x")
    bare = cluster.kubectl("create deployment x --image=nginx --dry-run -o name")
    assert bare.stdout == "deployment.apps/x\n"
    assert bare.stderr == "Warning: --dry-run is deprecated and can be replaced with --dry-run=client.\n"
    assert cluster.kubectl("create -h").stdout.startswith("Create a resource from a file or from stdin.")


def test_apply_over_create_warns_about_the_missing_annotation_unless_saved(cluster):
    # apply.go warningNoLastAppliedConfigAnnotation; create --save-config records the annotation
    cluster.kubectl("create deployment web --image=nginx:1.27")
    result = cluster.kubectl("apply -f -", stdin=cluster.kubectl("get deploy web -o yaml").stdout)
    assert result.stderr == (
        "Warning: resource deployments/web is missing the kubectl.kubernetes.io/last-applied-configuration "
        "annotation which is required by kubectl apply. kubectl apply should only be used on resources created "
        "declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be "
        "patched automatically.\n")
    assert result.stdout == "deployment.apps/web configured\n"
    again = cluster.kubectl("apply -f -", stdin=cluster.kubectl("get deploy web -o yaml").stdout)
    assert again.stderr == ""
    saved = cluster.kubectl("create deployment db --image=nginx:1.27 --save-config")
    assert saved.stdout == "deployment.apps/db created\n"
    assert "kubectl.kubernetes.io/last-applied-configuration" in cluster.get("deploy", "db")["metadata"]["annotations"]
