"""kubectl explain (kinds, fields, --recursive, the layout helpers) and the discovery verbs (api-resources,
api-versions, cluster-info): golden output.

Layout from staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl (kubectl v1.33's default
explain) and its template functions in explain/v2/funcs.go (`wrap`: line breaks dropped, then
github.com/mitchellh/go-wordwrap's WrapString). Regenerate with `pytest tests/kubectl --update-golden`.
"""

from __future__ import annotations

from k8scourse.kubectl.verbs.explain import type_guess, wrap


def test_explain_transcript(cluster, golden, transcript):
    text = transcript(cluster, [
        "explain pods",
        "explain deployment.spec.strategy",
        "explain pods.spec.containers.resources --recursive",
        "explain svc.spec.ports.targetPort",
        "explain pods.spec.foo",
        "explain pdos",
        "explain",
    ])
    golden("kubectl/explain", text)


def test_field_lines_use_a_tab_and_mark_required_fields(cluster):
    out = cluster.kubectl("explain deployment.spec").stdout
    assert "\n  selector\t<LabelSelector> -required-\n" in out
    assert "\n  replicas\t<integer>\n" in out


def test_missing_field_names_the_last_path_element(cluster):
    # plaintext.tmpl: `throw "error: field \"%v\" does not exist"` with the last element of the path
    result = cluster.kubectl("explain pods.nope.name")
    assert result.stderr == 'error: field "name" does not exist\n'
    assert result.returncode == 1


def test_type_guesses():
    assert type_guess({"type": ["string", "null"]}) == "string"
    assert type_guess({"type": "object"}) == "Object"
    assert type_guess({"items": {"$ref": "#/$defs/io.k8s.api.core.v1.Container"}}) == "[]Container"
    assert type_guess({"additionalProperties": {"type": "string"}}) == "map[string]string"
    assert type_guess({"$ref": "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.Time"}) == "string"
    assert type_guess({"$ref": "#/$defs/io.k8s.apimachinery.pkg.api.resource.Quantity"}) == "Quantity"


def test_wrap_is_greedy_keeps_line_breaks_and_long_words_whole():
    # go-wordwrap WrapString as kubectl v1.33's explain template `wrap` calls it (explain/v2/funcs.go)
    assert wrap("aaa bbb ccc", 7) == "aaa bbb\nccc"
    assert wrap("one.\nTwo", 20) == "one.\nTwo"
    assert wrap("aaa   \nb", 4) == "aaa\nb"
    assert wrap("see: https://example.com/a/very/long/url end", 10) == "see:\nhttps://example.com/a/very/long/url\nend"


def test_a_fields_description_and_its_types_are_separate_lines(cluster):
    # plaintext.tmpl "description": each description then "\n", so DESCRIPTION ends with an indented blank line
    out = cluster.kubectl("explain pods.spec.containers.ports").stdout
    assert "Cannot be updated.\n    ContainerPort represents a network port in a single container.\n    \n" in out


def test_discovery_transcript(cluster, golden, transcript):
    # staging/src/k8s.io/kubectl/pkg/cmd/{apiresources,clusterinfo}: what the notes run to see what the cluster serves
    text = transcript(cluster, ["api-resources --namespaced=true", "api-resources --namespaced=false -o name",
                                "api-versions", "cluster-info"])
    golden("kubectl/discovery", text)
