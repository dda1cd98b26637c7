"""Patching: JSON merge patch, strategic merge patch, JSON patch, and kubectl apply's three-way patches.

Behaviour follows k8s.io/apimachinery/pkg/util/strategicpatch/patch.go (v0.33); error wording and codes
follow staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go, k8s.io/apimachinery/pkg/util/
mergepatch/errors.go and k8s.io/apimachinery/pkg/runtime/converter.go.
"""

import copy

import pytest

from k8scourse.api import openapi
from k8scourse.api.errors import ApiError
from k8scourse.api.patch import (
    apply_json_patch,
    apply_merge_patch,
    apply_strategic_merge_patch,
    create_three_way_json_merge_patch,
    create_three_way_merge_patch,
    create_two_way_merge_patch,
    go_format,
)

DEPLOYMENT = openapi.schema_for_kind("apps/v1", "Deployment")
POD = openapi.schema_for_kind("v1", "Pod")


def deployment(containers, volumes=None, replicas=None, labels=None):
    spec = {"selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": containers}}}
    if replicas is not None:
        spec["replicas"] = replicas
    if volumes is not None:
        spec["template"]["spec"]["volumes"] = volumes
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "labels": labels or {"app": "web"}}, "spec": spec}


def pod_spec(obj):
    return obj["spec"]["template"]["spec"]


def template_patch(**pod_spec_fields):
    return {"spec": {"template": {"spec": pod_spec_fields}}}


def raises(fn, *args):
    with pytest.raises(ApiError) as info:
        fn(*args)
    return info.value


LIVE = deployment(
    [
        {"name": "web", "image": "nginx:1.25",
         "ports": [{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 443, "protocol": "TCP"}],
         "env": [{"name": "MODE", "value": "prod"}, {"name": "LOG", "value": "info"}]},
        {"name": "sidecar", "image": "busybox:1.36", "command": ["sleep", "3600"]},
    ],
    volumes=[{"name": "data", "emptyDir": {}}, {"name": "config", "configMap": {"name": "web-config"}}],
    replicas=3,
)


# --- JSON merge patch -------------------------------------------------------------------------------


def test_merge_patch_merges_maps_and_null_deletes():
    obj = {"metadata": {"labels": {"app": "web", "tier": "fe"}}, "spec": {"replicas": 1}}
    patched = apply_merge_patch(obj, {"metadata": {"labels": {"tier": None, "env": "dev"}}, "spec": {"replicas": 5}})
    assert patched == {"metadata": {"labels": {"app": "web", "env": "dev"}}, "spec": {"replicas": 5}}
    assert obj["metadata"]["labels"] == {"app": "web", "tier": "fe"}  # the input is not touched


def test_merge_patch_replaces_lists_whole():
    patched = apply_merge_patch(LIVE, template_patch(containers=[{"name": "web", "image": "nginx:1.26"}]))
    assert pod_spec(patched)["containers"] == [{"name": "web", "image": "nginx:1.26"}]


def test_merge_patch_drops_nulls_inside_new_values():
    # evanphx/json-patch v4 mergeDocs prunes nulls from values that replace a missing or non-map value
    patched = apply_merge_patch({"a": 1}, {"b": {"c": None, "d": 1}, "a": {"x": None}})
    assert patched == {"a": {}, "b": {"d": 1}}


def test_merge_patch_that_is_not_an_object_is_a_bad_request():
    # evanphx/json-patch v4 ErrBadJSONPatch, returned by handlers/patch.go as BadRequest
    err = raises(apply_merge_patch, LIVE, None)
    assert (err.code, err.reason, err.message) == (400, "BadRequest", "Invalid JSON Patch")


# --- strategic merge patch: lists merged by key -------------------------------------------------------


def test_containers_merge_by_name():
    patched = apply_strategic_merge_patch(LIVE, template_patch(containers=[{"name": "web", "image": "nginx:1.26"}]),
                                          DEPLOYMENT)
    web, sidecar = pod_spec(patched)["containers"]
    assert web["image"] == "nginx:1.26"
    assert web["ports"] == pod_spec(LIVE)["containers"][0]["ports"]
    assert sidecar == pod_spec(LIVE)["containers"][1]
    assert pod_spec(LIVE)["containers"][0]["image"] == "nginx:1.25"


def test_env_merges_by_name_new_items_first_then_live_order():
    # mergeSlice + normalizeElementOrder: patch items keep the patch's order, live-only items are
    # interleaved by live order, an item unknown to the live list goes before them
    patch = template_patch(containers=[{"name": "web", "env": [{"name": "DEBUG", "value": "1"},
                                                                 {"name": "LOG", "value": "debug"}]}])
    env = pod_spec(apply_strategic_merge_patch(LIVE, patch, DEPLOYMENT))["containers"][0]["env"]
    assert env == [{"name": "DEBUG", "value": "1"}, {"name": "MODE", "value": "prod"},
                   {"name": "LOG", "value": "debug"}]


def test_ports_merge_by_container_port():
    patch = template_patch(containers=[{"name": "web", "ports": [{"containerPort": 443, "name": "https"},
                                                                   {"containerPort": 8080}]}])
    ports = pod_spec(apply_strategic_merge_patch(LIVE, patch, DEPLOYMENT))["containers"][0]["ports"]
    assert ports == [{"containerPort": 80, "protocol": "TCP"},
                     {"containerPort": 443, "protocol": "TCP", "name": "https"},
                     {"containerPort": 8080}]


def test_volumes_merge_by_name_and_retain_keys_clears_the_old_source():
    patch = template_patch(volumes=[{"name": "data", "hostPath": {"path": "/srv"},
                                     "$retainKeys": ["hostPath", "name"]}])
    volumes = pod_spec(apply_strategic_merge_patch(LIVE, patch, DEPLOYMENT))["volumes"]
    assert volumes == [{"name": "data", "hostPath": {"path": "/srv"}},
                       {"name": "config", "configMap": {"name": "web-config"}}]


def test_without_retain_keys_both_sources_remain():
    patch = template_patch(volumes=[{"name": "data", "hostPath": {"path": "/srv"}}])
    data = pod_spec(apply_strategic_merge_patch(LIVE, patch, DEPLOYMENT))["volumes"][0]
    assert data == {"name": "data", "emptyDir": {}, "hostPath": {"path": "/srv"}}


def test_patch_delete_removes_a_list_item_by_key():
    patch = template_patch(containers=[{"name": "sidecar", "$patch": "delete"}])
    containers = pod_spec(apply_strategic_merge_patch(LIVE, patch, DEPLOYMENT))["containers"]
    assert [c["name"] for c in containers] == ["web"]


def test_patch_replace_in_a_list_replaces_the_list():
    patch = template_patch(containers=[{"name": "only", "image": "redis"}, {"$patch": "replace"}])
    containers = pod_spec(apply_strategic_merge_patch(LIVE, patch, DEPLOYMENT))["containers"]
    assert containers == [{"name": "only", "image": "redis"}]


def test_patch_replace_and_delete_on_maps():
    replaced = apply_strategic_merge_patch(LIVE, {"metadata": {"labels": {"new": "x", "$patch": "replace"}}},
                                           DEPLOYMENT)
    assert replaced["metadata"]["labels"] == {"new": "x"}
    deleted = apply_strategic_merge_patch(LIVE, {"metadata": {"labels": {"$patch": "delete"}}}, DEPLOYMENT)
    assert deleted["metadata"]["labels"] == {}


def test_null_deletes_a_key_and_lists_without_strategy_are_replaced():
    live = copy.deepcopy(LIVE)
    pod_spec(live)["tolerations"] = [{"key": "a", "operator": "Exists"}]
    patch = {"metadata": {"labels": {"app": None}},
             "spec": {"template": {"spec": {"tolerations": [{"key": "b", "operator": "Exists"}],
                                            "containers": [{"name": "sidecar", "command": ["true"]}]}}}}
    patched = apply_strategic_merge_patch(live, patch, DEPLOYMENT)
    assert patched["metadata"]["labels"] == {}
    assert pod_spec(patched)["tolerations"] == [{"key": "b", "operator": "Exists"}]
    assert pod_spec(patched)["containers"][1]["command"] == ["true"]  # command: no patch strategy


def test_primitive_merge_lists_are_united_and_delete_from_primitive_list():
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "finalizers": ["a/x", "b/y"]}}
    united = apply_strategic_merge_patch(obj, {"metadata": {"finalizers": ["c/z", "a/x"]}}, POD)
    assert united["metadata"]["finalizers"] == ["c/z", "a/x", "b/y"]
    removed = apply_strategic_merge_patch(obj, {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a/x"]}}, POD)
    assert removed["metadata"]["finalizers"] == ["b/y"]


def test_set_element_order_reorders_the_live_list():
    patch = template_patch(**{"$setElementOrder/containers": [{"name": "sidecar"}, {"name": "web"}]})
    containers = pod_spec(apply_strategic_merge_patch(LIVE, patch, DEPLOYMENT))["containers"]
    assert [c["name"] for c in containers] == ["sidecar", "web"]


def test_deployment_strategy_retain_keys():
    live = copy.deepcopy(LIVE)
    live["spec"]["strategy"] = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%"}}
    patch = {"spec": {"strategy": {"type": "Recreate", "$retainKeys": ["type"]}}}
    assert apply_strategic_merge_patch(live, patch, DEPLOYMENT)["spec"]["strategy"] == {"type": "Recreate"}


def test_unknown_kind_is_patched_as_json_merge_patch():
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "spec": {"items": [{"name": "a"}], "size": 1}}
    patched = apply_strategic_merge_patch(widget, {"spec": {"items": [{"name": "b"}], "size": None}}, None)
    assert patched["spec"] == {"items": [{"name": "b"}]}


# --- strategic merge patch: errors -----------------------------------------------------------------------


def test_unknown_patch_directive_is_a_server_error():
    # mergepatch.ErrBadPatchType; not mapped by interpretStrategicMergePatchError, so ErrorToAPIStatus: 500
    err = raises(apply_strategic_merge_patch, LIVE, template_patch(containers=[{"name": "web", "$patch": "bogus"}]),
                 DEPLOYMENT)
    assert (err.code, err.reason) == (500, "")
    assert err.message == "unknown patch type: bogus in map: map[$patch:bogus name:web]"


def test_unknown_patch_directive_on_a_map():
    err = raises(apply_strategic_merge_patch, LIVE, {"metadata": {"$patch": "shuffle"}}, DEPLOYMENT)
    assert err.message == "unknown patch type: shuffle in map: map[$patch:shuffle]"


def test_merge_directive_in_a_list_is_refused():
    err = raises(apply_strategic_merge_patch, LIVE, template_patch(containers=[{"name": "web", "$patch": "merge"}]),
                 DEPLOYMENT)
    assert (err.code, err.message) == (500, "merging lists cannot yet be specified in the patch")


def test_missing_merge_key():
    err = raises(apply_strategic_merge_patch, LIVE, template_patch(containers=[{"image": "nginx"}]), DEPLOYMENT)
    assert err.message == "map: map[image:nginx] does not contain declared merge key: name"


def test_malformed_directives_are_bad_requests():
    # handlers/patch.go interpretStrategicMergePatchError maps these mergepatch errors to 400
    err = raises(apply_strategic_merge_patch, LIVE, template_patch(volumes=[{"name": "data", "$retainKeys": "name"}]),
                 DEPLOYMENT)
    assert (err.code, err.reason, err.message) == (400, "BadRequest", "invalid patch format of retainKeys")
    err = raises(apply_strategic_merge_patch, LIVE,
                 template_patch(volumes=[{"name": "data", "hostPath": {"path": "/"}, "$retainKeys": ["name"]}]),
                 DEPLOYMENT)
    assert err.message == "invalid patch format of retainKeys"
    err = raises(apply_strategic_merge_patch, LIVE, {"metadata": {"$deleteFromPrimitiveList": ["x"]}}, DEPLOYMENT)
    assert (err.code, err.message) == (400, "invalid patch format of primitive list")


def test_mixed_element_types_in_a_merged_list():
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "finalizers": ["a/x"]}}
    err = raises(apply_strategic_merge_patch, obj, {"metadata": {"finalizers": [["b"]]}}, POD)
    assert (err.code, err.message) == (500, "list element types are not identical: [[a/x] [[b]]]")


def test_list_of_lists_is_unprocessable():
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "finalizers": []}}
    err = raises(apply_strategic_merge_patch, obj, {"metadata": {"finalizers": [["b"]]}}, POD)
    assert (err.code, err.reason) == (422, "Invalid")
    assert err.message == "the server rejected our request due to an error in our request"


def test_map_where_a_list_belongs_does_not_decode():
    # handlers/patch.go applyPatchToObject: FromUnstructured fails, field.Invalid(patch, %+v of the patch)
    patch = template_patch(containers={"name": "web"})
    err = raises(apply_strategic_merge_patch, LIVE, patch, DEPLOYMENT)
    assert (err.code, err.reason) == (422, "Invalid")
    assert err.message == (' "" is invalid: patch: Invalid value: '
                           '"map[spec:map[template:map[spec:map[containers:map[name:web]]]]]": '
                           "cannot restore slice from map")
    assert err.details["causes"][0]["field"] == "patch"


@pytest.mark.parametrize(("patch", "problem"), [
    ({"spec": {"replicas": "three"}}, "unrecognized type: int32"),
    ({"spec": {"replicas": 2.5}}, "cannot convert float64 to int32"),
    ({"spec": {"template": "x"}}, "cannot restore struct from: string"),
    ({"metadata": {"labels": ["a"]}}, "cannot restore map from slice"),
    ({"spec": {"template": {"spec": {"containers": [{"name": "web", "image": 5}]}}}},
     "cannot convert int64 to string"),
])
def test_values_of_the_wrong_type_do_not_decode(patch, problem):
    err = raises(apply_strategic_merge_patch, LIVE, patch, DEPLOYMENT)
    assert err.code == 422
    assert err.message.endswith(f": {problem}")


def test_refused_patch_changes_nothing():
    before = copy.deepcopy(LIVE)
    raises(apply_strategic_merge_patch, LIVE, template_patch(containers=[{"image": "x"}]), DEPLOYMENT)
    assert before == LIVE


# --- JSON patch -----------------------------------------------------------------------------------------


def test_json_patch_operations():
    ops = [
        {"op": "replace", "path": "/spec/replicas", "value": 5},
        {"op": "add", "path": "/metadata/labels/tier", "value": "fe"},
        {"op": "remove", "path": "/spec/template/spec/containers/1"},
        {"op": "test", "path": "/spec/template/spec/containers/0/name", "value": "web"},
        {"op": "add", "path": "/spec/template/spec/containers/0/env/-", "value": {"name": "X", "value": "1"}},
    ]
    patched = apply_json_patch(LIVE, ops)
    assert patched["spec"]["replicas"] == 5
    assert patched["metadata"]["labels"] == {"app": "web", "tier": "fe"}
    assert [c["name"] for c in pod_spec(patched)["containers"]] == ["web"]
    assert pod_spec(patched)["containers"][0]["env"][-1] == {"name": "X", "value": "1"}
    assert LIVE["spec"]["replicas"] == 3


@pytest.mark.parametrize("ops", [
    [{"op": "replace", "path": "/spec/paused", "value": True}],
    [{"op": "remove", "path": "/metadata/annotations"}],
    [{"op": "test", "path": "/spec/replicas", "value": 4}],
    [{"op": "add", "path": "/spec/nothing/here", "value": 1}],
    [{"op": "jump", "path": "/spec"}],
])
def test_failing_json_patch_is_unprocessable(ops):
    # handlers/patch.go applyJSPatch: errors.NewGenericServerResponse(422, ...) hides the detail
    err = raises(apply_json_patch, LIVE, ops)
    assert (err.code, err.reason) == (422, "Invalid")
    assert err.message == "the server rejected our request due to an error in our request"


def test_json_patch_limits_and_shape():
    err = raises(apply_json_patch, LIVE, [{"op": "test", "path": "/kind", "value": "Deployment"}] * 10001)
    assert (err.code, err.reason) == (413, "RequestEntityTooLarge")
    assert err.message == "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001"
    err = raises(apply_json_patch, LIVE, {"op": "add"})
    assert (err.code, err.message) == (400, "json: cannot unmarshal object into Go value of type jsonpatch.Patch")


# --- kubectl apply: three-way patches ---------------------------------------------------------------------


def applied(original, modified, current, schema=DEPLOYMENT):
    patch = create_three_way_merge_patch(original, modified, current, schema)
    return patch, apply_strategic_merge_patch(current, patch, schema)


def test_label_removed_from_manifest_disappears():
    original = deployment([{"name": "web", "image": "nginx:1.25"}], labels={"app": "web", "tier": "fe"})
    modified = deployment([{"name": "web", "image": "nginx:1.25"}], labels={"app": "web"})
    current = copy.deepcopy(original)
    current["metadata"]["labels"]["owner"] = "ops"  # set by someone else: not ours to delete
    patch, result = applied(original, modified, current)
    assert patch == {"metadata": {"labels": {"tier": None}}}
    assert result["metadata"]["labels"] == {"app": "web", "owner": "ops"}


def test_replicas_set_by_kubectl_scale_survive_an_apply_without_replicas():
    original = deployment([{"name": "web", "image": "nginx:1.25"}])
    modified = deployment([{"name": "web", "image": "nginx:1.26"}])
    current = deployment([{"name": "web", "image": "nginx:1.25", "imagePullPolicy": "IfNotPresent"}], replicas=5)
    current["status"] = {"replicas": 5, "readyReplicas": 5}
    patch, result = applied(original, modified, current)
    assert patch == {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "web"}],
        "containers": [{"name": "web", "image": "nginx:1.26"}]}}}}
    assert result["spec"]["replicas"] == 5
    assert result["status"] == {"replicas": 5, "readyReplicas": 5}
    assert pod_spec(result)["containers"] == [{"name": "web", "image": "nginx:1.26", "imagePullPolicy": "IfNotPresent"}]


def test_replicas_removed_from_manifest_are_deleted():
    original = deployment([{"name": "web", "image": "nginx"}], replicas=2)
    modified = deployment([{"name": "web", "image": "nginx"}])
    patch, result = applied(original, modified, copy.deepcopy(original))
    assert patch == {"spec": {"replicas": None}}
    assert "replicas" not in result["spec"]


def test_container_removed_from_manifest_is_deleted_by_name():
    original = deployment([{"name": "web", "image": "nginx"}, {"name": "log", "image": "fluentd"}])
    modified = deployment([{"name": "web", "image": "nginx"}])
    patch, result = applied(original, modified, copy.deepcopy(original))
    assert patch == {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "web"}],
        "containers": [{"name": "log", "$patch": "delete"}]}}}}
    assert [c["name"] for c in pod_spec(result)["containers"]] == ["web"]


def test_env_removed_and_added_in_one_apply():
    original = deployment([{"name": "web", "image": "nginx", "env": [{"name": "A", "value": "1"},
                                                                     {"name": "B", "value": "2"}]}])
    modified = deployment([{"name": "web", "image": "nginx", "env": [{"name": "B", "value": "2"},
                                                                     {"name": "C", "value": "3"}]}])
    patch, result = applied(original, modified, copy.deepcopy(original))
    web_patch = pod_spec(patch)["containers"][0]
    assert web_patch["$setElementOrder/env"] == [{"name": "B"}, {"name": "C"}]
    assert web_patch["env"] == [{"name": "C", "value": "3"}, {"name": "A", "$patch": "delete"}]
    assert pod_spec(result)["containers"][0]["env"] == [{"name": "B", "value": "2"}, {"name": "C", "value": "3"}]


def test_reordered_containers_carry_set_element_order():
    a, b = {"name": "a", "image": "x"}, {"name": "b", "image": "y"}
    original, modified = deployment([a, b]), deployment([b, a])
    patch, result = applied(original, modified, copy.deepcopy(original))
    assert patch == {"spec": {"template": {"spec": {"$setElementOrder/containers": [{"name": "b"}, {"name": "a"}]}}}}
    assert pod_spec(result)["containers"] == [b, a]


def test_finalizer_removed_from_manifest_uses_a_deletion_list():
    def pod(finalizers):
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "finalizers": finalizers}}
    patch, result = applied(pod(["a/x", "b/y"]), pod(["b/y"]), pod(["a/x", "b/y", "c/z"]), POD)
    assert patch == {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a/x"],
                                  "$setElementOrder/finalizers": ["b/y"]}}
    assert result["metadata"]["finalizers"] == ["b/y", "c/z"]


def test_unchanged_manifest_gives_an_empty_patch():
    manifest = deployment([{"name": "web", "image": "nginx"}], replicas=2)
    live = copy.deepcopy(manifest)
    live["status"] = {"replicas": 2}
    live["metadata"]["uid"] = "1234"
    assert create_three_way_merge_patch(manifest, manifest, live, DEPLOYMENT) == {}


def test_first_apply_without_last_applied_configuration():
    modified = deployment([{"name": "web", "image": "nginx"}], labels={"app": "web"})
    current = deployment([{"name": "web", "image": "nginx"}], labels={"app": "web", "extra": "1"})
    patch = create_three_way_merge_patch(None, modified, current, DEPLOYMENT)
    assert patch == {}  # nothing was ever applied, so nothing is deleted


def _covers(result, expected, schema):
    """Every field of `expected` is in `result`; merge-keyed lists are matched element by key."""
    if isinstance(expected, dict):
        return isinstance(result, dict) and all(
            k in result and _covers(result[k], v, openapi.child(schema, k)) for k, v in expected.items())
    if isinstance(expected, list):
        strategy, key = openapi.list_patch_meta(schema)
        items = openapi.child(schema, 0)
        if strategy and "merge" in strategy.split(",") and key:
            by_key = {r.get(key): r for r in result}
            return all(_covers(by_key.get(e[key]), e, items) for e in expected)
        if strategy and "merge" in strategy.split(","):
            return all(e in result for e in expected)
        return result == expected
    return result == expected


def _without(current, original, modified, schema):
    """The parts of `current` that `original` never had (fields set by others), except under what the
    manifest deleted since the last apply."""
    if isinstance(current, dict):
        out = {}
        for k, v in current.items():
            if k not in original:
                out[k] = v
            elif k in modified and isinstance(v, dict | list):
                sub = _without(v, original[k], modified[k], openapi.child(schema, k))
                if sub:
                    out[k] = sub
        return out
    _, key = openapi.list_patch_meta(schema)
    if isinstance(current, list) and key and isinstance(original, list) and isinstance(modified, list):
        in_original = {o.get(key): o for o in original}
        in_modified = {m.get(key): m for m in modified}
        items = openapi.child(schema, 0)
        out = []
        for c in current:
            k = c.get(key)
            if k not in in_original:
                out.append(c)
            elif k in in_modified and (sub := _without(c, in_original[k], in_modified[k], items)):
                out.append({key: k, **sub})
        return out
    return None


SCENARIOS = [
    # (original, modified, current)
    (deployment([{"name": "web", "image": "nginx:1"}], replicas=2),
     deployment([{"name": "web", "image": "nginx:2", "env": [{"name": "A", "value": "1"}]}], replicas=3),
     {**deployment([{"name": "web", "image": "nginx:1", "imagePullPolicy": "Always"},
                    {"name": "injected", "image": "proxy"}], replicas=2), "status": {"replicas": 2}}),
    (deployment([{"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]}],
                volumes=[{"name": "data", "emptyDir": {}}]),
     deployment([{"name": "web", "image": "nginx", "ports": [{"containerPort": 8080}]}],
                volumes=[{"name": "data", "emptyDir": {}}, {"name": "cfg", "configMap": {"name": "c"}}]),
     deployment([{"name": "web", "image": "nginx", "ports": [{"containerPort": 80, "protocol": "TCP"}],
                  "resources": {"limits": {"cpu": "1"}}}],
                volumes=[{"name": "data", "emptyDir": {}}, {"name": "cache", "emptyDir": {"medium": "Memory"}}],
                replicas=7)),
    (deployment([{"name": "a", "image": "x"}, {"name": "b", "image": "y"}], labels={"app": "web", "old": "1"}),
     deployment([{"name": "b", "image": "y2"}], labels={"app": "web", "new": "1"}),
     deployment([{"name": "a", "image": "x"}, {"name": "b", "image": "y"}],
                labels={"app": "web", "old": "1", "team": "ops"})),
]


@pytest.mark.parametrize(("original", "modified", "current"), SCENARIOS)
def test_three_way_apply_keeps_the_manifest_and_what_others_set(original, modified, current):
    _, result = applied(original, modified, current)
    assert _covers(result, modified, DEPLOYMENT)
    assert _covers(result, _without(current, original, modified, DEPLOYMENT), DEPLOYMENT)


@pytest.mark.parametrize(("original", "modified", "current"), SCENARIOS)
def test_two_way_patch_turns_original_into_modified(original, modified, current):
    patch = create_two_way_merge_patch(original, modified, DEPLOYMENT)
    assert apply_strategic_merge_patch(original, patch, DEPLOYMENT) == modified


def test_two_way_patch_of_equal_objects_is_empty():
    assert create_two_way_merge_patch(LIVE, copy.deepcopy(LIVE), DEPLOYMENT) == {}


def test_three_way_json_merge_patch_for_kinds_without_schema():
    original = {"apiVersion": "example.com/v1", "kind": "Widget", "spec": {"size": 1, "color": "red", "tags": ["a"]}}
    modified = {"apiVersion": "example.com/v1", "kind": "Widget", "spec": {"size": 2, "tags": ["a", "b"]}}
    current = {**copy.deepcopy(original), "status": {"ready": True}}
    current["spec"]["zone"] = "eu"
    patch = create_three_way_merge_patch(original, modified, current, None)
    assert patch == create_three_way_json_merge_patch(original, modified, current)
    assert patch == {"spec": {"size": 2, "color": None, "tags": ["a", "b"]}}
    assert apply_merge_patch(current, patch) == {
        "apiVersion": "example.com/v1", "kind": "Widget",
        "spec": {"size": 2, "tags": ["a", "b"], "zone": "eu"}, "status": {"ready": True}}


def test_go_format_prints_values_as_fmt_does():
    assert go_format({"b": [1, 2.5, 1e6, 0.0001, 1e-05, None, True], "a": {"c": "d"}}) == (
        "map[a:map[c:d] b:[1 2.5 1e+06 0.0001 1e-05 <nil> true]]")
