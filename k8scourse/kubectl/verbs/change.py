"""`kubectl scale | set image | set env | label | annotate | expose | run | autoscale | patch | edit |
port-forward`: the verbs that change objects already in the cluster (or add one derived from them).

Registered in `k8scourse.kubectl.command.VERBS`. Each follows its kubectl v1.33 command
(staging/src/k8s.io/kubectl/pkg/cmd/{scale,set,label,annotate,expose,run,autoscale,patch}): the object
it builds or the patch it sends, the line it prints (`deployment.apps/web scaled`, `pod/web labeled`,
`service/web exposed`, `... patched (no change)`) and its error wording. `edit` and `port-forward` need a
terminal editor or a real network port; in a notebook they explain what to do instead.
"""

from __future__ import annotations

import fnmatch
import json
import re
from typing import Any

from ...api import openapi
from ...api.backend import JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH
from ...api.errors import ApiError, K8sError
from ...api.patch import create_two_way_merge_patch
from ...api.quantity import QuantityError, canonical
from ...api.registry import ResourceType
from ..command import Invocation, change_cause, verb
from ..flags import Flag
from ..jsonpath import go_json
from ..render import to_json, to_yaml
from ..rollout import CHANGE_CAUSE
from .manifests import DRY_RUN, OUTPUT, dry_run_mode, resource_targets

Obj = dict[str, Any]
Target = tuple[ResourceType, Obj]

NO_RESOURCES = ("You must provide one or more resources by argument or filename.\nExample resource specifications "
                "include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
ONE_OR_MORE = "one or more resources must be specified as <resource> <name> or <resource>/<name>"
SELECTOR = Flag("selector", "l")
ALL = Flag("all", takes_value=False)
OVERWRITE_DEFAULT_FALSE = Flag("overwrite", takes_value=False, kind=bool)


# --- shared helpers --------------------------------------------------------------------------------------------


def usage_error(inv: Invocation, message: str) -> K8sError:
    """cmdutil.UsageErrorf: the message and `See 'kubectl <verb> -h' for help and examples`."""
    return K8sError(f"{message}\nSee 'kubectl {inv.verb} -h' for help and examples")


def split_pairs(args: list[str], pair_type: str) -> tuple[list[str], list[str]]:
    """cmdutil.GetResourcesAndPairs: resource words first, then KEY=VALUE / KEY- pairs."""
    resources: list[str] = []
    pairs: list[str] = []
    for word in args:
        is_pair = ("=" in word and not word.startswith("=")) or (word.endswith("-") and word != "-")
        if is_pair:
            pairs.append(word)
        elif pairs:
            raise K8sError(f"all resources must be specified before {pair_type} changes: {word}")
        else:
            resources.append(word)
    return resources, pairs


def parse_pairs(pairs: list[str], pair_type: str, removable: bool) -> tuple[dict[str, str], list[str]]:
    """cmdutil.ParsePairs: KEY=VALUE to set, KEY- to remove, anything else is `invalid <type> format`."""
    new: dict[str, str] = {}
    remove: list[str] = []
    invalid: list[str] = []
    for pair in pairs:
        if "=" in pair and not pair.startswith("="):
            key, _, value = pair.partition("=")
            new[key] = value
        elif removable and pair.endswith("-") and pair != "-":
            remove.append(pair[:-1])
        else:
            invalid.append(pair)
    if invalid:
        raise K8sError(f"invalid {pair_type} format: {', '.join(invalid)}")
    return new, remove


def objects(inv: Invocation, words: list[str], *, allow_selector: bool = True) -> list[Target]:
    """The objects named on the command line (`TYPE NAME...`, `TYPE/NAME...`, or `TYPE -l sel` / `--all`)."""
    targets = resource_targets(inv, words)
    if not targets:
        raise K8sError(NO_RESOURCES)
    found: list[Target] = []
    for rt, names in targets:
        ns = inv.namespace if rt.namespaced else None
        if names:
            found += [(rt, inv.backend.get(rt, name, ns)) for name in names]
            continue
        selector = (inv.line.get("selector") or "") if allow_selector else ""
        if not (selector or inv.line.get("all")):
            raise K8sError("resource(s) were provided, but no name was specified")
        items = inv.backend.list(rt, ns, selector)["items"]
        found += [(rt, {"apiVersion": rt.api_version, "kind": rt.kind, **item}) for item in items]
    return found


def done(inv: Invocation, rt: ResourceType, name: str, operation: str) -> None:
    """The printer kubectl ends with: `deployment.apps/web scaled`, `(dry run)` suffixes, `-o name`."""
    if inv.line.get("output") == "name":
        inv.print(f"{rt.kubectl_kind}/{name}")
        return
    mode = dry_run_mode(inv) if "dry-run" in inv.line.flags else "none"
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(mode, "")
    inv.print(f"{rt.kubectl_kind}/{name} {operation}{suffix}")


def show(inv: Invocation, rt: ResourceType, obj: Obj, operation: str) -> None:
    """`-o yaml|json` prints the object, anything else kubectl's line."""
    output = inv.line.get("output") or ""
    if output in ("yaml", "json"):
        shown = {"apiVersion": rt.api_version, "kind": rt.kind, **{k: v for k, v in obj.items()
                                                                    if k not in ("apiVersion", "kind")}}
        inv.out.write(to_yaml(shown) if output == "yaml" else to_json(shown))
    else:
        done(inv, rt, obj["metadata"]["name"], operation)


def send_patch(inv: Invocation, rt: ResourceType, obj: Obj, patch: Any, patch_type: str) -> Obj:
    """PATCH the object (a server dry run when asked); returns what the server answered."""
    meta = obj["metadata"]
    mode = dry_run_mode(inv) if "dry-run" in inv.line.flags else "none"
    return inv.backend.patch(rt, meta["name"], patch, patch_type, meta.get("namespace"), dry_run=mode == "server")


def create_object(inv: Invocation, rt: ResourceType, obj: Obj) -> Obj:
    """Create `obj` in the command's namespace, or only show it for --dry-run=client."""
    mode = dry_run_mode(inv)
    if mode == "client":
        return obj
    ns = inv.namespace if rt.namespaced else None
    return inv.backend.create(rt, obj, ns, dry_run=mode == "server")


def pod_spec_of(obj: Obj) -> Obj | None:
    """polymorphichelpers.updatePodSpecForObject: the pod spec a kind carries, or None."""
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        return ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template", {}).get("spec")
    if kind in ("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job"):
        return (spec.get("template") or {}).get("spec")
    return None


def no_template(rt: ResourceType, obj: Obj) -> str:
    """polymorphichelpers.updatePodSpecForObject's refusal, as set's Run prefixes it with info.ObjectName()."""
    return (f"error: {rt.plural}/{obj['metadata']['name']} the object is not a pod or does not have a pod template: "
            f"*{rt.version}.{rt.kind}")


def record_change_cause(inv: Invocation, obj: Obj) -> None:
    """ChangeCauseRecorder.Record: with --record, the command line as the kubernetes.io/change-cause annotation."""
    if inv.line.get("record"):
        obj["metadata"].setdefault("annotations", {})[CHANGE_CAUSE] = change_cause(inv)


def two_way_patch(rt: ResourceType, before: Obj, after: Obj) -> Obj:
    """set.CalculatePatches: the strategic merge patch from the object as read to the object as changed."""
    return create_two_way_merge_patch(before, after, openapi.schema_for_kind(rt.api_version, rt.kind))


def copy(obj: Any) -> Any:
    return json.loads(json.dumps(obj))


# --- scale -------------------------------------------------------------------------------------------------------

SCALABLE = ("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet")


@verb("scale", SELECTOR, ALL, DRY_RUN, OUTPUT, Flag("replicas", kind=int, default=-1),
      Flag("current-replicas", kind=int, default=-1), Flag("resource-version"), Flag("timeout"),
      Flag("filename", "f", many=True), Flag("record", takes_value=False),
      summary="Set a new size for a deployment, replica set, or replication controller")
def scale(inv: Invocation) -> None:
    if "replicas" not in inv.line.given:
        raise K8sError('required flag(s) "replicas" not set')
    replicas, current = inv.line["replicas"], inv.line["current-replicas"]
    if replicas < 0:
        raise K8sError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    if current < -1:
        raise K8sError("The --current-replicas must specify an integer of -1 or greater")
    targets = objects(inv, inv.line.args)
    if not targets:
        raise K8sError("no objects passed to scale")
    wanted_version = inv.line["resource-version"]
    if wanted_version and len(targets) > 1:
        raise K8sError("cannot use --resource-version with multiple resources")
    for rt, obj in targets:
        if rt.kind not in SCALABLE:  # no scale subresource: the scale GET/PATCH is a 404
            raise ApiError({"code": 404, "reason": "NotFound", "message": "the server could not find the requested "
                            "resource"})
        # kubectl/pkg/scale/scale.go ScalePrecondition.validate and PreconditionError
        actual = int((obj.get("spec") or {}).get("replicas", 1))
        if current != -1 and actual != current:
            raise K8sError(f"Expected replicas to be {current}, was {actual}")
        version = obj["metadata"].get("resourceVersion", "")
        if wanted_version and version != wanted_version:
            raise K8sError(f"Expected resource version to be {wanted_version}, was {version}")
        if dry_run_mode(inv) != "client":
            send_patch(inv, rt, obj, {"spec": {"replicas": replicas}}, MERGE_PATCH)
        done(inv, rt, obj["metadata"]["name"], "scaled")


# --- set image / set env -------------------------------------------------------------------------------------------


@verb("set", SELECTOR, ALL, DRY_RUN, OUTPUT, Flag("containers", "c", default="*"), Flag("list", takes_value=False),
      Flag("limits"), Flag("requests"), Flag("from"), Flag("prefix"), Flag("keys", many=True),
      Flag("env", "e", many=True), Flag("overwrite", takes_value=False, kind=bool, default=True), Flag("filename", "f", many=True),
      Flag("local", takes_value=False), Flag("record", takes_value=False), Flag("resolve", takes_value=False),
      summary="Set specific features on objects")
def set_(inv: Invocation) -> None:
    sub, args = (inv.line.args[:1] or [""])[0], inv.line.args[1:]
    if sub == "image":
        set_image(inv, args)
    elif sub == "env":
        set_env(inv, args)
    elif sub == "resources":
        set_resources(inv, args)
    else:
        inv.print("Configure application resources.\n\n These commands help you make changes to existing application "
                  "resources.\n\nAvailable Commands:\n  env              Update environment variables on a pod "
                  "template\n  image            Update the image of a pod template\n  resources        Update "
                  "resource requests/limits on objects with pod templates")
        inv.code = 1


def set_image(inv: Invocation, args: list[str]) -> None:
    """set_image.go: `deployment.apps/web image updated`; unknown container names are errors after the patch."""
    words, pairs = split_pairs(args, "image")
    if not words:
        raise K8sError(NO_RESOURCES)
    images, _ = parse_pairs(pairs, "image", removable=False)
    if not images:
        raise K8sError("at least one image update is required")
    if len(images) > 1 and "*" in images:
        raise K8sError("all containers are already specified by *, but saw more than one "
                       "container_name=container_image pairs")
    errors: list[str] = []
    for rt, obj in objects(inv, words):
        spec = pod_spec_of(obj)
        if spec is None:
            errors.append(no_template(rt, obj))
            continue
        changed = copy(obj)
        after = pod_spec_of(changed) or {}
        for name, image in images.items():
            found = [c for key in ("initContainers", "containers") for c in after.get(key) or []
                     if name in (c["name"], "*")]
            for container in found:
                container["image"] = image
            if not found:
                errors.append(f'error: unable to find container named "{name}"')
        _patch_template(inv, rt, obj, changed, "image updated",
                        "failed to patch image update to pod template: ", errors)
    _aggregate(inv, errors)


def resource_list(spec: str | None) -> dict[str, str]:
    """generate/versioned populateResourceListV1: `cpu=200m,memory=512Mi`, each value a canonical quantity."""
    if not spec:
        return {}
    result: dict[str, str] = {}
    for statement in spec.split(","):
        parts = statement.split("=")
        if len(parts) != 2:
            raise K8sError(f"Invalid argument syntax {statement}, expected <resource>=<value>")
        try:
            result[parts[0]] = canonical(parts[1])
        except (QuantityError, ValueError):
            raise K8sError("quantities must match the regular expression "
                           "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'") from None
    return result


def set_resources(inv: Invocation, args: list[str]) -> None:
    """set_resources.go: `deployment.apps/web resource requirements updated` for every object whose containers
    (matched by -c, wildcards allowed) got the --limits/--requests."""
    if not inv.line["limits"] and not inv.line["requests"]:
        raise K8sError("you must specify an update to requests or limits (in the form of --requests/--limits)")
    if inv.line["all"] and inv.line["selector"]:
        raise K8sError("cannot set --all and --selector at the same time")
    limits, requests = resource_list(inv.line["limits"]), resource_list(inv.line["requests"])
    if not args:
        raise K8sError(NO_RESOURCES)
    selector = inv.line["containers"]
    errors: list[str] = []
    for rt, obj in objects(inv, args):
        changed = copy(obj)
        spec = pod_spec_of(changed)
        if spec is None:
            errors.append(f"error: {rt.plural}/{obj['metadata']['name']} " + no_template(rt, obj).split(" ", 2)[2])
            continue
        chosen = [c for key in ("containers", "initContainers") for c in spec.get(key) or []
                  if fnmatch.fnmatchcase(c["name"], selector)]
        if not chosen:
            errors.append(f"error: unable to find container named {selector}")
            continue
        for container in chosen:
            resources = container.setdefault("resources", {})
            for field_name, values in (("limits", limits), ("requests", requests)):
                if values:
                    resources[field_name] = {**(resources.get(field_name) or {}), **values}
        _patch_template(inv, rt, obj, changed, "resource requirements updated",
                        "failed to patch resources update to pod template ", errors)  # sic: no colon in set_resources.go
    _aggregate(inv, errors)


def _patch_template(inv: Invocation, rt: ResourceType, obj: Obj, changed: Obj, updated: str, failure: str,
                    errors: list[str]) -> None:
    """What `set image` and `set resources` do with each changed object: record the change-cause, send the
    two-way strategic merge patch (unless it is empty or a client dry-run), and print `<type>/<name> <updated>`;
    a refused patch becomes `<failure><server message>` in `errors`."""
    record_change_cause(inv, changed)
    patch = two_way_patch(rt, obj, changed)
    if not patch:
        return
    if dry_run_mode(inv) != "client":
        try:
            send_patch(inv, rt, obj, patch, STRATEGIC_MERGE_PATCH)
        except ApiError as exc:
            errors.append(failure + exc.kubectl_message())
            return
    done(inv, rt, obj["metadata"]["name"], updated)


def _aggregate(inv: Invocation, errors: list[str]) -> None:
    """utilerrors.NewAggregate as CheckErr prints it: one message, or `[a, b]`."""
    if not errors:
        return
    text = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
    inv.error(text if text.startswith("error: ") else f"error: {text}")


ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")


def parse_env(specs: list[str]) -> tuple[list[Obj], list[str]]:
    """env.ParseEnv: KEY=VALUE to set (in order), KEY- to remove."""
    env: list[Obj] = []
    remove: list[str] = []
    for spec in specs:
        if "=" in spec and not spec.startswith("="):
            key, _, value = spec.partition("=")
            if not ENV_NAME.match(key):
                raise K8sError(f'"{key}" is not a valid key name: a valid environment variable name must consist of '
                               "alphabetic characters, digits, '_', '-', or '.', and must not start with a digit "
                               "(e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation "
                               "is '[-._a-zA-Z][-._a-zA-Z0-9]*')")
            env.append({"name": key, "value": value})
        elif spec.endswith("-") and spec != "-":
            remove.append(spec[:-1])
        else:
            raise K8sError(f"{spec} is not a valid env var definition")
    return env, remove


def updated_env(existing: list[Obj], env: list[Obj], remove: list[str]) -> list[Obj]:
    """set_env.go updateEnv: replace in place by name, append new ones, drop removed ones."""
    result: list[Obj] = []
    adding = {e["name"]: e for e in env}
    for current in existing:
        if current["name"] in remove:
            continue
        result.append(adding.pop(current["name"], current))
    result += [e for e in env if e["name"] in adding]
    return result


def set_env(inv: Invocation, args: list[str]) -> None:
    """set_env.go: `deployment.apps/web env updated`, `--list` prints `# Deployment web, container nginx`."""
    words, pairs = split_pairs(args, "environment")
    if not words:
        raise K8sError(ONE_OR_MORE)
    keys = [key for given in inv.line["keys"] for key in given.split(",") if key]
    if keys and not inv.line["from"]:
        raise K8sError("when specifying --keys, a configmap or secret must be provided with --from")
    env, remove = parse_env([*inv.line["env"], *pairs])
    if inv.line["from"]:
        env += _env_from(inv, inv.line["from"], keys)
    if inv.line["prefix"]:
        env = [{**e, "name": inv.line["prefix"] + e["name"]} for e in env]
    selector = inv.line["containers"]
    for rt, obj in objects(inv, words):
        spec = pod_spec_of(obj)
        if spec is None:
            raise K8sError(no_template(rt, obj))
        changed = copy(obj)
        after = pod_spec_of(changed) or {}
        chosen = [c for key in ("containers", "initContainers") for c in after.get(key) or []
                  if selector == "*" or c["name"] == selector]
        if not chosen:
            inv.err.write(f'Warning: {obj["kind"]}/{obj["metadata"]["name"]} does not have any containers matching '
                          f'"{selector}"\n')
            continue
        for container in chosen:
            if not inv.line["overwrite"]:
                _refuse_env_overwrite(container, env)
            container["env"] = updated_env(container.get("env") or [], env, remove)
            if not container["env"]:
                container.pop("env")
            if inv.line["list"]:
                _list_env(inv, obj, container)
        if not inv.line["list"]:
            record_change_cause(inv, changed)
        patch = two_way_patch(rt, obj, changed)
        if inv.line["list"] or not patch:
            continue
        if not env and not pairs:
            raise K8sError("at least one environment variable must be provided")
        if dry_run_mode(inv) != "client":
            try:
                send_patch(inv, rt, obj, patch, STRATEGIC_MERGE_PATCH)
            except ApiError as exc:
                raise K8sError(f"failed to patch env update to pod template: {exc.kubectl_message()}") from None
        done(inv, rt, obj["metadata"]["name"], "env updated")


ENV_NAME_INVALID = re.compile(r"[^a-zA-Z0-9_]")  # set_env.go validEnvNameRegexp


def _env_from(inv: Invocation, source: str, keys: list[str]) -> list[Obj]:
    """set_env.go RunEnv --from: a variable per data key of the ConfigMap or Secret (all, or those --keys names),
    named by keyToEnvName, which warns when it changes a key. Go ranges over the map in no fixed order; the keys
    are taken sorted here."""
    env: list[Obj] = []
    for _, obj in objects(inv, [source]):
        ref = {"ConfigMap": "configMapKeyRef", "Secret": "secretKeyRef"}.get(obj.get("kind", ""))
        if ref is None:
            raise K8sError("unsupported resource specified in --from")
        for key in sorted(obj.get("data") or {}):
            if keys and key not in keys:
                continue
            name = ENV_NAME_INVALID.sub("_", key).upper()
            if name != key:
                inv.err.write(f"Warning: key {key} transferred to {name}\n")
            env.append({"name": name, "valueFrom": {ref: {"name": obj["metadata"]["name"], "key": key}}})
    return env


def _refuse_env_overwrite(container: Obj, env: list[Obj]) -> None:
    """set_env.go validateNoOverwrites: only a different value counts (a reference has the empty value)."""
    for e in env:
        old = next((o for o in container.get("env") or [] if o["name"] == e["name"]), None)
        if old is not None and old.get("value", "") != e.get("value", ""):
            raise K8sError(f"'{e['name']}' already has a value ({old.get('value', '')}), and --overwrite is false")


def _list_env(inv: Invocation, obj: Obj, container: Obj) -> None:
    inv.print(f"# {obj['kind']} {obj['metadata']['name']}, container {container['name']}")
    for e in container.get("env") or []:
        source = e.get("valueFrom")
        if source is None:
            inv.print(f"{e['name']}={e.get('value', '')}")
        else:
            inv.print(f"# {e['name']} from {_env_ref(source)}")


def _env_ref(source: Obj) -> str:
    """env.GetEnvVarRefString."""
    if "configMapKeyRef" in source:
        ref = source["configMapKeyRef"]
        return f"configmap {ref.get('name', '')}, key {ref.get('key', '')}"
    if "secretKeyRef" in source:
        ref = source["secretKeyRef"]
        return f"secret {ref.get('name', '')}, key {ref.get('key', '')}"
    if "fieldRef" in source:
        return f"field path {source['fieldRef'].get('fieldPath', '')}"
    if "resourceFieldRef" in source:
        ref = source["resourceFieldRef"]
        container = f"{ref['containerName']}:" if ref.get("containerName") else ""
        return f"resource {container}{ref.get('resource', '')}"
    return "invalid valueFrom"


# --- label / annotate ------------------------------------------------------------------------------------------------

KEY_VALUE_FLAGS = (SELECTOR, ALL, DRY_RUN, OUTPUT, OVERWRITE_DEFAULT_FALSE, Flag("list", takes_value=False),
                   Flag("resource-version"), Flag("filename", "f", many=True), Flag("local", takes_value=False),
                   Flag("field-selector"), Flag("all-namespaces", "A", takes_value=False))


def _metadata_map_targets(inv: Invocation, pair_type: str) -> tuple[list[str], dict[str, str], list[str]]:
    words, pairs = split_pairs(inv.line.args, pair_type)
    if pair_type == "label":
        new, remove = parse_labels(pairs)
    else:
        new, remove = parse_pairs(pairs, pair_type, removable=True)
    if inv.line["list"] and inv.line["output"]:
        raise K8sError("--list and --output may not be specified together")
    if inv.line["all"] and inv.line["selector"]:
        raise K8sError("cannot set --all and --selector at the same time")
    if not words:
        raise K8sError(ONE_OR_MORE)
    if not new and not remove and not inv.line["list"]:
        raise K8sError(f"at least one {pair_type} update is required")
    return words, new, remove


LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def parse_labels(pairs: list[str]) -> tuple[dict[str, str], list[str]]:
    """label.go parseLabels."""
    labels: dict[str, str] = {}
    remove: list[str] = []
    for spec in pairs:
        if "=" in spec:
            parts = spec.split("=")
            if len(parts) != 2:
                raise K8sError(f"invalid label spec: {spec}")
            if len(parts[1]) > 63 or not LABEL_VALUE.match(parts[1]):
                raise K8sError(f'invalid label value: "{spec}": ' + _label_value_problem(parts[1]))
            labels[parts[0]] = parts[1]
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise K8sError(f"unknown label spec: {spec}")
    if any(key in labels for key in remove):
        raise K8sError("can not both modify and remove a label in the same command")
    return labels, remove


def _label_value_problem(value: str) -> str:
    """validation.IsValidLabelValue's messages joined by `;`."""
    problems = []
    if len(value) > 63:
        problems.append("must be no more than 63 characters")
    if not LABEL_VALUE.match(value):
        problems.append("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
                        "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  "
                        "or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
    return ";".join(problems)


def _list_map(inv: Invocation, obj: Obj, field: str, several: bool) -> None:
    entries = obj["metadata"].get(field) or {}
    indent = " " if several else ""
    if several:
        group = obj["apiVersion"].rpartition("/")[0] if "/" in obj["apiVersion"] else ""
        inv.print(f"Listing {field} for {obj['kind']}.{group}/{obj['metadata']['name']}:")
    for key in sorted(entries):
        inv.print(f"{indent}{key}={entries[key]}")


def _change_map(inv: Invocation, rt: ResourceType, obj: Obj, field: str, new: dict[str, str],
                remove: list[str]) -> tuple[Obj, bool]:
    """Set and remove keys of metadata.labels / annotations; send kubectl's merge patch."""
    old = dict(obj["metadata"].get(field) or {})
    updated = {**old, **new}
    for key in remove:
        updated.pop(key, None)
    patch = {k: v for k, v in updated.items() if old.get(k) != v}
    patch.update({k: None for k in old if k not in updated})
    obj["metadata"][field] = updated
    if patch and dry_run_mode(inv) != "client":
        version = inv.line["resource-version"]
        meta_patch: Obj = {field: patch}
        if version:
            meta_patch["resourceVersion"] = version
        obj = send_patch(inv, rt, obj, {"metadata": meta_patch}, MERGE_PATCH)
    return obj, bool(patch)


@verb("label", *KEY_VALUE_FLAGS, summary="Update the labels on a resource")
def label(inv: Invocation) -> None:
    """label.go: `pod/web labeled | unlabeled | not labeled`; existing keys need --overwrite."""
    words, new, remove = _metadata_map_targets(inv, "label")
    targets = objects(inv, words)
    several = len(targets) > 1 or bool(inv.line["selector"] or inv.line["all"])
    for rt, obj in targets:
        labels = obj["metadata"].get("labels") or {}
        if not inv.line["list"]:
            for key in remove:
                if key not in labels:
                    inv.print(f'label "{key}" not found.')
        if not inv.line["overwrite"]:
            clashes = [f"'{k}' already has a value ({labels[k]}), and --overwrite is false" for k in sorted(new)
                       if k in labels]
            if clashes:
                raise K8sError(clashes[0] if len(clashes) == 1 else "[" + ", ".join(clashes) + "]")
        before = go_json(obj)
        result, _ = _change_map(inv, rt, obj, "labels", new, remove)
        after = go_json(obj)
        if inv.line["list"]:
            _list_map(inv, result, "labels", several)
            continue
        message = "not labeled"
        if before != after:
            message = "unlabeled" if not inv.line["overwrite"] and len(after) < len(before) else "labeled"
        show(inv, rt, result, message)


@verb("annotate", *KEY_VALUE_FLAGS, summary="Update the annotations on a resource")
def annotate(inv: Invocation) -> None:
    """annotate.go: `pod/web annotated`; existing keys need --overwrite (change-cause never does)."""
    words, new, remove = _metadata_map_targets(inv, "annotation")
    clash = sorted(set(new) & set(remove))
    if clash:
        raise K8sError("can not both modify and remove the following annotation(s) in the same command: "
                       + ", ".join(clash))
    targets = objects(inv, words)
    several = len(targets) > 1
    for rt, obj in targets:
        annotations = obj["metadata"].get("annotations") or {}
        if not inv.line["overwrite"]:
            found = [f"'{k}' already has a value ({annotations[k]})" for k in sorted(new)
                     if k in annotations and k != "kubernetes.io/change-cause"]
            if found:
                raise K8sError("--overwrite is false but found the following declared annotation(s): "
                               + "; ".join(found))
        result, _ = _change_map(inv, rt, obj, "annotations", new, remove)
        if inv.line["list"]:
            _list_map(inv, result, "annotations", several)
            continue
        show(inv, rt, result, "annotated")


# --- expose ----------------------------------------------------------------------------------------------------------

EXPOSABLE = ("Pod", "Service", "ReplicationController", "Deployment", "ReplicaSet")


def selector_for(obj: Obj) -> dict[str, str]:
    """polymorphichelpers.mapBasedSelectorForObject."""
    kind, spec = obj["kind"], obj.get("spec") or {}
    if kind == "Pod":
        labels = obj["metadata"].get("labels") or {}
        if not labels:
            raise K8sError("couldn't retrieve selectors via --selector flag or introspection: the pod has no labels "
                           "and cannot be exposed")
        return labels
    if kind == "Service":
        if not spec.get("selector"):
            raise K8sError("couldn't retrieve selectors via --selector flag or introspection: the service has no pod "
                           "selector set")
        return spec["selector"]
    if kind == "ReplicationController":
        return spec.get("selector") or {}
    selector = spec.get("selector") or {}
    if selector.get("matchExpressions"):
        raise K8sError("couldn't retrieve selectors via --selector flag or introspection: the selector uses "
                       "matchExpressions, which a Service selector cannot express; give one with --selector=key=value")
    return selector.get("matchLabels") or {}


def ports_for(obj: Obj) -> list[tuple[int, str]]:
    """polymorphichelpers.portsForObject with each port's protocol (TCP when unset)."""
    if obj["kind"] == "Service":
        return [(p["port"], p.get("protocol") or "TCP") for p in (obj.get("spec") or {}).get("ports") or []]
    spec = pod_spec_of(obj) or {}
    return [(p["containerPort"], p.get("protocol") or "TCP")
            for c in spec.get("containers") or [] for p in c.get("ports") or []]


def parse_label_list(text: str) -> dict[str, str]:
    """expose.go / run.go parseLabels: `a=b,c=d`."""
    labels: dict[str, str] = {}
    for spec in text.split(","):
        parts = spec.split("=")
        if len(parts) != 2:
            raise K8sError(f"unexpected label spec: {spec}")
        if not parts[0]:
            raise K8sError("unexpected empty label key")
        labels[parts[0]] = parts[1]
    return labels


def service_for(inv: Invocation, obj: Obj) -> Obj:
    """expose.go createService: name, labels, selector and ports as kubectl derives them."""
    line = inv.line
    selector = parse_label_list(line["selector"]) if line["selector"] else selector_for(obj)
    labels = parse_label_list(line["labels"]) if line["labels"] else dict(obj["metadata"].get("labels") or {})
    headless = line["cluster-ip"] == "None"
    if line["port"]:
        derived = dict(ports_for(obj))
        ports = [(int(line["port"]), line["protocol"] or derived.get(int(line["port"]), "TCP"))]
    else:
        ports = ports_for(obj)
        if not ports and not headless:
            raise K8sError("couldn't find port via --port flag or introspection")
    if line["protocol"]:
        ports = [(p, line["protocol"]) for p, _ in ports]
    service_ports = []
    for i, (port, protocol) in enumerate(ports):
        name = f"port-{i + 1}" if len(ports) > 1 else (line["port-name"] or "")
        target = line["target-port"]
        entry: Obj = {"port": port, "protocol": protocol,
                      "targetPort": (int(target) if target.isdigit() else target) if target else port}
        if name:
            entry = {"name": name, **entry}
        service_ports.append(entry)
    spec: Obj = {"ports": service_ports, "selector": selector}
    if line["type"]:
        spec["type"] = line["type"]
    if line["external-ip"]:
        spec["externalIPs"] = [line["external-ip"]]
    if line["session-affinity"]:
        if line["session-affinity"] not in ("None", "ClientIP"):
            raise K8sError(f"unknown session affinity: {line['session-affinity']}")
        spec["sessionAffinity"] = line["session-affinity"]
    if line["cluster-ip"]:
        spec["clusterIP"] = line["cluster-ip"]
    meta: Obj = {"name": line["name"] or obj["metadata"]["name"][:63]}
    if labels:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec}


@verb("expose", DRY_RUN, OUTPUT, Flag("port"), Flag("target-port"), Flag("type"), Flag("name"), Flag("protocol"),
      Flag("selector"), Flag("labels", "l"), Flag("external-ip"), Flag("cluster-ip"), Flag("session-affinity"),
      Flag("port-name"), Flag("filename", "f", many=True), Flag("record", takes_value=False),
      summary="Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service")
def expose(inv: Invocation) -> None:
    targets = resource_targets(inv, inv.line.args)
    if not targets:
        raise K8sError(NO_RESOURCES)
    for rt, names in targets:
        if not names:
            raise K8sError("resource(s) were provided, but no name was specified")
        for name in names:
            obj = {"apiVersion": rt.api_version, "kind": rt.kind,
                   **inv.backend.get(rt, name, inv.namespace if rt.namespaced else None)}
            if rt.kind not in EXPOSABLE:
                raise K8sError(f"cannot expose a {rt.kind}.{rt.group}" if rt.group else f"cannot expose a {rt.kind}")
            service = service_for(inv, obj)
            svc_type = inv.backend.registry.resolve("services")
            _print_generated(inv, svc_type, service, create_object(inv, svc_type, service), "exposed")


def _print_generated(inv: Invocation, rt: ResourceType, generated: Obj, stored: Obj, operation: str) -> None:
    """A generated object: with --dry-run=client -o yaml as kubectl serialises a typed object, else its line."""
    if dry_run_mode(inv) == "client" and inv.line.get("output") in ("yaml", "json"):
        stored = typed_shape(generated)
    show(inv, rt, stored, operation)


def typed_shape(obj: Obj) -> Obj:
    """How a Go struct kubectl built serialises: `creationTimestamp: null` and an empty status."""
    shaped = copy(obj)
    shaped["metadata"] = {"creationTimestamp": None, **shaped["metadata"]}
    status: Obj = {"loadBalancer": {}} if obj["kind"] == "Service" else {}
    if obj["kind"] == "Deployment":
        shaped["spec"]["template"].setdefault("metadata", {})["creationTimestamp"] = None
    shaped["status"] = status
    return shaped


# --- run -------------------------------------------------------------------------------------------------------------


def pod_for_run(inv: Invocation, name: str) -> Obj:
    """generate/versioned/run.go BasicPod: label run=NAME, one container named NAME, ClusterFirst DNS."""
    line = inv.line
    restart = line["restart"]
    if restart not in ("Always", "OnFailure", "Never"):
        raise usage_error(inv, f"invalid restart policy: {restart}")
    container: Obj = {"name": name, "image": line["image"]}
    if line["image-pull-policy"]:
        container["imagePullPolicy"] = line["image-pull-policy"]
    if line.after_dash:
        container["command" if line["command"] else "args"] = list(line.after_dash)
    if line["env"]:
        container["env"] = [dict(zip(("name", "value"), e.split("=", 1), strict=True)) if "=" in e else {"name": e}
                            for e in line["env"]]
    if line["port"]:
        if not str(line["port"]).isdigit():
            raise K8sError(f'strconv.Atoi: parsing "{line["port"]}": invalid syntax')
        container["ports"] = [{"containerPort": int(line["port"])}]
    container["resources"] = {}
    labels = parse_label_list(line["labels"]) if line["labels"] else {"run": name}
    meta: Obj = {"labels": labels, "name": name}
    if line["annotations"]:
        meta["annotations"] = dict(a.split("=", 1) for a in line["annotations"] if "=" in a)
    spec: Obj = {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart}
    if line["serviceaccount"]:
        spec["serviceAccountName"] = line["serviceaccount"]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


@verb("run", DRY_RUN, OUTPUT, Flag("image"), Flag("port"), Flag("labels", "l"), Flag("env", many=True),
      Flag("restart", default="Always"), Flag("command", takes_value=False), Flag("image-pull-policy"),
      Flag("annotations", many=True), Flag("serviceaccount"), Flag("stdin", "i", takes_value=False),
      Flag("tty", "t", takes_value=False), Flag("rm", takes_value=False), Flag("attach", takes_value=False, kind=bool),
      Flag("expose", takes_value=False), Flag("overrides"), Flag("quiet", "q", takes_value=False),
      Flag("pod-running-timeout", default="1m0s"),
      summary="Run a particular image on the cluster")
def run(inv: Invocation) -> None:
    """run.go: create the pod (and its Service with --expose); attached (-i, --attach), wait for it to end, show
    what it printed, and delete it with --rm."""
    line = inv.line
    if "image" not in line.given:  # cobra's MarkFlagRequired, checked before Run
        raise K8sError('required flag(s) "image" not set')
    if not line.args:
        raise usage_error(inv, "NAME is required for run")
    if not line["image"]:
        raise K8sError("--image is required")
    if line["tty"] and not line["stdin"]:
        raise usage_error(inv, "-i/--stdin is required for containers with -t/--tty=true")
    if line["expose"] and not line["port"]:
        raise usage_error(inv, "--port must be set when exposing a service")
    attach = line["attach"] if "attach" in line.given else line["stdin"]
    if line["rm"] and not attach:
        raise usage_error(inv, "--rm should only be used for attached containers")
    if attach and dry_run_mode(inv) != "none":
        raise usage_error(inv, "--dry-run=[server|client] can't be used with attached containers options (--attach, "
                               "--stdin, or --tty)")
    if line["overrides"]:
        raise K8sError("kubectl run --overrides is not available in the course's kubectl; write a manifest and "
                       "kubectl apply -f it.")
    name = line.args[0]
    if attach and line["stdin"] and _interactive(line.after_dash, line["image"]):
        raise K8sError(_RUN_INTERACTIVE.format(name=name, image=line["image"]))
    pod = pod_for_run(inv, name)
    pods = inv.backend.registry.resolve("pods")
    stored = create_object(inv, pods, pod)
    if line["expose"]:
        _expose_run(inv, name, int(line["port"]))
    if attach:
        _attached(inv, stored)
    else:
        _print_generated(inv, pods, pod, stored, "created")


def _interactive(command: list[str], image: str) -> bool:
    """A shell waiting for typed input: no command for a shell image, or a bare shell as the command."""
    if not command:
        return image.split("/")[-1].split(":")[0].split("@")[0] in SHELL_IMAGES
    return len(command) == 1 and command[0].rsplit("/", 1)[-1] in ("sh", "bash", "ash", "zsh", "dash")


SHELL_IMAGES = {"busybox", "alpine", "ubuntu", "debian", "centos", "fedora"}
ATTACH_SECONDS = 60.0  # how long an attached `run` waits, in simulated seconds, for its container to finish


def _expose_run(inv: Invocation, name: str, port: int) -> None:
    """run.go generateService: a Service named after the pod, selecting its labels, port = targetPort."""
    labels = inv.line["labels"] or f"run={name}"
    meta: Obj = {"name": name}
    if inv.line["labels"]:
        meta["labels"] = parse_label_list(inv.line["labels"])
    service = {"apiVersion": "v1", "kind": "Service", "metadata": meta,
               "spec": {"ports": [{"port": port, "protocol": "TCP", "targetPort": port}],
                        "selector": parse_label_list(labels)}}
    services = inv.backend.registry.resolve("services")
    _print_generated(inv, services, service, create_object(inv, services, service), "created")
    if inv.line.get("output") == "yaml":
        inv.print("---")


def _attached(inv: Invocation, pod: Obj) -> None:
    """What an attached `kubectl run` shows: the container's output until it ends (virtual time runs), the
    `pod "x" deleted` line for --rm, and a failed container's exit code as the command's."""
    pods = inv.backend.registry.resolve("pods")
    meta = pod["metadata"]
    namespace, name = meta.get("namespace") or inv.namespace, meta["name"]
    current, waited = pod, 0.0
    while not _finished(current) and waited < ATTACH_SECONDS:
        inv.backend.advance(1.0)
        waited += 1.0
        current = inv.backend.get(pods, name, namespace)
    try:
        inv.out.write(inv.backend.logs(namespace, name, name))
    except ApiError as exc:
        inv.error(exc.kubectl_message())
    if not _finished(current):
        inv.err.write(f"(the container was still running after {ATTACH_SECONDS:g}s of simulated time; in a terminal "
                      "kubectl run stays attached until it exits)\n")
    if inv.line["rm"]:
        inv.backend.delete(pods, name, namespace)
        inv.print(f'pod "{name}" deleted')
    status = current.get("status") or {}
    if status.get("phase") == "Failed" and inv.line["restart"] in ("Never", "OnFailure"):
        terminated = ((status.get("containerStatuses") or [{}])[0].get("state") or {}).get("terminated") or {}
        code = int(terminated.get("exitCode") or 0)
        if not code:
            inv.error(f"error: pod {namespace}/{name} failed with unknown exit code")
            return
        # a uexec.CodeExitError: CheckErr prints its text as it is (no `error: `) and exits with the code
        message = f"pod {namespace}/{name} terminated ({terminated.get('reason', '')})\n{terminated.get('message', '')}"
        inv.err.write(message if message.endswith("\n") else message + "\n")
        inv.code = code


def _finished(pod: Obj) -> bool:
    """The attached container has exited: the pod completed, or (restartPolicy Always) it terminated once."""
    status = pod.get("status") or {}
    if status.get("phase") in ("Succeeded", "Failed"):
        return True
    for container in status.get("containerStatuses") or []:
        state = container.get("state") or {}
        if "terminated" in state or container.get("restartCount"):
            return True
    return False


_RUN_INTERACTIVE = (
    "kubectl run -it with a shell connects your terminal to it, and a notebook cell has no terminal to type into.\n"
    "Give the commands to run instead (the pod runs them, shows their output, and --rm deletes it), for example:\n"
    "  kubectl run {name} --image={image} -it --rm --restart=Never -- sh -c 'hostname; ls /'\n"
    "or keep a pod running and run commands in it one at a time:\n"
    "  kubectl run {name} --image={image} --restart=Never -- sleep 3600\n"
    "  kubectl exec {name} -- <command>")


# --- autoscale -------------------------------------------------------------------------------------------------------


@verb("autoscale", DRY_RUN, OUTPUT, Flag("min", kind=int, default=-1), Flag("max", kind=int, default=-1),
      Flag("cpu-percent", kind=int, default=-1), Flag("name"), Flag("filename", "f", many=True),
      Flag("record", takes_value=False),
      summary="Auto-scale a deployment, replica set, stateful set, or replication controller")
def autoscale(inv: Invocation) -> None:
    """autoscale.go: a HorizontalPodAutoscaler targeting the object; `... autoscaled`."""
    low, high, cpu = inv.line["min"], inv.line["max"], inv.line["cpu-percent"]
    if "max" not in inv.line.given:
        raise K8sError('required flag(s) "max" not set')
    if high < 1:
        raise K8sError(f"--max=MAXPODS is required and must be at least 1, max: {high}")
    if high < low:
        raise K8sError(f"--max=MAXPODS must be larger or equal to --min=MINPODS, max: {high}, min: {low}")
    hpa_type = inv.backend.registry.resolve("horizontalpodautoscalers")
    count = 0
    for rt, obj in objects(inv, inv.line.args, allow_selector=False):
        if rt.kind not in SCALABLE:
            raise K8sError(f"cannot autoscale a {rt.kind}: no scale subresource")
        spec: Obj = {"maxReplicas": high, "scaleTargetRef": {"apiVersion": rt.api_version, "kind": rt.kind,
                                                             "name": obj["metadata"]["name"]}}
        if low > 0:
            spec["minReplicas"] = low
        if cpu > 0:
            spec["metrics"] = [{"type": "Resource", "resource": {
                "name": "cpu", "target": {"type": "Utilization", "averageUtilization": cpu}}}]
        hpa = {"apiVersion": hpa_type.api_version, "kind": "HorizontalPodAutoscaler",
               "metadata": {"name": inv.line["name"] or obj["metadata"]["name"]}, "spec": spec}
        stored = create_object(inv, hpa_type, hpa)
        _print_generated(inv, hpa_type, hpa, stored, "created" if dry_run_mode(inv) == "client" else "autoscaled")
        count += 1
    if not count:
        raise K8sError("no objects passed to autoscale")


# --- patch -----------------------------------------------------------------------------------------------------------

PATCH_TYPES = {"json": JSON_PATCH, "merge": MERGE_PATCH, "strategic": STRATEGIC_MERGE_PATCH}


def _patch_body(inv: Invocation) -> Any:
    text = inv.line["patch"]
    if inv.line["patch-file"]:
        with open(inv.line["patch-file"]) as handle:
            text = handle.read()
    if not text:
        raise K8sError("must specify --patch or --patch-file containing the contents of the patch")
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise K8sError(f'unable to parse "{text}": {exc}') from None


@verb("patch", DRY_RUN, OUTPUT, Flag("patch", "p"), Flag("patch-file"), Flag("type", default="strategic"),
      Flag("subresource"), Flag("local", takes_value=False), Flag("filename", "f", many=True),
      Flag("record", takes_value=False),
      summary="Update fields of a resource")
def patch(inv: Invocation) -> None:
    """patch.go: `deployment.apps/web patched`, or `patched (no change)` when the object stayed the same."""
    kind = inv.line["type"]
    if kind not in PATCH_TYPES:
        raise K8sError(f'--type must be one of [json merge strategic], not "{kind}"')
    body = _patch_body(inv)
    for rt, obj in objects(inv, inv.line.args, allow_selector=False):
        if dry_run_mode(inv) == "client":
            show(inv, rt, obj, "patched")
            continue
        result = send_patch(inv, rt, obj, body, PATCH_TYPES[kind])
        changed = result["metadata"].get("resourceVersion") != obj["metadata"].get("resourceVersion")
        show(inv, rt, result, "patched" if changed else "patched (no change)")


# --- edit / port-forward: explained -----------------------------------------------------------------------------------


@verb("edit", OUTPUT, Flag("filename", "f", many=True), Flag("record", takes_value=False),
      summary="Edit a resource on the server (explained: a notebook has no terminal editor)")
def edit(inv: Invocation) -> None:
    words = inv.line.args
    if not words and not inv.line["filename"]:
        raise K8sError(NO_RESOURCES)
    kind, _, name = ("/".join(words[:2]) if words else "deployment/NAME").partition("/")
    inv.print(_EDIT_HELP.format(target=f"{kind}/{name}", get_args=f'"{kind}", "{name}"'))
    inv.code = 1


_EDIT_HELP = """\
kubectl edit opens the object in a text editor ($EDITOR, usually vi) inside a terminal, and applies what you
save. A notebook cell has no terminal editor, so edit the object one of these ways instead:

  1. Print its manifest, paste it into a new cell under %%kubectl apply -f - (or %%apply),
     change what you want, and run that cell:
       %kubectl get {target} -o yaml

  2. In Python, change the object and apply it:
       obj = cluster.get({get_args})
       obj["spec"]["replicas"] = 3
       cluster.apply(obj)

  3. For a small change, use the command made for it: kubectl scale, kubectl set image,
     kubectl label, kubectl annotate, or kubectl patch {target} -p '{{"spec": ...}}'.

Nothing was changed."""


@verb("port-forward", Flag("address", many=True), Flag("pod-running-timeout"),
      summary="Forward local ports to a pod (explained: the simulated cluster has no network ports)")
def port_forward(inv: Invocation) -> None:
    if len(inv.line.args) < 2:
        raise usage_error(inv, "TYPE/NAME and list of ports are required for port-forward")
    if inv.backend.kind_name != "simulated":
        raise K8sError("kubectl port-forward keeps running until you stop it, which a notebook cell cannot do; run it "
                       f"in a terminal: kubectl port-forward {' '.join(inv.line.args)}")
    target = inv.line.args[0]
    inv.print(_PORT_FORWARD_HELP.format(target=target, ports=" ".join(inv.line.args[1:])))
    inv.code = 1


_PORT_FORWARD_HELP = """\
kubectl port-forward {target} {ports} would listen on a port of your computer and tunnel each connection
to the pod, running until you press Ctrl+C. The simulated cluster lives inside this notebook and opens no
real network ports, so there is nothing to forward. To reach the application instead:

  - from inside the cluster, as another pod would:
       kubectl exec <some-pod> -- curl -s http://<service-name>:<port>/
  - see which pods a service sends traffic to:
       kubectl get endpoints <service-name>

On a real minikube, run the same kubectl port-forward command in a terminal; it works as written.
Nothing was changed."""


__all__ = ["annotate", "autoscale", "edit", "expose", "label", "parse_env", "parse_label_list", "patch",
           "pod_for_run", "port_forward", "run", "scale", "selector_for", "service_for", "split_pairs"]
