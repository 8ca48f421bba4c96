"""Bearer-token authentication and role checks (DESIGN §1, §7).

`require(*roles)` is the one role gate: an unknown or expired token is 401
(`not_authenticated`), a role that may not act is 403 (`forbidden`). An account that must
change its password first (`Viewer.must_change_password`) is 403
(`password_change_required`) everywhere but on the two routes that take
`PendingPasswordChange`: password change and logout. Record-level confidentiality (404
for what a caller may not see) lives in `services.views`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.context import Ctx, SessionDep
from domain.errors import DomainError, ErrorCode
from services import accounts, supervision
from services.accounts import Role, Viewer

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="BearerToken",
    description="POST /auth/login 取得的访问令牌（Bearer）",
)


_LOOKED_UP = "bearer_lookup"


async def token_holder(
    state: MutableMapping[str, Any],
    sessions: async_sessionmaker[AsyncSession],
    token: str,
    now: Callable[[], datetime],
) -> Viewer | None:
    """The account a bearer token stands for, looked up once per request: the answer is
    kept in the request's ASGI state, so the idempotency middleware (which needs the
    key's owner before the route runs) and the route's dependency share one lookup. A
    short read of its own, before the request's transaction (`accounts.identify`)."""
    kept = state.get(_LOOKED_UP)
    if kept is not None and kept[0] == token:
        found: Viewer | None = kept[1]
        return found
    viewer = await accounts.identify(sessions, token, now())
    state[_LOOKED_UP] = (token, viewer)
    return viewer


async def signed_in(
    request: Request,
    ctx: Ctx,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Viewer:
    return await holder_of(request, ctx, session, credentials.credentials if credentials else None)


async def holder_of(request: Request, ctx: Ctx, session: SessionDep, token: str | None) -> Viewer:
    """The signed-in caller a token stands for (401 when none); ``/codec`` also reads the
    token from its cookie (`api.routers.codec`). The token is looked up once per request
    (`token_holder`), outside `session`, which is left for the request's own work."""
    if token is None:
        raise DomainError(ErrorCode.NOT_AUTHENTICATED)
    if ctx.sessions is None:
        raise DomainError(ErrorCode.ACTIVITY_FAILED, "数据库尚未就绪")
    state = request.scope.setdefault("state", {})
    viewer = await token_holder(state, ctx.sessions, token, ctx.clock)
    if viewer is None:
        raise DomainError(ErrorCode.NOT_AUTHENTICATED)
    request.state.viewer = viewer
    request.state.token = token
    return viewer


async def current_viewer(
    viewer: Annotated[Viewer, Depends(signed_in)], session: SessionDep
) -> Viewer:
    if viewer.must_change_password:
        raise DomainError(ErrorCode.PASSWORD_CHANGE_REQUIRED)
    if (
        viewer.role == Role.REVIEWER
        and viewer.reviewer_id is not None
        and await supervision.is_disqualified(session, viewer.reviewer_id)
    ):  # §6(7): a disqualified reviewer keeps read access to nothing
        raise DomainError(
            ErrorCode.FORBIDDEN, "已被取消评审资格（§6(7)），不能再查阅或提交评审信息", rule="9"
        )
    return viewer


ROLE_NAMES: dict[Role, str] = {
    Role.OFFICE: "县评审办",
    Role.REVIEWER: "评审员",
    Role.COMMITTEE: "县评委会",
    Role.GOVERNMENT: "县政府",
    Role.SUPERVISOR: "监督组",
    Role.APPLICANT: "申报组织",
}


class RoleGate:
    """The dependency `require` makes; `roles` is also what the OpenAPI document lists."""

    def __init__(self, roles: frozenset[Role]) -> None:
        self.roles = roles

    async def __call__(self, viewer: Annotated[Viewer, Depends(current_viewer)]) -> Viewer:
        if viewer.role not in self.roles:
            raise DomainError(ErrorCode.FORBIDDEN)
        return viewer


def require(*roles: Role) -> Callable[..., Awaitable[Viewer]]:
    return RoleGate(frozenset(roles))


R = Role
ALL_ROLES = tuple(Role)
READERS = (R.OFFICE, R.SUPERVISOR, R.COMMITTEE, R.GOVERNMENT)

AnyUser = Annotated[Viewer, Depends(current_viewer)]
PendingPasswordChange = Annotated[Viewer, Depends(signed_in)]
"""Any signed-in account, even one that must change its password first."""
AsOffice = Annotated[Viewer, Depends(require(R.OFFICE))]
AsReviewer = Annotated[Viewer, Depends(require(R.REVIEWER))]
AsCommittee = Annotated[Viewer, Depends(require(R.COMMITTEE))]
AsGovernment = Annotated[Viewer, Depends(require(R.GOVERNMENT))]
AsSupervisor = Annotated[Viewer, Depends(require(R.SUPERVISOR))]
AsApplicant = Annotated[Viewer, Depends(require(R.APPLICANT))]
OfficeOrApplicant = Annotated[Viewer, Depends(require(R.OFFICE, R.APPLICANT))]
OfficeOrReviewer = Annotated[Viewer, Depends(require(R.OFFICE, R.REVIEWER))]
OfficeOrSupervisor = Annotated[Viewer, Depends(require(R.OFFICE, R.SUPERVISOR))]
Officials = Annotated[Viewer, Depends(require(*READERS))]
"""Office, supervisor, committee and government: they read every application."""
ObjectionReaders = Annotated[Viewer, Depends(require(R.OFFICE, R.SUPERVISOR, R.COMMITTEE))]
PoolReaders = Annotated[Viewer, Depends(require(R.OFFICE, R.SUPERVISOR, R.REVIEWER))]
OwnFileReaders = Annotated[Viewer, Depends(require(R.OFFICE, R.SUPERVISOR, R.APPLICANT))]
OfficialsOrApplicant = Annotated[Viewer, Depends(require(*READERS, R.APPLICANT))]
MaterialReaders = Annotated[
    Viewer, Depends(require(R.OFFICE, R.SUPERVISOR, R.COMMITTEE, R.REVIEWER, R.APPLICANT))
]
