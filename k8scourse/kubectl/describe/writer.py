"""kubectl describe's PrefixWriter on a text/tabwriter (min width 0, tab width 8, padding 2, spaces), plus
the small formatters every describer shares (labels, annotations, tolerations, taints, times, ages).

Used by every module of `k8scourse.kubectl.describe`. Translated from
staging/src/k8s.io/kubectl/pkg/describe/describe.go (prefixWriter, tabbedString, printLabelsMultiline,
printAnnotationsMultiline, printTolerationsMultilineWithIndent, printTaintsMultilineWithIndent,
translateTimestampSince) and Go's text/tabwriter layout rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ...api.printing.duration import parse_time, since
from ..render import escape_terminal
from ..tabwriter import column_widths

Obj = dict[str, Any]
PADDING = 2
MAX_ANNOTATION_LEN = 140
# corev1.LastAppliedConfigAnnotation: describe never shows it
SKIPPED_ANNOTATIONS = frozenset({"kubectl.kubernetes.io/last-applied-configuration"})


def tabbed(text: str) -> str:
    """Lay out tab-separated cells as tabwriter.NewWriter(out, 0, 8, 2, ' ', 0) does on Flush."""
    lines = [line.split("\t") for line in text.split("\n")]
    ends_open = not text.endswith("\n")
    if not ends_open:
        lines.pop()
    widths = column_widths(lines, padding=PADDING, min_width=0)
    out = []
    for cells, row_widths in zip(lines, widths, strict=True):
        parts = [cell.ljust(row_widths[i]) for i, cell in enumerate(cells[:-1])]
        out.append("".join(parts) + cells[-1])
    return "\n".join(out) + ("" if ends_open else "\n")


class PrefixWriter:
    """describe.PrefixWriter: `write(level, text)` indents by two spaces per level; `flush()` ends a
    tabwriter block (the Events table is aligned on its own); `text()` is the laid-out result."""

    def __init__(self, indent: int = 0) -> None:
        self._blocks: list[list[str]] = [[]]
        self.indent = indent

    def write(self, level: int, text: str) -> None:
        self._blocks[-1].append(escape_terminal("  " * (level + self.indent) + text))

    def line(self, text: str = "") -> None:
        """WriteLine: the text and a newline, no indentation."""
        if self.indent:
            self.write(0, text + "\n")
        else:
            self._blocks[-1].append(escape_terminal(text + "\n"))

    def flush(self) -> None:
        self._blocks.append([])

    def text(self) -> str:
        return "".join(tabbed("".join(block)) for block in self._blocks if block)


# --- shared formatters --------------------------------------------------------------------------------


def labels_multiline(w: PrefixWriter, title: str, labels: Mapping[str, str] | None, initial: str = "",
                     inner: str = "\t") -> None:
    """printLabelsMultilineWithIndent: `Labels:  a=b` then one aligned line per further label."""
    w.write(0, f"{initial}{title}:{inner}")
    keys = sorted(labels or {})
    if not keys:
        w.line("<none>")
        return
    for i, key in enumerate(keys):
        if i:
            w.write(0, initial + inner)
        w.write(0, f"{key}={(labels or {})[key]}\n")


def annotations_multiline(w: PrefixWriter, title: str, annotations: Mapping[str, str] | None) -> None:
    """printAnnotationsMultiline: long or multi-line values go on their own, shortened lines."""
    w.write(0, f"{title}:\t")
    annotations = annotations or {}
    keys = sorted(k for k in annotations if k not in SKIPPED_ANNOTATIONS)
    if not keys:
        w.line("<none>")
        return
    for i, key in enumerate(keys):
        if i:
            w.write(0, "\t")
        value = annotations[key].removesuffix("\n")
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for part in value.split("\n"):
                shown = part[:MAX_ANNOTATION_LEN - 2] + "..." if len(part) > MAX_ANNOTATION_LEN - 2 else part
                w.write(0, f"\t  {shown}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def object_header(w: PrefixWriter, meta: Mapping[str, Any]) -> None:
    """The Name, Namespace, Labels and Annotations lines most describers open with."""
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))


def toleration_text(t: Obj) -> str:
    """One toleration as printTolerationsMultilineWithIndent prints it."""
    text = t.get("key", "")
    if t.get("value"):
        text += f"={t['value']}"
    if t.get("effect"):
        text += f":{t['effect']}"
    if t.get("operator") == "Exists" and not t.get("value"):
        text += " op=Exists" if t.get("key") or t.get("effect") else "op=Exists"
    if t.get("tolerationSeconds") is not None:
        text += f" for {t['tolerationSeconds']}s"
    return text


def taint_text(t: Obj) -> str:
    """corev1.Taint.ToString: `key=value:Effect`, `key:Effect` without a value."""
    value = f"={t['value']}" if t.get("value") else ""
    return f"{t.get('key', '')}{value}:{t.get('effect', '')}"


def items_multiline(w: PrefixWriter, title: str, items: list[str], initial: str = "") -> None:
    """The `Title:\\t<first>` / `\\t<next>` shape shared by tolerations, taints and `Used By`."""
    w.write(0, f"{initial}{title}:\t")
    if not items:
        w.line("<none>")
        return
    for i, item in enumerate(items):
        if i:
            w.write(0, initial + "\t")
        w.write(0, f"{item}\n")


def tolerations_multiline(w: PrefixWriter, title: str, tolerations: list[Obj] | None, initial: str = "") -> None:
    ordered = sorted(tolerations or [], key=lambda t: t.get("key", ""))
    items_multiline(w, title, [toleration_text(t) for t in ordered], initial)


def taints_multiline(w: PrefixWriter, title: str, taints: list[Obj] | None) -> None:
    ordered = sorted(taints or [], key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")
    items_multiline(w, title, [taint_text(t) for t in ordered])


def rfc1123z(stamp: str | None) -> str:
    """time.RFC1123Z (`Mon, 05 Jan 2026 09:00:00 +0000`); a missing time is Go's zero time."""
    if not stamp:
        return "Mon, 01 Jan 0001 00:00:00 +0000"
    return parse_time(stamp).strftime("%a, %d %b %Y %H:%M:%S +0000")


def age(stamp: str | None, now: datetime) -> str:
    """translateTimestampSince: HumanDuration since the stamp, `<unknown>` for none."""
    return since(stamp, now)


def go_bool(value: Any) -> str:
    """fmt's %v / %t of a Go bool."""
    return "true" if value else "false"


def title_bool(value: Any) -> str:
    """printBool: `True` / `False`."""
    return "True" if value else "False"


def string_list(values: list[str] | None) -> str:
    """fmt's %v of a Go []string: `[a b]`."""
    return "[" + " ".join(values or []) + "]"


def controlled_by(obj: Obj) -> str:
    """printController: `Kind/name` of the controller owner reference, or empty."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller") is True:
            return f"{ref.get('kind', '')}/{ref.get('name', '')}"
    return ""
