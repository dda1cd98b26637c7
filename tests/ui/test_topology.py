"""The cluster view's picture: a pure function of the objects, checked on the SVG text it returns."""

from __future__ import annotations

import re

import pytest

from k8scourse.ui import relations as rel
from k8scourse.ui.snapshot import Snapshot, take_snapshot
from k8scourse.ui.svg import BAD, GOOD, WAITING
from k8scourse.ui.topology import cluster_svg, layout, pod_look


def pod(name, *, node="minikube", phase="Running", ready=True, restarts=0, owner=None, **spec):
    obj = {"kind": "Pod", "metadata": {"name": name, "namespace": "default"},
           "spec": {"nodeName": node, "containers": [{"name": "app", "image": "nginx"}], **spec},
           "status": {"phase": phase,
                      "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
                      "containerStatuses": [{"name": "app", "ready": ready, "restartCount": restarts,
                                             "state": {"running": {}}}]}}
    if owner:
        obj["metadata"]["ownerReferences"] = [{"kind": owner[0], "name": owner[1], "controller": True}]
    return obj


def node(name, ready=True):
    return {"kind": "Node", "metadata": {"name": name},
            "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}}


def boxes_with_text(svg: str) -> list[str]:
    return re.findall(r">([^<>]+)</text>", svg)


def test_pods_are_drawn_inside_their_nodes():
    snap = Snapshot("default", {"nodes": [node("minikube"), node("minikube-m02")],
                                "pods": [pod("a"), pod("b", node="minikube-m02"), pod("c", node="")]})
    lay = layout(snap)
    for name, host in (("a", "minikube"), ("b", "minikube-m02"), ("c", "")):
        inner, outer = lay.boxes[("Pod", name)], lay.node_boxes[host]
        assert outer.x <= inner.x and inner.x + inner.w <= outer.x + outer.w
        assert outer.y <= inner.y and inner.y + inner.h <= outer.y + outer.h
    texts = boxes_with_text(cluster_svg(snap))
    assert {"node minikube", "node minikube-m02", "not scheduled"} <= set(texts)


def test_pods_are_coloured_by_what_kubectl_get_pods_says():
    assert pod_look(pod("a")) == ("Running 1/1", GOOD, 0)
    assert pod_look(pod("a", ready=False))[1] != GOOD
    waiting = pod("w", phase="Pending", ready=False)
    waiting["status"]["containerStatuses"][0]["state"] = {"waiting": {"reason": "ContainerCreating"}}
    assert pod_look(waiting)[:2] == ("ContainerCreating 0/1", WAITING)
    crashing = pod("x", ready=False, restarts=4)
    crashing["status"]["containerStatuses"][0]["state"] = {"waiting": {"reason": "CrashLoopBackOff"}}
    assert pod_look(crashing) == ("CrashLoopBackOff 0/1", BAD, 4)


def test_restarts_show_as_a_badge():
    svg = cluster_svg(Snapshot("default", {"nodes": [node("minikube")], "pods": [pod("a", restarts=3)]}))
    assert "<title>3 restarts</title>" in svg
    assert ">3</text>" in svg


def test_a_missing_configmap_is_drawn_dashed_and_red():
    consumer = pod("reader", env=[], volumes=[{"name": "cfg", "configMap": {"name": "settings"}},
                                             {"name": "kube-api-access-x", "projected": {"sources": [
                                                 {"configMap": {"name": "kube-root-ca.crt"}}]}}])
    snap = Snapshot("default", {"nodes": [node("minikube")], "pods": [consumer]})
    svg = cluster_svg(snap)
    assert "configmap/settings" in svg and "kube-root-ca.crt" not in svg
    assert re.search(rf'stroke="{BAD[0]}" fill="{BAD[1]}" stroke-width="1.2" stroke-dasharray="4 3" '
                     r'class="k8s-configmap"', svg)


def test_owners_sit_above_what_they_own_and_services_below():
    rs = {"kind": "ReplicaSet", "metadata": {"name": "web-1", "ownerReferences": [
        {"kind": "Deployment", "name": "web", "controller": True}]}, "spec": {"replicas": 1}, "status": {}}
    deploy = {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 1}, "status": {}}
    svc = {"kind": "Service", "metadata": {"name": "web"}, "spec": {"clusterIP": "10.96.0.9", "ports": [{"port": 80}]}}
    slice_ = {"kind": "EndpointSlice", "metadata": {"name": "web-x", "labels": {"kubernetes.io/service-name": "web"}},
              "endpoints": [{"targetRef": {"kind": "Pod", "name": "web-1-a"}, "conditions": {"ready": True}}]}
    snap = Snapshot("default", {"nodes": [node("minikube")], "deployments": [deploy], "replicasets": [rs],
                                "pods": [pod("web-1-a", owner=("ReplicaSet", "web-1"))], "services": [svc],
                                "endpointslices": [slice_]})
    lay = layout(snap)
    ys = {k: lay.boxes[k].y for k in [("Deployment", "web"), ("ReplicaSet", "web-1"), ("Pod", "web-1-a"),
                                       ("Service", "web")]}
    assert ys[("Deployment", "web")] < ys[("ReplicaSet", "web-1")] < ys[("Pod", "web-1-a")] < ys[("Service", "web")]
    kinds = {(link.source, link.target): link.kind for link in lay.links}
    assert kinds[(("Deployment", "web"), ("ReplicaSet", "web-1"))] == "owns"
    assert kinds[(("Service", "web"), ("Pod", "web-1-a"))] == "serves"


def test_not_ready_endpoints_are_dashed_links():
    slice_ = {"metadata": {"name": "s", "labels": {"kubernetes.io/service-name": "web"}},
              "endpoints": [{"targetRef": {"kind": "Pod", "name": "a"}, "conditions": {"ready": False}},
                            {"targetRef": {"kind": "Pod", "name": "b"}, "conditions": {"ready": True}}]}
    links = rel.service_backends([{"metadata": {"name": "web"}}], [slice_], [])
    assert [(link.target[1], link.ok) for link in links] == [("a", False), ("b", True)]


def test_ingress_routes_and_volume_claims():
    ing = {"kind": "Ingress", "metadata": {"name": "site"}, "spec": {"rules": [
        {"host": "shop.example", "http": {"paths": [{"path": "/", "backend": {"service": {"name": "web"}}}]}}]}}
    assert rel.ingress_backends([ing]) == [rel.Link(("Ingress", "site"), ("Service", "web"), "routes",
                                                    label="shop.example/")]
    pvc = {"kind": "PersistentVolumeClaim", "metadata": {"name": "data"}, "spec": {"volumeName": "pv-1"}}
    assert rel.claims([pvc]) == [rel.Link(("PersistentVolume", "pv-1"), ("PersistentVolumeClaim", "data"), "binds")]


def test_the_picture_of_a_real_cluster_is_the_same_text_every_time(cluster):
    cluster.kubectl("create deployment web --image=nginx:1.27 --replicas=3")
    cluster.kubectl("expose deployment web --port=80")
    cluster.settle()
    first = cluster_svg(take_snapshot(cluster))
    assert first == cluster_svg(take_snapshot(cluster))
    names = [p["metadata"]["name"] for p in cluster.get("pods")]
    texts = boxes_with_text(first)
    assert all(name in texts for name in names)
    assert texts.count("Running 1/1") == 3
    assert {"deployment/web", "service/web", "node minikube"} <= set(texts)
    assert "kube-system" not in first  # other namespaces' pods are only counted
    assert re.search(r"\+\d+ pods in other namespaces", first)


@pytest.mark.parametrize("nodes", [1, 3])
def test_the_picture_is_valid_svg(nodes):
    import xml.etree.ElementTree as ET

    import k8scourse

    cluster = k8scourse.connect(nodes=nodes)
    cluster.kubectl("create deployment web --image=nginx:1.27 --replicas=4")
    cluster.settle()
    root = ET.fromstring(cluster_svg(take_snapshot(cluster)))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert float(root.get("width")) < 2000
