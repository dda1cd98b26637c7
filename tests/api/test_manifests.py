"""Manifest loading: what `kubectl apply -f` reads, and the words it refuses bad manifests with."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8scourse.api.errors import ManifestError
from k8scourse.api.manifests import Document, go_resolve_plain, load_manifests

STOP = "if you choose to ignore these errors, turn validation off with --validate=false"

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
"""


def _error(source, **kwargs) -> str:
    with pytest.raises(ManifestError) as info:
        load_manifests(source, **kwargs)
    return str(info.value)


def test_text_gives_documents_labelled_stdin():
    docs = load_manifests(POD + "---\n" + POD.replace("web", "db"))
    assert [(d.source, d.index, d.object["metadata"]["name"]) for d in docs] == [
        ("STDIN", 0, "web"),
        ("STDIN", 1, "db"),
    ]
    assert isinstance(docs[0], Document)


def test_empty_and_null_documents_are_skipped():
    # cli-runtime visitor.go StreamVisitor: empty or "null" documents are skipped
    docs = load_manifests("---\n# only a comment\n---\n" + POD + "---\n~\n---\n")
    assert len(docs) == 1


def test_json_stream():
    text = '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}\n' \
           '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "b"}}'
    assert [d.object["metadata"]["name"] for d in load_manifests(text)] == ["a", "b"]


def test_list_is_expanded_and_items_inherit_the_list_kind():
    # unstructured.go decodeToList: items without kind/apiVersion get the list's, minus "List"
    text = """\
apiVersion: v1
kind: ServiceList
items:
- metadata: {name: a}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: b}
"""
    docs = load_manifests(text)
    assert [(d.object["kind"], d.object["metadata"]["name"]) for d in docs] == [("Service", "a"), ("ConfigMap", "b")]


def test_kind_list_item_without_kind():
    # cli-runtime mapper.go infoForObject + unstructuredscheme ObjectKinds (runtime.NewMissingKindErr)
    text = "apiVersion: v1\nkind: List\nitems:\n- metadata: {name: a}\n"
    assert _error(text) == (
        'unable to get type info from the object "*unstructured.Unstructured": '
        "Object 'Kind' is missing in 'object has no kind field '"
    )


def test_dicts_and_lists_of_dicts():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}
    assert load_manifests(pod)[0].object == pod
    assert len(load_manifests([pod, pod])) == 2


# kubectl/pkg/validation/schema.go getObjectKind, wrapped by cli-runtime visitor.go
# (`error validating %q: %v` around ValidateSchema's `error validating data: %v; <stop message>`)
def test_missing_kind():
    text = "apiVersion: v1\nmetadata:\n  name: web\n"
    assert _error(text) == f'error validating "STDIN": error validating data: kind not set; {STOP}'


def test_missing_kind_and_api_version():
    text = "metadata:\n  name: web\n"
    assert _error(text) == f'error validating "STDIN": error validating data: [apiVersion not set, kind not set]; {STOP}'


def test_not_an_object():
    assert _error("- a\n- b\n") == f'error validating "STDIN": error validating data: invalid object to validate; {STOP}'


def test_file_source_is_named_by_its_path(tmp_path: Path):
    bad = tmp_path / "pod.yaml"
    bad.write_text("apiVersion: v1\nmetadata:\n  name: web\n")
    assert _error(bad) == f'error validating "{bad}": error validating data: kind not set; {STOP}'


# YAML syntax: sigs.k8s.io/yaml wraps go-yaml v2 as `error converting YAML to JSON: yaml: line N: ...`,
# and cli-runtime visitor.go prefixes `error parsing <source>: `.
def test_mapping_value_inside_a_value():
    text = POD + "    ports:\n    - containerPort: 80\n      name: http: web\n"
    assert _error(text) == (
        "error parsing STDIN: error converting YAML to JSON: yaml: line 11: mapping values are not allowed in this context"
    )


def test_tab_indentation():
    # libyaml scanner: "found character that cannot start any token" (a scanner error: 1-based line)
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: web\n"
    assert _error(text) == (
        "error parsing STDIN: error converting YAML to JSON: yaml: line 4: found character that cannot start any token"
    )


def test_bad_indentation_reports_go_yaml_line():
    # a parser error: go-yaml v2 parser.fail() prints the 0-based line of the problem (one above it)
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n labels: {}\n"
    assert _error(text) == "error parsing STDIN: error converting YAML to JSON: yaml: line 4: did not find expected key"


def test_bad_document_separator():
    # apimachinery util/yaml/decoder.go YAMLReader.Read
    assert _error(POD + "--- kind: Pod\n") == "error parsing STDIN: invalid Yaml document separator: kind: Pod"


def test_json_syntax_error():
    # apimachinery util/yaml/decoder.go JSONSyntaxError: `json: offset %d: %s`
    text = '{"apiVersion": "v1", "kind": "Pod",}'
    assert _error(text) == (
        "error parsing STDIN: json: offset 36: invalid character '}' looking for beginning of object key string"
    )


# go-yaml v2 resolve.go: YAML 1.1 plain scalars, as sigs.k8s.io/yaml sees them before JSON
@pytest.mark.parametrize(
    ("text", "value"),
    [("yes", True), ("on", True), ("y", True), ("No", False), ("off", False), ("~", None), ("", None),
     ("1:20", "1:20"), ("2020-01-01", "2020-01-01"), ("0x1F", 31), ("017", 15), ("1_000", 1000),
     ("1e3", 1000.0), ("08", 8.0), ("3.5", 3.5), ("nginx:1.27", "nginx:1.27"), ("80", 80)],
)
def test_go_yaml_plain_scalars(text, value):
    assert go_resolve_plain(text) == value


def test_unquoted_yes_label_becomes_true():
    docs = load_manifests("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    enabled: yes\n")
    assert docs[0].object["metadata"]["labels"] == {"enabled": True}


def test_integral_floats_become_json_integers():
    # Go's json.Marshal writes float64(2) as `2`, which then fits an int32 field
    docs = load_manifests("apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2.0\n")
    assert docs[0].object["spec"]["replicas"] == 2
    assert isinstance(docs[0].object["spec"]["replicas"], int)


# cli-runtime builder.go Path / visitor.go ExpandPathsToFileVisitors
def test_missing_path():
    assert _error("nope.yaml") == 'the path "nope.yaml" does not exist'


def test_directory_of_manifests(tmp_path: Path):
    (tmp_path / "b.yaml").write_text(POD.replace("web", "b"))
    (tmp_path / "a.json").write_text('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}}')
    (tmp_path / "notes.txt").write_text("not a manifest")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c.yml").write_text(POD.replace("web", "c"))
    names = [d.object["metadata"]["name"] for d in load_manifests(tmp_path)]
    assert names == ["a", "b"]
    names = [d.object["metadata"]["name"] for d in load_manifests(str(tmp_path), recursive=True)]
    assert names == ["a", "b", "c"]


def test_directory_without_manifests(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("hello")
    assert _error(tmp_path) == f"error reading [{tmp_path}]: recognized file extensions are [.json .yaml .yml]"
