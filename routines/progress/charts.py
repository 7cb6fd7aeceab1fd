"""Server-drawn SVG charts for `/progress/`: geometry as pure functions, then the markup.

No ORM and no template loops: the geometry is plain arithmetic over lists (tested table by
table in `tests/routines/test_charts.py`), and each chart is built in Python with
`format_html`'s rule, every value escaped (see "Markup" below). Each chart is a `<figure>`
whose `<svg>` is an image named by its own `<title>` and `<desc>`, followed by a table of
the same figures, so a screen reader, or anyone who prefers numbers, reads them there.
Colours come from CSS custom properties (`static/css/progress.css`), so dark mode recolours
them; shapes carry their meaning as well (the met line, dashes for morning pain, labels).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.safestring import SafeString, mark_safe

# The drawing area of the wide charts, in SVG units; the SVG scales to its box.
WIDTH, HEIGHT = 400, 190
LEFT, BOTTOM, TOP = 36, 24, 20
HEAT_CELL, HEAT_GAP = 12, 2
HEAT_LEFT, HEAT_TOP = 32, 18
LEVELS = 4


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Point:
    x: float
    y: float


def scaled(value: float, most: float, length: float) -> float:
    """`value` of `most` as a length out of `length`; nothing when `most` is 0."""
    if most <= 0:
        return 0.0
    return max(0.0, min(value, most)) / most * length


def bars(
    values: Sequence[float | None], *, width: float, height: float, most: float, gap: float = 4
) -> list[Rect | None]:
    """One bar per value, side by side across `width`, standing on the bottom edge."""
    if not values:
        return []
    slot = width / len(values)
    result: list[Rect | None] = []
    for n, value in enumerate(values):
        if value is None:
            result.append(None)
            continue
        tall = scaled(value, most, height)
        result.append(Rect(x=n * slot + gap / 2, y=height - tall, width=slot - gap, height=tall))
    return result


def line(
    values: Sequence[float | None], *, width: float, height: float, most: float
) -> list[list[Point]]:
    """Points at the middle of each value's slot; a missing value breaks the line."""
    slot = width / len(values) if values else 0
    segments: list[list[Point]] = []
    current: list[Point] = []
    for n, value in enumerate(values):
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append(Point(x=n * slot + slot / 2, y=height - scaled(value, most, height)))
    if current:
        segments.append(current)
    return segments


def heat_cell(index: int, *, cell: float = HEAT_CELL, gap: float = HEAT_GAP) -> Point:
    """Day `index` (0 is the first Monday): a column a week, a row a weekday."""
    week, weekday = divmod(index, 7)
    return Point(x=week * (cell + gap), y=weekday * (cell + gap))


def level(value: int, most: int) -> int:
    """0 for nothing, else 1 to LEVELS by the share of the busiest day."""
    if value <= 0 or most <= 0:
        return 0
    return max(1, min(LEVELS, math.ceil(LEVELS * value / most)))


# Markup ---------------------------------------------------------------------------------
#
# `_html` and `_html_join` are `format_html` and `format_html_join` with Django's own rule
# (every value escaped unless it is already safe HTML), without their per-value cost: a
# heat map alone has some 1,300 values, and Django's lazy-aware escaping of each made the
# charts cost 15 ms a page.
# Numbers need no escaping; everything else goes through the same `html.escape` that
# `django.utils.html.escape` calls.


def _escaped(value: object) -> str:
    if isinstance(value, int | float):
        return str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _html(template: str, *args: object) -> SafeString:
    return mark_safe(template.format(*map(_escaped, args)))


def _html_join(sep: str, template: str, rows: Iterable[Sequence[object]]) -> SafeString:
    return mark_safe(sep.join(template.format(*map(_escaped, row)) for row in rows))


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(slug: str, title: str, desc: str, view: tuple[int, int], body: SafeString) -> SafeString:
    return _html(
        '<svg class="chart-svg" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" focusable="false">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        view[0],
        view[1],
        slug,
        slug,
        slug,
        title,
        slug,
        desc,
        body,
    )


def _table(caption: str, head: Sequence[str], rows: Iterable[Sequence[object]]) -> SafeString:
    return _html(
        '<details class="chart-table"><summary>{} as a table</summary>'
        '<div class="table-wrap" tabindex="0" role="region" aria-label="{}">'
        "<table><caption>{}</caption><thead><tr>{}</tr></thead>"
        "<tbody>{}</tbody></table></div></details>",
        caption,
        caption,
        caption,
        _html_join("", '<th scope="col">{}</th>', ((cell,) for cell in head)),
        _html_join(
            "",
            "<tr>{}</tr>",
            (
                (
                    _html(
                        '<th scope="row">{}</th>{}',
                        row[0],
                        _html_join("", "<td>{}</td>", ((cell,) for cell in row[1:])),
                    ),
                )
                for row in rows
            ),
        ),
    )


def figure(
    slug: str, heading: str, svg: SafeString, table: SafeString, note: str = ""
) -> SafeString:
    return _html(
        '<figure class="chart" id="{}"><figcaption><h2>{}</h2>{}</figcaption>{}{}</figure>',
        slug,
        heading,
        _html('<p class="chart-note">{}</p>', note) if note else "",
        svg,
        table,
    )


def short_date(day: date) -> str:
    return f"{day.day} {day:%b}"


def _axis(most: float, ticks: Sequence[float], label) -> SafeString:
    height = HEIGHT - BOTTOM - TOP
    return _html_join(
        "",
        '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
        '<text class="chart-tick" x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (
                LEFT,
                WIDTH,
                _n(TOP + height - scaled(tick, most, height)),
                _n(TOP + height - scaled(tick, most, height)),
                LEFT - 4,
                _n(TOP + height - scaled(tick, most, height) + 4),
                label(tick),
            )
            for tick in ticks
        ),
    )


def round_top(value: float) -> float:
    """The top of a chart's scale: `value` rounded up to 1, 2, 4 or 5 times a power of ten,
    so its half is a round figure too (37.5 lb gives 0, 20 and 40; 18 raises 0, 10 and 20)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 4, 5, 10) if value <= m * power)


def date_label_every(count: int, most: int = 4) -> int:
    """Name every n-th date under a chart so at most `most` fit on a phone's width."""
    return max(1, math.ceil(count / most))


def _week_labels(starts: Sequence[date], every: int = 3) -> SafeString:
    slot = (WIDTH - LEFT) / len(starts)
    return _html_join(
        "",
        '<text class="chart-tick" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (_n(LEFT + n * slot + slot / 2), HEIGHT - 6, short_date(start))
            for n, start in enumerate(starts)
            if (len(starts) - 1 - n) % every == 0
        ),
    )


def adherence_chart(
    starts: Sequence[date], done: Sequence[int], planned: Sequence[int], met_at: float
) -> SafeString:
    """Bars of sets done over sets planned per week, with the line a week must reach."""
    shares = [min(d / p, 1.0) * 100 if p else None for d, p in zip(done, planned, strict=True)]
    height = HEIGHT - BOTTOM - TOP
    rects = bars(shares, width=WIDTH - LEFT, height=height, most=100, gap=8)
    met_y = TOP + height - scaled(met_at * 100, 100, height)
    body = _html(
        '{}{}<line class="chart-target" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
        '<text class="chart-target-label" x="{}" y="{}" text-anchor="end">{} %</text>{}',
        _axis(100, (0, 50, 100), lambda tick: "" if tick == 100 else f"{tick:.0f}%"),
        _html_join(
            "",
            '<rect class="{}" x="{}" y="{}" width="{}" height="{}" rx="2"></rect>'
            '<text class="chart-value" x="{}" y="{}" text-anchor="middle">{}</text>',
            (
                (
                    "bar bar-met" if share >= met_at * 100 else "bar",
                    _n(LEFT + rect.x),
                    _n(TOP + rect.y),
                    _n(rect.width),
                    _n(rect.height),
                    _n(LEFT + rect.x + rect.width / 2),
                    _n(TOP + rect.y - 4),
                    f"{share:.0f}",
                )
                for rect, share in zip(rects, shares, strict=True)
                if rect is not None and share is not None
            ),
        ),
        LEFT,
        WIDTH,
        _n(met_y),
        _n(met_y),
        LEFT - 4,
        _n(met_y + 4),
        f"{met_at * 100:.0f}",
        _week_labels(starts),
    )
    planned_weeks = [s for s in shares if s is not None]
    met = sum(1 for s in planned_weeks if s >= met_at * 100)
    desc = (
        f"Sets done as a share of sets planned, week by week from {short_date(starts[0])}. "
        f"{met} of the {len(planned_weeks)} planned weeks reached {met_at * 100:.0f} %."
    )
    rows = (
        (
            short_date(start),
            # Never more done than planned without saying why.
            f"{p} + {d - p} extra" if p and d > p else d,
            p if p else "none",
            f"{share:.0f} %" if share is not None else "–",
        )
        for start, d, p, share in zip(starts, done, planned, shares, strict=True)
    )
    return figure(
        "adherence",
        "Planned against done, last 12 weeks",
        _svg("adherence-chart", "Adherence by week", desc, (WIDTH, HEIGHT), body),
        _table("Adherence by week", ("Week of", "Sets done", "Sets planned", "Adherence"), rows),
        note=f"A week meets the plan at {met_at * 100:.0f} % of its sets or more.",
    )


def heat_map(days: Sequence[tuple[date, int, bool]]) -> SafeString:
    """26 weeks of days, a column a week, darker for more sets; future days are outlines."""
    most = max((sets for _, sets, _ in days), default=0)
    weeks = math.ceil(len(days) / 7)
    width = HEAT_LEFT + weeks * (HEAT_CELL + HEAT_GAP)
    height = HEAT_TOP + 7 * (HEAT_CELL + HEAT_GAP)
    cells = _html_join(
        "",
        '<rect class="heat heat-{}" x="{}" y="{}" width="{}" height="{}" rx="2">'
        "<title>{}</title></rect>",
        (
            (
                "future" if future else level(sets, most),
                HEAT_LEFT + point.x,
                HEAT_TOP + point.y,
                HEAT_CELL,
                HEAT_CELL,
                f"{day:%a} {short_date(day)}: "
                + ("to come" if future else f"{sets} set{'s' if sets != 1 else ''}"),
            )
            for n, (day, sets, future) in enumerate(days)
            for point in (heat_cell(n),)
        ),
    )
    weekday_labels = _html_join(
        "",
        '<text class="chart-tick" x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (HEAT_LEFT - 4, HEAT_TOP + heat_cell(d).y + HEAT_CELL - 3, name)
            for d, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun"))
        ),
    )
    month_labels = _html_join(
        "",
        '<text class="chart-tick" x="{}" y="{}">{}</text>',
        (
            (HEAT_LEFT + heat_cell(n).x, HEAT_TOP - 5, f"{day:%b}")
            for n, (day, _, _) in enumerate(days)
            if n % 7 == 0 and (n == 0 or day.day <= 7)
        ),
    )
    done = [(day, sets) for day, sets, future in days if not future]
    active = sum(1 for _, sets in done if sets)
    desc = (
        f"Sets done each day from {short_date(days[0][0])} to {short_date(done[-1][0])}: "
        f"{active} days with work out of {len(done)}, the most {most} sets in a day."
    )
    # The table by week keeps the rows bounded and readable: 26 rows of 7 days.
    rows = []
    for n in range(weeks):
        week = days[n * 7 : n * 7 + 7]
        rows.append(
            (
                short_date(week[0][0]),
                *(("" if future else sets) for _, sets, future in week),
                sum(sets for _, sets, _ in week),
            )
        )
    body = _html("{}{}{}", month_labels, weekday_labels, cells)
    legend = _html(
        '<p class="heat-legend" aria-hidden="true">Fewer sets {} more</p>',
        _html_join("", '<span class="heat-key heat-{}"></span>', ((n,) for n in range(LEVELS + 1))),
    )
    return figure(
        "calendar",
        "Six months, day by day",
        _html(
            "{}{}", _svg("calendar-chart", "Sets done per day", desc, (width, height), body), legend
        ),
        _table(
            "Sets done per day",
            ("Week of", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Total"),
            reversed(rows),
        ),
    )


def region_chart(
    starts: Sequence[date],
    by_region: Sequence[tuple[str, Sequence[float]]],
    note: str = "",
) -> SafeString:
    """Small multiples: a row of weekly bars for each region that saw any work.

    `note` says how the sets are counted; a region without work is named after it.
    """
    worked = [(name, sets) for name, sets in by_region if any(sets)]
    idle = [name for name, sets in by_region if not any(sets)]
    most = max((max(sets) for _, sets in worked), default=0)
    row_height, label_width = 40, 96
    height = max(1, len(worked)) * row_height + 18
    rows_svg = _html_join(
        "",
        '<g transform="translate(0 {})"><text class="chart-label" x="0" y="{}">{}</text>'
        '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"></line>{}</g>',
        (
            (
                n * row_height,
                row_height - 14,
                name,
                label_width,
                WIDTH,
                row_height - 8,
                row_height - 8,
                _html_join(
                    "",
                    '<rect class="bar bar-region" x="{}" y="{}" width="{}" height="{}" rx="2">'
                    "</rect>",
                    (
                        (
                            _n(label_width + rect.x),
                            _n(rect.y + 4),
                            _n(rect.width),
                            _n(rect.height),
                        )
                        for rect in bars(
                            sets, width=WIDTH - label_width, height=row_height - 12, most=most
                        )
                        if rect is not None
                    ),
                ),
            )
            for n, (name, sets) in enumerate(worked)
        ),
    )
    slot = (WIDTH - label_width) / len(starts)
    labels = _html_join(
        "",
        '<text class="chart-tick" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (_n(label_width + n * slot + slot / 2), height - 4, short_date(start))
            for n, start in enumerate(starts)
            if (len(starts) - 1 - n) % 3 == 0
        ),
    )
    totals = ", ".join(f"{name} {_n(sum(sets))}" for name, sets in worked) or "none"
    desc = (
        f"Sets done per week by muscle region from {short_date(starts[0])}, each row on the "
        f"same scale (the most in one week: {_n(most)}). Totals: {totals}."
    )
    if idle and worked:
        note = f"{note} No {_and(idle).lower()} work in these 12 weeks.".strip()
    rows = (
        (short_date(start), *(_n(sets[n]) for _, sets in by_region))
        for n, start in enumerate(starts)
    )
    return figure(
        "regions",
        "Weekly sets by muscle region",
        _svg("regions-chart", "Sets per week by region", desc, (WIDTH, height), rows_svg + labels),
        _table("Sets per week by region", ("Week of", *(name for name, _ in by_region)), rows),
        note=note,
    )


def _and(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def pain_chart(
    starts: Sequence[date], session: Sequence[float | None], morning: Sequence[float | None]
) -> SafeString:
    """Two lines on a 0-to-10 scale: pain during sessions (solid), next mornings (dashed)."""
    height = HEIGHT - BOTTOM - TOP

    def path(values: Sequence[float | None], kind: str) -> SafeString:
        segments = line(values, width=WIDTH - LEFT, height=height, most=10)
        lines = _html_join(
            "",
            '<polyline class="pain-line pain-{}" points="{}"></polyline>',
            (
                (
                    kind,
                    " ".join(f"{_n(LEFT + p.x)},{_n(TOP + p.y)}" for p in segment),
                )
                for segment in segments
            ),
        )
        dots = _html_join(
            "",
            '<circle class="pain-dot pain-{}" cx="{}" cy="{}" r="3.5"></circle>',
            ((kind, _n(LEFT + p.x), _n(TOP + p.y)) for segment in segments for p in segment),
        )
        return _html("{}{}", lines, dots)

    body = _html(
        "{}{}{}{}",
        _axis(10, (0, 5, 10), lambda tick: f"{tick:.0f}"),
        path(session, "session"),
        path(morning, "morning"),
        _week_labels(starts),
    )

    def said(values: Sequence[float | None]) -> str:
        known = [v for v in values if v is not None]
        return f"from {_n(known[0])} to {_n(known[-1])}" if known else "not rated"

    desc = (
        f"Average pain out of 10 per week from {short_date(starts[0])}: during sessions "
        f"(solid line) {said(session)}; on the next mornings' first steps (dashed line) "
        f"{said(morning)}."
    )
    rows = (
        (
            short_date(start),
            "–" if s is None else _n(s),
            "–" if m is None else _n(m),
        )
        for start, s, m in zip(starts, session, morning, strict=True)
    )
    # Each key and its words wrap as one, so a label never sits under the other line's key.
    legend = mark_safe(
        '<p class="pain-legend">'
        '<span class="legend-item"><span class="key key-session"></span> During sessions</span> '
        '<span class="legend-item"><span class="key key-morning"></span> Next morning, first '
        "steps</span></p>"
    )
    return figure(
        "pain",
        "Pain over time",
        _html(
            "{}{}", _svg("pain-chart", "Average pain per week", desc, (WIDTH, HEIGHT), body), legend
        ),
        _table(
            "Average pain per week (0 to 10)",
            ("Week of", "During sessions", "Next morning"),
            rows,
        ),
        note="Each week's average, 0 (none) to 10 (the worst).",
    )


def series_chart(
    slug: str,
    heading: str,
    days: Sequence[date],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    unit: str,
    note: str = "",
) -> SafeString:
    """A line per series over dated entries (not weeks): the weight lifted, a calf test's
    sides. The first series is drawn solid, the second dashed; the table holds every value."""
    height = HEIGHT - BOTTOM - TOP
    known = [v for _, values in series for v in values if v is not None]
    most = round_top(max(known, default=1))
    ticks = (0, most / 2, most)
    kinds = ("session", "morning")[: len(series)]  # at most two series

    def path(values: Sequence[float | None], kind: str) -> SafeString:
        segments = line(values, width=WIDTH - LEFT, height=height, most=most)
        return _html(
            "{}{}",
            _html_join(
                "",
                '<polyline class="pain-line pain-{}" points="{}"></polyline>',
                (
                    (kind, " ".join(f"{_n(LEFT + p.x)},{_n(TOP + p.y)}" for p in segment))
                    for segment in segments
                ),
            ),
            _html_join(
                "",
                '<circle class="pain-dot pain-{}" cx="{}" cy="{}" r="3.5"></circle>',
                ((kind, _n(LEFT + p.x), _n(TOP + p.y)) for segment in segments for p in segment),
            ),
        )

    body = _html(
        "{}{}{}",
        _axis(most, ticks, lambda tick: _n(tick)),
        _html_join(
            "",
            "{}",
            ((path(values, kind),) for (_, values), kind in zip(series, kinds, strict=True)),
        ),
        # The entries' dates under their points: about four, the newest always named.
        _week_labels(days, every=date_label_every(len(days))),
    )
    spoken = "; ".join(
        f"{name} from {_n(vals[0])} to {_n(vals[-1])} {unit}"
        for name, values in series
        if (vals := [v for v in values if v is not None])
    )
    desc = f"{heading} from {short_date(days[0])} to {short_date(days[-1])}: {spoken}."
    legend = _html(
        '<p class="pain-legend">{}</p>',
        _html_join(
            " ",
            '<span class="legend-item"><span class="key key-{}"></span> {}</span>',
            ((kind, name) for (name, _), kind in zip(series, kinds, strict=True)),
        ),
    )
    rows = (
        (short_date(day), *("–" if values[n] is None else _n(values[n]) for _, values in series))
        for n, day in enumerate(days)
    )
    return figure(
        slug,
        heading,
        _html("{}{}", _svg(f"{slug}-chart", heading, desc, (WIDTH, HEIGHT), body), legend),
        _table(f"{heading} ({unit})", ("Date", *(name for name, _ in series)), rows),
        note=note,
    )
