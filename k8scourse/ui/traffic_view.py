"""The traffic view: send N requests to a URL through the cluster and see which pods answered.

`traffic("http://192.168.49.2:30080/", n=20)` in a notebook. Requests go through `Cluster.request` (DNS,
NodePort or Ingress, the Service's kube-proxy rules, a ready pod); the view counts the answers per pod
and draws a bar for each, failed requests (connection errors, 5xx) in red, and shows the path the last
request took.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets

from ..api.errors import K8sError
from ..cluster import current
from . import live
from .svg import BAD, GOOD, Canvas, esc, text_width
from .view import View, html_box

BAR_HEIGHT = 18
BAR_SCALE = 320  # px for the bar of the pod that answered most


@dataclass
class Tally:
    """Who answered the requests: served pod (or failure) → count, and the last response."""

    url: str
    counts: Counter = field(default_factory=Counter)
    last: Any = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def answered_by(response: Any) -> str:
    """The row a response counts in: the pod that served it, else what went wrong."""
    if getattr(response, "status", 0) == 0:
        return f"failed: {getattr(response, 'error', '') or 'no answer'}"
    served = getattr(response, "served_by", "")
    if served and 200 <= response.status < 500:
        return served
    return f"HTTP {response.status}" + (f" from {served}" if served else "")


def send(cluster: Any, url: str, n: int, source: Any = None) -> Tally:
    """Send `n` GET requests to `url` through `cluster`, counting who answered."""
    tally = Tally(url)
    for _ in range(n):
        tally.last = cluster.request(url, source=source)
        tally.counts[answered_by(tally.last)] += 1
    return tally


def traffic_svg(tally: Tally) -> str:
    """A bar per pod (and per kind of failure), longest first, with counts and shares."""
    canvas = Canvas(title=f"Requests to {tally.url}")
    canvas.text(8, 16, f"{tally.total} requests to {tally.url}", bold=True, colour="#424242")
    rows = sorted(tally.counts.items(), key=lambda item: (-item[1], item[0]))
    label_w = max([text_width(label) for label, _ in rows] + [80]) + 16
    most = max([count for _, count in rows] + [1])
    y = 30.0
    for label, count in rows:
        colours = BAD if label.startswith(("failed", "HTTP")) else GOOD
        width = max(count / most * BAR_SCALE, 2)
        canvas.text(8, y + 13, label, tooltip=label)
        canvas.rect(8 + label_w, y, width, BAR_HEIGHT, colours, radius=2, tooltip=f"{label}: {count}")
        canvas.text(8 + label_w + width + 6, y + 13, f"{count} ({count * 100 // max(tally.total, 1)}%)", size=11)
        y += BAR_HEIGHT + 6
    return canvas.svg()


class TrafficView(View):
    """A URL, a number of requests and a Send button; bars of who answered, and the last request's path."""

    def __init__(self, url: str = "", n: int = 20, cluster: Any = None, *, source: Any = None, send_now: bool = True):
        self.cluster = cluster or current()
        self.source = source
        self.url = widgets.Text(value=url, description="URL", layout=widgets.Layout(width="60%"))
        self.count = widgets.BoundedIntText(value=n, min=1, max=10_000, description="requests",
                                            layout=widgets.Layout(width="180px"))
        self.button = widgets.Button(description="Send", button_style="primary", icon="paper-plane")
        self.button.add_class("k8scourse-send")
        self.button.on_click(lambda _: self.send())
        self.picture = html_box()
        self.tally: Tally | None = None
        super().__init__([widgets.HBox([self.url, self.count, self.button]), self.picture])
        if send_now and url:
            self.send()

    def send(self) -> Tally | None:
        """Send the requests and redraw; a URL the cluster cannot take shows its error."""
        try:
            self.tally = send(self.cluster, self.url.value, self.count.value, self.source)
        except K8sError as exc:
            self.tally = None
            self.picture.value = f'<pre style="color:#b71c1c">{esc(exc.kubectl_message())}</pre>'
            return None
        last = self.tally.last
        path = getattr(last, "path", "")
        self.picture.value = (f'<div style="overflow-x:auto">{traffic_svg(self.tally)}</div>'
                              + (f"<p>last request: <code>{esc(path)}</code></p>" if path else ""))
        live.changed(self.cluster)
        return self.tally

    def static_html(self) -> str:
        return self.picture.value

    def summary(self) -> str:
        if self.tally is None:
            return "<TrafficView>"
        shares = ", ".join(f"{label}: {count}" for label, count in sorted(self.tally.counts.items()))
        return f"<TrafficView {self.tally.total} requests to {self.tally.url}: {shares}>"


def traffic(url: str, n: int = 20, cluster: Any = None, *, source: Any = None) -> TrafficView:
    """Send `n` requests to `url` through `cluster` (default: the current one) and show which pods answered.
    `source` sends them from a pod (its name, or `(namespace, name)`) instead of from your machine."""
    return TrafficView(url, n, cluster, source=source)
