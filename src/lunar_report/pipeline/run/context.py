"""What one render holds while it runs, beside the user's settings: its temp folder, the site's digest, the
snapshot of the data folder it read, warm kernels and the digest of the data it validated."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..config.settings import RenderOptions
from ..store.fingerprint import DataSnapshot

if TYPE_CHECKING:
    from .kernels import KernelPool


@dataclass(frozen=True)
class RunContext:
    """One render under way: `options` with the output folder resolved and the site's reports filled in."""

    options: RenderOptions
    folder: Path  # the run's temporary folder (kernels, one folder per report)
    site_digest: str  # digest of `options.site`: every report's fingerprint includes it
    data: DataSnapshot  # the data folder as this run read it, once: what every report reads and is compared with
    kernels: KernelPool | None = None  # warm kernels to run the reports on (preview keeps one across renders)
    trusted_data: str = ""  # digest of the data the host validated in this run (its kernels do not check it again)
