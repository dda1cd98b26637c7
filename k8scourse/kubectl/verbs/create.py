"""`kubectl create -f` and the create generators: namespace, deployment, configmap, secret generic,
service clusterip|nodeport|loadbalancer, job, cronjob.

Registered in `k8scourse.kubectl.command.VERBS`. The objects are built as kubectl v1.33 builds them
(staging/src/k8s.io/kubectl/pkg/cmd/create/create_*.go): labels `app=<name>`, container named after the
image, `replicas` given explicitly, and so on.
"""

from __future__ import annotations

import base64
import os
import re
from typing import Any

from ...api.errors import ApiError, K8sError
from ..apply import Applied, with_last_applied
from ..command import Invocation, verb
from ..flags import Flag
from .manifests import DRY_RUN, FILE_FLAGS, OUTPUT, create_from_files, dry_run_mode

Obj = dict[str, Any]


def container_name(image: str) -> str:
    """kubectl create deployment: the image's last path part without tag or digest, `_` made `-`."""
    name = image.split("/")[-1]
    name = name.split(":")[0].split("@")[0]
    return name.replace("_", "-")


def _parse_literal(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise K8sError(f"invalid literal source {text}, expected key=value")
    return key, value


def _file_sources(paths: list[str]) -> dict[str, bytes]:
    data: dict[str, bytes] = {}
    for spec in paths:
        key, sep, path = spec.partition("=")
        if not sep:
            key, path = os.path.basename(spec), spec
        if not os.path.exists(path):
            raise K8sError(f"error reading {path}: no such file or directory")
        if os.path.isdir(path):
            for entry in sorted(os.listdir(path)):
                full = os.path.join(path, entry)
                if os.path.isfile(full):
                    data[entry] = open(full, "rb").read()  # noqa: SIM115
        else:
            data[key] = open(path, "rb").read()  # noqa: SIM115
    return data


def _send(inv: Invocation, obj: Obj, failure: str = "") -> None:
    """Create `obj` (or only show it with --dry-run=client) and print kubectl's line. `failure` is the generator's
    wrapping of a refused create (`failed to create configmap: `, create_configmap.go ...), which then prints as a
    plain `error: ...` with the server's message."""
    mode = dry_run_mode(inv)
    rt = inv.backend.registry.for_kind(obj["apiVersion"], obj["kind"])
    ns = inv.namespace if rt.namespaced else None
    if rt.namespaced and (mode != "client" or inv.line.get("namespace")):
        obj["metadata"].setdefault("namespace", ns)
    output = inv.line.get("output") or ""
    if inv.line.get("save-config"):
        obj = with_last_applied(obj)
    if mode == "client":
        stored, suffix = obj, "client"
    else:
        try:
            stored = inv.backend.create(rt, obj, ns, dry_run=mode == "server")
        except ApiError as exc:
            if not failure:
                raise
            raise K8sError(failure + exc.status.get("message", "")) from exc
        suffix = "server" if mode == "server" else ""
    if output in ("yaml", "json"):
        from ..render import to_json, to_yaml

        if mode == "client":  # a typed object, serialised with its empty fields as Go writes them
            stored = client_side_object(stored)
        inv.out.write(to_yaml(stored) if output == "yaml" else to_json(stored))
    elif output == "name":
        inv.print(f"{rt.kubectl_kind}/{stored['metadata']['name']}")
    else:
        inv.print(Applied("created", stored, rt, suffix).line())


def client_side_object(obj: Obj) -> Obj:
    """What `--dry-run=client -o yaml` prints: the typed object with Go's zero values written out
    (`creationTimestamp: null` in metadata and template metadata, `status: {}`)."""
    out = dict(obj)
    out["metadata"] = {"creationTimestamp": None, **(obj.get("metadata") or {})}
    template = ((obj.get("spec") or {}).get("template"))
    if isinstance(template, dict):
        out["spec"] = dict(obj["spec"], template=dict(template, metadata={
            "creationTimestamp": None, **(template.get("metadata") or {})}))
    if obj.get("kind") not in ("ConfigMap", "Secret"):
        out.setdefault("status", {})
    return out


def _deployment(name: str, images: list[str], replicas: int, port: int | None, command: list[str]) -> Obj:
    labels = {"app": name}
    containers = []
    for image in images:
        container: Obj = {"name": container_name(image), "image": image, "resources": {}}
        if command:
            container["command"] = list(command)
        if port is not None:
            container["ports"] = [{"containerPort": port}]
        containers.append(container)
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": labels},
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels}, "strategy": {},
                 "template": {"metadata": {"labels": labels}, "spec": {"containers": containers}}},
    }


def _service(kind: str, name: str, tcp: list[str], node_port: int | None, cluster_ip: str | None) -> Obj:
    svc_type = {"clusterip": "ClusterIP", "nodeport": "NodePort", "loadbalancer": "LoadBalancer"}[kind]
    ports = []
    for spec in tcp:
        port_text, _, target = spec.partition(":")
        if not port_text.isdigit() or (target and not target.isdigit() and not re.fullmatch(r"[a-z0-9-]+", target)):
            raise K8sError(f"{spec} is not a valid port:targetPort pair")
        port: Obj = {"name": spec.replace(":", "-"), "port": int(port_text), "protocol": "TCP",
                     "targetPort": int(target) if target.isdigit() else (target or int(port_text))}
        if node_port:
            port["nodePort"] = node_port
        ports.append(port)
    spec: Obj = {"ports": ports, "selector": {"app": name}, "type": svc_type}
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "labels": {"app": name}}, "spec": spec}


@verb("create", *FILE_FLAGS, DRY_RUN, OUTPUT, Flag("image", many=True), Flag("replicas", "r", kind=int, default=1),
      Flag("port", kind=int), Flag("from-literal", many=True), Flag("from-file", many=True),
      Flag("tcp", many=True), Flag("node-port", kind=int), Flag("clusterip"), Flag("type"),
      Flag("schedule"), Flag("save-config", takes_value=False), Flag("validate", default="strict"),
      summary="Create a resource from a file or from stdin")
def create(inv: Invocation) -> None:
    if inv.line["filename"]:
        create_from_files(inv)
        return
    args = inv.line.args
    if not args:
        raise K8sError("must specify one of -f and -k")
    what, rest = args[0], args[1:]
    if what in ("namespace", "ns"):
        _require_name(rest, "namespace")
        _send(inv, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": rest[0]}, "spec": {}})
    elif what in ("deployment", "deploy"):
        _require_name(rest, "deployment")
        if not inv.line["image"]:
            raise K8sError("required flag(s) \"image\" not set")
        _send(inv, _deployment(rest[0], inv.line["image"], inv.line["replicas"], inv.line["port"],
                               inv.line.after_dash), "failed to create deployment: ")
    elif what in ("configmap", "cm"):
        _require_name(rest, "configmap")
        data = dict(_parse_literal(lit) for lit in inv.line["from-literal"])
        binary: dict[str, str] = {}
        for key, raw in _file_sources(inv.line["from-file"]).items():
            try:
                data[key] = raw.decode("utf-8")
            except UnicodeDecodeError:
                binary[key] = base64.b64encode(raw).decode()
        cm: Obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": rest[0]}, "data": data}
        if binary:
            cm["binaryData"] = binary
        _send(inv, cm, "failed to create configmap: ")
    elif what == "secret":
        if not rest or rest[0] != "generic":
            raise K8sError("kubectl create secret supports `generic` here (docker-registry and tls need files and "
                           "registries the course does not use)")
        _require_name(rest[1:], "secret")
        data = {k: base64.b64encode(v.encode()).decode() for k, v in map(_parse_literal, inv.line["from-literal"])}
        data.update({k: base64.b64encode(v).decode() for k, v in _file_sources(inv.line["from-file"]).items()})
        secret: Obj = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": rest[1]}, "data": data}
        if inv.line["type"]:
            secret["type"] = inv.line["type"]
        _send(inv, secret, "failed to create secret ")  # create_secret.go: no colon
    elif what in ("service", "svc"):
        if not rest or rest[0] not in ("clusterip", "nodeport", "loadbalancer"):
            raise K8sError("kubectl create service needs one of: clusterip, nodeport, loadbalancer")
        _require_name(rest[1:], "service")
        svc = _service(rest[0], rest[1], inv.line["tcp"], inv.line["node-port"], inv.line["clusterip"])
        _send(inv, svc, f"failed to create {svc['spec']['type']} service: ")
    elif what == "job":
        _require_name(rest, "job")
        image = (inv.line["image"] or [None])[0]
        if image is None:
            raise K8sError("either --image or --from must be specified")
        command = inv.line.after_dash
        container: Obj = {"name": rest[0], "image": image, "resources": {}}
        if command:
            container["command"] = command
        _send(inv, {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": rest[0]},
                    "spec": {"template": {"metadata": {}, "spec": {"containers": [container],
                                                                   "restartPolicy": "Never"}}}},
              "failed to create job: ")
    elif what in ("cronjob", "cj"):
        _require_name(rest, "cronjob")
        image = (inv.line["image"] or [None])[0]
        if image is None or not inv.line["schedule"]:
            raise K8sError("--image and --schedule must be specified")
        container = {"name": rest[0], "image": image, "resources": {}}
        if inv.line.after_dash:
            container["command"] = inv.line.after_dash
        _send(inv, {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": rest[0]},
                    "spec": {"schedule": inv.line["schedule"], "jobTemplate": {"metadata": {"name": rest[0]}, "spec": {
                        "template": {"metadata": {}, "spec": {"containers": [container],
                                                              "restartPolicy": "OnFailure"}}}}}},
              "failed to create cronjob: ")
    else:
        raise K8sError(f'kubectl create {what} is not available in the course; use kubectl apply -f with a manifest')


def _require_name(rest: list[str], what: str) -> None:
    if not rest:
        raise K8sError("exactly one NAME is required, got 0")
    if len(rest) > 1:
        raise K8sError(f"exactly one NAME is required, got {len(rest)}")


__all__ = ["container_name", "create"]
