"""Where things live: the project's data, notebooks and report configuration."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DEFAULT_DATA_DIR = PROJECT_DIR / "data"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
REPORTS_CONFIG = PROJECT_DIR / "reports.toml"
DEFAULT_OUT_DIR = PROJECT_DIR / "reports"
KERNEL_NAME = "lunar-report"


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The data folder: `path` if given, else $LUNAR_REPORT_DATA, else the project's `data/`."""
    chosen = path or os.environ.get("LUNAR_REPORT_DATA") or DEFAULT_DATA_DIR
    return Path(chosen).expanduser().resolve()
