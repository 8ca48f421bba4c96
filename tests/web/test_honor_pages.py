"""Honors in the console (§5, §6): the register with every date, an honor's page, a fraud
report by the office and the government's revocation approval; an applicant sees only its
own honors, the public portal only honors in force with their award year (§6(5))."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.api.support import Api, eventually
from tests.api.world import A, B, populate
from tests.web.support import Console
from tests.web.test_cycle_pages import todo
from tests.web.test_second_half_access import assert_forbidden, post_as


async def _historical(console: Console, api: Api) -> int:
    """Two honors won 400 days ago, registered by the office in the register's form."""
    await populate(api)
    awarded_on = api.clock.today() - timedelta(days=400)
    await console.sign_in("office")
    for code in (A, B):
        data = {
            "credit_code": code.lower(),
            "award": "quality",
            "year": str(awarded_on.year),
            "awarded_on": awarded_on.isoformat(),
        }
        done = await console.submit("office", "/console/honors", "/console/honors/historical", data)
        assert done.status_code == 303, done.text
    return awarded_on.year


async def honor_link(console: Console, user: str, code: str) -> str:
    page = await console.get(user, "/console/honors")
    row = re.search(
        rf'data-honor="{code}:quality:\d+"><td><a href="(/console/honors/\d+)"', page.text
    )
    assert row is not None, page.text
    return row.group(1)


async def test_fraud_reported_and_the_revocation_approved_through_the_pages(
    console: Console, api: Api
) -> None:
    year = await _historical(console, api)
    refused = await console.submit(
        "office",
        "/console/honors",
        "/console/honors/historical",
        {"credit_code": "NOT-A-CODE", "award": "quality", "year": str(year), "awarded_on": ""},
    )
    assert refused.status_code == 422
    assert 'value="NOT-A-CODE"' in refused.text  # kept as typed
    assert 'id="awarded_on-error"' in refused.text

    link = await honor_link(console, "office", A)
    shown = await console.get("office", link)
    assert "可撤销期限" in shown.text
    assert "可再次申请" in shown.text
    assert "持续开展卓越绩效管理的年度报告" in shown.text
    assert f"{year + 1}" in shown.text  # the first anniversary's report
    reported = await console.submit(
        "office", link, f"{link}/fraud-reports", {"note": "申报材料造假"}
    )
    assert reported.status_code == 303, reported.text

    await console.sign_in("county")
    honor_id = link.rsplit("/", 1)[1]

    async def pending() -> bool:
        return f"revoke:{honor_id}" in await todo(console, "county")

    await eventually(pending)
    assert "审批撤销" in (await console.get("county", link)).text
    assert_forbidden(await post_as(console, "office", f"{link}/revocation-approval"))
    approved = await console.submit("county", link, f"{link}/revocation-approval")
    assert approved.status_code == 303, approved.text

    async def revoked() -> bool:
        page = await console.get("county", link)
        return "data-status>已撤销" in page.text

    await eventually(revoked)
    assert f"revoke:{honor_id}" not in await todo(console, "county")
    public = await console.get(None, "/portal/honors")
    assert f'data-honor="{B}:quality:{year}"' in public.text
    assert A not in public.text  # revoked: no longer in the public register


async def test_an_applicant_sees_only_its_own_honors(console: Console, api: Api) -> None:
    await _historical(console, api)
    other = await honor_link(console, "office", A)
    await console.sign_in("org_b")
    register = await console.get("org_b", "/console/honors")
    assert register.status_code == 200
    assert B in register.text
    assert A not in register.text
    assert (await console.get("org_b", other)).status_code == 404
    own = await honor_link(console, "org_b", B)
    page = await console.get("org_b", own)
    assert page.status_code == 200
    assert "/fraud-reports" not in page.text  # the office's forms are not the applicant's
    assert_forbidden(await post_as(console, "org_b", f"{own}/fraud-reports"))


async def test_an_incident_within_two_years_is_proposed_for_revocation(
    console: Console, api: Api
) -> None:
    await _historical(console, api)
    link = await honor_link(console, "office", B)
    page = await console.get("office", link)
    first = page.text.index('value="major_accident"')
    assert first < page.text.index('value="failed_inspection"')  # §6(6)'s accidents first
    undated = await console.submit("office", link, f"{link}/incidents", {"occurred_on": ""})
    assert undated.status_code == 422
    assert 'id="occurred_on-error"' in undated.text
    occurred = (api.clock.today() - timedelta(days=10)).isoformat()
    reported = await console.submit(
        "office",
        link,
        f"{link}/incidents",
        {"occurred_on": occurred, "kind": "major_accident", "major_adverse_impact": "on"},
    )
    assert reported.status_code == 303, reported.text
    await console.sign_in("county")
    honor_id = link.rsplit("/", 1)[1]

    async def proposed() -> bool:
        return f"revoke:{honor_id}" in await todo(console, "county")

    await eventually(proposed)
    shown = await console.get("county", link)
    assert "重大事故，§6(6)" in shown.text
