"""The second half of the cycle through its pages: the committee's votes (§4(4)), publicity
and objections (§4(5)), the government's approval with strikes (§4(6)), each role signed in
as itself; the public files its objection on the portal without signing in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.api.support import Api
from tests.api.world import A, B, C, to_committee, to_publicity
from tests.web.cycle import phase, wait_phase
from tests.web.support import Console, hidden_fields
from tests.web.test_cycle_pages import todo
from tests.web.test_second_half_access import assert_forbidden, post_as
from web.pages import committee

YES = {"yes": "8", "no": "1", "abstain": "0"}


def candidate_tallies(page: str, code: str) -> list[str]:
    """The yes/no/abstain columns of a candidate's row on the votes page."""
    row = re.search(rf'<tr data-candidate="{code}">(.*?)</tr>', page, re.S)
    assert row is not None, code
    return re.findall(r'<td class="num">([^<]*)</td>', row.group(1))[1:]


def vote_tallies(page: str) -> dict[str, list[str]]:
    """A vote's own page: yes/no/abstain by credit code."""
    rows = re.findall(r'<tr data-tally="([^"]+)">(.*?)</tr>', page, re.S)
    return {code: re.findall(r'<td class="num">([^<]*)</td>', cells) for code, cells in rows}


def tallies(codes: list[str], tally: dict[str, str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {"candidates": codes}
    for code in codes:
        data.update({f"{kind}:{code}": n for kind, n in tally.items()})
    return data


async def test_the_secretary_enters_every_candidates_votes_and_publicity_opens(
    console: Console, api: Api
) -> None:
    year = await to_committee(api)
    page = f"/console/cycles/{year}/votes"
    await console.sign_in("secretary")
    assert f"votes:{year}" in await todo(console, "secretary")
    shown = await console.get("secretary", page)
    assert {A, B, C} <= set(re.findall(r'data-candidate="([^"]+)"', shown.text))
    assert f'action="{page}/quality"' in shown.text  # one form per award
    assert f'action="{page}/innovation"' in shown.text

    short = {"present": "5", **tallies([A, B], YES)}
    refused = await console.submit("secretary", page, f"{page}/quality", short)
    assert refused.status_code == 422
    assert re.search(
        r'name="present" value="5".*?class="error" id="present-error">[^<]*§4\(4\)',
        refused.text,
        re.S,
    )
    assert 'name="yes:' + A + '" value="8"' in refused.text  # the tallies typed are kept
    assert await phase(api, year) == "committee"

    over = {"present": "9", **tallies([A, B], {**YES, "abstain": "5"})}
    too_many = await console.submit("secretary", page, f"{page}/quality", over)
    assert too_many.status_code == 422
    assert 'id="ballots-error"' in too_many.text

    first = await console.submit(
        "secretary", page, f"{page}/quality", {"present": "9", **tallies([A, B], YES)}
    )
    assert first.status_code == 303, first.text
    recorded = await console.get("secretary", page)
    assert "替换质量奖表决结果" in recorded.text  # a recorded award is only replaced now
    assert "录入创新奖表决结果" in recorded.text
    fixed = {"present": "9", "reason": "录入错误", **tallies([A, B], {**YES, "yes": "7"})}
    replaced = await console.submit("secretary", page, f"{page}/quality", fixed)
    assert replaced.status_code == 303, replaced.text
    assert await phase(api, year) == "committee"
    done = await console.submit(
        "secretary", page, f"{page}/innovation", {"present": "9", **tallies([C], YES)}
    )
    assert done.status_code == 303, done.text
    await wait_phase(api, year, "publicity")
    recorded = await console.get("secretary", page)
    assert candidate_tallies(recorded.text, A) == ["7", "1", "0"]  # the replacing result's
    assert candidate_tallies(recorded.text, C) == ["8", "1", "0"]
    assert "录入错误" in recorded.text
    assert f'action="{page}/' not in recorded.text  # voting is over
    first_vote, replacing = f"{page}/quality/rounds/1", f"{page}/quality/rounds/2"
    assert f'href="{first_vote}"' in recorded.text
    assert f'href="{replacing}"' in recorded.text
    assert '<tr data-vote="2"><td>2</td><td>表决</td>' in recorded.text  # a new result, no runoff
    kept = await console.get("secretary", first_vote)
    assert vote_tallies(kept.text) == {A: ["8", "1", "0"], B: ["8", "1", "0"]}
    assert "庆元县测试企业1有限公司" in kept.text
    later = await console.get("secretary", replacing)
    assert vote_tallies(later.text)[A] == ["7", "1", "0"]
    assert "录入错误" in later.text
    assert (await console.get("secretary", f"{page}/quality/rounds/9")).status_code == 404

    await console.sign_in("office")
    read_only = await console.get("office", page)
    assert read_only.status_code == 200
    assert f'action="{page}/' not in read_only.text
    await console.sign_in("county")
    assert (await console.get("county", first_vote)).status_code == 200
    assert_forbidden(await post_as(console, "county", f"{page}/quality"))
    for outsider in ("org_a", "rev1"):
        await console.sign_in(outsider)
        assert_forbidden(await console.get(outsider, first_vote))


async def test_an_objection_from_the_portal_is_investigated_and_decided(
    console: Console, api: Api
) -> None:
    year = await to_publicity(api)
    public = await console.get(None, "/portal/objection")
    assert public.status_code == 200
    assert B in public.text
    form = hidden_fields(public.text, "/portal/objection")
    assert "once_key" in form
    unnamed = await console.client(None).post(
        "/portal/objection",
        data={**form, "credit_code": B, "name": "", "contact": "", "content": "材料存疑"},
    )
    assert unnamed.status_code == 422
    assert "异议须署真实姓名" in unnamed.text
    assert "材料存疑" in unnamed.text  # what was typed is kept
    typed = {"credit_code": B, "name": "李某", "contact": "13800000000", "content": "材料存疑"}
    again = hidden_fields(unnamed.text, "/portal/objection")
    filed = await console.client(None).post("/portal/objection", data={**again, **typed})
    twice = await console.client(None).post("/portal/objection", data={**again, **typed})
    assert (filed.status_code, twice.status_code) == (303, 303), filed.text
    assert twice.headers["location"] == filed.headers["location"]  # a double click files one
    receipt = await console.get(None, filed.headers["location"])
    number = re.search(r"data-number>(\d+)<", receipt.text)
    assert number is not None
    n = number.group(1)
    assert len((await api.get("office", f"/cycles/{year}/objections", expect=200)).json()) == 1

    objection = f"/console/cycles/{year}/objections/{n}"
    await console.sign_in("office")
    assert f"investigate:{year}:{n}" in await todo(console, "office")
    listing = await console.get("office", f"/console/cycles/{year}/publicity")
    assert f'data-objection="{n}"' in listing.text
    assert "李某" in listing.text
    investigated = await console.submit(
        "office",
        objection,
        f"{objection}/investigation",
        {"finding": "substantiated", "report": "经核实，材料存在虚假内容"},
    )
    assert investigated.status_code == 303, investigated.text
    assert f"investigate:{year}:{n}" not in await todo(console, "office")

    await console.sign_in("secretary")
    assert f"decide:{year}:{n}" in await todo(console, "secretary")
    decided = await console.submit(
        "secretary", objection, f"{objection}/decision", {"remove": "true"}
    )
    assert decided.status_code == 303, decided.text
    after = await console.get("secretary", objection)
    assert "从拟授奖名单中撤下" in after.text
    assert f"decide:{year}:{n}" not in await todo(console, "secretary")
    listed = await console.get(None, "/portal/publicity")
    assert f'data-listed="{A}"' in listed.text
    assert f'data-listed="{B}"' not in listed.text
    assert "李某" not in listed.text  # the objector's name is not public

    await console.sign_in("county")
    assert (await console.get("county", objection)).status_code == 403


async def test_the_government_approves_the_list_with_a_strike(console: Console, api: Api) -> None:
    year = await to_publicity(api)
    page = f"/console/cycles/{year}/approval"
    await api.clock.advance(timedelta(days=8))
    await wait_phase(api, year, "approval")
    await console.sign_in("county")
    assert f"approve:{year}" in await todo(console, "county")
    shown = await console.get("county", page)
    assert shown.text.count('name="strike"') == 3
    await console.sign_in("office")
    office = await console.get("office", page)
    assert 'name="strike"' not in office.text
    assert "等待县政府审定" in office.text
    assert_forbidden(await post_as(console, "office", page))

    approved = await console.submit("county", page, page, {"strike": [C]})
    assert approved.status_code == 303, approved.text
    assert approved.headers["location"] == "/console/honors"
    assert await phase(api, year) == "announced"
    register = await console.get("county", "/console/honors")
    assert {f"{A}:quality:{year}", f"{B}:quality:{year}"} <= set(
        re.findall(r'data-honor="([^"]+)"', register.text)
    )
    assert f"{C}:innovation:{year}" not in register.text
    outcome = await console.get("office", page)
    assert "未获县政府批准" in outcome.text
    public = await console.get(None, "/portal/honors")
    assert f'data-honor="{A}:quality:{year}"' in public.text
    assert C not in public.text


async def test_a_tie_beyond_the_quota_asks_for_a_runoff_on_the_page(
    console: Console, api: Api
) -> None:
    year = await to_committee(api, rules={"quality": {"quota": 1}})  # A and B score alike
    page = f"/console/cycles/{year}/votes"
    await console.sign_in("secretary")
    tied = await console.submit(
        "secretary", page, f"{page}/quality", {"present": "9", **tallies([A, B], YES)}
    )
    assert tied.status_code == 303, tied.text
    runoff_page = tied.headers["location"]
    assert runoff_page == f"{page}#quality"  # the runoff is the cycle's state, not the URL
    shown = await console.get("secretary", page)
    assert "需要重新表决" in shown.text
    await console.sign_in("office")  # another browser, the plain address: the same runoff
    read = await console.get("office", page)
    assert "data-runoff" in read.text
    assert "需要重新表决" not in read.text
    assert "需要重新表决" in (await console.get("secretary", page)).text
    form = shown.text.split(f'action="{page}/quality"', 1)[1].split("</form>", 1)[0]
    assert {A, B} == set(re.findall(r'name="candidates" value="([^"]+)"', form))
    again = await console.submit(
        "secretary",
        runoff_page,
        f"{page}/quality",
        {"present": "9", **tallies([A], {**YES, "yes": "6"}), **tallies([B], {**YES, "yes": "5"})}
        | {"candidates": [A, B]},
    )
    assert again.status_code == 303, again.text
    assert again.headers["location"] == page
    assert "data-runoff" not in (await console.get("secretary", page)).text
    recorded = await console.get("secretary", page)
    assert "第1次重新表决" in recorded.text


def candidates_of(page: str, award: str) -> list[str]:
    """The credit codes of an award's candidates table (its section) on the votes page."""
    section = page.split(f'<section class="card" id="{award}">', 1)[1].split("</section>", 1)[0]
    return re.findall(r'data-candidate="([^"]+)"', section)


async def test_each_awards_candidates_page_on_their_own_and_a_vote_has_its_own_page(
    console: Console, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(committee, "CANDIDATES_PAGE_SIZE", 1)
    monkeypatch.setattr(committee, "VOTE_PAGE_SIZE", 1)
    year = await to_committee(api)
    page = f"/console/cycles/{year}/votes"
    await console.sign_in("secretary")
    first = await console.get("secretary", page)
    quality = candidates_of(first.text, "quality")
    assert len(quality) == 1
    assert candidates_of(first.text, "innovation") == [C]
    assert f'href="{page}?quality=2#quality"' in first.text
    form = first.text.split(f'action="{page}/quality"', 1)[1].split("</form>", 1)[0]
    assert {A, B} == set(re.findall(r'name="candidates" value="([^"]+)"', form))  # every one
    second = await console.get("secretary", f"{page}?quality=2&innovation=1")
    assert candidates_of(second.text, "quality") == [c for c in (A, B) if c not in quality]
    assert candidates_of(second.text, "innovation") == [C]
    assert f'href="{page}?innovation=1&amp;quality=1#quality"' in second.text
    assert candidates_of((await console.get("secretary", f"{page}?quality=7")).text, "quality")
    assert candidate_tallies(second.text, candidates_of(second.text, "quality")[0]) == ["—"] * 3

    voted = await console.submit(
        "secretary",
        page,
        f"{page}/quality",
        {"present": "9", **tallies([A], YES), **tallies([B], {**YES, "yes": "6"})}
        | {"candidates": [A, B]},
    )
    assert voted.status_code == 303, voted.text
    after = await console.get("secretary", f"{page}?quality=2")
    shown = candidates_of(after.text, "quality")[0]
    assert candidate_tallies(after.text, shown) == ["8" if shown == A else "6", "1", "0"]
    record = re.search(r'<tr data-vote="1">(.*?)</tr>', after.text, re.S)
    assert record is not None
    assert re.findall(r'<td class="num">([^<]*)</td>', record.group(1)) == ["9", "2"]
    one = f"{page}/quality/rounds/1"
    assert f'href="{one}"' in record.group(1)
    await console.sign_in("watch")  # the supervisor reads it too
    top = await console.get("watch", one)
    assert top.status_code == 200
    assert "第 1–1 项，共 2 项 · 第 1/2 页" in top.text
    bottom = await console.get("watch", f"{one}?page=2")
    assert vote_tallies(top.text) | vote_tallies(bottom.text) == {
        A: ["8", "1", "0"],
        B: ["6", "1", "0"],
    }
    assert list(vote_tallies(top.text)) == [min(A, B)]  # by credit code
    assert f'href="{one}?page=1"' in bottom.text
