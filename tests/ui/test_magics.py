"""The notebook magics, driven through a real IPython shell (no browser needed)."""

from __future__ import annotations

import k8scourse


def test_line_magic_prints_what_a_terminal_prints(ip, capsys):
    k8scourse.connect()
    ip.run_line_magic("kubectl", "create deployment nginx-depl --image=nginx")
    assert capsys.readouterr().out == "deployment.apps/nginx-depl created\n"


def test_cell_magics_feed_the_cell_as_stdin(ip, capsys):
    cluster = k8scourse.connect()
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n"
    ip.run_cell_magic("kubectl", "apply -f -", manifest)
    assert capsys.readouterr().out == "configmap/settings created\n"
    ip.run_cell_magic("apply", "", manifest)
    assert capsys.readouterr().out == "configmap/settings unchanged\n"
    assert cluster.get("cm", "settings")["data"] == {"color": "blue"}


def test_errors_go_to_stderr_and_do_not_raise(ip, capsys):
    k8scourse.connect()
    ip.run_line_magic("kubectl", "delete pod missing")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == 'Error from server (NotFound): pods "missing" not found\n'
