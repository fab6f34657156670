"""The "What changed since the previous edition" words, from two snapshots of the data (no kernel)."""

from __future__ import annotations

import re

import nbformat
import pytest

from change_tables import METHOD, compare, data, edited, joining, rows, snapshot
from lunar_report.pipeline.store.changes import (
    CELL_ID,
    HEADING,
    MAX_ROWS,
    Changes,
    describe,
    insert_section,
    markdown,
)

HOSTILE = r'<script>alert("x")</script> & 100% _u_ #hash $dollar$ {b} back\slash ~t ^c *s* [l](x)'


def test_first_edition_says_it_is_the_first():
    first = describe(None, snapshot({"events.csv": data("events.csv")}), lambda f: None, lambda f: None)
    assert first == Changes("This is the first edition of this report: there is no earlier one to compare with.")


def test_the_list_is_capped_with_a_count_of_the_rest():
    def many(table):
        return [{**r, "note": f"{r['note']} (checked)"} for r in table]

    changes = compare({"events.csv": data("events.csv")}, {"events.csv": edited("events.csv", many)})
    total = len(rows(data("events.csv"))[1])
    assert len(changes.items) == MAX_ROWS
    assert changes.items[-1] == f"and {total - MAX_ROWS + 1} more changes to the data."


def test_key_figures_that_moved_and_a_method_change_are_listed():
    files = {"events.csv": data("events.csv")}
    changes = compare(
        files,
        files,
        before={"figures": {"Partner countries": "10", "Days": "23"}},
        after={"figures": {"Partner countries": "11", "Days": "23"}, "method": {**METHOD, "notebook": "n2"}},
    )
    assert changes.items == (
        "Partner countries: 10 → 11.",
        "Method changed: the notebook; the data it reads did not change.",
    )


def test_only_the_as_of_date_moved():
    files = {"events.csv": data("events.csv")}
    changes = compare(files, files, after={"as_of": "2026-11-26"})
    assert changes == Changes(
        "Compared with the previous edition, as of 25 November 2026: nothing in the data this report reads "
        "or in its method changed. The as-of date moved to 26 November 2026."
    )


def test_a_table_read_for_the_first_time_is_one_line_not_every_row():
    old = {"events.csv": data("events.csv")}
    new = {**old, "missions.csv": data("missions.csv")}
    assert compare(old, new).items == ("The report now also reads the missions table.",)


def test_same_inputs_give_the_same_words():
    old = {"events.csv": data("events.csv")}
    new = {"events.csv": edited("events.csv", joining)}
    assert markdown(compare(old, new)) == markdown(compare(old, new))


def test_the_section_is_inserted_after_the_title_with_a_fixed_id():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title\n\nIntro."), nbformat.v4.new_code_cell("x = 1")]
    insert_section(notebook, Changes("First."))
    assert [c.get("id") for c in notebook.cells][1] == CELL_ID
    assert notebook.cells[1].source == f"## {HEADING}\n\nFirst\\.\n"


@pytest.fixture(scope="module")
def hostile_section() -> str:
    def hostile(table):
        return [{**r, "title": HOSTILE} if r["id"] == "fx-join-testland" else r for r in table]

    old = {"events.csv": data("events.csv")}
    changes = compare(old, {"events.csv": edited("events.csv", hostile)})
    assert HOSTILE in changes.items[0]
    return markdown(changes)


def test_hostile_text_stays_literal_in_the_html(hostile_section):
    from nbconvert import HTMLExporter

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(hostile_section)]
    page, _ = HTMLExporter(template_name="classic").from_notebook_node(notebook)
    item = re.search(r"<li>(.*?)</li>", page, re.S).group(1)
    assert "<script>" not in item and "<a " not in item and "<em>" not in item
    import html

    assert html.unescape(item).startswith(HOSTILE)


def test_hostile_text_stays_literal_in_the_latex(hostile_section):
    from nbconvert.filters.pandoc import convert_pandoc

    latex = convert_pandoc(hostile_section, "markdown+tex_math_double_backslash", "latex-smart")
    assert r"\$dollar\$" in latex and r"100\%" in latex and r"\#hash" in latex
    assert r"\emph" not in latex and r"\href" not in latex


def test_a_table_whose_earlier_version_is_gone_is_one_line():
    before = snapshot({"events.csv": data("events.csv")})
    after = snapshot({"events.csv": edited("events.csv", joining)})
    changes = describe(before, after, lambda f: None, {"events.csv": edited("events.csv", joining)}.get)
    assert changes.items == ("The events table changed (its earlier version is no longer kept).",)


def test_the_words_come_from_the_table_declarations():
    from lunar_report.facts.schema import TABLES
    from lunar_report.pipeline.store.changes import table_changes

    def labels(table, row, key):
        return row["id"]

    header = b"id,subject,wording,note\n"
    old = header + b"s1,p,by 2028,\n"
    new = header + b"s1,p,by 2030,checked\ns2,p,around 2030,\n"
    said = table_changes("statements.csv", old, new, labels, labels)
    assert said == ["s2 was added (statement)", "s1: wording and note revised"]
    assert TABLES["statements"].noun == "statement" and TABLES["reviews"].noun == "review"
    header = b"id,title,name\n"
    said = table_changes("missions.csv", header + b"m1,T,N\n", header + b"m1,U,O\n", labels, labels)
    assert said == ["m1: name N → O; title revised"]  # a mission shows its name; title is not one of its columns
    assert table_changes("new_table.csv", b"id\n", b"id\nx\n", labels, labels) == ["x was added (new table row)"]
