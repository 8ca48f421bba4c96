"""Every decided outcome read through the API carries the rules and figures behind it."""

from __future__ import annotations

from tests.api.support import Api
from tests.api.world import A, B, C, to_committee, wait_phase


async def test_a_vote_outcome_is_explained_to_staff_and_the_applicant_not_to_reviewers(
    api: Api,
) -> None:
    year = await to_committee(api)
    pending = await api.get("office", f"/cycles/{year}/applications/{B}", expect=200)
    assert pending.json()["explanation"] == []
    votes = {A: {"yes": 8, "no": 1, "abstain": 0}, B: {"yes": 3, "no": 5, "abstain": 1}}
    body = {"award": "quality", "present": 9, "ballots": votes}
    await api.post("secretary", f"/cycles/{year}/votes", json=body, expect=200)
    yes = {"yes": 9, "no": 0, "abstain": 0}
    body = {"award": "innovation", "present": 9, "ballots": {C: yes}}
    await api.post("secretary", f"/cycles/{year}/votes", json=body, expect=200)
    await wait_phase(api, year, "publicity")

    lost = (await api.get("office", f"/cycles/{year}/applications/{B}", expect=200)).json()
    assert lost["outcome"] == "not_elected"
    assert lost["explanation"] == [
        {
            "clause": "§4(4)",
            "text": "评委会表决到会委员9名，赞成3票、反对5票、弃权1票；"
            "通过须赞成票超过到会委员的1/2（4.5票），未获通过",
        }
    ]
    own = (await api.get("org_b", f"/cycles/{year}/applications/{B}", expect=200)).json()
    assert own["explanation"] == lost["explanation"]
    seen = (await api.get("rev1", f"/cycles/{year}/applications/{B}", expect=200)).json()
    assert seen["explanation"] is None


async def test_a_candidate_past_the_quota_is_told_its_place_among_those_that_passed(
    api: Api,
) -> None:
    year = await to_committee(api, rules={"quality": {"quota": 1}})
    votes = {A: {"yes": 8, "no": 1, "abstain": 0}, B: {"yes": 6, "no": 3, "abstain": 0}}
    body = {"award": "quality", "present": 9, "ballots": votes}
    await api.post("secretary", f"/cycles/{year}/votes", json=body, expect=200)
    yes = {"yes": 9, "no": 0, "abstain": 0}
    body = {"award": "innovation", "present": 9, "ballots": {C: yes}}
    await api.post("secretary", f"/cycles/{year}/votes", json=body, expect=200)
    await wait_phase(api, year, "publicity")

    lost = (await api.get("office", f"/cycles/{year}/applications/{B}", expect=200)).json()
    assert lost["outcome"] == "not_elected"
    assert [e["clause"] for e in lost["explanation"]] == ["§4(4)", "§5(3)"]
    assert "排在第2位，本奖项名额1个已满" in lost["explanation"][1]["text"]
