"""Provenance: rows that only the article states are told apart from rows that reference sources back."""

from __future__ import annotations

from lunar_report.analysis.provenance import article_ids, is_article_only, reference_events


def test_the_article_is_the_only_article_source(facts):
    assert article_ids(facts) == {"tass-1283825"}


def test_reference_events_leave_out_the_article_only_rows(facts):
    only_article = is_article_only(facts.events, facts)
    kept = reference_events(facts)
    assert only_article.any() and len(kept) == len(facts.events) - int(only_article.sum())
    assert not kept["id"].str.startswith("art-").any()
    assert facts.events.loc[only_article, "source"].eq("tass-1283825").all()
