"""Signing in to the console: a session cookie, its CSRF token, and the current user.

The session cookie carries the same opaque token `POST /auth/login` issues
(`services.accounts.login`), so the console has the API's accounts, roles, expiry,
lockouts and logout with no second session store. The cookie is HttpOnly, SameSite=Lax,
and Secure outside development (`Settings.environment`).

CSRF (OWASP "synchronizer token"): every form carries `csrf_token(token)`, an HMAC of the
session token under the secret key — one per session, nothing stored — and every POST is
refused unless it matches (`check_csrf`). The sign-in form has no session yet: it is
protected by a double-submitted random cookie instead (`LOGIN_CSRF_COOKIE`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import Response

from api.auth import READERS, RoleGate
from api.context import Ctx, SessionDep
from domain.errors import DomainError, ErrorCode
from qaward.settings import Settings
from services import accounts
from services.accounts import Role, Viewer

SESSION_COOKIE = "qaward_session"
LOGIN_CSRF_COOKIE = "qaward_login_csrf"
CSRF_FIELD = "csrf_token"


class SignInRequired(Exception):
    """No valid session: the page answers with a redirect to the sign-in form."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class PasswordChangeFirst(Exception):
    """The account must change its password before anything else (first login)."""


def sign_in_location(next_path: str) -> str:
    return "/login" if next_path in ("", "/") else f"/login?next={quote(next_path, safe='/')}"


def secure_cookies(settings: Settings) -> bool:
    return settings.environment != "development"


def set_cookie(response: Response, settings: Settings, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure_cookies(settings),
    )


def csrf_token(settings: Settings, session_token: str) -> str:
    mac = hmac.new(settings.secret_key.get_secret_value().encode(), digestmod=hashlib.sha256)
    mac.update(b"console-csrf:" + session_token.encode())
    return mac.hexdigest()


def new_login_nonce() -> str:
    return secrets.token_urlsafe(24)


def _refused() -> DomainError:
    return DomainError(ErrorCode.FORBIDDEN, "表单已失效，请刷新页面后重新提交（CSRF校验未通过）")


def check_csrf(expected: str, given: str | None) -> None:
    if not expected or not given or not hmac.compare_digest(expected, given):
        raise _refused()


async def _signed_in(request: Request, ctx: Ctx, session: SessionDep) -> Viewer:
    token = request.cookies.get(SESSION_COOKIE)
    viewer = await accounts.authenticate(session, token, ctx.clock()) if token is not None else None
    if viewer is None or token is None:
        raise SignInRequired(request.url.path)
    request.state.viewer = viewer  # the audit middleware names the actor from it
    request.state.token = token
    request.state.csrf = csrf_token(ctx.settings, token)
    return viewer


async def _current(viewer: Annotated[Viewer, Depends(_signed_in)]) -> Viewer:
    if viewer.must_change_password:
        raise PasswordChangeFirst()
    return viewer


PendingUser = Annotated[Viewer, Depends(_signed_in)]
"""Signed in, perhaps still owing the first-login password change (password page, logout)."""
WebUser = Annotated[Viewer, Depends(_current)]
"""Signed in with a password of their own: every page but sign-in, password and logout."""


def gate(*roles: Role) -> Callable[..., Awaitable[Viewer]]:
    """The API's own role gate (`api.auth.RoleGate`) over the cookie session, so a page and
    its JSON twin admit the same roles: `Annotated[Viewer, Depends(gate(Role.OFFICE))]`."""
    check = RoleGate(frozenset(roles))

    async def allowed(viewer: WebUser) -> Viewer:
        return await check(viewer)

    return allowed


R = Role
OfficeUser = Annotated[Viewer, Depends(gate(R.OFFICE))]
ReviewerUser = Annotated[Viewer, Depends(gate(R.REVIEWER))]
ApplicantUser = Annotated[Viewer, Depends(gate(R.APPLICANT))]
SupervisorUser = Annotated[Viewer, Depends(gate(R.SUPERVISOR))]
OfficeOrApplicantUser = Annotated[Viewer, Depends(gate(R.OFFICE, R.APPLICANT))]
OfficeOrReviewerUser = Annotated[Viewer, Depends(gate(R.OFFICE, R.REVIEWER))]
OfficeOrSupervisorUser = Annotated[Viewer, Depends(gate(R.OFFICE, R.SUPERVISOR))]
OfficialUser = Annotated[Viewer, Depends(gate(*READERS))]
"""Office, supervisor, committee and government (`api.auth.Officials`)."""
CommitteeUser = Annotated[Viewer, Depends(gate(R.COMMITTEE))]
GovernmentUser = Annotated[Viewer, Depends(gate(R.GOVERNMENT))]
ObjectionReader = Annotated[Viewer, Depends(gate(R.OFFICE, R.SUPERVISOR, R.COMMITTEE))]
"""Who reads objections with the objector's name (`api.auth.ObjectionReaders`)."""
