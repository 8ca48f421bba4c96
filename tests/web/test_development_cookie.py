"""In development (plain http on a laptop) the session cookie is not Secure, else the
browser would never send it back; everywhere else it is (`test_session.py`)."""

from __future__ import annotations

import pytest

from qaward.settings import Settings
from tests.web.support import Console


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"environment": "development"})


async def test_the_development_session_cookie_is_httponly_and_lax_but_not_secure(
    console: Console,
) -> None:
    response = await console.sign_in("office")
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("qaward_session=")
    ).lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie
