"""Go's text/tabwriter as kubectl configures it (min width 6, tab width 4, padding 3, spaces, no flags).

Used by every kubectl output that prints columns (tables, `config get-contexts`, `api-resources`).
Cells end with a tab; the last cell of a line does not widen its column; a column is as wide as its
widest cell in the block of consecutive lines that have that column, plus the padding.
"""

from __future__ import annotations

MIN_WIDTH = 6
PADDING = 3


def _width(text: str) -> int:
    return len(text)  # Go counts runes: Python's len of a str is the same


def tabwrite(lines: list[list[str]], *, padding: int = PADDING, min_width: int = MIN_WIDTH) -> str:
    """Align rows of cells as kubectl's tabwriter does; returns the text with a trailing newline per line.
    `padding`/`min_width` default to kubectl's printers; describe uses padding 2 and no minimum."""
    out: list[str] = []
    widths = column_widths(lines, padding=padding, min_width=min_width)
    for row, row_widths in zip(lines, widths, strict=True):
        parts = []
        for i, cell in enumerate(row):
            if i == len(row) - 1:
                parts.append(cell)
            else:
                parts.append(cell + " " * (row_widths[i] - _width(cell)))
        out.append("".join(parts))
    return "".join(line + "\n" for line in out)


def column_widths(lines: list[list[str]], *, padding: int = PADDING,
                  min_width: int = MIN_WIDTH) -> list[list[int]]:
    """Each tab-terminated cell's width: a column block is a run of consecutive lines that have that column."""
    widths: list[list[int]] = [[0] * max(len(r) - 1, 0) for r in lines]
    column = 0
    while True:
        any_column = False
        start = 0
        while start < len(lines):
            if len(lines[start]) - 1 <= column:
                start += 1
                continue
            any_column = True
            end = start
            while end < len(lines) and len(lines[end]) - 1 > column:
                end += 1
            width = max(max(_width(lines[i][column]) for i in range(start, end)) + padding, min_width)
            for i in range(start, end):
                widths[i][column] = width
            start = end
        if not any_column:
            return widths
        column += 1
