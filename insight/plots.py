# ruff: noqa: RUF001, RUF100 -- Chinese text uses full-width punctuation on purpose.
"""Plots as SVG pictures (issue #18): scores, panels' spreads, a reviewer, a cycle's outcomes.

Pure, like `insight.timeline`: plain data in, SVG text out, no clock and no I/O, so the same
figures give the same picture byte for byte. Every picture is `role="img"` with a `<title>`
and a `<desc>` that says its figures in a sentence; each point, bar and line carries its own
`<title>` (a hover, a screen reader). The numbers are also shown as an HTML table beside the
picture (the console's templates, the API's JSON): the picture is for the eye, the table
for the screen reader and the printer. Only presentation attributes, never `style=`, so
the console's Content-Security-Policy (no inline style) lets it through.

- `score_distribution`: an award's total scores as dots on a score axis, the candidate line
  (the rule's minimum total and the last candidate's total) and the winners marked.
- `panel_spreads`: each panel's reviewers' totals, their min–max whisker (red past the
  spread alert, §6(1)) and the consensus score.
- `reviewer_against_means`: one reviewer's totals against the means of their panels.
- `outcome_counts`: how many applications of a cycle ended in each outcome.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from domain.scoring import round_half_up

__all__ = [
    "OutcomeBar",
    "PanelRow",
    "ReviewerPoint",
    "ScorePoint",
    "num",
    "outcome_counts",
    "panel_spreads",
    "reviewer_against_means",
    "score_distribution",
]

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', sans-serif"
WIDTH = 760
COLOURS = {
    "winner": "#d9822b",
    "candidate": "#3b6ea8",
    "other": "#9aa5b1",
    "threshold": "#c23b22",
    "last": "#d9822b",
    "whisker": "#3b6ea8",
    "flagged": "#c23b22",
    "consensus": "#2f7d32",
    "mean": "#444444",
    "higher": "#d9822b",
    "lower": "#3b6ea8",
    "bar": "#3b6ea8",
    "grid": "#e3e6ea",
    "text": "#333333",
}


@dataclass(frozen=True)
class ScorePoint:
    """One application's total score; `candidate`: put to the committee (§4(4))."""

    label: str
    total: float
    candidate: bool
    winner: bool


@dataclass(frozen=True)
class PanelRow:
    """One panel (an application's stage): each member's total and the consensus score."""

    label: str
    scores: tuple[tuple[str, float], ...]
    consensus: float | None
    flagged: bool


@dataclass(frozen=True)
class ReviewerPoint:
    """One total a reviewer gave, and the mean of that panel's totals."""

    label: str
    own: float
    mean: float


@dataclass(frozen=True)
class OutcomeBar:
    label: str
    count: int


def num(value: float) -> str:
    """A score as a person reads it: rounded half-up to 0.1, no trailing `.0`."""
    return f"{round_half_up(value):g}"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    """A child element (`font_size` is written `font-size`, `cls` `class`)."""
    names = {k: ("class" if k == "cls" else k.replace("_", "-")) for k in attrs}
    element = ET.SubElement(parent, tag, {names[k]: str(v) for k, v in attrs.items()})
    element.text = text
    return element


def _svg(title: str, desc: str, height: int) -> ET.Element:
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "width": str(WIDTH),
            "height": str(height),
            "viewBox": f"0 0 {WIDTH} {height}",
            "role": "img",
            "font-family": FONT,
            "font-size": "12",
        },
    )
    _el(svg, "title", title)
    _el(svg, "desc", desc)
    _el(svg, "text", title, x=10, y=22, font_size=15, font_weight="bold", fill=COLOURS["text"])
    return svg


def _done(svg: ET.Element) -> str:
    return ET.tostring(svg, encoding="unicode") + "\n"


def _empty(svg: ET.Element, y: int, text: str) -> str:
    _el(svg, "text", text, x=WIDTH // 2, y=y, text_anchor="middle", fill="#666", cls="empty")
    return _done(svg)


def _step(span: float) -> float:
    """A round tick step giving about five to ten ticks over `span`."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        if span / step <= 10:
            return float(step)
    return 1000.0


def _range(values: Sequence[float]) -> tuple[float, float, float]:
    """(low, high, tick step): the values' range widened to round ticks."""
    lo, hi = min(values), max(values)
    if hi - lo < 50:  # a few close values: 50 points around them, so ticks stay round
        mid = (hi + lo) / 2
        lo, hi = max(0.0, mid - 25), mid + 25
    step = _step(hi - lo)
    low = math.floor(lo / step) * step
    high = math.ceil(hi / step) * step
    if high <= low:
        high = low + step
    return low, high, step


def _axis(
    svg: ET.Element,
    low: float,
    high: float,
    step: float,
    left: int,
    right: int,
    top: int,
    bottom: int,
) -> None:
    """Vertical grid lines with their values under the plot, `分` at the end."""
    grid = _el(svg, "g", cls="axis")
    scale = (right - left) / (high - low)
    tick = low
    while tick <= high + 1e-9:
        x = round(left + (tick - low) * scale, 1)
        _el(grid, "line", x1=x, x2=x, y1=top, y2=bottom, stroke=COLOURS["grid"])
        _el(grid, "text", num(tick), x=x, y=bottom + 14, text_anchor="middle", fill="#666",
            font_size=10)  # fmt: skip
        tick += step
    _el(grid, "text", "分", x=right + 12, y=bottom + 14, fill="#666", font_size=10)


def _legend(svg: ET.Element, y: int, entries: Sequence[tuple[str, str]]) -> None:
    g = _el(svg, "g", cls="legend")
    x = 10
    for label, colour in entries:
        _el(g, "circle", cx=x + 5, cy=y - 4, r=5, fill=colour)
        _el(g, "text", label, x=x + 14, y=y, fill=COLOURS["text"])
        x += 22 + 13 * len(label)


def score_distribution(
    title: str,
    points: Sequence[ScorePoint],
    *,
    threshold: float | None,
    last_candidate: float | None,
) -> str:
    """Total scores as dots on a score axis, highest on the right; each dot an application,
    dots that would overlap stacked upwards.

    `threshold` (the rule's minimum total to be a candidate, §4(4)) and `last_candidate`
    (the lowest total among the candidates) are drawn as dashed vertical lines."""
    winners = sum(1 for p in points if p.winner)
    candidates = sum(1 for p in points if p.candidate)
    desc = f"共{len(points)}个总得分，候选{candidates}个，获奖{winners}个"
    if last_candidate is not None:
        desc += f"；末位候选总分{num(last_candidate)}分"
    if threshold is not None:
        desc += f"；候选最低总分{num(threshold)}分"
    if not points:
        return _empty(_svg(title, desc + "。", 90), 60, "暂无总得分")
    values = [p.total for p in points] + [v for v in (threshold, last_candidate) if v is not None]
    low, high, step = _range(values)
    radius, gap = 6, 14
    top, left, right = 64, 40, WIDTH - 40
    scale = (right - left) / (high - low)

    def x(value: float) -> float:
        return round(left + (value - low) * scale, 1)

    # each dot at its own score; a dot that would overlap one already drawn goes up a level
    placed: list[tuple[ScorePoint, float, int]] = []
    for point in sorted(points, key=lambda p: (p.total, p.label)):
        cx = x(point.total)
        level = 0
        while any(lv == level and abs(px - cx) < 2 * radius + 1 for _, px, lv in placed):
            level += 1
        placed.append((point, cx, level))
    stack = max(level for *_, level in placed) + 1
    bottom = top + max(120, stack * gap + 24)
    svg = _svg(title, desc + "。", bottom + 50)
    _legend(svg, 46, [("获奖", COLOURS["winner"]), ("候选", COLOURS["candidate"]),
                      ("未成为候选", COLOURS["other"])])  # fmt: skip
    _axis(svg, low, high, step, left, right, top, bottom)
    dots = _el(svg, "g", cls="points")
    for point, cx, level in placed:
        kind = "winner" if point.winner else "candidate" if point.candidate else "other"
        status = "获奖" if point.winner else "候选" if point.candidate else "未成为候选"
        g = _el(dots, "g", cls=f"point {kind}")
        _el(g, "title", f"{point.label}：{num(point.total)}分（{status}）")
        _el(g, "circle", cx=cx, cy=bottom - radius - 2 - level * gap, r=radius,
            fill=COLOURS[kind], stroke="#000" if point.winner else "none",
            stroke_width=1.5)  # fmt: skip
    lines = _el(svg, "g", cls="lines")
    drawn = [("threshold", "候选最低总分", threshold), ("last", "末位候选", last_candidate)]
    for n, (kind, label, value) in enumerate(drawn):
        if value is None:
            continue
        g = _el(lines, "g", cls=f"line {kind}")
        _el(g, "title", f"{label}：{num(value)}分")
        _el(g, "line", x1=x(value), x2=x(value), y1=top - 4, y2=bottom, stroke=COLOURS[kind],
            stroke_width=2, stroke_dasharray="5 4")  # fmt: skip
        anchor = "start" if x(value) < WIDTH - 160 else "end"
        shift = 4 if anchor == "start" else -4
        _el(g, "text", f"{label} {num(value)}", x=x(value) + shift, y=top + 10 + 14 * n,
            fill=COLOURS[kind], text_anchor=anchor)  # fmt: skip
    return _done(svg)


def panel_spreads(title: str, rows: Sequence[PanelRow], *, alert: float) -> str:
    """One row per panel: members' totals as dots on their min–max whisker, the consensus
    score as a green diamond, the spread written at the right; a whisker wider than `alert`
    (§6(1) supervision) is red."""
    flagged = sum(1 for r in rows if r.flagged)
    desc = f"共{len(rows)}个评审组，{flagged}个评审组总分相差超过{num(alert)}分"
    if not rows:
        return _empty(_svg(title, desc + "。", 90), 60, "暂无评分")
    values = [s for r in rows for _, s in r.scores] + [
        r.consensus for r in rows if r.consensus is not None
    ]
    low, high, step = _range(values or [0.0])
    row_h, top, left, right = 28, 64, 220, WIDTH - 80
    bottom = top + row_h * len(rows)
    svg = _svg(title, desc + "。", bottom + 40)
    _legend(svg, 46, [("评审员总分", COLOURS["whisker"]), ("合议分", COLOURS["consensus"]),
                      ("相差超过提示线", COLOURS["flagged"])])  # fmt: skip
    _axis(svg, low, high, step, left, right, top, bottom)
    scale = (right - left) / (high - low)

    def x(value: float) -> float:
        return round(left + (value - low) * scale, 1)

    body = _el(svg, "g", cls="panels")
    for n, row in enumerate(rows):
        y = top + n * row_h + row_h / 2
        totals = [s for _, s in row.scores]
        g = _el(body, "g", cls="panel flagged" if row.flagged else "panel")
        short = row.label if len(row.label) <= 15 else row.label[:14] + "…"
        _el(g, "text", short, x=left - 8, y=y + 4, text_anchor="end", fill=COLOURS["text"])
        if not totals:
            _el(g, "title", f"{row.label}：暂无评分")
            continue
        spread = max(totals) - min(totals)
        colour = COLOURS["flagged"] if row.flagged else COLOURS["whisker"]
        summary = (
            f"{row.label}：最低{num(min(totals))}分，最高{num(max(totals))}分，相差{num(spread)}分"
        )
        if row.consensus is not None:
            summary += f"，合议分{num(row.consensus)}分"
        _el(g, "title", summary)
        _el(g, "line", x1=x(min(totals)), x2=x(max(totals)), y1=y, y2=y, stroke=colour,
            stroke_width=3)  # fmt: skip
        for reviewer, total in row.scores:
            dot = _el(g, "circle", cx=x(total), cy=y, r=5, fill="#fff", stroke=colour,
                      stroke_width=2, cls="score")  # fmt: skip
            _el(dot, "title", f"{reviewer}：{num(total)}分")
        if row.consensus is not None:
            cx, r = x(row.consensus), 6
            corners = f"{cx},{y - r} {cx + r},{y} {cx},{y + r} {cx - r},{y}"
            diamond = _el(g, "polygon", fill=COLOURS["consensus"], cls="consensus", points=corners)
            _el(diamond, "title", f"合议分：{num(row.consensus)}分")
        _el(g, "text", f"相差 {num(spread)}", x=right + 10, y=y + 4, fill=colour, font_size=11)
    return _done(svg)


def reviewer_against_means(title: str, points: Sequence[ReviewerPoint]) -> str:
    """One row per total the reviewer gave: the panel's mean as a dark tick, the reviewer's
    total as a dot joined to it, orange when above the mean, blue when below."""
    diffs = [p.own - p.mean for p in points]
    mean_diff = math.fsum(diffs) / len(diffs) if diffs else 0.0
    sign = "+" if mean_diff > 0 else ""
    desc = f"共{len(points)}个评分，与所在评审组均分平均相差{sign}{num(mean_diff)}分"
    if not points:
        return _empty(_svg(title, desc + "。", 90), 60, "暂无评分")
    low, high, step = _range([v for p in points for v in (p.own, p.mean)])
    row_h, top, left, right = 26, 64, 270, WIDTH - 70
    bottom = top + row_h * len(points)
    svg = _svg(title, desc + "。", bottom + 40)
    _legend(svg, 46, [("高于组均分", COLOURS["higher"]), ("低于组均分", COLOURS["lower"]),
                      ("评审组均分", COLOURS["mean"])])  # fmt: skip
    _axis(svg, low, high, step, left, right, top, bottom)
    scale = (right - left) / (high - low)

    def x(value: float) -> float:
        return round(left + (value - low) * scale, 1)

    body = _el(svg, "g", cls="rows")
    for n, point in enumerate(points):
        y = top + n * row_h + row_h / 2
        diff = point.own - point.mean
        kind = "higher" if diff > 0 else "lower" if diff < 0 else "mean"
        sign = "+" if diff > 0 else ""
        g = _el(body, "g", cls=f"row {kind}")
        _el(g, "title", f"{point.label}：本人{num(point.own)}分，组均分{num(point.mean)}分，"
            f"相差{sign}{num(diff)}分")  # fmt: skip
        short = point.label if len(point.label) <= 21 else point.label[:20] + "…"
        _el(g, "text", short, x=left - 8, y=y + 4, text_anchor="end", fill=COLOURS["text"])
        _el(g, "line", x1=x(point.mean), x2=x(point.own), y1=y, y2=y, stroke=COLOURS[kind],
            stroke_width=2)  # fmt: skip
        _el(g, "line", x1=x(point.mean), x2=x(point.mean), y1=y - 7, y2=y + 7,
            stroke=COLOURS["mean"], stroke_width=2, cls="mean")  # fmt: skip
        _el(g, "circle", cx=x(point.own), cy=y, r=5, fill=COLOURS[kind], cls="own")
        _el(g, "text", f"{sign}{num(diff)}", x=right + 10, y=y + 4, fill=COLOURS[kind],
            font_size=11)  # fmt: skip
    return _done(svg)


def outcome_counts(title: str, bars: Sequence[OutcomeBar]) -> str:
    """A horizontal bar per outcome, in the order given, its count at its end."""
    total = sum(b.count for b in bars)
    desc = f"共{total}个申报：" + "，".join(f"{b.label}{b.count}个" for b in bars)
    if not bars:
        return _empty(_svg(title, f"共{total}个申报。", 90), 60, "暂无申报")
    row_h, top, left, right = 26, 44, 170, WIDTH - 60
    bottom = top + row_h * len(bars)
    svg = _svg(title, desc + "。", bottom + 16)
    most = max(max(b.count for b in bars), 1)
    body = _el(svg, "g", cls="bars")
    for n, bar in enumerate(bars):
        y = top + n * row_h
        g = _el(body, "g", cls="bar")
        _el(g, "title", f"{bar.label}：{bar.count}个")
        _el(g, "text", bar.label, x=left - 8, y=y + 17, text_anchor="end", fill=COLOURS["text"])
        width = round((right - left) * bar.count / most, 1)
        _el(g, "rect", x=left, y=y + 4, width=max(width, 1.0), height=row_h - 8, rx=3,
            fill=COLOURS["bar"] if bar.count else COLOURS["grid"])  # fmt: skip
        _el(g, "text", str(bar.count), x=round(left + max(width, 1.0) + 6, 1), y=y + 17,
            fill=COLOURS["text"], cls="count")  # fmt: skip
    return _done(svg)
