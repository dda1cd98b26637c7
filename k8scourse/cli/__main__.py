"""`python -m k8scourse.cli`: the same as the `k8scourse` command."""

import sys

from . import main

sys.exit(main())
