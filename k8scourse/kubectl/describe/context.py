"""What a describer needs besides the object: the backend to look related objects up, the cluster's
clock for ages, and a few lookups several describers share (pods a controller owns, pods by selector).

Used by every describer module of `k8scourse.kubectl.describe`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...api.backend import Backend
from ...api.errors import K8sError

Obj = dict[str, Any]


@dataclass
class Context:
    backend: Backend
    now: datetime

    def list(self, resource: str, namespace: str | None, label_selector: str = "", field_selector: str = "") -> list[Obj]:
        """Items of a resource type; an empty list when the type or namespace cannot be listed."""
        try:
            rt = self.backend.registry.resolve(resource)
            listed = self.backend.list(rt, namespace if rt.namespaced else None, label_selector, field_selector)
        except K8sError:  # a type or namespace the cluster does not serve: nothing to show
            return []
        return list(listed.get("items") or [])

    def get(self, resource: str, name: str, namespace: str | None) -> Obj | None:
        try:
            rt = self.backend.registry.resolve(resource)
            return self.backend.get(rt, name, namespace if rt.namespaced else None)
        except K8sError:
            return None

    def pod_phases(self, namespace: str, selector: str, owner_uid: str) -> tuple[int, int, int, int]:
        """getPodStatusForController: running, waiting (Pending), succeeded and failed pods the owner controls."""
        counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
        for pod in self.list("pods", namespace, selector):
            refs = (pod.get("metadata") or {}).get("ownerReferences") or []
            controller = next((r for r in refs if r.get("controller") is True), None)
            if controller is None or controller.get("uid") != owner_uid:
                continue
            phase = (pod.get("status") or {}).get("phase", "")
            if phase in counts:
                counts[phase] += 1
        return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]
