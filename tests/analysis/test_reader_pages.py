"""What a reader meets first: key findings and claim cards, escaped when they come from data."""

from __future__ import annotations

import matplotlib
import pandas as pd

from lunar_report.analysis import display
from lunar_report.analysis.cards import claim_cards

matplotlib.use("Agg")


def test_a_finding_escapes_what_comes_from_data(published):
    sentence = display.Sentence("{name} returned **{mass}**.", {"name": "<script>x</script> & co", "mass": "5 g"})
    display.show_findings([display.Finding(sentence, "Returned sample mass")])
    markup = published[0]["text/html"]
    assert "&lt;script&gt;x&lt;/script&gt; &amp; co returned <strong>5 g</strong>." in markup
    assert '<a class="lr-more" href="#Returned-sample-mass">Returned sample mass</a>' in markup
    assert r"\&" in published[0]["text/latex"]


def test_a_hostile_claim_is_escaped_on_its_card():
    table = pd.DataFrame(
        {
            "Claim": [display.Anchor("<img src=x onerror=alert(1)>", "claim-x")],
            "When published": ["supported"],
            "Why, then": ["a & b"],
            "Sources, then": [()],
            "Now": ["contradicted"],
            "Why, now": ['"quoted"'],
            "Sources, now": [()],
        }
    )
    markup = claim_cards(table, ["claim-x"])
    assert "<img" not in markup and "&lt;img src=x onerror=alert(1)&gt;" in markup
    assert "a &amp; b" in markup and "Sources: none" in markup
