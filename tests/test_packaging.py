"""The project's packaging: environment.yml agrees with pyproject.toml; the console script exists."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# conda-forge names that differ from PyPI's
CONDA_NAMES = {"python-kubernetes": "kubernetes"}


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower(), match.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    return dict(_split(r) for r in wanted)


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    found: dict[str, str] = {}
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for item in items:
            if item.startswith("-e") or item in ("pip",):
                continue
            name, spec = _split(item)
            if name == "python":
                continue
            found[CONDA_NAMES.get(name, name)] = spec
    return found


def test_environment_yml_lists_exactly_the_pyproject_dependencies():
    assert _environment() == _pyproject()


def test_environment_yml_python_matches_requires_python():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python.replace("python", "") == project["requires-python"]


def test_console_script_answers_help():
    out = subprocess.run([sys.executable, "-m", "k8scourse.cli", "--help"], capture_output=True, text=True,
                         check=True)
    assert "lab" in out.stdout


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make lab" in readme
    assert ci.strip().splitlines()[-1] == "exec make test"


def test_lab_command_finds_jupyterlab():
    out = subprocess.run([sys.executable, "-m", "jupyter", "lab", "--version"], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip().split(".")[0] >= "4"


def test_lab_help_lists_its_options():
    out = subprocess.run([sys.executable, "-m", "k8scourse.cli", "lab", "--help"], capture_output=True, text=True,
                         check=True)
    assert "--no-browser" in out.stdout and "--port" in out.stdout
