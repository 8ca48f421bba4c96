"""Timelines as SVG: their structure, labels and order, not their pixels (issue #18)."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

from db.models import Cycle, Honor
from domain.dates import SHANGHAI
from insight.timeline import Mark, Span, day_of, render
from services.timelines import cycle_spans, honor_spans

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def titles(root: ET.Element, kind: str) -> list[str]:
    groups = root.findall(f".//s:g[@class='{kind}']/s:g", NS)
    return [g.findtext("s:title", namespaces=NS) or "" for g in groups]


def at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


def test_spans_and_marks_are_drawn_with_their_dates_and_escaped_labels() -> None:
    svg = render(
        "测试 <时间线> & 标题",
        [
            Span("申报受理", at("2025-03-01"), at("2025-05-01")),
            Span("资格审查", at("2025-05-01"), None),
        ],
        [Mark("申报截止", date(2025, 4, 30))],
        today=date(2025, 5, 10),
    )
    root = parse(svg)
    assert root.findtext("s:title", namespaces=NS) == "测试 <时间线> & 标题"
    assert titles(root, "spans") == [
        "申报受理：2025-03-01 至 2025-05-01",
        "资格审查：2025-05-01 至 今",
    ]
    assert titles(root, "marks") == ["申报截止：2025-04-30"]
    assert "今天 2025-05-10" in svg
    rects = root.findall(".//s:g[@class='spans']//s:rect", NS)
    xs = [float(r.get("x", "0")) for r in rects]
    assert xs == sorted(xs)
    assert xs[0] < xs[1]
    # The open span is drawn in the colour of the current phase, up to today.
    assert rects[1].get("fill") == "#d9822b"


def test_the_same_data_gives_the_same_picture() -> None:
    spans = [Span("有效期", date(2025, 11, 10), date(2030, 11, 9), "window")]
    marks = [Mark(f"第{n}年", date(2025 + n, 11, 10)) for n in range(1, 5)]
    assert render("称号", spans, marks) == render("称号", spans, marks)
    # Five years draw yearly ticks, not sixty monthly ones.
    ticks = parse(render("称号", spans, marks)).findall(".//s:g[@class='axis']/s:text", NS)
    assert [t.text for t in ticks] == [f"{y}-01" for y in range(2026, 2031)]


def test_an_instant_is_drawn_on_its_shanghai_day() -> None:
    late_utc = datetime.fromisoformat("2025-04-30T16:30:00+00:00")
    assert day_of(late_utc) == date(2025, 5, 1)


def cycle_row(**fields: Any) -> Cycle:
    base: dict[str, Any] = {
        "year": 2025,
        "opened_at": at("2025-03-03"),
        "application_deadline": date(2025, 5, 31),
        "entered": {},
        "extensions": [],
        "stage_due": {},
        "publicity_opens": None,
        "publicity_closes": None,
        "awarded_on": None,
    }
    return cast(Cycle, SimpleNamespace(**(base | fields)))


def test_a_cycle_draws_each_phase_until_the_next_and_every_deadline() -> None:
    entered = {
        "open": at("2025-03-03").isoformat(),
        "qualification": at("2025-06-01", 0).isoformat(),
        "document_review": at("2025-06-10").isoformat(),
        "shortlist": at("2025-07-01").isoformat(),
        "site_review": at("2025-07-05").isoformat(),
        "committee": at("2025-09-20").isoformat(),
        "publicity": at("2025-10-01").isoformat(),
        "approval": at("2025-10-09").isoformat(),
        "announced": at("2025-10-20").isoformat(),
    }
    cycle = cycle_row(
        entered=entered,
        extensions=[{"what": "application", "previous": "2025-05-15", "until": "2025-05-31"}],
        stage_due={"document": "2025-06-30", "site": "2025-09-15"},
        publicity_opens=at("2025-10-01"),
        publicity_closes=at("2025-10-08"),
        awarded_on=date(2025, 10, 20),
    )
    spans, marks = cycle_spans(cycle)
    assert [s.label for s in spans] == [
        "申报受理",
        "资格审查",
        "资料评审",
        "确定现场评审名单",
        "现场评审",
        "评委会审查表决",
        "社会公示",
        "县政府审定",
        "公示期",
    ]
    assert all(s.end is not None for s in spans)
    assert all(s.end == n.start for s, n in itertools.pairwise(spans[:8]))
    assert {m.label: day_of(m.at) for m in marks} == {
        "申报截止": date(2025, 5, 15),
        "申报截止（延长后）": date(2025, 5, 31),
        "资料评审截止": date(2025, 6, 30),
        "现场评审截止": date(2025, 9, 15),
        "县政府审定、通报表彰": date(2025, 10, 20),
    }


def test_a_cycle_kept_before_phases_were_recorded_still_shows_its_opening() -> None:
    spans, marks = cycle_spans(cycle_row(entered=None))
    assert [(s.label, s.end) for s in spans] == [("申报受理", None)]
    assert [m.label for m in marks] == ["申报截止"]


def honor_row(**fields: Any) -> Honor:
    base: dict[str, Any] = {
        "awarded_on": date(2025, 11, 10),
        "valid_until": date(2030, 11, 9),
        "revocation_window_closes": date(2027, 11, 9),
        "reapply_from": date(2029, 1, 1),
        "revoked_on": None,
    }
    return cast(Honor, SimpleNamespace(**(base | fields)))


def test_an_honor_draws_validity_windows_follow_ups_and_a_revocation() -> None:
    spans, marks = honor_spans(honor_row())
    assert [(s.label, s.end) for s in spans] == [
        ("有效期", date(2030, 11, 9)),
        ("可撤销期（§6(6)）", date(2027, 11, 9)),
        ("再次申报等待期（§3(1)）", date(2029, 1, 1)),
    ]
    assert [m.label for m in marks] == [
        "获奖（审定批准）",
        *(f"第{n}年跟踪报告" for n in range(1, 5)),
        "可再次申报",
        "有效期届满",
    ]
    revoked = date(2026, 12, 1)
    spans, marks = honor_spans(honor_row(revoked_on=revoked))
    assert spans[0].end == revoked
    assert [m.label for m in marks][-1] == "称号撤销"
    assert "第2年跟踪报告" not in [m.label for m in marks]
    # The Innovation Award does not expire: its span stays open.
    spans, _ = honor_spans(honor_row(valid_until=None))
    assert (spans[0].label, spans[0].end) == ("称号（长期有效）", None)
    assert timedelta(0) < spans[1].end - spans[1].start  # type: ignore[operator]
