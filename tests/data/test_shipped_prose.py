"""What the reports say about the shipped data, against counts computed from it."""

from __future__ import annotations

from helpers import assert_missions_described
from known import AS_OF
from lunar_report.analysis import claims as claimcheck
from lunar_report.analysis.display import Sentence
from lunar_report.analysis.prose import claims as claims_prose
from lunar_report.analysis.prose import timeline as timeline_prose
from lunar_report.analysis.provenance import reference_events
from lunar_report.analysis.timeline import partner_joinings, targets
from lunar_report.facts.dates import coarse_dates, format_event_date, format_partial, years_between
from lunar_report.facts.schema import VERDICTS


def text(sentences: list[Sentence]) -> str:
    assert all(isinstance(sentence, Sentence) for sentence in sentences)
    return " ".join(sentence.formatted() for sentence in sentences)


# --- the shipped data: what the sentences say equals what is computed from it ----------------


def test_shipped_partner_sentence_counts_the_dated_joinings(facts):
    events = reference_events(facts)
    joinings = partner_joinings(events)
    said = text(timeline_prose.partner_sentences(facts, joinings, "UTC", events))
    first, last = joinings.iloc[0], joinings.iloc[-1]
    assert (
        f"**{len(joinings)} countries** besides China and Russia have a dated government-level joining: the first "
        f"was {first['country']} ({format_event_date(first)}), the latest dated partner {last['country']} "
        f"({format_event_date(last)}); {int(coarse_dates(joinings['precision']).sum())} of these dates" in said
    )
    count, label = timeline_prose.stated_partner_line(facts)
    assert f"stated **{count} countries**" in said and f"against **{len(joinings)}** with a dated" in said
    assert label.startswith(f"{count} countries stated")


def test_shipped_target_sentences_count_the_years_to_each_target(facts):
    said = text(timeline_prose.target_sentences(facts, AS_OF, "UTC"))
    for _, target in targets(facts).iterrows():
        left = years_between(AS_OF, target["deadline"])
        if left >= 0:
            assert f"On 25 November 2026, {left:.1f} years remain until 1 January {target['target']}." in said
        else:  # a year under way (Chang’e-7's 2026)
            assert (
                f"On 25 November 2026, {target['target']} is under way: 1 January {target['target']} passed "
                f"{-left:.1f} years before then." in said
            )


def test_shipped_tally_is_counted_from_the_claims_table(facts):
    said = text(claims_prose.tally_sentences(facts.claims, "in the article", facts))

    def tally(column: str) -> str:
        counts = facts.claims[column].value_counts()
        return ", ".join(f"{counts[verdict]} {verdict}" for verdict in VERDICTS if verdict in counts)

    reviewed = format_partial(claimcheck.claims_reviewed(facts))
    assert f"**{len(facts.claims)} claims** in the article" in said
    assert (
        f"When published (27 April 2021): {tally('verdict')}. Now (reviewed {reviewed}): {tally('verdict_now')}."
        in said
    )


def test_every_shipped_mission_is_described_in_full(facts):
    """Every section of every mission's report says something, names the mission, and leaves no value out."""
    assert_missions_described(facts)
