"""kubectl run -it --rm, logs -l, set resources, --record, version, auth can-i, api-resources, diff --server-side
and top --sort-by: golden transcripts and the behaviour behind them.

Regenerate with `pytest tests/kubectl --update-golden` after checking against kubectl v1.33. Wording from
staging/src/k8s.io/kubectl/pkg/cmd/run/run.go (`--rm should only be used for attached containers`, `pod
default/x terminated (Error)` with the container's exit code), cmd/delete/delete.go (`pod "x" deleted`),
cmd/logs/logs.go (selectorTail 10, `[pod/NAME/CONTAINER] ` prefixes, `only a selector (-l) or a POD name is
allowed`, `you are attempting to follow 2 log streams ...`), cmd/set/set_resources.go (`resource requirements
updated`, `you must specify an update to requests or limits ...`), cli-runtime genericclioptions/record_flags.go
(`Flag --record has been deprecated, --record will be removed in the future`, the change-cause text),
cmd/version/version.go, cmd/auth/cani.go, cmd/apiresources/apiresources.go (`--sort-by accepts only name or
kind`), cmd/diff/diff.go (`--force-conflicts only works with --server-side`) and cmd/top/top_pod.go
(`--sort-by accepts only cpu or memory`, metricsutil/metrics_sorter.go: largest first).
"""

from __future__ import annotations

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx:1.27}]
"""


def test_run_attached_and_logs_by_selector(cluster, golden, transcript):
    text = transcript(cluster, [
        "run tmp --image=busybox -it --rm --restart=Never -- sh -c 'echo hello; echo world'",
        "get pods",
        "run bad --image=busybox -i --rm --restart=Never -- sh -c 'echo oops; exit 3'",
        "run shell --image=busybox -it --rm",
        "run once --image=busybox --rm -- true",
        "run web --image=nginx --port=80 --expose",
        "run web2 --image=nginx --expose",
        "run envy --image=busybox --env=A=1 --labels=app=x,tier=y --restart=Never --dry-run=client -o yaml -- env",
        "run echo --image=busybox --command --restart=Never -- echo hi",
    ])
    cluster.kubectl("create deployment api --image=nginx --replicas=2")
    cluster.settle()
    text += transcript(cluster, [
        "logs echo",
        "logs -l app=api --prefix --tail=2",
        "logs -l app=api --tail=1",
        "logs -l app=nope",
        "logs api -l app=api",
        "logs deploy/api --all-containers --tail=1",
        "logs deploy/api -c nginx --all-containers",
        "logs -l app=api -f --max-log-requests=1",
    ])
    golden("kubectl/run-and-logs", text)


def test_logs_by_selector_shows_ten_lines_of_each_pod(cluster):
    cluster.kubectl("create deployment api --image=nginx --replicas=2")
    cluster.settle()
    result = cluster.kubectl("logs -l app=api")
    assert len(result.stdout.splitlines()) == 20


def test_set_resources_record_and_change_cause(cluster, golden, transcript):
    cluster.kubectl("create deployment d --image=nginx")
    cluster.settle()
    text = transcript(cluster, [
        "set resources deployment d --limits=cpu=200m,memory=512Mi --requests=cpu=0.1 --record",
        "get deploy d -o jsonpath={.spec.template.spec.containers[0].resources}",
        "set resources deployment d -c nope --limits=cpu=1",
        "set resources deployment d --limits=cpu",
        "set resources deployment d",
        "set image deployment/d nginx=nginx:1.27 --record",
        "annotate deployment d kubernetes.io/change-cause='nginx 1.27 for the course'",
        "rollout history deployment d",
    ])
    golden("kubectl/set-resources-record", text)


def test_record_writes_the_command_line(cluster):
    cluster.kubectl("create deployment d --image=nginx")
    cluster.kubectl("set image deployment/d nginx=nginx:1.27 -n default --record")
    annotations = cluster.get("deployment", "d")["metadata"]["annotations"]
    assert annotations["kubernetes.io/change-cause"] == (
        "kubectl set image deployment/d nginx=nginx:1.27 --namespace=default --record=true")


def test_cluster_information_verbs(cluster, golden, transcript):
    cluster.kubectl("apply -f -", stdin=DEPLOYMENT)
    text = transcript(cluster, [
        "version --client",
        "version -o yaml",
        "version -o json --client",
        "auth can-i create pods",
        "auth can-i get pdos",
        "auth can-i get",
        "api-resources --sort-by=kind --api-group=apps -o wide",
        "api-resources --sort-by=name --namespaced=false --no-headers",
        "api-resources --sort-by=x",
        "diff --server-side -f -",
        "diff --force-conflicts -f -",
        "top pods --sort-by=name",
    ], stdin={"diff --server-side -f -": DEPLOYMENT.replace("replicas: 2", "replicas: 4"),
              "diff --force-conflicts -f -": DEPLOYMENT})
    golden("kubectl/cluster-information", text)


def test_top_sorts_by_usage(cluster):
    cluster.kubectl("create deployment api --image=nginx --replicas=2")
    cluster.settle()
    cluster.advance(60)
    result = cluster.kubectl("top pods -A --sort-by=memory --no-headers")
    if result.returncode == 0:
        memory = [int(line.split()[3].rstrip("Mi")) for line in result.stdout.splitlines()]
        assert memory == sorted(memory, reverse=True)
    else:
        assert "Metrics" in result.stderr


def test_get_in_a_generic_format_prints_what_kubectl_v1_33_prints_for_missing_objects(cluster):
    # cmd/get/get.go printGeneric: a single named object that fails prints only the error; with
    # --ignore-not-found and nothing found, nothing; a list that finds nothing is an empty List.
    # Checked against kubectl v1.33.1 driving k8scourse serve.
    missing = cluster.kubectl("get configmap missing -o yaml")
    assert str(missing) == 'Error from server (NotFound): configmaps "missing" not found\n'
    assert str(cluster.kubectl("get configmap missing -o yaml --ignore-not-found")) == ""
    assert str(cluster.kubectl("get configmap missing other -o yaml --ignore-not-found")) == ""
    assert str(cluster.kubectl("get configmaps -n nope -o yaml")) == (
        'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n')
