"""A plan past its date, rendered: the timeline as of a later date says so in words, and so does the front page."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from helpers import render, write_config
from known import with_planned_launch

pytestmark = pytest.mark.slow

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_the_timeline_says_a_plan_is_overdue_as_of_a_later_date(tmp_path, capsys):
    data = with_planned_launch(tmp_path / "data", "2027", "year")
    config = write_config(tmp_path, [{"name": "timeline", "notebook": NOTEBOOKS / "timeline.ipynb"}])
    out = tmp_path / "out"
    result = render(capsys, config, out, data, "--to", "html", as_of="2028-02-01")
    assert result.code == 0, result.stderr
    said = text_of((out / "timeline.html").read_text(encoding="utf-8"))
    line = (
        "Fixture Lander 2 launch (overdue: 2027 has ended): planned for 2027; no launch recorded in the fact base "
        "as of 1 February 2028."
    )
    assert line in said
    assert "Fixture Lander 2 launch (planned for 2027, overdue)" in said, "the freshness warning names it"
    assert "may be out of date" not in said
    front = text_of((out / "index.html").read_text(encoding="utf-8"))
    assert line in front
