"""The manifest editor, driven by pressing its buttons in Python (no browser)."""

from __future__ import annotations

import k8scourse
from k8scourse.ui.cluster_view import ClusterView
from k8scourse.ui.manifest_editor import EDIT_HEADER, ManifestEditor, edit, edit_command


def press(widget: ManifestEditor, label: str) -> None:
    widget.buttons[label].click()


def test_apply_prints_what_kubectl_apply_prints(cluster, web_yaml):
    widget = ManifestEditor(web_yaml, cluster)
    press(widget, "Apply")
    assert widget.stdout == "deployment.apps/web created\n"
    assert "deployment.apps/web created" in widget.result.value
    press(widget, "Apply")
    assert widget.stdout == "deployment.apps/web unchanged\n"
    widget.text.value = web_yaml.replace("replicas: 2", "replicas: 3")
    press(widget, "Apply")
    assert widget.stdout == "deployment.apps/web configured\n"
    assert cluster.get("deploy", "web")["spec"]["replicas"] == 3


def test_a_refused_manifest_shows_the_error_and_marks_the_line(cluster, web_yaml):
    widget = ManifestEditor(web_yaml.replace("replicas: 2", "replicas: -1"), cluster)
    press(widget, "Apply")
    # pkg/apis/apps/validation/validation.go ValidateDeploymentSpec → ValidateNonnegativeField
    assert widget.stderr == ('The Deployment "web" is invalid: spec.replicas: Invalid value: -1: '
                             "must be greater than or equal to 0\n")
    assert widget.marks == {6: "spec.replicas: Invalid value: -1: must be greater than or equal to 0"}
    assert 'class="line hit"> 6 │   replicas: -1' in widget.result.value.replace("&#x27;", "'")
    assert cluster.exists("deploy", "web") is False


def test_dry_run_changes_nothing_and_shows_the_diff(cluster, web_yaml):
    widget = ManifestEditor(web_yaml, cluster)
    press(widget, "Dry-run")
    assert widget.stdout == "deployment.apps/web created (server dry run)\n"
    assert widget.diffed and "+  replicas: 2" in widget.diff_text
    assert not cluster.exists("deploy", "web")
    press(widget, "Apply")
    press(widget, "Diff")
    assert widget.diff_text == "" and "no differences" in widget.result.value


def test_delete_prints_what_kubectl_delete_prints(cluster, web_yaml):
    widget = ManifestEditor(web_yaml, cluster)
    press(widget, "Apply")
    press(widget, "Delete")
    assert widget.stdout == 'deployment.apps "web" deleted\n'
    press(widget, "Delete")
    assert widget.stderr == 'Error from server (NotFound): error when deleting "STDIN": deployments.apps "web" not found\n'


def test_edit_opens_the_live_object_and_patches_what_changed(cluster, web_yaml):
    cluster.apply(web_yaml)
    widget = edit("deployment/web", cluster=cluster)
    assert widget.text.value.startswith(EDIT_HEADER + "apiVersion: apps/v1\nkind: Deployment\n")
    press(widget, "Apply")
    # staging/src/k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go
    assert widget.stderr == "Edit cancelled, no changes made.\n"
    widget.text.value = widget.text.value.replace("replicas: 2", "replicas: 5")
    press(widget, "Apply")
    assert widget.stdout == "deployment.apps/web edited\n"
    assert cluster.get("deploy", "web")["spec"]["replicas"] == 5


def test_an_invalid_edit_is_reported_as_kubectl_edit_reports_it(cluster, web_yaml):
    cluster.apply(web_yaml)
    widget = edit("deploy", "web", cluster=cluster)
    widget.text.value = widget.text.value.replace("replicas: 2", "replicas: -2")
    press(widget, "Apply")
    # editoptions.go editResults.addError
    assert widget.stderr == ('error: deployments.apps "web" is invalid\n'
                             "* spec.replicas: Invalid value: -2: must be greater than or equal to 0\n")
    line = widget.text.value.splitlines().index("  replicas: -2") + 1
    assert list(widget.marks) == [line]
    widget.text.value = widget.text.value.replace("name: web\n", "name: other\n", 1)
    press(widget, "Apply")
    assert widget.stderr == "error: At least one of apiVersion, kind and name was changed\n"


def test_edit_command_lines(cluster, web_yaml):
    cluster.apply(web_yaml)
    assert edit_command("deployment web -n default", cluster).original["metadata"]["name"] == "web"
    assert edit_command("deployment/web -o json", cluster) is None  # kubectl's own verb answers
    assert edit_command("", cluster) is None


def test_applying_redraws_the_cluster_view(cluster, web_yaml):
    view = ClusterView(cluster)
    assert view.pod_names == []
    press(ManifestEditor(web_yaml, cluster), "Apply")
    assert len(view.pod_names) == 2
    assert all(name in view.picture.value for name in view.pod_names)


def test_static_rendering_shows_the_manifest_and_the_result(cluster, web_yaml):
    widget = ManifestEditor(web_yaml, cluster)
    press(widget, "Apply")
    bundle = widget._repr_mimebundle_()
    assert bundle["text/plain"] == "<ManifestEditor: 1 document(s)>"
    assert "image: nginx:1.27" in bundle["text/html"] and "deployment.apps/web created" in bundle["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_kubectl_edit_magic_displays_the_editor(ip, capsys, web_yaml, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    cluster = k8scourse.connect()
    cluster.apply(web_yaml)
    ip.run_line_magic("kubectl", "edit deployment/web")
    assert isinstance(shown[0], ManifestEditor) and shown[0].original["kind"] == "Deployment"
    ip.run_line_magic("kubectl", "edit deployment/missing")
    assert capsys.readouterr().err == 'Error from server (NotFound): deployments.apps "missing" not found\n'
