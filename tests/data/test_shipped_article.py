"""Hostile inputs: each gives one exact message and exit code, no traceback, and leaves earlier outputs alone.

Exit codes: 2 for a configuration, option, parameter or output-folder mistake (found before any
kernel starts), 1 for invalid data, 75 when another render holds the output folder.
"""

from __future__ import annotations


def test_the_shipped_article_metadata_matches():
    from lunar_report.facts.validate import validate_data

    validate_data()  # data/sources/article.json records the sha256 of data/sources/article.txt
