"""Editions without a kernel: ids, "the previous edition", the ledger, retention, the feed and the site pages."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lunar_report.errors import ConfigError, LedgerError
from lunar_report.pipeline.config.settings import SiteReport, keep_setting
from lunar_report.pipeline.site.feed import feed_xml
from lunar_report.pipeline.site.links import report_nav
from lunar_report.pipeline.site.pages import editions_html, stage_pages
from lunar_report.pipeline.store import editions, workspace
from lunar_report.pipeline.store.commit import Commit
from lunar_report.pipeline.store.editions import Ledger, draft, load_ledger, prune, publish, save_ledger
from lunar_report.pipeline.store.repair import repair

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
    unit = Commit(out)
    publish(out, ledger, made, [f"{name}.html", f"{name}.pdf"], unit)
    unit.apply()
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


def test_the_ledger_round_trips_and_keeps_the_previous_one(tmp_path):
    ledger = Ledger()
    make(tmp_path, ledger, "A")
    assert load_ledger(tmp_path) is None, "no ledger yet"
    assert save_ledger(tmp_path, ledger)
    assert not save_ledger(tmp_path, ledger), "unchanged content is not rewritten"
    assert load_ledger(tmp_path) == ledger
    first = (tmp_path / editions.LEDGER).read_bytes()
    make(tmp_path, ledger, "B", events=EVENTS_2)
    save_ledger(tmp_path, ledger)
    assert (tmp_path / editions.LEDGER_BACKUP).read_bytes() == first


def _one(**fields) -> bytes:
    """A ledger of one edition of report `t`, with `fields` changed."""
    edition = {"id": "2026-11-25-0123456789", "as_of": "2026-11-25", "title": "T", "inputs": "", "files": ["t.html"]}
    return json.dumps({"format": 3, "reports": {"t": [edition | fields]}}).encode()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (b'{"format": 2, "reports": {"timeline": [{"id": "2026-11-25-', "Unterminated string"),
        (b"", "Expecting value"),
        (b'{"format": 99, "reports": {}}', "unknown format 99"),
        (
            b'{"format": 2, "reports": {"t": [{"id": "../../x", "as_of": "", "title": "", "inputs": ""}]}}',
            "(reports.t[0].id: not an edition id YYYY-MM-DD-<10 hex> (got '../../x'));",
        ),
        (b"\xff\xfe", "codec can't decode"),
        (
            _one(id="2026-11-25-0123456789\n"),
            r"(reports.t[0].id: not an edition id YYYY-MM-DD-<10 hex> (got '2026-11-25-0123456789\n'));",
        ),
        (_one(data=["x"]), "(reports.t[0].data: not a table (got list));"),
        (_one(as_of="2026-13-01"), "(reports.t[0].as_of: not a date (got '2026-13-01'));"),
        (_one(changes=[1, 2]), "(reports.t[0].changes[0]: not a text (got int));"),
        (_one(changes="A change"), "(reports.t[0].changes: not a list of texts (got str));"),
        (_one(title="The \x1b[31mtimeline"), "(reports.t[0].title: the character U+001B at position 5);"),
        (_one(files=["t.html", "t.html"]), "(reports.t[0].files: a file is listed twice);"),
        (_one(sizes={"t.pdf": -1}), "(reports.t[0].sizes.t.pdf: not a size in bytes (got -1));"),
        (_one(extra=1), "(reports.t[0]: unknown field 'extra');"),
        (b"[" * 100_000 + b"]" * 100_000, "(nested more than 32 deep);"),
        (b'{"format": [2], "reports": {}}', "(unknown format [2]);"),
        (b'{"format": 2, "reports": {"t\\n": []}}', "(reports.'t\\n': not a report name (letters, digits, - and _));"),
    ],
)
def test_an_unreadable_ledger_stops_and_says_how_to_repair(tmp_path, damage, reason):
    (tmp_path / "editions").mkdir()
    (tmp_path / editions.LEDGER).write_bytes(damage)
    with pytest.raises(LedgerError) as caught:
        load_ledger(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / editions.LEDGER}: cannot read the editions ledger (")
    assert reason in message
    assert message.endswith(
        f"nothing was written or removed. Rebuild it from the edition folders with "
        f"`lunar-report editions repair --out {tmp_path}`"
    )
    assert caught.value.exit_code == 1


def test_a_format_1_ledger_is_migrated(tmp_path):
    ledger = Ledger()
    make(tmp_path, ledger, "A")
    second = make(tmp_path, ledger, "B", events=EVENTS_2)
    body = json.loads(editions.ledger_bytes(ledger))
    body["format"] = 1
    for history in body["reports"].values():
        for edition in history:
            del edition["previous"]
    (tmp_path / editions.LEDGER).write_text(json.dumps(body), encoding="utf-8")
    migrated = load_ledger(tmp_path)
    assert migrated == ledger
    assert migrated.history("timeline")[0].previous == second.previous.id


def test_the_ledger_is_rebuilt_from_the_edition_folders_in_order(tmp_path):
    ledger = Ledger()
    for i in range(3):  # on one day: only the records say which came first
        make(tmp_path, ledger, f"input-{i}", events=EVENTS + f"ev-{i},2021,year,,Row {i}\n".encode())
    make(tmp_path, ledger, "C", name="claims")
    assert editions.rebuild(tmp_path) == ledger, "each folder's edition.json holds its record and its place"
    ledger = Ledger()
    for day in (25, 26, 27):  # without records, the as-of date orders them
        make(tmp_path / "bare", ledger, f"day-{day}", f"2026-11-{day}", EVENTS + f"ev-{day},2021,year,,Row\n".encode())
    make(tmp_path / "bare", ledger, "C", name="claims")
    tmp_path = tmp_path / "bare"
    for folder in (tmp_path / "editions").iterdir():
        (folder / editions.RECORD).unlink(missing_ok=True)
    bare = editions.rebuild(tmp_path)
    assert {n: [e.id for e in h] for n, h in bare.reports.items()} == {
        n: [e.id for e in h] for n, h in ledger.reports.items()
    }
    assert bare.history("claims")[0].files == ["claims.html", "claims.pdf"]


def test_repair_rebuilds_a_damaged_ledger_and_keeps_the_damaged_one(tmp_path):
    ledger = Ledger()
    made = [
        make(tmp_path, ledger, f"input-{i}", events=EVENTS + f"ev-{i},2021,year,,Row {i}\n".encode()) for i in range(3)
    ]
    save_ledger(tmp_path, ledger)
    (tmp_path / workspace.MARK).write_bytes(workspace.MARK_TEXT)  # (a render marks every output folder as ours)
    (tmp_path / editions.LEDGER).write_bytes(b'{"format": 2, "rep')
    message = repair(tmp_path)
    assert message == (
        f"rebuilt {tmp_path / editions.LEDGER} from 3 edition folders of 1 reports; "
        "the unreadable one is kept as editions.json.damaged-1"
    )
    assert load_ledger(tmp_path) == ledger
    assert (tmp_path / "editions" / "editions.json.damaged-1").read_bytes() == b'{"format": 2, "rep'
    assert repair(tmp_path) == f"{tmp_path / editions.LEDGER} is readable; nothing to repair"
    assert all((tmp_path / m.edition.folder).is_dir() for m in made)


def test_retention_keeps_the_current_and_n_earlier_editions_and_their_tables(tmp_path):
    ledger = Ledger()
    made = [
        make(tmp_path, ledger, f"input-{i}", events=EVENTS + f"ev-{i},2021,year,,Row {i}\n".encode()) for i in range(4)
    ]
    dropped = prune(ledger, keep=1)
    assert sorted(e.id for e in dropped) == sorted(m.edition.id for m in made[:2])
    assert [e.id for e in ledger.history("timeline")] == [made[3].edition.id, made[2].edition.id]
    assert sorted(editions.remove_editions(tmp_path, ledger, dropped)) == sorted(m.edition.id for m in made[:2])
    assert sorted(p.name for p in (tmp_path / "editions").iterdir() if p.name != "data") == sorted(
        m.edition.id for m in made[2:]
    )
    kept = {sha for e in ledger.history("timeline") for sha in e.data.values()}
    assert {p.stem for p in (tmp_path / editions.DATA_DIR).iterdir()} == kept


def test_retention_removes_only_editions_the_ledger_records(tmp_path):
    ledger = Ledger()
    made = [
        make(tmp_path, ledger, f"input-{i}", events=EVENTS + f"ev-{i},2021,year,,Row {i}\n".encode()) for i in range(3)
    ]
    unknown = Ledger()  # e.g. a ledger that lost its records
    make(tmp_path, unknown, "other")
    assert editions.remove_editions(tmp_path, unknown, prune(unknown, keep=1)) == []
    assert all((tmp_path / m.edition.folder / "timeline.html").is_file() for m in made)
    (tmp_path / made[0].edition.folder / "notes.txt").write_text("not ours")
    assert editions.remove_editions(tmp_path, ledger, prune(ledger, keep=1)) == [made[0].edition.id]
    assert sorted(p.name for p in (tmp_path / made[0].edition.folder).iterdir()) == ["notes.txt"]


def test_keep_in_reports_toml(tmp_path):
    config = tmp_path / "reports.toml"
    config.write_text("keep = 3\n", encoding="utf-8")
    assert keep_setting(config) == 3
    config.write_text("[[report]]\n", encoding="utf-8")
    assert keep_setting(config) is None
    config.write_text('keep = "all"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="`keep` is the number of earlier editions kept per report"):
        keep_setting(config)


def test_the_feed_is_atom_with_one_entry_per_edition(tmp_path):
    ledger = Ledger()
    make(tmp_path, ledger, "A")
    make(tmp_path, ledger, "B", "2026-11-26", EVENTS_2)
    make(tmp_path, ledger, "C", name="claims")
    root = ET.fromstring(feed_xml(tmp_path, ledger, ["timeline", "claims"]))
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
    assert feed_xml(tmp_path, ledger, ["timeline", "claims"]) == feed_xml(tmp_path, ledger, ["timeline", "claims"])


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
    unit = Commit(tmp_path)
    stage_pages(tmp_path, ledger, ["timeline"], unit)
    unit.apply()
    assert (tmp_path / ".nojekyll").is_file() and (tmp_path / "feed.xml").is_file()
    page = editions_html(tmp_path, ledger, ["timeline"]).decode()
    assert page.count('href="editions/') == 4
    assert 'href="lunar-report.pdf"' not in page, "the combined PDF does not exist yet"
    assert '<a href="feed.xml">' in page and 'type="application/atom+xml"' in page


def test_a_removed_edition_folder_leaves_no_dead_link(tmp_path):
    ledger = Ledger()
    first = make(tmp_path, ledger, "A")
    second = make(tmp_path, ledger, "B", events=EVENTS_2)
    (tmp_path / first.edition.folder / "timeline.html").unlink()
    page = editions_html(tmp_path, ledger, ["timeline"]).decode()
    assert f"{first.edition.folder}/timeline.html" not in page and f"{first.edition.folder}/timeline.pdf" in page
    links = [e.get("href") for e in ET.fromstring(feed_xml(tmp_path, ledger, ["timeline"])).iter(f"{ATOM}link")]
    assert f"{second.edition.folder}/timeline.html" in links and f"{first.edition.folder}/timeline.pdf" in links
