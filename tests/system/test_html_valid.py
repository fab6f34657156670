"""Every page of the rendered site is valid HTML, as the Nu HTML Checker (the W3C's validator) reads it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

VNU = Path(__file__).resolve().parents[1] / "browser" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.slow
def test_every_page_of_the_site_is_valid_html(rendered_reports):
    java = shutil.which("java")
    assert java and VNU.is_file(), "the Nu HTML Checker needs Java and tests/browser's packages: run make setup-test"
    pages = sorted(rendered_reports.rglob("*.html"))
    assert len(pages) > 10, "the reports, the site pages, the claims' pages and the edition copies"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, pages)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    found = [f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m.get('message', '')}" for m in messages]
    assert not found, "\n".join(found[:20])


@pytest.mark.slow
def test_the_checker_refuses_what_the_site_must_not_contain(tmp_path):
    java = shutil.which("java")
    assert java and VNU.is_file(), "the Nu HTML Checker needs Java and tests/browser's packages: run make setup-test"
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><title>t</title><a href="data:text/csv,a b">x</a>', encoding="utf-8"
    )
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", str(page)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert any("href" in m.get("message", "") for m in json.loads(result.stderr)["messages"])
