"""Field paths of refused manifests found in the YAML text the learner wrote."""

from __future__ import annotations

from k8scourse.ui.yamllines import error_lines, line_of_path, path_segments


def test_path_segments_read_go_field_paths():
    assert path_segments("spec.template.spec.containers[0].image") == [
        "spec", "template", "spec", "containers", 0, "image"]
    assert path_segments("metadata.labels[app.kubernetes.io/name]") == ["metadata", "labels", "app.kubernetes.io/name"]


def test_a_path_points_at_the_line_that_names_it(web_yaml):
    assert line_of_path(web_yaml, "spec.replicas") == 6
    assert line_of_path(web_yaml, "spec.template.spec.containers[0].image") == 17
    assert line_of_path(web_yaml, "spec.template.metadata.labels[app]") == 13


def test_a_missing_field_points_at_its_parent(web_yaml):
    assert line_of_path(web_yaml, "spec.template.spec.containers[0].ports[0].containerPort") == 16
    assert line_of_path(web_yaml, "spec.strategy") == 5


def test_paths_are_looked_up_in_the_document_the_status_names(web_yaml):
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\n" + web_yaml
    status = {"message": "", "details": {"kind": "Deployment", "name": "web",
                                         "causes": [{"field": "spec.replicas", "message": "Invalid value: -1"}]}}
    assert error_lines(text, "", status) == {11: "spec.replicas: Invalid value: -1"}


def test_unknown_fields_and_yaml_syntax_errors_are_marked(web_yaml):
    status = {"message": 'strict decoding error: unknown field "spec.replica"', "details": {}}
    assert error_lines(web_yaml.replace("replicas", "replica"), "", status) == {6: 'unknown field "spec.replica"'}
    message = "error: error parsing STDIN: error converting YAML to JSON: yaml: line 2: mapping values are not allowed"
    assert list(error_lines("kind: x\n  a: b: c\n", message)) == [2]
