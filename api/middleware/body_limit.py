"""Refuse request bodies over their limit while they are read, before anything keeps them.

A material upload (``POST …/materials``) may carry one file of the material size limit
plus room for the multipart framing; every other body — JSON commands, the public
objection form — is held to the small JSON limit. A declared ``Content-Length`` over the
limit is refused at once; a body without one (chunked) is counted as it arrives and
refused (413) the moment it passes the limit, so no more than the limit is ever read.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.middleware.asgi import header, send_error
from domain.errors import DomainError, ErrorCode
from services.materials import megabytes

MULTIPART_ALLOWANCE = 1024 * 1024
"""Room for multipart boundaries and form fields around the largest allowed file."""
UPLOAD_PATH = re.compile(r"^(/console)?/cycles/[^/]+/applications/[^/]+/materials/?$")
REPLACE_PATH = re.compile(r"^/cycles/[^/]+/applications/[^/]+/materials/[^/]+/?$")
CONSOLE_REPLACE_PATH = re.compile(
    r"^/console/cycles/[^/]+/applications/[^/]+/materials/[^/]+/replace/?$"
)
CONSOLE_PREFIX = "/console/"


class TooLarge(HTTPException):
    """Raised from `receive`; FastAPI lets an HTTPException through its body parsing, and
    the error handler answers with `refusal`."""

    def __init__(self, refusal: DomainError) -> None:
        super().__init__(413, refusal.message)
        self.refusal = refusal


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_json_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.json_limit = max_json_bytes
        self.upload_limit = max_upload_bytes + MULTIPART_ALLOWANCE
        self.material_limit = max_upload_bytes

    def _refusal(self, scope: Scope) -> tuple[int, DomainError]:
        method, path = scope["method"], scope["path"]
        if (
            (method == "POST" and UPLOAD_PATH.match(path))
            or (method == "PUT" and REPLACE_PATH.match(path))
            or (method == "POST" and CONSOLE_REPLACE_PATH.match(path))
        ):
            limit = self.upload_limit
            return limit, DomainError(
                ErrorCode.MATERIAL_TOO_LARGE, f"每份材料不超过{megabytes(self.material_limit)}"
            )
        limit = self.json_limit
        return limit, DomainError(ErrorCode.BODY_TOO_LARGE, f"请求内容不超过{megabytes(limit)}")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, refusal = self._refusal(scope)
        declared = header(scope, b"content-length")
        # A console form is answered with a page (`web.console`): its body is refused as it
        # is read, the page's own reading raising `TooLarge`, never more than the limit read.
        page = scope["path"].startswith(CONSOLE_PREFIX)
        if (
            not page
            and declared is not None
            and declared.strip().isdigit()
            and int(declared) > limit
        ):
            await send_error(send, refusal)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge(refusal)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except TooLarge:
            if not started:
                await send_error(send, refusal)
