"""Shared SVG drawing for the notebook views: a canvas of boxes, text, lines and curves, and the colours.

Used by the cluster view (`topology`), the event timeline and the scheduler explanation. Output is plain
SVG text, identical for identical input (nothing random, no ids that change), so notebooks saved with it
compare equal when re-executed and render on any static viewer.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

FONT = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace"
FONT_SIZE = 12
CHAR_WIDTH = 7.3  # advance of one character of FONT at FONT_SIZE px (close enough for layout)

# (stroke, fill) per meaning; used for pods, nodes, objects and events alike
GOOD = ("#2e7d32", "#dcedc8")
WAITING = ("#607d8b", "#eceff1")
WARN = ("#ef6c00", "#ffe0b2")
BAD = ("#c62828", "#ffcdd2")
DONE = ("#1565c0", "#bbdefb")
GONE = ("#9e9e9e", "#f5f5f5")
NEUTRAL = ("#455a64", "#ffffff")


def esc(text: object) -> str:
    """Text made safe for SVG/HTML content and attribute values."""
    return html.escape(str(text), quote=True)


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """The width `text` takes in the monospace font at `size` px."""
    return len(text) * CHAR_WIDTH * size / FONT_SIZE


def num(value: float) -> str:
    """A coordinate as short, stable text (`12`, `12.5`)."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


@dataclass
class Canvas:
    """An SVG picture built element by element; `svg()` returns it sized to what was drawn."""

    width: float = 0
    height: float = 0
    title: str = ""
    parts: list[str] = field(default_factory=list)

    def _grow(self, x: float, y: float) -> None:
        self.width = max(self.width, x)
        self.height = max(self.height, y)

    def rect(self, x: float, y: float, w: float, h: float, colours: tuple[str, str] = NEUTRAL, *,
             radius: float = 4, dashed: bool = False, tooltip: str = "", css: str = "", stroke_width: float = 1.2,
             opacity: float = 1.0) -> None:
        attrs = [f'x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" rx="{num(radius)}"',
                 f'stroke="{colours[0]}" fill="{colours[1]}" stroke-width="{num(stroke_width)}"']
        if dashed:
            attrs.append('stroke-dasharray="4 3"')
        if opacity != 1.0:
            attrs.append(f'opacity="{opacity}"')
        if css:
            attrs.append(f'class="{esc(css)}"')
        self.parts.append(self._with_tooltip(f"<rect {' '.join(attrs)}", tooltip))
        self._grow(x + w, y + h)

    def text(self, x: float, y: float, content: str, *, size: int = FONT_SIZE, colour: str = "#212121",
             bold: bool = False, anchor: str = "start", tooltip: str = "", css: str = "") -> None:
        weight = ' font-weight="bold"' if bold else ""
        klass = f' class="{esc(css)}"' if css else ""
        tag = (f'<text x="{num(x)}" y="{num(y)}" font-size="{size}" fill="{colour}" '
               f'text-anchor="{anchor}"{weight}{klass}>{esc(content)}')
        self.parts.append(tag + (f"<title>{esc(tooltip)}</title>" if tooltip else "") + "</text>")
        width = text_width(content, size)
        right = x + (width if anchor == "start" else width / 2 if anchor == "middle" else 0)
        self._grow(right, y + 4)

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: str = "#9e9e9e", *,
             width: float = 1.0, dashed: bool = False) -> None:
        dash = ' stroke-dasharray="4 3"' if dashed else ""
        self.parts.append(f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" '
                          f'stroke="{colour}" stroke-width="{num(width)}"{dash}/>')
        self._grow(max(x1, x2), max(y1, y2))

    def curve(self, x1: float, y1: float, x2: float, y2: float, colour: str = "#9e9e9e", *,
              width: float = 1.2, dashed: bool = False, tooltip: str = "", arrow: bool = True) -> None:
        """A vertical S-curve from (x1, y1) to (x2, y2), with an arrow head at the end."""
        mid = (y1 + y2) / 2
        dash = ' stroke-dasharray="4 3"' if dashed else ""
        path = (f'<path d="M{num(x1)},{num(y1)} C{num(x1)},{num(mid)} {num(x2)},{num(mid)} {num(x2)},{num(y2)}" '
                f'fill="none" stroke="{colour}" stroke-width="{num(width)}"{dash}')
        self.parts.append(self._with_tooltip(path, tooltip))
        if arrow:
            tip = 5 if y2 > y1 else -5
            self.parts.append(f'<path d="M{num(x2 - 4)},{num(y2 - tip)} L{num(x2)},{num(y2)} '
                              f'L{num(x2 + 4)},{num(y2 - tip)}" fill="none" stroke="{colour}" '
                              f'stroke-width="{num(width)}"/>')

    def circle(self, cx: float, cy: float, r: float, colours: tuple[str, str], *, tooltip: str = "") -> None:
        self.parts.append(self._with_tooltip(
            f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}" stroke="{colours[0]}" fill="{colours[1]}" '
            f'stroke-width="1.2"', tooltip))
        self._grow(cx + r, cy + r)

    def raw(self, markup: str) -> None:
        self.parts.append(markup)

    @staticmethod
    def _with_tooltip(opening: str, tooltip: str) -> str:
        if not tooltip:
            return opening + "/>"
        name = opening.split(" ", 1)[0][1:]
        return f"{opening}><title>{esc(tooltip)}</title></{name}>"

    def svg(self, margin: float = 8, css: str = "") -> str:
        w, h = self.width + margin, self.height + margin
        label = f' aria-label="{esc(self.title)}"' if self.title else ""
        klass = f' class="{esc(css)}"' if css else ""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(w)}" height="{num(h)}" '
                f'viewBox="0 0 {num(w)} {num(h)}" font-family="{FONT}" font-size="{FONT_SIZE}" role="img"'
                f"{label}{klass}>" + "".join(self.parts) + "</svg>")


def legend(canvas: Canvas, x: float, y: float, entries: list[tuple[str, tuple[str, str]]]) -> None:
    """A row of coloured swatches with their meaning."""
    for label, colours in entries:
        canvas.rect(x, y - 9, 12, 12, colours, radius=2)
        canvas.text(x + 16, y + 1, label, size=11, colour="#424242")
        x += 16 + text_width(label, 11) + 14
