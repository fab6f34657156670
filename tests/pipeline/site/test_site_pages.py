"""The site's pages: read back, the search index, the front page, edition copies."""

from __future__ import annotations

import json

import matplotlib

from lunar_report.pipeline.config.settings import SiteReport
from lunar_report.pipeline.site import index, search
from lunar_report.pipeline.site import page_text as reading
from lunar_report.pipeline.store import editions
from lunar_report.pipeline.store.manifest import Entry, Status

matplotlib.use("Agg")


PAGE = """<html><body><nav class="lr-toc"><a href="#A">A</a></nav>
<section class="lr-findings" aria-label="Key findings"><h2>Key findings</h2><ul>
<li><strong>10 countries</strong> joined. <a class="lr-more" href="#Partner-countries">Partner countries</a></li>
</ul></section>
<h2 id="Partner-countries">Partner countries<a class="anchor-link" href="#Partner-countries">¶</a></h2>
<p>Ten &amp; more.</p><script>ignored()</script>
</body></html>"""


def test_reading_a_page_back_gives_its_findings_and_sections(tmp_path):
    (tmp_path / "t.html").write_text(PAGE, encoding="utf-8")
    page = reading.read_page(tmp_path / "t.html")
    assert [(f.text, f.href) for f in page.findings] == [("10 countries joined.", "#Partner-countries")]
    assert [(s.anchor, s.title, s.text) for s in page.sections] == [
        ("Partner-countries", "Partner countries", "Ten & more.")
    ]
    assert reading.read_page(tmp_path / "missing.html") == reading.Page()


def test_the_search_index_is_relative_and_reproducible(tmp_path):
    (tmp_path / "t.html").write_text(PAGE, encoding="utf-8")
    reports = (SiteReport("t", "The T report"),)
    script = search.search_index(tmp_path, reports)
    assert script == search.search_index(tmp_path, reports)
    entries = json.loads(script.decode().removeprefix("window.LUNAR_SEARCH = ").rstrip(";\n"))
    assert {e["u"] for e in entries} == {"t.html", "t.html#Partner-countries"}
    assert all(e["r"] == "The T report" for e in entries)


def test_the_search_index_finds_each_claim_page_of_a_report_on_the_menu(tmp_path):
    from lunar_report.pipeline.site.claim_pages import CLAIMS_DIR, claim_page

    claim = {
        "id": "claim-x",
        "asserts": "Testland & co. <joined>",
        "quote": "we joined",
        "published": "",
        "checks": [
            {
                "heading": "At publication",
                "verdict": "supported",
                "slug": "supported",
                "why": "It said so.",
                "sources": [],
            },
            {"heading": "Now", "verdict": "outdated", "slug": "outdated", "why": "Times changed.", "sources": []},
        ],
        "review": None,
    }
    nav = {"name": "t", "reports": [{"title": "The T report", "href": ""}]}
    (tmp_path / CLAIMS_DIR).mkdir()
    (tmp_path / CLAIMS_DIR / "claim-x.html").write_bytes(claim_page("claims/claim-x.html", claim, nav, "The T", None))
    (tmp_path / CLAIMS_DIR / "orphan.html").write_bytes(
        claim_page("claims/orphan.html", claim, {**nav, "name": "gone"}, "Gone", None)
    )
    entries = search.search_entries(tmp_path, (SiteReport("t", "The T report"),))
    assert [e for e in entries if e["u"].startswith(CLAIMS_DIR)] == [
        {
            "r": "The T report",
            "s": "Testland & co. <joined>",
            "u": "claims/claim-x.html",
            "x": "At publication: supported. It said so. No reference source is cited for this check. "
            "Now: outdated. Times changed. No reference source is cited for this check. Grades: A official or "
            "peer-reviewed, B reputable news, C encyclopedia mirror or other secondary source.",
        }
    ]


def test_the_front_page_shows_findings_figures_thumbnails_and_both_files(tmp_path):
    (tmp_path / "t.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "t.pdf").write_bytes(b"%PDF")
    (tmp_path / "t.png").write_bytes(b"png")
    ledger = editions.Ledger()
    ledger.reports["t"] = [
        editions.Edition(
            id="2026-11-25-0123456789",
            as_of="2026-11-25",
            title="The T report",
            inputs="x",
            files=["t.html"],
            figures={"Claims supported, when published": "25", "Claims supported, now": "26", "Partners": "10"},
            changes=["This is the first edition of this report: there is no earlier one to compare with."],
        )
    ]
    editions.save_ledger(tmp_path, ledger)
    entry = Entry(Status.RENDERED, title="The T report", as_of="2026-11-25", parameters={}, configured=True)
    front = index.index_pages({"t": entry}, ["t"], tmp_path, ledger)["index.html"].decode("utf-8")
    assert '<a href="t.html#Partner-countries">The T report</a>: 10 countries joined.' in front
    assert "<strong>25 → 26</strong><span>Claims supported: when published → now" in front
    assert "<strong>10</strong><span>Partners" in front
    assert '<img src="t.png" alt="The T report" width="640" height="360" loading="lazy"' in front
    assert 'href="t.html"' in front and 'href="t.pdf"' in front
    assert "This is the first edition of this report" not in front, "a first edition has nothing to say changed"
    assert "These are the reports’ first editions, as of 25 November 2026" in front
    figures = front.split('<h2 id="figures">', 1)[1].split("<h2 ", 1)[0]
    assert "<a " not in figures, "key figures repeat no report link: the report's card has it"
    assert 'href="build.html"' in front and "Fingerprint" not in front


def test_an_edition_copy_names_the_current_page_as_canonical():
    from lunar_report.pipeline.site.links import report_chrome, report_nav
    from lunar_report.pipeline.store.editions import Edition

    reports = [SiteReport("t", "The <T> report")]
    edition = Edition(id="2026-11-25-0123456789", as_of="2026-11-25", title="The <T> report", inputs="x")
    current = report_chrome(report_nav("t", reports, ("html",), None), "The <T> report", "What it says.", "t.png")
    kept = report_chrome(report_nav("t", reports, ("html",), None, edition), "The <T> report", "What it says.", "t.png")
    assert 'rel="canonical"' not in current["head"]
    assert '<link rel="canonical" href="../../t.html">' in kept["head"]
    assert '<meta property="og:image" content="../../t.png">' in kept["head"]
    assert '<meta property="og:image" content="t.png">' in current["head"]
    for chrome in (current, kept):
        assert (
            '<html lang="en">' in chrome["head"]
            and '<meta name="description" content="What it says.">' in chrome["head"]
        )
        assert "<title>The &lt;T&gt; report</title>" in chrome["head"] and 'rel="icon" href="data:' in chrome["head"]
    assert 'href="../../index.html"' in kept["bar"] and 'href="../../build.html"' in kept["foot"]


def test_the_front_page_repeats_each_plan_at_or_past_its_date(tmp_path):
    plan = (
        "<li><strong>Fixture Lander 2 launch</strong> (overdue: 2027 has ended): planned for 2027; no launch recorded "
        'in the fact base as of 1 February 2028. <a class="lr-more" href="#Plans-at-or-past-their-date">'
        "Plans at or past their date</a></li>\n</ul></section>"
    )
    (tmp_path / "t.html").write_text(PAGE.replace("</ul></section>", plan, 1), encoding="utf-8")
    entry = Entry(Status.RENDERED, title="The T report", as_of="2028-02-01", parameters={}, configured=True)
    front = index.index_pages({"t": entry}, ["t"], tmp_path, editions.Ledger())["index.html"].decode("utf-8")
    assert '<a href="t.html#Partner-countries">The T report</a>: 10 countries joined.' in front
    assert (
        '<li class="lr-plan"><a href="t.html#Plans-at-or-past-their-date">The T report</a>: Fixture Lander 2 launch '
        "(overdue: 2027 has ended): planned for 2027; no launch recorded in the fact base as of 1 February 2028.</li>"
    ) in front
