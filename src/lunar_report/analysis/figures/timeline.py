"""Figures of the timeline report: events on lanes, ILRS phases, partner countries over time."""

from __future__ import annotations

from collections.abc import Callable

import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ...facts.dates import coarse_dates
from ...facts.schema import EVENT_CATEGORIES
from ..timeline import MAX_PHASE_BARS, ilrs_phases, phases_in_progress, with_periods
from ..wording import zone_name
from .style import INK, SMALL, WIDTH, finish, new_figure, style

MAX_MARKERS = 300
"""Above this many events the timeline figure shows counts per lane and year instead of markers."""
MARKERS_KEY = ("markers: known to the day or better", "hatched bars: known only to the month or year, or spans")

# A 5.2-inch axis holds about six year labels; months need up to ten (every six months over five years).
DATE_TICKS = {mdates.YEARLY: 6, mdates.MONTHLY: 10, mdates.DAILY: 8, mdates.HOURLY: 8, mdates.MINUTELY: 8}
DATE_TICKS |= {mdates.SECONDLY: 8, mdates.MICROSECONDLY: 8}

# matplotlib's stubs leave these constructors unannotated; typed names keep their callers checked.
_auto_locator: Callable[..., mdates.DateLocator] = mdates.AutoDateLocator
_concise_formatter: Callable[[mdates.DateLocator], mdates.ConciseDateFormatter] = mdates.ConciseDateFormatter


def _local(moments: pd.Timestamp | pd.Series, zone: str) -> pd.Timestamp | pd.Series:
    """UTC instants as naive wall-clock times of `zone` (what matplotlib plots)."""
    if isinstance(moments, pd.Timestamp):
        return moments.tz_convert(zone).tz_localize(None)
    return moments.dt.tz_convert(zone).dt.tz_localize(None)


def _mark_as_of(ax: Axes, as_of: pd.Timestamp, zone: str) -> None:
    """A dashed vertical line at `as_of`, labelled at its foot."""
    moment = _local(as_of, zone)
    ax.axvline(moment, color=INK, linestyle="--", linewidth=1)
    low, high = ax.get_xlim()
    right_half = (mdates.date2num(moment) - low) / ((high - low) or 1) > 0.5  # the label stays inside the axis
    ax.annotate(
        f"as of {moment:%-d %b %Y}",
        (moment, 0.0),
        xycoords=("data", "axes fraction"),
        fontsize=SMALL,
        ha="right" if right_half else "left",
        va="bottom",
        color=INK,
        xytext=(-3 if right_half else 3, 3),
        textcoords="offset points",
        bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
    )


def _date_axis(ax: Axes, zone: str, label: str = "Date") -> None:
    """Concise date ticks on the x axis, labelled with the zone they are in."""
    locator = _auto_locator(maxticks=DATE_TICKS)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(_concise_formatter(locator))
    ax.set_xlabel(f"{label} ({zone_name(zone)})")


def _lanes(events: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per (event, lane): the category, or each of the `;`-separated actors."""
    if by == "actors":
        lanes = events["actors"].fillna("unknown").str.split(";")
        return events.assign(lane=lanes).explode("lane").assign(lane=lambda f: f["lane"].str.strip())
    return events.assign(lane=events[by].astype(str))


def _lane_order(rows: pd.DataFrame, by: str) -> list[str]:
    """Categories in the schema's order; actors in order of their first event."""
    if by == "category":
        return [c for c in EVENT_CATEGORIES if c in set(rows["lane"])]
    return list(rows.groupby("lane")["start_utc"].min().sort_values().index)


def _draw_events(ax: Axes, rows: pd.DataFrame, lanes: list[str], zone: str) -> None:
    """Points for events known to the day or finer; hatched bars for months, years and spans."""
    for index, lane in enumerate(lanes):
        group = rows[rows["lane"] == lane]
        look = style(index)
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
                edgecolor=INK,
                linewidth=0.6,
            )
        ax.plot(
            _local(points["start_utc"], zone),
            [index] * len(points),
            linestyle="none",
            marker=look["marker"],
            markersize=7,
            color=look["color"],
            markeredgecolor=INK,
            markeredgewidth=0.6,
            alpha=0.9,
        )


def _draw_counts(ax: Axes, rows: pd.DataFrame, lanes: list[str], zone: str) -> None:
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
            fontsize=SMALL,
            color="white" if shade > 0.55 else INK,
        )


def _markers_key(fig: Figure, ax: Axes) -> None:
    """What a marker and a hatched bar mean, as a legend under the axis (grey: the lanes' colours are their own)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.transforms import offset_copy

    point = Line2D([], [], linestyle="none", marker="o", color="#999999", markeredgecolor=INK)
    bar = Patch(facecolor="#dddddd", hatch="///", edgecolor=INK, linewidth=0.6)
    under = offset_copy(ax.transAxes, fig=fig, y=-40, units="points")  # below the date ticks and the axis label
    ax.legend([point, bar], MARKERS_KEY, loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=under, frameon=False)


def timeline_figure(
    events: pd.DataFrame,
    timezone: str = "UTC",
    as_of: pd.Timestamp | None = None,
    by: str = "category",
    note: str = "",
    max_markers: int = MAX_MARKERS,
) -> Figure:
    """Events on lanes (by category or actors); month/year dates are drawn as spans, not points.

    With more than `max_markers` events it shows counts per lane and year instead.
    """
    rows = _lanes(with_periods(events), by)
    lanes = _lane_order(rows, by)
    many = len(events) > max_markers
    fig, ax = new_figure(WIDTH, 1.6 + 0.45 * len(lanes))
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
        ax.set_title(f"Timeline: {len(events)} events by {by}")
        _markers_key(fig, ax)
    return finish(fig, note)


def ilrs_phases_figure(
    events: pd.DataFrame, as_of: pd.Timestamp | None, note: str, max_bars: int = MAX_PHASE_BARS
) -> Figure:
    """The ILRS phases as a Gantt chart; an open-ended phase fades out with an arrow.

    With more than `max_bars` phases it shows how many are in progress over time instead.
    """
    spans = ilrs_phases(events)
    if len(spans) > max_bars:
        return _phases_in_progress_figure(spans, as_of, note)
    fig, ax = new_figure(WIDTH, 1.4 + 0.55 * len(spans))
    horizon = max(spans["start_utc"].max(), spans["last_utc"].max()) + pd.DateOffset(years=6)
    for index, (_, span) in enumerate(spans.iterrows()):
        _draw_phase(ax, index, span, horizon)
    if as_of is not None:
        _mark_as_of(ax, as_of, "UTC")
    ax.set_yticks(range(len(spans)), spans["title"].str.replace("ILRS ", "", regex=False))
    ax.set_ylim(len(spans) - 0.4, -0.8)
    _date_axis(ax, "UTC", "Year")
    ax.set_title("ILRS phases as planned")
    return finish(fig, note)


def _draw_phase(ax: Axes, index: int, span: pd.Series, horizon: pd.Timestamp) -> None:
    """One phase's bar, labelled with its years; an open-ended one runs faded to `horizon`, with an arrow."""
    look = style(index)
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
        edgecolor=INK,
        linewidth=0.6,
    )
    years = f"from {span['start']} (open-ended)" if span["open_ended"] else f"{span['start']}–{span['end']}"
    ax.text(left + (right - left) / 2, index - 0.32, years, ha="center", va="bottom", fontsize=SMALL)
    if span["open_ended"]:
        ax.annotate(
            "",
            xy=(right, index),
            xytext=(right - pd.Timedelta(days=700), index),
            arrowprops={"arrowstyle": "->", "color": INK},
        )


def _phases_in_progress_figure(spans: pd.DataFrame, as_of: pd.Timestamp | None, note: str) -> Figure:
    """Too many phases for a bar each: how many are in progress over time, as a step line."""
    counts = phases_in_progress(spans)
    fig, ax = new_figure(WIDTH, 3.0)
    ax.step(_local(counts.index.to_series(), "UTC"), counts.to_numpy(), where="post", color=INK, linewidth=1.2)
    if as_of is not None:
        _mark_as_of(ax, as_of, "UTC")
    ax.set_ylabel("Phases in progress")
    ax.set_ylim(bottom=0)
    _date_axis(ax, "UTC", "Year")
    ax.set_title(f"ILRS phases in progress ({len(spans):,} phases: too many for one bar each)")
    return finish(fig, note)


def partners_figure(
    joinings: pd.DataFrame,
    stated: int | None,
    stated_label: str,
    as_of: pd.Timestamp | None,
    timezone: str,
    note: str,
) -> Figure:
    """Partner countries joined over time as a cumulative step chart; month-precision joins shown as spans.

    `stated` (drawn as a dotted line labelled `stated_label`) is the count a source gives.
    """
    fig, ax = new_figure(WIDTH, 4.8)
    moments = _local(joinings["start_utc"], timezone)
    counts = np.arange(1, len(joinings) + 1)
    end = max(_local(as_of, timezone), moments.max()) if as_of is not None else moments.max()
    ax.step(
        [*list(moments), end],
        [*list(counts), counts[-1]],
        where="post",
        color=style(3)["color"],
        linewidth=2,
        label="countries with a dated government-level joining",
    )
    _draw_joinings(ax, joinings, moments, counts, timezone)
    ax.plot([], [], color=style(0)["color"], linewidth=5, alpha=0.7, label="joined some time in this month")
    if stated is not None:
        ax.axhline(stated, color=INK, linestyle=":", linewidth=1)
        ax.text(0.01, stated + 0.2, stated_label, fontsize=SMALL, va="bottom", transform=ax.get_yaxis_transform())
    if as_of is not None:
        _mark_as_of(ax, as_of, timezone)
    ax.set_ylim(0, max(counts.max(), stated or 0) + 1.5)
    ax.set_xlim(left=moments.min() - (end - moments.min()) * 0.45)  # room for the first countries' names
    ax.set_ylabel("Partner countries (cumulative)")
    _date_axis(ax, timezone)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_title("ILRS partner countries over time (besides China and Russia)")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.16), fontsize=SMALL, frameon=False)  # below: no name hidden
    return finish(fig, note)


def _draw_joinings(ax: Axes, joinings: pd.DataFrame, moments: pd.Series, counts: np.ndarray, timezone: str) -> None:
    """Each joining as a labelled point: filled when dated to the day, hollow on a bar over its month otherwise."""
    coarse = coarse_dates(joinings["precision"]).to_numpy()
    lasts = _local(joinings["last_utc"], timezone)
    for moment, last, count, country, is_coarse in zip(
        moments, lasts, counts, joinings["country"], coarse, strict=False
    ):
        if is_coarse:
            ax.plot(
                [moment, last], [count, count], color=style(0)["color"], linewidth=5, alpha=0.7, solid_capstyle="butt"
            )
        ax.plot(
            moment,
            count,
            marker="o",
            markersize=6,
            color=style(3)["color"] if not is_coarse else "white",
            markeredgecolor=INK,
            linestyle="none",
        )
        ax.annotate(country, (moment, count), xytext=(-4, 4), textcoords="offset points", ha="right", fontsize=SMALL)
