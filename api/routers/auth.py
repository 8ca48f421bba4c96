"""Login, logout, own account, and the office's user administration."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.auth import AnyUser, AsOffice, OfficeOrSupervisor
from api.context import Ctx, Sessions
from api.schemas.auth import (
    LoginRequest,
    PasswordChange,
    PasswordReset,
    TokenOut,
    UserCreate,
    UserOut,
)
from api.schemas.base import Done
from db.session import transaction
from services import accounts
from services.accounts import Account

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
    )


@router.post("/auth/login", summary="登录并取得访问令牌")
async def login(body: LoginRequest, request: Request, ctx: Ctx, sessions: Sessions) -> TokenOut:
    request.state.actor = body.username
    issued = await accounts.login(
        sessions, body.username, body.password, ctx.login_policy, ctx.clock()
    )
    request.state.viewer = issued.viewer
    return TokenOut(
        access_token=issued.token,
        expires_at=issued.expires_at,
        username=issued.viewer.username,
        role=issued.viewer.role,
    )


@router.post("/auth/logout", summary="退出登录（令牌作废）")
async def logout(viewer: AnyUser, request: Request, sessions: Sessions) -> Done:
    async with transaction(sessions) as session:
        await accounts.logout(session, request.state.token)
    return Done(message="已退出登录")


@router.get("/auth/me", summary="当前登录用户")
async def me(viewer: AnyUser, sessions: Sessions) -> UserOut:
    async with sessions() as session:
        user = await accounts.get_user(session, viewer.username)
        return user_out(await accounts.describe(session, user))


@router.post("/auth/password", summary="修改本人密码")
async def change_password(
    body: PasswordChange, viewer: AnyUser, request: Request, ctx: Ctx, sessions: Sessions
) -> Done:
    async with transaction(sessions) as session:
        await accounts.change_password(
            session,
            viewer,
            body.current_password,
            body.new_password,
            request.state.token,
            ctx.clock(),
        )
    return Done(message="密码已修改，其他登录已失效")


@router.get("/users", summary="用户列表")
async def list_users(viewer: OfficeOrSupervisor, sessions: Sessions) -> list[UserOut]:
    async with sessions() as session:
        return [user_out(a) for a in await accounts.list_users(session)]


@router.post("/users", summary="创建用户账户", status_code=201)
async def create_user(body: UserCreate, viewer: AsOffice, sessions: Sessions) -> UserOut:
    async with transaction(sessions) as session:
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
    username: str, body: PasswordReset, viewer: AsOffice, ctx: Ctx, sessions: Sessions
) -> Done:
    async with transaction(sessions) as session:
        await accounts.reset_password(session, username, body.new_password, ctx.clock())
    return Done(message=f"用户 {username} 的密码已重置")
