"""The library of predicates exercises are graded with: facts about the cluster, never the text of YAML.

Used by the exercise catalogue (`exercises`) to build its checks. Each function here returns a predicate
(`CheckContext -> Verdict`) that reads the cluster through the `Cluster` facade only (get, list, exec), so
the same check judges a simulated cluster, a real one, or the snapshot class grading takes of a kernel's
cluster. Any correct solution passes: pods are found through their owners, Services through their
Endpoints, values through what the container really sees in its environment.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from typing import Any

from ..api.errors import ApiError
from ..api.quantity import parse_quantity
from .model import CheckContext, Obj, Predicate, Verdict
from .probes import PersistenceProbe
from .workloads import WORKLOAD_RESOURCES, alive, find_object, is_ready, owned_by, workload_pods

_TITLES = {"deployment": "Deployment", "statefulset": "StatefulSet", "replicaset": "ReplicaSet",
           "daemonset": "DaemonSet"}


def _title(kind: str) -> str:
    """`deployment` → `Deployment`, as messages name kinds."""
    return _TITLES.get(kind, kind)


# --- reading the cluster ---------------------------------------------------------------------------------
def get_object(ctx: CheckContext, resource: str, name: str) -> Obj | None:
    """The object, or None when it does not exist."""
    return find_object(ctx.cluster, resource, name)


def pods_of(ctx: CheckContext, kind: str, name: str) -> list[Obj]:
    """The live pods a workload owns (a Deployment through its ReplicaSets), sorted by name."""
    return workload_pods(ctx.cluster, kind, name)


def _names(objs: Iterable[Obj]) -> list[str]:
    return [o["metadata"]["name"] for o in objs]


def normalize_image(image: str) -> str:
    """`docker.io/library/nginx:1.27` and `nginx:1.27` are the same image; no tag means `latest`."""
    for prefix in ("docker.io/library/", "docker.io/", "index.docker.io/library/"):
        if image.startswith(prefix):
            image = image[len(prefix):]
            break
    last = image.rsplit("/", 1)[-1]
    if ":" not in last and "@" not in last:
        image += ":latest"
    return image


def container_env(ctx: CheckContext, pod: Obj, container: str | None = None) -> dict[str, str] | None:
    """The environment a running container really has (`env` run inside it), or None if it cannot run."""
    meta = pod["metadata"]
    try:
        result = ctx.cluster.backend.exec(meta["namespace"], meta["name"], ["env"], container)
    except ApiError:
        return None
    if getattr(result, "exit_code", 1) != 0:
        return None
    env: dict[str, str] = {}
    for line in str(result.stdout).splitlines():
        key, sep, value = line.partition("=")
        if sep:
            env[key] = value
    return env


def secret_values(secret: Obj) -> dict[str, str]:
    """A Secret's data, decoded."""
    out = {k: base64.b64decode(v).decode("utf-8", "replace") for k, v in (secret.get("data") or {}).items()}
    out.update(secret.get("stringData") or {})
    return out


def _containers(pod_spec: Obj) -> list[Obj]:
    return list(pod_spec.get("containers") or []) + list(pod_spec.get("initContainers") or [])


def _missing(kind: str, name: str) -> Verdict:
    return Verdict(False, f"There is no {kind} `{name}` in the namespace.", f"{kind} {name}: 404")


def _workload_pods(ctx: CheckContext, kind: str, name: str) -> tuple[list[Obj], Verdict | None]:
    """The workload's pods, or a failing verdict when it does not exist or has no pods."""
    if get_object(ctx, WORKLOAD_RESOURCES[kind], name) is None:
        return [], _missing(_title(kind), name)
    pods = pods_of(ctx, kind, name)
    if not pods:
        return [], Verdict(False, f"The {_title(kind)} `{name}` has no pods.", "no live pod owned by it")
    return pods, None


# --- predicates ------------------------------------------------------------------------------------------
def exists(resource: str, name: str, kind: str) -> Predicate:
    """The object exists."""

    def predicate(ctx: CheckContext) -> Verdict:
        if get_object(ctx, resource, name) is None:
            return _missing(kind, name)
        return Verdict(True, f"The {kind} `{name}` exists.")

    return predicate


def deployment_ready(name: str, replicas: int) -> Predicate:
    """The Deployment wants `replicas` pods and all of them are ready and up to date."""

    def predicate(ctx: CheckContext) -> Verdict:
        deploy = get_object(ctx, "deployments", name)
        if deploy is None:
            return _missing("Deployment", name)
        wanted = deploy.get("spec", {}).get("replicas", 1)
        status = deploy.get("status", {})
        ready, updated = status.get("readyReplicas", 0), status.get("updatedReplicas", 0)
        debug = f"spec.replicas={wanted} status={status}"
        if wanted != replicas:
            return Verdict(False, f"The Deployment `{name}` asks for {wanted} replicas, not {replicas}.", debug)
        if ready != replicas or updated != replicas:
            return Verdict(False, f"The Deployment `{name}` has {ready} of {replicas} replicas ready "
                                  f"({updated} up to date).", debug, credit=min(ready, updated) / replicas / 2)
        return Verdict(True, f"The Deployment `{name}` has {replicas} ready replicas.", debug)

    return predicate


def workload_runs_image(kind: str, name: str, image: str) -> Predicate:
    """Every pod of the workload runs a container from `image`."""
    wanted = normalize_image(image)

    def predicate(ctx: CheckContext) -> Verdict:
        pods, failed = _workload_pods(ctx, kind, name)
        if failed:
            return failed
        wrong = {p["metadata"]["name"]: [c["image"] for c in p["spec"]["containers"]] for p in pods
                 if all(normalize_image(c["image"]) != wanted for c in p["spec"]["containers"])}
        if wrong:
            shown = sorted({i for images in wrong.values() for i in images})
            return Verdict(False, f"{len(wrong)} pod(s) of `{name}` do not run {image} (they run "
                                  f"{', '.join(shown)}).", f"pods without {wanted}: {wrong}")
        return Verdict(True, f"Every pod of `{name}` runs {image}.")

    return predicate


def pods_carry_labels(kind: str, name: str, labels: Mapping[str, str]) -> Predicate:
    """Every pod of the workload carries these labels."""
    shown = ", ".join(f"{k}={v}" for k, v in labels.items())

    def predicate(ctx: CheckContext) -> Verdict:
        pods, failed = _workload_pods(ctx, kind, name)
        if failed:
            return failed
        lacking = [p["metadata"]["name"] for p in pods
                   if any((p["metadata"].get("labels") or {}).get(k) != v for k, v in labels.items())]
        if lacking:
            return Verdict(False, f"{len(lacking)} of {len(pods)} pods of `{name}` lack the labels {shown}.",
                           f"pods lacking labels: {lacking}")
        return Verdict(True, f"Every pod of `{name}` is labelled {shown}.")

    return predicate


def object_has_labels(resource: str, name: str, kind: str, labels: Mapping[str, str]) -> Predicate:
    """The object itself (not its pods) carries these labels."""
    shown = ", ".join(f"{k}={v}" for k, v in labels.items())

    def predicate(ctx: CheckContext) -> Verdict:
        obj = get_object(ctx, resource, name)
        if obj is None:
            return _missing(kind, name)
        have = obj["metadata"].get("labels") or {}
        if any(have.get(k) != v for k, v in labels.items()):
            return Verdict(False, f"The {kind} `{name}` is not labelled {shown}.", f"labels: {have}")
        return Verdict(True, f"The {kind} `{name}` is labelled {shown}.")

    return predicate


def only_workload_pods_match(selector: str, kind: str, name: str) -> Predicate:
    """`kubectl get pods -l selector` lists exactly the workload's pods (no bare pods beside them)."""

    def predicate(ctx: CheckContext) -> Verdict:
        owned = set(_names(pods_of(ctx, kind, name)))
        matching = {p["metadata"]["name"] for p in ctx.cluster.get("pods", label_selector=selector) if alive(p)}
        strays = sorted(matching - owned)
        if not owned:
            return Verdict(False, f"The {_title(kind)} `{name}` has no pods.", f"pods matching {selector}: {matching}")
        if strays:
            return Verdict(False, f"Pods not managed by the {_title(kind)} `{name}` also match `{selector}`: "
                                  f"{', '.join(strays)}.", f"owned={sorted(owned)}")
        return Verdict(True, f"Only the pods of `{name}` match `{selector}`.")

    return predicate


def rollout_complete(name: str) -> Predicate:
    """Every live pod of the Deployment belongs to its newest ReplicaSet: no old pods are left."""

    def predicate(ctx: CheckContext) -> Verdict:
        deploy = get_object(ctx, "deployments", name)
        if deploy is None:
            return _missing("Deployment", name)
        sets = [rs for rs in ctx.cluster.get("replicasets") if owned_by(rs, {deploy["metadata"]["uid"]})]
        if not sets:
            return Verdict(False, f"The Deployment `{name}` has no ReplicaSet yet.")
        newest = max(sets, key=lambda rs: int(rs["metadata"].get("annotations", {})
                                               .get("deployment.kubernetes.io/revision", "0")))
        old = [p["metadata"]["name"] for p in pods_of(ctx, "deployment", name)
               if not owned_by(p, {newest["metadata"]["uid"]})]
        if old:
            return Verdict(False, f"{len(old)} pod(s) of `{name}` still come from an older revision.",
                           f"newest={newest['metadata']['name']} old pods={old}")
        return Verdict(True, f"Every pod of `{name}` comes from its newest ReplicaSet.")

    return predicate


# --- services --------------------------------------------------------------------------------------------
def _ready_endpoint_pods(endpoints: Obj | None) -> set[str]:
    return {a["targetRef"]["name"] for s in (endpoints or {}).get("subsets") or []
            for a in s.get("addresses") or [] if (a.get("targetRef") or {}).get("kind") == "Pod"}


def service_selects_workload(service: str, kind: str, name: str) -> Predicate:
    """The Service's ready endpoints are exactly the ready pods of the workload: none missing, none extra."""

    def predicate(ctx: CheckContext) -> Verdict:
        svc = get_object(ctx, "services", service)
        if svc is None:
            return _missing("Service", service)
        ready = {p["metadata"]["name"] for p in pods_of(ctx, kind, name) if is_ready(p)}
        serving = _ready_endpoint_pods(get_object(ctx, "endpoints", service))
        debug = f"selector={svc['spec'].get('selector')} endpoints={sorted(serving)} ready pods={sorted(ready)}"
        if not ready:
            return Verdict(False, f"The {_title(kind)} `{name}` has no ready pods for the Service to select.", debug)
        extra, missing = serving - ready, ready - serving
        if not serving:
            return Verdict(False, f"The Service `{service}` selects no ready pod: check its selector against "
                                  "the pods' labels.", debug)
        if extra:
            return Verdict(False, f"The Service `{service}` also sends traffic to pods that are not "
                                  f"`{name}`'s: {', '.join(sorted(extra))}.", debug)
        if missing:
            return Verdict(False, f"The Service `{service}` misses {len(missing)} of `{name}`'s ready pods.", debug,
                           credit=0.5)
        return Verdict(True, f"The Service `{service}` sends traffic to exactly the {len(ready)} pods of `{name}`.",
                       debug)

    return predicate


def _declared_ports(pod: Obj) -> set[int]:
    return {p["containerPort"] for c in pod["spec"]["containers"] for p in c.get("ports") or []}


def service_reaches_container_port(service: str) -> Predicate:
    """Each port of the Service leads (through its Endpoints) to a port the selected pods' containers declare."""

    def predicate(ctx: CheckContext) -> Verdict:
        if get_object(ctx, "services", service) is None:
            return _missing("Service", service)
        subsets = (get_object(ctx, "endpoints", service) or {}).get("subsets") or []
        if not any(s.get("addresses") for s in subsets):
            return Verdict(False, f"The Service `{service}` has no ready endpoints, so no port can be reached.")
        pods = {p["metadata"]["name"]: p for p in ctx.cluster.get("pods")}
        bad: list[str] = []
        for subset in subsets:
            for address in subset.get("addresses") or []:
                pod = pods.get((address.get("targetRef") or {}).get("name", ""))
                declared = _declared_ports(pod) if pod else set()
                bad += [f"{address['ip']}:{p['port']}" for p in subset.get("ports") or [] if p["port"] not in declared]
        if bad:
            return Verdict(False, f"The Service `{service}` sends traffic to ports its pods do not declare "
                                  f"({', '.join(sorted(set(bad)))}): its targetPort does not match a containerPort.",
                           f"subsets={subsets}")
        return Verdict(True, f"The Service `{service}` forwards to a port the containers declare.")

    return predicate


def service_port(service: str, port: int, service_type: str | None = None) -> Predicate:
    """The Service listens on `port` (and is of `service_type`)."""

    def predicate(ctx: CheckContext) -> Verdict:
        svc = get_object(ctx, "services", service)
        if svc is None:
            return _missing("Service", service)
        ports = [p.get("port") for p in svc["spec"].get("ports") or []]
        kind = svc["spec"].get("type", "ClusterIP")
        if port not in ports:
            return Verdict(False, f"The Service `{service}` listens on {ports}, not on port {port}.")
        if service_type and kind != service_type:
            return Verdict(False, f"The Service `{service}` is of type {kind}, not {service_type}.")
        return Verdict(True, f"The Service `{service}` listens on port {port}.")

    return predicate


def selector_avoids_label(service: str, label: str) -> Predicate:
    """The Service's selector does not use `label` (e.g. `pod-template-hash`, which changes on every rollout)."""

    def predicate(ctx: CheckContext) -> Verdict:
        svc = get_object(ctx, "services", service)
        if svc is None:
            return _missing("Service", service)
        selector = svc["spec"].get("selector") or {}
        if label in selector:
            return Verdict(False, f"The Service `{service}` selects on `{label}`, which will stop matching after "
                                  "the next rollout.", f"selector={selector}")
        return Verdict(True, f"The Service `{service}`'s selector survives rollouts.")

    return predicate


# --- configuration ---------------------------------------------------------------------------------------
def _env_sources(pod: Obj, variable: str) -> list[dict[str, Any]]:
    """Where each container of the pod takes `variable` from: its `env` entry, or `envFrom` sources."""
    found: list[dict[str, Any]] = []
    for container in pod["spec"]["containers"]:
        found += [e for e in container.get("env") or [] if e.get("name") == variable]
        found += [{"envFrom": src} for src in container.get("envFrom") or []]
    return found


def _first_ready_env(ctx: CheckContext, pods: list[Obj]) -> tuple[Obj | None, dict[str, str] | None]:
    for pod in pods:
        if is_ready(pod):
            env = container_env(ctx, pod)
            if env is not None:
                return pod, env
    return None, None


def env_from_secret(kind: str, name: str, variable: str, secret: str, key: str) -> Predicate:
    """The container's `variable` holds the Secret's `key`, delivered by secretKeyRef or envFrom, not as a value."""

    def predicate(ctx: CheckContext) -> Verdict:
        sec = get_object(ctx, "secrets", secret)
        if sec is None:
            return _missing("Secret", secret)
        values = secret_values(sec)
        if key not in values:
            return Verdict(False, f"The Secret `{secret}` has no key `{key}`.", f"keys: {sorted(values)}")
        pods, failed = _workload_pods(ctx, kind, name)
        if failed:
            return failed
        pod, env = _first_ready_env(ctx, pods)
        if pod is None or env is None:
            return Verdict(False, f"No pod of `{name}` is ready, so its environment cannot be checked.",
                           f"pods: {[(p['metadata']['name'], p.get('status', {}).get('phase')) for p in pods]}")
        if env.get(variable) != values[key]:
            return Verdict(False, f"In the container, `{variable}` does not hold the value of the Secret's key "
                                  f"`{key}`.", f"env has {variable}={env.get(variable)!r}")
        plain = [e for e in _env_sources(pod, variable) if "value" in e]
        if plain:
            return Verdict(False, f"`{variable}` is written into the pod spec as a plain `value`, not taken from "
                                  f"the Secret `{secret}`.", f"env entries: {plain}")
        return Verdict(True, f"`{variable}` reaches the container from the Secret `{secret}`.")

    return predicate


def value_not_in_plain_text(kind: str, name: str, secret: str, key: str) -> Predicate:
    """The Secret's value appears nowhere in the workload object (spec, labels, annotations) in clear text."""

    def predicate(ctx: CheckContext) -> Verdict:
        sec = get_object(ctx, "secrets", secret)
        workload = get_object(ctx, WORKLOAD_RESOURCES[kind], name)
        if sec is None or workload is None:
            return _missing("Secret" if sec is None else _title(kind), secret if sec is None else name)
        value = secret_values(sec).get(key)
        if not value:
            return Verdict(False, f"The Secret `{secret}` has no value under `{key}`.")
        if value in repr(workload):
            return Verdict(False, f"The secret value is written in clear text in the {_title(kind)} `{name}` (its spec "
                                  "or its last-applied annotation).", "value found in the workload object")
        return Verdict(True, f"The secret value does not appear in the {_title(kind)} `{name}`.")

    return predicate


def value_not_in_configmaps(secret: str, key: str) -> Predicate:
    """No ConfigMap in the namespace holds the Secret's value: ConfigMaps are not for passwords."""

    def predicate(ctx: CheckContext) -> Verdict:
        sec = get_object(ctx, "secrets", secret)
        value = secret_values(sec).get(key) if sec else None
        if not value:
            return Verdict(False, f"The Secret `{secret}` has no value under `{key}`.")
        holders = [cm["metadata"]["name"] for cm in ctx.cluster.get("configmaps")
                   if value in repr(cm.get("data") or {})]
        if holders:
            return Verdict(False, f"The password is also stored in the ConfigMap(s) {', '.join(holders)}.")
        return Verdict(True, "No ConfigMap holds the password.")

    return predicate


def _uses_configmap(pod: Obj, configmap: str) -> bool:
    spec = pod["spec"]
    for container in _containers(spec):
        for env in container.get("env") or []:
            if ((env.get("valueFrom") or {}).get("configMapKeyRef") or {}).get("name") == configmap:
                return True
        if any((src.get("configMapRef") or {}).get("name") == configmap for src in container.get("envFrom") or []):
            return True
    return any((v.get("configMap") or {}).get("name") == configmap for v in spec.get("volumes") or [])


def configmap_consumed(kind: str, name: str, configmap: str, env: Mapping[str, str] | None = None) -> Predicate:
    """The workload's pods take configuration from the ConfigMap (env, envFrom or a volume), run, and — when
    `env` is given — see those variables with those values."""

    def predicate(ctx: CheckContext) -> Verdict:
        if get_object(ctx, "configmaps", configmap) is None:
            return _missing("ConfigMap", configmap)
        pods, failed = _workload_pods(ctx, kind, name)
        if failed:
            return failed
        if not all(_uses_configmap(p, configmap) for p in pods):
            return Verdict(False, f"The pods of `{name}` do not take anything from the ConfigMap `{configmap}`.")
        pod, seen = _first_ready_env(ctx, pods)
        if pod is None or seen is None:
            return Verdict(False, f"The pods of `{name}` refer to `{configmap}` but none is ready.",
                           f"statuses: {[p.get('status', {}).get('containerStatuses') for p in pods]}")
        wrong = {k: seen.get(k) for k, v in (env or {}).items() if seen.get(k) != v}
        if wrong:
            return Verdict(False, f"The container does not see {', '.join(f'{k}={v}' for k, v in env.items())}.",
                           f"container env has {wrong}")
        return Verdict(True, f"The pods of `{name}` are configured from the ConfigMap `{configmap}`.")

    return predicate


# --- pod specs -------------------------------------------------------------------------------------------
def resources_set(kind: str, name: str, requests: Iterable[str] = ("cpu", "memory"),
                  limits: Iterable[str] = ("memory",)) -> Predicate:
    """Every container of the workload's pods sets these requests and limits."""
    requests, limits = tuple(requests), tuple(limits)

    def predicate(ctx: CheckContext) -> Verdict:
        pods, failed = _workload_pods(ctx, kind, name)
        if failed:
            return failed
        missing: list[str] = []
        for container in pods[0]["spec"]["containers"]:
            res = container.get("resources") or {}
            missing += [f"{container['name']}: requests.{r}" for r in requests if r not in (res.get("requests") or {})]
            missing += [f"{container['name']}: limits.{r}" for r in limits if r not in (res.get("limits") or {})]
        if missing:
            return Verdict(False, f"Some resources are not set: {', '.join(missing)}.")
        return Verdict(True, f"The containers of `{name}` set their resource requests and limits.")

    return predicate


def probes_ready(kind: str, name: str, probes: Iterable[str] = ("readiness", "liveness")) -> Predicate:
    """Every container has these probes, and every pod is Ready with no restarts caused by them."""
    probes = tuple(probes)

    def predicate(ctx: CheckContext) -> Verdict:
        pods, failed = _workload_pods(ctx, kind, name)
        if failed:
            return failed
        missing = [f"{c['name']}: {p}Probe" for c in pods[0]["spec"]["containers"] for p in probes
                   if not c.get(f"{p}Probe")]
        if missing:
            return Verdict(False, f"Probes are missing: {', '.join(missing)}.")
        restarts = sum(s.get("restartCount", 0) for p in pods for s in p.get("status", {}).get("containerStatuses") or [])
        not_ready = [p["metadata"]["name"] for p in pods if not is_ready(p)]
        if not_ready or restarts:
            return Verdict(False, f"The probes are configured but {len(not_ready)} pod(s) are not ready and the "
                                  f"containers restarted {restarts} time(s): check the probes' ports and paths.",
                           f"not ready: {not_ready}", credit=0.5)
        return Verdict(True, f"The pods of `{name}` have their probes and are ready.")

    return predicate


def statefulset_ordered(name: str, replicas: int) -> Predicate:
    """Pods `name-0` … `name-(n-1)` exist and each was created only after the one before it was Ready."""

    def predicate(ctx: CheckContext) -> Verdict:
        sts = get_object(ctx, "statefulsets", name)
        if sts is None:
            return _missing("StatefulSet", name)
        pods = {p["metadata"]["name"]: p for p in pods_of(ctx, "statefulset", name)}
        wanted = [f"{name}-{i}" for i in range(replicas)]
        absent = [n for n in wanted if n not in pods or not is_ready(pods[n])]
        if absent:
            return Verdict(False, f"Not every pod of `{name}` is ready: {', '.join(absent)}.")
        for before, after in zip(wanted, wanted[1:], strict=False):
            ready_at = next(c["lastTransitionTime"] for c in pods[before]["status"]["conditions"]
                            if c["type"] == "Ready")
            created = pods[after]["metadata"]["creationTimestamp"]
            if created < ready_at:
                return Verdict(False, f"`{after}` was created before `{before}` was ready: the pods did not come "
                                      "up in order.", f"{before} ready {ready_at}, {after} created {created}")
        return Verdict(True, f"The {replicas} pods of `{name}` came up one after the other, in order.")

    return predicate


# --- storage ---------------------------------------------------------------------------------------------
def _bound_claim(ctx: CheckContext, claim: str) -> tuple[Obj | None, Verdict | None]:
    """The claim, or a failing verdict when it does not exist or is not Bound."""
    pvc = get_object(ctx, "persistentvolumeclaims", claim)
    if pvc is None:
        return None, _missing("PersistentVolumeClaim", claim)
    phase = pvc.get("status", {}).get("phase")
    if phase != "Bound":
        return None, Verdict(False, f"The claim `{claim}` is {phase or 'not bound'}, not Bound.",
                             f"status={pvc.get('status')}")
    return pvc, None


def pvc_bound(claim: str, size: str, access_mode: str) -> Predicate:
    """The PersistentVolumeClaim asks for `size` (any spelling of the same quantity) with `access_mode`, and is
    Bound to a volume at least that large."""

    def predicate(ctx: CheckContext) -> Verdict:
        pvc, failed = _bound_claim(ctx, claim)
        if failed or pvc is None:
            return failed or _missing("PersistentVolumeClaim", claim)
        spec, status = pvc["spec"], pvc.get("status", {})
        asked = ((spec.get("resources") or {}).get("requests") or {}).get("storage", "0")
        capacity = (status.get("capacity") or {}).get("storage", "0")
        modes = spec.get("accessModes") or []
        debug = f"spec={spec} status={status}"
        if parse_quantity(asked).cmp(size) != 0:
            return Verdict(False, f"The claim `{claim}` asks for {asked}, not {size}.", debug)
        if access_mode not in modes:
            return Verdict(False, f"The claim `{claim}` asks for {', '.join(modes) or 'no access mode'}, "
                                  f"not {access_mode}.", debug)
        if parse_quantity(capacity).cmp(size) < 0:
            return Verdict(False, f"The claim `{claim}` is bound to a volume of {capacity}, less than {size}.", debug)
        return Verdict(True, f"The claim `{claim}` is Bound to a {capacity} {access_mode} volume.", debug)

    return predicate


def _claim_mounts(pod: Obj, claim: str) -> list[str]:
    """Where the pod's containers mount the claim."""
    volumes = {v["name"] for v in pod["spec"].get("volumes") or []
               if (v.get("persistentVolumeClaim") or {}).get("claimName") == claim}
    return [m["mountPath"] for c in _containers(pod["spec"]) for m in c.get("volumeMounts") or []
            if m.get("name") in volumes]


def pvc_bound_and_mounted(claim: str, kind: str, name: str, mount_path: str | None = None) -> Predicate:
    """The PersistentVolumeClaim is Bound and the workload's running pods mount it (at `mount_path`, if given)."""

    def predicate(ctx: CheckContext) -> Verdict:
        _, failed = _bound_claim(ctx, claim)
        if failed:
            return failed
        pods, failed = _workload_pods(ctx, kind, name)
        if failed:
            return failed
        mounting = {p["metadata"]["name"]: _claim_mounts(p, claim) for p in pods}
        debug = f"mounts of {claim}: {mounting}"
        if not any(mounting.values()):
            return Verdict(False, f"No pod of `{name}` mounts the claim `{claim}`.", debug)
        paths = sorted({path for found in mounting.values() for path in found})
        if mount_path and mount_path.rstrip("/") not in {p.rstrip("/") for p in paths}:
            return Verdict(False, f"`{name}` mounts the claim `{claim}` at {', '.join(paths)}, not at "
                                  f"{mount_path}.", debug)
        if not any(p.get("status", {}).get("phase") == "Running" for p in pods if mounting[p["metadata"]["name"]]):
            return Verdict(False, f"The pods mounting `{claim}` are not running.", debug)
        where = f" at {mount_path}" if mount_path else ""
        return Verdict(True, f"The claim `{claim}` is Bound and mounted by `{name}`{where}.", debug)

    return predicate


def _where_data_lives(path: str, volume: Obj | None) -> str:
    """Why data under `path` did not outlive its pod, from the volume that holds it."""
    if volume is None:
        return (f"no volume is mounted at {path}, so the file was in the container's own filesystem, which is "
                "discarded with the container")
    kinds = [k for k in volume if k != "name"]
    if kinds == ["emptyDir"]:
        return f"{path} is on the emptyDir volume `{volume['name']}`, which is deleted with its pod"
    return f"the {', '.join(kinds)} volume `{volume['name']}` mounted there does not keep data for the next pod"


def data_survives_pod_replacement(probe: PersistenceProbe) -> Predicate:
    """A file written under the probe's path in a running pod of the workload is still there in the pod that
    replaces it once that pod is deleted. The probe writes, deletes and reads; this judges what it saw."""
    kind, name, path = probe.kind, probe.name, probe.path

    def predicate(ctx: CheckContext) -> Verdict:
        if get_object(ctx, WORKLOAD_RESOURCES[kind], name) is None:
            return _missing(_title(kind), name)
        seen = ctx.observe(probe)
        debug = f"observation: {seen}"
        if seen.get("error"):
            return Verdict(False, "This check could not replace a pod; your instructor has the details.", debug)
        pod, wrote, read = seen.get("pod"), seen.get("wrote"), seen.get("read")
        if pod is None or wrote is None:
            return Verdict(False, f"The {_title(kind)} `{name}` has no running pod to write data in.", debug)
        if wrote["exit_code"] != 0:
            return Verdict(False, f"A file could not be written under {path} in `{pod}`: "
                                  f"{wrote['stderr'].strip() or 'the command failed'}.", debug)
        if read is None:
            return Verdict(False, f"After `{pod}` was deleted, no running pod of `{name}` replaced it.", debug)
        replacement = seen["replacement"]
        if read["exit_code"] != 0 or read["stdout"].strip() != seen["marker"]:
            return Verdict(False, f"A file written under {path} in `{pod}` was gone in `{replacement}`, the pod that "
                                  f"replaced it: {_where_data_lives(path, seen.get('volume'))}.", debug)
        return Verdict(True, f"A file written under {path} in `{pod}` was still there in `{replacement}`, the pod "
                             "that replaced it.", debug)

    return predicate


def one_writer_at_a_time(kind: str, name: str) -> Predicate:
    """A single pod of the workload writes its data, even during a rollout: one replica, and a Deployment
    replaces its pod with the Recreate strategy (a RollingUpdate starts the new pod before stopping the old)."""

    def predicate(ctx: CheckContext) -> Verdict:
        workload = get_object(ctx, WORKLOAD_RESOURCES[kind], name)
        if workload is None:
            return _missing(_title(kind), name)
        spec = workload.get("spec", {})
        replicas = spec.get("replicas", 1)
        strategy = (spec.get("strategy") or {}).get("type", "RollingUpdate")
        debug = f"replicas={replicas} strategy={spec.get('strategy')}"
        if replicas != 1:
            return Verdict(False, f"The {_title(kind)} `{name}` runs {replicas} replicas: several servers would "
                                  "write the same data.", debug)
        if kind == "deployment" and strategy != "Recreate":
            return Verdict(False, f"The Deployment `{name}` uses the {strategy} strategy: a rollout starts the new "
                                  "pod before stopping the old one, and both would write the same data.", debug)
        return Verdict(True, f"Only one pod of `{name}` writes its data at a time, rollouts included.", debug)

    return predicate
