"""The console over the same app, database and workflows as the API tests (`tests.api`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from tests.api.conftest import (  # noqa: F401 -- fixtures shared with the API tests
    api,
    app,
    cheap_password_hashing,
    clock,
    http,
    settings,
)
from tests.web.support import Console


@pytest.fixture
async def console(app: FastAPI) -> AsyncIterator[Console]:  # noqa: F811
    async with Console(app) as browser:
        yield browser
