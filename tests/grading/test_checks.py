"""The checks library on a live simulated cluster: correct solutions of every shape pass, wrong ones fail
with a message that says what is wrong."""

from __future__ import annotations

import pytest

from k8scourse.grading import checks
from k8scourse.grading.model import CheckContext
from k8scourse.grading.probes import PersistenceProbe


def _deploy(name="web", replicas=2, labels=None, container=None, **pod_spec):
    labels = labels or {"app": name}
    container = {"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80, "name": "http"}],
                 **(container or {})}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {"containers": [container], **pod_spec}}}}


def _service(selector, target_port, name="web"):
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"selector": selector, "ports": [{"port": 80, "targetPort": target_port}]}}


@pytest.fixture
def ctx(cluster):
    return CheckContext(cluster)


def test_deployment_ready_counts_ready_replicas_not_the_wish(cluster, ctx):
    cluster.apply(_deploy(replicas=3))
    early = checks.deployment_ready("web", 3)(ctx)
    assert not early.passed and early.message == "The Deployment `web` has 0 of 3 replicas ready (3 up to date)."
    cluster.settle()
    assert checks.deployment_ready("web", 3)(ctx).passed
    assert checks.deployment_ready("web", 4)(ctx).message == "The Deployment `web` asks for 3 replicas, not 4."
    assert checks.deployment_ready("nope", 1)(ctx).message == "There is no Deployment `nope` in the namespace."


def test_images_match_whatever_registry_prefix_the_learner_wrote(cluster, ctx):
    cluster.apply(_deploy(container={"image": "docker.io/library/nginx:1.27"}))
    cluster.settle()
    assert checks.workload_runs_image("deployment", "web", "nginx:1.27")(ctx).passed
    wrong = checks.workload_runs_image("deployment", "web", "nginx:1.26")(ctx)
    assert wrong.message == "2 pod(s) of `web` do not run nginx:1.26 (they run docker.io/library/nginx:1.27)."


@pytest.mark.parametrize("target_port", [80, "http"])
def test_a_service_selecting_exactly_the_pods_passes_with_a_number_or_a_name(cluster, ctx, target_port):
    cluster.apply([_deploy(), _service({"app": "web"}, target_port)])
    cluster.settle()
    assert checks.service_selects_workload("web", "deployment", "web")(ctx).passed
    assert checks.service_reaches_container_port("web")(ctx).passed


def test_a_service_selecting_other_pods_too_names_them(cluster, ctx):
    cluster.apply([_deploy(labels={"app": "web", "tier": "front"}),
                   _deploy("admin", 1, {"app": "web", "tier": "admin"}), _service({"app": "web"}, 80)])
    cluster.settle()
    verdict = checks.service_selects_workload("web", "deployment", "web")(ctx)
    admin = cluster.get("pods", label_selector="tier=admin")[0]["metadata"]["name"]
    assert verdict.message == f"The Service `web` also sends traffic to pods that are not `web`'s: {admin}."


def test_a_target_port_no_container_declares_fails(cluster, ctx):
    cluster.apply([_deploy(), _service({"app": "web"}, 8080)])
    cluster.settle()
    verdict = checks.service_reaches_container_port("web")(ctx)
    assert not verdict.passed and "targetPort does not match a containerPort" in verdict.message


def test_a_service_with_a_selector_matching_nothing_says_so(cluster, ctx):
    cluster.apply([_deploy(), _service({"app": "wbe"}, 80)])
    cluster.settle()
    assert "selects no ready pod" in checks.service_selects_workload("web", "deployment", "web")(ctx).message


SECRET = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "stringData": {"password": "pw-1"}}


@pytest.mark.parametrize("container", [
    {"env": [{"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]},
    {"envFrom": [{"secretRef": {"name": "db"}}],
     "env": [{"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]},
])
def test_a_secret_delivered_by_reference_passes(cluster, ctx, container):
    cluster.apply([SECRET, _deploy(container=container)])
    cluster.settle()
    assert checks.env_from_secret("deployment", "web", "PASSWORD", "db", "password")(ctx).passed
    assert checks.value_not_in_plain_text("deployment", "web", "db", "password")(ctx).passed


def test_a_secret_copied_as_a_plain_value_fails_even_though_the_container_sees_it(cluster, ctx):
    cluster.apply([SECRET, _deploy(container={"env": [{"name": "PASSWORD", "value": "pw-1"}]})])
    cluster.settle()
    verdict = checks.env_from_secret("deployment", "web", "PASSWORD", "db", "password")(ctx)
    assert verdict.message == ("`PASSWORD` is written into the pod spec as a plain `value`, not taken from the "
                               "Secret `db`.")
    assert not checks.value_not_in_plain_text("deployment", "web", "db", "password")(ctx).passed


def test_a_configmap_mounted_as_a_volume_counts_as_consumed(cluster, ctx):
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"MODE": "prod"}}
    volume = {"volumes": [{"name": "cfg", "configMap": {"name": "cfg"}}]}
    cluster.apply([config, _deploy(container={"volumeMounts": [{"name": "cfg", "mountPath": "/etc/cfg"}]},
                                   **volume)])
    cluster.settle()
    assert checks.configmap_consumed("deployment", "web", "cfg")(ctx).passed
    assert not checks.configmap_consumed("deployment", "web", "cfg", {"MODE": "prod"})(ctx).passed


def test_a_missing_configmap_leaves_the_pods_unready(cluster, ctx):
    cluster.apply(_deploy(container={"envFrom": [{"configMapRef": {"name": "cfg"}}]}))
    cluster.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "other"}})
    cluster.settle()
    assert checks.configmap_consumed("deployment", "web", "cfg")(ctx).message == \
        "There is no ConfigMap `cfg` in the namespace."


def test_resources_and_probes(cluster, ctx):
    probe = {"httpGet": {"path": "/", "port": 80}}
    cluster.apply(_deploy(container={"resources": {"requests": {"cpu": "100m", "memory": "64Mi"},
                                                   "limits": {"memory": "128Mi"}},
                                     "readinessProbe": probe, "livenessProbe": probe}))
    cluster.apply(_deploy("bare"))
    cluster.settle()
    assert checks.resources_set("deployment", "web")(ctx).passed
    assert checks.probes_ready("deployment", "web")(ctx).passed
    assert checks.resources_set("deployment", "bare")(ctx).message == (
        "Some resources are not set: nginx: requests.cpu, nginx: requests.memory, nginx: limits.memory.")
    assert checks.probes_ready("deployment", "bare")(ctx).message == (
        "Probes are missing: nginx: readinessProbe, nginx: livenessProbe.")


def _statefulset(policy):
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
            "spec": {"serviceName": "db", "replicas": 3, "podManagementPolicy": policy,
                     "selector": {"matchLabels": {"app": "db"}},
                     "template": {"metadata": {"labels": {"app": "db"}},
                                  "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}}}


def test_statefulset_pods_came_up_in_order(cluster, ctx):
    cluster.apply(_statefulset("OrderedReady"))
    cluster.settle()
    assert checks.statefulset_ordered("db", 3)(ctx).passed


def test_parallel_statefulset_pods_did_not_come_up_in_order(cluster, ctx):
    cluster.apply(_statefulset("Parallel"))
    cluster.settle()
    verdict = checks.statefulset_ordered("db", 3)(ctx)
    assert verdict.message == "`db-1` was created before `db-0` was ready: the pods did not come up in order."


def test_a_missing_claim_is_reported(cluster, ctx):
    cluster.apply(_deploy())
    cluster.settle()
    verdict = checks.pvc_bound_and_mounted("data", "deployment", "web")(ctx)
    assert verdict.message == "There is no PersistentVolumeClaim `data` in the namespace."


# --- storage ---------------------------------------------------------------------------------------------
PGDATA = "/var/lib/postgresql/data"


def _claim(size="1Gi", modes=("ReadWriteOnce",)):
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
            "spec": {"accessModes": list(modes), "resources": {"requests": {"storage": size}}}}


def _postgres(volume, mount_path=PGDATA, **spec):
    container = {"name": "postgres", "image": "postgres:16", "ports": [],
                 "env": [{"name": "POSTGRES_PASSWORD", "value": "pw"}]}
    if volume:
        container["volumeMounts"] = [{"name": "data", "mountPath": mount_path}]
    deploy = _deploy("db", 1, container=container, **({"volumes": [{"name": "data", **volume}]} if volume else {}))
    deploy["spec"].update(spec)
    return deploy


ON_CLAIM = {"persistentVolumeClaim": {"claimName": "data"}}


@pytest.mark.parametrize("size", ["1Gi", "1024Mi"])
def test_a_claim_bound_by_the_default_storageclass_passes_in_any_spelling_of_its_size(cluster, ctx, size):
    cluster.apply(_claim(size))
    cluster.settle()
    verdict = checks.pvc_bound("data", "1Gi", "ReadWriteOnce")(ctx)
    assert verdict.passed and verdict.message.startswith("The claim `data` is Bound to a ")


def test_a_claim_of_the_wrong_size_or_access_mode_fails(cluster, ctx):
    cluster.apply(_claim("2Gi", ["ReadWriteMany"]))
    cluster.settle()
    assert checks.pvc_bound("data", "1Gi", "ReadWriteMany")(ctx).message == "The claim `data` asks for 2Gi, not 1Gi."
    assert checks.pvc_bound("data", "2Gi", "ReadWriteOnce")(ctx).message == (
        "The claim `data` asks for ReadWriteMany, not ReadWriteOnce.")


def test_a_pending_claim_is_not_bound(cluster, ctx):
    claim = _claim()
    claim["spec"]["storageClassName"] = "fast"  # no such StorageClass: nothing provisions it
    cluster.apply(claim)
    cluster.settle()
    assert checks.pvc_bound("data", "1Gi", "ReadWriteOnce")(ctx).message == "The claim `data` is Pending, not Bound."


def test_a_bound_claim_mounted_at_the_data_path_passes(cluster, ctx):
    cluster.apply([_claim(), _postgres(ON_CLAIM)])
    cluster.settle()
    assert cluster.get("pvc", "data")["status"]["phase"] == "Bound"
    verdict = checks.pvc_bound_and_mounted("data", "deployment", "db", PGDATA)(ctx)
    assert verdict.message == f"The claim `data` is Bound and mounted by `db` at {PGDATA}."
    assert checks.pvc_bound_and_mounted("data", "deployment", "db")(ctx).passed


def test_a_bound_claim_mounted_elsewhere_or_not_at_all_fails(cluster, ctx):
    cluster.apply([_claim(), _postgres(ON_CLAIM, "/data"), _deploy("web", 1)])
    cluster.settle()
    assert checks.pvc_bound_and_mounted("data", "deployment", "db", PGDATA)(ctx).message == (
        f"`db` mounts the claim `data` at /data, not at {PGDATA}.")
    assert checks.pvc_bound_and_mounted("data", "deployment", "web")(ctx).message == (
        "No pod of `web` mounts the claim `data`.")


def test_data_on_a_claim_survives_replacing_the_pod(cluster, ctx):
    cluster.apply([_claim(), _postgres(ON_CLAIM)])
    cluster.settle()
    before = checks.pods_of(ctx, "deployment", "db")[0]["metadata"]["name"]
    verdict = checks.data_survives_pod_replacement(PersistenceProbe("deployment", "db", PGDATA))(ctx)
    after = checks.pods_of(ctx, "deployment", "db")[0]["metadata"]["name"]
    assert before != after
    assert verdict.message == (f"A file written under {PGDATA} in `{before}` was still there in `{after}`, the pod "
                               "that replaced it.")
    assert "Skipping initialization" in cluster.kubectl(f"logs {after}").stdout  # postgres found its database


@pytest.mark.parametrize(("volume", "why"), [
    ({"emptyDir": {}}, f"{PGDATA} is on the emptyDir volume `data`, which is deleted with its pod"),
    (None, f"no volume is mounted at {PGDATA}, so the file was in the container's own filesystem, which is "
           "discarded with the container"),
], ids=["emptyDir", "no-volume"])
def test_data_off_a_claim_is_lost_with_its_pod_and_the_message_says_why(cluster, ctx, volume, why):
    cluster.apply(_postgres(volume))
    cluster.settle()
    verdict = checks.data_survives_pod_replacement(PersistenceProbe("deployment", "db", PGDATA))(ctx)
    assert not verdict.passed and verdict.message.endswith(f", the pod that replaced it: {why}.")


def test_a_probe_runs_once_per_context(cluster, ctx):
    cluster.apply([_claim(), _postgres(ON_CLAIM)])
    cluster.settle()
    probe = PersistenceProbe("deployment", "db", PGDATA)
    first = ctx.observe(probe)
    assert ctx.observe(probe) is first and first["replacement"] == checks.pods_of(ctx, "deployment", "db")[0][
        "metadata"]["name"]


def test_one_writer_wants_one_replica_replaced_by_recreate(cluster, ctx):
    cluster.apply([_postgres(None, strategy={"type": "Recreate"}), _deploy("web", 2)])
    rolling = _postgres(None)
    rolling["metadata"]["name"] = "rolling"
    cluster.apply(rolling)
    assert checks.one_writer_at_a_time("deployment", "db")(ctx).passed
    assert checks.one_writer_at_a_time("deployment", "rolling")(ctx).message == (
        "The Deployment `rolling` uses the RollingUpdate strategy: a rollout starts the new pod before stopping "
        "the old one, and both would write the same data.")
    assert checks.one_writer_at_a_time("deployment", "web")(ctx).message == (
        "The Deployment `web` runs 2 replicas: several servers would write the same data.")
