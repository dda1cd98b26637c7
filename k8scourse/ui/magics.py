"""`%kubectl`, `%%kubectl`, `%%apply` and `%minikube`: kubectl (and minikube) commands typed in notebook cells.

`%kubectl edit TYPE/NAME` opens the manifest editor on the live object instead of a terminal editor.
Loaded by `%load_ext k8scourse` (see `k8scourse.load_ipython_extension`). Output goes to the cell's
stdout and stderr exactly as a terminal shows it; nothing here raises for a failing command.
"""

from __future__ import annotations

import sys

from IPython.core.magic import Magics, cell_magic, line_cell_magic, line_magic, magics_class

from ..api.errors import K8sError
from ..cluster import current
from ..kubectl.command import KubectlResult


def show(result: KubectlResult) -> None:
    """Write a result to the cell's output streams, as a terminal would show them."""
    if result.stdout:
        sys.stdout.write(result.stdout)
        sys.stdout.flush()
    if result.stderr:
        sys.stderr.write(result.stderr)
        sys.stderr.flush()


def open_editor(args: list[str]) -> bool:
    """`%kubectl edit TYPE/NAME`: show the manifest editor on the live object (False: let kubectl answer)."""
    from IPython.display import display

    from .manifest_editor import edit_command  # widgets are loaded only when an editor is asked for

    try:
        widget = edit_command(args[0] if args else "")
    except K8sError as exc:
        sys.stderr.write(exc.kubectl_message() + "\n")
        return True
    if widget is not None:
        display(widget)
    return widget is not None


@magics_class
class KubectlMagics(Magics):
    """`%kubectl get pods`, `%%kubectl apply -f -` (the cell body is stdin), `%%apply` (shorthand)."""

    @line_cell_magic
    def kubectl(self, line: str, cell: str | None = None) -> None:
        if cell is None and line.split(None, 1)[:1] == ["edit"] and open_editor(line.split(None, 1)[1:]):
            return
        show(current().kubectl(line, stdin=cell))

    @cell_magic
    def apply(self, line: str, cell: str) -> None:
        show(current().kubectl(f"apply -f - {line}".strip(), stdin=cell))

    @line_magic
    def minikube(self, line: str) -> None:
        """`%minikube addons enable ingress`: the minikube command on the current cluster."""
        show(current().minikube(line))
