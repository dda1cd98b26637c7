"""The real kubectl against `k8scourse serve`, compared with the in-process kubectl on the same cluster.

Commands that change the cluster run twice, the real kubectl in namespace `real` and the in-process one
in namespace `inproc`, and must print the same; commands that read run both ways on the same objects.
Where real kubectl legitimately prints something else, the test says so and asserts the difference.
"""

from __future__ import annotations

import subprocess
import time

import pytest

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80}]
"""

INVALID = DEPLOYMENT.replace("name: web\n", "name: bad\n", 1).replace("replicas: 2", "replicas: -1")


@pytest.fixture(scope="module")
def kc(served, kubectl_binary):
    """The served cluster with a Deployment `web` applied in namespaces `real` (by the real kubectl) and
    `inproc` (by the in-process one), settled."""
    for ns in ("real", "inproc"):
        served.cluster.kubectl(f"create namespace {ns}")
    real = served.kubectl("apply -n real -f -", stdin=DEPLOYMENT)
    inproc = served.inproc("apply -n inproc -f -", stdin=DEPLOYMENT)
    assert real == inproc == ("deployment.apps/web created\n", "", 0)
    served.server.settle()
    return served


def both(kc, command: str, stdin: str | None = None) -> tuple[tuple[str, str, int], tuple[str, str, int]]:
    """Run a changing command with the real kubectl in `real` and in-process in `inproc`."""
    return (kc.kubectl(command.format(ns="real"), stdin), kc.inproc(command.format(ns="inproc"), stdin))


def same(kc, command: str) -> tuple[str, str, int]:
    """A reading command must print the same both ways; returns what it printed."""
    real, inproc = kc.kubectl(command), kc.inproc(command)
    assert real == inproc, f"{command}\n--- real kubectl:\n{real[0]}{real[1]}\n--- in-process:\n{inproc[0]}{inproc[1]}"
    return real


@pytest.mark.parametrize("command", [
    "get pods -n real",
    "get deploy,rs -n real -o wide",
    "get deploy web -n real -o yaml",
    "get deploy web -n real -o json",
    "get pods -n real -o name",
    "get deploy web -n real -o jsonpath={.spec.replicas}",
    "get pods -A",
    "get nodes -o wide",
    "get ns",
    "get all -n real",
    "get pods -n real -l app=web --show-labels",
    "get pods -n real --field-selector status.phase=Running -o name",
    "get events -n real",
])
def test_get_prints_the_same(kc, command):
    out, err, code = same(kc, command)
    assert code == 0 and out


def test_server_version_is_the_simulated_clusters(kc):
    # The client half depends on the kubectl installed; the server half is what the API answers.
    real_server = [line for line in kc.kubectl("version")[0].splitlines() if line.startswith("Server Version")]
    inproc_server = [line for line in kc.inproc("version")[0].splitlines() if line.startswith("Server Version")]
    assert real_server == inproc_server == ["Server Version: v1.33.1"]


def test_describe_matches_except_event_ages(kc):
    # Real kubectl measures the Age of describe's events against the machine's clock (describe computes it
    # client-side, staging/src/k8s.io/kubectl/pkg/describe/describe.go DescribeEvents), while the simulated
    # cluster's clock starts in January 2026: only that column may differ.
    real, inproc = kc.kubectl("describe deploy web -n real"), kc.inproc("describe deploy web -n real")
    assert real[1:] == inproc[1:] == ("", 0)
    head_real, _, events_real = real[0].partition("Events:")
    head_inproc, _, events_inproc = inproc[0].partition("Events:")
    assert head_real == head_inproc

    def without_age(text: str) -> list[list[str]]:
        rows = [line.split() for line in text.strip().splitlines()]
        return [row[:2] + row[3:] for row in rows[2:]]

    assert without_age(events_real) == without_age(events_inproc) and without_age(events_real)


def test_changes_print_the_same(kc):
    for command in (
        "scale deploy web -n {ns} --replicas=3",
        "label deploy web -n {ns} tier=front",
        "annotate deploy web -n {ns} note=hello",
        "patch deploy web -n {ns} -p '{{\"spec\":{{\"replicas\":2}}}}'",
        "patch deploy web -n {ns} --type=merge -p '{{\"spec\":{{\"replicas\":3}}}}'",
        "patch deploy web -n {ns} --type=json -p '[{{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":2}}]'",
        "scale deploy web -n {ns} --replicas=4 --dry-run=server",
        "label deploy web -n {ns} tier=back",
    ):
        real, inproc = both(kc, command)
        assert real == inproc, command
    kc.server.settle()
    same(kc, "get deploy web -n real -o jsonpath={.spec.replicas}{.metadata.labels}")


def test_set_image_rollout_status_history_and_undo(kc):
    real, inproc = both(kc, "set image deploy/web -n {ns} nginx=nginx:1.28")
    assert real == inproc == ("deployment.apps/web image updated\n", "", 0)
    kc.server.settle()
    for command in ("rollout status deploy/web -n {ns}", "rollout history deploy/web -n {ns}",
                    "rollout undo deploy/web -n {ns}"):
        real, inproc = both(kc, command)
        assert real == inproc, command
    kc.server.settle()
    assert kc.kubectl("get deploy web -n real -o jsonpath={.spec.template.spec.containers[0].image}")[0] == \
        "nginx:1.27"


def test_rollout_status_follows_the_rollout_as_time_passes(kc):
    """kubectl's rollout status watches the Deployment; advancing simulated time lets it finish."""
    kc.kubectl("set image deploy/web -n real nginx=nginx:1.26")
    argv = ["kubectl", "--kubeconfig", str(kc.server.kubeconfig), "--cache-dir", str(kc.cache),
            "rollout", "status", "deploy/web", "-n", "real", "--timeout=20s"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)
        for _ in range(40):
            kc.server.advance(1)
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert out.startswith("Waiting for deployment \"web\" rollout to finish")
    assert out.endswith('deployment "web" successfully rolled out\n')


def test_get_watch_prints_changes_until_its_timeout(kc):
    argv = ["kubectl", "--kubeconfig", str(kc.server.kubeconfig), "--cache-dir", str(kc.cache),
            "get", "deploy", "web", "-n", "real", "-w", "--request-timeout=3s", "--output-watch-events"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1)
        kc.cluster.kubectl("label deploy web -n real watched=yes")
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    lines = [line.split()[:2] for line in out.splitlines()]
    # the listed object, then the watch's MODIFIED event, under the EVENT column --output-watch-events adds
    assert lines[:3] == [["EVENT", "NAME"], ["ADDED", "web"], ["MODIFIED", "web"]], out + err


def test_logs_print_the_same(kc):
    pod = kc.kubectl("get pods -n real -l app=web -o jsonpath={.items[0].metadata.name}")[0]
    for command in (f"logs {pod} -n real", f"logs {pod} -n real --tail=2", f"logs {pod} -n real --timestamps",
                    f"logs {pod} -n real -c nginx --since=1h"):
        same(kc, command)


def test_logs_of_a_missing_pod_print_the_same(kc):
    # The server answers the same 404 Status as for `get`; kubectl logs words it its own way (logs.go Complete:
    # the builder's NotFound with the namespace added, printed as a plain error).
    assert same(kc, "logs nope -n real") == (
        "", 'error: error from server (NotFound): pods "nope" not found in namespace "real"\n', 1)


def test_errors_print_the_same(kc):
    # NotFound / AlreadyExists: k8s.io/apimachinery/pkg/api/errors/errors.go; Invalid: the apps validation
    # (pkg/apis/apps/validation/validation.go) through kubectl's StatusError printing (cmd/util/helpers.go).
    same(kc, "get pod nope -n real")
    same(kc, "delete deploy nope -n real")
    real, inproc = both(kc, "create -n {ns} -f -", DEPLOYMENT)
    assert real == inproc
    assert 'deployments.apps "web" already exists' in real[1]
    real, inproc = both(kc, "apply -n {ns} -f -", INVALID)
    assert real == inproc == ('', 'The Deployment "bad" is invalid: spec.replicas: Invalid value: -1: must be greater '
                              'than or equal to 0\n', 1)


@pytest.mark.parametrize("command", ["explain deployment.spec.replicas", "explain pod.spec.containers.ports",
                                     "explain pods", "explain deploy.spec", "explain pod.spec.volumes"])
def test_explain_prints_exactly_the_same(kc, command):
    # plaintext.tmpl's DESCRIPTION is the field's and its type's descriptions, a line each, wrapped by go-wordwrap
    # (which keeps those line breaks) and indented, so it ends with an indented blank line.
    out, err, code = same(kc, command)
    assert code == 0 and "\n    \n" in out


@pytest.mark.parametrize("command", ["api-resources", "api-resources --namespaced=false", "api-versions"])
def test_api_resources_print_the_same(kc, command):
    same(kc, command)


def test_api_resources_wide_prints_the_same(kc):
    # kubectl v1.33 joins VERBS with commas (`get,list`)
    assert "   get,list   " in same(kc, "api-resources -o wide")[0]


def test_delete_prints_the_same(kc):
    real, inproc = both(kc, "delete deploy web -n {ns} --wait=false")
    assert real == inproc == ('deployment.apps "web" deleted\n', "", 0)


def test_exec_says_what_to_do_instead(kc):
    kc.server.settle()
    pod = kc.kubectl("get pods -n kube-system -o jsonpath={.items[0].metadata.name}")[0]
    out, err, code = kc.kubectl(f"exec {pod} -n kube-system -- ls")
    assert code == 1
    assert "k8scourse serve does not stream exec yet" in err
    assert 'cluster.kubectl("exec ...")' in err


def test_generators_sending_protobuf_are_refused_with_what_to_do_instead(kc):
    # kubectl's typed clientsets send built-in kinds as application/vnd.kubernetes.protobuf
    # (client-go: "all generated clients accessing built-in kube resources are forced to protobuf");
    # the served cluster decodes JSON and YAML only, and says so with a 415 Status.
    out, err, code = kc.kubectl("create configmap settings -n real --from-literal=a=b")
    assert (out, code) == ("", 1)
    assert err.startswith("error: failed to create configmap: k8scourse serve does not decode protobuf request bodies")
    assert "--dry-run=client -o yaml | kubectl apply -f -" in err
    assert kc.inproc("get configmap settings -n real")[2] == 1  # nothing was created
    out, err, code = kc.kubectl("create configmap settings -n real --from-literal=a=b --dry-run=client -o yaml")
    assert code == 0
    assert kc.kubectl("apply -n real -f -", out) == ("configmap/settings created\n", "", 0)
