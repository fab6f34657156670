"""requirements/lock.txt pins what pyproject.toml declares, and the venv holds exactly those pins.

After changing a dependency in pyproject.toml, run `make lock` (then `make setup-test`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

LOCK = Path("requirements") / "lock.txt"
FIX = "run `make lock` to re-pin requirements/lock.txt from pyproject.toml"

_PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)\s*(?:;\s*(?P<marker>[^\\]+?))?\s*\\?$"
)


@dataclass(frozen=True)
class Pin:
    name: str  # canonical
    version: Version
    marker: Marker | None
    hashed: bool
    direct: bool  # "# via lunar-report (pyproject.toml)"

    def applies(self) -> bool:
        return self.marker is None or self.marker.evaluate()


def read_lock(project_dir: Path) -> list[Pin]:
    """Every `name==version ; marker` entry of the lock, with its hashes and `# via` annotation."""
    pins: list[Pin] = []
    current: dict | None = None

    def flush():
        if current is not None:
            pins.append(Pin(**current))

    for line in (project_dir / LOCK).read_text().splitlines():
        match = _PIN.match(line)
        if match:
            flush()
            marker = match["marker"]
            current = dict(
                name=canonicalize_name(match["name"]),
                version=Version(match["version"]),
                marker=Marker(marker) if marker else None,
                hashed=False,
                direct=False,
            )
        elif current is not None and line.strip().startswith("--hash=sha256:"):
            current["hashed"] = True
        elif current is not None and re.match(r"^\s+#\s+(via\s+)?lunar-report\b", line):
            current["direct"] = True
    flush()
    return pins


def declared_requirements(project_dir: Path) -> list[Requirement]:
    """The runtime dependencies and the `cluster` and `test` extras of pyproject.toml: what `make lock` pins."""
    project = tomllib.loads((project_dir / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return [Requirement(r) for r in project["dependencies"] + extras["cluster"] + extras["test"]]


def test_lock_was_made_by_make_lock_with_hashes(project_dir):
    text = (project_dir / LOCK).read_text()
    assert "make lock" in text.splitlines()[1], f"{LOCK} was not written by `make lock`: {FIX}"
    pins = read_lock(project_dir)
    assert len(pins) > 50
    assert all(pin.hashed for pin in pins), f"pins without --hash: {[p.name for p in pins if not p.hashed]}; {FIX}"


def test_lock_pins_every_declared_dependency(project_dir):
    pins = read_lock(project_dir)
    problems = []
    for requirement in declared_requirements(project_dir):
        name = canonicalize_name(requirement.name)
        locked = [p for p in pins if p.name == name]
        if not locked:
            problems.append(f"{requirement} is declared in pyproject.toml but not pinned in {LOCK}")
        for pin in locked:
            if not requirement.specifier.contains(pin.version, prereleases=True):
                problems.append(f"{requirement} is declared in pyproject.toml but {LOCK} pins {name}=={pin.version}")
    assert not problems, "\n".join(problems) + f"\n{FIX}"


def test_lock_pins_no_dependency_pyproject_dropped(project_dir):
    declared = {canonicalize_name(r.name) for r in declared_requirements(project_dir)}
    direct = {p.name for p in read_lock(project_dir) if p.direct}
    stale = sorted(direct - declared)
    assert not stale, f"{LOCK} still pins {stale} for lunar-report, which pyproject.toml no longer declares; {FIX}"
    assert direct == declared, f"{LOCK} does not mark {sorted(declared - direct)} as lunar-report's; {FIX}"


def test_installed_versions_match_the_lock(project_dir):
    """Every pin that applies to this interpreter and platform is installed at exactly that version."""
    pins = [p for p in read_lock(project_dir) if p.applies()]
    declared = {canonicalize_name(r.name) for r in declared_requirements(project_dir)}
    assert declared <= {p.name for p in pins}, f"{FIX}"
    wrong = []
    for pin in pins:
        try:
            installed = Version(metadata.version(pin.name))
        except metadata.PackageNotFoundError:
            wrong.append(f"{pin.name}=={pin.version} is not installed")
            continue
        if installed != pin.version:
            wrong.append(f"{pin.name} {installed} is installed, {LOCK} pins {pin.version}")
    assert not wrong, (
        "\n".join(wrong) + "\nrun `make setup-test` to install the lock (`make lock` first if pyproject.toml changed)"
    )
