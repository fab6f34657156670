"""Notebook parameters: clean values back, or one clear line naming the parameter and what to give."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import parameter_message as message
from helpers import with_notebook_defaults
from lunar_report.analysis import parameters as checkers

validate_timeline_parameters = with_notebook_defaults(checkers.validate_timeline_parameters, "timeline.ipynb")
validate_mission_parameters = with_notebook_defaults(checkers.validate_mission_parameters, "mission_figures.ipynb")
validate_claims_parameters = with_notebook_defaults(checkers.validate_claims_parameters, "claims.ipynb")

UTC = "UTC"

pytestmark = pytest.mark.usefixtures("load_once")


def test_timeline_defaults_are_clean():
    params = validate_timeline_parameters(start="2017", as_of="2026-11-25")
    assert params.start == pd.Timestamp("2017-01-01", tz=UTC)
    assert params.end is None
    assert params.timezone == "UTC"
    assert "agreement" in params.categories
    assert params.as_of == pd.Timestamp("2026-11-25", tz=UTC)
    assert len(params.facts.events) > 0


def test_timeline_window_is_read_in_the_chosen_zone_and_end_is_inclusive():
    params = validate_timeline_parameters(start="2021-03", end="2021-04", timezone="Asia/Shanghai")
    assert params.start == pd.Timestamp("2021-02-28T16:00", tz=UTC)
    assert params.end == pd.Timestamp("2021-04-30T16:00", tz=UTC)


def test_a_year_may_be_given_as_a_number():
    params = validate_timeline_parameters(start=2021, end=2021)
    assert params.start == pd.Timestamp("2021-01-01", tz=UTC)
    assert params.end == pd.Timestamp("2022-01-01", tz=UTC)


def test_dates_may_be_given_as_date_objects():
    from datetime import date

    params = validate_timeline_parameters(start=date(2021, 3, 9), as_of=date(2026, 11, 25))
    assert params.start == pd.Timestamp("2021-03-09", tz=UTC)
    assert params.as_of == pd.Timestamp("2026-11-25", tz=UTC)


def test_as_of_none_is_today_utc():
    params = validate_timeline_parameters()
    assert params.as_of == pd.Timestamp.now(tz=UTC).normalize()


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"start": 2021.5},
            "start: expected a date as text (YYYY, YYYY-MM or YYYY-MM-DD) or None, got 2021.5 (float).",
        ),
        ({"end": True}, "end: expected a date as text (YYYY, YYYY-MM or YYYY-MM-DD) or None, got True (bool)."),
        ({"end": 21}, "end: '21' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD."),
        ({"start": "21-03-2021"}, "start: '21-03-2021' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD."),
        ({"end": "2021-02-30"}, "end: '2021-02-30' is not a calendar date; write YYYY, YYYY-MM or YYYY-MM-DD."),
        (
            {"start": "2022", "end": "2021-06"},
            "start (2022) is after end (2021-06); give a start on or before the end.",
        ),
        ({"timezone": "Europe/Paris"}, "timezone: unknown timezone 'Europe/Paris'; choose from: UTC, Asia/Shanghai."),
        ({"timezone": ["UTC"]}, "timezone: unknown timezone ['UTC']; choose from: UTC, Asia/Shanghai."),
        ({"categories": "agreement"}, "categories: expected a list of category names or None, got 'agreement' (str)."),
        (
            {"categories": ["agreement", "rumour"]},
            "categories: unknown 'rumour'; choose from: agreement, statement, briefing, mission, phase, partner, plan.",
        ),
        ({"as_of": "2026-13-01"}, "as_of: '2026-13-01' is not a calendar date; write YYYY-MM-DD."),
        ({"as_of": "2026"}, "as_of: '2026' is not a day; write YYYY-MM-DD."),
        ({"data_dir": 3}, "data_dir: expected a folder path as text, got 3 (int)."),
    ],
)
def test_timeline_parameter_messages(kwargs, expected):
    assert message(validate_timeline_parameters, **kwargs) == expected


def test_missing_data_dir_is_named(tmp_path):
    missing = tmp_path / "nowhere"
    assert message(validate_claims_parameters, data_dir=str(missing)) == (
        f"data_dir: folder '{missing}' does not exist; give the folder that holds events.csv."
    )


def test_mission_parameters_are_clean():
    params = validate_mission_parameters(mission="change-6", compare_with=["luna-24", "change-5", "luna-24"])
    assert params.mission == "change-6"
    assert params.compare_with == ("luna-24", "change-5")


def test_mission_of_wrong_type_and_bad_comparison():
    assert message(validate_mission_parameters, mission=5) == "mission: expected a mission id as text, got 5 (int)."
    assert message(validate_mission_parameters, compare_with="luna-24") == (
        "compare_with: expected a list of mission ids or None, got 'luna-24' (str)."
    )
    assert message(validate_mission_parameters, compare_with=["luna-99"]).startswith(
        "compare_with: unknown mission 'luna-99'; choose from: apollo-11, "
    )


def test_the_claims_check_loads_no_data_until_the_notebook_uses_it(monkeypatch, tmp_path):
    loaded = []
    monkeypatch.setattr(checkers, "load_facts", loaded.append)
    checked = validate_claims_parameters(data_dir=str(tmp_path), as_of="2026-11-25")
    assert loaded == []
    assert checked.facts is None  # what the stand-in load returned
    assert loaded == [tmp_path]
