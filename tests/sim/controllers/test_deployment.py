"""The Deployment controller: ReplicaSet per template hash, rolling and Recreate rollouts, conditions, events.

Wording after pkg/controller/deployment (sync.go `Scaled %s replica set %s from %d to %d`, `Created new
replica set %q`; progress.go `ReplicaSet %q is progressing.`, `... has successfully progressed.`, `... has
timed out progressing.`; util/deployment_util.go reasons and the Available messages). Pods are made ready
by the test, as kubelets would.
"""

from __future__ import annotations

import re

from k8scourse.api.registry import REGISTRY
from k8scourse.sim.controllers import deploymentutil as du

PODS = REGISTRY.resolve("pods")
DEPLOY = REGISTRY.resolve("deployments")
HASH = r"[bcdfghjklmnpqrstvwxz2456789]{6,10}"


def ready_everything(api, ns="default"):
    """Bind and mark Ready every live pod; finish graceful deletions (a kubelet's work)."""
    for pod in list(api.store.list("pods", ns)):
        name = pod["metadata"]["name"]
        if pod["metadata"].get("deletionTimestamp"):
            api.delete(PODS, name, ns, grace_period_seconds=0)
            continue
        if not pod["spec"].get("nodeName"):
            api.bind(name, ns, "minikube")
        pod = api.get(PODS, name, ns)
        if any(c["type"] == "Ready" and c["status"] == "True" for c in pod["status"].get("conditions", [])):
            continue
        pod["status"]["phase"] = "Running"
        pod["status"]["conditions"] = pod["status"].get("conditions", []) + [
            {"type": "Ready", "status": "True", "lastProbeTime": None, "lastTransitionTime": api.clock.timestamp()}]
        api.update(PODS, pod, ns, subresource="status")


def roll(cluster, api, rounds=8):
    for _ in range(rounds):
        cluster.settle(timeout=5)
        ready_everything(api)
        cluster.advance(1)


def scaling_events(api):
    found = [e for e in api.store.list("events", "default") if e["reason"] == "ScalingReplicaSet"]
    return [e["message"] for e in sorted(found, key=lambda e: int(e["metadata"]["resourceVersion"]))]


def set_image(cluster, image):
    d = cluster.get("deploy", "web")
    d["spec"]["template"]["spec"]["containers"][0]["image"] = image
    cluster.backend.update(DEPLOY, d)


def replica_sets(api):
    return sorted(api.store.list("replicasets.apps", "default"), key=lambda r: r["metadata"]["creationTimestamp"])


def test_creation_makes_a_hashed_replica_set_and_pods(cluster, api, deployment):
    deployment["spec"]["replicas"] = 3
    cluster.create(deployment)
    cluster.settle(timeout=5)
    [rs] = replica_sets(api)
    name = rs["metadata"]["name"]
    assert re.fullmatch(rf"web-{HASH}", name)
    pod_hash = name.removeprefix("web-")
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", "pod-template-hash": pod_hash}
    assert rs["spec"]["template"]["metadata"]["labels"]["pod-template-hash"] == pod_hash
    assert rs["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1",
                                             "deployment.kubernetes.io/desired-replicas": "3",
                                             "deployment.kubernetes.io/max-replicas": "4"}
    assert rs["metadata"]["ownerReferences"][0]["kind"] == "Deployment"
    pods = [p["metadata"]["name"] for p in api.store.list("pods", "default")]
    assert len(pods) == 3 and all(re.fullmatch(rf"{name}-[a-z0-9]{{5}}", p) for p in pods)
    assert scaling_events(api) == [f"Scaled up replica set {name} from 0 to 3"]
    d = cluster.get("deploy", "web")
    assert d["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1"}
    assert d["metadata"]["generation"] == 1
    conditions = {c["type"]: (c["status"], c["reason"], c["message"]) for c in d["status"]["conditions"]}
    assert conditions["Available"] == ("False", "MinimumReplicasUnavailable",
                                       "Deployment does not have minimum availability.")
    assert conditions["Progressing"][0] == "True"
    assert conditions["Progressing"][1] in ("NewReplicaSetCreated", "ReplicaSetUpdated")
    ready_everything(api)
    cluster.settle(timeout=5)
    d = cluster.get("deploy", "web")
    assert {k: v for k, v in d["status"].items() if k != "conditions"} == {
        "observedGeneration": 1, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 3, "availableReplicas": 3}
    conditions = {c["type"]: (c["status"], c["reason"], c["message"]) for c in d["status"]["conditions"]}
    assert conditions == {
        "Available": ("True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
        "Progressing": ("True", "NewReplicaSetAvailable", f'ReplicaSet "{name}" has successfully progressed.')}


def test_rolling_update_respects_surge_and_unavailability(cluster, api, deployment):
    deployment["spec"]["replicas"] = 3
    cluster.create(deployment)
    roll(cluster, api, 2)
    set_image(cluster, "nginx:1.28")
    roll(cluster, api)
    old, new = (rs["metadata"]["name"] for rs in replica_sets(api))
    # maxSurge 25% of 3 rounds up to 1, maxUnavailable rounds down to 0: one pod at a time
    assert scaling_events(api) == [
        f"Scaled up replica set {old} from 0 to 3", f"Scaled up replica set {new} from 0 to 1",
        f"Scaled down replica set {old} from 3 to 2", f"Scaled up replica set {new} from 1 to 2",
        f"Scaled down replica set {old} from 2 to 1", f"Scaled up replica set {new} from 2 to 3",
        f"Scaled down replica set {old} from 1 to 0"]
    d = cluster.get("deploy", "web")
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    assert d["status"]["updatedReplicas"] == 3 and d["status"]["availableReplicas"] == 3


def test_recreate_scales_old_to_zero_before_the_new_one(cluster, api, deployment):
    deployment["spec"]["replicas"] = 2
    deployment["spec"]["strategy"] = {"type": "Recreate"}
    cluster.create(deployment)
    roll(cluster, api, 2)
    set_image(cluster, "nginx:1.28")
    roll(cluster, api, 4)
    old, new = (rs["metadata"]["name"] for rs in replica_sets(api))
    assert scaling_events(api) == [f"Scaled up replica set {old} from 0 to 2",
                                   f"Scaled down replica set {old} from 2 to 0",
                                   f"Scaled up replica set {new} from 0 to 2"]


def test_scaling_mid_state_and_history_limit(cluster, api, deployment):
    deployment["spec"]["revisionHistoryLimit"] = 1
    cluster.create(deployment)
    roll(cluster, api, 2)
    for image in ("nginx:1.26", "nginx:1.25"):
        set_image(cluster, image)
        roll(cluster, api)
    names = [rs["metadata"]["name"] for rs in replica_sets(api)]
    assert len(names) == 2  # the current one and one old revision
    revisions = sorted(du.revision_of(rs) for rs in replica_sets(api))
    assert revisions == [2, 3]
    d = cluster.get("deploy", "web")
    d["spec"]["replicas"] = 4
    cluster.backend.update(DEPLOY, d)
    cluster.settle(timeout=5)
    assert scaling_events(api)[-1].endswith(" from 2 to 4")


def test_paused_deployment_does_not_roll_out(cluster, api, deployment):
    cluster.create(deployment)
    roll(cluster, api, 2)
    d = cluster.get("deploy", "web")
    d["spec"]["paused"] = True
    cluster.backend.update(DEPLOY, d)
    set_image(cluster, "nginx:1.28")
    roll(cluster, api, 3)
    assert len(replica_sets(api)) == 1
    progressing = du.get_condition(cluster.get("deploy", "web")["status"], "Progressing")
    assert (progressing["status"], progressing["reason"], progressing["message"]) == (
        "Unknown", "DeploymentPaused", "Deployment is paused")


def test_progress_deadline_exceeded(cluster, api, deployment):
    deployment["spec"]["progressDeadlineSeconds"] = 30
    deployment["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:no-such-tag"  # ImagePullBackOff
    cluster.create(deployment)
    cluster.settle(timeout=5)
    [rs] = replica_sets(api)
    cluster.advance(40)  # no pod ever becomes ready
    progressing = du.get_condition(cluster.get("deploy", "web")["status"], "Progressing")
    assert (progressing["status"], progressing["reason"], progressing["message"]) == (
        "False", "ProgressDeadlineExceeded", f'ReplicaSet "{rs["metadata"]["name"]}" has timed out progressing.')


def test_pod_template_hash_has_the_real_shape():
    template = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "n", "image": "nginx"}]}}
    value = du.pod_template_hash(template)
    assert re.fullmatch(r"[45678bcdf9]{9,10}", value)  # SafeEncodeString of a uint32 in decimal
    assert du.pod_template_hash(template) == value
    assert du.pod_template_hash(template, 1) != value


def test_fenceposts():
    d = {"spec": {"replicas": 10, "strategy": {"type": "RollingUpdate",
                                               "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}}}
    assert du.resolve_fenceposts(d) == (3, 2)
    d["spec"]["strategy"]["rollingUpdate"] = {"maxSurge": 0, "maxUnavailable": 0}
    assert du.resolve_fenceposts(d) == (0, 1)
