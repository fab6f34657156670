"""What a render is asked for, by the command line or by the preview: one object, made into RenderOptions in one place.

The settings of reports.toml (editions kept, the site's address, limits, paper) are read here
for both, so a preview renders a report the way `render` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ... import paths
from .address import base_url_setting
from .limits import read_limits
from .paper import paper_setting, pdf_engine_setting
from .reports import ReportSpec
from .settings import DEFAULT_KEEP, FORMATS, RenderOptions, SiteReport, keep_setting, today_utc


@dataclass(frozen=True)
class RenderRequest:
    """The user's choices for a render (None or empty: the configuration's or the default)."""

    config_file: Path | None = None
    project: Path | None = None
    data_dir: Path | None = None
    out_dir: Path | None = None
    as_of: date | None = None
    formats: tuple[str, ...] = ()
    include_code: bool = False
    force: bool = False
    jobs: int = 0
    wait: float = 0.0
    keep: int | None = None
    restore_from: str = ""

    def options(self, configured: Sequence[str], site: Sequence[ReportSpec]) -> RenderOptions:
        """RenderOptions for rendering with `configured` as the report set and `site` linked from every page."""
        config = paths.config_file(self.config_file)
        return RenderOptions(
            out_dir=paths.out_dir(self.out_dir, config),
            data_dir=paths.data_dir(self.data_dir, self.project),
            as_of=self.as_of or today_utc(),
            project=self.project,
            formats=tuple(f for f in FORMATS if f in self.formats) if self.formats else FORMATS,
            include_code=self.include_code,
            force=self.force,
            jobs=self.jobs,
            wait=self.wait,
            configured=tuple(configured),
            site=tuple(SiteReport(s.name, s.title) for s in site),
            keep=self.keep or keep_setting(config) or DEFAULT_KEEP,
            restore_from=self.restore_from,
            limits=read_limits(config),
            base_url=base_url_setting(config),
            paper=paper_setting(config),
            pdf_engine=pdf_engine_setting(config),
        )
