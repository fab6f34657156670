"""Editions without a kernel: ids, "the previous edition", the ledger, retention, the feed and the site pages."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lunar_report.errors import ConfigError
from lunar_report.pipeline import editions
from lunar_report.pipeline.editions import Ledger, draft, load_ledger, prune, publish, save_ledger
from lunar_report.pipeline.feed import feed_xml
from lunar_report.pipeline.site import SiteReport, editions_html, report_nav, write_pages

ATOM = "{http://www.w3.org/2005/Atom}"
METHOD = {"notebook": "n", "configuration": "c", "code": "k", "environment": "e", "site": "s"}
EVENTS = b"id,start,precision,timezone,title\nev-1,2021-03-09,day,,The memorandum is signed\n"
EVENTS_2 = EVENTS + b"ev-2,2025-06,month,,Kyrgyzstan joins the ILRS\n"


def make(
    out: Path, ledger: Ledger, inputs: str, as_of: str = "2026-11-25", events: bytes = EVENTS, name: str = "timeline"
):
    """Draft and publish one rendering (its files written as a render would), like render_reports does."""
    made = draft(out, name, "The timeline", as_of, inputs, ledger.history(name), {"events.csv": events}, {}, METHOD)
    for file in (f"{name}.html", f"{name}.pdf"):
        target = out / made.edition.folder / file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(made.edition.id, encoding="utf-8")
    publish(out, ledger, made, [f"{name}.html", f"{name}.pdf"])
    return made


def test_a_new_rendering_is_a_new_edition_compared_with_the_last(tmp_path):
    ledger = Ledger()
    first = make(tmp_path, ledger, "A")
    second = make(tmp_path, ledger, "B", "2026-11-26", EVENTS_2)
    assert first.previous is None and first.new
    assert second.previous == ledger.history("timeline")[1] and second.new
    assert second.edition.id.startswith("2026-11-26-") and first.edition.id.startswith("2026-11-25-")
    assert second.edition.changes == [
        "Compared with the previous edition, as of 25 November 2026:",
        "Kyrgyzstan joins the ILRS (June 2025) was added.",
    ]
    assert [e.id for e in ledger.history("timeline")] == [second.edition.id, first.edition.id]


def test_same_inputs_rerender_the_newest_edition_and_keep_its_previous(tmp_path):
    ledger = Ledger()
    make(tmp_path, ledger, "A")
    second = make(tmp_path, ledger, "B", events=EVENTS_2)
    again = make(tmp_path, ledger, "B", events=EVENTS_2)
    assert not again.new
    assert again.edition.id == second.edition.id
    assert again.previous is not None and again.previous.inputs == "A"
    assert again.edition.changes == second.edition.changes
    assert len(ledger.history("timeline")) == 2


def test_returning_to_earlier_inputs_is_a_new_edition_with_its_own_id(tmp_path):
    ledger = Ledger()
    first = make(tmp_path, ledger, "A")
    make(tmp_path, ledger, "B", events=EVENTS_2)
    back = make(tmp_path, ledger, "A")
    assert back.new and back.edition.id != first.edition.id
    assert back.edition.changes[1] == "Kyrgyzstan joins the ILRS (June 2025) was removed."


def test_the_ledger_round_trips_and_an_unreadable_one_starts_afresh(tmp_path):
    ledger = Ledger()
    make(tmp_path, ledger, "A")
    assert save_ledger(tmp_path, ledger)
    assert not save_ledger(tmp_path, ledger), "unchanged content is not rewritten"
    assert load_ledger(tmp_path) == ledger
    (tmp_path / editions.LEDGER).write_text("{not json", encoding="utf-8")
    assert load_ledger(tmp_path) == Ledger()


def test_retention_keeps_the_current_and_n_earlier_editions_and_their_tables(tmp_path):
    ledger = Ledger()
    made = [
        make(tmp_path, ledger, f"input-{i}", events=EVENTS + f"ev-{i},2021,year,,Row {i}\n".encode()) for i in range(4)
    ]
    removed = prune(tmp_path, ledger, keep=1)
    assert sorted(removed) == sorted(m.edition.id for m in made[:2])
    assert [e.id for e in ledger.history("timeline")] == [made[3].edition.id, made[2].edition.id]
    assert sorted(p.name for p in (tmp_path / "editions").iterdir() if p.name != "data") == sorted(
        m.edition.id for m in made[2:]
    )
    kept = {sha for e in ledger.history("timeline") for sha in e.data.values()}
    assert {p.stem for p in (tmp_path / editions.DATA_DIR).iterdir()} == kept


def test_keep_in_reports_toml(tmp_path):
    config = tmp_path / "reports.toml"
    config.write_text("keep = 3\n", encoding="utf-8")
    assert editions.keep_setting(config) == 3
    config.write_text("[[report]]\n", encoding="utf-8")
    assert editions.keep_setting(config) is None
    config.write_text('keep = "all"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="`keep` is the number of earlier editions kept per report"):
        editions.keep_setting(config)


def test_the_feed_is_atom_with_one_entry_per_edition(tmp_path):
    ledger = Ledger()
    make(tmp_path, ledger, "A")
    make(tmp_path, ledger, "B", "2026-11-26", EVENTS_2)
    make(tmp_path, ledger, "C", name="claims")
    root = ET.fromstring(feed_xml(ledger, ["timeline", "claims"]))
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    assert root.find(f"{ATOM}updated").text == "2026-11-26T00:00:00Z"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 3
    for entry in entries:
        for required in ("id", "title", "updated", "link", "summary"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert entry.find(f"{ATOM}id").text.startswith("urn:uuid:")
        assert (tmp_path / entry.find(f"{ATOM}link").get("href")).is_file()
    newest = entries[0]
    assert newest.find(f"{ATOM}title").text == "The timeline — edition as of 26 November 2026"
    assert "Kyrgyzstan joins the ILRS (June 2025) was added." in newest.find(f"{ATOM}summary").text
    assert len({e.find(f"{ATOM}id").text for e in entries}) == 3
    assert feed_xml(ledger, ["timeline", "claims"]) == feed_xml(ledger, ["timeline", "claims"])


def test_report_navigation_is_relative_from_both_places(tmp_path):
    ledger = Ledger()
    make(tmp_path, ledger, "A")
    second = make(tmp_path, ledger, "B", events=EVENTS_2)
    site = [SiteReport("timeline", "The timeline"), SiteReport("claims", "The claims")]
    current = report_nav("timeline", site, ("html", "pdf"), second.previous)
    assert current["home"] == "index.html"
    assert [r["href"] for r in current["reports"]] == ["", "claims.html"]
    assert current["previous"]["href"] == f"editions/{second.previous.id}/timeline.html"
    assert (tmp_path / current["previous"]["href"]).is_file()
    kept = report_nav("timeline", site, ("html", "pdf"), second.previous, second.edition)
    assert kept["home"] == "../../index.html" and kept["editions"] == "../../editions.html#timeline"
    assert kept["edition"]["current"] == "../../timeline.html" and kept["previous"] is None


def test_site_pages_link_only_existing_files(tmp_path):
    ledger = Ledger()
    make(tmp_path, ledger, "A")
    make(tmp_path, ledger, "B", events=EVENTS_2)
    write_pages(tmp_path, ledger, ["timeline"])
    assert (tmp_path / ".nojekyll").is_file() and (tmp_path / "feed.xml").is_file()
    page = editions_html(tmp_path, ledger, ["timeline"]).decode()
    assert page.count('href="editions/') == 4
    assert 'href="lunar-report.pdf"' not in page, "the combined PDF does not exist yet"
    assert '<a href="feed.xml">' in page and 'type="application/atom+xml"' in page
