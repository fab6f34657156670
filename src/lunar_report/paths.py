"""Where things live: the project is found from the working folder, as git and Quarto do.

The project root is the nearest folder, from the working directory up, that holds
`reports.toml`. Data, notebooks, the report configuration and the output folder resolve
from there; `--data`, `--config`, `--out` and `$LUNAR_REPORT_DATA` take priority.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UsageError

CONFIG_NAME = "reports.toml"
DATA_ENV = "LUNAR_REPORT_DATA"
KERNEL_NAME = "lunar-report"
TRUST_ENV = "LUNAR_REPORT_VALIDATED"  # a report kernel's file of digests of data the host validated (one a line)
FORMATS_ENV = "LUNAR_REPORT_FORMATS"  # the formats a report kernel's run exports, comma-separated (unset: all)
SPARE_CORE_ENV = "LUNAR_REPORT_SPARE_CORE"  # "1": a report kernel has a core to spare (its run leaves one idle)


class NotInProject(UsageError):
    """No `reports.toml` in the working folder or any folder above it."""


def find_project(start: str | os.PathLike[str] | None = None) -> Path:
    """The nearest folder from `start` (default: the working directory) up that holds reports.toml."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise NotInProject(
        f"no {CONFIG_NAME} in {here} or any folder above it; run lunar-report inside a project "
        f"(a folder with {CONFIG_NAME}, data/ and notebooks/), or pass --config and --data"
    )


def config_file(path: str | os.PathLike[str] | None = None) -> Path:
    """The report configuration: `path` if given, else the project's reports.toml."""
    return Path(path).expanduser().resolve() if path else find_project() / CONFIG_NAME


def data_dir(path: str | os.PathLike[str] | None = None, project: Path | None = None) -> Path:
    """The data folder: `path` if given, else $LUNAR_REPORT_DATA, else data/ of `project` (default: found)."""
    chosen = path or os.environ.get(DATA_ENV) or (project or find_project()) / "data"
    return Path(chosen).expanduser().resolve()


def out_dir(path: str | os.PathLike[str] | None = None, config: Path | None = None) -> Path:
    """The output folder: `path` if given, else reports/ beside the configuration file."""
    if path:
        return Path(path).expanduser().resolve()
    return (config.parent if config else find_project()) / "reports"


def site_address(value: object) -> str:
    """The published site's absolute address (`base_url`: http or https with a host), ending in "/".

    ValueError says what is wrong: schema.org ClaimReview and feeds need absolute addresses.
    """
    import unicodedata
    from urllib.parse import urlsplit

    example = "an absolute http(s) address of the published reports folder, like https://example.org/lunar/"
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected {example}; got {value!r}")
    shown = repr(value) if len(repr(value)) <= 120 else f"{repr(value)[:117]}..."
    address = value.strip()
    if any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in address):
        raise ValueError(f"expected {example}, without spaces or control characters; got {shown}")
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"expected {example}; got {shown}")
    try:
        parts.port  # noqa: B018 (a port past 65535 or not a number raises)
    except ValueError:
        raise ValueError(f"expected {example}, with a port from 0 to 65535; got {shown}") from None
    return address if address.endswith("/") else f"{address}/"
