"""The go-template printer's engine: Go text/template semantics over JSON-decoded objects.

Behaviour from Go's text/template (exec.go: `<no value>` for a missing map key with missingkey=default,
`map has no entry for key` with missingkey=error, `can't evaluate field`, isTrue; funcs.go: eq's
`incompatible types for comparison`, index returning the zero value `<nil>`, fmt's `%!d(float64=3)`;
parse.go: `function "x" not defined`, `unexpected {{end}}`, `unexpected EOF`) and cli-runtime's
pkg/printers/template.go (`base64decode`, `exists`).
"""

from __future__ import annotations

import pytest

from k8scourse.kubectl.gotemplate import GoTemplate, TemplateError

POD = {"metadata": {"name": "web", "labels": {"tier": "fe", "app": "web"}},
       "spec": {"replicas": 3, "containers": [{"name": "a", "image": "nginx"}, {"name": "b", "image": "busybox"}]},
       "data": {"key": "aGVsbG8="}}
LIST = {"kind": "List", "items": [POD, {"metadata": {"name": "db"}, "spec": {"replicas": 1000000}}]}


def render(template: str, data: dict = POD, **options) -> str:
    return GoTemplate(template, **options).execute(data)


@pytest.mark.parametrize(("template", "data", "expected"), [
    ("{{.metadata.name}}", POD, "web"),
    ('{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}', LIST, "web\ndb\n"),
    ("{{range $k, $v := .metadata.labels}}{{$k}}={{$v}} {{end}}", POD, "app=web tier=fe "),  # maps: sorted keys
    ("{{if .spec.replicas}}yes{{else}}no{{end}}", POD, "yes"),
    ("{{if .spec.nope}}yes{{else if .metadata}}meta{{end}}", POD, "meta"),
    ('{{index .data "key" | base64decode}}', POD, "hello"),
    ('{{printf "%s has %v" .metadata.name .spec.replicas}}', POD, "web has 3"),
    ('{{printf "%d" .spec.replicas}}', POD, "%!d(float64=3)"),  # JSON numbers are float64 in a template
    ("{{len .spec.containers}}", POD, "2"),
    ('{{.metadata.foo}}|{{.metadata.foo.bar}}|{{index .data "nope"}}', POD, "<no value>|<no value>|<nil>"),
    ("{{range .items}}{{.spec.replicas}} {{end}}", LIST, "3 1e+06 "),
    ("{{- range .spec.containers }}\n  {{ .name }}\n{{- end }}", POD, "\n  a\n  b"),
    ('{{with .metadata}}{{.name}}{{end}} {{$x := "v"}}{{$x}}', POD, "web v"),
    ('{{range .spec.containers}}{{if eq .name "b"}}{{break}}{{end}}{{.name}}{{end}}', POD, "a"),
    ('{{exists . "spec" "containers"}} {{exists . "nope"}}', POD, "true false"),
    ("{{/* a comment */}}a {{- /* trimmed */ -}} b", POD, "ab"),
    ('{{println "a" 1 2}}{{print 1 2 "x" 3}}', POD, "a 1 2\n1 2x3"),
    ('{{if and .metadata (not .spec.nope)}}ok{{end}}', POD, "ok"),
])
def test_templates_print_as_go_does(template, data, expected):
    assert render(template, data) == expected


@pytest.mark.parametrize(("template", "message"), [
    ("{{foo .x}}", 'template: output:1: function "foo" not defined'),
    ("{{if .x}}", "template: output:1: unexpected EOF"),
    ("{{end}}", "template: output:1: unexpected {{end}}"),
    ("{{.metadata.name}", "template: output:1: unrecognized character in action: U+007D '}'"),
])
def test_parse_errors(template, message):
    with pytest.raises(TemplateError) as info:
        GoTemplate(template)
    assert str(info.value) == message


@pytest.mark.parametrize(("template", "message"), [
    ("{{.metadata.name.x}}", 'template: output:1:2: executing "output" at <.metadata.name.x>: can\'t evaluate field x '
                             "in type string"),
    ("{{if eq .spec.replicas 3}}x{{end}}", 'template: output:1:5: executing "output" at <eq>: error calling eq: '
                                           "incompatible types for comparison"),
    ('{{base64decode "abc"}}', 'template: output:1:2: executing "output" at <base64decode>: error calling '
                               "base64decode: base64 decode failed: illegal base64 data at input byte 0"),
])
def test_execution_errors(template, message):
    with pytest.raises(TemplateError) as info:
        render(template)
    assert str(info.value) == message


def test_missing_keys_are_errors_when_not_allowed():
    with pytest.raises(TemplateError, match='map has no entry for key "nope"'):
        render("{{.nope}}", allow_missing_keys=False)
