"""The shipped fact base loads and holds rows in each of its main tables."""

from __future__ import annotations


def test_the_shipped_data_is_valid(facts):
    """The `facts` fixture validated data/ (load_facts raises on any problem); `validate`'s output is checked
    on the minimal fixture (test_validate) and its default folder in a project (test_authoring)."""
    assert all(len(facts.table(name)) for name in ("sources", "events", "missions", "claims"))
