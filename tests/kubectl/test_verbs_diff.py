"""kubectl diff -f: golden output against the live object, and its exit status.

Layout from staging/src/k8s.io/kubectl/pkg/cmd/diff/diff.go (LIVE-/MERGED- directories, files named
group.version.Kind.namespace.name, `diff -u -N`, exit 1 when something differs, managedFields omitted).
"""

from __future__ import annotations

from k8scourse.kubectl.verbs.diff import unified

WEB = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
"""


def test_diff_transcript(cluster, golden, transcript, tmp_path):
    (tmp_path / "web.yaml").write_text(WEB)
    (tmp_path / "web2.yaml").write_text(WEB.replace("replicas: 2", "replicas: 3").replace("1.27", "1.28"))
    commands = [f"apply -f {tmp_path / 'web.yaml'}", f"diff -f {tmp_path / 'web.yaml'}",
                f"diff -f {tmp_path / 'web2.yaml'}", "diff"]
    text = transcript(cluster, commands).replace(str(tmp_path), "/home/learner")
    golden("kubectl/diff", text)


def test_diff_of_a_new_object_compares_with_nothing(cluster):
    result = cluster.kubectl("diff -f -", stdin=WEB)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("diff -u -N /tmp/LIVE-")
    assert lines[0].endswith("/apps.v1.Deployment.default.web")
    assert lines[1].endswith("\t1970-01-01 00:00:00.000000000 +0000")
    assert "+  replicas: 2" in lines
    assert cluster.kubectl("get deploy").stderr == "No resources found in default namespace.\n"


def test_diff_is_the_same_text_each_time(cluster):
    cluster.kubectl("apply -f -", stdin=WEB)
    changed = WEB.replace("replicas: 2", "replicas: 4")
    assert cluster.kubectl("diff -f -", stdin=changed).stdout == cluster.kubectl("diff -f -", stdin=changed).stdout


def test_unified_hunks_as_gnu_diff():
    from datetime import UTC, datetime

    moment = datetime(2026, 1, 5, 9, 2, tzinfo=UTC)
    text = unified("a", "x\ny\n", "b", "x\nz\n", moment, moment)
    assert text == ("--- a\t2026-01-05 09:02:00.000000000 +0000\n+++ b\t2026-01-05 09:02:00.000000000 +0000\n"
                    "@@ -1,2 +1,2 @@\n x\n-y\n+z\n")
    assert unified("a", "same\n", "b", "same\n", moment, moment) == ""
