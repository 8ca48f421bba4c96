"""The bootstrap office account owes a password change at first login (#13 item 15): the
console sends it to the change form from every page until it has chosen its own."""

from __future__ import annotations

import pytest

from qaward.settings import Settings
from tests.api.support import OFFICE
from tests.web.support import Console


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"bootstrap_password_change": True})


async def test_every_page_waits_for_the_first_password_change(console: Console) -> None:
    first = await console.sign_in(*OFFICE)
    assert first.headers["location"] == "/password"
    for path in ("/", "/console/cycles", "/console/cycles/2026"):
        sent = await console.get("office", path)
        assert (sent.status_code, sent.headers["location"]) == (303, "/password")
    page = await console.get("office", "/password")
    assert "首次登录须先修改密码" in page.text
    assert "评审周期" not in page.text  # no menu before the change

    mismatch = {
        "current_password": OFFICE[1],
        "new_password": "a-new-office-pw",
        "confirm_password": "typed-otherwise",
    }
    refused = await console.submit("office", "/password", "/password", mismatch)
    assert refused.status_code == 422
    assert "两次输入的新密码不一致" in refused.text

    wrong = {
        "current_password": "not-it",
        "new_password": "a-new-office-pw",
        "confirm_password": "a-new-office-pw",
    }
    refused = await console.submit("office", "/password", "/password", wrong)
    assert refused.status_code == 422
    assert "当前密码不正确" in refused.text

    good = {**wrong, "current_password": OFFICE[1]}
    changed = await console.submit("office", "/password", "/password", good)
    assert (changed.status_code, changed.headers["location"]) == (303, "/")
    home = await console.get("office", "/")
    assert home.status_code == 200
    assert "密码已修改" in home.text
