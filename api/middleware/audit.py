"""Record every command that reaches a route — who, when, what, outcome (DESIGN §7).

Every non-GET request that matched a route is written to the hash-chained audit trail,
refusals included (401, 403, 422 …); logins name the account tried. The response is held
until the entry is written. Idempotent replays never reach a route and are not recorded
again.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Receive, Scope, Send

from api.context import AppContext
from api.middleware.asgi import COMMAND_METHODS, Captured, client_address
from services import audit
from services.accounts import Viewer

log = logging.getLogger(__name__)


class AuditMiddleware:
    def __init__(self, app: ASGIApp, ctx: AppContext) -> None:
        self.app = app
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in COMMAND_METHODS:
            await self.app(scope, receive, send)
            return
        captured = Captured()
        try:
            await self.app(scope, receive, captured.send)
        except Exception:
            await self._record(scope, captured, failed=True)
            raise
        await self._record(scope, captured, failed=False)
        await captured.replay(send)

    async def _record(self, scope: Scope, captured: Captured, *, failed: bool) -> None:
        route = scope.get("route")
        if route is None or self.ctx.sessions is None:
            return  # no route matched: nothing was attempted
        state = scope.get("state", {})
        viewer: Viewer | None = state.get("viewer")
        draft = audit.AuditDraft(
            at=self.ctx.clock(),
            actor=viewer.username if viewer else state.get("actor"),
            role=viewer.role.value if viewer else None,
            client=client_address(scope, self.ctx.settings.trusted_proxies),
            method=scope["method"],
            path=scope["path"][:500],
            action=(getattr(route, "summary", None) or getattr(route, "name", "")) or "",
            status=500 if failed else captured.status,
            code="internal_error" if failed else captured.error_code(),
        )
        try:
            await audit.append(self.ctx.sessions, draft, audit.Seal.of(self.ctx.settings))
        except Exception:  # the command has happened; say so loudly, but answer the caller
            log.exception("audit entry could not be written: %s", draft)
