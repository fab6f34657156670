"""The user's settings for one render (frozen): where from, where to, as of which day, which formats, and the
settings of reports.toml (editions kept, limits, paper, the site's address).

What a run holds while it runs (kernels, a cluster, the digest of the data it validated) is not
here: see run/context.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from ...errors import ConfigError
from .limits import Limits
from .paper import DEFAULT_PDF_ENGINE

FORMATS = ("html", "pdf")
DEFAULT_KEEP = 10  # earlier editions kept per report, besides the current one


def today_utc() -> date:
    """Today's date in UTC: the default as-of date of scheduled renders."""
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class SiteReport:
    """A report as the site lists it."""

    name: str
    title: str


@dataclass(frozen=True)
class RenderOptions:
    """How to render: where from, where to, as of which day, which formats (the user's choices, never changed by a run)."""

    out_dir: Path
    data_dir: Path
    as_of: date
    project: Path | None = None  # paths in the manifest are relative to it (default: the output folder's parent)
    formats: tuple[str, ...] = FORMATS
    include_code: bool = False
    force: bool = False
    jobs: int = 0  # 0: one per core
    wait: float = 0.0  # seconds to wait for another render's lock
    configured: tuple[str, ...] | None = None  # names the index lists as the report set (default: those rendered)
    site: tuple[SiteReport, ...] | None = (
        None  # reports every page links to (default: the configured among those rendered)
    )
    keep: int = DEFAULT_KEEP  # earlier editions kept per report, besides the current one
    restore_from: str = ""  # address of the published site whose history an empty output folder starts from
    limits: Limits = field(default_factory=Limits)  # timeouts per cell and per xelatex run ([limits] in reports.toml)
    base_url: str | None = None  # the published site's address (reports.toml), for notebooks declaring base_url
    paper: str = "a4"  # the PDF's page size: "a4" or "letter" (`paper` in reports.toml)
    pdf_engine: str = DEFAULT_PDF_ENGINE  # what makes the PDF: "chromium" or "xelatex" (`pdf_engine` in reports.toml)

    @property
    def drawn_formats(self) -> tuple[str, ...]:
        """The formats a report's kernel draws its figures for: a vector PDF of each only when xelatex typesets
        the PDF (Chromium prints the page's SVG)."""
        return tuple(f for f in self.formats if f != "pdf" or self.pdf_engine == "xelatex") or ("html",)

    @property
    def root(self) -> Path:
        return (self.project or self.out_dir.resolve().parent).resolve()


def keep_setting(config_file: Path | None) -> int | None:
    """`keep = N` at the top level of the report configuration, if set (ConfigError when it is not a count)."""
    import tomllib

    if config_file is None or not config_file.is_file():
        return None
    try:
        value = tomllib.loads(config_file.read_text(encoding="utf-8")).get("keep")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # reading the report set reports these
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(
            f"{config_file}: `keep` is the number of earlier editions kept per report: a whole number ≥ 1; got {value!r}."
        )
    return value
