"""`k8scourse lab`: opens the course in JupyterLab on the simulated cluster.

Registered by `k8scourse.cli`; `make lab` runs it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path


def _course_root() -> Path:
    """The folder holding `notebooks/` (the repository checkout, or the current directory)."""
    here = Path(__file__).resolve().parent.parent.parent
    return here if (here / "notebooks").is_dir() else Path.cwd()


def cmd_lab(args: argparse.Namespace) -> int:
    root = _course_root()
    env = dict(os.environ)
    env.setdefault("K8SCOURSE_CLUSTER", "simulated")
    command = [sys.executable, "-m", "jupyter", "lab", f"--notebook-dir={root}"]
    if args.no_browser:
        command.append("--no-browser")
    if args.port:
        command.append(f"--port={args.port}")
    start = root / "notebooks"
    if start.is_dir() and any(start.glob("*.ipynb")):
        first = sorted(start.glob("*.ipynb"))[0]
        command.append(str(first.relative_to(root)))
    return subprocess.call(command, cwd=root, env=env)


def add_parser(sub: argparse._SubParsersAction) -> None:
    lab = sub.add_parser("lab", help="open the course in JupyterLab (on the simulated cluster)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    lab.add_argument("--port", type=int, default=0, help="port for JupyterLab (default: its own choice)")
    lab.set_defaults(func=cmd_lab)
