"""The fact base covers the article: every checkable sentence has a claim, every article quote is verbatim."""

from __future__ import annotations

import json
import re

import pytest

ARTICLE_ID = "tass-1283825"

# The specification: every sentence of the article that states a checkable fact
# (headline and section heading included), copied from data/sources/article.txt.
CHECKABLE_SENTENCES = [
    "China to team up with Russia, other partners in creating lunar station — diplomat",
    "On March 9, Russia’s State Space Corporation Roscosmos and the China National Space Administration signed"
    " a memorandum of mutual understanding on behalf of their governments",
    "BEIJING, April 27. /TASS/.",
    "China is set to cooperate with Russia and other interested parties in the project of creating an international"
    " scientific lunar station, Chinese Foreign Ministry Spokesperson Wang Wenbin told a regular press conference on Tuesday.",
    "The latest Chinese-Russian declaration on creating a lunar station demonstrates the confidence of both parties and"
    ' their resolve in implementing cooperation in exploring the Moon and deep space," the spokesperson said.',
    "China is ready to cooperate with Russia and other interested countries, international organizations and partners"
    " in building a lunar station to make contribution to scientific research of outer space and social and economic"
    ' development," the diplomat added.',
    "On March 9, Russia’s State Space Corporation Roscosmos and the China National Space Administration (CNSA) signed"
    " a memorandum of mutual understanding on behalf of their governments on cooperation in creating an international"
    " scientific lunar station (ISLS).",
    "The signing ceremony was held via a video conference.",
    "Russia-China interaction envisages both studying the lunar surface and implementing joint projects in the orbit"
    " of the Earth’s natural satellite.",
    "In November 2017, Roscosmos and CNSA signed a space cooperation program for 2018-2022.",
    "It comprises six sections: the study of the Moon and deep space, space research and related technologies,"
    " satellites and their use, the components base and materials, cooperation in the data of Earth’s remote sensing"
    " and other issues.",
    "Working sub-groups were set up to implement projects under this program.",
    "China’s Chang’e-5 robotic lunar mission",
    "On November 24, 2020, the Chang’e-5 spacecraft blasted off towards the Moon atop a Changzheng-5 carrier rocket"
    " from the Wenchang spaceport on China’s southern island province of Hainan.",
    "In about 23 days, the spacecraft returned to Earth after collecting around 2 kg of lunar rock for study by"
    " Chinese specialists and for the project of preparing for the construction of a scientific lunar base.",
    "On December 17, the Chang’e-5 returnable capsule successfully landed on the territory of the Inner Mongolia"
    " Autonomous Region in China’s north.",
    "China became the first state over the past 44 years to carry out a mission to retrieve geological rocks from"
    " the Moon’s surface.",
    "By 2030, CNSA plans to send a crewed mission to the Earth’s natural satellite.",
]

# Sentences with nothing to check, and why.
UNCHECKABLE_SENTENCES = [
    "All news",  # the site's navigation link
    # an evaluation ("important dimension", "significant progress"), not a checkable fact:
    "Outer space is an important dimension of the relationships of comprehensive mutually advantageous cooperation"
    " between Russia and China where significant progress has been achieved in recent years.",
]


def normalise(text: str) -> str:
    """Whitespace as a reader sees it: non-breaking spaces become spaces, runs collapse to one."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


@pytest.fixture(scope="module")
def article_path(facts):
    text_file = facts.sources.set_index("id").loc[ARTICLE_ID, "text_file"]
    return facts.data_dir / text_file


@pytest.fixture(scope="module")
def article(article_path) -> str:
    return normalise(article_path.read_text(encoding="utf-8"))


def test_listed_sentences_are_the_whole_article(article):
    rest = article
    for sentence in CHECKABLE_SENTENCES + UNCHECKABLE_SENTENCES:
        assert sentence in rest, f"not in the article (or listed twice): {sentence!r}"
        rest = rest.replace(sentence, " ", 1)
    assert re.fullmatch(r'[\s"]*', rest), f"article text not covered by the sentence lists: {rest!r}"


@pytest.mark.parametrize("sentence", CHECKABLE_SENTENCES)
def test_every_checkable_sentence_has_a_claim(facts, sentence):
    quotes = [normalise(q) for q in facts.claims["quote"]]
    assert any(quote in sentence for quote in quotes), f"no claim quotes this sentence: {sentence!r}"


def test_article_file_matches_its_source_row(facts, article_path):
    """The article's metadata (its sha256 is checked by validation) agrees with its row of sources.csv."""
    meta = json.loads((facts.data_dir / "sources" / "article.json").read_text(encoding="utf-8"))
    source = facts.sources.set_index("id").loc[meta["id"]]
    assert meta["id"] == ARTICLE_ID and meta["text_file"] == source["text_file"]
    assert source["url"] == meta["url"]
    assert source["published"] == meta["published"]
    assert meta["published_inferred"] is True


def test_article_date_is_a_tuesday(facts):
    briefing = facts.events.set_index("id").loc["art-briefing-2021"]
    local_day = briefing["start_utc"].tz_convert(briefing["timezone"])
    assert local_day.day_name() == "Tuesday"
    assert "on Tuesday" in briefing["quote"]


def test_luna_20_keeps_both_conflicting_masses(facts):
    group = facts.figures[facts.figures["conflict_group"] == "luna-20-sample-mass"]
    assert set(group["mission"]) == {"luna-20"}
    assert sorted(group["value"].astype(float)) == [30.0, 55.0]


def test_every_claim_is_the_articles(facts):
    """The claims are the article's: each cites it, so its date bounds the publication-time evidence."""
    assert set(facts.claims["source"]) == {ARTICLE_ID}
