"""`kubectl rollout` logic over any Backend: status, history, undo, restart, pause and resume.

Called by the kubectl `rollout` verb (and usable directly from Python). Translated from kubectl v1.33
(staging/src/k8s.io/kubectl/pkg/cmd/rollout/*.go and pkg/polymorphichelpers: rollout_status.go,
history.go, rollback.go, objectpauser.go, objectresumer.go, objectrestarter.go; the template printout of
`history --revision` is describe.DescribePodTemplate). Each function returns what kubectl prints on
stdout; refusals raise `RolloutError` with kubectl's message (printed after `error: `), carrying the
output already printed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..api.backend import JSON_PATCH, STRATEGIC_MERGE_PATCH, Backend
from ..api.errors import K8sError, qualified
from ..api.registry import ResourceType
from .describe.writer import toleration_text

Obj = dict[str, Any]
HASH_LABEL = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"
CHANGE_CAUSE = "kubernetes.io/change-cause"
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"
# rollback.go annotationsToSkip: kept from the Deployment, never copied back from the ReplicaSet
ANNOTATIONS_TO_SKIP = frozenset({"kubectl.kubernetes.io/last-applied-configuration", REVISION,
                                 "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
                                 "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to"})
WATCH_STEP = 1.0  # simulated seconds between looks at a rollout that is not done
WATCH_CEILING = 3600.0  # a watch without --timeout gives up after this much simulated time
MAX_ANNOTATION_LEN = 140


class RolloutError(K8sError):
    """A rollout command kubectl refuses; `output` is what it printed before the error."""

    def __init__(self, message: str, output: str = ""):
        super().__init__(message)
        self.output = output


# --- status ------------------------------------------------------------------------------------------------


def deployment_status(obj: Obj, revision: int = 0) -> tuple[str, bool]:
    """DeploymentStatusViewer.Status: the line kubectl prints and whether the rollout is done."""
    name = obj["metadata"]["name"]
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    if revision > 0:
        current = _revision(obj)
        if revision != current:
            raise RolloutError(f"desired revision ({revision}) is different from the running revision ({current})")
    if int(obj["metadata"].get("generation") or 0) > int(status.get("observedGeneration") or 0):
        return "Waiting for deployment spec update to be observed...\n", False
    for cond in status.get("conditions") or ():
        if cond.get("type") == "Progressing" and cond.get("reason") == "ProgressDeadlineExceeded":
            raise RolloutError(f'deployment "{name}" exceeded its progress deadline')
    replicas, updated = int(status.get("replicas") or 0), int(status.get("updatedReplicas") or 0)
    available = int(status.get("availableReplicas") or 0)
    prefix = f'Waiting for deployment "{name}" rollout to finish: '
    if spec.get("replicas") is not None and updated < spec["replicas"]:
        return f"{prefix}{updated} out of {spec['replicas']} new replicas have been updated...\n", False
    if replicas > updated:
        return f"{prefix}{replicas - updated} old replicas are pending termination...\n", False
    if available < updated:
        return f"{prefix}{available} of {updated} updated replicas are available...\n", False
    return f'deployment "{name}" successfully rolled out\n', True


def daemon_set_status(obj: Obj, revision: int = 0) -> tuple[str, bool]:
    """DaemonSetStatusViewer.Status."""
    name = obj["metadata"]["name"]
    status = obj.get("status") or {}
    if ((obj.get("spec") or {}).get("updateStrategy") or {}).get("type", "RollingUpdate") != "RollingUpdate":
        raise RolloutError("rollout status is only available for RollingUpdate strategy type")
    if int(obj["metadata"].get("generation") or 0) > int(status.get("observedGeneration") or 0):
        return "Waiting for daemon set spec update to be observed...\n", False
    desired = int(status.get("desiredNumberScheduled") or 0)
    updated, available = int(status.get("updatedNumberScheduled") or 0), int(status.get("numberAvailable") or 0)
    prefix = f'Waiting for daemon set "{name}" rollout to finish: '
    if updated < desired:
        return f"{prefix}{updated} out of {desired} new pods have been updated...\n", False
    if available < desired:
        return f"{prefix}{available} of {desired} updated pods are available...\n", False
    return f'daemon set "{name}" successfully rolled out\n', True


def stateful_set_status(obj: Obj, revision: int = 0) -> tuple[str, bool]:
    """StatefulSetStatusViewer.Status."""
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    strategy = spec.get("updateStrategy") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        raise RolloutError("rollout status is only available for RollingUpdate strategy type")
    observed = int(status.get("observedGeneration") or 0)
    if observed == 0 or int(obj["metadata"].get("generation") or 0) > observed:
        return "Waiting for statefulset spec update to be observed...\n", False
    replicas = spec.get("replicas")
    ready, updated = int(status.get("readyReplicas") or 0), int(status.get("updatedReplicas") or 0)
    if replicas is not None and ready < replicas:
        return f"Waiting for {replicas - ready} pods to be ready...\n", False
    partition = (strategy.get("rollingUpdate") or {}).get("partition")
    if strategy.get("rollingUpdate") is not None:
        if replicas is not None and partition is not None and updated < replicas - partition:
            return (f"Waiting for partitioned roll out to finish: {updated} out of {replicas - partition} "
                    "new pods have been updated...\n"), False
        return f"partitioned roll out complete: {updated} new pods have been updated...\n", True
    if status.get("updateRevision") != status.get("currentRevision"):
        return (f"waiting for statefulset rolling update to complete {updated} pods at revision "
                f"{status.get('updateRevision', '')}...\n"), False
    return (f"statefulset rolling update complete {int(status.get('currentReplicas') or 0)} pods at revision "
            f"{status.get('currentRevision', '')}...\n"), True


STATUS_VIEWERS: dict[str, Callable[[Obj, int], tuple[str, bool]]] = {
    "Deployment": deployment_status, "DaemonSet": daemon_set_status, "StatefulSet": stateful_set_status,
}


def status(backend: Backend, rt: ResourceType, name: str, namespace: str, *, watch: bool = True,
           revision: int = 0, timeout: float | None = None) -> str:
    """`kubectl rollout status`: one line per change of the object until the rollout is done.

    Simulated time moves on while watching (`advance`), as the real command waits on a watch; a
    `timeout` (seconds, 0 = none) ends the wait with kubectl's timeout error.
    """
    viewer = STATUS_VIEWERS.get(rt.kind)
    if viewer is None:
        raise RolloutError(f"no status viewer has been implemented for {qualified(rt.kind, rt.group)}")
    if revision < 0:
        raise RolloutError(f"revision must be a positive integer: {revision}")
    obj = backend.get(rt, name, namespace)
    out: list[str] = []

    def show(current: Obj) -> bool:
        try:
            text, done = viewer(current, revision)
        except RolloutError as exc:
            raise RolloutError(str(exc), "".join(out)) from None
        out.append(text)
        return done

    if show(obj) or not watch:
        return "".join(out)
    version = obj["metadata"].get("resourceVersion")
    waited = 0.0
    limit = timeout if timeout else WATCH_CEILING
    while waited < limit:
        step = min(WATCH_STEP, limit - waited)
        backend.advance(step)
        waited += step
        for event in backend.watch(rt, namespace, field_selector=f"metadata.name={name}",
                                   resource_version=version):
            version = event["object"]["metadata"].get("resourceVersion", version)
            if event["type"] == "DELETED":
                raise RolloutError("object has been deleted", "".join(out))
            if show(event["object"]):
                return "".join(out)
    raise RolloutError("timed out waiting for the condition", "".join(out))


# --- history -----------------------------------------------------------------------------------------------


def _revision(obj: Obj) -> int:
    raw = ((obj.get("metadata") or {}).get("annotations") or {}).get(REVISION)
    try:
        return int(raw) if raw is not None else 0
    except ValueError:
        return 0


def _controlled_replica_sets(backend: Backend, deploy: Obj) -> list[Obj]:
    """deploymentutil.GetAllReplicaSets: the ReplicaSets the Deployment controls (selector, then owner)."""
    rs_type = backend.registry.resolve("replicasets")
    match = (deploy["spec"].get("selector") or {}).get("matchLabels") or {}
    selector = ",".join(f"{k}={v}" for k, v in sorted(match.items()))
    listed = backend.list(rs_type, deploy["metadata"]["namespace"], label_selector=selector)["items"]
    uid = deploy["metadata"]["uid"]
    return [rs for rs in listed
            if any(r.get("controller") and r.get("uid") == uid for r in rs["metadata"].get("ownerReferences") or ())]


def _history(backend: Backend, rt: ResourceType, name: str, namespace: str) -> tuple[Obj, dict[int, Obj]]:
    _require_deployment(rt)
    deploy = backend.get(rt, name, namespace)
    return deploy, {_revision(rs): rs for rs in _controlled_replica_sets(backend, deploy)}


def history(backend: Backend, rt: ResourceType, name: str, namespace: str, revision: int = 0) -> str:
    """`kubectl rollout history`: the REVISION / CHANGE-CAUSE table, or one revision's pod template."""
    _, revisions = _history(backend, rt, name, namespace)
    head = f"{rt.kubectl_kind}/{name}"
    if not revisions:
        return f"{head} \nNo rollout history found.\n"
    if revision > 0:
        rs = revisions.get(revision)
        if rs is None:
            raise RolloutError("unable to find the specified revision")
        template = dict(rs["spec"].get("template") or {})
        cause = (rs["metadata"].get("annotations") or {}).get(CHANGE_CAUSE)
        if cause:
            tmeta = dict(template.get("metadata") or {})
            tmeta["annotations"] = {**(tmeta.get("annotations") or {}), CHANGE_CAUSE: cause}
            template["metadata"] = tmeta
        return f"{head} with revision #{revision}\n{describe_pod_template(template)}\n"
    rows = [("REVISION", "CHANGE-CAUSE")]
    for number in sorted(revisions):
        cause = (revisions[number]["metadata"].get("annotations") or {}).get(CHANGE_CAUSE) or "<none>"
        rows.append((str(number), cause))
    width = max(len(r[0]) for r in rows) + 2  # tabwriter.Init(out, 0, 8, 2, ' ', 0)
    table = "".join(f"{r[0].ljust(width)}{r[1]}\n" for r in rows)
    return f"{head} \n{table}\n"


# --- undo --------------------------------------------------------------------------------------------------


def undo(backend: Backend, rt: ResourceType, name: str, namespace: str, to_revision: int = 0,
         dry_run: bool = False) -> str:
    """`kubectl rollout undo`: copy the template of a revision's ReplicaSet back into the Deployment."""
    head = f"{rt.kubectl_kind}/{name}"
    if to_revision < 0:
        raise RolloutError(f"unable to find specified revision {to_revision} in history")
    deploy, revisions = _history(backend, rt, name, namespace)
    target = _revision_to_restore(deploy, revisions, to_revision)
    template = json.loads(json.dumps(target["spec"].get("template") or {}))
    if dry_run:
        return f"{head} {describe_pod_template(template)} (dry run)\n"
    if deploy["spec"].get("paused"):
        raise RolloutError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' "
                           "and try again")
    if _without_hash(template) == _without_hash(deploy["spec"].get("template") or {}):
        return f"{head} skipped rollback (current template already matches revision {to_revision})\n"
    labels = dict((template.get("metadata") or {}).get("labels") or {})
    labels.pop(HASH_LABEL, None)
    template.setdefault("metadata", {})["labels"] = labels
    annotations = {k: v for k, v in (deploy["metadata"].get("annotations") or {}).items() if k in ANNOTATIONS_TO_SKIP}
    annotations.update({k: v for k, v in (target["metadata"].get("annotations") or {}).items()
                        if k not in ANNOTATIONS_TO_SKIP})
    patch = [{"op": "replace", "path": "/spec/template", "value": template},
             {"op": "replace", "path": "/metadata/annotations", "value": annotations}]
    try:
        backend.patch(rt, name, patch, JSON_PATCH, namespace)
    except K8sError as exc:
        raise RolloutError(f"failed restoring revision {to_revision}: {exc}") from None
    return f"{head} rolled back\n"


def _revision_to_restore(deploy: Obj, revisions: dict[int, Obj], to_revision: int) -> Obj:
    """deploymentRevision: the asked revision, or the one before the latest."""
    if to_revision > 0:
        if to_revision not in revisions:
            raise RolloutError(f"unable to find specified revision {to_revision} in history")
        return revisions[to_revision]
    ordered = sorted(revisions)
    if len(ordered) < 2:
        raise RolloutError(f'no rollout history found for deployment "{deploy["metadata"]["name"]}"')
    return revisions[ordered[-2]]


def _without_hash(template: Obj) -> Obj:
    copy = json.loads(json.dumps(template))
    meta = copy.setdefault("metadata", {})
    labels = {k: v for k, v in (meta.get("labels") or {}).items() if k != HASH_LABEL}
    meta["labels"] = labels
    return copy


# --- pause, resume, restart --------------------------------------------------------------------------------


def pause(backend: Backend, rt: ResourceType, name: str, namespace: str) -> str:
    """`kubectl rollout pause`: set spec.paused."""
    return _toggle(backend, rt, name, namespace, True, "paused")


def resume(backend: Backend, rt: ResourceType, name: str, namespace: str) -> str:
    """`kubectl rollout resume`: clear spec.paused."""
    return _toggle(backend, rt, name, namespace, False, "resumed")


def _toggle(backend: Backend, rt: ResourceType, name: str, namespace: str, paused: bool, verb: str) -> str:
    if rt.kind != "Deployment":
        raise RolloutError(f'{rt.group_resource} "{name}" {"pausing" if paused else "resuming"} is not supported')
    deploy = backend.get(rt, name, namespace)
    if bool(deploy["spec"].get("paused")) == paused:
        raise RolloutError(f'{rt.group_resource} "{name}" {"is already paused" if paused else "is not paused"}')
    try:
        backend.patch(rt, name, {"spec": {"paused": paused or None}}, STRATEGIC_MERGE_PATCH, namespace)
    except K8sError as exc:
        raise RolloutError(f"failed to patch: {exc}") from None
    return f"{rt.kubectl_kind}/{name} {verb}\n"


def restart(backend: Backend, rt: ResourceType, name: str, namespace: str, now: str) -> str:
    """`kubectl rollout restart`: stamp the template with kubectl.kubernetes.io/restartedAt = `now` (RFC 3339).

    kubectl uses the local clock; pass the cluster's (simulated) time so the change is reproducible.
    """
    if rt.kind not in ("Deployment", "DaemonSet", "StatefulSet"):
        raise RolloutError(f'{rt.group_resource} "{name}" restarting is not supported')
    obj = backend.get(rt, name, namespace)
    if rt.kind == "Deployment" and obj["spec"].get("paused"):
        raise RolloutError(f'{rt.group_resource} "{name}" can\'t restart paused deployment (run rollout resume first)')
    current = (((obj["spec"].get("template") or {}).get("metadata") or {}).get("annotations") or {}).get(RESTARTED_AT)
    if current == now:
        raise RolloutError(f"failed to create patch for {name}: if restart has already been triggered within the "
                           "past second, please wait before attempting to trigger another")
    patch = {"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: now}}}}}
    try:
        backend.patch(rt, name, patch, STRATEGIC_MERGE_PATCH, namespace)
    except K8sError as exc:
        raise RolloutError(f"failed to patch: {exc}") from None
    return f"{rt.kubectl_kind}/{name} restarted\n"


def _require_deployment(rt: ResourceType) -> None:
    if rt.kind != "Deployment":
        raise RolloutError(f"no history viewer has been implemented for {qualified(rt.kind, rt.group)}"
                           if rt.kind not in ("DaemonSet", "StatefulSet")
                           else f"rollout history for {rt.kind} is not supported by the simulated cluster")


# --- describe.DescribePodTemplate ----------------------------------------------------------------------------


def _level(n: int) -> str:
    return "  " * n


def _multiline(title: str, items: list[str]) -> str:
    """printLabelsMultiline's shape: `title:\\t<first>` then `\\t<next>` per line, `<none>` when empty."""
    if not items:
        return f"{title}:\t<none>\n"
    return f"{title}:\t" + "\t".join(f"{item}\n" for item in items)


def _annotations(title: str, annotations: dict[str, str]) -> str:
    """printAnnotationsMultiline: long or multi-line values go on their own, shortened lines."""
    text = f"{title}:\t"
    for i, key in enumerate(sorted(annotations)):
        if i:
            text += "\t"
        value = annotations[key].removesuffix("\n")
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            text += f"{key}:\n"
            for line in value.split("\n"):
                shown = line[:MAX_ANNOTATION_LEN - 2] + "..." if len(line) > MAX_ANNOTATION_LEN - 2 else line
                text += f"\t  {shown}\n"
        else:
            text += f"{key}: {value}\n"
    return text


def _probe(probe: Obj) -> str:
    attrs = (f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 1)}s "
             f"period={probe.get('periodSeconds', 10)}s #success={probe.get('successThreshold', 1)} "
             f"#failure={probe.get('failureThreshold', 3)}")
    if "exec" in probe:
        return f"exec [{' '.join(probe['exec'].get('command') or [])}] {attrs}"
    if "httpGet" in probe:
        get = probe["httpGet"]
        host = get.get("host", "")
        return f"http-get {get.get('scheme', 'HTTP').lower()}://{host}:{get.get('port', '')}{get.get('path', '')} {attrs}"
    if "tcpSocket" in probe:
        return f"tcp-socket {probe['tcpSocket'].get('host', '')}:{probe['tcpSocket'].get('port', '')} {attrs}"
    return f"unknown {attrs}"


def _env_line(env: Obj) -> str:
    name = env.get("name", "")
    source = env.get("valueFrom")
    if source is None:
        lines = str(env.get("value", "")).split("\n")
        return f"{_level(3)}{name}:\t{lines[0]}\n" + "".join(f"{_level(3)}\t{s}\n" for s in lines[1:])
    if "configMapKeyRef" in source:
        ref = source["configMapKeyRef"]
        return (f"{_level(3)}{name}:\t<set to the key '{ref.get('key', '')}' of config map '{ref.get('name', '')}'>"
                f"\tOptional: {str(bool(ref.get('optional'))).lower()}\n")
    if "secretKeyRef" in source:
        ref = source["secretKeyRef"]
        return (f"{_level(3)}{name}:\t<set to the key '{ref.get('key', '')}' in secret '{ref.get('name', '')}'>"
                f"\tOptional: {str(bool(ref.get('optional'))).lower()}\n")
    if "fieldRef" in source:
        ref = source["fieldRef"]
        return f"{_level(3)}{name}:\t ({ref.get('apiVersion', 'v1')}:{ref.get('fieldPath', '')})\n"
    return f"{_level(3)}{name}:\t\n"


def _container(container: Obj) -> str:
    ports = container.get("ports") or []
    port = ", ".join(f"{p.get('containerPort', 0)}/{p.get('protocol', 'TCP')}" for p in ports)
    host = ", ".join(f"{p.get('hostPort', 0)}/{p.get('protocol', 'TCP')}" for p in ports)
    text = f"{_level(1)} {container.get('name', '')}:\n{_level(2)}Image:\t{container.get('image', '')}\n"
    text += f"{_level(2)}{'Ports' if ',' in port else 'Port'}:\t{port or '<none>'}\n"
    text += f"{_level(2)}{'Host Ports' if ',' in host else 'Host Port'}:\t{host or '<none>'}\n"
    for key, title in (("command", "Command"), ("args", "Args")):
        if container.get(key):
            text += f"{_level(2)}{title}:\n" + "".join(f"{_level(3)}{s}\n" for c in container[key] for s in c.split("\n"))
    resources = container.get("resources") or {}
    for key, title in (("limits", "Limits"), ("requests", "Requests")):
        if resources.get(key):
            text += f"{_level(2)}{title}:\n" + "".join(f"{_level(3)}{n}:\t{resources[key][n]}\n"
                                                       for n in sorted(resources[key]))
    for key, title in (("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"), ("startupProbe", "Startup")):
        if container.get(key):
            text += f"{_level(2)}{title}:\t{_probe(container[key])}\n"
    env = container.get("env") or []
    text += f"{_level(2)}Environment:{'' if env else chr(9) + '<none>'}\n" + "".join(_env_line(e) for e in env)
    mounts = sorted(container.get("volumeMounts") or [], key=lambda m: m.get("mountPath", ""))
    text += f"{_level(2)}Mounts:{'' if mounts else chr(9) + '<none>'}\n"
    for mount in mounts:
        flags = ["ro" if mount.get("readOnly") else "rw"]
        if mount.get("subPath"):
            flags.append(json.dumps(mount["subPath"]).join(("path=", "")))
        text += f"{_level(3)}{mount.get('mountPath', '')} from {mount.get('name', '')} ({','.join(flags)})\n"
    return text


def _volume(volume: Obj) -> str:
    text = f"{_level(1)} {volume.get('name', '')}:\n"
    if "emptyDir" in volume:
        source = volume["emptyDir"] or {}
        return text + (f"{_level(2)}Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                       f"    Medium:\t{source.get('medium', '')}\n    SizeLimit:\t{source.get('sizeLimit') or '<unset>'}\n")
    if "configMap" in volume:
        source = volume["configMap"]
        return text + (f"{_level(2)}Type:\tConfigMap (a volume populated by a ConfigMap)\n"
                       f"    Name:\t{source.get('name', '')}\n    Optional:\t{str(bool(source.get('optional'))).lower()}\n")
    if "secret" in volume:
        source = volume["secret"]
        return text + (f"{_level(2)}Type:\tSecret (a volume populated by a Secret)\n"
                       f"    SecretName:\t{source.get('secretName', '')}\n"
                       f"    Optional:\t{str(bool(source.get('optional'))).lower()}\n")
    if "persistentVolumeClaim" in volume:
        source = volume["persistentVolumeClaim"]
        return text + (f"{_level(2)}Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the "
                       f"same namespace)\n    ClaimName:\t{source.get('claimName', '')}\n"
                       f"    ReadOnly:\t{str(bool(source.get('readOnly'))).lower()}\n")
    return text + f"{_level(2)}<unknown>\n"


def describe_pod_template(template: Obj) -> str:
    """describe.DescribePodTemplate as `rollout history --revision` prints it (tabs left as tabs)."""
    meta, spec = template.get("metadata") or {}, template.get("spec") or {}
    labels = meta.get("labels") or {}
    text = "Pod Template:\n" + _multiline("  Labels", [f"{k}={labels[k]}" for k in sorted(labels)])
    if meta.get("annotations"):
        text += _annotations("  Annotations", meta["annotations"])
    if spec.get("serviceAccountName"):
        text += f"{_level(1)}Service Account:\t{spec['serviceAccountName']}\n"
    for key, title in (("initContainers", "Init Containers"), ("containers", "Containers")):
        containers = spec.get(key) or []
        if key == "containers" or containers:
            text += f"  {title}:{'' if containers else ' <none>'}\n" + "".join(_container(c) for c in containers)
    volumes = spec.get("volumes") or []
    text += "  Volumes:\n" + "".join(_volume(v) for v in volumes) if volumes else "  Volumes:\t<none>\n"
    if spec.get("priorityClassName"):
        text += f"{_level(1)}Priority Class Name:\t{spec['priorityClassName']}\n"
    selectors = spec.get("nodeSelector") or {}
    text += _multiline("  Node-Selectors", [f"{k}={selectors[k]}" for k in sorted(selectors)])
    tolerations = sorted(spec.get("tolerations") or [], key=lambda t: t.get("key", ""))
    text += _multiline("  Tolerations", [toleration_text(t) for t in tolerations])
    return text
