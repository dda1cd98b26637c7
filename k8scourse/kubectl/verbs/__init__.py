"""kubectl's verbs, one module per group; importing this package registers them all in `command.VERBS`."""

from . import create, get, info, manifests  # noqa: F401
