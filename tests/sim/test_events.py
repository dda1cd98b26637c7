"""The event recorder: core/v1 Events named `<object>.<hex time>`, repeats counted, one-hour TTL.

Shape after staging/src/k8s.io/client-go/tools/record/event.go (makeEvent, the correlator's count and
lastTimestamp) and the apiserver's --event-ttl default of 1h.
"""

from __future__ import annotations


def test_event_shape_and_naming(cluster):
    sim = cluster.backend
    cm = cluster.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}})[0]
    event = sim.recorder.event(cm, "Normal", "Synced", "Config synced", "example-controller")
    assert event["metadata"]["name"].startswith("cfg.")
    int(event["metadata"]["name"].split(".")[1], 16)  # a hex timestamp, as client-go names events
    assert event["involvedObject"] == {"apiVersion": "v1", "kind": "ConfigMap", "name": "cfg",
                                       "namespace": "default", "uid": cm["metadata"]["uid"],
                                       "resourceVersion": cm["metadata"]["resourceVersion"]}
    assert (event["type"], event["reason"], event["count"]) == ("Normal", "Synced", 1)
    assert event["source"] == {"component": "example-controller"}
    assert event["firstTimestamp"] == event["lastTimestamp"]


def test_repeats_are_counted_on_one_event(cluster):
    sim = cluster.backend
    cm = cluster.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}})[0]
    first = sim.recorder.event(cm, "Warning", "BackOff", "Back-off restarting failed container", "kubelet", "minikube")
    sim.advance(30)
    second = sim.recorder.event(cm, "Warning", "BackOff", "Back-off restarting failed container", "kubelet", "minikube")
    assert second["metadata"]["name"] == first["metadata"]["name"]
    assert second["count"] == 2
    assert second["lastTimestamp"] > second["firstTimestamp"]
    assert [e["reason"] for e in sim.recorder.for_object(cm)] == ["BackOff"]


def test_events_expire_after_an_hour_without_keeping_settle_busy(cluster):
    sim = cluster.backend
    cm = cluster.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}})[0]
    sim.recorder.event(cm, "Normal", "Synced", "ok", "example-controller")
    report = cluster.settle()
    assert report.seconds == 0
    assert [e["reason"] for e in sim.recorder.for_object(cm)] == ["Synced"]
    cluster.advance(3601)
    assert sim.recorder.for_object(cm) == []


def test_cluster_scoped_objects_get_events_in_default(cluster):
    sim = cluster.backend
    node = cluster.get("node", "minikube")
    sim.recorder.event(node, "Normal", "NodeReady", "Node minikube status is now: NodeReady", "kubelet", "minikube")
    events = [e for e in cluster.get("events", namespace="default")
              if e["reason"] == "NodeReady" and e["involvedObject"]["uid"] == node["metadata"]["uid"]]
    assert [e["involvedObject"]["kind"] for e in events] == ["Node"]
    assert "namespace" not in events[0]["involvedObject"]


def test_similar_events_are_combined_from_the_tenth_message(cluster):
    # client-go tools/record/events_cache.go: EventAggregator (maxEvents 10, 600 s window)
    sim = cluster.backend
    cm = cluster.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}})[0]
    for i in range(20):
        sim.recorder.event(cm, "Normal", "SuccessfulCreate", f"Created pod: web-{i}", "replicaset-controller")
    events = sim.recorder.for_object(cm)
    assert len(events) == 10
    assert len({e["metadata"]["name"] for e in events}) == 10
    combined = [e for e in events if e["message"].startswith("(combined from similar events): ")]
    assert len(combined) == 1
    assert combined[0]["message"] == "(combined from similar events): Created pod: web-19"
    assert combined[0]["count"] == 11


def test_a_repeated_event_lives_an_hour_after_its_last_write(cluster):
    # the apiserver's event TTL applies on update too (pkg/registry/core/event/storage: TTLFunc)
    sim = cluster.backend
    cm = cluster.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}})[0]
    first = sim.recorder.event(cm, "Warning", "BackOff", "Back-off restarting failed container", "kubelet", "minikube")
    name = first["metadata"]["name"]
    sim.advance(1800)
    sim.recorder.event(cm, "Warning", "BackOff", "Back-off restarting failed container", "kubelet", "minikube")
    sim.advance(1801)  # an hour after the first write, half an hour after the second
    assert sim.api.peek(sim.api.registry.resolve("events"), name, "default") is not None
    sim.advance(1800)
    assert sim.api.peek(sim.api.registry.resolve("events"), name, "default") is None


def test_the_recorder_remembers_the_last_4096_events_as_client_gos_lru_does():
    # client-go tools/record/events_cache.go: maxLruCacheEntries = 4096
    import k8scourse
    from k8scourse.sim.events import LRU_ENTRIES

    cluster = k8scourse.connect()
    sim = cluster.backend
    cm = cluster.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}})[0]
    first = sim.recorder.event(cm, "Normal", "Synced", "message 0", "example", "host-0")
    again = sim.recorder.event(cm, "Normal", "Synced", "message 0", "example", "host-0")
    assert again["metadata"]["name"] == first["metadata"]["name"] and again["count"] == 2
    for i in range(1, LRU_ENTRIES + 1):  # other hosts: other aggregate keys, so nothing is combined
        sim.recorder.event(cm, "Normal", "Synced", "message 0", "example", f"host-{i}")
    forgotten = sim.recorder.event(cm, "Normal", "Synced", "message 0", "example", "host-0")
    assert forgotten["metadata"]["name"] != first["metadata"]["name"] and forgotten["count"] == 1


def test_a_reference_without_api_version_or_uid_leaves_them_out(cluster):
    # core/v1 ObjectReference: apiVersion, uid and resourceVersion are omitempty (the kubelet's nodeRef has no
    # apiVersion: pkg/kubelet/kubelet.go)
    sim = cluster.backend
    ref = {"apiVersion": "", "kind": "Node", "metadata": {"name": "minikube", "uid": "minikube"}}
    event = sim.recorder.event(ref, "Normal", "Example", "an example", "kubelet", "minikube")
    assert event["involvedObject"] == {"kind": "Node", "name": "minikube", "uid": "minikube"}
