"""HTML pieces the views share: kubectl's output lines, errors with the offending YAML lines marked, diffs.

Used by the manifest editor (and any view that shows what a command printed). Pure functions of text.
"""

from __future__ import annotations

from .svg import esc
from .view import STYLE

CONTEXT_LINES = 2
SHORT_TEXT = 40  # texts up to this many lines are shown whole


def output_html(stdout: str = "", stderr: str = "") -> str:
    """What a command printed, stdout then stderr (in red), as a terminal shows it."""
    parts = []
    if stdout:
        parts.append(f"<pre>{esc(stdout.rstrip())}</pre>")
    if stderr:
        parts.append(f'<pre class="k8scourse-error">{esc(stderr.rstrip())}</pre>')
    return f'<div class="k8scourse-result">{"".join(parts)}</div>'


def _shown_lines(total: int, marked: set[int]) -> list[int | None]:
    """The 1-based line numbers to show (None for a gap): all of a short text, else the marked lines and
    CONTEXT_LINES around each."""
    if total <= SHORT_TEXT:
        return list(range(1, total + 1))
    keep = sorted({n for m in marked for n in range(m - CONTEXT_LINES, m + CONTEXT_LINES + 1) if 1 <= n <= total})
    shown: list[int | None] = []
    for n in keep:
        if shown and shown[-1] is not None and n != shown[-1] + 1:
            shown.append(None)
        shown.append(n)
    return shown


def yaml_html(text: str, marks: dict[int, str]) -> str:
    """The YAML with line numbers, the lines in `marks` highlighted and followed by what is wrong there."""
    lines = text.splitlines()
    rows = []
    width = len(str(len(lines)))
    for n in _shown_lines(len(lines), set(marks)):
        if n is None:
            rows.append('<span class="line">   …</span>')
            continue
        content = f"{n:>{width}} │ {esc(lines[n - 1])}"
        if n in marks:
            rows.append(f'<span class="line hit">{content}  <span class="note">◀ {esc(marks[n])}</span></span>')
        else:
            rows.append(f'<span class="line">{content}</span>')
    return f'<pre class="k8scourse-yaml">{chr(10).join(rows)}</pre>'


def diff_html(diff: str) -> str:
    """A unified diff with added lines green, removed lines red and hunk headers marked."""
    if not diff.strip():
        return '<div class="k8scourse-diff"><pre>(no differences from the live objects)</pre></div>'
    rows = []
    for line in diff.splitlines():
        klass = ("hunk" if line.startswith("@@") else "add" if line.startswith("+") and not line.startswith("+++")
                 else "del" if line.startswith("-") and not line.startswith("---") else "")
        rows.append(f'<span class="{klass}">{esc(line)}</span>' if klass else esc(line))
    return f'<div class="k8scourse-diff"><pre>{chr(10).join(rows)}</pre></div>'


def section(title: str, body: str) -> str:
    return f'<div class="k8scourse-section"><b>{esc(title)}</b>{body}</div>'


def styled(body: str) -> str:
    """`body` with the views' stylesheet in front (once per output)."""
    return STYLE + body
