"""The manifest in the output folder: per report, what its last render produced and from what."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..base.atomic import write_if_changed

MANIFEST_NAME = "manifest.json"
FORMAT = 2
_PAGE = re.compile(r"^(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.html$")
"""A page beside a report, as the manifest may name it: relative, inside the output folder."""


class Status(StrEnum):
    """What happened to a report."""

    RENDERED = "rendered"
    UP_TO_DATE = "up to date"
    FAILED = "failed"


@dataclass
class Output:
    """One output file: its digest and the fingerprint of the inputs it was made from."""

    sha256: str
    fingerprint: str


@dataclass
class Entry:
    """What the last render of one report produced (paths relative to the project)."""

    status: Status
    title: str
    as_of: str
    parameters: dict[str, Any]  # as used, data folder excluded
    configured: bool = True  # False for a one-off render (overridden parameters or a notebook path)
    reads: list[str] = field(default_factory=list)
    outputs: dict[str, Output] = field(default_factory=dict)  # file name -> output
    seconds: float = 0.0
    error: str = ""
    pages: list[str] = field(default_factory=list)  # pages its kernel noted beside the report (claims/<id>.html)


_TYPES: dict[str, type | tuple[type, ...]] = {
    "title": str,
    "as_of": str,
    "parameters": dict,
    "configured": bool,
    "reads": list,
    "pages": list,
    "seconds": (int, float),
}


def _entry(raw: dict[str, Any]) -> Entry:
    """An entry as written by `save_manifest`; TypeError or ValueError for any other shape."""
    outputs = {name: Output(**value) for name, value in raw.pop("outputs", {}).items()}
    entry = Entry(**raw, outputs=outputs)
    entry.status = Status(entry.status)
    texts = [
        *entry.reads,
        *entry.pages,
        *(o.sha256 for o in outputs.values()),
        *(o.fingerprint for o in outputs.values()),
    ]
    if not all(isinstance(getattr(entry, k), t) for k, t in _TYPES.items()) or not all(
        isinstance(t, str) for t in texts
    ):
        raise TypeError("a manifest entry of another shape")
    if not all(_PAGE.match(page) for page in entry.pages):
        raise ValueError("a page outside the output folder")
    return entry


@dataclass
class Manifest:
    """Every report's entry, the digest of the data folder (and code) that last passed validation with the digest
    of those data bytes (the kernels trust them), and what the site pages were last made from (`inputs`, a digest)
    with the sha256 of each page written (`pages`)."""

    reports: dict[str, Entry] = field(default_factory=dict)
    validated: str = ""
    published: dict[str, Any] = field(default_factory=dict)
    validated_data: str = ""


def load_manifest(out_dir: Path) -> Manifest:
    """The manifest; empty when there is none, or it is unreadable or of another format.

    An unusable manifest only means everything is validated and re-rendered.
    """
    try:
        raw = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            return Manifest()
        reports = {str(name): _entry(dict(entry)) for name, entry in raw["reports"].items()}
        published = raw.get("published", {})
        return Manifest(
            reports,
            str(raw.get("validated", "")),
            published if isinstance(published, dict) else {},
            str(raw.get("validated_data", "")),
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return Manifest()


def save_manifest(out_dir: Path, manifest: Manifest) -> bool:
    """Write the manifest atomically; False when its content was already the same."""
    return write_if_changed(out_dir / MANIFEST_NAME, manifest_bytes(manifest))


def manifest_bytes(manifest: Manifest) -> bytes:
    """The manifest as written: sorted keys, so the same manifest gives the same bytes."""
    entries = manifest.reports
    body = {
        "format": FORMAT,
        "validated": manifest.validated,
        "reports": {name: asdict(entries[name]) for name in sorted(entries)},
    } | ({"published": manifest.published} if manifest.published else {})
    body |= {"validated_data": manifest.validated_data} if manifest.validated_data else {}
    return (json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
