"""Role gates on the committee, publicity, approval and honors pages are the API's, and the
public portal shows only public data: the government's page is the government's, objections
with the objector's name are the office's, supervisor's and committee's only."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.support import Api
from tests.api.world import A, open_cycle, populate
from tests.web.support import Console, hidden_fields


async def post_as(console: Console, user: str, action: str, data: Any = None) -> httpx.Response:
    """A POST with the user's own valid CSRF token (from its logout form): refused only for
    the role, not for the token."""
    home = await console.get(user, "/")
    fields = hidden_fields(home.text, "/logout")
    return await console.client(user).post(action, data={**fields, **(data or {})})


def assert_forbidden(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    assert "无权执行此操作" in response.text


@pytest.mark.parametrize(
    ("user", "path"),
    [
        ("org_a", "/console/cycles/{year}/votes"),
        ("rev1", "/console/cycles/{year}/votes"),
        ("county", "/console/cycles/{year}/publicity"),
        ("org_a", "/console/cycles/{year}/publicity"),
        ("rev1", "/console/cycles/{year}/objections/1"),
        ("org_a", "/console/cycles/{year}/approval"),
        ("rev1", "/console/honors"),
    ],
)
async def test_a_second_half_page_refuses_a_role_the_api_refuses(
    console: Console, api: Api, user: str, path: str
) -> None:
    await populate(api)
    year = await open_cycle(api)
    await console.sign_in(user)
    assert_forbidden(await console.get(user, path.format(year=year)))


@pytest.mark.parametrize(
    ("user", "action"),
    [
        ("office", "/console/cycles/{year}/votes/quality"),
        ("county", "/console/cycles/{year}/votes/innovation"),
        ("secretary", "/console/cycles/{year}/approval"),
        ("office", "/console/cycles/{year}/approval"),
        ("secretary", "/console/cycles/{year}/objections/1/investigation"),
        ("office", "/console/cycles/{year}/objections/1/decision"),
        ("office", "/console/honors/1/revocation-approval"),
        ("county", "/console/honors/1/fraud-reports"),
        ("org_a", "/console/honors/historical"),
    ],
)
async def test_a_second_half_post_by_a_role_the_api_refuses_is_refused(
    console: Console, api: Api, user: str, action: str
) -> None:
    await populate(api)
    year = await open_cycle(api)
    await console.sign_in(user)
    assert_forbidden(await post_as(console, user, action.format(year=year)))


async def test_the_portal_needs_no_sign_in_and_shows_only_public_data(
    console: Console, api: Api
) -> None:
    await populate(api)
    await open_cycle(api)
    home = await console.get(None, "/portal")
    assert home.status_code == 200
    assert 'data-notice="call_for_applications"' in home.text
    assert "目前没有公示中的拟授奖名单" in home.text
    for path in ("/portal/publicity", "/portal/honors", "/portal/objection"):
        page = await console.get(None, path)
        assert page.status_code == 200, path
        assert "退出" not in page.text  # no one is signed in
    closed = await console.client(None).post(
        "/portal/objection",
        data={"credit_code": A, "name": "李某", "contact": "1", "content": "x", "once_key": "k1"},
    )
    assert closed.status_code == 422
    assert "不在公示期内" in closed.text
    assert "§4(5)" in closed.text
    # Console pages still want a session.
    redirected = await console.get(None, "/console/honors")
    assert redirected.status_code == 303
    assert redirected.headers["location"].startswith("/login")


async def test_the_government_is_offered_no_link_it_may_not_follow(
    console: Console, api: Api
) -> None:
    await populate(api)
    year = await open_cycle(api)
    await console.sign_in("county")
    for path in (f"/console/cycles/{year}/approval", f"/console/cycles/{year}/votes"):
        page = await console.get("county", path)
        assert page.status_code == 200, path
        assert f"/console/cycles/{year}/publicity" not in page.text
    overview = await console.get("county", f"/console/cycles/{year}")
    assert f"/console/cycles/{year}/approval" in overview.text
    assert f"/console/cycles/{year}/publicity" not in overview.text
