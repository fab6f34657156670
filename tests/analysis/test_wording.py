"""How values read: dates with their zone, actors, intervals only as precise as their ends, durations, masses."""

from __future__ import annotations

import math

import pandas as pd

from lunar_report.analysis import wording


def test_zone_names_for_labels():
    assert wording.zone_name("UTC") == "UTC"
    assert wording.zone_name("Asia/Shanghai") == "Asia/Shanghai, UTC+8"


def test_who_names_the_first_actor_and_the_rest_in_brackets():
    assert wording.who("CMSA;Lin Xiqiang") == "CMSA (Lin Xiqiang)"
    assert wording.who("Roscosmos") == "Roscosmos"
    assert wording.who(pd.NA) == "an unnamed source"


def test_interval_text_is_no_finer_than_its_dates():
    assert wording.interval_text(1224.3, "day") == "1,224 days (3.35 years)"
    assert wording.interval_text(1224.3, "month") == "about 40 months (3.4 years)"
    assert wording.interval_text(1224.3, "year") == "about 3 years"


def test_mass_text_in_grams_or_kilograms():
    assert wording.mass_text(1731) == "1,731 g"
    assert wording.mass_text(55.5) == "55.5 g"
    assert wording.mass_text(30.0) == "30 g"
    assert wording.mass_text(1731, kilograms_from=1000) == "1.73 kg"
    assert wording.mass_text(110_500, kilograms_from=1000) == "110.50 kg"
    assert wording.mass_text(999, kilograms_from=1000) == "999 g"
    assert wording.mass_text(1731, kilograms_from=math.inf) == wording.mass_text(1731)
