"""Checks before any kernel (config/preflight.py): the as-of range and each notebook's parameter checker."""

from __future__ import annotations

from datetime import date

import pytest

from helpers import NOTEBOOKS
from lunar_report.errors import ParameterError, UsageError
from lunar_report.pipeline.config import preflight
from lunar_report.pipeline.config.reports import CHECKER_MODULE, ReportSpec

TIMELINE = NOTEBOOKS / "timeline.ipynb"


@pytest.mark.parametrize(
    ("day", "ok"),
    [(date(1950, 1, 1), True), (date(2199, 12, 31), True), (date(1949, 12, 31), False), (date(2200, 1, 1), False)],
)
def test_check_as_of_bounds(day, ok):
    if ok:
        assert preflight.check_as_of(day) == day
    else:
        with pytest.raises(UsageError, match="is outside the supported range 1950-01-01 to 2199-12-31"):
            preflight.check_as_of(day)


def record(**parameters):
    record.calls.append(parameters)


def refuse(**parameters):
    raise ParameterError("mission: unknown mission 'x'.")


def spec(checker: str, declared=("data_dir", "mission"), **parameters) -> ReportSpec:
    return ReportSpec("r", TIMELINE, "T", parameters, frozenset(declared), checker)


@pytest.fixture
def checkers(monkeypatch):
    """`record` and `refuse` as checkers of lunar_report.analysis.parameters, the one module checkers come from."""
    from lunar_report.analysis import parameters

    monkeypatch.setattr(parameters, "validate_record", record, raising=False)
    monkeypatch.setattr(parameters, "validate_refuse", refuse, raising=False)
    return f"{CHECKER_MODULE}:validate_"


def test_the_checker_gets_the_parameters_and_what_render_supplies_if_declared(tmp_path, checkers):
    record.calls = []
    preflight.check_report_parameters(spec(f"{checkers}record", mission="m"), tmp_path, date(2026, 11, 25))
    preflight.check_report_parameters(spec(f"{checkers}record", declared=("as_of",)), tmp_path, date(2026, 11, 25))
    assert record.calls == [{"mission": "m", "data_dir": str(tmp_path)}, {"as_of": "2026-11-25"}]


def test_checker_errors_name_the_report_and_a_missing_checker_is_a_usage_error(tmp_path, checkers):
    with pytest.raises(ParameterError, match=r"^report r: mission: unknown mission 'x'\.$"):
        preflight.check_report_parameters(spec(f"{checkers}refuse"), tmp_path, date(2026, 11, 25))
    for missing in ("no.such.module:f", f"{__name__}:record", f"{checkers}nothing", "nocolon"):
        with pytest.raises(UsageError, match=f"names the parameter checker '{missing}', which cannot be imported"):
            preflight.check_report_parameters(spec(missing), tmp_path, date(2026, 11, 25))
