"""Names and titles in Chinese and Russian are typeset as written in the PDF (Noto Serif CJK, DejaVu).

Two sources the timeline cites are given a Chinese and a Russian title in a copy of the data;
the rendered PDF's text holds both.
"""

from __future__ import annotations

import csv
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from lunar_report import paths
from lunar_report.analysis.provenance import reference_events
from lunar_report.facts.load import load_facts, split_ids
from lunar_report.pipeline.config.reports import load_reports, select
from lunar_report.pipeline.config.settings import RenderOptions
from lunar_report.pipeline.run.render import render_reports

pytestmark = pytest.mark.slow

TITLES = {
    "Chinese": "国际月球科研站合作伙伴指南（中国国家航天局）",
    "Russian": "Роскосмос и CNSA: меморандум о Международной научной лунной станции",
}


def cited_sources(data: Path, count: int) -> list[str]:
    """`count` reference sources the timeline's chronology cites (its events' sources, in order)."""
    facts = load_facts(data)
    kinds = facts.sources.set_index("id")["kind"]
    cited = [s for cell in reference_events(facts)["source"] for s in split_ids(cell) if kinds.get(s) == "reference"]
    chosen = list(dict.fromkeys(cited))[:count]
    assert len(chosen) == count, "the timeline cites too few sources for this test"
    return chosen


def retitle_sources(sources_csv: Path, titles: dict[str, str]) -> None:
    with sources_csv.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        header, rows = reader.fieldnames, list(reader)
    for row in rows:
        row["title"] = titles.get(row["id"], row["title"])
    with sources_csv.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_chinese_and_russian_titles_are_typeset_as_written(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    chosen = cited_sources(data, len(TITLES))
    retitle_sources(data / "sources.csv", dict(zip(chosen, TITLES.values(), strict=True)))
    out = tmp_path / "out"

    outcomes = render_reports(
        select(load_reports(), ("timeline",)), RenderOptions(out_dir=out, data_dir=data, as_of=date(2026, 11, 25))
    )

    assert [o.status for o in outcomes] == ["rendered"], outcomes[0].message
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(out / "timeline.pdf").pages))
    for script, title in TITLES.items():
        assert re.sub(r"\s+", "", title) in text, f"the {script} title is not in the PDF's text"
