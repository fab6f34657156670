"""The documentation: the pages generated from the code are current, and every relative link leads to a file."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
PAGES = sorted(
    [PROJECT / "README.md", PROJECT / "CONTRIBUTING.md", *(PROJECT / "docs").rglob("*.md")],
    key=lambda p: p.relative_to(PROJECT).as_posix(),
)
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|<(?:img|a)\s[^>]*?(?:src|href)=\"([^\"]+)\"")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE = re.compile(r"`[^`\n]*`")


def _make_docs():
    spec = importlib.util.spec_from_file_location("make_docs", PROJECT / "scripts" / "make-docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("page", ["docs/data/fact-base.md", "docs/authors/cli.md"])
def test_generated_pages_match_the_code(page):
    fresh = _make_docs().pages(PROJECT)[Path(page)]
    committed = (PROJECT / page).read_text(encoding="utf-8")
    assert committed == fresh, f"{page} no longer matches the code it is generated from: run make docs"


def _links(text: str) -> list[str]:
    text = CODE.sub("", FENCE.sub("", text))
    return [a or b for a, b in LINK.findall(text)]


def test_the_link_finder_sees_markdown_and_html_links_outside_code():
    text = 'See [a](docs/a.md#x), ![p](img.png "t") and <img src="b.png" alt="">.\n```\n[no](c.md)\n```\n`[no](d.md)`'
    assert _links(text) == ["docs/a.md#x", "img.png", "b.png"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(PROJECT).as_posix())
def test_every_relative_link_leads_to_a_file(page):
    broken = []
    for target in _links(page.read_text(encoding="utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # an address (https:, mailto:) or a place in the same page
        path = target.split("#", 1)[0].split("?", 1)[0]
        if not (page.parent / path).exists():
            broken.append(target)
    assert not broken, f"{page.relative_to(PROJECT)} links to files that do not exist: {', '.join(broken)}"


def test_the_docs_do_not_tell_how_the_product_was_developed():
    words = re.compile(r"\b(issues?|branch|commit [0-9a-f]{7,40}|[0-9a-f]{7} \(|sessions?)\b", re.IGNORECASE)
    allowed = re.compile(r"\b(preview|dask|process)\s+sessions?\b|\bsession\.py\b", re.IGNORECASE)  # product words
    found = []
    for page in PAGES:
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            if words.search(allowed.sub("", line)):
                found.append(f"{page.relative_to(PROJECT)}:{number}: {line.strip()}")
    assert not found, "history belongs in CHANGELOG.md:\n" + "\n".join(found)


def test_the_code_does_not_name_its_development_history():
    numbered = re.compile(r"\b(?:issues?|PR|pull request) ?#?\d+\b", re.IGNORECASE)
    found = []
    for folder in ("src", "bench", "scripts", "tests"):
        for path in sorted((PROJECT / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if numbered.search(line) and "numbered = re.compile" not in line:
                    found.append(f"{path.relative_to(PROJECT)}:{number}: {line.strip()}")
    assert not found, "history belongs in CHANGELOG.md:\n" + "\n".join(found)
