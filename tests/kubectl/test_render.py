"""kubectl's printers: Tables as `kubectl get` lays them out (k8s.io/cli-runtime/pkg/printers/tableprinter.go,
k8s.io/kubectl/pkg/cmd/get/get.go), -o json/yaml/name (json.go, yaml.go, name.go), -o jsonpath
(k8s.io/client-go/util/jsonpath) and -o custom-columns (k8s.io/kubectl/pkg/cmd/get/customcolumn.go).

The YAML and JSONPath expectations were checked against kubectl's own client-side output
(`kubectl create … --dry-run=client -o yaml|jsonpath=…`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from k8scourse.api.printing import build_table
from k8scourse.kubectl.render import (
    PrintError,
    PrintOptions,
    Section,
    as_list,
    custom_columns_output,
    go_yaml_key_less,
    jsonpath_output,
    names,
    render_tables,
    to_json,
    to_yaml,
    with_kind_prefix,
    yaml_documents,
)

NOW = datetime(2026, 1, 5, 10, 0, 0, tzinfo=UTC)


def pod(name, ns="default", labels=None, ready=True, ip="10.244.0.5"):
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": labels or {},
                     "creationTimestamp": "2026-01-05T09:55:00Z"},
        "spec": {"nodeName": "minikube", "containers": [{"name": "nginx", "image": "nginx"}]},
        "status": {"phase": "Running", "podIPs": [{"ip": ip}],
                   "containerStatuses": [{"name": "nginx", "ready": ready, "restartCount": 0,
                                          "state": {"running": {}}}]},
    }


DEPLOYMENT = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "nginx-depl", "namespace": "default", "labels": {"app": "nginx"},
                 "creationTimestamp": "2026-01-05T09:55:00Z"},
    "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "nginx"}},
             "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}},
    "status": {"readyReplicas": 1, "updatedReplicas": 1, "availableReplicas": 1},
}

SERVICE = {
    "apiVersion": "v1", "kind": "Service",
    "metadata": {"name": "kubernetes", "namespace": "default", "labels": {"component": "apiserver"},
                 "creationTimestamp": "2026-01-05T09:50:00Z"},
    "spec": {"type": "ClusterIP", "clusterIPs": ["10.96.0.1"], "ports": [{"port": 443, "protocol": "TCP"}]},
}


def pods_table(*pods):
    return build_table("", "Pod", pods, NOW)


def get(table, resource="pods", **options):
    return render_tables([Section(resource, table, PrintOptions(**options))])


def test_get_pods():
    assert get(pods_table(pod("nginx-depl-5fcbf6fffd-zxhkr"), pod("web", ready=False))) == (
        "NAME                          READY   STATUS    RESTARTS   AGE\n"
        "nginx-depl-5fcbf6fffd-zxhkr   1/1     Running   0          5m\n"
        "web                           0/1     Running   0          5m\n"
    )


def test_get_pods_wide_adds_priority_columns():
    assert get(pods_table(pod("web")), wide=True) == (
        "NAME   READY   STATUS    RESTARTS   AGE   IP           NODE       NOMINATED NODE   READINESS GATES\n"
        "web    1/1     Running   0          5m    10.244.0.5   minikube   <none>           <none>\n"
    )


def test_no_rows_print_nothing_and_no_headers_drops_the_header():
    assert get(pods_table()) == ""
    assert get(pods_table(pod("web")), no_headers=True) == "web   1/1   Running   0     5m\n"


def test_all_namespaces_show_labels_and_label_columns():
    table = pods_table(pod("web", labels={"app": "web", "tier": "front"}),
                       pod("coredns-674b8bbfcf-x2x7l", ns="kube-system", labels={"k8s-app": "kube-dns"}))
    assert get(table, with_namespace=True, show_labels=True) == (
        "NAMESPACE     NAME                       READY   STATUS    RESTARTS   AGE   LABELS\n"
        "default       web                        1/1     Running   0          5m    app=web,tier=front\n"
        "kube-system   coredns-674b8bbfcf-x2x7l   1/1     Running   0          5m    k8s-app=kube-dns\n"
    )
    assert get(table, column_labels=("app", "example.com/tier")) == (
        "NAME                       READY   STATUS    RESTARTS   AGE   APP   TIER\n"
        "web                        1/1     Running   0          5m    web   \n"
        "coredns-674b8bbfcf-x2x7l   1/1     Running   0          5m          \n"
    )


def test_several_kinds_print_one_table_each_with_kind_prefixes():
    options = PrintOptions()
    sections = [
        Section("pods", pods_table(pod("nginx-depl-5fcbf6fffd-zxhkr")), with_kind_prefix(options, "pod")),
        Section("services", build_table("", "Service", [SERVICE], NOW), with_kind_prefix(options, "service")),
        Section("deployments.apps", build_table("apps", "Deployment", [DEPLOYMENT], NOW),
                with_kind_prefix(options, "deployment.apps")),
        Section("replicasets.apps", build_table("apps", "ReplicaSet", [], NOW),
                with_kind_prefix(options, "replicaset.apps")),
    ]
    assert render_tables(sections) == (
        "NAME                              READY   STATUS    RESTARTS   AGE\n"
        "pod/nginx-depl-5fcbf6fffd-zxhkr   1/1     Running   0          5m\n"
        "\n"
        "NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
        "service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   10m\n"
        "\n"
        "NAME                         READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "deployment.apps/nginx-depl   1/1     1            1           5m\n"
    )


def test_an_empty_first_kind_leaves_no_blank_line():
    sections = [Section("replicasets.apps", build_table("apps", "ReplicaSet", [], NOW), PrintOptions()),
                Section("pods", pods_table(pod("web")), PrintOptions())]
    assert render_tables(sections).startswith("NAME ")


def test_objects_of_one_resource_share_header_and_alignment():
    sections = [Section("pods", pods_table(pod("a")), PrintOptions()),
                Section("pods", pods_table(pod("long-pod-name")), PrintOptions())]
    assert render_tables(sections) == (
        "NAME            READY   STATUS    RESTARTS   AGE\n"
        "a               1/1     Running   0          5m\n"
        "long-pod-name   1/1     Running   0          5m\n"
    )


def test_cells_stop_at_line_breaks_and_escape_terminal_codes():
    table = {"columnDefinitions": [{"name": "Name", "type": "string", "format": "name", "priority": 0},
                                   {"name": "Message", "type": "string", "format": "", "priority": 0},
                                   {"name": "Ok", "type": "boolean", "format": "", "priority": 0}],
             "rows": [{"cells": ["x", "first\nsecond", True]}, {"cells": ["y", "\x1b[31mred", None]}]}
    assert get(table) == (
        "NAME   MESSAGE     OK\n"
        "x      first...    true\n"
        "y      ^[[31mred   \n"
    )


def test_json_is_indented_with_four_spaces_sorted_and_html_safe():
    obj = {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "cfg"},
           "data": {"b": "<p&w>", "a": ""}, "items": [], "x": {}}
    assert to_json(obj) == (
        '{\n    "apiVersion": "v1",\n    "data": {\n        "a": "",\n        "b": "\\u003cp\\u0026w\\u003e"\n'
        '    },\n    "items": [],\n    "kind": "ConfigMap",\n    "metadata": {\n        "name": "cfg"\n    },\n'
        '    "x": {}\n}\n'
    )


def test_yaml_as_kubectl_prints_it():
    obj = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "web", "creationTimestamp": "2026-01-05T09:00:00Z",
                        "annotations": {"deployment.kubernetes.io/revision": "1", "note": "a\nb\n"}},
           "spec": {"replicas": 1, "template": {"spec": {"containers": [
               {"name": "nginx", "image": "nginx:1.25", "args": ["yes", "on", "1.5", "0x1F", "a: b", ""],
                "ports": [{"containerPort": 80}]}]}}},
           "status": {}}
    assert to_yaml(obj) == (
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata:\n"
        "  annotations:\n"
        '    deployment.kubernetes.io/revision: "1"\n'
        "    note: |\n"
        "      a\n"
        "      b\n"
        '  creationTimestamp: "2026-01-05T09:00:00Z"\n'
        "  name: web\n"
        "spec:\n"
        "  replicas: 1\n"
        "  template:\n"
        "    spec:\n"
        "      containers:\n"
        "      - args:\n"
        '        - "yes"\n'
        '        - "on"\n'
        '        - "1.5"\n'
        '        - "0x1F"\n'
        "        - 'a: b'\n"
        '        - ""\n'
        "        image: nginx:1.25\n"
        "        name: nginx\n"
        "        ports:\n"
        "        - containerPort: 80\n"
        "status: {}\n"
    )


def test_yaml_keys_sort_numbers_inside_names_as_numbers():
    assert to_yaml({"k10": 1, "k2": 2, "k1": 3}) == "k1: 3\nk2: 2\nk10: 1\n"
    assert go_yaml_key_less("a_b", "aB")  # a non-letter sorts before a letter (go-yaml v2 sorter.go)


def test_several_objects_become_a_list_or_yaml_documents():
    assert to_yaml(as_list([])) == "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n"
    assert yaml_documents([{"a": 1}, {"b": 2}]) == "a: 1\n---\nb: 2\n"


def test_name_output():
    assert names(DEPLOYMENT) == "deployment.apps/nginx-depl\n"
    assert names(as_list([pod("web"), SERVICE])) == "pod/web\nservice/kubernetes\n"
    assert names(SERVICE, "created") == "service/kubernetes created\n"


@pytest.mark.parametrize(("template", "output"), [
    ("{.items[*].metadata.name}", "web db"),
    ('{range .items[*]}{.metadata.name}{"\\t"}{.status.podIPs[0].ip}{"\\n"}{end}',
     "web\t10.244.0.5\ndb\t10.244.0.6\n"),
    ('{.items[?(@.metadata.labels.app=="db")].metadata.name}', "db"),
    ("{.items[0].metadata.labels}", '{"app":"web"}'),
    ("{.items[-1:].spec.containers[*].image}", "nginx"),
    ("{.items[*].metadata.missing}", ""),
    ("names: {.items[*].metadata.name}!", "names: web db!"),
    ("{.items[0].spec.containers[0]['name','image']}", "nginx nginx"),
    ("{.kind}", "List"),
])
def test_jsonpath(template, output):
    listing = as_list([pod("web", labels={"app": "web"}), pod("db", labels={"app": "db"}, ip="10.244.0.6")])
    assert jsonpath_output(template, listing) == output


def test_jsonpath_errors_are_worded_as_kubectl_words_them():
    with pytest.raises(PrintError) as parse_error:
        jsonpath_output("{.metadata.name", SERVICE)
    assert str(parse_error.value) == "error parsing jsonpath {.metadata.name, unclosed action"
    with pytest.raises(PrintError) as exec_error:
        jsonpath_output("{end}", {"kind": "ConfigMap", "metadata": {"creationTimestamp": None, "name": "x"}})
    assert str(exec_error.value) == (
        'error executing jsonpath "{end}": Error executing template: not in range, nothing to end. '
        "Printing more information for debugging the template:\n"
        "\ttemplate was:\n\t\t{end}\n"
        "\tobject given to jsonpath engine was:\n"
        '\t\tmap[string]interface {}{"kind":"ConfigMap", "metadata":map[string]interface {}'
        '{"creationTimestamp":interface {}(nil), "name":"x"}}\n\n\n')
    with pytest.raises(PrintError, match="array index out of bounds: index 5, length 1"):
        jsonpath_output("{.spec.ports[5]}", SERVICE)


def test_jsonpath_as_json():
    assert jsonpath_output("{.metadata.name}", SERVICE, as_json=True) == '[\n    "kubernetes"\n]\n'


def test_custom_columns():
    listing = as_list([pod("web", labels={"app": "web"}), pod("db")])
    assert custom_columns_output("NAME:.metadata.name,APP:.metadata.labels.app,IMAGES:{.spec.containers[*].image}",
                                 listing) == (
        "NAME   APP      IMAGES\n"
        "web    web      nginx\n"
        "db     <none>   nginx\n"
    )
    with pytest.raises(PrintError, match="expected <header>:<json-path-expr>"):
        custom_columns_output("NAME", listing)

# What `kubectl create configmap cm --dry-run=client -o yaml --from-literal=k0=yes …` printed for
# these values (sigs.k8s.io/yaml over go-yaml v2 decides the quoting).
QUOTING_VALUES = [
    "yes",
    "y",
    "n",
    "on",
    "off",
    "True",
    "1",
    "01",
    "0x1F",
    "1e3",
    "1.5",
    ".5",
    "1_000",
    "",
    "~",
    "null",
    "a: b",
    "a #b",
    "#c",
    "- x",
    "2026-01-05",
    "2026-01-05T09:00:00Z",
    "12:30",
    " lead",
    "trail ",
    "multi\nline",
    "multi\nline\n",
    "tab\there",
    "quote'd",
    "dq\"x",
    "\u00fcn\u00ef",
    "*star",
    "&amp",
    "!bang",
    "%pct",
    "@at",
    "`bt",
    "|pipe",
    ">gt",
    "a&b",
    "?q",
    "0b101",
    "+1",
    "-.inf",
    ".NaN",
    "=",
    "<<",
    "1e",
    "Y",
    "NO",
    "long long long long long long long long long long long long long long long long long long long long ",
    "a\n\nb\n\n",
    "\ttabstart\n",
    "x\u2028y",
]

QUOTING_KUBECTL_OUTPUT = (
    "apiVersion: v1\n"
    "data:\n"
    "  k0: \"yes\"\n"
    "  k1: \"y\"\n"
    "  k2: \"n\"\n"
    "  k3: \"on\"\n"
    "  k4: \"off\"\n"
    "  k5: \"True\"\n"
    "  k6: \"1\"\n"
    "  k7: \"01\"\n"
    "  k8: \"0x1F\"\n"
    "  k9: \"1e3\"\n"
    "  k10: \"1.5\"\n"
    "  k11: \".5\"\n"
    "  k12: \"1_000\"\n"
    "  k13: \"\"\n"
    "  k14: \"~\"\n"
    "  k15: \"null\"\n"
    "  k16: 'a: b'\n"
    "  k17: 'a #b'\n"
    "  k18: '#c'\n"
    "  k19: '- x'\n"
    "  k20: \"2026-01-05\"\n"
    "  k21: \"2026-01-05T09:00:00Z\"\n"
    "  k22: \"12:30\"\n"
    "  k23: ' lead'\n"
    "  k24: 'trail '\n"
    "  k25: |-\n"
    "    multi\n"
    "    line\n"
    "  k26: |\n"
    "    multi\n"
    "    line\n"
    "  k27: \"tab\\there\"\n"
    "  k28: quote'd\n"
    "  k29: dq\"x\n"
    "  k30: \u00fcn\u00ef\n"
    "  k31: '*star'\n"
    "  k32: '&amp'\n"
    "  k33: '!bang'\n"
    "  k34: '%pct'\n"
    "  k35: '@at'\n"
    "  k36: '`bt'\n"
    "  k37: '|pipe'\n"
    "  k38: '>gt'\n"
    "  k39: a&b\n"
    "  k40: ?q\n"
    "  k41: \"0b101\"\n"
    "  k42: \"+1\"\n"
    "  k43: \"-.inf\"\n"
    "  k44: \".NaN\"\n"
    "  k45: =\n"
    "  k46: <<\n"
    "  k47: 1e\n"
    "  k48: \"Y\"\n"
    "  k49: \"NO\"\n"
    "  k50: 'long long long long long long long long long long long long long long long\n"
    "    long long long long long '\n"
    "  k51: |+\n"
    "    a\n"
    "\n"
    "    b\n"
    "\n"
    "  k52: \"\\ttabstart\\n\"\n"
    "  k53: 'x\u2028"
    "    y'\n"
    "kind: ConfigMap\n"
    "metadata:\n"
    "  creationTimestamp: null\n"
    "  name: cm\n"
)


def test_scalars_are_quoted_exactly_as_kubectl_quotes_them():
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm", "creationTimestamp": None},
           "data": {f"k{i}": v for i, v in enumerate(QUOTING_VALUES)}}
    assert to_yaml(obj) == QUOTING_KUBECTL_OUTPUT


# --- the JSONPath dialect (k8s.io/client-go/util/jsonpath/jsonpath.go, parser.go) -------------------

NODES = {"kind": "List", "items": [
    {"metadata": {"name": "a"}, "status": {"capacity": {"cpu": "2", "pods": 110}, "conditions": [
        {"type": "MemoryPressure", "status": "False"}, {"type": "Ready", "status": "True"}]}},
    {"metadata": {"name": "b"}, "status": {"capacity": {"cpu": "4", "pods": 20}, "conditions": [
        {"type": "Ready", "status": "False"}]}},
]}


@pytest.mark.parametrize(("template", "output"), [
    ("{.items[?(@.status.capacity.pods>50)].metadata.name}", "a"),
    ("{.items[?(@.status.capacity.pods<=20)].metadata.name}", "b"),
    ('{range .items[*]}{.metadata.name}:{.status.conditions[?(@.type=="Ready")].status} {end}', "a:True b:False "),
    ("{.items[::2].metadata.name}", "a"),
    ("{.items[0:2:1].metadata.name}", "a b"),
    ("{.items[1].metadata.name}{.items[0].metadata.name}", "ba"),
    ("{..cpu}", "2 4"),
    ("{.items[0].status.capacity.*}", "2 110"),  # map values in sorted key order
    ("{.items[0,1].metadata.name}", "a b"),
    ("{.items[?(@.status.missing)].metadata.name}", ""),
])
def test_jsonpath_dialect(template, output):
    assert jsonpath_output(template, NODES) == output


@pytest.mark.parametrize(("template", "message"), [
    ("{.items[?(@.status.capacity.pods>1.5)].metadata.name}", "incompatible types for comparison"),
    ("{.items[x]}", "invalid array index x"),
    ("{.items[0:1:0]}", "step must be > 0"),
    ("{.items[2:1]}", "array index out of bounds: index 2, length 2"),
    ("{.items[1:0]}", "starting index 1 is greater than ending index 0"),
    ("{.metadata.name}", ""),
])
def test_jsonpath_failures(template, message):
    if not message:
        assert jsonpath_output(template, NODES) == ""  # missing keys are allowed, as kubectl allows them
        return
    with pytest.raises(PrintError, match=re.escape(message)):
        jsonpath_output(template, NODES)


def test_jsonpath_missing_keys_fail_when_not_allowed():
    with pytest.raises(PrintError, match="metadata is not found"):
        jsonpath_output("{.metadata.name}", NODES, allow_missing_keys=False)
