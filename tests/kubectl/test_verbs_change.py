"""kubectl scale / set image / set env / label / annotate / expose / run / autoscale / patch / edit /
port-forward: a golden transcript of the notes' commands, and the objects and errors behind each line.

Wording after staging/src/k8s.io/kubectl/pkg/cmd: scale/scale.go and pkg/scale/scale.go (PreconditionError
`Expected replicas to be %s, was %s`), set/set_image.go (`unable to find container named %q`), set/set_env.go,
label/label.go (`'%s' already has a value (%s), and --overwrite is false`, labeled / unlabeled / not labeled,
`label %q not found.`), annotate/annotate.go, util/helpers.go (GetResourcesAndPairs, ParsePairs),
expose/expose.go (createService), run/run.go with generate/versioned/run.go (BasicPod), autoscale/autoscale.go
and patch/patch.go (`patched (no change)`, the --type message). Regenerate the golden file with
`pytest tests/kubectl --update-golden` after checking the new output against a real kubectl v1.33.
"""

from __future__ import annotations

import pytest

KUBIA_RC = """apiVersion: v1
kind: ReplicationController
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
        ports:
        - containerPort: 8080
"""


def run(cluster, command):
    return cluster.kubectl(command)


@pytest.fixture
def web(cluster):
    assert cluster.kubectl("create deployment web --image=nginx:1.16 --replicas=2").ok
    cluster.settle()
    return cluster


def test_notes_transcript(cluster, golden, transcript):
    commands = [
        "create deployment nginx-depl --image=nginx:1.16",
        "scale deployment nginx-depl --replicas=3",
        "scale deployment nginx-depl --replicas=2 --current-replicas=5",
        "scale deployment nginx-depl",
        "set image deployment/nginx-depl nginx=nginx:1.17",
        "set image deployment/nginx-depl nginx-depl=nginx:1.17",
        "label deployment nginx-depl tier=frontend",
        "label deployment nginx-depl tier=backend",
        "label deployment nginx-depl tier=backend --overwrite",
        "label deployment nginx-depl tier-",
        "label deployment nginx-depl tier-",
        "annotate deployment nginx-depl kubernetes.io/change-cause='image updated to 1.17'",
        "annotate deployment nginx-depl owner=team-a",
        "annotate deployment nginx-depl owner=team-b",
        "annotate deployment nginx-depl owner-",
        "apply -f -",
        "expose rc kubia --type=NodePort --name kubia-http",
        "get svc kubia-http",
        "expose deployment nginx-depl --port=80 --target-port=8080",
        "run nginx --image=nginx --port=80",
        "autoscale deployment nginx-depl --min=2 --max=5 --cpu-percent=80",
        "patch deployment nginx-depl -p '{\"spec\":{\"replicas\":4}}'",
        "patch deployment nginx-depl -p '{\"spec\":{\"replicas\":4}}'",
        "patch deployment nginx-depl --type=foo -p '{}'",
        "edit deployment nginx-depl",
        "port-forward svc/kubia-http 8080:8080",
    ]
    text = transcript(cluster, commands, {"apply -f -": KUBIA_RC})
    golden("kubectl/change-notes", text)


def test_scale_changes_replicas_and_checks_the_precondition(web, api):
    assert run(web, "scale deploy/web --replicas=4 --current-replicas=2").stdout == "deployment.apps/web scaled\n"
    assert web.get("deployment", "web")["spec"]["replicas"] == 4
    result = run(web, "scale deploy/web --replicas=1 --current-replicas=2")
    assert (result.returncode, result.stderr) == (1, "error: Expected replicas to be 2, was 4\n")
    assert web.get("deployment", "web")["spec"]["replicas"] == 4
    assert run(web, "scale deploy/web --replicas=-1").stderr == (
        "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n")
    assert run(web, "scale deploy/web").stderr == 'error: required flag(s) "replicas" not set\n'
    assert run(web, "scale deploy/web --replicas=3 --dry-run=client").stdout == "deployment.apps/web scaled (dry run)\n"
    assert web.get("deployment", "web")["spec"]["replicas"] == 4


def test_set_image_patches_the_template_and_reports_unknown_containers(web):
    result = run(web, "set image deployment/web nginx=nginx:1.17 sidecar=busybox")
    assert result.stdout == "deployment.apps/web image updated\n"
    assert result.stderr == 'error: unable to find container named "sidecar"\n'
    containers = web.get("deployment", "web")["spec"]["template"]["spec"]["containers"]
    assert [c["image"] for c in containers] == ["nginx:1.17"]
    same = run(web, "set image deployment/web nginx=nginx:1.17")  # nothing to change: kubectl prints nothing
    assert (same.stdout, same.stderr, same.returncode) == ("", "", 0)
    assert run(web, "set image deployment/web nginx").stderr == "error: at least one image update is required\n"
    assert run(web, "set image deployment/web a=b c").stderr == (
        "error: all resources must be specified before image changes: c\n")


def test_set_env_sets_lists_and_removes(web):
    assert run(web, "set env deployment/web MODE=prod LEVEL=3").stdout == "deployment.apps/web env updated\n"
    assert run(web, "set env deployment/web MODE=test").ok
    container = web.get("deployment", "web")["spec"]["template"]["spec"]["containers"][0]
    assert container["env"] == [{"name": "MODE", "value": "test"}, {"name": "LEVEL", "value": "3"}]
    assert run(web, "set env deployment/web --list").stdout == "# Deployment web, container nginx\nMODE=test\nLEVEL=3\n"
    assert run(web, "set env deployment/web MODE- LEVEL-").ok
    container = web.get("deployment", "web")["spec"]["template"]["spec"]["containers"][0]
    assert "env" not in container
    warned = run(web, "set env deployment/web -c db X=1")
    # set_env.go prints it through the WarningPrinter (`Warning: `)
    assert warned.stderr == 'Warning: Deployment/web does not have any containers matching "db"\n'


ENV_SOURCES = """apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {db.host: mongo, PORT: "27017"}
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
stringData: {password: pw, user: root}
"""


def test_set_env_from_a_configmap_or_secret(web):
    # set/set_env.go RunEnv --from: a valueFrom reference per data key, named by keyToEnvName (which warns through
    # the WarningPrinter when it changes the key), --keys to choose, --prefix before each name
    assert web.kubectl("apply -f -", stdin=ENV_SOURCES).ok
    result = run(web, "set env deployment/web --from=configmap/cfg")
    assert (result.stdout, result.stderr) == ("deployment.apps/web env updated\n",
                                              "Warning: key db.host transferred to DB_HOST\n")
    assert run(web, "set env deployment/web --from=secret/sec --keys=user --prefix=DB_").ok
    container = web.get("deployment", "web")["spec"]["template"]["spec"]["containers"][0]
    assert container["env"] == [
        {"name": "PORT", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "PORT"}}},
        {"name": "DB_HOST", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "db.host"}}},
        {"name": "DB_USER", "valueFrom": {"secretKeyRef": {"name": "sec", "key": "user"}}}]
    assert run(web, "set env deployment/web --list").stdout == (
        "# Deployment web, container nginx\n# PORT from configmap cfg, key PORT\n"
        "# DB_HOST from configmap cfg, key db.host\n# DB_USER from secret sec, key user\n")
    # validateNoOverwrites compares values only: a reference again is no overwrite
    assert run(web, "set env deployment/web --from=configmap/cfg --overwrite=false").ok
    assert run(web, "set env deployment/web --from=deployment/web").stderr == (
        "error: unsupported resource specified in --from\n")
    assert run(web, "set env deployment/web --from=configmap/nope").stderr == (
        'Error from server (NotFound): configmaps "nope" not found\n')
    assert run(web, "set env deployment/web --keys=user").stderr == (
        "error: when specifying --keys, a configmap or secret must be provided with --from\n")


@pytest.mark.parametrize(("command", "message"), [
    # create/create_configmap.go, create_secret.go (no colon), create_deployment.go, create_service.go,
    # create_job.go: the generators wrap the server's refusal in their own error
    ("create configmap x --from-literal=a=b", 'failed to create configmap: configmaps "x" already exists'),
    ("create secret generic x --from-literal=a=b", 'failed to create secret secrets "x" already exists'),
    ("create deployment x --image=nginx", 'failed to create deployment: deployments.apps "x" already exists'),
    ("create service nodeport x --tcp=80", 'failed to create NodePort service: services "x" already exists'),
    ("create job x --image=busybox", 'failed to create job: jobs.batch "x" already exists'),
])
def test_create_generators_word_an_existing_name_as_kubectl_does(cluster, command, message):
    assert run(cluster, command).ok
    again = run(cluster, command)
    assert (again.stdout, again.stderr, again.returncode) == ("", f"error: {message}\n", 1)


def test_create_namespace_that_exists_prints_the_server_error(cluster):
    # create_namespace.go returns the Status unwrapped
    assert run(cluster, "create namespace default").stderr == (
        'Error from server (AlreadyExists): namespaces "default" already exists\n')


def test_label_outcomes_and_overwrite(web):
    assert run(web, "label deployment web tier=web").stdout == "deployment.apps/web labeled\n"
    clash = run(web, "label deployment web tier=db")
    assert clash.stderr == "error: 'tier' already has a value (web), and --overwrite is false\n"
    assert run(web, "label deployment web tier=web --overwrite").stdout == "deployment.apps/web not labeled\n"
    assert run(web, "label deployment web tier-").stdout == "deployment.apps/web unlabeled\n"
    assert run(web, "label deployment web tier-").stdout == 'label "tier" not found.\ndeployment.apps/web not labeled\n'
    assert run(web, "label deployment web").stderr == "error: at least one label update is required\n"
    assert run(web, "label").stderr == (
        "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n")
    assert run(web, "label deployment web a=b a-").stderr == (
        "error: can not both modify and remove a label in the same command\n")
    assert "app" in web.get("deployment", "web")["metadata"]["labels"]


def test_label_by_selector_and_list(web):
    result = run(web, "label pods -l app=web role=server")
    assert result.stdout.count(" labeled\n") == 2
    pods = web.get("pods")
    assert all(p["metadata"]["labels"]["role"] == "server" for p in pods)
    name = pods[0]["metadata"]["name"]
    listed = run(web, f"label pod {name} --list").stdout.splitlines()
    assert "role=server" in listed and "app=web" in listed


def test_annotate_overwrite_and_change_cause(web):
    assert run(web, "annotate deployment web owner=a").stdout == "deployment.apps/web annotated\n"
    assert run(web, "annotate deployment web owner=b").stderr == (
        "error: --overwrite is false but found the following declared annotation(s): 'owner' already has a value "
        "(a)\n")
    assert run(web, "annotate deployment web kubernetes.io/change-cause=one").ok
    assert run(web, "annotate deployment web kubernetes.io/change-cause=two").ok  # never needs --overwrite
    annotations = web.get("deployment", "web")["metadata"]["annotations"]
    assert annotations["kubernetes.io/change-cause"] == "two"
    assert run(web, "annotate deployment web owner-").ok
    assert "owner" not in web.get("deployment", "web")["metadata"]["annotations"]


def test_expose_derives_selector_ports_and_labels(cluster):
    cluster.apply(KUBIA_RC)
    assert run(cluster, "expose rc kubia --type=NodePort --name kubia-http").stdout == "service/kubia-http exposed\n"
    svc = cluster.get("service", "kubia-http")
    assert svc["metadata"]["labels"] == {"app": "kubia"}  # the RC's labels, defaulted from its template
    assert svc["spec"]["selector"] == {"app": "kubia"}
    port = svc["spec"]["ports"][0]
    assert (port["port"], port["targetPort"], port["protocol"], svc["spec"]["type"]) == (8080, 8080, "TCP", "NodePort")
    assert 30000 <= port["nodePort"] <= 32767
    assert "name" not in port


def test_expose_errors(web):
    assert run(web, "expose deployment web").stderr == "error: couldn't find port via --port flag or introspection\n"
    assert run(web, "expose").stderr.startswith("error: You must provide one or more resources")
    assert run(web, "expose node minikube --port=80").stderr == "error: cannot expose a Node\n"
    yaml_text = run(web, "expose deployment web --port=80 --dry-run=client -o yaml").stdout
    assert yaml_text == ("apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n"
                         "  name: web\nspec:\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 80\n"
                         "  selector:\n    app: web\nstatus:\n  loadBalancer: {}\n")


def test_run_creates_the_pod_kubectl_generates(cluster):
    result = run(cluster, "run box --image=busybox --restart=Never --labels=app=box,tier=tools --env=A=1 "
                          "--port=8080 -- sleep 3600")
    assert result.stdout == "pod/box created\n"
    pod = cluster.get("pod", "box")
    container = pod["spec"]["containers"][0]
    assert pod["metadata"]["labels"] == {"app": "box", "tier": "tools"}
    assert (container["name"], container["image"], container["args"]) == ("box", "busybox", ["sleep", "3600"])
    assert container["env"] == [{"name": "A", "value": "1"}]
    assert container["ports"][0]["containerPort"] == 8080
    assert (pod["spec"]["restartPolicy"], pod["spec"]["dnsPolicy"]) == ("Never", "ClusterFirst")
    assert cluster.get("pod", "box") and run(cluster, "run plain --image=nginx").ok
    assert cluster.get("pod", "plain")["metadata"]["labels"] == {"run": "plain"}
    assert run(cluster, "run x --image=nginx --restart=Sometimes").stderr == (
        "error: invalid restart policy: Sometimes\nSee 'kubectl run -h' for help and examples\n")
    assert run(cluster, "run x").stderr == 'error: required flag(s) "image" not set\n'
    interactive = run(cluster, "run -it shell --image=busybox -- sh")
    assert interactive.returncode == 1 and "kubectl exec" in interactive.stderr
    assert not cluster.exists("pod", "shell")


def test_autoscale_creates_an_hpa(web):
    result = run(web, "autoscale deployment web --min=2 --max=5 --cpu-percent=80")
    assert result.stdout == "horizontalpodautoscaler.autoscaling/web autoscaled\n"
    hpa = web.get("hpa", "web")
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 5)
    assert run(web, "autoscale deployment web --max=1 --min=2").stderr == (
        "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 1, min: 2\n")
    assert run(web, "autoscale deployment web").stderr == 'error: required flag(s) "max" not set\n'


def test_patch_types_and_no_change(web):
    assert run(web, "patch deployment web -p '{\"spec\":{\"replicas\":3}}'").stdout == "deployment.apps/web patched\n"
    assert web.get("deployment", "web")["spec"]["replicas"] == 3
    assert run(web, "patch deployment web --type=merge -p '{\"spec\":{\"replicas\":3}}'").stdout == (
        "deployment.apps/web patched (no change)\n")
    json_patch = "patch deployment web --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]'"
    assert run(web, json_patch).ok
    assert web.get("deployment", "web")["spec"]["replicas"] == 1
    assert run(web, "patch deployment web").stderr == (
        "error: must specify --patch or --patch-file containing the contents of the patch\n")
    assert run(web, "patch deployment nope -p '{}'").stderr == (
        'Error from server (NotFound): deployments.apps "nope" not found\n')


def test_edit_and_port_forward_explain_themselves(web):
    edit = run(web, "edit deployment web")
    assert edit.returncode == 1
    assert "%kubectl get deployment/web -o yaml\n" in edit.stdout
    assert 'obj = cluster.get("deployment", "web")' in edit.stdout
    forward = run(web, "port-forward deployment/web 8080:80")
    assert forward.returncode == 1 and "no\nreal network ports" in forward.stdout
    assert run(web, "port-forward").stderr == (
        "error: TYPE/NAME and list of ports are required for port-forward\n"
        "See 'kubectl port-forward -h' for help and examples\n")
