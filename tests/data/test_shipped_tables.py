"""The mission phase tables of the shipped missions."""

from __future__ import annotations

from lunar_report.analysis import missions
from lunar_report.analysis.tables.missions import mission_phase_table


def test_every_shipped_mission_with_phase_events_gets_a_row_per_phase(facts):
    for mission in facts.missions["id"]:
        phases = missions.phase_events(facts, mission)
        if not phases.empty:
            table = mission_phase_table(facts, mission)
            assert list(table["Phase"]) == [missions.PHASE_NAMES[str(m)] for m in phases["milestone"]]
