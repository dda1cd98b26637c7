"""kubectl's verbs, one module per group; importing this package registers them all in `command.VERBS`."""

from . import create, diff, explain, get, info, manifests, pods  # noqa: F401
