"""Fingerprints: a report re-renders only when something it depends on changed.

Every input is named explicitly in `Inputs`: the notebook, the report's configuration and
effective parameters, the as-of date, the data files and source texts the report read, the
lunar_report code and templates, and the environment (Python, key package versions, lock file).
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # the whole lunar_report package
KEY_PACKAGES = ("pandas", "matplotlib", "nbconvert", "nbclient", "nbformat", "papermill", "ipykernel")
LOCK_FILES = ("requirements.lock", "requirements/lock.txt")  # the pinned environment, relative to the project


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes; 'missing' when it does not exist or cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "missing"


def package_versions() -> dict[str, str]:
    """Python's version and the key packages' versions ('absent' when not installed)."""
    versions = {"python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "absent"
    return versions


def code_digest() -> str:
    """One digest over the lunar_report sources and templates."""
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def environment(project: Path) -> dict[str, str]:
    """The code, package versions and lock file digest: inputs shared by every report."""
    locks = {name: file_digest(project / name) for name in LOCK_FILES if (project / name).exists()}
    return {"code": code_digest(), **package_versions(), **{f"lock:{k}": v for k, v in locks.items()}}


def folder_digest(folder: Path) -> str:
    """One digest over every file in `folder` (names and bytes; hidden files and folders skipped)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if path.is_file() and not any(part.startswith(".") for part in parts):
            digest.update("/".join(parts).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def relative(path: str | Path, project: Path) -> str:
    """`path` relative to the project (POSIX separators), so manifests move between machines."""
    try:
        return Path(path).resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return Path(path).resolve().as_posix()


def read_digests(files: list[str], project: Path, before: dict[str, str] | None = None) -> dict[str, str]:
    """Digests of the files a report read (paths relative to the project): from `before` if there, else now."""
    before = before or {}
    return {name: before.get(name) or file_digest(project / name) for name in files}


def snapshot(folder: Path, project: Path) -> dict[str, str]:
    """Every file under `folder` (relative to the project) -> its digest, taken before the kernels read them.

    Recording what a report read with these digests, not with the files' state after the run,
    means an edit made while the report runs is never mistaken for what the report saw.
    """
    if not folder.is_dir():
        return {}
    return {relative(path, project): file_digest(path) for path in sorted(folder.rglob("*")) if path.is_file()}


@dataclass(frozen=True)
class Inputs:
    """Everything one report's output depends on."""

    notebook: str  # sha256 of the notebook file
    config: dict[str, Any]  # the report's entry: name, title, configured parameters, one-off or not
    parameters: dict[str, Any]  # the effective parameters, data folder excluded (its files are in `reads`)
    as_of: str
    include_code: bool
    reads: dict[str, str]  # file read (relative to the project) -> sha256
    environment: dict[str, str] = field(default_factory=dict)

    def fingerprint(self, fmt: str) -> str:
        """The fingerprint of this report's output in format `fmt` (html, pdf)."""
        payload = json.dumps({**asdict(self), "format": fmt}, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()
