"""`lunar-report validate`: every kind of bad input gives its exact `file:row:column: message` line.

Each case copies the small valid data set in tests/fixtures/minimal to tmp_path, makes
one mistake in it, and checks the whole output and that the folder was left untouched.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import read_rows, set_cell, write_rows
from known import copy_known
from lunar_report.cli import cli
from lunar_report.facts.schema import UNITS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINIMAL = FIXTURES / "minimal"
BROKEN = FIXTURES / "broken"


def drop_column(folder: Path, file: str, column: str) -> None:
    rows = read_rows(folder / file)
    position = rows[0].index(column)
    write_rows(folder / file, [row[:position] + row[position + 1 :] for row in rows])


def add_column(folder: Path, file: str, column: str) -> None:
    rows = read_rows(folder / file)
    write_rows(folder / file, [rows[0] + [column]] + [row + [""] for row in rows[1:]])


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` with its bytes and modification time."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(MINIMAL, folder)
    return folder


def validate(folder: Path) -> list[str]:
    """Run `lunar-report validate --data folder`; return its error lines (it must fail and write nothing)."""
    before = snapshot(folder)
    result = CliRunner().invoke(cli, ["validate", "--data", str(folder)])
    assert snapshot(folder) == before
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    return result.stderr.splitlines()


def assert_problems(folder: Path, *expected: str) -> None:
    count = len(expected)
    assert validate(folder) == [*expected, f"{count} problem{'s' if count != 1 else ''} in {folder}"]


def assert_valid(folder: Path) -> str:
    """`lunar-report validate --data folder` passes; what it printed."""
    result = CliRunner().invoke(cli, ["validate", "--data", str(folder)])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def restated_the_same_day(folder: Path) -> None:
    """Line 3 of statements.csv states 2022 for 'ilrs-phase-1' on the day line 2 states 2021 (2021-06-16)."""
    set_cell(folder, "statements.csv", 3, "stated", "2021-06-16")
    set_cell(folder, "statements.csv", 3, "precision", "day")
    set_cell(folder, "statements.csv", 3, "target", "2022")


UNIT_CHOICES = ", ".join(UNITS)

CASES = {
    "missing column": (
        lambda d: drop_column(d, "events.csv", "note"),
        ["events.csv:1:note: missing column; add it to the header (it may be empty where optional)"],
    ),
    "extra column": (
        lambda d: add_column(d, "missions.csv", "colour"),
        [
            "missions.csv:1:colour: unknown column; the columns are: id, name, agency, country, vehicle, "
            "launch_site, landing_site, kind, crewed, outcome, source, note"
        ],
    ),
    "not a number": (
        lambda d: set_cell(d, "figures.csv", 2, "value", "about 2"),
        ["figures.csv:2:value: 'about 2' is not a number"],
    ),
    "not true/false": (
        lambda d: set_cell(d, "events.csv", 3, "inferred", "yes"),
        ["events.csv:3:inferred: 'yes' is not true or false"],
    ),
    "not a partial ISO date": (
        lambda d: set_cell(d, "events.csv", 3, "start", "27/04/2021"),
        [
            "events.csv:3:start: '27/04/2021' is not a partial ISO date (YYYY, YYYY-MM, YYYY-MM-DD, "
            "YYYY-MM-DDThh:mm or YYYY-MM-DDThh:mm:ss)"
        ],
    ),
    "impossible day": (
        lambda d: set_cell(d, "events.csv", 3, "start", "2021-02-30"),
        ["events.csv:3:start: '2021-02-30' is not a real date or time"],
    ),
    "impossible month": (
        lambda d: set_cell(d, "events.csv", 2, "start", "2017-13"),
        ["events.csv:2:start: '2017-13' is not a real date or time"],
    ),
    "impossible hour": (
        lambda d: set_cell(d, "events.csv", 4, "start", "2020-11-23T25:30:12"),
        ["events.csv:4:start: '2020-11-23T25:30:12' is not a real date or time"],
    ),
    "impossible published date": (
        lambda d: set_cell(d, "sources.csv", 2, "published", "2021-04-31"),
        ["sources.csv:2:published: '2021-04-31' is not a real date or time"],
    ),
    "precision does not match the date": (
        lambda d: set_cell(d, "events.csv", 2, "precision", "day"),
        [
            "events.csv:2:precision: 'day' does not match start '2017-11', which is written at month precision; "
            "make them agree"
        ],
    ),
    "unknown precision": (
        lambda d: set_cell(d, "events.csv", 2, "precision", "week"),
        ["events.csv:2:precision: 'week' is not one of: second, minute, day, month, year"],
    ),
    "end before start": (
        lambda d: set_cell(d, "events.csv", 7, "end", "2020"),
        ["events.csv:7:end: '2020' is before start '2021'"],
    ),
    "period end before period start": (
        lambda d: set_cell(d, "agreements.csv", 2, "period_end", "2017"),
        ["agreements.csv:2:period_end: '2017' is before period_start '2018'"],
    ),
    "not an IANA zone": (
        lambda d: set_cell(d, "events.csv", 3, "timezone", "Asia/Beijing"),
        ["events.csv:3:timezone: 'Asia/Beijing' is not an IANA time zone (UTC, Asia/Shanghai, Europe/Moscow, ...)"],
    ),
    "no zone for a time": (
        lambda d: set_cell(d, "events.csv", 5, "timezone", ""),
        [
            "events.csv:5:timezone: empty, but start '2020-12-16T17:59' is a time of day; give the IANA zone "
            "it is local to (UTC, Asia/Shanghai, ...)"
        ],
    ),
    "unknown mission": (
        lambda d: set_cell(d, "events.csv", 4, "mission", "change-9"),
        ["events.csv:4:mission: unknown id 'change-9'; no such id in missions.csv"],
    ),
    "unknown source": (
        lambda d: set_cell(d, "missions.csv", 3, "source", "nssdca-apollo;nssdca-luna"),
        ["missions.csv:3:source: unknown id 'nssdca-luna'; no such id in sources.csv"],
    ),
    "unknown id in any of several tables": (
        lambda d: set_cell(d, "claims.csv", 2, "checked_against", "art-briefing-2021;nowhere"),
        [
            "claims.csv:2:checked_against: unknown id 'nowhere'; no such id in events.csv or figures.csv or "
            "missions.csv or agreements.csv or sources.csv"
        ],
    ),
    "duplicate id": (
        lambda d: set_cell(d, "events.csv", 6, "id", "ce5-launch"),
        ["events.csv:6:id: 'ce5-launch' is already used by an earlier row; ids must be unique"],
    ),
    "malformed id": (
        lambda d: set_cell(d, "missions.csv", 3, "id", "apollo 11"),
        [
            "events.csv:6:mission: unknown id 'apollo-11'; no such id in missions.csv",
            "missions.csv:3:id: 'apollo 11' is not a valid id (a letter or digit, then letters, digits, _ . -)",
            "figures.csv:3:mission: unknown id 'apollo-11'; no such id in missions.csv",
        ],
    ),
    "malformed id list": (
        lambda d: set_cell(d, "events.csv", 7, "source", "a; b"),
        ["events.csv:7:source: 'a; b' is not a list of ids separated by ';' (no spaces)"],
    ),
    "quote not in the source text": (
        lambda d: set_cell(d, "figures.csv", 2, "quote", "collecting about 2 kg of lunar rock"),
        ["figures.csv:2:quote: not found verbatim in sources/article.txt (source 'tass-1283825'); copy it exactly"],
    ),
    "straight apostrophe is not the article's curly one": (
        lambda d: set_cell(d, "events.csv", 4, "quote", "the Chang'e-5 spacecraft blasted off"),
        ["events.csv:4:quote: not found verbatim in sources/article.txt (source 'tass-1283825'); copy it exactly"],
    ),
    "article row without quote": (
        lambda d: set_cell(d, "events.csv", 2, "quote", ""),
        ["events.csv:2:quote: empty, but the row cites the article 'tass-1283825'; copy its words here verbatim"],
    ),
    "inferred without reason": (
        lambda d: set_cell(d, "events.csv", 3, "inference_reason", ""),
        ["events.csv:3:inference_reason: empty, but inferred is true; say why here"],
    ),
    "figure without unit": (
        lambda d: set_cell(d, "figures.csv", 3, "unit", ""),
        [f"figures.csv:3:unit: empty; choose one of: {UNIT_CHOICES}"],
    ),
    "unit not in UNITS": (
        lambda d: set_cell(d, "figures.csv", 3, "unit", "grams"),
        [f"figures.csv:3:unit: 'grams' is not one of: {UNIT_CHOICES}"],
    ),
    "required value missing": (
        lambda d: set_cell(d, "missions.csv", 2, "name", ""),
        ["missions.csv:2:name: empty; a value is required"],
    ),
    "missing CSV file": (
        lambda d: (d / "claims.csv").unlink(),
        [
            "claims.csv:-:-: file missing; create it (the first line must be the header: "
            "id,quote,asserts,topic,mission,checked_against,verdict,explanation,checked_against_now,verdict_now,"
            "explanation_now,source,claimant)"
        ],
    ),
    "empty CSV file": (
        lambda d: (d / "agreement_sections.csv").write_text(""),
        [
            "agreement_sections.csv:-:-: file is empty; the first line must be the header: "
            "agreement,position,section,source,quote"
        ],
    ),
    "CSV that is not UTF-8": (
        lambda d: (d / "missions.csv").write_bytes((d / "missions.csv").read_bytes().replace("’".encode(), b"\x92")),
        ["missions.csv:-:-: not UTF-8 text (byte 0x92 at offset 102); save it as UTF-8"],
    ),
    "row with more fields than the header": (
        lambda d: (d / "agreements.csv").write_text((d / "agreements.csv").read_text() + "a,b,c,d,e,f,g,h,i,j,k,l\n"),
        ["agreements.csv:3:-: 12 fields but the header has 11; quote values that contain commas"],
    ),
    "row with fewer fields than the header": (
        lambda d: (d / "agreements.csv").write_text((d / "agreements.csv").read_text() + "a,b,c\n"),
        ["agreements.csv:3:-: 3 fields but the header has 11; add the missing (maybe empty) fields"],
    ),
    "source text file outside the data folder": (
        lambda d: set_cell(d, "sources.csv", 2, "text_file", "../article.txt"),
        ["sources.csv:2:text_file: '../article.txt' is outside the data folder; give a path inside it"],
    ),
    "source text file missing": (
        lambda d: (d / "sources" / "article.txt").unlink(),
        ["sources.csv:2:text_file: 'sources/article.txt' not found in the data folder"],
    ),
    # The article's date and the verdicts (what the publication-time verdict may cite: EVIDENCE, below).
    "article without a published date": (
        lambda d: set_cell(d, "sources.csv", 2, "published", ""),
        [
            "claims.csv:2:source: 'tass-1283825' has no published date in sources.csv, so the rows in checked_against "
            "cannot be checked against it; give it one"
        ],
    ),
    "verdict now missing": (
        lambda d: set_cell(d, "claims.csv", 2, "verdict_now", ""),
        [
            "claims.csv:2:verdict_now: empty; choose one of: supported, partly supported, contradicted, imprecise, "
            "unverifiable"
        ],
    ),
    # Partner scope.
    "partner row without scope": (
        lambda d: set_cell(d, "events.csv", 3, "category", "partner"),
        ["events.csv:3:scope: empty, but category is 'partner'; choose one of: government, organisation, institution"],
    ),
    "unknown scope": (
        lambda d: set_cell(d, "events.csv", 3, "scope", "country"),
        ["events.csv:3:scope: 'country' is not one of: government, organisation, institution"],
    ),
    # Statement histories.
    "statement about an event that is not a plan or phase": (
        lambda d: set_cell(d, "statements.csv", 2, "subject", "ce5-launch"),
        [
            "statements.csv:2:subject: 'ce5-launch' is a mission event; a statement's subject is the plan or phase "
            "event it is about, or an event of a mission whose outcome is planned"
        ],
    ),
    "statements out of date order": (
        lambda d: (set_cell(d, "statements.csv", 3, "stated", "2020-01"),),
        [
            "statements.csv:3:stated: '2020-01' is before '2021-06-16', the date of the statement on line 2 about "
            "'ilrs-phase-1'; keep each subject's statements in date order"
        ],
    ),
    "statement off its event's date": (
        lambda d: set_cell(d, "statements.csv", 2, "event", "art-briefing-2021"),
        [
            "statements.csv:2:stated: '2021-06-16' differs from the start '2021-04-27' of its event 'art-briefing-2021'; "
            "make them agree"
        ],
    ),
    "plan row not at the latest stated target": (
        lambda d: set_cell(d, "statements.csv", 3, "target", "2022"),
        [
            "events.csv:7:start: '2021' is not the latest stated target of 'ilrs-phase-1': statements.csv:3 (2022-01) "
            "states '2022'; a plan row carries what was last stated"
        ],
    ),
    "plan row not at the latest stated end": (
        lambda d: set_cell(d, "statements.csv", 3, "target_end", "2030"),
        [
            "events.csv:7:end: '2025' is not the latest stated end of 'ilrs-phase-1': statements.csv:3 (2022-01) "
            "states '2030'; a plan row carries what was last stated"
        ],
    ),
    "stated span ending before it starts": (
        lambda d: set_cell(d, "statements.csv", 2, "target_end", "2020"),
        ["statements.csv:2:target_end: '2020' is before target '2021'"],
    ),
    "unknown qualifier": (
        lambda d: set_cell(d, "statements.csv", 2, "qualifier", "roughly"),
        ["statements.csv:2:qualifier: 'roughly' is not one of: around, by, before, in, from"],
    ),
    "statement precision does not match its date": (
        lambda d: set_cell(d, "statements.csv", 3, "precision", "day"),
        [
            "statements.csv:3:precision: 'day' does not match stated '2022-01', which is written at month precision; "
            "make them agree"
        ],
    ),
    "two targets said on one day without a conflict group": (
        lambda d: restated_the_same_day(d),
        [
            "statements.csv:3:conflict_group: states '2022' for 'ilrs-phase-1' on 2021-06-16, where line 2 states "
            "'2021' on the same day: give both rows one conflict_group (one remark reported two ways, not a revision "
            "overnight)"
        ],
    ),
    "two targets said on one day in one conflict group": (
        lambda d: (
            restated_the_same_day(d),
            set_cell(d, "statements.csv", 2, "conflict_group", "phase-1-2021"),
            set_cell(d, "statements.csv", 3, "conflict_group", "phase-1-2021"),
        ),
        [],
    ),
    "a statement reported before it was said": (
        lambda d: set_cell(d, "statements.csv", 2, "reported", "2021-06-15"),
        ["statements.csv:2:reported: '2021-06-15' is before stated '2021-06-16'"],
    ),
    "a statement reported later than said": (
        lambda d: set_cell(d, "statements.csv", 2, "reported", "2021-06-17"),
        [],
    ),
    # The review log.
    "table never reviewed in full": (
        lambda d: set_cell(d, "reviews.csv", 9, "rows", "some"),
        ["reviews.csv:-:table: no review of all rows of 'statements'; add one (table, reviewed, rows = all, note)"],
    ),
    "review before a source the table cites": (
        lambda d: set_cell(d, "reviews.csv", 3, "reviewed", "2021-03"),
        [
            "reviews.csv:3:reviewed: '2021-03' is before source 'tass-1283825' (published 2021-04-27) cited by events.csv; "
            "a table's latest review cannot predate a source it cites"
        ],
    ),
    "a later review counts, an earlier partial one does not hide it": (
        lambda d: (d / "reviews.csv").write_text(
            (d / "reviews.csv").read_text() + "events,2021-03,some,Older check.\n"
        ),
        [],
    ),
    "review of an unknown table": (
        lambda d: set_cell(d, "reviews.csv", 2, "table", "notes"),
        [
            "reviews.csv:-:table: no review of all rows of 'sources'; add one (table, reviewed, rows = all, note)",
            "reviews.csv:2:table: 'notes' is not one of: sources, events, missions, figures, agreements, "
            "agreement_sections, claims, statements",
        ],
    ),
    "review date not a date": (
        lambda d: set_cell(d, "reviews.csv", 2, "reviewed", "spring 2026"),
        [
            "reviews.csv:2:reviewed: 'spring 2026' is not a partial ISO date (YYYY, YYYY-MM, YYYY-MM-DD, "
            "YYYY-MM-DDThh:mm or YYYY-MM-DDThh:mm:ss)"
        ],
    ),
    "missing review file": (
        lambda d: (d / "reviews.csv").unlink(),
        ["reviews.csv:-:-: file missing; create it (the first line must be the header: table,reviewed,rows,note)"],
    ),
    "missing sources file": (  # the rules that read the sources (quotes, evidence dates) are skipped, not crashed
        lambda d: (d / "sources.csv").unlink(),
        [
            "sources.csv:-:-: file missing; create it (the first line must be the header: "
            "id,kind,publisher,title,url,grade,published,text_file,note)"
        ],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_kind_of_mistake_gives_its_exact_message(data, case):
    make_mistake, expected = CASES[case]
    make_mistake(data)
    if expected:
        assert_problems(data, *expected)
    else:  # a change the rules allow
        assert_valid(data)


# The rows claims.csv:2 cites as evidence (then other cells set: file, line, column, value), and what `validate` says
# of them in checked_against, where the verdict at the article's date (2021-04-27) rests only on evidence known by
# then. In checked_against_now, where the verdict now rests on any evidence, each is fine.
EVIDENCE_ROWS = {
    "dated after the article": (
        "art-briefing-2021;ilrs-phase-1",
        [],
        "'ilrs-phase-1' starts 2021: not on or before the article's date 2021-04-27; "
        "a publication-time verdict rests only on earlier evidence (move it to checked_against_now)",
    ),
    "known only from a later source": (
        "apollo-11-sample-mass",
        [("sources.csv", 3, "published", "2025-06")],
        "'apollo-11-sample-mass' is known only from sources published 2025-06 or later ('nssdca-apollo'): not on or "
        "before the article's date 2021-04-27; a publication-time verdict rests only on earlier evidence (move it to "
        "checked_against_now)",
    ),
    "without any dated source": (
        "apollo-11-sample-mass",
        [],
        "'apollo-11-sample-mass' cites no source with a published date, so it is not known to date from on or before "
        "the article's date 2021-04-27; give a source's published date, or move it to checked_against_now",
    ),
    "a row with a source published after the article": (
        "ce5-launch",
        [("events.csv", 4, "source", "tass-1283825;nssdca-apollo"), ("sources.csv", 3, "published", "2025-06")],
        "'ce5-launch' cites source 'nssdca-apollo', published 2025-06: after the article's date 2021-04-27; "
        "publication-time evidence comes only from sources published by then (cite those sources instead, or move "
        "'ce5-launch' to checked_against_now)",
    ),
    "a row with an undated source beside a dated one": (
        "ce5-launch",
        [("events.csv", 4, "source", "tass-1283825;nssdca-apollo")],
        "'ce5-launch' cites source 'nssdca-apollo', which has no published date in sources.csv: publication-time "
        "evidence must be dated to be checked against the article's date 2021-04-27 (give 'nssdca-apollo' its "
        "published date, or move 'ce5-launch' to checked_against_now)",
    ),
}
# The sources checked_against may cite directly (checked_against_now cites rows only); None: nothing to say.
EVIDENCE_SOURCES = {
    "a later source cited directly": (
        "art-briefing-2021;nssdca-apollo",
        [("sources.csv", 3, "published", "2021-05-01")],
        "'nssdca-apollo' was published 2021-05-01: not on or before the article's date 2021-04-27; a publication-time "
        "verdict rests only on earlier evidence (move it to checked_against_now)",
    ),
    "an undated source cited directly": (
        "nssdca-apollo",
        [],
        "'nssdca-apollo' has no published date in sources.csv, so it is not known to date from on or before the "
        "article's date 2021-04-27; give a source's published date, or move it to checked_against_now",
    ),
    "an earlier source cited directly": ("nssdca-apollo", [("sources.csv", 3, "published", "2020-12")], None),
}


EVIDENCE = {**EVIDENCE_ROWS, **EVIDENCE_SOURCES}


def cite(folder: Path, column: str, case: str) -> str | None:
    """Set claims.csv:2's `column` to the evidence of EVIDENCE[case] (and the case's other cells); its message."""
    evidence, cells, message = EVIDENCE[case]
    set_cell(folder, "claims.csv", 2, column, evidence)
    for cell in cells:
        set_cell(folder, *cell)
    return message


@pytest.mark.parametrize("case", EVIDENCE, ids=list(EVIDENCE))
def test_publication_time_evidence_dates_from_on_or_before_the_article(data, case):
    message = cite(data, "checked_against", case)
    if message:
        assert_problems(data, f"claims.csv:2:checked_against: {message}")
    else:
        assert_valid(data)


@pytest.mark.parametrize("case", EVIDENCE_ROWS, ids=list(EVIDENCE_ROWS))
def test_evidence_of_any_date_serves_the_verdict_now(data, case):
    cite(data, "checked_against_now", case)
    assert_valid(data)


def test_the_minimal_fixture_is_valid(data):
    assert assert_valid(data) == (
        "data OK: 2 sources, 6 events, 2 missions, 2 figures, 1 agreements, 1 agreement_sections, 1 claims, "
        "2 statements, 8 reviews\n"
    )


def test_quotes_match_across_non_breaking_spaces(data):
    article = (data / "sources" / "article.txt").read_text(encoding="utf-8")
    assert "research\u00a0of outer space" in article
    rows = read_rows(data / "claims.csv")
    assert "research of outer space" in rows[1][1]
    assert_valid(data)


def test_rows_are_csv_lines_even_after_a_multiline_cell(data):
    set_cell(data, "missions.csv", 2, "note", "first line\nsecond line")
    set_cell(data, "missions.csv", 3, "crewed", "maybe")
    assert_problems(data, "missions.csv:4:crewed: 'maybe' is not true or false")


def test_rows_are_csv_lines_even_after_blank_lines(data):
    set_cell(data, "missions.csv", 3, "crewed", "maybe")
    lines = (data / "missions.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (data / "missions.csv").write_text("".join([lines[0], "\n", "  \t\n", *lines[1:]]), encoding="utf-8")
    assert_problems(data, "missions.csv:5:crewed: 'maybe' is not true or false")


def test_every_problem_is_listed_in_file_and_line_order(data):
    set_cell(data, "events.csv", 3, "start", "2021-02-30")
    set_cell(data, "events.csv", 2, "inferred", "yes")
    set_cell(data, "sources.csv", 3, "grade", "D")
    assert_problems(
        data,
        "sources.csv:3:grade: 'D' is not one of: A, B, C",
        "events.csv:2:inferred: 'yes' is not true or false",
        "events.csv:3:start: '2021-02-30' is not a real date or time",
    )


@pytest.mark.parametrize("command", [["validate"], ["audit"], ["export", "claims", "--base-url", "https://e.org/"]])
def test_a_missing_data_folder_is_a_usage_mistake(tmp_path, capsys, command):
    from helpers import run_cli

    missing = tmp_path / "nowhere"
    result = run_cli(capsys, *command, "--data", str(missing))
    message = f"error: data folder {missing}: no such folder; give the folder that holds the CSV tables (--data DIR)\n"
    assert (result.code, result.stderr, result.stdout) == (2, message, "")
    assert not missing.exists()


def test_the_broken_fixture_lists_every_problem_without_traceback():
    """The real command on tests/fixtures/broken: exit 1, one line per problem, no traceback."""
    before = snapshot(BROKEN)
    result = subprocess.run(
        [sys.executable, "-m", "lunar_report", "validate", "--data", str(BROKEN)], capture_output=True, text=True
    )
    assert snapshot(BROKEN) == before
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == (BROKEN / "expected.txt").read_text(encoding="utf-8").splitlines() + [
        f"{len((BROKEN / 'expected.txt').read_text(encoding='utf-8').splitlines())} problems in {BROKEN.resolve()}"
    ]


def test_an_id_used_three_times_is_reported_on_each_later_row(data):
    rows = read_rows(data / "events.csv")
    write_rows(data / "events.csv", [*rows, rows[5], rows[5]])
    assert_problems(
        data,
        f"events.csv:8:id: {rows[5][0]!r} is already used by an earlier row; ids must be unique",
        f"events.csv:9:id: {rows[5][0]!r} is already used by an earlier row; ids must be unique",
    )


@pytest.mark.parametrize("unsafe", ["UNSAFE_TEXT", "UNSAFE_LINE"])
def test_the_fast_scan_of_ascii_text_finds_what_the_pattern_finds(unsafe):
    from lunar_report.facts import text
    from lunar_report.facts.rules import holds_unsafe

    pattern = getattr(text, unsafe)
    for code in [*range(128), 0x85, 0xA0, 0xD800, 0xFFFE, 0x2019]:
        cell = f"id-1;{chr(code)} and more"
        assert holds_unsafe(cell, pattern) == bool(pattern.search(cell)), hex(code)


@pytest.mark.parametrize("pattern", ["ID_PATTERN", "IDS_PATTERN", "DATE_PATTERN"])
def test_the_joined_scan_matches_each_value_as_fullmatch_does(pattern):
    import re

    import pandas as pd

    from lunar_report.facts import dates, rules, schema
    from lunar_report.facts.match import matches

    regex = next(getattr(module, pattern) for module in (schema, rules, dates) if hasattr(module, pattern))
    values = ["", "a", "-a", "a b", "a1.b_c-d", "", "x\u0660", "\u0661234", "2021", "2021-1", "2021-03-09T05:42",
              "a;b", ";", "a;;b", "é", "a\rb", "2021-03-09T05:42:10", " 2021", "2021 "]  # fmt: skip

    def fullmatches(cells: list[str]) -> list[bool]:
        return [cell == "" or re.fullmatch(regex, cell) is not None for cell in cells]

    assert matches(pd.Series(values, dtype=object), regex).tolist() == fullmatches(values)
    good = [value for value in values if fullmatches([value])[0]]
    for value in values:  # (every line good: one run of the engine; one bad line: the scan)
        for cells in ([value, *good], [*good, value]):
            assert matches(pd.Series(cells, dtype=object), regex).tolist() == fullmatches(cells), cells


def test_a_conflict_group_is_about_one_subject(tmp_path):
    data = copy_known(tmp_path / "data")
    set_cell(data, "statements.csv", 6, "conflict_group", "fx-phase-3-start")  # stmt-fx-base-2021
    assert_problems(
        data,
        "statements.csv:6:conflict_group: 'fx-phase-3-start' is about 'fx-phase-3' on line 4, not 'fx-base-target': "
        "a conflict group is one statement about one subject; name another group",
    )
