"""Plots of a cycle over the API (issue #18): the figures as JSON and the picture as SVG, and
who may see which (office, supervisor, committee: all; a reviewer: its own plot and the
reported panels it sits on; applicants and the government: none)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.api.support import Api, credit_code, error_code, organization
from tests.api.world import (
    APPLICANTS,
    PANEL,
    REVIEWER_USERS,
    A,
    B,
    C,
    assign,
    confirm_site_report,
    open_cycle,
    pass_deadline,
    phase,
    populate,
    score,
    to_document_review,
)

NS = {"s": "http://www.w3.org/2000/svg"}
DOCUMENT = {A: [800, 820, 950], B: [600, 640, 620], C: [700, 710, 720]}
"""Document review totals by R1, R2, R3: A's panel differs by 150 (past the 100 alert)."""
SITE = {A: [810, 800, 790], B: [610, 600, 620], C: [700, 705, 710]}


def plot(api: Api, user: str, year: int, kind: str, query: str = "") -> object:
    return api.get(user, f"/cycles/{year}/plots/{kind}{query}")


async def document_scores(api: Api, year: int, *, leave_out: tuple[str, str] | None = None) -> None:
    for org, totals in DOCUMENT.items():
        for reviewer, points in zip(PANEL, totals, strict=True):
            if (org, reviewer) != leave_out:
                await score(api, year, org, "document", reviewer, points)


async def through_the_vote(api: Api, year: int) -> None:
    """Shortlist, site review, confirmations and the committee's votes: A and C elected, B not."""
    await api.post("office", f"/cycles/{year}/shortlist", json={"auto": True}, expect=200)
    for org, user in APPLICANTS.items():
        await assign(api, year, org, "site", PANEL)
        for reviewer, points in zip(PANEL, SITE[org], strict=True):
            await score(api, year, org, "site", reviewer, points)
        await confirm_site_report(api, year, org, user)
    ballots = {A: {"yes": 8, "no": 1, "abstain": 0}, B: {"yes": 3, "no": 6, "abstain": 0}}
    body = {"award": "quality", "present": 9, "ballots": ballots}
    await api.post("secretary", f"/cycles/{year}/votes", json=body, expect=200)
    body = {"award": "innovation", "present": 9, "ballots": {C: {"yes": 9, "no": 0, "abstain": 0}}}
    await api.post("secretary", f"/cycles/{year}/votes", json=body, expect=200)
    assert await phase(api, year) == "publicity"


async def scored_cycle(api: Api) -> int:
    """A cycle at publicity with differing scores, a consensus and a winner per award."""
    year = await to_document_review(api)
    await document_scores(api, year)
    path = f"/cycles/{year}/applications/{A}/consensus/document"
    await api.post("rev1", path, json={"points": 850}, expect=200)
    await through_the_vote(api, year)
    return year


def svg_root(text: str) -> ET.Element:
    root = ET.fromstring(text)
    assert root.get("role") == "img"
    assert root.find("s:title", NS) is not None
    assert root.find("s:desc", NS) is not None
    assert "style=" not in text  # the console's CSP allows no inline style
    return root


async def test_panels_and_a_reviewers_plot_before_every_panel_has_reported(api: Api) -> None:
    year = await to_document_review(api)
    await document_scores(api, year, leave_out=(B, "R3"))

    office = (await api.get("office", f"/cycles/{year}/plots/panels", expect=200)).json()
    assert office["stage"] == "document"
    assert office["alert_points"] == 100
    rows = {r["credit_code"]: r for r in office["rows"]}
    assert set(rows) == {A, B, C}
    assert [s["total"] for s in rows[A]["scores"]] == [800, 820, 950]
    assert (rows[A]["lowest"], rows[A]["highest"], rows[A]["spread"]) == (800, 950, 150)
    assert rows[A]["flagged"]
    assert not rows[C]["flagged"]
    assert not rows[B]["reported"]
    assert rows[A]["reported"]

    # rev1 sits on all three; B's panel has not reported: not in its plots
    mine = (await api.get("rev1", f"/cycles/{year}/plots/panels", expect=200)).json()
    assert [r["credit_code"] for r in mine["rows"]] == [C, A]  # by award, then code
    own = (await api.get("rev1", f"/cycles/{year}/plots/reviewer", expect=200)).json()
    assert own["reviewer"] == "R1"
    assert [(p["credit_code"], p["own"]) for p in own["points"]] == [(C, 700), (A, 800)]
    assert own["points"][1]["panel_mean"] == pytest.approx((800 + 820 + 950) / 3)
    assert own["choices"] == [{"code": "R1", "name": "评审员R1"}]
    # the office sees B's half-scored panel in R2's plot
    r2 = (await api.get("office", f"/cycles/{year}/plots/reviewer?reviewer=R2", expect=200)).json()
    assert [p["credit_code"] for p in r2["points"]] == [C, A, B]
    assert r2["points"][2]["difference"] == pytest.approx(640 - 620)
    assert [c["code"] for c in r2["choices"]] == ["R1", "R2", "R3"]
    # R4 (tied to A, on no panel) sees nothing
    assert (await api.get("rev4", f"/cycles/{year}/plots/panels", expect=200)).json()["rows"] == []

    refusals = [
        ("rev1", "reviewer?reviewer=R2", 403, "forbidden"),
        ("rev1", "scores", 403, "forbidden"),
        ("rev1", "outcomes.svg", 403, "forbidden"),
        ("org_a", "panels", 403, "forbidden"),
        ("org_a", "reviewer.svg", 403, "forbidden"),
        ("county", "scores", 403, "forbidden"),
        ("office", "bulletin", 404, "not_found"),
        ("office", "reviewer?reviewer=R9", 404, "not_found"),
        ("office", f"panels?panel={B}&stage=site", 404, "not_found"),
        ("rev1", f"panels.svg?panel={B}", 404, "not_found"),
    ]
    for user, tail, status, code in refusals:
        answer = await api.get(user, f"/cycles/{year}/plots/{tail}")
        assert (answer.status_code, error_code(answer)) == (status, code), (user, tail)
    assert (await api.get(None, f"/cycles/{year}/plots/scores.svg")).status_code == 401

    one = await api.get("rev1", f"/cycles/{year}/plots/panels.svg?panel={A}", expect=200)
    assert one.headers["content-type"].startswith("image/svg+xml")
    root = svg_root(one.text)
    panels = root.findall(".//s:g[@class='panels']/s:g", NS)
    assert [p.get("class") for p in panels] == ["panel flagged"]
    assert len(panels[0].findall("s:circle", NS)) == 3


async def test_scores_and_outcomes_after_the_vote(api: Api) -> None:
    year = await scored_cycle(api)
    scores = (await api.get("watch", f"/cycles/{year}/plots/scores", expect=200)).json()
    points = scores["points"]
    assert [p["credit_code"] for p in points] == [A, B]  # best first
    a, b = points
    assert a["total_score"] == pytest.approx(850 * 0.4 + 800 * 0.6)  # the consensus counts
    assert b["total_score"] == pytest.approx(620 * 0.4 + 610 * 0.6)
    assert (a["candidate"], a["winner"], b["candidate"], b["winner"]) == (True, True, True, False)
    assert scores["last_candidate"] == pytest.approx(b["total_score"])
    innovation = await api.get("secretary", f"/cycles/{year}/plots/scores?award=innovation")
    assert [p["credit_code"] for p in innovation.json()["points"]] == [C]

    svg = (await api.get("office", f"/cycles/{year}/plots/scores.svg", expect=200)).text
    root = svg_root(svg)
    dots = root.findall(".//s:g[@class='points']/s:g", NS)
    assert sorted(d.get("class") or "" for d in dots) == ["point candidate", "point winner"]
    assert "末位候选" in svg
    assert "庆元县测试企业1有限公司" in svg

    outcomes = (await api.get("office", f"/cycles/{year}/plots/outcomes", expect=200)).json()
    assert outcomes["total"] == 3
    counted = {c["outcome"]: (c["quality"], c["innovation"]) for c in outcomes["counts"]}
    assert sum(q + i for q, i in counted.values()) == 3
    assert counted.get("not_elected") == (1, 0)
    svg = (await api.get("office", f"/cycles/{year}/plots/outcomes.svg", expect=200)).text
    bars = svg_root(svg).findall(".//s:g[@class='bars']/s:g", NS)
    assert len(bars) == len(outcomes["counts"])

    site = (await api.get("office", f"/cycles/{year}/plots/panels?stage=site", expect=200)).json()
    assert [r["credit_code"] for r in site["rows"]] == [C, A, B]
    doc = (await api.get("office", f"/cycles/{year}/plots/panels", expect=200)).json()
    assert doc["rows"][1]["consensus"] == 850


async def larger_cycle(api: Api) -> int:
    """Ten applications (nine for the Quality Award) to publicity: six shortlisted by document
    score (§4(2)), the committee electing three, one panel past the spread alert."""
    await populate(api)
    extra = {credit_code(n): f"org_{n}" for n in range(11, 18)}
    for n, (code, user) in enumerate(extra.items(), 11):
        await api.post("office", "/organizations", json=organization(n), expect=201)
        await api.add_user(user, "applicant", credit_code=code)
    applicants = {**APPLICANTS, **extra}
    year = await open_cycle(api)
    for code, user in applicants.items():
        award = "innovation" if code == C else "quality"
        await api.post(user, f"/cycles/{year}/applications", json={"award": award}, expect=201)
    await pass_deadline(api, year)
    await api.post("office", f"/cycles/{year}/close-qualification", expect=200)
    base = {code: 560 + 37 * n % 330 for n, code in enumerate(applicants)}
    for code in applicants:
        await assign(api, year, code, "document", PANEL)
        for k, reviewer in enumerate(PANEL):
            wide = 130 if code == B and k == 2 else 0
            await score(api, year, code, "document", reviewer, base[code] + 12 * k - 12 + wide)
    await api.post("office", f"/cycles/{year}/shortlist", json={"auto": True}, expect=200)
    listed = (await api.get("office", f"/cycles/{year}/applications", expect=200)).json()
    shortlisted = [a["credit_code"] for a in listed if a["shortlisted"]]
    for code in shortlisted:
        await assign(api, year, code, "site", PANEL)
        for k, reviewer in enumerate(PANEL):
            await score(api, year, code, "site", reviewer, base[code] + 20 - 8 * k)
        await confirm_site_report(api, year, code, applicants[code])
    listed = (await api.get("office", f"/cycles/{year}/applications", expect=200)).json()
    quality = sorted(
        (a for a in listed if a["award"] == "quality" and a["credit_code"] in shortlisted),
        key=lambda a: -a["total_score"],
    )
    yes, no = {"yes": 8, "no": 1, "abstain": 0}, {"yes": 2, "no": 7, "abstain": 0}
    ballots = {a["credit_code"]: yes if n < 3 else no for n, a in enumerate(quality)}
    body = {"award": "quality", "present": 9, "ballots": ballots}
    await api.post("secretary", f"/cycles/{year}/votes", json=body, expect=200)
    if C in shortlisted:
        body = {"award": "innovation", "present": 9, "ballots": {C: yes}}
        await api.post("secretary", f"/cycles/{year}/votes", json=body, expect=200)
    assert await phase(api, year) == "publicity"
    assert set(REVIEWER_USERS) >= set(PANEL)
    return year


async def test_a_larger_cycle_in_its_plots(api: Api) -> None:
    year = await larger_cycle(api)
    scores = (await api.get("office", f"/cycles/{year}/plots/scores", expect=200)).json()
    totals = [p["total_score"] for p in scores["points"]]
    assert len(totals) == 6
    assert totals == sorted(totals, reverse=True)
    assert [p["winner"] for p in scores["points"]] == [True] * 3 + [False] * 3
    outcomes = (await api.get("office", f"/cycles/{year}/plots/outcomes", expect=200)).json()
    counted = {c["outcome"]: c["total"] for c in outcomes["counts"]}
    assert counted["not_shortlisted"] == 3  # nine quality applicants, six places (§4(2))
    assert counted["not_elected"] == 3
    doc = (await api.get("office", f"/cycles/{year}/plots/panels", expect=200)).json()
    assert [r["credit_code"] for r in doc["rows"] if r["flagged"]] == [B]
    svg = (await api.get("office", f"/cycles/{year}/plots/scores.svg", expect=200)).text
    dots = svg_root(svg).findall(".//s:g[@class='points']/s:g", NS)
    assert (
        sorted(d.get("class") or "" for d in dots) == ["point candidate"] * 3 + ["point winner"] * 3
    )
