"""Signing in to the console: cookie flags, CSRF, logout and the first-login change."""

from __future__ import annotations

import httpx

from tests.web.support import Console, hidden_fields


def _set_cookie(response: httpx.Response, name: str) -> str:
    found = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert found, response.headers
    return found[0]


async def test_signing_in_sets_an_httponly_lax_secure_session_cookie(console: Console) -> None:
    response = await console.sign_in("office")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = _set_cookie(response, "qaward_session").lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" in cookie
    home = await console.get("office", "/")
    assert home.status_code == 200
    assert "我的待办" in home.text


async def test_a_page_without_a_session_sends_to_the_sign_in_form(console: Console) -> None:
    response = await console.get(None, "/console/cycles")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/console/cycles"


async def test_a_wrong_password_is_refused_in_chinese_and_keeps_the_username(
    console: Console,
) -> None:
    response = await console.sign_in("office", "wrong-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert 'value="office"' in response.text
    assert "qaward_session" not in response.headers.get("set-cookie", "")


async def test_a_post_without_the_session_csrf_token_is_refused(console: Console) -> None:
    await console.sign_in("office")
    client = console.client("office")
    page = await client.get("/password")
    fields = hidden_fields(page.text, "/password")
    body = {
        "current_password": "office-password",
        "new_password": "another-password",
        "confirm_password": "another-password",
    }
    forged = await client.post("/password", data={**body, "csrf_token": "forged"})
    assert forged.status_code == 403
    assert "CSRF" in forged.text
    missing = await client.post("/password", data=body)
    assert missing.status_code == 403
    # The refusal changed nothing: the old password still signs in.
    assert (await Console(console.app).sign_in("office")).status_code == 303
    done = await client.post("/password", data={**body, **fields})
    assert done.status_code == 303


async def test_the_login_form_needs_its_own_token(console: Console) -> None:
    client = console.client("office")
    response = await client.post(
        "/login", data={"username": "office", "password": "office-password"}
    )
    assert response.status_code == 403
    for token in ("", "-"):  # nor is a made-up token enough without its cookie
        forged = await client.post(
            "/login",
            data={"username": "office", "password": "office-password", "csrf_token": token},
        )
        assert forged.status_code == 403


async def test_logout_ends_the_session(console: Console) -> None:
    await console.sign_in("office")
    out = await console.submit("office", "/", "/logout")
    assert out.status_code == 303
    assert out.headers["location"] == "/login"
    again = await console.client("office").get("/")
    assert again.status_code == 303
