"""An unchanged render does not make the site pages again; a page removed or edited since is made again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lunar_report.pipeline.config.reports import load_reports
from lunar_report.pipeline.config.settings import RenderOptions
from lunar_report.pipeline.run import render
from lunar_report.pipeline.run.render import render_reports

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"


def _render(tmp_path: Path, out: Path) -> None:
    config = tmp_path / "reports.toml"
    config.write_text(
        f'[[report]]\nname = "events"\nnotebook = "{FIXTURES / "events.ipynb"}"\ntitle = "Fixture events"\n',
        encoding="utf-8",
    )
    render_reports(
        load_reports(config), RenderOptions(out_dir=out, data_dir=PROJECT / "data", as_of=date(2026, 11, 25))
    )


def test_site_pages_are_made_again_only_when_something_changed(tmp_path, monkeypatch):
    out = tmp_path / "out"
    _render(tmp_path, out)
    pages = {name: (out / name).read_bytes() for name in ("index.html", "build.html", "editions.html", "feed.xml")}
    published = []
    publish = render.commit_site
    monkeypatch.setattr(render, "commit_site", lambda *args: published.append(1) or publish(*args))

    _render(tmp_path, out)
    assert published == []  # nothing stale, every page as written: nothing to make

    (out / "index.html").unlink()
    (out / "feed.xml").write_bytes(b"edited by hand")
    _render(tmp_path, out)
    assert published == [1]
    assert {name: (out / name).read_bytes() for name in pages} == pages

    _render(tmp_path, out)
    assert published == [1]
