"""pyproject.toml and environment.yml declare the same dependencies."""

from __future__ import annotations

import re
import tomllib

import yaml


def _split(requirement: str) -> tuple[str, str]:
    name, bound = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", requirement.strip()).groups()
    return name.lower(), bound.replace(" ", "")


def test_environment_yml_matches_pyproject(project_dir):
    project = tomllib.loads((project_dir / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + [r for group in project["optional-dependencies"].values() for r in group]
    python_deps = dict(_split(r) for r in declared)

    env = yaml.safe_load((project_dir / "environment.yml").read_text())
    conda_entries = [d for d in env["dependencies"] if isinstance(d, str)]
    conda = dict(_split(d) for d in conda_entries)

    assert "conda-forge" in env["channels"]
    assert conda.pop("python") == ">=3.11" and project["requires-python"] == ">=3.11"
    for tool in ("pip", "pandoc", "texlive-core"):
        conda.pop(tool)
    assert conda == python_deps
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-e ."]
