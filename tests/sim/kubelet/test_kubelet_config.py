"""Env and volumes from ConfigMaps and Secrets: CreateContainerConfigError and FailedMount with the kubelet's
messages (makeEnvironmentVariables in pkg/kubelet/kubelet_pods.go: `configmap %q not found`, `couldn't find
key %v in ConfigMap %v/%v`; pkg/volume/configmap: `MountVolume.SetUp failed for volume %q : %v`).
"""

from __future__ import annotations

import base64


def _env_pod(pods, name, env=None, env_from=None):
    container = {"name": "app", "image": "busybox:1.36", "command": ["sleep", "3600"]}
    if env:
        container["env"] = env
    if env_from:
        container["envFrom"] = env_from
    pods.create(name, [container])
    pods.cluster.advance(5)


def test_missing_configmap_is_a_create_container_config_error(pods):
    _env_pod(pods, "cfg", env=[{"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "app", "key": "mode"}}}])
    assert pods.status("cfg")["state"]["waiting"] == {"reason": "CreateContainerConfigError",
                                                      "message": 'configmap "app" not found'}
    assert ("Warning", "Failed", 'Error: configmap "app" not found') in pods.events("cfg")


def test_missing_key_and_missing_secret(pods):
    pods.cluster.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app"}, "data": {"a": "1"}})
    _env_pod(pods, "key", env=[{"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "app", "key": "mode"}}}])
    assert pods.status("key")["state"]["waiting"]["message"] == "couldn't find key mode in ConfigMap default/app"
    _env_pod(pods, "sec", env=[{"name": "P", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}}}])
    assert pods.status("sec")["state"]["waiting"]["message"] == 'secret "db" not found'


def test_optional_references_are_skipped(pods):
    _env_pod(pods, "opt", env=[{"name": "M", "valueFrom": {"configMapKeyRef": {"name": "x", "key": "y",
                                                                                "optional": True}}}],
             env_from=[{"secretRef": {"name": "nope", "optional": True}}])
    assert pods.status("opt")["state"].get("running")


def test_creating_the_configmap_lets_the_container_start(pods):
    _env_pod(pods, "cfg", env=[{"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "app", "key": "mode"}}}])
    pods.cluster.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app"},
                        "data": {"mode": "fast"}})
    pods.cluster.advance(3)
    assert pods.status("cfg")["state"].get("running")
    assert pods.backend.exec("default", "cfg", ["printenv", "MODE"]).stdout == "fast\n"


def test_env_sources_fieldrefs_prefixes_and_expansion(pods):
    pods.cluster.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app"},
                        "data": {"color": "blue"}})
    pods.cluster.apply({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"},
                        "data": {"password": base64.b64encode(b"s3cret").decode()}})
    _env_pod(pods, "env", env_from=[{"configMapRef": {"name": "app"}, "prefix": "CFG_"}], env=[
        {"name": "PW", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
        {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        {"name": "IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
        {"name": "GREETING", "value": "hello $(POD) in $(CFG_color), $$(POD) $(NOPE)"}])
    out = pods.backend.exec("default", "env", ["env"]).stdout
    for line in ("CFG_color=blue", "PW=s3cret", "POD=env", "IP=10.244.0.3",
                 "GREETING=hello env in blue, $(POD) $(NOPE)", "KUBERNETES_SERVICE_HOST=10.96.0.1",
                 "KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443", "HOSTNAME=env"):
        assert line in out.splitlines()


def test_missing_configmap_volume_is_a_failed_mount(pods):
    pods.create("vol", [{"name": "app", "image": "nginx:1.27",
                         "volumeMounts": [{"name": "config", "mountPath": "/etc/config"}]}],
                volumes=[{"name": "config", "configMap": {"name": "web-config"}}])
    pods.cluster.advance(5)
    assert pods.status("vol")["state"] == {"waiting": {"reason": "ContainerCreating"}}
    assert ("Warning", "FailedMount", 'MountVolume.SetUp failed for volume "config" : configmap "web-config" '
                                      "not found") in pods.events("vol")
    pods.cluster.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web-config"},
                        "data": {"index.html": "<h1>hi</h1>\n"}})
    pods.cluster.settle()
    assert pods.status("vol")["state"].get("running")
    assert pods.backend.exec("default", "vol", ["ls", "/etc/config"]).stdout == "index.html\n"
    assert pods.backend.exec("default", "vol", ["cat", "/etc/config/index.html"]).stdout == "<h1>hi</h1>\n"
