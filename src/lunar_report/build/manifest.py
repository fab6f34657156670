"""The manifest in the output folder: per report, its fingerprint, the files it read, outcome and timing."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .atomic import write_if_changed

MANIFEST_NAME = "manifest.json"


@dataclass
class Entry:
    """What the last render of one report produced."""

    fingerprint: str
    status: str  # rendered | failed
    seconds: float
    title: str
    as_of: str
    parameters: dict
    reads: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)  # file name -> sha256
    error: str = ""


def load_manifest(out_dir: Path) -> dict[str, Entry]:
    """The manifest's entries; empty when there is none or it is unreadable (everything re-renders)."""
    try:
        raw = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        return {name: Entry(**entry) for name, entry in raw.get("reports", {}).items()}
    except (OSError, ValueError, TypeError):
        return {}


def save_manifest(out_dir: Path, entries: dict[str, Entry]) -> bool:
    """Write the manifest atomically; False when its content was already the same."""
    body = {"format": 1, "reports": {name: asdict(entries[name]) for name in sorted(entries)}}
    return write_if_changed(out_dir / MANIFEST_NAME, (json.dumps(body, indent=2, sort_keys=True) + "\n").encode())
