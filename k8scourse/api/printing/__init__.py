"""Server-side printing: the columns kube-apiserver prints for each kind and the Table objects it
returns to `kubectl get`, with kubectl's duration formatting.

Called by the simulated apiserver (Table responses) and by the kubectl layer (`k8scourse.kubectl.render`).
"""

from __future__ import annotations

from .columns import PRINTERS, Column, Printer
from .duration import human_duration, short_human_duration, since
from .pods import pod_status
from .table import TABLE_API_VERSION, build_table, printer_for, table_for_list

__all__ = [
    "PRINTERS", "TABLE_API_VERSION", "Column", "Printer", "build_table", "human_duration", "pod_status",
    "printer_for", "short_human_duration", "since", "table_for_list",
]
