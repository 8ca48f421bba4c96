"""Private data is sealed in Temporal (issue #17, item 2): an objector's name and contact
never appear in a raw workflow history, and the office reads them back only through the
codec endpoint the Temporal UI uses (``/codec/decode``), from the UI's origin."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
from fastapi import FastAPI
from google.protobuf.json_format import MessageToDict, ParseDict
from google.protobuf.message import Message
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.common.v1 import Payload, Payloads, WorkflowExecution
from temporalio.api.workflowservice.v1 import GetWorkflowExecutionHistoryRequest
from temporalio.testing import WorkflowEnvironment

from api.routers.codec import COOKIE
from db.models import Cycle
from qaward.settings import Settings
from tests.api.support import Api, error_code
from tests.api.world import B, to_publicity

NAME = "欧阳明远"
CONTACT = "ouyang.mingyuan@example.cn"


def _payloads(message: Message) -> Iterator[Payload]:
    """Every payload anywhere in a history event, however deep."""
    if isinstance(message, Payload):
        yield message
        return
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            items = list(value.values())
        elif field.is_repeated:
            items = list(value)
        else:
            items = [value]
        for item in items:
            if isinstance(item, Message):
                yield from _payloads(item)


async def _raw_history(env: WorkflowEnvironment, workflow_id: str) -> list[Payload]:
    """The history as Temporal stores it: a plain gRPC call, no data converter, no codec."""
    response = await env.client.workflow_service.get_workflow_execution_history(
        GetWorkflowExecutionHistoryRequest(
            namespace=env.client.namespace, execution=WorkflowExecution(workflow_id=workflow_id)
        )
    )
    return [p for event in response.history.events for p in _payloads(event)]


async def _file_objection(api: Api, year: int) -> None:
    body = {"year": year, "credit_code": B, "name": NAME, "contact": CONTACT, "content": "情况反映"}
    await api.post(None, "/public/objections", json=body, expect=201)


async def test_raw_history_holds_no_plaintext_name_and_the_codec_reads_it_back(
    api: Api,
    time_skipping_env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    year = await to_publicity(api)
    await _file_objection(api, year)
    async with sessions() as session:
        workflow_id = await session.scalar(select(Cycle.workflow_id).where(Cycle.year == year))
    assert workflow_id is not None

    raw = await _raw_history(time_skipping_env, workflow_id)
    stored = b"".join(p.SerializeToString() for p in raw)
    assert raw
    assert NAME.encode() not in stored
    assert CONTACT.encode() not in stored
    # Sealed, except the SDK's own bookkeeping: local activities' markers (id, type, attempt
    # and times; the activity's result beside it is sealed) and patch markers (the patch's
    # name, in the marker and in the search attribute listing the patches used).
    sdk = [json.loads(p.data) for p in raw if p.metadata["encoding"] != b"binary/encrypted"]

    def bookkeeping(p: object) -> bool:
        if isinstance(p, list):  # TemporalChangeVersion: the patches' names
            return all(isinstance(name, str) for name in p)
        return isinstance(p, dict) and (
            set(p) >= {"activity_type", "attempt", "complete_time"}
            or set(p) == {"id", "deprecated"}
        )

    assert all(bookkeeping(p) for p in sdk), sdk
    assert len(sdk) < len(raw)

    body = MessageToDict(Payloads(payloads=raw))
    for reader in ("office", "watch"):
        decoded = await api.post(reader, "/codec/decode", json=body, expect=200)
        opened = b"".join(p.data for p in ParseDict(decoded.json(), Payloads()).payloads)
        assert NAME.encode() in opened, reader
        assert CONTACT.encode() in opened, reader
    for outsider in ("secretary", "org_a"):
        refused = await api.post(outsider, "/codec/decode", json=body)
        assert (refused.status_code, error_code(refused)) == (403, "forbidden")
    anonymous = await api.post(None, "/codec/decode", json=body)
    assert (anonymous.status_code, error_code(anonymous)) == (401, "not_authenticated")


async def test_a_payload_round_trips_and_bad_bodies_are_refused_with_a_code(api: Api) -> None:
    plain = Payloads(payloads=[Payload(metadata={"encoding": b"json/plain"}, data=b'"x"')])
    sealed = await api.post("office", "/codec/encode", json=MessageToDict(plain), expect=200)
    assert NAME not in sealed.text
    opened = await api.post("office", "/codec/decode", json=sealed.json(), expect=200)
    assert ParseDict(opened.json(), Payloads()) == plain

    for bad in ({"payloads": "nope"}, {"payloads": [{"metadata": 5}]}):
        refused = await api.post("office", "/codec/decode", json=bad)
        assert (refused.status_code, error_code(refused)) == (422, "invalid_input"), bad
    forged = sealed.json()
    forged["payloads"][0]["data"] = forged["payloads"][0]["data"][:-4] + "AAAA"
    refused = await api.post("office", "/codec/decode", json=forged)
    assert (refused.status_code, error_code(refused)) == (422, "invalid_input")
    assert "无法解密" in refused.json()["error"]["message"]


async def test_only_the_temporal_ui_origin_may_call_the_codec_from_a_browser(
    api: Api, settings: Settings
) -> None:
    ui = settings.ui_origin
    asks = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-namespace",
    }
    allowed = await api.http.options("/codec/decode", headers={"Origin": ui, **asks})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ui
    assert allowed.headers["access-control-allow-credentials"] == "true"

    other = await api.http.options(
        "/codec/decode", headers={"Origin": "http://evil.example", **asks}
    )
    assert other.status_code == 400
    assert "access-control-allow-origin" not in other.headers
    elsewhere = await api.http.get("/health/live", headers={"Origin": ui})
    assert "access-control-allow-origin" not in elsewhere.headers


async def test_the_session_cookie_lets_the_ui_decode_without_a_bearer_token(
    api: Api, app: FastAPI
) -> None:
    plain = MessageToDict(Payloads(payloads=[Payload(metadata={"e": b"1"}, data=b"x")]))
    set_cookie = await api.post("office", "/codec/session", expect=204)
    cookie = set_cookie.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert {"HttpOnly", "Path=/codec", "SameSite=strict"} <= {
        part.strip() for part in cookie.split(";")
    }

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as browser:
        browser.cookies.set(COOKIE, set_cookie.cookies[COOKIE])
        assert (await browser.post("/codec/encode", json=plain)).status_code == 200
        await api.post("office", "/auth/logout", expect=200)  # ends the token and the cookie
        refused = await browser.post("/codec/encode", json=plain)
        assert (refused.status_code, error_code(refused)) == (401, "not_authenticated")
