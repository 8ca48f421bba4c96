"""``Idempotency-Key`` on commands: a retried request acts once and gets the first answer.

Keys belong to the caller (its account, or its address for the public). Answers that did
not act (401, 423, 429, 5xx) are not kept, so a retry may still succeed. Login and
password requests are never stored (their answers and bodies hold secrets).

The claim is settled (answer kept or claim released) by the audit middleware around this
one, in the transaction of the request's audit entry (`api.middleware.audit.SETTLEMENT`);
without it, here on its own. While the request runs, `idempotency.current_key` holds its
key, from which the workflow updates it sends take their ids (`services.idempotency`).
"""

from __future__ import annotations

import re
from datetime import timedelta

from starlette.types import ASGIApp, Receive, Scope, Send

from api.auth import token_holder
from api.context import AppContext
from api.middleware.asgi import (
    COMMAND_METHODS,
    Captured,
    client_address,
    header,
    read_body,
    replaying,
    send_body,
    send_error,
)
from api.middleware.audit import SETTLEMENT, SETTLES
from domain.errors import DomainError, ErrorCode
from services import idempotency

HEADER = b"idempotency-key"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,200}$")
NOT_KEPT = frozenset({401, 423, 429})
EXCLUDED_PREFIXES = ("/auth/",)
_BOUNDARY = re.compile(r"boundary=\"?([^\";]+)\"?")


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, ctx: AppContext) -> None:
        self.app = app
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = header(scope, HEADER) if scope["type"] == "http" else None
        if (
            key is None
            or scope["method"] not in COMMAND_METHODS
            or scope["path"].startswith(EXCLUDED_PREFIXES)
            or self.ctx.sessions is None
        ):
            await self.app(scope, receive, send)
            return
        if not KEY_PATTERN.match(key):
            await send_error(send, DomainError(ErrorCode.INVALID_INPUT, "Idempotency-Key 格式无效"))
            return
        body = await read_body(receive)
        owner = await self._owner(scope)
        print_ = idempotency.fingerprint(
            self.ctx.settings.secret_key.get_secret_value().encode(),
            scope["method"],
            scope["path"],
            _normalised(scope, body),
        )
        sessions = self.ctx.sessions
        now = self.ctx.clock()
        try:
            stale = timedelta(seconds=self.ctx.settings.idempotency_stale_seconds)
            stored = await idempotency.claim(sessions, owner, key, print_, now, stale)
        except DomainError as err:
            await send_error(send, err)
            return
        if stored is not None:
            replayed = [(b"idempotent-replayed", b"true")]
            kind = stored.content_type or "application/json"
            await send_body(send, stored.status_code, stored.body.encode(), kind, replayed)
            return
        captured = Captured()
        state = scope.setdefault("state", {})
        token = idempotency.current_key.set(idempotency.request_key(owner, key))
        try:
            await self.app(scope, replaying(body), captured.send)
        except BaseException:
            await self._settle(state, idempotency.Settlement(owner, key, now, None))
            raise
        finally:
            idempotency.current_key.reset(token)
        answer = None
        if captured.status < 500 and captured.status not in NOT_KEPT:
            answer = idempotency.StoredAnswer(
                captured.status,
                captured.header(b"content-type"),
                captured.body.decode("utf-8", errors="replace"),
            )
        await self._settle(state, idempotency.Settlement(owner, key, now, answer))
        await captured.replay(send)

    async def _settle(self, state: dict[str, object], settlement: idempotency.Settlement) -> None:
        """Hand the settlement to the audit middleware, or write it here without one."""
        if state.get(SETTLES):
            state[SETTLEMENT] = settlement
        else:
            assert self.ctx.sessions is not None
            await idempotency.settle(self.ctx.sessions, settlement)

    async def _owner(self, scope: Scope) -> str:
        auth = header(scope, b"authorization") or ""
        scheme, _, token = auth.partition(" ")
        if scheme.lower() == "bearer" and token and self.ctx.sessions is not None:
            state = scope.setdefault("state", {})
            viewer = await token_holder(state, self.ctx.sessions, token.strip(), self.ctx.clock)
            if viewer is not None:
                return f"user:{viewer.user_id}"
        return f"client:{client_address(scope, self.ctx.settings.trusted_proxies) or '-'}"


def _normalised(scope: Scope, body: bytes) -> bytes:
    """Multipart bodies differ by their random boundary only: leave it out of the print.
    JSON bodies are compared as canonical JSON (the same object, however it is spelled)."""
    kind = header(scope, b"content-type") or ""
    media = kind.split(";", 1)[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        return idempotency.canonical_json(body)
    found = _BOUNDARY.search(kind) if media.startswith("multipart/") else None
    return body.replace(found.group(1).encode(), b"") if found else body
