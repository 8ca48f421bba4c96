"""Record every command that reaches a route — who, when, what, outcome (DESIGN §7).

Every non-GET request that matched a route is written to the hash-chained audit trail,
refusals included (401, 403, 422 …); logins name the account tried. The response is held
until the entry is written. Idempotent replays never reach a route and are not recorded
again.

A request sent with an ``Idempotency-Key`` has its claim settled here, in the entry's
transaction (`SETTLEMENT`, left in the scope's state by the idempotency middleware inside
this one): the answer kept and the entry written together, or neither. Whatever instant
the process dies, a retry with the same key ends with one entry and one effect
(`services.idempotency`).
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Receive, Scope, Send

from api.context import AppContext
from api.middleware.asgi import COMMAND_METHODS, Captured, client_address
from services import audit, idempotency
from services.accounts import Viewer

log = logging.getLogger(__name__)

SETTLES = "qaward.audit_settles"
"""In the scope's state while this middleware runs: it will settle the idempotency claim."""
SETTLEMENT = "qaward.idempotency_settlement"
"""The idempotency middleware's `idempotency.Settlement`, for the entry's transaction."""


class AuditMiddleware:
    def __init__(self, app: ASGIApp, ctx: AppContext) -> None:
        self.app = app
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in COMMAND_METHODS:
            await self.app(scope, receive, send)
            return
        captured = Captured()
        state = scope.setdefault("state", {})
        state[SETTLES] = True
        try:
            await self.app(scope, receive, captured.send)
        except Exception:
            await self._record(scope, captured, failed=True)
            raise
        await self._record(scope, captured, failed=False)
        await captured.replay(send)

    async def _record(self, scope: Scope, captured: Captured, *, failed: bool) -> None:
        state = scope.get("state", {})
        settlement: idempotency.Settlement | None = state.pop(SETTLEMENT, None)
        route = scope.get("route")
        if route is None or self.ctx.sessions is None:
            # No route matched: nothing was attempted, nothing to record.
            if settlement is not None and self.ctx.sessions is not None:
                await idempotency.settle(self.ctx.sessions, settlement)
            return
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
        seal = audit.Seal.of(self.ctx.settings)
        try:
            await audit.append(self.ctx.sessions, draft, seal, settlement)
        except Exception:
            # The command has happened; say so loudly, but answer the caller. The claim is
            # left unanswered: a retry after it goes stale runs the command again (it acts
            # once, `services.idempotency`) and records it.
            log.exception("audit entry could not be written: %s", draft)
