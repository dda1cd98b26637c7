"""The cluster view's picture: nodes holding their pods, and everything pointing at those pods, as SVG.

`cluster_svg(snapshot)` is a pure function of a `Snapshot` (the objects of one namespace), used by the
live cluster view and as its static fallback. Rows from top to bottom: workloads (Deployments,
StatefulSets, DaemonSets, ...), the ReplicaSets and Jobs they own, the nodes with their pods, then
Services and what pods consume (ConfigMaps, Secrets, PVCs), then Ingresses and PersistentVolumes.
Arrows point from an object to what it owns, serves or feeds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..api.printing.pods import summarize
from . import relations as rel
from .snapshot import Snapshot
from .svg import BAD, DONE, GONE, GOOD, NEUTRAL, WAITING, WARN, Canvas, legend, text_width

Obj = dict[str, Any]
Key = rel.Key

GAP = 16
ROW_GAP = 46
BOX_H = 36
CHIP_H = 36
NODE_HEAD = 40
PAD = 8

TOP_WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "CronJob", "ReplicationController", "ReplicaSet", "Job")
EDGE_COLOURS = {"owns": "#78909c", "serves": "#1e88e5", "routes": "#8e24aa", "mounts": "#00897b",
                "binds": "#6d4c41"}
LABELS = {"Deployment": "deployment", "StatefulSet": "statefulset", "DaemonSet": "daemonset", "CronJob": "cronjob",
          "ReplicationController": "replicationcontroller", "ReplicaSet": "replicaset", "Job": "job",
          "Service": "service", "Ingress": "ingress", "ConfigMap": "configmap", "Secret": "secret",
          "PersistentVolumeClaim": "pvc", "PersistentVolume": "pv"}
FAILING = ("Err", "BackOff", "Error", "OOMKilled", "Failed", "Evicted", "Unknown", "Invalid", "NodeLost")


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def centre(self) -> float:
        return self.x + self.w / 2


# --- what each object says about itself -------------------------------------------------------------------
def pod_look(pod: Obj) -> tuple[str, tuple[str, str], int]:
    """(status line, colours, restarts) for a pod, its STATUS as `kubectl get pods` prints it."""
    s = summarize(pod)
    line = f"{s.reason} {s.ready}/{s.total}"
    if s.reason == "Terminating":
        return line, GONE, s.restarts
    if any(word in s.reason for word in FAILING):
        return line, BAD, s.restarts
    if s.reason in ("Completed", "Succeeded"):
        return line, DONE, s.restarts
    if s.reason == "Running":
        return line, (GOOD if s.ready == s.total else WARN), s.restarts
    if s.reason == "NotReady":
        return line, WARN, s.restarts
    return line, WAITING, s.restarts


def _replicas(obj: Obj) -> str:
    status = obj.get("status") or {}
    wanted = (obj.get("spec") or {}).get("replicas", status.get("desiredNumberScheduled", 0))
    return f"{status.get('readyReplicas', status.get('numberReady', 0)) or 0}/{wanted} ready"


def _service_detail(svc: Obj) -> str:
    spec = svc.get("spec") or {}
    kind = spec.get("type", "ClusterIP")
    ports = ",".join(
        f"{p.get('nodePort')}→{p.get('port')}" if p.get("nodePort") else str(p.get("port"))
        for p in spec.get("ports") or [])
    if kind == "ExternalName":
        return f"ExternalName {spec.get('externalName', '')}"
    return f"{kind} {spec.get('clusterIP', '')} :{ports}"


def object_detail(obj: Obj) -> tuple[str, tuple[str, str]]:
    """The second line of an object's box, and its colours."""
    kind = obj.get("kind", "")
    status = obj.get("status") or {}
    if kind in ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "DaemonSet"):
        detail = _replicas(obj)
        ready, _, rest = detail.partition("/")
        wanted = rest.split()[0]
        if wanted == "0":
            return detail, GONE
        return detail, (GOOD if ready == wanted else WAITING)
    if kind == "Service":
        return _service_detail(obj), NEUTRAL
    if kind == "Job":
        succeeded = status.get("succeeded", 0)
        return f"{succeeded}/{(obj.get('spec') or {}).get('completions', 1)} complete", (
            DONE if status.get("completionTime") else WAITING)
    if kind in ("PersistentVolumeClaim", "PersistentVolume"):
        phase = status.get("phase", "Pending")
        size = ((obj.get("spec") or {}).get("capacity") or status.get("capacity") or {}).get("storage", "")
        return f"{phase} {size}".strip(), (GOOD if phase == "Bound" else WAITING)
    if kind == "Ingress":
        hosts = [r.get("host", "*") for r in (obj.get("spec") or {}).get("rules") or []]
        return ",".join(hosts) or "*", NEUTRAL
    if kind in ("ConfigMap", "Secret"):
        count = len(obj.get("data") or {}) + len(obj.get("binaryData") or obj.get("stringData") or {})
        return f"{count} key{'s' if count != 1 else ''}", NEUTRAL
    if kind == "CronJob":
        return (obj.get("spec") or {}).get("schedule", ""), NEUTRAL
    return "", NEUTRAL


# --- layout ---------------------------------------------------------------------------------------------
def _place_row(items: list[tuple[Key, float | None, float]], y: float, h: float) -> dict[Key, Box]:
    """Place boxes (key, wanted centre or None, width) left to right near their wanted centres, never
    overlapping; boxes that want no place in particular come last."""
    boxes: dict[Key, Box] = {}
    right = PAD - GAP
    for k, centre, w in sorted(items, key=lambda i: (i[1] is None, i[1] or 0, i[0])):
        x = right + GAP if centre is None else max(centre - w / 2, right + GAP)
        boxes[k] = Box(x, y, w, h)
        right = x + w
    return boxes


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _box_width(kind: str, name: str, detail: str) -> float:
    return max(text_width(f"{LABELS.get(kind, kind.lower())}/{name}"), text_width(detail, 11)) + 2 * PAD


class _Layout:
    """Positions of every box, computed row by row so that arrows run as straight as they can."""

    def __init__(self, snap: Snapshot):
        self.snap = snap
        self.boxes: dict[Key, Box] = {}
        self.objects: dict[Key, Obj] = {}
        self.links: list[rel.Link] = []
        self.node_boxes: dict[str, Box] = {}

    def row(self, objs: list[Obj], y: float, wanted: Any) -> float:
        """Place one row of object boxes at `y`; returns the y below it (unchanged when the row is empty)."""
        if not objs:
            return y
        items = []
        for obj in objs:
            k = rel.key(obj)
            self.objects[k] = obj
            detail, _ = object_detail(obj)
            items.append((k, wanted(k), _box_width(k[0], k[1], detail)))
        self.boxes.update(_place_row(items, y, BOX_H))
        return y + BOX_H + ROW_GAP


def _pods_by_node(snap: Snapshot) -> dict[str, list[Obj]]:
    nodes = {n["metadata"]["name"]: [] for n in snap.of("nodes")}
    for pod in snap.of("pods"):
        node = (pod.get("spec") or {}).get("nodeName") or ""
        nodes.setdefault(node, []).append(pod)
    return nodes


def _owner_order(pod: Obj) -> tuple[str, str]:
    owner = rel.controller_of(pod)
    return (owner[1] if owner else "~", pod["metadata"]["name"])


def _layout_nodes(lay: _Layout, y: float) -> float:
    pods_by_node = _pods_by_node(lay.snap)
    pods = lay.snap.of("pods")
    chip_w = max([text_width(p["metadata"]["name"]) for p in pods] + [text_width(pod_look(p)[0], 11) for p in pods]
                 + [120]) + 2 * PAD
    most = max([len(p) for p in pods_by_node.values()] + [1])
    columns = max(1, min(most, int(1000 / max(1, len(pods_by_node)) // (chip_w + PAD)) or 1))
    x, bottom = PAD, y
    for node, pods in pods_by_node.items():
        if node == "" and not pods:
            continue
        rows = math.ceil(len(pods) / columns) if pods else 0
        head = text_width(node or "not scheduled", 13) + 2 * PAD
        w = max(columns * (chip_w + PAD) + PAD, head, 180)
        h = NODE_HEAD + rows * (CHIP_H + PAD) + PAD
        lay.node_boxes[node] = Box(x, y, w, h)
        for i, pod in enumerate(sorted(pods, key=_owner_order)):
            k = rel.key(pod, "Pod")
            lay.objects[k] = pod
            col, line = i % columns, i // columns
            lay.boxes[k] = Box(x + PAD + col * (chip_w + PAD), y + NODE_HEAD + line * (CHIP_H + PAD), chip_w, CHIP_H)
        x += w + GAP
        bottom = max(bottom, y + h)
    return bottom + ROW_GAP


def layout(snap: Snapshot) -> _Layout:
    lay = _Layout(snap)
    pods = snap.of("pods")
    workloads = [o for r in ("deployments", "statefulsets", "daemonsets", "cronjobs", "replicationcontrollers",
                             "replicasets", "jobs") for o in snap.of(r)]
    lay.links += rel.ownership(workloads + pods)
    lay.links += rel.service_backends(snap.of("services"), snap.of("endpointslices"), snap.of("endpoints"))
    lay.links += rel.ingress_backends(snap.of("ingresses"))
    lay.links += rel.consumers(pods)
    lay.links += rel.claims(snap.of("persistentvolumeclaims"))
    present = {rel.key(o) for o in workloads}
    owned = {rel.key(o) for o in workloads if rel.controller_of(o) in present}
    top = [o for o in workloads if rel.key(o) not in owned]
    middle = [o for o in workloads if rel.key(o) in owned]

    y = 34.0
    # the nodes are placed first (their pods fix where everything else wants to be), then moved down
    node_top = y + (BOX_H + ROW_GAP) * (bool(top) + bool(middle))
    below = _layout_nodes(lay, node_top)

    def downstream(k: Key) -> float | None:
        """Where a box wants to be: above (or below) the middle of what it points at."""
        return _mean([lay.boxes[link.target].centre for link in lay.links
                      if link.source == k and link.target in lay.boxes])

    lay.row(middle, y + (BOX_H + ROW_GAP) * bool(top), downstream)
    lay.row(top, y, downstream)
    used = {ref for link in lay.links if link.kind == "mounts" for ref in [link.source]}
    feeds = [o for r in ("configmaps", "secrets") for o in snap.of(r)
             if rel.key(o) in used or o["metadata"]["name"] != "kube-root-ca.crt"]
    feeds += snap.of("persistentvolumeclaims")
    shown = {rel.key(o) for o in feeds}
    missing = sorted({link.source for link in lay.links if link.kind == "mounts" and link.source not in shown})
    placeholders = [{"kind": k, "metadata": {"name": n}, "missing": True} for k, n in missing]
    after_services = lay.row(snap.of("services") + feeds + placeholders, below, downstream)
    claimed = {link.source for link in lay.links if link.kind == "binds"}
    volumes = [pv for pv in snap.of("persistentvolumes") if rel.key(pv) in claimed
               or (pv.get("status") or {}).get("phase") == "Available"]
    lay.row(snap.of("ingresses") + volumes, after_services, downstream)
    return lay


# --- drawing --------------------------------------------------------------------------------------------
def _draw_links(canvas: Canvas, lay: _Layout) -> None:
    for link in lay.links:
        source, target = lay.boxes.get(link.source), lay.boxes.get(link.target)
        if source is None or target is None:
            continue
        colour = EDGE_COLOURS[link.kind]
        tip = f"{link.source[0]} {link.source[1]} {link.kind} {link.target[0]} {link.target[1]}"
        if source.y < target.y:
            canvas.curve(source.centre, source.y + source.h, target.centre, target.y - 1, colour,
                         dashed=not link.ok, tooltip=tip)
        else:
            canvas.curve(source.centre, source.y, target.centre, target.y + target.h + 1, colour,
                         dashed=not link.ok, tooltip=tip)


def _draw_object(canvas: Canvas, k: Key, obj: Obj, box: Box) -> None:
    if obj.get("missing"):
        detail, colours = "missing", BAD
    else:
        detail, colours = object_detail(obj)
    title = f"{LABELS.get(k[0], k[0].lower())}/{k[1]}"
    canvas.rect(box.x, box.y, box.w, box.h, colours, dashed=bool(obj.get("missing")), css=f"k8s-{k[0].lower()}",
                tooltip=f"{k[0]} {k[1]}")
    canvas.text(box.x + PAD, box.y + 15, title, bold=True)
    canvas.text(box.x + PAD, box.y + 29, detail, size=11, colour="#424242")


def _draw_pod(canvas: Canvas, pod: Obj, box: Box) -> None:
    line, colours, restarts = pod_look(pod)
    name = pod["metadata"]["name"]
    dashed = colours is GONE
    canvas.rect(box.x, box.y, box.w, box.h, colours, dashed=dashed, css="k8s-pod",
                tooltip=f"Pod {name}: {line}, {restarts} restarts, IP {(pod.get('status') or {}).get('podIP', '-')}")
    canvas.text(box.x + PAD, box.y + 15, name, css="k8s-pod-name")
    canvas.text(box.x + PAD, box.y + 29, line, size=11, colour=colours[0], css="k8s-pod-status")
    if restarts:
        canvas.circle(box.x + box.w - 4, box.y + 4, 9, WARN, tooltip=f"{restarts} restarts")
        canvas.text(box.x + box.w - 4, box.y + 8, str(restarts), size=10, anchor="middle", bold=True)


def _node_look(node: Obj | None) -> tuple[str, tuple[str, str]]:
    if node is None:
        return "pods no node was found for yet", WAITING
    conditions = {c.get("type"): c.get("status") for c in (node.get("status") or {}).get("conditions") or []}
    ready = conditions.get("Ready") == "True"
    words = ["Ready" if ready else "NotReady"]
    if (node.get("spec") or {}).get("unschedulable"):
        words.append("SchedulingDisabled")
    address = next((a.get("address") for a in (node.get("status") or {}).get("addresses") or []
                    if a.get("type") == "InternalIP"), "")
    return ",".join(words) + (f"  {address}" if address else ""), (NEUTRAL if ready else BAD)


def _draw_nodes(canvas: Canvas, lay: _Layout) -> None:
    nodes = {n["metadata"]["name"]: n for n in lay.snap.of("nodes")}
    for name, box in lay.node_boxes.items():
        detail, colours = _node_look(nodes.get(name))
        fill = ("#fafafa" if colours is NEUTRAL else colours[1])
        canvas.rect(box.x, box.y, box.w, box.h, (colours[0], fill), radius=6, stroke_width=1.6,
                    dashed=not name, css="k8s-node", tooltip=f"Node {name}" if name else "Not scheduled")
        canvas.text(box.x + PAD, box.y + 16, f"node {name}" if name else "not scheduled", size=13, bold=True)
        hidden = lay.snap.hidden_pods.get(name, 0)
        extra = f"  +{hidden} pod{'s' if hidden != 1 else ''} in other namespaces" if hidden else ""
        canvas.text(box.x + PAD, box.y + 31, detail + extra, size=11, colour="#616161")


POD_LEGEND = [("running, ready", GOOD), ("running, not ready", WARN), ("starting / pending", WAITING),
              ("failing", BAD), ("completed", DONE), ("terminating", GONE)]


def cluster_svg(snap: Snapshot) -> str:
    """The picture of `snap` as an SVG document (a string), the same text for the same objects."""
    lay = layout(snap)
    canvas = Canvas(title=f"Cluster view of namespace {snap.namespace}")
    when = snap.time.replace("T", " ").rstrip("Z")
    canvas.text(PAD, 16, f"namespace {snap.namespace}" + (f"   ·   cluster time {when}" if when else ""),
                size=12, colour="#424242", bold=True)
    _draw_nodes(canvas, lay)
    _draw_links(canvas, lay)
    for k, box in lay.boxes.items():
        obj = lay.objects[k]
        if k[0] == "Pod":
            _draw_pod(canvas, obj, box)
        else:
            _draw_object(canvas, k, obj, box)
    legend(canvas, PAD, canvas.height + 22, POD_LEGEND)
    return canvas.svg()


def cluster_html(snap: Snapshot) -> str:
    """`cluster_svg` in a scrolling block: what notebooks show without a kernel (GitHub, nbviewer)."""
    return f'<div class="k8scourse-cluster" style="overflow-x:auto;max-width:100%">{cluster_svg(snap)}</div>'
