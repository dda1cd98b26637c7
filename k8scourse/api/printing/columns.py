"""Column definitions and the helpers every kind's row function shares, as the apiserver's printers
define them (pkg/printers/internalversion/printers.go, AddHandlers).

Called by the per-group modules of this package (`core`, `workloads`, `network`, `storage`), which
register one `Printer` per kind, and by `table.py`, which looks printers up and builds Table objects.
Row functions receive the object and the cluster's `now`, and return every cell the server computes
(the apiserver prints with `Wide: true`; kubectl drops priority > 0 columns unless `-o wide`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from ..quantity import QuantityError, parse_quantity
from ..selectors import SelectorError, format_labels, selector_from_dict
from .duration import since

Obj = Mapping[str, Any]
Cell = str | int | bool | None
RowFunction = Callable[[Obj, datetime], list[Cell]]

_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"


@dataclass(frozen=True)
class Doc:
    """A column description taken, as Go's SwaggerDoc() takes it, from a field's API documentation."""

    definition: str  # `core.v1.PodStatus`, `meta.v1.ObjectMeta`
    field: str

    def text(self) -> str:
        return _field_description(self.definition, self.field)


@lru_cache(maxsize=256)
def _field_description(definition: str, field: str) -> str:
    from ..openapi import definitions

    prefix = "io.k8s.apimachinery.pkg.apis." if definition.startswith("meta.") else "io.k8s.api."
    schema = definitions().get(prefix + definition, {})
    return str(schema.get("properties", {}).get(field, {}).get("description", ""))


@dataclass(frozen=True)
class Column:
    """metav1.TableColumnDefinition: the header name, its type and format, and its priority
    (0 is always shown, 1 only with `-o wide`)."""

    name: str
    type: str = "string"
    description: str | Doc = ""
    format: str = ""
    priority: int = 0

    def to_json(self) -> dict[str, Any]:
        text = self.description.text() if isinstance(self.description, Doc) else self.description
        return {"name": self.name, "type": self.type, "format": self.format, "description": text,
                "priority": self.priority}


@dataclass(frozen=True)
class Printer:
    """The columns of one kind and the function computing a row's cells."""

    columns: tuple[Column, ...]
    row: RowFunction


PRINTERS: dict[tuple[str, str], Printer] = {}


def register(group: str, kinds: str | tuple[str, ...], columns: tuple[Column, ...]) -> Callable[[RowFunction], RowFunction]:
    """Decorator: `@register("apps", "Deployment", DEPLOYMENT_COLUMNS)` over the row function."""
    names = (kinds,) if isinstance(kinds, str) else kinds

    def wrap(fn: RowFunction) -> RowFunction:
        for kind in names:
            PRINTERS[(group, kind)] = Printer(columns, fn)
        return fn

    return wrap


# --- the columns most kinds share -----------------------------------------------------------------

NAME = Column("Name", format="name", description=Doc("meta.v1.ObjectMeta", "name"))
AGE = Column("Age", description=Doc("meta.v1.ObjectMeta", "creationTimestamp"))
CONTAINERS = Column("Containers", priority=1, description="Names of each container in the template.")
IMAGES = Column("Images", priority=1, description="Images referenced by each container in the template.")


def selector_column(definition: str) -> Column:
    return Column("Selector", priority=1, description=Doc(definition, "selector"))


# --- helpers the row functions share ----------------------------------------------------------------

def field(obj: Any, *path: str | int, default: Any = None) -> Any:
    """obj[path[0]][path[1]]…, or `default` where something along the way is missing or null."""
    current = obj
    for key in path:
        if isinstance(key, int):
            if not isinstance(current, list) or not -len(current) <= key < len(current):
                return default
            current = current[key]
        elif isinstance(current, Mapping):
            current = current.get(key)
        else:
            return default
        if current is None:
            return default
    return current


def name(obj: Obj) -> str:
    return str(field(obj, "metadata", "name", default=""))


def age(obj: Obj, now: datetime) -> str:
    """translateTimestampSince(obj.CreationTimestamp)."""
    return since(field(obj, "metadata", "creationTimestamp"), now)


def integer(value: Any) -> int:
    """An int32/int64 field as the printers read it: absent is Go's zero value."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def layout_containers(containers: list[Obj] | None) -> tuple[str, str]:
    """layoutContainerCells: container names and images, each comma-joined."""
    containers = containers or []
    return (",".join(str(c.get("name", "")) for c in containers),
            ",".join(str(c.get("image", "")) for c in containers))


def template_containers(obj: Obj, *template_path: str) -> tuple[str, str]:
    return layout_containers(field(obj, *template_path, "spec", "containers", default=[]))


def selector_string(selector: Obj | None, invalid: str = "<error>") -> str:
    """LabelSelectorAsSelector(sel).String(): `app=web`; `invalid` when it does not convert."""
    try:
        return str(selector_from_dict(selector))
    except SelectorError:
        return invalid


def format_label_selector(selector: Obj | None) -> str:
    """metav1.FormatLabelSelector: the selector's string, `<none>` when empty, `<error>` when invalid."""
    text = selector_string(selector)
    return text or "<none>"


def labels_string(labels: Mapping[str, str] | None) -> str:
    """labels.FormatLabels."""
    return format_labels(labels)


def quantity_string(value: Any, missing: str = "0") -> str:
    """resource.Quantity.String(); a missing quantity is Go's zero Quantity (`0`), a nil pointer `<nil>`."""
    if value is None:
        return missing
    try:
        return str(parse_quantity(value))
    except QuantityError:
        return str(value)


def bool_ptr(value: Any) -> str:
    """printBoolPtr: `True`/`False`, `<unset>` for a nil pointer."""
    if value is None:
        return "<unset>"
    return "True" if value else "False"


def list_with_more(items: list[str], count: int, limit: int, empty: str = "<unset>") -> str:
    """listWithMoreString: the first `limit` items, then ` + N more...`."""
    text = ",".join(items[:limit])
    if count > limit:
        return f"{text} + {count - limit} more..."
    return text or empty


def controller_of(obj: Obj) -> Obj | None:
    """metav1.GetControllerOf: the owner reference marked controller."""
    for ref in field(obj, "metadata", "ownerReferences", default=[]):
        if ref.get("controller") is True:
            return ref
    return None


def group_kind_name(api_version: str, kind: str, obj_name: str) -> str:
    """formatResourceName(gvk.GroupKind(), name, true): `statefulset.apps/web`, `pod/web-0`."""
    group = api_version.rpartition("/")[0] if "/" in api_version else ""
    gk = f"{kind}.{group}" if group else kind
    return f"{gk.lower()}/{obj_name}" if gk else obj_name
