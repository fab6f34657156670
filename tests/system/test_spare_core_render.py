"""A report rendered with a core to spare (its figures' phone drawings made by a copy of the kernel) is the same
page, byte for byte, as one rendered with every core busy."""

from __future__ import annotations

from datetime import date

import pytest

from lunar_report import paths
from lunar_report.pipeline.config.reports import load_reports, select
from lunar_report.pipeline.config.settings import RenderOptions
from lunar_report.pipeline.run import local
from lunar_report.pipeline.run.render import render_reports

pytestmark = pytest.mark.slow


def rendered(out, cores: int, monkeypatch) -> bytes:
    monkeypatch.setattr(local.os, "cpu_count", lambda: cores)
    options = RenderOptions(out_dir=out, data_dir=paths.data_dir(), as_of=date(2026, 11, 25), formats=("html",))
    outcomes = render_reports(select(load_reports(), ("timeline",)), options)
    assert [o.status for o in outcomes] == ["rendered"]
    return (out / "timeline.html").read_bytes()


def test_a_spare_core_changes_no_byte_of_the_page(tmp_path, monkeypatch):
    busy = rendered(tmp_path / "busy", 1, monkeypatch)
    spare = rendered(tmp_path / "spare", 2, monkeypatch)
    assert spare == busy  # (no figure shown twice either: the inline backend would add one after its cell)
    assert busy.count(b'<figure class="lr-figure"') == 3
