"""Server-side table printing: `meta.k8s.io/v1` Table objects for a list (or one object) of any kind,
as kube-apiserver returns them to `kubectl get` (Accept: application/json;as=Table;g=meta.k8s.io;v=v1).

Called by the simulated apiserver when a client asks for a Table, and by the kubectl layer, which renders
Tables from either backend with `k8scourse.kubectl.render`. Every cell is computed as the server computes
it (`Wide: true`): the client hides priority > 0 columns unless `-o wide`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from . import core, network, storage, workloads  # noqa: F401  (each registers its printers)
from .columns import NAME, PRINTERS, Cell, Column, Doc, Obj, Printer, field
from .pods import row_conditions

TABLE_API_VERSION = "meta.k8s.io/v1"
INCLUDE_OBJECT = ("None", "Metadata", "Object")

# rest.NewDefaultTableConvertor: kinds without a printer show their name and creation time as RFC 3339.
DEFAULT_COLUMNS = (NAME, Column("Created At", type="date", description=Doc("meta.v1.ObjectMeta", "creationTimestamp")))


def _default_row(obj: Obj, now: datetime) -> list[Cell]:
    return [str(field(obj, "metadata", "name", default="")),
            _rfc3339(field(obj, "metadata", "creationTimestamp"))]


def _rfc3339(stamp: str | None) -> str:
    """A creation time as Go formats a zero or set metav1.Time with time.RFC3339."""
    if not stamp:
        return "0001-01-01T00:00:00Z"
    from .duration import parse_time

    return parse_time(stamp).strftime("%Y-%m-%dT%H:%M:%SZ")


DEFAULT_PRINTER = Printer(DEFAULT_COLUMNS, _default_row)


def printer_for(group: str, kind: str) -> Printer:
    """The printer of a kind, or the default convertor's (NAME, CREATED AT)."""
    return PRINTERS.get((group, kind), DEFAULT_PRINTER)


def partial_object_metadata(obj: Obj) -> dict[str, Any]:
    """The row object for includeObject=Metadata (the default): the object's metadata only."""
    return {"kind": "PartialObjectMetadata", "apiVersion": TABLE_API_VERSION, "metadata": obj.get("metadata") or {}}


def _row(printer: Printer, obj: Obj, now: datetime, group: str, kind: str, include_object: str) -> dict[str, Any]:
    row: dict[str, Any] = {"cells": printer.row(obj, now)}
    if (group, kind) == ("", "Pod") and (conditions := row_conditions(obj)):
        row["conditions"] = conditions
    if include_object == "Metadata":
        row["object"] = partial_object_metadata(obj)
    elif include_object == "Object":
        row["object"] = obj
    return row


def build_table(group: str, kind: str, objects: Iterable[Obj], now: datetime, *,
                resource_version: str = "", continue_token: str = "", remaining: int | None = None,
                include_object: str = "Metadata", no_headers: bool = False) -> dict[str, Any]:
    """The Table the apiserver returns for these objects of one kind (a list, or a single object)."""
    if include_object not in INCLUDE_OBJECT:
        raise ValueError(f"includeObject must be one of {', '.join(INCLUDE_OBJECT)}")
    printer = printer_for(group, kind)
    metadata: dict[str, Any] = {"resourceVersion": resource_version}
    if continue_token:
        metadata["continue"] = continue_token
    if remaining is not None:
        metadata["remainingItemCount"] = remaining
    return {
        "kind": "Table",
        "apiVersion": TABLE_API_VERSION,
        "metadata": metadata,
        "columnDefinitions": None if no_headers else [c.to_json() for c in printer.columns],
        "rows": [_row(printer, obj, now, group, kind, include_object) for obj in objects],
    }


def table_for_list(group: str, kind: str, listing: Obj, now: datetime, **options: Any) -> dict[str, Any]:
    """A Table for a List response (`items` plus list metadata)."""
    meta = listing.get("metadata") or {}
    return build_table(group, kind, listing.get("items") or [], now,
                       resource_version=str(meta.get("resourceVersion", "")),
                       continue_token=str(meta.get("continue", "")),
                       remaining=meta.get("remainingItemCount"), **options)
