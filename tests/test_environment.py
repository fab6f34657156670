"""environment.yml gives conda users the same Python packages, at the same pins, as requirements/lock.txt."""
from __future__ import annotations

import re

import yaml
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version
from test_lock import FIX, LOCK, declared_requirements, read_lock

SYSTEM_TOOLS = ("pip", "pandoc", "texlive-core")


def _conda_entries(project_dir) -> tuple[dict, dict[str, str]]:
    env = yaml.safe_load((project_dir / "environment.yml").read_text())
    entries = {}
    for entry in env["dependencies"]:
        if isinstance(entry, str):
            name, spec = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", entry.strip()).groups()
            entries[name] = spec.replace(" ", "")
    return env, entries


def test_environment_yml_matches_pyproject(project_dir):
    import tomllib

    project = tomllib.loads((project_dir / "pyproject.toml").read_text())["project"]
    env, conda = _conda_entries(project_dir)

    assert env["channels"] == ["conda-forge"]
    # the Python the lock is resolved and tested for (Makefile LOCK_PYTHON, CI's setup-python)
    assert conda.pop("python") == "=3.11"
    assert SpecifierSet(project["requires-python"]).contains("3.11")
    for tool in SYSTEM_TOOLS:
        conda.pop(tool)

    declared = {canonicalize_name(r.name): r for r in declared_requirements(project_dir)}
    assert {canonicalize_name(n) for n in conda} == set(declared), (
        f"environment.yml and pyproject.toml must list the same Python packages; {FIX}"
    )
    for name, spec in conda.items():
        requirement = declared[canonicalize_name(name)]
        assert spec.startswith("==") and not spec.startswith("==="), f"environment.yml: pin {name} with ==, as in {LOCK}"
        assert requirement.specifier.contains(Version(spec[2:]), prereleases=True), f"environment.yml: {name}{spec} breaks pyproject's {requirement}"

    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-e ."]


def test_environment_yml_pins_are_the_lock_pins(project_dir):
    locked: dict[str, set[Version]] = {}
    for pin in read_lock(project_dir):
        locked.setdefault(pin.name, set()).add(pin.version)
    _, conda = _conda_entries(project_dir)
    wrong = []
    for name, spec in conda.items():
        if name in ("python", *SYSTEM_TOOLS):
            continue
        versions = locked.get(canonicalize_name(name), set())
        if not spec.startswith("==") or Version(spec[2:]) not in versions:
            wrong.append(f"environment.yml has {name}{spec}, {LOCK} pins {name}=={' or '.join(map(str, sorted(versions))) or '(nothing)'}")
    assert not wrong, "\n".join(wrong) + f"\n{FIX}; `make lock` also re-pins environment.yml"
