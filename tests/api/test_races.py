"""Concurrent creates of one record answer 409 with the error body, never 500 (issue #12);
a workflow started twice (an honor registered again) answers 409 too."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest

from tests.api.support import PASSWORD, Api, error_code, organization
from tests.api.world import A, populate

CONFLICTS = {"already_exists", "cycle_exists", "invalid_input"}
"""The loser of a race hears the constraint (`already_exists`); one that arrives after the
winner committed hears the service's own check."""


async def burst(api: Api, path: str, body: dict[str, Any], n: int = 10) -> Counter[int]:
    headers = await api.as_("office")
    answers = await asyncio.gather(
        *(api.http.post(path, json=body, headers=headers) for _ in range(n))
    )
    for response in answers:
        if response.status_code != 201:
            assert response.status_code in (409, 422), response.text
            assert error_code(response) in CONFLICTS
    return Counter(r.status_code for r in answers)


async def test_ten_concurrent_creates_of_one_user_make_one(api: Api) -> None:
    body = {"username": "twin", "password": PASSWORD, "role": "office"}
    counted = await burst(api, "/users", body)
    assert counted[201] == 1, counted


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/organizations", organization(42)),
        ("/reviewers", {"code": "R42", "name": "评审员R42", "industries": ["manufacturing"]}),
    ],
)
async def test_ten_concurrent_registrations_make_one_record(
    api: Api, path: str, body: dict[str, Any]
) -> None:
    """Registering again updates (201 each time); a racing insert answers 409, not 500."""
    counted = await burst(api, path, body)
    assert counted[201] >= 1, counted
    assert len((await api.get("office", path, expect=200)).json()) == 1


async def test_ten_concurrent_cycles_for_one_year_make_one(api: Api) -> None:
    deadline = (api.clock.today() + timedelta(days=5)).isoformat()
    body = {"year": api.clock.today().year, "application_deadline": deadline}
    counted = await burst(api, "/cycles", body)
    assert counted[201] == 1, counted
    cycles = (await api.get("office", "/cycles", expect=200)).json()
    assert len(cycles) == 1


async def test_a_historical_honor_registered_twice_is_a_conflict(api: Api) -> None:
    await populate(api)
    body = {"credit_code": A, "award": "quality", "year": 2020, "awarded_on": "2021-01-01"}
    await api.post("office", "/honors/historical", json=body, expect=201)
    again = await api.post("office", "/honors/historical", json=body)
    assert (again.status_code, error_code(again)) == (409, "already_exists")
