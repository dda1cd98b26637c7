"""kubectl describe: golden transcripts on a fixed scenario, plus the layout rules the describers share.

Wording and layout come from staging/src/k8s.io/kubectl/pkg/describe/describe.go (v1.33) and
staging/src/k8s.io/kubectl/pkg/cmd/describe/describe.go (separators, prefix matching, not-found errors).
Regenerate with `pytest tests/kubectl/test_describe.py --update-golden` after checking the output.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from k8scourse.kubectl.describe.events import event_age
from k8scourse.kubectl.describe.writer import PrefixWriter, annotations_multiline, tabbed

MORE_KINDS = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80, name: http}]
        env:
        - {name: A, value: "x"}
        - name: POD
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
        - name: CM
          valueFrom: {configMapKeyRef: {name: cfg, key: k}}
        resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}
        readinessProbe: {httpGet: {path: /, port: 80}}
        livenessProbe: {tcpSocket: {port: 80}}
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: busybox, command: [sleep, "3600"]}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: pi, image: busybox, command: [echo, hi]}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: hello}
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: hello, image: busybox, command: [echo, hi]}]
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /data/pv1}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing}
spec:
  rules:
  - host: example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec:
  replicas: 1
  selector: {app: rc}
  template:
    metadata: {labels: {app: rc}}
    spec:
      containers: [{name: c, image: nginx}]
"""


@pytest.fixture
def scenario(cluster):
    """A settled nginx Deployment, a pod whose image does not exist, a Service, two minutes later."""
    for command in ("create deployment nginx-depl --image=nginx", "run bad --image=nginxx:nope",
                    "create service clusterip nginx-depl --tcp=80:80",
                    "create configmap app-config --from-literal=db_url=mongodb-service",
                    "create secret generic app-secret --from-literal=password=s3cr3t"):
        assert cluster.kubectl(command).ok, command
    cluster.settle()
    cluster.advance(120)
    return cluster


@pytest.mark.parametrize("name, commands", [
    ("pods", ["describe pod nginx-depl", "describe pod bad"]),
    ("workloads", ["describe deployment nginx-depl", "describe rs"]),
    ("service-node", ["describe svc nginx-depl", "describe node minikube", "describe ns default"]),
    ("config", ["describe configmap app-config", "describe secret app-secret", "describe sa default"]),
    ("forms", ["describe pods -l run=bad --show-events=false", "describe pod/bad deployment/nginx-depl "
               "--show-events=false", "describe pod nope", "describe pods nope other", "describe pods -l app=none",
               "describe", "describe pod bad -A", "describe pods -A -l run=bad --show-events=false"]),
])
def test_describe_transcripts(scenario, golden, transcript, name, commands):
    golden(f"kubectl/describe-{name}", transcript(scenario, commands))


def test_describe_more_kinds(cluster, golden, transcript):
    # a StatefulSet whose pod waits for a missing ConfigMap, a DaemonSet, a Job, a CronJob, a PV, an Ingress
    # to a missing Service, a ReplicationController and an HPA without CPU requests to work from
    assert cluster.kubectl("apply -f -", stdin=MORE_KINDS).ok
    assert cluster.kubectl("create deployment d --image=nginx").ok
    assert cluster.kubectl("autoscale deployment d --min=1 --max=3 --cpu-percent=50").ok
    cluster.settle()
    cluster.advance(90)
    commands = ["describe sts web", "describe ds", "describe job pi", "describe cronjob", "describe pv",
                "describe pvc", "describe sc", "describe ing", "describe rc", "describe hpa",
                "describe endpointslices", "describe pods web-0"]
    golden("kubectl/describe-more-kinds", transcript(cluster, commands))


def test_prefix_match_describes_each_match_followed_by_a_blank_line(scenario):
    # DescribeMatchingResources prints "%s\n" per object whose name starts with the argument
    out = scenario.kubectl("describe pod nginx-depl --show-events=false").stdout
    assert out.startswith("Name:             nginx-depl-")
    assert out.endswith("op=Exists for 300s\n\n")


def test_not_found_is_the_servers_error(scenario):
    result = scenario.kubectl("describe deployment web")
    assert (result.stderr, result.returncode) == ('Error from server (NotFound): deployments.apps "web" not found\n', 1)


def test_events_table_is_aligned_on_its_own():
    # DescribeEvents flushes the tabwriter before the table: its columns do not widen the fields above
    w = PrefixWriter()
    w.write(0, "A-very-long-field-name:\tvalue\n")
    w.flush()
    w.write(0, "Events:\n  Type\tReason\n")
    assert w.text() == "A-very-long-field-name:  value\nEvents:\n  Type  Reason\n"


def test_tabwriter_blocks_end_at_lines_without_cells():
    # text/tabwriter: a column block is a run of consecutive lines that have a cell in that column
    assert tabbed("a:\tb\nlonger:\tc\nplain\nx:\ty\n") == "a:       b\nlonger:  c\nplain\nx:  y\n"


def test_long_annotations_go_on_their_own_shortened_lines():
    # printAnnotationsMultiline: values longer than 140 characters with the key are cut at 138 and end in ...
    w = PrefixWriter()
    annotations_multiline(w, "Annotations", {"note": "x" * 200, "a": "b",
                                             "kubectl.kubernetes.io/last-applied-configuration": "{}"})
    assert w.text() == f"Annotations:  a: b\n              note:\n                {'x' * 138}...\n"


def test_repeated_event_age_shows_count_and_span():
    # DescribeEvents: "%s (x%d over %s)" from lastTimestamp, count and firstTimestamp
    now = datetime(2026, 1, 5, 9, 10, tzinfo=UTC)
    event = {"count": 3, "firstTimestamp": "2026-01-05T09:05:00Z", "lastTimestamp": "2026-01-05T09:08:00Z"}
    assert event_age(event, now) == "2m (x3 over 5m)"
    assert event_age({"count": 1, "firstTimestamp": "2026-01-05T09:09:50Z"}, now) == "10s"


def test_describe_endpointslices_as_kubectl_v1_33_prints_them():
    # pkg/describe/describe.go describeEndpointSliceV1; compared with kubectl v1.33.1 driving k8scourse serve
    import k8scourse

    cluster = k8scourse.connect()
    cluster.apply("""apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: manual}
addressType: IPv4
endpoints:
- addresses: ["10.1.2.3", "10.1.2.4"]
  hostname: h1
  zone: z1
ports: []
""")
    assert str(cluster.kubectl("describe endpointslice manual")) == """Name:         manual
Namespace:    default
Labels:       <none>
Annotations:  <none>
AddressType:  IPv4
Ports: <unset>
Endpoints:
  - Addresses:  10.1.2.3, 10.1.2.4
    Conditions:
      Ready:   <unset>
    Hostname:  h1
    NodeName:  <unset>
    Zone:      z1
Events:        <none>
"""
    assert str(cluster.kubectl("describe endpointslice kubernetes")).startswith("""Name:         kubernetes
Namespace:    default
Labels:       kubernetes.io/service-name=kubernetes
Annotations:  <none>
AddressType:  IPv4
Ports:
  Name   Port  Protocol
  ----   ----  --------
  https  8443  TCP
Endpoints:
  - Addresses:  192.168.49.2
""")
