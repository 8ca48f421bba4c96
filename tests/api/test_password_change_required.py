"""The bootstrap office account must change its password before anything else when the
setting says so (the default outside development and test; issue #13 item 15)."""

from __future__ import annotations

import pytest

from qaward.settings import Settings
from tests.api.support import OFFICE, Api, error_code


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"bootstrap_password_change": True})


async def test_every_endpoint_but_password_change_and_logout_waits_for_the_new_password(
    api: Api,
) -> None:
    answer = await api.http.post("/auth/login", json={"username": OFFICE[0], "password": OFFICE[1]})
    assert answer.status_code == 200
    assert answer.json()["must_change_password"] is True
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}

    for method, path in [("GET", "/users"), ("GET", "/auth/me"), ("POST", "/organizations")]:
        refused = await api.http.request(method, path, headers=headers, json={})
        assert (refused.status_code, error_code(refused)) == (403, "password_change_required")
        assert "修改密码" in refused.json()["error"]["message"]

    change = {"current_password": OFFICE[1], "new_password": "a-new-office-password"}
    assert (await api.http.post("/auth/password", json=change, headers=headers)).status_code == 200
    assert (await api.http.get("/users", headers=headers)).status_code == 200
    me = (await api.http.get("/auth/me", headers=headers)).json()
    assert me["must_change_password"] is False
    assert (await api.http.post("/auth/logout", headers=headers)).status_code == 200


async def test_logout_is_allowed_before_the_change(api: Api) -> None:
    answer = await api.http.post("/auth/login", json={"username": OFFICE[0], "password": OFFICE[1]})
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    assert (await api.http.post("/auth/logout", headers=headers)).status_code == 200
    gone = await api.http.get("/users", headers=headers)
    assert (gone.status_code, error_code(gone)) == (401, "not_authenticated")
