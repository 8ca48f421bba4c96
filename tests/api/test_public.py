"""The public side (社会公众): notices, publicity list, honors register and the real-name
objection form, rate-limited per client address and open only during publicity (§4(5))."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI

from tests.api.support import Api, error_code
from tests.api.world import OUTSIDER, A, B, C, populate, to_publicity, wait_phase

OBJECTION = {"credit_code": B, "name": "李某", "contact": "13800000000", "content": "存疑"}


async def test_nothing_published_yet(api: Api) -> None:
    await populate(api)
    assert (await api.get(None, "/public/honors", expect=200)).json() == []
    assert (await api.get(None, "/public/notices", expect=200)).json() == []
    missing = await api.get(None, "/public/publicity")
    assert (missing.status_code, error_code(missing)) == (404, "not_found")
    page = await api.get(None, "/public/objection", expect=200)
    assert page.headers["content-type"].startswith("text/html")
    assert "暂不受理异议" in page.text
    refused = await api.post(None, "/public/objections", json=OBJECTION)
    assert (refused.status_code, error_code(refused)) == (404, "not_found")


async def test_objections_need_a_real_name_a_listed_organization_and_open_publicity(
    api: Api, app: FastAPI
) -> None:
    year = await to_publicity(api)
    listed = (await api.get(None, "/public/publicity", expect=200)).json()
    assert (listed["year"], listed["phase"]) == (year, "publicity")
    assert {o["credit_code"] for o in listed["organizations"]} == {A, B, C}

    refusals = [
        (OBJECTION | {"name": " "}, 422, "invalid_objection"),
        (OBJECTION | {"contact": ""}, 422, "invalid_objection"),
        (OBJECTION | {"credit_code": OUTSIDER}, 422, "unknown_candidate"),
        ({"credit_code": B}, 422, "invalid_input"),
    ]
    for body, status, code in refusals:
        response = await api.post(None, "/public/objections", json=body)
        assert (response.status_code, error_code(response)) == (status, code), body
    assert (await api.get("office", f"/cycles/{year}/objections", expect=200)).json() == []

    # A second address, so the first one's refusals do not use up the hourly quota.
    other = httpx.ASGITransport(app=app, client=("10.0.0.2", 5000))
    async with httpx.AsyncClient(transport=other, base_url="http://testserver") as public:
        page = await public.get("/public/objection")
        assert "拟授奖名单正在公示" in page.text
        assert B in page.text
        form = {
            "year": str(year),
            "credit_code": B,
            "name": "王某",
            "contact": "wang@example.cn",
            "content": "情况反映",
        }
        accepted = await public.post("/public/objection", data=form)
        assert accepted.status_code == 201
        assert "受理编号" in accepted.text
        nameless = await public.post("/public/objection", data=form | {"name": ""})
        assert nameless.status_code == 422
        assert "真实姓名" in nameless.text
    objections = (await api.get("secretary", f"/cycles/{year}/objections", expect=200)).json()
    assert [(o["number"], o["name"], o["credit_code"]) for o in objections] == [(1, "王某", B)]

    await api.clock.advance(timedelta(days=8))
    late = await api.post(None, "/public/objections", json=OBJECTION)
    assert (late.status_code, error_code(late)) == (409, "publicity_closed")
    await api.post(
        "office",
        f"/cycles/{year}/objections/1/investigation",
        json={"finding": "substantiated", "report": "部分属实"},
        expect=200,
    )
    await api.post(
        "secretary",
        f"/cycles/{year}/committee-decisions",
        json={"credit_code": B, "remove": True},
        expect=200,
    )
    await wait_phase(api, year, "approval")
    listed = (await api.get(None, "/public/publicity", expect=200)).json()
    assert {o["credit_code"] for o in listed["organizations"]} == {A, C}


async def test_objections_are_rate_limited_per_client_address(api: Api, app: FastAPI) -> None:
    year = await to_publicity(api)
    for n in range(5):
        await api.post(
            None, "/public/objections", json=OBJECTION | {"content": f"第{n}条"}, expect=201
        )
    limited = await api.post(None, "/public/objections", json=OBJECTION)
    assert (limited.status_code, error_code(limited)) == (429, "rate_limited")
    form = await api.post(None, "/public/objection", data=OBJECTION)
    assert form.status_code == 429
    assert "次数" in form.text

    other = httpx.ASGITransport(app=app, client=("10.0.0.3", 5000))
    async with httpx.AsyncClient(transport=other, base_url="http://testserver") as public:
        assert (await public.post("/public/objections", json=OBJECTION)).status_code == 201

    await api.clock.advance(timedelta(minutes=61))
    await api.post(None, "/public/objections", json=OBJECTION, expect=201)
    count = len((await api.get("office", f"/cycles/{year}/objections", expect=200)).json())
    assert count == 7
