"""A Pod's QoS class, after pkg/apis/core/helper/qos/qos.go (ComputePodQOS, PodLevelResources off as in
v1.33's defaults).

Called by the Pod strategy on create (`status.qosClass`); usable by the kubelet and `kubectl describe`.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

Obj = dict[str, Any]

QOS_RESOURCES = ("cpu", "memory")  # isSupportedQoSComputeResource


_SUFFIXES = {
    "": Fraction(1), "n": Fraction(1, 10**9), "u": Fraction(1, 10**6), "m": Fraction(1, 1000),
    "k": Fraction(10**3), "M": Fraction(10**6), "G": Fraction(10**9), "T": Fraction(10**12),
    "P": Fraction(10**15), "E": Fraction(10**18), "Ki": Fraction(2**10), "Mi": Fraction(2**20),
    "Gi": Fraction(2**30), "Ti": Fraction(2**40), "Pi": Fraction(2**50), "Ei": Fraction(2**60),
}
_QUANTITY = re.compile(r"^([+-]?[0-9.]+)([eE][-+]?[0-9]+|[a-zA-Z]*)$")


def _amount(value: Any) -> Fraction:
    """The exact amount of a quantity (already checked by decoding), through `k8scourse.api.quantity`
    when it is installed, else by the suffix table of resource/suffix.go."""
    try:
        from ..quantity import parse_quantity
    except ImportError:
        match = _QUANTITY.match(str(value).strip())
        if match is None:
            return Fraction(0)
        number, suffix = match.groups()
        if suffix[:1] in ("e", "E"):
            return Fraction(number) * Fraction(10) ** int(suffix[1:])
        return Fraction(number) * _SUFFIXES.get(suffix, Fraction(0))
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
