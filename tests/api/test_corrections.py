"""Correcting the course (#13 items 1 and 9): the office moves a deadline later (DESIGN §2) —
intake stays open until the new date, a stage's reminders and overdue notice follow its new
due date, never earlier, and not the application deadline once it has passed; the
committee's secretary replaces a mistyped vote result before publicity (§4(4))."""

from __future__ import annotations

from datetime import timedelta

from tests.api.support import Api, error_code
from tests.api.world import (
    A,
    B,
    C,
    apply_all,
    open_cycle,
    phase,
    populate,
    to_committee,
    to_document_review,
)

EXTENSIONS = "/cycles/{year}/deadline-extensions"


async def test_an_extended_application_deadline_keeps_intake_open(api: Api) -> None:
    await populate(api)
    year = await open_cycle(api, deadline_days=5)
    path = EXTENSIONS.format(year=year)
    later = api.clock.today() + timedelta(days=12)
    earlier = {"what": "application", "until": api.clock.today().isoformat(), "reason": "误填"}
    refused = await api.post("office", path, json=earlier)
    assert (refused.status_code, error_code(refused)) == (422, "invalid_input")
    body = {"what": "application", "until": later.isoformat(), "reason": "部分企业材料准备不及"}
    await api.post("office", path, json=body, expect=200)

    await api.clock.advance(timedelta(days=8))  # past the first deadline, before the new one
    assert await phase(api, year) == "open"
    await apply_all(api, year)
    cycle = (await api.get("office", f"/cycles/{year}", expect=200)).json()
    assert cycle["application_deadline"] == later.isoformat()
    titles = [n["title"] for n in (await api.get(None, "/public/notices", expect=200)).json()]
    assert any("延长" in t and "申报截止日期" in t for t in titles), titles

    await api.clock.advance(timedelta(days=5))
    assert await phase(api, year) == "qualification"
    again = {**body, "until": (later + timedelta(days=3)).isoformat()}
    late = await api.post("office", path, json=again)
    assert (late.status_code, error_code(late)) == (409, "not_in_phase")


async def test_a_stage_due_date_moves_and_the_reviewers_still_to_score_are_told(api: Api) -> None:
    year = await to_document_review(api)
    path = EXTENSIONS.format(year=year)
    await api.post("rev1", f"/cycles/{year}/applications/{A}/scores/document", json={"points": 600})
    until = api.clock.today() + timedelta(days=40)
    body = {"what": "document", "until": until.isoformat(), "reason": "评审员集中培训"}
    await api.post("office", path, json=body, expect=200)
    notices = (await api.get("rev2", "/notices", expect=200)).json()
    assert any("截止日期延长" in n["title"] for n in notices), notices
    site = await api.post("office", path, json={**body, "what": "site"})
    assert (site.status_code, error_code(site)) == (409, "not_in_phase")
    # The old due date passes without an overdue notice; the new one is what counts.
    await api.clock.advance(timedelta(days=25))
    office = (await api.get("office", "/notices", expect=200)).json()
    assert not any(n["kind"] == "review_overdue" for n in office)


async def test_the_secretary_replaces_a_mistyped_vote_before_publicity(api: Api) -> None:
    """§4(4): until the list is published, an award's result may be replaced with a reason;
    the earlier result stays on record. A result must name every candidate."""
    year = await to_committee(api)
    yes, no = {"yes": 8, "no": 1, "abstain": 0}, {"yes": 1, "no": 8, "abstain": 0}
    votes = f"/cycles/{year}/votes"
    partial = await api.post(
        "secretary", votes, json={"award": "quality", "present": 9, "ballots": {A: yes}}
    )
    assert (partial.status_code, error_code(partial)) == (422, "ballots_incomplete")
    typo = {"award": "quality", "present": 9, "ballots": {A: yes, B: no}}
    await api.post("secretary", votes, json=typo, expect=200)
    fixed = {**typo, "ballots": {A: yes, B: yes}}
    no_reason = await api.post("secretary", votes + "/replacement", json=fixed)
    assert no_reason.status_code == 422
    await api.post(
        "secretary", votes + "/replacement", json={**fixed, "reason": "录入错误"}, expect=200
    )
    assert await phase(api, year) == "committee"  # innovation still to vote
    innovation = {"award": "innovation", "present": 9, "ballots": {C: yes}}
    await api.post("secretary", votes, json=innovation, expect=200)
    assert await phase(api, year) == "publicity"
    record = (await api.get("office", votes, expect=200)).json()
    quality = [(v["round"], v["series"], v["reason"]) for v in record if v["award"] == "quality"]
    assert quality == [(1, 1, None), (2, 2, "录入错误")]
    late = await api.post("secretary", votes + "/replacement", json={**fixed, "reason": "再改"})
    assert (late.status_code, error_code(late)) == (409, "not_in_phase")
    # B passed in the replacing result: it is on the published list, not "not elected".
    b = (await api.get("office", f"/cycles/{year}/applications/{B}", expect=200)).json()
    assert b["outcome"] == "pending"


async def test_every_due_date_is_visible(api: Api) -> None:
    """#13 item 10: the cycle shows its deadline, each stage's due date and the extensions;
    a reviewer's assignments show their due dates."""
    year = await to_document_review(api)
    cycle = (await api.get("office", f"/cycles/{year}", expect=200)).json()
    due = cycle["stage_due"]["document"]
    assert cycle["application_deadline"] < due
    mine = (await api.get("rev1", f"/cycles/{year}/assignments", expect=200)).json()
    assert {a["due"] for a in mine} == {due}
    until = (api.clock.today() + timedelta(days=45)).isoformat()
    body = {"what": "document", "until": until, "reason": "集中培训"}
    await api.post("office", EXTENSIONS.format(year=year), json=body, expect=200)
    cycle = (await api.get("office", f"/cycles/{year}", expect=200)).json()
    assert cycle["stage_due"]["document"] == until
    [extension] = cycle["extensions"]
    assert (extension["what"], extension["previous"], extension["until"]) == (
        "document",
        due,
        until,
    )
    mine = (await api.get("rev1", f"/cycles/{year}/assignments", expect=200)).json()
    assert {a["due"] for a in mine} == {until}


async def test_the_office_reads_its_own_notices_apart_from_the_applicants_copies(api: Api) -> None:
    """#13 item 14: the office's feed separates its own notices."""
    year = await to_document_review(api)
    own = (await api.get("office", "/notices?audience=office", expect=200)).json()
    assert own
    assert {n["audience"] for n in own} == {"office"}
    assert any(n["kind"] == "intake_closed" for n in own)
    copies = (await api.get("office", "/notices?audience=reviewer", expect=200)).json()
    assert {n["audience"] for n in copies} == {"reviewer"}
    assert (await api.get("office", f"/cycles/{year}", expect=200)).json()["phase"]
