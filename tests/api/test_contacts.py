"""Contacts (联系方式, issue #15 item 1): validated, editable by the roles that should,
shown where staff read them."""

from __future__ import annotations

import pytest

from tests.api.mailroom import ORG_MAIL, REVIEWER_MAIL, USER_MAIL, give_contacts
from tests.api.support import Api
from tests.api.world import A, populate


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/reviewers/R1/contact", {"email": "r1＠example.com"}, "email"),
        ("/reviewers/R1/contact", {"email": "r1@example"}, "email"),
        ("/reviewers/R1/contact", {"phone": "12345"}, "phone"),
        (f"/organizations/{A}/contact", {"contact_phone": "0578-12"}, "contact_phone"),
        ("/auth/me/settings", {"email": "no-at-sign"}, "email"),
    ],
)
async def test_a_bad_contact_is_refused_in_chinese_and_changes_nothing(
    api: Api, path: str, body: dict[str, str], field: str
) -> None:
    await populate(api)
    response = await api.put("office", path, json=body, expect=422)
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["fields"][0]["field"] == field
    assert "格式不正确" in error["fields"][0]["message"]
    reviewer = (await api.get("office", "/reviewers/R1", expect=200)).json()
    org = (await api.get("office", f"/organizations/{A}", expect=200)).json()
    me = (await api.get("office", "/auth/me", expect=200)).json()
    assert reviewer["email"] is reviewer["phone"] is org["contact_phone"] is me["email"] is None


async def test_contacts_show_where_staff_read_them(api: Api) -> None:
    await populate(api)
    await give_contacts(api)
    org = (await api.get("office", f"/organizations/{A}", expect=200)).json()
    assert (org["contact_person"], org["contact_phone"], org["contact_email"]) == (
        "张三",
        "0578-6123456",
        ORG_MAIL[A],
    )
    own = (await api.get("org_a", f"/organizations/{A}", expect=200)).json()
    assert own["contact_email"] == ORG_MAIL[A]
    reviewer = (await api.get("rev1", "/reviewers/R1", expect=200)).json()
    assert (reviewer["email"], reviewer["phone"]) == (REVIEWER_MAIL["R1"], "13800138000")
    users = {u["username"]: u for u in (await api.get("watch", "/users", expect=200)).json()}
    assert users["secretary"]["email"] == USER_MAIL["secretary"]
    await api.put("office", "/users/county/email", json={"email": "Gov@Example.COM"}, expect=200)
    me = (await api.get("county", "/auth/me", expect=200)).json()
    assert me["email"] == "Gov@example.com"  # the domain is case-blind, the mailbox is not
