"""The shipped article's metadata (data/sources) matches the article's text."""

from __future__ import annotations


def test_the_shipped_article_metadata_matches():
    from lunar_report.facts.validate import validate_data

    validate_data()  # data/sources/article.json records the sha256 of data/sources/article.txt
