"""A timeline as an SVG picture: spans (phases, windows) in lanes, milestones as lines.

Pure: plain data in, SVG text out (no clock, no I/O), so the same cycle gives the same
picture byte for byte, the console and the API serve it, and `qaward simulate --timeline`
writes it. Dates are drawn in Asia/Shanghai, labels are Chinese, and every span and mark
also carries a `<title>` (its label and dates) for a screen reader or a hover. Built with
`xml.etree.ElementTree`, which escapes every label.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.dates import SHANGHAI

Moment = date | datetime

WIDTH, LABEL_W, ROW_H, TOP, MARK_H, RIGHT = 960, 170, 26, 72, 18, 84
FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', sans-serif"
COLOURS = {
    "phase": "#3b6ea8",
    "current": "#d9822b",
    "window": "#7aa874",
    "closed": "#9aa5b1",
    "revoked": "#c23b22",
    "mark": "#444444",
}


@dataclass(frozen=True)
class Span:
    """A stretch of time: a phase, a window, a validity. `end=None`: still going."""

    label: str
    start: Moment
    end: Moment | None
    kind: str = "phase"


@dataclass(frozen=True)
class Mark:
    """One day or instant: a deadline, an approval, a follow-up."""

    label: str
    at: Moment
    kind: str = "mark"


def day_of(moment: Moment) -> date:
    """The Shanghai calendar day of an instant (a date is its own day)."""
    if isinstance(moment, datetime):
        return moment.astimezone(SHANGHAI).date()
    return moment


def _bounds(spans: Sequence[Span], marks: Sequence[Mark], today: date) -> tuple[date, date]:
    days = [day_of(s.start) for s in spans] + [day_of(m.at) for m in marks]
    days += [day_of(s.end) for s in spans if s.end is not None]
    if any(s.end is None for s in spans):
        days.append(today)
    first, last = min(days), max(days)
    if last <= first:
        last = first + timedelta(days=1)
    pad = max(1, (last - first).days // 40)
    return first - timedelta(days=pad), last + timedelta(days=pad)


def _ticks(first: date, last: date) -> list[date]:
    """First days of months (of years when the picture spans more than three years)."""
    yearly = (last - first).days > 3 * 366
    step_months = 12 if yearly else (3 if (last - first).days > 500 else 1)
    tick = date(first.year, 1 if yearly else first.month, 1)
    ticks = []
    while tick <= last:
        if tick >= first:
            ticks.append(tick)
        month = tick.month - 1 + step_months
        tick = date(tick.year + month // 12, month % 12 + 1, 1)
    return ticks


def _el(
    parent: ET.Element | None, tag: str, text: str | None = None, **attrs: object
) -> ET.Element:
    """An element with its attributes (`font_size` is written `font-size`, `cls` `class`)."""
    names = {k: ("class" if k == "cls" else k.replace("_", "-")) for k in attrs}
    values = {names[k]: str(v) for k, v in attrs.items()}
    element = ET.Element(tag, values) if parent is None else ET.SubElement(parent, tag, values)
    element.text = text
    return element


def render(
    title: str, spans: Sequence[Span], marks: Sequence[Mark], *, today: date | None = None
) -> str:
    """The SVG document. `today` draws a "今天" line and ends open spans there."""
    spans, marks = list(spans), sorted(marks, key=lambda m: day_of(m.at))
    known = [day_of(s.start) for s in spans] + [day_of(m.at) for m in marks]
    now = today or max(known, default=date(2000, 1, 1))
    first, last = _bounds(spans, marks, now) if known else (now, now + timedelta(days=1))
    scale = (WIDTH - LABEL_W - RIGHT) / max(1, (last - first).days)

    def x(day: date) -> float:
        return round(LABEL_W + (day - first).days * scale, 1)

    height = TOP + ROW_H * (len(spans) + 1) + MARK_H * len(marks) + 40
    svg = _el(
        None,
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        width=WIDTH,
        height=height,
        viewBox=f"0 0 {WIDTH} {height}",
        role="img",
        font_family=FONT,
        font_size=12,
    )
    _el(svg, "title", title)
    _el(svg, "text", title, x=10, y=22, font_size=16, font_weight="bold")
    axis_y = TOP + ROW_H * len(spans) + 6
    grid = _el(svg, "g", cls="axis")
    for tick in _ticks(first, last):
        _el(grid, "line", x1=x(tick), x2=x(tick), y1=TOP - 8, y2=axis_y, stroke="#e3e6ea")
        _el(grid, "text", f"{tick:%Y-%m}", x=x(tick), y=TOP - 12, fill="#666",
            text_anchor="middle", font_size=10)  # fmt: skip
    lanes = _el(svg, "g", cls="spans")
    for row, span in enumerate(spans):
        y = TOP + row * ROW_H
        start, ongoing = day_of(span.start), span.end is None
        end = now if span.end is None else day_of(span.end)
        kind = "current" if ongoing and span.kind == "phase" else span.kind
        until = "今" if ongoing else end.isoformat()
        g = _el(lanes, "g", cls=f"span {span.kind}")
        _el(g, "title", f"{span.label}：{start.isoformat()} 至 {until}")
        _el(g, "text", span.label, x=LABEL_W - 8, y=y + 15, text_anchor="end")
        width = max(2.0, round(x(end) - x(start), 1))
        _el(g, "rect", x=x(start), y=y + 3, width=width, height=ROW_H - 8, rx=3,
            fill=COLOURS.get(kind, COLOURS["phase"]))  # fmt: skip
        shown = f"{start:%m-%d}–{'今' if ongoing else f'{end:%m-%d}'}"
        _el(g, "text", shown, x=round(x(start) + width + 4, 1), y=y + 15, fill="#333",
            font_size=10)  # fmt: skip
    pins = _el(svg, "g", cls="marks")
    for n, mark in enumerate(marks):
        day = day_of(mark.at)
        y = axis_y + 14 + n * MARK_H
        colour = COLOURS.get(mark.kind, COLOURS["mark"])
        g = _el(pins, "g", cls=f"mark {mark.kind}")
        _el(g, "title", f"{mark.label}：{day.isoformat()}")
        _el(g, "line", x1=x(day), x2=x(day), y1=TOP - 4, y2=y - 4, stroke=colour,
            stroke_dasharray="3 3")  # fmt: skip
        anchor = "middle" if x(day) < WIDTH - RIGHT - 60 else "end"
        _el(g, "text", f"{mark.label} {day.isoformat()}", x=x(day), y=y + 6, fill=colour,
            text_anchor=anchor)  # fmt: skip
    if today is not None and first <= today <= last:
        g = _el(svg, "g", cls="today")
        _el(g, "line", x1=x(today), x2=x(today), y1=TOP - 8, y2=axis_y, stroke="#c23b22")
        _el(g, "text", f"今天 {today.isoformat()}", x=x(today), y=TOP - 26, fill="#c23b22",
            text_anchor="middle", font_size=10)  # fmt: skip
    return ET.tostring(svg, encoding="unicode") + "\n"
