"""The Temporal UI's remote codec (解密端点): ``/codec/encode`` and ``/codec/decode``.

Workflow histories hold only sealed payloads (``qaward.codec``); the Temporal UI shows them
in plain text by posting them here (Temporal's codec server protocol: a JSON body
``{"payloads": [...]}`` in proto3 JSON, bytes as base64, answered in the same shape).
Only signed-in office and supervisor accounts may use it, and only the UI's origin
(``QAWARD_TEMPORAL_UI_ORIGIN``) may call it from a browser (`api.middleware.codec_cors`).

The UI cannot attach this service's bearer token, so a signed-in user first calls
``POST /codec/session`` (from ``/docs``, say): it puts the token in an HttpOnly cookie
limited to ``/codec``, which the UI sends when its codec setting "include cross-origin
credentials" is on. The token keeps its own expiry and logout ends it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response, Security
from fastapi.security import HTTPAuthorizationCredentials
from google.protobuf.json_format import MessageToDict, ParseDict, ParseError
from temporalio.api.common.v1 import Payloads

from api.auth import RoleGate, bearer, current_viewer, holder_of
from api.context import Ctx, SessionDep
from domain.errors import DomainError, ErrorCode
from qaward.codec import CodecError, codec
from services.accounts import Role, Viewer

router = APIRouter(prefix="/codec", tags=["运行状态"])
COOKIE = "qaward_codec"


class CodecGate(RoleGate):
    """Office or supervisor, by bearer token or by the cookie ``POST /codec/session`` set.

    A `RoleGate`, so the OpenAPI document names its roles (`api.openapi.roles_line`)."""

    async def __call__(  # type: ignore[override]  # takes the token itself, not a viewer
        self,
        request: Request,
        ctx: Ctx,
        session: SessionDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
    ) -> Viewer:
        token = credentials.credentials if credentials else request.cookies.get(COOKIE)
        viewer = await current_viewer(await holder_of(request, ctx, session, token), session)
        return await super().__call__(viewer)


CodecUser = Annotated[Viewer, Depends(CodecGate(frozenset({Role.OFFICE, Role.SUPERVISOR})))]
PayloadsBody = Annotated[
    dict[str, Any],
    Body(description='Temporal 编解码协议：{"payloads": [{"metadata": {…}, "data": "base64"}]}'),
]


def _payloads(body: dict[str, Any]) -> Payloads:
    try:
        return ParseDict(body, Payloads(), ignore_unknown_fields=True)
    except ParseError as error:
        detail = f"负载格式不符合 Temporal 编解码协议（{error}）"
        raise DomainError(ErrorCode.INVALID_INPUT, detail) from None


def _answer(payloads: list[Any]) -> dict[str, Any]:
    return MessageToDict(Payloads(payloads=payloads))


@router.post("/encode", summary="加密负载（Temporal 界面用）")
async def encode(body: PayloadsBody, ctx: Ctx, _: CodecUser) -> dict[str, Any]:
    return _answer(await codec(ctx.settings).encode(_payloads(body).payloads))


@router.post("/decode", summary="解密负载（Temporal 界面用）")
async def decode(body: PayloadsBody, ctx: Ctx, _: CodecUser) -> dict[str, Any]:
    try:
        return _answer(await codec(ctx.settings).decode(_payloads(body).payloads))
    except CodecError as error:
        raise DomainError(ErrorCode.INVALID_INPUT, str(error)) from None


@router.post("/session", status_code=204, summary="为 Temporal 界面设置解密凭据（Cookie）")
async def session_cookie(request: Request, ctx: Ctx, _: CodecUser) -> Response:
    response = Response(status_code=204)
    response.set_cookie(
        COOKIE,
        request.state.token,
        max_age=ctx.settings.token_ttl_minutes * 60,
        path="/codec",
        httponly=True,
        samesite="strict",  # the UI and the API are the same site (host), ports apart
        secure=request.url.scheme == "https",
    )
    return response
