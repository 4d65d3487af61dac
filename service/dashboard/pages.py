"""What each dashboard page shows, as plain data: its figures, its tables (the same Table
objects a page draws and its XLSX export holds) and its charts (ECharts options, drawn by
static/dashboard.js). Built from the functions the API answers with, so that a number on a
page is the API's number for the same region and period."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from analytics import report_files
from analytics.kpis import period_bounds
from analytics.regions import Division
from analytics.report_files import HOT_ISSUE_FORMULA, THEME_FORMULAS, Table
from analytics.workdays import SHANGHAI, last_day_of_limit
from service import store
from service.access import disclosure
from service.access.auth import FIGURE_READERS, STAFF, SUPERVISION_READERS
from service.dashboard import charts
from service.reporting import alerts, figures, hot_issues, reports
from service.store.scopes import Scope
from service.vocabulary import (
    ALERT_KINDS,
    MESSAGE_STATUSES,
    MESSAGE_TYPES,
    RECTIFICATION_STATUSES,
    SENTIMENTS,
)

#: Who may open each page, its nav link and its XLSX file: the roles of the API endpoints
#: whose data it shows (the comment names them), so that the dashboard shows nobody what
#: the API would refuse them. A page missing here is open to nobody.
PAGE_ROLES = {
    "dashboard.overview": FIGURE_READERS,  # GET /api/v1/kpis
    "dashboard.region_map": FIGURE_READERS,  # GET /api/v1/kpis
    "dashboard.themes": FIGURE_READERS,  # GET /api/v1/reports/themes
    "dashboard.messages": STAFF,  # GET /api/v1/messages
    "dashboard.hot_issues": FIGURE_READERS,  # GET /api/v1/hot-issues, GET /api/v1/alerts
    "dashboard.supervision": SUPERVISION_READERS,  # GET /api/v1/supervision, /rectifications
    "dashboard.replies": FIGURE_READERS,  # GET /api/v1/reports/replies
}
#: The periods a page can show (a day is too short a period for an official's view).
PERIOD_NAMES = {k: v for k, v in report_files.PERIOD_NAMES.items() if k != "day"}
#: The overview's figures, in order: (key in figures.report, name, what it counts).
OVERVIEW_FIGURES = (
    ("satisfaction_rate", "满意率", "3–5星评价 ÷ 有效评价"),
    ("on_time_closing_rate", "按时办结率", "按时办结 ÷ 本期到期"),
    ("rectification_rate", "差评整改率", "已整改反馈的差评 ÷ 差评"),
    ("reply_satisfaction_rate", "回访满意率", "满意与基本满意 ÷ 回访评价"),
    ("message_negative_sentiment_share", "留言负面情绪占比", "负面留言 ÷ 已评分留言"),
)
MAP_FIGURES = {"satisfaction_rate": "满意率", "on_time_closing_rate": "按时办结率"}
HOT_ISSUES_OPENED = 20  # hot issues a page shows with their messages
MESSAGES_SHOWN = 200  # messages a page lists (and its file holds), newest first
SUPERVISED_SHOWN = 500  # messages and cases each 督办 table lists, soonest deadline first
DEADLINE_NAMES = {"handling": "办理", "first_contact": "首次联系"}
SUPERVISION_RULES = (
    "超期留言 = 已过办理时限（普通件办结、疑难件答复）而未达到的留言，以及仅过首次联系时限"
    "而尚未联系的留言；重复件按其首件计，不另列",
    "时限（截至当日）= 时限的最后一个工作日，至当日 24 时止；受理当日不计",
)
MAPS = Path(__file__).parent / "static" / "vendor" / "maps"


@dataclass
class Page:
    """One page: its title and period, headline cards, tables and charts."""

    title: str
    region: Division
    period: str
    first_day: date
    last_day: date
    cards: list[dict] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: dict[str, dict] = field(default_factory=dict)
    formulas: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    as_of: datetime | None = None  # a page of lists as they stand (督办): when, not a period

    @property
    def about(self) -> list[tuple[str, object]]:
        """The cover of the page's workbook: the region, and the period its figures are of, or
        the moment its lists were taken."""
        name = f"{self.region.name}（{self.region.code}）"
        if self.as_of is not None:
            return [("地区", name), ("截至", as_of_text(self.as_of))]
        period = report_files.period_text(self.period, self.first_day, self.last_day)
        return [("地区", name), ("时段", period)]

    @property
    def span(self) -> str:
        """The page's time, as its header line names it."""
        if self.as_of is not None:
            return f"截至 {as_of_text(self.as_of)}"
        return f"{self.first_day} 至 {self.last_day}"


def as_of_text(moment: datetime) -> str:
    """A moment as a page or cover names it: 2026-03-11 09:00（北京时间）."""
    return f"{moment.astimezone(SHANGHAI):%Y-%m-%d %H:%M}（北京时间）"


def overview(region_code: str, period: str, day: date, now: datetime) -> Page:
    """Each headline figure with its change, the child regions ranked on each, and a trend
    over the last charts.TREND_PERIODS periods."""
    report = figures.report(region_code, period, day, now=now)
    page = blank_page("总览", region_code, period, day)
    for key, name, counts in OVERVIEW_FIGURES:
        figure = report["figures"].get(key) or {}
        shift = shown_change(key, figure.get("change"))
        page.cards.append({"key": key, "name": name, "counts": counts, **figure, "shift": shift})
    if report["open_overdue"] is not None:  # the 督办 overdue list, counted by its deadlines
        page.extra["open_overdue"] = {
            "handling": report["open_overdue"],
            "first_contact": report["open_first_contact_overdue"],
        }
    headers = ["地区代码", "地区", "评价数"] + [name for _, name, _ in OVERVIEW_FIGURES]
    rows = [
        (child["region_code"], child["name"], child["figures"]["ratings"],
         *(child["figures"][key]["value"] for key, _, _ in OVERVIEW_FIGURES))
        for child in report["by_region"]
    ]  # fmt: skip
    page.tables.append(Table("下级地区排名", headers, rows, percent=range(3, len(headers))))
    page.charts["trend"] = charts.trend(
        region_code, period, day, now, {key: name for key, name, _ in OVERVIEW_FIGURES}
    )
    page.formulas = tuple(f"{name} = {counts}" for _, name, counts in OVERVIEW_FIGURES)
    return page


def shown_change(key: str, change: float | None) -> dict[str, Any]:
    """A rate's change as a card shows it: in percentage points to one decimal, its sign
    (``up``, ``down``) and whether that is ``good`` or ``bad`` for the figure, by which way
    the figure is better (figures.HIGHER_IS_BETTER): a rise of 满意率 is good, one of
    留言负面情绪占比 bad. A change that rounds to 0.0 has neither; none, no points (上期无数据).

    >>> shown_change("message_negative_sentiment_share", 0.012)
    {'points': 1.2, 'sign': 'up', 'verdict': 'bad'}
    """
    if change is None:
        return {"points": None, "sign": None, "verdict": None}
    points = round(100 * change, 1)
    if not points:  # -0.0 too
        return {"points": 0.0, "sign": None, "verdict": None}
    rising = points > 0
    good = rising == figures.HIGHER_IS_BETTER[key]
    return {"points": points, "sign": "up" if rising else "down",
            "verdict": "good" if good else "bad"}  # fmt: skip


def region_map(region_code: str, period: str, day: date, now: datetime, figure: str) -> Page:
    """The child regions on one figure: a choropleth where the region's outlines are at hand
    (static/vendor/maps, from `make assets`), a ranked bar chart otherwise."""
    report = figures.report(region_code, period, day, now=now)
    page = blank_page("地图", region_code, period, day)
    name = MAP_FIGURES[figure]
    values = [(c["region_code"], c["name"], c["figures"][figure]) for c in report["by_region"]]
    rows = [(code, child, f["value"], f["numerator"], f["denominator"])
            for code, child, f in values]  # fmt: skip
    page.tables.append(
        Table(f"下级地区{name}", ("地区代码", "地区", name, "分子", "分母"), rows, percent=(2,))
    )
    data = [{"name": child, "value": charts.percent(f["value"])} for _, child, f in values]
    if (MAPS / f"{region_code}.json").exists():
        page.charts["map"] = {
            "$map": region_code,
            "tooltip": {"trigger": "item", "formatter": "{b}：{c}%"},
            "visualMap": {"min": 0, "max": 100, "calculable": True, "text": [name, ""],
                          "inRange": {"color": ["#d94e5d", "#eac736", "#50a3ba"]}},
            "series": [{"type": "map", "map": region_code, "nameProperty": "name",
                        "layoutCenter": ["50%", "50%"], "layoutSize": "95%",
                        "label": {"show": True, "fontSize": 10}, "data": data}],
        }  # fmt: skip
    else:
        ranked = sorted((d for d in data if d["value"] is not None), key=lambda d: d["value"])
        page.charts["map"] = charts.bars([d["name"] for d in ranked],
                                        [d["value"] for d in ranked], name)  # fmt: skip
    page.extra["figure"] = figure
    page.formulas = tuple(f"{n} = {counts}" for key, n, counts in OVERVIEW_FIGURES if key == figure)
    return page


def themes(region_code: str, period: str, day: date, theme: str | None) -> Page:
    """The theme report as a heat map, theme × child region, with its tables."""
    report = reports.theme_report(region_code, period, day, theme)
    page = blank_page("主题", region_code, period, day)
    name = page.region.name
    page.tables += [
        Table("主题", report_files.THEME_HEADERS, report_files.theme_rows(report, name),
              percent=(5, 8)),
        Table("分地区", report_files.REGION_HEADERS, report_files.region_rows(report),
              percent=(6,)),
    ]  # fmt: skip
    shown = report["themes"][:12]
    children = report["by_region"]
    cells = []
    for x, child in enumerate(children):
        counts = {t["code"]: t["messages"] for t in child["themes"]}
        for y, row in enumerate(shown):
            cells.append([x, y, counts.get(row["code"], 0)])
    page.charts["heatmap"] = {
        "tooltip": {"position": "top"},
        "grid": {"left": 110, "right": 20, "top": 10, "bottom": 110},
        "xAxis": {"type": "category", "data": [c["name"] for c in children],
                  "axisLabel": {"rotate": 45, "interval": 0}},
        "yAxis": {"type": "category", "data": [t["name"] for t in shown]},
        "visualMap": {"min": 0, "max": max([c[2] for c in cells] or [1]) or 1,
                      "calculable": True, "orient": "horizontal", "left": "center", "bottom": 0},
        "series": [{"type": "heatmap", "data": cells, "label": {"show": True}}],
    }  # fmt: skip
    page.extra.update(report=report, theme=theme)
    page.formulas = THEME_FORMULAS
    return page


def messages(region_code: str, period: str, day: date, theme: str | None, scope: Scope) -> Page:
    """The messages behind a theme report's count: accepted in the period, in the region,
    placed in ``theme`` or under it ("none": unclassified), repeats left out; shown as
    service/access/disclosure.py shows a list (masked; a confidential one's words withheld)."""
    page = blank_page("留言", region_code, period, day)
    if theme == "none":
        codes: list[str | None] | None = [None]
    elif theme is not None:
        taxonomy = store.taxonomy.fetch_taxonomy(with_retired=True, knowing=[theme])
        codes = [t.code for t in taxonomy.themes.values()
                 if theme in (p.code for p in taxonomy.path(t.code))]  # fmt: skip
    else:
        codes = None
    found, total = store.messages.fetch_messages(
        scope, theme_codes=codes, created=_day_bounds(page.first_day, page.last_day),
        without_repeats=True, page=1, page_size=MESSAGES_SHOWN,
    )  # fmt: skip
    rows = [
        (m.id, m.created_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"), m.region_code,
         MESSAGE_TYPES.get(m.type, m.type), m.theme_code or "", shown["title"], shown["content"],
         MESSAGE_STATUSES.get(m.status, m.status),
         SENTIMENTS.get(m.sentiment_label, m.sentiment_label))
        for m, shown in zip(found, disclosure.show_listed(scope, found), strict=True)
    ]  # fmt: skip
    headers = ("编号", "受理时间", "地区代码", "类型", "主题代码", "标题", "内容（已脱敏）",
               "状态", "情感")  # fmt: skip
    page.tables.append(Table("留言", headers, rows))
    page.extra.update(theme=theme, total=total)
    return page


def hot_issues_and_alerts(region_code: str, period: str, day: date, scope: Scope) -> Page:
    """The period's ranked hot issues and the spike alerts raised in it."""
    page = blank_page("热点与预警", region_code, period, day)
    try:
        found = hot_issues.hot_issues(region_code, page.first_day, page.last_day, HOT_ISSUES_OPENED)
    except hot_issues.TooManyMessages as error:
        found = []
        page.extra["too_many"] = (
            f"本期与上期共有留言 {error.count} 条，超过一次检索所读的 {error.ceiling} 条，"
            "未检索热点问题：请选择较短的周期或较小的地区。"
        )
    rows = report_files.hot_issue_rows({"hot_issues": found})
    page.tables.append(Table("热点问题", report_files.HOT_ISSUE_HEADERS, rows, percent=(10, 11)))
    raised, _ = store.alerts.fetch_alerts(
        scope.region_codes, page.first_day, page.last_day, page=1, page_size=200
    )
    page.tables.append(
        Table("预警", ("日期", "类型", "地区代码", "对象", "当日留言数", "基线日均", "阈值"),
              [(a.day, ALERT_KINDS.get(a.kind, a.kind), a.region_code, a.subject_name,
                a.count, a.baseline_mean, a.threshold) for a in raised])
    )  # fmt: skip
    page.formulas = (HOT_ISSUE_FORMULA, alerts.rule())
    shown = found[:HOT_ISSUES_OPENED]
    members, _ = store.messages.fetch_messages(
        scope, ids=[i for issue in shown for i in issue["message_ids"]], page=1, page_size=500
    )
    by_id = {m.id: m for m in members}
    titles = {m.id: s["title"] for m, s in zip(members, disclosure.show_listed(scope, members),
                                                strict=True)}  # fmt: skip
    page.extra["hot_issues"] = [
        {**issue, "members": [
            {"id": i, "at": by_id[i].created_at.astimezone(SHANGHAI).strftime("%m-%d %H:%M"),
             "region_code": by_id[i].region_code, "title": titles[i]}
            for i in issue["message_ids"] if i in by_id
        ]}
        for issue in shown
    ]  # fmt: skip
    return page


def supervision(region_code: str, period: str, day: date, scope: Scope, now: datetime) -> Page:
    """督办: the open messages overdue or due within a day, each with the deadline that lists
    it, and the open rectification cases past their deadline, each by department. The overdue
    list is what the overview's 当前超期未办 counts (figures.report's open_overdue and
    open_first_contact_overdue), and what /api/v1/supervision?kind=overdue lists."""
    page = blank_page("督办", region_code, period, day)
    page.as_of = now
    windows = {
        "超期留言": {"before": now},
        "24小时内到期": {"before": now + timedelta(days=1), "after": now},
    }
    listed: dict[str, list] = {}
    for title, window in windows.items():
        due, total = store.messages.fetch_due(scope, **window, page=1, page_size=SUPERVISED_SHOWN)
        rows = []
        words = disclosure.show_listed(scope, [m for m, _, _ in due])
        for (m, kind, due_at), shown in zip(due, words, strict=True):
            rows.append(
                (
                    m.id,
                    m.tracking_code,
                    m.department.name if m.department else "未转办",
                    m.region_code,
                    MESSAGE_TYPES.get(m.type, m.type),
                    shown["title"],
                    MESSAGE_STATUSES.get(m.status, m.status),
                    DEADLINE_NAMES[kind],
                    last_day_of_limit(due_at).isoformat(),
                )
            )
        listed[title] = [m for m, _, _ in due]
        page.extra[title] = {"total": total, "kinds": Counter(row[7] for row in rows)}
        headers = (
            "编号",
            "受理编号",
            "部门",
            "地区代码",
            "类型",
            "标题",
            "状态",
            "超期环节" if title == "超期留言" else "到期环节",
            "时限（截至当日）",
        )
        page.tables.append(Table(title, headers, rows))
    cases, _ = store.rectifications.fetch_cases(
        scope, overdue_at=now, page=1, page_size=SUPERVISED_SHOWN
    )
    page.tables.append(
        Table(
            "超期差评整改",
            ("整改编号", "部门", "地区代码", "星级", "状态", "整改期限（截至当日）"),
            [
                (
                    c.id,
                    c.department.name,
                    c.region_code,
                    c.rating.stars,
                    RECTIFICATION_STATUSES.get(c.status, c.status),
                    last_day_of_limit(c.due_at).isoformat(),
                )
                for c in cases
            ],
        )
    )
    by_department: dict[str, list[int]] = {}
    for column, names in enumerate(
        (
            [m.department.name if m.department else "未转办" for m in listed["超期留言"]],
            [m.department.name if m.department else "未转办" for m in listed["24小时内到期"]],
            [c.department.name for c in cases],
        )
    ):
        for name in names:
            by_department.setdefault(name, [0, 0, 0])[column] += 1
    ranked = sorted(by_department.items(), key=lambda item: (-item[1][0], -item[1][2]))
    page.tables.insert(
        0,
        Table(
            "按部门",
            ("部门", "超期留言", "24小时内到期", "超期差评整改"),
            [(name, *counts) for name, counts in ranked],
        ),
    )
    most = list(reversed(ranked[:15]))  # a bar chart draws its first category lowest
    page.charts["departments"] = charts.bars(
        [name for name, _ in most], [counts[0] for _, counts in most], "超期留言"
    )
    page.formulas = SUPERVISION_RULES
    return page


def default_day(now: datetime | None = None) -> date:
    """Today in Asia/Shanghai: the period a page opens on, as the API's default."""
    return (now or datetime.now(UTC)).astimezone(SHANGHAI).date()


def blank_page(title: str, region_code: str, period: str, day: date) -> Page:
    """A page of ``title`` about the region and the period holding ``day``, still empty."""
    first, last = period_bounds(period, day)
    region = store.reference.fetch_region_index().get(region_code)
    return Page(title, region, period, first, last - timedelta(days=1))


def _day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """From the start of ``first`` to the end of ``last``, Asia/Shanghai days."""
    start = datetime.combine(first, time(), SHANGHAI)
    return start, datetime.combine(last + timedelta(days=1), time(), SHANGHAI)
