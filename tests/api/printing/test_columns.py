"""Column definitions and cells of each kind, as pkg/printers/internalversion/printers.go prints them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from k8scourse.api.printing import build_table, printer_for

NOW = datetime(2026, 1, 5, 10, 0, 0, tzinfo=UTC)


def meta(name="web", **extra):
    return {"name": name, "namespace": "default", "creationTimestamp": "2026-01-05T09:55:00Z", **extra}


def row(group, kind, obj):
    return printer_for(group, kind).row(obj, NOW)


def headers(group, kind):
    return [(c.name, c.priority) for c in printer_for(group, kind).columns]


TEMPLATE = {"metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}, {"name": "log", "image": "busybox"}]}}


@pytest.mark.parametrize(("group", "kind", "names"), [
    ("", "Pod", ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"]),
    ("apps", "Deployment", ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"]),
    ("apps", "ReplicaSet", ["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"]),
    ("apps", "StatefulSet", ["Name", "Ready", "Age", "Containers", "Images"]),
    ("apps", "DaemonSet", ["Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector", "Age",
                           "Containers", "Images", "Selector"]),
    ("batch", "Job", ["Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector"]),
    ("batch", "CronJob", ["Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age", "Containers",
                          "Images", "Selector"]),
    ("", "Service", ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"]),
    ("", "Node", ["Name", "Status", "Roles", "Age", "Version", "Internal-IP", "External-IP", "OS-Image",
                  "Kernel-Version", "Container-Runtime"]),
    ("", "Event", ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count",
                   "Name"]),
    ("", "PersistentVolumeClaim", ["Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass",
                                   "VolumeAttributesClass", "Age", "VolumeMode"]),
    ("autoscaling", "HorizontalPodAutoscaler", ["Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas",
                                                "Age"]),
    ("rbac.authorization.k8s.io", "Role", ["Name", "Created At"]),
])
def test_column_names(group, kind, names):
    assert [n for n, _ in headers(group, kind)] == names


def test_wide_columns_have_priority_one():
    assert [n for n, p in headers("apps", "Deployment") if p] == ["Containers", "Images", "Selector"]
    assert [n for n, p in headers("", "Event") if p] == ["Subobject", "Source", "First Seen", "Count", "Name"]


def test_deployment():
    obj = {"metadata": meta(), "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                                        "template": TEMPLATE},
           "status": {"readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2}}
    assert row("apps", "Deployment", obj) == ["web", "2/3", 3, 2, "5m", "nginx,log", "nginx:1.25,busybox", "app=web"]


def test_replica_set_and_stateful_set_and_daemon_set():
    rs = {"metadata": meta("web-5fcbf6fffd"), "spec": {"replicas": 2, "template": TEMPLATE,
                                                       "selector": {"matchLabels": {"app": "web"}}},
          "status": {"replicas": 2}}
    assert row("apps", "ReplicaSet", rs)[:5] == ["web-5fcbf6fffd", 2, 2, 0, "5m"]
    sts = {"metadata": meta("db"), "spec": {"replicas": 3, "template": TEMPLATE}, "status": {"readyReplicas": 1}}
    assert row("apps", "StatefulSet", sts)[:3] == ["db", "1/3", "5m"]
    ds = {"metadata": meta("proxy"), "spec": {"template": {"spec": {"nodeSelector": {"os": "linux"},
                                                                   "containers": []}},
                                              "selector": {"matchLabels": {"k8s-app": "proxy"}}},
          "status": {"desiredNumberScheduled": 1, "currentNumberScheduled": 1, "numberReady": 1}}
    assert row("apps", "DaemonSet", ds) == ["proxy", 1, 1, 1, 0, 0, "os=linux", "5m", "", "", "k8s-app=proxy"]


def test_replication_controller_selector_is_a_plain_map():
    rc = {"metadata": meta(), "spec": {"replicas": 1, "selector": {"app": "web"}, "template": TEMPLATE}}
    assert row("", "ReplicationController", rc)[-1] == "app=web"


def test_jobs():
    running = {"metadata": meta("pi"), "spec": {"completions": 1, "template": TEMPLATE,
                                                "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "u"}}},
               "status": {"startTime": "2026-01-05T09:58:00Z", "active": 1}}
    assert row("batch", "Job", running)[:5] == ["pi", "Running", "0/1", "2m", "5m"]
    done = {**running, "status": {"startTime": "2026-01-05T09:56:00Z", "completionTime": "2026-01-05T09:56:12Z",
                                  "succeeded": 1, "conditions": [{"type": "Complete", "status": "True"}]}}
    assert row("batch", "Job", done)[:4] == ["pi", "Complete", "1/1", "12s"]
    parallel = {"metadata": meta("work"), "spec": {"parallelism": 3, "template": TEMPLATE}, "status": {}}
    assert row("batch", "Job", parallel)[1:4] == ["Running", "0/1 of 3", ""]


def test_cron_job():
    cj = {"metadata": meta("hello"), "spec": {"schedule": "*/1 * * * *", "suspend": False,
                                              "jobTemplate": {"spec": {"template": TEMPLATE}}},
          "status": {"active": [{"name": "hello-1"}], "lastScheduleTime": "2026-01-05T09:59:00Z"}}
    assert row("batch", "CronJob", cj)[:7] == ["hello", "*/1 * * * *", "<none>", "False", 1, "60s", "5m"]


def test_services():
    cluster_ip = {"metadata": meta("kubernetes"), "spec": {"type": "ClusterIP", "clusterIPs": ["10.96.0.1"],
                                                           "ports": [{"port": 443, "protocol": "TCP"}]}}
    assert row("", "Service", cluster_ip) == ["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "5m",
                                              "<none>"]
    node_port = {"metadata": meta(), "spec": {"type": "NodePort", "clusterIPs": ["10.96.12.7"],
                                              "selector": {"app": "web"},
                                              "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"},
                                                        {"port": 53, "nodePort": 31053, "protocol": "UDP"}]}}
    assert row("", "Service", node_port)[2:5] == ["10.96.12.7", "<none>", "80:30080/TCP,53:31053/UDP"]
    lb = {"metadata": meta(), "spec": {"type": "LoadBalancer", "clusterIPs": ["10.96.3.3"], "ports": []}}
    assert row("", "Service", lb)[3:5] == ["<pending>", "<none>"]
    lb["status"] = {"loadBalancer": {"ingress": [{"ip": "192.168.49.100"}, {"hostname": "lb.example"}]}}
    assert row("", "Service", lb)[3] == "192.168.49.100,lb.example"  # the server prints wide: never clipped
    headless = {"metadata": meta("db"), "spec": {"type": "ClusterIP", "clusterIPs": ["None"], "ports": []}}
    assert row("", "Service", headless)[2] == "None"
    external = {"metadata": meta("ext"), "spec": {"type": "ExternalName", "externalName": "example.com"}}
    assert row("", "Service", external)[2:4] == ["<none>", "example.com"]


def test_endpoints_and_slices():
    ep = {"metadata": meta(), "subsets": [{"addresses": [{"ip": f"10.244.0.{i}"} for i in range(2, 7)],
                                           "ports": [{"port": 80}]}]}
    assert row("", "Endpoints", ep)[1] == "10.244.0.2:80,10.244.0.3:80,10.244.0.4:80 + 2 more..."
    assert row("", "Endpoints", {"metadata": meta()})[1] == "<none>"
    eps = {"metadata": meta("web-abcde"), "addressType": "IPv4", "ports": [{"port": 80}],
           "endpoints": [{"addresses": ["10.244.0.5"]}]}
    assert row("discovery.k8s.io", "EndpointSlice", eps)[:4] == ["web-abcde", "IPv4", "80", "10.244.0.5"]
    assert row("discovery.k8s.io", "EndpointSlice", {"metadata": meta(), "addressType": "IPv4"})[2:4] == [
        "<unset>", "<unset>"]


def test_ingress_and_ingress_class():
    ing = {"metadata": meta(), "spec": {"ingressClassName": "nginx", "rules": [{"host": "web.local"}, {}]},
           "status": {"loadBalancer": {"ingress": [{"ip": "192.168.49.2"}]}}}
    assert row("networking.k8s.io", "Ingress", ing)[:5] == ["web", "nginx", "web.local", "192.168.49.2", "80"]
    ing["spec"]["tls"] = [{"hosts": ["web.local"]}]
    assert row("networking.k8s.io", "Ingress", ing)[4] == "80, 443"
    assert row("networking.k8s.io", "Ingress", {"metadata": meta(), "spec": {}})[1:4] == ["<none>", "*", ""]
    cls = {"metadata": meta("nginx"), "spec": {"controller": "k8s.io/ingress-nginx"}}
    assert row("networking.k8s.io", "IngressClass", cls)[:3] == ["nginx", "k8s.io/ingress-nginx", "<none>"]


def test_config_and_secrets_and_namespaces():
    assert row("", "ConfigMap", {"metadata": meta("cfg"), "data": {"a": "1", "b": "2"}})[:2] == ["cfg", 2]
    secret = {"metadata": meta("s"), "type": "Opaque", "data": {"password": "cGFzcw=="}}
    assert row("", "Secret", secret)[:3] == ["s", "Opaque", 1]
    assert row("", "Namespace", {"metadata": meta("dev"), "status": {"phase": "Active"}})[:2] == ["dev", "Active"]
    assert row("", "ServiceAccount", {"metadata": meta("default")})[:2] == ["default", 0]


def test_nodes():
    node = {"metadata": meta("minikube", labels={"node-role.kubernetes.io/control-plane": ""}),
            "spec": {"unschedulable": True},
            "status": {"conditions": [{"type": "Ready", "status": "True"}],
                       "addresses": [{"type": "InternalIP", "address": "192.168.49.2"}],
                       "nodeInfo": {"kubeletVersion": "v1.33.1", "osImage": "Ubuntu 22.04.5 LTS",
                                    "kernelVersion": "6.8.0", "containerRuntimeVersion": "docker://28.1.1"}}}
    assert row("", "Node", node) == ["minikube", "Ready,SchedulingDisabled", "control-plane", "5m", "v1.33.1",
                                     "192.168.49.2", "<none>", "Ubuntu 22.04.5 LTS", "6.8.0", "docker://28.1.1"]
    bare = {"metadata": meta("n2"), "status": {"conditions": [{"type": "Ready", "status": "Unknown"}]}}
    assert row("", "Node", bare)[1:3] == ["NotReady", "<none>"]
    assert row("", "Node", {"metadata": meta("n3")})[1] == "Unknown"


def test_storage():
    pv = {"metadata": meta("pv1"), "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteMany",
                                                                                          "ReadWriteOnce"],
                                            "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "manual",
                                            "claimRef": {"namespace": "default", "name": "data"}},
          "status": {"phase": "Bound"}}
    assert row("", "PersistentVolume", pv) == ["pv1", "1Gi", "RWO,RWX", "Retain", "Bound", "default/data",
                                               "manual", "<unset>", "", "5m", "<unset>"]
    pending = {"metadata": meta("data"), "spec": {"storageClassName": "standard",
                                                   "resources": {"requests": {"storage": "1Gi"}}},
               "status": {"phase": "Pending"}}
    assert row("", "PersistentVolumeClaim", pending)[:6] == ["data", "Pending", "", "", "", "standard"]
    bound = {**pending, "spec": {**pending["spec"], "volumeName": "pvc-1"},
             "status": {"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "1Gi"}}}
    assert row("", "PersistentVolumeClaim", bound)[:6] == ["data", "Bound", "pvc-1", "1Gi", "RWO", "standard"]
    sc = {"metadata": meta("standard", annotations={"storageclass.kubernetes.io/is-default-class": "true"}),
          "provisioner": "k8s.io/minikube-hostpath"}
    assert row("storage.k8s.io", "StorageClass", sc)[:5] == ["standard (default)", "k8s.io/minikube-hostpath",
                                                            "Delete", "Immediate", False]


def test_hpa_targets_in_the_v1_33_format():
    spec = {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "minReplicas": 1, "maxReplicas": 10,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization",
                                                                                  "averageUtilization": 50}}}]}
    hpa = {"metadata": meta(), "spec": spec, "status": {"currentReplicas": 2}}
    assert row("autoscaling", "HorizontalPodAutoscaler", hpa) == ["web", "Deployment/web", "cpu: <unknown>/50%",
                                                                  "1", 10, 2, "5m"]
    hpa["status"]["currentMetrics"] = [{"type": "Resource", "resource": {"name": "cpu",
                                                                         "current": {"averageUtilization": 45}}}]
    assert row("autoscaling", "HorizontalPodAutoscaler", hpa)[2] == "cpu: 45%/50%"
    spec["metrics"] += [{"type": "Resource", "resource": {"name": "memory", "target": {"averageValue": "200Mi"}}},
                        {"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {"averageValue": "1k"}}}]
    assert row("autoscaling", "HorizontalPodAutoscaler", hpa)[2] == \
        "cpu: 45%/50%, memory: <unknown>/200Mi + 1 more..."
    assert row("autoscaling", "HorizontalPodAutoscaler", {"metadata": meta(), "spec": {}})[2:4] == ["<none>",
                                                                                                   "<unset>"]


def test_events():
    event = {"metadata": meta("web.17a"), "type": "Normal", "reason": "Scheduled",
             "message": "Successfully assigned default/web to minikube\n",
             "involvedObject": {"kind": "Pod", "name": "web", "fieldPath": ""},
             "source": {"component": "default-scheduler"},
             "firstTimestamp": "2026-01-05T09:58:00Z", "lastTimestamp": "2026-01-05T09:59:00Z", "count": 2}
    assert row("", "Event", event) == ["60s", "Normal", "Scheduled", "pod/web", "", "default-scheduler",
                                       "Successfully assigned default/web to minikube", "2m", 2, "web.17a"]
    new_api = {"metadata": meta("x"), "type": "Warning", "reason": "BackOff", "message": "Back-off",
               "involvedObject": {"kind": "Pod", "name": "web"}, "eventTime": "2026-01-05T09:59:30.000000Z",
               "reportingComponent": "kubelet", "reportingInstance": "minikube"}
    assert row("", "Event", new_api)[:6] == ["30s", "Warning", "BackOff", "pod/web", "", "kubelet, minikube"]
    assert row("", "Event", new_api)[8] == 1


def test_leases_and_controller_revisions():
    lease = {"metadata": meta("minikube"), "spec": {"holderIdentity": "minikube"}}
    assert row("coordination.k8s.io", "Lease", lease)[:2] == ["minikube", "minikube"]
    rev = {"metadata": meta("db-6b8d5c", ownerReferences=[{"apiVersion": "apps/v1", "kind": "StatefulSet",
                                                          "name": "db", "controller": True}]), "revision": 1}
    assert row("apps", "ControllerRevision", rev)[:3] == ["db-6b8d5c", "statefulset.apps/db", 1]


def test_default_table_prints_creation_time():
    role = {"metadata": meta("reader")}
    assert row("rbac.authorization.k8s.io", "Role", role) == ["reader", "2026-01-05T09:55:00Z"]


def test_table_object():
    pods = [{"metadata": meta("a"), "spec": {"containers": [{"name": "c"}]}, "status": {"phase": "Succeeded"}}]
    table = build_table("", "Pod", pods, NOW, resource_version="42")
    assert table["kind"] == "Table" and table["apiVersion"] == "meta.k8s.io/v1"
    assert table["metadata"] == {"resourceVersion": "42"}
    first = table["columnDefinitions"][0]
    assert first["name"] == "Name" and first["format"] == "name" and first["priority"] == 0
    assert first["description"].startswith("Name must be unique within a namespace.")
    assert table["columnDefinitions"][5] == {
        "name": "IP", "type": "string", "format": "", "priority": 1,
        "description": table["columnDefinitions"][5]["description"]}
    assert table["rows"][0]["object"] == {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                          "metadata": pods[0]["metadata"]}
    assert table["rows"][0]["conditions"][0]["reason"] == "Succeeded"
    assert "object" not in build_table("", "Pod", pods, NOW, include_object="None")["rows"][0]
    assert build_table("", "Pod", pods, NOW, no_headers=True)["columnDefinitions"] is None
