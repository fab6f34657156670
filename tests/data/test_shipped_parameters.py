"""A mission parameter not in the shipped missions table names the valid ones."""

from __future__ import annotations

import pytest

from helpers import parameter_message as message
from helpers import with_notebook_defaults
from lunar_report.analysis import parameters as checkers

validate_mission_parameters = with_notebook_defaults(checkers.validate_mission_parameters, "mission_figures.ipynb")

pytestmark = pytest.mark.usefixtures("load_once")


def test_unknown_mission_lists_the_valid_ones(facts):
    valid = ", ".join(sorted(facts.missions["id"]))
    assert message(validate_mission_parameters, mission="change-9") == (
        f"mission: unknown mission 'change-9'; choose from: {valid}."
    )
