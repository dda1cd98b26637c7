"""The source notes' control-plane scenarios, end to end, typed as a learner types them into kubectl.

Each test drives a fresh simulated minikube through `cluster.kubectl(...)` and moves virtual time with
`settle()` / `advance()`, then asserts what a real minikube running Kubernetes v1.33 shows: generated names,
STATUS strings, event reasons and messages, IPs and the order things happen in. Where the simulator is known
to differ from a real cluster, the test is written to the real behaviour and marked `xfail(strict=True)`.
"""

from __future__ import annotations

import ipaddress
import re

import pytest

import k8scourse

# staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go: the alphabet of rand.String (pod-name suffixes)
ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
# pkg/controller/controller_utils.go ComputeHash: rand.SafeEncodeString(fmt.Sprint(hasher.Sum32())) maps each
# decimal digit of a uint32 to ALPHABET[ord(digit) % 27], so a pod-template-hash only ever holds these ten
DIGIT_CODES = {ALPHABET[ord(d) % len(ALPHABET)]: d for d in "0123456789"}
SUFFIX = f"[{ALPHABET}]{{5}}"
HASH = f"[{''.join(sorted(DIGIT_CODES))}]{{1,10}}"

MYSQL_STATEFULSET = """\
apiVersion: v1
kind: Service
metadata:
  name: mysql
spec:
  clusterIP: None
  selector:
    app: mysql
  ports:
  - port: 3306
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: mysql
spec:
  serviceName: mysql
  replicas: 3
  selector:
    matchLabels:
      app: mysql
  template:
    metadata:
      labels:
        app: mysql
    spec:
      containers:
      - name: mysql
        image: mysql:8.0
        env:
        - name: MYSQL_ROOT_PASSWORD
          value: secret
        ports:
        - containerPort: 3306
"""

LIVENESS_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: liveness-http
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    livenessProbe:
      httpGet:
        path: /healthz
        port: 80
      initialDelaySeconds: 3
      periodSeconds: 3
"""


# --- helpers -----------------------------------------------------------------------------------------

def run(cluster, command: str, stdin: str | None = None) -> str:
    """kubectl `command`'s stdout; the command must succeed."""
    result = cluster.kubectl(command, stdin=stdin)
    assert result.returncode == 0, f"kubectl {command}: {result.stderr}"
    return result.stdout


def table(cluster, command: str) -> list[dict[str, str]]:
    """The rows of a kubectl table, keyed by column header (headers may hold a space: `NOMINATED NODE`)."""
    lines = run(cluster, command).splitlines()
    if not lines or lines[0].startswith("No resources found"):
        return []
    starts = [(m.start(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", lines[0])]
    bounds = [(start, starts[i + 1][0] if i + 1 < len(starts) else None, name) for i, (start, name) in enumerate(starts)]
    return [{name: line[start:end].strip() for start, end, name in bounds} for line in lines[1:]]


def pods(cluster, wide: bool = False) -> dict[str, dict[str, str]]:
    """`kubectl get pods` rows by pod name."""
    return {row["NAME"]: row for row in table(cluster, "get pods -o wide" if wide else "get pods")}


def timeline(cluster, seconds: float, step: float, command: str = "get pods") -> list[tuple[float, list[dict[str, str]]]]:
    """What `kubectl <command>` shows every `step` simulated seconds for `seconds`, keeping only changes."""
    seen: list[tuple[float, list[dict[str, str]]]] = []
    start = cluster.backend.now
    while cluster.backend.now - start < seconds:
        cluster.advance(step)
        rows = table(cluster, command)
        if not seen or seen[-1][1] != rows:
            seen.append((cluster.backend.now - start, rows))
    return seen


def events(cluster, name: str | None = None) -> list[dict]:
    """The namespace's Events in the order they were first recorded (optionally about object `name`)."""
    items = sorted(cluster.get("events"), key=lambda e: int(e["metadata"]["resourceVersion"]))
    return [e for e in items if name is None or e["involvedObject"]["name"] == name]


def event_lines(describe_output: str) -> list[list[str]]:
    """The Events table of `kubectl describe` as [type, reason, age, from, message] rows."""
    section = describe_output.split("\nEvents:\n", 1)[1].splitlines()[2:]
    return [re.split(r"\s{2,}", line.strip(), maxsplit=4) for line in section]


def is_ready(row: dict[str, str]) -> bool:
    ready, total = row["READY"].split("/")
    return row["STATUS"] == "Running" and ready == total


# --- 1. kubectl create deployment --------------------------------------------------------------------

def test_create_deployment_names_pods_after_its_replicaset_hash(cluster):
    assert run(cluster, "create deployment nginx-depl --image=nginx") == "deployment.apps/nginx-depl created\n"
    # before the kubelet has pulled the image, the pod is ContainerCreating (kubectl printPod: waiting reason)
    (first,) = pods(cluster).values()
    assert first["STATUS"] == "ContainerCreating" and first["READY"] == "0/1"
    cluster.settle()

    (rs,) = table(cluster, "get replicaset")
    match = re.fullmatch(rf"nginx-depl-({HASH})", rs["NAME"])
    assert match, rs["NAME"]
    pod_hash = match.group(1)
    # the hash is a uint32 written in decimal, then SafeEncodeString'd: decoding gives a 32-bit number back
    assert int("".join(DIGIT_CODES[c] for c in pod_hash)) < 2**32
    assert (rs["DESIRED"], rs["CURRENT"], rs["READY"]) == ("1", "1", "1")

    (pod,) = pods(cluster, wide=True).values()
    assert re.fullmatch(rf"nginx-depl-{pod_hash}-{SUFFIX}", pod["NAME"]), pod["NAME"]
    assert (pod["READY"], pod["STATUS"], pod["RESTARTS"], pod["NODE"]) == ("1/1", "Running", "0", "minikube")
    assert ipaddress.ip_address(pod["IP"]) in ipaddress.ip_network("10.244.0.0/24")  # minikube's pod CIDR

    labels = cluster.get("pod", pod["NAME"])["metadata"]["labels"]
    assert labels == {"app": "nginx-depl", "pod-template-hash": pod_hash}
    (deploy,) = table(cluster, "get deployment")
    assert (deploy["NAME"], deploy["READY"], deploy["UP-TO-DATE"], deploy["AVAILABLE"]) == ("nginx-depl", "1/1", "1", "1")
    # pkg/controller/deployment/sync.go (scaleReplicaSet): "Scaled %s replica set %s from %d to %d"
    messages = [(e["reason"], e["message"]) for e in events(cluster, "nginx-depl")]
    assert messages == [("ScalingReplicaSet", f"Scaled up replica set nginx-depl-{pod_hash} from 0 to 1")]


# --- 2. deleting a pod -------------------------------------------------------------------------------

def test_deleting_a_pod_gets_a_replacement_with_a_new_name_and_ip(cluster):
    run(cluster, "create deployment nginx-depl --image=nginx")
    cluster.settle()
    (old,) = pods(cluster, wide=True).values()

    assert run(cluster, f"delete pod {old['NAME']}") == f'pod "{old["NAME"]}" deleted\n'
    cluster.settle()
    (new,) = pods(cluster, wide=True).values()
    assert new["NAME"] != old["NAME"] and new["STATUS"] == "Running"
    prefix = old["NAME"].rsplit("-", 1)[0]  # same ReplicaSet, so same nginx-depl-<hash>-
    assert re.fullmatch(rf"{prefix}-{SUFFIX}", new["NAME"])
    # the bridge CNI's host-local IPAM hands out the address after the last one it reserved
    # (containernetworking/plugins plugins/ipam/host-local/backend/allocator/allocator.go, RangeIter)
    assert ipaddress.ip_address(new["IP"]) == ipaddress.ip_address(old["IP"]) + 1
    result = cluster.kubectl(f"get pod {old['NAME']}")
    assert result.returncode == 1
    assert result.stderr == f'Error from server (NotFound): pods "{old["NAME"]}" not found\n'
    # pkg/controller/controller_utils.go (CreatePods): "Created pod: %v"
    creates = [e["message"] for e in events(cluster, prefix) if e["reason"] == "SuccessfulCreate"]
    assert creates == [f"Created pod: {old['NAME']}", f"Created pod: {new['NAME']}"]


# --- 3. StatefulSet ----------------------------------------------------------------------------------

def test_statefulset_pods_start_in_order_and_stop_in_reverse(cluster):
    assert run(cluster, "apply -f -", MYSQL_STATEFULSET) == "service/mysql created\nstatefulset.apps/mysql created\n"
    assert list(pods(cluster)) == ["mysql-0"]  # OrderedReady: only the first ordinal until it is Ready

    appeared: dict[str, float] = {}
    ready: dict[str, float] = {}
    for t, rows in timeline(cluster, 120, 0.5):
        for row in rows:
            appeared.setdefault(row["NAME"], t)
            if is_ready(row):
                ready.setdefault(row["NAME"], t)
    assert sorted(appeared) == ["mysql-0", "mysql-1", "mysql-2"]
    assert appeared["mysql-1"] >= ready["mysql-0"] and appeared["mysql-2"] >= ready["mysql-1"]

    # each create follows the previous pod's Started event; pkg/controller/statefulset/stateful_pod_control.go
    # (recordPodEvent): "%s Pod %s in StatefulSet %s successful" with the verb lower-cased
    order = [(e["reason"], e["involvedObject"]["name"]) for e in events(cluster)
             if e["reason"] in ("SuccessfulCreate", "Started") and e["involvedObject"]["name"].startswith("mysql")]
    assert order == [("SuccessfulCreate", "mysql"), ("Started", "mysql-0"), ("SuccessfulCreate", "mysql"),
                     ("Started", "mysql-1"), ("SuccessfulCreate", "mysql"), ("Started", "mysql-2")]
    (sts,) = table(cluster, "get statefulset")
    assert (sts["NAME"], sts["READY"]) == ("mysql", "3/3")

    assert run(cluster, "scale statefulset mysql --replicas=0") == "statefulset.apps/mysql scaled\n"
    terminating: list[str] = []
    for _, rows in timeline(cluster, 120, 0.25):
        going = [row["NAME"] for row in rows if row["STATUS"] == "Terminating"]
        assert len(going) <= 1, going  # the next ordinal goes only once the previous one is gone
        terminating += [name for name in going if name not in terminating]
    assert terminating == ["mysql-2", "mysql-1", "mysql-0"]
    assert pods(cluster) == {}

    described = run(cluster, "describe statefulset mysql")
    assert [(row[1], row[4]) for row in event_lines(described)] == [
        ("SuccessfulCreate", f"create Pod mysql-{i} in StatefulSet mysql successful") for i in range(3)
    ] + [("SuccessfulDelete", f"delete Pod mysql-{i} in StatefulSet mysql successful") for i in (2, 1, 0)]


# --- 4. rolling update and rollback ------------------------------------------------------------------

# staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go (DeploymentStatusViewer.Status)
ROLLOUT_LINES = [
    r'Waiting for deployment "nginx-depl" rollout to finish: \d+ out of 3 new replicas have been updated\.\.\.',
    r'Waiting for deployment "nginx-depl" rollout to finish: \d+ old replicas are pending termination\.\.\.',
    r'Waiting for deployment "nginx-depl" rollout to finish: \d+ of 3 updated replicas are available\.\.\.',
]


def replica_sets(cluster) -> dict[str, dict[str, str]]:
    return {row["IMAGES"]: row for row in table(cluster, "get replicaset -o wide")}


def test_rolling_update_from_1_16_to_1_17_and_undo(cluster):
    run(cluster, "create deployment nginx-depl --image=nginx:1.16 --replicas=3")
    cluster.settle()
    original = replica_sets(cluster)["nginx:1.16"]["NAME"]

    assert run(cluster, "set image deployment/nginx-depl nginx=nginx:1.17") == "deployment.apps/nginx-depl image updated\n"
    status = run(cluster, "rollout status deployment/nginx-depl").splitlines()
    assert status[-1] == 'deployment "nginx-depl" successfully rolled out'
    assert status[:-1] and all(any(re.fullmatch(p, line) for p in ROLLOUT_LINES) for line in status[:-1]), status

    sets = replica_sets(cluster)
    assert set(sets) == {"nginx:1.16", "nginx:1.17"} and sets["nginx:1.16"]["NAME"] == original
    assert (sets["nginx:1.17"]["DESIRED"], sets["nginx:1.16"]["DESIRED"]) == ("3", "0")
    # staging/src/k8s.io/kubectl/pkg/polymorphichelpers/history.go (printHistory): tabwriter, a blank line after
    history = run(cluster, "rollout history deployment/nginx-depl")
    assert history.splitlines() == ["deployment.apps/nginx-depl ", "REVISION  CHANGE-CAUSE", "1         <none>",
                                    "2         <none>", ""]

    assert run(cluster, "rollout undo deployment/nginx-depl") == "deployment.apps/nginx-depl rolled back\n"
    # maxSurge 25% of 3 rounds up to 1, maxUnavailable 25% rounds down to 0 (deploymentutil.ResolveFenceposts):
    # never more than 4 pods that are not terminating, never fewer than 3 ready ones
    for _, rows in timeline(cluster, 60, 0.25):
        live = [row for row in rows if row["STATUS"] != "Terminating"]
        assert len(live) <= 4 and sum(is_ready(row) for row in live) >= 3, rows
    cluster.settle()
    sets = replica_sets(cluster)
    # the rollback scales the original ReplicaSet back up (same template, so same hash) and takes a new revision
    assert sets["nginx:1.16"]["NAME"] == original
    assert (sets["nginx:1.16"]["DESIRED"], sets["nginx:1.16"]["READY"], sets["nginx:1.17"]["DESIRED"]) == ("3", "3", "0")
    deploy = cluster.get("deployment", "nginx-depl")
    assert deploy["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.16"
    assert deploy["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    history = run(cluster, "rollout history deployment/nginx-depl")
    assert history.splitlines()[2:4] == ["2         <none>", "3         <none>"]
    live = [row for row in pods(cluster).values() if row["STATUS"] != "Terminating"]
    assert len(live) == 3 and all(row["NAME"].startswith(original + "-") for row in live)


# --- 5. a mistyped image -----------------------------------------------------------------------------

@pytest.mark.parametrize("command, pod_name, image", [
    ("run web --image=nginx:1.166", "web", "nginx:1.166"),
    ("create deployment typo --image=ngnix", None, "ngnix"),
])
def test_mistyped_image_goes_from_err_image_pull_to_image_pull_back_off(cluster, command, pod_name, image):
    run(cluster, command)
    statuses: list[str] = []
    for _, rows in timeline(cluster, 60, 0.25):
        (row,) = rows
        if not statuses or statuses[-1] != row["STATUS"]:
            statuses.append(row["STATUS"])
        assert row["READY"] == "0/1" and row["RESTARTS"] == "0"
    # kubectl printPod shows the container's waiting reason; the kubelet sets ErrImagePull after the failed
    # pull and ImagePullBackOff while it waits (pkg/kubelet/images/image_manager.go)
    assert statuses[:3] == ["ContainerCreating", "ErrImagePull", "ImagePullBackOff"]
    assert set(statuses[1:]) == {"ErrImagePull", "ImagePullBackOff"}
    assert statuses[-1] == "ImagePullBackOff"

    name = pod_name or next(iter(pods(cluster)))
    described = run(cluster, f"describe pod {name}")
    assert re.search(r"\n    State:          Waiting\n      Reason:       ImagePullBackOff\n", described)
    rows = [(row[0], row[1], row[4]) for row in event_lines(described)]
    # pkg/kubelet/images/image_manager.go: "Pulling image %q", "Failed to pull image %q: %v",
    # "Back-off pulling image %q"; the kubelet's "Error: %v" events carry ErrImagePull / ImagePullBackOff
    assert rows[1] == ("Normal", "Pulling", f'Pulling image "{image}"')
    assert rows[2][:2] == ("Warning", "Failed") and rows[2][2].startswith(f'Failed to pull image "{image}": ')
    assert rows[3:] == [("Warning", "Failed", "Error: ErrImagePull"),
                        ("Normal", "BackOff", f'Back-off pulling image "{image}"'),
                        ("Warning", "Failed", "Error: ImagePullBackOff")]


# --- 6. a failing liveness probe ---------------------------------------------------------------------

def test_failing_liveness_probe_restarts_the_container(cluster):
    run(cluster, "apply -f -", LIVENESS_POD)
    changes = timeline(cluster, 30, 0.5)
    started = next(t for t, rows in changes if rows[0]["STATUS"] == "Running")
    restarted, row = next((t, rows[0]) for t, rows in changes if rows[0]["RESTARTS"] != "0")
    # printPod: "%d (%s ago)" from the last termination's finishedAt
    assert re.fullmatch(r"1 \(\d+s ago\)", row["RESTARTS"]), row
    # three failed probes (failureThreshold) at periodSeconds 3 after initialDelaySeconds 3
    assert 9 <= restarted - started <= 15

    described = run(cluster, "describe pod liveness-http")
    assert "    Liveness:       http-get http://:80/healthz delay=3s timeout=1s period=3s #success=1 #failure=3\n" in described
    assert re.search(r"\n    Last State:     Terminated\n", described)
    rows = {(row[0], row[1], row[4]) for row in event_lines(described)}
    # pkg/kubelet/prober/prober.go: "%s probe failed: %s" with pkg/probe/http/http.go's
    # "HTTP probe failed with statuscode: %d"; pkg/kubelet/kuberuntime/kuberuntime_manager.go
    # (computePodActions): "Container %s failed liveness probe, will be restarted"
    assert ("Warning", "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 404") in rows
    assert ("Normal", "Killing", "Container nginx failed liveness probe, will be restarted") in rows
    assert ("Normal", "Pulled", 'Container image "nginx:1.27" already present on machine') in rows


# --- 7. a node stopped and started -------------------------------------------------------------------

@pytest.fixture
def two_nodes():
    cluster = k8scourse.connect(nodes=2)
    run(cluster, "create deployment nginx-depl --image=nginx --replicas=4")
    cluster.settle()
    return cluster


def node_status(cluster) -> dict[str, str]:
    return {row["NAME"]: row["STATUS"] for row in table(cluster, "get nodes")}


def test_stopped_node_goes_not_ready_and_its_pods_move(two_nodes):
    cluster = two_nodes
    before = pods(cluster, wide=True)
    on_m02 = sorted(name for name, row in before.items() if row["NODE"] == "minikube-m02")
    assert len(on_m02) == 2  # the scheduler spreads the four replicas over both nodes
    assert node_status(cluster) == {"minikube": "Ready", "minikube-m02": "Ready"}

    cluster.backend.stop_node("minikube-m02")
    # --node-monitor-grace-period defaults to 50s since v1.32 (pkg/controller/nodelifecycle/config/v1alpha1/
    # defaults.go, kubernetes/kubernetes#126287); the kubelet renews its Lease every 10s
    cluster.advance(35)
    assert node_status(cluster)["minikube-m02"] == "Ready"
    cluster.advance(25)
    assert node_status(cluster) == {"minikube": "Ready", "minikube-m02": "NotReady"}
    described = run(cluster, "describe node minikube-m02")
    assert "Taints:             node.kubernetes.io/unreachable:NoExecute\n" in described
    assert "  Ready            Unknown " in described and "NodeStatusUnknown   Kubelet stopped posting node status." in described

    # the pods tolerate node.kubernetes.io/unreachable for 300s (DefaultTolerationSeconds admission)
    cluster.advance(230)
    assert all(pods(cluster)[name]["STATUS"] == "Running" for name in on_m02)
    cluster.advance(90)
    now = pods(cluster, wide=True)
    assert all(now[name]["STATUS"] == "Terminating" for name in on_m02)  # its kubelet cannot confirm the kill
    cluster.settle()
    now = pods(cluster, wide=True)
    replacements = sorted(set(now) - set(before))
    assert len(replacements) == 2
    assert all(now[name]["NODE"] == "minikube" and now[name]["STATUS"] == "Running" for name in replacements)
    # pkg/controller/util/node/controller_utils.go (MarkPodsNotReady): "Node is not ready";
    # pkg/controller/tainteviction/taint_eviction.go: "Marking for deletion Pod %s"
    for name in on_m02:
        reasons = [(e["type"], e["reason"], e["message"]) for e in events(cluster, name)][-2:]
        assert reasons == [("Warning", "NodeNotReady", "Node is not ready"),
                           ("Normal", "TaintManagerEviction", f"Marking for deletion Pod default/{name}")]
    node_events = [(e["reason"], e["message"]) for e in events(cluster, "minikube-m02")]
    assert ("NodeNotReady", "Node minikube-m02 status is now: NodeNotReady") in node_events

    cluster.backend.start_node("minikube-m02")
    cluster.settle()
    assert node_status(cluster) == {"minikube": "Ready", "minikube-m02": "Ready"}
    after = pods(cluster, wide=True)
    assert sorted(after) == sorted(set(before) - set(on_m02) | set(replacements))  # the evicted pods are gone
    assert "Taints:             <none>\n" in run(cluster, "describe node minikube-m02")


def test_restarted_kubelet_reports_its_pressure_conditions_again(two_nodes):
    cluster = two_nodes
    cluster.backend.stop_node("minikube-m02")
    cluster.advance(60)
    cluster.backend.start_node("minikube-m02")
    cluster.settle()
    conditions = {c["type"]: (c["status"], c["reason"], c["message"])
                  for c in cluster.get("node", "minikube-m02")["status"]["conditions"]}
    # pkg/kubelet/nodestatus/setters.go: each setter turns a condition that is not False back to False
    assert conditions == {
        "MemoryPressure": ("False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        "DiskPressure": ("False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        "PIDPressure": ("False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        "Ready": ("True", "KubeletReady", "kubelet is posting ready status"),
    }


def test_restarted_kubelet_records_node_ready(two_nodes):
    cluster = two_nodes
    cluster.backend.stop_node("minikube-m02")
    cluster.advance(60)
    cluster.backend.start_node("minikube-m02")
    cluster.settle()
    # pkg/kubelet/nodestatus/setters.go (ReadyCondition) records NodeReady when Ready turns True;
    # pkg/kubelet/kubelet_node_status.go (recordNodeStatusEvent): "Node %s status is now: %s"
    messages = [(e["source"].get("component") or e.get("reportingComponent"), e["reason"], e["message"])
                for e in events(cluster, "minikube-m02")]  # kube-proxy's events.k8s.io Events have no source
    assert ("kubelet", "NodeReady", "Node minikube-m02 status is now: NodeReady") in messages
