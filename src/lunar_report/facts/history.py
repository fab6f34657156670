"""Checks of dates across tables: the evidence a publication-time verdict rests on predates the article;
statements about a plan come in date order and the plan row carries the latest; reviews cover every table
and postdate its sources.

Dates are compared as written, each in its own calendar (time zones are not converted): a
partial date is the period it names, `2021-04` is all of April 2021.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .checked import Problem, TableCheck, usable
from .dates import end_of_period
from .schema import TABLES, Column, form_column, local_column


def _period_end(frame: pd.DataFrame, column: str) -> pd.Series:
    """The first instant after each date's period (naive local); NaT where empty or invalid."""
    return end_of_period(frame[local_column(column)], frame[form_column(column)])


def _lookup(keys: pd.Series, table: pd.Series) -> pd.Series:
    """`keys.map(table)`, also when `table` is empty (pandas cannot map through an empty datetime Series)."""
    return pd.Series(table.reindex(keys.to_numpy()).to_numpy(), index=keys.index, dtype=table.dtype)


def _at(table: pd.Series, positions: pd.Series) -> pd.Series:
    """`table`'s values at `positions` (NaN/NaT where -1), indexed like `positions`: a lookup whose keys were
    found in `table`'s index once, for several columns."""
    values = pd.api.extensions.take(table.to_numpy(), positions.to_numpy(), allow_fill=True)
    return pd.Series(values, index=positions.index, dtype=table.dtype)


@dataclass(frozen=True)
class _SourceDates:
    """The sources' `published` dates by id (the first row of each id), built once for every rule that needs them."""

    written: pd.Series  # as written
    starts: pd.Series  # first instant of the period (naive local); NaT where empty or invalid
    ends: pd.Series  # first instant after the period
    computed: np.ndarray  # True for a `computed` source (timeless)
    broken: set  # ids whose `published` broke its own rules


def source_dates(check: TableCheck) -> _SourceDates:
    sources = check.rows
    broken = set(sources.loc[sources.index.isin(list(check.failed.get("published", ()))), "id"])
    first = sources.drop_duplicates("id")
    ids = first["id"].to_numpy()
    return _SourceDates(
        written=pd.Series(first["published"].to_numpy(), index=ids),
        starts=pd.Series(first[local_column("published")].to_numpy(), index=ids),
        ends=pd.Series(_period_end(first, "published").to_numpy(), index=ids),
        computed=first["kind"].to_numpy() == "computed",
        broken=broken,
    )


def _known_by(
    checks: dict[str, TableCheck], names: tuple[str, ...], dates: _SourceDates, wanted: pd.Series
) -> pd.DataFrame:
    """Row id → `when`, the instant by which the row is known to be dated or published, and `what` dates it,
    for the rows of `names` whose id is `wanted` (the ids cited: a fact base holds far more rows).

    An event is dated by its `start` (the whole period), a row with an `event` column by
    that event, any other row by the earliest `published` of its sources (a `computed`
    source is timeless: a computation is available whenever its inputs are). NaT: unknown.
    Rows whose date is itself invalid (reported already) are left out.
    """
    rows = {name: _columns(checks[name], ["id", "event"]).loc[checks[name].holding(wanted)] for name in names}
    events = _columns(checks["events"], ["id", "start", local_column("start"), form_column("start")])
    dating = [wanted] + [rows[n]["event"] for n in names if n != "events" and "event" in checks[n].table.column_names]
    events = events[
        checks["events"].holding(pd.concat(dating)) & ~events.index.isin(list(checks["events"].failed.get("start", ())))
    ]
    events = events.drop_duplicates("id")
    event_when = pd.Series(_period_end(events, "start").to_numpy(), index=events["id"])
    event_what = "starts " + pd.Series(events["start"].to_numpy(), index=events["id"])
    published = dates.ends.copy()
    published[dates.computed] = pd.Timestamp.min
    written, broken = dates.written, dates.broken
    known = []
    for name in names:
        check = checks[name]
        frame = rows[name]
        if name == "events":
            known.append(pd.DataFrame({"when": event_when, "what": event_what}))
        elif name == "sources":  # a source cited as evidence is dated by its own `published`
            usable = ~published.index.isin(list(broken))
            known.append(pd.DataFrame({"when": published[usable], "what": "was published " + written[usable]}))
        elif "event" in check.table.column_names:
            dated = frame[frame["event"].isin(event_when.index)]
            known.append(
                pd.DataFrame(
                    {
                        "when": _lookup(dated["event"], event_when).to_numpy(),
                        "what": (
                            "is dated by its event "
                            + dated["event"].map(repr)
                            + ", which "
                            + dated["event"].map(event_what)
                        ).to_numpy(),
                    },
                    index=dated["id"],
                )
            )
        elif check.table.source_column is not None:
            cited = check.ids(check.table.source_column.name)
            frame = frame[~frame.index.isin(cited[cited.isin(broken)].index)]  # a source's date is itself wrong
            cited = cited[cited.index.isin(frame.index)]
            pairs = pd.DataFrame(
                {"row": cited.index, "source": cited.to_numpy(), "date": _lookup(cited, published).to_numpy()}
            )
            earliest = pairs.dropna(subset=["date"]).sort_values("date", kind="stable").drop_duplicates("row")
            earliest = earliest.set_index("row").reindex(frame.index)
            what = (
                "is known only from sources published "
                + _lookup(earliest["source"], written).fillna("")
                + " or later ("
                + earliest["source"].map(repr)
                + ")"
            )
            known.append(
                pd.DataFrame({"when": earliest["date"].to_numpy(), "what": what.to_numpy()}, index=frame["id"])
            )
    found = pd.concat(known)
    return found[~found.index.duplicated()]


def _columns(check: TableCheck, names: list[str]) -> pd.DataFrame:
    """The table's columns among `names` (a row filter then takes only those)."""
    return check.rows[[name for name in names if name in check.rows.columns]]


def check_evidence_dates(checks: dict[str, TableCheck], dates: _SourceDates | None) -> None:
    """Rows a publication-time verdict rests on must date from on or before the article's date."""
    for check in checks.values():
        for column in check.table.columns:
            if not column.evidence_until or check.frame is None or dates is None:
                continue
            if not all(usable(checks, name) for name in column.references):
                continue
            known_by = _known_by(checks, column.references, dates, check.ids(column.name))
            written = dates.written
            article = check.ids(column.evidence_until)
            article = article[article.isin(written.index) & ~article.isin(dates.broken)]
            dated = _lookup(article, dates.ends)
            for index, source in article[dated.isna()].items():
                check.add(
                    index,
                    column.evidence_until,
                    f"{source!r} has no published date in sources.csv, so the "
                    f"rows in {column.name} cannot be checked against it; give it one",
                )
            limit = dated.dropna().groupby(level=0).max()
            limit_text = _last_per_row(_lookup(article[dated.notna()], written).sort_values(kind="stable"))
            cited = check.ids(column.name)
            cited = cited[cited.index.isin(limit.index) & cited.isin(known_by.index)]
            when = _lookup(cited, known_by["when"])
            late = when.isna() | (when > limit.reindex(cited.index))
            for index, row_id in cited[late].items():
                if pd.isna(known_by.at[row_id, "when"]):
                    check.add(
                        index,
                        column.name,
                        f"{row_id!r} {_undated(row_id, written)}, so it is not "
                        f"known to date from on or before the article's date {limit_text[index]}; give a source's "
                        f"published date, or move it to {column.name}_now",
                    )
                else:
                    check.add(
                        index,
                        column.name,
                        f"{row_id!r} {known_by.at[row_id, 'what']}: not on or before the "
                        f"article's date {limit_text[index]}; a publication-time verdict rests only on earlier "
                        f"evidence (move it to {column.name}_now)",
                    )
            _check_row_sources(check, column, cited[~late], limit, limit_text, checks, dates)


def _last_per_row(values: pd.Series) -> pd.Series:
    """The last value of each index label (`values` sorted: the greatest, as `groupby(level=0).max()` without a
    Python call per row)."""
    return values[~values.index.duplicated(keep="last")]


def _undated(row_id: str, written: pd.Series) -> str:
    """Why a cited id has no date: a source without `published`, or a row none of whose sources has one."""
    return (
        "has no published date in sources.csv" if row_id in written.index else "cites no source with a published date"
    )


def _check_row_sources(
    check: TableCheck,
    column: Column,
    cited: pd.Series,
    limit: pd.Series,
    limit_text: pd.Series,
    checks: dict[str, TableCheck],
    dates: _SourceDates,
) -> None:
    """No source of a row cited as publication-time evidence may be published after the article (its whole
    period after the article's date): a row known early from one source may carry later ones too, and those
    are not evidence of the time."""
    owners = []
    wanted = pd.Index(cited.unique())  # the rows cited: a fact base holds far more rows, each with its sources
    for name in column.references:
        source_column = checks[name].table.source_column
        if source_column is not None:
            ids = checks[name].ids(source_column.name)
            kept = checks[name].holding(wanted)[ids.index]
            row_ids = checks[name].rows["id"].to_numpy()[ids.index[kept]]
            owners.append(pd.DataFrame({"row_id": row_ids, "source": ids.to_numpy()[kept]}))
    if not owners:
        return
    row_sources = pd.concat(owners).drop_duplicates()
    row_sources["when"] = _lookup(row_sources["source"], dates.starts).to_numpy()  # known after: all of it
    computed = set(dates.written.index[dates.computed])
    undated = row_sources[
        row_sources["when"].isna()
        & row_sources["source"].isin(dates.written.index)
        & ~row_sources["source"].isin(list(dates.broken | computed))
    ]
    rows = pd.DataFrame({"index": cited.index, "row_id": cited.to_numpy()})
    for index, row_id, source in rows.merge(undated, on="row_id")[["index", "row_id", "source"]].itertuples(
        index=False
    ):
        check.add(
            index,
            column.name,
            f"{row_id!r} cites source {source!r}, which has no published date in sources.csv: publication-time "
            f"evidence must be dated to be checked against the article's date {limit_text[index]} (give {source!r} "
            f"its published date, or move {row_id!r} to {column.name}_now)",
        )
    row_sources = row_sources.dropna(subset=["when"])
    rows = pd.DataFrame(
        {"index": cited.index, "row_id": cited.to_numpy(), "limit": limit.reindex(cited.index).to_numpy()}
    )
    late = rows.merge(row_sources, on="row_id")
    late = late[late["when"] >= late["limit"]]
    for index, row_id, source in late[["index", "row_id", "source"]].itertuples(index=False):
        check.add(
            index,
            column.name,
            f"{row_id!r} cites source {source!r}, published {dates.written[source]}: after the "
            f"article's date {limit_text[index]}; publication-time evidence comes only from sources "
            f"published by then (cite those sources instead, or move {row_id!r} to {column.name}_now)",
        )


def check_statements(checks: dict[str, TableCheck]) -> None:
    """A statement is about a plan or phase (or an event of a planned mission), falls on its event's date, comes in
    date order within its subject; and the subject row carries the target of its latest statement."""
    if not (usable(checks, "statements") and usable(checks, "events")):
        return
    check, events_check = checks["statements"], checks["events"]
    statements = check.rows
    events = events_check.rows  # (looked up by id through its first row with that id)
    subject_at = pd.Series(events_check.rows_of(statements["subject"]), index=statements.index)
    kind = _at(events["category"], subject_at)
    planned = set()
    if usable(checks, "missions"):
        missions = checks["missions"].rows
        planned = set(missions.loc[missions["outcome"] == "planned", "id"])
    of_planned = (kind == "mission") & _at(events["mission"], subject_at).isin(list(planned))
    kind = kind.where(~of_planned, "plan")  # a planned mission's event is a plan: its row carries the latest target
    about_other = kind.notna() & ~kind.isin(("plan", "phase"))
    for index, subject, category in pd.concat([statements["subject"], kind], axis=1)[about_other].itertuples():
        check.add(
            index,
            "subject",
            f"{subject!r} is a {category} event; a statement's subject is the plan or phase event it is about, or "
            "an event of a mission whose outcome is planned",
        )
    event_start = _at(events["start"], pd.Series(events_check.rows_of(statements["event"]), index=statements.index))
    stated = statements["stated"]
    dated = event_start.notna() & (stated != "")
    off = np.char.startswith(event_start[dated].to_numpy(dtype=str), stated[dated].to_numpy(dtype=str))
    for index in dated[dated].index[~off]:
        event = statements.at[index, "event"]
        check.add(
            index,
            "stated",
            f"{stated[index]!r} differs from the start {event_start[index]!r} of its event {event!r}; make them agree",
        )
    _check_same_day_targets(check)
    _check_conflict_groups(check)
    accepted = _check_statement_order(check)
    _check_latest_targets(check, events_check, events, accepted.assign(subject_at=subject_at, kind=kind))


def _check_same_day_targets(check: TableCheck) -> None:
    """Two statements of one subject said on the same day with different targets are one remark reported two
    ways (or two remarks no source tells apart): they share a conflict group, never read as a revision."""
    statements = check.rows
    said = statements[(statements["stated"] != "") & (statements["target"] != "")]
    said = said[~said.index.isin(list(check.failed.get("stated", set()) | check.failed.get("target", set())))]
    for (subject, stated), rows in said.groupby(["subject", "stated"], sort=False):
        if rows[["target", "target_end"]].drop_duplicates().shape[0] < 2:
            continue
        first = rows.index[0]
        for index in rows.index[1:]:
            group = statements.at[index, "conflict_group"]
            if group != "" and group == statements.at[first, "conflict_group"]:
                continue
            if (
                statements.loc[index, ["target", "target_end"]] == statements.loc[first, ["target", "target_end"]]
            ).all():
                continue
            check.add(
                index,
                "conflict_group",
                f"states {statements.at[index, 'target']!r} for {subject!r} on {stated}, where line "
                f"{check.line(first)} states {statements.at[first, 'target']!r} on the same day: give both rows one "
                "conflict_group (one remark reported two ways, not a revision overnight)",
            )


def _check_conflict_groups(check: TableCheck) -> None:
    """A conflict group is one statement: all its rows are about one subject."""
    statements = check.rows
    grouped = statements[statements["conflict_group"] != ""]
    for group, rows in grouped.groupby("conflict_group", sort=False):
        first = rows.index[0]
        for index in rows.index[rows["subject"] != rows.at[first, "subject"]]:
            check.add(
                index,
                "conflict_group",
                f"{group!r} is about {rows.at[first, 'subject']!r} on line {check.line(first)}, not "
                f"{rows.at[index, 'subject']!r}: a conflict group is one statement about one subject; name another group",
            )


def _check_statement_order(check: TableCheck) -> pd.DataFrame:
    """Each subject's statements in date order; the dated statements in order (those out of order are left out)."""
    statements = check.rows
    frame = pd.DataFrame(
        {
            "subject": statements["subject"],
            "when": statements[local_column("stated")],
            "stated": statements["stated"],
            "row": statements.index,
            "group": check.distinct("subject")[0],  # (the subject's number: grouped without hashing it again)
        }
    ).dropna(subset=["when"])
    group = frame["group"]
    before = frame.groupby("group", sort=False)["when"].cummax().groupby(group, sort=False).shift()
    in_order = before.isna() | (frame["when"] >= before)
    position = pd.Series(np.arange(len(frame)), index=frame.index).where(in_order)
    previous = position.groupby(group, sort=False).shift().groupby(group, sort=False).ffill()
    for index in frame.index[~in_order]:
        earlier = frame.iloc[int(previous[index])]
        check.add(
            index,
            "stated",
            f"{frame.at[index, 'stated']!r} is before {earlier['stated']!r}, the date of the statement on line "
            f"{check.line(earlier['row'])} about {frame.at[index, 'subject']!r}; keep each subject's statements "
            "in date order",
        )
    return frame[in_order]


def _check_latest_targets(
    check: TableCheck, events_check: TableCheck, events: pd.DataFrame, accepted: pd.DataFrame
) -> None:
    """The plan or phase row carries the target (and end) of its latest statements (`accepted` with each
    subject's `kind` and its position `subject_at` in `events`)."""
    statements = check.rows
    failed_targets = set().union(*(check.failed.get(name, set()) for name in ("target", "target_end")))
    said = accepted.assign(target=statements["target"], target_end=statements["target_end"])
    said = said[said["kind"].isin(("plan", "phase")) & (said["target"] != "") & ~said.index.isin(list(failed_targets))]
    said = said[said["when"] == said.groupby("group", sort=False)["when"].transform("max")]
    at = said["subject_at"].to_numpy()
    start, end = events["start"].to_numpy()[at], events["end"].to_numpy()[at]
    same_start = said["target"].to_numpy() == start
    same_span = same_start & (said["target_end"].to_numpy() == end)
    group = said["group"].to_numpy()  # (numbered by subject: any statement of the latest date may agree)
    any_start, any_span = (
        np.bincount(group, weights=same, minlength=group.max(initial=0) + 1) > 0 for same in (same_start, same_span)
    )
    last = said.assign(start=start, end=end)[~said.duplicated("group", keep="last").to_numpy()]
    failed_dates = set().union(*(events_check.failed.get(name, set()) for name in ("start", "end")))
    last = last[~last["subject_at"].isin(list(failed_dates))]
    kept = last["group"].to_numpy()
    for row in last[~any_start[kept]].itertuples():
        events_check.add(
            row.subject_at,
            "start",
            f"{row.start!r} is not the latest stated target of {row.subject!r}: statements.csv:{check.line(row.row)} "
            f"({row.stated}) states {row.target!r}; a plan row carries what was last stated",
        )
    for row in last[any_start[kept] & ~any_span[kept]].itertuples():
        events_check.add(
            row.subject_at,
            "end",
            f"{row.end!r} is not the latest stated end of {row.subject!r}: statements.csv:{check.line(row.row)} "
            f"({row.stated}) states {row.target_end!r}; a plan row carries what was last stated",
        )


def check_reviews(checks: dict[str, TableCheck], dates: _SourceDates | None) -> None:
    """Every other table has a review of all its rows, and no table's latest review predates a source it cites."""
    if not usable(checks, "reviews"):
        return
    check = checks["reviews"]
    reviews = check.rows
    named = reviews[~reviews.index.isin(list(check.failed.get("table", set()) | check.failed.get("rows", set())))]
    full = set(named.loc[named["rows"] == "all", "table"])
    for name in TABLES:
        if name != "reviews" and name not in full:
            check.problems.append(
                Problem(
                    check.table.file,
                    None,
                    "table",
                    f"no review of all rows of {name!r}; add one (table, reviewed, rows = all, note)",
                )
            )
    if dates is None:
        return
    starts = dates.starts.dropna()
    valid = named[~named.index.isin(list(check.failed.get("reviewed", ())))]
    ends = _period_end(valid, "reviewed")
    for name, reviewed in valid.assign(end=ends).dropna(subset=["end"]).groupby("table", sort=False):
        table = checks.get(name)
        if table is None or table.frame is None:
            continue
        if name == "sources":
            cited = pd.Series(table.rows["id"].to_numpy())
        elif table.table.source_column is not None:
            cited = table.ids(table.table.source_column.name)
        else:
            continue
        dated = starts.reindex(cited.drop_duplicates().to_numpy()).dropna()
        if dated.empty:
            continue
        latest = reviewed.loc[reviewed["end"].idxmax()]
        newest = dated.idxmax()
        if latest["end"] <= dated[newest]:
            check.add(
                latest.name,
                "reviewed",
                f"{latest['reviewed']!r} is before source {newest!r} (published "
                f"{dates.written[newest]}) cited by {TABLES[name].file}; a table's latest review cannot predate a "
                "source it cites",
            )
