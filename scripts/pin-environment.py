#!/usr/bin/env python3
"""Rewrite the Python packages of environment.yml from pyproject.toml, pinned to requirements/lock.txt.

Run by `make lock` after the lock is written, so conda users get the same versions as the venv.
Keeps everything above the `  # runtime` line (header, channels, python, system tools) as it is.
Standard library only: it runs before the venv has anything but pip and uv.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
ENVIRONMENT = ROOT / "environment.yml"
RUNTIME_HEADER = "  # runtime (pinned to requirements/lock.txt by `make lock`)"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(;[^\\]*)?")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    return re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement).group(1)


def main() -> int:
    locked: dict[str, set[str]] = {}
    for line in LOCK.read_text().splitlines():
        match = PIN.match(line)
        if match:
            locked.setdefault(canonical(match[1]), set()).add(match[2])

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    sections = {"runtime": project["dependencies"], "cluster": extras["cluster"], "tests": extras["test"]}

    lines = ENVIRONMENT.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  # runtime"))
    out = lines[:start]
    problems = []
    for section, requirements in sections.items():
        out.append(RUNTIME_HEADER if section == "runtime" else f"  # {section}")
        for name in sorted((requirement_name(r) for r in requirements), key=canonical):
            versions = sorted(locked.get(canonical(name), ()))
            if len(versions) != 1:
                problems.append(f"{name}: {LOCK.name} pins {versions or 'nothing'}, expected one version")
                continue
            out.append(f"  - {name.lower()}=={versions[0]}")
    out += ["  - pip:", "      - -e ."]
    if problems:
        print("environment.yml not updated:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    text = "\n".join(out) + "\n"
    if text != ENVIRONMENT.read_text():
        ENVIRONMENT.write_text(text)
        print("environment.yml re-pinned: commit it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
