"""kubectl's verbs, one module per group; importing this package registers them all in `command.VERBS`."""

from . import change, create, describe, diff, events, explain, get, info, manifests, pods, rollout  # noqa: F401
