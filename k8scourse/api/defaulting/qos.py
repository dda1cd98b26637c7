"""A Pod's QoS class, after pkg/apis/core/helper/qos/qos.go (ComputePodQOS, PodLevelResources off as in
v1.33's defaults).

Called by the Pod strategy on create (`status.qosClass`); usable by the kubelet and `kubectl describe`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

Obj = dict[str, Any]

QOS_RESOURCES = ("cpu", "memory")  # isSupportedQoSComputeResource


def _amount(value: Any) -> Fraction:
    from ..quantity import parse_quantity

    return Fraction(parse_quantity(value).value)


def _sum_positive(total: dict[str, Fraction], resources: dict[str, Any]) -> set[str]:
    """Adds the positive cpu/memory amounts of `resources` to `total`; returns the names found."""
    found = set()
    for name, value in (resources or {}).items():
        if name not in QOS_RESOURCES:
            continue
        amount = _amount(value)
        if amount > 0:
            found.add(name)
            total[name] = total.get(name, Fraction(0)) + amount
    return found


def pod_qos_class(pod: Obj) -> str:
    """`Guaranteed`, `Burstable` or `BestEffort`, from the requests and limits of every regular and init
    container."""
    spec = pod.get("spec") or {}
    requests: dict[str, Fraction] = {}
    limits: dict[str, Fraction] = {}
    guaranteed = True
    for container in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]:
        resources = container.get("resources") or {}
        _sum_positive(requests, resources.get("requests") or {})
        if not set(QOS_RESOURCES) <= _sum_positive(limits, resources.get("limits") or {}):
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and all(limits.get(name) == amount for name, amount in requests.items()) \
            and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"
