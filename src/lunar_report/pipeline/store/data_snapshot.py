"""The data a render works on: one snapshot of the data folder, read once, passed on as a value.

Each file of the data folder (hidden ones aside) is read once, at the start of the run, and its bytes are
copied into the run's private temporary folder. Everything after reads the snapshot: validation and
the parameter checkers read the copy, the kernels are given the copy as their data folder (on a
cluster the same bytes are shipped), what a report read is recorded with the snapshot's digests, and
its edition's "What changed" compares the snapshot's bytes. An edit made to the data folder while a
render runs therefore reaches no report of that run: the next render sees it.

Paths are shown as the user knows them: a file the kernel read in the copy is recorded as the same
file of the data folder (`host`), and the notebook's injected parameters name the data folder.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .fingerprint import relative


@dataclass(frozen=True)
class DataSnapshot:
    """The data folder as the run read it: its files' bytes, and their frozen copy that every reader is given."""

    source: Path  # the user's data folder (resolved)
    folder: Path  # the copy in the run's temporary folder (resolved): what kernels, checkers and validation read
    files: Mapping[str, bytes] = field(default_factory=dict)  # path relative to the data folder -> its bytes
    project: Path = Path()

    @property
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
