"""A whole cycle through HTTP alone, every role signed in as itself: from the call for
applications to the honors register (DESIGN §2), on the real workflows and database.
"""

from __future__ import annotations

from datetime import timedelta

from tests.api.pdfs import PLAIN
from tests.api.support import Api, eventually
from tests.api.world import (
    APPLICANTS,
    PANEL,
    REVIEWER_USERS,
    A,
    B,
    C,
    apply_all,
    assign,
    confirm_site_report,
    open_cycle,
    pass_deadline,
    phase,
    populate,
    score,
    wait_phase,
)

PDF = PLAIN


async def test_a_cycle_from_call_for_applications_to_the_honors_register(api: Api) -> None:
    await populate(api)

    # 1 open: the office calls for applications; applicants apply and upload materials.
    year = await open_cycle(api, deadline_days=5)

    async def announced() -> bool:
        public = (await api.get(None, "/public/notices", expect=200)).json()
        return [n["kind"] for n in public] == ["call_for_applications"]

    await eventually(announced)  # the workflow publishes it right after it starts
    await apply_all(api, year)
    upload = await api.post(
        "org_a",
        f"/cycles/{year}/applications/{A}/materials",
        files={"file": ("申报书.pdf", PDF, "application/pdf")},
        expect=201,
    )
    assert upload.json()["size"] == len(PDF)

    # 2 qualification: the deadline passes on the server's clock; a department finding.
    await pass_deadline(api, year, deadline_days=5)
    await api.post(
        "office",
        f"/cycles/{year}/applications/{B}/findings",
        json={"passed": True, "department": "market_supervision"},
        expect=201,
    )
    await api.post("office", f"/cycles/{year}/close-qualification", expect=200)
    qualification = await api.get("org_a", f"/cycles/{year}/applications/{A}/qualification")
    assert qualification.json()["eligible"] is True

    # 3 document review: panels, then every reviewer scores (items for one of them).
    for org in APPLICANTS:
        await assign(api, year, org, "document", PANEL)
    items = dict.fromkeys(_rubric_items(), 60)
    for org, base in ((A, 700), (B, 650), (C, 600)):
        for n, reviewer in enumerate(PANEL):
            if reviewer == "R3" and org == A:
                path = f"/cycles/{year}/applications/{org}/scores/document"
                body = {"items": items}
                await api.post(REVIEWER_USERS[reviewer], path, json=body, expect=200)
            else:
                await score(api, year, org, "document", reviewer, base + 10 * n)
    assert await phase(api, year) == "shortlist"

    # 4 shortlist: the system's recommendation, adopted by the office.
    listed = await api.post("office", f"/cycles/{year}/shortlist", json={"auto": True}, expect=200)
    assert set(listed.json()["shortlist"]) == {A, B, C}
    assert await phase(api, year) == "site_review"

    # 5 site review: panels score, the leader records a consensus, applicants confirm.
    for org in APPLICANTS:
        await assign(api, year, org, "site", PANEL)
        for n, reviewer in enumerate(PANEL):
            await score(api, year, org, "site", reviewer, 680 + 5 * n)
    await api.post(
        "rev1", f"/cycles/{year}/applications/{A}/consensus/site", json={"points": 720}, expect=200
    )
    report = await api.get("org_a", f"/cycles/{year}/applications/{A}/scores/site", expect=200)
    assert {line["reviewer"] for line in report.json()["scores"]} == {
        "评审员1",
        "评审员2",
        "评审员3",
    }
    for org, user in APPLICANTS.items():
        await confirm_site_report(api, year, org, user)
    assert await phase(api, year) == "committee"

    # 6 committee: the secretary signals the vote results in; publicity opens by itself.
    candidates = await api.get("secretary", f"/cycles/{year}/candidates", expect=200)
    assert {c["credit_code"] for c in candidates.json()} == {A, B, C}
    yes = {"yes": 8, "no": 1, "abstain": 0}
    await api.post(
        "secretary",
        f"/cycles/{year}/votes",
        json={"award": "quality", "present": 9, "ballots": {A: yes, B: yes}},
        expect=200,
    )
    await api.post(
        "secretary",
        f"/cycles/{year}/votes",
        json={"award": "innovation", "present": 9, "ballots": {C: yes}},
        expect=200,
    )
    assert await phase(api, year) == "publicity"

    # 7 publicity: the public list, a real-name objection, the office's investigation.
    listed_publicly = (await api.get(None, "/public/publicity", expect=200)).json()
    assert {o["credit_code"] for o in listed_publicly["organizations"]} == {A, B, C}
    objection = {"credit_code": B, "name": "李某", "contact": "13800000000", "content": "材料存疑"}
    receipt = await api.post(None, "/public/objections", json=objection, expect=201)
    number = receipt.json()["number"]
    await api.post(
        "office",
        f"/cycles/{year}/objections/{number}/investigation",
        json={"finding": "unsubstantiated", "report": "经核实，反映情况不属实"},
        expect=200,
    )
    await api.clock.advance(timedelta(days=8))
    await wait_phase(api, year, "approval")

    # 8 approval: the government approves; honors are registered and published.
    approved = await api.post("county", f"/cycles/{year}/approval", json={}, expect=200)
    assert set(approved.json()["awarded"]) == {A, B, C}
    assert await phase(api, year) == "announced"

    honors = (await api.get(None, "/public/honors", expect=200)).json()
    assert {(h["credit_code"], h["award"], h["year"]) for h in honors} == {
        (A, "quality", year),
        (B, "quality", year),
        (C, "innovation", year),
    }
    kinds = {n["kind"] for n in (await api.get(None, "/public/notices", expect=200)).json()}
    assert {"call_for_applications", "publicity", "award_bulletin"} <= kinds
    own = (await api.get("org_a", "/honors", expect=200)).json()
    assert [(h["credit_code"], h["bonus_cny"]) for h in own] == [(A, 200_000)]

    # The supervisor finds every command in an intact audit trail.
    verification = await api.get("watch", "/audit/verify", expect=200)
    assert verification.json()["intact"] is True
    assert verification.json()["entries"] > 40


def _rubric_items() -> list[str]:
    from domain.scoring import rubric

    return list(rubric().points)
