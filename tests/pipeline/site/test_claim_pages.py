"""One page per claim (claims/<claim-id>.html): its single ClaimReview, both checks, linked from the claims report."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import AS_OF, NOTEBOOKS, copy_minimal, run_cli, set_cell, write_config
from lunar_report.pipeline.site.claim_pages import claim_page, side_pages, to_current_pages

SITE = "https://example.org/lunar/"
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _WellFormed(HTMLParser):
    """Every element closed, in order (void elements excepted)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1] if self.open else 'nothing'}")
        else:
            self.open.pop()


def well_formed(page: str) -> list[str]:
    parser = _WellFormed()
    parser.feed(page)
    parser.close()
    return parser.errors + [f"<{tag}> never closed" for tag in parser.open]


NAV = {"name": "claims", "reports": [{"title": "Timeline", "href": "timeline.html"}, {"title": "Claims", "href": ""}]}
CLAIM = {
    "id": "claim-x",
    "asserts": "It </script><!-- happened",
    "quote": "It <b>happened</b>",
    "published": "27 April 2021",
    "checks": [
        {"heading": "When published", "verdict": "supported", "slug": "supported", "why": "a & b", "sources": []},
        {
            "heading": "Now",
            "verdict": "partly supported",
            "slug": "partly-supported",
            "why": "c",
            "sources": [{"title": "T", "publisher": "P", "published": "1 May 2021", "grade": "A", "url": "https://x/"}],
        },
    ],
    "review": {
        "@type": "ClaimReview",
        "claimReviewed": "It </script><!-- happened",
        "url": f"{SITE}claims/claim-x.html",
    },
}


def test_a_claim_page_is_themed_escaped_and_carries_one_review_that_data_cannot_close():
    page = claim_page("claims/claim-x.html", CLAIM, NAV, "The claims", SITE).decode()
    assert well_formed(page) == []
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert page.count("</script>") == 2, "the footer's script and the review's, no closing tag from data"
    (review,) = LD_JSON.findall(page)
    assert json.loads(review) == CLAIM["review"]
    assert f'<link rel="canonical" href="{SITE}claims/claim-x.html">' in page
    assert '<meta name="description" content="The claim “It &lt;b&gt;happened&lt;/b&gt;” checked twice' in page
    assert '<a href="../claims.html#claim-x">The claims</a>' in page and 'href="../timeline.html"' in page
    assert '<span class="lr-badge lr-v-partly-supported">partly supported</span>' in page, "words and colour"
    assert "<b>" not in page and "a &amp; b" in page
    assert "<style>" in page and page.count("<style>") == 1, "self-contained: the one stylesheet inline"


def test_without_the_site_address_a_page_has_no_review_and_no_canonical_link():
    page = claim_page("claims/claim-x.html", {**CLAIM, "review": None}, NAV, "The claims", None).decode()
    assert "application/ld+json" not in page and 'rel="canonical"' not in page


def test_a_page_outside_the_claims_folder_is_refused():
    with pytest.raises(ValueError, match="outside claims/"):
        side_pages({"../index.html": CLAIM}, NAV, "The claims", SITE)


def test_an_edition_copy_links_the_current_claim_pages():
    card = b'<a class="lr-claim-page" href="claims/claim-x.html">'
    assert to_current_pages(card, "../../") == b'<a class="lr-claim-page" href="../../claims/claim-x.html">'


def _render_args(tmp_path: Path, data: Path, out: Path) -> tuple[str, ...]:
    config = write_config(tmp_path, [{"name": "claims", "notebook": NOTEBOOKS / "claims.ipynb"}])
    config.write_text(f'base_url = "{SITE}"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    args = ("render", "claims", "--to", "html", "--config", str(config), "--data", str(data), "--out", str(out))
    return args


@pytest.mark.slow
def test_each_claim_has_its_page_linked_from_the_report_and_a_removed_claim_loses_it(tmp_path, capsys):
    data, out = copy_minimal(tmp_path / "data"), tmp_path / "out"
    args = _render_args(tmp_path, data, out)
    result = run_cli(capsys, *args, "--as-of", AS_OF)
    assert result.code == 0, result.stderr
    report = (out / "claims.html").read_text(encoding="utf-8")
    assert 'href="claims/claim-social.html"' in report and "application/ld+json" not in report
    page_file = out / "claims/claim-social.html"
    page = page_file.read_text(encoding="utf-8")
    assert well_formed(page) == [] and page_file.stat().st_size <= 400_000
    (review,) = (json.loads(found) for found in LD_JSON.findall(page))
    assert review["@type"] == "ClaimReview" and review["url"] == f"{SITE}claims/claim-social.html"
    assert f'<link rel="canonical" href="{review["url"]}">' in page
    assert review["claimReviewed"] and review["reviewRating"]["alternateName"]
    assert review["itemReviewed"]["author"]["name"] and review["itemReviewed"]["appearance"]["url"].startswith("http")
    edition = next((out / "editions").glob("**/claims.html")).read_text(encoding="utf-8")
    assert 'href="../../claims/claim-social.html"' in edition, "an edition's copy links the current page"

    set_cell(data, "claims.csv", 2, "id", "claim-renamed")
    result = run_cli(capsys, *args, "--as-of", AS_OF)
    assert result.code == 0, result.stderr
    assert (out / "claims/claim-renamed.html").is_file()
    assert not page_file.exists(), "the page of a claim no longer in the data is removed with the render"


@pytest.mark.parametrize("page", ["../index.html", "/etc/passwd.html", "claims/../x.html", ".hidden.html"])
def test_a_manifest_naming_a_page_outside_the_output_folder_is_not_used(tmp_path, page):
    from lunar_report.pipeline.store.manifest import (
        MANIFEST_NAME,
        Entry,
        Manifest,
        Status,
        load_manifest,
        manifest_bytes,
    )

    entry = Entry(Status.RENDERED, "Claims", AS_OF, {}, pages=["claims/claim-x.html", page])
    (tmp_path / MANIFEST_NAME).write_bytes(manifest_bytes(Manifest({"claims": entry})))
    assert load_manifest(tmp_path).reports == {}, "unusable: everything is re-rendered, nothing removed"
