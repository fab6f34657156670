"""reports.toml matrices and parameter values (config/reports.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from datetime import time as clock

import pytest

from helpers import NOTEBOOKS, write_config
from lunar_report.errors import ConfigError
from lunar_report.pipeline.config.reports import load_reports, plain_value

TIMELINE = NOTEBOOKS / "timeline.ipynb"


# --- config ----------------------------------------------------------------------------------------------


def test_a_matrix_expands_to_one_report_per_combination(tmp_path):
    config = tmp_path / "reports.toml"
    config.write_text(
        "[[report]]\n"
        'name = "t-{start}-{end}"\n'
        f'notebook = "{TIMELINE}"\n'
        'title = "Timeline {start}–{end}"\n'
        'parameters = { timezone = "UTC", categories = ["agreement"] }\n'
        'matrix = { start = ["2017", 2021-03-01], end = ["2025", "2030"] }\n',
        encoding="utf-8",
    )
    specs = load_reports(config)
    assert [s.name for s in specs] == ["t-2017-2025", "t-2017-2030", "t-2021-03-01-2025", "t-2021-03-01-2030"]
    assert specs[2].title == "Timeline 2021-03-01–2025"
    assert specs[2].parameters == {"timezone": "UTC", "categories": ["agreement"], "start": "2021-03-01", "end": "2025"}


def test_matrix_names_must_be_file_stems_and_unique(tmp_path):
    def load(name: str):
        config = write_config(tmp_path, [{"name": name, "notebook": TIMELINE}])
        text = config.read_text(encoding="utf-8") + 'matrix = { timezone = ["UTC", "Asia/Shanghai"] }\n'
        config.write_text(text, encoding="utf-8")
        return load_reports(config)

    with pytest.raises(ConfigError, match=r"name 't-Asia/Shanghai' may hold only letters"):
        load("t-{timezone}")
    with pytest.raises(ConfigError, match="report names must be unique; repeated: t"):
        load("t")
    with pytest.raises(ConfigError, match=r"`name` uses \{nope\}, which is not a matrix key; use one of: timezone\."):
        load("t-{nope}")


def test_a_key_both_in_parameters_and_matrix_is_an_error(tmp_path):
    config = tmp_path / "reports.toml"
    config.write_text(
        f'[[report]]\nname = "t-{{timezone}}"\nnotebook = "{TIMELINE}"\ntitle = "T"\n'
        'parameters = { timezone = "UTC" }\nmatrix = { timezone = ["UTC"] }\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="timezone is both a parameter and a matrix key"):
        load_reports(config)


def test_plain_value_turns_dates_into_iso_text_and_refuses_other_types():
    value = {
        "day": date(2021, 3, 1),
        "when": datetime(2021, 3, 1, 5, 42, tzinfo=UTC),
        "time": clock(5, 42),
        "list": [date(2021, 3, 1), ("a", 1)],
        "n": 1.5,
        "none": None,
        "yes": True,
    }
    assert plain_value(value, "w") == {
        "day": "2021-03-01",
        "when": "2021-03-01T05:42:00+00:00",
        "time": "05:42:00",
        "list": ["2021-03-01", ["a", 1]],
        "n": 1.5,
        "none": None,
        "yes": True,
    }
    with pytest.raises(ConfigError, match=r"^w: b'x' \(bytes\) cannot be a parameter; give text, a number"):
        plain_value({"k": b"x"}, "w")
