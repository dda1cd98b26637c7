"""Fixtures for the notebook layer: an IPython shell with the magics loaded, and a Deployment manifest."""

from __future__ import annotations

import pytest
from IPython import get_ipython
from IPython.testing.globalipapp import start_ipython

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
"""


@pytest.fixture
def web_yaml() -> str:
    return WEB


@pytest.fixture(scope="session")
def ip():
    """The test IPython shell (one per process: IPython allows a single global instance)."""
    shell = start_ipython() or get_ipython()
    shell.run_line_magic("load_ext", "k8scourse")
    return shell
