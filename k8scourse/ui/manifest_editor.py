"""The manifest editor: a YAML text area with Apply, Dry-run, Diff and Delete, and kubectl's answer under it.

`editor(manifest)` opens it on a manifest; `edit("deployment/web")` (and `%kubectl edit deployment/web`)
opens it on the live object, as `kubectl edit` would, and Apply then patches what you changed. Results
are kubectl's lines (`deployment.apps/web created`); a refused manifest shows the exact error and marks the
offending lines of the YAML. Every action goes through the `Cluster` facade, then tells the live views.
"""

from __future__ import annotations

import shlex
from typing import Any

import ipywidgets as widgets

from ..api.errors import ApiError, K8sError
from ..api.manifests import load_manifests
from ..cluster import ApplyError, current
from ..kubectl.render import to_yaml
from . import live
from .render import diff_html, output_html, section, styled, yaml_html
from .svg import esc
from .view import View, html_box
from .yamllines import error_lines

Obj = dict[str, Any]

# staging/src/k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go: editHeader.writeTo (normal edit mode)
EDIT_HEADER = """# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
"""


class CommandFailed(K8sError):
    """A kubectl command the editor ran failed; its message is what kubectl printed."""

    def kubectl_message(self) -> str:
        return str(self)


def manifest_text(manifest: str | Obj | list[Obj]) -> str:
    """A manifest as the YAML the editor shows (dicts and lists of dicts as kubectl prints them)."""
    if isinstance(manifest, str):
        return manifest
    if isinstance(manifest, dict):
        return to_yaml(manifest)
    return "---\n".join(to_yaml(obj) for obj in manifest)


def _strip_comments(text: str) -> str:
    """cmdutil.StripComments: the text without its `#` comment lines."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


class ManifestEditor(View):
    """Edit YAML, then apply it (or dry-run, diff or delete it) on a cluster and see what kubectl says."""

    def __init__(self, manifest: str | Obj | list[Obj] = "", cluster: Any = None, namespace: str | None = None, *,
                 original: Obj | None = None, rows: int | None = None):
        self.cluster = cluster or current()
        self.namespace = namespace
        self.original = original  # set in edit mode: the live object as the editor opened it
        text = manifest_text(manifest)
        self.opened_text = text
        height = rows or min(max(len(text.splitlines()) + 1, 6), 30)
        self.text = widgets.Textarea(value=text, layout=widgets.Layout(width="100%", height=f"{height * 1.35 + 1:.1f}em"))
        self.text.add_class("k8scourse-yaml-input")
        self.buttons = {label: widgets.Button(description=label, tooltip=tip, layout=widgets.Layout(width="auto"))
                        for label, tip in (("Apply", "kubectl apply -f (kubectl edit: save)"),
                                           ("Dry-run", "kubectl apply --dry-run=server, and the diff"),
                                           ("Diff", "kubectl diff -f: the live objects against this manifest"),
                                           ("Delete", "kubectl delete -f"))}
        self.buttons["Apply"].button_style = "primary"
        self.buttons["Delete"].button_style = "danger"
        for label, action in (("Apply", self.apply), ("Dry-run", self.dry_run), ("Diff", self.diff),
                              ("Delete", self.delete)):
            self.buttons[label].add_class(f"k8scourse-{label.lower()}")
            self.buttons[label].on_click(lambda _, act=action: act())
        self.result = html_box()
        self.result.add_class("k8scourse-editor-result")
        self.stdout = self.stderr = self.diff_text = ""
        self.diffed = False
        self.marks: dict[int, str] = {}
        title = widgets.HTML(f"<b>kubectl edit {esc(self._target())}</b>" if original else "")
        super().__init__([title, self.text, widgets.HBox(list(self.buttons.values())), self.result])
        self._show()

    # --- actions ---------------------------------------------------------------------------------------
    def apply(self) -> None:
        """Apply: `kubectl apply -f` of the text (in edit mode, `kubectl edit`'s patch of what changed)."""
        if self.original is not None:
            self._save_edit()
        else:
            self._apply(dry_run=False)
        live.changed(self.cluster)

    def dry_run(self) -> None:
        """`kubectl apply --dry-run=server`, then the diff against the live objects."""
        if self._apply(dry_run=True):
            self._diff()
        self._show()

    def diff(self) -> None:
        """`kubectl diff -f`: what applying the text would change."""
        self._reset()
        self._diff()
        self._show()

    def delete(self) -> None:
        """`kubectl delete -f` of the text."""
        self._reset()
        result = self.cluster.kubectl(self._with_namespace(["delete", "-f", "-"]), stdin=self.text.value)
        self.stdout, self.stderr = result.stdout, result.stderr
        self._show()
        live.changed(self.cluster)

    # --- what the actions share ------------------------------------------------------------------------------
    def _reset(self) -> None:
        self.stdout = self.stderr = self.diff_text = ""
        self.diffed = False
        self.marks = {}

    def _with_namespace(self, argv: list[str]) -> list[str]:
        return argv + (["-n", self.namespace] if self.namespace else [])

    def _apply(self, dry_run: bool) -> bool:
        """kubectl's own output for the apply; when it failed, the lines to mark come from the refusals of a
        server-side dry run of the same text (structured errors, and nothing changed by it)."""
        self._reset()
        argv = ["apply", "-f", "-"] + (["--dry-run=server"] if dry_run else [])
        result = self.cluster.kubectl(self._with_namespace(argv), stdin=self.text.value)
        self.stdout, self.stderr = result.stdout, result.stderr
        if result.returncode:
            try:
                self.cluster.apply(self.text.value, self.namespace, dry_run=True)
            except K8sError as exc:
                self._mark(exc)
        self._show()
        return result.returncode == 0

    def _mark(self, exc: K8sError) -> None:
        """Mark the lines of the text each refusal in `exc` points at."""
        for error in exc.errors if isinstance(exc, ApplyError) else [exc]:
            status = error.status if isinstance(error, ApiError) else None
            self.marks.update(error_lines(self.text.value, error.kubectl_message(), status))

    def _diff(self) -> None:
        result = self.cluster.kubectl(self._with_namespace(["diff", "-f", "-"]), stdin=self.text.value)
        if result.returncode > 1:
            self.stderr += result.stderr
        else:
            self.diff_text, self.diffed = result.stdout, True

    def _target(self) -> str:
        meta = (self.original or {}).get("metadata") or {}
        return f"{str((self.original or {}).get('kind', '')).lower()}/{meta.get('name', '')}"

    def _save_edit(self) -> None:
        """kubectl edit's save: cancelled when nothing (or nothing at all) is left, else the patch."""
        self._reset()
        edited = _strip_comments(self.text.value)
        if not edited.strip():
            self.stderr = "Edit cancelled, saved file was empty.\n"
        elif edited == _strip_comments(self.opened_text):
            self.stderr = "Edit cancelled, no changes made.\n"
        else:
            try:
                self.stdout = self.cluster.edit(self.original or {}, edited) + "\n"
            except ApiError as exc:
                self._refused_edit(exc)
            except K8sError as exc:
                self.stderr = exc.kubectl_message() + "\n"
                self._mark(exc)
        self._show()

    def _refused_edit(self, exc: ApiError) -> None:
        """editResults.addError: `error: deployments.apps "web" is invalid` and the causes, field by field."""
        rt = self.cluster.resource(str((self.original or {}).get("kind", "")))
        name = ((self.original or {}).get("metadata") or {}).get("name", "")
        if exc.reason == "Invalid":
            causes = [f"{c.get('field', '')}: {c.get('message', '')}" for c in exc.details.get("causes") or []]
            self.stderr = f'error: {rt.group_resource} "{name}" is invalid\n' + "".join(f"* {c}\n" for c in causes)
            self.marks.update(error_lines(self.text.value, exc.kubectl_message(), exc.status))
        elif exc.code == 404:
            self.stderr = f'error: {rt.group_resource} "{name}" could not be found on the server\n'
        else:
            self.stderr = f'error: {rt.group_resource} "{name}" could not be patched: {exc}\n'

    # --- display ---------------------------------------------------------------------------------------
    def result_html(self) -> str:
        """What the last action printed, the marked YAML if it was refused, and the diff if one was asked for."""
        body = output_html(self.stdout, self.stderr) if (self.stdout or self.stderr) else ""
        if self.marks:
            body += yaml_html(self.text.value, self.marks)
        if self.diffed:
            body += section("diff against the live objects", diff_html(self.diff_text))
        return styled(body) if body else ""

    def _show(self) -> None:
        self.result.value = self.result_html()

    def static_html(self) -> str:
        target = f"<b>kubectl edit {esc(self._target())}</b>" if self.original else ""
        buttons = " ".join(f"<button disabled>{label}</button>" for label in self.buttons)
        return styled(f'<div class="k8scourse-editor">{target}<pre class="k8scourse-yaml">{esc(self.text.value)}</pre>'
                      f"<div>{buttons}</div>{self.result_html()}</div>")

    def summary(self) -> str:
        docs = len([d for d in self.text.value.split("\n---") if d.strip()])
        return f"<ManifestEditor: {docs} document(s)>"


def editor(manifest: str | Obj | list[Obj] = "", cluster: Any = None, namespace: str | None = None) -> ManifestEditor:
    """A manifest editor on `cluster` (default: the current one), prefilled with `manifest` (YAML or dicts)."""
    return ManifestEditor(manifest, cluster, namespace)


def edit(resource: str, name: str | None = None, namespace: str | None = None, cluster: Any = None) -> ManifestEditor:
    """`kubectl edit`: the editor opened on the live object (`edit("deployment/web")`, `edit("deploy", "web")`)."""
    cluster = cluster or current()
    if name is None and "/" in resource:
        resource, _, name = resource.partition("/")
    if not name:
        raise K8sError("edit needs a TYPE/NAME, for example deployment/web")
    rt = cluster.resource(resource)
    argv = ["get", f"{rt.plural}.{rt.group}" if rt.group else rt.plural, name, "-o", "yaml"]
    result = cluster.kubectl(argv + (["-n", namespace] if namespace else []))
    if result.returncode:
        raise CommandFailed(result.stderr.rstrip("\n"))
    original = load_manifests(result.stdout)[0].object
    return ManifestEditor(EDIT_HEADER + result.stdout, cluster, namespace, original=original)


def edit_command(args: list[str] | str, cluster: Any = None) -> ManifestEditor | None:
    """The editor for a `kubectl edit` command line (`["deployment/web", "-n", "shop"]`), or None when the
    line asks for more than the editor does (files, output formats): kubectl's own verb answers those."""
    words = shlex.split(args) if isinstance(args, str) else list(args)
    namespace = None
    targets = []
    while words:
        word = words.pop(0)
        if word in ("-n", "--namespace") and words:
            namespace = words.pop(0)
        elif word.startswith("--namespace="):
            namespace = word.split("=", 1)[1]
        elif word.startswith("-"):
            return None
        else:
            targets.append(word)
    if len(targets) == 1 and "/" in targets[0]:
        return edit(targets[0], None, namespace, cluster)
    if len(targets) == 2:
        return edit(targets[0], targets[1], namespace, cluster)
    return None
