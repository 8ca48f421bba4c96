"""The plots' SVG structure (issue #18): elements, labels, values and their order, not pixels."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from insight.plots import (
    OutcomeBar,
    PanelRow,
    ReviewerPoint,
    ScorePoint,
    num,
    outcome_counts,
    panel_spreads,
    reviewer_against_means,
    score_distribution,
)

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("viewBox", "").startswith("0 0 ")
    assert "style=" not in svg  # presentation attributes only: the console's CSP
    return root


def titles(root: ET.Element, path: str) -> list[str]:
    return [t.text or "" for t in root.findall(path + "/s:title", NS)]


def test_numbers_are_rounded_half_up_to_a_tenth() -> None:
    assert [num(v) for v in (700.0, 674.05, 0.25, -36.666)] == ["700", "674.1", "0.3", "-36.7"]


def test_a_score_distribution_marks_candidates_winners_and_the_candidate_lines() -> None:
    points = [
        ScorePoint("乙公司", 700.0, True, False),
        ScorePoint("甲公司", 850.5, True, True),
        ScorePoint("丙公司", 560.0, False, False),
        ScorePoint("丁公司", 701.0, True, False),  # 1 point from 乙: stacked above it
    ]
    svg = score_distribution("2026年度质量奖总得分分布", points, threshold=600, last_candidate=700)
    root = parse(svg)
    assert root.findtext("s:title", namespaces=NS) == "2026年度质量奖总得分分布"
    desc = root.findtext("s:desc", namespaces=NS)
    assert desc == "共4个总得分，候选3个，获奖1个；末位候选总分700分；候选最低总分600分。"
    dots = root.findall(".//s:g[@class='points']/s:g", NS)
    # lowest first, each with its status
    assert [d.findtext("s:title", namespaces=NS) for d in dots] == [
        "丙公司：560分（未成为候选）",
        "乙公司：700分（候选）",
        "丁公司：701分（候选）",
        "甲公司：850.5分（获奖）",
    ]
    assert [d.get("class") for d in dots] == [
        "point other", "point candidate", "point candidate", "point winner"
    ]  # fmt: skip
    circles = [d.find("s:circle", NS) for d in dots]
    xs = [float(c.get("cx", "0")) for c in circles if c is not None]
    ys = [float(c.get("cy", "0")) for c in circles if c is not None]
    assert xs == sorted(xs)  # higher scores to the right
    assert ys[2] < ys[1] == ys[0] == ys[3]  # only the overlapping dot goes up
    lines = root.findall(".//s:g[@class='lines']/s:g", NS)
    assert [g.get("class") for g in lines] == ["line threshold", "line last"]
    assert titles(root, ".//s:g[@class='lines']/s:g") == ["候选最低总分：600分", "末位候选：700分"]
    line_x = {
        g.get("class"): float(g.find("s:line", NS).get("x1", "0"))  # type: ignore[union-attr]
        for g in lines
    }
    assert line_x["line threshold"] < xs[1] == line_x["line last"]  # the last candidate's dot
    ticks = [t.text for t in root.findall(".//s:g[@class='axis']/s:text", NS)]
    assert ticks[0] is not None
    assert float(ticks[0]) <= 560
    assert ticks[-1] == "分"


def test_an_empty_distribution_says_so() -> None:
    root = parse(score_distribution("无", [], threshold=None, last_candidate=None))
    assert root.findtext("s:text[@class='empty']", namespaces=NS) == "暂无总得分"
    assert root.findtext("s:desc", namespaces=NS) == "共0个总得分，候选0个，获奖0个。"


def test_panel_spreads_draw_each_member_the_whisker_and_the_consensus() -> None:
    rows = [
        PanelRow("甲公司", (("R1", 800.0), ("R2", 820.0), ("R3", 950.0)), 850.0, True),
        PanelRow("乙公司", (("R1", 600.0), ("R2", 640.0)), None, False),
        PanelRow("一个名字非常非常长的申报组织有限责任公司", (), None, False),
    ]
    root = parse(panel_spreads("资料评审各评审组评分差异", rows, alert=100))
    assert root.findtext("s:desc", namespaces=NS) == "共3个评审组，1个评审组总分相差超过100分。"
    panels = root.findall(".//s:g[@class='panels']/s:g", NS)
    assert [p.get("class") for p in panels] == ["panel flagged", "panel", "panel"]
    assert titles(root, ".//s:g[@class='panels']/s:g") == [
        "甲公司：最低800分，最高950分，相差150分，合议分850分",
        "乙公司：最低600分，最高640分，相差40分",
        "一个名字非常非常长的申报组织有限责任公司：暂无评分",
    ]
    first = panels[0]
    assert [c.findtext("s:title", namespaces=NS) for c in first.findall("s:circle", NS)] == [
        "R1：800分", "R2：820分", "R3：950分"
    ]  # fmt: skip
    whisker = first.find("s:line", NS)
    assert whisker is not None
    assert whisker.get("stroke") == "#c23b22"
    assert first.findtext("s:polygon/s:title", namespaces=NS) == "合议分：850分"
    assert panels[1].find("s:polygon", NS) is None
    labels = [p.findtext("s:text", namespaces=NS) for p in panels]
    assert labels[2] == "一个名字非常非常长的申报组织…"  # cut, the full name in its title
    assert [p.findall("s:text", NS)[-1].text for p in panels[:2]] == ["相差 150", "相差 40"]
    ys = [float(p.find("s:line", NS).get("y1", "0")) for p in panels[:2]]  # type: ignore[union-attr]
    assert ys[0] < ys[1]  # in the order given


def test_a_reviewer_against_the_means_of_their_panels() -> None:
    points = [
        ReviewerPoint("甲公司（资料评审）", 800.0, 856.6667),
        ReviewerPoint("乙公司（资料评审）", 640.0, 620.0),
        ReviewerPoint("丙公司（现场评审）", 700.0, 700.0),
    ]
    root = parse(reviewer_against_means("评审员R1评分与评审组均分", points))
    assert root.findtext("s:desc", namespaces=NS) == "共3个评分，与所在评审组均分平均相差-12.2分。"
    rows = root.findall(".//s:g[@class='rows']/s:g", NS)
    assert [r.get("class") for r in rows] == ["row lower", "row higher", "row mean"]
    assert titles(root, ".//s:g[@class='rows']/s:g")[:2] == [
        "甲公司（资料评审）：本人800分，组均分856.7分，相差-56.7分",
        "乙公司（资料评审）：本人640分，组均分620分，相差+20分",
    ]
    own = rows[0].find("s:circle[@class='own']", NS)
    mean = rows[0].find("s:line[@class='mean']", NS)
    assert own is not None
    assert mean is not None
    assert float(own.get("cx", "0")) < float(mean.get("x1", "0"))  # below the mean: left of it
    assert [r.findall("s:text", NS)[-1].text for r in rows] == ["-56.7", "+20", "0"]


def test_outcome_counts_are_bars_in_the_order_given() -> None:
    bars = [OutcomeBar("获奖", 3), OutcomeBar("未当选", 1), OutcomeBar("资格审查未通过", 0)]
    root = parse(outcome_counts("2026年度申报评审结果", bars))
    assert root.findtext("s:desc", namespaces=NS) == (
        "共4个申报：获奖3个，未当选1个，资格审查未通过0个。"
    )
    groups = root.findall(".//s:g[@class='bars']/s:g", NS)
    assert titles(root, ".//s:g[@class='bars']/s:g") == [
        "获奖：3个",
        "未当选：1个",
        "资格审查未通过：0个",
    ]
    widths = [float(g.find("s:rect", NS).get("width", "0")) for g in groups]  # type: ignore[union-attr]
    assert widths[0] > widths[1] > widths[2]
    assert abs(widths[0] - 3 * widths[1]) < 0.5
    assert [g.findtext("s:text[@class='count']", namespaces=NS) for g in groups] == ["3", "1", "0"]


def test_labels_are_escaped() -> None:
    svg = outcome_counts("<b>&", [OutcomeBar("<script>", 1)])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    parse(svg)
