"""OpenAPI look-ups: kinds to schemas, walking fields, patch metadata, descriptions."""

from k8scourse.api import openapi


def _walk(api_version, kind, *path):
    schema = openapi.schema_for_kind(api_version, kind)
    for key in path:
        schema = openapi.child(schema, key)
    return schema


def test_definitions_are_the_v1_33_set():
    defs = openapi.definitions()
    assert "io.k8s.api.apps.v1.Deployment" in defs
    assert openapi.definitions() is defs  # cached


def test_definition_name_by_group_version_kind():
    assert openapi.definition_name("apps", "v1", "Deployment") == "io.k8s.api.apps.v1.Deployment"
    assert openapi.definition_name("", "v1", "Pod") == "io.k8s.api.core.v1.Pod"
    assert openapi.definition_name("extensions", "v1beta1", "Deployment") is None


def test_schema_for_kind():
    assert openapi.schema_for_kind("v1", "ConfigMap") is openapi.definitions()["io.k8s.api.core.v1.ConfigMap"]
    assert openapi.schema_for_kind("networking.k8s.io/v1", "Ingress") is not None
    assert openapi.schema_for_kind("example.com/v1", "Widget") is None


def test_resolve_follows_refs():
    ref = {"$ref": "#/$defs/io.k8s.api.core.v1.PodSpec"}
    assert "containers" in openapi.resolve(ref)["properties"]
    assert openapi.resolve({"type": "string"}) == {"type": "string"}


def test_child_walks_properties_items_and_map_values():
    containers = _walk("apps/v1", "Deployment", "spec", "template", "spec", "containers")
    assert openapi.types(containers) == {"array"}
    container = openapi.child(containers, 0)
    assert "image" in container["properties"]
    label_value = _walk("v1", "Pod", "metadata", "labels", "app")
    assert openapi.types(label_value) == {"string"}
    assert _walk("v1", "Pod", "spec", "noSuchField") is None
    assert openapi.child(None, "x") is None


def test_child_keeps_the_field_description_over_the_type_description():
    template = _walk("apps/v1", "Deployment", "spec", "template")
    assert template["description"].startswith("Template describes the pods that will be created.")
    assert "properties" in template  # the referenced PodTemplateSpec, merged in


def test_list_patch_meta_of_real_fields():
    pod = ("v1", "Pod", "spec")
    assert openapi.list_patch_meta(_walk(*pod, "containers")) == ("merge", "name")
    assert openapi.list_patch_meta(_walk(*pod, "containers", 0, "env")) == ("merge", "name")
    assert openapi.list_patch_meta(_walk(*pod, "containers", 0, "ports")) == ("merge", "containerPort")
    assert openapi.list_patch_meta(_walk(*pod, "volumes")) == ("merge,retainKeys", "name")
    assert openapi.list_patch_meta(_walk(*pod, "tolerations")) == (None, None)
    assert openapi.list_patch_meta(_walk("v1", "Pod", "metadata", "finalizers")) == ("merge", None)
    assert openapi.list_patch_meta(_walk("apps/v1", "Deployment", "spec", "strategy")) == ("retainKeys", None)
    assert openapi.list_patch_meta(None) == (None, None)


def test_list_type_is_reported_separately():
    ports = _walk("v1", "Pod", "spec", "containers", 0, "ports")
    assert openapi.list_type(ports) == ("map", ("containerPort", "protocol"))
    assert openapi.list_type(_walk("v1", "Pod", "spec", "tolerations")) == ("atomic", ())


def test_descriptions_reachable_for_explain():
    replicas = _walk("apps/v1", "Deployment", "spec", "replicas")
    assert openapi.description(replicas).startswith("Number of desired pods.")
    deployment = openapi.schema_for_kind("apps/v1", "Deployment")
    assert openapi.description(deployment) == "Deployment enables declarative updates for Pods and ReplicaSets."
    assert openapi.description(None) == ""
