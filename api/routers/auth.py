"""Login, logout, own account, and the office's user administration."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request

from api.auth import AnyUser, AsOffice, OfficeOrSupervisor, PendingPasswordChange
from api.context import AppContext, Ctx, SessionDep, Sessions
from api.middleware.asgi import client_address
from api.schemas.auth import (
    LoginRequest,
    PasswordChange,
    PasswordReset,
    TokenOut,
    UserCreate,
    UserOut,
)
from api.schemas.base import Done
from services import accounts
from services.accounts import Account, LoginPolicy

router = APIRouter(tags=["账户与用户"])


def user_out(account: Account) -> UserOut:
    v = account.viewer
    return UserOut(
        username=v.username,
        display_name=account.display_name,
        role=v.role,
        reviewer_code=v.reviewer_code,
        credit_code=v.credit_code,
        active=account.active,
        locked_until=account.locked_until,
        must_change_password=v.must_change_password,
        email=account.email,
        digest_enabled=account.digest_enabled,
    )


def login_policy(ctx: AppContext) -> LoginPolicy:
    s = ctx.settings
    return LoginPolicy(
        token_ttl=timedelta(minutes=s.token_ttl_minutes),
        max_failures=s.login_max_failures,
        lockout=timedelta(minutes=s.login_lockout_minutes),
        client_max_failures=s.login_client_max_failures,
        client_delay=timedelta(seconds=s.login_client_delay_seconds),
        window=timedelta(minutes=s.login_failure_window_minutes),
    )


@router.post(
    "/auth/login",
    summary="登录并取得访问令牌",
    responses={
        401: {"description": "用户名或密码错误"},
        423: {"description": "账户因多次失败被锁定（消息中写明解锁时间）"},
        429: {"description": "本地址失败次数过多，须等待（消息中写明时间）"},
    },
)
async def login(body: LoginRequest, request: Request, ctx: Ctx, sessions: Sessions) -> TokenOut:
    # The sessionmaker, not the request's session: a refused login must keep its counted
    # failure, which the request's rollback would undo (`accounts.login`).
    request.state.actor = body.username
    client = client_address(request.scope, ctx.settings.trusted_proxies) or "-"
    issued = await accounts.login(
        sessions, body.username, body.password, login_policy(ctx), ctx.clock(), client
    )
    request.state.viewer = issued.viewer
    return TokenOut(
        access_token=issued.token,
        expires_at=issued.expires_at,
        username=issued.viewer.username,
        role=issued.viewer.role,
        must_change_password=issued.viewer.must_change_password,
    )


@router.post("/auth/logout", summary="退出登录（令牌作废）")
async def logout(viewer: PendingPasswordChange, request: Request, session: SessionDep) -> Done:
    await accounts.logout(session, request.state.token)
    return Done(message="已退出登录")


@router.get("/auth/me", summary="当前登录用户")
async def me(viewer: AnyUser, session: SessionDep) -> UserOut:
    user = await accounts.get_user(session, viewer.username)
    return user_out(await accounts.describe(session, user))


@router.post("/auth/password", summary="修改本人密码")
async def change_password(
    body: PasswordChange,
    viewer: PendingPasswordChange,
    request: Request,
    ctx: Ctx,
    session: SessionDep,
) -> Done:
    await accounts.change_password(
        session, viewer, body.current_password, body.new_password, request.state.token, ctx.clock()
    )
    return Done(message="密码已修改，其他登录已失效")


@router.get("/users", summary="用户列表")
async def list_users(viewer: OfficeOrSupervisor, session: SessionDep) -> list[UserOut]:
    return [user_out(a) for a in await accounts.list_users(session)]


@router.post("/users", summary="创建用户账户", status_code=201)
async def create_user(body: UserCreate, viewer: AsOffice, session: SessionDep) -> UserOut:
    user = await accounts.create_user(
        session,
        username=body.username,
        password=body.password,
        role=body.role,
        display_name=body.display_name,
        reviewer_code=body.reviewer_code,
        credit_code=body.credit_code,
    )
    return user_out(await accounts.describe(session, user))


@router.post("/users/{username}/password-reset", summary="重置用户密码并解除锁定")
async def reset_password(
    username: str, body: PasswordReset, viewer: AsOffice, ctx: Ctx, session: SessionDep
) -> Done:
    await accounts.reset_password(session, viewer, username, body.new_password, ctx.clock())
    return Done(message=f"用户 {username} 的密码已重置")


@router.post("/users/{username}/deactivate", summary="停用用户账户（不能再登录，令牌即时失效）")
async def deactivate_user(username: str, viewer: AsOffice, session: SessionDep) -> UserOut:
    user = await accounts.set_active(session, viewer, username, active=False)
    return user_out(await accounts.describe(session, user))


@router.post("/users/{username}/reactivate", summary="重新启用用户账户")
async def reactivate_user(username: str, viewer: AsOffice, session: SessionDep) -> UserOut:
    user = await accounts.set_active(session, viewer, username, active=True)
    return user_out(await accounts.describe(session, user))
