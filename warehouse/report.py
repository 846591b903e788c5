"""`newsflow report`: one self-contained HTML page of plotly charts over the warehouse views.

plotly.js is inlined once (with the first chart), so the page opens without network access.
Every chart reads its data with SQL, filtered to Kyiv dates on or after `since` and to one
outlet's rows when given (else across outlets, with the articles per outlet in the header when
more than one has any); a chart without data still renders, with a "no data" note.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import plotly.graph_objects as go

from sources.outlets import outlets

TITLE = "newsflow — {} report"
ACROSS = "newsflow — report across {} outlets"
CHART_HEIGHT = 440
TOP_N = 15
# A row's Kyiv date when it may be an article, a feed item, or both (a = v_articles, f = feed_items).
ITEM_DATE = "coalesce(a.kyiv_date, CAST(timezone('Europe/Kyiv', f.published_at) AS DATE))"
SINCE = "($since IS NULL OR {} >= $since)"
OF_OUTLET = "($outlet IS NULL OR {} = $outlet)"

Rows = list[tuple[object, ...]]


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """What `build_report` wrote: the file, the articles it covers, its chart titles, the
    filters (a Kyiv date, an outlet)."""

    path: Path
    articles: int
    charts: list[str]
    since: date | None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Scope:
    """The rows a report covers: Kyiv dates on or after `since`, of `outlet` (None: any)."""

    since: date | None = None
    outlet: str | None = None


def _rows(con: duckdb.DuckDBPyConnection, sql: str, scope: Scope) -> Rows:
    return con.execute(sql, _params(scope)).fetchall()


def _params(scope: Scope) -> dict[str, object]:
    return {"since": scope.since, "outlet": scope.outlet}


def _where(day: str, outlet: str) -> str:
    return f"{SINCE.format(day)} AND {OF_OUTLET.format(outlet)}"


def _figure(title: str, x_title: str, y_title: str, empty: bool) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title={"text": title},
        xaxis_title=x_title,
        yaxis_title=y_title,
        height=CHART_HEIGHT,
        margin={"l": 60, "r": 30, "t": 60, "b": 60},
    )
    if empty:
        fig.add_annotation(
            text="no data",
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
            font={"size": 18},
        )
        blank = {"showticklabels": False, "showgrid": False, "zeroline": False}
        fig.update_xaxes(**blank)
        fig.update_yaxes(**blank)
    return fig


def _daily_volume(con: duckdb.DuckDBPyConnection, scope: Scope) -> go.Figure:
    rows = _rows(
        con,
        "SELECT kyiv_date, badge, sum(articles) FROM v_daily_volume "
        f"WHERE {_where('kyiv_date', 'outlet')} GROUP BY kyiv_date, badge "
        "ORDER BY badge = '(none)' DESC, badge, kyiv_date",
        scope,
    )
    fig = _figure("Articles per day by badge", "Kyiv date", "Articles", not rows)
    for badge in dict.fromkeys(r[1] for r in rows):
        mine = [r for r in rows if r[1] == badge]
        fig.add_bar(name=str(badge), x=[str(r[0]) for r in mine], y=[r[2] for r in mine])
    fig.update_layout(barmode="stack", legend_title_text="Badge")
    # Days as categories: a few days far apart stay readable; days without articles are left out.
    days = sorted({str(r[0]) for r in rows})
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=days)
    return fig


def _top_tags(con: duckdb.DuckDBPyConnection, scope: Scope) -> go.Figure:
    rows = _rows(
        con,
        "SELECT t.tag, count(DISTINCT t.url) AS articles FROM article_tags AS t "
        "JOIN v_articles AS a USING (url) "
        f"WHERE t.tag <> 'News' AND {_where('a.kyiv_date', 'a.outlet')} "
        f"GROUP BY t.tag ORDER BY articles DESC, t.tag LIMIT {TOP_N}",
        scope,
    )
    fig = _figure("Top tags", "Articles", "Tag", not rows)
    if rows:
        fig.add_bar(x=[r[1] for r in rows], y=[r[0] for r in rows], orientation="h", name="tags")
    fig.update_yaxes(autorange="reversed")
    return fig


def _top_sources(con: duckdb.DuckDBPyConnection, scope: Scope) -> go.Figure:
    rows = _rows(
        con,
        "WITH dated AS ("
        "  SELECT h.source, coalesce(h.source_kind, 'unknown') AS kind FROM headline_sources AS h"
        "  LEFT JOIN v_articles AS a USING (url) LEFT JOIN feed_items AS f USING (url)"
        f"  WHERE {_where(ITEM_DATE, 'h.outlet')}"
        "), top AS ("
        "  SELECT source, count(*) AS total FROM dated"
        f"  GROUP BY source ORDER BY total DESC, source LIMIT {TOP_N}"
        ") SELECT source, kind, count(*) AS headlines, any_value(total) AS total "
        "FROM dated JOIN top USING (source) GROUP BY source, kind ORDER BY total DESC, source, kind",
        scope,
    )
    fig = _figure("Top headline sources", "Headlines", "Source", not rows)
    for kind in sorted({str(r[1]) for r in rows}):
        mine = [r for r in rows if r[1] == kind]
        fig.add_bar(name=kind, x=[r[2] for r in mine], y=[r[0] for r in mine], orientation="h")
    order = list(dict.fromkeys(r[0] for r in rows))
    fig.update_layout(barmode="stack", legend_title_text="Source kind")
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed")
    return fig


def _histogram(title: str, x_title: str, y_title: str, values: list[object]) -> go.Figure:
    fig = _figure(title, x_title, y_title, not values)
    if values:
        fig.add_histogram(x=values, name=y_title)
    fig.update_layout(bargap=0.05)
    return fig


def _feed_dwell(con: duckdb.DuckDBPyConnection, scope: Scope) -> go.Figure:
    # A feed item with no publication time falls back to the day it was first seen.
    day = f"coalesce({ITEM_DATE}, CAST(timezone('Europe/Kyiv', d.first_seen_at) AS DATE))"
    rows = _rows(
        con,
        "SELECT CAST(d.minutes_in_top10 AS DOUBLE) FROM v_feed_dwell AS d "
        "LEFT JOIN v_articles AS a USING (url) LEFT JOIN feed_items AS f USING (url) "
        f"WHERE {_where(day, 'd.outlet')} ORDER BY 1",
        scope,
    )
    return _histogram(
        "Feed dwell: minutes in the top 10",
        "Minutes in the top 10",
        "Feed items",
        [r[0] for r in rows],
    )


def _freshness(con: duckdb.DuckDBPyConnection, scope: Scope) -> go.Figure:
    day = "CAST(timezone('Europe/Kyiv', published_at) AS DATE)"
    rows = _rows(
        con,
        "SELECT minutes_to_first_seen FROM v_freshness "
        f"WHERE minutes_to_first_seen IS NOT NULL AND {_where(day, 'outlet')} ORDER BY 1",
        scope,
    )
    return _histogram(
        "Freshness: minutes from publication to first sight",
        "Minutes from publication to first sight",
        "Articles",
        [r[0] for r in rows],
    )


CHARTS: tuple[Callable[[duckdb.DuckDBPyConnection, Scope], go.Figure], ...] = (
    _daily_volume,
    _top_tags,
    _top_sources,
    _feed_dwell,
    _freshness,
)

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1rem 2rem; color: #222; }}
header {{ border-bottom: 1px solid #ddd; margin-bottom: 1rem; }}
header dl {{ display: grid; grid-template-columns: max-content auto; gap: .25rem 1rem; }}
header dt {{ color: #666; }}
section.chart {{ margin: 1.5rem 0; }}
</style>
</head>
<body>
<header>
<h1>{title}</h1>
<dl>
<dt>Period (Kyiv dates)</dt><dd>{period}</dd>
<dt>Articles</dt><dd>{articles}</dd>
{per_outlet}<dt>Generated</dt><dd>{generated}</dd>
</dl>
</header>
<main>
{charts}
</main>
</body>
</html>
"""


def articles_per_outlet(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[tuple[str, int]]:
    """(outlet, articles) of the report's scope, most articles first."""
    rows = con.execute(
        "SELECT outlet, count(*) AS articles FROM v_articles "
        f"WHERE {_where('kyiv_date', 'outlet')} GROUP BY outlet ORDER BY articles DESC, outlet",
        _params(scope),
    ).fetchall()
    return [(str(name), int(n)) for name, n in rows]


def heading(
    outlet: str | None, per_outlet: list[tuple[str, int]], titles: Mapping[str, str]
) -> str:
    """The report's title: the outlet's (`titles`: by name, the name itself when missing) when
    one is chosen or the only one with articles, else across how many outlets have any."""
    only = outlet or (per_outlet[0][0] if len(per_outlet) == 1 else None)
    if only is not None:
        return TITLE.format(titles.get(only, only))
    return ACROSS.format(len(per_outlet))


def _per_outlet_line(per_outlet: list[tuple[str, int]], titles: Mapping[str, str]) -> str:
    if len(per_outlet) < 2:
        return ""
    said = " · ".join(f"{titles.get(name, name)} {n}" for name, n in per_outlet)
    return f"<dt>Articles per outlet</dt><dd>{html.escape(said)}</dd>\n"


def build_report(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    since: date | None = None,
    *,
    generated_at: datetime,
    outlet: str | None = None,
    titles: Mapping[str, str] | None = None,
) -> ReportSummary:
    """Write the HTML report of the warehouse behind `con` to `out` and say what it holds.

    Only articles and feed items of Kyiv dates on or after `since` count when it is given, and
    only `outlet`'s rows when it is; `titles` names the outlets (`sources/outlets.toml`'s by
    default); `generated_at` is printed in the header as given (the report never reads the clock).
    """
    scope = Scope(since, outlet)
    if titles is None:
        titles = {name: o.title for name, o in outlets().items()}
    articles, first, last = con.execute(
        "SELECT count(*), min(kyiv_date), max(kyiv_date) FROM v_articles "
        f"WHERE {_where('kyiv_date', 'outlet')}",
        _params(scope),
    ).fetchone() or (0, None, None)
    per_outlet = articles_per_outlet(con, scope)
    if last is None:
        period = f"no articles since {since}" if since else "no articles"
    else:
        period = f"{since or first} to {last}"
    figures = [chart(con, scope) for chart in CHARTS]
    charts = "\n".join(
        f'<section class="chart">{fig.to_html(full_html=False, include_plotlyjs=n == 0, div_id=f"chart-{n + 1}", config={"displaylogo": False})}</section>'
        for n, fig in enumerate(figures)
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        PAGE.format(
            title=html.escape(heading(outlet, per_outlet, titles)),
            period=html.escape(period),
            articles=int(articles),
            per_outlet=_per_outlet_line(per_outlet, titles),
            generated=html.escape(generated_at.isoformat(timespec="seconds")),
            charts=charts,
        ),
        encoding="utf-8",
    )
    charts_titles = [str(fig.layout.title.text) for fig in figures]
    return ReportSummary(
        path=out, articles=int(articles), charts=charts_titles, since=since, outlet=outlet
    )
