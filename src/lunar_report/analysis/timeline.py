"""Timeline analysis: chronology, timeline figure, milestone intervals, ILRS phases, partners, targets."""

from __future__ import annotations

import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from ..facts.dates import (
    DAYS_PER_YEAR,
    PRECISION_BY_LENGTH,
    end_of_period,
    event_interval,
    format_event_date,
    years_between,
    zone_label,
)
from ..facts.load import Facts, split_ids
from ..facts.schema import EVENT_CATEGORIES
from . import plots
from .citations import SourceList, with_sources
from .missions import reference_events

COARSE = ("month", "year")
MAX_MARKERS = 300
"""Above this many events the timeline figure shows counts per lane and year instead of markers."""
MAX_PHASE_BARS = 30
"""Above this many phases the phase figure counts the phases in progress instead of drawing a bar each."""
STEP_LABELS = {
    "programme": "Cooperation programme signed",
    "memorandum": "Memorandum signed",
    "joint statement": "Joint statement released",
    "roadmap": "Roadmap released",
}


def zone_name(zone: str) -> str:
    """How a display zone is named in labels: "UTC" or "Asia/Shanghai, UTC+8"."""
    return zone_label(pd.Timestamp("2021-01-01", tz="UTC"), zone).replace(" (", ", ").removesuffix(")")


def event_date(event: pd.Series, display_zone: str) -> str:
    """An event's date at its precision; a calendar date recorded in another zone names that zone."""
    text = format_event_date(event, display_zone)
    recorded = event["timezone"]
    if event["precision"] == "day" and not pd.isna(recorded) and recorded != display_zone:
        return f"{text} ({recorded} date)"
    return text


def who(actors) -> str:
    """The first actor, with the people or bodies after it in brackets: "CMSA (Lin Xiqiang)"."""
    names = split_ids(actors)
    if not names:
        return "an unnamed source"
    return names[0] + (f" ({', '.join(names[1:])})" if len(names) > 1 else "")


def with_periods(events: pd.DataFrame) -> pd.DataFrame:
    """Add `last_utc`: where the event ends on a time axis (after its end's, or its start's, period)."""
    start_precision = events["precision"].astype(str)
    end_precision = events["end"].str.len().map(PRECISION_BY_LENGTH)
    past_start = end_of_period(events["start_utc"], start_precision)
    past_end = end_of_period(events["end_utc"], end_precision)
    coarse = start_precision.isin(COARSE) | events["end_utc"].notna()
    last = past_end.where(events["end_utc"].notna(), past_start.where(coarse, events["start_utc"]))
    return events.assign(last_utc=last)


def select_events(events: pd.DataFrame, start=None, end=None, categories=None) -> pd.DataFrame:
    """Events of `categories` that overlap [start, end) (UTC instants; None: unbounded), in time order."""
    chosen = with_periods(events)
    if categories is not None:
        chosen = chosen[chosen["category"].astype(str).isin(categories)]
    if start is not None:
        chosen = chosen[(chosen["last_utc"] > start) | (chosen["start_utc"] >= start)]
    if end is not None:
        chosen = chosen[chosen["start_utc"] < end]
    return chosen.sort_values(["start_utc", "id"])


def chronology(events: pd.DataFrame, timezone: str = "UTC", sources: SourceList | None = None) -> pd.DataFrame:
    """The chronology table: each date at its precision with its zone, the event, its category and actors.

    With `sources`, a last column cites each event's sources.
    """
    ordered = events.sort_values(["start_utc", "id"])
    table = pd.DataFrame(
        {
            "Date": [event_date(row, timezone) for _, row in ordered.iterrows()],
            "Event": ordered["title"].to_numpy(),
            "Category": ordered["category"].astype(str).to_numpy(),
            "Actors": ordered["actors"].fillna("").str.replace(";", ", ").to_numpy(),
        }
    )
    return with_sources(table, ordered["source"], sources)


def counts_table(events: pd.DataFrame, timezone: str = "UTC") -> pd.DataFrame:
    """Events per category (rows) and year (columns) in `timezone`: the chronology when it is too long to list."""
    years = _local(events["start_utc"], timezone).dt.year.rename("Year")
    counts = events.groupby([events["category"].astype(str).rename("Category"), years]).size().unstack(fill_value=0)
    counts.columns = [str(year) for year in counts.columns]
    return counts.reset_index()


def _local(moments, zone: str):
    """UTC instants as naive wall-clock times of `zone` (what matplotlib plots)."""
    if isinstance(moments, pd.Timestamp):
        return moments.tz_convert(zone).tz_localize(None)
    return moments.dt.tz_convert(zone).dt.tz_localize(None)


def _lanes(events: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per (event, lane): the category, or each of the `;`-separated actors."""
    if by == "actors":
        lanes = events["actors"].fillna("unknown").str.split(";")
        return events.assign(lane=lanes).explode("lane").assign(lane=lambda f: f["lane"].str.strip())
    return events.assign(lane=events[by].astype(str))


def _draw_events(ax, rows: pd.DataFrame, lanes: list[str], zone: str) -> None:
    """Points for events known to the day or finer; hatched bars for months, years and spans."""
    for index, lane in enumerate(lanes):
        group = rows[rows["lane"] == lane]
        look = plots.style(index)
        spans = group[group["last_utc"] > group["start_utc"]]
        points = group.drop(spans.index)
        if len(spans):
            left = _local(spans["start_utc"], zone)
            ax.barh(
                [index] * len(spans),
                _local(spans["last_utc"], zone) - left,
                left=left,
                height=0.45,
                color=look["color"],
                alpha=0.6,
                hatch=look["hatch"],
                edgecolor=plots.INK,
                linewidth=0.6,
            )
        ax.plot(
            _local(points["start_utc"], zone),
            [index] * len(points),
            linestyle="none",
            marker=look["marker"],
            markersize=7,
            color=look["color"],
            markeredgecolor=plots.INK,
            markeredgewidth=0.6,
            alpha=0.9,
        )


def _draw_counts(ax, rows: pd.DataFrame, lanes: list[str], zone: str) -> None:
    """Many events: one cell per lane and year, shaded (cividis) and labelled with its count."""
    years = _local(rows["start_utc"], zone).dt.year
    counts = rows.assign(year=years).groupby(["lane", "year"]).size()
    colours = matplotlib.colormaps["cividis_r"]
    top = counts.max()
    for (lane, year), count in counts.items():
        left = pd.Timestamp(year=int(year), month=1, day=1)
        shade = 0.15 + 0.85 * np.log1p(count) / np.log1p(top)
        ax.barh(
            lanes.index(lane),
            pd.Timedelta(days=365),
            left=left,
            height=0.8,
            color=colours(shade),
            edgecolor="white",
            linewidth=0.5,
        )
        ax.text(
            left + pd.Timedelta(days=182),
            lanes.index(lane),
            f"{count:,}",
            ha="center",
            va="center",
            fontsize=6,
            color="white" if shade > 0.55 else plots.INK,
        )


def _mark_as_of(ax, as_of: pd.Timestamp, zone: str) -> None:
    moment = _local(as_of, zone)
    ax.axvline(moment, color=plots.INK, linestyle="--", linewidth=1)
    ax.annotate(
        f"as of {moment:%-d %b %Y}",
        (moment, 0.0),
        xycoords=("data", "axes fraction"),
        fontsize=7.5,
        ha="left",
        va="bottom",
        color=plots.INK,
        xytext=(3, 3),
        textcoords="offset points",
        bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
    )


def _date_axis(ax, zone: str, label: str = "Date") -> None:
    locator = mdates.AutoDateLocator(maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel(f"{label} ({zone_name(zone)})")


def timeline_figure(
    events: pd.DataFrame,
    timezone: str = "UTC",
    as_of: pd.Timestamp | None = None,
    by: str = "category",
    note: str = "",
    max_markers: int = MAX_MARKERS,
):
    """Events on lanes (by category or actors); month/year dates are drawn as spans, not points.

    With more than `max_markers` events it shows counts per lane and year instead.
    """
    rows = _lanes(with_periods(events), by)
    lanes = (
        [c for c in EVENT_CATEGORIES if c in set(rows["lane"])]
        if by == "category"
        else (list(rows.groupby("lane")["start_utc"].min().sort_values().index))
    )
    many = len(events) > max_markers
    fig, ax = plots.new_figure(7.5, 1.6 + 0.45 * len(lanes))
    (_draw_counts if many else _draw_events)(ax, rows, lanes, timezone)
    if as_of is not None:
        _mark_as_of(ax, as_of, timezone)
    ax.set_yticks(range(len(lanes)), lanes)
    ax.set_ylim(len(lanes) - 0.4, -0.6)
    _date_axis(ax, timezone)
    ax.set_ylabel("Category" if by == "category" else "Actor")
    if many:
        ax.set_title(f"Timeline: events per {by} and year ({len(events):,} events)")
    else:
        ax.set_title(f"Timeline: {len(events)} events by {by}", pad=16)
        ax.text(
            0.5,
            1.01,
            "markers: known to the day or better;  hatched bars: known only to the month or year, or spans",
            transform=ax.transAxes,
            ha="center",
            va="bottom",
            fontsize=7,
            color="#555555",
        )
    plots.add_source_note(fig, note)
    fig.tight_layout()
    return fig


def cooperation_steps(facts: Facts, events: pd.DataFrame) -> pd.DataFrame:
    """The cooperation's milestones among `events`: agreements (not partner ones), briefings, first and latest partner.

    Columns: step (a reader's label) plus the event's columns; in time order.
    """
    agreements = facts.agreements[facts.agreements["kind"].isin(STEP_LABELS)]
    labels = dict(zip(agreements["event"], agreements["kind"].map(STEP_LABELS), strict=False))
    briefings = events[events["category"] == "briefing"]
    labels.update({event_id: "Press briefing" for event_id in briefings["id"]})
    joinings = partner_joinings(events)
    if len(joinings):
        labels[joinings["id"].iloc[0]] = f"First partner joins ({joinings['country'].iloc[0]})"
        labels[joinings["id"].iloc[-1]] = f"Latest partner joins ({joinings['country'].iloc[-1]})"
    steps = events[events["id"].isin(labels)].sort_values(["start_utc", "id"])
    return steps.assign(step=steps["id"].map(labels))


def interval_text(days: float, precision: str) -> str:
    """An interval only as precise as its coarser end: "1,224 days (3.35 years)" or "about 40 months"."""
    if precision == "year":
        return f"about {days / DAYS_PER_YEAR:.0f} years"
    if precision == "month":
        months = days / (DAYS_PER_YEAR / 12)
        return f"about {months:.0f} months ({months / 12:.1f} years)"
    return f"{days:,.0f} days ({days / DAYS_PER_YEAR:.2f} years)"


def step_intervals(
    facts: Facts, steps: pd.DataFrame, timezone: str = "UTC", sources: SourceList | None = None
) -> pd.DataFrame:
    """Each milestone with its date and the time since the previous one (and its sources, given `sources`)."""
    rows = []
    previous = None
    for _, step in steps.iterrows():
        since = ""
        if previous is not None:
            gap = event_interval(steps, previous["id"], step["id"])
            since = interval_text(gap.days, gap.precision)
        rows.append(
            {
                "Milestone": step["step"],
                "Date": event_date(step, timezone),
                "Since the previous milestone": since,
                "Event": step["title"],
            }
        )
        previous = step
    table = pd.DataFrame(rows, columns=["Milestone", "Date", "Since the previous milestone", "Event"])
    return with_sources(table, steps["source"], sources)


def phases(events: pd.DataFrame) -> pd.DataFrame:
    """The ILRS phases (category `phase`) with `last_utc`, in time order; an open end stays NaT."""
    chosen = with_periods(events[events["category"] == "phase"])
    open_ended = chosen["end"].isna()
    return chosen.assign(last_utc=chosen["last_utc"].where(~open_ended), open_ended=open_ended).sort_values("start_utc")


def phase_table(events: pd.DataFrame, sources: SourceList | None = None) -> pd.DataFrame:
    """Each phase with its years, as the data states them (and its sources, given `sources`)."""
    spans = phases(events)
    table = pd.DataFrame(
        {
            "Phase": spans["title"].to_numpy(),
            "From": spans["start"].to_numpy(),
            "To (inclusive)": spans["end"].fillna("open-ended").to_numpy(),
        }
    )
    return with_sources(table, spans["source"], sources)


def current_phase(events: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series | None:
    """The phase running at `as_of`, or None."""
    spans = phases(events)
    running = spans[(spans["start_utc"] <= as_of) & (spans["last_utc"].isna() | (spans["last_utc"] > as_of))]
    return None if running.empty else running.iloc[0]


def phases_figure(events: pd.DataFrame, as_of: pd.Timestamp | None, note: str, max_bars: int = MAX_PHASE_BARS):
    """The ILRS phases as a Gantt chart; an open-ended phase fades out with an arrow.

    With more than `max_bars` phases it shows how many are in progress over time instead.
    """
    spans = phases(events)
    if len(spans) > max_bars:
        return _phases_in_progress_figure(spans, as_of, note)
    fig, ax = plots.new_figure(7.5, 1.4 + 0.55 * len(spans))
    horizon = max(spans["start_utc"].max(), spans["last_utc"].max()) + pd.DateOffset(years=6)
    for index, (_, span) in enumerate(spans.iterrows()):
        look = plots.style(index)
        left = _local(span["start_utc"], "UTC")
        right = _local(horizon if span["open_ended"] else span["last_utc"], "UTC")
        ax.barh(
            index,
            right - left,
            left=left,
            height=0.5,
            color=look["color"],
            alpha=0.35 if span["open_ended"] else 0.7,
            hatch=look["hatch"],
            edgecolor=plots.INK,
            linewidth=0.6,
        )
        years = f"from {span['start']} (open-ended)" if span["open_ended"] else f"{span['start']}–{span['end']}"
        ax.text(left + (right - left) / 2, index - 0.32, years, ha="center", va="bottom", fontsize=8)
        if span["open_ended"]:
            ax.annotate(
                "",
                xy=(right, index),
                xytext=(right - pd.Timedelta(days=700), index),
                arrowprops={"arrowstyle": "->", "color": plots.INK},
            )
    if as_of is not None:
        _mark_as_of(ax, as_of, "UTC")
    ax.set_yticks(range(len(spans)), spans["title"].str.replace("ILRS ", "", regex=False))
    ax.set_ylim(len(spans) - 0.4, -0.8)
    _date_axis(ax, "UTC", "Year")
    ax.set_title("ILRS phases as planned")
    plots.add_source_note(fig, note)
    fig.tight_layout()
    return fig


def phases_in_progress(spans: pd.DataFrame) -> pd.Series:
    """How many of `spans` are in progress from each start or end on (a step function; open ends never end)."""
    starts = pd.Series(1, index=spans["start_utc"])
    ends = pd.Series(-1, index=spans["last_utc"].dropna())
    return pd.concat([starts, ends]).groupby(level=0).sum().sort_index().cumsum()


def _phases_in_progress_figure(spans: pd.DataFrame, as_of: pd.Timestamp | None, note: str):
    counts = phases_in_progress(spans)
    fig, ax = plots.new_figure(7.5, 3.0)
    ax.step(_local(counts.index.to_series(), "UTC"), counts.to_numpy(), where="post", color=plots.INK, linewidth=1.2)
    if as_of is not None:
        _mark_as_of(ax, as_of, "UTC")
    ax.set_ylabel("Phases in progress")
    ax.set_ylim(bottom=0)
    _date_axis(ax, "UTC", "Year")
    ax.set_title(f"ILRS phases in progress ({len(spans):,} phases: too many for one bar each)")
    plots.add_source_note(fig, note)
    fig.tight_layout()
    return fig


def partner_joinings(events: pd.DataFrame) -> pd.DataFrame:
    """Partner joining events with `country` (the first actor), one per country, in time order."""
    joins = events[(events["category"] == "partner") & (events["milestone"] == "joining")]
    joins = joins.assign(country=joins["actors"].map(lambda text: (split_ids(text) or ["unknown"])[0]))
    return with_periods(joins.sort_values(["start_utc", "id"]).drop_duplicates("country"))


def partners_figure(
    joinings: pd.DataFrame, stated: int | None, stated_label: str, as_of: pd.Timestamp | None, timezone: str, note: str
):
    """Partner countries joined over time as a cumulative step chart; month-precision joins shown as spans.

    `stated` (drawn as a dotted line labelled `stated_label`) is the count a source gives.
    """
    fig, ax = plots.new_figure(7.5, 4.2)
    moments = _local(joinings["start_utc"], timezone)
    counts = np.arange(1, len(joinings) + 1)
    end = max(_local(as_of, timezone), moments.max()) if as_of is not None else moments.max()
    ax.step(
        [*list(moments), end],
        [*list(counts), counts[-1]],
        where="post",
        color=plots.style(3)["color"],
        linewidth=2,
        label="countries with a dated joining event",
    )
    coarse = joinings["precision"].astype(str).isin(COARSE).to_numpy()
    for moment, last, count, country, is_coarse in zip(
        moments, _local(joinings["last_utc"], timezone), counts, joinings["country"], coarse, strict=False
    ):
        if is_coarse:
            ax.plot(
                [moment, last],
                [count, count],
                color=plots.style(0)["color"],
                linewidth=5,
                alpha=0.7,
                solid_capstyle="butt",
            )
        ax.plot(
            moment,
            count,
            marker="o",
            markersize=6,
            color=plots.style(3)["color"] if not is_coarse else "white",
            markeredgecolor=plots.INK,
            linestyle="none",
        )
        ax.annotate(country, (moment, count), xytext=(-4, 4), textcoords="offset points", ha="right", fontsize=7.5)
    ax.plot([], [], color=plots.style(0)["color"], linewidth=5, alpha=0.7, label="joined some time in this month")
    if stated is not None:
        ax.axhline(stated, color=plots.INK, linestyle=":", linewidth=1)
        ax.text(moments.min(), stated + 0.2, stated_label, fontsize=8, va="bottom")
    if as_of is not None:
        _mark_as_of(ax, as_of, timezone)
    ax.set_ylim(0, max(counts.max(), stated or 0) + 1.5)
    ax.set_ylabel("Partner countries (cumulative)")
    _date_axis(ax, timezone)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_title("ILRS partner countries over time (besides China and Russia)")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    plots.add_source_note(fig, note)
    fig.tight_layout()
    return fig


def stated_partner_count(facts: Facts) -> pd.Series | None:
    """The latest stated number of partner countries (figure metric `ilrs_partner_countries`), or None."""
    rows = facts.figures[facts.figures["metric"] == "ilrs_partner_countries"]
    return None if rows.empty else rows.iloc[-1]


def stated_partner_line(facts: Facts) -> tuple[int | None, str]:
    """The stated partner count and its label for the partners figure ("13 countries: Roscosmos, 28 April 2025")."""
    stated = stated_partner_count(facts)
    if stated is None:
        return None, ""
    said = announcing_event(facts, stated)
    by = f": {split_ids(said['actors'])[0]}, {format_event_date(said)}" if said is not None else ""
    return int(stated["value"]), f"{stated['stated']} stated{by}"


def announcing_event(facts: Facts, row: pd.Series, category: str = "statement") -> pd.Series | None:
    """The earliest `category` event citing a source of `row` (who said it, and when), or None."""
    sources = set(split_ids(row["source"]))
    events = reference_events(facts)
    candidates = events[
        (events["category"] == category) & events["source"].map(lambda t: bool(sources & set(split_ids(t))))
    ]
    return None if candidates.empty else candidates.sort_values("start_utc").iloc[0]


def targets(facts: Facts) -> pd.DataFrame:
    """Dated targets (milestone `target`, reference rows) with who set them and when.

    Columns: id, title, deadline (UTC start of the target period), target (as recorded),
    set_by, stated_on (UTC), stated_event (the announcing event's id).
    """
    events = reference_events(facts)
    rows = []
    for _, target in events[events["milestone"] == "target"].sort_values("start_utc").iterrows():
        said = announcing_event(facts, target)
        rows.append(
            {
                "id": target["id"],
                "title": target["title"],
                "deadline": target["start_utc"],
                "target": target["start"],
                "set_by": who(said["actors"] if said is not None else target["actors"]),
                "stated_on": said["start_utc"] if said is not None else pd.NaT,
                "stated_event": said if said is not None else None,
            }
        )
    return pd.DataFrame(rows, columns=["id", "title", "deadline", "target", "set_by", "stated_on", "stated_event"])


Sentence = tuple[str, dict]
"""A template for `display.say` and the values it fills in."""


def window_sentences(events: pd.DataFrame, left_out: int, timezone: str, as_of: pd.Timestamp) -> list[Sentence]:
    """What the chronology covers, in which zone, and what it leaves out."""
    if events.empty:
        return [("No event of the chosen categories falls in the chosen window.", {})]
    first, last = events.iloc[0], events.sort_values("start_utc").iloc[-1]
    return [
        (
            "**{n} events**, from {first} to {last}. Clock times are shown in **{zone}**; a date known only to the day "
            "is the calendar date where it happened, and names its zone when that differs.",
            {
                "n": len(events),
                "first": event_date(first, timezone),
                "last": event_date(last, timezone),
                "zone": zone_name(timezone),
            },
        ),
        (
            "{left_out} rows that only the article itself states are left out here; the claims report checks them. "
            "The sections on phases, partners and targets use every event, whatever the window; "
            "elapsed and remaining times are counted to {as_of:%-d %B %Y} (UTC).",
            {"left_out": left_out, "as_of": as_of},
        ),
    ]


def step_sentences(steps: pd.DataFrame) -> list[Sentence]:
    """The span from the first to the last cooperation milestone."""
    if len(steps) < 2:
        return [("The chosen window holds fewer than two cooperation milestones, so there is no interval to show.", {})]
    first, last = steps.iloc[0], steps.iloc[-1]
    gap = event_interval(steps, first["id"], last["id"])
    return [
        (
            "From “{first}” to “{last}”: {span}.",
            {"first": first["step"], "last": last["step"], "span": interval_text(gap.days, gap.precision)},
        )
    ]


def phase_sentences(events: pd.DataFrame, as_of: pd.Timestamp) -> list[Sentence]:
    """Which phase runs at `as_of`, and how long it has run and has left."""
    running = current_phase(events, as_of)
    if running is None:
        return [("No ILRS phase in the data runs on {as_of:%-d %B %Y}.", {"as_of": as_of})]
    parts = [
        (
            "On {as_of:%-d %B %Y} the plan is in **{phase}**, which began in {start}: {elapsed:.1f} years ago.",
            {
                "as_of": as_of,
                "phase": running["title"],
                "start": running["start"],
                "elapsed": years_between(running["start_utc"], as_of),
            },
        )
    ]
    if not pd.isna(running["last_utc"]):
        parts.append(
            (
                "It is planned to run to the end of {end}: {left:.1f} years from then.",
                {"end": running["end"], "left": years_between(as_of, running["last_utc"])},
            )
        )
    return parts


def partner_sentences(facts: Facts, joinings: pd.DataFrame, timezone: str) -> list[Sentence]:
    """How many partners have a dated joining, the first and latest, and which the data cannot date."""
    if joinings.empty:
        return [("The data has no partner joining events.", {})]
    first, last = joinings.iloc[0], joinings.iloc[-1]
    parts = [
        (
            "**{n} countries** besides China and Russia have a dated joining event: the first was {first} "
            "({first_date}), the latest {last} ({last_date}); {coarse} of these dates are known only to the month.",
            {
                "n": len(joinings),
                "first": first["country"],
                "first_date": format_event_date(first, timezone),
                "last": last["country"],
                "last_date": format_event_date(last, timezone),
                "coarse": int(joinings["precision"].astype(str).isin(COARSE).sum()),
            },
        )
    ]
    stated = stated_partner_count(facts)
    if stated is None:
        return parts
    said = announcing_event(facts, stated)
    undated = int(stated["value"]) - len(joinings)
    parts.append(
        (
            "{who} stated **{count:.0f} countries** on {when}; **{undated}** of them have no joining date "
            "in the data. The data’s note: “{note}”",
            {
                "who": who(said["actors"]) if said is not None else "A source",
                "count": float(stated["value"]),
                "when": format_event_date(said, timezone) if said is not None else "an unknown date",
                "undated": max(undated, 0),
                "note": said["note"] if said is not None else stated["note"],
            },
        )
    )
    return parts


def target_sentences(facts: Facts, as_of: pd.Timestamp, timezone: str) -> list[Sentence]:
    """For each dated target: who set it and when, time elapsed since, and time left to the target year."""
    parts = []
    for _, target in targets(facts).iterrows():
        left = years_between(as_of, target["deadline"])
        values = {"title": target["title"], "target": target["target"], "as_of": as_of, "left": abs(left)}
        remaining = (
            "{left:.1f} years remain until 1 January {target}."
            if left >= 0
            else "1 January {target} passed {left:.1f} years before then."
        )
        if target["stated_event"] is not None:
            parts.append(
                (
                    "**{title}.** Set by {who} on {when}; {elapsed:.1f} years had passed by {as_of:%-d %B %Y}, "
                    "and " + remaining,
                    values
                    | {
                        "who": target["set_by"],
                        "when": format_event_date(target["stated_event"], timezone),
                        "elapsed": years_between(target["stated_on"], as_of),
                    },
                )
            )
        else:
            parts.append(
                ("**{title}.** The data does not say who set it or when. On {as_of:%-d %B %Y}, " + remaining, values)
            )
    return parts or [("The data records no dated targets.", {})]
