"""Accounts: bootstrap office, login and lockout, token expiry, passwords, user admin."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi import FastAPI

from api.app import startup
from tests.api.support import PASSWORD, Api, error_code
from tests.api.world import A, populate


async def login(
    api: Api, username: str, password: str, client: str | None = None
) -> tuple[int, str]:
    """One attempt, from `client` (through the trusted test proxy) when named."""
    headers = {"X-Forwarded-For": client} if client else {}
    body = {"username": username, "password": password}
    response = await api.http.post("/auth/login", json=body, headers=headers)
    code = error_code(response) if response.status_code >= 400 else ""
    return response.status_code, code


async def test_first_office_account_comes_from_settings_once(api: Api, app: FastAPI) -> None:
    await startup(app)  # a second start (restart) adds nothing
    users = (await api.get("office", "/users", expect=200)).json()
    assert [(u["username"], u["role"]) for u in users] == [("office", "office")]
    me = (await api.get("office", "/auth/me", expect=200)).json()
    assert me["role"] == "office"


async def test_wrong_password_and_unknown_user_are_the_same_refusal(api: Api) -> None:
    assert await login(api, "office", "wrong-password") == (401, "invalid_credentials")
    assert await login(api, "nobody", "wrong-password") == (401, "invalid_credentials")


async def test_account_locks_after_repeated_failures_until_the_lockout_ends(api: Api) -> None:
    """Six failures (the account limit) from three addresses, two each (under theirs)."""
    for n in range(5):
        client = f"198.51.100.{n // 2}"
        assert await login(api, "office", f"wrong-{n}", client) == (401, "invalid_credentials")
    assert await login(api, "office", "wrong-5", "198.51.100.2") == (423, "account_locked")
    assert await login(api, "office", "office-password", "198.51.100.9") == (423, "account_locked")
    locked = await api.http.post(
        "/auth/login", json={"username": "office", "password": "office-password"}
    )
    assert re.search(
        r"锁定至\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", locked.json()["error"]["message"]
    )

    await api.clock.advance(timedelta(minutes=16))
    assert await login(api, "office", "office-password", "198.51.100.9") == (200, "")


async def test_a_success_resets_the_failure_count(api: Api) -> None:
    for n in range(4):
        await login(api, "office", "wrong", f"198.51.100.{n}")
    assert await login(api, "office", "office-password") == (200, "")
    for n in range(5):
        client = f"203.0.113.{n}"
        assert await login(api, "office", "wrong", client) == (401, "invalid_credentials")
    assert await login(api, "office", "office-password") == (200, "")


async def test_tokens_expire_after_their_lifetime(api: Api) -> None:
    headers = await api.as_("office")
    assert (await api.http.get("/auth/me", headers=headers)).status_code == 200
    await api.clock.advance(timedelta(minutes=61))
    response = await api.http.get("/auth/me", headers=headers)
    assert response.status_code == 401
    assert error_code(response) == "not_authenticated"
    assert response.headers["www-authenticate"] == "Bearer"


async def test_garbage_and_missing_tokens_are_not_authenticated(api: Api) -> None:
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic eDp5"}):
        response = await api.http.get("/auth/me", headers=headers)
        assert response.status_code == 401
        assert error_code(response) == "not_authenticated"


async def test_logout_ends_the_token(api: Api) -> None:
    headers = await api.as_("office")
    await api.http.post("/auth/logout", headers=headers)
    assert (await api.http.get("/auth/me", headers=headers)).status_code == 401


async def test_password_change_needs_the_current_one_and_signs_out_elsewhere(api: Api) -> None:
    elsewhere = {"Authorization": f"Bearer {await api.login('office')}"}
    here = {"Authorization": f"Bearer {await api.login('office')}"}
    wrong = {"current_password": "not-it", "new_password": "brand-new-pass"}
    response = await api.http.post("/auth/password", headers=here, json=wrong)
    assert (response.status_code, error_code(response)) == (401, "invalid_credentials")
    short = {"current_password": "office-password", "new_password": "short"}
    response = await api.http.post("/auth/password", headers=here, json=short)
    assert (response.status_code, error_code(response)) == (422, "invalid_input")

    good = {"current_password": "office-password", "new_password": "brand-new-pass"}
    assert (await api.http.post("/auth/password", headers=here, json=good)).status_code == 200
    assert (await api.http.get("/auth/me", headers=here)).status_code == 200
    assert (await api.http.get("/auth/me", headers=elsewhere)).status_code == 401
    assert await login(api, "office", "office-password") == (401, "invalid_credentials")
    assert await login(api, "office", "brand-new-pass") == (200, "")


async def test_office_creates_linked_accounts_and_refuses_bad_links(api: Api) -> None:
    await populate(api)
    me = (await api.get("rev1", "/auth/me", expect=200)).json()
    assert (me["role"], me["reviewer_code"]) == ("reviewer", "R1")
    me = (await api.get("org_a", "/auth/me", expect=200)).json()
    assert (me["role"], me["credit_code"]) == ("applicant", A)

    def user(**extra: str) -> dict[str, str]:
        return {"username": "newbie", "password": PASSWORD, **extra}

    cases = [
        (user(role="reviewer"), 422, "invalid_input"),
        (user(role="reviewer", reviewer_code="R99"), 404, "unknown_reviewer"),
        (user(role="applicant", credit_code="91331126MA0000001X"), 422, "invalid_credit_code"),
        (user(role="applicant", credit_code="12345"), 422, "invalid_credit_code"),
        (user(role="office", reviewer_code="R1"), 422, "invalid_input"),
        (user(role="emperor"), 422, "invalid_input"),
        ({"username": "rev1", "password": PASSWORD, "role": "office"}, 409, "already_exists"),
        ({"username": "x y", "password": PASSWORD, "role": "office"}, 422, "invalid_input"),
        ({"username": "short", "password": "1234", "role": "office"}, 422, "invalid_input"),
    ]
    for body, status, code in cases:
        response = await api.post("office", "/users", json=body)
        assert (response.status_code, error_code(response)) == (status, code), body
    names = [u["username"] for u in (await api.get("office", "/users", expect=200)).json()]
    assert "newbie" not in names
    assert "short" not in names


async def test_unknown_registered_organization_is_refused_for_applicant_accounts(api: Api) -> None:
    from tests.api.support import credit_code

    body = {
        "username": "ghost",
        "password": PASSWORD,
        "role": "applicant",
        "credit_code": credit_code(77),
    }
    response = await api.post("office", "/users", json=body)
    assert (response.status_code, error_code(response)) == (404, "unknown_organization")


async def test_office_reset_lifts_a_lockout(api: Api) -> None:
    await populate(api)
    for n in range(6):
        await login(api, "rev1", f"wrong-{n}", f"198.51.100.{n}")
    assert await login(api, "rev1", PASSWORD, "198.51.100.9") == (423, "account_locked")
    await api.post(
        "office", "/users/rev1/password-reset", json={"new_password": "fresh-password"}, expect=200
    )
    assert await login(api, "rev1", "fresh-password", "198.51.100.9") == (200, "")
    response = await api.post(
        "office", "/users/nobody/password-reset", json={"new_password": "fresh-password"}
    )
    assert (response.status_code, error_code(response)) == (404, "not_found")


async def test_the_office_cannot_reset_its_own_password_without_the_current_one(api: Api) -> None:
    """#12 item 9: a stolen office token alone does not take the account over."""
    await populate(api)
    own = await api.post("office", "/users/office/password-reset", json={"new_password": "x" * 12})
    assert (own.status_code, error_code(own)) == (403, "forbidden")


async def test_office_deactivates_and_reactivates_an_account(api: Api) -> None:
    await populate(api)
    old = await api.as_("rev1")
    await api.get("rev1", "/auth/me", expect=200)

    shown = (await api.post("office", "/users/rev1/deactivate", expect=200)).json()
    assert shown["active"] is False
    stale = await api.http.get("/auth/me", headers=old)  # the token ended with the account
    assert (stale.status_code, error_code(stale)) == (401, "not_authenticated")
    assert await login(api, "rev1", PASSWORD) == (401, "invalid_credentials")
    listed = {u["username"]: u["active"] for u in (await api.get("office", "/users")).json()}
    assert listed["rev1"] is False

    assert (await api.post("office", "/users/rev1/reactivate", expect=200)).json()["active"]
    assert await login(api, "rev1", PASSWORD) == (200, "")

    refused = [
        (await api.post("office", "/users/office/deactivate"), 422, "invalid_input"),
        (await api.post("office", "/users/nobody/deactivate"), 404, "not_found"),
        (await api.post("watch", "/users/rev1/deactivate"), 403, "forbidden"),
    ]
    for response, status, code in refused:
        assert (response.status_code, error_code(response)) == (status, code)
    audit = (await api.get("watch", "/audit?limit=50", expect=200)).json()
    done = [(e["path"], e["status"]) for e in audit if e["actor"] == "office"]
    assert ("/users/rev1/deactivate", 200) in done
    assert ("/users/rev1/reactivate", 200) in done


async def test_the_bootstrap_account_is_not_forced_to_change_its_password_in_test(
    api: Api,
) -> None:
    answer = await api.http.post(
        "/auth/login", json={"username": "office", "password": "office-password"}
    )
    assert answer.json()["must_change_password"] is False
    await api.get("office", "/users", expect=200)
