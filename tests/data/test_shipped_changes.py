"""The "What changed" words for edits of the shipped tables: rows named by their shipped titles and dates."""

from __future__ import annotations

import re

from change_tables import SHIPPED, compare, data, edited, joining


def test_an_added_event_is_named_with_its_date_at_its_precision():
    old = {"events.csv": data("events.csv", SHIPPED)}
    new = {"events.csv": edited("events.csv", joining, SHIPPED)}
    changes = compare(old, new, after={"as_of": "2026-11-26"})
    assert changes.intro == "Compared with the previous edition, as of 25 November 2026:"
    assert changes.items == ("Kyrgyzstan joins the ILRS (10 June 2025) was added.",)


def test_a_month_precision_date_is_not_printed_as_a_day():
    def monthly(table):
        return [
            {**r, "start": "2025-06", "precision": "month"} if r["id"] == "ilrs-join-kyrgyzstan" else r
            for r in joining(table)
        ]

    changes = compare(
        {"events.csv": data("events.csv", SHIPPED)}, {"events.csv": edited("events.csv", monthly, SHIPPED)}
    )
    assert changes.items == ("Kyrgyzstan joins the ILRS (June 2025) was added.",)


def test_a_changed_figure_shows_old_and_new_values_with_the_mission_name():
    def heavier(table):
        return [{**r, "value": "1735"} if r["id"] == "change-5-sample-mass" else r for r in table]

    old = {"figures.csv": data("figures.csv", SHIPPED), "missions.csv": data("missions.csv", SHIPPED)}
    new = {**old, "figures.csv": edited("figures.csv", heavier, SHIPPED)}
    assert compare(old, new).items == ("Chang’e-5 returned sample mass: 1,731 g → 1,735 g.",)


def test_removed_rows_and_revised_columns_are_named():
    def edit(table):
        table = [r for r in table if r["id"] != "ilrs-join-serbia"]
        return [{**r, "note": "Revised."} if r["id"] == "ilrs-join-egypt" else r for r in table]

    changes = compare({"events.csv": data("events.csv", SHIPPED)}, {"events.csv": edited("events.csv", edit, SHIPPED)})
    assert changes.items == (
        "Egypt (EgSA) joins the ILRS (6 December 2023): note revised.",
        "Serbia joins the ILRS as the eleventh country (May 2024) was removed.",
    )


def test_a_changed_date_and_verdict_show_before_and_after():
    def later(table):
        return [{**r, "start": "2023-07-18"} if r["id"] == "ilrs-join-venezuela" else r for r in table]

    def doubted(table):
        return [{**r, "verdict": "contradicted"} if r["id"] == "claim-headline" else r for r in table]

    old = {"events.csv": data("events.csv", SHIPPED), "claims.csv": data("claims.csv", SHIPPED)}
    new = {"events.csv": edited("events.csv", later, SHIPPED), "claims.csv": edited("claims.csv", doubted, SHIPPED)}
    items = compare(old, new).items
    assert (
        items[0] == "Venezuela joins the ILRS (ABAE–CNSA joint statement) (18 July 2023): 17 July 2023 → 18 July 2023."
    )
    assert re.fullmatch(r"the claim “China to team up with Russia.*”: supported → contradicted\.", items[1])
