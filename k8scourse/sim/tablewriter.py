"""The bordered tables minikube prints (`addons list`, `service`): olekukonko/tablewriter v0.0.5 in Python.

Called by the simulated minikube command (`k8scourse.sim.minikube`). minikube builds these tables with
borders on every side and `|` as the centre separator; headers are upper-cased and centred, cells longer
than 30 columns wrap at spaces with tablewriter's minimum-raggedness rule, numbers are right-aligned and
text left-aligned, and widths count East Asian wide characters (the ✅ of an enabled addon) as two.
"""

from __future__ import annotations

import re
import unicodedata

MAX_ROW_WIDTH = 30  # tablewriter's MAX_ROW_WIDTH: cells wrap beyond this many columns
WRAP_PENALTY = 100000  # tablewriter's defaultPenalty
_DECIMAL = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})*|\d+)(?:\.\d+)?$")
_PERCENT = re.compile(r"^-?\d+\.?\d*%$")


def display_width(text: str) -> int:
    """go-runewidth's StringWidth: wide and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def wrap_words(words: list[str], limit: int) -> list[list[str]]:
    """tablewriter's WrapWords: lines of words minimising the squared slack of every line but the last."""
    n = len(words)
    lengths = [[0] * n for _ in range(n)]
    for i in range(n):
        lengths[i][i] = display_width(words[i])
        for j in range(i + 1, n):
            lengths[i][j] = lengths[i][j - 1] + 1 + display_width(words[j])
    breaks = [0] * n
    cost = [2**31 - 1] * n
    for i in range(n - 1, -1, -1):
        if lengths[i][n - 1] <= limit:
            cost[i], breaks[i] = 0, n
            continue
        for j in range(i + 1, n):
            slack = limit - lengths[i][j - 1]
            c = slack * slack + cost[j] + (WRAP_PENALTY if lengths[i][j - 1] > limit else 0)
            if c < cost[i]:
                cost[i], breaks[i] = c, j
    lines, i = [], 0
    while i < n:
        lines.append(words[i:breaks[i]])
        i = breaks[i]
    return lines


def wrap_cell(text: str) -> list[str]:
    """parseDimension with auto-wrap: each line of the cell wrapped to at most 30 columns (or its longest word)."""
    raw = text.split("\n")
    width = min(max(display_width(line) for line in raw), MAX_ROW_WIDTH)
    out: list[str] = []
    for para in raw:
        words = para.split(" ")
        limit = max([width, *(display_width(w) for w in words)])
        out += [" ".join(line) for line in wrap_words(words, limit)]
    return out


def title(header: str) -> str:
    """tablewriter's Title: `_` (and `.` between non-digits) become spaces, then upper case."""
    chars = list(header)
    for i, ch in enumerate(chars):
        if ch == "_":
            chars[i] = " "
        elif ch == ".":
            before = i != 0 and not (chars[i - 1].isdigit() or chars[i - 1] == " ")
            after = i != len(chars) - 1 and not (chars[i + 1].isdigit() or chars[i + 1] == " ")
            if before or after:
                chars[i] = " "
    name = "".join(chars).strip()
    return (name or (" " if header else "")).upper()


def _centre(text: str, width: int) -> str:
    gap = width - display_width(text)
    if gap <= 0:
        return text
    left = gap // 2
    return " " * left + text + " " * (gap - left)


def _align(text: str, width: int) -> str:
    pad = " " * max(width - display_width(text), 0)
    stripped = text.strip()
    return pad + text if _DECIMAL.match(stripped) or _PERCENT.match(stripped) else text + pad


def render(headers: list[str], rows: list[list[str]]) -> str:
    """The whole table as `table.Render()` writes it with all borders and `|` corners."""
    head = [wrap_cell(h) for h in headers]
    body = [[wrap_cell(cell) for cell in row] for row in rows]
    widths = [max(display_width(line) for cell in [head[c], *(r[c] for r in body)] for line in cell)
              for c in range(len(headers))]
    rule = "|" + "".join("-" * (w + 2) + "|" for w in widths) + "\n"
    out = [rule]
    for x in range(max(len(h) for h in head)):
        out.append("|" + "".join(f" {_centre(title(h[x]) if x < len(h) else '', w)} |"
                                 for h, w in zip(head, widths, strict=True)) + "\n")
    out.append(rule)
    for row in body:
        for x in range(max(len(cell) for cell in row)):
            out.append("|" + "".join(f" {_align(cell[x] if x < len(cell) else '', w)} |"
                                     for cell, w in zip(row, widths, strict=True)) + "\n")
    out.append(rule)
    return "".join(out)
