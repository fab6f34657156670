"""Fingerprints: a report re-renders only when something it depends on changed."""
from __future__ import annotations

import hashlib
import json
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the whole lunar_report package
KEY_PACKAGES = ("pandas", "matplotlib", "nbconvert", "nbclient", "nbformat", "papermill", "ipykernel", "pandera")


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes; 'missing' when it does not exist."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


def _package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "absent"
    return versions


def code_digest() -> str:
    """One digest over the lunar_report sources, its templates and the key package versions."""
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(json.dumps(_package_versions(), sort_keys=True).encode())
    return digest.hexdigest()


def report_fingerprint(code: str, notebook: Path, settings: dict, reads: dict[str, str]) -> str:
    """The fingerprint of one report: code, notebook, settings (parameters, title...) and data read."""
    payload = {
        "code": code,
        "notebook": file_digest(notebook),
        "settings": settings,
        "reads": reads,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def read_digests(files: list[str]) -> dict[str, str]:
    """Current digests of the data files a report read when it last rendered."""
    return {name: file_digest(Path(name)) for name in files}
