"""What a rendered report page holds for a reader: its key findings and its sections as plain text.

The front page quotes the findings and the search index is built from the sections, both read
back from the pages the build wrote (our own markup: `.lr-findings` items, `h2`/`h3` with ids).
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

SECTION_TEXT = 600  # characters of a section's text kept in the search index
_SKIPPED = {"script", "style", "nav", "header", "footer", "summary"}


@dataclass
class Finding:
    """One key finding: its sentence and the section it links to."""

    text: str
    href: str


@dataclass
class Section:
    """A section of a report: its heading's id and text, and its text (shortened)."""

    anchor: str
    title: str
    text: str = ""


@dataclass
class Page:
    """The parts of a report page the site reuses."""

    findings: list[Finding] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    title: str = ""
    """The text of its first `h1`."""
    up: str = ""
    """The first link of its `main`: on a claim's page, the report it belongs to."""
    description: str = ""
    """Its meta description: the opening of its first paragraph, what the report answers."""
    thumbnail_alt: str = ""
    """The alt text of the figure that is its thumbnail (the image marked `data-thumbnail`)."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._skip = 0
        self._in_findings = 0
        self._finding: Finding | None = None
        self._heading: Section | None = None
        self._in_main = False
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        self._in_main = self._in_main or tag == "main"
        self._in_title = self._in_title or (tag == "h1" and not self.page.title)
        if tag == "meta" and values.get("name") == "description":
            self.page.description = values.get("content") or ""
        if tag == "img" and "data-thumbnail" in values and not self.page.thumbnail_alt:
            self.page.thumbnail_alt = values.get("alt") or ""
        if tag == "a" and self._in_main and not self.page.up:
            self.page.up = values.get("href") or ""
        if tag in _SKIPPED or "anchor-link" in classes:
            self._skip += 1
        elif "lr-findings" in classes:
            self._in_findings += 1
        elif self._in_findings and tag == "li":
            self._finding = Finding("", "")
        elif self._finding is not None and tag == "a":
            self._finding.href = self._finding.href or values.get("href") or ""
            self._skip += 1  # the link names the section: not part of the sentence
        elif tag in ("h2", "h3") and values.get("id") and not self._in_findings:
            self._heading = Section(values["id"] or "", "")
            self.page.sections.append(self._heading)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED or (tag == "a" and self._skip and (self._heading is not None or self._finding is not None)):
            self._skip = max(0, self._skip - 1)
        elif tag == "section" and self._in_findings:
            self._in_findings -= 1
        elif tag == "li" and self._finding is not None:
            self._finding.text = " ".join(self._finding.text.split())
            self.page.findings.append(self._finding)
            self._finding = None
        elif tag in ("h2", "h3"):
            self._heading = None
        elif tag == "h1":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.page.title += data
        if self._finding is not None:
            self._finding.text += data
        elif self._heading is not None:
            self._heading.title += data
        elif self.page.sections and not self._in_findings:
            section = self.page.sections[-1]
            if len(section.text) < SECTION_TEXT:
                section.text = (section.text + " " + " ".join(data.split())).strip()[:SECTION_TEXT]


def read_page(path: Path) -> Page:
    """The findings and sections of the report page at `path` (an empty Page if it does not exist)."""
    try:
        markup = path.read_text(encoding="utf-8")
    except OSError:
        return Page()
    return copy.deepcopy(_parsed(markup))


@functools.lru_cache(maxsize=64)
def _parsed(markup: str) -> Page:
    """A page parsed once per process: the index and the search index read the same pages, and preview reads
    every page again after each edit."""
    reader = _Reader()
    reader.feed(markup)
    for section in reader.page.sections:
        section.title = " ".join(section.title.split())
    reader.page.title = " ".join(reader.page.title.split())
    return reader.page
