"""The `k8scourse` command line: one sub-command per module of this package.

Installed as a console script by pyproject.toml (`k8scourse = "k8scourse.cli:main"`). Each sub-command
module (`lab`, `serve`, `doctor`, `grade`) offers `add_parser(subparsers)`, which registers its arguments
and sets `func`, the function that runs it and returns the exit status.
"""

from __future__ import annotations

import argparse
import importlib
import sys

SUBCOMMANDS = ("lab", "serve", "doctor", "grade")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="k8scourse", description="A hands-on Kubernetes course in Jupyter.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise
            continue
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
