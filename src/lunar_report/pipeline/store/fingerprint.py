"""Fingerprints: a report re-renders only when something it depends on changed; the data snapshot a render reads.

Every input is named explicitly in `Inputs`: the notebook, the report's configuration and
effective parameters, the as-of date, the data files and source texts the report read, the
lunar_report code and templates, and the environment (Python, key package versions, lock file).
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import cached_property
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


# The data a render works on: one snapshot of the data folder, read once, passed on as a value.
#
# Each file of the data folder (hidden ones aside) is read once, at the start of the run, and its bytes are
# copied into the run's private temporary folder. Everything after reads the snapshot: validation and
# the parameter checkers read the copy, the kernels are given the copy as their data folder (on a
# cluster the same bytes are shipped), what a report read is recorded with the snapshot's digests, and
# its edition's "What changed" compares the snapshot's bytes. An edit made to the data folder while a
# render runs therefore reaches no report of that run: the next render sees it.
#
# Paths are shown as the user knows them: a file the kernel read in the copy is recorded as the same
# file of the data folder (`host`), and the notebook's injected parameters name the data folder.


@dataclass(frozen=True)
class DataSnapshot:
    """The data folder as the run read it: its files' bytes, and their frozen copy that every reader is given."""

    source: Path  # the user's data folder (resolved)
    folder: Path  # the copy in the run's temporary folder (resolved): what kernels, checkers and validation read
    files: Mapping[str, bytes] = field(default_factory=dict)  # path relative to the data folder -> its bytes
    project: Path = Path()

    @cached_property
    def digests(self) -> dict[str, str]:
        """Every file (as a path relative to the project, the way reports' reads are recorded) -> its sha256."""
        return {
            relative(self.source / name, self.project): hashlib.sha256(content).hexdigest()
            for name, content in self.files.items()
        }

    def host(self, path: str) -> str:
        """A path in the copy as the same file's path in the data folder (any other path as given)."""
        try:
            inside = Path(path).resolve().relative_to(self.folder)
        except (ValueError, OSError):
            return path
        return str(self.source / inside)

    def content(self, path: str | Path) -> bytes | None:
        """The snapshot's bytes of a file of the data folder (by its path there, or in the copy); None otherwise."""
        try:
            name = Path(self.host(str(path))).resolve().relative_to(self.source).as_posix()
        except (ValueError, OSError):
            return None
        return self.files.get(name)

    def as_on_host(self, notebook: Any) -> None:
        """The notebook's injected parameters as the user gave them: the data folder, not the run's copy."""
        show_on_host(notebook, str(self.folder), str(self.source))


def show_on_host(notebook: Any, local: str, host: str) -> None:
    """Replace the folder `local` by `host` in the notebook's injected-parameters cell."""
    for cell in notebook.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = cell.source.replace(local, host)


def take(data_dir: Path, run_dir: Path, project: Path) -> DataSnapshot:
    """Read every file of `data_dir` once (hidden files and folders skipped) and copy it into `run_dir`/data."""
    source = data_dir.resolve()
    copy = (run_dir / "data").resolve()
    copy.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    for path in sorted(source.rglob("*")) if source.is_dir() else []:
        parts = path.relative_to(source).parts
        if any(part.startswith(".") for part in parts) or not path.is_file():
            continue
        name = "/".join(parts)
        files[name] = path.read_bytes()
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[name])
    return DataSnapshot(source, copy, files, project.resolve())
