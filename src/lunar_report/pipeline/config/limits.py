"""Limits on what one run may use, so that a typo or a hostile file fails fast with one line.

The defaults fit the report set many times over; `[limits]` in reports.toml raises them:

    [limits]
    reports = 5000        # reports one run may render or list (a matrix counts each combination)
    cell_timeout = 1200   # seconds one notebook cell may run
    tex_timeout = 600     # seconds one Chromium print or xelatex run may take
    restore_mib = 4096    # MiB `render --restore-from` may fetch in all
    restore_files = 20000 # files it may fetch (the ledger, each edition's files and data tables, each data edition's package and files)
    restore_timeout = 3600  # seconds it may take in all
    local_workers = 16    # worker processes `--cluster local:N` may start (default: 4 per core)

Fixed limits (no user needs more): the size of a `-f` parameters file and of a title.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from ...errors import ConfigError

PARAMETERS_FILE_BYTES = 1_000_000  # a -f YAML file: parameters, not data
SECTION = "limits"
LARGEST = 1_000_000_000  # any limit: past it a timeout overflows the platform's clocks, a count its memory


@dataclass(frozen=True)
class Limits:
    """The limits of one run; each one a setting of reports.toml's [limits] table."""

    reports: int = 1000
    cell_timeout: int = 600
    tex_timeout: int = 300
    restore_mib: int = 2048
    restore_files: int = 5000
    restore_timeout: int = 1800
    local_workers: int = field(default_factory=lambda: 4 * (os.cpu_count() or 1))


HELP = {
    "reports": "reports per run (a matrix counts each combination)",
    "cell_timeout": "seconds one notebook cell may run",
    "tex_timeout": "seconds one Chromium print or xelatex run may take",
    "restore_mib": "MiB `render --restore-from` may fetch in all",
    "restore_files": "files `render --restore-from` may fetch",
    "restore_timeout": "seconds `render --restore-from` may take in all",
    "local_workers": "worker processes `--cluster local:N` may start",
}


def limits_of(document: dict[str, object], config_file: Path) -> Limits:
    """The [limits] table of a parsed reports.toml (defaults for what it leaves out), or ConfigError."""
    table = document.get(SECTION, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{config_file}: `{SECTION}` must be a table: write [{SECTION}] on a line of its own.")
    unknown = sorted(set(table) - set(HELP))
    if unknown:
        raise ConfigError(f"{config_file}: unknown setting {SECTION}.{unknown[0]}; the limits are: {', '.join(HELP)}.")
    for name, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= LARGEST:
            shown = repr(value) if len(repr(value)) <= 40 else f"{repr(value)[:37]}..."
            raise ConfigError(
                f"{config_file}: {SECTION}.{name} is the {HELP[name]}: a whole number from 1 to {LARGEST:,}; "
                f"got {shown}."
            )
    return Limits(**{f.name: table[f.name] for f in fields(Limits) if f.name in table})


def read_limits(config_file: Path | None) -> Limits:
    """The limits set in `config_file` (the defaults when there is none or it does not parse: loading reports says why)."""
    if config_file is None or not config_file.is_file():
        return Limits()
    try:
        document = tomllib.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return Limits()
    return limits_of(document, config_file)
