"""Refuse request bodies over the material size limit before anything reads them (413)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.middleware.asgi import header, send_error
from domain.errors import DomainError, ErrorCode

MULTIPART_ALLOWANCE = 1024 * 1024
"""Room for multipart boundaries and form fields around the largest allowed file."""


class _TooLarge(HTTPException):
    """Raised from `receive`; FastAPI lets an HTTPException through its body parsing."""

    def __init__(self) -> None:
        super().__init__(413, "请求体过大")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.limit = max_bytes + MULTIPART_ALLOWANCE

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await send_error(send, self._refusal())
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if not started:
                await send_error(send, self._refusal())

    def _refusal(self) -> DomainError:
        return DomainError(ErrorCode.MATERIAL_TOO_LARGE, f"请求体超过{self.limit}字节")
