"""A bounded schemathesis pass over the OpenAPI document: generated requests — anonymous
and as the office, a few per operation — against the real app, database and workflows.

Checked: no answer is a 5xx; every 4xx carries the service's error body; every JSON body,
success or refusal, matches its documented schema (the document lists the error body for
401/403/404/409/422…, `api.openapi`). Not checked: status-code conformance.

Cases are drawn with Hypothesis from each operation's strategy (`as_strategy`), not by
schemathesis' runner, so its coverage phase (which crashes under Python 3.11.7 on some
versions) never runs; schemathesis is pinned at 4.32.5.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import Case
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.openapi import from_dict
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.support import Api
from tests.api.world import populate

EXAMPLES = 3
BUDGET_SECONDS = 60


def _draw(strategy: st.SearchStrategy[Case[Any]], n: int) -> list[Case[Any]]:
    drawn: list[Case[Any]] = []

    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(case: Case[Any]) -> None:
        drawn.append(case)

    collect()
    return drawn[:n]


def _request(case: Case[Any], headers: dict[str, str]) -> dict[str, Any]:
    kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
    allowed = {"method", "url", "params", "headers", "json", "content", "data", "files"}
    kept = {k: v for k, v in kwargs.items() if k in allowed}
    if "files" in kept:  # generated "binary" parts may be numbers: send their text as the file
        items = kept["files"].items() if isinstance(kept["files"], dict) else kept["files"]
        kept["files"] = [(name, _file(value)) for name, value in items]
    return kept


def _file(value: object) -> object:
    if isinstance(value, bytes | str):
        return value
    if isinstance(value, tuple) and len(value) >= 2:
        name, content, *rest = value
        if not isinstance(content, bytes | str):
            content = str(content).encode()
        return (str(name), content, *rest)
    return ("generated.pdf", str(value).encode(), "application/pdf")


async def test_generated_requests_never_crash_and_keep_their_contract(
    api: Api, app: FastAPI
) -> None:
    await populate(api)
    schema = from_dict(app.openapi())
    office = await api.as_("office")
    started = time.monotonic()
    problems: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an Err raises: schema is ours
        for case in _draw(operation.as_strategy(), EXAMPLES):
            for headers in ({}, office):
                request = api.http.build_request(**_request(case, headers))
                await request.aread()  # multipart bodies stream; the checks read them again
                response = await api.http.send(request)
                where = f"{case.method} {case.formatted_path} -> {response.status_code}"
                if (case.path, response.status_code) == ("/health/ready", 503):
                    continue  # the time-skipping server lists no pollers: not ready, by design
                try:
                    checks: list[CheckFunction] = [not_a_server_error]
                    if "json" in response.headers.get("content-type", ""):
                        checks.append(response_schema_conformance)
                    case.validate_response(response, checks=checks)
                except AssertionError as err:
                    problems.append(f"{where}: {str(err)[:300]}")
                    continue
                if 400 <= response.status_code < 500 and response.headers.get(
                    "content-type", ""
                ).startswith("application/json"):
                    body = response.json()
                    if set(body) != {"error"} or set(body["error"]) - {"fields"} != {
                        "code",
                        "message",
                        "rule",
                    }:
                        problems.append(f"{where}: not the error body: {response.text[:200]}")
        assert time.monotonic() - started < BUDGET_SECONDS * 2, "schema pass over its budget"
    assert problems == []
