"""kubectl get --watch on virtual time, --sort-by, and -o go-template: golden transcripts.

Regenerate with `pytest tests/kubectl --update-golden` after checking against kubectl v1.33. Behaviour from
staging/src/k8s.io/kubectl/pkg/cmd/get/get.go (watch: the list first, then one row per event flushed through
its own tabwriter; a named object's synthetic ADDED event not printed; `--sort-by will be ignored` warnings;
`--output-watch-events option can only be used with --watch or --watch-only`), cli-runtime's
printers/tableprinter.go (headers only until a table with rows was printed, EVENT column `ADDED   `),
printers/json.go (a WatchEvent as compact JSON), get/sorter.go, and printers/template.go (the debugging text
written to stdout before `error executing template`).
"""

from __future__ import annotations

GO_TEMPLATE = "get deploy web -o go-template='{{.metadata.name}}: {{.spec.replicas}} replicas{{\"\\n\"}}'"


def test_watch_the_pods_come_up(cluster, golden, transcript):
    cluster.kubectl("create deployment web --image=nginx --replicas=2")
    text = transcript(cluster, [
        "get pods -w",
        "scale deployment web --replicas=3",
        "get pods --watch-only --output-watch-events",
        "run myapp --image=busybox --restart=Never -- sh -c 'echo hi; sleep 3'",
        "get pod myapp --watch",
        "get pods -l app=web -w -o name --request-timeout=5s",
        "get deploy web -w -o json --output-watch-events --request-timeout=1",
        "get pods,svc -w",
        "get pods --output-watch-events",
        "get pods -w --sort-by=.metadata.name --request-timeout=0s --watch-only",
        "get pods -w --request-timeout=5x",
    ])
    golden("kubectl/get-watch", text)


def test_watch_takes_virtual_time(cluster):
    cluster.kubectl("create deployment web --image=nginx")
    before = cluster.backend.now
    result = cluster.kubectl("get pods -w")
    assert cluster.backend.now > before
    assert "Running" in result.stdout.splitlines()[-1]
    before = cluster.backend.now
    assert cluster.kubectl("get pods -w --request-timeout=2s").ok
    assert cluster.backend.now - before == 2


def test_sort_by_and_go_templates(cluster, golden, transcript):
    cluster.kubectl("create deployment web --image=nginx --replicas=3")
    cluster.kubectl("create deployment api --image=nginx --replicas=1")
    cluster.settle()
    text = transcript(cluster, [
        "get deploy --sort-by=.spec.replicas",
        "get deploy --sort-by=.metadata.name -o name",
        "get pods --sort-by=.spec.nope",
        "get deploy --sort-by=spec.replicas -o custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas",
        GO_TEMPLATE,
        "get deploy -o go-template='{{range .items}}{{.metadata.name}} {{end}}'",
        "get deploy --template='{{len .items}}'",
        "get deploy web -o go-template='{{.spec.replicas.x}}' --allow-missing-template-keys=false",
        "get deploy web -o go-template='{{nope}}'",
        "get deploy web -o go-template=",
        "get deploy web -o template='{{.kind}}'",
        "get deploy web -o yaml --show-labels",
    ])
    golden("kubectl/sort-and-templates", text)
