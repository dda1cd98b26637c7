"""Tests for the simulated etcd's listeners: routed by resource and by node, told in subscription order."""

from __future__ import annotations

from k8scourse.api.registry import REGISTRY
from k8scourse.sim.store import Store, WatchEvent

PODS = REGISTRY.resolve("pods")
CONFIGMAPS = REGISTRY.resolve("configmaps")


def pod(name: str, node: str = "") -> dict:
    spec = {"nodeName": node} if node else {}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"}, "spec": spec}


def test_listeners_hear_only_what_they_subscribed_to_in_subscription_order():
    store = Store()
    heard: list[tuple[str, str]] = []

    def listener(tag: str):
        return lambda event: heard.append((tag, event.object["metadata"]["name"]))

    store.subscribe(listener("all"))
    store.subscribe(listener("pods"), resources=("pods",))
    store.subscribe_node("node-a", listener("node-a"))
    store.subscribe(listener("all-2"))
    store.put(PODS, pod("pending"))
    store.put(PODS, pod("bound", "node-a"))
    store.put(PODS, pod("elsewhere", "node-b"))
    store.put(CONFIGMAPS, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm", "namespace": "default"}})
    assert heard == [
        ("all", "pending"), ("pods", "pending"), ("all-2", "pending"),
        ("all", "bound"), ("pods", "bound"), ("node-a", "bound"), ("all-2", "bound"),
        ("all", "elsewhere"), ("pods", "elsewhere"), ("all-2", "elsewhere"),
        ("all", "cm"), ("all-2", "cm"),
    ]


def test_a_node_listener_hears_the_deletion_of_its_pod_and_unsubscribe_stops_it():
    store = Store()
    events: list[WatchEvent] = []
    store.subscribe_node("node-a", events.append)
    store.put(PODS, pod("web", "node-a"))
    store.remove(PODS, "default", "web")
    assert [e.type for e in events] == ["ADDED", "DELETED"]
    store.unsubscribe(events.append)
    store.put(PODS, pod("web", "node-a"))
    assert len(events) == 2


def test_label_lookups_are_in_key_order_unless_unordered():
    store = Store()
    for name in ("b", "a", "c"):
        store.put(PODS, {**pod(name), "metadata": {"name": name, "namespace": "default", "labels": {"app": "x"}}})
    assert [p["metadata"]["name"] for p in store.with_label("pods", "app", "x")] == ["a", "b", "c"]
    assert sorted(p["metadata"]["name"] for p in store.with_label("pods", "app", "x", ordered=False)) == ["a", "b", "c"]
