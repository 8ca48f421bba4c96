"""Sign-in, sign-out and password change (the first-login change included)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.context import Ctx, SessionDep, Sessions
from api.middleware.asgi import client_address
from api.routers.auth import login_policy
from domain.errors import DomainError, ErrorCode
from services import accounts
from web.forms import Form, act, read_form, refusal_errors
from web.render import redirect, render
from web.session import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    PendingUser,
    new_login_nonce,
    secure_cookies,
    set_cookie,
)

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never ``//elsewhere``): no open redirect."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


def _login_page(request: Request, form: Form, nonce: str, status: int = 200) -> Response:
    response = render(
        request, "login.html", status_code=status, form=form, login_csrf=nonce, title="登录"
    )
    set_cookie(response, request.app.state.ctx.settings, LOGIN_CSRF_COOKIE, nonce, 3600)
    return response


@router.get("/login")
async def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, Form(values={"next": _safe_next(next)}), new_login_nonce())


@router.post("/login", summary="控制台登录")
async def login(request: Request, ctx: Ctx, sessions: Sessions) -> Response:
    nonce = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    posted = await read_form(request, expected_csrf=nonce)
    username = posted.get("username") or ""
    request.state.actor = username
    try:
        issued = await accounts.login(
            sessions,
            username,
            str(posted.form.get("password") or ""),
            login_policy(ctx),
            ctx.clock(),
            client_address(request.scope, ctx.settings.trusted_proxies) or "-",
        )
    except DomainError as err:
        form = Form(values={"username": username, "next": posted.get("next") or "/"})
        form.errors = refusal_errors(err, {})
        return _login_page(request, form, new_login_nonce(), status=401)
    request.state.viewer = issued.viewer
    target = "/password" if issued.viewer.must_change_password else _safe_next(posted.get("next"))
    response = redirect(target)
    max_age = int((issued.expires_at - ctx.clock()).total_seconds())
    set_cookie(response, ctx.settings, SESSION_COOKIE, issued.token, max_age)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout", summary="控制台退出登录")
async def logout(request: Request, viewer: PendingUser, session: SessionDep) -> Response:
    await read_form(request)
    await accounts.logout(session, request.state.token)
    response = redirect("/login", "已退出登录")
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request.app.state.ctx.settings),
    )
    return response


def _password_page(request: Request, form: Form) -> Response:
    return render(request, "password.html", form=form, title="修改密码")


@router.get("/password")
async def password_form(request: Request, viewer: PendingUser) -> Response:
    return _password_page(request, Form())


@router.post("/password", summary="控制台修改本人密码")
async def change_password(
    request: Request, viewer: PendingUser, ctx: Ctx, session: SessionDep
) -> Response:
    posted = await read_form(request)
    current = str(posted.form.get("current_password") or "")
    new = str(posted.form.get("new_password") or "")
    if new != str(posted.form.get("confirm_password") or ""):
        form = Form(errors={"confirm_password": "两次输入的新密码不一致"})
        response = _password_page(request, form)
        response.status_code = 422
        return response

    async def run() -> str:
        token = request.state.token
        await accounts.change_password(session, viewer, current, new, token, ctx.clock())
        return "/"

    return await act(
        request,
        posted,
        run,
        "密码已修改，其他设备上的登录已失效",
        again=lambda form: _password_page(request, Form(errors=form.errors)),
        fields={
            ErrorCode.INVALID_CREDENTIALS: "current_password",
            ErrorCode.INVALID_INPUT: "new_password",
        },
        session=session,
    )
