"""A character the PDF fonts lack stops the render with a message naming it and its text; no PDF is left.

Without the check, xelatex drops such a character silently (Chromium prints an empty box) and the PDF says something else than
the data. U+13000 (EGYPTIAN HIEROGLYPH A001) is in no DejaVu font.
"""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest

from lunar_report import paths
from lunar_report.analysis import timeline
from lunar_report.errors import TexError
from lunar_report.facts.load import load_facts
from lunar_report.facts.validate import validate_data
from lunar_report.pipeline.config.reports import load_reports, select
from lunar_report.pipeline.config.settings import RenderOptions
from lunar_report.pipeline.run.render import render_reports
from lunar_report.pipeline.store.manifest import load_manifest

pytestmark = pytest.mark.slow

GLYPH = "\U00013000"
TITLE = f"Roscosmos stamps the {GLYPH} seal on the lunar plan"


def shown_event(data_dir: Path) -> str:
    """An event the timeline's chronology lists: a reference event (not only the article's) in its window."""
    facts = load_facts(data_dir)
    event = timeline.announcing_event(facts, timeline.stated_partner_count(facts))
    assert event is not None, "no event announces the partner count: pick another event the chronology shows"
    return str(event["id"])


def retitle(events_csv: Path, event_id: str, title: str) -> None:
    with events_csv.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        header, rows = reader.fieldnames, list(reader)
    assert sum(row["id"] == event_id for row in rows) == 1, f"event {event_id} not in events.csv"
    for row in rows:
        if row["id"] == event_id:
            row["title"] = title
    with events_csv.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_xelatex_refuses_a_character_no_font_has(tmp_path):
    latex = "\n".join(
        [
            r"\documentclass{article}",
            r"\usepackage{fontspec}",
            r"\setmainfont{DejaVu Serif}",
            r"\tracinglostchars=3",
            r"\begin{document}",
            f"The seal {GLYPH} of the plan.",
            r"\end{document}",
        ]
    )
    from lunar_report.pipeline.base.tex import run_xelatex

    with pytest.raises(TexError) as caught:
        run_xelatex(latex, {}, tmp_path)
    message = str(caught.value)
    assert f"{GLYPH} (U+13000) is not in font DejaVu Serif" in message
    assert f"The seal {GLYPH} of the plan." in message, "the message names the text the character is in"


@pytest.mark.parametrize(
    ("engine", "said"),
    [("chromium", "no installed font has characters the PDF prints"), ("xelatex", "is not in font DejaVu Serif")],
)
def test_render_fails_naming_the_text_and_leaves_no_pdf(tmp_path, engine, said):
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    retitle(data / "events.csv", shown_event(data), TITLE)
    validate_data(data)
    out = tmp_path / "out"

    options = RenderOptions(out_dir=out, data_dir=data, as_of=date(2026, 11, 25), pdf_engine=engine)
    outcomes = render_reports(select(load_reports(), ("timeline",)), options)

    assert [o.status for o in outcomes] == ["failed"]
    message = outcomes[0].message
    assert "U+13000" in message and GLYPH in message
    assert said in message
    assert TITLE in message, f"the message should quote the text with the character: {message}"
    assert list(out.rglob("*.pdf")) == [], "a PDF of a failed render was left behind"
    assert (out / "timeline.html").exists(), "the HTML needs no PDF engine and is still written"
    assert (out / "_failed" / "timeline.html").is_file(), "the failure page explains what went wrong"
    assert list(out.glob(".staging-*")) == []
    assert load_manifest(out).reports["timeline"].status == "failed"
